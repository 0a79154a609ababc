"""A team's PostgreSQL server: URLs, clear errors, reconnecting, the write lock, `migrate-to`.

The tests marked ``on_server`` need the test server (IPS_TUI_TEST_PG, see conftest); the others
need no server at all (a closed port is enough to show what "the server is down" looks like).
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from workers.helpers import connect, counts, integrity, query

from ips_tui import locations
from ips_tui.cli import cli
from ips_tui.demo import create_demo
from ips_tui.store import models as m
from ips_tui.store import writes
from ips_tui.store.db import ServerUnavailable, StoreError, close_store, open_store, transaction

on_server = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
TODAY = "2026-11-23"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def backend_pid() -> int:
    return m.database.execute_sql("select pg_backend_pid()").fetchone()[0]


def terminate(pg_admin, pid: int) -> None:
    """Drop one connection from the server side (as a restart or an idle timeout would)."""
    with pg_admin.cursor() as cur:
        cur.execute("select pg_terminate_backend(%s)", (pid,))
        # Wait until the server has really let it go.
        for _ in range(200):
            cur.execute("select count(*) from pg_stat_activity where pid = %s", (pid,))
            if cur.fetchone()[0] == 0:
                return
            import time
            time.sleep(0.01)


# ---------------------------------------------------------------- locations (no server needed)

def test_a_postgresql_url_is_a_server_and_anything_else_a_file(monkeypatch, tmp_path):
    assert locations.resolve_db("postgresql://ann@db.example.org:5432/ips") == \
        "postgresql://ann@db.example.org:5432/ips"
    assert locations.resolve_db("postgres://db/ips") == "postgres://db/ips"
    assert locations.resolve_db("~/ips.db") == Path.home() / "ips.db"
    assert locations.resolve_db(str(tmp_path / "postgresql.db")) == tmp_path / "postgresql.db"
    monkeypatch.setenv("IPS_TUI_DB", "postgresql://team@server/ips")
    assert locations.resolve_db(None) == "postgresql://team@server/ips"


def test_a_server_is_shown_without_its_password():
    url = "postgresql://ann:s%40cret@db.example.org:6543/ips?sslmode=require"
    shown = locations.describe(url)
    assert shown == "postgresql://ann@db.example.org:6543/ips?sslmode=require"
    assert "cret" not in shown
    assert locations.describe("postgresql://db/ips?password=hunter2&sslmode=require") == \
        "postgresql://db/ips?sslmode=require"
    assert locations.describe("postgres://[::1]:5432/ips") == "postgres://[::1]:5432/ips"


def test_a_server_that_is_down_is_a_clear_error_without_the_password(tmp_path):
    url = f"postgresql://ann:hunter2@127.0.0.1:{closed_port()}/ips"
    for args in (["reminders", "--db", url, "--on", TODAY], ["--db", url, "export", str(tmp_path)],
                 ["agenda", "--db", url], ["check", "--db", url]):
        result = run(*args)
        assert result.exit_code == 1, args
        assert "cannot reach the database server" in result.output
        assert f"127.0.0.1:{url.split(':')[3].split('/')[0]}" in result.output
        assert "Is the server running" in result.output
        assert "hunter2" not in result.output
        assert "Traceback" not in result.output
    assert not any(tmp_path.iterdir()), "nothing was exported"


def test_file_only_commands_explain_what_to_use_on_a_server(tmp_path):
    url = f"postgresql://ann:hunter2@127.0.0.1:{closed_port()}/ips"
    backup = tmp_path / "b.db"
    backup.write_bytes(b"")
    for args in (["backup", "--db", url], ["restore", "--db", url, "--yes", str(backup)],
                 ["migrate-to", "--db", url, url]):
        result = run(*args)
        assert result.exit_code == 1, args
        assert "works on a database file" in result.output and "pg_dump" in result.output
        assert "hunter2" not in result.output
    result = run("demo", "--db", url, "--no-open")
    assert result.exit_code == 1 and "give a file path" in result.output


def test_migrate_to_needs_a_server_url(tmp_path):
    result = run("migrate-to", "--db", str(tmp_path / "x.db"), str(tmp_path / "y.db"))
    assert result.exit_code == 2
    assert "is not a postgresql:// URL" in result.output


# ---------------------------------------------------------------- opening a server database

@on_server
def test_an_empty_server_database_gets_the_schema_once(fresh_location):
    url = fresh_location("new")
    open_store(url)
    close_store()
    open_store(url)  # the second open finds it made and stamped
    from ips_tui.store.migrations import SCHEMA_VERSION

    assert {r.key: r.value for r in m.Meta.select()} == {"app": "ips-tui",
                                                         "schema_version": str(SCHEMA_VERSION)}
    close_store()


@on_server
def test_read_commands_do_not_create_the_schema_on_an_empty_server_database(fresh_location):
    url = fresh_location("empty")
    result = run("reminders", "--db", url, "--on", TODAY)
    assert result.exit_code == 1
    assert "has no ips-tui data yet" in result.output
    con = connect(url)
    try:
        tables = con.execute("select count(*) from information_schema.tables "
                             "where table_schema = current_schema()").fetchone()[0]
    finally:
        con.close()
    assert tables == 0


@on_server
def test_a_server_database_with_other_tables_is_refused_and_left_alone(fresh_location):
    url = fresh_location("other")
    con = connect(url)
    con.execute("create table payroll (id int)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="not an ips-tui database; nothing was changed"):
        open_store(url)
    assert query(url, "select count(*) from information_schema.tables "
                      "where table_schema = current_schema()") == [(1,)]


@on_server
def test_a_server_database_from_a_newer_ips_tui_is_refused(db):
    con = connect(db)
    con.execute("update ips_meta set value = '99' where key = 'schema_version'")
    con.commit()
    con.close()
    close_store()
    result = run("reminders", "--db", db, "--on", TODAY)
    assert result.exit_code == 1
    assert "written by a newer ips-tui (schema 99" in result.output


# ---------------------------------------------------------------- dropped connections

@on_server
def test_a_connection_dropped_between_statements_is_opened_again(seeded, pg_admin):
    first = backend_pid()
    terminate(pg_admin, first)
    # The next read and the next write just work, on a new connection.
    assert "Sam Ortiz" in [r.name for r in m.Specialist.select()]
    assert backend_pid() != first
    terminate(pg_admin, backend_pid())
    writes.add_client_contact({"client_id": "C0002", "date": "2026-11-23", "specialist": "Kim Park",
                               "mode": "phone"}, by="Kim Park")
    assert counts(seeded.path)["client_contact"] == 5


@on_server
def test_a_connection_lost_inside_a_write_loses_that_write_and_says_so(seeded, pg_admin):
    before = counts(seeded.path)
    with pytest.raises(ServerUnavailable, match="was lost.*not saved: try again"):
        with transaction():
            writes.add_client_contact({"client_id": "C0002", "date": "2026-11-23",
                                       "specialist": "Kim Park", "mode": "phone"})
            terminate(pg_admin, backend_pid())
            writes.add_client_contact({"client_id": "C0002", "date": "2026-11-24",
                                       "specialist": "Kim Park", "mode": "phone"})
    assert counts(seeded.path) == before, "half a transaction was kept"
    # ...and the program carries on: the next write opens a new connection.
    writes.add_client_contact({"client_id": "C0002", "date": "2026-11-25",
                               "specialist": "Kim Park", "mode": "phone"})
    assert counts(seeded.path)["client_contact"] == before["client_contact"] + 1


@on_server
def test_a_server_that_goes_away_while_open_is_a_clear_error(seeded, pg_admin):
    database = m.database.obj
    database.connect_params["port"] = closed_port()  # the server "moves away"
    terminate(pg_admin, backend_pid())
    with pytest.raises(ServerUnavailable, match="cannot reach the database server"):
        list(m.Client.select())


def in_thread(work):
    """Run ``work`` in a thread of its own, as a screen's load runs, and return what it gave."""
    import threading

    out: list = []
    thread = threading.Thread(target=lambda: out.append(work()))
    thread.start()
    thread.join()
    return out[0]


