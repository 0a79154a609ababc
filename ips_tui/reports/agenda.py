"""The team meeting's agenda (`ips-tui agenda --format md|html|txt|json`): what goes where.

The agenda is laid out once as a :class:`~.model.Document` (:func:`layout`) and written by the
shared writers, so every format says the same thing. A redacted agenda (``Agenda.redact()``)
is laid out without the columns and lines that would hold the free text it no longer has.

The JSON keys are a contract with other programs: ``meeting_date``, ``period_start``,
``period_end``, ``reminders`` (objects as ``Reminder.to_dict()``), ``job_starts``,
``upcoming_job_starts``, ``job_ends``, ``new_referrals``, ``no_recent_contact``,
``employer_contacts``, ``caseloads``, ``discussion``, ``no_team_contact`` (added last).
"""

from __future__ import annotations

from ips_tui import vocab
from ips_tui.domain.agenda import NO_CONTACT_DAYS, NO_TEAM_CONTACT_DAYS, Agenda, JobItem
from ips_tui.domain.facts import job_name
from ips_tui.domain.reminders import KIND_LABELS
from ips_tui.reports import html, json, markdown, text
from ips_tui.reports.format import day, hours, long_day, plural
from ips_tui.reports.layout import report_css
from ips_tui.reports.model import Block, Bullets, Column, Document, Item, Para, Row, Section, Sub, Table

FORMATS: tuple[str, ...] = ("md", "html", "txt", "json")
#: The plain-text format never writes a line wider than this.
TEXT_WIDTH = text.WIDTH

_CSS = report_css(
    own=".period { color: #444; }\n"
        ".notice { border: 1px solid #b36b00; background: #fff4e0; padding: .4rem .6rem; }",
    li_margin=".25rem",
    extra=".label { font-weight: 600; }",
    keep_together="tr, li")


def _who(client: str, client_id: str) -> str:
    return f"{client} ({client_id})"


def _job(item: JobItem) -> str:
    return job_name(item.title, item.employer)


def _job_table(items: tuple[JobItem, ...], ends: bool, redacted: bool) -> Table:
    columns = [Column("Ends" if ends else "Starts", keep=True), Column("Client"),
               Column("Specialist"), Column("Job")]
    if ends and not redacted:
        columns.append(Column("Reason"))
    if not ends:
        columns.append(Column("Hours", numeric=True))
    rows = []
    for j in items:
        cells = [day(j.end_date if ends else j.start_date), _who(j.client, j.client_id),
                 j.specialist, _job(j)]
        if ends and not redacted:
            cells.append(j.end_reason or "not recorded")
        if not ends:
            cells.append(hours(j.hours_per_week))
        rows.append(Row(cells))
    return Table(columns, rows)


def _reminders(a: Agenda) -> list[Block]:
    if not a.reminders:
        return [Para(f"No follow-along or first employer contacts are overdue or due by "
                     f"{day(a.coming_end)}.")]
    overdue = sum(1 for r in a.reminders if r.status == "overdue")
    blocks: list[Block] = [Para(f"{plural(len(a.reminders), 'reminder')}, {overdue} overdue: "
                                f"follow-along and first employer contacts due by "
                                f"{day(a.coming_end)}.")]
    columns = [Column("Due", keep=True), Column("Status", keep=True), Column("Client"),
               Column("Contact"), Column("Job")]
    for spec, rems in a.reminders_by_specialist():
        blocks.append(Sub(f"{spec} ({len(rems)})"))
        blocks.append(Table(columns, [
            Row([day(r.due), "OVERDUE" if r.status == "overdue" else "due",
                 _who(r.client, r.client_id), KIND_LABELS.get(r.kind, r.kind), r.job_name or "-"],
                alert=r.status == "overdue")
            for r in rems]))
    return blocks


