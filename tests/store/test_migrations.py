"""Schema history: a database made at the oldest schema opens, migrates and keeps its data.

tests/fixtures/schema/v1.sql is the schema as first released, frozen. Opening such a database
must bring it to exactly the schema a new database gets; if a model changes without a numbered
migration, the comparison below fails.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from golden_files import FIXTURES

from ips_tui.store import migrations
from ips_tui.store.db import close_store, open_store
from ips_tui.store.queries import caseload, client_record

V1 = FIXTURES / "schema" / "v1.sql"


def build_v1(path: Path) -> None:
    """A database at schema 1 with a little data, written with plain SQL as the old app would."""
    con = sqlite3.connect(path)
    con.executescript(V1.read_text())
    now = "2026-01-01T00:00:00Z"
    con.executescript(f"""
        insert into ips_meta values ('app', 'ips-tui'), ('schema_version', '1');
        insert into specialist values (1, '{now}', '{now}', 1, 'Sam Ortiz', null, 1);
        insert into client (client_id, created_at, updated_at, version, first_name, last_name,
            specialist_id, stage, start_date, discuss)
            values ('C0001', '{now}', '{now}', 1, 'Ana', 'Zeller', 1, 'employed', '2025-03-01', 0);
        insert into job (job_id, created_at, updated_at, version, client_id, title, start_date,
            competitive) values ('J0001', '{now}', '{now}', 1, 'C0001', 'Barista', '2025-04-01', 1);
        insert into client_contact (created_at, updated_at, version, client_id, date,
            specialist_id, mode, attempted) values ('{now}', '{now}', 1, 'C0001', '2025-04-03', 1,
            'in_person', 0);
    """)
    con.commit()
    con.close()


def schema_of(path: Path) -> dict[str, object]:
    """Tables with their columns (name, type, not null, pk) and the indexes, by name."""
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute(
            "select name from sqlite_master where type='table' and name not like 'sqlite_%'")]
        out: dict[str, object] = {}
        for t in sorted(tables):
            out[t] = sorted((c[1], c[2].upper(), c[3], c[5]) for c in con.execute(f'pragma table_info("{t}")'))
        out["indexes"] = sorted(
            (r[0], r[1]) for r in con.execute(
                "select name, tbl_name from sqlite_master where type='index' and sql is not null"))
        return out
    finally:
        con.close()


def test_a_v1_database_opens_at_the_current_schema_with_its_data(tmp_path):
    old = tmp_path / "old.db"
    build_v1(old)
    open_store(old)
    try:
        rows = caseload()
        assert [(r.client_id, r.last_name) for r in rows] == [("C0001", "Zeller")]
        rec = client_record("C0001")
        assert [j.title for j in rec.jobs] == ["Barista"]
        assert [c.date.isoformat() for c in rec.contacts] == ["2025-04-03"]
    finally:
        close_store()
    con = sqlite3.connect(old)
    assert dict(con.execute("select key, value from ips_meta"))["schema_version"] == str(
        migrations.SCHEMA_VERSION)
    con.close()
    fresh = tmp_path / "fresh.db"
    open_store(fresh)
    close_store()
    assert schema_of(old) == schema_of(fresh), (
        "a model changed without a numbered migration in ips_tui/store/migrations.py")


def test_every_version_up_to_the_current_one_has_a_migration():
    assert sorted(migrations.MIGRATIONS) == list(range(2, migrations.SCHEMA_VERSION + 1))


# ---------------------------------------------------------------- the machinery, on both back ends

CURRENT = migrations.SCHEMA_VERSION
NEXT = CURRENT + 1


def _pretend_next_version(monkeypatch, step) -> None:
    """Make this program know a schema NEXT reached by ``step`` (as the next release will)."""
    from ips_tui.store import db as db_mod

    monkeypatch.setattr(migrations, "SCHEMA_VERSION", NEXT)
    monkeypatch.setattr(db_mod, "SCHEMA_VERSION", NEXT)
    monkeypatch.setattr(migrations, "MIGRATIONS", {**migrations.MIGRATIONS, NEXT: step})


@pytest.fixture
def pronouns_model():
    """``add()`` gives the client model the column _add_pronouns adds, as the release adding it
    would (a file is compared with the models' schema once migrated); taken away afterwards."""
    import peewee as pw

    from ips_tui.store import models

    def add() -> None:
        models.Client._meta.add_field("pronouns", pw.CharField(null=True))

    yield add
    if "pronouns" in models.Client._meta.fields:
        models.Client._meta.remove_field("pronouns")
        delattr(models.Client, "pronouns")


def _add_pronouns(database) -> None:
    import peewee as pw
    from playhouse.migrate import SchemaMigrator, migrate

    migrator = SchemaMigrator.from_database(database)
    migrate(migrator.add_column("client", "pronouns", pw.CharField(null=True)))


def _columns(location) -> set[str]:
    from workers.helpers import connect, is_url

    con = connect(location)
    try:
        if is_url(location):
            rows = con.execute("select column_name from information_schema.columns where "
                               "table_schema = current_schema() and table_name = 'client'")
            return {r[0] for r in rows.fetchall()}
        return {r[1] for r in con.execute('pragma table_info("client")')}
    finally:
        con.close()


def test_an_older_database_is_migrated_in_place_keeping_its_data(fresh_location, monkeypatch,
                                                                  pronouns_model):
    from workers.helpers import query

    from ips_tui.store import writes

    location = fresh_location("old")
    open_store(location)
    writes.add_specialist("Sam Ortiz")
    writes.create_client({"client_id": "C0001", "last_name": "Zeller", "specialist": "Sam Ortiz",
                          "stage": "engaged"})
    close_store()
    _pretend_next_version(monkeypatch, _add_pronouns)
    pronouns_model()
    open_store(location)
    close_store()
    assert "pronouns" in _columns(location)
    assert dict(query(location, "select key, value from ips_meta"))["schema_version"] == str(NEXT)
    assert query(location, "select client_id, last_name from client") == [("C0001", "Zeller")]
    if isinstance(location, Path):  # a file gets a backup first; a server is the server's job
        assert list((location.parent / "backups").glob("old-*-migration.db"))


def test_a_migration_that_fails_leaves_the_database_as_it_was(fresh_location, monkeypatch):
    import pytest
    from workers.helpers import query

    from ips_tui.store import writes

    location = fresh_location("old")
    open_store(location)
    writes.add_specialist("Sam Ortiz")
    close_store()

    def half_then_fail(database) -> None:
        _add_pronouns(database)
        raise RuntimeError("the migration broke half-way")

    _pretend_next_version(monkeypatch, half_then_fail)
    with pytest.raises(RuntimeError, match="half-way"):
        open_store(location)
    close_store()
    assert "pronouns" not in _columns(location), "half a migration was kept"
    assert dict(query(location, "select key, value from ips_meta"))["schema_version"] == str(CURRENT)
    assert query(location, "select name from specialist") == [("Sam Ortiz",)]


@pytest.mark.sqlite_only
def test_every_reference_leads_an_index_and_no_index_is_there_twice(tmp_path):
    """Schema 4: a look-up by a reference (a client's contacts, jobs...) has an index starting
    with it, and no plain index is the first column of another index of its table."""
    path = tmp_path / "new.db"
    open_store(path)
    close_store()
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute(
            "select name from sqlite_master where type='table' and name not like 'sqlite_%'")]
        for table in tables:
            indexes = {name: [c[2] for c in con.execute(f'pragma index_info("{name}")')]
                       for _, name, *_ in con.execute(f'pragma index_list("{table}")')}
            leads = {columns[0] for columns in indexes.values()}
            for ref in con.execute(f'pragma foreign_key_list("{table}")'):
                column = ref[3]
                assert column in leads, f"{table}.{column} leads no index"
            for name, columns in indexes.items():
                wider = [other for other, cols in indexes.items()
                         if other != name and len(cols) > len(columns)
                         and cols[:len(columns)] == columns]
                assert not wider, f"{name} is the start of {wider}"
    finally:
        con.close()
    assert set(migrations.REDUNDANT_INDEXES).isdisjoint(i for _, i in schema_of(path)["indexes"])
