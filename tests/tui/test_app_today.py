"""The specialist's day in the app: planning from the caseload and the client record, the Today
screen (one key from anywhere, the start screen when asked), the outcome question for a past
appointment, and the team-contact log. At 80x24, as on a small laptop terminal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from app_helpers import (
    ME,
    SIZE,
    TODAY,
    build_caseload,
    cell,
    move_cursor_to_key,
    new_app,
    row_keys,
    run_palette_command,
    text_of,
    type_text,
    wait_for,
)
from textual.widgets import DataTable, Select, Static

from ips_tui import config, services
from ips_tui.domain.reminders import Reminder
from ips_tui.tui.forms.form import FormDialog
from ips_tui.tui.screens.caseload import CaseloadScreen
from ips_tui.tui.screens.client import ClientScreen
from ips_tui.tui.screens.today import TodayScreen, reminder_what

SMALL = (80, 24)
NEXT_REMINDER = "4"


@pytest.fixture
def app(tmp_path: Path):
    build_caseload(tmp_path / "x.db")
    return new_app(tmp_path)


async def _caseload(pilot) -> DataTable:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CaseloadScreen)
                   and pilot.app.screen.query_one("#caseload", DataTable).row_count > 0,
                   what="the caseload")
    return pilot.app.screen.query_one("#caseload", DataTable)


async def _form(pilot) -> FormDialog:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, FormDialog), what="the form")
    return pilot.app.screen  # type: ignore[return-value]


async def _today(pilot) -> DataTable:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, TodayScreen)
                   and pilot.app.screen.day is not None, what="the Today screen")
    return pilot.app.screen.query_one("#today-table", DataTable)


async def test_plan_from_the_caseload_defaults_to_the_next_working_day(app):
    async with app.run_test(size=SMALL) as pilot:
        table = await _caseload(pilot)
        await move_cursor_to_key(pilot, table, "C0001")
        await pilot.press("b")
        form = await _form(pilot)
        assert "Plan an appointment with Ana Zeller" in text_of(form.query_one(".dialog-title"))
        await pilot.press("tab")  # to the time
        await type_text(pilot, "10:00")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="saved")
        [row] = services.appointments()
        assert (row.client_id, row.date, row.time, row.specialist, row.status) == (
            "C0001", dt.date(2026, 11, 24), "10:00", ME, "planned")  # TODAY is a Monday
        # Still overdue (a plan changes no status), and the plan shows beside it.
        await wait_for(pilot, lambda: "planned tomorrow 10:00" in cell(table, "C0001", NEXT_REMINDER),
                       what="the plan in the Next reminder column")
        assert cell(table, "C0001", NEXT_REMINDER).startswith("OVERDUE Weekly")
        # A client with no reminder shows their plan alone.
        services.plan_appointment({"client_id": "C0005", "date": "2026-12-01", "specialist": ME})
        app.screen.reload()
        await wait_for(pilot, lambda: cell(table, "C0005", NEXT_REMINDER) == "planned 1 Dec",
                       what="a plan without a reminder")


async def test_plan_from_the_client_record_and_the_team_contact_log(app):
    services.update_client("C0001", {"mh_practitioner": "Jo Reed"}, None)
    async with app.run_test(size=SMALL) as pilot:
        await _caseload(pilot)
        app.open_client("C0001")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen)
                       and app.screen.record is not None, what="the record")
        await pilot.press("b")
        await _form(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="saved")
        assert [r.date for r in services.appointments()] == [dt.date(2026, 11, 24)]
        await pilot.press("h")
        form = await _form(pilot)
        assert form.query_one("#f-who").value == "Jo Reed"  # the practitioner by default
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="saved")
        await pilot.press("1")  # the profile tab
        profile = app.screen.query_one("#profile-body", Static)
        await wait_for(pilot, lambda: f"{TODAY.isoformat()} with Jo Reed" in text_of(profile),
                       what="the last team contact on the profile")
        assert "Jo Reed" in text_of(profile) and "Planned" in text_of(profile)


async def test_today_from_anywhere_and_the_outcome_asked_once(app):
    services.plan_appointment({"client_id": "C0001", "date": "2026-11-20", "time": "09:00",
                               "mode": "in_person", "location": "office", "notes": "CV",
                               "specialist": ME})
    services.plan_appointment({"client_id": "C0006", "date": "2026-11-23", "time": "15:00",
                               "specialist": ME})
    services.update_client("C0002", {"discuss": True, "discuss_note": "benefits"}, None)
    async with app.run_test(size=SMALL) as pilot:
        await _caseload(pilot)
        app.open_client("C0002")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the record")
        await pilot.press("T")  # from the client record
        # The past appointment is asked about at once.
        form = await _form(pilot)
        assert "What happened?" in text_of(form.query_one(".dialog-title"))
        assert form.query_one("#f-outcome", Select).value == "done"
        await pilot.press("escape")  # later
        table = await _today(pilot)
        keys = row_keys(table)
        assert keys.index("wait:1") < keys.index("appt:2")
        assert "flag:C0002" in keys and any(k.startswith("rem:") for k in keys)
        # Not asked again in this session; u asks on purpose.
        app.screen.reload()
        await pilot.pause(0.3)
        assert isinstance(app.screen, TodayScreen)
        await move_cursor_to_key(pilot, table, "wait:1")
        await pilot.press("u")
        await _form(pilot)
        await pilot.press("enter")  # done: a contact that reached Ana, in the office, noted
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen), what="answered")
        contact = services.client_record("C0001").contacts[0]
        assert (contact.date, contact.mode, contact.location, contact.attempted, contact.notes) == (
            dt.date(2026, 11, 20), "in_person", "office", False, "CV")
        await wait_for(pilot, lambda: "wait:1" not in row_keys(table), what="the question gone")
        assert services.day(TODAY, ME).awaiting_outcome == []


async def test_c_on_today_logs_the_contact_and_clears_the_reminder(app):
    async with app.run_test(size=SMALL) as pilot:
        await _caseload(pilot)
        await pilot.press("T")
        table = await _today(pilot)
        key = next(k for k in row_keys(table)
                   if k.startswith("rem:") and "C0006" in str(table.get_row(k)[1]))
        await move_cursor_to_key(pilot, table, key)
        await pilot.press("c")
        await _form(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen), what="saved")
        await wait_for(pilot, lambda: not any("C0006" in str(table.get_row(k)[1])
                                              for k in row_keys(table) if k.startswith("rem:")),
                       what="Finn's reminder cleared")


async def test_today_can_be_the_start_screen(tmp_path):
    build_caseload(tmp_path / "x.db")
    first = new_app(tmp_path)
    async with first.run_test(size=SMALL) as pilot:
        await _caseload(pilot)
        await run_palette_command(pilot, "Start on Today", "Start on Today (or on the caseload)")
        await wait_for(pilot, lambda: config.load(tmp_path / "cfg.json").get("start_screen")
                       == "today", what="the setting saved")
    second = new_app(tmp_path)
    async with second.run_test(size=SMALL) as pilot:
        await _today(pilot)
        await pilot.press("escape")
        await _caseload(pilot)


def _reminder_whats(table: DataTable) -> dict[str, str]:
    """The What cell of each reminder row on Today, by client id."""
    return {str(table.get_row(k)[1]).split("(")[-1].rstrip(")"): str(table.get_row(k)[2])
            for k in row_keys(table) if k.startswith("rem:")}


def _fits(table: DataTable) -> bool:
    """Every column of the table is in view, a vertical scrollbar's room left."""
    widths = sum(c.get_render_width(table) for c in table.ordered_columns)
    return widths <= table.size.width - table.styles.scrollbar_size_vertical


