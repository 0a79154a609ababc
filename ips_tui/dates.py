"""Dates as people type them: ``YYYY-MM-DD``, ``today``, ``yesterday``, ``tomorrow``, ``-3d``, ``+2w``.

Relative forms are resolved against a ``today`` the caller passes in (never the clock), so the
same text means the same day in tests and in the app. pendulum does the parsing and arithmetic.
"""

from __future__ import annotations

import datetime as dt
import re

import pendulum

_RELATIVE = re.compile(r"^([+-])\s*([0-9]{1,4})\s*([dwm])$")
_UNITS = {"d": "days", "w": "weeks", "m": "months"}


def as_pendulum(day: dt.date) -> pendulum.Date:
    """A pendulum Date for arithmetic (month steps clamp to the month's end)."""
    return pendulum.Date(day.year, day.month, day.day)


def plain(day: dt.date) -> dt.date:
    """A plain datetime.date (pendulum dates are a subclass; keep values uniform)."""
    return dt.date(day.year, day.month, day.day)


def parse_user_date(text: str, today: dt.date) -> dt.date:
    """Parse a typed date; raise ValueError with a message that says what is accepted."""
    raw = text.strip().lower()
    if raw in ("today", "t", "0d"):
        return plain(today)
    if raw in ("yesterday", "y"):
        return plain(as_pendulum(today).subtract(days=1))
    if raw == "tomorrow":
        return plain(as_pendulum(today).add(days=1))
    match = _RELATIVE.match(raw)
    if match:
        sign, amount, unit = match.groups()
        step = {_UNITS[unit]: int(amount)}
        moved = as_pendulum(today).add(**step) if sign == "+" else as_pendulum(today).subtract(**step)
        return plain(moved)
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
        try:
            parsed = pendulum.parse(raw, exact=True, strict=True)
        except (ValueError, pendulum.parsing.exceptions.ParserError):
            raise ValueError(f"'{text}' is not a real date") from None
        if isinstance(parsed, dt.date):
            return plain(parsed)
    raise ValueError(f"'{text}' is not a date: use YYYY-MM-DD, today, yesterday or -3d")


def days_ago(day: dt.date | None, today: dt.date) -> int | None:
    """Whole days from ``day`` to ``today`` (None for no date)."""
    if day is None:
        return None
    return (today - day).days
