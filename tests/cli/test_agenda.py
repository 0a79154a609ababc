"""The team meeting agenda end to end: a fixed caseload written through the store, the agenda in
every format compared with golden files, redaction, the `ips-tui agenda` command, and the number
of queries it takes.

Regenerate the golden files after an intended change with

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/cli/test_agenda.py

and read the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from pathlib import Path

import caseloads
import pytest
from click.testing import CliRunner
from golden_files import check_golden
from playhouse.test_utils import count_queries

from ips_tui import services, vocab
from ips_tui.cli import cli
from ips_tui.domain.agenda import Agenda
from ips_tui.reports import agenda as agenda_report
from ips_tui.reports.layout import text_width
from ips_tui.store import writes
from ips_tui.store.db import close_store, open_store

M = dt.date(2024, 5, 14)  # a Tuesday: the fixture's meeting day


def d(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


# ------------------------------------------------------------------------------------------------
# Isolation: never touch the user's real data folder.


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("IPS_TUI_DB", str(tmp_path / "default-from-env.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("IPS_TUI_SPECIALIST", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield
    close_store()


# ------------------------------------------------------------------------------------------------
# The fixture caseload (meeting on Tue 2024-05-14: past week 05-07..05-13, coming 05-14..05-20).

SPECIALISTS = [
    ("Maria Lopez", "maria.lopez@example.org", True),
    ("James Okafor", "james.okafor@example.org", True),
    ("Priya Shah", "priya.shah@example.org", True),
    ("Robin Vale", "robin.vale@example.org", False),  # inactive, nothing on the agenda
]

EMPLOYERS = [
    {"employer_id": "E0001", "name": "Riverside Grocery", "industry": "Retail",
     "contact_name": "Olu Adeyemi", "phone": "0161 496 0901", "email": "jobs@riverside.example"},
    {"employer_id": "E0002", "name": "Green Leaf Cafe", "industry": "Hospitality"},
    {"employer_id": "E0003", "name": "Metro Logistics", "industry": "Warehousing"},
    {"employer_id": "E0004", "name": "Harbor Hotel", "industry": "Hospitality"},
]


def _client(cid, first, last, spec, stage, phone, email, **more):
    return {"client_id": cid, "first_name": first, "last_name": last, "specialist": spec,
            "stage": stage, "phone": phone, "email": email, **more}


CLIENTS = [
    _client("C0001", "Ann", "Patel", "Maria Lopez", "employed", "07700 900101",
            "ann.patel@example.com", referral_date=d("2023-11-02"), start_date=d("2023-11-15"),
            discuss=True, discuss_note="Wants more hours; check the benefits impact before accepting.",
            next_step="Book a benefits planning session",
            notes="Prefers to be called Annie; lives with her sister."),
    _client("C0002", "Ben", "Osei", "Maria Lopez", "job_search", "07700 900102",
            "ben.osei@example.com", referral_date=d("2024-02-01"), start_date=d("2024-02-12"),
            next_step="Practise the bus route to the hotel"),
    _client("C0003", "Carla", "Reyes", "James Okafor", "employed", "07700 900103",
            "carla.reyes@example.com", referral_date=d("2023-06-01"), start_date=d("2023-06-10")),
    _client("C0004", "Dmitri", "Novak", "James Okafor", "job_search", "07700 900104",
            "d.novak@example.net", referral_date=d("2023-09-01"), start_date=d("2023-09-15"),
            discuss=True,
            discuss_note="Job ended suddenly; agree an outreach plan with the care coordinator.",
            next_step="Meet at the library to look at job ads"),
    _client("C0005", "Elena", "Garcia", "Priya Shah", "referred", "07700 900105",
            "elena.g@example.com", referral_date=d("2024-05-07")),
    _client("C0006", "Farid", "Haddad", "Priya Shah", "referred", "07700 900106",
            "farid.haddad@example.com", referral_date=d("2024-05-13")),
    _client("C0007", "Grace", "O'Brien", "Maria Lopez", "engaged", "07700 900107",
            "grace.obrien@example.org", referral_date=d("2024-04-10"), start_date=d("2024-04-18"),
            discuss=True,
            discuss_note="Asks about <night shifts> & *weekend* work | check with the team",
            next_step="Visit two cafes with her CV [this week]"),
    _client("C0008", "Henrik", "Lindqvist", "Priya Shah", "education", "07700 900108",
            "henrik.l@example.com", referral_date=d("2023-03-01"), start_date=d("2023-03-10")),
    _client("C0009", "Isla", "Murphy", "James Okafor", "closed", "07700 900109",
            "isla.murphy@example.com", referral_date=d("2024-05-08"), start_date=d("2024-05-08"),
            closed_date=d("2024-05-12"), closed_reason="Moved away", discuss=True,
            discuss_note="Closed: moved to another city."),
    _client("C0010", "Jamal", "Brown", "James Okafor", "job_search", "07700 900110",
            "jamal.brown@example.com", referral_date=d("2024-03-01"), start_date=d("2024-03-05")),
]

JOBS = [
    {"job_id": "J0001", "client_id": "C0001", "employer_id": "E0002", "title": "Barista",
     "start_date": d("2024-05-07"), "hours_per_week": 16},  # started M - 7: in
    {"job_id": "J0002", "client_id": "C0002", "employer_id": "E0004", "title": "Kitchen porter",
     "start_date": d("2024-05-20"), "hours_per_week": 20},  # starts M + 6: in
    {"job_id": "J0003", "client_id": "C0003", "employer_id": "E0003",
     "title": "Warehouse operative", "start_date": d("2023-09-04"), "hours_per_week": 30},
    {"job_id": "J0004", "client_id": "C0004", "employer_id": "E0001", "title": "Stock assistant",
     "start_date": d("2024-01-08"), "end_date": d("2024-05-10"), "hours_per_week": 20,
     "end_reason": "Quit: the early shifts clashed with his medication"},
    {"job_id": "J0005", "client_id": "C0009", "employer_id": "E0004", "title": "Cleaner",
     "start_date": d("2024-05-08"), "end_date": d("2024-05-09"),
     "end_reason": "Temporary cover ended"},  # closed client: on no list
    {"job_id": "J0006", "client_id": "C0010", "employer_id": "E0004", "title": "Care assistant",
     "start_date": d("2024-05-21"), "hours_per_week": 25},  # starts M + 7: out
    {"job_id": "J0007", "client_id": "C0008", "employer_id": None, "title": "Library assistant",
     "start_date": d("2024-05-06"), "hours_per_week": 8},  # started M - 8: out, but in work
]

CONTACTS = [
    ("C0001", "2024-05-09", "Maria Lopez", "in_person", False,
     "Met at the cafe after her first shift; nervous about the till."),
    ("C0002", "2024-05-02", "Maria Lopez", "in_person", False, "Practised interview answers."),
    ("C0003", "2024-04-14", "James Okafor", "in_person", False, "Reviewed the new rota."),  # M - 30
    ("C0004", "2024-04-13", "James Okafor", "in_person", False,  # M - 31
     "Talked about how the early shifts were going."),
    ("C0004", "2024-05-08", "James Okafor", "phone", True, "No answer; left a voicemail."),
    ("C0006", "2024-05-13", "Priya Shah", "phone", False, "Introductory call; keen to start."),
    ("C0007", "2024-04-25", "Maria Lopez", "in_person", False, "Career profile started."),
    ("C0008", "2024-05-01", "Priya Shah", "in_person", False, "Talked about the course timetable."),
    ("C0010", "2024-05-10", "James Okafor", "in_person", False, "Went through the offer letter."),
]

EMPLOYER_CONTACTS = [
    # Maria: 5 in the past week, 4 in person, 2 on behalf of a client.
    ("E0001", "2024-05-07", "Maria Lopez", "in_person", [], "Asked about part-time openings."),
    ("E0004", "2024-05-08", "Maria Lopez", "in_person", ["C0002"], "Dropped off Ben Osei's CV."),
    ("E0002", "2024-05-09", "Maria Lopez", "phone", [], "Follow-up call."),
    ("E0003", "2024-05-10", "Maria Lopez", "in_person", ["C0002"], "Trial shift for Ben."),
    ("E0001", "2024-05-13", "Maria Lopez", "in_person", [], "Met the new store manager."),
    # James: 7 in the past week, 6 in person, 1 on behalf; plus one each side of the week.
    ("E0003", "2024-05-06", "James Okafor", "in_person", [], "Outside the week (M - 8)."),
    ("E0003", "2024-05-07", "James Okafor", "in_person", ["C0004", "C0010"],
     "Talked about Dmitri Novak and Jamal Brown."),
    ("E0001", "2024-05-08", "James Okafor", "in_person", [], "Informational interview."),
    ("E0002", "2024-05-09", "James Okafor", "in_person", [], "Asked about kitchen roles."),
    ("E0004", "2024-05-10", "James Okafor", "in_person", [], "Housekeeping manager."),
    ("E0001", "2024-05-11", "James Okafor", "video", [], "Call with head office."),
    ("E0002", "2024-05-13", "James Okafor", "in_person", [], "Dropped in."),
    ("E0003", "2024-05-13", "James Okafor", "in_person", [], "Warehouse tour."),
    ("E0001", "2024-05-14", "James Okafor", "in_person", [], "Meeting day: not in the week."),
    ("E0004", "2024-04-02", "James Okafor", "in_person", ["C0010"], "First contact for Jamal."),
]


def build_fixture(extra_clients: int = 0) -> None:
    """Write the fixture caseload (and ``extra_clients`` more, each with a history) to the open store."""
    caseloads.write(caseloads.Caseload(
        specialists=[{"name": name, "email": email, "active": active}
                     for name, email, active in SPECIALISTS],
        employers=EMPLOYERS,
        clients=CLIENTS,
        jobs=JOBS,
        client_contacts=[{"client_id": cid, "date": d(when), "specialist": spec, "mode": mode,
                          "location": "community", "attempted": attempted, "notes": notes}
                         for cid, when, spec, mode, attempted, notes in CONTACTS],
        employer_contacts=[{"employer_id": eid, "date": d(when), "specialist": spec, "mode": mode,
                            "client_ids": cids, "notes": notes}
                           for eid, when, spec, mode, cids, notes in EMPLOYER_CONTACTS],
    ))
    specs = [s[0] for s in SPECIALISTS[:3]]
    stages = ["referred", "engaged", "job_search", "employed", "education", "closed"]
    for i in range(extra_clients):  # each written whole before the next, as a caseload of its own
        cid = f"X{i:04d}"
        spec = specs[i % 3]
        caseloads.write(caseloads.Caseload(
            clients=[{
                "client_id": cid, "first_name": "Extra", "last_name": f"Person{i}",
                "specialist": spec, "stage": stages[i % len(stages)],
                "referral_date": M - dt.timedelta(days=i % 20),
                "start_date": M - dt.timedelta(days=10 + i % 40), "discuss": i % 4 == 0,
                "discuss_note": "Extra note" if i % 4 == 0 else None,
                "closed_date": M - dt.timedelta(days=1) if stages[i % len(stages)] == "closed" else None,
            }],
            jobs=[{"client_id": cid, "title": "Helper", "start_date": M - dt.timedelta(days=i % 15),
                   "end_date": M - dt.timedelta(days=i % 5) if i % 3 == 0 else None}],
            client_contacts=[{"client_id": cid, "date": M - dt.timedelta(days=5 + 13 * k),
                              "specialist": spec, "mode": "in_person", "attempted": k == 1}
                             for k in range(3)],
            employer_contacts=[{"employer_id": "E0001", "date": M - dt.timedelta(days=1 + i % 7),
                                "specialist": spec, "mode": "in_person", "client_ids": [cid]}],
        ))


@pytest.fixture
def fixture_db(fresh_location) -> Path | str:
    path = fresh_location("x")
    open_store(path)
    build_fixture()
    yield path
    close_store()


def render(fmt: str, redact: bool = False) -> str:
    agenda = services.agenda(M)
    return agenda_report.render(agenda.redact() if redact else agenda, fmt)


# ------------------------------------------------------------------------------------------------
# Golden files


GOLDEN_CASES = [
    ("md", False, "agenda.md"),
    ("html", False, "agenda.html"),
    ("txt", False, "agenda.txt"),
    ("json", False, "agenda.json"),
    ("md", True, "agenda-redacted.md"),
    ("json", True, "agenda-redacted.json"),
]


@pytest.mark.parametrize(("fmt", "redact", "name"), GOLDEN_CASES, ids=[c[2] for c in GOLDEN_CASES])
def test_golden(fixture_db, fmt, redact, name):
    check_golden("agenda", name, render(fmt, redact))


def test_fixture_agenda_content(fixture_db):
    """The fixture's agenda, section by section (what the golden files should show)."""
    a = services.agenda(M)
    assert (a.period_start, a.period_end) == (d("2024-05-07"), d("2024-05-20"))
    assert [(r.specialist, r.client_id, r.kind, r.status, r.due.isoformat()) for r in a.reminders] == [
        ("James Okafor", "C0004", "after_job_end", "overdue", "2024-05-13"),
        ("James Okafor", "C0003", "monthly", "due", "2024-05-14"),
        ("James Okafor", "C0010", "before_start", "due", "2024-05-20"),
        ("Maria Lopez", "C0001", "weekly", "due", "2024-05-16"),
        ("Maria Lopez", "C0007", "first_employer_contact", "due", "2024-05-18"),
        ("Maria Lopez", "C0002", "before_start", "due", "2024-05-19"),
        ("Priya Shah", "C0008", "after_start", "overdue", "2024-05-09"),
    ]
    assert [(j.client_id, j.job_id) for j in a.job_starts] == [("C0001", "J0001")]
    assert [(j.client_id, j.job_id) for j in a.upcoming_job_starts] == [("C0002", "J0002")]
    assert [(j.client_id, j.job_id, j.end_reason) for j in a.job_ends] == [
        ("C0004", "J0004", "Quit: the early shifts clashed with his medication")]
    assert [(r.client_id, r.met, r.days_since_referral) for r in a.new_referrals] == [
        ("C0005", False, 7), ("C0006", True, 1)]  # C0006 was met on the meeting day
    # C0005, referred a week ago and not met yet, is a new referral, not an outreach case.
    assert [(n.client_id, n.last_contact, n.days_since_contact, n.last_attempt)
            for n in a.no_recent_contact] == [
        ("C0004", d("2024-04-13"), 31, d("2024-05-08")),
    ]
    assert [(e.specialist, e.in_person, e.on_behalf, e.total, e.met_target)
            for e in a.employer_contacts] == [
        ("James Okafor", 6, 1, 7, True),
        ("Maria Lopez", 4, 2, 5, False),
        ("Priya Shah", 0, 0, 0, False),
    ]
    assert [(c.specialist, c.open_clients, c.currently_employed, c.stages) for c in a.caseloads] == [
        ("James Okafor", 3, 1, {"referred": 0, "engaged": 0, "job_search": 2, "employed": 1,
                                "education": 0}),
        ("Maria Lopez", 3, 1, {"referred": 0, "engaged": 1, "job_search": 1, "employed": 1,
                               "education": 0}),
        ("Priya Shah", 3, 1, {"referred": 2, "engaged": 0, "job_search": 0, "employed": 0,
                              "education": 1}),
    ]
    assert [(x.client_id, x.next_step) for x in a.discussion] == [
        ("C0004", "Meet at the library to look at job ads"),
        ("C0001", "Book a benefits planning session"),
        ("C0007", "Visit two cafes with her CV [this week]"),
    ]


