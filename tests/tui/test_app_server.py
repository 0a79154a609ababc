"""The full-screen app on a team's PostgreSQL server (Pilot): the same screens, and a server that
goes away is a message that keeps what was typed, not the end of the app."""

from __future__ import annotations

import socket
import time

import pytest
from app_helpers import ME, SIZE, TODAY, build_caseload, caseload_shown, row_keys, type_text, wait_for
from textual.widgets import Input, Static

from ips_tui import services
from ips_tui.store import models as m
from ips_tui.tui.app import make_app
from ips_tui.tui.forms.contact import ContactForm
from ips_tui.tui.screens.caseload import CaseloadScreen
from ips_tui.tui.screens.reminders import RemindersScreen

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def with_password(url: str) -> str:
    """The URL with a password in it (the test server trusts local connections, so any works)."""
    scheme, rest = url.split("://", 1)
    user, host = rest.split("@", 1)
    return f"{scheme}://{user}:hunter2@{host}"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def drop_connection(pg_admin) -> None:
    """End the app's connections from the server side, as a server going away does (its own and
    those kept for the screens' next loads), and make the server unreachable."""
    database = m.database.obj
    pid = database.execute_sql("select pg_backend_pid()").fetchone()[0]
    database.connect_params["port"] = closed_port()
    with pg_admin.cursor() as cur:
        cur.execute("select pg_terminate_backend(pid) from pg_stat_activity where "
                    "application_name = 'ips-tui' and datname = current_database() and "
                    "pid <> pg_backend_pid()")
        for _ in range(200):  # until the server has let them go
            cur.execute("select count(*) from pg_stat_activity where application_name = 'ips-tui'"
                        " and datname = current_database()")
            if cur.fetchone()[0] == 0:
                break
            time.sleep(0.01)
    assert pid


async def test_the_app_works_on_a_server_and_never_shows_its_password(fresh_location, tmp_path):
    url = with_password(fresh_location("team"))
    build_caseload(url)
    app = make_app(url, as_name=ME, today=TODAY, config_path=tmp_path / "cfg.json",
                   prewarm=False)
    async with app.run_test(size=SIZE) as pilot:
        table = await caseload_shown(pilot)
        assert row_keys(table) == ["C0002", "C0005", "C0006", "C0001"]  # Maria's, by last name
        assert app.sub_title.startswith("postgresql://ips_test@127.0.0.1:")
        assert "hunter2" not in app.sub_title
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RemindersScreen), what="reminders")


async def test_a_server_that_goes_away_keeps_the_form_and_what_was_typed(fresh_location, tmp_path,
                                                                        pg_admin):
    url = fresh_location("team")
    build_caseload(url)
    app = make_app(url, as_name=ME, today=TODAY, config_path=tmp_path / "cfg.json",
                   prewarm=False)
    async with app.run_test(size=SIZE) as pilot:
        await caseload_shown(pilot)
        await pilot.press("c")  # log a contact with the highlighted client
        await wait_for(pilot, lambda: isinstance(app.screen, ContactForm), what="the contact form")
        form = app.screen
        await wait_for(pilot, lambda: form.query_one("#f-notes", Input).has_focus, what="notes")
        await type_text(pilot, "Talked about the interview")
        real_port = m.database.obj.connect_params["port"]
        drop_connection(pg_admin)
        await pilot.press("ctrl+s")
        message = form.query_one("#form-message", Static)
        await wait_for(pilot, lambda: "Not saved" in str(message.render()), what="the message")
        assert "cannot reach the database server" in str(message.render())
        assert app.screen is form and app.is_running
        assert form.query_one("#f-notes", Input).value == "Talked about the interview"
        # The server is back: the same form saves what was typed.
        m.database.obj.connect_params["port"] = real_port
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="saved")
        notes = [c.notes for c in services.client_record("C0002").contacts]
        assert "Talked about the interview" in notes


async def test_a_screen_that_cannot_load_says_so_and_the_app_carries_on(fresh_location, tmp_path,
                                                                       pg_admin):
    url = fresh_location("team")
    build_caseload(url)
    app = make_app(url, as_name=ME, today=TODAY, config_path=tmp_path / "cfg.json",
                   prewarm=False)
    async with app.run_test(size=SIZE) as pilot:
        await caseload_shown(pilot)
        real_port = m.database.obj.connect_params["port"]
        drop_connection(pg_admin)
        await pilot.press("r")  # the reminders screen needs the database
        await wait_for(pilot, lambda: any("cannot reach the database server" in str(n.message)
                                          for n in app._notifications), what="a notification")
        assert app.is_running
        m.database.obj.connect_params["port"] = real_port
        await pilot.press("escape")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RemindersScreen), what="reminders")


async def test_logging_a_contact_with_the_server_gone_says_so_and_the_app_carries_on(
        fresh_location, tmp_path, pg_admin):
    """`c` on the caseload with the server gone: a notification, the caseload still there, and the
    same key works again once the server is back (it used to end the app silently, status 0)."""
    url = fresh_location("team")
    build_caseload(url)
    app = make_app(url, as_name=ME, today=TODAY, config_path=tmp_path / "cfg.json",
                   prewarm=False)
    async with app.run_test(size=SIZE) as pilot:
        await caseload_shown(pilot)
        real_port = m.database.obj.connect_params["port"]
        drop_connection(pg_admin)
        await pilot.press("c")
        await pilot.pause(0.5)
        if isinstance(app.screen, ContactForm):  # the form may open from what the screen shows...
            form = app.screen
            await wait_for(pilot, lambda: form.query_one("#f-notes", Input).has_focus, what="notes")
            await type_text(pilot, "Called about the rota")
            await pilot.press("ctrl+r")  # ...and then it is the save that says so
            message = form.query_one("#form-message", Static)
            await wait_for(pilot, lambda: "cannot reach the database server" in str(message.render()),
                           what="the form's message")
            await pilot.press("escape")
        else:
            await wait_for(pilot, lambda: any("cannot reach the database server" in str(n.message)
                                              for n in app._notifications), what="a notification")
        assert app.is_running and app.return_code is None
        m.database.obj.connect_params["port"] = real_port
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="the caseload")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactForm), what="the contact form")
