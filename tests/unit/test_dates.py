"""ips_tui.dates.parse_user_date: the date forms people type, resolved against a given today."""

from __future__ import annotations

import datetime as dt

import pytest

from ips_tui.dates import as_pendulum, days_ago, parse_user_date, plain

D = dt.date


@pytest.mark.parametrize("text, expected", [
    ("2026-11-23", D(2026, 11, 23)),
    ("2024-02-29", D(2024, 2, 29)),      # a real leap day
    (" 2026-01-05 ", D(2026, 1, 5)),     # surrounding spaces are ignored
    ("today", D(2026, 11, 23)),
    ("TODAY", D(2026, 11, 23)),
    ("t", D(2026, 11, 23)),
    ("0d", D(2026, 11, 23)),
    ("yesterday", D(2026, 11, 22)),
    ("y", D(2026, 11, 22)),
    ("tomorrow", D(2026, 11, 24)),
    ("-3d", D(2026, 11, 20)),
    ("+3d", D(2026, 11, 26)),
    ("+10d", D(2026, 12, 3)),            # across a month end
    ("- 3 d", D(2026, 11, 20)),          # spaces inside a relative form
    ("+2w", D(2026, 12, 7)),
    ("-1w", D(2026, 11, 16)),
    ("-1m", D(2026, 10, 23)),
    ("+2m", D(2027, 1, 23)),             # across a year end
])
def test_forms(today, text, expected):
    assert parse_user_date(text, today) == expected


def test_result_is_a_plain_date_not_a_pendulum_date(today):
    for text in ("2026-11-23", "today", "-3d", "+1m", "yesterday"):
        assert type(parse_user_date(text, today)) is dt.date


@pytest.mark.parametrize("today_, expected", [
    (D(2024, 3, 31), D(2024, 2, 29)),    # leap year: clamp to Feb 29
    (D(2023, 3, 31), D(2023, 2, 28)),    # common year: clamp to Feb 28
    (D(2026, 5, 31), D(2026, 4, 30)),    # 31 -> 30-day month
    (D(2026, 3, 15), D(2026, 2, 15)),    # no clamping needed
])
def test_month_steps_clamp_to_the_month_end(today_, expected):
    assert parse_user_date("-1m", today_) == expected


def test_forward_month_step_clamps_too():
    assert parse_user_date("+1m", D(2025, 1, 31)) == D(2025, 2, 28)
    assert parse_user_date("+1m", D(2028, 1, 31)) == D(2028, 2, 29)


def test_relative_forms_never_read_the_clock():
    # The same text means the same day for the same `today`, whatever the real date is.
    assert parse_user_date("-3d", D(2001, 1, 2)) == D(2000, 12, 30)


@pytest.mark.parametrize("text", ["next tuesday", "", "  ", "-3", "3d", "-3x", "+1y",
                                  "23/11/2026", "2026/11/23", "2026-1-5", "20261123",
                                  "-12345d", "2026-11-23T10:00",
                                  "-\u0663d", "+\uff13w", "\u0662\u0660\u0662\u0666-11-23"])
def test_invalid_text_raises_a_readable_value_error(today, text):
    with pytest.raises(ValueError) as info:
        parse_user_date(text, today)
    message = str(info.value)
    assert "use YYYY-MM-DD, today, yesterday or -3d" in message
    assert f"'{text}'" in message


@pytest.mark.parametrize("text", ["2023-02-29", "2026-02-30", "2026-13-01", "2026-00-10",
                                  "2026-04-31"])
def test_impossible_dates_raise_a_readable_value_error(today, text):
    with pytest.raises(ValueError) as info:
        parse_user_date(text, today)
    assert str(info.value) == f"'{text}' is not a real date"


def test_helpers(today):
    assert days_ago(D(2026, 11, 20), today) == 3
    assert days_ago(D(2026, 11, 30), today) == -7
    assert days_ago(None, today) is None
    p = as_pendulum(today).add(months=1)
    assert plain(p) == D(2026, 12, 23) and type(plain(p)) is dt.date