# ------------------------------------------------------------------------------------------------
# The formats' promises


def test_json_keys_and_items(fixture_db):
    data = json.loads(render("json"))
    assert list(data) == ["meeting_date", "period_start", "period_end", "reminders", "job_starts",
                          "upcoming_job_starts", "job_ends", "new_referrals", "no_recent_contact",
                          "employer_contacts", "caseloads", "discussion",
                          "no_team_contact"]
    assert (data["meeting_date"], data["period_start"], data["period_end"]) == (
        "2024-05-14", "2024-05-07", "2024-05-20")
    expected = sorted((r.to_dict() for r in services.reminders(M, within=6)),
                      key=lambda r: json.dumps(r, sort_keys=True))
    assert sorted(data["reminders"], key=lambda r: json.dumps(r, sort_keys=True)) == expected
    for key in ("reminders", "job_starts", "upcoming_job_starts", "job_ends", "new_referrals",
                "no_recent_contact", "discussion"):
        assert data[key], key
        assert all("client_id" in item for item in data[key]), key
    for key in ("job_starts", "upcoming_job_starts", "job_ends"):
        assert all(item["job_id"] for item in data[key]), key
    for key in ("employer_contacts", "caseloads"):
        assert all("specialist" in item for item in data[key]), key
    assert data["employer_contacts"][0]["target"] == vocab.EMPLOYER_CONTACTS_PER_WEEK_TARGET
    assert data["caseloads"][0]["target"] == vocab.CASELOAD_TARGET


