"""The plain facts about the caseload that the store reads and every domain rule takes.

One family of frozen records, one per kind of record in :mod:`ips_tui.store.models`, with the
model's field names (``start_date``/``end_date``, ``referral_date``, ...). A foreign key is given
by the related record's name where the rules show it (``specialist``, ``employer``) and by its
id where they count it (``client_id``, ``employer_id``). A query fills only the fields its rules
read; the others keep their defaults, and a name means the same thing in every rule.

:func:`plain_date` is the one place a date from outside (a pendulum Date, a datetime) becomes a
plain ``datetime.date``, so that the rules compare like with like.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import overload

__all__ = [
    "plain_date",
    "Specialist",
    "Client",
    "Job",
    "ClientContact",
    "ContactSummary",
    "EmployerContact",
    "Appointment",
    "TeamContact",
]


@overload
def plain_date(d: date) -> date: ...
@overload
def plain_date(d: None) -> None: ...
@overload
def plain_date(d: date | None) -> date | None: ...
def plain_date(d: date | None) -> date | None:
    """``d`` as a plain ``datetime.date`` (from a pendulum.Date, a datetime, ...); None stays."""
    if d is None or type(d) is date:
        return d
    return date(d.year, d.month, d.day)


@dataclass(frozen=True)
class Specialist:
    """An employment specialist and whether they are active."""

    name: str
    active: bool = True


@dataclass(frozen=True)
class Client:
    """A client: who carries them, where they stand, and the dates the rules count from.

    Contact details are never read by the rules, so they are not here.
    """

    client_id: str
    specialist: str  # the assigned specialist's name
    stage: str  # one of vocab.STAGES
    first_name: str = ""
    last_name: str = ""
    referral_date: date | None = None
    start_date: date | None = None  # first meeting with the specialist
    closed_date: date | None = None
    disclosure: str | None = None
    benefits_planning_date: date | None = None  # when benefits planning was offered
    discuss: bool = False  # discuss at the team meeting
    discuss_note: str | None = None
    next_step: str | None = None
    mh_practitioner: str | None = None  # the mental-health practitioner (care coordinator)
    #: The latest day anything was recorded for them (referral, start, a contact, a job start or
    #: end); the store fills it only for a closed client with no closed date.
    last_activity: date | None = None

    @property
    def closed_on(self) -> date | None:
        """The closed date; for a closed client with none (older records), their last recorded
        activity; None while open."""
        if self.closed_date is not None:
            return self.closed_date
        return self.last_activity if self.stage == "closed" else None

    @property
    def name(self) -> str:
        """"First Last" (either part may be missing)."""
        return f"{self.first_name or ''} {self.last_name or ''}".strip()

    @property
    def entry_date(self) -> date | None:
        """The start date, or the referral date when there is none (UK "at entry")."""
        return self.start_date or self.referral_date


@dataclass(frozen=True)
class Job:
    """A job a client holds or held; ``end_date`` is None while it goes on."""

    job_id: str
    client_id: str
    start_date: date
    end_date: date | None = None
    title: str = ""
    employer_id: str | None = None
    employer: str | None = None  # the employer's name
    hours_per_week: float | None = None
    hourly_wage: float | None = None
    competitive: bool = True
    end_reason: str | None = None

    @property
    def name(self) -> str:
        """The job as a person says it: "Barista at Maple Cafe" (the title alone with no employer)."""
        return job_name(self.title, self.employer)


def job_name(title: str | None, employer: str | None) -> str:
    """A job as a person says it: "Barista at Maple Cafe", "Barista", "a job at Maple Cafe"."""
    title = (title or "").strip()
    if employer:
        return f"{title} at {employer}" if title else f"a job at {employer}"
    return title or "a job"


@dataclass(frozen=True)
class ClientContact:
    """A contact with a client; ``attempted`` is True for outreach that did not reach them."""

    client_id: str
    date: date
    mode: str = "in_person"  # one of vocab.MODES
    attempted: bool = False
    location: str | None = None  # community / office
    id: int = 0


@dataclass(frozen=True)
class ContactSummary:
    """A client's latest contact that reached them and latest attempt (the store's summary of
    their :class:`ClientContact` rows before a day)."""

    client_id: str
    last_contact: date | None = None
    last_attempt: date | None = None


@dataclass(frozen=True)
class EmployerContact:
    """A specialist's contact with an employer: who made it, when, how, and for how many named
    clients (the count of its EmployerContactClient rows, the model's ``on_behalf``)."""

    specialist: str  # the specialist's name
    date: date
    mode: str  # one of vocab.MODES
    clients_on_behalf: int = 0
    id: int = 0


@dataclass(frozen=True)
class Appointment:
    """A meeting planned with a client (or what became of it): ``status`` is one of
    vocab.APPOINTMENT_STATUSES; ``time`` is ``HH:MM`` local time, or None for the whole day."""

    client_id: str
    date: date
    status: str = "planned"
    time: str | None = None
    mode: str = "in_person"  # one of vocab.MODES
    location: str | None = None  # where, as typed
    specialist: str = ""
    id: int = 0


@dataclass(frozen=True)
class TeamContact:
    """The specialist discussed a client with their mental-health practitioner or team."""

    client_id: str
    date: date
    who: str | None = None
    specialist: str = ""
    id: int = 0
