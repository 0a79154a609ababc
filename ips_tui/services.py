"""Services: what the CLI and the app ask for, composed from the store and the pure domain rules.

Views and commands call these; they never build queries themselves. ``today``/``on`` dates are
always passed in by the caller (the CLI's --on, the app's clock), never read here.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ips_tui import vocab
from ips_tui.domain.reminders import Reminder, compute_reminders
from ips_tui.domain.stage_rules import StageIssue
from ips_tui.records import CaseloadRow, MergePlan
from ips_tui.store import duplicates, queries, writes

# Errors the screens and commands catch, re-exported so they need not import the store.
from ips_tui.store.db import (  # noqa: F401 -- re-exported for the cli and the tui
    ServerUnavailable,
    StoreError,
    close_store,
    close_thread_connection,
    inspect,
    open_store,
)
from ips_tui.store.duplicates import DifferentSpecialists  # noqa: F401 -- re-exported
from ips_tui.store.writes import ConflictError, NotFoundError, get_setting, set_setting  # noqa: F401 -- re-exported
from ips_tui.validation import ValidationError  # noqa: F401 -- re-exported

if TYPE_CHECKING:  # imported where used: `ips-tui --help` and the caseload never load them
    from ips_tui.domain.agenda import Agenda
    from ips_tui.domain.fidelity_scale import FidelityReport
    from ips_tui.domain.outcomes import OutcomeReport
    from ips_tui.domain.periods import Period
    from ips_tui.domain.review import Review
    from ips_tui.records import JobRow

FOLLOW_ALONG_MODES_KEY = "follow_along_modes"
MEETING_WEEKDAY_KEY = "meeting_weekday"


def check_database_file(path: Path) -> int:
    """Say whether a file is an ips-tui database this version can open (its schema version),
    without changing it (nor leaving anything beside it); StoreError says why not."""
    from ips_tui.store.db import leaving_no_trace

    with leaving_no_trace(path):
        return inspect(path)


def open_database(location: str | os.PathLike[str], create: bool = True) -> None:
    """Open (create on first use, if ``create``) the database at ``location``, a file path or a
    ``postgresql://`` URL; StoreError says why it cannot be."""
    open_store(location, create=create)


def database_is_a_file() -> bool:
    """Whether the open database is a file on this computer (it answers in milliseconds), not a
    team's server (which may take a second)."""
    from ips_tui.store.db import is_server_database

    return not is_server_database()


def close_database() -> None:
    """Close the open database."""
    close_store()


def follow_along_modes() -> tuple[str, ...]:
    """The contact modes that count as follow-along (program setting; default in person only)."""
    raw = get_setting(FOLLOW_ALONG_MODES_KEY)
    if not raw:
        return vocab.DEFAULT_FOLLOW_ALONG_MODES
    modes = tuple(m for m in (p.strip() for p in raw.split(",")) if m in vocab.MODES)
    return modes or vocab.DEFAULT_FOLLOW_ALONG_MODES


def set_follow_along_modes(modes: list[str], by: str | None = None) -> None:
    """Choose which modes count as follow-along; in_person always does."""
    bad = [m for m in modes if m not in vocab.MODES]
    if bad:
        raise StoreError(f"unknown contact mode(s): {', '.join(bad)}; choose from {', '.join(vocab.MODES)}")
    chosen = ["in_person"] + [m for m in modes if m != "in_person"]
    set_setting(FOLLOW_ALONG_MODES_KEY, ",".join(chosen), by=by)


def meeting_weekday() -> int:
    """The team meeting's weekday, 0 = Monday (program setting; default Tuesday)."""
    raw = get_setting(MEETING_WEEKDAY_KEY)
    try:
        value = int(raw) if raw is not None else vocab.DEFAULT_MEETING_WEEKDAY
    except ValueError:
        return vocab.DEFAULT_MEETING_WEEKDAY
    return value if 0 <= value <= 6 else vocab.DEFAULT_MEETING_WEEKDAY


def set_meeting_weekday(weekday: int, by: str | None = None) -> None:
    """Choose the team meeting's weekday (0 = Monday)."""
    if not 0 <= weekday <= 6:
        raise StoreError("the meeting day must be a weekday number from 0 (Monday) to 6 (Sunday)")
    set_setting(MEETING_WEEKDAY_KEY, str(weekday), by=by)


