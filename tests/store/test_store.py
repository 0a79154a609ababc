"""The store: opening and refusing files, writes (validation, audit, concurrency, cascades),
queries, and backups."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from pathlib import Path

import peewee as pw
import pytest
from conftest import KIM, SAM
from playhouse.test_utils import count_queries

from ips_tui.domain.facts import Client, ClientContact, Job
from ips_tui.store import backup as backup_mod
from ips_tui.store import db as db_mod
from ips_tui.store import migrations, queries, writes
from ips_tui.store import models as m
from ips_tui.store.db import StoreError, close_store, inspect, open_store
from ips_tui.store.migrations import SCHEMA_VERSION
from ips_tui.store.writes import ConflictError, NotFoundError
from ips_tui.validation import ValidationError

D = dt.date
posix_only = pytest.mark.skipif(os.name != "posix", reason="owner-only modes are POSIX")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def pragma(name: str):
    return m.database.execute_sql(f"pragma {name}").fetchone()[0]


def fields_of(exc: ValidationError) -> list[str]:
    return [e.field for e in exc.errors]


def audit_rows(**where) -> list[m.AuditEntry]:
    query = m.AuditEntry.select().order_by(m.AuditEntry.id)
    for key, value in where.items():
        query = query.where(getattr(m.AuditEntry, key) == value)
    return list(query)


def new_client(cid: str | None = None, **over) -> str:
    values = {"last_name": "Lund", "specialist": SAM, "stage": "engaged"}
    if cid:
        values["client_id"] = cid
    values.update(over)
    return writes.create_client(values)


# ================================================================== opening

@posix_only
def test_open_store_creates_an_owner_only_file_and_its_folder(tmp_path):
    path = tmp_path / "new" / "folder" / "ips.db"
    open_store(path)
    try:
        assert path.is_file()
        assert mode(path) == 0o600
        writes.add_specialist(SAM)  # a write makes SQLite create the WAL beside it
        wal = Path(f"{path}-wal")
        assert wal.exists()
        assert mode(wal) == 0o600
    finally:
        close_store()


@posix_only
def test_open_store_restricts_an_existing_database_to_its_owner(tmp_path):
    path = tmp_path / "ips.db"
    open_store(path)
    close_store()
    os.chmod(path, 0o644)
    open_store(path)
    close_store()
    assert mode(path) == 0o600


def test_schema_version_is_stamped(db):
    meta = {row.key: row.value for row in m.Meta.select()}
    assert meta == {"app": "ips-tui", "schema_version": str(SCHEMA_VERSION)}
    close_store()
    assert inspect(db) == SCHEMA_VERSION


def test_reopening_keeps_the_data(db):
    writes.add_specialist(SAM)
    cid = new_client()
    close_store()
    open_store(db)
    assert queries.specialists() == [SAM]
    assert queries.client_record(cid).values["last_name"] == "Lund"
    assert m.Meta.get_by_id("schema_version").value == str(SCHEMA_VERSION)


@pytest.mark.sqlite_only
def test_pragmas(db):
    assert pragma("foreign_keys") == 1
    assert pragma("journal_mode") == "wal"
    assert pragma("busy_timeout") > 0


def test_create_false_refuses_a_missing_file(tmp_path):
    path = tmp_path / "missing.db"
    with pytest.raises(StoreError, match="does not exist"):
        open_store(path, create=False)
    assert not path.exists()


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        open_store(tmp_path)


# ------------------------------------------------------------------ refusing files

def _random_bytes(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 16)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _real_db(path: Path) -> None:
    open_store(path)
    writes.add_specialist(SAM)
    for i in range(30):
        new_client(notes="x" * 2000)  # several pages, so a cut loses real data
    close_store()  # the last close checkpoints the WAL into the main file
    assert not Path(f"{path}-wal").exists()


def _truncated_in_first_page(path: Path) -> None:
    _real_db(path)
    path.write_bytes(path.read_bytes()[:1000])


def _truncated_in_half(path: Path) -> None:
    _real_db(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _plain_sqlite(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("create table notes (id integer primary key, body text)")
    con.execute("insert into notes (body) values ('not ours')")
    con.commit()
    con.close()


def _other_app(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("create table ips_meta (key text primary key, value text)")
    con.execute("insert into ips_meta values ('app', 'something-else'), ('schema_version', '1')")
    con.commit()
    con.close()


def _newer_schema(path: Path) -> None:
    _real_db(path)
    con = sqlite3.connect(path)
    con.execute("update ips_meta set value = ? where key = 'schema_version'",
                (str(SCHEMA_VERSION + 1),))
    con.commit()
    con.close()


HOSTILE_TRIGGER = ("CREATE TRIGGER t AFTER INSERT ON client_contact BEGIN "
                   "DELETE FROM client_contact; DELETE FROM audit_log; END")


def _with_sql(*statements: str):  # type: ignore[no-untyped-def]
    """A real database changed behind the app's back with plain SQL (as another tool would)."""
    def make(path: Path) -> None:
        _real_db(path)
        con = sqlite3.connect(path)
        for statement in statements:
            con.execute(statement)
        con.commit()
        con.close()
    return make


