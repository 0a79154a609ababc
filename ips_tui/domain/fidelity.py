"""Fidelity indicators for a period: the items of the 25-item IPS Supported Employment Fidelity
Scale that the records can measure, each beside the scale's top-score anchor.

A fidelity review scores a program on 25 items, usually by hand from spreadsheets. Fourteen
indicators behind those items follow from what ips-tui records; :func:`build_fidelity` computes
them for a period. It is pure: no database, no clock. Periods, *served*, *held* and *opened* mean
what :mod:`ips_tui.domain.outcomes` says. Every item has a figure, a status and the records that
drive a miss (client ids, job ids, contact ids or specialists' names, as ``record_kind`` says).

How a figure is judged against its anchor (met, near, not met, no data), the items' anchors and
definitions, and the item and report records are in :mod:`ips_tui.domain.fidelity_scale`; the
follow-along item's schedule replays the reminder rules in
:mod:`ips_tui.domain.follow_along_replay`. Both modules' public names are importable from here.
"""

from __future__ import annotations

import calendar
import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from ips_tui import vocab
from ips_tui.domain import fidelity_scale, follow_along_replay
from ips_tui.domain.facts import Client, ClientContact, EmployerContact, Job, TeamContact, plain_date
from ips_tui.domain.fidelity_scale import *  # noqa: F403 -- re-exported, see __all__
from ips_tui.domain.fidelity_scale import (
    ITEMS,
    MET,
    STATUSES,
    FidelityItem,
    FidelityReport,
    make_item,
    num,
    pct,
    plural,
    share_item,
    status_of,
    worst,
)
from ips_tui.domain.follow_along_replay import ScheduledContact, follow_along_schedule
from ips_tui.domain.outcome_figures import is_held, is_served, median, opened_on, rate, served_clients
from ips_tui.domain.periods import Period
from ips_tui.domain.reminders import is_qualifying

__all__ = [
    "FidelityInputs",
    "caseload_item",
    "team_assignment_item",
    "team_contact_item",
    "benefits_planning_item",
    "disclosure_item",
    "first_employer_contact_item",
    "employer_contacts_item",
    "job_types_item",
    "employers_item",
    "competitive_item",
    "follow_along_item",
    "time_unlimited_item",
    "community_item",
    "outreach_item",
    "build_fidelity",
    *fidelity_scale.__all__,
    *follow_along_replay.__all__,
]

#: Window of "not seen" for documented outreach.
OUTREACH_DAYS = 30


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class FidelityInputs:
    """Everything :func:`build_fidelity` reads.

    ``jobs`` are the clients' jobs starting by
    :func:`~ips_tui.domain.reminders.last_start_due_by` the period's last day (the jobs that can
    have a follow-along reminder due in it); ``contacts`` their client contacts (attempts
    included) dated from two reminder leads (two months) before the period to its end; ``employer_contacts`` those
    dated in the period; ``first_employer_contact`` maps a client id to the date of the first
    employer contact ever made on their behalf.
    """

    clients: tuple[Client, ...] = ()
    jobs: tuple[Job, ...] = ()
    contacts: tuple[ClientContact, ...] = ()
    employer_contacts: tuple[EmployerContact, ...] = ()
    first_employer_contact: Mapping[str, date] = field(default_factory=dict)
    #: The team-contact log's entries dated in the period.
    team_contacts: tuple[TeamContact, ...] = ()


def _year_before(d: date) -> date:
    day = min(d.day, calendar.monthrange(d.year - 1, d.month)[1])
    return date(d.year - 1, d.month, day)


# ---------------------------------------------------------------- the items, one function each


def caseload_item(served: Sequence[Client], period: Period) -> FidelityItem:
    """Item 1: clients open on the period's last day, per specialist; the largest is judged."""
    counts: dict[str, int] = defaultdict(int)
    for c in served:
        counts.setdefault(c.specialist, 0)
        if is_served(c, period.end, period.end):
            counts[c.specialist] += 1
    if not counts:
        return make_item("caseload", "no clients served in the period", None)
    target = ITEMS["caseload"].target
    largest = max(counts.values())
    who = sorted(s for s, n in counts.items() if n == largest)
    mean = sum(counts.values()) / len(counts)
    figure = (f"largest {largest} ({', '.join(who)}); mean {num(mean)} over "
              f"{plural(len(counts), 'specialist')}")
    over = sorted(s for s, n in counts.items() if n > target)
    details = [f"{s}: {n} open clients" + (f" (over {target:g})" if n > target else "")
               for s, n in sorted(counts.items())]
    return make_item("caseload", figure, float(largest), over, details)


