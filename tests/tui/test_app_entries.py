"""Reading and correcting what was written: Enter on a contact, an employer contact or a job
opens it whole; e corrects it with the form that logged it; d deletes it after asking.

Runs on the known caseload of ``app_helpers.build_caseload`` (today 2026-11-23, "me" Maria Lopez),
with a long note added to Ana Zeller's first contact.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from app_helpers import (
    JAMES,
    ME,
    SIZE,
    build_caseload,
    column_texts,
    cursor_key,
    move_cursor_to_key,
    new_app,
    row_keys,
    text_of,
    wait_for,
)
from textual.widgets import DataTable, Input, SelectionList, Static, TextArea

from ips_tui import services
from ips_tui.store import models as m
from ips_tui.tui.dialogs.confirm import ConfirmDialog
from ips_tui.tui.forms.form import FormDialog
from ips_tui.tui.screens.caseload import CaseloadScreen
from ips_tui.tui.screens.client import ClientScreen
from ips_tui.tui.screens.employers import EmployerScreen, EmployersScreen
from ips_tui.tui.screens.entry import ClientContactScreen, EmployerContactScreen, JobScreen

LONG_NOTE = ("Met at the cafe near the bus station. Talked through the first week at the hotel: "
             "the early shifts are hard with the bus timetable, and she wants to ask about a later "
             "start. Agreed to practise the conversation with the supervisor on Thursday.\n"
             "Next: call the hotel's HR about the 7am rota. END-OF-NOTE")


@pytest.fixture
def app(tmp_path: Path):
    build_caseload(tmp_path / "x.db")
    first = services.client_record("C0001").contacts[-1]  # 2026-11-05, in person
    services.update_client_contact(first.id, {"notes": LONG_NOTE}, None, by=ME)
    return new_app(tmp_path)


def elsewhere(change: Callable[[], object]) -> None:
    """Make a change through another connection (another thread's), as a colleague would."""
    def run() -> None:
        try:
            change()
        finally:
            services.close_thread_connection()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


async def open_client(pilot, key: str) -> ClientScreen:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CaseloadScreen)
                   and pilot.app.screen.query_one("#caseload", DataTable).row_count > 0)
    pilot.app.open_client(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ClientScreen)
                   and pilot.app.screen.record is not None, what="the record")
    return pilot.app.screen


async def open_entry(pilot, screen_type: type) -> ClientContactScreen:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, screen_type)
                   and pilot.app.screen.detail is not None, what=screen_type.__name__)
    return pilot.app.screen


async def open_form(pilot) -> FormDialog:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, FormDialog), what="the form")
    form = pilot.app.screen
    await wait_for(pilot, lambda: form.focused is not None, what="focus in the form")
    return form


def entry_text(screen) -> str:
    return "\n".join(text_of(screen.query_one(f"#entry-{part}", Static))
                     for part in ("title", "fields", "notes", "written"))


def first_contact_id() -> int:
    return services.client_record("C0001").contacts[-1].id


# ================================================================== client contacts

@pytest.mark.parametrize("size", [(80, 24), SIZE], ids=["80x24", "120x40"])
async def test_enter_opens_a_contact_with_its_whole_note(app, size):
    async with app.run_test(size=size) as pilot:
        screen = await open_client(pilot, "C0001")
        contacts = screen.query_one("#contacts-table", DataTable)
        shown = column_texts(contacts, 5)[-1]
        assert shown.startswith("Met at the cafe near the") and shown.endswith("…")
        # Enough of the note to recognise it, at 80 columns too: the notes take what is left.
        assert screen.notes_room == (28 if size[0] == 80 else 59)  # "no, tried" is 2 wider than "attempt" was
        header = [str(c.label) for c in contacts.ordered_columns]
        assert header[4] == ("By" if size[0] == 80 else "Specialist")
        assert column_texts(contacts, 4)[-1] == ("ML" if size[0] == 80 else ME)
        # The table is no wider than the screen: no sideways scrolling to read the notes.
        assert contacts.virtual_size.width <= contacts.size.width
        await move_cursor_to_key(pilot, contacts, str(first_contact_id()))
        await pilot.press("enter")
        entry = await open_entry(pilot, ClientContactScreen)
        text = entry_text(entry)
        assert "Contact with Ana Zeller on 2026-11-05" in text
        for line in ("Client  Ana Zeller (C0001)", "Date  2026-11-05 (Thursday, 18 d ago)",
                     "Mode  In person", "Where  Community", "Reached  yes", f"Made by  {ME}"):
            assert line in text, line
        assert LONG_NOTE in text  # the whole note, its own line break kept
        assert f"by {ME}" in text and "Corrected once" in text
        # Wrapped: the note takes several lines on screen, all of it scrollable into view.
        notes = entry.query_one("#entry-notes", Static)
        assert notes.size.height >= 3
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="back on the record")


