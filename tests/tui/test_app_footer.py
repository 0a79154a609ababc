"""The key bar at 80x24 on screens whose keys do not all fit: the command palette's key, docked on
the right, owns the last cells of the bar, so none of the keys running on under it shows
through beside it (it once did in the last column: "^p palettee")."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import build_caseload, caseload_shown, new_app, wait_for
from textual.widgets._footer import FooterKey

from ips_tui.tui.screens.employers import EmployerScreen
from ips_tui.tui.screens.outcomes import OutcomesScreen
from ips_tui.tui.screens.today import TodayScreen
from ips_tui.tui.widgets.footer import SteadyFooter

SMALL = (80, 24)


@pytest.mark.parametrize(("keys", "screen_type"), [
    (("T",), TodayScreen),
    (("o",), OutcomesScreen),
    (("e", "enter"), EmployerScreen),
], ids=["today", "outcomes", "employer_log"])
async def test_the_palette_key_owns_the_end_of_a_full_key_bar(tmp_path: Path, keys, screen_type):
    build_caseload(tmp_path / "x.db")
    app = new_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await caseload_shown(pilot)
        await pilot.press(*keys)
        await wait_for(pilot, lambda: isinstance(app.screen, screen_type), what=screen_type.__name__)
        await app.workers.wait_for_complete()
        await pilot.pause()
        footer = app.screen.query_one(SteadyFooter)
        await wait_for(pilot, lambda: footer.query(".-command-palette"), what="the palette key")
        palette = footer.query_one(".-command-palette", FooterKey)
        keys_shown = [key for key in footer.query(FooterKey) if key is not palette]
        width, height = SMALL
        y = height - 1
        # The keys do not all fit: the last of them runs on under the palette key.
        assert keys_shown[-1].region.right > palette.region.x
        # Every cell from the palette key's left border to the right edge is the palette key's.
        assert palette.region.right == width
        for x in range(palette.region.x, width):
            widget, _ = app.screen.get_widget_at(x, y)
            assert widget is palette, (x, widget)
        # ... and it is its border, "^p palette" and one blank cell of its own.
        assert palette.region.width == len("▏^p palette ")
