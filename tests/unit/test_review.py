"""The fidelity review's rules: every computed item lands on each of its five anchors (both sides
of every edge, worked by hand from the scale), the levels, the action plan, and overrides."""

from __future__ import annotations

import datetime as dt

import pytest
from facts_helpers import client, contact, job

from ips_tui.domain import fidelity as fid
from ips_tui.domain.fidelity import FidelityInputs, FidelityReport, build_fidelity, make_item
from ips_tui.domain.periods import parse_period
from ips_tui.domain.review import (
    Review,
    ReviewItem,
    blank_items,
    computed_scores,
    item_number,
    level_of,
)
from ips_tui.domain.review_scale import BY_KEY, BY_NUMBER, COMPUTED_FROM, ITEMS, SECTIONS

Q3 = parse_period("2026Q3")


def test_the_scale_has_25_items_with_five_anchors_each_in_order():
    assert [it.number for it in ITEMS] == list(range(1, 26))
    assert len({it.key for it in ITEMS}) == 25
    assert all(len(it.anchors) == 5 and all(a.strip() for a in it.anchors) for it in ITEMS)
    assert [it.section for it in ITEMS] == ["Staffing"] * 3 + ["Organization"] * 8 + ["Services"] * 14
    assert set(SECTIONS) == {"Staffing", "Organization", "Services"}
    # The items the existing fidelity figures stand for keep the scale numbers they give.
    for fkey, spec in fid.ITEMS.items():
        owner = next(k for k, figures in COMPUTED_FROM.items() if fkey in figures)
        assert BY_KEY[owner].number == spec.scale_item


def _report(**values: float | None) -> FidelityReport:
    """Every figure with no data except those given (value), so one item is read at a time."""
    items = []
    for key in fid.ITEMS:
        value = values.get(key)
        target = 6.0 if key == "employer_contacts" else None
        items.append(make_item(key, f"figure {value}", value, target=target))
    return FidelityReport(period=Q3, items=tuple(items))


# (figure key, value, score): the edges of each band, from the scale's anchors.
EDGES = [
    # 1 caseload: <=20: 5, 21-25: 4, 26-30: 3, 31-40: 2, 41+: 1
    ("caseload", "caseload", 20, 5), ("caseload", "caseload", 21, 4),
    ("caseload", "caseload", 25, 4), ("caseload", "caseload", 26, 3),
    ("caseload", "caseload", 30, 3), ("caseload", "caseload", 31, 2),
    ("caseload", "caseload", 40, 2), ("caseload", "caseload", 41, 1),
    # 15 rapid search: mean days <=30: 5, 31-60: 4, 61-150: 3, 151-270: 2, 271+: 1
    ("rapid_search", "first_employer_contact", 30, 5),
    ("rapid_search", "first_employer_contact", 30.5, 4),
    ("rapid_search", "first_employer_contact", 60, 4),
    ("rapid_search", "first_employer_contact", 61, 3),
    ("rapid_search", "first_employer_contact", 150, 3),
    ("rapid_search", "first_employer_contact", 151, 2),
    ("rapid_search", "first_employer_contact", 270, 2),
    ("rapid_search", "first_employer_contact", 271, 1),
    # 17 employer contacts a week (target 6): 6+: 5, 5: 4, 3-4: 3, 2: 2, <2: 1
    ("employer_contacts", "employer_contacts", 6, 5),
    ("employer_contacts", "employer_contacts", 5.99, 4),
    ("employer_contacts", "employer_contacts", 5, 4),
    ("employer_contacts", "employer_contacts", 4.99, 3),
    ("employer_contacts", "employer_contacts", 3, 3),
    ("employer_contacts", "employer_contacts", 2.99, 2),
    ("employer_contacts", "employer_contacts", 2, 2),
    ("employer_contacts", "employer_contacts", 1.99, 1),
    # 19, 20 diversity: 85%+: 5, 70-84: 4, 60-69: 3, 50-59: 2, <50: 1
    *[(k, k, v, s) for k in ("job_types", "employers") for v, s in (
        (0.85, 5), (0.84, 4), (0.70, 4), (0.69, 3), (0.60, 3), (0.59, 2), (0.50, 2), (0.49, 1))],
    # 21 competitive: 95%+: 5, 85-94: 4, 75-84: 3, 64-74: 2, <64: 1
    *[("competitive", "competitive", v, s) for v, s in (
        (0.95, 5), (0.94, 4), (0.85, 4), (0.84, 3), (0.75, 3), (0.74, 2), (0.64, 2), (0.63, 1))],
    # 24 community: 65%+: 5, 50-64: 4, 40-49: 3, 11-39: 2, <=10: 1
    *[("community", "community", v, s) for v, s in (
        (0.65, 5), (0.64, 4), (0.50, 4), (0.49, 3), (0.40, 3), (0.39, 2), (0.11, 2), (0.10, 1))],
    # 4, 5, 12, 13, 25 and 23 (shares): 90%+: 5, 75-89: 4, 50-74: 3, 25-49: 2, <25: 1
    *[(item, k, v, s) for item, k in (("team_assignment", "team_assignment"),
                                      ("team_contact", "team_contact"),
                                      ("benefits_planning", "benefits_planning"),
                                      ("disclosure", "disclosure"), ("outreach", "outreach"),
                                      ("time_unlimited", "follow_along"),
                                      ("time_unlimited", "time_unlimited"))
      for v, s in ((0.90, 5), (0.89, 4), (0.75, 4), (0.74, 3), (0.50, 3), (0.49, 2),
                   (0.25, 2), (0.24, 1))],
]


