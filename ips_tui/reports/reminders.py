"""Reminders (`ips-tui reminders --format table|json|csv|ics`): a terminal table, JSON, CSV
or an iCalendar file (written here: RFC 5545 text escaping and folding, checked by reading it
back with the icalendar package in the tests).

The JSON keys and CSV columns are a contract with other programs: client_id, client,
specialist, kind, due, status, job_id, then (added later, so after them) job (its title),
employer (its employer's name) and planned (the date of the appointment planned for it, or null /
an empty cell).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import click

from ips_tui.domain.agenda import initials_of_name
from ips_tui.domain.reminders import KIND_LABELS, Reminder
from ips_tui.output import replace_controls, terminal_safe
from ips_tui.reports import csv, json

FIELDS = ("client_id", "client", "specialist", "kind", "due", "status", "job_id", "job", "employer",
          "planned")


def as_json(reminders: Sequence[Reminder]) -> str:
    """A JSON array of reminder objects (already sorted by due, client_id, kind), names exactly
    as stored once read (a control character in one is a \\uXXXX escape)."""
    return json.dumps([r.to_dict() for r in reminders])


def as_csv(reminders: Sequence[Reminder]) -> str:
    """CSV with a header row and the same fields as the JSON (no job: an empty cell); a value
    that a spreadsheet would run as a formula gets a leading apostrophe, and a control character
    is a '?'."""
    return csv.records(FIELDS, (r.to_dict() for r in reminders), cell=csv.plain_cell)


def _ics_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped, so a
    name holding a literal backslash-N reads back as those two characters; a control character
    is a '?'."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = replace_controls(value, "?", keep="\n")
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def _ics_line(line: str) -> bytes:
    """One content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character,
    ending in CRLF."""
    lines: list[bytes] = []
    current = b""
    for ch in line:
        octets = ch.encode("utf-8")
        if len(current) + len(octets) > 75:
            lines.append(current)
            current = b" "
        current += octets
    lines.append(current)
    return b"\r\n".join(lines) + b"\r\n"


def as_ics(reminders: Sequence[Reminder], stamp: dt.datetime, names: bool = False,
           alarm: int | None = None) -> bytes:
    """An iCalendar file: one all-day event per reminder, with UIDs stable across runs.

    Calendars usually sync to a cloud service, so an event names its client by initials and
    client id unless ``names`` is given; ``alarm`` adds a reminder that many minutes before the
    day starts."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ips-tui//reminders//EN",
             "CALSCALE:GREGORIAN", "X-WR-CALNAME:IPS follow-along reminders"]
    utc = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for r in reminders:
        what = KIND_LABELS.get(r.kind, r.kind)
        who = r.client if names else initials_of_name(r.client)
        summary = f"{what}: {who} ({r.client_id})"
        description = f"{what} for {who} ({r.client_id})\nSpecialist: {r.specialist}" + (
            f"\nJob: {r.job_name} ({r.job_id})" if r.job_id else "")
        lines += [
            "BEGIN:VEVENT",
            "UID:" + _ics_text(f"{r.client_id}-{r.job_id or 'search'}-{r.kind}-{r.due.isoformat()}@ips-tui"),
            f"DTSTAMP:{utc}",
            f"DTSTART;VALUE=DATE:{r.due.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(r.due + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            "SUMMARY:" + _ics_text(summary),
            "DESCRIPTION:" + _ics_text(description),
            "TRANSP:TRANSPARENT",
        ]
        if alarm is not None:
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:-PT{alarm}M",
                      "DESCRIPTION:" + _ics_text(summary), "END:VALARM"]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return b"".join(_ics_line(line) for line in lines)


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
            if r.planned is not None:
                lines.append(f"  {'':<10}  {'':>5}  {r.planned_label}")
        lines.append("")
    return "\n".join(lines)