def load() -> int:
    """A screen's load: a read in a worker thread, the thread's connection handed back after."""
    from ips_tui.store.db import close_thread_connection

    try:
        assert [r.name for r in m.Specialist.select().order_by(m.Specialist.name)]
        return backend_pid()
    finally:
        close_thread_connection()


@on_server
def test_a_load_uses_the_connection_the_one_before_handed_back(seeded):
    first = in_thread(load)
    assert in_thread(load) == first, "the second load opened a new connection"
    assert backend_pid() != first  # the main thread keeps its own


@on_server
def test_a_kept_connection_the_server_dropped_is_replaced_by_the_next_load(seeded, pg_admin):
    first = in_thread(load)
    terminate(pg_admin, first)
    assert in_thread(load) != first


@on_server
def test_after_a_restart_the_first_load_works_although_every_kept_connection_is_dead(
        seeded, pg_admin):
    import threading

    # Two loads at once: two connections kept.
    barrier = threading.Barrier(2)

    def together() -> int:
        from ips_tui.store.db import close_thread_connection

        try:
            list(m.Specialist.select())
            barrier.wait()
            return backend_pid()
        finally:
            close_thread_connection()

    threads, pids = [], []
    for _ in range(2):
        threads.append(threading.Thread(target=lambda: pids.append(together())))
        threads[-1].start()
    for thread in threads:
        thread.join()
    assert len(set(pids)) == 2
    for pid in pids:  # what a restart does to them
        terminate(pg_admin, pid)
    assert in_thread(load) not in pids


