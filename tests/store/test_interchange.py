"""The interchange CSV import and export (ips_tui.interchange with ips_tui.store.bulk).

Every test gets a fresh database. Bad input is checked against the exact ``FILE:LINE: column:
message`` lines a specialist would see, and "nothing changed" is checked by comparing row counts
and the whole export before and after.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
from pathlib import Path

import pytest
from golden_files import FIXTURES

from ips_tui import interchange as ix
from ips_tui.store import appointments as plans
from ips_tui.store import models as m
from ips_tui.store import writes
from ips_tui.store.db import close_store, open_store

FIXTURE = FIXTURES / "interchange"
MODELS = (m.Specialist, m.Employer, m.Client, m.Job, m.ClientContact, m.EmployerContact,
          m.EmployerContactClient, m.AuditEntry)
COLUMNS_OF = {
    "employers.csv": "employer_id, name, industry, contact_name, phone, email, address, notes",
}


@pytest.fixture
def db(tmp_path, fresh_location):
    """A fresh open database (a file, or a schema on the test server); yields tmp_path."""
    open_store(fresh_location("t"))
    yield tmp_path
    close_store()


def use_new_database(path: Path | str) -> None:
    close_store()
    open_store(path)


def write(folder: Path, name: str, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def counts() -> dict[str, int]:
    return {model.__name__: model.select().count() for model in MODELS}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Export everything and return the files' bytes (the whole database, as the user sees it)."""
    ix.export_dir(folder)
    return {name: (folder / name).read_bytes() for name in ix.FILES}


def failure(paths, **kwargs) -> list[str]:
    with pytest.raises(ix.ImportFailed) as caught:
        ix.import_paths([Path(p) for p in paths], **kwargs)
    return caught.value.errors


def summary_counts(summary: ix.ImportSummary) -> dict[str, tuple[int, int, int]]:
    return {name: (c.added, c.updated, c.skipped) for name, c in summary.files.items()}


# ---------------------------------------------------------------- good imports

def test_fixture_imports_with_the_right_counts(db):
    seen = []
    summary = ix.import_paths([FIXTURE], by="Maria Lopez",
                              progress=lambda done, total: seen.append((done, total)))
    assert summary_counts(summary) == {
        "specialists.csv": (2, 0, 0),
        "employers.csv": (3, 0, 0),
        "clients.csv": (5, 0, 0),
        "jobs.csv": (3, 0, 0),
        "client_contacts.csv": (10, 0, 0),
        "employer_contacts.csv": (4, 0, 0),
    }
    assert (summary.added, summary.updated, summary.skipped) == (27, 0, 0)
    assert "clients.csv: 5 added, 0 updated, 0 unchanged" in str(summary)
    c = counts()
    assert (c["Specialist"], c["Employer"], c["Client"], c["Job"]) == (2, 3, 5, 3)
    assert (c["ClientContact"], c["EmployerContact"], c["EmployerContactClient"]) == (10, 4, 6)
    # Progress (in lines of the files) never goes back and ends at the total.
    lines = sum(len((FIXTURE / name).read_bytes().splitlines()) for name in ix.FILES
                if (FIXTURE / name).exists())
    assert seen and seen[-1][0] == seen[-1][1] == lines == 34
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    client = m.Client.get_by_id("C0002")
    assert client.specialist.name == "Maria Lopez"
    assert (client.referral_date, client.stage, client.discuss) == (dt.date(2024, 2, 19),
                                                                    "job_search", True)
    assert (client.version, client.created_at == client.updated_at) == (1, True)
    assert m.Client.get_by_id("C0003").first_name == "José"
    job = m.Job.get_by_id("J0001")
    assert (job.hours_per_week, job.hourly_wage, job.competitive) == (20.0, 15.5, True)
    assert m.Employer.get_by_id("E0003").notes == (
        "Forklift licence helps.\nAsk for the warehouse manager.")
    on_behalf = sorted(
        (link.employer_contact.date.isoformat(), link.client_id)
        for link in m.EmployerContactClient.select()
    )
    assert ("2024-03-06", "C0002") in on_behalf and ("2024-03-06", "C0005") in on_behalf

    # One audit row per kind imported, with counts and field names only.
    audit = list(m.AuditEntry.select().order_by(m.AuditEntry.id))
    assert [(a.action, a.entity, a.entity_id, a.specialist) for a in audit] == [
        ("import", "specialist", "2 added", "Maria Lopez"),
        ("import", "employer", "3 added", "Maria Lopez"),
        ("import", "client", "5 added", "Maria Lopez"),
        ("import", "job", "3 added", "Maria Lopez"),
        ("import", "client_contact", "10 added", "Maria Lopez"),
        ("import", "employer_contact", "4 added", "Maria Lopez"),
    ]
    assert "Aisha" not in "".join(a.fields or "" for a in audit)


