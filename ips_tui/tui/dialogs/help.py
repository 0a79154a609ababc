"""Help for the screen underneath: every key that works there, from its bindings."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen

from ips_tui.tui.widgets.plain import PlainStatic


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
