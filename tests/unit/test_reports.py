"""The shared report model and writers (ips_tui.reports): escaping in one place, named columns,
fitting and wrapping plain text, the one CSV writer, and the domain's numbers in the text."""

from __future__ import annotations

import csv as stdlib_csv
import datetime as dt
import io
import json as stdlib_json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ips_tui.domain import outcomes as oc
from ips_tui.domain.agenda import NO_CONTACT_DAYS, Agenda
from ips_tui.output import has_control_characters, is_control_character, strip_controls, terminal_safe
from ips_tui.reports import agenda as agenda_report
from ips_tui.reports import csv, format, html, json, markdown, text
from ips_tui.reports.layout import Grid, fit_balanced, fit_widest, text_width, wrap
from ips_tui.reports.model import (
    HTML,
    MARKDOWN,
    TEXT,
    Bullets,
    Chart,
    Column,
    Document,
    Item,
    Para,
    Point,
    Row,
    Section,
    Sub,
    Table,
)
from ips_tui.reports.outcomes import band_text

HOSTILE = "*bold* _it_ [link](http://x) <b>tag</b> a|b ~s~ &amp; `code`\nnext\x1b[31m"


def doc(*blocks, intro=()) -> Document:
    return Document("Title <&>", list(intro), [Section("First", list(blocks)), Section("Second", [])])


# ---------------------------------------------------------------- escaping


def test_markdown_escape_renders_every_special_character_as_itself():
    out = markdown.escape(HOSTILE)
    assert out == (r"\*bold\* \_it\_ \[link\](http://x) \<b\>tag\</b\> a\|b \~s\~ \&amp; \`code\`"
                   r" next?\[31m")
    assert "\n" not in out and "\x1b" not in out


def test_html_escape_quotes_markup_and_drops_control_characters():
    out = html.escape('<script>alert("x")</script> & \'q\'\nline\x1b')
    assert out == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27; line?"


def test_every_writer_escapes_table_cells_and_headers():
    table = Table([Column("<h>"), Column("n|m", numeric=True)], [Row(["<i>x</i>", "1"])])
    page = html.render(doc(table), css="")
    assert "<th>&lt;h&gt;</th>" in page and "<td>&lt;i&gt;x&lt;/i&gt;</td>" in page
    assert "<title>Title &lt;&amp;&gt;</title>" in page
    md = markdown.render(doc(table))
    assert "| \\<h\\> | n\\|m |" in md and "| \\<i\\>x\\</i\\> | 1 |" in md


@pytest.mark.parametrize(("value", "cell"), [
    ("=SUM(A1)", "'=SUM(A1)"),
    ("+1", "'+1"),
    ("-2", "'-2"),
    ("@cmd", "'@cmd"),
    ("'=x", "''=x"),  # a value that really starts with an apostrophe survives a round trip
    ("a=b", "a=b"),
    ("'plain", "'plain"),
    ("", ""),
    ("\tx", "'\tx"),  # a tab or carriage return first hides the sign from a reader
    ("\r=1", "'\r=1"),
    ("\uff1d1+1", "'\uff1d1+1"),  # full-width = + - @: LibreOffice runs them as formulas too
    ("\uff0b1", "'\uff0b1"),
    ("\uff0d1", "'\uff0d1"),
    ("\uff20x", "'\uff20x"),
    ("'\uff1dx", "''\uff1dx"),
])
def test_csv_guard_neutralises_formulas(value, cell):
    assert csv.neutralise(value) == cell
    assert csv.unneutralise(cell) == value  # the interchange import gets the value back


def test_csv_report_cells_keep_numbers_and_guard_text():
    assert [csv.report_cell(v) for v in (None, True, False, 3, -3, 2.0, 0.123456, "-3", "a\nb")] \
        == ["", "yes", "no", 3, -3, 2, 0.1235, "'-3", "a b"]


