"""The weekly team meeting's agenda, built from plain facts about the caseload.

The employment specialists meet the mental-health team once a week to review shared clients.
:func:`build_agenda` turns what the store knows into that meeting's agenda. It is pure: no
database, no clock; the meeting date M is passed in. The rules (a contract):

* The *past week* is [M - 7 days, M - 1 day]; the *coming week* is [M, M + 6 days].
* Only open clients (stage not ``closed``) appear; closed clients are left out of every section.

Sections, in the agenda's order:

1. ``reminders`` -- follow-along and first-employer-contact reminders overdue or due by M + 6
   (computed by :mod:`ips_tui.domain.reminders` with ``on`` = M, ``within`` = 6), grouped by
   specialist.
2. ``job_starts`` -- jobs starting in the past week; ``upcoming_job_starts`` -- in the coming week.
3. ``job_ends`` -- jobs ending in the past week, with their reasons.
4. ``new_referrals`` -- clients whose referral date is in the past week, and every client not
   met yet (no start date and no contact that reached them up to and including M), however long
   ago they were referred, so nobody waiting for a first meeting is missed.
5. ``no_recent_contact`` (assertive outreach) -- open clients the team has lost touch with: their
   latest contact that reached them (any mode) dated up to and including M, or when never
   reached their start date or else referral date, is more than 30 days before M (or unknown).
   Attempts do not count, but the latest attempt is shown. A client referred in the past month
   and not met yet is under new referrals, not here.
6. ``employer_contacts`` -- per specialist, the employer contacts of the past week: how many
   were in person (against :data:`~ips_tui.vocab.EMPLOYER_CONTACTS_PER_WEEK_TARGET`) and how
   many were on behalf of a named client. Every active specialist is listed, even with none.
7. ``caseloads`` -- per specialist, open clients (against
   :data:`~ips_tui.vocab.CASELOAD_TARGET`), by stage, and how many hold a job on M (start <= M
   and no end or end >= M).
8. ``discussion`` -- clients flagged "discuss at team meeting", with the note and next step.
9. ``no_team_contact`` (integration with mental-health treatment) -- open clients with a
   mental-health practitioner recorded whose latest team contact (discussed with the
   practitioner or at the mental-health team meeting) dated up to and including M is more than
   :data:`NO_TEAM_CONTACT_DAYS` days before M, or who have none.

:meth:`Agenda.redact` gives the copy that may leave the building: clients by initials (plus
their id), and no free text about them (discuss notes, next steps, job end reasons, the
practitioner's name).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ips_tui import vocab
from ips_tui.domain.facts import (
    Client,
    ContactSummary,
    EmployerContact,
    Job,
    Specialist,
    TeamContact,
    plain_date,
)
from ips_tui.domain.json_values import json_fields
from ips_tui.domain.reminders import Reminder

__all__ = [
    "PAST_DAYS",
    "meeting_week",
    "COMING_DAYS",
    "NO_CONTACT_DAYS",
    "REMINDER_WITHIN",
    "AgendaInputs",
    "JobItem",
    "ReferralItem",
    "NoContactItem",
    "EmployerContactSummary",
    "CaseloadSummary",
    "DiscussionItem",
    "TeamContactItem",
    "NO_TEAM_CONTACT_DAYS",
    "Agenda",
    "build_agenda",
    "initials",
    "next_weekday",
]

#: Days of the past week, ending the day before the meeting.
PAST_DAYS = 7
#: Days of the coming week, starting on the meeting day.
COMING_DAYS = 7
#: A client with no contact in this many days before the meeting needs assertive outreach.
NO_CONTACT_DAYS = 30
#: A client with a practitioner not discussed with their mental-health team in this many days.
NO_TEAM_CONTACT_DAYS = 30
#: Reminders due up to M + this many days are on the agenda.
REMINDER_WITHIN = COMING_DAYS - 1

_CLOSED = "closed"


# ---------------------------------------------------------------- inputs (what the store gives)


@dataclass(frozen=True)
class AgendaInputs:
    """Everything :func:`build_agenda` reads besides the reminders."""

    specialists: tuple[Specialist, ...] = ()
    clients: tuple[Client, ...] = ()
    jobs: tuple[Job, ...] = ()
    contact_summaries: tuple[ContactSummary, ...] = ()
    employer_contacts: tuple[EmployerContact, ...] = ()
    #: Each open client's latest team contact (any dated after M are ignored).
    team_contacts: tuple[TeamContact, ...] = ()


# ---------------------------------------------------------------- the agenda's items


@dataclass(frozen=True)
class TeamContactItem:
    """An open client with a practitioner, not discussed with their mental-health team in more
    than 30 days up to the meeting day."""

    client_id: str
    client: str
    specialist: str
    practitioner: str | None  # None in a redacted agenda
    last_team_contact: date | None  # None: never
    days_since: int | None = None

    def to_dict(self, redacted: bool = False) -> dict:
        return json_fields(self, "client_id", "client", "specialist", "practitioner",
                           "last_team_contact", "days_since")


@dataclass(frozen=True)
class JobItem:
    """A job starting or ending around the meeting."""

    client_id: str
    client: str
    specialist: str
    job_id: str
    title: str
    employer: str | None
    start_date: date
    end_date: date | None = None
    end_reason: str | None = None
    hours_per_week: float | None = None

    def to_dict(self, redacted: bool = False) -> dict:
        out = json_fields(self, "client_id", "client", "specialist", "job_id", "title", "employer",
                          "start_date", "end_date", "hours_per_week")
        if not redacted:
            out["end_reason"] = self.end_reason
        return out


@dataclass(frozen=True)
class ReferralItem:
    """A client referred in the past week."""

    client_id: str
    client: str
    specialist: str
    stage: str
    referral_date: date | None
    met: bool = True  # has a start date or a contact that reached them, up to M
    days_since_referral: int | None = None  # M - referral_date

    def to_dict(self, redacted: bool = False) -> dict:
        return json_fields(self, "client_id", "client", "specialist", "stage", "referral_date", "met",
                           "days_since_referral")


@dataclass(frozen=True)
class NoContactItem:
    """An open client nobody has reached in more than 30 days up to the meeting day."""

    client_id: str
    client: str
    specialist: str
    stage: str
    last_contact: date | None  # latest contact that reached them, up to M (None: never)
    last_attempt: date | None  # latest attempt up to M, if any
    days_since_contact: int | None  # M - last_contact, None for never
    #: What the 30 days count from: last_contact, else the start date, else the referral date
    #: (None: none of them is known).
    counted_from: date | None = None
    days_without_contact: int | None = None  # M - counted_from

    def to_dict(self, redacted: bool = False) -> dict:
        return json_fields(self, "client_id", "client", "specialist", "stage", "last_contact",
                           "days_since_contact", "last_attempt", "counted_from",
                           "days_without_contact")


@dataclass(frozen=True)
class EmployerContactSummary:
    """A specialist's employer contacts in the past week."""

    specialist: str
    total: int
    in_person: int
    on_behalf: int  # contacts made on behalf of at least one named client
    target: int = vocab.EMPLOYER_CONTACTS_PER_WEEK_TARGET

    @property
    def met_target(self) -> bool:
        return self.in_person >= self.target

    def to_dict(self, redacted: bool = False) -> dict:
        return json_fields(self, "specialist", "in_person", "target", "met_target", "on_behalf",
                           "total")


