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

    #: The headings of the three groups of keys, in the order they are listed.
    GROUPS = ("This screen", "Everywhere in ips-tui", "Moving around (Textual's own keys)")

    @staticmethod
    def _ours(node: object, binding: Binding) -> bool:
        """Whether ``binding`` is declared by ips-tui (not one of Textual's generic keys)."""
        for cls in type(node).__mro__:
            if not cls.__module__.startswith("ips_tui."):
                continue
            for declared in Binding.make_bindings(cls.__dict__.get("BINDINGS", ())):
                if declared.action == binding.action and declared.key == binding.key:
                    return True
        return False

    @classmethod
    def _keys(cls, under: Screen) -> list[tuple[str, str, str, int]]:
        """(key as shown, description, tooltip, group) for every described key that works under
        us: group 0 the screen's own, 1 the app's, 2 Textual's generic keys; in that order."""
        rows: list[tuple[str, str, str, int]] = []
        seen: set[tuple[str, str]] = set()
        for active in under.active_bindings.values():
            binding = active.binding
            if not binding.description or not active.enabled:
                continue
            shown = under.app.get_key_display(binding)
            if (shown, binding.description) in seen:
                continue
            seen.add((shown, binding.description))
            group = (2 if not cls._ours(active.node, binding)
                     else 1 if active.node is under.app else 0)
            rows.append((shown, binding.description, binding.tooltip or "", group))
        return sorted(rows, key=lambda row: row[3])  # stable: each group keeps its order

    def _table(self) -> Text:
        text = Text()
        group = -1
        for shown, description, tooltip, in_group in self.keys:
            if in_group != group:
                group = in_group
                text.append(("\n" if text else "") + self.GROUPS[group] + "\n", style="bold underline")
            text.append(f"{shown:>10}  ", style="bold")
            text.append(description)
            if tooltip:
                text.append(f"  {tooltip}", style="dim")
            text.append("\n")
        return text

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