def _job_starts(a: Agenda) -> list[Block]:
    return [Sub(f"Past week ({len(a.job_starts)})"),
            _job_table(a.job_starts, False, a.redacted) if a.job_starts
            else Para("No jobs started in the past week."),
            Sub(f"Coming week ({len(a.upcoming_job_starts)})"),
            _job_table(a.upcoming_job_starts, False, a.redacted) if a.upcoming_job_starts
            else Para("No jobs start in the coming week.")]


def _job_ends(a: Agenda) -> list[Block]:
    if not a.job_ends:
        return [Para("No jobs ended in the past week.")]
    return [Para(f"{plural(len(a.job_ends), 'job')} ended in the past week: "
                 "plan the next step with each client."),
            _job_table(a.job_ends, True, a.redacted)]


def _referrals(a: Agenda) -> list[Block]:
    if not a.new_referrals:
        return [Para("No new referrals in the past week, and everyone referred has been met.")]
    rows = []
    for r in a.new_referrals:
        met = "yes" if r.met else (f"not met yet, referred {plural(r.days_since_referral, 'day')} ago"
                                   if r.days_since_referral is not None else "not met yet")
        rows.append(Row([day(r.referral_date) if r.referral_date else "unknown",
                         _who(r.client, r.client_id), r.specialist, vocab.label(r.stage), met],
                        alert=not r.met))
    return [Para("Referred in the past week, and anyone not met yet (no first meeting and no contact "
                 "that reached them)."),
            Table([Column("Referred", keep=True), Column("Client"), Column("Specialist"),
                   Column("Stage"), Column("Met")], rows)]


def _no_contact(a: Agenda) -> list[Block]:
    days = f"{NO_CONTACT_DAYS} days"
    if not a.no_recent_contact:
        return [Para(f"Every open client was reached in the {days} up to the meeting day.")]
    rows = []
    for n in a.no_recent_contact:
        if n.last_contact:
            last = f"{day(n.last_contact)} ({n.days_since_contact} days)"
        elif n.counted_from:
            last = f"never (open {n.days_without_contact} days)"
        else:
            last = "never"
        rows.append(Row([_who(n.client, n.client_id), n.specialist, vocab.label(n.stage), last,
                         day(n.last_attempt) if n.last_attempt else "none"]))
    return [Para(f"{plural(len(a.no_recent_contact), 'open client')} not reached in more than {days} "
                 f"up to the meeting day (attempts do not count; never reached: counted from the "
                 f"start or referral date): assertive outreach needed."),
            Table([Column("Client"), Column("Specialist"), Column("Stage"),
                   Column("Last contact", keep=True), Column("Last attempt", keep=True)], rows)]


def _employer_contacts(a: Agenda) -> list[Block]:
    if not a.employer_contacts:
        return [Para("No active specialists and no employer contacts in the past week.")]
    rows = []
    for e in a.employer_contacts:
        status = "target met" if e.met_target else f"{e.target - e.in_person} short"
        rows.append(Row([e.specialist, str(e.in_person), status, str(e.on_behalf), str(e.total)],
                        alert=not e.met_target))
    return [Para(f"Past week, {day(a.past_start)} to {day(a.past_end)}. Target: "
                 f"{vocab.EMPLOYER_CONTACTS_PER_WEEK_TARGET} in-person employer contacts a week "
                 f"per specialist. For a client: contacts on behalf of a named client."),
            Table([Column("Specialist"), Column("In person", numeric=True),
                   Column("Against target"), Column("For a client", numeric=True),
                   Column("All", numeric=True)], rows)]


def _caseloads(a: Agenda) -> list[Block]:
    if not a.caseloads:
        return [Para("No active specialists and no open clients.")]
    rows = []
    for c in a.caseloads:
        stages = ", ".join(f"{vocab.label(s)} {n}" for s, n in c.by_stage if n) or "none"
        open_text = f"{c.open_clients} (over {c.target})" if c.over_target else str(c.open_clients)
        rows.append(Row([c.specialist, open_text, str(c.currently_employed), stages],
                        alert=c.over_target))
    return [Para(f"Open clients on {day(a.meeting_date)}; target: at most "
                 f"{vocab.CASELOAD_TARGET} per specialist. In work: holding a job that day."),
            Table([Column("Specialist"), Column("Open", numeric=True),
                   Column("In work", numeric=True), Column("By stage")], rows)]