def test_markdown_is_clean(fixture_db):
    md = render("md")
    lines = md.splitlines()
    assert lines[0] == "# Team meeting agenda: Tuesday 2024-05-14"
    assert "Past week: Tue 2024-05-07 to Mon 2024-05-13" in lines[2]
    assert "Coming week: Tue 2024-05-14 to Mon 2024-05-20" in lines[2]
    headings = [x for x in lines if x.startswith("## ")]
    assert [h.split(" ")[1] for h in headings] == [f"{n}." for n in range(1, 10)]
    # No raw HTML: every < and > of a value is escaped.
    assert not re.search(r"(?<!\\)[<>]", md)
    assert r"Asks about \<night shifts\> & \*weekend\* work \| check with the team" in md
    assert r"Visit two cafes with her CV \[this week\]" in md


@pytest.mark.parametrize("redact", [False, True])
def test_markdown_renders_as_tables_and_lists_without_html(fixture_db, redact):
    markdown_it = pytest.importorskip("markdown_it")
    md = render("md", redact)
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(md)
    kinds = {t.type for t in tokens}
    assert "html_block" not in kinds
    assert all(c.type != "html_inline" for t in tokens for c in (t.children or []))
    assert sum(t.type == "table_open" for t in tokens) == 10  # 3 reminder groups + 7 tables
    assert sum(t.type == "heading_open" and t.tag == "h2" for t in tokens) == 9
    page = markdown_it.MarkdownIt("commonmark").enable("table").render(md)
    if not redact:
        assert "Asks about &lt;night shifts&gt; &amp; *weekend* work | check with the team" in page
        assert "Visit two cafes with her CV [this week]" in page
    # Every table row has as many cells as its header (no value broke a table).
    for line_block in md.split("\n\n"):
        rows = [x for x in line_block.splitlines() if x.startswith("| ")]
        if rows:
            widths = {len(re.split(r"(?<!\\)\|", x)) for x in rows}
            assert len(widths) == 1, line_block


