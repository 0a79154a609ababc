"""The fidelity reviews screen (v from outcomes): the 25 items with earlier reviews' scores,
anchors and evidence on Enter, 1-5 to score (an override asks why), n to note, at 80x24."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from app_helpers import TODAY, build_caseload, move_cursor_to_key, new_app, text_of, type_text, wait_for
from textual.widgets import DataTable, Static

from ips_tui import services
from ips_tui.domain.periods import parse_period
from ips_tui.store.db import close_store, open_store
from ips_tui.tui.dialogs.records import RecordsDialog
from ips_tui.tui.forms.form import FormDialog
from ips_tui.tui.screens.outcomes import OutcomesScreen
from ips_tui.tui.screens.reviews import ReviewsScreen

SIZE = (80, 24)


@pytest.fixture
def app(tmp_path: Path):
    db = build_caseload(tmp_path / "x.db")
    open_store(db)
    try:
        first = services.new_review(parse_period("2026Q2"), dt.date(2026, 7, 15))
        services.score_review_item(first, 2, 3)
        second = services.new_review(parse_period("2026Q3"), dt.date(2026, 10, 15))
        services.score_review_item(second, 2, 5)
    finally:
        close_store()
    return new_app(tmp_path)


async def open_reviews(pilot, app) -> ReviewsScreen:
    await pilot.pause()
    await pilot.press("o")
    await wait_for(pilot, lambda: isinstance(app.screen, OutcomesScreen), what="outcomes")
    await pilot.press("v")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewsScreen)
                   and app.screen.review is not None, what="the reviews screen")
    return app.screen


def row(table: DataTable, number: int) -> list[str]:
    return [str(c) for c in table.get_row(str(number))]


async def test_v_opens_the_latest_review_with_25_items_and_the_earlier_scores(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reviews(pilot, app)
        table = screen.query_one("#review-table", DataTable)
        assert table.row_count == 25
        assert "R0002" in text_of(screen.query_one("#reviews-title", Static))
        labels = [str(c.label) for c in table.columns.values()]
        assert labels[4] == "2026Q2"  # the earlier review's scores beside this one's
        cells = row(table, 2)
        assert cells[2].startswith("5") and cells[3] == "team" and cells[4] == "3"
        expected = services.review("R0002")
        assert "incomplete" in text_of(screen.query_one("#reviews-summary", Static))
        assert f"Total {expected.total}/125" in text_of(screen.query_one("#reviews-summary", Static))
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: screen.review.review_id == "R0001", what="the earlier one")


async def test_number_keys_score_and_n_notes_the_highlighted_item(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reviews(pilot, app)
        table = screen.query_one("#review-table", DataTable)
        await move_cursor_to_key(pilot, table, "7")
        await pilot.press("4")
        await wait_for(pilot, lambda: screen.review.item(7).score == 4, what="item 7 scored")
        assert row(table, 7)[2] == "4" and row(table, 7)[3] == "team"
        await pilot.press("2")
        await wait_for(pilot, lambda: screen.review.item(7).score == 2, what="rescored")
        assert "!" in row(table, 7)[2]  # 3 or less: in the action plan
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog), what="the note form")
        await type_text(pilot, "no group supervision yet")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewsScreen)
                       and screen.review.item(7).note == "no group supervision yet",
                       what="the note saved")


async def test_overriding_a_computed_score_asks_why_and_keeps_both(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reviews(pilot, app)
        table = screen.query_one("#review-table", DataTable)
        computed = screen.review.item(15).computed_score
        assert computed is not None
        other = 1 if computed != 1 else 2
        await move_cursor_to_key(pilot, table, "15")
        await pilot.press(str(other))
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog), what="the reason form")
        await type_text(pilot, "contacts logged late")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewsScreen)
                       and screen.review.item(15).score == other, what="the override saved")
        item = screen.review.item(15)
        assert (item.computed_score, item.team_score, item.source) == (computed, other, "override")
        assert item.override_reason == "contacts logged late"
        assert row(table, 15)[3] == "ovr"


async def test_enter_shows_the_anchors_and_the_evidence(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reviews(pilot, app)
        table = screen.query_one("#review-table", DataTable)
        await move_cursor_to_key(pilot, table, "1")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordsDialog), what="the item")
        dialog = app.screen
        texts = [text for _, text in dialog.lines]
        item = screen.review.item(1)
        assert texts[:5] == [f"{n}: {a}" + ("  <- this score" if n == item.score else "")
                             for n, a in enumerate(item.anchors, start=1)]
        assert [t for t in texts if t.startswith("Evidence: ")] == \
            [f"Evidence: {line}" for line in item.evidence]
        assert item.evidence  # the caseload's per-specialist lines
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewsScreen), what="back")


async def test_n_on_no_reviews_starts_one(tmp_path: Path):
    build_caseload(tmp_path / "x.db")
    app = new_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OutcomesScreen), what="outcomes")
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewsScreen), what="reviews")
        screen = app.screen
        await wait_for(pilot, lambda: "none yet" in text_of(screen.query_one("#reviews-title", Static)),
                       what="no reviews yet")
        await pilot.press("N")
        await wait_for(pilot, lambda: screen.review is not None, what="a new review")
        assert screen.review.period == services.outcome_period(None, TODAY).label
        assert screen.query_one("#review-table", DataTable).row_count == 25