def test_single_files_and_references_into_the_database(db, tmp_path):
    ix.import_paths([FIXTURE / "specialists.csv", FIXTURE / "employers.csv",
                     FIXTURE / "clients.csv"])
    more = tmp_path / "more"
    write(more, "jobs.csv",
          "job_id,client_id,employer_id,title,start_date\n"
          "J0100,C0002,E0003,Driver,2024-04-01\n")
    write(more, "client_contacts.csv",
          "client_id,date,specialist,mode\n"
          "C0003,2024-04-02,James Okafor,phone\n")
    write(more, "employer_contacts.csv",
          "employer_id,date,specialist,mode,client_ids\n"
          "E0002,2024-04-03,James Okafor,video, C0003 ; C0004 ;C0003\n")
    summary = ix.import_paths([more])
    assert summary_counts(summary) == {
        "jobs.csv": (1, 0, 0), "client_contacts.csv": (1, 0, 0), "employer_contacts.csv": (1, 0, 0),
    }
    job = m.Job.get_by_id("J0100")
    assert (job.client_id, job.employer_id, job.competitive) == ("C0002", "E0003", True)
    contact = m.ClientContact.get()
    assert (contact.attempted, contact.location) == (False, None)
    assert sorted(link.client_id for link in m.EmployerContactClient.select()) == ["C0003", "C0004"]


def test_importing_twice_adds_nothing(db, tmp_path):
    ix.import_paths([FIXTURE])
    before = counts()
    exported = snapshot(tmp_path / "before")
    summary = ix.import_paths([FIXTURE])
    assert (summary.added, summary.updated, summary.skipped) == (0, 0, 27)
    assert summary_counts(summary)["client_contacts.csv"] == (0, 0, 10)
    assert counts() == before
    assert snapshot(tmp_path / "after") == exported


def test_identical_contacts_in_a_file_are_all_kept_and_a_second_import_adds_none(db, tmp_path):
    ix.import_paths([FIXTURE / "specialists.csv", FIXTURE / "employers.csv",
                     FIXTURE / "clients.csv"])
    folder = tmp_path / "in"
    write(folder, "client_contacts.csv",
          "client_id,date,specialist,mode,notes\n"
          "C0001,2024-04-01,Maria Lopez,phone,Called\n"
          "C0001,2024-04-01,Maria Lopez,phone,Called\n"
          "C0001,2024-04-01,Maria Lopez,phone,Called again\n")
    write(folder, "employer_contacts.csv",
          "employer_id,date,specialist,mode,client_ids\n"
          "E0001,2024-04-01,Maria Lopez,phone,C0001;C0002\n"
          "E0001,2024-04-01,Maria Lopez,phone,C0002;C0001\n")
    summary = ix.import_paths([folder])
    # Two identical phone calls on one day are two contacts (client_ids are a set: C0001;C0002
    # and C0002;C0001 are the same contact on behalf of the same two clients, twice).
    assert summary_counts(summary) == {
        "client_contacts.csv": (3, 0, 0), "employer_contacts.csv": (2, 0, 0),
    }
    again = ix.import_paths([folder])
    assert summary_counts(again) == {
        "client_contacts.csv": (0, 0, 3), "employer_contacts.csv": (0, 0, 2),
    }


# ---------------------------------------------------------------- bad imports

