"""Text shown as typed: names, notes and file paths on screen are never read as markup.

Textual reads a string given to a Static, a table cell, a list option or a notification as
markup, so a note "met at [the cafe]" lost the words in brackets, and a name or a path with
"[/]" in it stopped the app. Every view builds its text with these instead.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static


def plain(value: object) -> Any:
    """A string as plain text (a Rich Text, which Textual never reads as markup); anything
    else (already styled Text, numbers, None) unchanged."""
    return Text(value, end="") if isinstance(value, str) else value


class PlainStatic(Static):
    """A Static whose strings are plain text, not markup."""

    def __init__(self, content: Any = "", *, markup: bool = False, **kwargs: Any) -> None:
        super().__init__(content, markup=markup, **kwargs)
