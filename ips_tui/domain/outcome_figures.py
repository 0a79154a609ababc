"""The outcome figures, one small pure function each, over the facts about the caseload.

:mod:`ips_tui.domain.outcomes` assembles them into a report; the fidelity indicators
(:mod:`ips_tui.domain.fidelity`) use the same words. :data:`DEFINITIONS` says in one line what
each figure counts (the README quotes it).

Words used throughout (a contract):

* A *period* is a calendar quarter (``2026Q3``) or month (``2026-10``), first and last day
  included (:mod:`ips_tui.domain.periods`). With no period asked for, the report is for the last
  complete quarter before today.
* A client is *opened* on the earlier of their referral date and start date, and *served* in a
  period when opened on or before its last day and not closed before its first day (a client
  closed on the first day was served). A closed client with no closed date is never served: when
  they closed is unknown (``ips-tui check`` warns about them).
* A *job* here is a competitive job: outcome figures never count non-competitive jobs (the
  fidelity scale's competitive-jobs item in :mod:`ips_tui.domain.fidelity` looks at those).
  A job is *held* in a period when it starts on or before the last day and has no end date or
  ends on or after the first day. Only the jobs of served clients are counted.
* ``--specialist`` keeps the clients now assigned to that specialist.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from ips_tui.domain.facts import Client, ClientContact, Job, plain_date
from ips_tui.domain.periods import Period

__all__ = [
    "US_BENCHMARKS",
    "UK_INTO_WORK_TARGET",
    "UK_RETENTION_TARGET",
    "UK_ACTIVE_DAYS",
    "UK_MIN_HOURS",
    "UK_IN_WORK_REFERRALS_LIMIT",
    "RETENTION_DAYS",
    "LASTING_DAYS",
    "DEFINITIONS",
    "LABELS",
    "opened_on",
    "is_served",
    "served_clients",
    "is_held",
    "employed_clients",
    "rate",
    "new_job_starts",
    "job_ends",
    "in_education",
    "first_job_start",
    "first_job_after_entry",
    "counts_as_work",
    "referrals",
    "referrals_in_work",
    "engaged",
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
]

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
#: UK IPS Grow: a job counts as getting into work once the person has done paid work of at least
#: this many hours (read as: hours per week recorded as at least this, or not recorded).
UK_MIN_HOURS = 4
#: UK IPS Grow: job-retention referrals (already in work when referred) should stay under this
#: share of the caseload.
UK_IN_WORK_REFERRALS_LIMIT = 0.15
#: 13 weeks.
RETENTION_DAYS = 91
#: A job "lasting 90 days" has reached its start + 90 days.
LASTING_DAYS = 90

#: One line per figure, saying exactly what it counts (quoted by the README and the reports).
DEFINITIONS: dict[str, str] = {
    "served": "Clients open at any time in the period: opened (the earlier of referral and "
              "start date) by its last day, not closed before its first day (no closed date: "
              "closed on their last recorded activity).",
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
    "referrals": "UK (IPS Grow): clients referred in the period (referral date in it).",
    "referrals_in_work": "UK (IPS Grow): of those referred in the period, clients already holding "
                         "a competitive job on their referral date (job retention; IPS Grow "
                         "suggests under 15% of the caseload).",
    "engaged": "UK (IPS Grow, active/engaged): served clients who had their first meeting (a "
               "start date) by the period's last day and were not discharged by then.",
    "job_starts": "UK (IPS Grow): all competitive job starts of served clients in the period.",
    "unemployed_at_entry": "UK (IPS Grow): served clients out of work at the start of IPS: no "
                           "competitive job held on their start date (referral date when there "
                           "is none); a job that had ended before then does not count.",
    "into_work": "UK (IPS Grow): clients unemployed at entry whose first job after their start "
                 "date (competitive, at least 4 hours a week or hours not recorded; counted once) "
                 "started by the period's last day.",
    "into_work_rate": "UK (IPS Grow employment rate, April 2024): into work divided by "
                      "unemployed at entry (target 40%).",
    "first_job_starts": "UK: clients unemployed at entry whose first job after their start date "
                        "started in the period.",
    "retention_eligible": "UK: clients into work whose first job started at least 13 weeks "
                          "(91 days) before the period's last day.",
    "retained_13_weeks": "UK: of those, clients holding a competitive job 13 weeks (91 days) "
                         "after their first job start.",
    "retention_rate": "UK: retained at 13 weeks divided by eligible (IPS Grow target 65%).",
    "trend": "The headline rate over the period asked for and the 7 before it: employment rate "
             "(us) or into-work rate (uk, whose entries also give unemployed_at_entry and "
             "into_work); served and employed mean the same in both.",
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
    "referrals": "Referrals in period",
    "referrals_in_work": "Referred already in work",
    "engaged": "Active/engaged (started)",
    "job_starts": "Job starts (all)",
    "unemployed_at_entry": "Unemployed at entry",
    "into_work": "Into work",
    "into_work_rate": "Into-work rate",
    "first_job_starts": "First job starts in period",
    "retention_eligible": "Into work 13+ weeks ago",
    "retained_13_weeks": "Working at 13 weeks",
    "retention_rate": "13-week retention",
}


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
    closed = plain_date(client.closed_on)
    if closed is None:
        return client.stage != "closed"  # closed with no date and nothing recorded: unknown
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


def first_job_start(jobs: Iterable[Job]) -> dict[str, date]:
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
    first = first_job_start(jobs)
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
    """UK (IPS Grow): ids of served clients out of work at the start of IPS: holding no
    competitive job on their start date (referral date when there is none). A job that had
    ended before that day does not count; one starting on it does."""
    by_client: dict[str, list[Job]] = defaultdict(list)
    for j in jobs:
        if j.competitive:
            by_client[j.client_id].append(j)
    out = []
    for c in served:
        entry = plain_date(c.entry_date)
        if entry is None:
            continue
        if not any(is_held(j, entry, entry) for j in by_client[c.client_id]):
            out.append(c.client_id)
    return sorted(out)


def counts_as_work(job: Job) -> bool:
    """UK (IPS Grow): a competitive job of at least 4 hours' paid work a week (a job with no hours
    recorded is counted; one recorded under 4 hours is not)."""
    return job.competitive and (job.hours_per_week is None or job.hours_per_week >= UK_MIN_HOURS)


def first_job_after_entry(clients: Iterable[Client], jobs: Iterable[Job],
                          until: date | None = None) -> dict[str, date]:
    """Each client's earliest job start after their start date (referral date when there is
    none) that counts as work (:func:`counts_as_work`) and started by ``until`` (when given: the
    start date must be in the past): the job that takes someone out of work at entry into
    work."""
    entry = {c.client_id: plain_date(c.entry_date) for c in clients}
    first: dict[str, date] = {}
    for j in jobs:
        since = entry.get(j.client_id)
        start = plain_date(j.start_date)
        if not counts_as_work(j) or since is None or start <= since:
            continue
        if until is not None and start > until:
            continue
        if j.client_id not in first or start < first[j.client_id]:
            first[j.client_id] = start
    return first


def referrals(served: Sequence[Client], period: Period) -> list[str]:
    """UK (IPS Grow): ids of the clients referred in the period (referral date in it)."""
    return sorted(c.client_id for c in served
                  if c.referral_date is not None and period.contains(plain_date(c.referral_date)))


def referrals_in_work(referred: Iterable[str], clients: Iterable[Client],
                      jobs: Iterable[Job]) -> list[str]:
    """UK (IPS Grow): of the clients ``referred``, those already holding a competitive job on
    their referral date (job-retention cases)."""
    wanted = set(referred)
    on = {c.client_id: plain_date(c.referral_date) for c in clients if c.client_id in wanted}
    return sorted({j.client_id for j in jobs if j.competitive and j.client_id in on
                   and on[j.client_id] is not None
                   and is_held(j, on[j.client_id], on[j.client_id])})  # type: ignore[arg-type]


def engaged(served: Sequence[Client], period: Period) -> list[str]:
    """UK (IPS Grow, "active/engaged"): served clients who had started (their first meeting held:
    a start date) by the period's last day and were not discharged (closed) by then."""
    out = []
    for c in served:
        started, closed = plain_date(c.start_date), plain_date(c.closed_on)
        if started is not None and started <= period.end and (
                (closed is None and c.stage != "closed") or (closed is not None and closed > period.end)):
            out.append(c.client_id)
    return sorted(out)


def into_work(unemployed: Iterable[str], first: Mapping[str, date], period: Period) -> list[str]:
    """UK: of the clients unemployed at entry, those whose first job after entry (``first``, from
    :func:`first_job_after_entry`) started by the period end."""
    return sorted(cid for cid in unemployed if cid in first and first[cid] <= period.end)


def first_job_starts(unemployed: Iterable[str], first: Mapping[str, date],
                     period: Period) -> list[str]:
    """UK: of the clients unemployed at entry, those whose first job after entry started in the
    period."""
    return sorted(cid for cid in unemployed if cid in first and period.contains(first[cid]))


def retention_13_weeks(working: Iterable[str], first: Mapping[str, date], jobs: Iterable[Job],
                       period: Period) -> tuple[list[str], list[str]]:
    """UK: (eligible, retained). Eligible: clients into work whose first job after entry
    (``first``) started at least 13 weeks before the period end; retained: those holding a
    competitive job 13 weeks after it."""
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
