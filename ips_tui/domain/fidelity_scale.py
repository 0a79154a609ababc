"""The fidelity scale's side of the indicators: which items, their anchors and definitions,
how a figure is judged against its anchor, and the item and report records.

Status (a contract): ``met`` when the figure reaches the anchor; ``near`` when it reaches 80% of
it (for an at-most anchor -- caseload, days -- when the anchor is at least 80% of the figure, so
up to 1.25 times the anchor); ``not_met`` otherwise; and ``no_data`` when there is nothing to
measure (no job starts in the period, say). Items judged per specialist take the worst status.

The indicators themselves are computed in :mod:`ips_tui.domain.fidelity`, which also exports
every public name of this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ips_tui import vocab
from ips_tui.domain.json_values import json_fields
from ips_tui.domain.outcome_figures import rate
from ips_tui.domain.periods import Period

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
    "FidelityItem",
    "FidelityReport",
    "status_of",
    "worst",
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
    "team_assignment": _Item(4, "Integration: team assignment",
                             "90% or more of clients have a mental-health practitioner recorded",
                             0.9, False, "client"),
    "team_contact": _Item(5, "Integration: frequent team contact",
                          "90% or more of clients with a practitioner discussed with their "
                          "mental-health team in the period", 0.9, False, "client"),
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
    "team_assignment": "Share of clients open on the period's last day with a mental-health "
                       "practitioner (care coordinator, case manager) recorded.",
    "team_contact": "Of clients open on the period's last day with a practitioner recorded, the "
                    "share discussed with the practitioner or at the mental-health team meeting "
                    "in the period (the team-contact log).",
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
    "community": "Share of the in-person contacts that reached a served client in the period, "
                 "with a location recorded, that took place in the community (in the community "
                 "over in-person contacts with a location; phone, video, text and email contacts "
                 "are not counted, whatever location was recorded with them).",
    "outreach": "Of clients open for the 30 days ending on the period's last day and not reached "
                "in them, the share with at least one attempted contact logged in those days.",
}


# ---------------------------------------------------------------- items, reports and status


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
        return json_fields(self, "key", "scale_item", "name", "anchor", "figure", "status", "value",
                           "target", "at_most", "record_kind", "records", "details", "definition")


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


def pct(value: float | None) -> str:
    if value is None:
        return "n/a"
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def make_item(key: str, figure: str, value: float | None, records: Iterable[str] = (),
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


def share_item(key: str, good: int, total: int, records: Iterable[str],
               details: Iterable[str], what: str) -> FidelityItem:
    value = rate(good, total)
    figure = f"{pct(value)} ({good} of {total} {what})" if total else f"no {what} in the period"
    return make_item(key, figure, value, records, details)
