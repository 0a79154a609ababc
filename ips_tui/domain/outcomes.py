"""Employment outcomes for a month or a quarter, computed from plain facts about the caseload.

IPS programs report their outcomes every quarter: how many people they served, how many of them
worked, new jobs, jobs that ended, and so on. This module computes those figures. It is pure: no
database and no clock; the period is passed in, and every figure is a small function of the facts
that :mod:`ips_tui.store.outcome_queries` reads. :data:`DEFINITIONS` says in one line what each
figure counts (the README quotes it).

Words used throughout (a contract):

* A *period* is a calendar quarter (``2026Q3``) or month (``2026-10``), first and last day
  included. With no period asked for, the report is for the last complete quarter before today.
* A client is *opened* on the earlier of their referral date and start date, and *served* in a
  period when opened on or before its last day and not closed before its first day (a client
  closed on the first day was served). A closed client with no closed date is never served: when
  they closed is unknown (``ips-tui check`` warns about them).
* A *job* here is a competitive job: outcome figures never count non-competitive jobs (the
  fidelity scale's competitive-jobs item in :mod:`ips_tui.domain.fidelity` looks at those).
  A job is *held* in a period when it starts on or before the last day and has no end date or
  ends on or after the first day. Only the jobs of served clients are counted.
* ``--specialist`` keeps the clients now assigned to that specialist.

Two report shapes use these figures: ``us``, the US IPS Learning Community quarterly report
(employment rate against the 31% / 41% / 50% benchmarks), and ``uk``, the UK IPS Grow KPIs
(into-work rate among people unemployed at entry against 40%, and 13-week retention against 65%).
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from ips_tui.domain.facts import Client, ClientContact, Job, plain_date

__all__ = [
    "REPORTS",
    "PERIOD_KINDS",
    "TREND_PERIODS",
    "US_BENCHMARKS",
    "UK_INTO_WORK_TARGET",
    "UK_RETENTION_TARGET",
    "UK_ACTIVE_DAYS",
    "RETENTION_DAYS",
    "LASTING_DAYS",
    "DEFINITIONS",
    "LABELS",
    "Period",
    "parse_period",
    "default_period",
    "OutcomeInputs",
    "JobLine",
    "Figure",
    "TrendPoint",
    "UkFigures",
    "OutcomeReport",
    "opened_on",
    "is_served",
    "served_clients",
    "is_held",
    "employed_clients",
    "rate",
    "new_job_starts",
    "job_ends",
    "in_education",
    "first_job_days",
    "median",
    "jobs_held",
    "average_hours_per_week",
    "average_hourly_wage",
    "lasted_days",
    "jobs_lasting_90_days",
    "us_band",
    "active_clients",
    "unemployed_at_entry",
    "into_work",
    "first_job_starts",
    "retention_13_weeks",
    "trend",
    "build_outcomes",
]

#: The report shapes of ``ips-tui outcomes --report``.
REPORTS: tuple[str, ...] = ("us", "uk")
#: The kinds of period a report covers.
PERIOD_KINDS: tuple[str, ...] = ("quarter", "month")
#: How many periods the trend shows: the period asked for and the ones before it.
TREND_PERIODS = 8
#: The US IPS Learning Community's employment-rate benchmarks, lowest first.
US_BENCHMARKS: tuple[tuple[str, float], ...] = (
    ("minimum", 0.31),
    ("average", 0.41),
    ("excellent", 0.50),
)
#: UK IPS Grow: share of people unemployed at entry who get into work.
UK_INTO_WORK_TARGET = 0.40
#: UK IPS Grow: share of those into work still working 13 weeks after their first job start.
UK_RETENTION_TARGET = 0.65
#: UK IPS Grow: a client is active with a contact that reached them in the period's last 4 weeks.
UK_ACTIVE_DAYS = 28
#: 13 weeks.
RETENTION_DAYS = 91
#: A job "lasting 90 days" has reached its start + 90 days.
LASTING_DAYS = 90

_FIRST_YEAR = 1900
_LAST_YEAR = 2999
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")

#: One line per figure, saying exactly what it counts (quoted by the README and the reports).
DEFINITIONS: dict[str, str] = {
    "served": "Clients open at any time in the period: opened (the earlier of referral and "
              "start date) on or before its last day and not closed before its first day.",
    "employed": "Served clients who held a competitive job on at least one day of the period.",
    "employment_rate": "Employed divided by served (US IPS Learning Community benchmarks: 31% "
                       "minimum, 41% average, 50% excellent).",
    "new_job_starts": "Competitive jobs of served clients that started in the period.",
    "job_ends": "Competitive jobs of served clients that ended in the period, with the reason "
                "recorded.",
    "in_education": "Served clients whose stage is education.",
    "median_days_to_first_job": "Median days from start date to first job start, over served "
                                "clients whose first competitive job ever started in the period "
                                "(on or after their start date).",
    "first_jobs": "Served clients whose first competitive job ever started in the period, on or "
                  "after their start date (the median's count).",
    "jobs_held": "Competitive jobs of served clients held on at least one day of the period.",
    "average_hours_per_week": "Mean hours per week of the jobs held in the period that have hours "
                              "recorded.",
    "average_hourly_wage": "Mean hourly wage of the jobs held in the period that have a wage "
                           "recorded.",
    "jobs_90_days": "Jobs held in the period that had lasted 90 days (start + 90 days) by the "
                    "period's last day or their end date, whichever came first.",
    "active": "UK: served clients with a contact that reached them (not an attempt, any mode) in "
              "the period's last 4 weeks.",
    "unemployed_at_entry": "UK: served clients with no competitive job starting on or before "
                           "their start date (referral date when there is none).",
    "into_work": "UK: clients unemployed at entry whose first job (a first job start; later jobs "
                 "do not count again) started on or before the period's last day.",
    "into_work_rate": "UK: into work divided by unemployed at entry (IPS Grow target 40%).",
    "first_job_starts": "UK: clients unemployed at entry whose first job started in the period.",
    "retention_eligible": "UK: clients into work whose first job started at least 13 weeks "
                          "(91 days) before the period's last day.",
    "retained_13_weeks": "UK: of those, clients holding a competitive job 13 weeks (91 days) "
                         "after their first job start.",
    "retention_rate": "UK: retained at 13 weeks divided by eligible (IPS Grow target 65%).",
    "trend": "The headline rate over the period asked for and the 7 before it: employment rate "
             "(us) or into-work rate (uk, where served counts clients unemployed at entry and "
             "employed those into work).",
}

#: Short labels for the figures, as the reports show them.
LABELS: dict[str, str] = {
    "served": "Clients served",
    "employed": "Employed (competitive job)",
    "employment_rate": "Employment rate",
    "new_job_starts": "New job starts",
    "job_ends": "Job ends",
    "in_education": "In education",
    "median_days_to_first_job": "Median days to first job",
    "first_jobs": "Clients in the median",
    "jobs_held": "Jobs held",
    "average_hours_per_week": "Average hours per week",
    "average_hourly_wage": "Average hourly wage",
    "jobs_90_days": "Jobs lasting 90+ days",
    "active": "Active (reached in last 4 weeks)",
    "unemployed_at_entry": "Unemployed at entry",
    "into_work": "Into work",
    "into_work_rate": "Into-work rate",
    "first_job_starts": "First job starts in period",
    "retention_eligible": "Into work 13+ weeks ago",
    "retained_13_weeks": "Working at 13 weeks",
    "retention_rate": "13-week retention",
}


# ---------------------------------------------------------------- periods


@dataclass(frozen=True, order=True)
class Period:
    """A calendar quarter or month; ``number`` is the quarter (1-4) or the month (1-12)."""

    kind: str  # "quarter" | "month"
    year: int
    number: int

    def __post_init__(self) -> None:
        if self.kind not in PERIOD_KINDS:
            raise ValueError(f"unknown period kind '{self.kind}'")
        top = 4 if self.kind == "quarter" else 12
        if not 1 <= self.number <= top:
            raise ValueError(f"a {self.kind} number runs from 1 to {top}")

    @property
    def start(self) -> date:
        month = (self.number - 1) * 3 + 1 if self.kind == "quarter" else self.number
        return date(self.year, month, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """``2026Q3`` or ``2026-10``: the form the command line takes."""
        if self.kind == "quarter":
            return f"{self.year}Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def title(self) -> str:
        """``Q3 2026 (July to September)`` or ``October 2026``."""
        if self.kind == "quarter":
            first = _MONTH_NAMES[(self.number - 1) * 3]
            last = _MONTH_NAMES[(self.number - 1) * 3 + 2]
            return f"Q{self.number} {self.year} ({first} to {last})"
        return f"{_MONTH_NAMES[self.number - 1]} {self.year}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> Period:
        top = 4 if self.kind == "quarter" else 12
        if self.number == top:
            return Period(self.kind, self.year + 1, 1)
        return Period(self.kind, self.year, self.number + 1)

    def previous(self) -> Period:
        top = 4 if self.kind == "quarter" else 12
        if self.number == 1:
            return Period(self.kind, self.year - 1, top)
        return Period(self.kind, self.year, self.number - 1)

    def trend(self, count: int = TREND_PERIODS) -> tuple[Period, ...]:
        """This period and the ``count - 1`` before it, oldest first."""
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        return tuple(reversed(periods))

    @classmethod
    def containing(cls, day: date, kind: str = "quarter") -> Period:
        if kind == "quarter":
            return cls("quarter", day.year, (day.month - 1) // 3 + 1)
        return cls("month", day.year, day.month)

    def __str__(self) -> str:
        return self.label


_QUARTER = re.compile(r"(\d{4})-?Q([1-4])", re.IGNORECASE)
_QUARTER_LIKE = re.compile(r"(\d{4})-?Q(\d+)", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def _year(year: int, text: str) -> int:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise ValueError(f"'{text}': the year must be from {_FIRST_YEAR} to {_LAST_YEAR}")
    return year


def parse_period(text: str, kind: str | None = None) -> Period:
    """A quarter (``2026Q3``, ``2026-Q3``) or a month (``2026-10``) from what a person typed.

    ``kind`` limits what is accepted ("quarter" or "month"); ValueError says what is expected.
    """
    raw = text.strip()
    if kind in (None, "quarter"):
        match = _QUARTER.fullmatch(raw)
        if match:
            return Period("quarter", _year(int(match[1]), text), int(match[2]))
        if _QUARTER_LIKE.fullmatch(raw):
            raise ValueError(f"'{text}' is not a quarter: the quarter is Q1, Q2, Q3 or Q4")
    if kind in (None, "month"):
        match = _MONTH.fullmatch(raw)
        if match:
            month = int(match[2])
            if not 1 <= month <= 12:
                raise ValueError(f"'{text}' is not a month: the month is 01 to 12")
            return Period("month", _year(int(match[1]), text), month)
    expected = {
        "quarter": "a quarter such as 2026Q3",
        "month": "a month such as 2026-10",
        None: "a quarter such as 2026Q3 or a month such as 2026-10",
    }[kind]
    raise ValueError(f"'{text}' is not {expected}")


def default_period(today: date) -> Period:
    """The last complete quarter before ``today`` (the quarter before the one containing it)."""
    return Period.containing(today, "quarter").previous()


# ---------------------------------------------------------------- facts (what the store gives)


@dataclass(frozen=True)
class OutcomeInputs:
    """Everything :func:`build_outcomes` reads."""

    clients: tuple[Client, ...] = ()
    jobs: tuple[Job, ...] = ()
    contacts: tuple[ClientContact, ...] = ()


# ---------------------------------------------------------------- the figures, one function each


def opened_on(client: Client) -> date | None:
    """The day a client was opened: the earlier of referral and start date (None: neither)."""
    days = [d for d in (plain_date(client.referral_date), plain_date(client.start_date)) if d is not None]
    return min(days) if days else None


def is_served(client: Client, start: date, end: date) -> bool:
    """Open at any time in [start, end] (see the module docstring)."""
    opened = opened_on(client)
    if opened is None or opened > end:
        return False
    closed = plain_date(client.closed_date)
    if closed is None:
        return client.stage != "closed"  # closed with no date: when is unknown
    return closed >= start


def served_clients(clients: Iterable[Client], period: Period) -> list[Client]:
    """The clients served in ``period``, by id (each once)."""
    seen: dict[str, Client] = {}
    for c in clients:
        if c.client_id not in seen and is_served(c, period.start, period.end):
            seen[c.client_id] = c
    return [seen[k] for k in sorted(seen)]


def is_held(job: Job, start: date, end: date) -> bool:
    """The job was held on at least one day of [start, end]."""
    job_end = plain_date(job.end_date)
    return plain_date(job.start_date) <= end and (job_end is None or job_end >= start)


def _competitive_jobs_of(jobs: Iterable[Job], client_ids: set[str]) -> list[Job]:
    return [j for j in jobs if j.competitive and j.client_id in client_ids]


def employed_clients(served: Sequence[Client], jobs: Iterable[Job],
                     period: Period) -> list[str]:
    """Ids of the served clients who held a competitive job on any day of the period."""
    ids = {c.client_id for c in served}
    return sorted({j.client_id for j in _competitive_jobs_of(jobs, ids)
                   if is_held(j, period.start, period.end)})


def rate(part: int, whole: int) -> float | None:
    """``part / whole``, or None when there is nothing to divide by."""
    return part / whole if whole else None


def new_job_starts(served: Sequence[Client], jobs: Iterable[Job],
                   period: Period) -> list[Job]:
    """Competitive jobs of served clients starting in the period, by start date."""
    ids = {c.client_id for c in served}
    found = [j for j in _competitive_jobs_of(jobs, ids) if period.contains(plain_date(j.start_date))]
    return sorted(found, key=lambda j: (plain_date(j.start_date), j.client_id, j.job_id))


def job_ends(served: Sequence[Client], jobs: Iterable[Job],
             period: Period) -> list[Job]:
    """Competitive jobs of served clients ending in the period, by end date."""
    ids = {c.client_id for c in served}
    found = [j for j in _competitive_jobs_of(jobs, ids)
             if j.end_date is not None and period.contains(plain_date(j.end_date))]
    return sorted(found, key=lambda j: (plain_date(j.end_date), j.client_id, j.job_id))


def in_education(served: Sequence[Client]) -> list[str]:
    """Ids of the served clients in stage education."""
    return sorted(c.client_id for c in served if c.stage == "education")


def _first_job_start(jobs: Iterable[Job]) -> dict[str, date]:
    """Each client's earliest competitive job start."""
    first: dict[str, date] = {}
    for j in jobs:
        if not j.competitive:
            continue
        start = plain_date(j.start_date)
        if j.client_id not in first or start < first[j.client_id]:
            first[j.client_id] = start
    return first