def team_assignment_item(served: Sequence[Client], period: Period) -> FidelityItem:
    """Item 4: clients open on the period's last day with a mental-health practitioner."""
    open_now = [c for c in served if is_served(c, period.end, period.end)]
    missing = [c.client_id for c in open_now if not c.mh_practitioner]
    details = [f"{cid}: no mental-health practitioner recorded" for cid in missing]
    return share_item("team_assignment", len(open_now) - len(missing), len(open_now), missing,
                      details, "open clients")


def team_contact_item(served: Sequence[Client], team_contacts: Iterable[TeamContact],
                      period: Period) -> FidelityItem:
    """Item 5: clients with a practitioner discussed with their team in the period."""
    discussed = {t.client_id for t in team_contacts if period.contains(plain_date(t.date))}
    with_one = [c for c in served if is_served(c, period.end, period.end) and c.mh_practitioner]
    missing = [c.client_id for c in with_one if c.client_id not in discussed]
    details = [f"{cid}: not discussed with the mental-health team from {period.start.isoformat()} "
               f"to {period.end.isoformat()}" for cid in missing]
    return share_item("team_contact", len(with_one) - len(missing), len(with_one), missing,
                      details, "open clients with a practitioner")


def _who(clients: Iterable[Client]) -> Callable[[str], str]:
    """How a detail names a client: by id only, as every fidelity report does (a review can
    leave the team); the app puts the client's name beside the id where it shows a detail."""
    return str


def _job_starts(served: Sequence[Client], jobs: Iterable[Job],
                period: Period) -> list[Job]:
    """Every job (competitive or not) of a served client starting in the period, by start."""
    ids = {c.client_id for c in served}
    found = [j for j in jobs if j.client_id in ids and period.contains(plain_date(j.start_date))]
    return sorted(found, key=lambda j: (plain_date(j.start_date), j.job_id))


def benefits_planning_item(served: Sequence[Client], jobs: Iterable[Job],
                           period: Period) -> FidelityItem:
    """Item 12: job starts whose client was offered benefits planning on or before the start."""
    offered = {c.client_id: plain_date(c.benefits_planning_date) for c in served}
    starts = _job_starts(served, jobs, period)
    who = _who(served)
    missed, details = [], []
    for j in starts:
        when = offered.get(j.client_id)
        if when is not None and when <= plain_date(j.start_date):
            continue
        missed.append(j.job_id)
        why = "never offered" if when is None else f"offered {when.isoformat()}, after the start"
        details.append(f"{who(j.client_id)}: {j.name} started {plain_date(j.start_date).isoformat()}, "
                       f"benefits planning {why}")
    return share_item("benefits_planning", len(starts) - len(missed), len(starts), missed,
                      details, "job starts")


def disclosure_item(served: Sequence[Client]) -> FidelityItem:
    """Item 13: served clients with a disclosure choice other than none/undecided."""
    missed = [c.client_id for c in served if c.disclosure in (None, "", "undecided")]
    who = _who(served)
    details = [f"{who(c.client_id)}: {c.disclosure or 'not recorded'}" for c in served
               if c.client_id in set(missed)]
    return share_item("disclosure", len(served) - len(missed), len(served), missed, details,
                      "served clients")