def test_csv_records_header_rows_and_missing_fields():
    out = csv.records(("a", "b", "c"), [{"a": "=1", "b": 2.5}, {"a": "x,y", "b": None, "c": "q"}])
    assert out == "a,b,c\n'=1,2.5,\n\"x,y\",,q\n"
    assert list(stdlib_csv.DictReader(io.StringIO(out)))[1] == {"a": "x,y", "b": "", "c": "q"}


def test_csv_write_keeps_cells_as_given_with_newline_endings():
    buf = io.StringIO()
    csv.write(buf, ["h1", "h2"], [["multi\nline", "2"]])
    assert buf.getvalue() == 'h1,h2\n"multi\nline",2\n'


def test_interchange_export_uses_the_one_guard():
    from ips_tui import interchange

    assert interchange.neutralise is csv.neutralise
    assert interchange.unneutralise is csv.unneutralise


def test_csv_writer_never_writes_a_control_character():
    buf = io.StringIO()
    csv.write(buf, ["h\x1b"], [["a\x1b]0;t\x07b", "\x9b2J", "\u202e\u061c\u200e", "note\n\tline",
                                 "Mehr\u200cnaz", 3]])
    assert buf.getvalue() == 'h?\na?]0;t?b,?2J,???,"note\n\tline",Mehr\u200cnaz,3\n'


def test_json_is_indented_utf8_and_escapes_every_control_character():
    assert json.dumps({"name": "José\x1b[2J"}) == '{\n  "name": "José\\u001b[2J"\n}\n'
    assert json.dumps({"name": "a\u202eb"}) == '{\n  "name": "a\\u202eb"\n}\n'
    hostile = "\x00\x1b]52;c;eA==\x07\x85\x9b\u202a\u2066\u200e\u200f\u061c\ufeff\u2028\U000e0041 Ω😀"
    out = json.dumps({"k\x9b": [hostile]})
    assert stdlib_json.loads(out) == {"k\x9b": [hostile]}  # exactly, once read
    assert not has_control_characters(out, allow_newlines=True) and "\u2028" not in out
    assert "Ω😀" in out and '"k\\u009b"' in out and "\\udb40\\udc41" in out


_JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
_JSON_VALUES = st.recursive(
    _JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(_JSON_VALUES)
def test_json_writes_the_bytes_of_json_dumps_indent_2(value):
    """The writer hands the work to json's C encoder, and must write exactly what
    json.dumps(indent=2) writes (control characters then escaped): the JSON output is a contract."""
    expected = stdlib_json.dumps(value, indent=2, ensure_ascii=False)
    assert json.dumps(value) == json._CANDIDATE.sub(json._escape, expected) + "\n"
    if not has_control_characters(expected, allow_newlines=True) and "\u2028" not in expected \
            and "\u2029" not in expected:
        assert json.dumps(value) == expected + "\n"


def test_json_writes_nested_empty_and_keyed_values_as_json_dumps_does():
    for value in ({}, [], {"a": []}, [{}], {"a": {"b": {}}}, [[1, 2], [3]], {1: 2, None: 3, False: [1], 2.5: 0},
                  (1, (2,)), {"t": (1, 2)}, [{"a": 1, "b": [{"c": "\x1b"}]}], "x", 1.5, None):
        expected = stdlib_json.dumps(value, indent=2, ensure_ascii=False)
        assert json.dumps(value) == json._CANDIDATE.sub(json._escape, expected) + "\n"


# ---------------------------------------------------------------- control characters


def test_one_definition_of_a_control_character():
    """Cc and Cf, the zero-width (non-)joiners excepted: C0, DEL, C1, bidi controls, direction
    marks, the Arabic letter mark, BOM, tag characters; never a printable character."""
    for ch in ["\x00", "\x1b", "\x7f", "\x85", "\x9b", "\u061c", "\u200e", "\u200f", "\u202a",
               "\u202e", "\u2066", "\u2069", "\ufeff", "\u00ad", "\U000e0001"]:
        assert is_control_character(ch), repr(ch)
    for ch in ["a", " ", "\u200c", "\u200d", "\u2028", "é", "😀", "\u0301", "\ufe0f"]:
        assert not is_control_character(ch), repr(ch)
    for code in range(0x110000):
        ch = chr(code)
        expected = unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200c\u200d"
        assert is_control_character(ch) == expected == has_control_characters(f"a{ch}b"), hex(code)


def test_controls_stripped_for_cleaning_and_replaced_for_a_terminal():
    text = "Ana\x1b[31m\x1b]0;pwned\x07\x9b2J\u202e\u061c\x08\rZ\n\tnote Mehr\u200cnaz"
    assert strip_controls(text) == "Ana[31m]0;pwned2JZnote Mehr\u200cnaz"
    assert strip_controls(text, keep_newlines=True) == "Ana[31m]0;pwned2JZ\n\tnote Mehr\u200cnaz"
    assert terminal_safe(text) == "Ana?[31m?]0;pwned??2J????Z\n\tnote Mehr?naz"
    assert has_control_characters("a\nb") and not has_control_characters("a\n\tb", allow_newlines=True)
    assert not has_control_characters("Zoë 😀 Mehr\u200cnaz")


# ---------------------------------------------------------------- named columns


def test_numeric_columns_align_right_in_every_format():
    table = Table([Column("Name"), Column("Count", numeric=True)],
                  [Row(["Ann", "7"]), Row(["Bo", "1234"], alert=True)])
    lines = text.table(table)
    assert lines == ["Name  Count", "----  -----", "Ann       7", "Bo     1234"]
    assert "| --- | ---: |" in markdown.table(table)
    rows = html.table(table)
    assert '<th class="num">Count</th>' in rows[1]
    assert '<tr class="alert"><td>Ann</td>' not in "".join(rows)
    assert '<tr class="alert"><td>Bo</td><td class="num">1234</td></tr>' in rows


def test_a_column_can_be_left_out_of_a_format():
    table = Table([Column("A"), Column("Bar", only=frozenset({MARKDOWN, TEXT}))], [Row(["1", "██"])])
    assert "Bar" not in "".join(html.table(table)) and "██" not in "".join(html.table(table))
    assert "| A | Bar |" in markdown.table(table)
    assert text.table(table)[0] == "A  Bar"
    assert table.shown(HTML).columns == [Column("A")] and table.shown(TEXT) is table


# ---------------------------------------------------------------- plain text


def test_wrap_counts_terminal_columns_and_splits_long_words():
    assert wrap("職員 職員 職員", 9) == ["職員 職員", "職員"]
    assert text_width("職員") == 4
    assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert wrap("", 10) == [""]


def test_balanced_fit_wraps_text_before_dates_and_numbers():
    grid = Grid(["Due", "Note", "N"], [["Tue 2024-05-14", "word " * 20, "12345"]],
                numeric=[False, False, True], keep=[True, False, False])
    widths = fit_balanced(grid, 40 - 2 * 2)
    assert sum(widths) <= 36
    assert widths[0] == len("Tue 2024-05-14") and widths[2] == 5
    lines = grid.draw(widths)
    assert max(text_width(x) for x in lines) <= 40
    assert lines[2].startswith("Tue 2024-05-14  word") and lines[2].endswith("12345")


def test_widest_fit_narrows_the_widest_text_column_first():
    grid = Grid(["A", "B", "N"], [["x" * 30, "y" * 20, "1" * 12]],
                numeric=[False, False, True], keep=[False, False, False])
    assert fit_widest(grid, 46) == [17, 17, 12]
    assert fit_widest(grid, 10) == [8, 8, 12]  # never below 8, numbers never shrink


def test_text_writer_numbers_sections_underlines_headings_and_fits_width():
    out = text.render(doc(Para("p " * 60), Sub("sub"),
                          Bullets([Item("head " * 20, (("Note", "n " * 50),))])), width=40)
    lines = out.splitlines()
    assert lines[:2] == ["Title <&>", "========="]
    assert "1. First" in lines and "2. Second" in lines and "~~~" in lines
    assert max(text_width(x) for x in lines) <= 40
    assert any(x.startswith("* head") for x in lines)
    assert any(x.startswith("  head") for x in lines)
    assert any(x.startswith("    Note: n") for x in lines)


# ---------------------------------------------------------------- blocks for some formats


def test_paragraph_and_chart_appear_only_where_they_belong():
    chart = Chart("Rate by period", "desc <x>", [Point("Q1", 0.5, "Q1: 50%"), Point("Q2", None, "-")],
                  [("Minimum", 0.31)])
    d = doc(chart, Para("Sparkline only", only=frozenset({MARKDOWN, TEXT})),
            intro=[Para("intro", cls="intro"), Para("notice", cls="notice", em=True)])
    page = html.render(d, css="body {}")
    assert "<svg" in page and "desc &lt;x&gt;" in page and "Minimum 31%" in page
    assert "Sparkline only" not in page
    assert '<p class="intro">intro</p>' in page and '<p class="notice">notice</p>' in page
    md = markdown.render(d)
    assert "<svg" not in md and "Sparkline only" in md and "*notice*" in md
    txt = text.render(d)
    assert "svg" not in txt and "Sparkline only" in txt and "*notice*" not in txt


def test_bullets_in_bold_only_when_asked():
    items = [Item("Head", (("Note", "text"),))]
    assert markdown.bullets(Bullets(items, strong=True)) == ["- **Head**", "  - Note: text", ""]
    assert markdown.bullets(Bullets(items))[0] == "- Head"
    assert html.bullets(Bullets(items, strong=True))[1] == \
        '<li><strong>Head</strong><span class="detail"><span class="label">Note:</span> text</span></li>'


# ---------------------------------------------------------------- formatting


def test_formatting_helpers():
    d = dt.date(2024, 5, 14)
    assert format.day(d) == "Tue 2024-05-14" and format.day(None) == ""
    assert format.long_day(d) == "Tuesday 2024-05-14"
    assert (format.plural(1, "job"), format.plural(2, "job"), format.plural(2, "child", "children")) \
        == ("1 job", "2 jobs", "2 children")
    assert (format.hours(37.5), format.hours(20.0), format.hours(None)) == ("37.5", "20", "")
    assert (format.money(12.5), format.money(None)) == ("12.50", "")
    assert (format.pct(0.414), format.pct(0.31), format.pct(1.0), format.pct(None)) \
        == ("41.4%", "31%", "100%", "n/a")
    assert format.bar(1.0, width=4) == "████" and format.bar(0.5, width=3) == "█▌"
    assert format.bar(None) == ""
    assert format.sparkline([0.1, None, 0.5, 0.3]) == "▁·█▄"
    assert format.sparkline([None]) == ""


# ---------------------------------------------------------------- the domain's numbers


def test_benchmark_words_come_from_the_domain(monkeypatch):
    assert band_text("minimum") == "at or above the 31% minimum benchmark, below the 41% average"
    assert band_text("excellent") == "at or above the 50% excellent benchmark"
    assert band_text("below_minimum") == "below the 31% minimum benchmark"
    monkeypatch.setattr(oc, "US_BENCHMARKS", (("minimum", 0.35), ("top", 0.6)))
    assert band_text("minimum") == "at or above the 35% minimum benchmark, below the 60% top"


def test_agenda_outreach_days_come_from_the_domain():
    doc = agenda_report.layout(Agenda(meeting_date=dt.date(2024, 5, 14)))
    titles = [s.title for s in doc.sections]
    assert f"No contact in {NO_CONTACT_DAYS} days: assertive outreach" in titles
    assert doc.title == "Team meeting agenda: Tuesday 2024-05-14"


def test_reminders_keep_names_exactly_but_never_start_a_formula():
    from ips_tui.domain.reminders import Reminder
    from ips_tui.reports import reminders

    name = "Mehr\u200cnaz  Ahmadi"  # a zero-width non-joiner (allowed in names) and two spaces
    found = [Reminder("C1", name, "=HYPERLINK(1)", "weekly", dt.date(2026, 9, 1), "due", None)]
    rows = list(stdlib_csv.DictReader(io.StringIO(reminders.as_csv(found))))
    assert rows == [{"client_id": "C1", "client": name, "specialist": "'=HYPERLINK(1)",
                     "kind": "weekly", "due": "2026-09-01", "status": "due", "job_id": "",
                     "job": "", "employer": "", "planned": ""}]
    assert name in reminders.as_json(found)  # the joiners are not control characters


# ---------------------------------------------------------------- iCalendar


ICS_NAMES = ["Ana \\N Zeller", "O'Neil; Jr, \"Q\"", "Two\nLines", "Back\\slash\\\\ \\n \\; \\,",
             "Zoë 😀👩\u200d👩\u200d👧 Mehr\u200cnaz " + "é" * 70, "x" * 74 + "😀" + "ü" * 40]


def _reminders_for(names):
    from ips_tui.domain.reminders import Reminder

    return [Reminder(f"C{i}", name, f"Spec; {name}", kind, dt.date(2026, 9, 1 + i), "due",
                     None if kind == "first_employer_contact" else f"J{i}")
            for i, name in enumerate(names)
            for kind in ("weekly", "first_employer_contact")]


def _events(ics: bytes):
    from icalendar import Calendar

    return list(Calendar.from_ical(ics).walk("VEVENT"))


def test_ics_text_round_trips_exactly_through_a_real_parser():
    from ips_tui.reports import reminders

    found = _reminders_for(ICS_NAMES)
    stamp = dt.datetime(2026, 8, 30, tzinfo=dt.UTC)
    ics = reminders.as_ics(found, stamp, names=True)
    for line in ics.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never cuts a character in two
    assert b"\n" not in ics.replace(b"\r\n", b"")
    events = _events(ics)
    assert len(events) == len(found)
    for event, r in zip(events, found, strict=True):
        what = {"weekly": "Weekly follow-along", "first_employer_contact": "First employer contact"}[r.kind]
        assert str(event["summary"]) == f"{what}: {r.client} ({r.client_id})"
        assert str(event["description"]) == (f"{what} for {r.client} ({r.client_id})\nSpecialist: "
                                              f"{r.specialist}" + (f"\nJob: {r.job_name} ({r.job_id})" if r.job_id else ""))
        assert "contact contact" not in str(event["description"])
        assert str(event["uid"]) == f"{r.client_id}-{r.job_id or 'search'}-{r.kind}-{r.due}@ips-tui"
        assert event["dtstart"].dt == r.due and event["dtend"].dt == r.due + dt.timedelta(days=1)
        assert not event.subcomponents  # no alarm unless asked


def test_ics_names_clients_by_initials_unless_asked_and_adds_an_alarm_on_request():
    from ips_tui.reports import reminders

    found = _reminders_for(["Ana Zeller"])
    stamp = dt.datetime(2026, 8, 30, tzinfo=dt.UTC)
    ics = reminders.as_ics(found, stamp, alarm=45)
    assert b"Zeller" not in ics
    events = _events(ics)
    assert [str(e["summary"]) for e in events] == ["Weekly follow-along: A.Z. (C0)",
                                                   "First employer contact: A.Z. (C0)"]
    for event in events:
        (alarm,) = event.subcomponents
        assert alarm.name == "VALARM" and str(alarm["action"]) == "DISPLAY"
        assert alarm["trigger"].dt == dt.timedelta(minutes=-45)
        assert str(alarm["description"]) == str(event["summary"])
    assert b"TRIGGER:-PT45M\r\n" in ics


def test_ics_never_carries_a_control_character():
    from ips_tui.reports import reminders

    found = _reminders_for(["Ana\x1b]0;pwned\x07\x9b2J\u202e\u061c\x00 Zeller\r\nX"])
    ics = reminders.as_ics(found, dt.datetime(2026, 8, 30, tzinfo=dt.UTC), names=True)
    assert not has_control_characters(ics.decode("utf-8").replace("\r\n", ""))
    assert str(_events(ics)[0]["summary"]) == "Weekly follow-along: Ana?]0;pwned??2J??? Zeller\nX (C0)"
