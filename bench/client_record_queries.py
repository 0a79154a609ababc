"""What opening a client asks the database: each query of ``store.queries.client_record``, its
time as the program sees it, and its plan (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on
SQLite); then the whole read's median time, on a connection handed back between reads as a
screen's load does (``close_thread_connection``) and on one kept open.

    .venv/bin/python bench/client_record_queries.py DB_OR_URL [CLIENT_ID] [--runs N] [--no-plans]

Timing lives here, never in the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import time

from ips_tui.store import db, queries
from ips_tui.store import models as m


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("location")
    parser.add_argument("client_id", nargs="?", default="C00000000")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--no-plans", action="store_true")
    args = parser.parse_args()
    db.open_store(args.location, create=False)
    database = m.database.obj
    server = db.is_server_database()
    queries.client_record(args.client_id)  # warm: the caches a session has once it is going
    seen: list[tuple[str, object, float]] = []
    cls = type(database)
    plain = cls.execute_sql

    def timed(self, sql, params=None, *rest, **kw):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        cursor = plain(self, sql, params, *rest, **kw)
        seen.append((sql, params, time.perf_counter() - t))
        return cursor

    cls.execute_sql = timed  # type: ignore[method-assign]
    record = queries.client_record(args.client_id)
    cls.execute_sql = plain  # type: ignore[method-assign]
    print(f"{args.client_id}: {len(record.contacts)} contacts, {len(record.jobs)} jobs, "
          f"{len(record.employer_contacts)} employer contacts, {len(seen)} queries")
    for n, (sql, params, took) in enumerate(seen, 1):
        print(f"\n--- query {n}: {took * 1000:.2f} ms as the program saw it\n{sql}\n  params {params}")
        if args.no_plans:
            continue
        explain = "EXPLAIN (ANALYZE, BUFFERS) " if server else "EXPLAIN QUERY PLAN "
        for row in database.execute_sql(explain + sql, params).fetchall():
            print("   ", row[-1])
    for mode in ("handed back", "kept"):
        times = []
        for _ in range(args.runs):
            if mode == "handed back":
                db.close_thread_connection()
            t = time.perf_counter()
            queries.client_record(args.client_id)
            times.append(time.perf_counter() - t)
        print(f"\nclient_record, connection {mode} between reads: median "
              f"{statistics.median(times) * 1000:.2f} ms of {args.runs}")


if __name__ == "__main__":
    main()
