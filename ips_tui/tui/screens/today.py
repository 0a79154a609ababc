"""Today: my appointments today and tomorrow, my reminders overdue or due today, appointments
waiting for their outcome, and clients flagged for the team meeting, in one list.

An appointment whose day has passed is asked about once (the first time this screen shows it
in a session): done, not reached or cancelled; nothing is logged until the specialist answers,
and Esc leaves the question for later (``u`` asks it again).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from ips_tui import services, vocab
from ips_tui.domain.reminders import Reminder, short_label
from ips_tui.records import AppointmentRow, Day
from ips_tui.tui.screens.base import DataScreen
from ips_tui.tui.widgets.cells import (
    clip,
    column_width,
    cursor_state,
    move_cursor_to,
    plan_text,
    safe,
    selected_key,
)
from ips_tui.tui.widgets.footer import SteadyFooter
from ips_tui.tui.widgets.plain import PlainStatic
from ips_tui.tui.widgets.table import Table

#: The fewest cells a reminder's job is clipped to on the line of its kind.
JOB_AT_LEAST = 12


def reminder_what(r: Reminder, room: int) -> str:
    """A reminder in the list's last column: its kind, its job as the reminders screen names
    it ("Weekly · Barista at Maple Cafe") and the appointment planned for it, in ``room`` cells.

    When they do not all fit, the job is cut at a word (as on the reminders screen); when a
    plan leaves the job too little room to be recognised, the job goes on a second line."""
    kind = short_label(r.kind)
    plan = f" · {r.planned_label}" if r.planned else ""
    job = r.job_name
    if not job:
        return kind + plan
    left = room - len(f"{kind} · {plan}")
    if len(job) <= left or left >= JOB_AT_LEAST or not plan:
        return f"{kind} · {clip(job, max(JOB_AT_LEAST, left))}{plan}"
    return f"{kind}{plan}\n{clip(job, max(JOB_AT_LEAST, room))}"


class TodayScreen(DataScreen):
    """The day's list; Enter opens the client, c logs the contact (or says how an appointment
    went), u asks what happened at a past appointment."""

    TITLE = "Today"
    HELP = ("Today lists your appointments today and tomorrow, your reminders overdue or due "
            "today, appointments whose day has passed and that wait for you to say what "
            "happened, and clients flagged for the team meeting.")
    BINDINGS = [
        Binding("enter", "open", "Open client", id="today.open", show=False),
        Binding("c", "log_contact", "Log contact", id="today.contact",
                tooltip="Log the contact (on an appointment: say how it went)"),
        Binding("u", "outcome", "Outcome", id="today.outcome",
                tooltip="Say what happened at the highlighted past appointment"),
        Binding("b", "plan", "Plan", id="today.plan",
                tooltip="Plan an appointment with the highlighted client"),
        Binding("m", "toggle_mine", "Mine/all", id="today.mine"),
    ]
    FOOTER_FIRST = ("log_contact", "outcome", "plan", "toggle_mine", "back")

    def __init__(self) -> None:
        super().__init__()
        self.day: Day | None = None
        self.rows: dict[str, tuple[str, AppointmentRow | None]] = {}  # key -> (client, appt)

    def compose(self) -> ComposeResult:
        yield Header()
        yield PlainStatic(id="today-title", classes="screen-title")
        yield Table(id="today-table", cursor_type="row", zebra_stripes=False)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.mine = self.ips.specialist is not None
        self.query_one(DataTable).add_columns("When", "Client", "What")
        self.reload()
        self.query_one(DataTable).focus()

    def fetch(self) -> Day:
        return services.day(self.today, specialist=self.ips.specialist if self.mine else None)

    def draw(self, data: Day) -> None:
        self.day = data
        table = self.query_one(DataTable)
        keep = cursor_state(table)
        table.clear()
        self.rows = {}
        error = self.app.theme_variables.get("error", "red")
        today = data.date
        # (key, when, client, what); a reminder's "what" is filled in once the width is known
        lines: list[tuple[str, str | Text, str, str | Text]] = []
        reminders: dict[str, Reminder] = {}

        def heading(title: str, count: int) -> None:
            lines.append((f"head:{title}", Text(f"{title} ({count})", style="bold underline"),
                          "", ""))

        def appointment(prefix: str, a: AppointmentRow) -> None:
            key = f"{prefix}:{a.id}"
            self.rows[key] = (a.client_id, a)
            where = f" · {a.location}" if a.location else ""
            lines.append((key, plan_text(a.date, a.time, today) if prefix == "appt" else a.when,
                          safe(f"{a.client} ({a.client_id})"),
                          safe(f"{vocab.label(a.mode)}{where}")))

        heading("How did it go?", len(data.awaiting_outcome))
        for a in data.awaiting_outcome:
            appointment("wait", a)
        heading("Appointments", len(data.appointments))
        for a in data.appointments:
            appointment("appt", a)
        heading("Reminders due", len(data.reminders))
        for i, r in enumerate(data.reminders):
            key = f"rem:{i}"
            self.rows[key] = (r.client_id, None)
            reminders[key] = r
            due = (Text(f"OVERDUE {(today - r.due).days} d", style=f"bold {error}")
                   if r.status == "overdue" else Text("today", style="bold"))
            lines.append((key, due, safe(f"{r.client} ({r.client_id})"), ""))
        heading("Team meeting", len(data.flagged))
        for f in data.flagged:
            key = f"flag:{f.client_id}"
            self.rows[key] = (f.client_id, None)
            lines.append((key, "", safe(f"{f.client} ({f.client_id})"), f.note or ""))
        # A reminder names its job as the reminders screen does, in what the other columns
        # leave (reminder_what: the job is cut, or goes on a second line, to fit).
        used = sum(column_width(head, [str(line[i]) for line in lines])
                   for i, head in ((1, "When"), (2, "Client")))
        room = (self.size.width - used - table.styles.scrollbar_size_vertical - 2
                if self.size.width else 80)
        for key, when, client, what in lines:
            if key in reminders:
                what = reminder_what(reminders[key], room)
            elif key.startswith("flag:"):  # the meeting note, cut at a word to fit
                what = clip(str(what), max(JOB_AT_LEAST, room))
            table.add_row(when, client, what, key=key, height=str(what).count("\n") + 1)
        move_cursor_to(table, *keep)
        who = f"{self.ips.specialist}'s day" if self.mine else "Everyone's day"
        self.query_one("#today-title", Static).update(
            f"Today · {today:%a} {today.isoformat()} · {who}")
        self._ask_once()

    # ------------------------------------------------------------ the outcome question

    def _ask_once(self) -> None:
        """Ask about the first past appointment not yet asked about in this session."""
        if self.day is None or not self.is_current:
            return
        asked = self.ips.outcomes_asked
        for a in self.day.awaiting_outcome:
            if a.id not in asked:
                asked.add(a.id)
                self.ips.ask_outcome(a)
                return

    def action_outcome(self) -> None:
        row = self._row()
        if row is not None and row[1] is not None and row[1].date <= self.today:
            self.ips.ask_outcome(row[1])
        elif self.day is not None and self.day.awaiting_outcome:
            self.ips.ask_outcome(self.day.awaiting_outcome[0])
        else:
            self.notify("No appointment is waiting for its outcome.")

    # ------------------------------------------------------------ keys

    def _row(self) -> tuple[str, AppointmentRow | None] | None:
        key = selected_key(self.query_one(DataTable))
        return self.rows.get(key) if key else None

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self._row()
        if row is not None:
            self.ips.open_client(row[0])

    def action_log_contact(self) -> None:
        row = self._row()
        if row is None:
            return
        if row[1] is not None and row[1].date <= self.today:
            self.ips.ask_outcome(row[1])
        else:
            self.ips.log_contact(row[0])

    def action_plan(self) -> None:
        row = self._row()
        if row is not None:
            self.ips.plan_appointment(row[0])
