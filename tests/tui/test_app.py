"""The full-screen app driven through Textual's Pilot: keys in, screens and database checked.

Every test runs on the small known caseload of ``app_helpers.build_caseload`` (read its docstring
for the clients, reminders and counts the expectations below are worked out from), with today
fixed at 2026-11-23 and a config file of its own.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from app_helpers import (
    JAMES,
    ME,
    PRIYA,
    SIZE,
    TODAY,
    build_caseload,
    cell,
    column_texts,
    cursor_key,
    move_cursor_to_key,
    new_app,
    row_keys,
    run_palette_command,
    text_of,
    type_text,
    wait_for,
)
from textual.command import CommandList, CommandPalette
from textual.widgets import (
    Checkbox,
    DataTable,
    Input,
    OptionList,
    Select,
    SelectionList,
    Static,
    TabbedContent,
)

from ips_tui import services
from ips_tui.tui.dialogs.choose_specialist import ChooseSpecialistDialog
from ips_tui.tui.dialogs.confirm import ConfirmDialog
from ips_tui.tui.dialogs.help import HelpScreen
from ips_tui.tui.forms.contact import ContactForm
from ips_tui.tui.forms.form import FormDialog
from ips_tui.tui.screens.caseload import CaseloadScreen
from ips_tui.tui.screens.client import ClientScreen
from ips_tui.tui.screens.employers import EmployersScreen
from ips_tui.tui.screens.reminders import RemindersScreen
from ips_tui.tui.screens.week import ThisWeekScreen

MY_OPEN = ["C0002", "C0005", "C0006", "C0001"]  # Adams, Brook, Hale, Zeller
ALL_OPEN = ["C0002", "C0005", "C0006", "C0007", "C0003", "C0001"]  # + Ivers, Moss
LAST_CONTACT, NEXT_REMINDER = "3", "4"  # caseload column keys (COLUMNS index)


@pytest.fixture
def app(tmp_path: Path):
    build_caseload(tmp_path / "x.db")
    return new_app(tmp_path)


def caseload_table(app) -> DataTable:
    assert isinstance(app.screen, CaseloadScreen), app.screen
    return app.screen.query_one("#caseload", DataTable)


async def started(pilot) -> DataTable:
    """Wait until the caseload is on screen and filled; return its table."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CaseloadScreen)
                   and pilot.app.screen.query_one("#caseload", DataTable).row_count > 0,
                   what="the caseload")
    return caseload_table(pilot.app)


async def open_form(pilot, form_type=FormDialog) -> FormDialog:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, form_type), what=f"a {form_type.__name__}")
    form = pilot.app.screen
    await wait_for(pilot, lambda: form.focused is not None, what="focus in the form")
    return form


def error_text(form: FormDialog, name: str) -> str:
    label = form.query_one(f"#err-{name}", Static)
    return text_of(label) if label.has_class("shown") else ""


# ================================================================== caseload

