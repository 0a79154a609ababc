"""Opening a database safely: check what a file is before touching it, then connect and migrate.

A file that is not an ips-tui database, or one written by a newer ips-tui, is refused with a clear
:class:`StoreError` and is never modified: the check uses a read-only connection, and only a file
that passes it is opened for writing.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import peewee as pw

from ips_tui.store import models
from ips_tui.store.migrations import SCHEMA_VERSION, migrate

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
    """Create an empty file readable only by its owner (parents created as needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def inspect(path: Path) -> int:
    """Say what a database file is without changing it: its schema version, 0 for a new file.

    Raises StoreError if the file is not an ips-tui database, is damaged, or is newer than this
    program understands.
    """
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


def _check_contents(path: Path) -> int:
    """Read ips_meta through a read-only connection: the schema version, or StoreError."""
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
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} cannot be read as a database ({exc}); nothing was changed") from None
    if meta.get("app") != APP_ID:
        raise StoreError(f"{path} is not an ips-tui database; nothing was changed")
    try:
        version = int(meta.get("schema_version", ""))
    except ValueError:
        version = 0
    if version < 1:
        raise StoreError(f"{path} has no valid schema version; nothing was changed")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer ips-tui (schema {version}; this version knows up to "
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
    for sibling, was_there in zip(siblings, existed):
        if not was_there:
            try:
                sibling.unlink(missing_ok=True)
            except OSError:
                pass


def open_store(location: str | os.PathLike[str], *, create: bool = True) -> pw.Database:
    """Open (creating if allowed) the database at ``location`` and bring its schema up to date.

    The models are bound to it until :func:`close_store`.
    """
    path = Path(location).expanduser()
    version = inspect(path)
    if version == 0:
        if not create:
            raise StoreError(f"{path} does not exist")
        create_private_file(path)
    database = pw.SqliteDatabase(str(path), pragmas=PRAGMAS, timeout=BUSY_TIMEOUT_MS / 1000)
    models.database.initialize(database)
    try:
        database.connect(reuse_if_open=True)
        if version < SCHEMA_VERSION:
            migrate(database, version, path)
    except pw.OperationalError as exc:
        close_store()
        raise StoreError(f"{path} cannot be opened for writing: {exc}") from None
    _owner_only(path)
    return database


def close_store() -> None:
    """Close the current database connection, if any."""
    database = models.database.obj
    if database is not None and not database.is_closed():
        database.close()


def database_path() -> Path | None:
    """The file of the open SQLite database, or None."""
    database = models.database.obj
    if isinstance(database, pw.SqliteDatabase):
        return Path(database.database)
    return None


def transaction():  # type: ignore[no-untyped-def]
    """A write transaction (or savepoint, when nested) on the open database: all of it or none.

    On SQLite it takes the write lock at the start (BEGIN IMMEDIATE), so two people saving at
    once wait for each other (up to the busy timeout) instead of one failing half-way with
    "database is locked" after it has read stale rows.
    """
    database = models.database.obj
    if isinstance(database, pw.SqliteDatabase):
        return database.atomic(lock_type="IMMEDIATE")
    return models.database.atomic()