async def test_today_names_each_reminders_job(app):
    """A follow-along reminder names its job as the reminders screen does."""
    async with app.run_test(size=SIZE) as pilot:
        await _caseload(pilot)
        await pilot.press("T")
        table = await _today(pilot)
        assert _reminder_whats(table) == {"C0001": "Weekly · Housekeeper at Harbor Hotel",
                                          "C0006": "After start · Bookseller at Corner Books"}


async def test_today_fits_each_reminders_job_and_plan_at_80_columns(app):
    """At 80 columns the job is cut at a word to leave the plan whole, or, with too little room
    left beside a plan, goes on a line of its own; at 120 all is on one line again."""
    services.plan_appointment({"client_id": "C0001", "date": "2026-11-25", "time": "10:00",
                               "specialist": ME})
    async with app.run_test(size=SMALL) as pilot:
        await _caseload(pilot)
        await pilot.press("T")
        table = await _today(pilot)
        whats = _reminder_whats(table)
        assert whats["C0001"] == "Weekly · planned Wed 25 Nov 10:00\nHousekeeper at Harbor Hotel"
        assert whats["C0006"] == "After start · Bookseller at Corner…"
        assert _fits(table)
        await pilot.resize_terminal(*SIZE)
        await wait_for(pilot, lambda: "\n" not in _reminder_whats(table)["C0001"],
                       what="the wider list")
        assert _reminder_whats(table) == {
            "C0001": "Weekly · Housekeeper at Harbor Hotel · planned Wed 25 Nov 10:00",
            "C0006": "After start · Bookseller at Corner Books"}
        assert _fits(table)


