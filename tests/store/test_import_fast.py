"""The import's quick way for a first import of contacts (validation.row_builder, the writer's
adder, indexes set aside on an empty table, many rows to an INSERT) gives exactly what the usual
way gives: the same values, the same rows, the same problems in the same words.

The usual way is the reference: each test runs the import twice, once with the quick way turned
off (row_builder returning None sends every row the usual way), and compares.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ips_tui import interchange as ix
from ips_tui import validation
from ips_tui.store import bulk
from ips_tui.store import models as m
from ips_tui.store.db import close_store, open_store

# ---------------------------------------------------------------- one row: row_builder == clean

#: Cells worth trying per column: good ones in several spellings, and bad ones.
CELLS = {
    "client_id": ["C1", " C1", "C 1", "", "C1\x07", "é1", "c-1/2", "x" * 201],
    "employer_id": ["E1", "E1 ", "", "E#1"],
    "date": ["2026-01-02", " 2026-01-02", "2026-02-30", "Tue 2026-11-24", "2026-1-2", "",
             "1899-12-31", "02/01/2026", "２０２６-01-02"],
    "specialist": ["Sam Lee", " Sam Lee ", "", "Sâm", "S" * 201, "Sam\tLee"],
    "mode": ["phone", "Phone", "in_person", "In person", "fax", "", " text "],
    "location": ["community", "", "Office", "moon", "home"],
    "attempted": ["no", "yes", "Yes", "Y", "0", "", "maybe"],
    "hiring_manager": ["no", "yes", "TRUE", "", "nope"],
    "client_ids": ["", "C1", "C1;C2", " C1 ; C1 ;", "C 1", "C1;" * 3000, "Ç1"],
    "notes": ["", "hello", "  spaced  ", "two\nlines", "two\r\nlines", "tab\there", "é",
              "x" * 10_001, "bell\x07", "\u200b", "  "],
}


def usual(entity: str, columns: list[str], cells: list[str]) -> tuple | None:
    cleaned = validation.clean(entity, dict(zip(columns, cells, strict=True)))
    if cleaned.errors:
        return None
    return tuple(cleaned.values[rule.name] for rule in validation.RULES[entity])


@st.composite
def rows(draw: st.DrawFn, entity: str) -> tuple[list[str], list[list[str]]]:
    names = [rule.name for rule in validation.RULES[entity]]
    required = [rule.name for rule in validation.RULES[entity] if rule.required]
    optional = draw(st.lists(st.sampled_from([n for n in names if n not in required]),
                             unique=True))
    columns = draw(st.permutations(required + optional))
    many = draw(st.lists(st.tuples(*(st.sampled_from(CELLS[c]) for c in columns)),
                         min_size=1, max_size=8))
    return list(columns), [list(cells) for cells in many]


@pytest.mark.parametrize("entity", ["client_contact", "employer_contact"])
@pytest.mark.parametrize("dates_as_text", [False, True])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_built_row_is_the_row_clean_gives(entity, dates_as_text, data):
    columns, many = data.draw(rows(entity))
    build = validation.row_builder(entity, columns, dates_as_text=dates_as_text)
    assert build is not None
    for cells in many:  # the same builder for several rows: it remembers cells it has seen
        built = build(cells)
        expected = usual(entity, columns, cells)
        if built is None:
            continue  # not sure: the usual way decides (and is the reference)
        assert expected is not None, (columns, cells)
        if dates_as_text:
            expected = tuple(v.isoformat() if isinstance(v, dt.date) else v for v in expected)
        assert built == expected
        assert [type(v) for v in built] == [type(v) for v in expected]


KNOWN = {"client_id": {"C1", "c-1/2"}, "employer_id": {"E1"}, "specialist": {"Sam Lee"},
         "client_ids": {"C1", "C2"}}


@pytest.mark.parametrize("entity", ["client_contact", "employer_contact"])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_row_built_with_references_known_has_every_reference_known(entity, data):
    columns, many = data.draw(rows(entity))
    build = validation.row_builder(entity, columns, known=KNOWN)
    assert build is not None
    for cells in many:
        expected = usual(entity, columns, cells)
        values = None if expected is None else dict(
            zip([r.name for r in validation.RULES[entity]], expected, strict=True))
        found = all(values[c] is None or (set(validation.split_ids(values[c])) <= KNOWN[c]
                                          if c == "client_ids" else values[c] in KNOWN[c])
                    for c in KNOWN if values is not None and c in values)
        built = build(cells)
        if built is not None:  # built: good, as clean gives it, every reference known
            assert values is not None and found and built == expected, (columns, cells)
        elif values is not None and found:  # not built though good: the builder was not sure
            assert validation.row_builder(entity, columns)(cells) is None, (columns, cells)


def test_the_usual_row_is_built_and_odd_ones_are_left_to_clean():
    columns = ["client_id", "date", "specialist", "mode", "location", "attempted", "notes"]
    build = validation.row_builder("client_contact", columns, dates_as_text=True)
    assert build is not None
    assert build(["C1", "2026-01-02", "Sam", "phone", "", "no", "Met at the cafe"]) == (
        "C1", "2026-01-02", "Sam", "phone", None, False, "Met at the cafe")
    assert build(["C1", "2026-02-30", "Sam", "phone", "", "no", ""]) is None  # no such day
    assert build(["C1", "2026-01-02", "Sam", "phone", "", "no", "two\nlines"]) is None
    # the app's words and dates are known the second time as well as the first
    for _ in range(2):
        assert build(["C1", "Tue 2026-11-24", "Sam", "Phone", "", "Yes", ""]) == (
            "C1", "2026-11-24", "Sam", "phone", None, True, None)
    # only the kinds without rules across fields, and a header naming each column once
    assert validation.row_builder("client", ["client_id", "last_name", "specialist"]) is None
    assert validation.row_builder("client_contact", ["client_id", "client_id"]) is None


# ---------------------------------------------------------------- whole imports, both ways

@pytest.fixture
def two_databases(tmp_path, fresh_location):
    """Two fresh databases: the first for the quick way, the second for the usual one."""
    places = [fresh_location("quick"), fresh_location("usual")]
    yield places
    close_store()


def import_both(places, folder: Path, monkeypatch) -> list[object]:
    """Import ``folder`` into each place, the first the quick way, the second the usual way;
    what each gave (summary counts and warnings, or the problems) and the rows written."""
    outcomes = []
    for place, quick in zip(places, (True, False), strict=True):
        close_store()
        open_store(place)
        with monkeypatch.context() as patch:
            if not quick:
                patch.setattr(validation, "row_builder", lambda *a, **k: None)
            try:
                summary = ix.import_paths([folder])
                got: object = ({n: (c.added, c.updated, c.skipped)
                                for n, c in summary.files.items()}, summary.warnings)
            except ix.ImportFailed as failed:
                got = ("failed", failed.errors, failed.more)
        outcomes.append((got, stored_rows()))
    return outcomes


def stored_rows() -> dict[str, list[tuple]]:
    """Every row of every table the import writes, without the import's time stamps."""
    out = {}
    for model in (m.Specialist, m.Employer, m.Client, m.Job, m.ClientContact,
                  m.EmployerContact, m.EmployerContactClient):
        fields = [f for f in model._meta.sorted_fields
                  if f.name not in ("created_at", "updated_at")]
        out[model.__name__] = sorted(model.select(*fields).tuples(), key=repr)
    return out


