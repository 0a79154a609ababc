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
from pathlib import Path

import peewee as pw

from ips_tui.locations import backups_dir

KEEP_DAILY = 14
KEEP_MIGRATION = 5


def _stamp(now: dt.datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


def backup_name(db_path: Path, kind: str, now: dt.datetime) -> str:
    """``<stem>-<YYYYmmdd-HHMMSS>-<kind>.db``; kind is manual, daily or migration."""
    return f"{db_path.stem}-{_stamp(now)}-{kind}.db"


def copy_database(source: sqlite3.Connection, dest: Path) -> Path:
    """Copy a live database to ``dest`` with the online backup API (owner-only, atomic rename)."""
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = dest.with_name(dest.name + ".partial")
    if tmp.exists():
        tmp.unlink()
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    target = sqlite3.connect(str(tmp))
    try:
        source.backup(target)
    finally:
        target.close()
    os.replace(tmp, dest)
    return dest


def backup(database: pw.SqliteDatabase, db_path: Path, dest: Path | None = None,
           kind: str = "manual", now: dt.datetime | None = None) -> Path:
    """Back up the open database. ``dest`` may be a file or a folder; default: the backups folder."""
    now = now or dt.datetime.now()
    if dest is None:
        dest = backups_dir(db_path) / backup_name(db_path, kind, now)
    elif dest.is_dir():
        dest = dest / backup_name(db_path, kind, now)
    return copy_database(database.connection(), dest)


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
    from ips_tui.store.db import StoreError, inspect

    source = Path(source)
    if not source.is_file():
        raise StoreError(f"{source} is not a file")
    if source.resolve() == db_path.resolve():
        raise StoreError(f"{source} is the database itself")
    inspect(source)
    safety = backup(database, db_path, kind="pre-restore")
    src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        src.backup(database.connection())
    finally:
        src.close()
    return safety