def test_html_is_self_contained_and_escaped(fixture_db):
    page = render("html")
    assert page.startswith("<!DOCTYPE html>")
    assert "@media print" in page
    low = page.lower()
    for banned in ("<script", "<link", "<img", "<iframe", "http:", "https:", "src=", "href=",
                   "url(", "@import"):
        assert banned not in low, banned
    assert "Asks about &lt;night shifts&gt; &amp; *weekend* work | check with the team" in page
    assert "O&#x27;Brien" in page
    assert "<night" not in page


def test_text_fits_80_columns_with_underlined_headings(fixture_db):
    text = render("txt")
    lines = text.splitlines()
    assert max(len(x) for x in lines) <= 80
    assert "\x1b" not in text
    assert lines[0] == "Team meeting agenda: Tuesday 2024-05-14"
    assert lines[1] == "=" * len(lines[0])
    for n in range(1, 9):
        (i,) = [k for k, x in enumerate(lines) if re.match(rf"{n}\. ", x)]
        assert lines[i + 1] == "-" * len(lines[i])


def test_text_wraps_long_values_within_80_columns(fresh_location):
    open_store(fresh_location("x"))
    writes.add_specialist("Maria " + "Lopez" * 30)
    long_id = "C" + "0" * 150
    writes.create_client({"client_id": long_id, "first_name": "Ann", "last_name": "Patel" * 20,
                          "specialist": "Maria " + "Lopez" * 30, "stage": "job_search",
                          "referral_date": M - dt.timedelta(days=1),
                          "discuss": True, "discuss_note": "word " * 60 + "x" * 120})
    writes.create_job({"job_id": "J" * 150, "client_id": long_id, "title": "T" * 150,
                       "start_date": M - dt.timedelta(days=10), "end_date": M - dt.timedelta(days=2),
                       "end_reason": "because " * 30})
    writes.create_job({"job_id": "J2", "client_id": long_id, "title": "Wide 職員" * 10,
                       "start_date": M + dt.timedelta(days=1)})
    text = agenda_report.as_text(services.agenda(M))
    assert max(text_width(x) for x in text.splitlines()) <= 80
    assert "x" * 120 in text.replace("\n", "").replace(" ", "")
    assert long_id in text.replace("\n", "").replace(" ", "")


