"""Follow-along and rapid-job-search reminders, computed from plain facts.

This module provides the reminder rules of the caseload: given the clients, their jobs, their
contacts and the date of each client's first employer contact, :func:`compute_reminders` lists
what is overdue or coming due on a given day. It is pure: no database, no clock (the day asked
about is always passed in as ``on``), and it runs in linear time in the number of inputs.

The rules (a contract; every window below ends on ``on``, and contacts dated after ``on``
never count). A *qualifying contact* is a client contact that reached the person (not
``attempted``) in one of the follow-along ``modes`` (default: in person only). For each job of
a client whose stage is not ``closed``, with S = job start:

* ``after_job_end`` -- the job ended (end date E < on): due E + 3 days, unless a qualifying
  contact is dated in [E, on]. Follow-along for the job itself stops.
* ``before_start`` -- on < S <= on + 7 days: due S - 1 day, unless a qualifying contact is
  dated in [S - 7 days, on].
* S <= on: with L the latest qualifying contact dated in [S, on]:
  ``after_start`` due S + 3 days when there is no L; ``weekly`` due L + 7 days while
  L + 7 days <= S + 1 month; ``monthly`` due L + 1 month after that.

And for rapid job search, ``first_employer_contact`` -- a client not closed or in education,
with a start date, no job starting on or before ``on`` and no employer contact on their behalf
dated on or before ``on``: due start date + ``FIRST_EMPLOYER_CONTACT_DAYS`` days.

A reminder is ``overdue`` when due < on and ``due`` when on <= due <= on + ``within`` days;
later reminders are not listed. Months are calendar months clamped to the month end (as pendulum does).

Plans (``plans``: the client's appointments) never change a reminder's status: an overdue
contact stays overdue until it happens. A reminder shows the client's earliest appointment
still ``planned`` and dated on or after ``on`` and on or before the due date (``planned``, with
its time in ``planned_time``); an overdue reminder, whose due date has passed, shows the
earliest appointment planned from ``on`` on. A cancelled, done or missed appointment shows on
no reminder.

:func:`follow_along` is the rule for one job on one day; the fidelity scale's follow-along item
(:mod:`ips_tui.domain.follow_along_replay`) replays it day by day, starting
:data:`FOLLOW_ALONG_LEAD_DAYS` before a period, and the store reads the jobs it needs up to
:func:`last_start_due_by`. So a new reminder kind or window is a change to this module, its
labels (:data:`KIND_LABELS`) and its tests, and nothing else.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from ips_tui.domain.facts import Appointment, Client, ClientContact, Job, plain_date
from ips_tui.domain.facts import job_name as name_of_job
from ips_tui.domain.json_values import json_fields
from ips_tui.vocab import DEFAULT_FOLLOW_ALONG_MODES, FIRST_EMPLOYER_CONTACT_DAYS

__all__ = [
    "KINDS",
    "FOLLOW_ALONG_KINDS",
    "KIND_LABELS",
    "KIND_SHORT_LABELS",
    "short_label",
    "FOLLOW_ALONG_LEAD_DAYS",
    "Reminder",
    "is_qualifying",
    "follow_along",
    "last_start_due_by",
    "compute_reminders",
    "reminder_status",
    "planned_for",
]

#: The kinds attached to a job (Reminder.job_id is set): what :func:`follow_along` gives.
FOLLOW_ALONG_KINDS: tuple[str, ...] = (
    "before_start",
    "after_start",
    "weekly",
    "monthly",
    "after_job_end",
)
#: Every reminder kind, follow-along kinds first.
KINDS: tuple[str, ...] = (*FOLLOW_ALONG_KINDS, "first_employer_contact")
#: Short human labels for the kinds.
KIND_LABELS: dict[str, str] = {
    "before_start": "Before job start",
    "after_start": "After job start",
    "weekly": "Weekly follow-along",
    "monthly": "Monthly follow-along",
    "after_job_end": "After job end",
    "first_employer_contact": "First employer contact",
}

#: The same, short enough for a narrow column (a kind missing here shows its KIND_LABELS label).
KIND_SHORT_LABELS: dict[str, str] = {
    "before_start": "Before start",
    "after_start": "After start",
    "weekly": "Weekly",
    "monthly": "Monthly",
    "after_job_end": "After job end",
    "first_employer_contact": "1st employer",
}


def short_label(kind: str) -> str:
    """A reminder kind for a narrow column."""
    return KIND_SHORT_LABELS.get(kind) or KIND_LABELS.get(kind, kind)

#: Days in the window before a job start in which a contact counts (and S - 7 is inside it).
_BEFORE_START_DAYS = 7
#: Days after the start (or the end) of a job by which the first contact is due.
_AFTER_DAYS = 3
#: Days between weekly follow-along contacts.
_WEEK_DAYS = 7
#: The most days a follow-along reminder is listed before it falls due (monthly: a month).
FOLLOW_ALONG_LEAD_DAYS = 31

_CLOSED = "closed"
_NO_RAPID_SEARCH_STAGES = frozenset({"closed", "education"})


@dataclass(frozen=True)
class Reminder:
    """A reminder listed on a day: what is due, for whom, when, and whether it is overdue."""

    client_id: str
    client: str
    specialist: str
    kind: str
    due: date
    status: str  # "overdue" | "due"
    job_id: str | None  # None for first_employer_contact
    job: str | None = None  # the job's title (None for first_employer_contact)
    employer: str | None = None  # the job's employer's name, when recorded
    planned: date | None = None  # the appointment planned for it (module rules), if any
    planned_time: str | None = None  # its time, HH:MM, if it has one

    @property
    def job_name(self) -> str:
        """The job as a person says it ("Barista at Maple Cafe"); "" for no job."""
        return name_of_job(self.job, self.employer) if self.job_id else ""

    def to_dict(self) -> dict:
        """The reminder as plain JSON-ready values, dates as YYYY-MM-DD. After the first seven
        keys, which stay as they were, come those added since: ``job`` and ``employer`` (the
        job's title and employer) and ``planned`` (null when no appointment is planned for it)."""
        return json_fields(self, "client_id", "client", "specialist", "kind", "due", "status",
                           "job_id", "job", "employer", "planned")

    @property
    def planned_label(self) -> str:
        """"planned Thu 10:00" (or "planned Thu 3 Dec" more than a week ahead), or ""."""
        if self.planned is None:
            return ""
        day = f"{self.planned:%a}" if abs((self.planned - self.due).days) < 7 else (
            f"{self.planned:%a} {self.planned.day} {self.planned:%b}")
        return f"planned {day} {self.planned_time}" if self.planned_time else f"planned {day}"


@functools.lru_cache(maxsize=8192)
def _add_months(d: date, months: int) -> date:
    """``d`` plus calendar months, clamped to the month end (Jan 31 + 1 month = Feb 28/29)."""
    # As pendulum's Date.add(months=...) does, without loading pendulum at every start.
    year, month = divmod(d.year * 12 + d.month - 1 + months, 12)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def is_qualifying(
    contact: ClientContact, modes: Iterable[str] = DEFAULT_FOLLOW_ALONG_MODES
) -> bool:
    """True if the contact reached the person in one of the follow-along ``modes``.

    The date is not considered here; :func:`compute_reminders` ignores contacts after ``on``.
    """
    return not contact.attempted and contact.mode in modes


def reminder_status(due: date, on: date, within: int) -> str | None:
    """A reminder's status on ``on``: "overdue", "due" (within ``within`` days) or None."""
    due, on = plain_date(due), plain_date(on)
    if due < on:
        return "overdue"
    if due <= on + timedelta(days=within):
        return "due"
    return None


def follow_along(job: Job, latest: date | None, on: date) -> tuple[str, date] | None:
    """The follow-along reminder (kind, due) ``job`` calls for on ``on``, or None.

    ``latest`` is the client's latest qualifying contact dated on or before ``on`` (or None):
    every window of the rules ends on ``on``, so "a contact in [X, on]" is "latest >= X". The
    client's stage is not looked at: the jobs of closed clients call for nothing (the caller
    leaves them out). Every due date is at most :data:`FOLLOW_ALONG_LEAD_DAYS` after ``on``.
    """
    on = plain_date(on)
    s = plain_date(job.start_date)
    job_end = plain_date(job.end_date)
    if job_end is not None and job_end < on:
        if latest is not None and latest >= job_end:
            return None
        return "after_job_end", job_end + timedelta(days=_AFTER_DAYS)
    if on < s:
        if s > on + timedelta(days=_BEFORE_START_DAYS):
            return None
        if latest is not None and latest >= s - timedelta(days=_BEFORE_START_DAYS):
            return None
        return "before_start", s - timedelta(days=1)
    if latest is None or latest < s:
        return "after_start", s + timedelta(days=_AFTER_DAYS)
    next_week = latest + timedelta(days=_WEEK_DAYS)
    if next_week <= _add_months(s, 1):
        return "weekly", next_week
    return "monthly", _add_months(latest, 1)


def planned_for(due: date, on: date, plans: Iterable[Appointment]) -> Appointment | None:
    """The appointment a reminder due on ``due`` shows on ``on`` (module rules): the earliest
    still planned in [on, due], or from ``on`` on when ``due`` has passed; None if there is none.
    ``plans`` are one client's appointments."""
    due, on = plain_date(due), plain_date(on)
    best: Appointment | None = None
    for plan in plans:
        when = plain_date(plan.date)
        if plan.status != "planned" or when < on or (due >= on and when > due):
            continue
        if best is None or (when, plan.time or "") < (plain_date(best.date), best.time or ""):
            best = plan
    return best


def last_start_due_by(day: date) -> date:
    """The latest job start whose follow-along reminders can fall due on or before ``day`` (a
    job starting the day after ``day`` has its before-start reminder due on ``day``)."""
    return day + timedelta(days=1)


def compute_reminders(
    clients: Iterable[Client],
    jobs: Iterable[Job],
    contacts: Iterable[ClientContact],
    first_employer_contact: Mapping[str, date],
    on: date,
    within: int = 3,
    modes: Iterable[str] = DEFAULT_FOLLOW_ALONG_MODES,
    plans: Iterable[Appointment] = (),
) -> list[Reminder]:
    """The reminders overdue or due within ``within`` days of ``on``, per the module rules,
    each with the appointment planned for it (``plans``: appointments of any client).

    ``first_employer_contact`` maps a client_id to the date of the earliest employer contact on
    the client's behalf; dates after ``on`` are ignored. Jobs of closed or unknown clients are
    ignored. The result is sorted by (due, client_id, kind, job_id or "").
    """
    on = plain_date(on)
    modes = frozenset(modes)

    by_id: dict[str, Client] = {}
    for client in clients:
        by_id.setdefault(client.client_id, client)

    # One pass over the contacts: each client's latest qualifying contact dated <= on.
    latest: dict[str, date] = {}
    for contact in contacts:
        if not is_qualifying(contact, modes):
            continue
        when = plain_date(contact.date)
        if when > on:
            continue
        previous = latest.get(contact.client_id)
        if previous is None or when > previous:
            latest[contact.client_id] = when

    planned: dict[str, list[Appointment]] = {}
    for plan in plans:
        if plan.status == "planned" and plain_date(plan.date) >= on:
            planned.setdefault(plan.client_id, []).append(plan)

    reminders: list[Reminder] = []
    started: set[str] = set()  # clients with a job starting on or before `on`

    def add(client: Client, kind: str, due: date, job: Job | None) -> None:
        status = reminder_status(due, on, within)
        if status is not None:
            plan = planned_for(due, on, planned.get(client.client_id, ()))
            reminders.append(
                Reminder(
                    client.client_id, client.name, client.specialist, kind, due, status,
                    job.job_id if job else None, job.title if job else None,
                    job.employer if job else None,
                    None if plan is None else plain_date(plan.date),
                    None if plan is None else plan.time,
                )
            )

    for job in jobs:
        holder = by_id.get(job.client_id)
        if holder is None:
            continue
        if plain_date(job.start_date) <= on:
            started.add(holder.client_id)
        if holder.stage == _CLOSED:
            continue
        found = follow_along(job, latest.get(holder.client_id), on)
        if found is not None:
            add(holder, found[0], found[1], job)

    for client in by_id.values():
        if client.stage in _NO_RAPID_SEARCH_STAGES or client.start_date is None:
            continue
        if client.client_id in started:
            continue
        contacted = first_employer_contact.get(client.client_id)
        if contacted is not None and plain_date(contacted) <= on:
            continue
        due = plain_date(client.start_date) + timedelta(days=FIRST_EMPLOYER_CONTACT_DAYS)
        add(client, "first_employer_contact", due, None)

    reminders.sort(key=lambda r: (r.due, r.client_id, r.kind, r.job_id or ""))
    return reminders