def first_job_days(served: Sequence[Client], jobs: Iterable[Job],
                   period: Period) -> list[tuple[str, int]]:
    """(client id, days from start date to first job) for served clients whose first competitive
    job ever started in the period, on or after their start date."""
    first = _first_job_start(jobs)
    out = []
    for c in served:
        start = plain_date(c.start_date)
        when = first.get(c.client_id)
        if start is None or when is None or not period.contains(when) or when < start:
            continue
        out.append((c.client_id, (when - start).days))
    return sorted(out)


def median(values: Sequence[float]) -> float | None:
    """The median (mean of the middle two for an even count), or None for no values."""
    return statistics.median(values) if values else None


def jobs_held(served: Sequence[Client], jobs: Iterable[Job],
              period: Period) -> list[Job]:
    """Competitive jobs of served clients held on any day of the period, by job id."""
    ids = {c.client_id for c in served}
    return sorted((j for j in _competitive_jobs_of(jobs, ids) if is_held(j, period.start, period.end)),
                  key=lambda j: j.job_id)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def average_hours_per_week(held: Iterable[Job]) -> float | None:
    """Mean hours per week over the jobs with hours recorded (None if none are)."""
    return _mean([j.hours_per_week for j in held if j.hours_per_week is not None])


def average_hourly_wage(held: Iterable[Job]) -> float | None:
    """Mean hourly wage over the jobs with a wage recorded (None if none are)."""
    return _mean([j.hourly_wage for j in held if j.hourly_wage is not None])


