"""appointments.csv, team_contacts.csv and the clients' mental-health columns in the interchange
files: exported, imported into a new database, exported again byte for byte; importing twice adds
nothing; a bad row is refused with its line."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from conftest import KIM, SAM

from ips_tui import interchange as ix
from ips_tui.store import appointments as plans
from ips_tui.store import models as m
from ips_tui.store import writes
from ips_tui.store.db import close_store, open_store


def test_appointments_and_mh_columns_round_trip(seeded, tmp_path, fresh_location):
    writes.update_client("C0001", {"mh_practitioner": "Jo Reed", "mh_team": "North, CMHT"}, None)
    for values in ({"date": "2026-12-02", "time": "09:30", "location": "Cafe; High St"},
                   {"date": "2026-12-02", "time": "09:30", "location": "Cafe; High St"},  # twice
                   {"date": "2026-11-20", "status": "cancelled", "notes": "=ill\nline two"},
                   {"date": "2026-12-04", "mode": "phone", "client_id": "C0002"}):
        plans.add_appointment({"client_id": "C0001", "specialist": SAM, **values})
    first = tmp_path / "first"
    written = ix.export_dir(first)
    assert written["appointments.csv"] == 4
    header = (first / "appointments.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "client_id,date,time,mode,location,specialist,status,notes"
    clients_header = (first / "clients.csv").read_text(encoding="utf-8").splitlines()[0]
    assert clients_header.endswith(",mh_practitioner,mh_team")
    close_store()
    open_store(fresh_location("second"))
    summary = ix.import_paths([first])
    assert summary.files["appointments.csv"].added == 4
    assert [(r.client_id, r.status, r.time) for r in plans.appointments()] == [
        ("C0001", "cancelled", None), ("C0001", "planned", "09:30"),
        ("C0001", "planned", "09:30"), ("C0002", "planned", None)]
    second = tmp_path / "second"
    ix.export_dir(second)
    for name in ix.FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    again = ix.import_paths([first])
    assert again.files["appointments.csv"].added == 0


def test_a_bad_appointment_row_is_refused_with_its_line(seeded, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "appointments.csv").write_text(
        "client_id,date,time,specialist,status\nC0001,2026-12-02,9:30,Sam Ortiz,planned\n"
        "C0009,2026-12-02,29:00,Sam Ortiz,maybe\n", encoding="utf-8")
    with pytest.raises(ix.ImportFailed) as caught:
        ix.import_paths([folder / "appointments.csv"])
    text = "\n".join(caught.value.errors)
    assert "appointments.csv:3" in text and "time" in text and "status" in text
    assert plans.appointments() == []


# ---------------------------------------------------------------- team contacts

TEAM_HEADER = "client_id,date,specialist,who,notes"


def team_log() -> Counter:
    """Every stored team contact as its interchange values, counted (two identical ones are two)."""
    return Counter((t.client_id, t.date, t.specialist, t.who, t.notes)
                   for t in plans.team_contacts())


def log_team_contacts() -> None:
    """Team contacts of the seeded caseload: two identical ones, one with no "who", notes a
    spreadsheet would run as a formula and over two lines, two clients on one day."""
    for values in (
            {"client_id": "C0002", "date": "2026-11-17", "specialist": SAM, "who": "team meeting",
             "notes": "Keen on retail."},
            {"client_id": "C0001", "date": "2026-11-17", "specialist": SAM, "who": "Jo Reed"},
            {"client_id": "C0001", "date": "2026-11-17", "specialist": SAM, "who": "Jo Reed"},
            {"client_id": "C0003", "date": "2026-10-30", "specialist": KIM,
             "notes": "=call back\nsecond line"},
            {"client_id": "C0001", "date": "2026-11-03", "specialist": KIM, "who": "=Jo Reed"}):
        plans.add_team_contact(values)


def test_team_contacts_round_trip_exactly(seeded, tmp_path, fresh_location):
    log_team_contacts()
    before = team_log()
    assert sum(before.values()) == 5
    first = tmp_path / "first"
    written = ix.export_dir(first)
    assert written["team_contacts.csv"] == 5
    with (first / "team_contacts.csv").open(encoding="utf-8", newline="") as fh:
        text = fh.read()
    assert text.splitlines()[0] == TEAM_HEADER
    rows = list(csv.DictReader(text.splitlines(keepends=True)))
    # Sorted like the other contact files: by date, then client (ties by every other column).
    assert [(r["date"], r["client_id"], r["who"]) for r in rows] == [
        ("2026-10-30", "C0003", ""), ("2026-11-03", "C0001", "'=Jo Reed"),
        ("2026-11-17", "C0001", "Jo Reed"), ("2026-11-17", "C0001", "Jo Reed"),
        ("2026-11-17", "C0002", "team meeting")]
    assert rows[0]["notes"] == "'=call back\nsecond line"  # kept from running as a formula

    close_store()
    open_store(fresh_location("second"))
    summary = ix.import_paths([first], by=KIM)
    assert (summary.files["team_contacts.csv"].added, summary.files["team_contacts.csv"].skipped) \
        == (5, 0)
    assert team_log() == before  # every one, exactly, the two identical ones both
    audit = m.AuditEntry.get(m.AuditEntry.entity == "team_contact")
    assert (audit.action, audit.entity_id, audit.specialist) == ("import", "5 added", KIM)
    assert audit.fields == '["client_id", "date", "notes", "specialist", "who"]'
    second = tmp_path / "second"
    ix.export_dir(second)
    for name in ix.FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name

    again = ix.import_paths([first])
    assert (again.files["team_contacts.csv"].added, again.files["team_contacts.csv"].skipped) \
        == (0, 5)
    assert team_log() == before


def test_an_identical_team_contact_is_matched_to_a_stored_one_at_most_once(seeded, tmp_path):
    """A stored team contact stands for one identical row: a file holding it three times adds the
    two copies the database lacks, and a row differing in any column is a contact of its own."""
    plans.add_team_contact({"client_id": "C0001", "date": "2026-11-17", "specialist": SAM,
                            "who": "Jo Reed", "notes": "Fine"})
    folder = tmp_path / "in"
    folder.mkdir()
    same = "C0001,2026-11-17,Sam Ortiz,Jo Reed,Fine\n"
    (folder / "team_contacts.csv").write_text(
        TEAM_HEADER + "\n" + same * 3 + "C0001,2026-11-17,Sam Ortiz,Jo Reed,\n"
        "C0001,2026-11-17,Kim Park,Jo Reed,Fine\n"
        "C0001,2026-11-18,Sam Ortiz,Jo Reed,Fine\n", encoding="utf-8")
    summary = ix.import_paths([folder])
    assert (summary.files["team_contacts.csv"].added, summary.files["team_contacts.csv"].skipped) \
        == (5, 1)
    log = team_log()
    assert log[("C0001", dt.date(2026, 11, 17), SAM, "Jo Reed", "Fine")] == 3
    assert sum(log.values()) == 6
    again = ix.import_paths([folder])
    assert (again.added, again.skipped) == (0, 6)
    assert team_log() == log


def test_team_contacts_refer_to_clients_and_specialists_of_the_import_or_the_database(
        seeded, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "specialists.csv").write_text("name\nLee Grant\n", encoding="utf-8")
    (folder / "clients.csv").write_text(
        "client_id,last_name,specialist,stage\nC0100,Novak,Lee Grant,engaged\n", encoding="utf-8")
    # Columns in another order, separated by semicolons, a date as the app shows it.
    (folder / "team_contacts.csv").write_text(
        "date;who;client_id;specialist\nTue 2026-11-24;team meeting;C0100;Lee Grant\n"
        "2026-11-20;;C0002;Sam Ortiz\n", encoding="utf-8")
    summary = ix.import_paths([folder])
    assert summary.files["team_contacts.csv"].added == 2
    assert sorted(team_log()) == [("C0002", dt.date(2026, 11, 20), SAM, None, None),
                                  ("C0100", dt.date(2026, 11, 24), "Lee Grant", "team meeting",
                                   None)]


def test_bad_team_contacts_are_refused_with_their_lines_and_nothing_is_imported(seeded, tmp_path):
    plans.add_team_contact({"client_id": "C0001", "date": "2026-11-17", "specialist": SAM})
    before = team_log()
    clients_before = m.Client.select().count()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "clients.csv").write_text(
        "client_id,last_name,specialist,stage\nC0100,Novak,Sam Ortiz,engaged\n", encoding="utf-8")
    (folder / "team_contacts.csv").write_text(
        TEAM_HEADER + "\n"
        "C0100,2026-11-24,Sam Ortiz,team meeting,Good\n"
        "C0009,2026-11-24,Sam Ortiz,team meeting,\n"
        "C0001,2026-11-24,Pat Nobody,,\n"
        "C0001,24/11/2026,Sam Ortiz,,\n"
        "C0001,2026-11-25,,Jo Reed,\n"
        f"C0001,2026-11-26,Sam Ortiz,{'w' * 300},\n", encoding="utf-8")
    with pytest.raises(ix.ImportFailed) as caught:
        ix.import_paths([folder])
    assert caught.value.errors == [
        "team_contacts.csv:3: client_id: no client has id 'C0009' in this import or in the "
        "database",
        "team_contacts.csv:4: specialist: no specialist is called 'Pat Nobody' in this import or "
        "in the database",
        "team_contacts.csv:5: date: '24/11/2026' is not a date in the form YYYY-MM-DD",
        "team_contacts.csv:6: specialist: is required",
        "team_contacts.csv:7: who: is 300 characters long; the limit is 200",
    ]
    # All or nothing: neither the good team contact nor the client of the same import.
    assert team_log() == before
    assert m.Client.select().count() == clients_before

    (folder / "team_contacts.csv").write_text("client_id,date,who\nC0001,2026-11-24,Jo\n",
                                              encoding="utf-8")
    with pytest.raises(ix.ImportFailed) as caught:
        ix.import_paths([folder])
    assert caught.value.errors == ["team_contacts.csv:1: specialist: this required column is "
                                   "missing"]
    assert team_log() == before


def test_team_contacts_are_written_in_the_import_s_one_transaction(seeded, tmp_path):
    """A problem in a file read after team_contacts.csv (the reviews) leaves no team contact."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "team_contacts.csv").write_text(
        TEAM_HEADER + "\nC0001,2026-11-24,Sam Ortiz,Jo Reed,\n", encoding="utf-8")
    (folder / "reviews.csv").write_text("review_id,date,period\nR1,2026-10-01,2026Q9\n",
                                        encoding="utf-8")
    with pytest.raises(ix.ImportFailed):
        ix.import_paths([folder])
    assert plans.team_contacts() == []
    (folder / "reviews.csv").unlink()
    assert ix.import_paths([folder]).files["team_contacts.csv"].added == 1


def test_the_readme_lists_every_interchange_file_with_its_columns():
    """The README's list of the interchange files names each file of ix.FILES, with every
    column export writes (a file is a contract with the people who fill it in)."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Interchange CSV", 1)[1].split("\n## ", 1)[0]
    items = {}
    for item in section.split("\n- ")[1:]:
        name = item.split("`", 2)[1]
        items[name] = " ".join(item.split())
    assert list(items) == list(ix.FILES)
    for name, text in items.items():
        described = text.split(":", 1)[1]
        missing = [c for c in ix.COLUMNS[name] if c not in described]
        assert not missing, f"{name}: {missing}"
