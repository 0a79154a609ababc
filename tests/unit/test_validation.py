"""ips_tui.validation: every field kind, required values, limits, control characters, cross-field
checks, unknown fields, partial cleaning and split_ids."""

from __future__ import annotations

import datetime as dt

import pytest

from ips_tui import vocab
from ips_tui.validation import (
    MAX_LONG,
    MAX_SHORT,
    RULES,
    Field,
    FieldError,
    ValidationError,
    clean,
    clean_value,
    parse_bool,
    parse_date,
    parse_number,
    quoted,
    rule_for,
    split_ids,
)

ID = Field("x", "id")
TEXT = Field("x", "text")
LONG = Field("x", "long")
DATE = Field("x", "date")
BOOL = Field("x", "bool")
NUMBER = Field("x", "number", minimum=0, maximum=168)
CHOICE = Field("x", "choice", choices=("a", "b"))
EMAIL = Field("x", "email")


def error_of(rule: Field, raw: object) -> str:
    with pytest.raises(ValueError) as info:
        clean_value(rule, raw)
    return str(info.value)


def fields_in_error(cleaned) -> list[str]:
    return [e.field for e in cleaned.errors]


def client(**over):
    raw = {"client_id": "C0001", "last_name": "Zeller", "specialist": "Sam Ortiz",
           "stage": "engaged"}
    raw.update(over)
    return raw


# ------------------------------------------------------------------ ids

@pytest.mark.parametrize("raw", ["C0001", "c1", "A.b_c-d/e", "9"])
def test_id_accepts_letters_digits_and_punctuation(raw):
    assert clean_value(ID, raw) == raw


@pytest.mark.parametrize("raw", ["C 1", "-C1", ".x", "C1!", "C1,C2", "Ç1"])
def test_id_rejects_spaces_and_odd_characters(raw):
    assert "is not a valid id" in error_of(ID, raw)


def test_id_is_stripped_before_checking():
    assert clean_value(ID, "  C0007  ") == "C0007"


# ------------------------------------------------------------------ text and long text

def test_text_is_stripped_and_empty_means_no_value():
    assert clean_value(TEXT, "  Ana  ") == "Ana"
    assert clean_value(TEXT, "   ") is None
    assert clean_value(TEXT, None) is None


def test_text_turns_non_strings_into_text():
    assert clean_value(TEXT, 42) == "42"


def test_text_length_limit_is_max_short():
    assert clean_value(TEXT, "a" * MAX_SHORT) == "a" * MAX_SHORT
    message = error_of(TEXT, "a" * (MAX_SHORT + 1))
    assert f"{MAX_SHORT + 1}" in message and f"limit is {MAX_SHORT}" in message


def test_long_length_limit_is_max_long():
    assert clean_value(LONG, "a" * MAX_LONG) == "a" * MAX_LONG
    assert "limit is 10,000" in error_of(LONG, "a" * (MAX_LONG + 1))
    # A short field's limit does not apply to long text.
    assert clean_value(LONG, "b" * (MAX_SHORT + 1)) == "b" * (MAX_SHORT + 1)


def test_escape_character_in_a_name_is_rejected():
    message = error_of(TEXT, "Ana\x1b[31m")
    assert "control character" in message and "U+001B" in message


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x7f", "\u202e", "\n", "\t"])
def test_one_line_text_rejects_control_characters_and_newlines(bad):
    assert "control character" in error_of(TEXT, f"ab{bad}cd")


def test_long_text_allows_newlines_and_tabs_but_not_escapes():
    note = "Line one\nLine two\n\tindented"
    assert clean_value(LONG, note) == note
    # Windows and old Mac line ends become one convention (exports must read back the same).
    assert clean_value(LONG, "one\r\ntwo\rthree") == "one\ntwo\nthree"
    assert "U+001B" in error_of(LONG, "Line one\n\x1b[2J")
    assert "U+0000" in error_of(LONG, "nul\x00")


def test_long_text_keeps_inner_spacing_but_trims_the_ends():
    assert clean_value(LONG, "\n  two  spaces\n\n") == "two  spaces"