@pytest.mark.parametrize(("item", "figure", "value", "score"), EDGES,
                         ids=[f"{f}={v}" for _, f, v, _ in EDGES])
def test_each_computed_item_lands_on_each_anchor(item, figure, value, score):
    got = computed_scores(_report(**{figure: value}))[item]
    assert got.score == score
    assert f"figure {value}" in got.figure


def test_every_computed_item_reaches_all_five_scores():
    reached: dict[str, set[int]] = {}
    for item, _, _, score in EDGES:
        reached.setdefault(item, set()).add(score)
    assert set(reached) == set(COMPUTED_FROM)
    assert all(scores == {1, 2, 3, 4, 5} for scores in reached.values())


def test_employer_contacts_are_scaled_to_the_job_seekers_target():
    # 2 job seekers: the target is 4 a week; 4 a week is the top anchor, 2 a week is 3 of 6.
    items = [make_item(k, "f", None) for k in fid.ITEMS if k != "employer_contacts"]
    for value, score in ((4.0, 5), (2.0, 3)):
        ec = make_item("employer_contacts", "f", value, target=4.0)
        assert computed_scores(FidelityReport(Q3, items=(*items, ec)))["employer_contacts"].score == score


def test_item_23_takes_the_lower_of_its_two_figures_and_one_alone_when_the_other_has_no_data():
    assert computed_scores(_report(follow_along=0.95, time_unlimited=0.60))["time_unlimited"].score == 3
    assert computed_scores(_report(follow_along=0.40))["time_unlimited"].score == 2
    nothing = computed_scores(_report())
    assert all(c.score is None for c in nothing.values())
    assert "for the team to score" in nothing["caseload"].figure


def test_caseload_from_real_facts_21_open_clients_is_a_4_and_20_a_5():
    for open_clients, score in ((20, 5), (21, 4)):
        clients = tuple(client(f"C{i:04d}", start="2026-01-05") for i in range(open_clients))
        report = build_fidelity(Q3, FidelityInputs(clients=clients))
        got = computed_scores(report)["caseload"]
        assert got.score == score
        assert got.evidence == (f"Sam: {open_clients} open clients"
                                + (" (over 20)" if open_clients > 20 else ""),)


