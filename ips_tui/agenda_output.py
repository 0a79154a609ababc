"""The team meeting's agenda as Markdown, a printable HTML page, plain text or JSON.

The formats of `ips-tui agenda --format md|html|txt|json`. The three documents are laid out
once, as a list of numbered sections made of paragraphs, tables and bullet lists
(:func:`layout`), then written out by one small writer per format, so they always say the
same thing. Nothing here queries the store: an :class:`~ips_tui.domain.agenda.Agenda` goes in,
text comes out. Every value is made safe for its format (Markdown escaping, HTML escaping,
no control characters); a redacted agenda (``Agenda.redact()``) is written without the columns
and lines that would hold the free text it no longer has.

The JSON keys are a contract with other programs: ``meeting_date``, ``period_start``,
``period_end``, ``reminders`` (objects as ``Reminder.to_dict()``), ``job_starts``,
``upcoming_job_starts``, ``job_ends``, ``new_referrals``, ``no_recent_contact``,
``employer_contacts``, ``caseloads``, ``discussion``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from ips_tui import vocab
from ips_tui.domain.agenda import Agenda, JobItem
from ips_tui.domain.reminders import KIND_LABELS
from ips_tui.output import terminal_safe
from ips_tui.text_layout import (
    GAP,
    draw_table,
    html_page_start,
    html_table,
    html_text,
    report_css,
    text_width,
    wrap,
)
from ips_tui.text_layout import one_line as _one_line

FORMATS: tuple[str, ...] = ("md", "html", "txt", "json")
#: The plain-text format never writes a line wider than this.
TEXT_WIDTH = 80

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_LONG_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# ---------------------------------------------------------------- the layout all formats share


@dataclass
class Para:
    text: str


@dataclass
class Sub:
    """A subheading inside a section."""

    text: str


@dataclass
class Row:
    cells: list[str]
    alert: bool = False  # something overdue or short of a target


@dataclass
class Table:
    headers: list[str]
    rows: list[Row]
    numeric: set[int] = field(default_factory=set)  # right-aligned columns
    keep: set[int] = field(default_factory=set)  # columns plain text never wraps (dates, ids)


@dataclass
class Item:
    head: str
    details: list[tuple[str, str]] = field(default_factory=list)  # (label, text)


@dataclass
class Bullets:
    items: list[Item]


Block = Para | Sub | Table | Bullets


@dataclass
class Section:
    number: int
    title: str
    blocks: list[Block]


@dataclass
class Document:
    title: str
    period: str
    notice: str | None
    sections: list[Section]


def day(d: dt.date | None) -> str:
    """``Tue 2024-05-14`` (English day names whatever the locale), or '' for None."""
    if d is None:
        return ""
    return f"{_DAY_NAMES[d.weekday()]} {d.isoformat()}"


def _who(client: str, client_id: str) -> str:
    return f"{client} ({client_id})"


def _job(item: JobItem) -> str:
    at = f" at {item.employer}" if item.employer else ""
    return f"{item.title}{at} ({item.job_id})"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _hours(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def layout(agenda: Agenda) -> Document:
    """The agenda as numbered sections of paragraphs, tables and bullet lists."""
    a = agenda
    sections: list[Section] = []

    def section(title: str, blocks: list[Block]) -> None:
        sections.append(Section(len(sections) + 1, title, blocks))

    def job_table(items: tuple[JobItem, ...], ends: bool) -> Table:
        headers = ["Ends" if ends else "Starts", "Client", "Specialist", "Job"]
        if ends and not a.redacted:
            headers.append("Reason")
        if not ends:
            headers.append("Hours")
        rows = []
        for j in items:
            cells = [day(j.end_date if ends else j.start_date), _who(j.client, j.client_id),
                     j.specialist, _job(j)]
            if ends and not a.redacted:
                cells.append(j.end_reason or "not recorded")
            if not ends:
                cells.append(_hours(j.hours_per_week))
            rows.append(Row(cells))
        return Table(headers, rows, numeric={4} if not ends else set(), keep={0})

    # 1. Reminders, grouped by specialist.
    blocks: list[Block] = []
    if not a.reminders:
        blocks.append(Para(f"No follow-along or first employer contacts are overdue or due by "
                           f"{day(a.coming_end)}."))
    else:
        overdue = sum(1 for r in a.reminders if r.status == "overdue")
        blocks.append(Para(f"{_plural(len(a.reminders), 'reminder')}, {overdue} overdue: "
                           f"follow-along and first employer contacts due by {day(a.coming_end)}."))
        for spec, rems in a.reminders_by_specialist():
            blocks.append(Sub(f"{spec} ({len(rems)})"))
            blocks.append(Table(
                ["Due", "Status", "Client", "Contact", "Job"],
                [Row([day(r.due), "OVERDUE" if r.status == "overdue" else "due",
                      _who(r.client, r.client_id), KIND_LABELS.get(r.kind, r.kind), r.job_id or "-"],
                     alert=r.status == "overdue")
                 for r in rems],
                keep={0, 1, 4},
            ))
    section("Reminders: follow-along and first employer contacts", blocks)

    # 2. Job starts.
    blocks = [Sub(f"Past week ({len(a.job_starts)})")]
    blocks.append(job_table(a.job_starts, ends=False) if a.job_starts
                  else Para("No jobs started in the past week."))
    blocks.append(Sub(f"Coming week ({len(a.upcoming_job_starts)})"))
    blocks.append(job_table(a.upcoming_job_starts, ends=False) if a.upcoming_job_starts
                  else Para("No jobs start in the coming week."))
    section("Job starts", blocks)

    # 3. Job ends.
    if a.job_ends:
        blocks = [Para(f"{_plural(len(a.job_ends), 'job')} ended in the past week: "
                       "plan the next step with each client."), job_table(a.job_ends, ends=True)]
    else:
        blocks = [Para("No jobs ended in the past week.")]
    section("Job ends: plan the next step", blocks)

    # 4. New referrals.
    if a.new_referrals:
        blocks = [Table(["Referred", "Client", "Specialist", "Stage"],
                        [Row([day(r.referral_date), _who(r.client, r.client_id), r.specialist,
                              vocab.label(r.stage)]) for r in a.new_referrals], keep={0})]
    else:
        blocks = [Para("No new referrals in the past week.")]
    section("New referrals", blocks)

    # 5. No recent contact.
    if a.no_recent_contact:
        rows = []
        for n in a.no_recent_contact:
            last = (f"{day(n.last_contact)} ({n.days_since_contact} days)"
                    if n.last_contact else "never")
            rows.append(Row([_who(n.client, n.client_id), n.specialist, vocab.label(n.stage), last,
                             day(n.last_attempt) if n.last_attempt else "none"]))
        blocks = [Para(f"{_plural(len(a.no_recent_contact), 'open client')} not reached in the "
                       f"30 days before the meeting (attempts do not count): assertive outreach "
                       f"needed."),
                  Table(["Client", "Specialist", "Stage", "Last contact", "Last attempt"], rows,
                        keep={3, 4})]
    else:
        blocks = [Para("Every open client was reached in the 30 days before the meeting.")]
    section("No contact in 30 days: assertive outreach", blocks)

    # 6. Employer contacts.
    target = vocab.EMPLOYER_CONTACTS_PER_WEEK_TARGET
    if a.employer_contacts:
        rows = []
        for e in a.employer_contacts:
            short = e.target - e.in_person
            status = "target met" if e.met_target else f"{short} short"
            rows.append(Row([e.specialist, str(e.in_person), status, str(e.on_behalf), str(e.total)],
                            alert=not e.met_target))
        blocks = [Para(f"Past week, {day(a.past_start)} to {day(a.past_end)}. Target: "
                       f"{target} in-person employer contacts a week per specialist. For a "
                       f"client: contacts on behalf of a named client."),
                  Table(["Specialist", "In person", "Against target", "For a client", "All"], rows,
                        numeric={1, 3, 4})]
    else:
        blocks = [Para("No active specialists and no employer contacts in the past week.")]
    section("Employer contacts in the past week", blocks)

    # 7. Caseloads.
    if a.caseloads:
        rows = []
        for c in a.caseloads:
            stages = ", ".join(f"{vocab.label(s)} {n}" for s, n in c.by_stage if n) or "none"
            open_text = f"{c.open_clients} (over {c.target})" if c.over_target else str(c.open_clients)
            rows.append(Row([c.specialist, open_text, str(c.currently_employed), stages],
                            alert=c.over_target))
        blocks = [Para(f"Open clients on {day(a.meeting_date)}; target: at most "
                       f"{vocab.CASELOAD_TARGET} per specialist. In work: holding a job that day."),
                  Table(["Specialist", "Open", "In work", "By stage"], rows, numeric={1, 2})]
    else:
        blocks = [Para("No active specialists and no open clients.")]
    section("Caseloads", blocks)

    # 8. Discussion.
    if a.discussion:
        items = []
        for d in a.discussion:
            details = []
            if not a.redacted:
                details.append(("Note", d.note or "none written"))
                if d.next_step:
                    details.append(("Next step", d.next_step))
            items.append(Item(f"{_who(d.client, d.client_id)}: {d.specialist}, "
                              f"{vocab.label(d.stage)}", details))
        blocks = [Bullets(items)]
    else:
        blocks = [Para("No clients are flagged for discussion.")]
    section("For discussion", blocks)

    m = a.meeting_date
    return Document(
        title=f"Team meeting agenda: {_LONG_DAY_NAMES[m.weekday()]} {m.isoformat()}",
        period=(f"Past week: {day(a.past_start)} to {day(a.past_end)}. "
                f"Coming week: {day(a.coming_start)} to {day(a.coming_end)}."),
        notice=("Redacted copy: clients are shown by initials and id; notes, next steps "
                "and job end reasons are left out." if a.redacted else None),
        sections=sections,
    )


# ---------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def md_escape(text: object) -> str:
    """A value as Markdown text that renders as itself (no emphasis, links, HTML or table breaks)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", _one_line(text))
    return _MD_ENTITY.sub(r"\\&", escaped)


