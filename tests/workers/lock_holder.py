"""Hold a lock on an SQLite database until killed (or until stdin closes).

    python lock_holder.py DB MODE READY_FILE

MODE ``transaction``: an open ``BEGIN EXCLUSIVE`` transaction (in WAL mode readers can still
read; every writer waits). MODE ``exclusive``: ``PRAGMA locking_mode=EXCLUSIVE`` and an open
``BEGIN EXCLUSIVE``: nobody else can even read the file. Nothing is ever written or committed,
so the database file is left exactly as it was. READY_FILE is created once the lock is held.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path


def main() -> None:
    db, mode, ready = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    con = sqlite3.connect(db, isolation_level=None, timeout=30)
    if mode == "exclusive":
        con.execute("PRAGMA locking_mode=EXCLUSIVE")
    con.execute("BEGIN EXCLUSIVE")
    con.execute("select count(*) from sqlite_master").fetchone()
    ready.touch()
    sys.stdin.read()  # until the test closes our stdin or kills us
    con.execute("ROLLBACK")
    con.close()


if __name__ == "__main__":
    main()