async def test_e_corrects_a_contact_audited_and_the_log_shows_it(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0001")
        contacts = screen.query_one("#contacts-table", DataTable)
        phone = services.client_record("C0001").contacts[1]  # 2026-11-12, phone
        await move_cursor_to_key(pilot, contacts, str(phone.id))
        await pilot.press("enter")
        entry = await open_entry(pilot, ClientContactScreen)
        assert "(none)" in entry_text(entry)
        await pilot.press("e")
        form = await open_form(pilot)
        notes = form.query_one("#f-notes", TextArea)
        assert notes.has_focus and notes.text == ""
        assert form.query_one("#f-date", Input).value == "2026-11-12"
        await pilot.press(*"Asked", "space", *"about", "space", *"rota", "enter", *"Line", "space", *"two")
        await pilot.press("ctrl+t")  # it was an attempt after all
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is entry, what="the form saved and closed")
        await wait_for(pilot, lambda: "Asked about rota\nLine two" in entry_text(entry))
        assert "Reached  no, an attempt to reach them" in entry_text(entry)
        saved = services.client_contact(phone.id)
        assert (saved.contact.notes, saved.contact.attempted, saved.version) == (
            "Asked about rota\nLine two", True, 2)
        audit = services.audit_entries(client_id="C0001", limit=1)[0]
        assert (audit["action"], audit["entity"], audit["specialist"], audit["fields"]) == (
            "update", "client_contact", ME, ["attempted", "notes"])
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await wait_for(pilot, lambda: column_texts(contacts, 5)[1] == "Asked about rota Line two")
        assert column_texts(contacts, 3)[1] == "no, tried"
        assert cursor_key(contacts) == str(phone.id)


async def test_a_bad_correction_is_refused_and_the_form_keeps_it(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0001")
        await move_cursor_to_key(pilot, screen.query_one("#contacts-table", DataTable),
                                 str(first_contact_id()))
        await pilot.press("enter")
        entry = await open_entry(pilot, ClientContactScreen)
        await pilot.press("e")
        form = await open_form(pilot)
        form.query_one("#f-date", Input).value = "not a date"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "correct the fields" in text_of(form.query_one("#form-message")))
        assert app.screen is form
        assert services.client_contact(first_contact_id()).contact.date.isoformat() == "2026-11-05"
        form.query_one("#f-date", Input).value = "2026-11-06"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is entry)
        await wait_for(pilot, lambda: "Date  2026-11-06" in entry_text(entry))


