"""Layout shared by the report writers (agenda, outcomes, fidelity): for plain text, terminal
widths, word wrap and drawing a table once its column widths are chosen; for HTML, the page
opening, the shared stylesheet and the table."""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Collection, Sequence
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


# ---------------------------------------------------------------- HTML pages

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
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .8rem; font-size: .95rem; }
th, td { border: 1px solid #c8c8c8; padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #eef2f8; }
td.num, th.num { text-align: right; }
tr.alert td { background: #fdecea; }
ul { margin: .3rem 0 .8rem; padding-left: 1.4rem; }
li { margin: $li_margin 0; }
$extra
@page { margin: 14mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; color: #000; border-color: #000; }
  h3 { break-after: avoid; page-break-after: avoid; }
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


def html_text(text: object) -> str:
    """Any value as escaped HTML text on one line."""
    return html.escape(one_line(text), quote=True)


def html_page_start(title: str, css: str) -> list[str]:
    """The lines that open a self-contained report page, up to its ``<h1>`` title."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html_text(title)}</title>",
        "<style>",
        css,
        "</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{html_text(title)}</h1>",
    ]


def html_table(headers: Sequence[object], rows: Sequence[Sequence[object]],
               numeric: Collection[int] = (), alerts: Collection[int] = ()) -> list[str]:
    """A report table as HTML lines: ``numeric`` column numbers align right, ``alerts`` row
    numbers are marked (class ``alert``)."""
    def cls(i: int) -> str:
        return ' class="num"' if i in numeric else ""

    out = ["<table>", "<thead><tr>" + "".join(
        f"<th{cls(i)}>{html_text(h)}</th>" for i, h in enumerate(headers)) + "</tr></thead>",
        "<tbody>"]
    for k, row in enumerate(rows):
        tr = '<tr class="alert">' if k in alerts else "<tr>"
        out.append(tr + "".join(f"<td{cls(i)}>{html_text(c)}</td>" for i, c in enumerate(row))
                   + "</tr>")
    return out + ["</tbody>", "</table>"]
