"""Reporting periods: calendar quarters and months, as the outcome and fidelity reports use them.

A *period* is a calendar quarter (``2026Q3``) or month (``2026-10``), first and last day
included. With no period asked for, a report is for the last complete quarter before today
(:func:`default_period`; the day is passed in, never read from a clock).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "PERIOD_KINDS",
    "TREND_PERIODS",
    "Period",
    "parse_period",
    "default_period",
]

#: The kinds of period a report covers.
PERIOD_KINDS: tuple[str, ...] = ("quarter", "month")
#: How many periods the trend shows: the period asked for and the ones before it.
TREND_PERIODS = 8

_FIRST_YEAR = 1900
_LAST_YEAR = 2999
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar quarter or month; ``number`` is the quarter (1-4) or the month (1-12)."""

    kind: str  # "quarter" | "month"
    year: int
    number: int

    def __post_init__(self) -> None:
        if self.kind not in PERIOD_KINDS:
            raise ValueError(f"unknown period kind '{self.kind}'")
        top = 4 if self.kind == "quarter" else 12
        if not 1 <= self.number <= top:
            raise ValueError(f"a {self.kind} number runs from 1 to {top}")

    @property
    def start(self) -> date:
        month = (self.number - 1) * 3 + 1 if self.kind == "quarter" else self.number
        return date(self.year, month, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """``2026Q3`` or ``2026-10``: the form the command line takes."""
        if self.kind == "quarter":
            return f"{self.year}Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def title(self) -> str:
        """``Q3 2026 (July to September)`` or ``October 2026``."""
        if self.kind == "quarter":
            first = _MONTH_NAMES[(self.number - 1) * 3]
            last = _MONTH_NAMES[(self.number - 1) * 3 + 2]
            return f"Q{self.number} {self.year} ({first} to {last})"
        return f"{_MONTH_NAMES[self.number - 1]} {self.year}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> Period:
        top = 4 if self.kind == "quarter" else 12
        if self.number == top:
            return Period(self.kind, self.year + 1, 1)
        return Period(self.kind, self.year, self.number + 1)

    def previous(self) -> Period:
        top = 4 if self.kind == "quarter" else 12
        if self.number == 1:
            return Period(self.kind, self.year - 1, top)
        return Period(self.kind, self.year, self.number - 1)

    def trend(self, count: int = TREND_PERIODS) -> tuple[Period, ...]:
        """This period and the ``count - 1`` before it, oldest first."""
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        return tuple(reversed(periods))

    @classmethod
    def containing(cls, day: date, kind: str = "quarter") -> Period:
        if kind == "quarter":
            return cls("quarter", day.year, (day.month - 1) // 3 + 1)
        return cls("month", day.year, day.month)

    def __str__(self) -> str:
        return self.label


_QUARTER = re.compile(r"(\d{4})-?Q([1-4])", re.IGNORECASE)
_QUARTER_LIKE = re.compile(r"(\d{4})-?Q(\d+)", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def _year(year: int, text: str) -> int:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise ValueError(f"'{text}': the year must be from {_FIRST_YEAR} to {_LAST_YEAR}")
    return year


def parse_period(text: str, kind: str | None = None) -> Period:
    """A quarter (``2026Q3``, ``2026-Q3``) or a month (``2026-10``) from what a person typed.

    ``kind`` limits what is accepted ("quarter" or "month"); ValueError says what is expected.
    """
    raw = text.strip()
    if kind in (None, "quarter"):
        match = _QUARTER.fullmatch(raw)
        if match:
            return Period("quarter", _year(int(match[1]), text), int(match[2]))
        if _QUARTER_LIKE.fullmatch(raw):
            raise ValueError(f"'{text}' is not a quarter: the quarter is Q1, Q2, Q3 or Q4")
    if kind in (None, "month"):
        match = _MONTH.fullmatch(raw)
        if match:
            month = int(match[2])
            if not 1 <= month <= 12:
                raise ValueError(f"'{text}' is not a month: the month is 01 to 12")
            return Period("month", _year(int(match[1]), text), month)
    expected = {
        "quarter": "a quarter such as 2026Q3",
        "month": "a month such as 2026-10",
        None: "a quarter such as 2026Q3 or a month such as 2026-10",
    }[kind]
    raise ValueError(f"'{text}' is not {expected}")


def default_period(today: date) -> Period:
    """The last complete quarter before ``today`` (the quarter before the one containing it)."""
    return Period.containing(today, "quarter").previous()
