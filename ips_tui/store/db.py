"""Opening a database safely: check what a file is before touching it, then connect and migrate.

A file that is not an ips-tui database, or one written by a newer ips-tui, is refused with a clear
:class:`StoreError` and is never modified: the check uses a read-only connection, and only a file
that passes it is opened for writing.

A location may also be a PostgreSQL URL (a team's shared server, :mod:`ips_tui.store.server`):
the same checks are made on the server's tables, and an empty database gets the schema.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import peewee as pw

from ips_tui.locations import is_server, make_private_dir
from ips_tui.store import damage, models, schema_check
from ips_tui.store.migrations import SCHEMA_VERSION, migrate
from ips_tui.store.server import ServerDatabase
from ips_tui.store.server import ServerUnavailable as _ServerUnavailable

APP_ID = "ips-tui"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
PRAGMAS = {
    "foreign_keys": 1,
    "journal_mode": "wal",
    "busy_timeout": BUSY_TIMEOUT_MS,
    "synchronous": "normal",
}


class StoreError(Exception):
    """A problem with the database that the user can act on; the message says what and why."""


class ServerUnavailable(StoreError, _ServerUnavailable):
    """The database server cannot be reached or the connection to it was lost; nothing was
    saved by the statement that met it."""


class SaveFailed(StoreError):
    """The database could not take a save for a reason outside the record (busy, disk full,
    read-only): nothing was saved, and the message says what to do."""


def save_failure(exc: BaseException) -> SaveFailed:
    """The words for a write the database refused: what happened and what to do, never a value
    of the record (database messages do not carry them)."""
    exc = _root_cause(exc)
    text = " ".join(str(exc).split()) or type(exc).__name__
    lowered = text.lower()
    if "locked" in lowered or "lock timeout" in lowered or "could not obtain lock" in lowered:
        why = ("the database is busy: someone else is saving or importing. Nothing was saved: "
               "wait a moment and save again")
    elif damage.is_disk_full(exc) or "full" in lowered:
        path = database_path()
        why = (f"{damage.disk_full(path.parent if path else None)}. Nothing was saved: free some "
               "disk space and save again")
    elif damage.is_damage(exc):
        why = ("the database file is damaged. Nothing was saved: run `ips-tui check` to see "
               "where, and restore a backup")
    elif "readonly" in lowered or "read-only" in lowered or "permission" in lowered:
        path = database_path()
        why = ("the database is read-only for you. Nothing was saved: ask for write access"
               + (f" to {path}" if path else ""))
    elif "disk i/o" in lowered:
        why = ("the disk could not be written (disk I/O error). Nothing was saved: check that "
               "the disk is connected and has space, then save again")
    else:
        why = f"the database refused the save ({text[:200]}). Nothing was saved"
    return SaveFailed(why)


def _root_cause(exc: BaseException) -> BaseException:
    """The error that made a transaction fail, rather than the failure to roll it back after
    SQLite already had (on a full disk SQLite rolls back by itself, and the rollback that
    follows says only "cannot rollback - no transaction is active")."""
    while "no transaction is active" in str(exc) and exc.__context__ is not None:
        exc = exc.__context__
    return exc


@contextlib.contextmanager
def saving() -> Iterator[None]:
    """:func:`transaction` for one save: a failure of the database itself (busy past the
    timeout, disk full, read-only) becomes a :class:`SaveFailed` that says what to do."""
    try:
        with transaction():
            yield
    except (pw.OperationalError, sqlite3.OperationalError) as exc:
        raise save_failure(exc) from None


def failure_words(exc: BaseException) -> str:
    """The real cause of a database error met outside a save, in words, with what to do: a
    full disk (and how much is free), a damaged file (and which tables), or SQLite's words."""
    path = database_path()
    exc = _root_cause(exc)
    if damage.is_disk_full(exc):
        return (f"{damage.disk_full(path.parent if path else None)}: free some disk space and "
                "try again (nothing half-written was kept)")
    if damage.is_damage(exc) and path is not None:
        words = _damage_of(path) or "the database file is damaged"
        return (f"{path}: {words}. Restore a backup from the backups folder "
                "(`ips-tui restore FILE`); `ips-tui check` says more")
    text = " ".join(str(exc).split())[:200]
    return (f"the database could not be read or written ({text}). Run `ips-tui check`, or "
            "`ips-tui restore` a backup from the backups folder.")


