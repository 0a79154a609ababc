"""Fidelity indicators for a period: the items of the 25-item IPS Supported Employment Fidelity
Scale that the records can measure, each beside the scale's top-score anchor.

A fidelity review scores a program on 25 items, usually by hand from spreadsheets. Twelve
indicators behind those items follow from what ips-tui records; :func:`build_fidelity` computes
them for a period. It is pure: no database, no clock. Periods, *served*, *held* and *opened* mean
what :mod:`ips_tui.domain.outcomes` says. Every item has a figure, a status and the records that
drive a miss (client ids, job ids, contact ids or specialists' names, as ``record_kind`` says).

Status (a contract): ``met`` when the figure reaches the anchor; ``near`` when it reaches 80% of
it (for an at-most anchor -- caseload, days -- when the anchor is at least 80% of the figure, so
up to 1.25 times the anchor); ``not_met`` otherwise; and ``no_data`` when there is nothing to
measure (no job starts in the period, say). Items judged per specialist take the worst status.
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from ips_tui import vocab
from ips_tui.domain.facts import Client, ClientContact, EmployerContact, Job, plain_date
from ips_tui.domain.outcome_figures import is_held, is_served, median, opened_on, rate, served_clients
from ips_tui.domain.periods import Period
from ips_tui.domain.reminders import FOLLOW_ALONG_LEAD_DAYS, follow_along, is_qualifying

__all__ = [
    "MET",
    "NEAR",
    "NOT_MET",
    "NO_DATA",
    "STATUSES",
    "NEAR_SHARE",
    "NEAR_RULE",
    "ITEMS",
    "DEFINITIONS",
    "FidelityInputs",
    "FidelityItem",
    "FidelityReport",
    "ScheduledContact",
    "status_of",
    "worst",
    "caseload_item",
    "benefits_planning_item",
    "disclosure_item",
    "first_employer_contact_item",
    "employer_contacts_item",
    "job_types_item",
    "employers_item",
    "competitive_item",
    "follow_along_schedule",
    "follow_along_item",
    "time_unlimited_item",
    "community_item",
    "outreach_item",
    "build_fidelity",
]

MET, NEAR, NOT_MET, NO_DATA = "met", "near", "not_met", "no_data"
#: Every status, best first.
STATUSES: tuple[str, ...] = (MET, NEAR, NOT_MET, NO_DATA)
#: A figure within this share of its anchor is "near".
NEAR_SHARE = 0.8
NEAR_RULE = ("Met when the figure reaches the anchor; near when it reaches 80% of the anchor "
             "(for an at-most anchor, when the anchor is at least 80% of the figure, that is up "
             "to 1.25 times the anchor); not met otherwise; no data when there is nothing to "
             "measure in the period.")

_EPS = 1e-9
#: Window of "not seen" for documented outreach.
OUTREACH_DAYS = 30


@dataclass(frozen=True)
class _Item:
    scale_item: int
    name: str
    anchor: str
    target: float
    at_most: bool
    record_kind: str  # client | job | contact | specialist


#: The items, in the scale's order: (scale item number, name, top-score anchor, target, ...).
ITEMS: dict[str, _Item] = {
    "caseload": _Item(1, "Caseload size", "at most 20 clients per specialist",
                      vocab.CASELOAD_TARGET, True, "specialist"),
    "benefits_planning": _Item(12, "Benefits planning before a job start",
                               "100% of job starts offered benefits planning first", 1.0, False,
                               "job"),
    "disclosure": _Item(13, "Disclosure decision recorded",
                        "100% of clients helped to decide about disclosure", 1.0, False,
                        "client"),
    "first_employer_contact": _Item(15, "Rapid job search",
                                    "first employer contact within 30 days of start, on average",
                                    vocab.FIRST_EMPLOYER_CONTACT_DAYS, True, "client"),
    "employer_contacts": _Item(17, "Employer contacts in person",
                               "6 a week per specialist (2 per job seeker with fewer than 3)",
                               vocab.EMPLOYER_CONTACTS_PER_WEEK_TARGET, False, "specialist"),
    "job_types": _Item(19, "Diversity of job types", "85% or more of jobs are different types",
                       0.85, False, "job"),
    "employers": _Item(20, "Diversity of employers",
                       "85% or more of jobs are with different employers", 0.85, False, "job"),
    "competitive": _Item(21, "Competitive jobs", "95% or more of jobs are competitive", 0.95,
                         False, "job"),
    "follow_along": _Item(23, "Follow-along contacts on schedule",
                          "90% of follow-along contacts on time: a week before a job start, "
                          "3 days after, weekly for a month, then monthly", 0.90, False,
                          "client"),
    "time_unlimited": _Item(23, "Time-unlimited follow-along",
                            "support for a year or more on average: 50% of workers past a year "
                            "still supported", 0.50, False, "client"),
    "community": _Item(24, "Community-based services",
                       "65% or more of contacts in the community", 0.65, False, "contact"),
    "outreach": _Item(25, "Documented outreach",
                      "100% of clients not seen in 30 days have outreach attempts logged", 1.0,
                      False, "client"),
}

#: One line per indicator, saying exactly what it measures (quoted by the README and reports).
DEFINITIONS: dict[str, str] = {
    "caseload": "Per specialist, clients open on the period's last day (opened on or before it, "
                "not closed before it); the largest caseload is judged.",
    "benefits_planning": "Share of job starts in the period (any job of a served client) whose "
                         "client was offered benefits planning on or before the start date.",
    "disclosure": "Share of served clients whose disclosure choice is recorded and not "
                  "'undecided'.",
    "first_employer_contact": "Mean days from start date to the first employer contact on the "
                              "client's behalf, over clients whose start date is in the period; "
                              "a client with none yet counts the days to the period's end once "
                              "they pass 30 (before that, too early to tell).",
    "employer_contacts": "Per specialist, in-person employer contacts they made in the period "
                         "divided by its weeks (days / 7), against 6, or 2 per job seeker "
                         "(served clients in stage job search) with fewer than 3; also the "
                         "share made on behalf of a named client. The lowest is judged.",
    "job_types": "Distinct job titles (ignoring case and spacing) divided by jobs started in the "
                 "period by served clients.",
    "employers": "Distinct employers divided by jobs started in the period by served clients "
                 "(a job with no employer recorded counts as its own).",
    "competitive": "Share of the jobs started in the period by served clients that are "
                   "competitive.",
    "follow_along": "Of the follow-along reminders (the reminders rules, replayed day by day) "
                    "that fell due in the period, the share where a qualifying contact was made "
                    "by the due date; reminders dropped because the job ended or the client "
                    "closed are not counted.",
    "time_unlimited": "Of served clients holding a job in the period that started over a year "
                      "before its last day, the share still open at the period end with a "
                      "qualifying contact in the period.",
    "community": "Share of the contacts that reached a served client in the period, with a "
                 "location recorded, that took place in the community.",
    "outreach": "Of clients open for the 30 days ending on the period's last day and not reached "
                "in them, the share with at least one attempted contact logged in those days.",
}


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class FidelityInputs:
    """Everything :func:`build_fidelity` reads.

    ``jobs`` are the clients' jobs starting by the day after the period (a job starting then has
    a before-start reminder due on its last day); ``contacts`` their client contacts (attempts
    included) dated from two months before the period to its end; ``employer_contacts`` those
    dated in the period; ``first_employer_contact`` maps a client id to the date of the first
    employer contact ever made on their behalf.
    """

    clients: tuple[Client, ...] = ()
    jobs: tuple[Job, ...] = ()
    contacts: tuple[ClientContact, ...] = ()
    employer_contacts: tuple[EmployerContact, ...] = ()
    first_employer_contact: Mapping[str, date] = field(default_factory=dict)


# ---------------------------------------------------------------- items and status


@dataclass(frozen=True)
class FidelityItem:
    """One indicator: its figure beside the anchor, a status, and what drives a miss."""

    key: str
    name: str
    anchor: str
    figure: str
    status: str  # met | near | not_met | no_data
    records: list[str] = field(default_factory=list)  # ids driving a miss
    record_kind: str = "client"  # client | job | contact | specialist
    value: float | None = None
    target: float = 0.0
    at_most: bool = False
    scale_item: int = 0
    details: list[str] = field(default_factory=list)  # one line per record or specialist

    @property
    def definition(self) -> str:
        return DEFINITIONS[self.key]

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "scale_item": self.scale_item,
            "name": self.name,
            "anchor": self.anchor,
            "figure": self.figure,
            "status": self.status,
            "value": self.value,
            "target": self.target,
            "at_most": self.at_most,
            "record_kind": self.record_kind,
            "records": list(self.records),
            "details": list(self.details),
            "definition": self.definition,
        }


@dataclass(frozen=True)
class FidelityReport:
    """The fidelity indicators of one period, in the scale's order."""

    period: Period
    specialist: str | None = None
    items: tuple[FidelityItem, ...] = ()

    def item(self, key: str) -> FidelityItem:
        for it in self.items:
            if it.key == key:
                return it
        raise KeyError(key)

    def counts(self) -> dict[str, int]:
        """How many items have each status."""
        out = {s: 0 for s in STATUSES}
        for it in self.items:
            out[it.status] += 1
        return out

    def to_dict(self) -> dict:
        """JSON-ready values (the `ips-tui fidelity --format json` contract)."""
        return {
            "period": self.period.label,
            "period_start": self.period.start.isoformat(),
            "period_end": self.period.end.isoformat(),
            "specialist": self.specialist,
            "near_rule": NEAR_RULE,
            "counts": self.counts(),
            "items": [it.to_dict() for it in self.items],
        }


