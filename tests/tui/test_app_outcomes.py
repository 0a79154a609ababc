"""The Outcomes screen (o): the period's figures agree with the service, fidelity rows, records,
period keys and export."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from app_helpers import TODAY, build_caseload, new_app, text_of, wait_for
from textual.widgets import DataTable, Static

from ips_tui import services
from ips_tui.tui.dialogs.records import RecordsDialog
from ips_tui.tui.forms.form import FormDialog
from ips_tui.tui.screens.outcomes import OutcomesScreen

SIZE = (120, 40)


@pytest.fixture
def app(tmp_path: Path):
    build_caseload(tmp_path / "x.db")
    return new_app(tmp_path)


async def open_outcomes(pilot, app) -> OutcomesScreen:
    await pilot.pause()
    await pilot.press("o")
    await wait_for(pilot, lambda: isinstance(app.screen, OutcomesScreen), what="outcomes screen")
    return app.screen


async def test_outcomes_show_the_last_complete_quarter_and_every_fidelity_item(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_outcomes(pilot, app)
        period = services.outcome_period(None, TODAY)
        assert period.label == "2026Q3"  # 2026-11-23: the last complete quarter is July-September
        assert "Q3 2026" in text_of(screen.query_one("#outcomes-title", Static))
        report = services.outcomes(period)
        figures = text_of(screen.query_one("#outcomes-figures", Static))
        assert f"Clients served {len(report.served)}" in " ".join(figures.split())
        table = screen.query_one("#fidelity-table", DataTable)
        assert table.row_count == len(services.fidelity(period).items)
        statuses = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert statuses <= {"met", "near", "NOT MET", "no data"}


async def test_period_report_shape_and_month_keys(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_outcomes(pilot, app)
        title = lambda: text_of(screen.query_one("#outcomes-title", Static))  # noqa: E731
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: "Q2 2026" in title(), what="previous quarter")
        await pilot.press("p")
        await wait_for(pilot, lambda: "June 2026" in title(), what="its last month")
        await pilot.press("u")
        await wait_for(pilot, lambda: "UK report" in title(), what="UK report shape")


async def test_enter_on_a_fidelity_item_lists_its_records(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_outcomes(pilot, app)
        table = screen.query_one("#fidelity-table", DataTable)
        table.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordsDialog), what="records dialog")
        first = screen.fidelity.items[0]
        assert first.name in app.screen.title_text
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)


async def test_export_writes_owner_only_outcomes_and_fidelity_files(app, tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await open_outcomes(pilot, app)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog), what="export form")
        app.screen.query_one("#f-folder").value = str(out)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, OutcomesScreen), what="saved")
    files = sorted(p.name for p in out.iterdir())
    assert files == ["fidelity-2026Q3.html", "outcomes-2026Q3-us.html"]
    html = (out / "outcomes-2026Q3-us.html").read_text()
    assert "<svg" in html
    if os.name == "posix":
        assert all((out / f).stat().st_mode & 0o777 == 0o600 for f in files)
