"""Backups of an SQLite database: on demand, before every migration, and at most daily at start-up.

Backups use SQLite's online backup API, so they are consistent even while others write. Each is
a timestamped file in the ``backups`` folder beside the database, readable only by its owner.

Pruning rule for automatic backups (on-demand ones are never deleted): keep the newest
:data:`KEEP_DAILY` start-up backups and the newest :data:`KEEP_MIGRATION` pre-migration backups.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import stat
import tempfile
import time
from pathlib import Path

import peewee as pw

from ips_tui.locations import backups_dir, make_private_dir

KEEP_DAILY = 14
KEEP_MIGRATION = 5


def _stamp(now: dt.datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


def backup_name(db_path: Path, kind: str, now: dt.datetime) -> str:
    """``<stem>-<YYYYmmdd-HHMMSS>-<kind>.db``; kind is manual, daily or migration."""
    return f"{db_path.stem}-{_stamp(now)}-{kind}.db"


#: A backup's temporary file not written to for this long was left by one that was interrupted.
STALE_PARTIAL_SECONDS = 600
#: Temporary files of backups: ``.NAME.XXXXXXXX.partial`` (and SQLite's journal beside it), and
#: the ``NAME.db.partial`` of earlier versions.
_PARTIAL = re.compile(r"(\..+\.[a-z0-9_]{8}\.partial|.+\.db\.partial)(-journal|-wal|-shm)?")


def clean_partials(folder: Path, now: float | None = None) -> list[Path]:
    """Delete what interrupted backups left in ``folder`` (temporary files nobody has written to
    for :data:`STALE_PARTIAL_SECONDS`); return what was deleted."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not _PARTIAL.fullmatch(entry.name):
            continue
        try:
            info = entry.lstat()
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_PARTIAL_SECONDS:
                entry.unlink()
                removed.append(entry)
        except OSError:
            pass
    return removed


def copy_database(source: sqlite3.Connection, dest: Path) -> Path:
    """Copy a live database to ``dest`` with the online backup API (owner-only, atomic rename).

    The copy is written to a temporary file in the same folder, created exclusively under an
    unpredictable name (never through a link), and renamed into place when complete; an
    interrupted copy leaves nothing behind, or (killed outright) a ``.partial`` file that the
    next backup into that folder deletes.
    """
    from ips_tui.store.db import StoreError

    folder = dest.parent
    if (folder.exists() or folder.is_symlink()) and not folder.is_dir():
        raise StoreError(f"{folder} is a file, not a folder: move it away or back up somewhere "
                         "else; nothing was written")
    make_private_dir(folder)
    clean_partials(folder)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".partial", dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        target = sqlite3.connect(name)
        try:
            source.backup(target)
        finally:
            target.close()
        os.replace(tmp, dest)
    except BaseException:
        for leftover in (tmp, Path(f"{name}-journal")):
            leftover.unlink(missing_ok=True)
        raise
    return dest


def backup(database: pw.SqliteDatabase, db_path: Path, dest: Path | None = None,
           kind: str = "manual", now: dt.datetime | None = None,
           into_folder: bool = False) -> Path:
    """Back up the open database. ``dest`` may be a file or a folder (an existing one, or any
    when ``into_folder``: it is created); default: the backups folder."""
    from ips_tui.store.damage import damage
    from ips_tui.store.db import StoreError

    now = now or dt.datetime.now()
    if dest is None:
        dest = backups_dir(db_path) / backup_name(db_path, kind, now)
    elif into_folder or dest.is_dir():
        dest = dest / backup_name(db_path, kind, now)
    connection = database.connection()
    damaged = damage(connection)
    if damaged:  # a copy would look like a good backup, and push good ones out of the folder
        raise StoreError(f"{db_path}: {damaged}. Not backing it up: a copy would be as damaged. "
                         "Keep your earlier backups; restore one (`ips-tui restore FILE`)")
    return copy_database(connection, dest)


def _automatic(db_path: Path, kind: str) -> list[Path]:
    """This database's automatic backups of one kind, oldest first (never another database's)."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    pattern = re.compile(rf"{re.escape(db_path.stem)}-\d{{8}}-\d{{6}}-{kind}\.db")
    return sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name))


def prune(db_path: Path) -> list[Path]:
    """Delete automatic backups beyond the documented rule; return what was deleted."""
    removed: list[Path] = []
    for kind, keep in (("daily", KEEP_DAILY), ("migration", KEEP_MIGRATION)):
        files = _automatic(db_path, kind)
        for old in files[: max(0, len(files) - keep)]:
            old.unlink(missing_ok=True)
            removed.append(old)
    return removed


def backup_before_migration(database: pw.SqliteDatabase, db_path: Path, version: int) -> Path:
    """The automatic backup taken before any schema migration."""
    path = backup(database, db_path, kind="migration")
    prune(db_path)
    return path


def daily_backup(database: pw.SqliteDatabase, db_path: Path, today: dt.date,
                 now: dt.datetime | None = None) -> Path | None:
    """Take the start-up backup unless one was already taken ``today``; prune old ones."""
    stamp = today.strftime("%Y%m%d")
    if any(f"-{stamp}-" in p.name for p in _automatic(db_path, "daily")):
        return None
    now = now or dt.datetime.combine(today, dt.datetime.now().time())
    path = backup(database, db_path, kind="daily", now=now)
    prune(db_path)
    return path


def restore(database: pw.SqliteDatabase, db_path: Path, source: Path) -> Path:
    """Replace the open database's contents with ``source``, after checking it and backing up.

    Returns the path of the safety backup of what was there before. ``source`` must be an
    ips-tui database this version can open (it may be older: the caller migrates after).
    """
    from ips_tui.store.db import StoreError, inspect, leaving_no_trace

    source = Path(source)
    if not source.is_file():
        raise StoreError(f"{source} is not a file")
    if source.resolve() == db_path.resolve() or _same_file(source, db_path):
        raise StoreError(f"{source} is the database itself (the same file under another name: "
                         "a link to it); nothing was restored")
    with leaving_no_trace(source):
        inspect(source)
        safety = backup(database, db_path, kind="pre-restore")
        src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            src.backup(database.connection())
        finally:
            src.close()
    return safety


def _same_file(one: Path, other: Path) -> bool:
    """Whether two paths are one file (a hard link, a link, the same name spelt otherwise)."""
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False