def lasted_days(job: Job, until: date) -> int:
    """Days from the job's start to ``until`` or its end date, whichever comes first."""
    end = plain_date(job.end_date)
    last = until if end is None or end > until else end
    return (last - plain_date(job.start_date)).days


def jobs_lasting_90_days(held: Iterable[Job], period: Period) -> list[str]:
    """Ids of the held jobs that had lasted 90 days by the period end or their end date."""
    return sorted(j.job_id for j in held if lasted_days(j, period.end) >= LASTING_DAYS)


def us_band(employment_rate: float | None) -> str | None:
    """Where a rate falls among the US benchmarks: "excellent", "average", "minimum" or
    "below_minimum" (None for no rate)."""
    if employment_rate is None:
        return None
    band = "below_minimum"
    for name, level in US_BENCHMARKS:
        if employment_rate + 1e-9 >= level:  # 41 of 100 is 41% despite float rounding
            band = name
    return band


def active_clients(served: Sequence[Client], contacts: Iterable[ClientContact],
                   period: Period) -> list[str]:
    """UK: ids of served clients reached (any mode) in the period's last 4 weeks."""
    ids = {c.client_id for c in served}
    since = period.end - timedelta(days=UK_ACTIVE_DAYS - 1)
    return sorted({k.client_id for k in contacts
                   if k.client_id in ids and not k.attempted
                   and since <= plain_date(k.date) <= period.end})


