"""The team-meeting agenda on screen (rendered Markdown), with keys to change the date and export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Header, MarkdownViewer, Static

from ips_tui import services
from ips_tui.domain.agenda import Agenda
from ips_tui.output import write_private
from ips_tui.reports import agenda as agenda_report
from ips_tui.tui.forms.choosers import date_form, export_form
from ips_tui.tui.screens.base import DataScreen
from ips_tui.tui.widgets.footer import SteadyFooter
from ips_tui.tui.widgets.plain import PlainStatic

EXPORT_CHOICES = [("Markdown (.md)", "md"), ("Printable page (.html)", "html"),
                  ("Plain text (.txt)", "txt"), ("JSON (.json)", "json")]


class AgendaScreen(DataScreen):
    """This week's team-meeting agenda, as it will be printed or shared."""

    TITLE = "Team meeting agenda"
    #: The Markdown viewer reflows the agenda, its tables included, to any width by itself.
    FITS_WIDTH = False
    #: The keys the key bar shows first, the most used first (tui/widgets/footer.py).
    FOOTER_FIRST = ("move(-7)", "move(7)", "choose_date", "export", "toggle_redact", "back")
    BINDINGS = [
        Binding("left_square_bracket", "move(-7)", "Previous meeting", id="agenda.prev", key_display="["),
        Binding("right_square_bracket", "move(7)", "Next meeting", id="agenda.next", key_display="]"),
        Binding("d", "choose_date", "Date", id="agenda.date", tooltip="Choose the meeting date"),
        Binding("x", "export", "Export", id="agenda.export", tooltip="Write the agenda to a file"),
        Binding("R", "toggle_redact", "Redact", id="agenda.redact",
                tooltip="Initials only, no notes or contact details: for sharing outside the team"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.meeting: dt.date | None = None
        self.redacted = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield PlainStatic(id="agenda-title", classes="screen-title")
        yield MarkdownViewer("", id="agenda-view", show_table_of_contents=False)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.reload()  # the first load picks the next meeting day
        self.query_one("#agenda-view").focus()

    def build(self, meeting: dt.date, redacted: bool) -> Agenda:
        agenda = services.agenda(meeting)
        return agenda.redact() if redacted else agenda

    def loading_target(self) -> Widget | None:
        return self.query_one(MarkdownViewer)

    def fetch(self) -> tuple[dt.date, bool, str]:
        """The meeting shown (the next meeting day on the first load), whether it is redacted,
        and the agenda as Markdown: drawn together, so the title always says what is shown."""
        meeting = self.meeting or services.next_meeting_date(self.today)
        redacted = self.redacted
        return meeting, redacted, agenda_report.as_markdown(self.build(meeting, redacted))

    def draw(self, data: tuple[dt.date, bool, str]) -> None:
        meeting, redacted, text = data
        if self.meeting is None:
            self.meeting = meeting
        self.query_one(MarkdownViewer).document.update(text)
        mode = " · REDACTED for sharing" if redacted else ""
        self.query_one("#agenda-title", Static).update(
            f"Team meeting {meeting.strftime('%A')} {meeting.isoformat()}{mode}")

    def _still_loading(self) -> bool:
        if self.meeting is None:
            self.notify("The agenda is still loading.", timeout=3)
            return True
        return False

    def action_move(self, days: int) -> None:
        if self._still_loading():
            return
        assert self.meeting is not None
        self.meeting += dt.timedelta(days=days)
        self.reload()

    def action_toggle_redact(self) -> None:
        self.redacted = not self.redacted
        self.reload()

    def action_choose_date(self) -> None:
        def done(result: object) -> None:
            if isinstance(result, dt.date):
                self.meeting = result
                self.reload()

        self.app.push_screen(date_form("Meeting date", "Meeting date", self.meeting, self.today), done)

    def action_export(self) -> None:
        if self._still_loading():
            return
        assert self.meeting is not None
        meeting, redacted = self.meeting, self.redacted
        stem = f"agenda-{meeting.isoformat()}{'-redacted' if redacted else ''}"

        def write(fmt: str, folder: Path) -> Path:
            path = folder / f"{stem}.{fmt}"
            write_private(path, agenda_report.render(self.build(meeting, redacted), fmt))
            return path

        def done(result: object) -> None:
            if isinstance(result, Path):
                self.notify(f"Agenda written to {result} (readable only by you).", timeout=8)

        self.app.push_screen(export_form("Export the agenda", EXPORT_CHOICES, write, self.today,
                                         hint="Redact first (R) if the file leaves the team."),
                             done)