def reminders(on: dt.date, within: int = 3, specialist: str | None = None,
              client_id: str | None = None) -> list[Reminder]:
    """Follow-along and first-employer-contact reminders overdue or due within ``within`` days
    (for everyone, one specialist's clients, or one client)."""
    from ips_tui.store.appointments import plans

    modes = follow_along_modes()
    clients, jobs, contacts, first_ec = queries.reminder_inputs(on, modes, client_id,
                                                                specialist or None)
    return compute_reminders(clients, jobs, contacts, first_ec, on=on, within=within, modes=modes,
                             plans=plans(on, client_id))


def next_reminder_by_client(on: dt.date, horizon: int = 400,
                            specialist: str | None = None) -> dict[str, Reminder]:
    """Each open client's most urgent reminder (earliest due) within ``horizon`` days
    (for one specialist's clients, when given)."""
    out: dict[str, Reminder] = {}
    for rem in reminders(on, within=horizon, specialist=specialist):
        out.setdefault(rem.client_id, rem)
    return out


def client_reminders(client_id: str, on: dt.date, horizon: int = 400) -> list[Reminder]:
    """One client's reminders, overdue and upcoming within ``horizon`` days."""
    return reminders(on, within=horizon, client_id=client_id)


def add_specialist_if_new(name: str, by: str | None = None) -> str:
    """Make sure a specialist called ``name`` exists (first run of the app); return the name."""
    if name not in queries.specialists():
        writes.add_specialist(name, by=by)
    return name


# ---------------------------------------------------------------- safety

def startup_backup(today: dt.date) -> Path | None:
    """The at-most-daily automatic backup taken when the app starts (SQLite files only)."""
    from ips_tui.store import backup, db

    path = db.database_path()
    if path is None:
        return None
    return backup.daily_backup(db.models.database.obj, path, today)


def backup_now(dest: Path | str | None = None) -> Path:
    """An on-demand backup: to ``dest`` (a file, or a folder: one that exists, or any written
    with a trailing slash, which is created), else the backups folder."""
    from ips_tui.store import backup, db

    path = db.database_path()
    if path is None:
        raise StoreError("backups are for SQLite databases; use your database server's tools")
    into_folder = isinstance(dest, str) and dest.endswith(tuple(filter(None, (os.sep, os.altsep))))
    return backup.backup(db.models.database.obj, path, Path(dest) if dest else None,
                         into_folder=into_folder)


def restore_from(source: Path) -> Path:
    """Replace the database with a backup (checked first); returns the safety copy taken before."""
    from ips_tui.store import backup, db

    path = db.database_path()
    if path is None:
        raise StoreError("restore is for SQLite databases; use your database server's tools")
    safety = backup.restore(db.models.database.obj, path, source)
    close_store()
    open_store(path)  # migrates a backup taken by an older version
    return safety


def move_to_server(source: Path, url: str, progress=None):  # -> store.move.Moved
    """Copy the ips-tui file ``source`` into the empty PostgreSQL database ``url`` in one checked
    transaction; the file is never changed. StoreError says why it could not be done."""
    from ips_tui.store.move import copy_to_server

    return copy_to_server(source, url, progress=progress)


def stage_issues(today: dt.date, specialist: str | None = None) -> dict[str, StageIssue]:
    """Open clients whose stage contradicts their jobs on ``today`` (domain.stage_rules), by id
    (one specialist's clients, when given)."""
    from ips_tui.store.check import stage_issues as found

    return found(today, specialist)


def check(today: dt.date) -> list:  # list[Finding]
    """Integrity and consistency findings, errors first."""
    from ips_tui.store.check import Finding, run_checks
    from ips_tui.store.damage import damage, is_damage
    from ips_tui.store.db import database_path, is_database_error, models

    path = database_path()
    try:
        found = run_checks(today)
    except Exception as exc:  # SQLite gave up reading a damaged file: say where, not "malformed"
        if path is None or not is_database_error(exc) or not is_damage(exc):
            raise
        words = damage(models.database.obj.connection()) or "the database file is damaged"
        return [Finding("error", "database file", f"{words}; restore a backup from the backups "
                                                  "folder (`ips-tui restore FILE`)")]
    if path is not None and any(f.where == "database file" for f in found):
        where = damage(models.database.obj.connection())
        if where:
            found.insert(0, Finding("error", "database file", where))
    return found