def unemployed_at_entry(served: Sequence[Client], jobs: Iterable[Job]) -> list[str]:
    """UK: ids of served clients with no competitive job starting on or before their start date
    (referral date when there is none)."""
    first = _first_job_start(jobs)
    out = []
    for c in served:
        entry = plain_date(c.entry_date)
        if entry is None:
            continue
        when = first.get(c.client_id)
        if when is None or when > entry:
            out.append(c.client_id)
    return sorted(out)


def into_work(unemployed: Iterable[str], jobs: Iterable[Job], period: Period) -> list[str]:
    """UK: of the clients unemployed at entry, those whose first job started by the period end."""
    first = _first_job_start(jobs)
    return sorted(cid for cid in unemployed
                  if cid in first and first[cid] <= period.end)


def first_job_starts(unemployed: Iterable[str], jobs: Iterable[Job],
                     period: Period) -> list[str]:
    """UK: of the clients unemployed at entry, those whose first job started in the period."""
    first = _first_job_start(jobs)
    return sorted(cid for cid in unemployed if cid in first and period.contains(first[cid]))


def retention_13_weeks(working: Iterable[str], jobs: Iterable[Job],
                       period: Period) -> tuple[list[str], list[str]]:
    """UK: (eligible, retained). Eligible: clients into work whose first job started at least
    13 weeks before the period end; retained: those holding a competitive job 13 weeks after it."""
    jobs = list(jobs)
    first = _first_job_start(jobs)
    by_client: dict[str, list[Job]] = defaultdict(list)
    for j in jobs:
        if j.competitive:
            by_client[j.client_id].append(j)
    eligible, retained = [], []
    latest_start = period.end - timedelta(days=RETENTION_DAYS)
    for cid in sorted(set(working)):
        when = first.get(cid)
        if when is None or when > latest_start:
            continue
        eligible.append(cid)
        day = when + timedelta(days=RETENTION_DAYS)
        if any(is_held(j, day, day) for j in by_client[cid]):
            retained.append(cid)
    return eligible, retained


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class JobLine:
    """A job as an outcome report lists it (clients by id only)."""

    job_id: str
    client_id: str
    specialist: str
    title: str
    employer: str | None
    start: date
    end: date | None
    hours_per_week: float | None
    hourly_wage: float | None
    end_reason: str | None

    def to_dict(self) -> dict:
        return {
            "job_id": self.job_id,
            "client_id": self.client_id,
            "specialist": self.specialist,
            "title": self.title,
            "employer": self.employer,
            "start_date": self.start.isoformat(),
            "end_date": None if self.end is None else self.end.isoformat(),
            "hours_per_week": self.hours_per_week,
            "hourly_wage": self.hourly_wage,
            "end_reason": self.end_reason,
        }


