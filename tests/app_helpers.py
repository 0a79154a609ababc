"""Helpers for the Pilot tests of the full-screen app: a small known caseload, the app, waiting.

The caseload is written through ``ips_tui.store.writes`` with dates fixed around TODAY, so every
expected row, reminder and count in the tests is worked out by hand (see ``build_caseload``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import caseloads
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable

from ips_tui import services
from ips_tui.tui.app import IpsApp, make_app

TODAY = dt.date(2026, 11, 23)  # a Monday: "this week" (meetings on Tuesday) is 2026-11-17 .. 11-23
ME = "Maria Lopez"
JAMES = "James Okafor"
PRIYA = "Priya Shah"
SIZE = (120, 40)


def build_caseload(path: Path) -> Path:
    """Open a fresh database file at ``path`` and write this known caseload into it.

    Specialists: Maria Lopez, James Okafor, Priya Shah (no clients).
    Employers: E0001 Harbor Hotel, E0002 Corner Books.

    Clients (id, name, specialist, stage, start)          next reminder on 2026-11-23
      C0001 Ana Zeller  Maria employed   2026-08-10  job J0001 from 11-02; weekly due 11-12 (OVERDUE 11 d)
      C0002 Ben Adams   Maria job_search 2026-10-01  employer contact for him 10-20: no reminder
      C0003 Cara Moss   James engaged    2026-10-20  first employer contact due 11-19 (OVERDUE 4 d)
      C0004 Dev Adams   James closed     2026-01-10  closed 2026-06-30
      C0005 Eve Brook   Maria referred   (none)      no reminder
      C0006 Finn Hale   Maria employed   2026-05-01  job J0002 from 11-18; after start due 11-21 (OVERDUE 2 d)
      C0007 Gus Ivers   James employed   2026-05-10  job J0003 06-01..11-16; after job end due 11-19 (OVERDUE 4 d)

    Client contacts (reached unless said):
      C0001 2026-11-05 in person community; 11-12 phone; 11-20 in person *attempt*
      C0002 2026-10-15 in person office
      C0006 2026-11-10 phone (does not count as follow-along)
      C0007 2026-11-02 in person
      => last contact: Ana 11-12, Ben 10-15, Finn 11-10, Eve never.

    Employer contacts:
      10-20 Harbor  Maria in person, for C0002, hiring manager
      11-10 Harbor  James phone
      11-22 Corner  Maria in person            (Sunday: this team-meeting week, Tue to Mon)
      11-23 Harbor  Maria in person, for C0002
      11-23 Corner  Maria in person
      11-23 Corner  Maria phone
      11-23 Harbor  James in person, for C0007
      => this week (Tue 11-17 to Mon 11-23) in person: Maria 3 (all 4, named 1), James 1 (all 1,
         named 1), Priya 0; the agenda of Tue 11-24 counts the same week as its past week.
      => Harbor Hotel 4 contacts, Corner Books 3.
    """
    services.open_database(path)
    clients = [
        ("C0001", "Ana", "Zeller", ME, "employed", "2026-08-01", "2026-08-10", None),
        ("C0002", "Ben", "Adams", ME, "job_search", "2026-09-20", "2026-10-01", None),
        ("C0003", "Cara", "Moss", JAMES, "engaged", "2026-10-15", "2026-10-20", None),
        ("C0004", "Dev", "Adams", JAMES, "closed", "2026-01-05", "2026-01-10", "2026-06-30"),
        ("C0005", "Eve", "Brook", ME, "referred", "2026-11-20", None, None),
        ("C0006", "Finn", "Hale", ME, "employed", "2026-04-20", "2026-05-01", None),
        ("C0007", "Gus", "Ivers", JAMES, "employed", "2026-05-01", "2026-05-10", None),
    ]
    caseloads.write(caseloads.Caseload(
        by=ME,
        specialists=[{"name": name} for name in (ME, JAMES, PRIYA)],
        employers=[
            {"employer_id": "E0001", "name": "Harbor Hotel", "industry": "Hospitality",
             "contact_name": "Rita Fox"},
            {"employer_id": "E0002", "name": "Corner Books", "industry": "Retail"},
        ],
        clients=[{"client_id": cid, "first_name": first, "last_name": last, "specialist": spec,
                  "stage": stage, "referral_date": referral, "start_date": start,
                  "closed_date": closed, "closed_reason": "Moved away" if closed else None,
                  "_by": spec}
                 for cid, first, last, spec, stage, referral, start, closed in clients],
        jobs=[
            {"job_id": "J0001", "client_id": "C0001", "employer_id": "E0001", "title": "Housekeeper",
             "start_date": "2026-11-02"},
            {"job_id": "J0002", "client_id": "C0006", "employer_id": "E0002", "title": "Bookseller",
             "start_date": "2026-11-18"},
            {"job_id": "J0003", "client_id": "C0007", "employer_id": "E0001", "title": "Porter",
             "start_date": "2026-06-01", "end_date": "2026-11-16", "end_reason": "Contract ended"},
        ],
        client_contacts=[
            {"client_id": "C0001", "date": "2026-11-05", "specialist": ME, "mode": "in_person",
             "location": "community", "notes": "First week went well."},
            {"client_id": "C0001", "date": "2026-11-12", "specialist": ME, "mode": "phone"},
            {"client_id": "C0001", "date": "2026-11-20", "specialist": ME, "mode": "in_person",
             "attempted": True},
            {"client_id": "C0002", "date": "2026-10-15", "specialist": ME, "mode": "in_person",
             "location": "office"},
            {"client_id": "C0006", "date": "2026-11-10", "specialist": ME, "mode": "phone"},
            {"client_id": "C0007", "date": "2026-11-02", "specialist": JAMES, "mode": "in_person"},
        ],
        employer_contacts=[
            {"employer_id": "E0001", "date": "2026-10-20", "specialist": ME, "mode": "in_person",
             "client_ids": ["C0002"], "hiring_manager": True},
            {"employer_id": "E0001", "date": "2026-11-10", "specialist": JAMES, "mode": "phone"},
            {"employer_id": "E0002", "date": "2026-11-22", "specialist": ME, "mode": "in_person"},
            {"employer_id": "E0001", "date": "2026-11-23", "specialist": ME, "mode": "in_person",
             "client_ids": ["C0002"]},
            {"employer_id": "E0002", "date": "2026-11-23", "specialist": ME, "mode": "in_person"},
            {"employer_id": "E0002", "date": "2026-11-23", "specialist": ME, "mode": "phone"},
            {"employer_id": "E0001", "date": "2026-11-23", "specialist": JAMES, "mode": "in_person",
             "client_ids": ["C0007"]},
        ],
    ))
    return path


def new_app(tmp_path: Path, as_name: str | None = ME, config_path: Path | None = None,
            db_name: str = "x.db", prewarm: bool = False, idle_gc: bool = False) -> IpsApp:
    """The app on ``tmp_path/db_name`` (already open), with a fixed today and its own config file.

    The record screen is not built in the background (``prewarm``) unless a test asks: Pilot
    ends the app from outside, which must not happen half-way through that build. Python's
    garbage collector is left alone (``idle_gc``) unless a test asks: test_idle_gc.py does.
    """
    return make_app(tmp_path / db_name, as_name=as_name, today=TODAY,
                    config_path=config_path or tmp_path / "cfg.json", prewarm=prewarm,
                    idle_gc=idle_gc)


async def wait_for(pilot: Pilot[Any], condition: Callable[[], object], timeout: float = 5.0,
                   what: str = "the condition") -> None:
    """Let the app run until ``condition()`` is true (an exception counts as not yet)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last_error: BaseException | None = None
    while True:
        try:
            if condition():
                return
            last_error = None
        except Exception as exc:  # e.g. a widget not mounted yet
            last_error = exc
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}"
                                 + (f" (last error: {last_error!r})" if last_error else ""))
        await pilot.pause(0.02)