def test_zero_width_joiner_is_allowed_in_names():
    # Needed for some scripts and emoji; it is format category but harmless.
    assert clean_value(TEXT, "a\u200db") == "a\u200db"


# ------------------------------------------------------------------ dates

def test_date_accepts_iso_text_and_date_objects():
    assert clean_value(DATE, "2026-11-23") == dt.date(2026, 11, 23)
    assert clean_value(DATE, dt.date(2026, 11, 23)) == dt.date(2026, 11, 23)
    value = clean_value(DATE, dt.datetime(2026, 11, 23, 14, 30))
    assert value == dt.date(2026, 11, 23) and type(value) is dt.date


@pytest.mark.parametrize("raw", ["23/11/2026", "2026-11-31", "20261123", "2026-1-1", "today"])
def test_date_rejects_other_forms_and_impossible_days(raw):
    assert "YYYY-MM-DD" in error_of(DATE, raw)


def test_date_outside_the_supported_years_is_rejected():
    assert "outside 1900-2100" in error_of(DATE, "1899-12-31")
    assert "outside 1900-2100" in error_of(DATE, "2101-01-01")
    assert clean_value(DATE, "1900-01-01") == dt.date(1900, 1, 1)
    assert clean_value(DATE, "2100-12-31") == dt.date(2100, 12, 31)


@pytest.mark.parametrize("raw", ["2026-W01-1", "2026W011", "2026-330"])
def test_date_rejects_iso_week_and_ordinal_dates(raw):
    # Regression: date.fromisoformat (3.11+) accepts these, and '2026-W01-1' is 10 characters,
    # so it used to be stored as 2025-12-29.
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date(raw)
    assert "YYYY-MM-DD" in error_of(DATE, raw)


# ------------------------------------------------------------------ booleans

@pytest.mark.parametrize("raw, expected", [
    ("yes", True), ("Y", True), ("TRUE", True), ("1", True), (True, True), (1, True),
    ("no", False), ("n", False), ("False", False), ("0", False), (False, False), (0, False),
])
def test_bool_accepts_yes_no_forms(raw, expected):
    assert clean_value(BOOL, raw) is expected


@pytest.mark.parametrize("raw", ["maybe", "2", "on"])
def test_bool_rejects_other_words(raw):
    assert "is not yes or no" in error_of(BOOL, raw)


def test_parse_bool_directly():
    assert parse_bool(" Yes ") is True
    with pytest.raises(ValueError):
        parse_bool("")


def test_bool_empty_takes_the_default():
    assert clean_value(Field("x", "bool", default=True), "") is True
    assert clean_value(Field("x", "bool", default=False), None) is False


# ------------------------------------------------------------------ numbers

def test_number_accepts_text_and_numbers():
    assert clean_value(NUMBER, "20") == 20.0
    assert clean_value(NUMBER, " 12.5 ") == 12.5
    assert clean_value(NUMBER, 7) == 7.0


def test_number_bounds_are_inclusive():
    assert clean_value(NUMBER, "0") == 0.0
    assert clean_value(NUMBER, "168") == 168.0
    assert "at least 0" in error_of(NUMBER, "-1")
    assert "at most 168" in error_of(NUMBER, "168.5")


@pytest.mark.parametrize("raw", ["twelve", "nan", "inf", "-inf", "1,5", True])
def test_number_rejects_non_numbers(raw):
    assert "not a number" in error_of(NUMBER, raw)


@pytest.mark.parametrize("raw", [
    "1_000", "1_0", "\u0661\u0662\u0663",  # Arabic-Indic digits
    "\uff11\uff12",  # full-width digits
    "\u0967\u0968",  # Devanagari digits
    "+5", "--5", "- 5", "5 0", "1e3", "1E3", "0x10", "12.", ".5", "1.2.3", "12,50", "\u00bd",
    "Infinity",
])
def test_number_is_plain_ascii_digits_with_an_optional_decimal_part(raw):
    """Python's float() reads all of these; a number typed in a form or a CSV cell may not."""
    message = error_of(NUMBER, raw)
    assert "is not a number: use digits with an optional decimal point, like 12 or 12.50" in message
    assert message.startswith("'") and len(message) < 140