@dataclass(frozen=True)
class CaseloadSummary:
    """A specialist's open caseload on the meeting day."""

    specialist: str
    open_clients: int
    by_stage: tuple[tuple[str, int], ...]  # every open stage, in vocab order, with its count
    currently_employed: int  # open clients holding a job on M
    target: int = vocab.CASELOAD_TARGET

    @property
    def over_target(self) -> bool:
        return self.open_clients > self.target

    @property
    def stages(self) -> dict[str, int]:
        return dict(self.by_stage)

    def to_dict(self, redacted: bool = False) -> dict:
        return json_fields(self, "specialist", "open_clients", "target", "over_target",
                           "by_stage=stages", "currently_employed")


@dataclass(frozen=True)
class DiscussionItem:
    """A client flagged for discussion at the team meeting."""

    client_id: str
    client: str
    specialist: str
    stage: str
    note: str | None
    next_step: str | None

    def to_dict(self, redacted: bool = False) -> dict:
        out = json_fields(self, "client_id", "client", "specialist", "stage")
        if not redacted:
            out["note"] = self.note
            out["next_step"] = self.next_step
        return out


@dataclass(frozen=True)
class Agenda:
    """One team meeting's agenda (see the module docstring for what each section holds)."""

    meeting_date: date
    reminders: tuple[Reminder, ...] = ()  # sorted by specialist, then due, client, kind
    job_starts: tuple[JobItem, ...] = ()
    upcoming_job_starts: tuple[JobItem, ...] = ()
    job_ends: tuple[JobItem, ...] = ()
    new_referrals: tuple[ReferralItem, ...] = ()
    no_recent_contact: tuple[NoContactItem, ...] = ()
    employer_contacts: tuple[EmployerContactSummary, ...] = ()
    caseloads: tuple[CaseloadSummary, ...] = ()
    discussion: tuple[DiscussionItem, ...] = ()
    no_team_contact: tuple[TeamContactItem, ...] = ()
    redacted: bool = False
    #: client_id -> initials, for :meth:`redact` (not part of the agenda's content).
    initials: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    # The two periods.
    @property
    def past_start(self) -> date:
        return meeting_week(self.meeting_date - timedelta(days=1), self.meeting_date.weekday())[0]

    @property
    def past_end(self) -> date:
        return meeting_week(self.meeting_date - timedelta(days=1), self.meeting_date.weekday())[1]

    @property
    def coming_start(self) -> date:
        return self.meeting_date

    @property
    def coming_end(self) -> date:
        return self.meeting_date + timedelta(days=COMING_DAYS - 1)

    @property
    def period_start(self) -> date:
        return self.past_start

    @property
    def period_end(self) -> date:
        return self.coming_end

    def reminders_by_specialist(self) -> list[tuple[str, list[Reminder]]]:
        """The reminders grouped by specialist, specialists in name order."""
        groups: dict[str, list[Reminder]] = defaultdict(list)
        for rem in self.reminders:
            groups[rem.specialist].append(rem)
        return [(name, groups[name]) for name in sorted(groups)]

    def redact(self) -> Agenda:
        """A copy fit to leave the building: clients by initials, no free text about them."""
        if self.redacted:
            return self

        def who(client_id: str, name: str) -> str:
            return self.initials.get(client_id) or initials_of_name(name)

        def job(item: JobItem) -> JobItem:
            return dataclasses.replace(item, client=who(item.client_id, item.client), end_reason=None)

        def plain(item: Any) -> Any:  # any item with client_id and client
            return dataclasses.replace(item, client=who(item.client_id, item.client))

        return dataclasses.replace(
            self,
            reminders=tuple(plain(r) for r in self.reminders),
            job_starts=tuple(job(j) for j in self.job_starts),
            upcoming_job_starts=tuple(job(j) for j in self.upcoming_job_starts),
            job_ends=tuple(job(j) for j in self.job_ends),
            new_referrals=tuple(plain(r) for r in self.new_referrals),
            no_recent_contact=tuple(plain(n) for n in self.no_recent_contact),
            discussion=tuple(
                dataclasses.replace(d, client=who(d.client_id, d.client), note=None, next_step=None)
                for d in self.discussion
            ),
            no_team_contact=tuple(
                dataclasses.replace(t, client=who(t.client_id, t.client), practitioner=None)
                for t in self.no_team_contact
            ),
            redacted=True,
            initials={},
        )

    def to_dict(self) -> dict:
        """The agenda as JSON-ready values (the `ips-tui agenda --format json` contract)."""
        r = self.redacted
        return {
            "meeting_date": self.meeting_date.isoformat(),
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "reminders": [rem.to_dict() for rem in self.reminders],
            "job_starts": [j.to_dict(r) for j in self.job_starts],
            "upcoming_job_starts": [j.to_dict(r) for j in self.upcoming_job_starts],
            "job_ends": [j.to_dict(r) for j in self.job_ends],
            "new_referrals": [n.to_dict(r) for n in self.new_referrals],
            "no_recent_contact": [n.to_dict(r) for n in self.no_recent_contact],
            "employer_contacts": [e.to_dict(r) for e in self.employer_contacts],
            "caseloads": [c.to_dict(r) for c in self.caseloads],
            "discussion": [d.to_dict(r) for d in self.discussion],
            "no_team_contact": [t.to_dict(r) for t in self.no_team_contact],
        }


