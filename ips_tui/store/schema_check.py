"""Is a database file's schema exactly the one this version of ips-tui makes? (SQLite files.)

A copy of the database that someone edited with another tool may carry a trigger that empties a
table on the next import, a view, an extra index or a changed column. Opening, ``restore`` and
``check`` compare the file's schema (tables and their columns, foreign keys and indexes,
triggers, views) with the one this version expects, and refuse any difference, naming it
("unexpected trigger 't' on client_contact"). The file is only read.

The expected schema is read from a fresh database created in memory from the models (cached).
A file at an older schema version is copied into memory and migrated there first, so it is
compared as it will be after its upgrade; the file itself is not touched until it passes.

PostgreSQL servers are not compared (SQLite only).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass

import peewee as pw

from ips_tui.store import migrations, models

#: At most this many differences are named in a message; the rest are counted.
NAMED = 5

_SQLITE_INTERNAL = re.compile(r"sqlite_(sequence|stat\d+)\Z")
_UNSAFE = re.compile(r"[^\x20-\x7e]")


@dataclass(frozen=True)
class Item:
    """One thing in a schema: its kind (table, index, trigger, view), its name, the table it
    belongs to (for an index or trigger) and how it is made (compared, never shown)."""

    kind: str
    name: str
    table: str
    shape: tuple[object, ...]


Schema = dict[tuple[str, str], Item]


def _show(name: str) -> str:
    """A name from the file as it may appear in a message: printable ASCII, at most 60 chars."""
    shown = _UNSAFE.sub("?", name)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _words(sql: str | None) -> str:
    """SQL text with its spacing and letter case made uniform, for comparing triggers and views."""
    return " ".join((sql or "").split()).lower()


def read_schema(con: sqlite3.Connection) -> Schema:
    """Every table (with its columns and foreign keys), index, trigger and view of a connection's
    main database, except SQLite's own bookkeeping tables."""
    found: Schema = {}
    rows = con.execute("select type, name, tbl_name, sql from main.sqlite_master").fetchall()
    for kind, name, table, sql in rows:
        if kind == "table" and _SQLITE_INTERNAL.match(name):
            continue
        if kind == "table":
            quoted = name.replace('"', '""')
            columns = tuple(sorted(
                (c[1], str(c[2]).upper(), c[3], c[4], c[5], c[6])
                for c in con.execute(f'pragma main.table_xinfo("{quoted}")')))
            keys = tuple(sorted(
                (k[2], k[3], k[4], k[5], k[6]) for k in
                con.execute(f'pragma main.foreign_key_list("{quoted}")')))
            virtual = _words(sql).startswith("create virtual")
            without_rowid = "without rowid" in _words(sql)
            shape: tuple[object, ...] = (columns, keys, virtual, without_rowid)
        elif kind == "index":
            quoted = name.replace('"', '""')
            info = con.execute(f'pragma main.index_xinfo("{quoted}")').fetchall()
            unique = next((r[2] for r in con.execute(
                f'pragma main.index_list("{table.replace(chr(34), chr(34) * 2)}")')
                if r[1] == name), None)
            partial = " where " in _words(sql)
            shape = (tuple((r[2], r[3], r[4], r[5]) for r in info if r[5]), unique, partial)
        else:  # trigger, view
            shape = (_words(sql),)
        found[(kind, name)] = Item(kind, name, table, shape)
    return found


def _describe(item: Item) -> str:
    where = {"index": " on ", "trigger": " on "}.get(item.kind)
    return f"{item.kind} '{_show(item.name)}'" + (f"{where}{_show(item.table)}" if where else "")


def differences(found: Schema, expected: Schema) -> list[str]:
    """What differs, in words: unexpected and missing things first, then changed ones."""
    out: list[str] = []
    for key in sorted(found.keys() - expected.keys()):
        out.append(f"unexpected {_describe(found[key])}")
    for key in sorted(expected.keys() - found.keys()):
        out.append(f"missing {_describe(expected[key])}")
    for key in sorted(found.keys() & expected.keys()):
        have, want = found[key], expected[key]
        if have.table != want.table:
            out.append(f"{_describe(have)} should be on {_show(want.table)}")
        elif have.shape != want.shape:
            out.append(_changed(have, want))
    return out