def as_markdown(agenda: Agenda) -> str:
    """Clean Markdown for a document or an email: headings, tables and bullet lists."""
    doc = layout(agenda)
    out = [f"# {md_escape(doc.title)}", "", md_escape(doc.period), ""]
    if doc.notice:
        out += [f"*{md_escape(doc.notice)}*", ""]
    for s in doc.sections:
        out += [f"## {s.number}. {md_escape(s.title)}", ""]
        for block in s.blocks:
            if isinstance(block, Para):
                out += [md_escape(block.text), ""]
            elif isinstance(block, Sub):
                out += [f"### {md_escape(block.text)}", ""]
            elif isinstance(block, Table):
                out.append("| " + " | ".join(md_escape(h) for h in block.headers) + " |")
                out.append("| " + " | ".join("---:" if i in block.numeric else "---"
                                             for i in range(len(block.headers))) + " |")
                for row in block.rows:
                    out.append("| " + " | ".join(md_escape(c) for c in row.cells) + " |")
                out.append("")
            else:
                for item in block.items:
                    out.append(f"- **{md_escape(item.head)}**")
                    for label, text in item.details:
                        out.append(f"  - {md_escape(label)}: {md_escape(text)}")
                out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------- HTML

_CSS = report_css(
    own=".period { color: #444; }\n"
        ".notice { border: 1px solid #b36b00; background: #fff4e0; padding: .4rem .6rem; }",
    li_margin=".25rem",
    extra=".label { font-weight: 600; }",
    keep_together="tr, li")