async def test_a_long_team_meeting_note_is_cut_to_fit_at_80_columns(app):
    note = ("Struggling with early shifts since the medication changed; ask the psychiatrist "
            "about timing and talk to the manager about later starts")
    services.update_client("C0002", {"discuss": True, "discuss_note": note}, None)
    async with app.run_test(size=SMALL) as pilot:
        await _caseload(pilot)
        await pilot.press("T")
        table = await _today(pilot)
        shown = str(table.get_row("flag:C0002")[2])
        assert shown.endswith("…") and note.startswith(shown[:-1])
        assert _fits(table)
        await pilot.resize_terminal(200, 40)
        await wait_for(pilot, lambda: str(table.get_row("flag:C0002")[2]) == note,
                       what="the whole note at 200 columns")


def test_a_reminders_kind_job_and_plan_in_the_room_given():
    weekly = Reminder("C0001", "Ana Zeller", ME, "weekly", dt.date(2026, 11, 12), "overdue",
                      "J0001", "Care assistant", "Union Call Centre")
    assert reminder_what(weekly, 60) == "Weekly · Care assistant at Union Call Centre"
    assert reminder_what(weekly, 34) == "Weekly · Care assistant at Union…"
    assert reminder_what(weekly, 10) == "Weekly · Care…"  # never less than a word or two
    planned = Reminder(**{**weekly.__dict__, "planned": dt.date(2026, 11, 13), "planned_time": "10:00"})
    assert reminder_what(planned, 80) == ("Weekly · Care assistant at Union Call Centre · "
                                          "planned Fri 10:00")
    assert reminder_what(planned, 46) == "Weekly · Care assistant… · planned Fri 10:00"
    assert reminder_what(planned, 34) == "Weekly · planned Fri 10:00\nCare assistant at Union Call…"
    first = Reminder("C0003", "Cara Moss", ME, "first_employer_contact", dt.date(2026, 11, 19),
                     "overdue", None)
    assert reminder_what(first, 10) == "1st employer"


async def test_the_start_screen_chosen_on_the_command_line(tmp_path):
    """`ips-tui settings --start-screen today` writes where the app reads (the config file)."""
    from click.testing import CliRunner

    from ips_tui import locations
    from ips_tui.cli import cli

    build_caseload(tmp_path / "x.db")
    result = CliRunner().invoke(cli, ["settings", "--db", str(tmp_path / "x.db"),
                                      "--start-screen", "today"])
    assert result.exit_code == 0, result.output
    app = new_app(tmp_path, config_path=locations.config_file())  # the app's default file
    async with app.run_test(size=SMALL) as pilot:
        await _today(pilot)
