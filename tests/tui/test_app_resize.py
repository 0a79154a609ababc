"""A screen laid out again when the terminal's width changes (tui/screens/base.py, relayout).

Each screen fits its tables to the width it is drawn at (a note cut at a word to the room left,
a client's id left out at 80 columns). After a resize the screen must show what it would have
shown had it been opened at the new size, from the records it already holds (no query), with
the cursor on the same row and the table scrolled where it was, and columns no wider than what
they hold; back at the first size, the same text as at first. Dragging a window's edge lays it
out once, when the dragging stops. (The caseload, the week and the reviews fit any width: a
resize changes nothing there.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import peewee
import pytest
from app_helpers import ME, SIZE, TODAY, build_caseload, caseload_shown, cursor_key, new_app, wait_for
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from ips_tui import services
from ips_tui.demo import create_demo
from ips_tui.tui.app import make_app
from ips_tui.tui.screens.base import DataScreen
from ips_tui.tui.screens.caseload import CaseloadScreen
from ips_tui.tui.screens.client import ClientScreen
from ips_tui.tui.screens.employers import EmployerScreen, EmployersScreen
from ips_tui.tui.screens.entry import ClientContactScreen
from ips_tui.tui.screens.outcomes import OutcomesScreen
from ips_tui.tui.screens.reminders import RemindersScreen
from ips_tui.tui.screens.reviews import ReviewsScreen
from ips_tui.tui.screens.today import TodayScreen
from ips_tui.tui.screens.week import ThisWeekScreen
from ips_tui.tui.widgets.table import Table

SMALL = (80, 24)
WIDE = (160, 40)


class Queries:
    """Counts the SQL statements run, in any thread (every query goes through execute_sql)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        run = peewee.Database.execute_sql

        def counted(db: Any, *args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return run(db, *args, **kwargs)

        monkeypatch.setattr(peewee.Database, "execute_sql", counted)


def picture(screen: DataScreen) -> list[Any]:
    """What the screen's tables show (headings and every cell's text) and, on the outcomes
    screen, the figures and trend laid out above the table."""
    shown: list[Any] = []
    for table in screen.query(Table):
        shown.append((table.id, [str(c.label) for c in table.ordered_columns],
                      [[str(v) for v in table.get_row_at(i)] for i in range(table.row_count)]))
    for static in screen.query("#outcomes-figures, #outcomes-trend-label").results(Static):
        shown.append((static.id, str(static.render())))
    return shown


def snug(screen: DataScreen) -> None:
    """Each column of each table is as wide as its heading or widest cell, no wider.

    (A column only ever widens as rows are added, so one drawn for a wider terminal would
    otherwise keep its width, and the list would run off the edge of a narrower one.)"""
    for table in screen.query(Table):
        for i, column in enumerate(table.ordered_columns):
            texts = [str(column.label), *(str(table.get_row_at(r)[i]) for r in range(table.row_count))]
            widest = max(cell_len(line) for text in texts for line in text.split("\n"))
            assert column.content_width == widest, (table.id, str(column.label))


async def settled(pilot: Pilot[Any], size: tuple[int, int]) -> None:
    """Resize the terminal and let the screen lay itself out again (after its pause)."""
    await pilot.resize_terminal(*size)
    screen = pilot.app.screen
    await wait_for(pilot, lambda: pilot.app.size == size, what=f"the terminal at {size}")
    await pilot.pause(getattr(DataScreen, "RELAYOUT_AFTER_S", 0.2) + 0.1)
    await wait_for(pilot, lambda: getattr(screen, "_relayout_timer", None) is None,
                   what="the screen laid out again")
    await pilot.pause()


async def loaded(pilot: Pilot[Any], screen_type: type) -> DataScreen:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, screen_type),
                   what=screen_type.__name__)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.screen  # type: ignore[return-value]


# ------------------------------------------------------------ every screen, on the demo


def demo_app(tmp_path: Path):
    create_demo(tmp_path / "demo.db", today=TODAY, seed=7)  # leaves the store open on it
    return make_app(tmp_path / "demo.db", as_name=ME, today=TODAY,
                    config_path=tmp_path / "cfg.json", prewarm=False, idle_gc=False)


