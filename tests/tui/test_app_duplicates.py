"""Duplicates in the app: a new client whose name is on file (open it, add anyway, back to the
form), merging another record into the one shown, and deleting a client from their record.

Runs on ``app_helpers.build_caseload`` (C0001 Ana Zeller, Maria's, employed, 3 contacts and a
job; C0002 Ben Adams, Maria's, 1 contact and 2 employer contacts on his behalf; ...).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import (
    JAMES,
    ME,
    SIZE,
    build_caseload,
    caseload_shown,
    move_cursor_to_key,
    new_app,
    row_keys,
    run_palette_command,
    text_of,
    type_text,
    wait_for,
)
from textual.widgets import DataTable, Input, OptionList

from ips_tui import services
from ips_tui.store import writes
from ips_tui.tui.dialogs.confirm import ConfirmDialog
from ips_tui.tui.dialogs.duplicates import ChooseClientDialog, SameNameDialog
from ips_tui.tui.forms.form import FormDialog
from ips_tui.tui.screens.caseload import CaseloadScreen
from ips_tui.tui.screens.client import ClientScreen


@pytest.fixture
def app(tmp_path: Path):
    build_caseload(tmp_path / "x.db")
    return new_app(tmp_path)


def twin(specialist: str = ME) -> str:
    """A second record of Ana Zeller (C0001): C0008, with one contact and notes."""
    cid = writes.create_client({"first_name": "Zeller", "last_name": "ÁNA", "specialist": specialist,
                                "stage": "referred", "notes": "Met at the drop-in."}, by=ME)
    writes.add_client_contact({"client_id": cid, "date": "2026-11-03", "specialist": ME,
                               "mode": "phone", "notes": "Asked about cafes"}, by=ME)
    return cid


def client_ids() -> set[str]:
    return {r.client_id for r in services.caseload(include_closed=True)}


async def new_client_form(pilot, first: str, last: str) -> FormDialog:
    """Press n on the caseload and type a name (first name, tab, last name)."""
    await caseload_shown(pilot)
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, FormDialog), what="the form")
    form = pilot.app.screen
    await wait_for(pilot, lambda: form.focused is not None)
    await type_text(pilot, first)
    await pilot.press("tab")
    await type_text(pilot, last)
    return form


async def same_name_dialog(pilot) -> SameNameDialog:
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SameNameDialog), what="the matches")
    return pilot.app.screen


async def open_client(pilot, key: str) -> ClientScreen:
    table = await caseload_shown(pilot)
    if key not in row_keys(table):
        await pilot.press("m")
        await wait_for(pilot, lambda: key in row_keys(table))
    await move_cursor_to_key(pilot, table, key)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ClientScreen)
                   and pilot.app.screen.record is not None
                   and pilot.app.screen.record.client_id == key, what="the record")
    return pilot.app.screen


# ================================================================== adding a name on file

async def test_a_name_on_file_is_shown_and_enter_opens_the_existing_client(app):
    async with app.run_test(size=SIZE) as pilot:
        await new_client_form(pilot, "zeller", "ANA")
        dialog = await same_name_dialog(pilot)
        options = dialog.query_one("#matches", OptionList)
        assert options.option_count == 1
        assert str(options.get_option_at_index(0).prompt) == "Ana Zeller (C0001) · Employed · Maria Lopez"
        assert "Already on file? 1 client named like zeller ANA" in text_of(dialog.query_one(".dialog-title"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen) and app.screen.client_id == "C0001",
                       what="Ana's record")
        assert "C0008" not in client_ids()


async def test_a_closed_client_with_the_name_is_shown_too(app):
    async with app.run_test(size=SIZE) as pilot:
        await new_client_form(pilot, "Dev", "Adams")  # C0004 is closed
        dialog = await same_name_dialog(pilot)
        assert str(dialog.query_one(OptionList).get_option_at_index(0).prompt) == \
            "Dev Adams (C0004) · Closed · James Okafor"


async def test_add_anyway_saves_the_new_client(app):
    async with app.run_test(size=SIZE) as pilot:
        await new_client_form(pilot, "Ana", "Zeller")
        await same_name_dialog(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="saved")
        values = services.client_record("C0008").values
        assert (values["first_name"], values["last_name"], values["specialist"]) == ("Ana", "Zeller", ME)


async def test_back_keeps_what_was_typed_and_a_new_name_saves_without_asking(app):
    async with app.run_test(size=SIZE) as pilot:
        form = await new_client_form(pilot, "Ana", "Zeller")
        form.query_one("#f-phone", Input).value = "555-0142"
        await same_name_dialog(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is form, what="the form again")
        assert form.query_one("#f-first_name", Input).value == "Ana"
        assert form.query_one("#f-last_name", Input).value == "Zeller"
        assert form.query_one("#f-phone", Input).value == "555-0142"
        assert "C0008" not in client_ids()
        form.query_one("#f-first_name", Input).value = "Anna"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="saved at once")
        values = services.client_record("C0008").values
        assert (values["first_name"], values["phone"]) == ("Anna", "555-0142")


# ================================================================== merging

async def choose_other(pilot, screen: ClientScreen) -> ChooseClientDialog:
    await pilot.press("M")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChooseClientDialog), what="the chooser")
    return pilot.app.screen


async def test_merge_from_the_client_screen(app):
    other = twin()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0001")
        before = len(screen.record.contacts)
        chooser = await choose_other(pilot, screen)
        options = chooser.query_one("#clients", OptionList)
        assert str(options.get_option_at_index(0).prompt) == \
            f"Zeller ÁNA ({other}) · Referred · Maria Lopez  ● same name"
        assert "C0001" not in [str(options.get_option_at_index(i).id) for i in range(options.option_count)]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        assert text_of(app.screen.query_one(".dialog-title")) == f"Merge Zeller ÁNA ({other}) into this record?"
        detail = text_of(app.screen.query_one(".dialog-detail"))
        assert "Moves:  1 contact, 0 jobs, 0 employer contacts" in detail
        assert f"Notes:  {other}'s notes are added to the end of C0001's" in detail
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is screen)
        await wait_for(pilot, lambda: screen.query_one("#contacts-table", DataTable).row_count == before + 1,
                       what="the moved contact")
        assert other not in client_ids()
        record = services.client_record("C0001")
        assert "Asked about cafes" in [c.notes for c in record.contacts]
        assert "Met at the drop-in." in str(record.values["notes"])


async def test_merge_chooser_narrows_as_you_type_and_escape_changes_nothing(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0001")
        chooser = await choose_other(pilot, screen)
        await type_text(pilot, "adams")
        options = chooser.query_one("#clients", OptionList)
        await wait_for(pilot, lambda: options.option_count == 2)
        assert [str(options.get_option_at_index(i).id) for i in range(2)] == ["C0002", "C0004"]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        assert client_ids() >= {"C0002", "C0004"}


async def test_merging_another_specialists_client_names_both_and_no_keeps_both(app):
    other = twin(specialist=JAMES)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0001")
        await choose_other(pilot, screen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        assert text_of(app.screen.query_one(".dialog-title")) == \
            f"Merge records of two specialists, {ME} and {JAMES}?"
        assert f"Different specialists: {ME} and {JAMES}" in text_of(app.screen.query_one(".dialog-detail"))
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen)
        assert other in client_ids()
        await choose_other(pilot, screen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: other not in client_ids(), what="merged")


# ================================================================== deleting a client

async def test_delete_client_says_what_goes_and_no_keeps_them(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_client(pilot, "C0002")
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        assert text_of(app.screen.query_one(".dialog-title")) == "Delete Ben Adams (C0002)?"
        detail = text_of(app.screen.query_one(".dialog-detail"))
        assert detail.startswith("Their 1 contact and 0 jobs are deleted with them, and 2 employer "
                                 "contacts no longer name them")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen)
        assert "C0002" in client_ids()


async def test_delete_client_from_the_palette_after_yes(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_client(pilot, "C0001")
        await run_palette_command(pilot, "Delete client", "Delete client")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        assert "Their 3 contacts and 1 job are deleted with them." in \
            text_of(app.screen.query_one(".dialog-detail"))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="the caseload")
        assert "C0001" not in client_ids()
        table = app.screen.query_one("#caseload", DataTable)
        await wait_for(pilot, lambda: "C0001" not in row_keys(table), what="Ana gone from the list")
        assert services.audit_entries(client_id="C0001", limit=1)[0]["action"] == "delete"