def _changed(have: Item, want: Item) -> str:
    if have.kind != "table":
        return f"{_describe(have)} is not the one ips-tui makes"
    have_cols = {c[0]: c for c in have.shape[0]}  # type: ignore[attr-defined]
    want_cols = {c[0]: c for c in want.shape[0]}  # type: ignore[attr-defined]
    table = _show(have.name)
    extra = sorted(have_cols.keys() - want_cols.keys())
    if extra:
        return f"unexpected column '{_show(extra[0])}' in table {table}"
    gone = sorted(want_cols.keys() - have_cols.keys())
    if gone:
        return f"missing column '{_show(gone[0])}' in table {table}"
    changed = sorted(n for n in have_cols if have_cols[n] != want_cols[n])
    if changed:
        return f"column '{_show(changed[0])}' of table {table} is not the one ips-tui makes"
    if have.shape[1] != want.shape[1]:
        return f"the foreign keys of table {table} are not the ones ips-tui makes"
    return f"table {table} is not made the way ips-tui makes it"


_lock = threading.Lock()
_cache: dict[object, Schema] = {}


def _models_signature() -> object:
    return (migrations.SCHEMA_VERSION, tuple(
        (m._meta.table_name, tuple((f.column_name, type(f).__name__, f.null, f.unique, f.index)
                                   for f in m._meta.sorted_fields), repr(m._meta.indexes))
        for m in models.ALL_MODELS))


def expected_schema() -> Schema:
    """The schema of a new database of this version (made once in memory, then cached)."""
    key = _models_signature()
    with _lock:
        cached = _cache.get(key)
        if cached is None:
            memory = pw.SqliteDatabase(":memory:", pragmas={"foreign_keys": 1})
            try:
                for model in models.ALL_MODELS:  # in dependency order
                    pw.SchemaManager(model, memory).create_all(safe=False)
                cached = _cache[key] = read_schema(memory.connection())
            finally:
                memory.close()
    return cached


def migrated_schema(con: sqlite3.Connection, version: int) -> Schema:
    """The schema a database at an older ``version`` will have once migrated: a copy in
    memory is migrated, the database behind ``con`` is only read."""
    memory = pw.SqliteDatabase(":memory:", pragmas={"foreign_keys": 1})
    try:
        con.backup(memory.connection())
        with memory.bind_ctx(models.ALL_MODELS):
            migrations.migrate(memory, version)
        return read_schema(memory.connection())
    finally:
        memory.close()


def problems(con: sqlite3.Connection, version: int | None = None) -> list[str]:
    """How the schema behind ``con`` (at ``version``, default the current one) differs from the
    one this version expects: [] when it is exactly that."""
    if version is not None and version < migrations.SCHEMA_VERSION:
        found = migrated_schema(con, version)
    else:
        found = read_schema(con)
    return differences(found, expected_schema())


def summary(found: list[str]) -> str:
    """The differences in one line: the first few named, the rest counted."""
    named = "; ".join(found[:NAMED])
    more = len(found) - NAMED
    return named + (f"; and {more} more" if more > 0 else "")


def refusal(where: object, found: list[str]) -> str:
    """The message for a file whose schema is not the expected one."""
    return (f"{where} has a database schema this version of ips-tui does not make "
            f"({summary(found)}): it was changed outside ips-tui and is not safe to use; "
            "nothing was changed")


def open_database_problems() -> list[str]:
    """The differences of the open SQLite database ([] for a server: not compared)."""
    database = models.database.obj
    if not isinstance(database, pw.SqliteDatabase):
        return []
    return problems(database.connection())


def schema_findings() -> list:  # list[check.Finding]
    """For `ips-tui check`: each difference of the open SQLite database's schema as an error."""
    from ips_tui.store.check import Finding

    return [Finding("error", "database schema", problem) for problem in open_database_problems()]