def test_several_bad_files_report_every_error_and_change_nothing(db, tmp_path):
    ix.import_paths([FIXTURE])
    before = counts()
    exported = snapshot(tmp_path / "before")
    bad = tmp_path / "bad"
    write(bad, "specialists.csv",
          "name,email,active\n"
          "Maria Lopez,maria.lopez@example.org,yes\n"
          "Pat Doe,not-an-email,maybe\n")
    write(bad, "employers.csv",
          "employer_id,name,website\n"
          "E0100,Acme,acme.example\n")
    write(bad, "clients.csv",
          "client_id,last_name,specialist,stage,referral_date,closed_date\n"
          "C0100,Smith,Nobody Here,engaged,2024-01-10,\n"
          "C0101,Jones,Pat Doe,hired,2024-13-01,\n"
          "C0100,Smith,Maria Lopez,engaged,,\n"
          "C0102,Ray,Maria Lopez,closed,2024-03-01,2024-02-01\n")
    write(bad, "jobs.csv",
          "job_id,client_id,employer_id,title,start_date,end_date,hours_per_week\n"
          "J0100,C0001,E0009,Cook,2024-03-01,2024-02-01,200\n"
          "J0101,C9999,,Porter,2024-03-01,,\n"
          "J0102,C0100,E0100,Porter,2024-03-01,,\n")
    write(bad, "client_contacts.csv",
          "client_id,date,specialist,mode,location,attempted,notes\n"
          'C0001,2024-04-01,Maria Lopez,in_person,community,no,"Line one\n'
          'line two"\n'
          "C0001,2024-04-02,Maria Lopez,carrier_pigeon,park,no,\n")
    write(bad, "employer_contacts.csv",
          "employer_id,date,specialist,mode,client_ids,hiring_manager,notes\n"
          "E0001,2024-04-03,Maria Lopez,phone,C0001;C7777,no,\n")
    errors = failure([bad])
    assert errors == [
        "specialists.csv:3: email: 'not-an-email' is not an email address",
        "specialists.csv:3: active: 'maybe' is not yes or no",
        "employers.csv:1: website: is not a column of employers.csv; the columns are "
        + COLUMNS_OF["employers.csv"],
        "clients.csv:2: specialist: no specialist is called 'Nobody Here' in this import or in "
        "the database",
        "clients.csv:3: referral_date: '2024-13-01' is not a date in the form YYYY-MM-DD",
        "clients.csv:3: stage: 'hired' is not one of: referred, engaged, job_search, employed, "
        "education, closed",
        "clients.csv:4: client_id: 'C0100' is in this file twice (also on line 2)",
        "clients.csv:5: closed_date: 2024-02-01 is before the referral date 2024-03-01",
        "jobs.csv:2: hours_per_week: must be at most 168",
        "jobs.csv:2: end_date: 2024-02-01 is before the start date 2024-03-01",
        "jobs.csv:2: employer_id: no employer has id 'E0009' in this import or in the database",
        "jobs.csv:3: client_id: no client has id 'C9999' in this import or in the database",
        "client_contacts.csv:4: mode: 'carrier_pigeon' is not one of: in_person, phone, video, "
        "text, email",
        "client_contacts.csv:4: location: 'park' is not one of: community, office",
        "employer_contacts.csv:2: client_ids: no client has id 'C7777' in this import or in the "
        "database",
    ]
    assert counts() == before
    assert snapshot(tmp_path / "after") == exported


def test_a_file_given_by_path_is_named_as_given(db, tmp_path):
    path = write(tmp_path / "in", "specialists.csv", "name,email\nPat,nope\n")
    assert failure([path]) == [f"{path}:2: email: 'nope' is not an email address"]


def test_different_values_are_an_error_unless_update(db, tmp_path):
    ix.import_paths([FIXTURE])
    changed = tmp_path / "changed"
    write(changed, "clients.csv",
          "client_id,last_name,specialist,stage,notes\n"
          "C0001,Patel,Maria Lopez,employed,\n"  # same as in the database: skipped
          "C0002,Nguyen,Maria Lopez,employed,Started at Metro\n")
    write(changed, "specialists.csv", "name,active\nJames Okafor,no\n")
    assert failure([changed]) == [
        "specialists.csv:2: name: 'James Okafor' is already in the database with different "
        "values in active; import with --update to change it",
        "clients.csv:3: client_id: 'C0002' is already in the database with different values in "
        "stage, notes; import with --update to change it",
    ]
    assert m.Client.get_by_id("C0002").version == 1

    summary = ix.import_paths([changed], update=True, by="Maria Lopez")
    assert summary_counts(summary) == {"specialists.csv": (0, 1, 0), "clients.csv": (0, 1, 1)}
    client = m.Client.get_by_id("C0002")
    assert (client.stage, client.notes, client.version) == ("employed", "Started at Metro", 2)
    assert client.job_goal == "Warehouse or delivery"  # columns not in the file are kept
    assert client.discuss is True
    assert m.Client.get_by_id("C0001").version == 1
    assert m.Specialist.get(m.Specialist.name == "James Okafor").active is False
    updates = [(a.entity, a.entity_id, a.client_id, json.loads(a.fields), a.specialist)
               for a in m.AuditEntry.select().where(m.AuditEntry.action == "update")
               .order_by(m.AuditEntry.id)]
    specialist_id = m.Specialist.get(m.Specialist.name == "James Okafor").id
    assert updates == [
        ("specialist", str(specialist_id), None, ["active"], "Maria Lopez"),
        ("client", "C0002", "C0002", ["notes", "stage"], "Maria Lopez"),
    ]
    # The same update again changes nothing more.
    again = ix.import_paths([changed], update=True)
    assert (again.added, again.updated, again.skipped) == (0, 0, 3)
    assert m.Client.get_by_id("C0002").version == 2


def test_update_checks_the_rules_against_the_values_in_the_database(db, tmp_path):
    ix.import_paths([FIXTURE])
    path = write(tmp_path / "in", "clients.csv",
                 "client_id,last_name,specialist,stage\nC0004,Brown,James Okafor,employed\n")
    assert failure([path], update=True) == [
        f"{path}:2: closed_date: is set but the stage is not closed (with the values in the "
        "database)",
    ]
    assert m.Client.get_by_id("C0004").stage == "closed"