async def test_a_conflicting_correction_is_told_and_keeps_what_was_typed(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0001")
        cid = first_contact_id()
        await move_cursor_to_key(pilot, screen.query_one("#contacts-table", DataTable), str(cid))
        await pilot.press("enter")
        entry = await open_entry(pilot, ClientContactScreen)
        await pilot.press("e")
        form = await open_form(pilot)
        # A colleague corrects the same contact, on their own connection, while I type.
        elsewhere(lambda: services.update_client_contact(cid, {"mode": "video"}, None, by=JAMES))
        notes = form.query_one("#f-notes", TextArea)
        notes.text = "My own version of the note"
        await pilot.pause()
        await pilot.press("ctrl+s")
        message = form.query_one("#form-message", Static)
        await wait_for(pilot, lambda: "someone else changed" in text_of(message), what="the conflict")
        assert "nothing was saved" in text_of(message)
        assert app.screen is form and notes.text == "My own version of the note"
        saved = services.client_contact(cid)
        assert (saved.contact.mode, saved.contact.notes) == ("video", LONG_NOTE)
        # Leaving the form (and discarding) shows the contact as it is now.
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is entry)
        await wait_for(pilot, lambda: "Mode  Video" in entry_text(entry), what="their change shown")
        assert f"by {JAMES}" in entry_text(entry)


async def test_d_deletes_an_open_contact_after_asking_and_no_keeps_it(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0001")
        contacts = screen.query_one("#contacts-table", DataTable)
        cid = first_contact_id()
        await move_cursor_to_key(pilot, contacts, str(cid))
        await pilot.press("enter")
        entry = await open_entry(pilot, ClientContactScreen)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        assert "Delete this contact?" in text_of(app.screen.query_one(".dialog-title"))
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is entry)
        assert services.client_contact(cid).contact.id == cid
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is screen, what="back on the record")
        with pytest.raises(services.NotFoundError):
            services.client_contact(cid)
        await wait_for(pilot, lambda: str(cid) not in row_keys(contacts))
        assert m.AuditEntry.select().where(m.AuditEntry.entity == "client_contact",
                                           m.AuditEntry.entity_id == str(cid),
                                           m.AuditEntry.action == "delete").count() == 1


async def test_deleting_a_contact_someone_corrected_meanwhile_is_refused(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0001")
        cid = first_contact_id()
        await move_cursor_to_key(pilot, screen.query_one("#contacts-table", DataTable), str(cid))
        await pilot.press("enter")
        entry = await open_entry(pilot, ClientContactScreen)
        elsewhere(lambda: services.update_client_contact(cid, {"notes": "Corrected by James"},
                                                          None, by=JAMES))
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is entry
                       and "Corrected by James" in entry_text(entry), what="their note shown")
        assert services.client_contact(cid).contact.notes == "Corrected by James"


# ================================================================== employer contacts

async def open_employer_log(pilot, app) -> None:
    """From the caseload, `e` then Enter on employer E0001: its log of 4 contacts."""
    await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, EmployersScreen)
                   and app.screen.query_one(DataTable).row_count == 2)
    await move_cursor_to_key(pilot, app.screen.query_one(DataTable), "E0001")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, EmployerScreen)
                   and app.screen.query_one(DataTable).row_count == 4, what="the log")


async def test_an_employer_contact_opens_with_its_clients_by_name_and_is_corrected(app):
    ec = services.employer_log("E0001")[-1]  # 10-20, for Ben Adams, hiring manager
    services.update_employer_contact(ec.id, {"client_ids": ["C0002", "C0004"]}, None, by=ME)
    async with app.run_test(size=SIZE) as pilot:
        await open_employer_log(pilot, app)
        log_screen = app.screen
        log = log_screen.query_one(DataTable)
        await move_cursor_to_key(pilot, log, str(ec.id))
        await pilot.press("enter")
        entry = await open_entry(pilot, EmployerContactScreen)
        text = entry_text(entry)
        assert "On behalf of  Ben Adams (C0002), Dev Adams (C0004)" in text
        assert "Hiring manager  yes, met them" in text and "Employer  Harbor Hotel (E0001)" in text
        await pilot.press("e")
        form = await open_form(pilot)
        picks = form.query_one("#f-client_ids", SelectionList)
        assert sorted(picks.selected) == ["C0002", "C0004"]  # Dev is closed, and still ticked
        form.query_one("#f-notes", TextArea).text = "Rita will call back about dishwashers."
        picks.deselect("C0002")
        picks.select("C0005")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is entry, what="saved")
        await wait_for(pilot, lambda: "Dev Adams (C0004), Eve Brook (C0005)" in entry_text(entry))
        assert "Rita will call back about dishwashers." in entry_text(entry)
        saved = services.employer_contact(ec.id)
        assert saved.contact.client_ids == ("C0004", "C0005")
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is log_screen)
        await wait_for(pilot, lambda: log.row_count == 3)
        assert str(ec.id) not in row_keys(log)