def first_employer_contact_item(served: Sequence[Client],
                                first_contact: Mapping[str, date],
                                period: Period) -> FidelityItem:
    """Item 15: mean days from start to first employer contact, clients started in the period."""
    limit = vocab.FIRST_EMPLOYER_CONTACT_DAYS
    counted: list[tuple[str, int, bool]] = []  # (client, days, has a contact)
    pending = 0
    for c in served:
        start = plain_date(c.start_date)
        if start is None or not period.contains(start):
            continue
        first = plain_date(first_contact.get(c.client_id))
        if first is not None:
            counted.append((c.client_id, max((first - start).days, 0), True))
            continue
        waited = (period.end - start).days
        if waited > limit:
            counted.append((c.client_id, waited, False))
        else:
            pending += 1
    if not counted:
        text = "no clients started in the period"
        if pending:
            text = f"{plural(pending, 'client')} started, none yet past 30 days"
        return make_item("first_employer_contact", text, None)
    days = [d for _, d, _ in counted]
    mean = sum(days) / len(days)
    late = [(cid, d, has) for cid, d, has in counted if d > limit]
    figure = (f"mean {num(mean)} days (median {num(median(days))}) over "  # type: ignore[arg-type]  # days is not empty here, so its median is a number
              f"{plural(len(counted), 'client')}; {len(late)} over 30 days")
    if pending:
        figure += f"; {pending} too early to tell"
    who = _who(served)
    details = [f"{who(cid)}: {d} days" if has else f"{who(cid)}: no employer contact in {d} days"
               for cid, d, has in late]
    return make_item("first_employer_contact", figure, mean, [cid for cid, _, _ in late], details)


def employer_contacts_item(served: Sequence[Client],
                           employer_contacts: Iterable[EmployerContact],
                           period: Period, specialist: str | None = None) -> FidelityItem:
    """Item 17: in-person employer contacts a week per specialist against their target."""
    weeks = period.days / 7
    in_person: dict[str, int] = defaultdict(int)
    on_behalf: dict[str, int] = defaultdict(int)
    specialists = {c.specialist for c in served}
    for e in employer_contacts:
        if specialist is not None and e.specialist != specialist:
            continue
        if not period.contains(plain_date(e.date)):
            continue
        specialists.add(e.specialist)
        if e.mode == "in_person":
            in_person[e.specialist] += 1
            if e.clients_on_behalf > 0:
                on_behalf[e.specialist] += 1
    if not specialists:
        return make_item("employer_contacts", "no specialists with clients or employer contacts",
                         None)
    seekers: dict[str, int] = defaultdict(int)
    for c in served:
        if c.stage == "job_search":
            seekers[c.specialist] += 1
    full = ITEMS["employer_contacts"].target
    rows = []
    for s in sorted(specialists):
        n = seekers[s]
        target = float(full) if n >= 3 else 2.0 * n
        per_week = in_person[s] / weeks
        rows.append((s, per_week, target, status_of(per_week, target), n))
    order = {st: i for i, st in enumerate(STATUSES)}
    low = min(rows, key=lambda r: (-order[r[3]], r[1] - r[2], r[0]))
    total = sum(in_person.values())
    share = rate(sum(on_behalf.values()), total)
    figure = (f"lowest {num(low[1])} a week ({low[0]}, target {low[2]:g}); "
              f"{pct(share)} of {total} in person were for a named client")
    details = [f"{s}: {num(w)} a week against {t:g} ({plural(n, 'job seeker')}), "
               f"{in_person[s]} in person, {on_behalf[s]} for a named client"
               for s, w, t, _, n in rows]
    missed = [s for s, _, _, st, _ in rows if st != MET]
    return make_item("employer_contacts", figure, low[1], missed, details,
                     status=worst(r[3] for r in rows), target=low[2])


def _norm_title(title: str) -> str:
    return " ".join(title.casefold().split())


def _repeats(starts: Sequence[Job], key: Callable[[Job], object],
             label: Callable[[Job], str],
             describe: Callable[[Job], str] = lambda j: j.job_id) -> tuple[int, list[str], list[str]]:
    """(distinct keys, jobs repeating an earlier job's key, one line per repeated key with its
    jobs ``describe``d)."""
    groups: dict[object, list[Job]] = {}
    for j in starts:
        groups.setdefault(key(j), []).append(j)
    repeats = sorted(j.job_id for g in groups.values() for j in g[1:])
    details = [f"{label(g[0])}: {', '.join(describe(j) for j in g)}"
               for g in groups.values() if len(g) > 1]
    return len(groups), repeats, details