def check_fixes(today: dt.date) -> tuple[list, list]:  # (list[StageFix], list[ControlSpot])
    """What ``check --fix`` would change: stage corrections, stored values to clean."""
    from ips_tui.store.check import planned_fixes

    return planned_fixes(today)


def apply_check_fixes(today: dt.date, by: str | None = None) -> tuple[int, int]:
    """Make the ``check --fix`` changes, audited, in one transaction: (stages, values)."""
    from ips_tui.store.check import apply_fixes

    return apply_fixes(today, by=by)


audit_entries = queries.audit_entries


# Reads the views and commands use as they are (one place to import them from).
specialists = queries.specialists
counts = queries.counts
caseload = queries.caseload
client_record = queries.client_record
employers = queries.employers
employer_log = queries.employer_log
employer_contacts_between = queries.employer_contacts_between
client_contact = queries.client_contact
employer_contact = queries.employer_contact
job = queries.job

# Writes, all validated, audited and transactional (see ips_tui.store.writes).
create_client = writes.create_client
update_client = writes.update_client
delete_client = writes.delete_client
create_employer = writes.create_employer
update_employer = writes.update_employer
delete_employer = writes.delete_employer
create_job = writes.create_job
update_job = writes.update_job
create_job_and_stage = writes.create_job_and_stage
update_job_and_stage = writes.update_job_and_stage
delete_job = writes.delete_job
add_client_contact = writes.add_client_contact
update_client_contact = writes.update_client_contact
delete_client_contact = writes.delete_client_contact
add_employer_contact = writes.add_employer_contact
update_employer_contact = writes.update_employer_contact
delete_employer_contact = writes.delete_employer_contact


# ---------------------------------------------------------------- duplicates

def same_name_clients(first_name: str | None, last_name: str | None,
                      exclude: str | None = None) -> list[CaseloadRow]:
    """Clients, open or closed, with the same person's name (domain.duplicates' rule)."""
    return duplicates.same_name_clients(first_name, last_name, exclude=exclude)


def all_clients() -> list[CaseloadRow]:
    """Every client, open or closed, by name (without the last contact: quicker than caseload)."""
    return duplicates.client_rows()


def client_ids() -> set[str]:
    """Every client's id (an import's new clients are those not there before)."""
    return duplicates.client_ids()


def likely_duplicates(client_ids: Iterable[str], first: int | None = None
                      ) -> tuple[list[tuple[CaseloadRow, CaseloadRow]], int]:
    """Pairs of same-name clients with at least one of ``client_ids`` in each, sorted by id:
    the ``first`` ones (all when None), and how many there are."""
    return duplicates.likely_duplicates(client_ids, first)


def merge_plan(keep_id: str, other_id: str) -> MergePlan:
    """What merging ``other_id`` into ``keep_id`` would move (nothing is changed)."""
    return duplicates.merge_plan(keep_id, other_id)


def merge_clients(keep_id: str, other_id: str, by: str | None = None,
                  across_specialists: bool = False) -> MergePlan:
    """Merge ``other_id`` into ``keep_id`` (store.duplicates.merge_clients): one transaction,
    audited; different specialists' clients only with ``across_specialists``."""
    return duplicates.merge_clients(keep_id, other_id, by=by, across_specialists=across_specialists)


def job_deletion_warning(job: JobRow, client_name: str, client_stage: str,
                         other_jobs: Iterable[JobRow], today: dt.date) -> str | None:
    """What deleting ``job`` would leave wrong, in words, or None: a client who is Employed with
    no other current competitive job (their stage then needs changing), or a job held today
    whose follow-along reminders would go with it."""
    if not job.is_current(today):
        return None
    if client_stage == "employed" and job.competitive and not any(
            j.competitive and j.is_current(today) for j in other_jobs if j.job_id != job.job_id):
        return (f"{client_name} is Employed and this is their only current job: after "
                "deleting it, change their stage (s on the record). If the job really ended, "
                "end it instead (x on the record).")
    return ("This job is current: its follow-along reminders go with it. If it really ended, "
            "end it instead (x on the record).")