def test_unknown_columns_and_header_problems(db, tmp_path):
    folder = tmp_path / "in"
    write(folder, "specialists.csv", "name,e-mail,,name\nPat,pat@example.org,,Pat\n")
    write(folder, "clients.csv", "client_id,last_name,specialist\nC1,Lee,Pat\n")
    write(folder, "employers.csv", "E1,Acme\n")
    write(folder, "jobs.csv", "")
    assert failure([folder]) == [
        "specialists.csv:1: e-mail: is not a column of specialists.csv; the columns are name, "
        "email, active",
        "specialists.csv:1: column 3: has no name in the header",
        "specialists.csv:1: name: appears more than once in the header",
        "employers.csv:1: the first line is not a header row: it names none of the columns of "
        "employers.csv (" + COLUMNS_OF["employers.csv"] + "), separated by commas, semicolons or tabs",
        "clients.csv:1: stage: this required column is missing",
        "jobs.csv:1: has no header row; the first line must name the columns (job_id, client_id, "
        "employer_id, title, start_date, end_date, hours_per_week, hourly_wage, competitive, "
        "end_reason)",
    ]
    assert counts()["Specialist"] == 0


def test_unknown_file_names(db, tmp_path):
    folder = tmp_path / "in"
    write(folder, "specialists.csv", "name\nPat\n")
    write(folder, "client.csv", "client_id\nC1\n")
    write(folder, "README.txt", "not a CSV file: ignored")
    names = ", ".join(ix.FILES)
    assert failure([folder]) == [
        f"client.csv: is not an interchange file; the file name must be one of {names}",
    ]
    stray = write(tmp_path / "other", "contacts.csv", "client_id\n")
    assert failure([stray]) == [
        f"{stray}: is not an interchange file; the file name must be one of {names}",
    ]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert failure([empty]) == [f"{empty}: holds none of the interchange files ({names})"]
    assert failure([tmp_path / "missing"]) == [f"{tmp_path / 'missing'}: does not exist"]
    assert failure([folder / "specialists.csv", folder / "specialists.csv"]) == [
        f"{folder / 'specialists.csv'}: specialists.csv is given twice (also "
        f"{folder / 'specialists.csv'})",
    ]
    assert counts()["Specialist"] == 0


def test_a_byte_order_mark_is_accepted(db, tmp_path):
    folder = tmp_path / "in"
    write(folder, "specialists.csv", b"\xef\xbb\xbfname,email\r\nPat Doe,pat@example.org\r\n")
    summary = ix.import_paths([folder])
    assert summary_counts(summary) == {"specialists.csv": (1, 0, 0)}
    assert m.Specialist.get().name == "Pat Doe"


def test_a_file_that_is_not_utf8(db, tmp_path):
    folder = tmp_path / "in"
    head = b"name,email\nPat Doe,\n"
    write(folder, "specialists.csv", head + "José García,\n".encode("latin-1"))
    offset = len(head) + 3
    assert failure([folder]) == [
        f"specialists.csv:3: is not UTF-8 text (byte 0xe9 at offset {offset}); save it as CSV "
        "UTF-8",
    ]
    # UTF-16 (as some spreadsheets save "Unicode text") is refused too.
    write(folder, "specialists.csv", "name\nPat\n".encode("utf-16"))
    assert failure([folder]) == [
        "specialists.csv:1: is not UTF-8 text (byte 0xff at offset 0); save it as CSV UTF-8",
    ]
    write(folder, "specialists.csv", "name\nPat\n".encode("utf-16-le"))
    assert failure([folder]) == [
        "specialists.csv:1: contains NUL bytes, so it is not CSV text (perhaps UTF-16); save it "
        "as CSV UTF-8",
    ]
    assert counts()["Specialist"] == 0


def test_huge_fields_long_rows_and_control_characters(db, tmp_path):
    ix.import_paths([FIXTURE / "specialists.csv", FIXTURE / "employers.csv",
                     FIXTURE / "clients.csv"])
    folder = tmp_path / "in"
    write(folder, "client_contacts.csv",
          "client_id,date,specialist,mode,notes\n"
          f"C0001,2024-04-01,Maria Lopez,phone,{'x' * 20_000}\n"
          f'C0001,2024-04-02,Maria Lopez,phone,"{"y" * 200_000}"\n')
    write(folder, "specialists.csv",
          "name,email,active\n"
          "Pat\x1b[31m Doe,,\n"
          "Sam Ortiz,sam@example.org,yes,extra\n")
    write(folder, "employers.csv", 'employer_id,name\nE0100,"Acme\n')
    assert failure([folder]) == [
        "specialists.csv:2: name: contains a control character (U+001B); remove it",
        "specialists.csv:3: has 4 cells but the header has 3 columns",
        "employers.csv:2: is not valid CSV (unexpected end of data); check the quotes",
        "client_contacts.csv:2: notes: is 20,000 characters long; the limit is 10,000",
        "client_contacts.csv:3: a cell is longer than 131,072 characters, more than any cell may "
        "hold (is a closing quote missing?)",
    ]
    assert counts()["ClientContact"] == 0