async def test_enter_on_the_records_employer_contacts_tab_opens_one(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_client(pilot, "C0002")
        await pilot.press("5")
        table = app.screen.query_one("#ec-table", DataTable)
        await wait_for(pilot, lambda: table.row_count == 2)
        await pilot.press("enter")
        entry = await open_entry(pilot, EmployerContactScreen)
        assert "On behalf of  Ben Adams (C0002)" in entry_text(entry)


# ================================================================== jobs

async def test_a_job_opens_whole_is_corrected_and_deleted_with_a_warning(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0001")
        await pilot.press("2")
        jobs = screen.query_one("#jobs-table", DataTable)
        await wait_for(pilot, lambda: jobs.row_count == 1)
        await pilot.press("enter")
        entry = await open_entry(pilot, JobScreen)
        text = entry_text(entry)
        for line in ("Title  Housekeeper", "Employer  Harbor Hotel (E0001)", "Start  2026-11-02",
                     "End  still working there", "Competitive  yes", "Client  Ana Zeller (C0001)"):
            assert line in text, line
        await pilot.press("e")
        form = await open_form(pilot)
        assert form.query_one("#f-title", Input).value == "Housekeeper"
        form.query_one("#f-hours_per_week", Input).value = "24"
        form.query_one("#f-end_date", Input).value = "2026-10-01"  # before it started
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "before the start date" in text_of(form.query_one("#err-end_date")))
        assert app.screen is form
        form.query_one("#f-end_date", Input).value = ""
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is entry, what="saved")
        await wait_for(pilot, lambda: "Hours a week  24" in entry_text(entry))
        assert services.job("J0001").job.hours_per_week == 24
        # Ana is Employed and this is her only job: deleting it says what it leaves wrong.
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        detail = text_of(app.screen.query_one(".dialog-detail"))
        assert "Ana Zeller is Employed and this is their only current job" in detail
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is entry)
        assert services.job("J0001").job.job_id == "J0001"
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is screen)
        await wait_for(pilot, lambda: jobs.row_count == 0)
        with pytest.raises(services.NotFoundError):
            services.job("J0001")


async def test_d_on_the_jobs_tab_warns_too(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0001")
        await pilot.press("2")
        await wait_for(pilot, lambda: screen.query_one("#jobs-table", DataTable).row_count == 1)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "only current job" in text_of(app.screen.query_one(".dialog-detail"))
        await pilot.press("n")


@pytest.mark.parametrize("size", [(80, 24), SIZE], ids=["80x24", "120x40"])
async def test_the_employer_log_keeps_enough_of_each_note_to_recognise_it(app, size):
    """The notes take the width the other columns leave; at 80 columns the specialist is shown by
    initials and "Hiring manager" as "HM" so that a note still reads (it was 8 cells)."""
    ec = services.employer_log("E0001")[-1]
    note = "Talked to the shift manager about a kitchen porter role starting in the new year"
    services.update_employer_contact(ec.id, {"notes": note}, None, by=ME)
    async with app.run_test(size=size) as pilot:
        await open_employer_log(pilot, app)
        log = app.screen.query_one(DataTable)
        header = [str(c.label) for c in log.ordered_columns]
        assert header[1] == ("By" if size[0] == 80 else "Specialist")
        assert header[3] == ("HM" if size[0] == 80 else "Hiring manager")
        shown = str(log.get_row(str(ec.id))[-1])
        assert shown.startswith("Talked to the shift manager") and len(shown) >= 28
        assert log.virtual_size.width <= log.size.width  # no sideways scrolling
