"""Field rules for every record, in one place: the store, the CSV import and the app's forms use them.

A rule set turns raw values (text typed in a form or read from a CSV cell, or already-typed Python
values) into clean typed values, and reports every problem as a :class:`FieldError` naming the
field and saying why in words a specialist understands. Nothing here touches the database: rules
that need it (a specialist or client that must exist) live in the store and use the same error type.

Rules across fields and records (a job does not end before it starts; closing a client needs a
closed date and a reason; ending a job needs an end date; a closed client has no job left open)
are functions over plain values here too, applied alike by the forms, the store's writes, the
import and ``ips-tui check`` (see "rules across fields and records" below).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from ips_tui import vocab
from ips_tui.output import LINE_BREAKS, first_control_character

#: Limits that keep a pasted novel or a binary blob out of the database.
MAX_SHORT = 200
MAX_LONG = 10_000
MIN_YEAR, MAX_YEAR = 1900, 2100
#: A value quoted in a message is cut to this many characters (a pasted page is not echoed).
MAX_QUOTED = 60

_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-/]*$")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: A number as typed: plain ASCII digits, an optional decimal part, an optional leading minus.
_NUMBER_RE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_TIME_RE = re.compile(r"(\d{1,2})[:.](\d{2})")


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: ``field`` is the column/form field name."""

    field: str
    message: str
    #: Which rule across fields or records was broken ("" for a single field's rule), so that
    #: ``ips-tui check`` can word it as a finding; not part of the error's identity.
    rule: str = dataclasses.field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ValidationError(Exception):
    """Raised by the store when values break the rules; carries every problem, not only the first."""

    def __init__(self, errors: list[FieldError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class Field:
    """The rule for one field.

    kind: ``id``, ``text`` (one line), ``long`` (multi-line), ``date``, ``bool``, ``number``,
    ``choice`` (one of ``choices``), ``email``, ``time`` (a time of day, kept as ``HH:MM``).
    """

    name: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    default: object = None
    label: str = ""
    max_length: int | None = None  # overrides the kind's usual limit

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()


@dataclass
class Cleaned:
    """The outcome of cleaning a record: typed values for the fields given, and the errors."""

    values: dict[str, object] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _control_char(text: str, allow_newlines: bool) -> str | None:
    # The program's one definition of a control character (ips_tui.output).
    return first_control_character(text, LINE_BREAKS if allow_newlines else "")


#: A weekday before a date, as the app and its reports show dates ("Tue 2026-11-24",
#: "Tuesday 2026-11-24"), in English whatever the locale.
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LONG_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_RE = re.compile(r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+(?=\d)", re.IGNORECASE)


def shorten(text: str, limit: int = MAX_QUOTED) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis when it was longer."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def quoted(value: object) -> str:
    """A value as a message quotes it: in single quotes, at most MAX_QUOTED characters."""
    return f"'{shorten(str(value))}'"


def parse_number(text: str) -> float:
    """Parse a number as people type it in a form or a CSV cell: ASCII digits with an optional
    decimal part after a single ``.``, and an optional leading ``-`` (the field's minimum says
    whether a negative number is allowed, in words). Anything else Python would read is refused:
    ``1_000``, ``1,5``, ``+5``, ``1e3``, ``nan``, Arabic-Indic or full-width digits."""
    if not _NUMBER_RE.fullmatch(text):
        raise ValueError(f"{quoted(text)} is not a number: use digits with an optional decimal "
                         "point, like 12 or 12.50")
    number = float(text)
    if number == float("inf") or number == float("-inf"):
        raise ValueError(f"{quoted(text)} is too large a number")
    return number


def parse_date(text: str) -> dt.date:
    """Parse an ISO calendar date ``YYYY-MM-DD``, also as the app shows dates, after a weekday
    ("Tue 2026-11-24"); raise ValueError with a readable message."""
    said = _WEEKDAY_RE.match(text.strip()) if text[:1].isalpha() else None
    if said is not None:
        text = text.strip()[said.end():]
    if not _DATE_RE.fullmatch(text):
        raise ValueError(f"{quoted(text)} is not a date in the form YYYY-MM-DD")
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{quoted(text)} is not a date in the form YYYY-MM-DD") from None
    if said is not None and _WEEKDAYS[value.weekday()] != said.group(1).casefold():
        raise ValueError(f"{value.isoformat()} is a {_LONG_WEEKDAYS[value.weekday()]}, not a "
                         f"{shorten(said.group(0).strip(' .,'))}")
    return value


def parse_time(raw: object) -> str:
    """A time of day as ``HH:MM`` (24-hour) from ``9:30``, ``09.30`` or a ``datetime.time``;
    ValueError says what is accepted."""
    if isinstance(raw, dt.time):
        return f"{raw.hour:02d}:{raw.minute:02d}"
    match = _TIME_RE.fullmatch(str(raw).strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError(f"{quoted(raw)} is not a time of day in the form HH:MM")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _choice_key(text: str) -> str:
    return "_".join(re.split(r"[\s_-]+", text.strip().casefold()))


def choice_of(text: str, choices: Iterable[str]) -> str | None:
    """The choice ``text`` names in the app's own words or the stored ones, ignoring case,
    spacing, hyphens and underscores ("Job search", "JOB-SEARCH" and "job_search" are
    ``job_search``; "In person" is ``in_person``); None when it names none."""
    key = _choice_key(text)
    for choice in choices:
        if key in (_choice_key(choice), _choice_key(vocab.label(choice))):
            return choice
    return None


def parse_bool(text: str) -> bool:
    """Parse yes/no (also y/n, true/false, 1/0), case-insensitively."""
    low = text.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError(f"{quoted(text)} is not yes or no")


def clean_value(rule: Field, raw: object) -> object:
    """Turn one raw value into its typed value, or raise ValueError saying why it is wrong.

    Empty text and None mean "no value" and return the rule's default.
    """
    if isinstance(raw, str):
        raw = raw.strip() if rule.kind != "long" else raw.strip("\r\n\t ")
        if raw == "":
            raw = None
    if raw is None:
        if rule.required:
            raise ValueError("is required")
        return rule.default
    kind = rule.kind
    if kind in ("text", "id", "long", "email", "choice"):
        if not isinstance(raw, str):
            raw = str(raw)
        if kind == "long":  # one newline convention, so every export reads back the same
            raw = raw.replace("\r\n", "\n").replace("\r", "\n")
        if not raw.isascii():  # ASCII text is always valid UTF-8
            try:
                raw.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("contains a character that is not valid text; retype it") \
                    from None
        limit = rule.max_length or (MAX_LONG if kind == "long" else MAX_SHORT)
        if len(raw) > limit:
            raise ValueError(f"is {len(raw):,} characters long; the limit is {limit:,}")
        if not raw.isprintable():  # no control character is printable
            bad = _control_char(raw, allow_newlines=(kind == "long"))
            if bad is not None:
                raise ValueError(f"contains a control character (U+{ord(bad):04X}); remove it")
        if kind == "id" and not _ID_RE.match(raw):
            raise ValueError(
                f"{quoted(raw)} is not a valid id: use letters, digits and . _ - / (no spaces)"
            )
        if kind == "email" and not _EMAIL_RE.match(raw):
            raise ValueError(f"{quoted(raw)} is not an email address")
        if kind == "choice" and raw not in rule.choices:
            found = choice_of(raw, rule.choices)
            if found is None:
                raise ValueError(f"{quoted(raw)} is not one of: {', '.join(rule.choices)}")
            return found
        return raw
    if kind == "time":
        return parse_time(raw)
    if kind == "date":
        if isinstance(raw, dt.datetime):
            raw = raw.date()
        if isinstance(raw, dt.date):
            value = dt.date(raw.year, raw.month, raw.day)
        else:
            value = parse_date(str(raw))
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise ValueError(f"{value.isoformat()} is outside {MIN_YEAR}-{MAX_YEAR}")
        return value
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        return parse_bool(str(raw))
    if kind == "number":
        if isinstance(raw, bool):
            raise ValueError("is not a number")
        if isinstance(raw, (int, float)):
            try:
                number = float(raw)
            except OverflowError:
                raise ValueError(f"{quoted(raw)} is not a number") from None
        else:
            number = parse_number(str(raw))  # text, as typed: the one place numbers are read
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"{quoted(raw)} is not a number")
        if rule.minimum is not None and number < rule.minimum:
            raise ValueError(f"must be at least {rule.minimum:g}")
        if rule.maximum is not None and number > rule.maximum:
            raise ValueError(f"must be at most {rule.maximum:g}")
        return number
    raise AssertionError(f"unknown field kind {kind!r}")


# The rule sets. Names are the interchange CSV columns (a contract) and the model fields.

SPECIALIST = (
    Field("name", "text", required=True),
    Field("email", "email"),
    Field("active", "bool", default=True),
)

CLIENT = (
    Field("client_id", "id", required=True, label="Client id"),
    Field("first_name", "text"),
    Field("last_name", "text", required=True),
    Field("specialist", "text", required=True),
    Field("referral_date", "date"),
    Field("start_date", "date", label="Start date (first meeting)"),
    Field("stage", "choice", required=True, choices=vocab.STAGES),
    Field("closed_date", "date"),
    Field("closed_reason", "long"),
    Field("phone", "text"),
    Field("email", "email"),
    Field("job_goal", "long"),
    Field("job_types", "long"),
    Field("preferred_hours", "text"),
    Field("transport", "long"),
    Field("disclosure", "choice", choices=vocab.DISCLOSURE_CHOICES),
    Field("benefits_planning", "choice", choices=vocab.BENEFITS_PLANNING_CHOICES),
    Field("benefits_planning_date", "date", label="Benefits planning offered on"),
    Field("next_step", "long"),
    Field("discuss", "bool", default=False, label="Discuss at team meeting"),
    Field("discuss_note", "long"),
    Field("notes", "long"),
    Field("mh_practitioner", "text", label="Mental-health practitioner"),
    Field("mh_team", "text", label="Mental-health team"),
)

EMPLOYER = (
    Field("employer_id", "id", required=True, label="Employer id"),
    Field("name", "text", required=True),
    Field("industry", "text"),
    Field("contact_name", "text"),
    Field("phone", "text"),
    Field("email", "email"),
    Field("address", "long"),
    Field("notes", "long"),
)

JOB = (
    Field("job_id", "id", required=True, label="Job id"),
    Field("client_id", "id", required=True, label="Client id"),
    Field("employer_id", "id", label="Employer id"),
    Field("title", "text", required=True),
    Field("start_date", "date", required=True),
    Field("end_date", "date"),
    Field("hours_per_week", "number", minimum=0, maximum=168),
    Field("hourly_wage", "number", minimum=0, maximum=10_000),
    Field("competitive", "bool", default=True),
    Field("end_reason", "long"),
)

CLIENT_CONTACT = (
    Field("client_id", "id", required=True, label="Client id"),
    Field("date", "date", required=True),
    Field("specialist", "text", required=True),
    Field("mode", "choice", required=True, choices=vocab.MODES),
    Field("location", "choice", choices=vocab.LOCATIONS),
    Field("attempted", "bool", default=False, label="Attempt (did not reach the person)"),
    Field("notes", "long"),
)

EMPLOYER_CONTACT = (
    Field("employer_id", "id", required=True, label="Employer id"),
    Field("date", "date", required=True),
    Field("specialist", "text", required=True),
    Field("mode", "choice", required=True, choices=vocab.MODES),
    Field("client_ids", "text", label="On behalf of (client ids)", max_length=MAX_LONG),
    Field("hiring_manager", "bool", default=False, label="Met the hiring manager"),
    Field("notes", "long"),
)

REVIEW = (
    Field("review_id", "id", required=True, label="Review id"),
    Field("date", "date", required=True, label="Review date"),
    Field("period", "text", required=True, label="Period (2026Q3 or 2026-10)", max_length=7),
    Field("participants", "text", label="Who took part", max_length=MAX_LONG),
    Field("notes", "long"),
)

REVIEW_ITEM = (
    Field("review_id", "id", required=True, label="Review id"),
    Field("number", "number", required=True, minimum=1, maximum=25, label="Item"),
    Field("key", "text"),
    Field("computed_score", "number", minimum=1, maximum=5, label="Score from the records"),
    Field("score", "number", minimum=1, maximum=5, label="Team's score"),
    Field("figure", "long"),
    Field("evidence", "long"),
    Field("note", "long"),
    Field("override_reason", "long", label="Why the team's score replaces the records'"),
    Field("owner", "text", label="Action owner"),
    Field("due", "date", label="Action due"),
)

APPOINTMENT = (
    Field("client_id", "id", required=True, label="Client id"),
    Field("date", "date", required=True),
    Field("time", "time", label="Time (HH:MM)"),
    Field("mode", "choice", choices=vocab.MODES, default="in_person"),
    Field("location", "text", label="Where"),
    Field("specialist", "text", required=True),
    Field("status", "choice", choices=vocab.APPOINTMENT_STATUSES, default="planned"),
    Field("notes", "long"),
)

TEAM_CONTACT = (
    Field("client_id", "id", required=True, label="Client id"),
    Field("date", "date", required=True),
    Field("specialist", "text", required=True),
    Field("who", "text", label="With (practitioner, or team meeting)"),
    Field("notes", "long"),
)

RULES: dict[str, tuple[Field, ...]] = {
    "specialist": SPECIALIST,
    "client": CLIENT,
    "employer": EMPLOYER,
    "job": JOB,
    "client_contact": CLIENT_CONTACT,
    "employer_contact": EMPLOYER_CONTACT,
    "review": REVIEW,
    "review_item": REVIEW_ITEM,
    "appointment": APPOINTMENT,
    "team_contact": TEAM_CONTACT,
}


def rule_for(entity: str, name: str) -> Field:
    """The rule for one field of one entity (KeyError if there is none)."""
    for rule in RULES[entity]:
        if rule.name == name:
            return rule
    raise KeyError(f"{entity}.{name}")


# ---------------------------------------------------------------- rules across fields and records
#
# Each rule is a function over plain values (a record as a mapping of field names to typed
# values), so the forms, the store's writes, the import and ``ips-tui check`` apply the same one.
# Three kinds, by what existing records may already hold:
#
# * record rules (:func:`record_errors`) hold for every stored record: refused everywhere.
# * change rules (:func:`change_errors`) hold for the app's acts on a record (closing a client,
#   ending a job): refused by the forms, by the store's updates and by ``import --update``, while
#   records made whole (created, imported new) may lack them; ``check`` reports those that do
#   (:func:`record_warnings`).
# * :func:`closing_errors` and :func:`ending_errors` are the full rules the forms for those acts
#   apply before they save.

CLOSED = "closed"
NEEDED_TO_CLOSE = "is required when closing a client"
NEEDED_TO_END = "is required to end a job"


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def record_errors(entity: str, values: Mapping[str, object]) -> list[FieldError]:
    """Rules over more than one field of one record, that every stored record keeps: a job does
    not end before it starts; a client is not closed before they were referred, and has a closed
    date when, and only when, closed."""
    errors: list[FieldError] = []

    def after(later: str, earlier: str, message: str, rule: str) -> None:
        a, b = values.get(later), values.get(earlier)
        if isinstance(a, dt.date) and isinstance(b, dt.date) and a < b:
            errors.append(FieldError(later, message.format(a=a, b=b), rule))

    if entity == "job":
        after("end_date", "start_date", "{a} is before the start date {b}", "job.ends_before_start")
    elif entity == "client":
        after("closed_date", "referral_date", "{a} is before the referral date {b}",
              "client.closed_before_referral")
        if values.get("stage") != CLOSED and values.get("closed_date") is not None:
            errors.append(FieldError("closed_date", "is set but the stage is not closed",
                                     "client.closed_date_but_open"))
        if values.get("stage") == CLOSED and values.get("closed_date") is None:
            errors.append(FieldError("closed_date", NEEDED_TO_CLOSE, CLOSED_UNDATED))
    elif entity == "review":
        errors.extend(_review_errors(values))
    elif entity == "review_item":
        errors.extend(_review_item_errors(values))
    return errors


_PERIOD_RE = re.compile(r"\d{4}(Q[1-4]|-(0[1-9]|1[0-2]))")


def _review_errors(values: Mapping[str, object]) -> list[FieldError]:
    """A review's period is a quarter (2026Q3) or a month (2026-10)."""
    period = values.get("period")
    if isinstance(period, str) and not _PERIOD_RE.fullmatch(period):
        return [FieldError("period", f"{quoted(period)} is not a quarter (2026Q3) or a month (2026-10)",
                           "review.period")]
    return []


def _review_item_errors(values: Mapping[str, object]) -> list[FieldError]:
    """An item is one of the scale's 25 (its key, when given, the number's); scores are whole
    numbers; a team's score replacing a computed one says why (both are kept)."""
    from ips_tui.domain.review_scale import BY_NUMBER

    errors: list[FieldError] = []
    for name in ("number", "computed_score", "score"):
        value = values.get(name)
        if isinstance(value, float) and not value.is_integer():
            errors.append(FieldError(name, f"{value:g} is not a whole number", "review.whole"))
    number = values.get("number")
    key = values.get("key")
    if isinstance(number, float) and number.is_integer() and key \
            and BY_NUMBER[int(number)].key != key:
        errors.append(FieldError("key", f"{quoted(key)} is not item {int(number)} "
                                 f"({BY_NUMBER[int(number)].key})", "review.key"))
    if values.get("score") is not None and values.get("computed_score") is not None \
            and _empty(values.get("override_reason")):
        errors.append(FieldError("override_reason", "is required when the team's score replaces "
                                 "the score from the records", "review.override_reason"))
    return errors


#: The record rule that rows stored before it may still break: ``ips-tui check`` reports those
#: as warnings, and an update that leaves the closed date alone may keep them (store/writes.py).
CLOSED_UNDATED = "client.closed_undated"


def closing_errors(values: Mapping[str, object]) -> list[FieldError]:
    """Closing a client (stage ``closed``) needs a closed date and a reason."""
    if values.get("stage") != CLOSED:
        return []
    return [FieldError(name, NEEDED_TO_CLOSE, f"client.closing_without_{name}")
            for name in ("closed_reason", "closed_date") if _empty(values.get(name))]


def ending_errors(values: Mapping[str, object]) -> list[FieldError]:
    """Ending a job needs an end date (the end date must not be before the start date)."""
    if _empty(values.get("end_date")):
        return [FieldError("end_date", NEEDED_TO_END, "job.ending_undated")]
    return record_errors("job", values)


def change_errors(entity: str, before: Mapping[str, object],
                  after: Mapping[str, object]) -> list[FieldError]:
    """Rules on changing a stored record from ``before`` to ``after`` (whole records).

    A client moved to ``closed`` needs a closed date; a job given an end reason needs an end
    date. (The reason for closing is asked by the app's form but not required here: records and
    callers of the store that close a client without one predate the rule.)
    """
    if entity == "client":
        if (before.get("stage") != CLOSED and after.get("stage") == CLOSED
                and after.get("closed_date") is None):
            return [FieldError("closed_date", NEEDED_TO_CLOSE, "client.closing_undated")]
    elif entity == "job":
        if (not _empty(after.get("end_reason")) and after.get("end_reason") != before.get("end_reason")
                and after.get("end_date") is None):
            return [FieldError("end_date", NEEDED_TO_END, "job.ending_undated")]
    return []


def record_warnings(entity: str, values: Mapping[str, object]) -> list[FieldError]:
    """What the change rules would have refused, in a record that is stored anyway (made before
    the rule, imported, or created whole), and dates that are allowed but unlikely (benefits
    planning offered before the referral): ``ips-tui check`` reports these as warnings."""
    if entity == "client":
        offered, referred = values.get("benefits_planning_date"), values.get("referral_date")
        if isinstance(offered, dt.date) and isinstance(referred, dt.date) and offered < referred:
            return [FieldError("benefits_planning_date",
                               f"benefits planning was offered ({offered}) before the referral "
                               f"date ({referred})", "client.benefits_before_referral")]
        return []
    if entity == "job" and not _empty(values.get("end_reason")) and values.get("end_date") is None:
        return [FieldError("end_date", "has an end reason but no end date", "job.reason_undated")]
    return []


def related_warnings(client: Mapping[str, object], jobs: Iterable[Mapping[str, object]],
                     contact_dates: Iterable[dt.date] = ()) -> list[FieldError]:
    """Rules across records: a closed client has no job that never ended, no job starting after
    the closed date and no contact after it (``contact_dates``: the client's contacts' dates)."""
    if client.get("stage") != CLOSED:
        return []
    jobs = list(jobs)
    found = [FieldError("stage", f"is closed but job {job.get('job_id')} has no end date",
                        "client.closed_with_open_job")
             for job in jobs if job.get("end_date") is None]
    closed = client.get("closed_date")
    if not isinstance(closed, dt.date):
        return found
    for job in jobs:
        start = job.get("start_date")
        if isinstance(start, dt.date) and start > closed:
            found.append(FieldError("closed_date", f"job {job.get('job_id')} starts ({start}) "
                                    f"after the closed date ({closed})",
                                    "client.job_after_closing"))
    later = sorted(d for d in contact_dates if d > closed)
    if later:
        found.append(FieldError("closed_date", f"has {len(later)} contact(s) after the closed "
                                f"date ({closed}), the latest on {later[-1]}",
                                "client.contact_after_closing"))
    return found


def clean(
    entity: str, raw: Mapping[str, object], *, partial: bool = False
) -> Cleaned:
    """Clean a record of ``entity`` (a key of RULES).

    With ``partial`` only the fields present in ``raw`` are checked (an update of some fields);
    otherwise every field is checked and missing ones take their defaults.
    """
    out = Cleaned()
    rules = RULES[entity]
    known, fast = _compiled(rules)
    values, errors, get = out.values, out.errors, raw.get
    for rule, name, kind, limit, accepted in fast:
        if partial and name not in raw:
            continue
        value = get(name)
        if (value is None or value == "") and not rule.required:
            values[name] = rule.default  # no value: what clean_value gives for none
            continue
        if type(value) is str and kind:
            # The usual cell (plain ASCII, no control character, short enough) checked here
            # in line; anything else, and every problem, goes through clean_value below.
            text = value.strip() if kind != "long" else value.strip("\r\n\t ")
            if text and len(text) <= limit and text.isascii() and text.isprintable():
                if kind == "text" or kind == "long":
                    values[name] = text
                    continue
                if kind == "choice" or kind == "bool":
                    found = accepted.get(text if kind == "choice" else text.lower(), _NOT_FOUND)
                    if found is not _NOT_FOUND:
                        values[name] = found
                        continue
                elif kind == "id":
                    if _ID_RE.match(text):
                        values[name] = text
                        continue
                elif kind == "email":
                    if _EMAIL_RE.match(text):
                        values[name] = text
                        continue
                elif kind == "date" and text[:1].isdigit() and _DATE_RE.fullmatch(text):
                    try:
                        day = dt.date.fromisoformat(text)
                    except ValueError:
                        pass
                    else:
                        if MIN_YEAR <= day.year <= MAX_YEAR:
                            values[name] = day
                            continue
        try:
            values[name] = clean_value(rule, value)
        except ValueError as exc:
            errors.append(FieldError(name, str(exc)))
    if not known.issuperset(raw):
        for name in raw:
            if name not in known:
                errors.append(FieldError(name, f"is not a field of {entity.replace('_', ' ')}"))
    if not partial:
        found = record_errors(entity, values)
        if found:
            bad = {e.field for e in errors}
            errors.extend(e for e in found if e.field not in bad)
    return out


_NOT_FOUND = object()
#: What :func:`clean` checks in line for each rule: (rule, name, kind or "" when none, the
#: length limit, the accepted texts of a choice or yes/no and their values).
_Fast = tuple[Field, str, str, int, dict[str, object]]
_COMPILED: dict[int, tuple[tuple[Field, ...], frozenset[str], tuple[_Fast, ...]]] = {}


def _compiled(rules: tuple[Field, ...]) -> tuple[frozenset[str], tuple[_Fast, ...]]:
    """The names of ``rules`` and their in-line checks, made once per rule set (:func:`clean`
    runs for every row of an import)."""
    cached = _COMPILED.get(id(rules))
    if cached is None or cached[0] is not rules:
        fast: list[_Fast] = []
        for rule in rules:
            kind = rule.kind
            accepted: dict[str, object] = {}
            if kind == "choice":
                accepted = {choice: choice for choice in rule.choices}
            elif kind == "bool":
                accepted = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
            elif kind not in ("text", "long", "id", "email", "date"):
                kind = ""  # numbers and times: clean_value only
            limit = rule.max_length or (MAX_LONG if kind == "long" else MAX_SHORT)
            fast.append((rule, rule.name, kind, limit, accepted))
        cached = _COMPILED[id(rules)] = (rules, frozenset(r.name for r in rules), tuple(fast))
    return cached[1], cached[2]


#: The kinds of record :func:`row_builder` serves: those of the interchange files (the reviews'
#: rows are few).
_BUILT = frozenset({"specialist", "employer", "client", "job", "client_contact",
                    "employer_contact"})
#: Distinct cells remembered per column by a row builder (dates, ids, choices: few distinct).
_CELLS_KEPT = 100_000


def row_builder(entity: str, columns: Sequence[str], *, dates_as_text: bool = False,
                known: Mapping[str, Container[object]] | None = None,
                ) -> Callable[[Sequence[str]], tuple | None] | None:
    """A function that cleans one row of ``entity``, given as its cells in the order of
    ``columns`` (known columns, each once), much faster than :func:`clean`: it returns the
    values of every rule of ``RULES[entity]``, in the rules' order, exactly as ``clean(entity,
    dict(zip(columns, cells)))`` would give them, or None whenever it is not sure (a cell it
    does not know, a cell starting with an apostrophe, which may be a neutralised formula, any
    problem): then the caller reads the row as usual and cleans it with :func:`clean`, which
    finds the problem and words it. With ``dates_as_text`` dates come as ISO text (as SQLite stores
    them). With ``known`` ({column: the values a reference in it may have}), a row whose
    reference is not among them is None as well (``client_ids``: each id of the list). None if
    rows of ``entity`` with these columns cannot be built this way.

    Columns of few distinct values (ids, dates, choices, yes/no, names) are cleaned once per
    distinct cell (by :func:`clean_value`) and remembered; text is checked in line as
    :func:`clean` does. The function is compiled from the rules once per file.
    """
    if entity not in _BUILT or len(set(columns)) != len(columns):
        return None
    at = {column: index for index, column in enumerate(columns)}
    env: dict[str, object] = {"NF": _NOT_FOUND}
    body: list[str] = []
    for n, rule in enumerate(RULES[entity]):
        v = f"v{n}"
        index = at.get(rule.name)
        if index is None:  # the column is not in the file: the rule's value for no value
            try:
                env[f"k{n}"] = _stored(clean_value(rule, None), dates_as_text)
            except ValueError:
                return None
            body.append(f"    {v} = k{n}")
            continue
        cell = f"cells[{index}]"
        if rule.kind == "long" or (rule.kind == "text"
                                   and (rule.max_length or MAX_SHORT) > MAX_SHORT):
            limit = rule.max_length or (MAX_LONG if rule.kind == "long" else MAX_SHORT)
            strip = repr("\r\n\t ") if rule.kind == "long" else ""
            try:
                env[f"e{n}"] = _stored(clean_value(rule, ""), dates_as_text)
                empty = f"{v} = e{n}"
            except ValueError:
                empty = "return None"
            body += [f"    {v} = {cell}",
                     f"    if {v}:",
                     f"        if {v}[0] == \"'\":",  # maybe neutralised: the caller's to read
                     "            return None",
                     f"        {v} = {v}.strip({strip})",
                     f"        if not ({v} and len({v}) <= {limit} and {v}.isascii()"
                     f" and {v}.isprintable()):",
                     "            return None",
                     "    else:",
                     f"        {empty}"]
        else:
            env[f"c{n}"], env[f"learn{n}"] = _remembered(rule, dates_as_text)
            body += [f"    {v} = c{n}.get({cell}, NF)",
                     f"    if {v} is NF:",
                     f"        {v} = learn{n}({cell})",
                     f"        if {v} is NF:",
                     "            return None"]
        if known is not None and rule.name in known:
            env[f"k{n}"] = known[rule.name]
            if rule.name == "client_ids":
                env["known_ids"] = _known_ids
                body += [f"    if {v} and not known_ids({v}, k{n}):", "        return None"]
            else:
                body += [f"    if {v} is not None and {v} not in k{n}:", "        return None"]
    names = ", ".join(f"v{n}" for n in range(len(RULES[entity])))
    body.append(f"    values = ({names},)")
    if entity in ("client", "job"):  # rules across fields (record_errors): any problem, None
        env["record_errors"], env["names"], env["entity"] = record_errors, _names(entity), entity
        body += ["    if record_errors(entity, dict(zip(names, values))):",
                 "        return None"]
    source = "\n".join(["def build(cells):", *body, "    return values"])
    exec(compile(source, f"<row builder for {entity}>", "exec"), env)  # noqa: S102  # our own code, from the rules
    return cast("Callable[[Sequence[str]], tuple | None]", env["build"])


def _known_ids(text: str, known: Container[object]) -> bool:
    """Whether every id of a (stripped, non-empty) ``client_ids`` cell is known."""
    if ";" not in text:  # one id, the usual case
        return text in known
    return all(one in known for one in split_ids(text))


def _names(entity: str) -> tuple[str, ...]:
    return tuple(rule.name for rule in RULES[entity])


def _stored(value: object, dates_as_text: bool) -> object:
    return value.isoformat() if dates_as_text and isinstance(value, dt.date) else value


def _remembered(rule: Field, dates_as_text: bool) -> tuple[dict[str, object],
                                                           Callable[[str], object]]:
    """The cells of one column already cleaned (cell: value), and the function that cleans a
    new one (:func:`clean_value`), remembers it, and gives its value, or _NOT_FOUND if the cell
    is not valid."""
    known: dict[str, object] = {}

    def learn(cell: str) -> object:
        if cell[:1] == "'":  # maybe neutralised (a formula kept from running): the caller's
            return _NOT_FOUND
        try:
            value = _stored(clean_value(rule, cell), dates_as_text)
        except ValueError:
            return _NOT_FOUND
        if len(known) < _CELLS_KEPT:
            known[cell] = value
        return value

    return known, learn


def split_ids(text: str | None) -> list[str]:
    """Split a semicolon-separated id list (``client_ids``), dropping blanks and duplicates."""
    if not text:
        return []
    seen: list[str] = []
    for part in text.split(";"):
        part = part.strip()
        if part and part not in seen:
            seen.append(part)
    return seen
