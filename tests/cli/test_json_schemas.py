"""Every JSON output validates against the JSON Schema shipped for it (ips_tui/schemas/), on the
demo caseload and on the hand-worked fixtures, redacted or not, us and uk, empty or full."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator, ValidationError

from ips_tui import schemas
from ips_tui.cli import cli

TODAY = "2026-12-01"


def output(*args: str) -> object:
    result = CliRunner().invoke(cli, [*args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def validate(name: str, data: object) -> None:
    Draft202012Validator(schemas.schema(name)).validate(data)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("schemas") / "demo.db")
    result = CliRunner().invoke(cli, ["demo", "--db", db, "--today", TODAY, "--no-open"])
    assert result.exit_code == 0, result.output
    for client_id, day, more in (("C0001", "2026-12-01", ["--time", "10:00", "--note", "CV"]),
                                 ("C0002", "2026-11-30", []), ("C0003", "2026-12-02", [])):
        planned = CliRunner().invoke(cli, ["plan", client_id, day, "--db", db, *more])
        assert planned.exit_code == 0, planned.output
    return db


def test_every_schema_is_a_valid_draft_2020_12_schema():
    for name in schemas.NAMES:
        Draft202012Validator.check_schema(schemas.schema(name))


@pytest.mark.parametrize("args", [
    ("reminders", "--within", "30"),
    ("reminders", "--within", "0", "--specialist", "Maria Lopez"),
    ("agenda",),
    ("agenda", "--redact"),
    ("outcomes", "--report", "us"),
    ("outcomes", "--report", "uk"),
    ("outcomes", "--report", "uk", "--month", "2026-11"),
    ("fidelity",),
    ("appointments", "--from", "2026-11-01", "--to", "2026-12-31"),
    ("today",),
])
def test_demo_outputs_validate(demo, args):
    data = output(*args, "--db", demo, "--today", TODAY)
    validate(args[0], data)
    assert data  # something was checked, not an empty document


def test_hand_worked_outputs_validate(outcome_db):
    for report in ("us", "uk"):
        validate("outcomes", output("outcomes", "--db", str(outcome_db), "--quarter", "2026Q3",
                                    "--report", report))
    validate("fidelity", output("fidelity", "--db", str(outcome_db), "--quarter", "2026Q3"))


def test_an_empty_database_validates(fresh_location):
    db = str(fresh_location("empty"))
    CliRunner().invoke(cli, ["check", "--db", db])  # creates nothing: open without data
    from ips_tui.store.db import close_store, open_store

    open_store(db)
    close_store()
    for name in ("reminders", "agenda", "outcomes", "fidelity", "appointments", "today"):
        validate(name, output(name, "--db", db, "--today", TODAY))


def test_a_renamed_or_retyped_key_fails_validation(demo):
    """The schemas can fail: a key renamed, a date in another format, an unknown figure."""
    agenda = output("agenda", "--db", demo, "--today", TODAY)
    assert isinstance(agenda, dict)
    renamed = copy.deepcopy(agenda)
    renamed["meeting"] = renamed.pop("meeting_date")
    reformatted = copy.deepcopy(agenda)
    reformatted["meeting_date"] = "01/12/2026"
    for bad in (renamed, reformatted):
        with pytest.raises(ValidationError):
            validate("agenda", bad)
    outcomes = output("outcomes", "--db", demo, "--today", TODAY)
    assert isinstance(outcomes, dict)
    outcomes["figures"]["made_up"] = 1
    with pytest.raises(ValidationError):
        validate("outcomes", outcomes)
