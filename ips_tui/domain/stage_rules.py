"""Does a client's stage agree with their jobs? The one rule the caseload, the client forms and
``ips-tui check`` share.

A job's end date is its last day: on that day the job is over for the stage's sake (ending a job
"today" and moving the client back to job search the same day is no contradiction). A job that
has not started yet still counts for ``employed`` (a client may be moved to Employed when they
accept an offer), but only a job already started makes a job seeker's stage wrong.

* ``employed`` with no job that goes on after today (started or about to start): they are between
  jobs, so the stage should be job search.
* ``referred``, ``engaged`` or ``job_search`` while holding a competitive job today: employed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ips_tui import vocab
from ips_tui.domain.facts import Job

#: The stages a client holding a competitive job should not be in.
SEEKING_STAGES: tuple[str, ...] = ("referred", "engaged", "job_search")


@dataclass(frozen=True)
class StageIssue:
    """A stage that contradicts the jobs: why, and the stage the facts point to."""

    client_id: str
    stage: str
    suggested: str
    reason: str  # e.g. "Employed, but no current or upcoming job"
    job_id: str | None = None  # the job that makes a job seeker's stage wrong


def goes_on(job: Job, today: date) -> bool:
    """Whether the job is not over by the end of ``today`` (started or not)."""
    return job.end_date is None or job.end_date > today


def held(job: Job, today: date) -> bool:
    """Whether the client works in the job today and after (started, not over)."""
    return job.start_date <= today and goes_on(job, today)


def stage_issue(client_id: str, stage: str, jobs: Iterable[Job], today: date) -> StageIssue | None:
    """How ``stage`` contradicts the client's ``jobs`` on ``today``, or None when it does not."""
    jobs = list(jobs)
    if stage == "employed":
        if not any(goes_on(j, today) for j in jobs):
            return StageIssue(client_id, stage, "job_search",
                              "Employed, but no current or upcoming job")
        return None
    if stage in SEEKING_STAGES:
        working = sorted((j for j in jobs if j.competitive and held(j, today)),
                         key=lambda j: (j.start_date, j.job_id))
        if working:
            job = working[0]
            what = f"{job.title} " if job.title else ""
            return StageIssue(client_id, stage, "employed",
                              f"{vocab.label(stage)}, but holds a competitive job "
                              f"({what}{job.job_id}, since {job.start_date.isoformat()})",
                              job.job_id)
    return None


def offers_employed(stage: str) -> bool:
    """Whether adding a current competitive job should offer to move the client to Employed:
    any open stage but employed (a closed client's job is history, not a new start)."""
    return stage in vocab.OPEN_STAGES and stage != "employed"


def offers_job_search(stage: str, other_jobs: Iterable[Job], today: date) -> bool:
    """Whether ending a job should offer to move the client back to job search: an employed
    client with no other job going on after today."""
    return stage == "employed" and not any(goes_on(j, today) for j in other_jobs)
