"""The start screen: my caseload (or everyone's), with filter, stage filter and sorting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Static

from ips_tui import services, vocab
from ips_tui.domain.reminders import Reminder
from ips_tui.domain.stage_rules import StageIssue
from ips_tui.records import CaseloadRow
from ips_tui.tui.screens.base import DataScreen
from ips_tui.tui.widgets.cells import days_ago_text, move_cursor_to, reminder_cell, safe, selected_key
from ips_tui.tui.widgets.filter_box import FilterBox
from ips_tui.tui.widgets.footer import SteadyFooter
from ips_tui.tui.widgets.plain import PlainStatic
from ips_tui.tui.widgets.status_line import StatusLine
from ips_tui.tui.widgets.table import LIST_ROWS, Table, first_shown

COLUMNS = ("Client", "Stage", "Specialist", "Last contact", "Next reminder")
#: The caseload draws at most this many rows (widgets/table.LIST_ROWS); the filter narrows the rest.
MAX_ROWS = LIST_ROWS
STAGE_FILTERS: tuple[str | None, ...] = (None, *vocab.STAGES)


@dataclass(frozen=True)
class Line:
    """A caseload row with its next reminder, ready to sort and filter."""

    row: CaseloadRow
    reminder: Reminder | None
    #: How the stage contradicts the client's jobs (domain.stage_rules), if it does.
    issue: StageIssue | None = None
    #: The client's next planned appointment (day, time), shown when no reminder is due.
    plan: tuple[dt.date, str | None] | None = None

    def sort_key(self, column: int) -> Any:
        r = self.row
        if column == 0:
            return (r.last_name.lower(), r.first_name.lower())
        if column == 1:
            return vocab.STAGES.index(r.stage) if r.stage in vocab.STAGES else 99
        if column == 2:
            return r.specialist.lower()
        if column == 3:  # longest since last contact first
            return r.last_contact.toordinal() if r.last_contact else -1
        return self.reminder.due.toordinal() if self.reminder else 10**9

    @cached_property
    def hay(self) -> str:
        """What the filter looks in: name, id, specialist and stage, in lower case."""
        return " ".join((self.row.name, self.row.client_id, self.row.specialist,
                         vocab.label(self.row.stage))).lower()

    def matches(self, words: list[str]) -> bool:
        hay = self.hay
        return all(w in hay for w in words)


class CaseloadScreen(DataScreen):
    """Clients on a caseload: who needs what next."""

    TITLE = "Caseload"
    #: Keys typed while the screen opens go to the list, never to the hidden filter box.
    AUTO_FOCUS = "#caseload"
    #: The keys the key bar shows first, the most used first (tui/widgets/footer.py).
    FOOTER_FIRST = ("log_contact", "filter", "new_client", "toggle_mine")
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="caseload.filter", tooltip="Type to filter by name, id, specialist or stage"),
        Binding("enter", "open", "Open", id="caseload.open", show=False, tooltip="Open the client's record"),
        Binding("c", "log_contact", "Log contact", id="caseload.contact", tooltip="Log a contact today with the highlighted client"),
        Binding("n", "new_client", "New client", id="caseload.new"),
        Binding("b", "plan", "Plan", show=False, id="caseload.plan",
                tooltip="Plan an appointment with the highlighted client (next working day)"),
        Binding("m", "toggle_mine", "Mine/all", id="caseload.mine", tooltip="Switch between my caseload and everyone's"),
        Binding("s", "cycle_stage", "Stage", id="caseload.stage", tooltip="Show one stage at a time (press again for the next)"),
        Binding("S", "cycle_sort", "Sort", id="caseload.sort", tooltip="Sort by the next column (clicking a header does too)"),
        Binding("x", "toggle_closed", "Closed", id="caseload.closed", show=False, tooltip="Show or hide closed clients"),
        Binding("escape", "clear_filter", "Clear filter", id="caseload.clear", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[Line] = []
        self.mine = True
        self.stage_filter: str | None = None
        self.include_closed = False
        self.closed_for_stage = False
        self.sort_column = 0
        self.sort_reverse = False
        #: (order, the lines it was made from, the lines in that order)
        self._sorted: tuple[tuple[int, bool], list[Line], list[Line]] | None = None
        #: What the table shows: (lines, columns, error colour); the same again is not redrawn.
        self._drawn: tuple[list[Line], list[int], str] | None = None
        self._counts: tuple[list[Line], int, int] | None = None
        #: (the sorted lines, the stage filter, the filter typed, the lines they matched)
        self._matched: tuple[list[Line], str | None, str, list[Line]] | None = None
        self._title = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield PlainStatic(id="caseload-title", classes="screen-title")
        with Horizontal(classes="filter-bar", id="filter-bar"):
            yield FilterBox(placeholder="Filter: type part of a name, id, specialist or stage (Esc clears)",
                            id="filter")
        yield Table(id="caseload", cursor_type="row", zebra_stripes=True)
        yield PlainStatic("", id="caseload-empty", classes="empty-hint")
        yield StatusLine(id="caseload-status")
        yield SteadyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self.mine = self.ips.specialist is not None
        self.reload(at_once=self.mine)  # everyone's caseload may be long: in the worker
        table.focus()

    # ------------------------------------------------------------ data

    def fetch(self) -> list[Line]:
        spec = self.ips.specialist if self.mine else None
        rows = services.caseload(specialist=spec, include_closed=self.include_closed)
        nexts = services.next_reminder_by_client(self.today, specialist=spec)
        issues = services.stage_issues(self.today, specialist=spec)
        plans = services.next_plan_by_client(self.today)
        return [Line(r, nexts.get(r.client_id), issues.get(r.client_id), plans.get(r.client_id))
                for r in rows]

    def draw(self, data: list[Line]) -> None:
        self.lines = data
        self.refill()

    def counts(self) -> tuple[int, int]:
        """(clients with an overdue contact, clients flagged for the team meeting), counted
        once per load rather than on every keystroke."""
        if self._counts is None or self._counts[0] is not self.lines:
            overdue = sum(1 for ln in self.lines if ln.reminder and ln.reminder.due < self.today)
            flagged = sum(1 for ln in self.lines if ln.row.discuss)
            self._counts = (self.lines, overdue, flagged)
        return self._counts[1], self._counts[2]

    def sorted_lines(self) -> list[Line]:
        """Every line in the chosen order (sorted once per load or change of order, not on
        every keystroke of the filter)."""
        order = (self.sort_column, self.sort_reverse)
        if self._sorted is None or self._sorted[0] != order or self._sorted[1] is not self.lines:
            lines = sorted(self.lines, key=lambda ln: ln.sort_key(self.sort_column),
                           reverse=self.sort_reverse)
            self._sorted = (order, self.lines, lines)
        return self._sorted[2]

    def shown_lines(self) -> list[Line]:
        """The lines the stage filter and the typed filter let through, in order.

        Typing on at the end of the filter can only narrow it, so the lines that matched the
        last filter are searched instead of them all (a region's 2,000 clients, every key).
        """
        query = self.query_one("#filter", Input).value.lower()
        words = query.split()
        every = self.sorted_lines()
        last = self._matched
        narrower = (last is not None and last[0] is every and last[1] == self.stage_filter
                    and query.startswith(last[2]))
        base = last[3] if narrower else every  # type: ignore[index]  # narrower implies last is set
        matching = [ln for ln in base
                    if (self.stage_filter is None or ln.row.stage == self.stage_filter)
                    and (not words or ln.matches(words))]
        self._matched = (every, self.stage_filter, query, matching)
        return matching

    def columns(self) -> list[int]:
        """Column numbers shown: the specialist column only when showing everyone's clients."""
        return [i for i in range(len(COLUMNS)) if not (i == 2 and self.mine)]

    def refill(self) -> None:
        table = self.query_one(DataTable)
        keep = selected_key(table)
        wanted = self.columns()
        if [int(str(c.value)) for c in table.columns] != wanted:
            table.clear(columns=True)
            for i in wanted:
                table.add_column(COLUMNS[i], key=str(i))
        error = self.app.theme_variables.get("error", "red")
        matching = self.shown_lines()
        shown = matching[:MAX_ROWS]
        drawn = (shown, wanted, error)
        if self._drawn is not None and self._drawn[1:] == drawn[1:] and \
                len(self._drawn[0]) == len(shown) and all(a is b for a, b in zip(self._drawn[0], shown, strict=False)):
            self._describe(len(shown), len(matching))  # the same rows: nothing to redraw
            return
        self._drawn = drawn
        table.clear()
        for ln in shown:
            r = ln.row
            name = Text(safe(r.name))
            if r.discuss:
                name.append(" ●", style="bold")
            stage = Text(vocab.label(r.stage))
            if ln.issue is not None:  # the reason is in the status line when highlighted
                stage.append(" !", style=f"bold {error}")
            cells = [name, stage, safe(r.specialist),
                     days_ago_text(r.last_contact, self.today),
                     reminder_cell(ln.reminder, self.today, error, ln.plan)]
            table.add_row(*[cells[i] for i in wanted], key=r.client_id)
        move_cursor_to(table, keep)
        self._describe(len(shown), len(matching))

    def _describe(self, shown: int, matching: int) -> None:
        who = f"My caseload ({self.ips.specialist})" if self.mine and self.ips.specialist else "Everyone's caseload"
        parts = [who]
        if self.stage_filter:
            parts.append(f"stage: {vocab.label(self.stage_filter)}")
        if self.include_closed:
            parts.append("closed shown")
        parts.append(f"sorted by {COLUMNS[self.sort_column].lower()}{' (reversed)' if self.sort_reverse else ''}")
        title = " · ".join(parts)
        # Both lines are one row high whatever they say (app.tcss): updating them needs no new
        # layout, which would also repaint the table's scroll bar a frame after each keystroke.
        if title != self._title:
            self._title = title
            self.query_one("#caseload-title", Static).update(title, layout=False)
        overdue, flagged = self.counts()
        self._status = (
            f"{first_shown(shown, matching)}{matching} of {len(self.lines)} clients · {overdue} with an overdue contact · "
            f"{flagged} to discuss at the team meeting (●) · ? for help")
        self._show_status()
        empty = self.query_one("#caseload-empty", Static)
        if not self.lines:
            empty.update("No clients here yet. Press n to add a client, m to see everyone's "
                         "caseload, or run `ips-tui demo` to try the app with made-up data.")
        elif shown == 0:
            empty.update("No client matches the filter. Esc clears it; s changes the stage.")
        empty.set_class(shown == 0, "shown")

    # ------------------------------------------------------------ events and actions

    _status = ""
    _issues: tuple[list[Line], dict[str, Line]] | None = None

    def _show_status(self) -> None:
        """The counts, or, on a client whose stage contradicts their jobs (!), why."""
        if self._issues is None or self._issues[0] is not self.lines:  # once per load
            self._issues = (self.lines, {ln.row.client_id: ln for ln in self.lines if ln.issue})
        line = self._issues[1].get(selected_key(self.query_one(DataTable)) or "")
        text = self._status
        if line is not None and line.issue is not None:
            text = (f"! {safe(line.row.name)}: {line.issue.reason}. Open the record (enter) "
                    f"and press s to change the stage.")
        self.query_one("#caseload-status", StatusLine).show(text)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_status()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        column = int(str(event.column_key.value))
        if column == self.sort_column:  # a second click on the same header reverses
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self.refill()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.ips.open_client(str(event.row_key.value))

    def action_filter(self) -> None:
        self.query_one("#filter-bar").add_class("shown")
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        self.query_one("#filter-bar").remove_class("shown")
        self.query_one(DataTable).focus()

    def action_open(self) -> None:
        key = selected_key(self.query_one(DataTable))
        if key:
            self.ips.open_client(key)

    def action_log_contact(self) -> None:
        key = selected_key(self.query_one(DataTable))
        if key:
            self.ips.log_contact(key)

    def action_plan(self) -> None:
        key = selected_key(self.query_one(DataTable))
        if key:
            self.ips.plan_appointment(key)

    def action_new_client(self) -> None:
        self.ips.new_client()

    def action_cycle_stage(self) -> None:
        i = STAGE_FILTERS.index(self.stage_filter)
        self.stage_filter = STAGE_FILTERS[(i + 1) % len(STAGE_FILTERS)]
        if self.stage_filter == "closed" and not self.include_closed:
            self.include_closed = self.closed_for_stage = True
            self.reload()
            return
        if self.stage_filter != "closed" and self.closed_for_stage:
            # Closed clients were shown only for the "closed" stage filter: hide them again.
            self.include_closed = self.closed_for_stage = False
            self.reload()
            return
        self.refill()

    def action_cycle_sort(self) -> None:
        self.sort_column = (self.sort_column + 1) % len(COLUMNS)
        while self.sort_column not in self.columns():
            self.sort_column = (self.sort_column + 1) % len(COLUMNS)
        self.sort_reverse = False
        self.refill()

    def action_toggle_closed(self) -> None:
        self.include_closed = not self.include_closed
        self.closed_for_stage = False
        self.reload()