@pytest.mark.parametrize("raw, number", [("0", 0.0), ("007", 7.0), ("12.50", 12.5),
                                         (" 40 ", 40.0), ("168.0", 168.0)])
def test_plain_numbers_are_read(raw, number):
    assert clean_value(NUMBER, raw) == number
    assert parse_number(raw.strip()) == number


def test_a_minus_sign_is_read_and_the_minimum_says_why_it_is_refused():
    assert clean_value(Field("x", "number"), "-2.5") == -2.5
    assert error_of(NUMBER, "-1") == "must be at least 0"


def test_a_huge_value_is_quoted_at_most_60_characters():
    for rule in (NUMBER, DATE, BOOL):
        message = error_of(rule, "9" * 130_000)
        assert message.startswith("'" + "9" * 59 + "\u2026' is ")
        assert len(message) < 120
    assert error_of(CHOICE, "z" * 150).startswith("'" + "z" * 59 + "\u2026' is not one of")
    assert quoted("x" * 60) == "'" + "x" * 60 + "'"
    assert quoted("x" * 61) == "'" + "x" * 59 + "\u2026'"


# ------------------------------------------------------------------ choices and email

def test_choice_must_be_one_of_the_choices_ignoring_case():
    assert clean_value(CHOICE, "a") == "a"
    assert clean_value(CHOICE, "A") == "a"  # as a person types it, stored as the choice
    message = error_of(CHOICE, "C")
    assert "'C' is not one of: a, b" == message


def test_stage_choices_are_the_vocabulary():
    rule = rule_for("client", "stage")
    assert rule.choices == vocab.STAGES
    for stage in vocab.STAGES:
        assert clean_value(rule, stage) == stage
    # the app's own words, ignoring case, spacing, hyphens and underscores
    for said, stage in (("Closed", "closed"), ("Job search", "job_search"), ("JOB-SEARCH", "job_search"),
                        (" job  search ", "job_search")):
        assert clean_value(rule, said) == stage
    assert "not one of" in error_of(rule, "Shut")


@pytest.mark.parametrize("raw", ["ana@example.org", "a.b+c@mail.example.co.uk"])
def test_email_accepts_addresses(raw):
    assert clean_value(EMAIL, raw) == raw


@pytest.mark.parametrize("raw", ["ana", "ana@example", "ana @example.org", "@example.org",
                                 "ana@@example.org"])
def test_email_rejects_non_addresses(raw):
    assert "is not an email address" in error_of(EMAIL, raw)


# ------------------------------------------------------------------ required values

@pytest.mark.parametrize("raw", [None, "", "   "])
def test_required_field_without_a_value(raw):
    assert error_of(Field("x", "text", required=True), raw) == "is required"


def test_clean_reports_every_missing_required_field():
    cleaned = clean("client", {})
    assert not cleaned.ok
    assert sorted(fields_in_error(cleaned)) == ["client_id", "last_name", "specialist", "stage"]
    assert all(e.message == "is required" for e in cleaned.errors)


# ------------------------------------------------------------------ whole records

def test_clean_client_types_values_and_fills_defaults():
    cleaned = clean("client", client(referral_date="2026-10-01", discuss="yes"))
    assert cleaned.ok, cleaned.errors
    values = cleaned.values
    assert values["referral_date"] == dt.date(2026, 10, 1)
    assert values["discuss"] is True
    assert values["first_name"] is None
    # every rule has a value after a full clean
    assert set(values) == {r.name for r in RULES["client"]}


def test_clean_job_defaults_competitive_to_true():
    cleaned = clean("job", {"job_id": "J1", "client_id": "C1", "title": "Cook",
                            "start_date": "2026-01-05"})
    assert cleaned.ok
    assert cleaned.values["competitive"] is True
    assert cleaned.values["end_date"] is None