@on_server
def test_a_connection_kept_too_long_is_closed_rather_than_used(seeded, pg_admin, monkeypatch):
    from ips_tui.store import server

    first = in_thread(load)
    monkeypatch.setattr(server, "IDLE_FOR_S", 0.0)
    assert in_thread(load) != first
    with pg_admin.cursor() as cur:  # ...and the server has let the old one go
        for _ in range(200):
            cur.execute("select count(*) from pg_stat_activity where pid = %s", (first,))
            if cur.fetchone()[0] == 0:
                break
            __import__("time").sleep(0.01)
        cur.execute("select count(*) from pg_stat_activity where pid = %s", (first,))
        assert cur.fetchone()[0] == 0


@on_server
def test_a_thread_handing_back_its_connection_inside_a_transaction_is_refused_as_before(seeded):
    import threading

    from ips_tui.store.db import close_thread_connection

    outcome: list[BaseException | None] = []

    def inside() -> None:
        try:
            with transaction():
                list(m.Specialist.select())
                try:
                    close_thread_connection()
                    outcome.append(None)
                except BaseException as exc:  # noqa: BLE001 -- what it raised is the point
                    outcome.append(exc)
        finally:
            close_thread_connection()

    thread = threading.Thread(target=inside, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "handing back a connection inside a transaction hung"
    assert isinstance(outcome[0], Exception) and "transaction is open" in str(outcome[0])
    assert in_thread(load)  # the connection handed back after the transaction serves the next


# ---------------------------------------------------------------- migrate-to

@pytest.fixture
def demo_file(tmp_path) -> Path:
    path = tmp_path / "team.db"
    create_demo(path, today=__import__("datetime").date(2026, 11, 23), seed=3)
    close_store()
    return path


@on_server
def test_migrate_to_copies_everything_and_leaves_the_file_untouched(demo_file, fresh_location):
    url = fresh_location("moved")
    before = demo_file.read_bytes()
    result = run("migrate-to", "--db", str(demo_file), url)
    assert result.exit_code == 0, result.output
    assert demo_file.read_bytes() == before
    assert "the row counts agree" in result.output
    file_counts, server_counts = counts(demo_file), counts(url)
    assert file_counts == server_counts
    assert f"client_contact: {file_counts['client_contact']} row(s)" in result.output
    assert integrity(url) == ["ok"]
    # Every row the same, ids included.
    for table in ("client", "job", "client_contact", "employer_contact_client", "audit_log"):
        order = "1, 2" if table == "employer_contact_client" else "1"
        assert query(demo_file, f"select * from {table} order by {order}") == [
            tuple(r) for r in _normalised(query(url, f"select * from {table} order by {order}"))
        ], table
    # Every report is the same on both.
    for args in (["reminders", "--on", TODAY, "--within", "30", "--format", "json"],
                 ["agenda", "--date", "2026-11-24", "--format", "json"],
                 ["outcomes", "--quarter", "2026Q3", "--format", "json"],
                 ["fidelity", "--quarter", "2026Q3", "--format", "json"]):
        on_file = run(*args, "--db", str(demo_file))
        on_server_ = run(*args, "--db", url)
        assert on_file.exit_code == on_server_.exit_code == 0
        assert json.loads(on_file.output) == json.loads(on_server_.output), args
    # The planner knows how big the tables are now (ANALYZE ran): reports are planned well at once.
    assert query(url, "select reltuples::bigint from pg_class where oid = 'client_contact'::regclass"
                 ) == [(file_counts["client_contact"],)]
    # New rows continue after the copied ids (the server's sequences were moved on).
    open_store(url)
    top = max(r[0] for r in query(url, "select id from client_contact"))
    new = writes.add_client_contact({"client_id": "C0001", "date": TODAY,
                                     "specialist": query(url, "select name from specialist")[0][0],
                                     "mode": "phone"})
    assert new == top + 1
    close_store()


def _normalised(rows):
    """Server rows as the file stores them (dates as ISO text, booleans as 0/1)."""
    import datetime as dt

    out = []
    for row in rows:
        out.append(tuple(int(v) if isinstance(v, bool) else v.isoformat()
                         if isinstance(v, dt.date) else v for v in row))
    return out


STRUCTURE = (  # the indexes and foreign keys of the current schema, schema names left out
    "select 'index', indexname, replace(indexdef, current_schema() || '.', '') from pg_indexes "
    "where schemaname = current_schema() union all "
    "select 'key', conname, pg_get_constraintdef(oid) from pg_constraint "
    "where connamespace = current_schema()::regnamespace order by 1, 2")


@on_server
def test_migrate_to_leaves_every_index_and_foreign_key_as_a_new_database_has_them(
        demo_file, fresh_location):
    """The copy drops the foreign keys and plain indexes while it loads, and makes them again."""
    moved, empty = fresh_location("moved"), fresh_location("empty")
    assert run("migrate-to", "--db", str(demo_file), moved).exit_code == 0
    open_store(empty)
    close_store()
    structure = query(empty, STRUCTURE)
    assert any(kind == "key" and "FOREIGN KEY" in definition for kind, _, definition in structure)
    assert any(kind == "index" and "client_contact" in definition for kind, _, definition in structure)
    assert query(moved, STRUCTURE) == structure


@on_server
def test_migrate_to_copies_awkward_text_exactly(demo_file, fresh_location):
    """The rows go over as CSV (COPY): an empty text stays empty and distinct from no value,
    and quotes, commas, backslashes, line breaks, a literal \\N and the text of the mark COPY
    reads as NULL come through as they were."""
    import sqlite3

    from ips_tui.store import move

    awkward = ["", "\\N", 'say "hi", then\nleave\r\nlater', "back\\slash", " edge ", "Ωé😀", None,
               move.NULL_MARK]
    ids = [r[0] for r in query(demo_file, "select client_id from client order by 1")][:len(awkward)]
    con = sqlite3.connect(demo_file)
    with con:
        for cid, text in zip(ids, awkward, strict=True):
            con.execute("update client set notes = ?, job_goal = ? where client_id = ?",
                        (text, text, cid))
    con.close()
    url = fresh_location("awkward")
    result = run("migrate-to", "--db", str(demo_file), url)
    assert result.exit_code == 0, result.output
    sql = "select client_id, notes, job_goal from client order by 1"
    assert query(url, sql) == query(demo_file, sql)
    assert query(url, sql)[:len(awkward)] == [(c, t, t) for c, t in zip(ids, awkward, strict=True)]


@on_server
def test_migrate_to_refuses_a_database_that_is_not_empty(demo_file, fresh_location):
    url = fresh_location("busy")
    open_store(url)
    writes.add_specialist("Already Here")
    close_store()
    before = counts(url)
    result = run("migrate-to", "--db", str(demo_file), url)
    assert result.exit_code == 1
    assert "is not empty (it holds specialist: 1 rows" in result.output
    assert "nothing was copied" in result.output
    assert counts(url) == before


@on_server
def test_migrate_to_is_all_or_nothing(demo_file, fresh_location, monkeypatch):
    from ips_tui.store.server import ServerDatabase

    url = fresh_location("half")
    real = ServerDatabase.copy_rows
    calls = []

    def failing(self, model, fields, rows, **kwargs):
        calls.append(model)
        if model is m.ClientContact:
            raise m.pw.IntegrityError("simulated failure half-way")
        return real(self, model, fields, rows, **kwargs)

    monkeypatch.setattr(ServerDatabase, "copy_rows", failing)
    result = run("migrate-to", "--db", str(demo_file), url)
    assert result.exit_code == 1
    assert "nothing was copied" in result.output
    assert m.Client in calls, "the copy got going before it failed"
    # Not even the tables are left behind: the schema was made in the same transaction.
    assert query(url, "select count(*) from information_schema.tables "
                      "where table_schema = current_schema()") == [(0,)]


@on_server
def test_migrate_to_refuses_a_file_that_is_not_an_ips_tui_database(tmp_path, fresh_location):
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"just some notes")
    url = fresh_location("target")
    result = run("migrate-to", "--db", str(bad), url)
    assert result.exit_code == 1
    assert "not an ips-tui database" in result.output
    assert bad.read_bytes() == b"just some notes"


