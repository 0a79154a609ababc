"""SVG snapshots of the main screens on the demo database, at 80x24 and 120x40.

The demo is built around 2026-11-23 with seed 7 and the app's today is fixed, so the pictures do
not move with the clock. The app is given the display path ``demo.db`` (shown in the header) so the
temporary folder's name does not end up in the pictures; the store itself is open on the real file.

Update the pictures after an intended change with ``pytest tests/tui/test_app_snapshots.py
--snapshot-update`` and look at them (tests/tui/__snapshots__/test_app_snapshots/*.svg).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from app_helpers import ME, TODAY, wait_for
from textual.pilot import Pilot
from textual.widgets import DataTable

from ips_tui.demo import create_demo
from ips_tui.tui.app import make_app
from ips_tui.tui.dialogs.help import HelpScreen
from ips_tui.tui.forms.contact import ContactForm
from ips_tui.tui.forms.form import FormDialog
from ips_tui.tui.screens.agenda import AgendaScreen
from ips_tui.tui.screens.caseload import CaseloadScreen
from ips_tui.tui.screens.client import ClientScreen
from ips_tui.tui.screens.employers import EmployerScreen, EmployersScreen
from ips_tui.tui.screens.outcomes import OutcomesScreen
from ips_tui.tui.screens.reminders import RemindersScreen
from ips_tui.tui.screens.today import TodayScreen
from ips_tui.tui.screens.week import ThisWeekScreen

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


def demo_app(tmp_path: Path, theme: str | None = None):
    create_demo(tmp_path / "demo.db", today=TODAY, seed=7)  # leaves the store open on it
    config = tmp_path / "cfg.json"
    if theme:
        config.write_text(json.dumps({"theme": theme}))
    return make_app(Path("demo.db"), as_name=ME, today=TODAY, config_path=config, prewarm=False)


async def _caseload_ready(pilot: Pilot) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CaseloadScreen)
                   and pilot.app.screen.query_one(DataTable).row_count > 0, what="the caseload")


def go(keys: tuple[str, ...], screen_type: type):
    """A run_before: wait for the caseload, press keys, wait for ``screen_type`` to be filled."""

    async def run_before(pilot: Pilot) -> None:
        await _caseload_ready(pilot)
        await pilot.press(*keys)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, screen_type), what=screen_type.__name__)
        await pilot.app.workers.wait_for_complete()  # the screen's records, read in a worker
        await pilot.pause()

    return run_before


SCREENS = {
    "caseload": go((), CaseloadScreen),
    "client": go(("down", "down", "enter"), ClientScreen),
    "reminders": go(("r",), RemindersScreen),
    "employers": go(("e",), EmployersScreen),
    "week": go(("w",), ThisWeekScreen),
    "contact_form": go(("down", "down", "c"), ContactForm),
    # issue 16: every screen at 80x24 and 120x40, the agenda and outcomes included
    "agenda": go(("a",), AgendaScreen),
    "outcomes": go(("o",), OutcomesScreen),
    "employer": go(("e", "enter"), EmployerScreen),
    "help": go(("question_mark",), HelpScreen),
    "reminders_everyone": go(("r", "m"), RemindersScreen),
    "stage_form": go(("down", "down", "enter", "s"), FormDialog),
    "employer_contact_form": go(("e", "c"), FormDialog),
    # the day: each reminder's job in the width left (cut at a word at 80 columns)
    "today": go(("T",), TodayScreen),
}


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
@pytest.mark.parametrize("screen", SCREENS, ids=list(SCREENS))
def test_screen(snap_compare, tmp_path: Path, screen: str, size: str):
    app = demo_app(tmp_path)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=SCREENS[screen])


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark"])
def test_caseload_theme(snap_compare, tmp_path: Path, theme: str):
    app = demo_app(tmp_path, theme=theme)

    async def run_before(pilot: Pilot) -> None:
        await _caseload_ready(pilot)
        assert pilot.app.theme == theme

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_open_contact_80x24(snap_compare, tmp_path: Path):
    """A contact opened from the record's log at 80 columns: every field and the whole note."""
    from ips_tui.store import models as m
    from ips_tui.tui.screens.entry import ClientContactScreen

    app = demo_app(tmp_path)
    # The demo's rows are stamped with the clock when it is made: a fixed time for the picture.
    m.ClientContact.update(created_at="2026-11-05T16:40:00Z", updated_at="2026-11-05T16:40:00Z").execute()

    async def run_before(pilot: Pilot) -> None:
        await go(("down", "down", "enter"), ClientScreen)(pilot)
        await wait_for(pilot, lambda: pilot.app.screen.record is not None, what="the record")
        await pilot.press("down", "enter")  # the second contact: one with a note
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ClientContactScreen)
                       and pilot.app.screen.detail is not None, what="the open contact")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
