"""How the reports write values: days, counts, hours, money, shares, bars and sparklines.

English day names whatever the locale; every function returns text, never None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LONG_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Characters of a 100% bar in a bar list.
BAR_WIDTH = 25
_BLOCKS = " ▏▎▍▌▋▊▉█"
_SPARKS = "▁▂▃▄▅▆▇█"


def day(d: dt.date | None) -> str:
    """``Tue 2024-05-14``, or '' for None."""
    return "" if d is None else f"{DAY_NAMES[d.weekday()]} {d.isoformat()}"


def long_day(d: dt.date) -> str:
    """``Tuesday 2024-05-14``."""
    return f"{LONG_DAY_NAMES[d.weekday()]} {d.isoformat()}"


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 job``, ``3 jobs`` (``many`` for an irregular plural)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def hours(value: float | None) -> str:
    """Hours as few digits as they need (``37.5``), '' for None."""
    return "" if value is None else f"{value:g}"


def money(value: float | None) -> str:
    """An amount with two decimals, '' for None."""
    return "" if value is None else f"{value:.2f}"


def number(value: float | None, decimals: int = 1) -> str:
    """At most ``decimals`` decimals, no trailing zeros; ``n/a`` for None."""
    if value is None:
        return "n/a"
    return f"{value:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:.0f}"


def pct(value: float | None) -> str:
    """A share as a percentage with at most one decimal (``41.4%``), ``n/a`` for None."""
    return "n/a" if value is None else number(value * 100) + "%"


def bar(value: float | None, width: int = BAR_WIDTH) -> str:
    """A horizontal bar for a share (100% = ``width`` characters), in eighths of a character."""
    if value is None:
        return ""
    eighths = round(max(0.0, min(value, 1.0)) * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (_BLOCKS[part] if part else "")


def sparkline(values: Sequence[float | None]) -> str:
    """One character per value, scaled from the lowest to the highest (· for no value)."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    out = []
    for v in values:
        if v is None:
            out.append("·")
        elif high - low < 1e-9:
            out.append(_SPARKS[len(_SPARKS) // 2])
        else:
            out.append(_SPARKS[round((v - low) / (high - low) * (len(_SPARKS) - 1))])
    return "".join(out)
