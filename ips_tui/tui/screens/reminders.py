"""Reminders: follow-along and first-employer-contact contacts overdue and due soon, by specialist."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from ips_tui import services
from ips_tui.domain.reminders import FOLLOW_ALONG_KINDS, Reminder, short_label
from ips_tui.tui.screens.base import DataScreen
from ips_tui.tui.widgets.cells import clip, cursor_state, move_cursor_to, safe, selected_key
from ips_tui.tui.widgets.footer import SteadyFooter
from ips_tui.tui.widgets.plain import PlainStatic
from ips_tui.tui.widgets.status_line import StatusLine
from ips_tui.tui.widgets.table import Table

WINDOWS = (3, 7, 14, 30)
#: Below this many columns, rows leave out the client's id and shorten the job's name.
NARROW = 100


class RemindersScreen(DataScreen):
    """Who needs a contact, and by when, opening on my clients like the caseload (m: everyone's).

    ``c`` logs what the highlighted reminder asks for, and logging it clears the reminder at
    once: on a follow-along reminder, a contact with the client today; on a first-employer-
    contact reminder, an employer contact with that client ticked."""

    TITLE = "Reminders"
    #: The keys the key bar shows first, the most used first (tui/widgets/footer.py).
    FOOTER_FIRST = ("log_contact", "toggle_mine", "wider", "back")
    BINDINGS = [
        Binding("enter", "open", "Open client", id="reminders.open", show=False),
        Binding("c", "log_contact", "Log contact", id="reminders.contact",
                tooltip="Log what the reminder asks for: a contact with the client today, or an "
                        "employer contact on the client's behalf"),
        Binding("n", "log_contact", "New contact", id="reminders.new", show=False),
        Binding("m", "toggle_mine", "Mine/all", id="reminders.mine"),
        Binding("plus,equals_sign", "wider", "Days +", id="reminders.wider", tooltip="Look further ahead"),
        Binding("minus", "narrower", "Days -", id="reminders.narrower", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.window = 7
        self.mine = True
        self.found: list[Reminder] = []
        self._status = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield PlainStatic(id="reminders-title", classes="screen-title")
        yield Table(id="reminders-table", cursor_type="row", zebra_stripes=False)
        yield PlainStatic("", classes="empty-hint", id="reminders-empty")
        yield StatusLine(id="reminders-status")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.mine = self.ips.specialist is not None
        self.query_one(DataTable).add_columns("Client", "Kind", "Due", "Status", "Job")
        self.reload()
        self.query_one(DataTable).focus()

    def fetch(self) -> list[Reminder]:
        spec = self.ips.specialist if self.mine else None
        return services.reminders(self.today, within=self.window, specialist=spec)

    def draw(self, data: list[Reminder]) -> None:
        self.found = data
        table = self.query_one(DataTable)
        keep = cursor_state(table)
        table.clear()
        error = self.app.theme_variables.get("error", "red")
        # At 80 columns the client's id gives way to the job, whose whole name is in the status line
        narrow = self.app.size.width < NARROW
        ordered = sorted(self.found, key=lambda r: (r.specialist, r.due, r.client))
        rows: list[tuple[str, list[Any]]] = []
        for spec_name, group in groupby(ordered, key=lambda r: r.specialist):
            items = list(group)
            late = sum(1 for r in items if r.status == "overdue")
            rows.append((f"spec:{spec_name}", [
                Text(safe(spec_name), style="bold underline"),
                Text(f"{len(items)}, {late} overdue", style="bold"), "", "", ""]))
            for r in items:
                status = (Text("OVERDUE", style=f"bold {error}") if r.status == "overdue"
                          else Text("today" if r.due == self.today else "due"))
                who = f"  {r.client}" if narrow else f"  {r.client} ({r.client_id})"
                rows.append((f"{r.client_id}|{r.kind}|{r.job_id or ''}|{r.due}",
                             [safe(who), short_label(r.kind), r.due.isoformat(), status, r.job_name]))
        # the job takes the width the other columns leave (each has 2 cells of padding)
        widths = [max((len(str(cells[i])) for _, cells in rows), default=0) for i in range(4)]
        room = max(12, self.app.size.width - sum(w + 2 for w in widths) - 4)
        for key, cells in rows:
            cells[4] = clip(cells[4], room) if narrow else safe(cells[4])
            table.add_row(*cells, key=key)
        move_cursor_to(table, *keep)
        who = f"{self.ips.specialist}'s clients" if self.mine else "All specialists"
        overdue = sum(1 for r in self.found if r.status == "overdue")
        self.query_one("#reminders-title", Static).update(
            f"Reminders · {who} · next {self.window} days · "
            f"{overdue} overdue, {len(self.found) - overdue} due")
        empty = self.query_one("#reminders-empty", Static)
        empty.update("Nobody is waiting for a contact. Well done.")
        empty.set_class(not self.found, "shown")
        self._status = (f"{len(self.found)} reminders · m shows "
                        f"{'everyone' if self.mine else 'mine'} · +/- days ahead · ? for help")
        self._show_status()

    def _reminder(self) -> Reminder | None:
        """The reminder under the cursor (None on a specialist's heading)."""
        key = selected_key(self.query_one(DataTable))
        if key is None or key.startswith("spec:"):
            return None
        return next((r for r in self.found
                     if key == f"{r.client_id}|{r.kind}|{r.job_id or ''}|{r.due}"), None)

    def _show_status(self) -> None:
        """What the highlighted row asks for, and the key that does it."""
        key = selected_key(self.query_one(DataTable)) or ""
        reminder = self._reminder()
        if key.startswith("spec:"):
            text = (f"{safe(key[5:])}'s reminders are below: ↓ to a client, then c logs the "
                    "contact it asks for, Enter opens the client")
        elif reminder is None:
            text = self._status
        elif reminder.kind in FOLLOW_ALONG_KINDS:
            text = (f"c logs a contact with {safe(reminder.client)} today "
                    f"(follow-along for {safe(reminder.job_name)}) · Enter opens the client")
        else:
            text = (f"c logs an employer contact on {safe(reminder.client)}'s behalf "
                    "(their first) · Enter opens the client")
        self.query_one("#reminders-status", StatusLine).show(text)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_status()

    def _client(self) -> str | None:
        key = selected_key(self.query_one(DataTable))
        if key is None or key.startswith("spec:"):
            return None
        return key.split("|", 1)[0]

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        cid = self._client()
        if cid:
            self.ips.open_client(cid)

    def action_log_contact(self) -> None:
        reminder = self._reminder()
        if reminder is None:
            self.notify("Move to a client's reminder first (↓), then press c.", severity="warning")
        elif reminder.kind in FOLLOW_ALONG_KINDS:
            self.ips.log_contact(reminder.client_id)
        else:
            self.ips.log_employer_contact(clients=(reminder.client_id,))

    def action_wider(self) -> None:
        bigger = [w for w in WINDOWS if w > self.window]
        self.window = bigger[0] if bigger else self.window
        self.reload()

    def action_narrower(self) -> None:
        smaller = [w for w in WINDOWS if w < self.window]
        self.window = smaller[-1] if smaller else self.window
        self.reload()