def status_of(value: float | None, target: float, at_most: bool = False) -> str:
    """met / near / not_met for ``value`` against ``target`` (see :data:`NEAR_RULE`);
    no_data for None."""
    if value is None:
        return NO_DATA
    if at_most:
        if value <= target + _EPS:
            return MET
        return NEAR if target >= NEAR_SHARE * value - _EPS else NOT_MET
    if value >= target - _EPS:
        return MET
    return NEAR if value >= NEAR_SHARE * target - _EPS else NOT_MET


def worst(statuses: Iterable[str]) -> str:
    """The worst of some statuses (no_data when there are none or all are no_data)."""
    real = [s for s in statuses if s != NO_DATA]
    if not real:
        return NO_DATA
    return max(real, key=STATUSES.index)


def _pct(value: float | None) -> str:
    if value is None:
        return "n/a"
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _item(key: str, figure: str, value: float | None, records: Iterable[str] = (),
          details: Iterable[str] = (), status: str | None = None,
          target: float | None = None) -> FidelityItem:
    spec = ITEMS[key]
    goal = spec.target if target is None else target
    return FidelityItem(
        key=key, name=spec.name, anchor=spec.anchor, figure=figure,
        status=status if status is not None else status_of(value, goal, spec.at_most),
        records=list(records), record_kind=spec.record_kind, value=value, target=goal,
        at_most=spec.at_most, scale_item=spec.scale_item, details=list(details),
    )