#: Keys from the caseload to the screen ("client:ID" opens a client), and whether what the
#: screen shows depends on the width there.
SCREENS: dict[str, tuple[tuple[str, ...], type, bool]] = {
    "caseload": ((), CaseloadScreen, False),
    "reminders_everyone": (("r", "m"), RemindersScreen, True),
    "employers": (("e",), EmployersScreen, True),
    "employer": (("e", "enter"), EmployerScreen, True),
    # Diego Brown: 30 contacts and 26 employer contacts, the tabs 3 and 5 drawn
    "client": (("client:C0025", "5", "3"), ClientScreen, True),
    "today": (("T",), TodayScreen, True),
    "week": (("w",), ThisWeekScreen, False),
    "outcomes": (("o",), OutcomesScreen, True),
    "reviews": (("o", "v"), ReviewsScreen, False),
}


@pytest.mark.parametrize("screen_name", SCREENS)
async def test_a_resized_screen_shows_what_it_would_open_with_at_that_size(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, screen_name: str):
    keys, screen_type, fits_width = SCREENS[screen_name]
    app = demo_app(tmp_path)
    if screen_type is ReviewsScreen:
        services.new_review(services.outcome_period(None, TODAY), TODAY)
    queries = Queries(monkeypatch)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen)
                       and app.screen.query_one(DataTable).row_count > 0, what="the caseload")
        if keys and keys[0].startswith("client:"):
            app.open_client(keys[0].split(":")[1])
            await loaded(pilot, screen_type)
            keys = keys[1:]
        await pilot.press(*keys)
        screen = await loaded(pilot, screen_type)
        await pilot.press("down", "down")
        table = screen.focused
        assert isinstance(table, DataTable) and table.cursor_row > 0
        where = cursor_key(table)
        first = picture(screen)

        before = queries.count
        await settled(pilot, WIDE)
        assert queries.count == before, "laid out again from the records it holds"
        assert pilot.app.screen is screen and cursor_key(table) == where
        wide = picture(screen)
        assert (wide != first) is fits_width
        snug(screen)

        await settled(pilot, SMALL)
        assert queries.count == before
        assert cursor_key(table) == where
        assert picture(screen) == first  # back at 80 columns: what it showed first
        snug(screen)

        await settled(pilot, WIDE)
        screen.reload()  # read again and drawn at 160 columns: as if opened there
        await loaded(pilot, screen_type)
        if screen_type is ClientScreen:  # a reload draws the tab shown; the other when shown
            await pilot.press(*keys)
            await pilot.pause()
        assert picture(screen) == wide


async def test_dragging_a_window_edge_lays_the_screen_out_once(tmp_path: Path):
    app = demo_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen)
                       and app.screen.query_one(DataTable).row_count > 0, what="the caseload")
        await pilot.press("r", "m")
        screen = await loaded(pilot, RemindersScreen)
        calls: list[int] = []
        relayout = screen.relayout

        def counted() -> None:
            calls.append(screen.size.width)
            relayout()

        screen.relayout = counted  # type: ignore[method-assign]
        # A slow machine may take a while between two steps: the pause is long enough here
        # that each step comes before it ends (the app's is a fifth of a second).
        screen.RELAYOUT_AFTER_S = 1.0  # type: ignore[misc]
        for width in range(82, 162, 8):  # ten sizes, 50 ms apart: one drag of half a second
            await pilot.resize_terminal(width, 30)
            await pilot.pause(0.05)
        await settled(pilot, (160, 30))
        await pilot.pause(1.1)
        assert calls == [160]


