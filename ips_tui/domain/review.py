"""A fidelity review: the 25 items of the IPS-25 scale scored, with the evidence, the total, the
level and the action plan. Pure: the store keeps reviews, :func:`computed_scores` turns the
fidelity figures of a period into the scores records can give.

Rules (a contract, quoted by the README):

* an item's **score** is the team's when the team gave one (for an item the records scored, that
  is an *override*, kept beside the computed score with its reason), else the computed score;
* **source**: ``override`` when the team's score replaces a computed one, ``records`` when the
  item is scored (or scorable) from records and not overridden, ``team`` otherwise;
* the **total** adds the 25 scores (25-125); the **level** is ``exemplary`` (115-125), ``good``
  (100-114), ``fair`` (74-99) or ``not_ips`` (73 or less), and ``incomplete`` while any item is
  unscored (the total then adds the items scored so far);
* the **action plan** is every item scoring 3 or less: its score, what the anchor for the next
  score asks, and the owner and date the team typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from ips_tui.domain.fidelity_scale import FidelityItem, FidelityReport
from ips_tui.domain.json_values import json_fields
from ips_tui.domain.periods import Period, parse_period
from ips_tui.domain.review_scale import BANDS, BY_KEY, BY_NUMBER, COMPUTED_FROM, ITEMS, score_of

__all__ = [
    "MAX_TOTAL",
    "LEVELS",
    "LEVEL_WORDS",
    "PLAN_AT_MOST",
    "SOURCES",
    "Computed",
    "ReviewItem",
    "Review",
    "PlanEntry",
    "level_of",
    "computed_scores",
    "blank_items",
    "band_words",
    "item_number",
]

MAX_TOTAL = 125
EXEMPLARY, GOOD, FAIR, NOT_IPS, INCOMPLETE = "exemplary", "good", "fair", "not_ips", "incomplete"
#: Every level, best first, then incomplete.
LEVELS: tuple[str, ...] = (EXEMPLARY, GOOD, FAIR, NOT_IPS, INCOMPLETE)
LEVEL_WORDS = {EXEMPLARY: "exemplary fidelity (115-125)", GOOD: "good fidelity (100-114)",
               FAIR: "fair fidelity (74-99)", NOT_IPS: "not IPS (73 or less)",
               INCOMPLETE: "incomplete (items still to score)"}
#: Items scoring this or less go into the action plan.
PLAN_AT_MOST = 3
RECORDS, TEAM, OVERRIDE = "records", "team", "override"
SOURCES: tuple[str, ...] = (RECORDS, TEAM, OVERRIDE)


def level_of(total: int, complete: bool) -> str:
    """The level of a total (``incomplete`` unless every item is scored)."""
    if not complete:
        return INCOMPLETE
    if total >= 115:
        return EXEMPLARY
    if total >= 100:
        return GOOD
    if total >= 74:
        return FAIR
    return NOT_IPS


@dataclass(frozen=True)
class Computed:
    """What the records say about one item: a score (None: nothing to measure), the figure and
    the evidence (the records behind the figure, one line each)."""

    score: int | None
    figure: str
    evidence: tuple[str, ...] = ()


def _evidence(it: FidelityItem) -> list[str]:
    lines = list(it.details)
    if it.records and not lines:
        lines.append(f"{it.record_kind}s: {', '.join(it.records)}")
    return lines


def computed_scores(report: FidelityReport) -> dict[str, Computed]:
    """The computed items (keys of :data:`COMPUTED_FROM`) from a period's fidelity figures."""
    out: dict[str, Computed] = {}
    for key, figures in COMPUTED_FROM.items():
        scores: list[int] = []
        texts: list[str] = []
        evidence: list[str] = []
        for fkey in figures:
            it = report.item(fkey)
            label = f"{it.name}: " if len(figures) > 1 else ""
            texts.append(label + it.figure)
            evidence.extend(_evidence(it))
            if it.value is None:
                continue
            value = it.value
            if fkey == "employer_contacts":  # scaled to the usual target of 6 a week
                value = value * 6 / it.target if it.target > 0 else 6.0
            scores.append(score_of(fkey, value))
        score = min(scores) if scores else None
        figure = "; ".join(texts)
        if score is None:
            figure += " (nothing to measure: for the team to score)"
        out[key] = Computed(score, figure, tuple(evidence))
    return out


def band_words(key: str) -> str:
    """How the records score an item, in words ("" for a team item)."""
    return " Lower of: ".join(BANDS[f].words for f in COMPUTED_FROM.get(key, ()))