def _diversity_item(key: str, noun: str, starts: Sequence[Job], group: Callable[[Job], object],
                    name: Callable[[Job], str],
                    describe: Callable[[Job], str] = lambda j: j.job_id) -> FidelityItem:
    """Distinct ``group`` values among the jobs started in the period, per job start."""
    distinct, repeats, details = _repeats(starts, group, name, describe)
    value = rate(distinct, len(starts))
    figure = (f"{pct(value)} ({plural(distinct, noun)} in "
              f"{plural(len(starts), 'job start')})" if starts else "no job starts in the period")
    return make_item(key, figure, value, repeats, details)


def job_types_item(served: Sequence[Client], jobs: Iterable[Job],
                   period: Period) -> FidelityItem:
    """Item 19: distinct job titles / jobs started in the period."""
    return _diversity_item("job_types", "distinct title", _job_starts(served, jobs, period),
                           lambda j: _norm_title(j.title), lambda j: j.title,
                           lambda j: f"{j.client_id} at {j.employer}" if j.employer else j.client_id)


def employers_item(served: Sequence[Client], jobs: Iterable[Job],
                   period: Period) -> FidelityItem:
    """Item 20: distinct employers / jobs started in the period (no employer: its own)."""
    return _diversity_item("employers", "distinct employer", _job_starts(served, jobs, period),
                           lambda j: j.employer_id if j.employer_id else ("none", j.job_id),
                           lambda j: j.employer or str(j.employer_id),
                           lambda j: f"{j.client_id} as {' '.join(j.title.split())}" if j.title.strip()
                           else j.client_id)


def competitive_item(served: Sequence[Client], jobs: Iterable[Job],
                     period: Period) -> FidelityItem:
    """Item 21: competitive jobs / jobs started in the period."""
    starts = _job_starts(served, jobs, period)
    missed = [j.job_id for j in starts if not j.competitive]
    who = _who(served)
    details = [f"{who(j.client_id)}: {j.name}, not competitive" for j in starts
               if not j.competitive]
    return share_item("competitive", len(starts) - len(missed), len(starts), missed, details,
                      "job starts")


def follow_along_item(schedule: Sequence[ScheduledContact], clients: Iterable[Client] = (),
                      jobs: Iterable[Job] = ()) -> FidelityItem:
    """Follow-along reminders due in the period that were met by their due date (each miss
    named by the client and the job, from ``clients`` and ``jobs``)."""
    missed = [s for s in schedule if not s.met]
    who = _who(clients)
    job_names = {j.job_id: j.name for j in jobs}
    details = [
        f"{who(s.client_id)}, {job_names.get(s.job_id, s.job_id)}: "
        f"{s.kind.replace('_', ' ')} due {s.due.isoformat()}, "
        + (f"contact on {s.contact.isoformat()}" if s.contact else "no contact since")
        for s in missed
    ]
    records = sorted({s.client_id for s in missed})
    return share_item("follow_along", len(schedule) - len(missed), len(schedule), records,
                      details, "follow-along contacts due")


def time_unlimited_item(served: Sequence[Client], jobs: Iterable[Job],
                        contacts: Iterable[ClientContact], period: Period,
                        modes: Iterable[str] = vocab.DEFAULT_FOLLOW_ALONG_MODES) -> FidelityItem:
    """Workers past a year in their job still open and reached (follow-along) in the period."""
    modes = frozenset(modes)
    by_id = {c.client_id: c for c in served}
    year_ago = _year_before(period.end)
    workers = sorted({j.client_id for j in jobs
                      if j.client_id in by_id and plain_date(j.start_date) < year_ago
                      and is_held(j, period.start, period.end)})
    reached = {k.client_id for k in contacts
               if is_qualifying(k, modes) and period.contains(plain_date(k.date))}
    missed, details = [], []
    for cid in workers:
        still_open = is_served(by_id[cid], period.end + timedelta(days=1), period.end + timedelta(days=1))
        if still_open and cid in reached:
            continue
        missed.append(cid)
        why = [] if still_open else ["closed by the period end"]
        if cid not in reached:
            why.append("no follow-along contact in the period")
        details.append(f"{_who(served)(cid)}: {'; '.join(why)}")
    return share_item("time_unlimited", len(workers) - len(missed), len(workers), missed,
                      details, "workers past a year")


