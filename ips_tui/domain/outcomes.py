"""Employment outcomes for a month or a quarter, computed from plain facts about the caseload.

IPS programs report their outcomes every quarter: how many people they served, how many of them
worked, new jobs, jobs that ended, and so on. This module assembles those figures into a report.
It is pure: no database and no clock; the period is passed in. Each figure is a small function
of the facts that :mod:`ips_tui.store.outcome_queries` reads, in
:mod:`ips_tui.domain.outcome_figures` (with the words used throughout, a contract, and
:data:`DEFINITIONS`); periods are in :mod:`ips_tui.domain.periods`. The public names of those
two modules are importable from here too.

Two report shapes use these figures: ``us``, the US IPS Learning Community quarterly report
(employment rate against the 31% / 41% / 50% benchmarks), and ``uk``, the UK IPS Grow KPIs
(into-work rate among people unemployed at entry against 40%, and 13-week retention against 65%).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ips_tui.domain import outcome_figures, periods
from ips_tui.domain.facts import Client, ClientContact, Job, plain_date
from ips_tui.domain.json_values import json_fields
from ips_tui.domain.outcome_figures import *  # noqa: F403 -- re-exported, see __all__
from ips_tui.domain.outcome_figures import (
    DEFINITIONS,
    LABELS,
    UK_INTO_WORK_TARGET,
    UK_RETENTION_TARGET,
    US_BENCHMARKS,
    active_clients,
    average_hourly_wage,
    average_hours_per_week,
    employed_clients,
    engaged,
    first_job_after_entry,
    first_job_days,
    first_job_starts,
    in_education,
    into_work,
    job_ends,
    jobs_held,
    jobs_lasting_90_days,
    median,
    new_job_starts,
    rate,
    referrals,
    referrals_in_work,
    retention_13_weeks,
    served_clients,
    unemployed_at_entry,
    us_band,
)
from ips_tui.domain.periods import *  # noqa: F403 -- re-exported, see __all__
from ips_tui.domain.periods import Period

__all__ = [
    "REPORTS",
    "OutcomeInputs",
    "JobLine",
    "Figure",
    "TrendPoint",
    "UkFigures",
    "OutcomeReport",
    "trend",
    "build_outcomes",
    *periods.__all__,
    *outcome_figures.__all__,
]

#: The report shapes of ``ips-tui outcomes --report``.
REPORTS: tuple[str, ...] = ("us", "uk")


@dataclass(frozen=True)
class OutcomeInputs:
    """Everything :func:`build_outcomes` reads."""

    clients: tuple[Client, ...] = ()
    jobs: tuple[Job, ...] = ()
    contacts: tuple[ClientContact, ...] = ()


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
        return json_fields(self, "job_id", "client_id", "specialist", "title", "employer",
                           "start_date=start", "end_date=end", "hours_per_week", "hourly_wage",
                           "end_reason")


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
    unemployed_at_entry: int = 0  # uk
    into_work: int = 0  # uk
    report: str = "us"

    @property
    def rate(self) -> float | None:
        """The report's headline rate: employment rate (us), into-work rate (uk)."""
        if self.report == "uk":
            return rate(self.into_work, self.unemployed_at_entry)
        return rate(self.employed, self.served)

    @property
    def counts(self) -> tuple[int, int]:
        """The two counts behind the rate: (served, employed) for us, (unemployed at entry, into
        work) for uk."""
        if self.report == "uk":
            return self.unemployed_at_entry, self.into_work
        return self.served, self.employed

    def to_dict(self) -> dict:
        out = {"period": self.period.label, "served": self.served, "employed": self.employed,
               "rate": self.rate}
        if self.report == "uk":
            out.update(unemployed_at_entry=self.unemployed_at_entry, into_work=self.into_work)
        return out


@dataclass(frozen=True)
class UkFigures:
    """The UK IPS Grow KPIs (client ids)."""

    active: tuple[str, ...] = ()
    referrals: tuple[str, ...] = ()
    referrals_in_work: tuple[str, ...] = ()
    engaged: tuple[str, ...] = ()
    job_starts: tuple[str, ...] = ()  # job ids
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
            Figure("referrals", len(uk.referrals), "count"),
            Figure("referrals_in_work", len(uk.referrals_in_work), "count",
                   note=f"of {len(uk.referrals)}"),
            Figure("active", len(uk.active), "count"),
            Figure("engaged", len(uk.engaged), "count"),
            Figure("job_starts", len(uk.job_starts), "count"),
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


def _uk(served: Sequence[Client], inputs: OutcomeInputs, period: Period,
        today: date | None = None) -> UkFigures:
    unemployed = unemployed_at_entry(served, inputs.jobs)
    first = first_job_after_entry(served, inputs.jobs, until=today)
    working = into_work(unemployed, first, period)
    eligible, retained = retention_13_weeks(working, first, inputs.jobs, period)
    referred = referrals(served, period)
    return UkFigures(
        active=tuple(active_clients(served, inputs.contacts, period)),
        referrals=tuple(referred),
        referrals_in_work=tuple(referrals_in_work(referred, served, inputs.jobs)),
        engaged=tuple(engaged(served, period)),
        job_starts=tuple(j.job_id for j in new_job_starts(served, inputs.jobs, period)),
        unemployed_at_entry=tuple(unemployed),
        into_work=tuple(working),
        first_job_starts=tuple(first_job_starts(unemployed, first, period)),
        retention_eligible=tuple(eligible),
        retained=tuple(retained),
    )


def trend(periods: Iterable[Period], inputs: OutcomeInputs, report: str = "us",
          today: date | None = None) -> list[TrendPoint]:
    """The headline rate of each period: served and employed (us), or unemployed at entry and
    into work (uk)."""
    points = []
    for p in periods:
        served = served_clients(inputs.clients, p)
        if report == "uk":
            unemployed = unemployed_at_entry(served, inputs.jobs)
            first = first_job_after_entry(served, inputs.jobs, until=today)
            points.append(TrendPoint(p, len(served), len(employed_clients(served, inputs.jobs, p)),
                                     unemployed_at_entry=len(unemployed),
                                     into_work=len(into_work(unemployed, first, p)), report="uk"))
        else:
            points.append(TrendPoint(p, len(served), len(employed_clients(served, inputs.jobs, p))))
    return points


def build_outcomes(period: Period, inputs: OutcomeInputs, report: str = "us",
                   specialist: str | None = None, today: date | None = None) -> OutcomeReport:
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
        uk=_uk(served, inputs, period, today),
        trend=tuple(trend(period.trend(), inputs, report, today)),
    )