@dataclass(frozen=True)
class Figure:
    """One figure of a report, ready to show: ``unit`` says how to write ``value``."""

    key: str
    value: float | int | None
    unit: str  # count | rate | days | hours | money
    target: float | None = None  # a rate's target, when the report has one
    note: str = ""  # e.g. "12 of 29"

    @property
    def label(self) -> str:
        return LABELS[self.key]

    @property
    def definition(self) -> str:
        return DEFINITIONS[self.key]


@dataclass(frozen=True)
class TrendPoint:
    """The headline rate of one period."""

    period: Period
    served: int
    employed: int

    @property
    def rate(self) -> float | None:
        return rate(self.employed, self.served)

    def to_dict(self) -> dict:
        return {"period": self.period.label, "served": self.served, "employed": self.employed,
                "rate": self.rate}


@dataclass(frozen=True)
class UkFigures:
    """The UK IPS Grow KPIs (client ids)."""

    active: tuple[str, ...] = ()
    unemployed_at_entry: tuple[str, ...] = ()
    into_work: tuple[str, ...] = ()
    first_job_starts: tuple[str, ...] = ()
    retention_eligible: tuple[str, ...] = ()
    retained: tuple[str, ...] = ()

    @property
    def into_work_rate(self) -> float | None:
        return rate(len(self.into_work), len(self.unemployed_at_entry))

    @property
    def retention_rate(self) -> float | None:
        return rate(len(self.retained), len(self.retention_eligible))


