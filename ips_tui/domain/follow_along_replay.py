"""The follow-along fidelity item's schedule: the reminders rule replayed over a period.

The fidelity scale asks for follow-along contacts on time (a week before a job start, 3 days
after, weekly for a month, then monthly). Those are the reminders of
:mod:`ips_tui.domain.reminders`; :func:`follow_along_schedule` replays that module's own rule
(:func:`~ips_tui.domain.reminders.follow_along`) day by day to find the reminders that fell due
in a period and whether each was met. It has no windows of its own: a new reminder kind or
window in the reminders module changes the schedule here with no change to this module.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ips_tui import vocab
from ips_tui.domain.facts import Client, ClientContact, Job, plain_date
from ips_tui.domain.outcome_figures import is_served, served_clients
from ips_tui.domain.periods import Period
from ips_tui.domain.reminders import FOLLOW_ALONG_LEAD_DAYS, follow_along, is_qualifying

__all__ = ["ScheduledContact", "follow_along_schedule"]


@dataclass(frozen=True)
class ScheduledContact:
    """A follow-along reminder that fell due in the period, and whether it was met in time."""

    client_id: str
    job_id: str
    kind: str
    due: date
    met: bool
    contact: date | None  # the qualifying contact that met it, or the next one after a miss


def _contact_dates(
    contacts: Iterable[ClientContact],
) -> tuple[Callable[[str, date], date | None], Callable[[str, date | None], date | None]]:
    """Two look-ups over the contacts' dates per client: the latest dated on or before a day,
    and the first dated after a day (after no day: the first of all)."""
    dates: dict[str, list[date]] = defaultdict(list)
    for k in contacts:
        dates[k.client_id].append(plain_date(k.date))
    for v in dates.values():
        v.sort()

    def latest(client_id: str, on: date) -> date | None:
        v = dates.get(client_id, [])
        i = bisect.bisect_right(v, on)
        return v[i - 1] if i else None

    def after(client_id: str, day: date | None) -> date | None:
        v = dates.get(client_id, [])
        i = bisect.bisect_right(v, day) if day is not None else 0
        return v[i] if i < len(v) else None

    return latest, after


def follow_along_schedule(clients: Iterable[Client], jobs: Iterable[Job],
                          contacts: Iterable[ClientContact], period: Period,
                          modes: Iterable[str] = vocab.DEFAULT_FOLLOW_ALONG_MODES,
                          ) -> list[ScheduledContact]:
    """The follow-along reminders that fell due in ``period``, each met or missed.

    The reminders module's own rule (:func:`~ips_tui.domain.reminders.follow_along`, by which
    :func:`~ips_tui.domain.reminders.compute_reminders` lists a job's reminder) is replayed for
    every job of a served client on every day from
    :data:`~ips_tui.domain.reminders.FOLLOW_ALONG_LEAD_DAYS` before the period to its end, on the
    days its client was open (closed clients' jobs call for nothing). A reminder (job, kind, due)
    called for on its due day was missed: no qualifying contact came in time. One that left
    before its due day was met when a new qualifying contact made it go; otherwise the job ended
    or the client closed, and it is not counted.
    """
    modes = frozenset(modes)
    served = {c.client_id: c for c in served_clients(clients, period)}
    latest, after = _contact_dates(
        k for k in contacts
        if k.client_id in served and is_qualifying(k, modes) and plain_date(k.date) <= period.end
    )
    followed = [j for j in jobs if j.client_id in served]
    seen: dict[tuple[str, str, date], tuple[str, date | None]] = {}
    last_seen: dict[tuple[str, str, date], date] = {}
    missed: set[tuple[str, str, date]] = set()
    first, last = period.start, period.end
    on = first - timedelta(days=FOLLOW_ALONG_LEAD_DAYS)
    while on <= last:
        open_today: dict[str, bool] = {}
        for job in followed:
            cid = job.client_id
            if cid not in open_today:
                open_today[cid] = is_served(served[cid], on, on)
            if not open_today[cid]:
                continue
            prior = latest(cid, on)
            found = follow_along(job, prior, on)
            if found is None or not first <= found[1] <= last:
                continue
            key = (job.job_id, *found)
            seen.setdefault(key, (cid, prior))
            last_seen[key] = on
            if found[1] == on:
                missed.add(key)
        on += timedelta(days=1)
    out = []
    for key, (cid, before) in seen.items():
        job_id, kind, due = key
        if key in missed:
            out.append(ScheduledContact(cid, job_id, kind, due, False, after(cid, due)))
            continue
        # It left the list on `gone`: met if a new qualifying contact (dated by then) made it go.
        gone = last_seen[key] + timedelta(days=1)
        made = after(cid, before)
        if made is not None and made <= gone:
            out.append(ScheduledContact(cid, job_id, kind, due, True, made))
    out.sort(key=lambda s: (s.due, s.client_id, s.job_id, s.kind))
    return out