def test_empty_sections_say_so_in_one_line(fresh_location):
    open_store(fresh_location("x"))
    writes.add_specialist("Maria Lopez")
    agenda = services.agenda(M)
    for fmt in ("md", "txt", "html"):
        out = agenda_report.render(agenda, fmt)
        for sentence in (
            "No follow-along or first employer contacts are overdue or due by Mon 2024-05-20.",
            "No jobs started in the past week.",
            "No jobs start in the coming week.",
            "No jobs ended in the past week.",
            "No new referrals in the past week, and everyone referred has been met.",
            "Every open client was reached in the 30 days up to the meeting day.",
            "No clients are flagged for discussion.",
        ):
            assert sentence in out, (fmt, sentence)
    data = json.loads(agenda_report.render(agenda, "json"))
    assert data["reminders"] == [] and data["discussion"] == []
    assert data["employer_contacts"] == [{"specialist": "Maria Lopez", "in_person": 0, "target": 6,
                                          "met_target": False, "on_behalf": 0, "total": 0}]


def test_render_rejects_unknown_format():
    with pytest.raises(ValueError, match="unknown agenda format"):
        agenda_report.render(Agenda(meeting_date=M), "pdf")


# ------------------------------------------------------------------------------------------------
# Redaction


def _secrets() -> list[str]:
    out = []
    for c in CLIENTS:
        out += [c["last_name"], f"{c['first_name']} {c['last_name']}", c["phone"], c["email"]]
        for key in ("discuss_note", "next_step", "notes", "closed_reason"):
            if c.get(key):
                out.append(c[key])
    out += [j["end_reason"] for j in JOBS if j.get("end_reason")]
    out += [c[5] for c in CONTACTS]
    out += [e[5] for e in EMPLOYER_CONTACTS]
    out += [e["phone"] for e in EMPLOYERS if e.get("phone")]
    out += [e["email"] for e in EMPLOYERS if e.get("email")]
    return out