def _discussion(a: Agenda) -> list[Block]:
    if not a.discussion:
        return [Para("No clients are flagged for discussion.")]
    items = []
    for d in a.discussion:
        details: list[tuple[str, str]] = []
        if not a.redacted:
            details.append(("Note", d.note or "none written"))
            if d.next_step:
                details.append(("Next step", d.next_step))
        items.append(Item(f"{_who(d.client, d.client_id)}: {d.specialist}, "
                          f"{vocab.label(d.stage)}", tuple(details)))
    return [Bullets(items, strong=True)]


def _team_contact(a: Agenda) -> list[Block]:
    days = f"{NO_TEAM_CONTACT_DAYS} days"
    if not a.no_team_contact:
        return [Para(f"Every open client with a practitioner was discussed with their team in "
                     f"the {days} up to the meeting day.")]
    rows = []
    for t in a.no_team_contact:
        last = (f"{day(t.last_team_contact)} ({t.days_since} days)" if t.last_team_contact
                else "never")
        cells = [_who(t.client, t.client_id), t.specialist]
        if not a.redacted:
            cells.append(t.practitioner or "")
        rows.append(Row([*cells, last]))
    columns = [Column("Client"), Column("Specialist")]
    if not a.redacted:
        columns.append(Column("Practitioner"))
    return [Para(f"{plural(len(a.no_team_contact), 'open client')} with a practitioner, not "
                 f"discussed with their mental-health team in more than {days}."),
            Table([*columns, Column("Last discussed", keep=True)], rows)]


def layout(agenda: Agenda) -> Document:
    """The agenda as numbered sections of paragraphs, tables and bullet lists."""
    a = agenda
    intro = [Para(f"Past week: {day(a.past_start)} to {day(a.past_end)}. "
                  f"Coming week: {day(a.coming_start)} to {day(a.coming_end)}.", cls="period")]
    if a.redacted:
        intro.append(Para("Redacted copy: clients are shown by initials and id; notes, next "
                          "steps and job end reasons are left out.", cls="notice", em=True))
    return Document(f"Team meeting agenda: {long_day(a.meeting_date)}", intro, [
        Section("Reminders: follow-along and first employer contacts", _reminders(a)),
        Section("Job starts", _job_starts(a)),
        Section("Job ends: plan the next step", _job_ends(a)),
        Section("New referrals", _referrals(a)),
        Section(f"No contact in {NO_CONTACT_DAYS} days: assertive outreach", _no_contact(a)),
        Section("Employer contacts in the past week", _employer_contacts(a)),
        Section("Caseloads", _caseloads(a)),
        Section("For discussion", _discussion(a)),
        Section("Mental-health team: not discussed in 30 days", _team_contact(a)),
    ])


def as_markdown(agenda: Agenda) -> str:
    """Clean Markdown for a document or an email: headings, tables and bullet lists."""
    return markdown.render(layout(agenda))


def as_html(agenda: Agenda) -> str:
    """One self-contained printable page: inline CSS, no scripts, links or outside assets."""
    return html.render(layout(agenda), _CSS)


def as_text(agenda: Agenda, width: int = TEXT_WIDTH) -> str:
    """Plain text for a terminal or a notice board: underlined headings, at most ``width`` columns."""
    return text.render(layout(agenda), width)


def as_json(agenda: Agenda) -> str:
    """The structured agenda (``Agenda.to_dict()``) as indented JSON."""
    return json.dumps(agenda.to_dict())


def render(agenda: Agenda, fmt: str) -> str:
    """The agenda in one of :data:`FORMATS`."""
    writers = {"md": as_markdown, "html": as_html, "txt": as_text, "json": as_json}
    try:
        writer = writers[fmt]
    except KeyError:
        raise ValueError(f"unknown agenda format '{fmt}'; choose from {', '.join(FORMATS)}") from None
    return writer(agenda)
