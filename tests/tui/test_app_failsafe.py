"""A failed save never crashes the app or loses what was typed; a bug ends it with a traceback and
a crash report that show no record values, and a non-zero exit status."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from app_helpers import SIZE, build_caseload, caseload_shown, new_app, row_keys, type_text, wait_for
from textual.widgets import Input, Static

from ips_tui import locations, services
from ips_tui.store import db as store_db
from ips_tui.store import writes
from ips_tui.store.db import SaveFailed, save_failure
from ips_tui.tui.forms.contact import ContactForm

NOTE = "Talked about her diagnosis and the job at the bakery"


@pytest.mark.parametrize(("message", "says"), [
    ("database is locked", "busy: someone else is saving or importing"),
    ("canceling statement due to lock timeout", "busy: someone else is saving or importing"),
    ("database or disk is full", "the disk is full"),
    ("attempt to write a readonly database", "read-only for you"),
    ("disk I/O error", "disk I/O error"),
    ("something new", "the database refused the save (something new)"),
])
def test_a_refused_save_says_what_happened_and_what_to_do(message, says):
    failure = save_failure(sqlite3.OperationalError(message))
    assert isinstance(failure, SaveFailed)
    assert says in str(failure) and "Nothing was saved" in str(failure)


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Saves wait 0.1 s for the write lock instead of 10 s."""
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr(store_db, "PRAGMAS", {**store_db.PRAGMAS, "busy_timeout": 100})


@pytest.fixture
def app(tmp_path: Path, short_wait: None):
    build_caseload(tmp_path / "x.db")
    return new_app(tmp_path)


def hold_write_lock(path: Path) -> sqlite3.Connection:
    """Someone else's long write (an import in another window): the write lock, held."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_save_while_someone_else_writes_is_refused_in_words(tmp_path, short_wait):
    build_caseload(tmp_path / "x.db")
    holder = hold_write_lock(tmp_path / "x.db")
    try:
        with pytest.raises(SaveFailed, match="busy"):
            writes.add_client_contact({"client_id": "C0001", "date": "2026-11-23",
                                       "specialist": "Maria Lopez", "mode": "in_person",
                                       "notes": NOTE}, by="Maria Lopez")
    finally:
        holder.rollback()
        holder.close()


async def test_a_busy_database_keeps_the_form_and_what_was_typed(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        client_id = row_keys(await caseload_shown(pilot))[0]
        before = len(services.client_record(client_id).contacts)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactForm), what="the form")
        form = app.screen
        await wait_for(pilot, lambda: form.query_one("#f-notes", Input).has_focus, what="notes")
        await type_text(pilot, "met at the bakery")
        holder = hold_write_lock(tmp_path / "x.db")
        try:
            await pilot.press("enter")
            message = form.query_one("#form-message", Static)
            await wait_for(pilot, lambda: "Not saved" in str(message.render()), what="the refusal")
            assert "busy" in str(message.render()) and "save again" in str(message.render())
            assert app.is_running and app.screen is form
            assert form.query_one("#f-notes", Input).value == "met at the bakery"
        finally:
            holder.rollback()
            holder.close()
        await pilot.press("enter")  # the other save is done: the same form saves
        await wait_for(pilot, lambda: app.screen is not form, what="saved")
        assert len(services.client_record(client_id).contacts) == before + 1


async def test_a_bug_ends_the_app_with_a_crash_report_that_shows_no_values(app, monkeypatch, capsys):
    def broken(values: dict[str, object], by: str | None = None) -> int:
        note = values["notes"]  # a local variable holding health data
        raise RuntimeError(f"a bug while saving ({len(str(note))} characters)")

    monkeypatch.setattr(services, "add_client_contact", broken)
    with pytest.raises(RuntimeError, match="a bug while saving"):
        async with app.run_test(size=SIZE) as pilot:
            await caseload_shown(pilot)
            await pilot.press("c")
            await wait_for(pilot, lambda: isinstance(app.screen, ContactForm), what="the form")
            form = app.screen
            await wait_for(pilot, lambda: form.query_one("#f-notes", Input).has_focus, what="notes")
            await type_text(pilot, NOTE)
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.return_code == 1, what="the app to end")
    assert app.return_code == 1
    reports = list(locations.data_dir().glob("crash-*.txt"))
    assert len(reports) == 1 and app.crash_report == reports[0]
    text = reports[0].read_text()
    assert f"RuntimeError: a bug while saving ({len(NOTE)} characters)" in text
    assert NOTE not in text and "bakery" not in text
    printed = capsys.readouterr().err  # the traceback the terminal is left with
    assert "RuntimeError" in printed and "broken" in printed and "crash report" in printed
    assert "bakery" not in printed  # no local variables