def write_folder(folder: Path, contacts: list[str], employer_contacts: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "specialists.csv").write_text("name,email,active\nSam Lee,,yes\nAsha Roy,,yes\n")
    (folder / "employers.csv").write_text("employer_id,name\nE1,Maple Cafe\nE2,Riverside\n")
    clients = "\n".join(f"C{i},Client{i},Sam Lee,job_search,2026-01-01" for i in range(1, 6))
    (folder / "clients.csv").write_text(
        f"client_id,last_name,specialist,stage,referral_date\n{clients}\n")
    (folder / "client_contacts.csv").write_text(
        "client_id,date,specialist,mode,location,attempted,notes\n" + "\n".join(contacts) + "\n",
        encoding="utf-8", newline="")
    (folder / "employer_contacts.csv").write_text(
        "employer_id,date,specialist,mode,client_ids,hiring_manager,notes\n"
        + "\n".join(employer_contacts) + "\n", encoding="utf-8", newline="")
    return folder


ODD_CONTACTS = [
    "C1,2026-01-02,Sam Lee,phone,,no,Plain",
    "C1,2026-01-02,Sam Lee,phone,,no,Plain",  # twice: both kept
    " C2 ,Tue 2026-11-24, Sam Lee ,Phone,Office,Yes,  spaced  ",
    'C3,2026-03-04,Asha Roy,in_person,community,no,"two\nlines"',
    "C4,2026-03-05,Asha Roy,in_person,community,no,'=neutralised",
    "C5,2026-03-06,Asha Roy,text,,no,café",
    "C5,2026-03-07,Asha Roy,text",  # a short row
    "",  # a blank line
    "C1,2026-03-08,Sam Lee,video,,y,",
    " , , , , , , ",  # a row of empty cells
    "C2,2026-03-09,Sam Lee,phone,,no,'tis the season",  # an apostrophe that is not a mark
    "C2,2026-03-09,Sam Lee,phone,,no,don't",
]
ODD_EMPLOYER_CONTACTS = [
    "E1,2026-01-02,Sam Lee,in_person,C1,yes,Met the manager",
    "E1,2026-01-03,Sam Lee,phone, C1 ; C2 ;C1,no,",
    "E2,2026-01-04,Asha Roy,email,,no,'+1 rang back",
    'E2,2026-01-05,Asha Roy,in_person,C3;C4,TRUE,"a\r\nb"',
]


