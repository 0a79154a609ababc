"""Processes killed with SIGKILL half-way through writing: nothing committed is lost, nothing
half-written is left.

* A big `ips-tui import` (40,000 contacts) is killed at several points of its write phase, found
  by watching the -wal file grow, and once just after it committed (before it checkpointed). The
  database then opens in the app, passes SQLite's integrity check and holds either none of the
  import or all of it; and the import can simply be run again.
* A process logging contacts one by one is killed mid-burst: every contact it reported as saved
  is there, at most the one in flight besides, each with exactly one audit entry.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from workers.helpers import (
    bulk_folder,
    child_env,
    counts,
    finish,
    integrity,
    ips_tui_exe,
    query,
    start_worker,
)

from ips_tui.store import models as m
from ips_tui.store import writes
from ips_tui.store.db import close_store, open_store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and -wal watching need POSIX")

SAM = "Sam Ortiz"
CONTACTS, CLIENTS = 40_000, 400


@dataclass(frozen=True)
class Bulk:
    folder: Path
    template: Path  # a closed database (no -wal) holding a little data before the import
    none: dict[str, int]  # row counts when none of the import is in
    all: dict[str, int]  # row counts when all of it is


@pytest.fixture(scope="module")
def bulk(tmp_path_factory: pytest.TempPathFactory) -> Bulk:
    root = tmp_path_factory.mktemp("crash")
    folder = bulk_folder(root / "import", contacts=CONTACTS, clients=CLIENTS)
    template = root / "template.db"
    open_store(template)
    writes.add_specialist(SAM)
    writes.create_client({"client_id": "C0001", "last_name": "Before", "specialist": SAM,
                          "stage": "engaged"})
    writes.add_client_contact({"client_id": "C0001", "date": "2026-11-01", "specialist": SAM,
                               "mode": "phone", "notes": "before"})
    close_store()
    assert not Path(f"{template}-wal").exists()
    none = counts(template)
    full = dict(none)
    full["specialist"] += 2
    full["client"] += CLIENTS
    full["client_contact"] += CONTACTS
    full["audit_log"] += 3  # one "import" entry per kind of record added
    return Bulk(folder, template, none, full)


def wal_size(db: Path) -> int:
    try:
        return os.path.getsize(f"{db}-wal")
    except OSError:
        return -1


@dataclass
class Killed:
    db: Path
    returncode: int
    wal_at_kill: int
    output: str


def import_and_kill(bulk: Bulk, db: Path, *, wal_over: int | None = None,
                    after_commit: bool = False) -> Killed:
    """Run `ips-tui import` on a copy of the template and SIGKILL it at the chosen moment.

    ``wal_over``: as soon as the -wal file is bigger than this many bytes (the write transaction
    is under way: uncommitted pages spill into the WAL). ``after_commit``: as soon as the summary,
    printed after the commit, appears - the data is then only in the WAL, not yet checkpointed.
    """
    shutil.copyfile(bulk.template, db)
    out_path = db.with_suffix(".out")
    env = child_env()
    env["PYTHONUNBUFFERED"] = "1"
    with open(out_path, "w") as out:
        proc = subprocess.Popen([ips_tui_exe(), "import", "--db", str(db), str(bulk.folder)],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
    wal = -1
    deadline = time.monotonic() + 120
    try:
        while proc.poll() is None:
            wal = wal_size(db)
            if wal_over is not None and wal > wal_over:
                break
            if after_commit and "Imported:" in out_path.read_text():
                break
            if time.monotonic() > deadline:
                raise AssertionError("the import never reached the kill point")
            time.sleep(0.0002)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return Killed(db, proc.returncode, wal, out_path.read_text())


def check_after_crash(bulk: Bulk, killed: Killed) -> str:
    """The database opens in the app, is intact and holds none or all of the import."""
    assert "Traceback" not in killed.output, killed.output
    # The app opens it (the read-only look of inspect() included) and can read it.
    open_store(killed.db, create=False)
    try:
        assert m.Client.get_by_id("C0001").last_name == "Before"
    finally:
        close_store()
    assert integrity(killed.db) == ["ok"]
    found = counts(killed.db)
    if found == bulk.none:
        state = "none"
    elif found == bulk.all:
        state = "all"
    else:
        raise AssertionError(f"a partial import after SIGKILL (wal {killed.wal_at_kill} bytes): "
                             f"{found}, expected {bulk.none} or {bulk.all}")
    notes = query(killed.db, "select count(distinct notes) from client_contact "
                             "where notes like 'bulk %'")[0][0]
    assert notes == (CONTACTS if state == "all" else 0)
    return state


def test_import_killed_mid_write_leaves_none_or_all_of_it(bulk, tmp_path):
    # Kill points through the write phase: its very first WAL page, then further into it.
    states = []
    for i, threshold in enumerate((0, 1_000_000, 2_500_000, 4_000_000)):
        killed = import_and_kill(bulk, tmp_path / f"mid{i}.db", wal_over=threshold)
        state = check_after_crash(bulk, killed)
        states.append((threshold, killed.returncode, killed.wal_at_kill, state))
        if killed.returncode == -signal.SIGKILL and killed.wal_at_kill < 1_000_000:
            # Killed within the first pages of the transaction: the commit was far away.
            assert state == "none", states
    # The test must really have killed an import in its write phase at least once.
    assert any(rc == -signal.SIGKILL and wal > 0 and state == "none"
               for _, rc, wal, state in states), states


def test_import_killed_after_commit_keeps_all_of_it(bulk, tmp_path):
    killed = import_and_kill(bulk, tmp_path / "committed.db", after_commit=True)
    assert "Imported:" in killed.output
    assert check_after_crash(bulk, killed) == "all"


def test_an_import_killed_mid_write_can_be_run_again(bulk, tmp_path):
    killed = import_and_kill(bulk, tmp_path / "again.db", wal_over=0)
    assert check_after_crash(bulk, killed) == "none" or killed.returncode == 0
    rc, out, err = finish(subprocess.Popen(
        [ips_tui_exe(), "import", "--db", str(killed.db), str(bulk.folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env()))
    if killed.returncode == 0:  # it finished before the kill: importing again changes nothing
        assert rc == 0 and f"{CONTACTS} unchanged" in out, err
    else:
        assert rc == 0 and f"client_contacts.csv: {CONTACTS} added" in out, err
    assert integrity(killed.db) == ["ok"]
    assert counts(killed.db) == bulk.all


def test_a_first_import_killed_mid_write_leaves_the_file_empty(bulk, tmp_path):
    """Into an empty file an import writes through a rollback journal, not the WAL
    (bulk.written_once): killed with its pages half in the file, the next open rolls the file
    back to empty from the journal, and it is in WAL mode again."""
    empty = tmp_path / "empty.db"
    open_store(empty)
    close_store()
    none = counts(empty)
    size = os.path.getsize(empty)
    killed_mid_write = 0
    for i, grown in enumerate((0, 1_000_000, 3_000_000)):
        db = tmp_path / f"first{i}.db"
        shutil.copyfile(empty, db)
        journal = Path(f"{db}-journal")
        proc = subprocess.Popen([ips_tui_exe(), "import", "--db", str(db), str(bulk.folder)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                env=child_env())
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if journal.exists() and os.path.getsize(db) > size + grown:
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.0002)
        output, _ = proc.communicate(timeout=60)
        assert "Traceback" not in output, output
        assert not Path(f"{db}-wal").exists() or proc.returncode == 0
        open_store(db, create=False)  # rolls back from the hot journal, and goes back to WAL
        try:
            mode = m.database.execute_sql("PRAGMA journal_mode").fetchone()[0]
        finally:
            close_store()
        assert mode == "wal"
        assert integrity(db) == ["ok"]
        found = counts(db)
        if proc.returncode == -signal.SIGKILL:
            killed_mid_write += 1
            assert found == none, found  # the commit is the last thing the import writes
        else:
            assert proc.returncode == 0, output
            assert found["client_contact"] == CONTACTS
    assert killed_mid_write, "never killed an import in its write phase"


# ---------------------------------------------------------------- a burst of single writes

def read_committed(proc: subprocess.Popen, at_least: int) -> list[tuple[int, int]]:
    """Read ``id i`` lines until ``at_least`` contacts were reported saved."""
    reported = []
    assert proc.stdout is not None
    while len(reported) < at_least:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"the writer stopped: {proc.stderr.read() if proc.stderr else ''}")
        contact_id, i = line.split()
        reported.append((int(contact_id), int(i)))
    return reported


def test_killed_during_a_burst_of_single_writes_keeps_every_committed_row(tmp_path):
    db = tmp_path / "burst.db"
    open_store(db)
    writes.add_specialist(SAM)
    writes.create_client({"client_id": "C0001", "last_name": "Busy", "specialist": SAM,
                          "stage": "employed"})
    close_store()
    for trial, kill_after in enumerate((1, 37, 150)):
        before = {r[0] for r in query(db, "select id from client_contact")}
        tag = f"t{trial}"
        proc = start_worker("burst", {"db": str(db), "client_id": "C0001", "specialist": SAM,
                                      "tag": tag})
        try:
            reported = read_committed(proc, kill_after)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
            # Not communicate(): it would skip what readline() already buffered.
            rest, err = proc.stdout.read(), proc.stderr.read()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        assert proc.returncode == -signal.SIGKILL
        assert "Traceback" not in err, err
        # Complete lines written before the kill were all reports of committed rows.
        for line in rest.splitlines():
            parts = line.split()
            if len(parts) == 2 and line.endswith(tuple("0123456789")):
                reported.append((int(parts[0]), int(parts[1])))
        if rest and not rest.endswith("\n"):
            reported.pop()  # a line cut off by the kill is not a full report

        assert integrity(db) == ["ok"]
        open_store(db, create=False)  # the app still opens it
        close_store()
        rows = dict(query(db, "select id, notes from client_contact where notes like ?",
                          (f"{tag}-%",)))
        for contact_id, i in reported:
            assert rows.get(contact_id) == f"{tag}-{i}", "a reported save is missing"
        # At most the write in flight when the process died got committed unreported.
        extra = set(rows) - {cid for cid, _ in reported}
        assert len(extra) <= 1
        if extra:
            assert rows[extra.pop()] == f"{tag}-{len(reported)}"
        assert set(rows) | before == {r[0] for r in query(db, "select id from client_contact")}
        # Every contact has exactly one creation entry in the audit log, and no entry names a
        # contact that is not there.
        audited = [int(r[0]) for r in query(
            db, "select entity_id from audit_log where entity='client_contact' "
                "and action='create'")]
        assert sorted(audited) == sorted(r[0] for r in query(db, "select id from client_contact"))