_h = html_text


def as_html(agenda: Agenda) -> str:
    """One self-contained printable page: inline CSS, no scripts, links or outside assets."""
    doc = layout(agenda)
    out = [
        *html_page_start(doc.title, _CSS),
        f'<p class="period">{_h(doc.period)}</p>',
    ]
    if doc.notice:
        out.append(f'<p class="notice">{_h(doc.notice)}</p>')
    for s in doc.sections:
        out.append(f'<section id="section-{s.number}">')
        out.append(f"<h2>{s.number}. {_h(s.title)}</h2>")
        for block in s.blocks:
            if isinstance(block, Para):
                out.append(f"<p>{_h(block.text)}</p>")
            elif isinstance(block, Sub):
                out.append(f"<h3>{_h(block.text)}</h3>")
            elif isinstance(block, Table):
                out += html_table(block.headers, [r.cells for r in block.rows], block.numeric,
                                  {k for k, r in enumerate(block.rows) if r.alert})
            else:
                out.append("<ul>")
                for item in block.items:
                    details = "".join(
                        f'<br><span class="label">{_h(label)}:</span> {_h(text)}'
                        for label, text in item.details
                    )
                    out.append(f"<li><strong>{_h(item.head)}</strong>{details}</li>")
                out.append("</ul>")
        out.append("</section>")
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- plain text


