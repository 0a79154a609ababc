"""A yes/no question (dismisses True for yes)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button

from ips_tui.tui.widgets.plain import PlainStatic


class ConfirmDialog(ModalScreen[bool]):
    """Ask a yes/no question; dismisses True for yes."""

    DEFAULT_CSS = "ConfirmDialog { align: center middle; }"
    BINDINGS = [
        Binding("escape,n", "answer(False)", "No", id="confirm.no"),
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
    ]

    def __init__(self, question: str, detail: str = "", yes: str = "Yes", no: str = "No",
                 danger: bool = True) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm"):
            yield PlainStatic(self.question, classes="dialog-title")
            if self.detail:
                yield PlainStatic(self.detail, classes="dialog-detail")
            yield PlainStatic("y yes · n / Esc no", classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, variant="error" if self.danger else "primary", id="yes")
                yield Button(self.no, id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