# ---------------------------------------------------------------- helpers


def _initial(word: str) -> str:
    for ch in word:
        if ch.isalnum():
            return ch.upper()
    return ""


def initials(first_name: str | None, last_name: str | None) -> str:
    """"A.P." for Ann Patel: the first letter of each word of the first and last names."""
    words = f"{first_name or ''} {last_name or ''}".split()
    letters = [c for c in (_initial(w) for w in words) if c]
    return "".join(f"{c}." for c in letters) or "?"


def initials_of_name(name: str) -> str:
    """Initials from a full name given as one string."""
    return initials(name, None)


def next_weekday(today: date, weekday: int) -> date:
    """The first day on or after ``today`` that falls on ``weekday`` (0 = Monday)."""
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def meeting_week(day: date, weekday: int) -> tuple[date, date]:
    """The team-meeting week ``day`` falls in, first and last day: from the meeting day
    (``weekday``, 0 = Monday) on or before ``day`` to the day before the next meeting.

    The one definition of a week everywhere: "This week" in the app is the meeting week holding
    today; the agenda of the meeting on M looks back over the meeting week ending M - 1 (its
    "past week") and ahead over the one starting on M (its "coming week"), so the employer
    contacts "this week" on the day before a meeting are the agenda's past week."""
    day = plain_date(day)
    start = day - timedelta(days=(day.weekday() - weekday) % 7)
    return start, start + timedelta(days=6)


