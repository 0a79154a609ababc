"""Screens read their records in a worker thread: with a slow store (a team's server far away)
the screen says it is loading, keys keep working, and what arrives late is drawn only if it is
still what the screen asks for."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from app_helpers import SIZE, build_caseload, caseload_shown, new_app, row_keys, wait_for
from textual.widgets import DataTable

from ips_tui import services
from ips_tui.tui.dialogs.help import HelpScreen
from ips_tui.tui.screens.caseload import CaseloadScreen
from ips_tui.tui.screens.reminders import RemindersScreen


class Gate:
    """Makes one service wait until the test lets it go, once armed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
        self.armed = False
        self.waiting = threading.Event()
        self.released = threading.Event()
        self.finished = threading.Event()
        self.threads: list[str] = []
        real = getattr(services, name)

        def slow(*args: object, **kwargs: object) -> object:
            if self.armed:
                self.threads.append(threading.current_thread().name)
                self.waiting.set()
                assert self.released.wait(10), "the test never released the store"
                try:
                    return real(*args, **kwargs)
                finally:
                    self.finished.set()
            return real(*args, **kwargs)

        monkeypatch.setattr(services, name, slow)


@pytest.fixture
def app(tmp_path: Path):
    build_caseload(tmp_path / "x.db")
    return new_app(tmp_path)


async def test_a_slow_load_says_so_and_keys_keep_working(app, monkeypatch):
    gate = Gate(monkeypatch, "reminders")
    async with app.run_test(size=SIZE) as pilot:
        await caseload_shown(pilot)
        gate.armed = True
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RemindersScreen), what="reminders")
        screen = app.screen
        table = screen.query_one(DataTable)
        await wait_for(pilot, gate.waiting.is_set, what="the load to start")
        await wait_for(pilot, lambda: table.loading, what="the loading indicator")
        assert table.row_count == 0
        assert gate.threads and gate.threads[0] != threading.main_thread().name
        # The app answers keys while the store is busy: help opens and closes.
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="back on reminders")
        assert table.loading and table.row_count == 0
        gate.released.set()
        await wait_for(pilot, lambda: table.row_count > 0 and not table.loading,
                       what="the reminders drawn")


async def test_a_quick_load_never_shows_the_loading_indicator(app, monkeypatch):
    shown: list[bool] = []
    async with app.run_test(size=SIZE) as pilot:
        table = await caseload_shown(pilot)
        monkeypatch.setattr(type(table), "watch_loading",
                            lambda self, loading: shown.append(loading), raising=False)
        await pilot.press("m")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(CaseloadScreen.LOADING_SHOWN_AFTER_S + 0.1)
        assert True not in shown
        assert not table.loading


async def test_a_load_overtaken_by_a_newer_one_is_not_drawn(app, monkeypatch):
    gate = Gate(monkeypatch, "caseload")
    async with app.run_test(size=SIZE) as pilot:
        table = await caseload_shown(pilot)
        screen = app.screen
        mine = row_keys(table)
        gate.armed = True
        await pilot.press("m")  # everyone's: held at the store
        await wait_for(pilot, gate.waiting.is_set, what="the first load to start")
        first = [w for w in app.workers if w.node is screen and not w.is_finished]
        assert len(first) == 1
        gate.armed = False
        await pilot.press("m")  # mine again, before the first load came back
        await wait_for(pilot, lambda: first[0].is_cancelled, what="the first load cancelled")
        await wait_for(pilot, lambda: not [w for w in app.workers if w.node is screen
                                           and w is not first[0] and not w.is_finished],
                       what="the second load")
        gate.released.set()
        await wait_for(pilot, lambda: gate.finished.is_set(), what="the first load to end")
        await pilot.pause(0.1)
        assert screen.mine is True
        assert row_keys(table) == mine  # everyone's, read first but arriving last, is not drawn


async def test_agenda_keys_wait_for_the_agenda_instead_of_failing(app, monkeypatch):
    from ips_tui.tui.screens.agenda import AgendaScreen

    gate = Gate(monkeypatch, "agenda")
    async with app.run_test(size=SIZE) as pilot:
        await caseload_shown(pilot)
        gate.armed = True
        await pilot.press("a")
        await wait_for(pilot, gate.waiting.is_set, what="the agenda to start loading")
        screen = app.screen
        assert isinstance(screen, AgendaScreen) and screen.meeting is None
        await pilot.press("right_square_bracket", "x")  # next week, export: nothing to act on yet
        await pilot.pause()
        assert app.is_running and app.screen is screen
        gate.released.set()
        await wait_for(pilot, lambda: screen.meeting is not None, what="the agenda drawn")


async def test_record_keys_wait_for_the_record_instead_of_failing(app, monkeypatch):
    from ips_tui.tui.screens.client import ClientScreen

    gate = Gate(monkeypatch, "client_record")
    async with app.run_test(size=SIZE) as pilot:
        await caseload_shown(pilot)
        gate.armed = True
        await pilot.press("enter")
        await wait_for(pilot, gate.waiting.is_set, what="the record to start loading")
        screen = app.screen
        assert isinstance(screen, ClientScreen) and screen.record is None
        await pilot.press("x", "t")  # end job, flag for the meeting: nothing to act on yet
        await pilot.pause()
        assert app.is_running and app.screen is screen
        gate.released.set()
        await wait_for(pilot, lambda: screen.record is not None, what="the record drawn")