def test_a_first_import_writes_the_same_rows_both_ways(two_databases, tmp_path, monkeypatch):
    folder = write_folder(tmp_path / "odd", ODD_CONTACTS, ODD_EMPLOYER_CONTACTS)
    quick, usual_way = import_both(two_databases, folder, monkeypatch)
    assert quick == usual_way
    summary, stored = quick
    assert summary[0]["client_contacts.csv"] == (10, 0, 0)
    assert len(stored["EmployerContactClient"]) == 5


def test_problems_are_the_same_both_ways(two_databases, tmp_path, monkeypatch):
    bad = [
        "C1,2026-01-02,Sam Lee,phone,,no,Fine",
        "C9,2026-01-02,Sam Lee,phone,,no,No such client",
        "C1,2026-02-30,Sam Lee,phone,,no,No such day",
        "C1,2026-01-02,Nobody,phone,,no,No such specialist",
        "C1,2026-01-02,Sam Lee,fax,,no,No such mode",
        "C1,2026-01-02,Sam Lee,phone,,no,bell\x07",
        "C1,2026-01-03,Sam Lee,phone,,no,Fine after the problems",
        "C1,2026-01-03,Sam Lee,phone,,no,Too many cells,x",
        "'=C1,2026-01-03,Sam Lee,phone,,no,A neutralised id",
        "C1,'+2026-01-03,Sam Lee,phone,,no,A neutralised date",
        'C1,2026-01-04,Sam Lee,phone,,no,"an unclosed quote',
    ]
    employer_bad = ["E1,2026-01-02,Sam Lee,phone,C1;C9,no,", "E9,2026-01-02,Sam Lee,phone,,no,"]
    folder = write_folder(tmp_path / "bad", bad, employer_bad)
    quick, usual_way = import_both(two_databases, folder, monkeypatch)
    assert quick == usual_way
    (outcome, errors, more), stored = quick
    assert outcome == "failed" and more == 0
    assert [e.split(": ")[0].rsplit(":", 1)[1] for e in errors] == [
        "3", "4", "5", "6", "7", "9", "10", "11", "12", "2", "3"]
    assert "no client has id 'C9'" in errors[0]
    assert "has 8 cells but the header has 7 columns" in errors[5]
    assert "'=C1' is not a valid id" in errors[6]
    assert "not valid CSV" in errors[8]
    assert stored["ClientContact"] == [] and stored["Client"] == []  # nothing was imported


@pytest.mark.sqlite_only
def test_a_big_first_import_sets_indexes_aside_and_makes_them_again(tmp_path, monkeypatch):
    """More than a batch of contacts into empty tables: the same rows as the usual way, every
    index back as the schema has it; and a big import that fails leaves the indexes as they
    were (the rollback)."""
    rng = random.Random(19)
    modes = ["phone", "in_person", "text", "Phone"]
    contacts = [f"C{rng.randint(1, 5)},2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d},"
                f"{rng.choice(['Sam Lee', 'Asha Roy'])},{rng.choice(modes)},,"
                f"{rng.choice(['no', 'yes'])},note {i}" for i in range(bulk.BATCH * 2 + 7)]
    employer = [f"E{rng.randint(1, 2)},2026-01-{rng.randint(1, 28):02d},Sam Lee,phone,"
                f"{';'.join(rng.sample(['C1', 'C2', 'C3'], rng.randint(0, 2)))},no,"
                for _ in range(bulk.BATCH + 3)]
    folder = write_folder(tmp_path / "big", contacts, employer)
    places = [tmp_path / "quick.db", tmp_path / "usual.db"]
    open_store(places[0])
    indexes_before = schema_of()
    quick, usual_way = import_both(places, folder, monkeypatch)
    assert quick == usual_way
    assert len(quick[1]["ClientContact"]) == bulk.BATCH * 2 + 7
    close_store()
    open_store(places[0])
    assert schema_of() == indexes_before

    broken = write_folder(tmp_path / "broken", [*contacts, "C1,2026-13-01,Sam Lee,phone,,no,"],
                          employer)
    close_store()
    fresh = tmp_path / "fresh.db"
    open_store(fresh)
    with pytest.raises(ix.ImportFailed):
        ix.import_paths([broken])
    assert schema_of() == indexes_before
    assert m.ClientContact.select().count() == 0
    close_store()