def test_the_records_behind_a_miss_are_the_evidence():
    clients = (client("C0001", start="2026-01-05", benefits_planning_date=None),
               client("C0002", start="2026-01-05",
                      benefits_planning_date=dt.date(2026, 7, 1)))
    jobs = (job("J0001", "C0001", "2026-08-03"), job("J0002", "C0002", "2026-08-03"))
    contacts = (contact("C0001", "2026-08-01"),)
    got = computed_scores(build_fidelity(Q3, FidelityInputs(clients=clients, jobs=jobs,
                                                            contacts=contacts)))
    assert got["benefits_planning"].score == 3  # 1 of 2 = 50%
    assert got["benefits_planning"].evidence == (
        "J0001 (C0001) started 2026-08-03: benefits planning never offered",)


# ---------------------------------------------------------------- totals, levels, plan


def _review(scores: list[int | None]) -> Review:
    return Review("R0001", dt.date(2026, 10, 5), "2026Q3",
                  items=tuple(ReviewItem(n, team_score=s) for n, s in enumerate(scores, start=1)))


@pytest.mark.parametrize(("scores", "total", "level"), [
    ([5] * 25, 125, "exemplary"),
    ([5] * 15 + [4] * 10, 115, "exemplary"),
    ([5] * 14 + [4] * 11, 114, "good"),
    ([4] * 25, 100, "good"),
    ([4] * 24 + [3], 99, "fair"),
    ([3] * 24 + [2], 74, "fair"),
    ([3] * 23 + [2, 2], 73, "not_ips"),
    ([1] * 25, 25, "not_ips"),
    ([5] * 24 + [None], 120, "incomplete"),
])
def test_a_review_scored_to_each_level(scores, total, level):
    r = _review(scores)
    assert (r.total, r.level) == (total, level)
    assert r.to_dict()["level"] == level


def test_level_edges():
    assert [level_of(t, True) for t in (125, 115, 114, 100, 99, 74, 73, 25)] == [
        "exemplary", "exemplary", "good", "good", "fair", "fair", "not_ips", "not_ips"]
    assert level_of(125, False) == "incomplete"


def test_the_action_plan_is_every_item_at_3_or_less_with_the_next_anchor():
    scores: list[int | None] = [5] * 25
    scores[0], scores[6], scores[11], scores[20] = 3, 1, 4, None
    r = _review(scores)
    plan = r.action_plan()
    assert [(p.number, p.score) for p in plan] == [(1, 3), (7, 1)]
    assert plan[0].next_anchor == BY_NUMBER[1].anchors[3]  # what a 4 asks: 21-25 per specialist
    assert plan[1].next_anchor == BY_NUMBER[7].anchors[1]


def test_an_override_keeps_both_scores_and_its_reason():
    it = ReviewItem(1, computed_score=5, team_score=3, override_reason="two posts vacant")
    assert (it.score, it.source) == (3, "override")
    d = it.to_dict()
    assert (d["score"], d["computed_score"], d["source"], d["override_reason"]) == (
        3, 5, "override", "two posts vacant")
    assert ReviewItem(1, computed_score=5).source == "records"
    assert ReviewItem(2, team_score=4).source == "team"
    assert ReviewItem(2).source == "team" and ReviewItem(2).score is None


def test_history_puts_earlier_scores_beside_each_item():
    old, new = _review([2] * 25), _review([4] * 25)
    shown = new.with_history([old])
    assert shown.history[1] == (2,) and shown.history_labels == ("R0001 2026Q3",)


def test_a_new_review_fills_only_the_computed_items():
    items = blank_items(computed_scores(_report(caseload=22, competitive=0.5)))
    assert [it.number for it in items] == list(range(1, 26))
    assert items[0].computed_score == 4 and items[20].computed_score == 1
    assert all(it.computed_score is None for it in items if it.key not in COMPUTED_FROM)


def test_items_are_named_by_number_or_key():
    assert item_number("7") == 7 and item_number("Caseload") == 1
    with pytest.raises(ValueError):
        item_number("26")
