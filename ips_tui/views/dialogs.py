"""Small modal dialogs: confirm, choose who I am, and the help screen.

A dialog dismisses with its answer and knows nothing about where the answer goes.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from ips_tui.views.plain import PlainStatic, plain


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


class HelpScreen(ModalScreen[None]):
    """Every key that works on the screen underneath, from its bindings (so it never goes stale)."""

    DEFAULT_CSS = "HelpScreen { align: center middle; }"
    BINDINGS = [Binding("escape,question_mark,q", "dismiss_help", "Close", id="help.close")]

    def __init__(self, under: Screen, about: str = "") -> None:
        super().__init__()
        self.under = under
        self.about = about
        # Read the keys now, while the screen underneath is active: once this dialog is on top,
        # the app hides its global keys (they must not act behind a dialog).
        self.keys = self._keys(under)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield PlainStatic(f"Keys: {self.under.title or self.under.__class__.__name__}",
                              classes="dialog-title")
            if self.about:
                yield PlainStatic(self.about, classes="dialog-detail")
            yield PlainStatic(self._table(), id="help-keys")
            yield PlainStatic("ctrl+p opens the command palette: search for any command or client "
                              "by name.\nEsc or ? closes this help.", classes="dialog-hint")

    @staticmethod
    def _keys(under: Screen) -> list[tuple[str, str, str]]:
        """(key as shown, description, tooltip) for every described key that works under us."""
        rows: list[tuple[str, str, str]] = []
        seen: set[tuple[str, str]] = set()
        for active in under.active_bindings.values():
            binding = active.binding
            if not binding.description or not active.enabled:
                continue
            shown = under.app.get_key_display(binding)
            if (shown, binding.description) in seen:
                continue
            seen.add((shown, binding.description))
            rows.append((shown, binding.description, binding.tooltip or ""))
        return rows

    def _table(self) -> Text:
        text = Text()
        for shown, description, tooltip in self.keys:
            text.append(f"{shown:>10}  ", style="bold")
            text.append(description)
            if tooltip:
                text.append(f"  {tooltip}", style="dim")
            text.append("\n")
        return text

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
