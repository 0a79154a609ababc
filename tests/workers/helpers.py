"""Shared helpers for the concurrency, crash, fuzz and hostile-file tests.

Imported by the tests as ``from workers.helpers import ...`` (pytest puts tests/ on sys.path).
Everything that inspects a database here uses a plain driver connection (``sqlite3`` for a file,
``psycopg2`` for a ``postgresql://`` URL), independent of the app's store, so a check never goes
through the code it checks.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

WORKER = Path(__file__).with_name("store_worker.py")
CLI_WORKER = Path(__file__).with_name("cli_short_timeout.py")
LOCK_HOLDER = Path(__file__).with_name("lock_holder.py")

#: Every table of the schema, in foreign-key order.
TABLES = ("specialist", "client", "employer", "job", "client_contact", "employer_contact",
          "employer_contact_client", "audit_log", "setting", "ips_meta")


def ips_tui_exe() -> str:
    """The `ips-tui` console script of the running interpreter's environment."""
    exe = Path(sys.executable).with_name("ips-tui")
    return str(exe) if exe.exists() else "ips-tui"


def child_env() -> dict[str, str]:
    """The environment for a child process: the test's (isolated) one, no colour, UTF-8 I/O."""
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("PYTHONBREAKPOINT", None)
    return env


def start_worker(mode: str, config: dict, **popen: object) -> subprocess.Popen:
    """Start tests/workers/store_worker.py in a new process (stdout/stderr piped as text)."""
    return subprocess.Popen(
        [sys.executable, str(WORKER), mode, json.dumps(config)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env(), **popen,
    )


def start_cli(*args: str, **popen: object) -> subprocess.Popen:
    """Start the real `ips-tui` console script with ``args``."""
    return subprocess.Popen(
        [ips_tui_exe(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=child_env(), **popen,
    )


def finish(proc: subprocess.Popen, timeout: float = 60) -> tuple[int, str, str]:
    """Wait for a process; (exit status, stdout, stderr). Kills it if it outlives ``timeout``."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"process {proc.args!r} hung for {timeout} s:\n{out}\n{err}")
    return proc.returncode, out, err


def last_json(stdout: str) -> dict:
    """The JSON object a worker prints on its last line."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert lines, "the worker printed nothing"
    return json.loads(lines[-1])


def wait_for(paths: list[Path], timeout: float = 60, procs: list[subprocess.Popen] = ()) -> None:
    """Wait until every file in ``paths`` exists (fail early if a process died meanwhile)."""
    deadline = time.monotonic() + timeout
    while not all(p.exists() for p in paths):
        for proc in procs:
            if proc.poll() is not None:
                out, err = proc.communicate()
                raise AssertionError(f"worker exited early ({proc.returncode}):\n{out}\n{err}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {paths}")
        time.sleep(0.002)


class ServerConnection:
    """A psycopg2 connection with the little of sqlite3's interface the tests use
    (``execute`` with ``?`` placeholders, ``commit``, ``close``)."""

    def __init__(self, url: str) -> None:
        import psycopg2

        self._conn = psycopg2.connect(url)

    def execute(self, sql: str, params: tuple = ()):
        cursor = self._conn.cursor()
        if params:
            cursor.execute(sql.replace("%", "%%").replace("?", "%s"), params)
        else:
            cursor.execute(sql)  # no parameters: a % is just a %
        return cursor

    def commit(self) -> None:
        self._conn.commit()

    def close(self) -> None:
        self._conn.close()


def is_url(location: object) -> bool:
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def connect(path: Path | str) -> sqlite3.Connection | ServerConnection:
    """A plain driver connection (not the app's store): sqlite3 for a file, psycopg2 for a URL."""
    if is_url(path):
        return ServerConnection(str(path))
    return sqlite3.connect(str(path), timeout=30)


#: (child table, column, parent table, parent key) for every foreign key of the schema.
REFERENCES = (
    ("client", "specialist_id", "specialist", "id"),
    ("job", "client_id", "client", "client_id"),
    ("job", "employer_id", "employer", "employer_id"),
    ("client_contact", "client_id", "client", "client_id"),
    ("client_contact", "specialist_id", "specialist", "id"),
    ("employer_contact", "employer_id", "employer", "employer_id"),
    ("employer_contact", "specialist_id", "specialist", "id"),
    ("employer_contact_client", "employer_contact_id", "employer_contact", "id"),
    ("employer_contact_client", "client_id", "client", "client_id"),
)


def integrity(path: Path | str) -> list[str]:
    """['ok'] for a sound database, else what is wrong: for a file, PRAGMA integrity_check rows
    plus foreign_key_check findings; for a server, rows whose reference points at nothing."""
    con = connect(path)
    try:
        if isinstance(con, ServerConnection):
            rows = []
            for child, column, parent, key in REFERENCES:
                n = con.execute(
                    f'select count(*) from "{child}" c where c."{column}" is not null and not '
                    f'exists (select 1 from "{parent}" p where p."{key}" = c."{column}")'
                ).fetchone()[0]
                if n:
                    rows.append(f"foreign key: {n} {child}.{column} without a {parent}")
            return rows or ["ok"]
        rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
        rows += [f"foreign key: {r}" for r in con.execute("PRAGMA foreign_key_check")]
        return rows
    finally:
        con.close()


def counts(path: Path | str) -> dict[str, int]:
    """Rows per table."""
    con = connect(path)
    try:
        return {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in TABLES}
    finally:
        con.close()


def query(path: Path | str, sql: str, params: tuple = ()) -> list[tuple]:
    con = connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def tree_hash(folder: Path) -> dict[str, str]:
    """A sha256 of every file in a folder, by name (to compare two exports)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def file_state(path: Path) -> tuple[bytes | None, int | None]:
    """A file's bytes and permission bits (None for a folder or a missing file)."""
    if not path.exists() or path.is_dir():
        return None, None
    return path.read_bytes(), path.stat().st_mode & 0o777


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def bulk_folder(folder: Path, *, contacts: int, clients: int, prefix: str = "K",
                specialists: tuple[str, ...] = ("Bulk One", "Bulk Two"),
                note: str = "bulk") -> Path:
    """An interchange folder: new specialists, ``clients`` new clients and ``contacts`` contacts.

    Every contact's notes are unique (``{note} {i}``), so rows can be counted one by one.
    """
    write_csv(folder / "specialists.csv", ["name", "email", "active"],
              [[name, "", "yes"] for name in specialists])
    write_csv(folder / "clients.csv", ["client_id", "last_name", "specialist", "stage"],
              [[f"{prefix}{i:05d}", f"Bulk{i}", specialists[i % len(specialists)], "engaged"]
               for i in range(clients)])
    write_csv(folder / "client_contacts.csv",
              ["client_id", "date", "specialist", "mode", "location", "attempted", "notes"],
              [[f"{prefix}{i % clients:05d}", f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                specialists[i % len(specialists)], "phone", "office", "no", f"{note} {i}"]
               for i in range(contacts)])
    return folder
