"""First run: who is using the app (dismisses the name, or None to see everyone)."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ips_tui.tui.widgets.plain import PlainStatic, plain


class ChooseSpecialistDialog(ModalScreen[str | None]):
    """First run: who is using the app? Pick a specialist, or type a new name to add one."""

    DEFAULT_CSS = "ChooseSpecialistDialog { align: center middle; }"
    BINDINGS = [Binding("escape", "skip", "Skip", id="choose.skip")]

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__()
        self.names = list(names)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog choose"):
            yield PlainStatic("Who are you?", classes="dialog-title")
            yield PlainStatic("Your caseload is shown first. You can change this later "
                              "from the command palette (ctrl+p, 'Switch specialist').",
                              classes="dialog-detail")
            if self.names:
                yield OptionList(*[Option(plain(n), id=n) for n in self.names], id="names")
            yield Label("Or add yourself as a new specialist:")
            yield Input(placeholder="Your full name, then Enter", id="new-name")
            yield PlainStatic("Enter choose · Esc skip (show everyone)", classes="dialog-hint")

    def on_mount(self) -> None:
        (self.query_one("#names") if self.names else self.query_one("#new-name")).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if name:
            self.dismiss(name)

    def action_skip(self) -> None:
        self.dismiss(None)