def schema_of() -> list[tuple]:
    return sorted(m.database.execute_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(), key=repr)


@pytest.mark.parametrize("name", ["specialists.csv", "employers.csv", "clients.csv", "jobs.csv",
                                  "client_contacts.csv", "employer_contacts.csv"])
def test_the_fixture_rows_are_built_as_clean_gives_them(name):
    import csv

    from golden_files import FIXTURES

    with (FIXTURES / "interchange" / name).open(encoding="utf-8", newline="") as fh:
        header, *lines = list(csv.reader(fh))
    entity = ix.ENTITY[name]
    build = validation.row_builder(entity, header)
    assert build is not None
    built = 0
    for cells in lines:
        values = build(cells)
        if values is not None:
            built += 1
            assert values == usual(entity, header, cells)
    assert built >= len(lines) // 2  # the usual rows are built


def test_records_breaking_rules_across_fields_are_left_to_clean(two_databases, tmp_path,
                                                                monkeypatch):
    folder = write_folder(tmp_path / "rules", ODD_CONTACTS[:1], ODD_EMPLOYER_CONTACTS[:1])
    (folder / "clients.csv").write_text(
        "client_id,last_name,specialist,stage,referral_date,closed_date,benefits_planning_date\n"
        "C1,Lee,Sam Lee,job_search,2026-01-01,,\n"
        "C2,Roy,Sam Lee,closed,2026-01-01,2025-12-01,\n"  # closed before the referral
        "C3,Ng,Sam Lee,closed,2026-01-01,,\n"  # closed with no closed date
        "C4,Oz,Sam Lee,job_search,2026-01-01,2026-02-01,\n"  # a closed date while open
        "C5,Ma,Sam Lee,closed,2026-01-01,2026-03-01,2025-01-01\n")  # fine, with a warning
    (folder / "jobs.csv").write_text(
        "job_id,client_id,title,start_date,end_date,competitive\n"
        "J1,C1,Barista,2026-02-01,2026-01-01,yes\n"  # ends before it starts
        "J2,C1,Cook,2026-02-01,,yes\n")
    quick, usual_way = import_both(two_databases, folder, monkeypatch)
    assert quick == usual_way
    (outcome, errors, _), _ = quick
    assert outcome == "failed"
    assert [e.split(":")[1] for e in errors if e.startswith("clients.csv")] == ["3", "4", "5"]
    assert [e.split(":")[1] for e in errors if e.startswith("jobs.csv")] == ["2"]


# ---------------------------------------------------------------- a first import's journal

def journal_mode() -> str:
    return str(m.database.execute_sql("PRAGMA journal_mode").fetchone()[0]).lower()


def modes_while_importing(folder: Path) -> list[str]:
    """Import ``folder`` into the open database: the journal mode each time progress was told."""
    seen: list[str] = []
    ix.import_paths([folder], progress=lambda done, total: seen.append(journal_mode()))
    return seen


@pytest.mark.sqlite_only
def test_a_first_import_writes_through_a_rollback_journal_then_goes_back_to_wal(tmp_path):
    folder = write_folder(tmp_path / "first", ODD_CONTACTS, ODD_EMPLOYER_CONTACTS)
    open_store(tmp_path / "first.db")
    assert journal_mode() == "wal"
    seen = modes_while_importing(folder)
    assert seen and set(seen) == {"delete"}
    assert journal_mode() == "wal"
    assert m.ClientContact.select().count() == 10
    close_store()
    # the file itself is back in WAL mode: a plain sqlite3 connection finds it so
    import sqlite3

    with contextlib.closing(sqlite3.connect(tmp_path / "first.db")) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    # a second import, into a database holding records: the WAL all the way
    more = write_folder(tmp_path / "more", ["C1,2026-05-01,Sam Lee,phone,,no,Later"], [])
    open_store(tmp_path / "first.db")
    assert set(modes_while_importing(more)) == {"wal"}
    assert m.ClientContact.select().count() == 11
    close_store()


