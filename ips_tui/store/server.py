"""PostgreSQL as the shared store of a team: connecting, reconnecting, the write lock, checking.

Everything that differs from an SQLite file lives here; the models, queries and writes are the
same on both. The rules that keep a team's data safe are those of the SQLite store:

* a write transaction takes one program-wide write lock first (an advisory lock held until the
  transaction ends), so writes happen one after another exactly as SQLite's BEGIN IMMEDIATE
  makes them, and a check made inside a write (a duplicate id, a stale version) stays true until
  it commits; a writer waits at most :data:`LOCK_TIMEOUT_MS` for the lock;
* the connection is opened on first use and opened again, once, when the server dropped it
  between two statements (a restart, an idle timeout); a connection lost inside a transaction is
  never reopened silently: the transaction is lost and :class:`ServerUnavailable` says so;
* a server that cannot be reached is a :class:`ServerUnavailable` with the host, port and
  database in its message, never a driver traceback; the password is never shown;
* a thread done with its reads (a screen's load) hands its connection back
  (:meth:`ServerDatabase.release`) and the next load, in any thread, takes it up again: a load
  does not pay for a new connection (the handshake, and a new server process reading the
  catalog again for each table) while someone waits for a screen. A few are kept, for a few
  minutes; one found dead is dropped with the others kept, and the read opens a new one.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import peewee as pw

from ips_tui.locations import describe

#: How long a writer waits for another's write to finish (the same as SQLite's busy timeout).
LOCK_TIMEOUT_MS = 10_000
#: How long to wait for a server to answer before saying it cannot be reached.
CONNECT_TIMEOUT_S = 5
#: The advisory lock key every ips-tui writer takes (any fixed number, the same everywhere).
WRITE_LOCK_KEY = 0x1B5_7D1

#: How many connections handed back (:meth:`ServerDatabase.release`) are kept for the next loads.
IDLE_KEPT = 2
#: A connection handed back and not taken up again within this many seconds is closed instead.
IDLE_FOR_S = 300.0

#: Fragments of driver messages that mean the connection itself is gone (lower case).
LOST_CONNECTION = (
    "server closed the connection", "connection already closed", "terminating connection",
    "the connection is closed", "could not receive data", "could not send data",
    "ssl connection has been closed", "connection not open", "no connection to the server",
)


class ServerUnavailable(Exception):
    """The database server cannot be reached, or the connection to it was lost.

    A subclass of the store's StoreError is made in :mod:`ips_tui.store.db`; this base exists so
    this module needs nothing from there.
    """


def lost(exc: BaseException) -> bool:
    """Whether a driver error means the connection is gone (rather than a bad statement)."""
    text = str(exc).lower()
    return any(fragment in text for fragment in LOST_CONNECTION)


def connect_params(url: str) -> dict[str, Any]:
    """psycopg2 connection keywords from a ``postgresql://`` URL (user and password unquoted)."""
    from playhouse.db_url import parse

    params = parse(url, unquote_password=True, unquote_user=True)
    params.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
    params.setdefault("application_name", "ips-tui")
    return params


def _idle_outside_transaction(conn: Any) -> bool:
    """Whether a driver connection sits idle outside any transaction (fit to be used again)."""
    from psycopg2.extensions import TRANSACTION_STATUS_IDLE

    try:
        return bool(conn.get_transaction_status() == TRANSACTION_STATUS_IDLE)
    except Exception:
        return False


def _close_quietly(connections: Any) -> None:
    for conn in connections:
        with contextlib.suppress(Exception):
            conn.close()


