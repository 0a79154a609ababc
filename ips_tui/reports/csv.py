"""The one CSV writer: every CSV the program writes (the reports' and the interchange export)
goes through here, so the spreadsheet formula guard is in one place.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or their
full-width forms ``＝ ＋ － ＠`` (possibly after apostrophes), gets one leading apostrophe, so a
spreadsheet shows it instead of running it; the interchange import takes exactly one off again
(:func:`unneutralise`), so every value survives an export and import. Numbers are written as
numbers (a report's -3 stays a number). No control character from the data is written: each is
a '?' (newlines and tabs, which notes may hold, stay inside their quoted cell).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO

from ips_tui.output import LINE_BREAKS, replace_controls
from ips_tui.reports.layout import one_line

#: What a cell may start with that a spreadsheet would run as a formula (LibreOffice also runs
#: the full-width forms; a leading tab or carriage return hides the sign from a reader).
_STARTS_FORMULA = "[=+\\-@\t\r\uff1d\uff0b\uff0d\uff20]"
_FORMULA = re.compile("'*" + _STARTS_FORMULA)
_NEUTRALISED = re.compile("'+" + _STARTS_FORMULA)


def neutralise(text: str) -> str:
    """A text value as written to a CSV cell: spreadsheets must not run it as a formula."""
    return "'" + text if _FORMULA.match(text) else text


def unneutralise(cell: str) -> str:
    """A CSV cell as read: undo :func:`neutralise` (and the apostrophe a person typed)."""
    return cell[1:] if _NEUTRALISED.match(cell) else cell


def _no_controls(cell: object) -> object:
    return replace_controls(cell, "?", keep=LINE_BREAKS) if isinstance(cell, str) else cell


def report_cell(value: object) -> object:
    """A report's cell: numbers as they are (up to 4 decimals), yes/no, nothing for None, and
    text on one line, never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 4)
    if isinstance(value, int):
        return value
    return neutralise(one_line(value))


def plain_cell(value: object) -> object:
    """A cell as it is (nothing for None), text only kept from running as a formula: for values
    that must reach other programs exactly, such as names with joiners in them."""
    if value is None:
        return ""
    return neutralise(value) if isinstance(value, str) else value


def write(fh: IO[str], header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A header row and ``rows`` of ready cells into ``fh`` (opened with ``newline=""``); any
    control character left in a text cell is written as '?'."""
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow([_no_controls(h) for h in header])
    writer.writerows([_no_controls(c) for c in row] for row in rows)


def records(fields: Sequence[str], rows: Iterable[Mapping[str, object]],
            cell: Callable[[object], object] = report_cell) -> str:
    """CSV text: a header of ``fields``, then one row per mapping, each value made a ``cell``
    (a field a mapping lacks is left empty)."""
    buf = io.StringIO()
    write(buf, fields, ([cell(row.get(f)) for f in fields] for row in rows))
    return buf.getvalue()