# (builder, words in the message, whether the file is in WAL format)
REFUSED = {
    "random bytes": (_random_bytes, "not an ips-tui database (not an SQLite file)", False),
    "empty file": (_empty, "is an empty file", False),
    "truncated in first page": (_truncated_in_first_page, "cannot be read as a database", True),
    "truncated in half": (_truncated_in_half, "cannot be read as a database", True),
    "plain sqlite": (_plain_sqlite, "an SQLite database but not an ips-tui database", False),
    "other app's ips_meta": (_other_app, "is not an ips-tui database", False),
    "newer schema": (_newer_schema, "written by a newer ips-tui", True),
    "an extra trigger": (_with_sql(HOSTILE_TRIGGER), "unexpected trigger 't' on client_contact",
                         True),
    "an extra view": (_with_sql("create view v as select * from client"), "unexpected view 'v'",
                      True),
    "an extra index": (_with_sql("create index ix on client(notes)"),
                       "unexpected index 'ix' on client", True),
    "an extra column": (_with_sql("alter table client add column x text"),
                        "unexpected column 'x' in table client", True),
    "a missing index": (_with_sql("drop index job_client_id_start_date"),
                        "missing index 'job_client_id_start_date' on job", True),
    "an extra table": (_with_sql("create table later (id integer)"), "unexpected table 'later'",
                       True),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_files_are_left_byte_identical(tmp_path, case):
    build, words, wal_format = REFUSED[case]
    path = tmp_path / "target.db"
    build(path)
    before = sha(path)
    siblings_before = sorted(p.name for p in tmp_path.iterdir())

    with pytest.raises(StoreError) as info:
        open_store(path)

    message = str(info.value)
    assert words in message
    assert "nothing was changed" in message
    assert str(path) in message
    assert sha(path) == before
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    if not wal_format:
        # Rejected before SQLite opens it, or a rollback-journal file: nothing beside it.
        assert sorted(p.name for p in tmp_path.iterdir()) == siblings_before
    else:
        # SQLite's read-only check of a WAL-format file may create -wal/-shm beside it (see the
        # report); if it does, nothing is written into the WAL.
        assert not wal.exists() or wal.stat().st_size == 0
    assert not (tmp_path / "backups").exists()


def test_newer_schema_message_says_to_upgrade(tmp_path):
    path = tmp_path / "new.db"
    _newer_schema(path)
    with pytest.raises(StoreError, match=rf"schema {SCHEMA_VERSION + 1}.*Upgrade ips-tui"):
        open_store(path)


def test_refused_file_does_not_bind_the_models(tmp_path):
    path = tmp_path / "junk.db"
    _random_bytes(path)
    with pytest.raises(StoreError):
        open_store(path)
    assert db_mod.database_path() != path


@pytest.mark.parametrize("version", ["0", "-1"])
def test_non_positive_schema_version_is_refused(tmp_path, version):
    path = tmp_path / "odd.db"
    _real_db(path)
    con = sqlite3.connect(path)
    con.execute("update ips_meta set value = ? where key = 'schema_version'", (version,))
    con.commit()
    con.close()
    before = sha(path)
    # Regression: this used to crash with FileExistsError ("0") or KeyError ("-1").
    with pytest.raises(StoreError, match="has no valid schema version; nothing was changed"):
        open_store(path)
    assert sha(path) == before
    assert not (tmp_path / "backups").exists()


# ------------------------------------------------------------------ migrations

def test_an_older_database_with_an_extra_trigger_is_refused_before_it_is_migrated(
        tmp_path, monkeypatch):
    path = tmp_path / "ips.db"
    _with_sql(HOSTILE_TRIGGER)(path)
    before = sha(path)
    ran = []
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(db_mod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(migrations.MIGRATIONS, SCHEMA_VERSION + 1, lambda database: ran.append(1))
    with pytest.raises(StoreError, match="unexpected trigger 't' on client_contact"):
        open_store(path)
    assert ran == [1]  # the migration ran, on a copy in memory: compared as it would be after
    assert sha(path) == before
    assert not (tmp_path / "backups").exists()



def test_migration_runs_after_a_backup_and_stamps_the_version(tmp_path, monkeypatch):
    path = tmp_path / "ips.db"
    _real_db(path)

    def step(database):
        m.Setting.insert(key="migrated", value="yes").execute()

    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(db_mod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(migrations.MIGRATIONS, SCHEMA_VERSION + 1, step)
    open_store(path)
    try:
        assert m.Meta.get_by_id("schema_version").value == str(SCHEMA_VERSION + 1)
        assert writes.get_setting("migrated") == "yes"
    finally:
        close_store()
    made = list((tmp_path / "backups").glob("ips-*-migration.db"))
    assert len(made) == 1
    # The backup is the database as it was before the migration.
    assert inspect(made[0]) == SCHEMA_VERSION


def test_failed_migration_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "ips.db"
    _real_db(path)

    def step(database):
        m.Setting.insert(key="half", value="done").execute()
        raise pw.OperationalError("boom")

    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(db_mod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(migrations.MIGRATIONS, SCHEMA_VERSION + 1, step)
    with pytest.raises(StoreError, match="boom"):
        open_store(path)
    monkeypatch.undo()
    assert inspect(path) == SCHEMA_VERSION
    open_store(path)
    try:
        assert writes.get_setting("half") is None
    finally:
        close_store()


# ================================================================== a full disk

class _Usage:
    total, used, free = 10 * 2**30, 10 * 2**30 - 12 * 1024, 12 * 1024


@pytest.mark.sqlite_only
def test_a_save_on_a_full_disk_says_so_and_how_much_is_free(db, monkeypatch):
    from ips_tui.store import damage

    monkeypatch.setattr(damage.shutil, "disk_usage", lambda folder: _Usage())
    writes.add_specialist(SAM)
    # The file may not grow: as on a full disk, SQLite says "database or disk is full".
    pages = pragma("page_count")
    m.database.obj.execute_sql(f"pragma max_page_count = {pages}")
    with pytest.raises(db_mod.SaveFailed) as caught:
        for _ in range(50):
            new_client(notes="x" * 3000)
    message = str(caught.value)
    assert message.startswith(f"the disk is full (12 KB free on the disk holding {db.parent})")
    assert "free some disk space" in message and "check" not in message


# ================================================================== writes

def test_create_client_stamps_and_audits(db):
    writes.add_specialist(SAM)
    cid = writes.create_client({"client_id": "C0042", "first_name": "Ana", "last_name": "Zeller",
                                "specialist": SAM, "stage": "engaged"}, by=SAM)
    assert cid == "C0042"
    row = m.Client.get_by_id("C0042")
    assert row.version == 1
    assert row.created_at == row.updated_at and row.created_at.endswith("Z")
    assert row.specialist.name == SAM
    (entry,) = audit_rows(entity="client")
    assert (entry.action, entry.entity_id, entry.client_id, entry.specialist) == \
        ("create", "C0042", "C0042", SAM)
    names = json.loads(entry.fields)
    assert names == sorted(names)
    assert {"last_name", "first_name", "stage", "specialist"} <= set(names)


def test_audit_log_holds_field_names_never_values(seeded):
    writes.update_client("C0001", {"notes": "Secret diagnosis note", "phone": "555-0199"}, 1, by=SAM)
    writes.update_job("J0001", {"title": "Head housekeeper"}, 1, by=SAM)
    writes.delete_client("C0004", by=KIM)
    dump = json.dumps([list(r) for r in m.AuditEntry.select().tuples()])
    for value in ("Zeller", "Adams", "Ana", "555-0100", "555-0199", "Secret", "Housekeeper",
                  "Head housekeeper", "Harbor", "First week"):
        assert value not in dump
    update = audit_rows(entity="client", action="update")[-1]
    assert json.loads(update.fields) == ["notes", "phone"]


def test_next_id(db):
    assert writes.next_id("client") == "C0001"
    assert writes.next_id("employer") == "E0001"
    assert writes.next_id("job") == "J0001"
    writes.add_specialist(SAM)
    new_client("C0009")
    new_client("C0099x")  # not the pattern: ignored
    new_client("X0500")   # another prefix: ignored
    new_client("c0700")   # lower case: not the pattern
    assert writes.next_id("client") == "C0010"
    assert new_client() == "C0010"
    new_client("C12345")
    assert writes.next_id("client") == "C12346"


def test_next_id_after_the_seed(seeded):
    assert writes.next_id("client") == "C0006"
    assert writes.next_id("employer") == "E0003"
    assert writes.next_id("job") == "J0002"


def test_update_client_bumps_version_and_audits(seeded):
    new_version = writes.update_client("C0002", {"phone": "555-0111", "discuss": "yes"}, 1, by=KIM)
    assert new_version == 2
    row = m.Client.get_by_id("C0002")
    assert (row.phone, row.discuss, row.version) == ("555-0111", True, 2)
    entry = audit_rows(entity="client", action="update")[-1]
    assert (entry.entity_id, entry.client_id, entry.specialist) == ("C0002", "C0002", KIM)
    assert json.loads(entry.fields) == ["discuss", "phone"]


def test_update_with_no_real_change_keeps_the_version_and_writes_no_audit(seeded):
    before = len(audit_rows())
    assert writes.update_client("C0002", {"phone": "555-0100"}, 1) == 1
    assert m.Client.get_by_id("C0002").version == 1
    assert len(audit_rows()) == before


def test_update_client_moves_a_client_to_another_specialist(seeded):
    writes.update_client("C0002", {"specialist": KIM}, 1)
    assert m.Client.get_by_id("C0002").specialist.name == KIM
    with pytest.raises(ValidationError) as info:
        writes.update_client("C0002", {"specialist": "Nobody"}, 2)
    assert "no specialist is called 'Nobody'" in str(info.value)


def test_stale_update_raises_conflict_and_changes_nothing(seeded):
    writes.update_client("C0002", {"phone": "555-0111"}, 1)  # someone else saved first
    audits = len(audit_rows())
    with pytest.raises(ConflictError) as info:
        writes.update_client("C0002", {"phone": "555-0222", "notes": "mine"}, 1)
    assert isinstance(info.value, StoreError)
    assert "nothing was saved" in str(info.value)
    row = m.Client.get_by_id("C0002")
    assert (row.phone, row.notes, row.version) == ("555-0111", None, 2)
    assert len(audit_rows()) == audits


def test_stale_update_of_employer_and_job_raise_conflict(seeded):
    writes.update_employer("E0001", {"phone": "555-0300"}, 1)
    with pytest.raises(ConflictError):
        writes.update_employer("E0001", {"phone": "555-0301"}, 1)
    assert m.Employer.get_by_id("E0001").phone == "555-0300"
    writes.update_job("J0001", {"hours_per_week": 25}, 1)
    with pytest.raises(ConflictError):
        writes.update_job("J0001", {"hours_per_week": 30}, 1)
    assert m.Job.get_by_id("J0001").hours_per_week == 25.0


def test_update_without_an_expected_version_always_applies(seeded):
    writes.update_client("C0002", {"phone": "1"}, 1)
    assert writes.update_client("C0002", {"phone": "2"}, None) == 3


def test_updates_of_missing_rows_raise_not_found(seeded):
    with pytest.raises(NotFoundError):
        writes.update_client("C9999", {"phone": "1"}, 1)
    with pytest.raises(NotFoundError):
        writes.update_employer("E9999", {"phone": "1"}, 1)
    with pytest.raises(NotFoundError):
        writes.update_job("J9999", {"title": "x"}, 1)
    with pytest.raises(NotFoundError):
        writes.delete_client("C9999")
    with pytest.raises(NotFoundError):
        writes.delete_client_contact(99999)


def test_update_is_checked_against_the_whole_record(seeded):
    # closed_date on an engaged client breaks a cross-field rule of the merged record.
    with pytest.raises(ValidationError) as info:
        writes.update_client("C0003", {"closed_date": "2026-11-01"}, 1)
    assert fields_of(info.value) == ["closed_date"]
    row = m.Client.get_by_id("C0003")
    assert (row.closed_date, row.version) == (None, 1)
    # Together with the stage it is fine.
    assert writes.update_client("C0003", {"stage": "closed", "closed_date": "2026-11-01"}, 1) == 2


def test_job_end_before_start_is_refused_on_update(seeded):
    with pytest.raises(ValidationError) as info:
        writes.update_job("J0001", {"end_date": "2026-11-01"}, 1)
    assert fields_of(info.value) == ["end_date"]
    assert m.Job.get_by_id("J0001").end_date is None
    assert writes.update_job("J0001", {"end_date": "2026-11-21", "end_reason": "Moved"}, 1) == 2
    assert m.Job.get_by_id("J0001").end_date == D(2026, 11, 21)


def test_changing_a_client_id_is_a_validation_error(seeded):
    # Regression: a taken id used to leak a raw peewee.IntegrityError, and a free one silently
    # renamed the client (leaving the audit trail under the old id).
    for new_id in ("C0003", "C0777"):
        with pytest.raises(ValidationError) as info:
            writes.update_client("C0002", {"client_id": new_id}, 1)
        assert fields_of(info.value) == ["client_id"]
    assert m.Client.get_by_id("C0002").version == 1
    assert m.Client.get_or_none(m.Client.client_id == "C0777") is None
    # Naming the same id along with other changes is fine.
    assert writes.update_client("C0002", {"client_id": "C0002", "phone": "555-0123"}, 1) == 2


def test_validation_errors_write_nothing(db):
    writes.add_specialist(SAM)
    audits = len(audit_rows())
    with pytest.raises(ValidationError) as info:
        writes.create_client({"last_name": "", "specialist": SAM, "stage": "nope",
                              "email": "bad"})
    assert sorted(fields_of(info.value)) == ["email", "last_name", "stage"]
    with pytest.raises(ValidationError) as info:
        writes.create_client({"last_name": "Lund", "specialist": "Nobody", "stage": "engaged"})
    assert fields_of(info.value) == ["specialist"]
    assert m.Client.select().count() == 0
    assert len(audit_rows()) == audits


def test_duplicate_ids_and_names_are_refused(seeded):
    with pytest.raises(ValidationError) as info:
        new_client("C0001")
    assert "exists" in str(info.value)
    with pytest.raises(ValidationError):
        writes.create_employer({"employer_id": "E0001", "name": "Again"})
    with pytest.raises(ValidationError):
        writes.create_job({"job_id": "J0001", "client_id": "C0002", "title": "x",
                           "start_date": "2026-01-01"})
    with pytest.raises(ValidationError):
        writes.add_specialist(SAM)
    assert queries.counts() == {"specialists": 2, "clients": 5, "employers": 2, "jobs": 1,
                                "client_contacts": 4, "employer_contacts": 2}


def test_referenced_rows_must_exist(seeded):
    before = queries.counts()
    cases = [
        (lambda: writes.create_job({"client_id": "C9999", "title": "Cook",
                                    "start_date": "2026-01-01"}), "client_id"),
        (lambda: writes.create_job({"client_id": "C0001", "employer_id": "E9999", "title": "Cook",
                                    "start_date": "2026-01-01"}), "employer_id"),
        (lambda: writes.add_client_contact({"client_id": "C9999", "date": "2026-11-01",
                                            "specialist": SAM, "mode": "phone"}), "client_id"),
        (lambda: writes.add_client_contact({"client_id": "C0001", "date": "2026-11-01",
                                            "specialist": "Nobody", "mode": "phone"}),
         "specialist"),
        (lambda: writes.add_employer_contact({"employer_id": "E9999", "date": "2026-11-01",
                                              "specialist": SAM, "mode": "phone"}), "employer_id"),
        (lambda: writes.add_employer_contact({"employer_id": "E0001", "date": "2026-11-01",
                                              "specialist": SAM, "mode": "phone",
                                              "client_ids": "C0001;C9999"}), "client_ids"),
        (lambda: writes.update_job("J0001", {"employer_id": "E9999"}, 1), "employer_id"),
    ]
    for call, field in cases:
        with pytest.raises(ValidationError) as info:
            call()
        assert fields_of(info.value) == [field]
    assert queries.counts() == before
    assert m.EmployerContactClient.select().count() == 1


def test_employer_create_update_delete(seeded):
    eid = writes.create_employer({"name": "Bay Bikes", "industry": "Retail"}, by=SAM)
    assert eid == "E0003"
    assert writes.update_employer(eid, {"contact_name": "Lee"}, 1, by=SAM) == 2
    with pytest.raises(ValidationError):
        writes.update_employer(eid, {"name": ""}, 2)  # required
    assert m.Employer.get_by_id(eid).name == "Bay Bikes"
    writes.delete_employer(eid, by=SAM)
    assert m.Employer.get_or_none(m.Employer.employer_id == eid) is None
    assert [r.action for r in audit_rows(entity="employer", entity_id=eid)] == \
        ["create", "update", "delete"]


def test_deleting_an_employer_keeps_jobs_and_drops_its_contact_log(seeded):
    writes.delete_employer("E0001")
    job = m.Job.get_by_id("J0001")
    assert job.employer_id is None
    assert m.EmployerContact.select().count() == 0
    assert m.EmployerContactClient.select().count() == 0


def test_job_create_and_delete(seeded):
    jid = writes.create_job({"client_id": "C0002", "employer_id": "E0002", "title": "Bookseller",
                             "start_date": "2026-12-01", "competitive": "no"}, by=SAM)
    assert jid == "J0002"
    row = m.Job.get_by_id(jid)
    assert (row.client_id, row.employer_id, row.competitive) == ("C0002", "E0002", False)
    writes.delete_job(jid, by=SAM)
    assert m.Job.get_or_none(m.Job.job_id == jid) is None
    entries = audit_rows(entity="job", entity_id=jid)
    assert [(e.action, e.client_id) for e in entries] == [("create", "C0002"), ("delete", "C0002")]


def test_contacts_add_and_delete(seeded):
    cid = writes.add_client_contact({"client_id": "C0003", "date": "2026-11-22", "specialist": KIM,
                                     "mode": "video"}, by=KIM)
    row = m.ClientContact.get_by_id(cid)
    assert (row.client_id, row.specialist.name, row.mode, row.attempted) == \
        ("C0003", KIM, "video", False)
    writes.delete_client_contact(cid, by=KIM)
    assert m.ClientContact.get_or_none(m.ClientContact.id == cid) is None
    ec = writes.add_employer_contact({"employer_id": "E0002", "date": "2026-11-22",
                                      "specialist": KIM, "mode": "email",
                                      "client_ids": "C0003; C0005;C0003"})
    linked = sorted(r.client_id for r in m.EmployerContactClient.select()
                    .where(m.EmployerContactClient.employer_contact == ec))
    assert linked == ["C0003", "C0005"]
    writes.delete_employer_contact(ec)
    assert m.EmployerContactClient.select().where(
        m.EmployerContactClient.employer_contact == ec).count() == 0
    assert [r.action for r in audit_rows(entity="employer_contact", entity_id=str(ec))] == \
        ["create", "delete"]


def test_deleting_a_client_cascades_to_jobs_and_contacts(seeded):
    writes.delete_client("C0001", by=SAM)
    assert m.Job.select().where(m.Job.client == "C0001").count() == 0
    assert m.ClientContact.select().where(m.ClientContact.client == "C0001").count() == 0
    writes.delete_client("C0002", by=SAM)
    assert m.ClientContact.select().count() == 0
    assert m.EmployerContactClient.select().count() == 0
    assert m.EmployerContact.select().count() == 2  # the employer's log itself stays
    assert [e.action for e in audit_rows(entity="client", entity_id="C0001")] == \
        ["create", "delete"]


def test_specialist_with_clients_cannot_be_deleted_underneath(seeded):
    # on_delete RESTRICT: foreign keys are enforced by the connection.
    with pytest.raises(pw.IntegrityError):
        m.Specialist.delete().where(m.Specialist.name == SAM).execute()


def test_settings(db):
    assert writes.get_setting("x") is None
    assert writes.get_setting("x", "d") == "d"
    writes.set_setting("x", "1", by=SAM)
    writes.set_setting("x", "2", by=SAM)
    assert writes.get_setting("x") == "2"
    assert [(e.action, e.entity, e.entity_id) for e in audit_rows(entity="setting")] == \
        [("update", "setting", "x")] * 2


# ================================================================== queries

def test_caseload_order_last_contact_and_closed(seeded):
    rows = queries.caseload()
    assert [r.client_id for r in rows] == ["C0002", "C0005", "C0003", "C0001"]  # Adams, Brook...
    by_id = {r.client_id: r for r in rows}
    # The attempt on 2026-11-20 did not reach Ana: her last contact is the phone call.
    assert by_id["C0001"].last_contact == D(2026, 11, 12)
    assert by_id["C0002"].last_contact == D(2026, 10, 15)
    assert by_id["C0003"].last_contact is None
    assert by_id["C0001"].name == "Ana Zeller"
    assert by_id["C0001"].start_date == D(2026, 8, 10)
    assert by_id["C0005"].start_date is None
    every = queries.caseload(include_closed=True)
    # Ben and Dev share a last name: first name breaks the tie.
    assert [r.client_id for r in every] == ["C0002", "C0004", "C0005", "C0003", "C0001"]
    assert [r.client_id for r in queries.caseload(specialist=KIM)] == ["C0005", "C0003"]
    assert [r.client_id for r in queries.caseload(specialist=KIM, include_closed=True)] == \
        ["C0004", "C0005", "C0003"]


def test_caseload_only_attempts_means_no_last_contact(seeded):
    writes.add_client_contact({"client_id": "C0003", "date": "2026-11-21", "specialist": KIM,
                               "mode": "phone", "attempted": True})
    row = next(r for r in queries.caseload() if r.client_id == "C0003")
    assert row.last_contact is None


def test_client_record(seeded):
    record = queries.client_record("C0001")
    assert record.client_id == "C0001" and record.name == "Ana Zeller"
    assert record.version == 1
    assert record.values["specialist"] == SAM
    assert record.values["start_date"] == D(2026, 8, 10)
    ids = seeded.contact_ids
    assert [c.id for c in record.contacts] == [ids["ana_attempt"], ids["ana_phone"],
                                               ids["ana_in_person"]]
    assert [c.date for c in record.contacts] == [D(2026, 11, 20), D(2026, 11, 12), D(2026, 11, 5)]
    assert record.contacts[0].attempted is True
    (job,) = record.jobs
    assert (job.job_id, job.employer, job.title, job.hours_per_week, job.hourly_wage) == \
        ("J0001", "Harbor Hotel", "Housekeeper", 20.0, 12.5)
    assert job.is_current(D(2026, 11, 23)) and not job.is_current(D(2026, 11, 1))
    assert record.employer_contacts == []


def test_client_record_same_day_contacts_newest_entry_first(seeded):
    later = writes.add_client_contact({"client_id": "C0001", "date": "2026-11-12",
                                       "specialist": SAM, "mode": "text"})
    dates_ids = [(c.date, c.id) for c in queries.client_record("C0001").contacts]
    assert dates_ids[1:3] == [(D(2026, 11, 12), later),
                              (D(2026, 11, 12), seeded.contact_ids["ana_phone"])]


def test_client_record_employer_contacts_and_missing_client(seeded):
    record = queries.client_record("C0002")
    (ec,) = record.employer_contacts
    assert (ec.employer_id, ec.employer, ec.date, ec.specialist, ec.client_ids) == \
        ("E0001", "Harbor Hotel", D(2026, 10, 20), SAM, ("C0002",))
    assert ec.hiring_manager is True
    with pytest.raises(NotFoundError):
        queries.client_record("C9999")


def test_client_record_same_day_employer_contacts_in_entry_order_with_all_their_clients(seeded):
    first = writes.add_employer_contact({"employer_id": "E0002", "date": "2026-11-02",
                                         "specialist": KIM, "mode": "in_person",
                                         "client_ids": ["C0003", "C0002"]})
    second = writes.add_employer_contact({"employer_id": "E0001", "date": "2026-11-02",
                                          "specialist": SAM, "mode": "phone",
                                          "client_ids": ["C0002"]})
    contacts = queries.client_record("C0002").employer_contacts
    assert [(ec.id, ec.date) for ec in contacts][:2] == [(first, D(2026, 11, 2)),
                                                         (second, D(2026, 11, 2))]
    assert [ec.client_ids for ec in contacts] == [("C0002", "C0003"), ("C0002",), ("C0002",)]
    assert (contacts[0].employer, contacts[0].specialist, contacts[0].mode) == (
        "Corner Books", KIM, "in_person")


def test_client_record_takes_five_queries_however_long_the_record(seeded):
    for day in range(1, 29):
        writes.add_client_contact({"client_id": "C0001", "date": f"2026-10-{day:02d}",
                                   "specialist": SAM, "mode": "phone"})
    with count_queries() as counter:
        record = queries.client_record("C0001")
    assert len(record.contacts) == 31
    assert counter.count == 5


def test_employers_counts_and_last_contact(seeded):
    rows = queries.employers()
    assert [(r.employer_id, r.contacts, r.last_contact) for r in rows] == [
        ("E0002", 0, None),                 # Corner Books
        ("E0001", 2, D(2026, 11, 10)),      # Harbor Hotel
    ]
    writes.create_employer({"employer_id": "E0003", "name": "acme tools"})
    assert [r.name for r in queries.employers()] == ["acme tools", "Corner Books", "Harbor Hotel"]


def test_employer_log_and_window(seeded):
    log = queries.employer_log("E0001")
    assert [e.id for e in log] == [seeded.employer_contact_ids["kim_visit"],
                                   seeded.employer_contact_ids["for_ben"]]
    assert [e.client_ids for e in log] == [(), ("C0002",)]
    window = queries.employer_contacts_between(D(2026, 10, 1), D(2026, 10, 31))
    assert [e.id for e in window] == [seeded.employer_contact_ids["for_ben"]]
    assert queries.employer_contacts_between(D(2026, 11, 10), D(2026, 11, 10))[0].specialist == KIM


def test_counts_and_specialists(seeded):
    assert queries.counts() == {"specialists": 2, "clients": 5, "employers": 2, "jobs": 1,
                                "client_contacts": 4, "employer_contacts": 2}
    assert queries.specialists() == [KIM, SAM]
    m.Specialist.update(active=False).where(m.Specialist.name == KIM).execute()
    assert queries.specialists(active_only=True) == [SAM]


def test_reminder_inputs_content(seeded, today):
    clients, jobs, contacts, first_ec = queries.reminder_inputs(today, ["in_person"])
    assert sorted(clients, key=lambda c: c.client_id) == [
        Client("C0001", SAM, "employed", "Ana", "Zeller", start_date=D(2026, 8, 10)),
        Client("C0002", SAM, "job_search", "Ben", "Adams", start_date=D(2026, 10, 1)),
        Client("C0003", KIM, "engaged", "Cara", "Moss", start_date=D(2026, 10, 20)),
        Client("C0005", KIM, "referred", "Eve", "Brook", start_date=None),
    ]
    # With the job's title and employer, for reminders that name the job.
    assert jobs == [Job("J0001", "C0001", D(2026, 11, 2), None, title="Housekeeper",
                        employer="Harbor Hotel")]
    # Only reached, in-person contacts of clients with a job: not the phone call, not the attempt.
    assert contacts == [ClientContact("C0001", D(2026, 11, 5), "in_person", False)]
    assert first_ec == {"C0002": D(2026, 10, 20)}
    # Each client's latest qualifying contact only: the phone call of 11-12 when it counts.
    _, _, with_phone, _ = queries.reminder_inputs(today, ["in_person", "phone"])
    assert [(c.client_id, c.date, c.mode in ("in_person", "phone")) for c in with_phone] == [
        ("C0001", D(2026, 11, 12), True)]
    _, _, earlier, _ = queries.reminder_inputs(D(2026, 11, 4), ["in_person"])
    assert earlier == []


def _caseload_of(n: int) -> None:
    writes.add_specialist(SAM)
    writes.create_employer({"employer_id": "E1", "name": "Harbor Hotel"})
    for i in range(n):
        cid = new_client(f"C{i:04d}", stage="employed", start_date="2026-06-01")
        writes.create_job({"client_id": cid, "employer_id": "E1", "title": "Cook",
                           "start_date": "2026-07-01"})
        for day in ("2026-07-02", "2026-08-02"):
            writes.add_client_contact({"client_id": cid, "date": day, "specialist": SAM,
                                       "mode": "in_person"})
        writes.add_employer_contact({"employer_id": "E1", "date": "2026-06-10", "specialist": SAM,
                                     "mode": "phone", "client_ids": [cid]})


@pytest.mark.parametrize("n", [5, 50])
def test_reminder_inputs_query_count_does_not_grow_with_clients(tmp_path, today, n):
    open_store(tmp_path / f"n{n}.db")
    try:
        _caseload_of(n)
        with count_queries() as counter:
            clients, jobs, contacts, first_ec = queries.reminder_inputs(today, ["in_person"])
        assert (len(clients), len(jobs), len(contacts), len(first_ec)) == (n, n, n, n)
        assert {c.date for c in contacts} == {D(2026, 8, 2)}  # each client's latest only
        # The docstring promises four queries, whatever the size of the caseload.
        assert counter.count == 4
    finally:
        close_store()


# ================================================================== backups

NOW = dt.datetime(2026, 11, 23, 9, 30, 0)


def _clients_in(path: Path) -> int:
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return con.execute("select count(*) from client").fetchone()[0]
    finally:
        con.close()


@pytest.mark.sqlite_only
def test_backup_makes_an_owner_only_consistent_copy(seeded):
    made = backup_mod.backup(m.database.obj, seeded.path, now=NOW)
    assert made == seeded.path.parent / "backups" / "ips-20261123-093000-manual.db"
    assert made.is_file()
    if os.name == "posix":
        assert mode(made) == 0o600
    assert inspect(made) == SCHEMA_VERSION
    assert _clients_in(made) == 5
    assert not list(made.parent.glob("*.partial"))


@pytest.mark.sqlite_only
def test_backup_to_a_chosen_folder_or_file(seeded, tmp_path):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    made = backup_mod.backup(m.database.obj, seeded.path, dest=folder, now=NOW)
    assert made == folder / "ips-20261123-093000-manual.db"
    target = tmp_path / "copy.db"
    assert backup_mod.backup(m.database.obj, seeded.path, dest=target) == target
    assert _clients_in(target) == 5


@pytest.mark.sqlite_only
def test_backup_into_a_new_folder_makes_it(seeded, tmp_path):
    folder = tmp_path / "newdir"
    made = backup_mod.backup(m.database.obj, seeded.path, dest=folder, now=NOW, into_folder=True)
    assert made == folder / "ips-20261123-093000-manual.db"
    assert _clients_in(made) == 5


@pytest.mark.sqlite_only
def test_an_interrupted_backup_leaves_no_partial_file_and_old_ones_are_cleaned(seeded, tmp_path):
    import time

    class Interrupted:
        def backup(self, target):  # as if Ctrl-C arrived half-way through the copy
            target.execute("create table half (x)")
            raise KeyboardInterrupt

    folder = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        backup_mod.copy_database(Interrupted(), folder / "copy.db")  # type: ignore[arg-type]
    assert sorted(p.name for p in folder.iterdir()) == []
    # What a backup killed outright left behind (this version's name and an earlier one's) is
    # deleted by the next backup into that folder; one still being written is not.
    stale = [folder / ".ips-20261122-080000-manual.db.k2j4x9_a.partial",
             folder / ".ips-20261122-080000-manual.db.k2j4x9_a.partial-journal",
             folder / "ips-20261122-080000-daily.db.partial"]
    fresh = folder / ".ips-20261123-093000-manual.db.zz99zz99.partial"
    old = time.time() - backup_mod.STALE_PARTIAL_SECONDS - 60
    for path in (*stale, fresh):
        path.write_bytes(b"half a database")
    for path in stale:
        os.utime(path, (old, old))
    keep = folder / "notes.partial"  # not a backup's: never touched
    keep.write_bytes(b"mine")
    os.utime(keep, (old, old))
    made = backup_mod.backup(m.database.obj, seeded.path, dest=folder, now=NOW)
    assert sorted(p.name for p in folder.iterdir()) == sorted([made.name, fresh.name, keep.name])


@posix_only
@pytest.mark.sqlite_only
def test_folders_the_app_creates_are_owner_only_whatever_the_umask(tmp_path):
    from ips_tui import config

    old = os.umask(0)
    try:
        data = tmp_path / "data" / "ips-tui"
        open_store(data / "ips.db")
        backup_mod.backup(m.database.obj, data / "ips.db")
        close_store()
        settings = tmp_path / "config" / "ips-tui"
        config.save({"specialist": SAM}, settings / "config.json")
        output = tmp_path / "reports" / "week"
        from ips_tui.output import write_private

        write_private(output / "agenda.md", "# Agenda\n")
    finally:
        os.umask(old)
    for folder in (tmp_path / "data", data, data / "backups", tmp_path / "config", settings,
                   tmp_path / "reports", output):
        assert mode(folder) == 0o700, folder
    assert mode(data / "ips.db") == 0o600
    assert mode(settings / "config.json") == 0o600
    assert mode(output / "agenda.md") == 0o600


@pytest.mark.sqlite_only
def test_daily_backup_at_most_once_per_day(seeded, today):
    path = seeded.path
    first = backup_mod.daily_backup(m.database.obj, path, today, now=NOW)
    assert first is not None and first.name == "ips-20261123-093000-daily.db"
    later_same_day = dt.datetime(2026, 11, 23, 17, 0, 0)
    assert backup_mod.daily_backup(m.database.obj, path, today, now=later_same_day) is None
    assert len(list((path.parent / "backups").glob("*-daily.db"))) == 1
    tomorrow = today + dt.timedelta(days=1)
    second = backup_mod.daily_backup(m.database.obj, path, tomorrow,
                                     now=dt.datetime(2026, 11, 24, 8, 0, 0))
    assert second is not None and second.name == "ips-20261124-080000-daily.db"


@pytest.mark.sqlite_only
def test_daily_backup_once_per_given_day_without_now(seeded):
    # Regression: the file used to be named from the clock while the check used `today`.
    day = dt.date(2030, 1, 1)  # deliberately not the clock's date
    made = backup_mod.daily_backup(m.database.obj, seeded.path, day)
    assert made is not None and made.name.startswith("ips-20300101-")
    assert backup_mod.daily_backup(m.database.obj, seeded.path, day) is None


def test_backups_of_a_similarly_named_database_are_not_mixed_up(tmp_path, today):
    other = tmp_path / "team-old.db"
    open_store(other)
    try:
        assert backup_mod.daily_backup(m.database.obj, other, today, now=NOW) is not None
    finally:
        close_store()
    # Regression: '<stem>-*-daily.db' used to match team-old's backups when asking about team.
    team = tmp_path / "team.db"
    open_store(team)
    try:
        made = backup_mod.daily_backup(m.database.obj, team, today, now=NOW)
        assert made is not None and made.name == "team-20261123-093000-daily.db"
    finally:
        close_store()
    folder = tmp_path / "backups"
    _touch_backups(folder, "team", "daily", backup_mod.KEEP_DAILY + 5, D(2025, 1, 1))
    backup_mod.prune(team)
    assert (folder / "team-old-20261123-093000-daily.db").exists()
    assert len(list(folder.glob("team-2*-daily.db"))) == backup_mod.KEEP_DAILY


def _touch_backups(folder: Path, stem: str, kind: str, n: int, start: dt.date) -> list[Path]:
    folder.mkdir(exist_ok=True)
    made = []
    for i in range(n):
        stamp = (start + dt.timedelta(days=i)).strftime("%Y%m%d") + "-080000"
        p = folder / f"{stem}-{stamp}-{kind}.db"
        p.write_bytes(b"x")
        made.append(p)
    return made


def test_prune_keeps_the_newest_automatic_backups_and_every_manual_one(tmp_path):
    db_path = tmp_path / "ips.db"
    folder = tmp_path / "backups"
    daily = _touch_backups(folder, "ips", "daily", backup_mod.KEEP_DAILY + 2, D(2026, 1, 1))
    migration = _touch_backups(folder, "ips", "migration", backup_mod.KEEP_MIGRATION + 3,
                               D(2025, 6, 1))
    manual = _touch_backups(folder, "ips", "manual", 20, D(2024, 1, 1))
    removed = backup_mod.prune(db_path)
    assert sorted(removed) == sorted(daily[:2] + migration[:3])
    left = sorted(folder.iterdir())
    assert left == sorted(daily[2:] + migration[3:] + manual)
    assert backup_mod.prune(db_path) == []  # nothing more to do


@pytest.mark.sqlite_only
def test_daily_backup_prunes_old_daily_backups(seeded, today):
    folder = seeded.path.parent / "backups"
    old = _touch_backups(folder, "ips", "daily", backup_mod.KEEP_DAILY, D(2026, 10, 1))
    made = backup_mod.daily_backup(m.database.obj, seeded.path, today, now=NOW)
    remaining = sorted(folder.glob("ips-*-daily.db"))
    assert len(remaining) == backup_mod.KEEP_DAILY
    assert made in remaining and old[0] not in remaining