def _share_item(key: str, good: int, total: int, records: Iterable[str],
                details: Iterable[str], what: str) -> FidelityItem:
    value = rate(good, total)
    figure = f"{_pct(value)} ({good} of {total} {what})" if total else f"no {what} in the period"
    return _item(key, figure, value, records, details)


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
        return _item("caseload", "no clients served in the period", None)
    target = ITEMS["caseload"].target
    largest = max(counts.values())
    who = sorted(s for s, n in counts.items() if n == largest)
    mean = sum(counts.values()) / len(counts)
    figure = (f"largest {largest} ({', '.join(who)}); mean {_num(mean)} over "
              f"{_plural(len(counts), 'specialist')}")
    over = sorted(s for s, n in counts.items() if n > target)
    details = [f"{s}: {n} open clients" + (f" (over {target:g})" if n > target else "")
               for s, n in sorted(counts.items())]
    return _item("caseload", figure, float(largest), over, details)


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
    missed, details = [], []
    for j in starts:
        when = offered.get(j.client_id)
        if when is not None and when <= plain_date(j.start_date):
            continue
        missed.append(j.job_id)
        why = "never offered" if when is None else f"offered {when.isoformat()}, after the start"
        details.append(f"{j.job_id} ({j.client_id}) started {plain_date(j.start_date).isoformat()}: "
                       f"benefits planning {why}")
    return _share_item("benefits_planning", len(starts) - len(missed), len(starts), missed,
                       details, "job starts")