async def test_the_scroll_position_is_kept(tmp_path: Path):
    """The list stays where it was scrolled, the cursor on its row, when the width changes."""
    app = demo_app(tmp_path)
    async with app.run_test(size=(80, 16)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen)
                       and app.screen.query_one(DataTable).row_count > 0, what="the caseload")
        await pilot.press("e")
        screen = await loaded(pilot, EmployersScreen)
        table = screen.query_one(DataTable)
        assert table.row_count > table.size.height + 5  # longer than a page
        await pilot.press(*["down"] * (table.size.height + 3), "up", "up", "up", "up")
        await pilot.pause()
        scrolled, where = table.scroll_y, cursor_key(table)
        assert scrolled > 0
        shown = table.cursor_row - scrolled  # the cursor's line on screen, not the last
        first = picture(screen)
        await settled(pilot, (160, 16))
        assert picture(screen) != first  # names cut at 80 columns are whole
        assert (table.scroll_y, cursor_key(table)) == (scrolled, where)
        assert table.cursor_row - table.scroll_y == shown
        await settled(pilot, (80, 16))
        assert (table.scroll_y, cursor_key(table)) == (scrolled, where)


# ------------------------------------------------------------ what changes, on a known caseload


LONG_NAME = "Riverside Garden Centre"  # 23 letters: cut at 80 columns (22), whole from 100
NOTED = "8"  # the employer contact with the long note
LONG_NOTE = "Met the owner; she wants a part-time assistant for the spring and will call Ben"


@pytest.fixture
def app(tmp_path: Path):
    """The known caseload (app_helpers.build_caseload) and an employer with a long name, met
    for Ben Adams (C0002), with a long note: employer contact 8."""
    build_caseload(tmp_path / "x.db")
    from ips_tui.store import writes

    writes.create_employer({"employer_id": "E0003", "name": LONG_NAME, "industry": "Retail"}, by=ME)
    made = services.add_employer_contact({"employer_id": "E0003", "date": "2026-11-20",
                                          "specialist": ME, "mode": "in_person",
                                          "client_ids": ["C0002"], "notes": LONG_NOTE}, by=ME)
    assert str(made) == NOTED
    return new_app(tmp_path)


async def _finn_in_everyones_reminders(pilot: Pilot[Any]) -> tuple[RemindersScreen, DataTable[Any], str]:
    """From the caseload to everyone's reminders: the screen, its table, Finn Hale's row key."""
    await caseload_shown(pilot)
    await pilot.press("r", "m")
    screen = await loaded(pilot, RemindersScreen)
    table = screen.query_one(DataTable)
    key = next(k for k in (str(r.key.value) for r in table.ordered_rows) if k.startswith("C0006|"))
    return screen, table, key


async def test_reminders_name_the_clients_id_once_there_is_room(app):
    async with app.run_test(size=SMALL) as pilot:
        screen, table, key = await _finn_in_everyones_reminders(pilot)
        while cursor_key(table) != key:
            await pilot.press("down")
        assert str(table.get_row(key)[0]) == "  Finn Hale"
        await settled(pilot, WIDE)
        assert str(table.get_row(key)[0]) == "  Finn Hale (C0006)"
        assert cursor_key(table) == key
        await settled(pilot, SMALL)
        assert str(table.get_row(key)[0]) == "  Finn Hale"
        assert cursor_key(table) == key


async def test_a_screen_resized_under_a_dialog_fits_the_new_width(app):
    async with app.run_test(size=SMALL) as pilot:
        screen, table, key = await _finn_in_everyones_reminders(pilot)
        await pilot.press("question_mark")  # the help, over the list
        await wait_for(pilot, lambda: pilot.app.screen is not screen, what="the help")
        await settled(pilot, WIDE)
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is screen, what="the list again")
        await settled(pilot, WIDE)
        assert str(table.get_row(key)[0]) == "  Finn Hale (C0006)"


async def test_a_list_shown_again_after_a_resize_elsewhere_fits_the_new_width(app):
    """Wide when a client was opened from it (and a contact from there), narrow when the list
    comes back and is read again: no column keeps the width it had for the wider terminal.
    (The screen just below the one shown is laid out with it; this one is two below.)"""
    async with app.run_test(size=WIDE) as pilot:
        screen, table, key = await _finn_in_everyones_reminders(pilot)
        while cursor_key(table) != key:
            await pilot.press("down")
        assert str(table.get_row(key)[0]) == "  Finn Hale (C0006)"
        await pilot.press("enter")
        await loaded(pilot, ClientScreen)
        await pilot.press("enter")  # Finn's contact of 11-10, whole
        await loaded(pilot, ClientContactScreen)
        await settled(pilot, SMALL)
        await pilot.press("escape")
        await loaded(pilot, ClientScreen)
        await pilot.press("escape")
        await loaded(pilot, RemindersScreen)
        await pilot.pause()
        assert str(table.get_row(key)[0]) == "  Finn Hale"
        assert cursor_key(table) == key
        snug(screen)