# ---------------------------------------------------------------- the rules


def build_agenda(meeting_date: date, inputs: AgendaInputs, reminders: Iterable[Reminder] = ()) -> Agenda:
    """The agenda of the meeting on ``meeting_date`` (M), per the rules of the module docstring.

    ``reminders`` are the reminders on M within 6 days (``services.reminders(M, within=6)``);
    reminders of clients not among the open ``inputs.clients`` are dropped.
    """
    m = plain_date(meeting_date)
    past_start, past_end = meeting_week(m - timedelta(days=1), m.weekday())
    coming_end = m + timedelta(days=COMING_DAYS - 1)
    contact_from = m - timedelta(days=NO_CONTACT_DAYS)

    clients: dict[str, Client] = {}
    for c in inputs.clients:
        if c.stage != _CLOSED:
            clients.setdefault(c.client_id, c)

    def name(c: Client) -> str:
        return c.name or c.client_id

    # 1. Reminders, grouped by specialist.
    rems = sorted(
        (r for r in reminders if r.client_id in clients),
        key=lambda r: (r.specialist, r.due, r.client_id, r.kind, r.job_id or ""),
    )

    # 2, 3. Jobs around the meeting; who is employed on M.
    starts: list[JobItem] = []
    upcoming: list[JobItem] = []
    ends: list[JobItem] = []
    employed: set[str] = set()
    for j in inputs.jobs:
        holder = clients.get(j.client_id)
        if holder is None:
            continue
        start, end = plain_date(j.start_date), plain_date(j.end_date)
        item = JobItem(
            client_id=holder.client_id, client=name(holder), specialist=holder.specialist,
            job_id=j.job_id, title=j.title, employer=j.employer, start_date=start, end_date=end,
            end_reason=j.end_reason, hours_per_week=j.hours_per_week,
        )
        if past_start <= start <= past_end:
            starts.append(item)
        elif m <= start <= coming_end:
            upcoming.append(item)
        if end is not None and past_start <= end <= past_end:
            ends.append(item)
        if start <= m and (end is None or end >= m):
            employed.add(holder.client_id)

    def job_key(date_of: Callable[[JobItem], date | None]) -> Callable[[JobItem], tuple[Any, ...]]:
        return lambda i: (date_of(i), i.specialist, i.client_id, i.job_id)

    starts.sort(key=job_key(lambda i: i.start_date))
    upcoming.sort(key=job_key(lambda i: i.start_date))
    ends.sort(key=job_key(lambda i: i.end_date))

    # Each client's latest contact that reached them and latest attempt, up to and including M.
    last_contact: dict[str, date] = {}
    last_attempt: dict[str, date] = {}
    for s in inputs.contact_summaries:
        for source, target in ((s.last_contact, last_contact), (s.last_attempt, last_attempt)):
            when = plain_date(source)
            if when is None or when > m:
                continue
            if s.client_id not in target or when > target[s.client_id]:
                target[s.client_id] = when

    def days_to_m(d: date | None) -> int | None:
        return None if d is None else (m - d).days

    # 4. New referrals, and everyone not met yet.
    referrals = []
    for c in clients.values():
        referred = plain_date(c.referral_date)
        met = c.start_date is not None or c.client_id in last_contact
        if (referred is not None and past_start <= referred <= past_end) or not met:
            referrals.append(ReferralItem(c.client_id, name(c), c.specialist, c.stage, referred,
                                          met=met, days_since_referral=days_to_m(referred)))
    referrals.sort(key=lambda r: (r.referral_date or date.min, r.specialist, r.client_id))

    # 5. Assertive outreach: not reached in more than 30 days up to M; attempts do not count.
    silent: list[NoContactItem] = []
    for c in clients.values():
        last = last_contact.get(c.client_id)
        since = last or plain_date(c.start_date) or plain_date(c.referral_date)
        if since is not None and since >= contact_from:
            continue
        silent.append(NoContactItem(
            client_id=c.client_id, client=name(c), specialist=c.specialist, stage=c.stage,
            last_contact=last, last_attempt=last_attempt.get(c.client_id),
            days_since_contact=days_to_m(last), counted_from=since,
            days_without_contact=days_to_m(since),
        ))
    # Longest without contact first (unknown first of all).
    silent.sort(key=lambda n: (n.counted_from or date.min, n.specialist, n.client_id))

    # 6. Employer contacts of the past week, per specialist.
    active = {s.name for s in inputs.specialists if s.active}
    ec_total: dict[str, int] = defaultdict(int)
    ec_in_person: dict[str, int] = defaultdict(int)
    ec_on_behalf: dict[str, int] = defaultdict(int)
    for e in inputs.employer_contacts:
        when = plain_date(e.date)
        if not past_start <= when <= past_end:
            continue
        ec_total[e.specialist] += 1
        if e.mode == "in_person":
            ec_in_person[e.specialist] += 1
        if e.clients_on_behalf > 0:
            ec_on_behalf[e.specialist] += 1
    employer_contacts = tuple(
        EmployerContactSummary(spec, ec_total[spec], ec_in_person[spec], ec_on_behalf[spec])
        for spec in sorted(active | set(ec_total))
    )

    # 7. Caseloads on M.
    by_spec: dict[str, list[Client]] = defaultdict(list)
    for c in clients.values():
        by_spec[c.specialist].append(c)
    caseloads = []
    for spec in sorted(active | set(by_spec)):
        mine = by_spec.get(spec, [])
        counts = {stage: 0 for stage in vocab.OPEN_STAGES}
        for c in mine:
            counts[c.stage] = counts.get(c.stage, 0) + 1
        caseloads.append(CaseloadSummary(
            specialist=spec, open_clients=len(mine), by_stage=tuple(counts.items()),
            currently_employed=sum(1 for c in mine if c.client_id in employed),
        ))

    # 8. Flagged for discussion.
    discussion = sorted(
        (
            DiscussionItem(c.client_id, name(c), c.specialist, c.stage, c.discuss_note, c.next_step)
            for c in clients.values() if c.discuss
        ),
        key=lambda d: (d.specialist, d.client_id),
    )

    # 9. Not discussed with their mental-health team in 30 days.
    team_from = m - timedelta(days=NO_TEAM_CONTACT_DAYS)
    last_team: dict[str, date] = {}
    for t in inputs.team_contacts:
        when = plain_date(t.date)
        if when <= m and (t.client_id not in last_team or when > last_team[t.client_id]):
            last_team[t.client_id] = when
    no_team = sorted(
        (
            TeamContactItem(c.client_id, name(c), c.specialist, c.mh_practitioner,
                            last_team.get(c.client_id), days_to_m(last_team.get(c.client_id)))
            for c in clients.values()
            if c.mh_practitioner and (last_team.get(c.client_id) or date.min) < team_from
        ),
        key=lambda t: (t.last_team_contact or date.min, t.specialist, t.client_id),
    )

    return Agenda(
        meeting_date=m,
        reminders=tuple(rems),
        job_starts=tuple(starts),
        upcoming_job_starts=tuple(upcoming),
        job_ends=tuple(ends),
        new_referrals=tuple(referrals),
        no_recent_contact=tuple(silent),
        employer_contacts=employer_contacts,
        caseloads=tuple(caseloads),
        discussion=tuple(discussion),
        no_team_contact=tuple(no_team),
        initials={c.client_id: initials(c.first_name, c.last_name) for c in clients.values()},
    )
