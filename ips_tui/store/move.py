"""Moving a team from one SQLite file to a shared PostgreSQL server (`ips-tui migrate-to URL`).

The file is read through a read-only connection in one read transaction, so it is never changed
(and the copy is of one moment even if someone is still using it). The server database must be
empty: no tables, or only the tables of an ips-tui database that holds no records yet. Everything
is written in one transaction that also checks, table by table, that the server holds exactly as
many rows as the file before it commits: a failure anywhere leaves the server as it was. Rows
go over with PostgreSQL's COPY, as CSV written from the file's values page by page (never the
whole table in memory).
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from ips_tui.store import models
from ips_tui.store.db import ServerUnavailable, StoreError, _discard, inspect, inspect_server
from ips_tui.store.migrations import SCHEMA_VERSION, migrate
from ips_tui.store.server import ServerDatabase

#: Rows read from the file and written to the server at a time.
PAGE = 2_000


@dataclass(frozen=True)
class Moved:
    """What a move copied: rows per table (the same on both sides, checked)."""

    source: Path
    target: str  # the server, as it may be shown (no password)
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


#: How a missing value (NULL) goes over: an integer no column of an ips-tui database can hold
#: (the smallest 64-bit one: not an id, an hour, a wage or a version), written unquoted; every
#: text is written quoted, so none can be taken for it.
NULL_MARK = "-9223372036854775808"


class _CsvRows:
    """A file-like object for COPY: ``read`` gives the rows of a SQLite cursor as CSV, a page
    at a time, the file's values as they are (dates as text, booleans as 0 and 1: PostgreSQL
    reads both; every text quoted, numbers not, a missing value as :data:`NULL_MARK`)."""

    def __init__(self, cursor: sqlite3.Cursor, counted: Callable[[int], None]) -> None:
        self._cursor = cursor
        self._counted = counted
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        self._pending = ""

    def read(self, size: int = -1) -> str:
        while size < 0 or len(self._pending) < size:
            page = self._cursor.fetchmany(PAGE)
            if not page:
                break
            self._writer.writerows(page)
            self._pending += self._buffer.getvalue()
            self._buffer.seek(0)
            self._buffer.truncate()
            self._counted(len(page))
        if size < 0:
            size = len(self._pending)
        out, self._pending = self._pending[:size], self._pending[size:]
        return out


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _source(path: Path) -> sqlite3.Connection:
    """A read-only connection to an ips-tui file at the current schema, or StoreError."""
    if not path.exists():
        raise StoreError(f"{path} does not exist")
    version = inspect(path)
    if version < SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by an older ips-tui (schema {version}): open it once with this "
            f"version (`ips-tui check --db {path}`) to bring it up to date, then move it")
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=10)


def _copied_tables() -> list[type[models.BaseModel]]:
    # ips_meta is the server's own (stamped when its schema is made), never copied.
    return [model for model in models.ALL_MODELS if model is not models.Meta]


def _require_empty(database: ServerDatabase, version: int) -> None:
    if version == 0:
        return
    held = {}
    for model in _copied_tables():
        table = model._meta.table_name
        n = database.execute_sql(f"select count(*) from {_quoted(table)}").fetchone()[0]
        if n:
            held[table] = n
    if held:
        listing = ", ".join(f"{table}: {n} rows" for table, n in held.items())
        raise StoreError(f"{database.where} is not empty (it holds {listing}); nothing was "
                         "copied. Move into a new, empty database.")


def copy_to_server(source: Path, url: str,
                   progress: Callable[[int, int], None] | None = None) -> Moved:
    """Copy every record of the ips-tui file ``source`` into the empty server database ``url``.

    ``progress(done, total)`` is called as rows are written. Raises StoreError (nothing on the
    server changed) if the file is not a current ips-tui database, the server cannot be reached or
    is not empty, or the row counts do not agree after the copy.
    """
    source = Path(source).expanduser()
    src = _source(source)
    target = ServerDatabase(url, unavailable=ServerUnavailable)
    previous = models.database.obj
    try:
        version = inspect_server(target)
        _require_empty(target, version)
        src.execute("BEGIN")  # one read transaction: the copy is of one moment
        tables = _copied_tables()
        counts = {m._meta.table_name: src.execute(
            f"select count(*) from {_quoted(m._meta.table_name)}").fetchone()[0] for m in tables}
        total = sum(counts.values())
        done = 0

        def counted(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, total)

        models.database.initialize(target)
        with target.write_transaction():
            if version < SCHEMA_VERSION:
                migrate(target, version)
            with target.loading_in_bulk():
                for model in tables:
                    fields = list(model._meta.sorted_fields)
                    columns = ", ".join(f"ifnull({_quoted(f.column_name)}, {NULL_MARK})" if f.null
                                        else _quoted(f.column_name) for f in fields)
                    cursor = src.execute(
                        f"select {columns} from {_quoted(model._meta.table_name)} order by rowid")
                    target.copy_rows(model, fields, _CsvRows(cursor, counted), null=NULL_MARK)
            target.reset_sequences(tables)
            for model in tables:
                table = model._meta.table_name
                there = target.execute_sql(f"select count(*) from {_quoted(table)}").fetchone()[0]
                if there != counts[table]:
                    raise StoreError(f"the copy of {table} has {there} rows, not {counts[table]}; "
                                     "nothing was copied")
        target.analyze(tables)
        return Moved(source=source, target=target.where, rows=counts)
    except pw.DatabaseError as exc:
        raise StoreError(f"the copy to {target.where} failed ({exc}); nothing was copied") from None
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{source} could not be read ({exc}); nothing was copied") from None
    finally:
        src.close()
        _discard(target)
        models.database.initialize(previous)
