"""The daily backup is taken by the app after its first paint, in a worker thread (it used to
hold up the start-up for as long as copying the file took), still at most once a day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from app_helpers import build_caseload, new_app, wait_for
from textual.widgets import DataTable

from ips_tui import services
from ips_tui.tui import app as app_module
from ips_tui.tui.app import make_app
from ips_tui.tui.screens.caseload import CaseloadScreen

pytestmark = pytest.mark.sqlite_only


def daily_backups(folder: Path) -> list[Path]:
    return sorted((folder / "backups").glob("*-daily.db")) if (folder / "backups").is_dir() else []


def backup_app(tmp_path: Path):
    app = new_app(tmp_path)
    app.daily_backup = True
    return app


def caseload_filled(app) -> bool:
    return isinstance(app.screen, CaseloadScreen) and app.screen.query_one(DataTable).row_count > 0


async def test_the_daily_backup_is_taken_after_the_caseload_is_on_screen_once_a_day(tmp_path, monkeypatch):
    build_caseload(tmp_path / "x.db")
    real = services.startup_backup
    seen: list[bool] = []

    def watched(today: dt.date):
        seen.append(caseload_filled(app))
        return real(today)

    monkeypatch.setattr(services, "startup_backup", watched)
    app = backup_app(tmp_path)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: daily_backups(tmp_path), what="the daily backup")
        await wait_for(pilot, lambda: not [w for w in app.workers if w.group == "backup"],
                       what="the backup worker to end")
    assert seen == [True]  # once, and only once the caseload was painted
    [first] = daily_backups(tmp_path)
    assert first.name.startswith(f"x-{dt.date.today():%Y%m%d}-")
    app = backup_app(tmp_path)  # started again the same day: no second backup
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: len(seen) == 2, what="the backup check")
        await wait_for(pilot, lambda: not [w for w in app.workers if w.group == "backup"],
                       what="the backup worker to end")
    assert daily_backups(tmp_path) == [first]


async def test_a_failed_daily_backup_is_a_warning_and_the_app_goes_on(tmp_path, monkeypatch):
    build_caseload(tmp_path / "x.db")

    def full_disk(today: dt.date):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(services, "startup_backup", full_disk)
    app = backup_app(tmp_path)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: any("daily backup failed" in str(n.message)
                                          for n in app._notifications), what="the warning")
        assert caseload_filled(app)
    assert daily_backups(tmp_path) == []


async def test_tests_and_tools_making_an_app_take_no_backup(tmp_path, monkeypatch):
    build_caseload(tmp_path / "x.db")
    monkeypatch.setattr(app_module, "BACKUP_AFTER_S", 0.01)
    app = new_app(tmp_path)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: caseload_filled(app), what="the caseload")
        await pilot.pause(0.2)
    assert daily_backups(tmp_path) == []


def test_the_app_started_by_the_command_takes_the_daily_backup(tmp_path, monkeypatch):
    made: list[bool] = []
    monkeypatch.setattr(app_module.IpsApp, "run", lambda self: made.append(self.daily_backup))
    app_module.run_app(tmp_path / "x.db", as_name="Maria Lopez")
    assert made == [True]
    assert make_app(tmp_path / "x.db").daily_backup is False
