"""The reference for `ips-tui reminders --format json`: a one-shot standard-library script that
reads the six interchange CSV files of a folder and computes the same reminders (the rules of
ips_tui/domain/reminders.py, default settings), printed as the same JSON.

    python bench/ref_reminders.py FOLDER YYYY-MM-DD [WITHIN]

No ips_tui import: this is what "the work itself, in plain Python" costs (bench/run.py times it
beside the real command and checks both print the same reminders).
"""

from __future__ import annotations

import calendar
import csv
import json
import sys
from datetime import date, timedelta
from pathlib import Path


def add_months(d: date, months: int) -> date:
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def rows(folder: Path, name: str):  # type: ignore[no-untyped-def]
    path = folder / name
    if not path.exists():
        return
    with open(path, newline="", encoding="utf-8-sig") as fh:
        yield from csv.DictReader(fh)


def main(folder: Path, on: date, within: int = 3) -> list[dict[str, object]]:
    day = date.fromisoformat
    clients = {}
    for r in rows(folder, "clients.csv"):
        if r["stage"] != "closed":
            name = f"{r['first_name']} {r['last_name']}".strip()
            clients[r["client_id"]] = (name, r["specialist"], r["stage"],
                                       day(r["start_date"]) if r["start_date"] else None)
    employers = {r["employer_id"]: r["name"] for r in rows(folder, "employers.csv")}
    jobs = [(r["job_id"], r["client_id"], day(r["start_date"]),
             day(r["end_date"]) if r["end_date"] else None)
            for r in rows(folder, "jobs.csv") if r["client_id"] in clients]
    job_named = {r["job_id"]: (r["title"] or None, employers.get(r["employer_id"]))
                 for r in rows(folder, "jobs.csv") if r["client_id"] in clients}
    plans: dict[str, list[date]] = {}
    for r in rows(folder, "appointments.csv"):
        if r["client_id"] in clients and (r.get("status") or "planned") == "planned":
            plans.setdefault(r["client_id"], []).append(day(r["date"]))
    with_jobs = {j[1] for j in jobs}
    latest: dict[str, date] = {}
    for r in rows(folder, "client_contacts.csv"):
        cid = r["client_id"]
        if cid in with_jobs and r["mode"] == "in_person" and r["attempted"] != "yes":
            when = day(r["date"])
            if when <= on and (cid not in latest or when > latest[cid]):
                latest[cid] = when
    contacted: set[str] = set()
    for r in rows(folder, "employer_contacts.csv"):
        if day(r["date"]) <= on:
            contacted.update(c for c in r["client_ids"].split(";") if c)
    out: list[tuple[date, str, str, str, dict[str, object]]] = []

    def add(cid: str, kind: str, due: date, job_id: str | None) -> None:
        if due < on:
            status = "overdue"
        elif due <= on + timedelta(days=within):
            status = "due"
        else:
            return
        name, spec, _stage, _start = clients[cid]
        title, employer = job_named.get(job_id, (None, None)) if job_id else (None, None)
        ahead = [d for d in plans.get(cid, ()) if d >= on and (due < on or d <= due)]
        out.append((due, cid, kind, job_id or "", {
            "client_id": cid, "client": name, "specialist": spec, "kind": kind,
            "due": due.isoformat(), "status": status, "job_id": job_id, "job": title,
            "employer": employer, "planned": min(ahead).isoformat() if ahead else None}))

    started: set[str] = set()
    for job_id, cid, s, e in jobs:
        if s <= on:
            started.add(cid)
        last = latest.get(cid)
        if e is not None and e < on:
            if last is None or last < e:
                add(cid, "after_job_end", e + timedelta(days=3), job_id)
        elif on < s:
            if s <= on + timedelta(days=7) and (last is None or last < s - timedelta(days=7)):
                add(cid, "before_start", s - timedelta(days=1), job_id)
        elif last is None or last < s:
            add(cid, "after_start", s + timedelta(days=3), job_id)
        elif last + timedelta(days=7) <= add_months(s, 1):
            add(cid, "weekly", last + timedelta(days=7), job_id)
        else:
            add(cid, "monthly", add_months(last, 1), job_id)
    for cid, (_name, _spec, stage, start) in clients.items():
        if stage == "education" or start is None or cid in started or cid in contacted:
            continue
        add(cid, "first_employer_contact", start + timedelta(days=30), None)
    out.sort(key=lambda t: t[:4])
    return [t[4] for t in out]


if __name__ == "__main__":
    found = main(Path(sys.argv[1]), date.fromisoformat(sys.argv[2]),
                 int(sys.argv[3]) if len(sys.argv) > 3 else 3)
    sys.stdout.write(json.dumps(found, indent=2, ensure_ascii=False) + "\n")