def _variants(secret: str) -> list[str]:
    """The secret as it could appear in each format (escaped for HTML, Markdown or JSON)."""
    import html as _html

    from ips_tui.reports.markdown import escape as md_escape

    return sorted({secret, _html.escape(secret, quote=True), md_escape(secret),
                   json.dumps(secret)[1:-1], secret.split(";")[0]})


@pytest.mark.parametrize("fmt", agenda_report.FORMATS)
def test_redacted_output_has_no_names_phones_emails_or_notes(fixture_db, fmt):
    out = render(fmt, redact=True)
    flat = " ".join(out.split())  # the text format wraps long values over lines
    for secret in _secrets():
        for variant in _variants(secret):
            assert variant not in out and variant not in flat, (fmt, variant)
    assert "A.P. (C0001)" in out or fmt == "json"
    assert "G.O. (C0007)" in out or fmt == "json"
    assert "Maria Lopez" in out  # specialists' names stay


@pytest.mark.parametrize("fmt", agenda_report.FORMATS)
def test_unredacted_output_shows_names_but_never_phones_emails_or_contact_notes(fixture_db, fmt):
    out = " ".join(render(fmt).split())
    assert "Ann Patel" in out and "Dmitri Novak" in out
    for c in CLIENTS:
        assert c["phone"] not in out and c["email"] not in out
    for contact in CONTACTS:
        assert contact[5] not in out
    assert "Prefers to be called Annie" not in out


def test_redacted_json_uses_initials_in_client_fields(fixture_db):
    data = json.loads(render("json", redact=True))
    clients = [item["client"] for key in ("reminders", "job_starts", "upcoming_job_starts",
                                          "job_ends", "new_referrals", "no_recent_contact",
                                          "discussion") for item in data[key]]
    assert clients and all(re.fullmatch(r"(?:[A-Z]\.)+", c) for c in clients), clients
    assert {r["client"] for r in data["reminders"] if r["client_id"] == "C0001"} == {"A.P."}
    assert all(list(r) == ["client_id", "client", "specialist", "kind", "due", "status", "job_id",
                                   "job", "employer", "planned"]
               for r in data["reminders"])
    assert all("note" not in x and "next_step" not in x for x in data["discussion"])
    assert all("end_reason" not in x for x in data["job_ends"])