async def test_caseload_shows_my_clients_then_everyones_after_m(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await started(pilot)
        assert row_keys(table) == MY_OPEN
        assert "My caseload (Maria Lopez)" in text_of(app.screen.query_one("#caseload-title"))
        # The specialist column is shown only for everyone's caseload.
        assert [str(c.value) for c in table.columns] == ["0", "1", "3", "4"]
        await pilot.press("m")
        await wait_for(pilot, lambda: row_keys(table) == ALL_OPEN, what="everyone's caseload")
        assert "Everyone's caseload" in text_of(app.screen.query_one("#caseload-title"))
        assert [str(c.value) for c in table.columns] == ["0", "1", "2", "3", "4"]
        assert cell(table, "C0003", "2") == JAMES
        await pilot.press("m")
        await wait_for(pilot, lambda: row_keys(table) == MY_OPEN, what="my caseload again")


async def test_the_caseload_marks_a_stage_that_contradicts_the_jobs(app):
    """Gus (James's) is employed, but his only job ended on 11-16."""
    async with app.run_test(size=(80, 24)) as pilot:
        table = await started(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: row_keys(table) == ALL_OPEN, what="everyone's caseload")
        assert cell(table, "C0007", "1") == "Employed !"
        assert cell(table, "C0001", "1") == "Employed"  # Ana works
        status = app.screen.query_one("#caseload-status")
        assert "clients" in text_of(status)
        table.move_cursor(row=row_keys(table).index("C0007"))
        await wait_for(pilot, lambda: text_of(status).startswith("! Gus Ivers: Employed, but no "
                                                                 "current or upcoming job"),
                       what="the reason in the status line")
        table.move_cursor(row=row_keys(table).index("C0001"))
        await wait_for(pilot, lambda: "clients" in text_of(status), what="the counts again")


async def test_closed_clients_are_hidden_until_x(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await started(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: row_keys(table) == ALL_OPEN)
        assert "C0004" not in row_keys(table)
        await pilot.press("x")
        await wait_for(pilot, lambda: "C0004" in row_keys(table), what="the closed client")
        # Ben Adams before Dev Adams (last name, then first name).
        assert row_keys(table) == ["C0002", "C0004", "C0005", "C0006", "C0007", "C0003", "C0001"]
        assert cell(table, "C0004", "1") == "Closed"
        assert "closed shown" in text_of(app.screen.query_one("#caseload-title"))
        await pilot.press("x")
        await wait_for(pilot, lambda: row_keys(table) == ALL_OPEN, what="closed hidden again")


async def test_slash_filters_live_as_you_type_and_escape_clears(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await started(pilot)
        await pilot.press("slash")
        box = app.screen.query_one("#filter", Input)
        await wait_for(pilot, lambda: box.has_focus, what="focus in the filter")
        assert app.screen.query_one("#filter-bar").display
        await pilot.press("a")  # every row matches: "maria lopez" is in each of them
        assert row_keys(table) == MY_OPEN
        await pilot.press("d")  # "ad": only Ben Adams
        await wait_for(pilot, lambda: row_keys(table) == ["C0002"], what="filtered to Ben Adams")
        assert "1 of 4 clients" in text_of(app.screen.query_one("#caseload-status"))
        await pilot.press("backspace", "backspace", *"hale")
        await wait_for(pilot, lambda: row_keys(table) == ["C0006"], what="filtered to Finn Hale")
        await pilot.press("space", *"zz")  # no match: the empty hint says how to get out
        await wait_for(pilot, lambda: table.row_count == 0)
        hint = app.screen.query_one("#caseload-empty", Static)
        assert hint.has_class("shown") and "Esc clears" in text_of(hint)
        await pilot.press("escape")
        await wait_for(pilot, lambda: row_keys(table) == MY_OPEN, what="the filter cleared")
        assert box.value == ""
        assert table.has_focus
        assert not app.screen.query_one("#filter-bar").display
        assert not hint.has_class("shown")


async def test_filter_matches_ids_and_everyones_clients(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await started(pilot)
        await pilot.press("m", "x", "slash", *"adams")
        await wait_for(pilot, lambda: row_keys(table) == ["C0002", "C0004"], what="both Adams")
        await pilot.press("enter")  # Enter in the filter goes back to the table, filter kept
        await wait_for(pilot, lambda: table.has_focus)
        assert row_keys(table) == ["C0002", "C0004"]
        await pilot.press("slash", "ctrl+u", *"c0007")
        await wait_for(pilot, lambda: row_keys(table) == ["C0007"], what="Gus Ivers by id")


async def test_a_kept_filter_searches_the_reloaded_list(app):
    """Typing on narrows from the last matches; a reload (closed shown) searches everything."""
    async with app.run_test(size=SIZE) as pilot:
        table = await started(pilot)
        box = app.screen.query_one("#filter", Input)
        await pilot.press("m", "slash")
        await wait_for(pilot, lambda: box.has_focus, what="focus in the filter")
        await type_text(pilot, "adams")
        await wait_for(pilot, lambda: row_keys(table) == ["C0002"], what="Ben Adams, open")
        await pilot.press("enter")
        await wait_for(pilot, lambda: table.has_focus)
        await pilot.press("x")
        await wait_for(pilot, lambda: row_keys(table) == ["C0002", "C0004"], what="both Adams")
        await pilot.press("slash")
        await wait_for(pilot, lambda: box.has_focus, what="focus in the filter")
        await pilot.press("end", "backspace", "backspace", "backspace", "backspace")  # (/ selects it all)
        await wait_for(pilot, lambda: box.value == "a" and len(row_keys(table)) > 2,
                       what="'a' matching more again")
        await pilot.press("d")
        await wait_for(pilot, lambda: row_keys(table) == ["C0002", "C0004"], what="both Adams again")


async def test_a_long_caseload_draws_its_first_rows_and_says_so(app, monkeypatch):
    import ips_tui.tui.screens.caseload as caseload_view

    monkeypatch.setattr(caseload_view, "MAX_ROWS", 3)
    async with app.run_test(size=SIZE) as pilot:
        table = await started(pilot)
        assert row_keys(table) == MY_OPEN[:3]
        status = app.screen.query_one("#caseload-status")
        assert text_of(status).startswith("first 3 shown (type / to narrow) · 4 of 4 clients")
        await pilot.press("slash", *"zeller")  # the fourth, beyond the first three: found
        await wait_for(pilot, lambda: row_keys(table) == ["C0001"], what="Zeller by the filter")
        assert text_of(status).startswith("1 of 4 clients")


async def test_s_cycles_the_stage_filter(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await started(pilot)
        title = app.screen.query_one("#caseload-title", Static)
        expected = [("referred", ["C0005"]), ("engaged", []), ("job_search", ["C0002"]),
                    ("employed", ["C0006", "C0001"]), ("education", [])]
        for stage, keys in expected:
            await pilot.press("s")
            await wait_for(pilot, lambda: app.screen.stage_filter == stage)
            assert row_keys(table) == keys, stage
            label = {"job_search": "Job search"}.get(stage, stage.capitalize())
            assert f"stage: {label}" in text_of(title)
        await pilot.press("s")  # closed: Maria has no closed client
        await wait_for(pilot, lambda: app.screen.stage_filter == "closed")
        assert row_keys(table) == []
        await pilot.press("s")  # back to every stage
        await wait_for(pilot, lambda: app.screen.stage_filter is None)
        assert "stage:" not in text_of(title)


async def test_o_cycles_the_sort_column(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await started(pilot)
        title = app.screen.query_one("#caseload-title", Static)
        assert row_keys(table) == MY_OPEN  # by client: Adams, Brook, Hale, Zeller
        await pilot.press("S")  # stage: referred, job search, employed (Hale, Zeller)
        await wait_for(pilot, lambda: "sorted by stage" in text_of(title))
        assert row_keys(table) == ["C0005", "C0002", "C0006", "C0001"]
        await pilot.press("S")  # last contact, longest ago first: never, 10-15, 11-10, 11-12
        await wait_for(pilot, lambda: "sorted by last contact" in text_of(title))
        assert row_keys(table) == ["C0005", "C0002", "C0006", "C0001"]
        assert column_texts(table, 2) == ["never", "39 d ago", "13 d ago", "11 d ago"]
        await pilot.press("S")  # next reminder, soonest first; no reminder last
        await wait_for(pilot, lambda: "sorted by next reminder" in text_of(title))
        assert row_keys(table) == ["C0001", "C0006", "C0002", "C0005"]
        await pilot.press("S")  # wraps to the client column (skipping the hidden specialist)
        await wait_for(pilot, lambda: "sorted by client" in text_of(title))
        assert row_keys(table) == MY_OPEN


async def click_header(pilot, table: DataTable, column_key: str) -> None:
    x = 0
    for key, column in table.columns.items():
        if str(key.value) == column_key:
            break
        x += column.get_render_width(table)
    await pilot.click(table, offset=(x + 2, 0))


async def test_clicking_a_header_sorts_and_clicking_again_reverses(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await started(pilot)
        title = app.screen.query_one("#caseload-title", Static)
        await click_header(pilot, table, NEXT_REMINDER)
        await wait_for(pilot, lambda: "sorted by next reminder" in text_of(title), what="sorted by reminder")
        assert row_keys(table) == ["C0001", "C0006", "C0002", "C0005"]
        await click_header(pilot, table, NEXT_REMINDER)
        await wait_for(pilot, lambda: "(reversed)" in text_of(title), what="reversed")
        # No reminder (Ben, Eve) last becomes first; equal keys keep their order.
        assert row_keys(table) == ["C0002", "C0005", "C0006", "C0001"]
        await click_header(pilot, table, "0")
        await wait_for(pilot, lambda: "sorted by client" in text_of(title))
        assert row_keys(table) == MY_OPEN
        assert "(reversed)" not in text_of(title)


async def test_an_overdue_reminder_says_overdue_in_words(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await started(pilot)
        assert cell(table, "C0001", NEXT_REMINDER) == "OVERDUE Weekly · 11 d"
        assert cell(table, "C0006", NEXT_REMINDER) == "OVERDUE After start · 2 d"
        assert cell(table, "C0002", NEXT_REMINDER) == "—"
        assert "2 with an overdue contact" in text_of(app.screen.query_one("#caseload-status"))


# ================================================================== first run

async def test_first_run_asks_who_i_am_and_remembers_the_choice(tmp_path: Path):
    build_caseload(tmp_path / "x.db")
    config = tmp_path / "cfg.json"
    app = new_app(tmp_path, as_name=None, config_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ChooseSpecialistDialog), what="the question")
        names = app.screen.query_one("#names", OptionList)
        assert [str(names.get_option_at_index(i).prompt) for i in range(names.option_count)] == [
            JAMES, ME, PRIYA]
        assert names.has_focus
        await pilot.press("down")
        if names.highlighted != 1:  # nothing highlighted before the first key
            await pilot.press("down")
        assert names.highlighted == 1
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="the caseload")
        table = caseload_table(app)
        await wait_for(pilot, lambda: row_keys(table) == MY_OPEN, what="Maria's caseload")
        assert "My caseload (Maria Lopez)" in text_of(app.screen.query_one("#caseload-title"))
        assert app.specialist == ME
    assert json.loads(config.read_text())["specialist"] == ME

    # The next start does not ask again.
    app = new_app(tmp_path, as_name=None, config_path=config)
    async with app.run_test(size=SIZE) as pilot:
        table = await started(pilot)
        assert row_keys(table) == MY_OPEN
        assert not any(isinstance(s, ChooseSpecialistDialog) for s in app.screen_stack)


async def test_first_run_typing_a_new_name_adds_the_specialist(tmp_path: Path):
    build_caseload(tmp_path / "x.db")
    config = tmp_path / "cfg.json"
    app = new_app(tmp_path, as_name=None, config_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ChooseSpecialistDialog))
        await pilot.press("tab")
        await wait_for(pilot, lambda: app.screen.query_one("#new-name", Input).has_focus)
        await type_text(pilot, "Zoe Quinn")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        screen = app.screen
        await wait_for(pilot, lambda: "My caseload (Zoe Quinn)" in text_of(screen.query_one("#caseload-title")))
        assert caseload_table(app).row_count == 0
        assert "No clients here yet" in text_of(screen.query_one("#caseload-empty"))
    assert "Zoe Quinn" in services.specialists()
    assert json.loads(config.read_text())["specialist"] == "Zoe Quinn"


async def test_first_run_escape_shows_everyone(tmp_path: Path):
    build_caseload(tmp_path / "x.db")
    config = tmp_path / "cfg.json"
    app = new_app(tmp_path, as_name=None, config_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ChooseSpecialistDialog))
        await pilot.press("escape")
        table = await started(pilot)
        assert row_keys(table) == ALL_OPEN
        assert app.specialist is None
    assert not config.exists()


# ================================================================== client record

async def test_enter_opens_the_client_record(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await started(pilot)
        await move_cursor_to_key(pilot, table, "C0001")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the client screen")
        screen = app.screen
        header = text_of(screen.query_one("#record-header"))
        assert header.startswith("Ana Zeller (C0001) · Employed · Maria Lopez")
        assert "working: Housekeeper at Harbor Hotel" in header
        assert "last contact 11 d ago" in header  # the 11-20 attempt does not count
        tabs = screen.query_one(TabbedContent)
        assert tabs.active == "contacts"
        for key, pane in (("1", "profile"), ("2", "jobs"), ("4", "reminders"),
                          ("5", "employer-contacts"), ("3", "contacts")):
            await pilot.press(key)
            await wait_for(pilot, lambda: tabs.active == pane, what=f"tab {pane}")
        # The contact log, newest first; the attempt says so.
        contacts = screen.query_one("#contacts-table", DataTable)
        assert column_texts(contacts, 0) == ["2026-11-20", "2026-11-12", "2026-11-05"]
        assert column_texts(contacts, 3) == ["no, tried", "yes", "yes"]
        assert column_texts(contacts, 1) == ["In person", "Phone", "In person"]
        jobs = screen.query_one("#jobs-table", DataTable)
        assert [str(c) for c in jobs.get_row_at(0)[:4]] == ["Housekeeper", "Harbor Hotel", "2026-11-02", "current"]
        reminders = screen.query_one("#reminders-table", DataTable)
        assert [str(c) for c in reminders.get_row_at(0)] == ["2026-11-12", "OVERDUE", "Weekly follow-along",
                                                                "Housekeeper at Harbor Hotel"]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="back to the caseload")


# ================================================================== quick contact log

async def test_log_a_contact_from_the_caseload_in_two_keys(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await started(pilot)
        await move_cursor_to_key(pilot, table, "C0001")
        before = len(services.client_record("C0001").contacts)
        await pilot.press("c")
        form = await open_form(pilot, ContactForm)
        assert "Log a contact with Ana Zeller" in text_of(form.query_one(".dialog-title"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="the form closed")
        contacts = services.client_record("C0001").contacts
        assert len(contacts) == before + 1
        new = contacts[0]
        assert (new.date, new.mode, new.location, new.attempted, new.specialist) == (
            TODAY, "in_person", "community", False, ME)
        # The weekly follow-along is now due a week after today: not overdue any more.
        await wait_for(pilot, lambda: cell(table, "C0001", NEXT_REMINDER) == "Weekly · in 7 d",
                       what="the reminder cleared")
        assert cell(table, "C0001", LAST_CONTACT) == "today"
        assert cursor_key(table) == "C0001"
        assert "1 with an overdue contact" in text_of(app.screen.query_one("#caseload-status"))


async def test_ctrl_t_logs_an_outreach_attempt_that_leaves_the_reminder(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await started(pilot)
        await move_cursor_to_key(pilot, table, "C0001")
        await pilot.press("c")
        form = await open_form(pilot, ContactForm)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: form.query_one("#f-attempted", Checkbox).value)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        new = services.client_record("C0001").contacts[0]
        assert (new.date, new.mode, new.attempted) == (TODAY, "in_person", True)
        await pilot.pause()
        assert cell(table, "C0001", NEXT_REMINDER) == "OVERDUE Weekly · 11 d"
        assert cell(table, "C0001", LAST_CONTACT) == "11 d ago"


# ================================================================== reminders

async def test_reminders_are_grouped_by_specialist_and_enter_opens_the_client(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RemindersScreen), what="reminders")
        table = app.screen.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == 3, what="my reminders")
        await pilot.press("m")  # everyone's
        await wait_for(pilot, lambda: table.row_count == 6, what="everyone's reminders")
        assert column_texts(table, 0) == [
            "James Okafor", "  Cara Moss (C0003)", "  Gus Ivers (C0007)",
            "Maria Lopez", "  Ana Zeller (C0001)", "  Finn Hale (C0006)"]
        assert column_texts(table, 1) == ["2, 2 overdue", "1st employer", "After job end", "2, 2 overdue",
                                          "Weekly", "After start"]
        assert column_texts(table, 2)[1:3] == ["2026-11-19", "2026-11-19"]
        assert column_texts(table, 3) == ["", "OVERDUE", "OVERDUE", "", "OVERDUE", "OVERDUE"]
        assert "4 overdue, 0 due" in text_of(app.screen.query_one("#reminders-title"))
        # Enter on a heading does nothing; on a client it opens the record.
        await move_cursor_to_key(pilot, table, "spec:James Okafor")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RemindersScreen)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="Cara's record")
        assert app.screen.client_id == "C0003"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, RemindersScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))