# ---------------------------------------------------------------- agenda



def this_meeting_week(day: dt.date) -> tuple[dt.date, dt.date]:
    """The team-meeting week holding ``day`` (domain.agenda.meeting_week, from the setting)."""
    from ips_tui.domain.agenda import meeting_week

    return meeting_week(day, meeting_weekday())


def next_meeting_date(today: dt.date) -> dt.date:
    """The next team meeting day on or after ``today`` (the meeting_weekday setting)."""
    from ips_tui.domain.agenda import next_weekday

    return next_weekday(today, meeting_weekday())


def agenda(meeting_date: dt.date) -> Agenda:
    """The agenda of the team meeting on ``meeting_date`` (a fixed number of queries)."""
    from ips_tui.domain.agenda import REMINDER_WITHIN, build_agenda
    from ips_tui.store import agenda_queries

    inputs = agenda_queries.agenda_inputs(meeting_date)
    return build_agenda(meeting_date, inputs, reminders(meeting_date, within=REMINDER_WITHIN))


# ---------------------------------------------------------------- outcomes


def outcome_period(text: str | None, today: dt.date, kind: str | None = None) -> Period:
    """The period of an outcome or fidelity report: a quarter (``2026Q3``), a month
    (``2026-10``), or with no text the last complete quarter before ``today``.

    ``kind`` ("quarter" or "month") limits what ``text`` may be; ValueError says what is wrong.
    """
    from ips_tui.domain.outcomes import default_period, parse_period

    if text is None or not text.strip():
        return default_period(today)
    return parse_period(text, kind)


def outcomes(period: Period, specialist: str | None = None, report: str = "us",
             today: dt.date | None = None) -> OutcomeReport:
    """The employment outcomes of ``period`` (``report`` "us" or "uk"), with the trend over it
    and the 7 periods before (a fixed number of queries). ``today``: a UK job gets someone into
    work only once it has started (start date on or before today)."""
    from ips_tui.domain.outcomes import REPORTS, UK_ACTIVE_DAYS, build_outcomes
    from ips_tui.store import outcome_queries

    if report not in REPORTS:
        raise ValueError(f"unknown report '{report}'; choose from {', '.join(REPORTS)}")
    window_start = period.trend()[0].start
    contacts_from = period.end - dt.timedelta(days=UK_ACTIVE_DAYS - 1)
    inputs = outcome_queries.outcome_inputs(window_start, period.end, contacts_from, specialist)
    return build_outcomes(period, inputs, report=report, specialist=specialist, today=today)


def fidelity(period: Period, specialist: str | None = None) -> FidelityReport:
    """The fidelity indicators of ``period``, each against the scale's top-score anchor (a
    fixed number of queries)."""
    from ips_tui.domain.fidelity import build_fidelity
    from ips_tui.store import outcome_queries

    modes = follow_along_modes()
    inputs = outcome_queries.fidelity_inputs(period.start, period.end, specialist)
    return build_fidelity(period, inputs, modes=modes, specialist=specialist)


# ---------------------------------------------------------------- fidelity reviews


def new_review(period: Period, on: dt.date, participants: str | None = None,
               by: str | None = None) -> str:
    """Create a review of ``period`` dated ``on``, the items records can score filled from the
    period's fidelity figures; its id."""
    from ips_tui.domain.review import blank_items, computed_scores
    from ips_tui.store import reviews as review_store

    items = blank_items(computed_scores(fidelity(period)))
    return review_store.create_review(
        {"date": on, "period": period.label, "participants": participants}, items, by=by)


def reviews() -> list[Review]:
    """Every review, oldest first."""
    from ips_tui.store import reviews as review_store

    return review_store.reviews()


def review(review_id: str, history: int = 3) -> Review:
    """One review, with the scores of up to ``history`` reviews before it."""
    from ips_tui.store import reviews as review_store

    return review_store.review(review_id, history)


