"""Formatting one value for a table cell, and keeping the cursor on its row across a refill."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import DataTable

from ips_tui.domain.reminders import Reminder, short_label
from ips_tui.output import terminal_safe
from ips_tui.tui.widgets.table import Table

if TYPE_CHECKING:
    pass


def safe(value: object) -> str:
    """Any stored text, made safe to draw (no raw control characters)."""
    return terminal_safe("" if value is None else str(value))


def clip(text: str | None, width: int) -> str:
    """Free text on one line, cut at a word boundary to ``width`` with an ellipsis."""
    flat = " ".join(safe(text).split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1].rsplit(" ", 1)[0] if " " in flat[: width - 1] else flat[: width - 1]
    return cut + "…"


#: With fewer cells than this left for the notes (80 columns), a log names each contact's
#: specialist by initials, in a column "By": a note must stay long enough to recognise.
NOTES_AT_LEAST = 40


def initials(name: str) -> str:
    """``Maria Lopez`` -> ``ML`` (at most three letters)."""
    return "".join(word[0] for word in name.split())[:3].upper()


def column_width(head: str, cells: list[str]) -> int:
    """How wide a DataTable column of ``cells`` under ``head`` is drawn, its padding included."""
    from rich.cells import cell_len

    return max([cell_len(head), *map(cell_len, cells)]) + 2


def days_ago_text(day: dt.date | None, today: dt.date) -> str:
    """'today', '1 d ago', '12 d ago', or 'never' (short: it sits in narrow columns)."""
    if day is None:
        return "never"
    days = (today - day).days
    if days == 0:
        return "today"
    if days < 0:
        return f"in {-days} d"
    return f"{days} d ago"


def plan_text(day: dt.date, time: str | None, today: dt.date) -> str:
    """When an appointment is, briefly: "today 10:00", "Thu 10:00", "3 Dec" further ahead."""
    when = ("today" if day == today else "tomorrow" if (day - today).days == 1
            else f"{day:%a}" if 0 < (day - today).days < 7 else f"{day.day} {day:%b}")
    return f"{when} {time}" if time else when


def reminder_cell(rem: Reminder | None, today: dt.date, error_color: str,
                  plan: tuple[dt.date, str | None] | None = None) -> Text:
    """A reminder as a short cell: kind and when; overdue says so in words and colour. The
    appointment planned for it (or, with no reminder, the client's next one: ``plan``) follows
    as "planned Thu 10:00"."""
    if rem is not None and rem.planned is not None:
        plan = (rem.planned, rem.planned_time)
    planned = f"planned {plan_text(plan[0], plan[1], today)}" if plan is not None else ""
    if rem is None:
        return Text(planned) if planned else Text("—", style="dim")
    label = short_label(rem.kind)
    days = (rem.due - today).days
    if days < 0:
        cell = Text(f"OVERDUE {label} · {-days} d", style=f"bold {error_color}")
    elif days == 0:
        cell = Text(f"{label} · TODAY", style="bold")
    else:
        cell = Text(f"{label} · in {days} d")
    if planned and rem.planned is not None:
        cell.append(f" · {planned}", style="not bold")
    return cell


def selected_key(table: DataTable[Any]) -> str | None:
    """The row key under the cursor, or None for an empty table."""
    if table.row_count == 0:
        return None
    try:
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
    except Exception:
        return None
    return None if row_key.value is None else str(row_key.value)


def move_cursor_to(table: DataTable[Any], key: str | None, fallback_row: int | None = None) -> None:
    """Put the cursor back on the row with ``key``; if it has gone, stay near where it was.
    Call it after filling the table: the new rows are measured first, so the table is
    painted once, already scrolled to the cursor."""
    if isinstance(table, Table):
        table.measure_now()
    if key is not None:
        try:
            table.move_cursor(row=table.get_row_index(key))
            return
        except Exception:
            pass
    if fallback_row is not None and table.row_count:
        table.move_cursor(row=min(fallback_row, table.row_count - 1))


def cursor_state(table: DataTable[Any]) -> tuple[str | None, int]:
    """The highlighted row's key and index, to restore after refilling the table."""
    return selected_key(table), table.cursor_row