def test_a_double_byte_order_mark_is_named_clearly(db, tmp_path):
    folder = tmp_path / "in"
    write(folder, "specialists.csv", b"\xef\xbb\xbf\xef\xbb\xbfname,email\r\nPat Doe,\r\n")
    assert failure([folder]) == [
        "specialists.csv:1: starts with two byte order marks (the invisible U+FEFF) instead of "
        "one; save it as CSV UTF-8 again, or remove the extra mark",
    ]
    assert counts()["Specialist"] == 0


def test_numbers_are_plain_digits_with_file_line_and_column(db, tmp_path):
    ix.import_paths([FIXTURE / "specialists.csv", FIXTURE / "employers.csv",
                     FIXTURE / "clients.csv"])
    folder = tmp_path / "in"
    write(folder, "jobs.csv",
          "job_id,client_id,title,start_date,hours_per_week,hourly_wage\n"
          "J0100,C0001,Cook,2024-03-01,1_0,12.50\n"
          "J0101,C0001,Cook,2024-03-01,\u0662\u0660,\uff11\uff12\n"
          "J0102,C0001,Cook,2024-03-01,+5, 7 \n")
    hint = "is not a number: use digits with an optional decimal point, like 12 or 12.50"
    assert failure([folder]) == [
        f"jobs.csv:2: hours_per_week: '1_0' {hint}",
        f"jobs.csv:3: hours_per_week: '\u0662\u0660' {hint}",
        f"jobs.csv:3: hourly_wage: '\uff11\uff12' {hint}",
        f"jobs.csv:4: hours_per_week: '+5' {hint}",
    ]
    assert counts()["Job"] == 0