def _damage_of(path: Path) -> str | None:
    """What is damaged in a database file (read-only look), or None if that cannot be told."""
    try:
        con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return damage.damage(con)
    except sqlite3.Error:
        return None
    finally:
        con.close()


def is_database_error(exc: BaseException) -> bool:
    """Whether an error came from the database itself (a damaged file, a lost server), as
    opposed to a bug: the command line then says so in one line instead of a traceback."""
    return isinstance(exc, sqlite3.DatabaseError) or (
        type(exc).__module__ == "peewee" and "Error" in type(exc).__name__)


def _owner_only(path: Path) -> None:
    """Take away group and other permissions where the platform has them (POSIX); the owner's
    own permissions are left as they are (a write-protected file stays write-protected)."""
    if os.name == "posix":
        try:
            mode = path.stat().st_mode & 0o777
            if mode & 0o077:
                os.chmod(path, mode & 0o700)
        except OSError:
            pass


def create_private_file(path: Path) -> None:
    """Create an empty file readable only by its owner (parents created owner-only as needed)."""
    make_private_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def inspect(path: Path | str) -> int:
    """Say what a database file is without changing it: its schema version, 0 for a new file.

    Raises StoreError if the file is not an ips-tui database, is damaged, or is newer than this
    program understands. ``path`` may also be a server URL: the same, for its tables.
    """
    if is_server(path):
        database = ServerDatabase(str(path), unavailable=ServerUnavailable)
        try:
            return inspect_server(database)
        finally:
            database.close()
    path = Path(path)
    if path.is_symlink() and not path.exists():
        raise StoreError(f"{path} is a link to a file that does not exist; nothing was changed")
    if not path.exists():
        return 0
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file")
    if not path.is_file():
        raise StoreError(f"{path} is not a regular file (a pipe or a device?); nothing was changed")
    try:
        with open(path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{path} cannot be read: {exc.strerror or exc}") from None
    if not header:
        raise StoreError(f"{path} is an empty file, not an ips-tui database; nothing was changed")
    if header != SQLITE_HEADER:
        raise StoreError(f"{path} is not an ips-tui database (not an SQLite file); nothing was changed")
    siblings = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    existed = [p.exists() for p in siblings]
    try:
        return _check_contents(path)
    except StoreError:
        # A refused file is left as it was: without the -wal/-shm a read-only look created.
        # (On success the database is opened for real, so they are left for SQLite to manage:
        # another process may be using them.)
        _remove_new_siblings(siblings, existed)
        raise


@contextlib.contextmanager
def leaving_no_trace(path: Path) -> Iterator[None]:
    """Around read-only looks at a database file that is not the open one (a file to restore
    from): the empty -wal/-shm files SQLite makes beside a WAL-format file to read it are
    removed again afterwards (never ones that were there before, or a -wal with content)."""
    siblings = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    existed = [p.exists() for p in siblings]
    try:
        yield
    finally:
        _remove_new_siblings(siblings, existed)


def _check_contents(path: Path, *, rolled_back: bool = False) -> int:
    """Read ips_meta through a read-only connection and compare the schema with the one this
    version makes (:mod:`ips_tui.store.schema_check`): the schema version, or StoreError."""
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        con = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            has_meta = con.execute(
                "select 1 from sqlite_master where type='table' and name='ips_meta'"
            ).fetchone()
            if not has_meta:
                raise StoreError(
                    f"{path} is an SQLite database but not an ips-tui database; nothing was changed"
                )
            meta = dict(con.execute("select key, value from ips_meta").fetchall())
            version = _check_meta(path, meta)
            try:
                found = schema_check.problems(con, version)
            except pw.DatabaseError as exc:  # a migration (done on a copy in memory) failed
                raise StoreError(f"{path} cannot be upgraded to this version's schema ({exc}); "
                                 "nothing was changed") from None
            if found:
                raise StoreError(schema_check.refusal(path, found))
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        if code == sqlite3.SQLITE_READONLY_ROLLBACK and not rolled_back \
                and _roll_back_interrupted_write(path):
            return _check_contents(path, rolled_back=True)
        if code == sqlite3.SQLITE_BUSY:  # a first import holds it (bulk.written_once)
            raise StoreError(f"{path} is busy: someone is importing into it or saving, for longer "
                             f"than {BUSY_TIMEOUT_MS // 1000} seconds; nothing was changed: try "
                             "again in a moment") from None
        raise StoreError(f"{path} cannot be read as a database ({exc}); nothing was changed") from None
    return version


def _roll_back_interrupted_write(path: Path) -> bool:
    """A write cut off in rollback-journal mode (a first import killed half-way, see
    bulk.written_once) leaves a hot journal beside the file, which a read-only look cannot roll
    back. Roll it back as any SQLite writer would on opening the file: it goes back to its last
    commit. Whether that could be done."""
    if not Path(f"{path}-journal").exists():
        return False
    try:
        con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            con.execute("select count(*) from sqlite_master").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False
    return True


def _check_meta(where: object, meta: dict[str, str]) -> int:
    """The schema version from an ips_meta table's rows, or StoreError saying why not."""
    if meta.get("app") != APP_ID:
        raise StoreError(f"{where} is not an ips-tui database; nothing was changed")
    try:
        version = int(meta.get("schema_version", ""))
    except ValueError:
        version = 0
    if version < 1:
        raise StoreError(f"{where} has no valid schema version; nothing was changed")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{where} was written by a newer ips-tui (schema {version}; this version knows up to "
            f"{SCHEMA_VERSION}). Upgrade ips-tui to open it; nothing was changed."
        )
    return version


def _remove_new_siblings(siblings: list[Path], existed: list[bool]) -> None:
    """Remove the empty -wal/-shm files a read-only look at a WAL database left behind."""
    try:
        wal_size = siblings[0].stat().st_size
    except OSError:
        wal_size = 0
    if existed[0] or wal_size > 0:
        return
    for sibling, was_there in zip(siblings, existed, strict=True):
        if not was_there:
            try:
                sibling.unlink(missing_ok=True)
            except OSError:
                pass


def open_store(location: str | os.PathLike[str], *, create: bool = True) -> pw.Database:
    """Open (creating if allowed) the database at ``location`` and bring its schema up to date.

    ``location`` is a file path or a ``postgresql://`` URL. The models are bound to it until
    :func:`close_store`.
    """
    if is_server(location):
        return _open_server(str(location), create=create)
    path = Path(location).expanduser()
    version = inspect(path)
    if version == 0:
        if not create:
            raise StoreError(f"{path} does not exist")
        create_private_file(path)
    database = pw.SqliteDatabase(str(path), pragmas=PRAGMAS, timeout=BUSY_TIMEOUT_MS / 1000)
    _bind(database)
    try:
        database.connect(reuse_if_open=True)
        if version < SCHEMA_VERSION:
            migrate(database, version, path)
    except pw.OperationalError as exc:
        close_store()
        if damage.is_disk_full(exc):
            raise StoreError(f"{path} cannot be opened for writing: {damage.disk_full(path.parent)}. "
                             "Free some disk space and try again") from None
        raise StoreError(f"{path} cannot be opened for writing: {exc}") from None
    _owner_only(path)
    return database


def inspect_server(database: ServerDatabase) -> int:
    """Say what a server database holds without changing it: its schema version, 0 when it has
    no tables at all. StoreError if it holds other tables, another program's or a newer ips-tui's.
    """
    where = database.where
    tables = set(database.get_tables())  # in the connection's current schema
    if not tables:
        return 0
    if "ips_meta" not in tables:
        raise StoreError(f"{where} has tables but is not an ips-tui database; nothing was changed. "
                         "Use an empty database for ips-tui.")
    rows = database.execute_sql("select key, value from ips_meta").fetchall()
    return _check_meta(where, dict(rows))


def _open_server(url: str, *, create: bool) -> pw.Database:
    if pw.psycopg2 is None:  # loaded without it (store.loading), or not installed
        raise StoreError("the PostgreSQL driver is not loaded in this ips-tui (started on a "
                         "database file, it talks to that file only); start it again with "
                         "--db URL")
    try:
        database = ServerDatabase(url, unavailable=ServerUnavailable)
    except ValueError as exc:  # the address itself is malformed (never echoed: it may hold a password)
        raise StoreError(f"the server address is not a valid PostgreSQL URL ({exc}): write it as "
                         "postgresql://user@host:port/dbname") from None
    try:
        version = inspect_server(database)
        if version == 0 and not create:
            raise StoreError(f"{database.where} has no ips-tui data yet: open it once with "
                             f"`ips-tui --db URL`, or move a file into it with `ips-tui migrate-to`")
        if version < SCHEMA_VERSION:
            _bind(database)
            # Under the write lock, so two people opening a new database at once create it once.
            with database.write_transaction():
                version = inspect_server(database)
                if version < SCHEMA_VERSION:
                    migrate(database, version)
    except pw.DatabaseError as exc:
        _discard(database)
        raise StoreError(f"{database.where} cannot be opened: {exc}") from None
    except BaseException:
        _discard(database)
        raise
    _bind(database)
    return database


def _bind(database: pw.Database | None) -> None:
    """Bind the models to ``database``; a server database they were bound to before closes the
    connections it kept for later loads (its threads' own close as they always did)."""
    previous = models.database.obj
    if previous is not database and isinstance(previous, ServerDatabase):
        previous.close_idle()
    models.database.initialize(database)


def _discard(database: pw.Database) -> None:
    if models.database.obj is database:
        _bind(None)
    if isinstance(database, ServerDatabase):
        database.close_idle()
    try:
        database.close()
    except Exception:
        pass


def close_store() -> None:
    """Close the current database connection, if any."""
    database = models.database.obj
    if database is not None and not database.is_closed():
        database.close()


def close_thread_connection() -> None:
    """After a worker thread's reads or writes (peewee keeps a connection per thread): on a
    server, the thread hands its connection back (:meth:`ServerDatabase.release`), so none stays
    tied to an idle thread of a pool, and the next load (in whichever thread) uses it without
    opening a new one; one the server dropped meanwhile is found by the next read, which opens a
    new one. A file's stays open: SQLite's page cache is per connection, and a cold one made
    every screen load read its pages again."""
    database = models.database.obj
    if isinstance(database, ServerDatabase):
        database.release()


def database_path() -> Path | None:
    """The file of the open SQLite database, or None."""
    database = models.database.obj
    if isinstance(database, pw.SqliteDatabase):
        return Path(database.database)
    return None


def transaction() -> AbstractContextManager[Any]:
    """A write transaction (or savepoint, when nested) on the open database: all of it or none.

    On SQLite it takes the write lock at the start (BEGIN IMMEDIATE), so two people saving at
    once wait for each other (up to the busy timeout) instead of one failing half-way with
    "database is locked" after it has read stale rows.
    """
    database = models.database.obj
    if isinstance(database, pw.SqliteDatabase):
        return database.atomic(lock_type="IMMEDIATE")
    if isinstance(database, ServerDatabase):
        return database.write_transaction()
    return models.database.atomic()


def snapshot() -> AbstractContextManager[Any]:
    """A read transaction: every query inside sees the database as it was at one moment.

    (SQLite's WAL gives a read transaction that on its own; PostgreSQL needs REPEATABLE READ.)
    """
    database = models.database.obj
    if isinstance(database, ServerDatabase):
        return database.snapshot()
    return models.database.atomic()


def is_server_database() -> bool:
    """Whether the open database is a server (PostgreSQL) rather than a file."""
    return isinstance(models.database.obj, ServerDatabase)


def reset_sequences() -> None:
    """After rows were written with explicit ids: make the server's id sequences follow them."""
    database = models.database.obj
    if isinstance(database, ServerDatabase):
        database.reset_sequences(list(models.ALL_MODELS))