@dataclass(frozen=True)
class OutcomeReport:
    """The outcomes of one period (ids of the clients and jobs behind each count)."""

    period: Period
    report: str = "us"  # "us" | "uk"
    specialist: str | None = None
    served: tuple[str, ...] = ()
    employed: tuple[str, ...] = ()
    job_starts: tuple[JobLine, ...] = ()
    job_ends: tuple[JobLine, ...] = ()
    in_education: tuple[str, ...] = ()
    first_job_days: tuple[tuple[str, int], ...] = ()
    jobs_held: tuple[str, ...] = ()
    average_hours_per_week: float | None = None
    average_hourly_wage: float | None = None
    jobs_90_days: tuple[str, ...] = ()
    uk: UkFigures = field(default_factory=UkFigures)
    trend: tuple[TrendPoint, ...] = ()

    @property
    def employment_rate(self) -> float | None:
        return rate(len(self.employed), len(self.served))

    @property
    def band(self) -> str | None:
        """Where the employment rate falls among the US benchmarks."""
        return us_band(self.employment_rate)

    @property
    def median_days_to_first_job(self) -> float | None:
        return median([days for _, days in self.first_job_days])

    @property
    def headline_rate(self) -> float | None:
        """The report's main rate: employment rate (us) or into-work rate (uk)."""
        return self.uk.into_work_rate if self.report == "uk" else self.employment_rate

    def figures(self) -> list[Figure]:
        """The report's figures in the order it shows them (its own headline figures first)."""
        served, employed = len(self.served), len(self.employed)
        common = [
            Figure("new_job_starts", len(self.job_starts), "count"),
            Figure("job_ends", len(self.job_ends), "count"),
            Figure("in_education", len(self.in_education), "count"),
            Figure("median_days_to_first_job", self.median_days_to_first_job, "days"),
            Figure("first_jobs", len(self.first_job_days), "count"),
            Figure("jobs_held", len(self.jobs_held), "count"),
            Figure("average_hours_per_week", self.average_hours_per_week, "hours"),
            Figure("average_hourly_wage", self.average_hourly_wage, "money"),
            Figure("jobs_90_days", len(self.jobs_90_days), "count",
                   note=f"of {len(self.jobs_held)}"),
        ]
        employment = [
            Figure("employed", employed, "count"),
            Figure("employment_rate", self.employment_rate, "rate",
                   target=US_BENCHMARKS[1][1] if self.report == "us" else None,
                   note=f"{employed} of {served}"),
        ]
        if self.report == "us":
            return [Figure("served", served, "count")] + employment + common
        uk = self.uk
        return [
            Figure("served", served, "count"),
            Figure("active", len(uk.active), "count"),
            Figure("unemployed_at_entry", len(uk.unemployed_at_entry), "count"),
            Figure("into_work", len(uk.into_work), "count"),
            Figure("into_work_rate", uk.into_work_rate, "rate", target=UK_INTO_WORK_TARGET,
                   note=f"{len(uk.into_work)} of {len(uk.unemployed_at_entry)}"),
            Figure("first_job_starts", len(uk.first_job_starts), "count"),
            Figure("retention_eligible", len(uk.retention_eligible), "count"),
            Figure("retained_13_weeks", len(uk.retained), "count"),
            Figure("retention_rate", uk.retention_rate, "rate", target=UK_RETENTION_TARGET,
                   note=f"{len(uk.retained)} of {len(uk.retention_eligible)}"),
        ] + employment + common

    def targets(self) -> dict[str, float]:
        """The benchmark or target lines of the report's headline rate."""
        if self.report == "uk":
            return {"into_work": UK_INTO_WORK_TARGET}
        return dict(US_BENCHMARKS)

    def to_dict(self) -> dict:
        """JSON-ready values (the `ips-tui outcomes --format json` contract)."""
        figures = {f.key: f.value for f in self.figures()}
        out: dict = {
            "period": self.period.label,
            "period_start": self.period.start.isoformat(),
            "period_end": self.period.end.isoformat(),
            "specialist": self.specialist,
            "report": self.report,
            "figures": figures,
            "targets": self.targets(),
        }
        if self.report == "us":
            out["band"] = self.band
        out["job_starts"] = [j.to_dict() for j in self.job_starts]
        out["job_ends"] = [j.to_dict() for j in self.job_ends]
        out["trend"] = [t.to_dict() for t in self.trend]
        out["definitions"] = {k: DEFINITIONS[k] for k in list(figures) + ["trend"]}
        return out