def test_all_errors_are_reported_not_only_the_first():
    cleaned = clean("client", client(email="nope", stage="lost", referral_date="soon"))
    assert sorted(fields_in_error(cleaned)) == ["email", "referral_date", "stage"]


def test_unknown_fields_are_errors():
    cleaned = clean("client", client(nickname="Ana"))
    assert [str(e) for e in cleaned.errors] == ["nickname: is not a field of client"]
    cleaned = clean("client_contact", {"client_id": "C1", "date": "2026-01-01",
                                       "specialist": "Sam", "mode": "phone", "colour": "red"})
    assert [str(e) for e in cleaned.errors] == ["colour: is not a field of client contact"]


def test_validation_error_carries_every_problem():
    errors = [FieldError("a", "is required"), FieldError("b", "is not a number")]
    exc = ValidationError(errors)
    assert exc.errors == errors
    assert str(exc) == "a: is required; b: is not a number"


def test_rule_for_unknown_field():
    assert rule_for("job", "title").required
    with pytest.raises(KeyError):
        rule_for("job", "salary")


# ------------------------------------------------------------------ cross-field checks

def test_job_end_before_start_is_an_error():
    base = {"job_id": "J1", "client_id": "C1", "title": "Cook", "start_date": "2026-03-10"}
    cleaned = clean("job", {**base, "end_date": "2026-03-09"})
    assert [e.field for e in cleaned.errors] == ["end_date"]
    assert "before the start date 2026-03-10" in cleaned.errors[0].message
    assert clean("job", {**base, "end_date": "2026-03-10"}).ok  # same day is fine


def test_client_closed_before_referral_is_an_error():
    cleaned = clean("client", client(stage="closed", referral_date="2026-05-01",
                                     closed_date="2026-04-30"))
    assert [e.field for e in cleaned.errors] == ["closed_date"]
    assert "before the referral date 2026-05-01" in cleaned.errors[0].message
    assert clean("client", client(stage="closed", referral_date="2026-05-01",
                                  closed_date="2026-05-01")).ok


def test_closed_date_without_closed_stage_is_an_error():
    cleaned = clean("client", client(stage="engaged", closed_date="2026-05-01"))
    assert [str(e) for e in cleaned.errors] == ["closed_date: is set but the stage is not closed"]
    # Closing needs a date everywhere (the form, the store, an import).
    undated = clean("client", client(stage="closed"))
    assert [(e.field, e.rule) for e in undated.errors] == [("closed_date", "client.closed_undated")]
    assert clean("client", client(stage="closed", closed_date="2026-05-01")).ok


def test_cross_check_is_skipped_for_a_field_that_is_already_wrong():
    cleaned = clean("job", {"job_id": "J1", "client_id": "C1", "title": "Cook",
                            "start_date": "2026-03-10", "end_date": "2026-02-30"})
    assert [e.field for e in cleaned.errors] == ["end_date"]
    assert "YYYY-MM-DD" in cleaned.errors[0].message


# ------------------------------------------------------------------ partial cleaning

def test_partial_checks_only_given_fields():
    cleaned = clean("client", {"phone": " 555-0199 "}, partial=True)
    assert cleaned.ok
    assert cleaned.values == {"phone": "555-0199"}


def test_partial_still_checks_the_given_fields_and_unknown_names():
    cleaned = clean("employer", {"name": "", "email": "x", "size": "big"}, partial=True)
    assert sorted(fields_in_error(cleaned)) == ["email", "name", "size"]


def test_partial_skips_cross_checks():
    # Only a full record can be cross-checked; the store merges before checking updates.
    cleaned = clean("client", {"stage": "engaged", "closed_date": "2026-01-01"}, partial=True)
    assert cleaned.ok


# ------------------------------------------------------------------ split_ids

@pytest.mark.parametrize("text, expected", [
    (None, []),
    ("", []),
    ("C0001", ["C0001"]),
    ("C0001;C0002", ["C0001", "C0002"]),
    (" C0002 ; ;C0001;C0002; ", ["C0002", "C0001"]),
    (";;", []),
])
def test_split_ids(text, expected):
    assert split_ids(text) == expected