def _text_table(table: Table, width: int) -> list[str]:
    headers = [_one_line(h) for h in table.headers]
    rows = [[_one_line(c) for c in r.cells] for r in table.rows]
    n = len(headers)
    natural = [max([text_width(headers[i])] + [text_width(r[i]) for r in rows]) for i in range(n)]

    def longest_word(i: int) -> int:
        cell_words = [text_width(w) for r in rows for w in r[i].split()] or [0]
        head_words = [text_width(w) for w in headers[i].split()] or [0]
        return max(6, max(head_words), min(max(cell_words), 20))

    # Columns narrow one step at a time, each step where it adds the fewest lines to the
    # table, then to its own cells, then where there is most room. First never below a
    # column's longest word (up to 20 columns) and never wrapping dates, ids and numbers; then,
    # if the table still does not fit, those too; last, down to 4 columns each.
    soft = [min(natural[i], longest_word(i)) for i in range(n)]
    floors = [
        [natural[i] if i in table.keep or i in table.numeric else soft[i] for i in range(n)],
        soft,
        [min(natural[i], 4) for i in range(n)],
    ]
    widths = list(natural)
    available = width - GAP * (n - 1)
    cells_by_column = [[headers[i]] + [r[i] for r in rows] for i in range(n)]
    cache: dict[tuple[int, int], list[int]] = {}

    def heights(i: int, w: int) -> list[int]:
        if (i, w) not in cache:
            cache[(i, w)] = [len(wrap(c, w)) for c in cells_by_column[i]]
        return cache[(i, w)]

    def total_lines(ws: list[int]) -> int:
        columns = [heights(i, ws[i]) for i in range(n)]
        return sum(max(col[k] for col in columns) for k in range(len(rows) + 1))

    def cost(i: int) -> tuple[int, int, float, int]:
        trial = widths[:i] + [widths[i] - 1] + widths[i + 1:]
        more_cell_lines = sum(heights(i, widths[i] - 1)) - sum(heights(i, widths[i]))
        return (total_lines(trial), more_cell_lines, -widths[i] / natural[i], -widths[i])

    for floor in floors:
        while sum(widths) > available:
            candidates = [i for i in range(n) if widths[i] > floor[i]]
            if not candidates:
                break
            widths[min(candidates, key=cost)] -= 1
    return draw_table(headers, rows, widths, table.numeric)


def as_text(agenda: Agenda, width: int = TEXT_WIDTH) -> str:
    """Plain text for a terminal or a notice board: underlined headings, at most ``width`` columns."""
    doc = layout(agenda)

    def heading(text: str, rule: str) -> list[str]:
        lines = wrap(_one_line(text), width)
        return lines + [rule * min(max(text_width(x) for x in lines), width)]

    def para(text: str, indent: int = 0) -> list[str]:
        return [" " * indent + line for line in wrap(_one_line(text), width - indent)]

    out = heading(doc.title, "=") + [""] + para(doc.period) + [""]
    if doc.notice:
        out += para(doc.notice) + [""]
    for s in doc.sections:
        out += heading(f"{s.number}. {s.title}", "-") + [""]
        for block in s.blocks:
            if isinstance(block, Para):
                out += para(block.text) + [""]
            elif isinstance(block, Sub):
                out += heading(block.text, "~") + [""]
            elif isinstance(block, Table):
                out += _text_table(block, width) + [""]
            else:
                for item in block.items:
                    lines = wrap(_one_line(item.head), width - 2)
                    out.append("* " + lines[0])
                    out += ["  " + line for line in lines[1:]]
                    for label, text in item.details:
                        out += para(f"{label}: {text}", indent=4)
                out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------- JSON, and the dispatcher


def as_json(agenda: Agenda) -> str:
    """The structured agenda (``Agenda.to_dict()``) as indented JSON."""
    return terminal_safe(json.dumps(agenda.to_dict(), indent=2, ensure_ascii=False)) + "\n"


def render(agenda: Agenda, fmt: str) -> str:
    """The agenda in one of :data:`FORMATS`."""
    writers = {"md": as_markdown, "html": as_html, "txt": as_text, "json": as_json}
    try:
        writer = writers[fmt]
    except KeyError:
        raise ValueError(f"unknown agenda format '{fmt}'; choose from {', '.join(FORMATS)}") from None
    return writer(agenda)