class ServerDatabase(pw.PostgresqlDatabase):
    """A PostgreSQL database that reconnects once when dropped and explains when it cannot."""

    def __init__(self, url: str, *, unavailable: type[Exception] = ServerUnavailable) -> None:
        params = connect_params(url)
        name = params.pop("database")
        self.where = describe(url)
        self._unavailable = unavailable
        #: Connections handed back by threads done with them: (when, connection), oldest first.
        self._idle: list[tuple[float, Any]] = []
        self._idle_lock = threading.Lock()
        super().__init__(name, autoconnect=True, **params)

    # ---------------------------------------------------------------- connection

    def _connect(self) -> Any:
        kept = self._take_idle()
        if kept is not None:
            return kept
        try:
            return super()._connect()
        except Exception as exc:  # psycopg2.OperationalError and friends
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if "authentication" in detail or "does not exist" in detail or "no password" in detail:
                hint = ("Check the user name, the password (in ~/.pgpass or PGPASSWORD) and "
                        "the database name.")
            else:
                hint = "Is the server running and the address right?"
            raise self._unavailable(
                f"cannot reach the database server {self.where} ({detail}). {hint} "
                "Nothing was changed.") from None

    def release(self) -> None:
        """This thread is done with its connection for now (a screen's load has read what it
        shows): keep it open for the next read of any thread, rather than closing it. One in a
        transaction is closed as :meth:`close` would (which refuses); a broken one is dropped."""
        conn = self._state.conn  # this thread's (peewee keeps one per thread)
        if self._state.closed or conn is None:
            return
        if self.in_transaction() or self._broken() or not _idle_outside_transaction(conn):
            self.close()
            return
        with self._lock:  # as close() forgets it
            self._state.reset()
        with self._idle_lock:
            self._idle.append((time.monotonic(), conn))
            surplus, self._idle = self._idle[:-IDLE_KEPT], self._idle[-IDLE_KEPT:]
        _close_quietly(conn for _, conn in surplus)

    def _take_idle(self) -> Any:
        """The most recently handed-back connection still open and not kept too long, or None
        (those kept too long are closed)."""
        now = time.monotonic()
        stale: list[Any] = []
        conn = None
        with self._idle_lock:
            while self._idle:
                since, candidate = self._idle.pop()
                if candidate.closed or now - since > IDLE_FOR_S:
                    stale.append(candidate)
                    continue
                conn = candidate
                break
        _close_quietly(stale)
        return conn

    def close_idle(self) -> None:
        """Close the connections kept for later loads (this thread's own is left as it is)."""
        with self._idle_lock:
            idle, self._idle = self._idle, []
        _close_quietly(conn for _, conn in idle)

    def _broken(self) -> bool:
        conn = self._state.conn
        return conn is not None and bool(getattr(conn, "closed", 0))

    def _forget_connection(self) -> None:
        """Drop a dead connection (and any transaction on it) so the next use opens a new one.
        The connections kept for later loads go too: what dropped one (a restart, an idle
        timeout) has most likely dropped them all, and the next use must open a live one."""
        conn = self._state.conn
        with contextlib.suppress(Exception):
            if conn is not None:
                conn.close()
        self._state.reset()
        self.close_idle()

    def _lost(self, exc: BaseException) -> Exception:
        return self._unavailable(
            f"the connection to the database server {self.where} was lost "
            f"({str(exc).strip().splitlines()[0] if str(exc).strip() else 'no reason given'}); "
            "what was being saved was not saved: try again")

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        if self._broken() and not self.in_transaction():
            self._forget_connection()
        try:
            return super().execute_sql(sql, params)
        except (pw.OperationalError, pw.InterfaceError) as exc:
            if not lost(exc) and not self._broken():
                raise
            if self.in_transaction():
                raise self._lost(exc) from None
            self._forget_connection()  # dropped between statements: open again, once
            try:
                return super().execute_sql(sql, params)
            except (pw.OperationalError, pw.InterfaceError) as again:
                if lost(again) or self._broken():
                    self._forget_connection()
                    raise self._lost(again) from None
                raise

    def begin(self, *args: Any, **kwargs: Any) -> None:
        if self._broken() and not self.in_transaction():
            self._forget_connection()
        try:
            super().begin(*args, **kwargs)
        except (pw.OperationalError, pw.InterfaceError) as exc:
            if not (lost(exc) or self._broken()):
                raise
            self._forget_connection()
            super().begin(*args, **kwargs)

    def rollback(self) -> None:
        # Rolling back on a dead connection must not hide the error that caused the rollback:
        # the server has already thrown the transaction away.
        if self._broken():
            return
        try:
            super().rollback()
        except (pw.OperationalError, pw.InterfaceError) as exc:
            if not (lost(exc) or self._broken()):
                raise

    def close(self) -> bool:
        if self._broken():
            self._forget_connection()
            return True
        return super().close()

    # ---------------------------------------------------------------- transactions

    @contextlib.contextmanager
    def write_transaction(self) -> Iterator[None]:
        """A transaction (savepoint when nested) that holds the program-wide write lock."""
        with self.atomic():
            outermost = self._state.transactions[0]
            if getattr(outermost, "_ips_write_locked", False) is False:
                self.execute_sql(f"SET LOCAL lock_timeout = '{int(LOCK_TIMEOUT_MS)}ms'")
                self.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
                outermost._ips_write_locked = True
            yield

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """A read-only view of one moment: every query inside sees the same committed data."""
        if self.in_transaction():
            with self.atomic():
                yield
            return
        with self.atomic(isolation_level="REPEATABLE READ"):
            yield

    # ---------------------------------------------------------------- facts

    def reset_sequences(self, models: list[type[pw.Model]]) -> None:
        """Move each auto-numbered table's id sequence past the ids in it (after rows were
        written with explicit ids: an import's employer contacts, a move from a file)."""
        for model in models:
            pk = model._meta.primary_key
            if not isinstance(pk, pw.AutoField):
                continue
            table = model._meta.table_name
            self.execute_sql(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                f"COALESCE((SELECT MAX({pk.column_name}) FROM \"{table}\"), 0) + 1, false)",
                (table, pk.column_name))

    def analyze(self, models: list[type[pw.Model]]) -> None:
        """Refresh the planner's statistics for these tables after many rows arrived at once
        (a move from a file, a big import), so the next reports are planned for the data as it
        is, not as it was (autovacuum would get there, but only a minute or so later)."""
        for model in models:
            self.execute_sql(f'ANALYZE "{model._meta.table_name}"')

    @contextlib.contextmanager
    def loading_in_bulk(self) -> Iterator[None]:
        """Inside a transaction, about to fill new tables: the schema's foreign keys and the
        indexes that back no constraint are dropped, then made again from their definitions as
        the block ends (an index built once and a foreign key checked in one pass take a fraction
        of the time of keeping them up row by row). A row that breaks one fails as it is put
        back, so the transaction rolls back as it would have."""
        keys = self.execute_sql(
            "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' "
            "AND connamespace = current_schema()::regnamespace").fetchall()
        indexes = self.execute_sql(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indrelid "
            "WHERE c.relnamespace = current_schema()::regnamespace AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)").fetchall()
        for table, name, _ in keys:
            self.execute_sql(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _ in indexes:
            self.execute_sql(f"DROP INDEX {name}")
        yield
        for _, definition in indexes:
            self.execute_sql(definition)
        for table, name, definition in keys:
            self.execute_sql(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")

    def copy_rows(self, model: type[pw.Model], fields: list[pw.Field], csv_text: Any,
                  null: str = "") -> None:
        """Load rows with PostgreSQL's COPY: ``csv_text`` is a file-like object whose ``read``
        gives the rows as CSV, the fields' columns in order (``null`` unquoted is a missing
        value; anything quoted is a value); far faster than INSERT for a whole table."""
        columns = ", ".join(f'"{f.column_name}"' for f in fields)
        mark = null.replace("'", "''")
        sql = (f'COPY "{model._meta.table_name}" ({columns}) FROM STDIN '
               f"WITH (FORMAT csv, NULL '{mark}')")
        with pw.__exception_wrapper__:
            self.cursor().copy_expert(sql, csv_text, size=1 << 18)

    def insert_rows(self, model: type[pw.Model], fields: list[pw.Field], rows: list[tuple]) -> None:
        """Insert many rows of already-converted values fast: one multi-row INSERT per page
        (psycopg2's execute_values) instead of a round trip per row."""
        from psycopg2.extras import execute_values

        columns = ", ".join(f'"{f.column_name}"' for f in fields)
        sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES %s'
        with pw.__exception_wrapper__:
            execute_values(self.cursor(), sql, rows, page_size=1000)