def contacts_file(folder: Path, rows: int, bad_every: int = 0) -> Path:
    """A client_contacts.csv of ``rows`` contacts of the fixture's clients (every
    ``bad_every``-th one with a bad date and a bad mode)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "client_contacts.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["client_id", "date", "specialist", "mode", "notes"])
        for i in range(rows):
            bad = bad_every and i % bad_every == bad_every - 1
            out.writerow([f"C000{i % 5 + 1}", "2024-13-45" if bad else f"2024-0{i % 9 + 1}-1{i % 10}",
                          "Maria Lopez", "pigeon" if bad else "phone", f"Called about shift {i}"])
    return path


def test_errors_stop_after_the_first_100_with_a_count_of_the_rest(db, tmp_path):
    ix.import_paths([FIXTURE / "specialists.csv", FIXTURE / "clients.csv"])
    before = counts()
    path = contacts_file(tmp_path / "in", 3_000, bad_every=1)
    with pytest.raises(ix.ImportFailed) as caught:
        ix.import_paths([path])
    failed = caught.value
    assert len(failed.errors) == ix.MAX_ERRORS == 100
    assert failed.errors[:2] == [
        f"{path}:2: date: '2024-13-45' is not a date in the form YYYY-MM-DD",
        f"{path}:2: mode: 'pigeon' is not one of: in_person, phone, video, text, email",
    ]
    assert failed.errors[-1].startswith(f"{path}:51: mode:")
    assert (failed.more, failed.total) == (5_900, 6_000)
    assert failed.more_line == "... and 5,900 more errors"
    assert str(failed).startswith("6,000 problem(s) found; nothing was imported:\n")
    assert str(failed).endswith("\n... and 5,900 more errors")
    assert counts() == before


def test_a_problem_after_many_written_rows_still_changes_nothing(db, tmp_path):
    """Rows are written a batch at a time while the files are read: a problem on the last line
    rolls back the batches written before it."""
    ix.import_paths([FIXTURE / "specialists.csv", FIXTURE / "clients.csv"])
    before = counts()
    exported = snapshot(tmp_path / "before")
    path = contacts_file(tmp_path / "in", 12_001, bad_every=12_001)
    assert failure([path]) == [
        f"{path}:12002: date: '2024-13-45' is not a date in the form YYYY-MM-DD",
        f"{path}:12002: mode: 'pigeon' is not one of: in_person, phone, video, text, email",
    ]
    assert counts() == before
    assert snapshot(tmp_path / "after") == exported


def test_a_huge_bad_value_is_quoted_at_most_60_characters(db, tmp_path):
    folder = tmp_path / "in"
    write(folder, "specialists.csv", f"name,active,{'h' * 1000}\nPat,{'y' * 130_000}\n")
    errors = failure([folder])
    assert errors == [
        f"specialists.csv:1: {'h' * 59}\u2026: is not a column of specialists.csv; the columns "
        "are name, email, active",
        f"specialists.csv:2: active: '{'y' * 59}\u2026' is not yes or no",
    ]


def test_memory_does_not_grow_with_the_size_of_the_file(db, tmp_path, fresh_location):
    """Rows are streamed: importing five times as many contacts does not take five times the
    memory (before streaming it did: every row and every planned record was held at once)."""
    import tracemalloc

    peaks = []
    for rows in (8_000, 40_000):
        use_new_database(fresh_location(f"m{rows}"))
        ix.import_paths([FIXTURE / "specialists.csv", FIXTURE / "clients.csv"])
        path = contacts_file(tmp_path / str(rows), rows)
        tracemalloc.start()
        try:
            ix.import_paths([path])
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert peaks[1] < 2 * peaks[0], peaks


# ---------------------------------------------------------------- export and round trips

INJECTION = {
    "first_name": "=SUM(A1)",
    "phone": "+44 20 7946 0000",
    "job_goal": "-x",
    "notes": "@me",
    "transport": "'=already quoted",
    "next_step": "'plain apostrophe",
}


def test_formula_injection_cells_round_trip_and_are_neutralised(db, tmp_path, fresh_location):
    ix.import_paths([FIXTURE / "specialists.csv"])
    folder = tmp_path / "in"
    # The first row is typed as a person would (no apostrophes); the second as export writes it.
    write(folder, "clients.csv",
          "client_id,last_name,specialist,stage,first_name,phone,job_goal,notes,transport,"
          "next_step\n"
          "C1,Lee,Maria Lopez,engaged,=SUM(A1),+44 20 7946 0000,-x,@me,''=already quoted,"
          "'plain apostrophe\n"
          "C2,Lee,Maria Lopez,engaged,'=SUM(A1),'+44 20 7946 0000,'-x,'@me,''=already quoted,"
          "'plain apostrophe\n")
    ix.import_paths([folder])
    for client_id in ("C1", "C2"):
        client = m.Client.get_by_id(client_id)
        assert {k: getattr(client, k) for k in INJECTION} == INJECTION
    # Writes through the app are neutralised on export too.
    writes.add_client_contact({"client_id": "C1", "date": "2024-04-01",
                               "specialist": "Maria Lopez", "mode": "phone", "notes": "-5 pts"})

    out = tmp_path / "out"
    ix.export_dir(out)
    text = (out / "clients.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {k: rows[0][k] for k in INJECTION} == {
        "first_name": "'=SUM(A1)",
        "phone": "'+44 20 7946 0000",
        "job_goal": "'-x",
        "notes": "'@me",
        "transport": "''=already quoted",
        "next_step": "'plain apostrophe",
    }
    assert "\n'=SUM" not in text and ",=SUM" not in text and ",+44" not in text
    assert ",'-5 pts" in (out / "client_contacts.csv").read_text(encoding="utf-8")
    # Dates and numbers are never prefixed.
    assert rows[0]["referral_date"] == "" and rows[0]["discuss"] == "no"

    use_new_database(fresh_location("second"))
    ix.import_paths([out])
    client = m.Client.get_by_id("C1")
    assert {k: getattr(client, k) for k in INJECTION} == INJECTION
    assert m.ClientContact.get().notes == "-5 pts"
    assert snapshot(tmp_path / "again") == {n: (out / n).read_bytes() for n in ix.FILES}


def team_contacts() -> list[tuple]:
    """Every stored team contact as its interchange values, sorted (two identical ones twice)."""
    return sorted((t.client_id, t.date, t.specialist, t.who or "", t.notes or "")
                  for t in plans.team_contacts())


def test_full_round_trip_is_byte_identical(db, tmp_path, fresh_location):
    ix.import_paths([FIXTURE])
    # The team-contact log, two identical entries in it.
    for who in ("team meeting", "Dr Rao", "Dr Rao"):
        plans.add_team_contact({"client_id": "C0002", "date": "2024-03-12",
                                "specialist": "Maria Lopez", "who": who, "notes": "On track"})
    plans.add_team_contact({"client_id": "C0005", "date": "2024-03-05",
                            "specialist": "James Okafor"})
    logged = team_contacts()
    first = tmp_path / "first"
    written = ix.export_dir(first)
    assert written == {
        "specialists.csv": 2, "employers.csv": 3, "clients.csv": 5, "jobs.csv": 3,
        "client_contacts.csv": 10, "employer_contacts.csv": 4, "appointments.csv": 0,
        "team_contacts.csv": 4, "reviews.csv": 0, "review_items.csv": 0,
    }
    use_new_database(fresh_location("second"))
    summary = ix.import_paths([first])
    assert (summary.added, summary.skipped) == (31, 0)
    assert team_contacts() == logged
    second = tmp_path / "second"
    ix.export_dir(second)
    for name in ix.FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_export_format(db, tmp_path):
    ix.import_paths([FIXTURE])
    out = tmp_path / "out" / "nested"
    ix.export_dir(out)
    for name in ix.FILES:
        path = out / name
        if os.name == "posix":
            assert path.stat().st_mode & 0o777 == 0o600, name
        with path.open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        assert tuple(header) == ix.COLUMNS[name]
    assert ix.COLUMNS["clients.csv"][:12] == (
        "client_id", "first_name", "last_name", "specialist", "referral_date", "start_date",
        "stage", "closed_date", "phone", "email", "job_goal", "notes")
    jobs = (out / "jobs.csv").read_text(encoding="utf-8").splitlines()
    assert jobs[1] == "J0001,C0001,E0001,Shelf stacker,2024-03-04,,20,15.5,yes,"
    assert jobs[3] == "J0003,C0005,E0003,Warehouse operative,2024-03-01,,25,16,yes,"
    specialists = (out / "specialists.csv").read_text(encoding="utf-8").splitlines()
    assert specialists[1:] == ["James Okafor,james.okafor@example.org,yes",
                               "Maria Lopez,maria.lopez@example.org,yes"]
    contacts = list(csv.DictReader((out / "employer_contacts.csv").open(encoding="utf-8")))
    assert [c["date"] for c in contacts] == sorted(c["date"] for c in contacts)
    assert contacts[-1]["client_ids"] == "C0002;C0005"
    # An existing file is overwritten and made owner-only.
    (out / "jobs.csv").chmod(0o644)
    ix.export_dir(out)
    if os.name == "posix":
        assert (out / "jobs.csv").stat().st_mode & 0o777 == 0o600
    assert (out / "jobs.csv").read_text(encoding="utf-8").splitlines() == jobs


def test_export_of_an_empty_database_writes_headers(db, tmp_path):
    written = ix.export_dir(tmp_path / "out")
    assert written == dict.fromkeys(ix.FILES, 0)
    assert (tmp_path / "out" / "specialists.csv").read_text(encoding="utf-8") == (
        "name,email,active\n")


# ---------------------------------------------------------------- program size

def make_program(folder: Path, contacts: int = 60_000) -> None:
    """A program-size data set: 12 specialists, 300 employers, 2,000 clients, 60,000 contacts."""
    r = random.Random(7)
    base = dt.date(2020, 1, 1)

    def day() -> str:
        return (base + dt.timedelta(days=r.randrange(1500))).isoformat()

    def put(name: str, header: list[str], rows: list[list[str]]) -> None:
        with (folder / name).open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(header)
            out.writerows(rows)

    folder.mkdir()
    specialists = [f"Specialist {i}" for i in range(12)]
    clients = [f"C{i:05d}" for i in range(2000)]
    employers = [f"E{i:04d}" for i in range(300)]
    put("specialists.csv", ["name"], [[s] for s in specialists])
    put("employers.csv", ["employer_id", "name"], [[e, f"Employer {e}"] for e in employers])
    put("clients.csv", ["client_id", "last_name", "specialist", "stage", "referral_date"],
        [[c, f"Name {c}", r.choice(specialists), "job_search", day()] for c in clients])
    put("jobs.csv", ["job_id", "client_id", "employer_id", "title", "start_date", "hourly_wage"],
        [[f"J{i:05d}", r.choice(clients), r.choice(employers), "Clerk", day(), "15.5"]
         for i in range(800)])
    put("client_contacts.csv", ["client_id", "date", "specialist", "mode", "location", "notes"],
        [[r.choice(clients), day(), r.choice(specialists), r.choice(("in_person", "phone")),
          r.choice(("community", "office", "")), f"Talked about the job search ({i})"]
         for i in range(contacts)])
    put("employer_contacts.csv", ["employer_id", "date", "specialist", "mode", "client_ids"],
        [[r.choice(employers), day(), r.choice(specialists), "in_person",
          ";".join(r.sample(clients, r.randrange(3)))] for _ in range(6000)])


def test_program_size_import_is_idempotent(db, tmp_path):
    """A program-size folder imports whole, and importing it again adds nothing (how long it
    takes is measured in bench/, never asserted here)."""
    folder = tmp_path / "program"
    make_program(folder)
    summary = ix.import_paths([folder])
    assert summary.files["client_contacts.csv"].added == 60_000
    before = counts()
    again = ix.import_paths([folder])
    assert again.added == 0 and again.skipped == summary.added
    assert counts() == before


def test_a_database_changed_since_the_check_rolls_everything_back(db, tmp_path, monkeypatch):
    ix.import_paths([FIXTURE / "specialists.csv", FIXTURE / "employers.csv"])
    before = counts()
    exported = snapshot(tmp_path / "before")
    # As if someone else added the same employers between the check and the write.
    keys, current = ix.bulk.keys, ix.bulk.current
    monkeypatch.setattr(ix.bulk, "keys", lambda entity: set() if entity == "employer" else keys(entity))
    monkeypatch.setattr(ix.bulk, "current", lambda entity, wanted: {} if entity == "employer"
                        else current(entity, wanted))
    errors = failure([FIXTURE])
    assert len(errors) == 1 and errors[0].startswith("the database changed while importing")
    assert counts() == before
    assert snapshot(tmp_path / "after") == exported


# ---------------------------------------------------------------- appointments, reviews, a full disk

APPOINTMENTS = ("client_id;date;time;mode;location;specialist;status;notes\n"
                "C0001;Tue 2026-11-24;9.30;In person;Cafe on High St;Maria Lopez;;First visit\n"
                "C0002;2026-11-25;;phone;;Maria Lopez;Planned;\n")


def test_appointments_and_reviews_are_written_in_the_one_transaction(db, tmp_path):
    """Appointments stream like the contacts and reviews are written with them: a problem on the
    last line of the last file leaves none of them; fixed, all of them; again, nothing more."""
    ix.import_paths([FIXTURE / "specialists.csv", FIXTURE / "clients.csv"])
    before = counts()
    folder = tmp_path / "in"
    write(folder, "appointments.csv", APPOINTMENTS)
    write(folder, "reviews.csv", "review_id,date,period\nR1,2026-10-01,2026Q3\n")
    write(folder, "review_items.csv", "review_id,number,score\nR1,1,3\nR1,2,9\n")
    assert failure([folder]) == ["review_items.csv:3: score: must be at most 5"]
    assert counts() == before
    assert (m.Appointment.select().count(), m.Review.select().count()) == (0, 0)

    write(folder, "review_items.csv", "review_id,number,score\nR1,1,3\nR1,2,4\n")
    summary = ix.import_paths([folder])
    assert summary_counts(summary) == {"appointments.csv": (2, 0, 0), "reviews.csv": (1, 0, 0),
                                       "review_items.csv": (2, 0, 0)}
    first = m.Appointment.get(m.Appointment.client == "C0001")
    assert (first.date, first.time, first.mode, first.status) == (
        dt.date(2026, 11, 24), "09:30", "in_person", "planned")
    assert m.ReviewItem.select().count() == 25  # a new review gets every item
    again = ix.import_paths([folder])
    assert (again.added, again.updated) == (0, 0)
    assert m.Appointment.select().count() == 2


def test_the_error_cap_and_quoting_hold_for_appointments_and_reviews(db, tmp_path):
    ix.import_paths([FIXTURE / "specialists.csv", FIXTURE / "clients.csv"])
    folder = tmp_path / "in"
    rows = "".join(f"C0001,2026-11-24,Maria Lopez,{'z' * 150}\n" for _ in range(150))
    write(folder, "appointments.csv", "client_id,date,specialist,status\n" + rows)
    write(folder, "reviews.csv", f"review_id,date,period\nR1,2026-10-01,{'q' * 300}\n")
    with pytest.raises(ix.ImportFailed) as caught:
        ix.import_paths([folder])
    failed = caught.value
    assert failed.errors[0] == (f"appointments.csv:2: status: '{'z' * 59}\u2026' is not one of: "
                                "planned, done, missed, cancelled")
    assert (len(failed.errors), failed.more) == (100, 50 + 1)  # the review's period counted too
    assert m.Appointment.select().count() == 0


@pytest.mark.sqlite_only
def test_an_import_on_a_full_disk_says_so_and_how_much_is_free(db, tmp_path, monkeypatch):
    from ips_tui.store import damage
    from ips_tui.store.db import database_path

    class Usage:
        total, used, free = 10 * 2**30, 10 * 2**30 - 12 * 1024, 12 * 1024

    ix.import_paths([FIXTURE / "specialists.csv", FIXTURE / "clients.csv"])
    before = counts()
    monkeypatch.setattr(damage.shutil, "disk_usage", lambda folder: Usage())
    pages = m.database.obj.execute_sql("pragma page_count").fetchone()[0]
    m.database.obj.execute_sql(f"pragma max_page_count = {pages}")  # the file may not grow
    errors = failure([contacts_file(tmp_path / "in", 20_000)])
    folder = database_path().parent  # type: ignore[union-attr]
    assert errors == [f"the import could not be written: the disk is full (12 KB free on the "
                      f"disk holding {folder}); nothing was imported: free some disk space and "
                      "try again"]
    assert counts() == before
