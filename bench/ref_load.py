"""The reference for `ips-tui import`: a plain standard-library loader. csv + executemany of the
six interchange files into a new SQLite file, one transaction, indexes on the ids; no checks.

    python bench/ref_load.py FOLDER NEW.db
"""

from __future__ import annotations

import csv
import sqlite3
import sys
from pathlib import Path

TABLES = {  # file: (table, id column to index, or None)
    "specialists.csv": ("specialist", "name"),
    "employers.csv": ("employer", "employer_id"),
    "clients.csv": ("client", "client_id"),
    "jobs.csv": ("job", "job_id"),
    "client_contacts.csv": ("client_contact", "client_id"),
    "employer_contacts.csv": ("employer_contact", "employer_id"),
}


def load(folder: Path, db: Path) -> None:
    db.unlink(missing_ok=True)
    con = sqlite3.connect(db)
    with con:
        for name, (table, key) in TABLES.items():
            with open(folder / name, newline="", encoding="utf-8-sig") as fh:
                reader = csv.reader(fh)
                header = next(reader)
                con.execute(f"create table {table} ({', '.join(header)})")
                con.executemany(f"insert into {table} values ({', '.join('?' * len(header))})",
                                reader)
            con.execute(f"create index {table}_{key} on {table} ({key})")
    con.close()


if __name__ == "__main__":
    load(Path(sys.argv[1]), Path(sys.argv[2]))