# ------------------------------------------------------------------------------------------------
# The command line


def _run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


@pytest.mark.parametrize("fmt", agenda_report.FORMATS)
def test_cli_formats_match_the_renderers(fixture_db, fmt):
    expected = render(fmt)
    result = _run("agenda", "--db", str(fixture_db), "--date", "2024-05-14", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.output == expected


def test_cli_default_format_is_markdown(fixture_db):
    result = _run("agenda", "--db", str(fixture_db), "--date", "2024-05-14")
    assert result.exit_code == 0
    assert result.output == render("md")


def test_cli_output_file_is_owner_only(fixture_db, tmp_path):
    target = tmp_path / "out" / "agenda.html"
    result = _run("agenda", "--db", str(fixture_db), "--date", "2024-05-14", "--format", "html",
                  "--output", str(target))
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == render("html")
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_cli_redact(fixture_db):
    result = _run("agenda", "--db", str(fixture_db), "--date", "2024-05-14", "--format", "txt",
                  "--redact")
    assert result.exit_code == 0
    assert result.output == render("txt", redact=True)
    assert "Patel" not in result.output and "A.P. (C0001)" in result.output


def test_cli_uses_db_from_environment(fixture_db, monkeypatch):
    monkeypatch.setenv("IPS_TUI_DB", str(fixture_db))
    result = _run("agenda", "--date", "2024-05-14", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["meeting_date"] == "2024-05-14"


def test_cli_default_date_is_the_next_meeting_day(fixture_db):
    # 2024-05-15 is a Wednesday: the next Tuesday is 6 days on; a Tuesday is its own meeting day.
    for today, expected in (("2024-05-15", "2024-05-21"), ("2024-05-14", "2024-05-14"),
                            ("2024-05-13", "2024-05-14")):
        result = _run("agenda", "--db", str(fixture_db), "--format", "json", "--today", today)
        assert result.exit_code == 0, result.output
        meeting = d(json.loads(result.output)["meeting_date"])
        assert meeting.weekday() == vocab.DEFAULT_MEETING_WEEKDAY
        assert meeting == d(expected)


def test_cli_relative_date_counts_from_today(fixture_db):
    result = _run("agenda", "--db", str(fixture_db), "--format", "json", "--date", "+1w",
                  "--today", "2024-05-14")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["meeting_date"] == "2024-05-21"


def test_cli_bad_date_and_format(fixture_db):
    result = _run("agenda", "--db", str(fixture_db), "--date", "2024-02-30")
    assert result.exit_code == 2
    assert "not a real date" in result.output
    result = _run("agenda", "--db", str(fixture_db), "--format", "pdf")
    assert result.exit_code == 2


def test_cli_refuses_a_file_that_is_not_a_database(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    result = _run("agenda", "--db", str(bogus), "--date", "2024-05-14")
    assert result.exit_code == 1
    assert "not an ips-tui database" in result.output
    assert bogus.read_text() == "hello"


def test_cli_help_lists_the_options():
    result = _run("agenda", "--help")
    assert result.exit_code == 0
    for option in ("--date", "--format", "--output", "--redact", "--db", "md|html|txt|json"):
        assert option in result.output


# ------------------------------------------------------------------------------------------------
# Queries: a fixed number, whatever the size of the caseload


def _queries_for_agenda() -> int:
    with count_queries() as counter:
        services.agenda(M)
    return counter.count


def test_query_count_does_not_grow_with_clients(fresh_location):
    open_store(fresh_location("small"))
    build_fixture()
    small = _queries_for_agenda()
    close_store()
    open_store(fresh_location("large"))
    build_fixture(extra_clients=60)
    large = _queries_for_agenda()
    assert services.counts()["clients"] == len(CLIENTS) + 60
    assert small == large
    assert small <= 12  # + the plans reminders show, + the team contacts


def test_agenda_inputs_runs_its_stated_number_of_queries(fixture_db):
    from ips_tui.store import agenda_queries

    with count_queries() as counter:
        agenda_queries.agenda_inputs(M)
    assert counter.count == agenda_queries.QUERIES