def community_item(served: Sequence[Client], contacts: Iterable[ClientContact],
                   period: Period) -> FidelityItem:
    """Item 24: in-person contacts that reached a served client in the period, with a location,
    that were in the community. Only an in-person contact can be in the community: a phone call,
    video call, text or email is left out whatever location was recorded with it."""
    ids = {c.client_id for c in served}
    reached = [k for k in contacts if k.client_id in ids and not k.attempted
               and period.contains(plain_date(k.date))]
    remote = sum(1 for k in reached if k.mode != "in_person")
    reached = [k for k in reached if k.mode == "in_person"]
    placed = [k for k in reached if k.location]
    office = sorted((k for k in placed if k.location != "community"),
                    key=lambda k: (plain_date(k.date), k.id))
    item = share_item("community", len(placed) - len(office), len(placed),
                      [str(k.id) for k in office],
                      [f"{_who(served)(k.client_id)} on {plain_date(k.date).isoformat()}: "
                       f"{vocab.label(k.location)}" for k in office],
                      "in-person contacts with a location")
    unplaced = len(reached) - len(placed)
    left_out = ([f"{plural(unplaced, 'in-person contact')} with no location"] if unplaced else []) + (
        [f"{plural(remote, 'contact')} not in person"] if remote else [])
    if left_out:
        item = dataclasses.replace(item, figure=f"{item.figure}; {' and '.join(left_out)} left out")
    return item


def outreach_item(served: Sequence[Client], contacts: Iterable[ClientContact],
                  period: Period) -> FidelityItem:
    """Item 25: clients not reached in the last 30 days who have an attempt logged in them."""
    since = period.end - timedelta(days=OUTREACH_DAYS - 1)
    reached: set[str] = set()
    tried: set[str] = set()
    for k in contacts:
        if since <= plain_date(k.date) <= period.end:
            (tried if k.attempted else reached).add(k.client_id)
    silent = [c.client_id for c in served
              if is_served(c, since, period.end) and is_served(c, period.end, period.end)
              and opened_on(c) <= since and c.client_id not in reached]  # type: ignore[operator]  # served clients have an opening date
    missed = [cid for cid in silent if cid not in tried]
    who = _who(served)
    details = [f"{who(cid)}: not reached and no attempt logged from {since.isoformat()} to "
               f"{period.end.isoformat()}" for cid in missed]
    return share_item("outreach", len(silent) - len(missed), len(silent), missed, details,
                      "clients not seen in 30 days")


# ---------------------------------------------------------------- the report


def build_fidelity(period: Period, inputs: FidelityInputs,
                   modes: Iterable[str] = vocab.DEFAULT_FOLLOW_ALONG_MODES,
                   specialist: str | None = None) -> FidelityReport:
    """Every indicator for ``period`` (inputs already limited to a specialist's clients when
    ``specialist`` is given; employer contacts are kept to that specialist's own)."""
    modes = tuple(modes)
    served = served_clients(inputs.clients, period)
    ids = {c.client_id for c in served}
    contacts = [k for k in inputs.contacts if k.client_id in ids]
    schedule = follow_along_schedule(served, inputs.jobs, contacts, period, modes)
    items = [
        caseload_item(served, period),
        team_assignment_item(served, period),
        team_contact_item(served, inputs.team_contacts, period),
        benefits_planning_item(served, inputs.jobs, period),
        disclosure_item(served),
        first_employer_contact_item(served, inputs.first_employer_contact, period),
        employer_contacts_item(served, inputs.employer_contacts, period, specialist),
        job_types_item(served, inputs.jobs, period),
        employers_item(served, inputs.jobs, period),
        competitive_item(served, inputs.jobs, period),
        follow_along_item(schedule, served, inputs.jobs),
        time_unlimited_item(served, inputs.jobs, contacts, period, modes),
        community_item(served, contacts, period),
        outreach_item(served, contacts, period),
    ]
    return FidelityReport(period=period, specialist=specialist, items=tuple(items))
