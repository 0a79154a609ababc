"""Appointments (`ips-tui appointments --format table|json|csv|ics`) and the day's list
(`ips-tui today`).

JSON keys and CSV columns (a contract): id, client_id, client, date, time, mode, location,
specialist, status, notes. In iCalendar an appointment with a time is a timed event in the
computer's local time zone, described by its VTIMEZONE (built here from the zone's rules over
the years the events span), and one without a time an all-day event; the text escaping and line
folding are reminders' (:mod:`ips_tui.reports.reminders`), and events name their client by
initials and client id unless ``names`` is given (calendars usually sync to a cloud service).
Notes never go into a calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from ips_tui import vocab
from ips_tui.domain.agenda import initials_of_name
from ips_tui.domain.reminders import KIND_LABELS, Reminder
from ips_tui.output import terminal_safe
from ips_tui.records import AppointmentRow, Day
from ips_tui.reports import csv, json
from ips_tui.reports.reminders import _ics_line, _ics_text

FIELDS = AppointmentRow.FIELDS
#: How long a timed event lasts in a calendar (appointments record a start only).
EVENT_MINUTES = 60


def to_dict(row: AppointmentRow) -> dict[str, Any]:
    """An appointment as JSON-ready values (the contract's keys, dates as YYYY-MM-DD)."""
    return row.to_dict()


def as_json(rows: Sequence[AppointmentRow]) -> str:
    """A JSON array of appointments, by date and time."""
    return json.dumps([to_dict(r) for r in rows])


def as_csv(rows: Sequence[AppointmentRow]) -> str:
    """CSV with a header row and the JSON's fields (spreadsheet formulas neutralised)."""
    return csv.records(FIELDS, (to_dict(r) for r in rows), cell=csv.plain_cell)


def as_table(rows: Sequence[AppointmentRow], start: dt.date, end: dt.date) -> str:
    """One line an appointment, grouped by day; fits 80 columns."""
    if not rows:
        return f"No appointments from {start} to {end}.\n"
    lines: list[str] = []
    day: dt.date | None = None
    for r in rows:
        if r.date != day:
            if day is not None:
                lines.append("")
            day = r.date
            lines.append(f"{r.date:%a} {r.date.isoformat()}")
        client = terminal_safe(f"{r.client} ({r.client_id})")[:26]
        where = terminal_safe(r.location or "")[:14]
        status = "" if r.status == "planned" else r.status.upper()
        lines.append(f"  {r.time or '--:--':<5}  {client:<26}  {vocab.label(r.mode)[:9]:<9}  "
                     f"{where:<14}  {terminal_safe(r.specialist)[:10]:<10} {status}".rstrip())
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- iCalendar

def _offset(delta: dt.timedelta | None) -> str:
    minutes = int((delta or dt.timedelta()).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _transitions(zone: dt.tzinfo, first: int, last: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """Each change of ``zone``'s UTC offset in the years [first, last]: (the last UTC minute
    before it, the first UTC minute of the new offset)."""
    def offset(at: dt.datetime) -> dt.timedelta | None:
        return at.astimezone(zone).utcoffset()

    found = []
    at = dt.datetime(first, 1, 1, tzinfo=dt.UTC)
    stop = dt.datetime(last + 1, 1, 1, tzinfo=dt.UTC)
    step = dt.timedelta(days=1)
    while at < stop:
        after = at + step
        if offset(at) != offset(after):
            low, high = at, after  # offset(low) != offset(high): narrow to the minute
            while high - low > dt.timedelta(minutes=1):
                middle = low + (high - low) / 2
                middle = middle.replace(second=0, microsecond=0)
                if middle <= low:
                    break
                if offset(middle) == offset(low):
                    low = middle
                else:
                    high = middle
            found.append((low, high))
        at = after
    return found


def vtimezone(zone: dt.tzinfo, tzid: str, first: int, last: int) -> list[str]:
    """The VTIMEZONE lines of ``zone`` for events in the years [first, last]: the observance in
    force on 1 January of ``first``, then one per change of offset (each with its DTSTART in the
    local time it replaces, RFC 5545 3.6.5)."""
    def observance(at: dt.datetime, before: dt.datetime) -> list[str]:
        local = at.astimezone(zone)
        kind = "DAYLIGHT" if local.dst() else "STANDARD"
        wall = (at + (before.astimezone(zone).utcoffset() or dt.timedelta())).replace(tzinfo=None)
        return [f"BEGIN:{kind}", f"DTSTART:{wall:%Y%m%dT%H%M%S}",
                f"TZOFFSETFROM:{_offset(before.astimezone(zone).utcoffset())}",
                f"TZOFFSETTO:{_offset(local.utcoffset())}",
                "TZNAME:" + _ics_text(local.tzname() or tzid), f"END:{kind}"]

    start = dt.datetime(first, 1, 1, tzinfo=dt.UTC)
    lines = ["BEGIN:VTIMEZONE", "TZID:" + _ics_text(tzid)]
    lines += observance(start, start)
    for before, at in _transitions(zone, first, last):
        lines += observance(at, before)
    lines.append("END:VTIMEZONE")
    return lines


def local_zone() -> tuple[dt.tzinfo, str]:
    """The computer's time zone and its name (pendulum reads TZ, /etc/localtime, ...)."""
    from pendulum.tz import local_timezone

    zone = local_timezone()
    key = zone.key if isinstance(zone, ZoneInfo) else None
    return zone, str(key or getattr(zone, "name", None) or "UTC")


def as_ics(rows: Sequence[AppointmentRow], stamp: dt.datetime, names: bool = False,
           zone: tuple[dt.tzinfo, str] | None = None) -> bytes:
    """An iCalendar file: a timed event (in ``zone``, default the computer's) per appointment
    with a time, an all-day event per one without; UIDs stable across runs; cancelled ones
    marked CANCELLED."""
    tz, tzid = zone or local_zone()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ips-tui//appointments//EN",
             "CALSCALE:GREGORIAN", "X-WR-CALNAME:IPS appointments"]
    timed = [r for r in rows if r.time]
    if timed:
        lines += vtimezone(tz, tzid, min(r.date.year for r in timed), max(r.date.year for r in timed))
    utc = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for r in rows:
        who = r.client if names else initials_of_name(r.client)
        summary = f"{vocab.label(r.mode)} with {who} ({r.client_id})"
        lines += ["BEGIN:VEVENT", f"UID:appointment-{r.id}@ips-tui", f"DTSTAMP:{utc}"]
        if r.time:
            hour, minute = (int(p) for p in r.time.split(":"))
            start = dt.datetime.combine(r.date, dt.time(hour, minute))
            end = start + dt.timedelta(minutes=EVENT_MINUTES)
            lines += [f"DTSTART;TZID={_ics_text(tzid)}:{start:%Y%m%dT%H%M%S}",
                      f"DTEND;TZID={_ics_text(tzid)}:{end:%Y%m%dT%H%M%S}"]
        else:
            lines += [f"DTSTART;VALUE=DATE:{r.date:%Y%m%d}",
                      f"DTEND;VALUE=DATE:{r.date + dt.timedelta(days=1):%Y%m%d}"]
        lines += ["SUMMARY:" + _ics_text(summary),
                  "DESCRIPTION:" + _ics_text(f"{summary}\nSpecialist: {r.specialist}")]
        if r.location:
            lines.append("LOCATION:" + _ics_text(r.location))
        lines.append("STATUS:" + ("CANCELLED" if r.status == "cancelled" else "CONFIRMED"))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return b"".join(_ics_line(line) for line in lines)


# ---------------------------------------------------------------- the day (ips-tui today)

def today_json(day: Mapping[str, Any]) -> str:
    """The day as JSON: ``date`` and the lists ``appointments``, ``reminders``,
    ``awaiting_outcome``, ``flagged``, each object carrying ``client_id`` and ``client``."""
    return json.dumps(day)


def today_table(day: Day) -> str:
    """The day as text for a terminal (80 columns). A follow-along reminder names its job on
    the line below it, as a reminder's calendar event does ("Job: Barista at Maple Cafe
    (J0001)")."""
    out = [f"Today, {day.date.isoformat()}", ""]

    def section(title: str, items: Sequence[Any], line: Callable[[Any], list[str]]) -> None:
        out.append(f"{title} ({len(items)})")
        if not items:
            out.append("  (none)")
        for item in items:
            out.extend("  " + terminal_safe(text)[:76] for text in line(item))
        out.append("")

    def appointment(a: AppointmentRow, where: bool) -> list[str]:
        text = (f"{a.date.isoformat()} {a.time or '--:--'}  {a.client} ({a.client_id})  "
                f"{vocab.label(a.mode)}")
        return [f"{text}  {a.location or ''}".rstrip() if where else text]

    def reminder(r: Reminder) -> list[str]:
        first = (f"{r.due.isoformat()} {r.status.upper():<7}  {r.client} ({r.client_id})  "
                 f"{KIND_LABELS.get(r.kind, r.kind)}"
                 + (f"  planned {r.planned.isoformat()}" if r.planned else ""))
        return [first, f"  Job: {r.job_name} ({r.job_id})"] if r.job_id else [first]

    section("Appointments today and tomorrow", day.appointments, lambda a: appointment(a, True))
    section("Reminders overdue or due today", day.reminders, reminder)
    section("Waiting for an outcome", day.awaiting_outcome, lambda a: appointment(a, False))
    section("Flagged for the team meeting", day.flagged,
            lambda f: [f"{f.client} ({f.client_id})  {f.note or ''}".rstrip()])
    return "\n".join(out)
