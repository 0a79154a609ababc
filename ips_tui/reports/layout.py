"""Layout the writers share: for plain text, terminal widths, word wrap, fitting a table's
columns to a width and drawing it; for HTML, the stylesheet every printable report shares."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from string import Template

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


# ---------------------------------------------------------------- plain-text tables


class Grid:
    """A table's text on one line per cell, with what each column allows: right-aligned numbers
    and ``keep`` columns that wrap last."""

    def __init__(self, headers: Sequence[object], rows: Sequence[Sequence[object]],
                 numeric: Sequence[bool], keep: Sequence[bool]):
        self.headers = [one_line(h) for h in headers]
        self.rows = [[one_line(c) for c in r] for r in rows]
        self.numeric = list(numeric)
        self.keep = list(keep)
        self.n = len(self.headers)
        self.natural = [max([text_width(self.headers[i])] + [text_width(r[i]) for r in self.rows])
                        for i in range(self.n)]

    def draw(self, widths: Sequence[int]) -> list[str]:
        """The table in the chosen column ``widths``: cells wrapped, a rule under the headers."""
        out: list[str] = []

        def emit(cells: Sequence[str]) -> None:
            wrapped = [wrap(c, widths[i]) for i, c in enumerate(cells)]
            for k in range(max(len(w) for w in wrapped)):
                parts = [pad(w[k] if k < len(w) else "", widths[i], right=self.numeric[i])
                         for i, w in enumerate(wrapped)]
                out.append((" " * GAP).join(parts).rstrip())

        emit(self.headers)
        out.append((" " * GAP).join("-" * w for w in widths))
        for cells in self.rows:
            emit(cells)
        return out


#: Chooses a table's column widths for the width it has.
Fit = Callable[[Grid, int], list[int]]


def fit_balanced(grid: Grid, available: int) -> list[int]:
    """Columns narrow one step at a time, each step where it adds the fewest lines to the
    table, then to its own cells, then where there is most room. First never below a column's
    longest word (up to 20 columns) and never wrapping dates, ids and numbers; then, if the
    table still does not fit, those too; last, down to 4 columns each."""
    n, natural, rows = grid.n, grid.natural, grid.rows

    def longest_word(i: int) -> int:
        cell_words = [text_width(w) for r in rows for w in r[i].split()] or [0]
        head_words = [text_width(w) for w in grid.headers[i].split()] or [0]
        return max(6, max(head_words), min(max(cell_words), 20))

    soft = [min(natural[i], longest_word(i)) for i in range(n)]
    floors = [
        [natural[i] if grid.keep[i] or grid.numeric[i] else soft[i] for i in range(n)],
        soft,
        [min(natural[i], 4) for i in range(n)],
    ]
    widths = list(natural)
    cells_by_column = [[grid.headers[i]] + [r[i] for r in rows] for i in range(n)]
    cache: dict[tuple[int, int], list[int]] = {}

    def heights(i: int, w: int) -> list[int]:
        if (i, w) not in cache:
            cache[(i, w)] = [len(wrap(c, w)) for c in cells_by_column[i]]
        return cache[(i, w)]

    def total_lines(ws: list[int]) -> int:
        columns = [heights(i, ws[i]) for i in range(n)]
        return sum(max(col[k] for col in columns) for k in range(len(rows) + 1))

    def cost(i: int) -> tuple[int, int, float, int]:
        trial = widths[:i] + [widths[i] - 1] + widths[i + 1:]
        more_cell_lines = sum(heights(i, widths[i] - 1)) - sum(heights(i, widths[i]))
        return (total_lines(trial), more_cell_lines, -widths[i] / natural[i], -widths[i])

    for floor in floors:
        while sum(widths) > available:
            candidates = [i for i in range(n) if widths[i] > floor[i]]
            if not candidates:
                break
            widths[min(candidates, key=cost)] -= 1
    return widths


def fit_widest(grid: Grid, available: int) -> list[int]:
    """The widest text column narrows first, never below 8 columns; numbers never wrap."""
    widths = list(grid.natural)
    while sum(widths) > available:
        shrinkable = [i for i in range(grid.n) if not grid.numeric[i] and widths[i] > 8]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: (widths[i], -i))
        widths[widest] -= 1
    return widths


# ---------------------------------------------------------------- the HTML stylesheet

_REPORT_CSS = Template("""\
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: #1a1a1a; background: #fff; line-height: 1.4; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .5rem; padding-bottom: .2rem;
     border-bottom: 2px solid #2b5797; color: #2b5797; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
p { margin: .3rem 0 .6rem; }
$own
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .8rem; font-size: 1em; }
th, td { border: 1px solid #c8c8c8; padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #eef2f8; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.keep { white-space: nowrap; }
tr.alert td { background: #fdecea; }
ul { margin: .3rem 0 .8rem; padding-left: 1.4rem; }
li { margin: $li_margin 0; }
.detail { display: block; }
$extra
@page { margin: 12mm; }
@media print {
  body { font-size: 9pt; line-height: 1.2; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 14pt; }
  h2 { font-size: 11pt; margin: .7rem 0 .2rem; break-after: avoid; page-break-after: avoid;
       color: #000; border-color: #000; border-bottom-width: 1px; }
  h3 { font-size: 9.5pt; margin: .5rem 0 .15rem; break-after: avoid; page-break-after: avoid; }
  h2 + p, h3 + p { break-after: avoid; page-break-after: avoid; }
  p { margin: .15rem 0 .3rem; orphans: 3; widows: 3; }
  table { margin: .15rem 0 .4rem; }
  th, td { padding: .05rem .3rem; }
  li { margin: .1rem 0; }
  .detail { display: inline; }
  .detail::before { content: " — "; }
  $keep_together { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  th { background: #eee; }
  tr.alert td { background: none; font-weight: 600; }
}""")


def report_css(own: str, li_margin: str, extra: str, keep_together: str) -> str:
    """The stylesheet every printable HTML report shares (screen and print), with a report's
    own rules after the paragraphs (``own``) and after the lists (``extra``)."""
    return _REPORT_CSS.substitute(own=own, li_margin=li_margin, extra=extra,
                                  keep_together=keep_together)
