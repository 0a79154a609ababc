"""A screen's status line: one row, or two when what it says does not fit the width (80 columns).

A status line that is cut says nothing useful, and a status line that grows and shrinks as the
cursor moves makes the table above it jump. So the line keeps one row while its text fits, takes
a second row only when the text needs it, and is laid out again only when that changes: an
update that keeps the height repaints the line alone.
"""

from __future__ import annotations

from typing import Any

from textual.events import Resize

from ips_tui.tui.widgets.plain import PlainStatic

#: The most rows a status line takes; a longer text ends in "…".
MAX_ROWS = 2


class StatusLine(PlainStatic):
    """One row of status, or two when the text needs them."""

    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; color: $text-muted; }
    """

    _text = ""

    def show(self, text: str) -> None:
        """Say ``text`` (wrapped over two rows at most when it does not fit on one)."""
        self._text = text
        rows = self._rows_for(text)
        relayout = rows != int(self.styles.height.value if self.styles.height else 1)
        if relayout:
            self.styles.height = rows
        self.update(self._fitted(text, rows), layout=relayout)

    def _width(self) -> int:
        width = self.size.width or (self.app.size.width if self.is_attached else 80)
        return max(width - 2, 10)  # the padding

    def _rows_for(self, text: str) -> int:
        return 1 if len(text) <= self._width() else MAX_ROWS

    def _fitted(self, text: str, rows: int) -> Any:
        limit = self._width() * rows
        return text if len(text) <= limit else text[: max(limit - 4, 1)].rstrip() + "…"

    def on_resize(self, event: Resize) -> None:
        if self._text:
            self.show(self._text)