@dataclass(frozen=True)
class ReviewItem:
    """One item of one review as stored: the computed score (records items), the team's score
    (an override when a computed score exists), and the team's words."""

    number: int
    computed_score: int | None = None
    team_score: int | None = None
    figure: str = ""
    evidence: tuple[str, ...] = ()
    note: str | None = None
    override_reason: str | None = None
    owner: str | None = None
    due: dt.date | None = None
    version: int = 1

    @property
    def key(self) -> str:
        return BY_NUMBER[self.number].key

    @property
    def name(self) -> str:
        return BY_NUMBER[self.number].name

    @property
    def anchors(self) -> tuple[str, ...]:
        return BY_NUMBER[self.number].anchors

    @property
    def computable(self) -> bool:
        return self.key in COMPUTED_FROM

    @property
    def score(self) -> int | None:
        return self.team_score if self.team_score is not None else self.computed_score

    @property
    def source(self) -> str:
        if self.team_score is not None and self.computed_score is not None:
            return OVERRIDE
        if self.team_score is None and self.computable:
            return RECORDS
        return TEAM

    @property
    def next_anchor(self) -> str | None:
        """What the anchor one above the score asks (None when unscored or at 5)."""
        if self.score is None or self.score >= 5:
            return None
        return BY_NUMBER[self.number].anchor(self.score + 1)

    def to_dict(self) -> dict:
        """The review JSON's item (a contract), with the override and plan beside it."""
        out = json_fields(self, "number", "key", "name", "score", "source")
        out["figure"] = self.figure or None
        out["evidence"] = list(self.evidence)
        out["note"] = self.note
        out["computed_score"] = self.computed_score
        out["override_reason"] = self.override_reason
        out["owner"] = self.owner
        out["due"] = self.due.isoformat() if self.due else None
        return out


def blank_items(computed: Mapping[str, Computed]) -> tuple[ReviewItem, ...]:
    """The 25 items of a new review, the computed ones filled."""
    out = []
    for it in ITEMS:
        c = computed.get(it.key)
        out.append(ReviewItem(it.number) if c is None else
                   ReviewItem(it.number, computed_score=c.score, figure=c.figure,
                              evidence=c.evidence))
    return tuple(out)


@dataclass(frozen=True)
class PlanEntry:
    """One line of the action plan."""

    number: int
    name: str
    score: int
    next_anchor: str
    owner: str | None
    due: dt.date | None

    def to_dict(self) -> dict:
        return json_fields(self, "number", "name", "score", "next_anchor", "owner", "due")


@dataclass(frozen=True)
class Review:
    """A dated review of one period, with its 25 items in the scale's order. ``history`` maps
    each item number to its scores in earlier reviews (oldest first) with their labels in
    ``history_labels``."""

    review_id: str
    date: dt.date
    period: str  # 2026Q3 or 2026-10
    participants: str | None = None
    notes: str | None = None
    items: tuple[ReviewItem, ...] = ()
    version: int = 1
    history_labels: tuple[str, ...] = ()
    history: Mapping[int, tuple[int | None, ...]] = field(default_factory=dict)

    @property
    def period_value(self) -> Period:
        return parse_period(self.period)

    @property
    def period_start(self) -> dt.date:
        return self.period_value.start

    @property
    def period_end(self) -> dt.date:
        return self.period_value.end

    def item(self, number: int) -> ReviewItem:
        for it in self.items:
            if it.number == number:
                return it
        raise KeyError(number)

    @property
    def total(self) -> int:
        return sum(it.score or 0 for it in self.items)

    @property
    def scored(self) -> int:
        return sum(1 for it in self.items if it.score is not None)

    @property
    def complete(self) -> bool:
        return len(self.items) == len(ITEMS) and self.scored == len(ITEMS)

    @property
    def level(self) -> str:
        return level_of(self.total, self.complete)

    def action_plan(self) -> list[PlanEntry]:
        return [PlanEntry(it.number, it.name, it.score, it.next_anchor or "", it.owner, it.due)
                for it in self.items if it.score is not None and it.score <= PLAN_AT_MOST]

    def with_history(self, earlier: Sequence[Review]) -> Review:
        """This review with the scores of ``earlier`` reviews (oldest first) beside its items."""
        labels = tuple(f"{r.review_id} {r.period}" for r in earlier)
        history = {it.number: tuple(_score_in(r, it.number) for r in earlier)
                   for it in ITEMS}
        return replace(self, history_labels=labels, history=history)

    def to_dict(self) -> dict:
        """JSON-ready values (the `ips-tui review show --format json` contract)."""
        return {
            "review_id": self.review_id,
            "date": self.date.isoformat(),
            "period": self.period,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "participants": self.participants,
            "total": self.total,
            "max": MAX_TOTAL,
            "level": self.level,
            "scored": self.scored,
            "items": [it.to_dict() for it in self.items],
            "action_plan": [p.to_dict() for p in self.action_plan()],
        }


def _score_in(review: Review, number: int) -> int | None:
    try:
        return review.item(number).score
    except KeyError:
        return None


def item_number(text: str) -> int:
    """An item named by its number (``7``) or key (``vocational_unit``); ValueError otherwise."""
    raw = text.strip()
    if raw.isdigit() and int(raw) in BY_NUMBER:
        return int(raw)
    if raw.lower() in BY_KEY:
        return BY_KEY[raw.lower()].number
    raise ValueError(f"'{text}' is not an item of the scale: give its number (1-25) or key "
                     f"(caseload, employment_staff, ...)")
