"""The real cause of a failure in words: a full disk (and how much is free), or a damaged file
(and which tables SQLite cannot read whole).

Used by saves (:func:`ips_tui.store.db.save_failure`), the command line's last-resort message,
`ips-tui check` and `ips-tui backup` (which refuses to copy a damaged file). Never a record value:
SQLite's messages and table names carry none.
"""

from __future__ import annotations

import errno
import re
import shutil
import sqlite3
from pathlib import Path

_UNSAFE = re.compile(r"[^\x20-\x7e]")


def _show(name: str) -> str:
    shown = _UNSAFE.sub("?", name)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def size(count: int) -> str:
    """Bytes for a person: 512 bytes, 12 KB, 3.4 MB, 1.2 GB."""
    if count < 1024:
        return f"{count} bytes"
    value = float(count)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if value >= 10 else f"{value:.1f} {unit}"
    return f"{count} bytes"  # pragma: no cover


def is_disk_full(exc: BaseException) -> bool:
    """Whether an error means the disk is full (SQLite's words, or the system's ENOSPC)."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return True
    text = str(exc).lower()
    return "disk is full" in text or "no space left" in text or "database or disk is full" in text


def is_damage(exc: BaseException) -> bool:
    """Whether an error means the database file is damaged (SQLite: malformed, corrupt)."""
    text = str(exc).lower()
    return "malformed" in text or "corrupt" in text or "not a database" in text


def free_space(folder: Path | None) -> str:
    """'12 KB free on the disk holding FOLDER', or '' when it cannot be told."""
    if folder is None:
        return ""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return ""
    return f"{size(free)} free on the disk holding {folder}"


def disk_full(folder: Path | None) -> str:
    """'the disk is full (12 KB free on the disk holding FOLDER)'."""
    free = free_space(folder)
    return "the disk is full" + (f" ({free})" if free else "")


def damaged_tables(con: sqlite3.Connection) -> list[str] | None:
    """The tables SQLite cannot read whole (their pages or their indexes are damaged), by
    PRAGMA quick_check of each; None when even its list of tables cannot be read."""
    try:
        names = [r[0] for r in con.execute(
            "select name from main.sqlite_master where type = 'table' order by name")]
    except sqlite3.DatabaseError:
        return None
    bad = []
    for name in names:
        quoted = name.replace('"', '""')
        try:
            rows = [r[0] for r in con.execute(f'pragma main.quick_check("{quoted}")')]
        except sqlite3.DatabaseError:
            bad.append(name)
            continue
        if rows != ["ok"]:
            bad.append(name)
    return bad


def damage(con: sqlite3.Connection) -> str | None:
    """None when SQLite's quick check finds the file sound; else what is damaged, in words."""
    try:
        rows = [r[0] for r in con.execute("pragma main.quick_check")]
        if rows == ["ok"]:
            return None
    except sqlite3.DatabaseError:
        pass
    tables = damaged_tables(con)
    if tables is None:
        return "the database file is damaged: its list of tables cannot be read"
    if not tables:
        return "the database file is damaged (SQLite's quick check failed, in no one table)"
    shown = ", ".join(_show(t) for t in tables)
    return f"the database file is damaged: table{'s' if len(tables) > 1 else ''} {shown} " \
           "cannot be read whole"
