"""A seeded synthetic IPS program, written as interchange CSV files (then imported like real data).

Sizes (issue: speed at program and regional scale):
- program: 10 specialists, 200 open clients, 2,000 closed clients over 5 years, 300 employers,
  1,500 jobs, 60,000 client contacts, 20,000 employer contacts;
- region: ten programs pooled (ten times everything);
- long: the program's open caseload with ten times its closed clients and their contacts;
- national: a hundred programs (220,000 clients) with the contacts per program of the issue's
  region data (about 1.4 million client contacts, 470,000 employer contacts).
Shapes are realistic: contacts cluster around job starts (weekly in the first month, then
monthly), most clients have zero to two jobs, names and notes have realistic lengths. One open
client has 500 contacts (for "opening a big record"). Usage:

    python bench/generate.py program bench/data/program [--today 2026-11-23] [--seed 1]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

SIZES = {
    # name: (programs pooled, open clients per program, closed per program, employers per program,
    #        client contacts per program, employer contacts per program)
    "program": (1, 200, 2_000, 300, 60_000, 20_000),
    "region": (10, 200, 2_000, 300, 60_000, 20_000),
    "long": (1, 200, 20_000, 300, 600_000, 20_000),
    "national": (100, 200, 2_000, 300, 14_000, 4_700),
}
JOBS_PER_PROGRAM_PER_2200 = 1_500

FIRST = ("Alex Sam Jordan Taylor Morgan Casey Riley Jamie Avery Quinn Dana Robin Lee Chris Pat Kim "
         "Terry Jesse Drew Cameron Nadia Omar Lucia Tomasz Aisha Kwame Mei Ivan Fatima Diego Sofia "
         "Liam Noah Emma Olivia Ava Mia Leo Zara Yusuf Hana Marek Ines Rui Anya").split()
LAST = ("Nguyen Brown Garcia Wilson Murphy Kowalski Haddad Osei Chen Rossi Patel Johnson Kelly "
        "Silva Novak Ahmed Walker Moreau Schmidt Tanaka Hughes Reyes Baker Lindqvist Mensah Dubois "
        "Jensen Castillo Ward Petrov Young Abbott Fischer Greene Ibrahim O'Neill Van-Dijk").split()
NOTES = (
    "Met at the cafe near the job; talked about how the first shifts went and what to ask the manager.",
    "Reviewed the rota and the bus times; agreed to practise the route together on Thursday.",
    "Went through the benefits letter; booked a session with the benefits counsellor.",
    "Checked in by the library. Feeling anxious about the interview; practised three answers.",
    "Updated the career profile: prefers mornings, outdoor work, no heavy lifting.",
    "Short visit. Things are going well at work; next visit in a month.",
)
TITLES = ("Stock assistant", "Barista", "Kitchen porter", "Groundskeeper", "Cleaner", "Receptionist",
          "Warehouse operative", "Care assistant", "Courier", "Library assistant", "Bookseller")
INDUSTRIES = ("Retail", "Hospitality", "Healthcare", "Public sector", "Warehousing", "Cleaning")


def _w(folder: Path, name: str, header: list[str], rows: list[list[object]]) -> None:
    with open(folder / name, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def generate(folder: Path, size: str, today: dt.date, seed: int = 1) -> dict[str, int]:
    """Write the six CSV files for a data set; return row counts."""
    programs, n_open, n_closed, n_employers, n_contacts, n_ec = SIZES[size]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    specialists, employers, clients, jobs, contacts, ecs = [], [], [], [], [], []
    day = dt.timedelta(days=1)
    for p in range(programs):
        specs = [f"Specialist {p:02d}-{i:02d}" for i in range(10)]
        specialists += [[s, f"s{p}{i}@example.org", "yes"] for i, s in enumerate(specs)]
        emp_ids = [f"E{p:02d}{i:04d}" for i in range(n_employers)]
        employers += [[e, f"{rng.choice(LAST)} {rng.choice(('Ltd', '& Sons', 'Cafe', 'Stores'))}",
                       rng.choice(INDUSTRIES), f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                       f"555-{rng.randint(1000, 9999)}", "", f"{rng.randint(1, 300)} High Street", ""]
                      for e in emp_ids]
        total = n_open + n_closed
        per_client = n_contacts / total
        job_rate = JOBS_PER_PROGRAM_PER_2200 / 2_200
        for c in range(total):
            cid = f"C{p:02d}{c:06d}"
            is_open = c < n_open
            spec = specs[c % 10]
            years_back = rng.uniform(0.05, 1.5) if is_open else rng.uniform(0.3, 5)
            start = today - dt.timedelta(days=int(years_back * 365))
            referral = start - dt.timedelta(days=rng.randint(2, 20))
            closed = None
            if not is_open:
                closed = min(today - day, start + dt.timedelta(days=rng.randint(60, 600)))
            end_of_support = closed or today
            client_jobs = []
            n_jobs = sum(1 for _ in range(3) if rng.random() < job_rate / 3 * 1.1)
            for j in range(n_jobs):
                js = start + dt.timedelta(days=rng.randint(10, max(11, (end_of_support - start).days)))
                if js > today + 5 * day:
                    continue
                je = js + dt.timedelta(days=rng.randint(20, 500))
                je = None if (is_open and je >= today and rng.random() < 0.8) else min(je, end_of_support)
                if je is not None and je < js:
                    je = js
                jid = f"J{cid[1:]}{j}"
                client_jobs.append((js, je))
                jobs.append([jid, cid, rng.choice(emp_ids), rng.choice(TITLES), js, je or "",
                             rng.choice((12, 16, 20, 25, 30)), rng.choice((11.5, 12.25, 13, 14.5)),
                             "yes", "" if je is None else "Contract ended"])
            stage = "closed" if not is_open else (
                "employed" if any(je is None for _, je in client_jobs) else
                rng.choice(("engaged", "job_search", "job_search", "education", "referred")))
            clients.append([cid, rng.choice(FIRST), rng.choice(LAST), spec, referral,
                            "" if stage == "referred" else start, stage, closed or "",
                            f"555-{rng.randint(1000, 9999)}", "", rng.choice(TITLES), ""])
            # Contacts: spread over the time in service, denser around each job start.
            n = max(1, int(rng.gauss(per_client, per_client / 3)))
            big = c == 0 and p == 0
            if big:
                n = 500  # the big record: 500 different contacts (identical ones are one contact)
            distinct: set[tuple[object, ...]] = set()
            made = 0
            span = max(1, (end_of_support - start).days)
            while len(distinct) < n if big else made < n:
                made += 1
                if client_jobs and rng.random() < 0.6:
                    js, _je = rng.choice(client_jobs)
                    when = js + dt.timedelta(days=int(abs(rng.gauss(0, 40))))
                else:
                    when = start + dt.timedelta(days=rng.randint(0, span))
                when = min(when, today)
                row = [cid, when, spec, rng.choice(("in_person",) * 3 + ("phone", "text")),
                       rng.choice(("community", "community", "office")),
                       "yes" if rng.random() < 0.05 else "no", rng.choice(NOTES)]
                if big:
                    if tuple(row) in distinct:
                        continue
                    distinct.add(tuple(row))
                contacts.append(row)
        open_ids = [f"C{p:02d}{c:06d}" for c in range(n_open)]
        all_ids = [f"C{p:02d}{c:06d}" for c in range(total)]
        for _ in range(n_ec):
            when = today - dt.timedelta(days=int(rng.expovariate(1 / 500)) % 1800)
            behalf = rng.sample(open_ids if when > today - 60 * day else all_ids, rng.randint(0, 2))
            ecs.append([rng.choice(emp_ids), when, rng.choice(specs),
                        "in_person" if rng.random() < 0.8 else "phone", ";".join(behalf),
                        "yes" if rng.random() < 0.4 else "no", rng.choice(NOTES)])
    _w(folder, "specialists.csv", ["name", "email", "active"], specialists)
    _w(folder, "employers.csv", ["employer_id", "name", "industry", "contact_name", "phone", "email",
                                 "address", "notes"], employers)
    _w(folder, "clients.csv", ["client_id", "first_name", "last_name", "specialist", "referral_date",
                               "start_date", "stage", "closed_date", "phone", "email", "job_goal",
                               "notes"], clients)
    _w(folder, "jobs.csv", ["job_id", "client_id", "employer_id", "title", "start_date", "end_date",
                            "hours_per_week", "hourly_wage", "competitive", "end_reason"], jobs)
    contacts = [list(r) for r in {tuple(r) for r in contacts}]  # identical contacts are one contact
    contacts.sort(key=lambda r: (r[0], r[1]))
    _w(folder, "client_contacts.csv", ["client_id", "date", "specialist", "mode", "location",
                                       "attempted", "notes"], contacts)
    _w(folder, "employer_contacts.csv", ["employer_id", "date", "specialist", "mode", "client_ids",
                                         "hiring_manager", "notes"], ecs)
    return {"specialists": len(specialists), "employers": len(employers), "clients": len(clients),
            "jobs": len(jobs), "client_contacts": len(contacts), "employer_contacts": len(ecs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--today", default="2026-11-23")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    counts = generate(args.folder, args.size, dt.date.fromisoformat(args.today), args.seed)
    print(", ".join(f"{k}: {v:,}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