async def test_logging_a_contact_on_the_reminders_screen_clears_the_reminder_at_once(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RemindersScreen))
        screen = app.screen
        table = screen.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == 3, what="my reminders")
        await pilot.press("m")  # everyone's
        await wait_for(pilot, lambda: table.row_count == 6, what="everyone's reminders")
        key = next(k for k in row_keys(table) if k.startswith("C0007|after_job_end|J0003|"))
        await move_cursor_to_key(pilot, table, key)
        await pilot.press("c")
        await open_form(pilot, ContactForm)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen, what="back on reminders")
        await wait_for(pilot, lambda: not any(k.startswith("C0007") for k in row_keys(table)),
                       what="Gus's reminder gone")
        assert column_texts(table, 0) == [
            "James Okafor", "  Cara Moss (C0003)",
            "Maria Lopez", "  Ana Zeller (C0001)", "  Finn Hale (C0006)"]
        assert "3 overdue, 0 due" in text_of(screen.query_one("#reminders-title"))
        assert services.client_record("C0007").contacts[0].date == TODAY


# ================================================================== employers

async def test_employers_list_with_contact_counts(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EmployersScreen), what="employers")
        table = app.screen.query_one(DataTable)
        assert row_keys(table) == ["E0002", "E0001"]  # Corner Books, Harbor Hotel
        assert [[str(c) for c in table.get_row_at(i)] for i in range(2)] == [
            ["Corner Books", "Retail", "", "today", "3"],
            ["Harbor Hotel", "Hospitality", "Rita Fox", "today", "4"]]
        # Enter opens the relationship log, newest first, with whom it was for.
        await move_cursor_to_key(pilot, table, "E0001")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "EmployerScreen", what="the log")
        log = app.screen.query_one(DataTable)
        assert column_texts(log, 0) == ["2026-11-23", "2026-11-23", "2026-11-10", "2026-10-20"]
        assert column_texts(log, 4) == ["Gus Ivers", "Ben Adams", "—", "Ben Adams"]


