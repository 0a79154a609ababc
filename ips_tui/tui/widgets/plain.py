"""Text shown as typed: names, notes and file paths on screen are never read as markup.

Textual reads a string given to a Static, a table cell, a list option or a notification as
markup, so a note "met at [the cafe]" lost the words in brackets, and a name or a path with
"[/]" in it stopped the app. Every view builds its text with these instead. They also replace
control characters (``ips_tui.output.terminal_safe``), so a stored escape sequence never acts on
the terminal.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from ips_tui.output import terminal_safe


def plain(value: object) -> Any:
    """A string as plain text (a Rich Text, which Textual never reads as markup) with no control
    character; anything else (already styled Text, numbers, None) unchanged."""
    return Text(terminal_safe(value), end="") if isinstance(value, str) else value


class PlainStatic(Static):
    """A Static whose strings are plain text, not markup, with no control character."""

    def __init__(self, content: Any = "", *, markup: bool = False, **kwargs: Any) -> None:
        super().__init__(terminal_safe(content) if isinstance(content, str) else content,
                         markup=markup, **kwargs)

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        super().update(terminal_safe(content) if isinstance(content, str) else content, layout=layout)
