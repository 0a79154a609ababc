"""Reminders (`ips-tui reminders --format table|json|csv|ics`): a terminal table, JSON, CSV
or an iCalendar file.

The JSON keys and CSV columns are a contract with other programs: client_id, client,
specialist, kind, due, status, job_id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import click

from ips_tui.domain.reminders import KIND_LABELS, Reminder
from ips_tui.output import terminal_safe
from ips_tui.reports import csv, json

FIELDS = ("client_id", "client", "specialist", "kind", "due", "status", "job_id")


def as_json(reminders: Sequence[Reminder]) -> str:
    """A JSON array of reminder objects (already sorted by due, client_id, kind), names exactly
    as stored once read (a control character in one is a \\uXXXX escape)."""
    return json.dumps([r.to_dict() for r in reminders])


def as_csv(reminders: Sequence[Reminder]) -> str:
    """CSV with a header row and the same fields as the JSON (no job: an empty cell); a value
    that a spreadsheet would run as a formula gets a leading apostrophe, and a control character
    is a '?'."""
    return csv.records(FIELDS, (r.to_dict() for r in reminders), cell=csv.plain_cell)


def as_ics(reminders: Sequence[Reminder], stamp: dt.datetime) -> bytes:
    """An iCalendar file: one all-day event per reminder, with UIDs stable across runs."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//ips-tui//reminders//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "IPS follow-along reminders")
    for r in reminders:
        event = Event()
        what = KIND_LABELS.get(r.kind, r.kind)
        event.add("uid", f"{r.client_id}-{r.job_id or 'search'}-{r.kind}-{r.due.isoformat()}@ips-tui")
        event.add("dtstamp", stamp)
        event.add("dtstart", r.due)
        event.add("dtend", r.due + dt.timedelta(days=1))
        event.add("summary", f"{what}: {r.client} ({r.client_id})")
        event.add("description", f"{what} contact for {r.client}, specialist {r.specialist}"
                  + (f", job {r.job_id}" if r.job_id else ""))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


def as_table(reminders: Sequence[Reminder], on: dt.date, color: bool) -> str:
    """Overdue first, then due soon, each sorted by due date; fits 80 columns."""
    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if color else text  # type: ignore[arg-type]  # click.style's keyword types are narrower than **kw

    if not reminders:
        return f"No follow-along or job-search contacts are overdue or due soon (as of {on}).\n"
    lines: list[str] = []
    for status, title, colour in (("overdue", "OVERDUE", "red"), ("due", "DUE SOON", "yellow")):
        group = [r for r in reminders if r.status == status]
        if not group:
            continue
        lines.append(style(f"{title} ({len(group)})", fg=colour, bold=True))
        lines.append(f"  {'Due':<10}  {'Days':>5}  {'Client':<24}  {'Kind':<22}  Specialist")
        for r in group:
            days = (r.due - on).days
            rel = f"{days:+d}" if days else "today"
            client = terminal_safe(f"{r.client} ({r.client_id})")[:24]
            lines.append(
                f"  {r.due.isoformat():<10}  {rel:>5}  {client:<24}  "
                f"{KIND_LABELS.get(r.kind, r.kind)[:22]:<22}  {terminal_safe(r.specialist)[:14]}"
            )
        lines.append("")
    return "\n".join(lines)
