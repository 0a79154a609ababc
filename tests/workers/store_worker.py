"""A separate process that writes to an ips-tui database through ips_tui.store.writes.

Used by tests/store/test_concurrency.py and tests/system/test_crash.py to get REAL concurrent writers (not
threads sharing one connection). Usage::

    python store_worker.py MODE CONFIG_JSON

MODE is one of ``contacts``, ``clients``, ``update``, ``burst`` (see the functions below).
CONFIG_JSON holds ``db`` (the database file) and the mode's options. ``ready``/``go`` name barrier
files: the worker opens the store, creates ``ready`` and waits for ``go`` to exist before it
writes, so that several workers start writing at the same moment.

The last line on stdout is a JSON object with what the worker did; any error is a traceback on
stderr and a non-zero exit status (a test treats any stderr output as a failure).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def _barrier(config: dict) -> None:
    ready, go = config.get("ready"), config.get("go")
    if ready:
        Path(ready).touch()
    if go:
        deadline = time.monotonic() + 60
        while not os.path.exists(go):
            if time.monotonic() > deadline:
                raise SystemExit("worker: the go file never appeared")
            time.sleep(0.001)


def _pause(config: dict) -> None:
    """Leave the write lock free for a moment (``pause`` seconds) so the writers interleave."""
    if config.get("pause"):
        time.sleep(config["pause"])


def contacts(config: dict) -> dict:
    """Add ``n`` client contacts (notes ``TAG-i``) round-robin over ``client_ids``."""
    from ips_tui.store import writes

    ids = []
    clients = config["client_ids"]
    _barrier(config)
    for i in range(config["n"]):
        ids.append(writes.add_client_contact({
            "client_id": clients[i % len(clients)], "date": "2026-11-02",
            "specialist": config["specialist"], "mode": "phone",
            "notes": f"{config['tag']}-{i}",
        }, by=config["specialist"]))
        _pause(config)
    return {"ids": ids}


def clients(config: dict) -> dict:
    """Create ``m`` clients with ids chosen by the store (next_id), last name ``TAG-i``."""
    from ips_tui.store import writes

    ids = []
    _barrier(config)
    for i in range(config["m"]):
        ids.append(writes.create_client({
            "last_name": f"{config['tag']}-{i}", "specialist": config["specialist"],
            "stage": "referred", "referral_date": "2026-11-01",
        }, by=config["specialist"]))
        _pause(config)
    return {"ids": ids}


def _peer_barrier(folder: Path, name: str, tag: str, peers: list[str]) -> None:
    """Create ``name-tag`` and wait until every peer has created ``name-peer``."""
    (folder / f"{name}-{tag}").touch()
    deadline = time.monotonic() + 60
    while not all((folder / f"{name}-{peer}").exists() for peer in peers):
        if time.monotonic() > deadline:
            raise SystemExit(f"worker {tag}: the peers never reached {name}")
        time.sleep(0.0005)


def update(config: dict) -> dict:
    """For each round: read a client's version, meet the peers, update it with that version.

    ``changes`` values may hold ``{round}``. Returns per round ``ok`` or ``conflict``.
    """
    from ips_tui.store import models as m
    from ips_tui.store import writes

    folder, tag, peers = Path(config["dir"]), config["tag"], config["peers"]
    results = []
    for k in range(config.get("rounds", 1)):
        version = m.Client.get_by_id(config["client_id"]).version
        _peer_barrier(folder, f"read{k}", tag, peers)
        changes = {key: str(value).format(round=k) for key, value in config["changes"].items()}
        try:
            new = writes.update_client(config["client_id"], changes, expected_version=version,
                                       by=config.get("by"))
            results.append({"result": "ok", "read_version": version, "version": new})
        except writes.ConflictError:
            results.append({"result": "conflict", "read_version": version})
        _peer_barrier(folder, f"done{k}", tag, peers)
    return {"rounds": results}


def burst(config: dict) -> dict:
    """Add client contacts (notes ``TAG-i``) until killed, printing ``id i`` after each commit."""
    from ips_tui.store import writes

    _barrier(config)
    i = 0
    limit = config.get("limit", 10**9)
    while i < limit:
        contact_id = writes.add_client_contact({
            "client_id": config["client_id"], "date": "2026-11-03",
            "specialist": config["specialist"], "mode": "in_person",
            "notes": f"{config.get('tag', 'burst')}-{i}",
        }, by=config["specialist"])
        print(f"{contact_id} {i}", flush=True)
        i += 1
    return {"written": i}


MODES = {"contacts": contacts, "clients": clients, "update": update, "burst": burst}


def main() -> None:
    mode, raw = sys.argv[1], sys.argv[2]
    config = json.loads(raw)
    from ips_tui.store.db import close_store, open_store

    open_store(config["db"], create=False)
    try:
        out = MODES[mode](config)
    finally:
        close_store()
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