async def test_a_long_employer_name_cut_at_80_columns_is_whole_at_160(app):
    async with app.run_test(size=SMALL) as pilot:
        await caseload_shown(pilot)
        await pilot.press("e")
        screen = await loaded(pilot, EmployersScreen)
        table = screen.query_one(DataTable)
        while cursor_key(table) != "E0003":
            await pilot.press("down")
        assert str(table.get_row("E0003")[0]) == "Riverside Garden…"
        await settled(pilot, WIDE)
        assert str(table.get_row("E0003")[0]) == LONG_NAME
        assert cursor_key(table) == "E0003"

        await pilot.press("enter")  # its log, opened wide: the whole note
        log = await loaded(pilot, EmployerScreen)
        notes = log.query_one(DataTable)
        assert str(notes.get_row_at(0)[-1]) == LONG_NOTE
        await settled(pilot, SMALL)  # narrowed: cut at a word to the room left, no sideways scroll
        cut = str(notes.get_row_at(0)[-1])
        assert cut.endswith("…") and LONG_NOTE.startswith(cut[:-1]) and len(cut) < 40
        assert notes.virtual_size.width <= notes.size.width


async def test_the_records_employer_contacts_fit_the_new_width(app):
    """The client's employer-contacts tab cuts its notes to the width too (it was drawn once,
    for the width it was first shown at)."""
    async with app.run_test(size=SIZE) as pilot:
        await caseload_shown(pilot)
        pilot.app.open_client("C0002")
        screen = await loaded(pilot, ClientScreen)
        await pilot.press("5")
        await pilot.pause()
        table = screen.query_one("#ec-table", DataTable)
        await wait_for(pilot, lambda: table.row_count > 0, what="the employer contacts")
        await pilot.press("down")
        where = cursor_key(table)
        cut = str(table.get_row(NOTED)[-1])
        assert cut.endswith("…") and LONG_NOTE.startswith(cut[:-1])
        await settled(pilot, (200, 40))
        assert str(table.get_row(NOTED)[-1]) == LONG_NOTE
        assert cursor_key(table) == where


async def test_a_list_loaded_again_with_other_records_measures_its_columns_afresh(app):
    """Mine, everyone's, mine again: the columns are as wide as the rows shown need, not as the
    widest load before them (DataTable's columns only ever widen; at 80 columns everyone's
    reminders after mine ran off the edge)."""
    async with app.run_test(size=SMALL) as pilot:
        await caseload_shown(pilot)
        await pilot.press("r")
        screen = await loaded(pilot, RemindersScreen)
        table = screen.query_one(DataTable)
        mine = [c.get_render_width(table) for c in table.ordered_columns]
        await pilot.press("m")
        await wait_for(pilot, lambda: not screen.mine and not screen.workers_loading(),
                       what="everyone's reminders")
        await pilot.pause()
        everyone = [c.get_render_width(table) for c in table.ordered_columns]
        assert everyone != mine  # the test means something: everyone's rows are wider
        await pilot.press("m")
        await wait_for(pilot, lambda: screen.mine and not screen.workers_loading(),
                       what="mine again")
        await pilot.pause()
        assert [c.get_render_width(table) for c in table.ordered_columns] == mine


async def test_this_week_fits_80_columns(app):
    """The week's table has no sideways scroll at 80 columns: a bar of a block a contact, and a
    caseload bar as narrow as its heading."""
    async with app.run_test(size=SMALL) as pilot:
        await caseload_shown(pilot)
        await pilot.press("w")
        screen = await loaded(pilot, ThisWeekScreen)
        table = screen.query_one(DataTable)
        await pilot.pause()
        assert table.row_count == 3
        assert table.virtual_size.width <= table.size.width
        assert table.max_scroll_x == 0