def disclosure_item(served: Sequence[Client]) -> FidelityItem:
    """Item 13: served clients with a disclosure choice other than none/undecided."""
    missed = [c.client_id for c in served if c.disclosure in (None, "", "undecided")]
    details = [f"{c.client_id}: {c.disclosure or 'not recorded'}" for c in served
               if c.client_id in set(missed)]
    return _share_item("disclosure", len(served) - len(missed), len(served), missed, details,
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
            text = f"{_plural(pending, 'client')} started, none yet past 30 days"
        return _item("first_employer_contact", text, None)
    days = [d for _, d, _ in counted]
    mean = sum(days) / len(days)
    late = [(cid, d, has) for cid, d, has in counted if d > limit]
    figure = (f"mean {_num(mean)} days (median {_num(median(days))}) over "  # type: ignore[arg-type]
              f"{_plural(len(counted), 'client')}; {len(late)} over 30 days")
    if pending:
        figure += f"; {pending} too early to tell"
    details = [f"{cid}: {d} days" if has else f"{cid}: no employer contact in {d} days"
               for cid, d, has in late]
    return _item("first_employer_contact", figure, mean, [cid for cid, _, _ in late], details)


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
            if e.on_behalf > 0:
                on_behalf[e.specialist] += 1
    if not specialists:
        return _item("employer_contacts", "no specialists with clients or employer contacts",
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
    figure = (f"lowest {_num(low[1])} a week ({low[0]}, target {low[2]:g}); "
              f"{_pct(share)} of {total} in person were for a named client")
    details = [f"{s}: {_num(w)} a week against {t:g} ({_plural(n, 'job seeker')}), "
               f"{in_person[s]} in person, {on_behalf[s]} for a named client"
               for s, w, t, _, n in rows]
    missed = [s for s, _, _, st, _ in rows if st != MET]
    return _item("employer_contacts", figure, low[1], missed, details,
                 status=worst(r[3] for r in rows), target=low[2])


def _norm_title(title: str) -> str:
    return " ".join(title.casefold().split())


def _repeats(starts: Sequence[Job], key: Callable[[Job], object],
             label: Callable[[Job], str]) -> tuple[int, list[str], list[str]]:
    """(distinct keys, jobs repeating an earlier job's key, one line per repeated key)."""
    groups: dict[object, list[Job]] = {}
    for j in starts:
        groups.setdefault(key(j), []).append(j)
    repeats = sorted(j.job_id for g in groups.values() for j in g[1:])
    details = [f"{label(g[0])}: {', '.join(j.job_id for j in g)}"
               for g in groups.values() if len(g) > 1]
    return len(groups), repeats, details


def job_types_item(served: Sequence[Client], jobs: Iterable[Job],
                   period: Period) -> FidelityItem:
    """Item 19: distinct job titles / jobs started in the period."""
    starts = _job_starts(served, jobs, period)
    distinct, repeats, details = _repeats(starts, lambda j: _norm_title(j.title),
                                          lambda j: j.title)
    value = rate(distinct, len(starts))
    figure = (f"{_pct(value)} ({_plural(distinct, 'distinct title')} in "
              f"{_plural(len(starts), 'job start')})" if starts else "no job starts in the period")
    return _item("job_types", figure, value, repeats, details)


def employers_item(served: Sequence[Client], jobs: Iterable[Job],
                   period: Period) -> FidelityItem:
    """Item 20: distinct employers / jobs started in the period (no employer: its own)."""
    starts = _job_starts(served, jobs, period)
    distinct, repeats, details = _repeats(
        starts, lambda j: j.employer_id if j.employer_id else ("none", j.job_id),
        lambda j: j.employer or str(j.employer_id))
    value = rate(distinct, len(starts))
    figure = (f"{_pct(value)} ({_plural(distinct, 'distinct employer')} in "
              f"{_plural(len(starts), 'job start')})" if starts else "no job starts in the period")
    return _item("employers", figure, value, repeats, details)


def competitive_item(served: Sequence[Client], jobs: Iterable[Job],
                     period: Period) -> FidelityItem:
    """Item 21: competitive jobs / jobs started in the period."""
    starts = _job_starts(served, jobs, period)
    missed = [j.job_id for j in starts if not j.competitive]
    details = [f"{j.job_id} ({j.client_id}): {j.title}, not competitive" for j in starts
               if not j.competitive]
    return _share_item("competitive", len(starts) - len(missed), len(starts), missed, details,
                       "job starts")


# ---------------------------------------------------------------- follow-along on schedule


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
            found = follow_along(job, latest(cid, on), on)
            if found is None or not first <= found[1] <= last:
                continue
            key = (job.job_id, *found)
            seen.setdefault(key, (cid, latest(cid, on)))
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


def follow_along_item(schedule: Sequence[ScheduledContact]) -> FidelityItem:
    """Follow-along reminders due in the period that were met by their due date."""
    missed = [s for s in schedule if not s.met]
    details = [
        f"{s.client_id} {s.job_id} {s.kind.replace('_', ' ')} due {s.due.isoformat()}: "
        + (f"contact on {s.contact.isoformat()}" if s.contact else "no contact since")
        for s in missed
    ]
    records = sorted({s.client_id for s in missed})
    return _share_item("follow_along", len(schedule) - len(missed), len(schedule), records,
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
        details.append(f"{cid}: {'; '.join(why)}")
    return _share_item("time_unlimited", len(workers) - len(missed), len(workers), missed,
                       details, "workers past a year")


def community_item(served: Sequence[Client], contacts: Iterable[ClientContact],
                   period: Period) -> FidelityItem:
    """Item 24: reached contacts in the period, with a location, that were in the community."""
    ids = {c.client_id for c in served}
    reached = [k for k in contacts if k.client_id in ids and not k.attempted
               and period.contains(plain_date(k.date))]
    placed = [k for k in reached if k.location]
    office = sorted((k for k in placed if k.location != "community"),
                    key=lambda k: (plain_date(k.date), k.id))
    item = _share_item("community", len(placed) - len(office), len(placed),
                       [str(k.id) for k in office],
                       [f"contact {k.id}: {k.client_id} {plain_date(k.date).isoformat()} "
                        f"{k.location}" for k in office],
                       "contacts with a location")
    unplaced = len(reached) - len(placed)
    if unplaced:
        item = dataclasses.replace(
            item, figure=f"{item.figure}; {_plural(unplaced, 'contact')} with no location left out")
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
              and opened_on(c) <= since and c.client_id not in reached]  # type: ignore[operator]
    missed = [cid for cid in silent if cid not in tried]
    details = [f"{cid}: not reached and no attempt logged from {since.isoformat()} to "
               f"{period.end.isoformat()}" for cid in missed]
    return _share_item("outreach", len(silent) - len(missed), len(silent), missed, details,
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
        benefits_planning_item(served, inputs.jobs, period),
        disclosure_item(served),
        first_employer_contact_item(served, inputs.first_employer_contact, period),
        employer_contacts_item(served, inputs.employer_contacts, period, specialist),
        job_types_item(served, inputs.jobs, period),
        employers_item(served, inputs.jobs, period),
        competitive_item(served, inputs.jobs, period),
        follow_along_item(schedule),
        time_unlimited_item(served, inputs.jobs, contacts, period, modes),
        community_item(served, contacts, period),
        outreach_item(served, contacts, period),
    ]
    return FidelityReport(period=period, specialist=specialist, items=tuple(items))