async def test_a_long_employer_list_draws_its_first_rows_and_says_so(app, monkeypatch):
    import ips_tui.tui.screens.employers as employers_view

    monkeypatch.setattr(employers_view, "MAX_ROWS", 1)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EmployersScreen), what="employers")
        table = app.screen.query_one(DataTable)
        status = app.screen.query_one("#employers-status")
        await wait_for(pilot, lambda: row_keys(table) == ["E0002"], what="the first employer only")
        assert text_of(status) == "first 1 shown (type / to narrow) · 2 of 2 employers"
        await pilot.press("slash", *"harbor")
        await wait_for(pilot, lambda: row_keys(table) == ["E0001"], what="Harbor Hotel by the filter")
        assert text_of(status) == "1 of 2 employers"


async def test_new_employer_form_refuses_an_empty_name_then_saves(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EmployersScreen))
        employers_screen = app.screen
        await pilot.press("n")
        form = await open_form(pilot)
        assert form.query_one("#f-name", Input).has_focus
        await pilot.press("enter")  # empty name
        await wait_for(pilot, lambda: error_text(form, "name") != "", what="the name error")
        assert error_text(form, "name") == "⚠ is required"
        assert "correct the fields" in text_of(form.query_one("#form-message"))
        assert app.screen is form
        assert len(services.employers()) == 2
        await type_text(pilot, "Bay Bikes")
        await wait_for(pilot, lambda: error_text(form, "name") == "", what="the error cleared as I type")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is employers_screen, what="the form closed")
        assert [e.name for e in services.employers()] == ["Bay Bikes", "Corner Books", "Harbor Hotel"]
        table = employers_screen.query_one(DataTable)
        await wait_for(pilot, lambda: row_keys(table) == ["E0003", "E0002", "E0001"])


