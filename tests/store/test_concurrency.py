"""Two REAL processes writing to one database at the same time: a file, and a PostgreSQL server.

Each writer is tests/workers/store_worker.py in its own interpreter (its own connection, its own
locks), started behind a barrier file so that they write at the same moment. Afterwards the
database must hold exactly what both wrote: nothing lost, nothing twice, no error in either
process, the integrity check clean and every row matched by its audit entry.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from workers.helpers import (
    bulk_folder,
    counts,
    finish,
    integrity,
    last_json,
    query,
    start_cli,
    start_worker,
    wait_for,
    write_csv,
)

from ips_tui.store import writes
from ips_tui.store.db import close_store, open_store

SAM, KIM = "Sam Ortiz", "Kim Park"
SEED_CLIENTS = ("C0001", "C0002", "C0003", "C0004")


@pytest.fixture
def shared(fresh_location) -> Path | str:
    """A database (a file, or on the test server) with two specialists, four clients and one
    contact; closed again."""
    path = fresh_location("shared")
    open_store(path)
    writes.add_specialist(SAM)
    writes.add_specialist(KIM)
    for i, cid in enumerate(SEED_CLIENTS):
        writes.create_client({"client_id": cid, "last_name": f"Seed{i}",
                              "specialist": SAM if i % 2 else KIM, "stage": "engaged"})
    writes.add_client_contact({"client_id": "C0001", "date": "2026-10-01", "specialist": SAM,
                               "mode": "in_person", "notes": "seed"})
    close_store()
    if isinstance(path, Path):
        assert not Path(f"{path}-wal").exists()
    return path


def run_together(tmp_path: Path, mode: str, configs: list[dict]) -> list[dict]:
    """Start one worker per config, release them together, wait; every one must succeed.

    Each worker pauses a millisecond between its writes (outside any transaction), so that the
    write lock changes hands all the time instead of one worker taking it for a whole run.
    """
    go = tmp_path / "go"
    procs, ready = [], []
    for i, config in enumerate(configs):
        ready.append(tmp_path / f"ready{i}")
        procs.append(start_worker(mode, {**config, "ready": str(ready[-1]), "go": str(go)}))
    try:
        wait_for(ready, procs=procs)
        go.touch()
        outcomes = [finish(p) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.communicate()
    results = []
    for rc, out, err in outcomes:
        assert rc == 0, f"a worker failed ({rc}):\n{err}"
        assert err == "", f"a worker wrote to stderr:\n{err}"
        results.append(last_json(out))
    return results


def audit_creates(path: Path, entity: str) -> list[str]:
    return [r[0] for r in query(path, "select entity_id from audit_log where action='create' "
                                      "and entity=?", (entity,))]


# ---------------------------------------------------------------- (a) parallel adds

def test_two_processes_adding_contacts_at_once_lose_and_duplicate_nothing(shared, tmp_path):
    n = 150
    before = counts(shared)
    results = run_together(tmp_path, "contacts", [
        {"db": str(shared), "n": n, "tag": tag, "specialist": spec, "pause": 0.001,
         "client_ids": list(SEED_CLIENTS)}
        for tag, spec in (("A", SAM), ("B", KIM))
    ])
    ids_a, ids_b = results[0]["ids"], results[1]["ids"]
    assert len(set(ids_a)) == n and len(set(ids_b)) == n
    assert not set(ids_a) & set(ids_b), "two processes were given the same contact id"

    after = counts(shared)
    assert after["client_contact"] == before["client_contact"] + 2 * n
    notes = [r[0] for r in query(shared, "select notes from client_contact where notes != 'seed'")]
    assert sorted(notes) == sorted([f"A-{i}" for i in range(n)] + [f"B-{i}" for i in range(n)])
    # Every id a worker was told it got holds that worker's contact, with the right specialist.
    rows = dict(query(shared, "select c.id, c.notes || '/' || s.name from client_contact c "
                              "join specialist s on s.id = c.specialist_id"))
    for tag, spec, ids in (("A", SAM, ids_a), ("B", KIM, ids_b)):
        assert [rows[i] for i in ids] == [f"{tag}-{i}/{spec}" for i in range(n)]
    # One audit entry per contact, naming it.
    audited = audit_creates(shared, "client_contact")
    assert sorted(audited) == sorted(str(i) for i in rows)
    assert integrity(shared) == ["ok"]


def test_two_processes_creating_clients_at_once_get_distinct_ids(shared, tmp_path):
    m = 60
    before = counts(shared)
    results = run_together(tmp_path, "clients", [
        {"db": str(shared), "m": m, "tag": tag, "specialist": spec, "pause": 0.001}
        for tag, spec in (("A", SAM), ("B", KIM))
    ])
    ids = results[0]["ids"] + results[1]["ids"]
    assert len(set(ids)) == 2 * m, "next_id gave the same id to two processes"
    assert counts(shared)["client"] == before["client"] + 2 * m
    names = dict(query(shared, "select client_id, last_name from client"))
    for tag, got in (("A", results[0]["ids"]), ("B", results[1]["ids"])):
        assert [names[cid] for cid in got] == [f"{tag}-{i}" for i in range(m)]
    # The store's ids are dense: C0005 .. C0124, none skipped or taken twice.
    assert sorted(ids) == [f"C{i:04d}" for i in range(5, 5 + 2 * m)]
    assert sorted(audit_creates(shared, "client")) == sorted(names)
    assert integrity(shared) == ["ok"]


# ---------------------------------------------------------------- (b) optimistic concurrency

def test_two_processes_saving_the_same_version_one_wins_one_gets_conflict(shared, tmp_path):
    rounds = 15
    start = query(shared, "select version, next_step from client where client_id='C0002'")[0]
    audits_before = query(shared, "select count(*) from audit_log where action='update'")[0][0]
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    procs = [
        start_worker("update", {
            "db": str(shared), "client_id": "C0002", "rounds": rounds, "dir": str(barrier),
            "tag": tag, "peers": ["A", "B"], "by": spec,
            "changes": {"next_step": f"{tag} step {{round}}", "discuss_note": f"{tag} {{round}}"},
        })
        for tag, spec in (("A", SAM), ("B", KIM))
    ]
    outcomes = [finish(p) for p in procs]
    for rc, _, err in outcomes:
        assert rc == 0 and err == "", err
    runs = {tag: last_json(out)["rounds"] for tag, (_, out, _) in zip("AB", outcomes)}

    version = start[0]
    winners = []
    for k in range(rounds):
        a, b = runs["A"][k], runs["B"][k]
        # Both read the same version before either saved...
        assert a["read_version"] == b["read_version"] == version
        # ...so exactly one save went through and the other was refused.
        assert sorted([a["result"], b["result"]]) == ["conflict", "ok"], (k, a, b)
        winner = "A" if a["result"] == "ok" else "B"
        assert runs[winner][k]["version"] == version + 1
        winners.append(winner)
        version += 1

    final = query(shared, "select version, next_step, discuss_note from client "
                          "where client_id='C0002'")[0]
    last = rounds - 1
    # Only the winner's values are in the database, never a mix of both.
    assert final == (start[0] + rounds, f"{winners[-1]} step {last}", f"{winners[-1]} {last}")
    updates = query(shared, "select specialist, fields from audit_log where action='update' "
                            "and entity='client' and entity_id='C0002' order by id")
    assert len(updates) == rounds
    assert query(shared, "select count(*) from audit_log where action='update'")[0][0] \
        == audits_before + rounds
    assert [who for who, _ in updates] == [SAM if w == "A" else KIM for w in winners]
    assert all(json.loads(f) == ["discuss_note", "next_step"] for _, f in updates)
    assert integrity(shared) == ["ok"]


# ---------------------------------------------------------------- (c) import while writing

def test_cli_import_while_another_process_adds_contacts(shared, tmp_path):
    n_import, n_writer = 3000, 300
    folder = bulk_folder(tmp_path / "in", contacts=n_import, clients=100, note="imported")
    # Some imported contacts are for clients the other process is writing to as well.
    with open(folder / "client_contacts.csv", "a", encoding="utf-8", newline="") as fh:
        for i in range(50):
            fh.write(f"C0001,2026-11-{1 + i % 28:02d},Sam Ortiz,in_person,community,no,"
                     f"imported seed-client {i}\n")
    before = counts(shared)
    go = tmp_path / "go"
    ready = tmp_path / "ready"
    writer = start_worker("contacts", {
        "db": str(shared), "n": n_writer, "tag": "W", "specialist": KIM, "pause": 0.002,
        "client_ids": list(SEED_CLIENTS), "ready": str(ready), "go": str(go)})
    try:
        wait_for([ready], procs=[writer])
        importer = start_cli("import", "--db", str(shared), str(folder))
        go.touch()
        rc_i, out_i, err_i = finish(importer)
        rc_w, out_w, err_w = finish(writer)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.communicate()
    assert rc_w == 0 and err_w == "", err_w
    assert rc_i == 0, f"import failed:\n{out_i}\n{err_i}"
    assert "Traceback" not in err_i
    assert f"client_contacts.csv: {n_import + 50} added" in out_i

    after = counts(shared)
    assert after["client_contact"] == before["client_contact"] + n_import + 50 + n_writer
    assert after["client"] == before["client"] + 100
    assert after["specialist"] == before["specialist"] + 2
    imported = [r[0] for r in query(shared, "select notes from client_contact "
                                            "where notes like 'imported%'")]
    assert sorted(imported) == sorted([f"imported {i}" for i in range(n_import)]
                                      + [f"imported seed-client {i}" for i in range(50)])
    written = dict(query(shared, "select id, notes from client_contact where notes like 'W-%'"))
    assert [written.get(i) for i in last_json(out_w)["ids"]] == [f"W-{i}" for i in range(n_writer)]
    # The import's audit entries (one per kind of record) and one per single write.
    assert sorted(r[0] for r in query(shared, "select entity_id from audit_log "
                                             "where action='import' and entity='client_contact'")) \
        == [f"{n_import + 50} added"]
    assert len(audit_creates(shared, "client_contact")) == before["client_contact"] + n_writer
    assert integrity(shared) == ["ok"]


# ---------------------------------------------------------------- the same import twice at once

def test_the_same_contacts_imported_by_two_processes_at_once_are_not_duplicated(shared, tmp_path):
    """Two people import this week's contact sheet at the same moment.

    Each import checks the file against the database and writes it while holding the write
    lock, so the second one waits and then finds every contact already there: importing the
    same file again changes nothing (the interchange contract), whichever runs first.
    """
    folder = tmp_path / "week"
    write_csv(folder / "client_contacts.csv",
              ["client_id", "date", "specialist", "mode", "location", "attempted", "notes"],
              [[cid, f"2026-11-{d:02d}", SAM, "in_person", "community", "no", f"week {cid} {d}"]
               for cid in SEED_CLIENTS for d in range(1, 8)])
    first = start_cli("import", "--db", str(shared), str(folder))
    second = start_cli("import", "--db", str(shared), str(folder))
    results = [finish(first), finish(second)]
    assert all(rc == 0 for rc, _, _ in results), results
    outs = sorted(out for _, out, _ in results)
    added = [o for o in outs if "28 added" in o]
    unchanged = [o for o in outs if "0 added" in o and "28 unchanged" in o]
    assert len(added) == 1 and len(unchanged) == 1, outs
    per_note = query(shared, "select notes, count(*) from client_contact "
                             "where notes like 'week %' group by notes")
    assert len(per_note) == 28
    assert {n for _, n in per_note} == {1}, "contacts were imported twice"
    assert integrity(shared) == ["ok"]
