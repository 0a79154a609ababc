"""Employers: the list with last contact and number of contacts, and one employer's log."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input, Static

from ips_tui import services, vocab
from ips_tui.records import EmployerContactRow, EmployerRow
from ips_tui.tui.dialogs.confirm import ConfirmDialog
from ips_tui.tui.forms.employer import edit_employer_form
from ips_tui.tui.screens.base import DataScreen
from ips_tui.tui.widgets.cells import (
    NOTES_AT_LEAST,
    clip,
    column_width,
    cursor_state,
    days_ago_text,
    initials,
    move_cursor_to,
    safe,
    selected_key,
)
from ips_tui.tui.widgets.filter_box import FilterBox
from ips_tui.tui.widgets.footer import SteadyFooter
from ips_tui.tui.widgets.plain import PlainStatic
from ips_tui.tui.widgets.status_line import StatusLine
from ips_tui.tui.widgets.table import LIST_ROWS, Table, first_shown

#: The list draws at most this many employers (widgets/table.LIST_ROWS); the filter narrows the rest.
MAX_ROWS = LIST_ROWS


class EmployersScreen(DataScreen):
    """Every employer, with when we last spoke to them."""

    TITLE = "Employers"
    #: Keys typed while the screen opens go to the list, never to the hidden filter box.
    AUTO_FOCUS = "#employers-table"
    #: The keys the key bar shows first, the most used first (tui/widgets/footer.py).
    FOOTER_FIRST = ("log_contact", "filter", "new", "back")
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="employers.filter"),
        Binding("enter", "open", "Open log", id="employers.open", show=False),
        Binding("n", "new", "New employer", id="employers.new"),
        Binding("c", "log_contact", "Log contact", id="employers.contact",
                tooltip="Log a contact with the highlighted employer"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[EmployerRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield PlainStatic("Employers · Enter opens the relationship log", classes="screen-title")
        yield FilterBox(placeholder="Filter by name or industry", id="employer-filter", classes="filter-bar")
        yield Table(id="employers-table", cursor_type="row", zebra_stripes=True)
        yield PlainStatic("", classes="empty-hint", id="employers-empty")
        yield StatusLine(id="employers-status")
        yield SteadyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Employer", "Industry", "Contact", "Last contact", "Contacts")
        self.reload()
        table.focus()

    def fetch(self) -> list[EmployerRow]:
        return services.employers()

    def draw(self, data: list[EmployerRow]) -> None:
        self.rows = data
        self.refill()

    def refill(self) -> None:
        table = self.query_one(DataTable)
        keep = selected_key(table)
        table.clear()
        words = self.query_one("#employer-filter", Input).value.lower().split()
        matching = [e for e in self.rows if not words or all(
            w in f"{e.name} {e.industry or ''} {e.contact_name or ''}".lower() for w in words)]
        shown = matching[:MAX_ROWS]
        wide = self.app.size.width >= 100  # at 80 columns every column stays in view
        name_w = 26 if wide else 22
        for e in shown:
            table.add_row(clip(e.name, name_w), clip(e.industry, 16 if wide else 12),
                          clip(e.contact_name, 16 if wide else 14),
                          days_ago_text(e.last_contact, self.today), str(e.contacts), key=e.employer_id)
        move_cursor_to(table, keep)
        self.query_one("#employers-status", StatusLine).show(
            f"{first_shown(len(shown), len(matching))}{len(matching)} of {len(self.rows)} employers")
        empty = self.query_one("#employers-empty", Static)
        empty.update("No employers yet: press n to add one." if not self.rows else "No employer matches.")
        empty.set_class(not shown, "shown")

    @on(Input.Submitted, "#employer-filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(EmployerScreen(str(event.row_key.value)))

    def action_filter(self) -> None:
        box = self.query_one("#employer-filter", Input)
        box.add_class("shown")
        box.focus()

    def action_open(self) -> None:
        key = selected_key(self.query_one(DataTable))
        if key:
            self.app.push_screen(EmployerScreen(key))

    def action_new(self) -> None:
        self.ips.new_employer()

    def action_log_contact(self) -> None:
        self.ips.log_employer_contact(selected_key(self.query_one(DataTable)))


class EmployerScreen(DataScreen):
    """One employer: details and the relationship log, newest first."""

    TITLE = "Employer"
    #: The keys the key bar shows first, the most used first (tui/widgets/footer.py).
    FOOTER_FIRST = ("log_contact", "edit", "delete", "back")
    BINDINGS = [
        Binding("c", "log_contact", "Log contact", id="employer.contact"),
        Binding("n", "log_contact", "New contact", id="employer.new", show=False),
        Binding("p", "edit", "Edit", id="employer.edit"),
        Binding("enter", "open", "Open contact", id="employer.open", priority=True,
                tooltip="Read the highlighted contact whole, to correct or delete it"),
        Binding("d", "delete", "Delete contact", id="employer.delete",
                tooltip="Delete the highlighted contact (asks first)"),
    ]

    def __init__(self, employer_id: str) -> None:
        super().__init__()
        self.employer_id = employer_id
        self.employer: EmployerRow | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield PlainStatic(id="employer-header", classes="record-header")
        yield Table(id="log-table", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    def fetch(self) -> tuple[EmployerRow, dict[str, str], list[EmployerContactRow]] | None:
        found = [e for e in services.employers() if e.employer_id == self.employer_id]
        if not found:
            return None
        names = {r.client_id: r.name for r in services.caseload(include_closed=True)}
        return found[0], names, services.employer_log(self.employer_id)

    def draw(self, data: tuple[EmployerRow, dict[str, str], list[EmployerContactRow]] | None) -> None:
        if data is None:
            self.leave()
            return
        e, names, log = data
        self.employer = e
        self.title = f"Employer: {e.name}"
        head = Text()
        head.append(safe(e.name), style="bold")
        details = [e.industry, e.contact_name, e.phone, e.email, e.address]
        head.append("  " + " · ".join(safe(d) for d in details if d))
        head.append(f"\n{e.contacts} contacts · last {days_ago_text(e.last_contact, self.today)}")
        if e.notes:
            head.append(f"\n{safe(e.notes)}", style="italic")
        self.query_one("#employer-header", Static).update(head)
        table = self.query_one(DataTable)
        keep = cursor_state(table)
        # The notes get the width the other columns leave (measured first); on a narrow
        # terminal the specialist becomes initials and "Hiring manager" "HM", to make room.
        rows = [[c.date.isoformat(), safe(c.specialist)[:14], vocab.label(c.mode),
                 "yes" if c.hiring_manager else "no",
                 clip(", ".join(safe(names.get(cid, cid)) for cid in c.client_ids) or "—", 24)]
                for c in log]
        heads = ["Date", "Specialist", "Mode", "Hiring manager", "On behalf of"]
        bar = table.styles.scrollbar_size_vertical

        def room() -> int:
            used = sum(column_width(h, [r[i] for r in rows]) for i, h in enumerate(heads))
            return max(12, self.size.width - used - bar - 2) if self.size.width else 40

        if room() < NOTES_AT_LEAST:
            heads[1], heads[3] = "By", "HM"
            for r in rows:
                r[1] = initials(r[1])
        notes = room()
        table.clear(columns=True)
        table.add_columns(*heads, "Notes")
        for c, row in zip(log, rows, strict=True):
            table.add_row(*row, clip(c.notes, notes), key=str(c.id))
        move_cursor_to(table, *keep)

    def action_log_contact(self) -> None:
        self.ips.log_employer_contact(self.employer_id)

    def action_open(self) -> None:
        """Read the highlighted contact whole (e corrects it there)."""
        from ips_tui.tui.screens.entry import EmployerContactScreen

        key = selected_key(self.query_one(DataTable))
        if key is not None:
            self.app.push_screen(EmployerContactScreen(key))

    @on(DataTable.RowSelected)
    def _row_clicked(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_edit(self) -> None:
        if self.employer is not None:
            self.app.push_screen(edit_employer_form(self.employer, self.ips.specialist, self.today),
                                 self.saved("Employer saved."))

    def action_delete(self) -> None:
        key = selected_key(self.query_one(DataTable))
        if key is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                services.delete_employer_contact(int(key), by=self.ips.specialist)
                self.notify("Employer contact deleted.")
                self.reload()

        self.app.push_screen(ConfirmDialog("Delete this employer contact?", yes="Delete"), answer)