async def test_an_employer_contact_on_behalf_of_two_clients(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EmployersScreen))
        table = app.screen.query_one(DataTable)
        await move_cursor_to_key(pilot, table, "E0002")
        await pilot.press("c")
        form = await open_form(pilot)
        assert form.query_one("#f-notes", Input).has_focus
        assert form.query_one("#f-employer_id", Select).value == "E0002"
        await type_text(pilot, "Met the owner")
        picks = form.query_one("#f-client_ids", SelectionList)
        # My clients first (Ben Adams, Eve Brook, ...), then everyone else's.
        assert [str(picks.get_option_at_index(i).prompt) for i in range(3)] == [
            "Ben Adams (C0002)", "Eve Brook (C0005)", "Finn Hale (C0006)"]
        await pilot.press("shift+tab")
        await wait_for(pilot, lambda: picks.has_focus, what="focus on the client list")
        if picks.highlighted is None:
            await pilot.press("down")
        assert picks.highlighted == 0
        await pilot.press("space", "down", "down", "space")
        await wait_for(pilot, lambda: sorted(picks.selected) == ["C0002", "C0006"])
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, EmployersScreen), what="saved")
        log = services.employer_log("E0002")
        assert len(log) == 4
        new = log[0]
        assert (new.date, new.specialist, new.mode, new.client_ids, new.notes) == (
            TODAY, ME, "in_person", ("C0002", "C0006"), "Met the owner")
        await wait_for(pilot, lambda: cell(table, "E0002", table.ordered_columns[4].key) == "4")