def _job_line(job: Job, specialist: str) -> JobLine:
    return JobLine(job_id=job.job_id, client_id=job.client_id, specialist=specialist,
                   title=job.title, employer=job.employer, start=plain_date(job.start_date),
                   end=plain_date(job.end_date), hours_per_week=job.hours_per_week,
                   hourly_wage=job.hourly_wage, end_reason=job.end_reason)


def _uk(served: Sequence[Client], inputs: OutcomeInputs, period: Period) -> UkFigures:
    unemployed = unemployed_at_entry(served, inputs.jobs)
    working = into_work(unemployed, inputs.jobs, period)
    eligible, retained = retention_13_weeks(working, inputs.jobs, period)
    return UkFigures(
        active=tuple(active_clients(served, inputs.contacts, period)),
        unemployed_at_entry=tuple(unemployed),
        into_work=tuple(working),
        first_job_starts=tuple(first_job_starts(unemployed, inputs.jobs, period)),
        retention_eligible=tuple(eligible),
        retained=tuple(retained),
    )


def trend(periods: Iterable[Period], inputs: OutcomeInputs, report: str = "us") -> list[TrendPoint]:
    """The headline rate of each period: served and employed (us), or unemployed at entry and
    into work (uk)."""
    points = []
    for p in periods:
        served = served_clients(inputs.clients, p)
        if report == "uk":
            unemployed = unemployed_at_entry(served, inputs.jobs)
            points.append(TrendPoint(p, len(unemployed), len(into_work(unemployed, inputs.jobs, p))))
        else:
            points.append(TrendPoint(p, len(served), len(employed_clients(served, inputs.jobs, p))))
    return points


def build_outcomes(period: Period, inputs: OutcomeInputs, report: str = "us",
                   specialist: str | None = None) -> OutcomeReport:
    """The outcome report of ``period`` from ``inputs`` (already limited to a specialist's
    clients when ``specialist`` is given; it is only recorded here)."""
    if report not in REPORTS:
        raise ValueError(f"unknown report '{report}'; choose from {', '.join(REPORTS)}")
    served = served_clients(inputs.clients, period)
    specialist_of = {c.client_id: c.specialist for c in served}
    held = jobs_held(served, inputs.jobs, period)
    return OutcomeReport(
        period=period,
        report=report,
        specialist=specialist,
        served=tuple(c.client_id for c in served),
        employed=tuple(employed_clients(served, inputs.jobs, period)),
        job_starts=tuple(_job_line(j, specialist_of[j.client_id])
                         for j in new_job_starts(served, inputs.jobs, period)),
        job_ends=tuple(_job_line(j, specialist_of[j.client_id])
                       for j in job_ends(served, inputs.jobs, period)),
        in_education=tuple(in_education(served)),
        first_job_days=tuple(first_job_days(served, inputs.jobs, period)),
        jobs_held=tuple(j.job_id for j in held),
        average_hours_per_week=average_hours_per_week(held),
        average_hourly_wage=average_hourly_wage(held),
        jobs_90_days=tuple(jobs_lasting_90_days(held, period)),
        uk=_uk(served, inputs, period),
        trend=tuple(trend(period.trend(), inputs, report)),
    )