@on_server
def test_a_wrong_database_name_says_what_to_check(db):
    close_store()
    base, _, _ = db.partition("?")
    wrong = base.rsplit("/", 1)[0] + "/no_such_database"
    result = run("reminders", "--db", wrong, "--on", TODAY)
    assert result.exit_code == 1
    assert 'database "no_such_database" does not exist' in result.output
    assert "Check the user name, the password" in result.output
    assert "Traceback" not in result.output


@on_server
def test_a_big_import_leaves_the_planner_knowing_the_tables(db, tmp_path):
    from workers.helpers import bulk_folder

    close_store()
    folder = bulk_folder(tmp_path / "in", contacts=1500, clients=40, note="bulk")
    result = run("import", "--db", db, str(folder))
    assert result.exit_code == 0, result.output
    assert query(db, "select reltuples::bigint from pg_class where oid = 'client_contact'::regclass"
                 ) == [(1500,)]


@pytest.mark.parametrize("url", ["postgresql://ann:secret@db.example.org:notaport/ips",
                                 "postgresql://ann:secret@[bad/ips"])
def test_a_malformed_server_address_is_one_clear_line_without_its_password(url):
    from ips_tui.store.db import StoreError, open_store

    with pytest.raises(StoreError, match="not a valid PostgreSQL URL") as raised:
        open_store(url)
    assert "secret" not in str(raised.value)