async def test_an_employer_contact_is_never_silently_given_to_another_specialist(tmp_path: Path):
    build_caseload(tmp_path / "x.db")
    app = new_app(tmp_path, as_name=None)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ChooseSpecialistDialog))
        await pilot.press("escape")  # "Esc skip (show everyone)"
        await started(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EmployersScreen))
        await pilot.press("c")
        form = await open_form(pilot)
        asks_who = bool(form.query("#f-specialist"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        given_to_james = [c for c in services.employer_log("E0002")
                          if c.date == TODAY and c.specialist == JAMES]
        assert asks_who or not given_to_james


# ================================================================== forms

async def test_dates_are_checked_as_you_type(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await started(pilot)
        await move_cursor_to_key(pilot, table, "C0002")
        await pilot.press("c")
        form = await open_form(pilot, ContactForm)
        await pilot.press("tab")
        date = form.query_one("#f-date", Input)
        await wait_for(pilot, lambda: date.has_focus)
        await pilot.press("end", "ctrl+u", *"2026-02-30")
        await wait_for(pilot, lambda: error_text(form, "date") != "", what="the date error")
        assert date.value == "2026-02-30"
        assert "'2026-02-30' is not a real date" in error_text(form, "date")
        await pilot.press("ctrl+u", *"-3d")
        await wait_for(pilot, lambda: error_text(form, "date") == "", what="-3d accepted")
        await pilot.press("ctrl+u", *"soon")
        await wait_for(pilot, lambda: "is not a date" in error_text(form, "date"))
        # Saving is refused while a field is wrong, and nothing is written.
        before = len(services.client_record("C0002").contacts)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert len(services.client_record("C0002").contacts) == before
        await pilot.press("ctrl+u", *"-3d", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="saved")
        assert services.client_record("C0002").contacts[0].date == dt.date(2026, 11, 20)


async def test_escape_on_a_changed_form_asks_and_n_keeps_what_was_typed(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("n")
        form = await open_form(pilot)
        await type_text(pilot, "Lena")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        assert "Discard your changes?" in text_of(app.screen.query_one(".dialog-title"))
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is form, what="back in the form")
        first = form.query_one("#f-first_name", Input)
        assert first.value == "Lena"
        assert first.has_focus
        await type_text(pilot, "rt")  # still typing into the same field
        assert first.value == "Lenart"
        # And y discards.
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="discarded")
    assert len(services.caseload(include_closed=True)) == 7


async def test_escape_on_an_unchanged_form_closes_it_without_asking(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("c")
        await open_form(pilot, ContactForm)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="closed")
        assert not any(isinstance(s, ConfirmDialog) for s in app.screen_stack)
    assert len(services.client_record("C0002").contacts) == 1


async def test_a_q_typed_in_a_form_does_not_quit(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("n")
        form = await open_form(pilot)
        await pilot.press("q", "u", "i", "n", "n")
        await pilot.pause()
        assert app.return_code is None  # not asked to exit
        assert app.screen is form
        assert form.query_one("#f-first_name", Input).value == "quinn"
        # Not even from a field that takes no text (the specialist Select).
        await pilot.press("tab", "tab")
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code is None and app.screen is form


async def test_q_on_the_caseload_quits(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("q")
        await wait_for(pilot, lambda: app.return_code == 0, what="the app to quit")


async def test_n_adds_a_new_client_to_my_caseload(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await started(pilot)
        await pilot.press("n")
        form = await open_form(pilot)
        assert form.query_one("#f-specialist", Select).value == ME
        assert form.query_one("#f-stage", Select).value == "referred"
        await type_text(pilot, "Hana")
        await pilot.press("tab")
        await type_text(pilot, "Ito")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="saved")
        await wait_for(pilot, lambda: "C0008" in row_keys(table), what="the new client")
        values = services.client_record("C0008").values
        assert (values["first_name"], values["last_name"], values["specialist"], values["stage"],
                values["referral_date"]) == ("Hana", "Ito", ME, "referred", TODAY)
        assert row_keys(table) == ["C0002", "C0005", "C0006", "C0008", "C0001"]


# ================================================================== client record actions

async def open_client(pilot, key: str) -> ClientScreen:
    table = await started(pilot)
    if key not in row_keys(table):
        await pilot.press("m")
        await wait_for(pilot, lambda: key in row_keys(table))
    await move_cursor_to_key(pilot, table, key)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ClientScreen), what="the record")
    return pilot.app.screen


async def test_add_a_job_then_end_it_with_a_reason(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0002")
        await pilot.press("j")
        form = await open_form(pilot)
        assert form.query_one("#f-title", Input).has_focus
        await type_text(pilot, "Barista")
        await pilot.press("tab", "tab")
        start = form.query_one("#f-start_date", Input)
        await wait_for(pilot, lambda: start.has_focus, what="the start date")
        await type_text(pilot, "today")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen, what="the job saved")
        jobs = services.client_record("C0002").jobs
        assert [(j.title, j.start_date, j.end_date, j.competitive) for j in jobs] == [
            ("Barista", TODAY, None, True)]
        # Ben was looking for work: "Move to Employed" was ticked, and Enter accepted it.
        assert services.client_record("C0002").values["stage"] == "employed"
        audited = services.audit_entries(client_id="C0002", limit=2)
        assert [(e["action"], e["entity"], e["fields"]) for e in audited][0] == (
            "update", "client", ["stage"])
        await wait_for(pilot, lambda: "· Employed ·" in text_of(screen.query_one("#record-header")))
        await pilot.press("2")
        table = screen.query_one("#jobs-table", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        assert [str(c) for c in table.get_row_at(0)[:4]] == ["Barista", "—", "2026-11-23", "current"]
        assert "working: Barista" in text_of(screen.query_one("#record-header"))

        await pilot.press("x")
        form = await open_form(pilot)
        assert "End job: Barista" in text_of(form.query_one(".dialog-title"))
        assert form.query_one("#f-end_date", Input).value == "today"
        await pilot.press("tab")
        await type_text(pilot, "Seasonal job ended")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen, what="the job ended")
        await wait_for(pilot, lambda: str(table.get_row_at(0)[3]) == "2026-11-23", what="end date shown")
        assert str(table.get_row_at(0)[7]) == "Seasonal job ended"
        job = services.client_record("C0002").jobs[0]
        assert (job.end_date, job.end_reason) == (TODAY, "Seasonal job ended")
        # His last job ended: back to job search, by the same Enter.
        assert services.client_record("C0002").values["stage"] == "job_search"
        await wait_for(pilot, lambda: "· Job search ·" in text_of(screen.query_one("#record-header")))


async def test_a_job_added_without_moving_to_employed(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0002")
        await pilot.press("j")
        form = await open_form(pilot)
        assert form.query_one("#f-move_to_employed", Checkbox).value is True
        assert "Move to Employed (now Job search)" in [text_of(w) for w in form.query(".form-label")]
        await submit(pilot, form, title="Porter", start_date="today", move_to_employed=False)
        await wait_for(pilot, lambda: app.screen is screen, what="the job saved")
        assert services.client_record("C0002").values["stage"] == "job_search"
        assert services.stage_issues(TODAY)["C0002"].suggested == "employed"


async def test_ending_the_last_job_can_keep_the_stage_and_closing_needs_a_reason(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0006")  # Finn: employed, one job
        await pilot.press("x")
        form = await open_form(pilot)
        assert form.query_one("#f-then", Select).value == "job_search"
        await submit(pilot, form, then="closed", closed_reason="")
        await wait_for(pilot, lambda: error_text(form, "closed_reason") != "", what="the reason error")
        assert services.client_record("C0006").jobs[0].end_date is None  # nothing saved
        await submit(pilot, form, then="keep")
        await wait_for(pilot, lambda: app.screen is screen, what="the job ended")
        record = services.client_record("C0006")
        assert (record.jobs[0].end_date, record.values["stage"]) == (TODAY, "employed")


async def test_ending_the_last_job_can_close_the_client_with_a_reason(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0006")
        await pilot.press("x")
        form = await open_form(pilot)
        await submit(pilot, form, then="closed", closed_reason="Moved away")
        await wait_for(pilot, lambda: app.screen is screen, what="the job ended")
        values = services.client_record("C0006").values
        assert (values["stage"], values["closed_date"], values["closed_reason"]) == (
            "closed", TODAY, "Moved away")


async def test_closing_a_client_needs_a_reason(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0002")
        await pilot.press("s")
        form = await open_form(pilot)
        stage = form.query_one("#f-stage", Select)
        assert stage.has_focus and stage.value == "job_search"
        # Choose "Closed" with the keyboard: open the list, down to the last stage, Enter.
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")
        await wait_for(pilot, lambda: stage.value == "closed", what="closed chosen")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: error_text(form, "closed_reason") != "", what="the reason error")
        assert "is required when closing a client" in error_text(form, "closed_reason")
        assert app.screen is form
        assert services.client_record("C0002").values["stage"] == "job_search"
        form.query_one("#f-closed_reason", Input).focus()
        await pilot.pause()
        await type_text(pilot, "Moved away")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen, what="saved")
        values = services.client_record("C0002").values
        assert (values["stage"], values["closed_date"], values["closed_reason"]) == (
            "closed", TODAY, "Moved away")
        await wait_for(pilot, lambda: "· Closed ·" in text_of(screen.query_one("#record-header")))
        await pilot.press("escape")
        table = await started(pilot)
        await wait_for(pilot, lambda: "C0002" not in row_keys(table), what="Ben off my open caseload")


async def test_t_flags_the_client_for_the_team_meeting(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0006")
        await pilot.press("t")
        await wait_for(pilot, lambda: services.client_record("C0006").values["discuss"] is True)
        await wait_for(pilot, lambda: "● team meeting" in text_of(screen.query_one("#record-header")))
        await pilot.press("escape")
        table = await started(pilot)
        await wait_for(pilot, lambda: cell(table, "C0006", "0") == "Finn Hale ●", what="the dot")
        assert "1 to discuss" in text_of(app.screen.query_one("#caseload-status"))
        await move_cursor_to_key(pilot, table, "C0006")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("t")
        await wait_for(pilot, lambda: services.client_record("C0006").values["discuss"] is False)


async def test_d_deletes_the_highlighted_contact_after_asking(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0001")
        contacts = screen.query_one("#contacts-table", DataTable)
        assert contacts.has_focus
        ids = [c.id for c in services.client_record("C0001").contacts]  # 11-20, 11-12, 11-05
        await pilot.press("down")  # the 11-12 phone call
        assert cursor_key(contacts) == str(ids[1])
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        assert "Delete this contact?" in text_of(app.screen.query_one(".dialog-title"))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is screen)
        assert [c.id for c in services.client_record("C0001").contacts] == [ids[0], ids[2]]
        await wait_for(pilot, lambda: column_texts(contacts, 0) == ["2026-11-20", "2026-11-05"])


async def test_answering_no_to_delete_changes_nothing(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0001")
        ids = [c.id for c in services.client_record("C0001").contacts]
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen)
        assert [c.id for c in services.client_record("C0001").contacts] == ids


async def test_cursor_stays_on_the_highlighted_contact_after_answering_no(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0001")
        contacts = screen.query_one("#contacts-table", DataTable)
        ids = [c.id for c in services.client_record("C0001").contacts]
        await pilot.press("down")  # the 11-12 phone call
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")  # not sure: no
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.pause()
        assert cursor_key(contacts) == str(ids[1])
        await pilot.press("d")  # yes, that one after all
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is screen)
        assert [c.id for c in services.client_record("C0001").contacts] == [ids[0], ids[2]]


async def submit(pilot, form: FormDialog, **typed: object) -> None:
    """Put values in a form's fields as if typed, and press ctrl+s to save."""
    for name, value in typed.items():
        form.query_one(f"#f-{name}").value = value  # type: ignore[attr-defined]
    await pilot.pause()
    await pilot.press("ctrl+s")


async def test_ending_a_job_needs_an_end_date_not_before_its_start(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0001")
        await pilot.press("x")
        form = await open_form(pilot)
        await submit(pilot, form, end_date="")
        await wait_for(pilot, lambda: error_text(form, "end_date") != "", what="the end date error")
        assert "is required to end a job" in error_text(form, "end_date")
        await submit(pilot, form, end_date="2026-11-01")
        await wait_for(pilot, lambda: "before the start date" in error_text(form, "end_date"))
        assert app.screen is form  # kept open, with what was typed
        assert form.query_one("#f-end_date", Input).value == "2026-11-01"
        assert services.client_record("C0001").jobs[0].end_date is None
        await submit(pilot, form, end_date="today")
        await wait_for(pilot, lambda: app.screen is screen, what="the job ended")
        assert services.client_record("C0001").jobs[0].end_date == TODAY


async def test_closing_a_client_needs_a_closed_date(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_client(pilot, "C0002")
        await pilot.press("s")
        await submit(pilot, await open_form(pilot), stage="closed", closed_date="",
                     closed_reason="Moved away")
        form = app.screen
        await wait_for(pilot, lambda: error_text(form, "closed_date") != "", what="the date error")
        assert "is required when closing a client" in error_text(form, "closed_date")
        assert error_text(form, "closed_reason") == ""
        assert services.client_record("C0002").values["stage"] == "job_search"


async def test_a_rule_about_a_field_the_form_does_not_show_is_said_in_words(app):
    """Dev was closed on 2026-06-30: a referral date after it breaks a rule on the closed date,
    which the profile form does not show."""
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.open_client("C0004")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen) and app.screen.record is not None)
        await pilot.press("p")
        form = await open_form(pilot)
        await submit(pilot, form, referral_date="2026-07-01")
        message = form.query_one("#form-message", Static)
        await wait_for(pilot, lambda: "before the referral date" in text_of(message), what="the message")
        assert text_of(message) == ("⚠ Not saved: closed_date: 2026-06-30 is before the referral "
                                    "date 2026-07-01")
        assert app.screen is form
        assert services.client_record("C0004").values["referral_date"] == TODAY.replace(month=1, day=5)


async def test_p_edits_the_profile(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0002")
        await pilot.press("p")
        form = await open_form(pilot)
        assert form.query_one("#f-last_name", Input).value == "Adams"
        phone = form.query_one("#f-phone", Input)
        phone.focus()
        await pilot.pause()
        await pilot.press("end", "ctrl+u", *"555-0199")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen, what="saved")
        assert services.client_record("C0002").values["phone"] == "555-0199"
        await pilot.press("1")
        await wait_for(pilot, lambda: "555-0199" in text_of(screen.query_one("#profile-body")))


# ================================================================== this week

async def test_this_week_counts_in_person_employer_contacts_per_specialist(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, ThisWeekScreen), what="this week")
        screen = app.screen
        table = screen.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == 3)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(3)]
        # Specialist, in person, bar, all, named, caseload, bar, seeking
        # The team-meeting week (meeting on Tuesdays): Tue 2026-11-17 to Mon 2026-11-23.
        assert [(r[0], r[1], r[3], r[4], r[5], r[7]) for r in rows] == [
            (JAMES, "1", "1", "1", "2", "0"),
            (f"{ME} (you)", "3", "4", "1", "4", "1"),
            (PRIYA, "0", "0", "0", "0", "0")]
        assert "Tue 2026-11-17 to Mon 2026-11-23" in text_of(screen.query_one("#week-title"))
        await pilot.press("left_square_bracket")  # the week before: James's phone call
        await wait_for(pilot, lambda: "Tue 2026-11-10 to Mon 2026-11-16" in text_of(screen.query_one("#week-title")))
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(3)]
        assert [(r[1], r[3]) for r in rows] == [("0", "1"), ("0", "0"), ("0", "0")]


# ================================================================== help, palette, theme

async def test_question_mark_lists_the_keys_of_the_current_screen(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        keys = text_of(app.screen.query_one("#help-keys"))
        for words in ("Log contact", "Filter", "Mine/all", "Stage", "Sort", "New client"):
            assert words in keys, words
        assert "Keys: Caseload" in text_of(app.screen.query_one(".dialog-title"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        # On the client record, its own keys.
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = text_of(app.screen.query_one("#help-keys"))
        assert "Add job" in keys and "Team mtg" in keys
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="help closed by ?")


async def test_help_also_lists_the_app_wide_keys(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        keys = text_of(app.screen.query_one("#help-keys"))
        for words in ("Employers", "Reminders", "This week", "Quit"):
            assert words in keys, words


async def test_the_command_palette_opens_a_client_by_name(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await run_palette_command(pilot, "Cara Moss", "Cara Moss (C0003)")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="Cara's record")
        assert app.screen.client_id == "C0003"
        assert text_of(app.screen.query_one("#record-header")).startswith("Cara Moss (C0003)")


async def test_the_palette_offers_the_keys_of_the_screen_below(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_client(pilot, "C0002")
        await run_palette_command(pilot, "Add job", "Add job")
        form = await open_form(pilot)
        assert "Add a job" in text_of(form.query_one(".dialog-title"))


async def test_the_palette_offers_every_screen_the_app_keys_open(app):
    # The palette is itself a dialog: the app's keys are offered as they act over the caseload.
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await run_palette_command(pilot, "Outcomes", "Outcomes")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "OutcomesScreen", what="outcomes")
        for name in ("Employers", "Reminders", "This week", "Agenda", "Help"):
            await pilot.press("ctrl+p")
            await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
            await type_text(pilot, name)
            results = app.screen.query_one(CommandList)
            await wait_for(pilot, lambda n=name: results.option_count > 0
                           and str(results.get_option_at_index(0).prompt).startswith(n),
                           what=f"{name} offered")
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette))


async def test_the_palette_reads_the_caseload_once_not_on_every_keystroke(app, monkeypatch):
    reads = []
    caseload = services.caseload

    def counted(*args, **kwargs):
        reads.append(args)
        return caseload(*args, **kwargs)

    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        monkeypatch.setattr(services, "caseload", counted)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        await type_text(pilot, "Cara Mo")
        results = app.screen.query_one(CommandList)
        await wait_for(pilot, lambda: results.option_count > 0
                       and "Cara Moss (C0003)" in str(results.get_option_at_index(0).prompt))
        assert len(reads) == 1
        await pilot.press("escape")


async def test_toggling_the_theme_from_the_palette_is_remembered(tmp_path: Path):
    build_caseload(tmp_path / "x.db")
    config = tmp_path / "cfg.json"
    app = new_app(tmp_path, config_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.theme == "textual-dark"
        await run_palette_command(pilot, "Toggle dark", "Toggle dark/light theme")
        await wait_for(pilot, lambda: app.theme == "textual-light", what="the light theme")
        assert json.loads(config.read_text())["theme"] == "textual-light"
    app = new_app(tmp_path, config_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.theme == "textual-light"
        await run_palette_command(pilot, "Toggle dark", "Toggle dark/light theme")
        await wait_for(pilot, lambda: app.theme == "textual-dark", what="the dark theme")
    assert json.loads(config.read_text())["theme"] == "textual-dark"


async def test_notes_with_brackets_are_shown_as_typed(tmp_path):
    """Square brackets are text, not styling: a note once lost "[the cafe]" from the log, and
    one with "[/]" stopped the app."""
    build_caseload(tmp_path / "x.db")
    note = "Met at [the cafe]; she said [/] means 'or' and [b]this[/b] is not bold"
    services.add_client_contact({"client_id": "C0006", "date": "2026-11-22", "specialist": ME,
                                 "mode": "phone", "notes": note}, by=ME)
    app = new_app(tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await started(pilot)
        app.open_client("C0006")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen) and app.screen.record is not None)
        table = app.screen.query_one("#contacts-table", DataTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        await pilot.pause()
        drawn = "\n".join(table.render_line(y).text for y in range(table.size.height))
        assert note in drawn


async def test_brackets_in_names_and_messages_are_text_everywhere(tmp_path):
    """A specialist, a client, an employer or a message with square brackets shows them:
    the list of names, screen titles, a form's choices and notifications are plain text."""
    build_caseload(tmp_path / "x.db")
    odd = "Jo [/] Smith [b]"
    services.add_specialist_if_new(odd, by=ME)
    services.create_employer({"name": "Bar [the one] & Grill [/]"}, by=ME)
    app = new_app(tmp_path, as_name=None, config_path=tmp_path / "fresh.json")
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ChooseSpecialistDialog), what="the question")
        names = app.screen.query_one("#names", OptionList)
        prompts = [str(names.get_option_at_index(i).prompt) for i in range(names.option_count)]
        assert odd in prompts
        await pilot.pause()
        assert odd in "\n".join(names.render_line(y).text for y in range(names.size.height))
        names.highlighted = prompts.index(odd)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="my caseload")
        await wait_for(pilot, lambda: f"My caseload ({odd})" in text_of(app.screen.query_one("#caseload-title")),
                       what="the title with the name as written")
        app.screen.notify("Saved to /tmp/[x]/agenda.md [/]")  # as screens send their messages
        await pilot.pause()
        shown = list(app._notifications)
        assert [(n.message, n.markup) for n in shown] == [("Saved to /tmp/[x]/agenda.md [/]", False)]
        app.open_client("C0006")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen) and app.screen.record is not None)
        await pilot.press("j")  # the job form lists employers to choose from
        form = await open_form(pilot)
        employer = form.query_one("#f-employer_id", Select)
        assert "Bar [the one] & Grill [/]" in [str(prompt) for prompt, _ in employer._options]