def delete_review(review_id: str, by: str | None = None) -> None:
    """Delete a review and its 25 items (audited); NotFoundError if there is no such review."""
    from ips_tui.store import reviews as review_store

    review_store.delete_review(review_id, by=by)


def score_review_item(review_id: str, number: int, score: int | None, *,
                      note: str | None = None, reason: str | None = None,
                      expected_version: int | None = None, by: str | None = None) -> None:
    """The team scores an item (None takes its score away). On an item the records scored, a
    different score is an override and needs ``reason`` (or the one already given); the same
    score as the records' ends any override."""
    from ips_tui.store import reviews as review_store

    item = review_store.review(review_id, history=0).item(number)
    changes: dict[str, object] = {"score": score}
    if item.computed_score is not None:
        if score is None or score == item.computed_score:
            changes = {"score": None, "override_reason": None}
        elif reason is not None:
            changes["override_reason"] = reason
    elif reason is not None:
        changes["override_reason"] = reason
    if note is not None:
        changes["note"] = note
    review_store.update_item(review_id, number, changes, expected_version, by=by)


def update_review_item(review_id: str, number: int, changes: dict[str, object],
                       expected_version: int | None = None, by: str | None = None) -> int:
    """Change an item's note, override reason, or action-plan owner and date (``due``)."""
    from ips_tui.store import reviews as review_store

    return review_store.update_item(review_id, number, changes, expected_version, by=by)


# ---------------------------------------------------------------- the specialist's day

def next_working_day(today: dt.date) -> dt.date:
    """The next weekday after ``today`` (Friday -> Monday): a new appointment's default day."""
    day = today + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def next_plan_by_client(on: dt.date) -> dict[str, tuple[dt.date, str | None]]:
    """Each open client's next appointment still planned from ``on`` on: (day, time)."""
    from ips_tui.store.appointments import plans

    out: dict[str, tuple[dt.date, str | None]] = {}
    for plan in plans(on):  # soonest first
        out.setdefault(plan.client_id, (plan.date, plan.time))
    return out


def plan_appointment(values: dict[str, object], by: str | None = None) -> int:
    """Plan an appointment (store.appointments.add_appointment); its id."""
    from ips_tui.store.appointments import add_appointment

    return add_appointment(values, by=by)


def appointments(start: dt.date | None = None, end: dt.date | None = None,
                 specialist: str | None = None, client_id: str | None = None,
                 statuses: tuple[str, ...] | None = None) -> list:  # list[AppointmentRow]
    """Appointments dated in [start, end], by date and time."""
    from ips_tui.store.appointments import appointments as found

    return found(start, end, specialist=specialist, client_id=client_id, statuses=statuses)


def record_outcome(appointment_id: int, outcome: str, expected_version: int | None,
                   by: str | None = None, notes: str | None = None) -> int | None:
    """What became of an appointment (store.appointments.record_outcome)."""
    from ips_tui.store.appointments import record_outcome as record

    return record(appointment_id, outcome, expected_version, by=by, notes=notes)


def add_team_contact(values: dict[str, object], by: str | None = None) -> int:
    """Record discussing a client with their mental-health practitioner or team."""
    from ips_tui.store.appointments import add_team_contact as add

    return add(values, by=by)


def day(on: dt.date, specialist: str | None = None):  # -> records.Day
    """The day's list for one specialist (or everyone): appointments on ``on`` and the day
    after, reminders overdue or due on ``on``, planned appointments before ``on`` waiting for
    their outcome, and open clients flagged for the team meeting."""
    from ips_tui.records import Day, FlaggedClient
    from ips_tui.store import appointments as plans

    soon = plans.appointments(on, on + dt.timedelta(days=1), specialist=specialist,
                              statuses=("planned",))
    waiting = plans.appointments(None, on - dt.timedelta(days=1), specialist=specialist,
                                 statuses=("planned",))
    flagged = [FlaggedClient(cid, name, note)
               for cid, name, note in plans.flagged_clients(specialist)]
    return Day(date=on, specialist=specialist, appointments=soon,
               reminders=reminders(on, within=0, specialist=specialist),
               awaiting_outcome=waiting, flagged=flagged)
