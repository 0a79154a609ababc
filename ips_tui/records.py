"""Plain read-only records that the store returns and the views and CLI show (no peewee here).

A job and a client contact are the domain's facts (:mod:`ips_tui.domain.facts`) with what the
views add: the version a job was read at, a contact's specialist and notes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ips_tui.domain.facts import Appointment, ClientContact, Job, TeamContact
from ips_tui.vocab import label


@dataclass(frozen=True)
class CaseloadRow:
    """One line of the caseload table."""

    client_id: str
    first_name: str
    last_name: str
    specialist: str
    stage: str
    start_date: dt.date | None
    last_contact: dt.date | None  # latest contact that reached the person, any mode
    discuss: bool

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class JobRow(Job):
    """A job as shown in a client record: the job's facts and the version they were read at."""

    version: int = 1

    def is_current(self, on: dt.date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


@dataclass(frozen=True)
class ContactRow(ClientContact):
    """A client contact as shown in a contact log: the contact's facts, who made it, the notes."""

    specialist: str = ""
    notes: str | None = None


@dataclass(frozen=True)
class EmployerContactRow:
    """An employer contact, with the clients it was on behalf of."""

    id: int
    employer_id: str
    employer: str
    date: dt.date
    specialist: str
    mode: str
    hiring_manager: bool
    notes: str | None
    client_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class EmployerRow:
    """An employer in the employers list."""

    employer_id: str
    name: str
    industry: str | None
    contact_name: str | None
    phone: str | None
    email: str | None
    address: str | None
    notes: str | None
    last_contact: dt.date | None
    contacts: int
    version: int = 1


@dataclass(frozen=True)
class ClientRecord:
    """Everything the client screen shows: profile values, jobs, contact log (newest first)."""

    values: dict[str, object]  # interchange field names -> typed values
    version: int
    jobs: list[JobRow] = field(default_factory=list)
    contacts: list[ContactRow] = field(default_factory=list)
    employer_contacts: list[EmployerContactRow] = field(default_factory=list)
    #: Appointments planned from today on (soonest first), and the latest team contact.
    appointments: list[AppointmentRow] = field(default_factory=list)
    last_team_contact: TeamContactRow | None = None

    @property
    def client_id(self) -> str:
        return str(self.values["client_id"])

    @property
    def name(self) -> str:
        return f"{self.values.get('first_name') or ''} {self.values.get('last_name') or ''}".strip()


@dataclass(frozen=True)
class MergePlan:
    """What merging ``other`` into ``keep`` will do (store.duplicates.merge_plan), or did
    (merge_clients): the records that move, the notes carried, the values left behind."""

    keep: CaseloadRow
    other: CaseloadRow
    contacts: int  # client contacts moved to keep
    jobs: tuple[str, ...]  # job ids moved to keep
    employer_contacts: int  # employer contacts made on behalf of other, now on behalf of keep
    notes: bool  # other's notes are appended to keep's
    left_behind: tuple[str, ...] = ()  # fields other has a value for and keep has not (not copied)

    @property
    def same_specialist(self) -> bool:
        return self.keep.specialist == self.other.specialist

    def lines(self) -> list[str]:
        """What moves, in words, one line each (the CLI prints them; the app shows them)."""
        def who(row: CaseloadRow) -> str:
            return f"{row.name} ({row.client_id}, {label(row.stage)}, {row.specialist})"

        out = [f"Keep:   {who(self.keep)}", f"Delete: {who(self.other)}",
               f"Moves:  {_count(self.contacts, 'contact')}, {_count(len(self.jobs), 'job')}"
               + (f" ({', '.join(self.jobs)})" if self.jobs else "")
               + f", {_count(self.employer_contacts, 'employer contact')}"]
        if self.notes:
            out.append(f"Notes:  {self.other.client_id}'s notes are added to the end of "
                       f"{self.keep.client_id}'s")
        if self.left_behind:
            out.append(f"Kept as {self.keep.client_id} has them (empty there, not copied from "
                       f"{self.other.client_id}): {', '.join(self.left_behind)}")
        if not self.same_specialist:
            out.append(f"Different specialists: {self.keep.specialist} and {self.other.specialist}")
        return out


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Written:
    """When a record was entered and last changed, and by whom: the audit log's "who" is the
    person using the app, who may not be the specialist a contact is credited to. ``None``
    when the log does not say (an import's rows share one entry for the lot)."""

    created_at: str  # UTC ISO 8601
    updated_at: str
    created_by: str | None = None
    updated_by: str | None = None
    imported: bool = False  # no entry of its own: came in with an import
    changes: int = 0  # corrections recorded in the audit log


@dataclass(frozen=True)
class ClientContactDetail:
    """One client contact, whole, for reading and correcting it."""

    contact: ContactRow
    client_name: str
    version: int
    written: Written


@dataclass(frozen=True)
class EmployerContactDetail:
    """One employer contact, whole, with the clients it was on behalf of by name."""

    contact: EmployerContactRow
    clients: tuple[tuple[str, str], ...]  # (client_id, name), by name
    version: int
    written: Written


@dataclass(frozen=True)
class JobDetail:
    """One job, whole, with what deleting it would leave behind: its client's stage and their
    other jobs."""

    job: JobRow
    client_name: str
    client_stage: str
    other_jobs: tuple[JobRow, ...]
    written: Written


@dataclass(frozen=True)
class AppointmentRow(Appointment):
    """An appointment as listed: its facts, the client's name, the note, the version read."""

    client: str = ""
    notes: str | None = None
    version: int = 1

    #: The JSON keys and CSV columns of an appointment (a contract).
    FIELDS = ("id", "client_id", "client", "date", "time", "mode", "location", "specialist",
              "status", "notes")

    def to_dict(self) -> dict[str, object]:
        """The appointment as JSON-ready values (dates as YYYY-MM-DD)."""
        from ips_tui.domain.json_values import json_fields

        return json_fields(self, *self.FIELDS)

    @property
    def when(self) -> str:
        """"Thu 2026-12-03 10:00" (the time left out when there is none)."""
        text = f"{self.date:%a} {self.date.isoformat()}"
        return f"{text} {self.time}" if self.time else text


@dataclass(frozen=True)
class TeamContactRow(TeamContact):
    """A team contact as listed: its facts and the note."""

    notes: str | None = None


@dataclass(frozen=True)
class FlaggedClient:
    """A client flagged for the team meeting, with the note saying why."""

    client_id: str
    client: str
    note: str | None = None


@dataclass(frozen=True)
class Day:
    """A specialist's day (the Today screen, ``ips-tui today``): appointments today and
    tomorrow, reminders overdue or due today, appointments waiting for an outcome (their day
    has passed and nobody has said what happened), and clients flagged for the team meeting."""

    date: dt.date
    specialist: str | None
    appointments: list[AppointmentRow]
    reminders: list  # list[domain.reminders.Reminder]
    awaiting_outcome: list[AppointmentRow]
    flagged: list[FlaggedClient]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: keys ``date``, ``appointments``, ``reminders``, ``awaiting_outcome``,
        ``flagged``; every object in the lists carries ``client_id`` and ``client``."""
        from ips_tui.domain.json_values import json_fields

        return {
            "date": self.date.isoformat(),
            "appointments": [a.to_dict() for a in self.appointments],
            "reminders": [r.to_dict() for r in self.reminders],
            "awaiting_outcome": [a.to_dict() for a in self.awaiting_outcome],
            "flagged": [json_fields(f, "client_id", "client", "note") for f in self.flagged],
        }