# ================================================================== speed measures keep it right

async def test_the_record_screen_built_ahead_of_time_shows_the_first_client_opened(tmp_path):
    from ips_tui.tui.widgets.footer import SteadyFooter

    build_caseload(tmp_path / "x.db")
    app = new_app(tmp_path, prewarm=True)
    async with app.run_test(size=SIZE) as pilot:
        table = await started(pilot)
        await wait_for(pilot, lambda: app.is_screen_installed("client")
                       and app.get_screen("client").is_running, what="the record screen built")
        assert app.screen is not app.get_screen("client")  # built, not shown
        record = app.get_screen("client")
        # ... and laid out at the terminal's size with its keys made, still unshown, so that
        # the first show costs what the next ones do.
        await wait_for(pilot, lambda: record.size == app.size
                       and "Add job" in [k.description for k in record.query_one(SteadyFooter).query("FooterKey")],
                       what="the record screen laid out with its keys")
        assert app.screen is not record
        await move_cursor_to_key(pilot, table, "C0006")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen)
                       and text_of(app.screen.query_one("#record-header")).startswith("Finn Hale (C0006)"),
                       what="Finn's record")
        footer = app.screen.query_one(SteadyFooter)
        await wait_for(pilot, lambda: "Add job" in [k.description for k in footer.query("FooterKey")],
                       what="the record's keys in the footer")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        footer = app.screen.query_one(SteadyFooter)
        await wait_for(pilot, lambda: "New client" in [k.description for k in footer.query("FooterKey")]
                       and "Add job" not in [k.description for k in footer.query("FooterKey")],
                       what="the caseload's own keys in its footer")
        await move_cursor_to_key(pilot, table, "C0002")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen)
                       and text_of(app.screen.query_one("#record-header")).startswith("Ben Adams (C0002)"),
                       what="Ben's record in the same screen")
        await pilot.press("q")


@pytest.mark.parametrize("pauses", [0, 1, 3, 8, 20, 60])
async def test_quitting_while_the_record_screen_is_being_built_is_clean(tmp_path, pauses):
    """q at any moment of the background build ends the app without an error."""
    import asyncio

    build_caseload(tmp_path / "x.db")
    app = new_app(tmp_path, prewarm=True)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app._prewarm_client_screen()  # what the start-up timer does
        for _ in range(pauses):
            await asyncio.sleep(0)
        await app.action_quit()  # what q does, at once (a key press would wait for idle)
    assert app.return_code == 0
