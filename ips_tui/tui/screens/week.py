"""This week: each specialist's employer contacts against the target of 6 and caseload against 20.

The week is the team-meeting week (domain.agenda.meeting_week): from the meeting day to the day
before the next, the week the agenda's "past week" also counts, so both show the same figures."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from ips_tui import services, vocab
from ips_tui.records import CaseloadRow
from ips_tui.reports.format import day
from ips_tui.tui.screens.base import DataScreen
from ips_tui.tui.widgets.cells import safe
from ips_tui.tui.widgets.footer import SteadyFooter
from ips_tui.tui.widgets.plain import PlainStatic
from ips_tui.tui.widgets.status_line import StatusLine
from ips_tui.tui.widgets.table import Table


def bar(value: int, target: int, width: int = 12) -> str:
    """A text bar like '██████░░░░░░' (readable without colour)."""
    filled = min(width, round(width * value / target)) if target else 0
    return "█" * filled + "░" * (width - filled)


#: The caseload bar's width: a block for four clients of the 20, as narrow as its heading, so
#: that the table fits 80 columns.
CASELOAD_BAR = 5


class ThisWeekScreen(DataScreen):
    """Job development and caseload size this team-meeting week (its dates in the title)."""

    TITLE = "This week"
    #: The keys the key bar shows first, the most used first (tui/widgets/footer.py).
    FOOTER_FIRST = ("week(-1)", "week(1)", "back")
    BINDINGS = [
        Binding("left_square_bracket", "week(-1)", "Previous week", id="week.prev", key_display="["),
        Binding("right_square_bracket", "week(1)", "Next week", id="week.next", key_display="]"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.week_offset = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield PlainStatic(id="week-title", classes="screen-title")
        yield Table(id="week-table", cursor_type="row")
        yield StatusLine(id="week-note")
        yield SteadyFooter()

    def on_mount(self) -> None:
        target, cap = vocab.EMPLOYER_CONTACTS_PER_WEEK_TARGET, vocab.CASELOAD_TARGET
        self.query_one(DataTable).add_columns(
            "Specialist", "In person", f"target {target}", "All", "Named",
            "Caseload", f"max {cap}", "Seeking")
        self.reload()

    def week(self) -> tuple[dt.date, dt.date]:
        """The team-meeting week shown (reads the meeting day: call it in the load's thread)."""
        return services.this_meeting_week(self.today + dt.timedelta(weeks=self.week_offset))

    def fetch(self) -> tuple[int, tuple[dt.date, dt.date], list[Any], list[CaseloadRow], list[str]]:
        start, end = self.week()
        return (self.week_offset, (start, end), services.employer_contacts_between(start, end),
                services.caseload(), services.specialists(active_only=True))

    def draw(self, data: tuple[int, tuple[dt.date, dt.date], list[Any], list[CaseloadRow], list[str]]) -> None:
        offset, (start, end), contacts, caseload, names = data
        if offset != self.week_offset:  # read for the week shown before: the newer load follows
            return
        in_person = Counter(c.specialist for c in contacts if c.mode == "in_person")
        every = Counter(c.specialist for c in contacts)
        named = Counter(c.specialist for c in contacts if c.client_ids)
        load = Counter(r.specialist for r in caseload)
        seekers = Counter(r.specialist for r in caseload if r.stage == "job_search")
        table = self.query_one(DataTable)
        table.clear()
        target, cap = vocab.EMPLOYER_CONTACTS_PER_WEEK_TARGET, vocab.CASELOAD_TARGET
        error = self.app.theme_variables.get("error", "red")
        for name in names:
            met = in_person[name] >= target
            size = load[name]
            table.add_row(
                safe(name) + (" (you)" if name == self.ips.specialist else ""),
                f"{in_person[name]}{' met' if met else ''}",
                bar(in_person[name], target, width=target),  # a block a contact
                str(every[name]), str(named[name]),
                Text(f"{size}{' OVER' if size > cap else ''}",
                     style=f"bold {error}" if size > cap else ""),
                bar(min(size, cap), cap, width=CASELOAD_BAR), str(seekers[name]),
            )
        label = "This week" if self.week_offset == 0 else "Week"
        self.query_one("#week-title", Static).update(
            f"{label}: {day(start)} to {day(end)} (team-meeting week)")
        self.query_one("#week-note", StatusLine).show(
            f"IPS targets: {target} face-to-face employer contacts a week, mostly for a named "
            f"client; at most {cap} people per caseload.")

    def action_week(self, step: int) -> None:
        self.week_offset += step
        self.reload()
