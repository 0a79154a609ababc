"""Issue 16: screens and keys in the specialist's language, at 80x24 too.

Forms behave one way (Enter saves from a text field, ctrl+s from anywhere, one hint line), the
contact form's Location follows its Mode, keys typed ahead land where they were meant, reminders
can be acted on where they are seen, one week everywhere, and help in the screen's own order.
Runs on the known caseload of ``app_helpers.build_caseload``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from app_helpers import (
    ME,
    SIZE,
    TODAY,
    build_caseload,
    caseload_shown,
    column_texts,
    cursor_key,
    move_cursor_to_key,
    new_app,
    row_keys,
    text_of,
    type_text,
    wait_for,
)
from textual import events
from textual.widgets import DataTable, Input, Select, SelectionList, TextArea

from ips_tui import services
from ips_tui.tui.forms.contact import ContactForm
from ips_tui.tui.forms.form import FormDialog
from ips_tui.tui.screens.caseload import CaseloadScreen
from ips_tui.tui.screens.client import ClientScreen


@pytest.fixture
def app(tmp_path: Path):
    build_caseload(tmp_path / "x.db")
    return new_app(tmp_path)


async def open_form(pilot, form_type=FormDialog) -> FormDialog:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, form_type), what=f"a {form_type.__name__}")
    form = pilot.app.screen
    await wait_for(pilot, lambda: form.focused is not None, what="focus in the form")
    return form


def send_fast(app, *keys: str, paste: str | None = None) -> None:
    """Send keys (and a paste) to the app all at once, as a fast typist or a paste does: no
    waiting between them for the app to handle the one before."""
    for key in keys:
        char = " " if key == "space" else (key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
    if paste is not None:
        event = events.Paste(paste)
        event.set_sender(app)
        app._driver.send_message(event)


SAVE_HINT = "Enter saves from a text field · ctrl+s saves from anywhere"


# ================================================================== forms behave one way

async def test_every_form_says_how_to_save_the_same_way(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await caseload_shown(pilot)
        await move_cursor_to_key(pilot, table, "C0002")
        seen = []
        for opener, keys in (("caseload", ["c"]), ("caseload", ["n"]), ("client", ["s"]),
                             ("client", ["j"]), ("client", ["p"])):
            if opener == "client":
                await pilot.press("enter")
                await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen)
                               and app.screen.client_id == "C0002", what="Ben's record")
                await pilot.pause(0.2)
            await pilot.press(*keys)
            form = await open_form(pilot)
            hint = text_of(form.query_one("#form-keys"))
            seen.append(hint)
            assert hint.startswith(SAVE_HINT), hint
            assert hint.endswith("Tab next field · Esc cancel"), hint
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, FormDialog), what="form closed")
            if opener == "client":
                await pilot.press("escape")
                await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        assert "ctrl+t not reached (an outreach attempt)" in seen[0]
        assert not any("ctrl+r" in hint for hint in seen)


async def test_ctrl_s_saves_from_an_open_dropdown(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await caseload_shown(pilot)
        await move_cursor_to_key(pilot, table, "C0002")
        await pilot.press("c")
        form = await open_form(pilot, ContactForm)
        await pilot.press("tab", "tab")  # notes, date, mode
        mode = form.query_one("#f-mode", Select)
        await wait_for(pilot, lambda: mode.has_focus, what="focus on Mode")
        await pilot.press("enter")  # Enter on a closed dropdown opens it
        await wait_for(pilot, lambda: mode.expanded, what="the dropdown open")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="saved")
        assert services.client_record("C0002").contacts[0].date == TODAY


async def test_ctrl_s_saves_from_a_note_where_enter_starts_a_new_line(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await caseload_shown(pilot)
        await move_cursor_to_key(pilot, table, "C0002")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="Ben's record")
        await pilot.pause(0.2)
        await pilot.press("p")
        form = await open_form(pilot)
        notes = form.query_one("#f-notes", TextArea)
        notes.focus()
        await wait_for(pilot, lambda: notes.has_focus)
        await type_text(pilot, "Wants mornings")
        await pilot.press("enter")
        await type_text(pilot, "Has a bike")
        assert isinstance(app.screen, FormDialog)  # Enter in a note is a new line
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="saved")
        assert services.client_record("C0002").values["notes"].endswith("Wants mornings\nHas a bike")


async def test_location_follows_the_mode(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await caseload_shown(pilot)
        await move_cursor_to_key(pilot, table, "C0002")
        await pilot.press("c")
        form = await open_form(pilot, ContactForm)
        mode = form.query_one("#f-mode", Select)
        location = form.query_one("#f-location", Select)
        assert (mode.value, location.value, location.disabled) == ("in_person", "community", False)
        mode.value = "phone"
        await wait_for(pilot, lambda: location.disabled, what="Location not applicable")
        assert location.value is Select.NULL
        assert "not applicable" in str(location.query_one("SelectCurrent").render()) or \
            location.prompt == "not applicable"
        mode.value = "in_person"
        await wait_for(pilot, lambda: not location.disabled, what="Location back")
        assert location.value == "community"
        mode.value = "video"
        await wait_for(pilot, lambda: location.disabled)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="saved")
        new = services.client_record("C0002").contacts[0]
        assert (new.mode, new.location) == ("video", None)


async def test_keys_typed_ahead_of_a_form_land_in_its_fields(app):
    async with app.run_test(size=SIZE) as pilot:
        table = await caseload_shown(pilot)
        await move_cursor_to_key(pilot, table, "C0002")
        # c opens the form; the note is typed before the form is even on screen
        send_fast(app, "c", *["space" if ch == " " else ch for ch in "met at the cafe"])
        form = await open_form(pilot, ContactForm)
        notes = form.query_one("#f-notes", Input)
        await wait_for(pilot, lambda: notes.value == "met at the cafe", what="the whole note")
        assert app.screen is form and isinstance(app.screen_stack[-2], CaseloadScreen)
        assert app.screen_stack[-2].mine  # the m typed into the note did not reach the caseload
        # Tab then a paste at once: the paste goes to the date, not the note
        send_fast(app, "tab", paste="yesterday")
        date = form.query_one("#f-date", Input)
        await wait_for(pilot, lambda: date.value == "todayyesterday" or date.value == "yesterday",
                       what="the paste in the date")
        assert notes.value == "met at the cafe"


async def test_a_paste_and_fast_ticks_in_the_employer_contact_form(app):
    async with app.run_test(size=SIZE) as pilot:
        await caseload_shown(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "EmployersScreen")
        await pilot.pause(0.2)
        send_fast(app, "c", paste="Spoke to Rita")
        form = await open_form(pilot)
        await wait_for(pilot, lambda: form.query_one("#f-notes", Input).value == "Spoke to Rita",
                       what="the pasted note")
        picks = form.query_one("#f-client_ids", SelectionList)
        send_fast(app, "shift+tab", "space", "down", "space", "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, FormDialog), what="saved")
        assert len(picks.selected) == 2


# ================================================================== reminders you can act on

async def open_reminders(pilot):
    from ips_tui.tui.screens.reminders import RemindersScreen

    await caseload_shown(pilot)
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, RemindersScreen), what="reminders")
    screen = pilot.app.screen
    table = screen.query_one(DataTable)
    await wait_for(pilot, lambda: table.row_count > 0, what="reminders drawn")
    return screen, table


async def test_reminders_open_on_mine_and_m_shows_everyone(app):
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await open_reminders(pilot)
        assert column_texts(table, 0) == [
            "Maria Lopez", "  Ana Zeller (C0001)", "  Finn Hale (C0006)"]
        assert "Maria Lopez's clients" in text_of(screen.query_one("#reminders-title"))
        # the job by name, never a bare id
        assert column_texts(table, 4) == ["", "Housekeeper at Harbor Hotel", "Bookseller at Corner Books"]
        await pilot.press("m")
        await wait_for(pilot, lambda: table.row_count == 6, what="everyone's")
        assert "All specialists" in text_of(screen.query_one("#reminders-title"))


async def test_the_status_line_says_what_to_do_on_a_heading_and_on_a_reminder(app):
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await open_reminders(pilot)
        status = screen.query_one("#reminders-status")
        assert cursor_key(table) == "spec:Maria Lopez"
        assert "↓ to a client, then c logs the contact" in text_of(status)
        await pilot.press("c")  # on a heading: said, nothing opened
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("down")
        await wait_for(pilot, lambda: "c logs a contact with Ana Zeller today" in text_of(status))
        assert "Housekeeper at Harbor Hotel" in text_of(status)


async def test_c_on_a_first_employer_contact_reminder_logs_one_with_the_client_ticked(app):
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await open_reminders(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: table.row_count == 6, what="everyone's")
        key = next(k for k in row_keys(table) if k.startswith("C0003|first_employer_contact"))
        await move_cursor_to_key(pilot, table, key)
        await wait_for(pilot, lambda: "employer contact on Cara Moss's behalf"
                       in text_of(screen.query_one("#reminders-status")))
        await pilot.press("c")
        form = await open_form(pilot)
        assert "employer contact" in text_of(form.query_one(".dialog-title"))
        assert form.query_one("#f-client_ids", SelectionList).selected == ["C0003"]
        form.query_one("#f-employer_id", Select).value = "E0002"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen, what="back on reminders")
        await wait_for(pilot, lambda: not any(k.startswith("C0003") for k in row_keys(table)),
                       what="Cara's reminder cleared")
        log = services.employer_log("E0002")
        assert log[0].client_ids == ("C0003",) and log[0].date == TODAY


async def test_c_on_a_follow_along_reminder_logs_the_contact_today(app):
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await open_reminders(pilot)
        key = next(k for k in row_keys(table) if k.startswith("C0006|after_start"))
        await move_cursor_to_key(pilot, table, key)
        await pilot.press("c")
        await open_form(pilot, ContactForm)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen, what="back on reminders")
        await wait_for(pilot, lambda: not any(k.startswith("C0006|after_start") for k in row_keys(table)),
                       what="Finn's reminder cleared")
        # the next one is the weekly contact, due a week from today
        assert any(k.startswith("C0006|weekly|J0002|2026-11-30") for k in row_keys(table))
        new = services.client_record("C0006").contacts[0]
        assert (new.date, new.mode, new.location) == (TODAY, "in_person", "community")


# ================================================================== one week

async def test_this_week_and_the_agendas_past_week_are_one_week_with_its_dates(app):
    from ips_tui.domain.agenda import meeting_week
    from ips_tui.tui.screens.week import ThisWeekScreen

    assert meeting_week(TODAY, 1) == (dt.date(2026, 11, 17), dt.date(2026, 11, 23))
    assert meeting_week(dt.date(2026, 11, 24), 1) == (dt.date(2026, 11, 24), dt.date(2026, 11, 30))
    agenda = services.agenda(services.next_meeting_date(TODAY))
    assert (agenda.past_start, agenda.past_end) == meeting_week(TODAY, 1)
    maria = next(e for e in agenda.employer_contacts if e.specialist == ME)
    async with app.run_test(size=SIZE) as pilot:
        await caseload_shown(pilot)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, ThisWeekScreen), what="this week")
        table = app.screen.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == 3)
        assert "Tue 2026-11-17 to Mon 2026-11-23" in text_of(app.screen.query_one("#week-title"))
        mine = next(table.get_row_at(i) for i in range(3) if str(table.get_row_at(i)[0]).startswith(ME))
        assert str(mine[1]) == str(maria.in_person) == "3"
    # A team meeting on Mondays moves both weeks together.
    services.set_meeting_weekday(0)
    assert services.this_meeting_week(TODAY) == (TODAY, TODAY + dt.timedelta(days=6))
    monday = services.agenda(services.next_meeting_date(TODAY))
    assert (monday.past_start, monday.past_end) == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))


# ================================================================== words

async def test_help_lists_this_screens_keys_then_the_apps_then_textuals(app):
    from ips_tui.tui.dialogs.help import HelpScreen

    async with app.run_test(size=SIZE) as pilot:
        await caseload_shown(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        keys = text_of(app.screen.query_one("#help-keys"))
        heads = [keys.index(h) for h in HelpScreen.GROUPS]
        assert heads == sorted(heads), keys
        screen_part, app_part, generic = (keys[heads[0]:heads[1]], keys[heads[1]:heads[2]],
                                          keys[heads[2]:])
        assert "Log contact" in screen_part and "Filter" in screen_part
        assert "Reminders" in app_part and "Reminders" not in screen_part
        assert "Log contact" not in generic and "Reminders" not in generic
        assert "Quit" in app_part


async def test_history_shows_local_time_and_plain_field_names(app):
    from ips_tui.tui.widgets.audit_text import local_time

    services.update_job("J0001", {"end_date": TODAY}, services.client_record("C0001").jobs[0].version,
                        by=ME)
    entry = services.audit_entries(client_id="C0001", limit=1)[0]
    async with app.run_test(size=SIZE) as pilot:
        table = await caseload_shown(pilot)
        await move_cursor_to_key(pilot, table, "C0001")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="Ana's record")
        await pilot.press("6")
        history = app.screen.query_one("#history-table", DataTable)
        await wait_for(pilot, lambda: history.row_count > 0, what="the history")
        first = [str(c) for c in history.get_row_at(0)]
        assert first[0] == local_time(entry["at"]) and "T" not in first[0] and "Z" not in first[0]
        assert first[3] == "Job: Housekeeper at Harbor Hotel"
        assert first[4] == "End date"
        assert "end_date" not in " ".join(str(c) for i in range(history.row_count)
                                          for c in history.get_row_at(i))


def test_local_time_is_the_stored_utc_time_in_the_local_zone():
    from ips_tui.tui.widgets.audit_text import field_labels, local_time, record_name

    paris = dt.timezone(dt.timedelta(hours=1))
    assert local_time("2026-11-23T14:05:09Z", paris) == "2026-11-23 15:05"
    assert field_labels("job", ["end_date", "hours_per_week"]) == "End date, Hours per week"
    assert record_name("client_contact", "105", {}) == "Contact"


async def test_the_records_behind_a_fidelity_item_name_the_clients(app):
    from textual.widgets import OptionList

    from ips_tui.tui.dialogs.records import RecordsDialog
    from ips_tui.tui.screens.outcomes import OutcomesScreen

    async with app.run_test(size=SIZE) as pilot:
        await caseload_shown(pilot)
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OutcomesScreen)
                       and app.screen.fidelity is not None, what="outcomes")
        screen = app.screen
        table = screen.query_one("#fidelity-table", DataTable)
        await move_cursor_to_key(pilot, table, "disclosure")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordsDialog), what="the records")
        options = app.screen.query_one(OptionList)
        texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert texts[0] == "Ana Zeller (C0001): not recorded"
        await pilot.press("enter")  # opens the client
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="Ana's record")
        assert app.screen.client_id == "C0001"


def test_fidelity_details_name_jobs_never_a_bare_id():
    from ips_tui.tui.dialogs.records import with_names

    assert with_names("C0010, Gardener at Metro Logistics: after start due 2026-07-18",
                      {"C0010": "Jamal Brown"}) == (
        "Jamal Brown (C0010), Gardener at Metro Logistics: after start due 2026-07-18")