async def test_a_slow_save_says_so_and_saves_once(app, monkeypatch):
    from textual.widgets import Input, Static

    from ips_tui.tui.forms.contact import ContactForm

    gate = Gate(monkeypatch, "add_client_contact")
    async with app.run_test(size=SIZE) as pilot:
        table = await caseload_shown(pilot)
        client_id = row_keys(table)[0]
        before = len(services.client_record(client_id).contacts)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactForm), what="the contact form")
        form = app.screen
        await wait_for(pilot, lambda: form.query_one("#f-notes", Input).has_focus, what="notes")
        gate.armed = True
        await pilot.press("o", "k", "enter")
        await wait_for(pilot, gate.waiting.is_set, what="the save to start")
        message = form.query_one("#form-message", Static)
        await wait_for(pilot, lambda: "Saving" in str(message.render()), what="'Saving…'")
        await pilot.press("enter", "escape")  # neither saves twice nor throws the form away
        await pilot.pause()
        assert app.screen is form and form.query_one("#f-notes", Input).value == "ok"
        gate.released.set()
        await wait_for(pilot, lambda: app.screen is not form, what="the form closed")
        assert len(gate.threads) == 1
        assert len(services.client_record(client_id).contacts) == before + 1


# ---------------------------------------------------------------- the first screen, at once

class Calls:
    """Records the thread each call of a service ran on; fails the first ``failing`` calls."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str, failing: int = 0) -> None:
        self.threads: list[str] = []
        self.failing = failing
        real = getattr(services, name)

        def recorded(*args: object, **kwargs: object) -> object:
            self.threads.append(threading.current_thread().name)
            if self.failing:
                self.failing -= 1
                raise services.StoreError("the database is locked just now")
            return real(*args, **kwargs)

        monkeypatch.setattr(services, name, recorded)


async def test_my_caseload_on_a_file_is_drawn_before_the_first_paint(app, monkeypatch):
    calls = Calls(monkeypatch, "caseload")
    painted_empty: list[int] = []
    async with app.run_test(size=SIZE) as pilot:
        # the first time the caseload screen is on screen at all, its rows are in it
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="the caseload")
        table = app.screen.query_one("#caseload", DataTable)
        painted_empty.append(table.row_count)
        await caseload_shown(pilot)
        assert row_keys(table) == ["C0002", "C0005", "C0006", "C0001"]  # by last name
    assert painted_empty == [4]
    assert calls.threads == [threading.main_thread().name]  # no worker, no second fetch


async def test_everyones_caseload_is_read_in_a_worker(tmp_path, monkeypatch):
    build_caseload(tmp_path / "x.db")
    calls = Calls(monkeypatch, "caseload")
    app = new_app(tmp_path, as_name=None)  # nobody chosen yet: everyone's caseload behind
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: calls.threads, what="the caseload read")
        await pilot.pause()
    assert calls.threads and threading.main_thread().name not in calls.threads


async def test_a_first_fetch_that_fails_is_tried_again_in_the_worker(app, monkeypatch):
    calls = Calls(monkeypatch, "caseload", failing=1)
    async with app.run_test(size=SIZE) as pilot:
        table = await caseload_shown(pilot)
        assert row_keys(table) == ["C0002", "C0005", "C0006", "C0001"]  # by last name
    assert calls.threads[0] == threading.main_thread().name
    assert len(calls.threads) == 2 and calls.threads[1] != threading.main_thread().name


async def test_a_first_fetch_that_fails_twice_says_why_and_the_app_goes_on(app, monkeypatch):
    calls = Calls(monkeypatch, "caseload", failing=2)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(calls.threads) == 2, what="the second try")
        await wait_for(pilot, lambda: any("locked just now" in n.message
                                          for n in app._notifications), what="the message")
        assert isinstance(app.screen, CaseloadScreen) and app.is_running
        await pilot.press("r")  # keys still work
        await wait_for(pilot, lambda: isinstance(app.screen, RemindersScreen), what="reminders")


async def test_the_first_screen_reaches_the_terminal_whole(app, monkeypatch):
    """Textual renders the first screen while it still holds repaints back (the start-up's
    batch) and drops that update; the app sends it when the batch ends, so the first frame the
    terminal gets is the whole screen with the caseload's rows, not only what changed since."""
    from textual.app import App

    sent: list[tuple[str, str]] = []
    real = App._display

    def display(self: App[object], screen: object, renderable: object) -> None:
        if renderable is not None and not self._batch_count:  # what reaches the terminal
            text = renderable.render_segments(self.console) if hasattr(
                renderable, "render_segments") else ""
            sent.append((type(renderable).__name__, text))
        real(self, screen, renderable)

    monkeypatch.setattr(App, "_display", display)
    async with app.run_test(size=SIZE) as pilot:
        await caseload_shown(pilot)
        await pilot.pause()
    kind, text = sent[0]
    assert kind == "LayoutUpdate"  # the whole screen
    assert "Ben Adams" in text and " clients · " in text  # a row, and the status line
    # the key bar's keys come right after (made before, they held the first paint back)
    assert "Log contact" not in text
    assert any("Log contact" in later for _, later in sent[1:])


async def test_my_caseload_drawn_at_once_is_not_laid_out_again_for_its_own_width(app, monkeypatch):
    """Drawn before the screen is laid out, it was drawn for the terminal's width: the first
    resize event is no new width (DataScreen.relayout would draw it a second time)."""
    draws: list[int] = []
    real = CaseloadScreen.draw

    def draw(self: CaseloadScreen, data: object) -> None:
        draws.append(1)
        real(self, data)

    monkeypatch.setattr(CaseloadScreen, "draw", draw)
    async with app.run_test(size=SIZE) as pilot:
        await caseload_shown(pilot)
        await pilot.pause(CaseloadScreen.RELAYOUT_AFTER_S * 2)
        assert len(draws) == 1
        await pilot.resize_terminal(SIZE[0] + 40, SIZE[1])  # a new width is laid out again
        await wait_for(pilot, lambda: len(draws) == 2, what="the caseload laid out again")