async def caseload_shown(pilot: Pilot[Any]) -> DataTable[Any]:
    """Wait until the caseload is on screen and filled; its table."""
    from ips_tui.tui.screens.caseload import CaseloadScreen

    def shown() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, CaseloadScreen) and screen.query_one("#caseload", DataTable).row_count > 0

    await wait_for(pilot, shown, what="the caseload")
    return pilot.app.screen.query_one("#caseload", DataTable)


def text_of(widget: Widget) -> str:
    """The plain text a widget (a Static, say) shows."""
    return str(widget.render())


def row_keys(table: DataTable[Any]) -> list[str]:
    """The keys of a table's rows, top to bottom."""
    return [str(row.key.value) for row in table.ordered_rows]


def cell(table: DataTable[Any], row_key: str, column_key: str) -> str:
    """One cell's plain text."""
    return str(table.get_cell(row_key, column_key))


def column_texts(table: DataTable[Any], index: int) -> list[str]:
    """The plain text of column ``index`` for every row, top to bottom."""
    return [str(table.get_row_at(i)[index]) for i in range(table.row_count)]


def cursor_key(table: DataTable[Any]) -> str | None:
    """The key of the row under the cursor."""
    if table.row_count == 0:
        return None
    return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)


async def move_cursor_to_key(pilot: Pilot[Any], table: DataTable[Any], key: str) -> None:
    """Press down/up (as a user would) until the cursor is on the row ``key``."""
    target = table.get_row_index(key)
    for _ in range(table.row_count + 1):
        here = table.cursor_row
        if here == target:
            return
        await pilot.press("down" if here < target else "up")
    raise AssertionError(f"could not move the cursor to {key}")


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type text key by key (space as 'space')."""
    await pilot.press(*["space" if ch == " " else ch for ch in text])


async def run_palette_command(pilot: Pilot[Any], query: str, expected: str) -> None:
    """Open the command palette, type ``query``, wait for ``expected`` first, and run it."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), what="the palette")
    await type_text(pilot, query)
    palette = pilot.app.screen
    results = palette.query_one(CommandList)
    await wait_for(pilot, lambda: results.option_count > 0
                   and expected in str(results.get_option_at_index(0).prompt),
                   what=f"'{expected}' first in the palette")
    await pilot.press("enter")
    if results.highlighted is not None and pilot.app.screen is palette:
        await pilot.pause()
    if pilot.app.screen is palette:
        await pilot.press("enter")
    await wait_for(pilot, lambda: pilot.app.screen is not palette, what="the palette closed")
