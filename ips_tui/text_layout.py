"""Plain-text layout shared by the report writers (agenda, outcomes, fidelity): terminal
widths, word wrap, and drawing a table once its column widths are chosen."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from ips_tui.output import terminal_safe

#: Spaces between the columns of a plain-text table.
GAP = 2


def one_line(text: object) -> str:
    """A value on one line with no control characters (free text may hold newlines)."""
    return terminal_safe(" ".join(str(text).split()))


def text_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide East Asian characters take two)."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _split_word(word: str, width: int) -> list[str]:
    parts, current, used = [], "", 0
    for ch in word:
        w = text_width(ch)
        if current and used + w > width:
            parts.append(current)
            current, used = "", 0
        current += ch
        used += w
    return parts + [current] if current else parts


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap by terminal columns; words longer than ``width`` are split."""
    width = max(width, 1)
    lines: list[str] = []
    current = ""
    for word in text.split():
        pieces = _split_word(word, width) if text_width(word) > width else [word]
        for piece in pieces:
            candidate = f"{current} {piece}" if current else piece
            if text_width(candidate) <= width:
                current = candidate
            else:
                if current:
                    lines.append(current)
                current = piece
    if current:
        lines.append(current)
    return lines or [""]


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns (right-aligned for numbers)."""
    space = " " * max(width - text_width(text), 0)
    return space + text if right else text + space


def draw_table(headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int],
               numeric: set[int]) -> list[str]:
    """A table in the chosen column ``widths``: cells wrapped, a rule under the headers."""
    out: list[str] = []

    def emit(cells: Sequence[str]) -> None:
        wrapped = [wrap(c, widths[i]) for i, c in enumerate(cells)]
        for k in range(max(len(w) for w in wrapped)):
            parts = [pad(w[k] if k < len(w) else "", widths[i], right=i in numeric)
                     for i, w in enumerate(wrapped)]
            out.append((" " * GAP).join(parts).rstrip())

    emit(headers)
    out.append((" " * GAP).join("-" * w for w in widths))
    for cells in rows:
        emit(cells)
    return out