@pytest.mark.sqlite_only
def test_a_failed_first_import_changes_nothing_and_goes_back_to_wal(tmp_path):
    folder = write_folder(tmp_path / "bad", [*ODD_CONTACTS, "C1,2026-13-01,Sam Lee,phone,,no,"],
                          ODD_EMPLOYER_CONTACTS)
    open_store(tmp_path / "bad.db")
    with pytest.raises(ix.ImportFailed):
        ix.import_paths([folder])
    assert journal_mode() == "wal"
    assert m.Client.select().count() == 0 and m.Specialist.select().count() == 0
    close_store()


@pytest.mark.sqlite_only
def test_a_first_import_keeps_to_the_wal_when_someone_else_has_the_file_open(tmp_path):
    import sqlite3

    folder = write_folder(tmp_path / "shared", ODD_CONTACTS, ODD_EMPLOYER_CONTACTS)
    path = tmp_path / "shared.db"
    open_store(path)
    with contextlib.closing(sqlite3.connect(path)) as colleague:
        colleague.execute("SELECT count(*) FROM client").fetchone()  # reading, in WAL mode
        assert set(modes_while_importing(folder)) == {"wal"}
        # the colleague goes on reading, and sees the import once it is committed
        assert colleague.execute("SELECT count(*) FROM client").fetchone()[0] == 5
    assert journal_mode() == "wal"
    close_store()


def test_progress_is_told_as_a_big_file_is_read(db, tmp_path):
    contacts = [f"C{1 + i % 5},2026-01-{1 + i % 28:02d},Sam Lee,phone,,no,note {i}"
                for i in range(2 * ix._PROGRESS_EVERY + 500)]
    folder = write_folder(tmp_path / "long", contacts, [])
    seen: list[tuple[int, int]] = []
    ix.import_paths([folder], progress=lambda done, total: seen.append((done, total)))
    total = seen[-1][1]
    assert seen[-1][0] == total == sum(len(p.read_bytes().splitlines()) for p in folder.iterdir())
    # two reports while client_contacts.csv was read (after 1000 and 2000 of its rows), in lines
    # of all the files: the four files before it, its header and the rows so far
    before = sum(len((folder / n).read_bytes().splitlines())
                 for n in ("specialists.csv", "employers.csv", "clients.csv"))
    assert seen[:-1] == [(before + 1 + 1000, total), (before + 1 + 2000, total)]


def test_a_problems_line_counts_the_line_breaks_in_quoted_cells(db, tmp_path):
    """A problem's line is the row's first physical line, however many line breaks (\\n, \\r\\n
    and \\r each one, as files are read) the quoted cells of the rows before it and its own hold."""
    rows = [
        'C1,2026-01-02,Sam Lee,phone,,no,"one\nbreak"',  # lines 2-3
        "",  # line 4, blank
        'C1,2026-01-03,Sam Lee,phone,,no,"crlf\r\nand\rcr"',  # lines 5-7
        "C9,2026-01-04,Sam Lee,phone,,no,no such client",  # line 8
        'C9,2026-01-05,Sam Lee,phone,,no,"two\n\nbreaks"',  # lines 9-11
        "C1,2026-13-01,Sam Lee,phone,,no,plain",  # line 12
        'C9,2026-01-06,Sam Lee,phone,,no,"crlf\r\nand\rcr"',  # lines 13-15
    ]
    folder = write_folder(tmp_path / "lines", rows, [])
    with (folder / "client_contacts.csv").open(encoding="utf-8", newline="") as fh:
        assert len(list(fh)) == 15  # the lines as a file is read: \n, \r\n and \r end one
    with pytest.raises(ix.ImportFailed) as failed:
        ix.import_paths([folder])
    lines = [e.split(":")[1] for e in failed.value.errors if e.startswith("client_contacts.csv")]
    assert lines == ["8", "9", "12", "13"]


@pytest.mark.sqlite_only
def test_opening_a_file_a_first_import_holds_says_it_is_busy(tmp_path, monkeypatch):
    """While a first import writes through its rollback journal, nobody can read the file:
    opening it waits the busy timeout, then says the file is busy (not that it cannot be read
    as a database), and changes nothing."""
    import sqlite3

    from ips_tui.store import db as store_db
    from ips_tui.store.db import StoreError

    path = tmp_path / "held.db"
    open_store(path)
    close_store()
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as importer:
        assert importer.execute("PRAGMA journal_mode = delete").fetchone()[0] == "delete"
        importer.execute("BEGIN EXCLUSIVE")  # as the import holds it while it writes
        monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 200)
        with pytest.raises(StoreError) as refused:
            open_store(path, create=False)
        importer.execute("ROLLBACK")
    assert "is busy: someone is importing into it or saving" in str(refused.value)
    assert "cannot be read as a database" not in str(refused.value)
    open_store(path, create=False)  # once it is let go, it opens
    close_store()
