"""Rules across fields and records (ips_tui.validation), held alike by the store's writes, the
import and `ips-tui check` (the forms' side is in test_app.py).

The seeded caseload (conftest): C0003 Cara is engaged (referred 2026-10-15); C0004 Dev is closed
on 2026-06-30 with no reason; J0001 is Ana's current job from 2026-11-02.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ips_tui import interchange as ix
from ips_tui.store import models as m
from ips_tui.store import writes
from ips_tui.store.check import run_checks
from ips_tui.validation import (
    CLOSED_UNDATED,
    NEEDED_TO_CLOSE,
    NEEDED_TO_END,
    ValidationError,
    change_errors,
    closing_errors,
    ending_errors,
    record_errors,
    record_warnings,
    related_warnings,
)

TODAY = dt.date(2026, 11, 23)
D = dt.date


def findings(where: str) -> list[str]:
    return [f"{f.severity}: {f.message}" for f in run_checks(TODAY) if f.where == where]


def import_rows(tmp_path: Path, name: str, text: str, **kwargs: object) -> list[str]:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    try:
        ix.import_paths([folder / name], **kwargs)  # type: ignore[arg-type]
    except ix.ImportFailed as exc:
        return exc.errors
    return []


# ---------------------------------------------------------------- the rules, over plain values

def test_closing_needs_a_closed_date_and_a_reason():
    assert [(e.field, e.message) for e in closing_errors({"stage": "closed"})] == [
        ("closed_reason", NEEDED_TO_CLOSE), ("closed_date", NEEDED_TO_CLOSE)]
    assert closing_errors({"stage": "closed", "closed_date": D(2026, 11, 1),
                           "closed_reason": "Moved away"}) == []
    assert closing_errors({"stage": "closed", "closed_date": D(2026, 11, 1),
                           "closed_reason": "  "})[0].field == "closed_reason"
    assert closing_errors({"stage": "engaged"}) == []


def test_ending_a_job_needs_an_end_date_not_before_the_start():
    assert [(e.field, e.message) for e in ending_errors({"end_reason": "Moved"})] == [
        ("end_date", NEEDED_TO_END)]
    early = ending_errors({"start_date": D(2026, 11, 2), "end_date": D(2026, 11, 1)})
    assert [str(e) for e in early] == ["end_date: 2026-11-01 is before the start date 2026-11-02"]
    assert ending_errors({"start_date": D(2026, 11, 2), "end_date": D(2026, 11, 2)}) == []


def test_change_rules_apply_to_the_change_not_to_what_was_there():
    open_client = {"stage": "engaged", "closed_date": None}
    closed = {"stage": "closed", "closed_date": None}
    assert [e.field for e in change_errors("client", open_client, closed)] == ["closed_date"]
    assert change_errors("client", closed, {**closed, "phone": "1"}) == []  # was closed already
    job = {"start_date": D(2026, 1, 5), "end_date": None, "end_reason": None}
    assert [e.field for e in change_errors("job", job, {**job, "end_reason": "Moved"})] == [
        "end_date"]
    given = {**job, "end_reason": "Moved"}
    assert change_errors("job", given, {**given, "title": "x"}) == []  # the reason was there


def test_a_closed_client_has_a_closed_date_in_every_record():
    assert [(e.field, e.message, e.rule) for e in record_errors("client", {"stage": "closed"})] == [
        ("closed_date", NEEDED_TO_CLOSE, CLOSED_UNDATED)]
    assert record_errors("client", {"stage": "closed", "closed_date": D(2026, 1, 1)}) == []


def test_warnings_for_unlikely_dates_and_what_happened_after_closing():
    referred = {"stage": "engaged", "referral_date": D(2026, 3, 1)}
    assert [e.message for e in record_warnings(
        "client", {**referred, "benefits_planning_date": D(2025, 3, 1)})] == [
        "benefits planning was offered (2025-03-01) before the referral date (2026-03-01)"]
    assert record_warnings("client", {**referred, "benefits_planning_date": D(2026, 3, 1)}) == []
    closed = {"stage": "closed", "closed_date": D(2026, 6, 30)}
    jobs = [{"job_id": "J1", "start_date": D(2026, 7, 1), "end_date": D(2026, 8, 1)},
            {"job_id": "J2", "start_date": D(2026, 1, 1), "end_date": D(2026, 6, 30)}]
    contacts = [D(2026, 6, 30), D(2026, 7, 2), D(2026, 7, 9)]
    assert [e.message for e in related_warnings(closed, jobs, contacts)] == [
        "job J1 starts (2026-07-01) after the closed date (2026-06-30)",
        "has 2 contact(s) after the closed date (2026-06-30), the latest on 2026-07-09"]
    assert related_warnings({**closed, "stage": "employed"}, jobs, contacts) == []


def test_warnings_for_records_stored_without_what_a_change_needs():
    assert [e.message for e in record_warnings("job", {"end_reason": "Moved"})] == [
        "has an end reason but no end date"]
    jobs = [{"job_id": "J1", "end_date": None}, {"job_id": "J2", "end_date": D(2026, 1, 1)}]
    assert [e.message for e in related_warnings({"stage": "closed"}, jobs)] == [
        "is closed but job J1 has no end date"]
    assert related_warnings({"stage": "employed"}, jobs) == []
    assert [e.rule for e in record_errors("job", {"start_date": D(2026, 1, 2),
                                                  "end_date": D(2026, 1, 1)})] == [
        "job.ends_before_start"]


# ---------------------------------------------------------------- store writes

def test_the_store_refuses_closing_a_client_without_a_closed_date(seeded):
    with pytest.raises(ValidationError) as info:
        writes.update_client("C0003", {"stage": "closed"}, 1)
    assert [str(e) for e in info.value.errors] == [f"closed_date: {NEEDED_TO_CLOSE}"]
    assert m.Client.get_by_id("C0003").stage == "engaged"
    # A client closed already (without a reason, before the rule) can still be edited.
    assert writes.update_client("C0004", {"phone": "555-0199"}, 1) == 2


def test_the_store_refuses_an_end_reason_without_an_end_date(seeded):
    with pytest.raises(ValidationError) as info:
        writes.update_job("J0001", {"end_reason": "Moved away"}, 1)
    assert [str(e) for e in info.value.errors] == [f"end_date: {NEEDED_TO_END}"]
    assert m.Job.get_by_id("J0001").end_reason is None
    with pytest.raises(ValidationError) as info:
        writes.update_job("J0001", {"end_date": "2026-11-01", "end_reason": "Moved"}, 1)
    assert [e.field for e in info.value.errors] == ["end_date"]  # before the start
    assert writes.update_job("J0001", {"end_date": "2026-11-21", "end_reason": "Moved"}, 1) == 2


# ---------------------------------------------------------------- import

def test_import_update_refuses_closing_without_a_closed_date(seeded, tmp_path):
    errors = import_rows(tmp_path, "clients.csv",
                         "client_id,last_name,specialist,stage\nC0003,Moss,Kim Park,closed\n",
                         update=True)
    assert [e.split(": ", 1)[1] for e in errors] == [
        f"closed_date: {NEEDED_TO_CLOSE} (with the values in the database)"]
    assert m.Client.get_by_id("C0003").stage == "engaged"
    # With the column there and empty, the row itself is refused.
    errors = import_rows(tmp_path, "clients.csv",
                         "client_id,last_name,specialist,stage,closed_date\n"
                         "C0003,Moss,Kim Park,closed,\n", update=True)
    assert [e.split(": ", 1)[1] for e in errors] == [f"closed_date: {NEEDED_TO_CLOSE}"]


def test_import_of_a_closed_client_without_a_reason_is_a_warning(seeded, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "clients.csv").write_text(
        "client_id,last_name,specialist,stage,closed_date,closed_reason\n"
        "C0100,Ray,Sam Ortiz,closed,2026-11-01,\n"
        "C0101,Roe,Sam Ortiz,closed,2026-11-01,Moved away\n", encoding="utf-8")
    summary = ix.import_paths([folder / "clients.csv"])
    assert summary.warnings == [
        f"{folder / 'clients.csv'}:2: closed_reason: client C0100 is closed without a reason"]
    assert "clients.csv:2: closed_reason" in str(summary)
    assert m.Client.get_by_id("C0100").stage == "closed"  # imported all the same


def test_import_update_refuses_an_end_reason_without_an_end_date(seeded, tmp_path):
    errors = import_rows(tmp_path, "jobs.csv",
                         "job_id,client_id,title,start_date,end_reason\n"
                         "J0001,C0001,Housekeeper,2026-11-02,Moved away\n", update=True)
    assert [e.split(": ", 1)[1] for e in errors] == [
        f"end_date: {NEEDED_TO_END} (with the values in the database)"]


def test_new_records_missing_what_a_change_needs_are_imported_and_check_warns(seeded, tmp_path):
    # Records made elsewhere are taken as they are (the interchange files are a contract) ...
    assert import_rows(tmp_path, "jobs.csv",
                       "job_id,client_id,title,start_date,end_reason\n"
                       "J0100,C0002,Porter,2026-10-01,Moved away\n") == []
    # ... and `check` points them out.
    assert findings("job J0100") == ["warning: has an end reason but no end date"]


def test_import_refuses_a_closed_client_without_a_closed_date(seeded, tmp_path):
    errors = import_rows(tmp_path, "clients.csv",
                         "client_id,last_name,specialist,stage\nC0100,Ray,Sam Ortiz,closed\n")
    assert [e.split(": ", 1)[1] for e in errors] == [f"closed_date: {NEEDED_TO_CLOSE}"]
    assert m.Client.get_or_none(m.Client.client_id == "C0100") is None


def test_a_client_closed_without_a_date_before_the_rule_is_a_warning_and_stays_editable(seeded):
    m.database.execute_sql("update client set closed_date = null where client_id = 'C0004'")
    assert findings("client C0004 (Dev Adams)") == ["warning: is closed without a closed date"]
    assert writes.update_client("C0004", {"phone": "555-0199"}, 1) == 2
    with pytest.raises(ValidationError):  # but staying closed without a date is not a change
        writes.update_client("C0004", {"stage": "closed", "closed_reason": "Moved"}, 2)
    assert writes.update_client("C0004", {"closed_date": "2026-06-30"}, 2) == 3
    assert findings("client C0004 (Dev Adams)") == []


# ---------------------------------------------------------------- check

def test_check_reports_the_record_rules_broken_behind_the_apps_back(seeded):
    assert run_checks(TODAY) == []  # Dev, closed with a date but no reason, is not a finding
    m.database.execute_sql("update client set closed_date = '2026-01-01' where client_id = 'C0004'")
    m.database.execute_sql("update client set closed_date = '2026-11-01' where client_id = 'C0003'")
    m.database.execute_sql("update job set end_date = '2026-01-01' where job_id = 'J0001'")
    assert findings("client C0004 (Dev Adams)") == [
        "error: was closed (2026-01-01) before the referral date (2026-01-05)"]
    assert findings("client C0003 (Cara Moss)") == ["error: has a closed date (2026-11-01) but is not closed"]
    assert findings("job J0001") == ["error: ends (2026-01-01) before it starts (2026-11-02)"]


def test_check_warns_of_a_closed_client_with_a_job_that_never_ended(seeded):
    writes.update_client("C0001", {"stage": "closed", "closed_date": "2026-11-20",
                                   "closed_reason": "Moved"}, 1)
    assert findings("client C0001 (Ana Zeller)") == ["warning: is closed but job J0001 has no end date"]


def test_the_stage_rule_over_jobs():
    from ips_tui.domain.facts import Job
    from ips_tui.domain.stage_rules import stage_issue

    started = Job("J1", "C1", start_date=D(2026, 11, 2), title="Porter")
    upcoming = Job("J2", "C1", start_date=D(2026, 12, 1))
    ends_today = Job("J3", "C1", start_date=D(2026, 1, 2), end_date=TODAY)
    sheltered = Job("J4", "C1", start_date=D(2026, 11, 2), competitive=False)
    assert stage_issue("C1", "employed", [ends_today], TODAY).suggested == "job_search"
    assert stage_issue("C1", "employed", [upcoming], TODAY) is None  # an offer accepted
    issue = stage_issue("C1", "job_search", [started], TODAY)
    assert (issue.suggested, issue.job_id, issue.reason) == (
        "employed", "J1", "Job search, but holds a competitive job (Porter J1, since 2026-11-02)")
    assert stage_issue("C1", "engaged", [upcoming, ends_today, sheltered], TODAY) is None
    assert stage_issue("C1", "education", [started], TODAY) is None
    assert stage_issue("C1", "closed", [], TODAY) is None
