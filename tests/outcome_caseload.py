"""The fixed caseload of the outcome and fidelity tests, worked out by hand: the store's tests
(``store/test_outcomes_store.py``) and the command line's golden files (``cli/test_outcomes_cli.py``,
``cli/test_fidelity_cli.py``) all build it here. The period is 2026Q3: Wed 2026-07-01 to Wed
2026-09-30, 92 days = 13 1/7 weeks.
"""

from __future__ import annotations

import datetime as dt

import caseloads

from ips_tui.domain.outcomes import Period

Q3 = Period("quarter", 2026, 3)
MARIA = "Maria Lopez"
JAMES = "James Okafor"


def d(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


EMPLOYERS = [
    {"employer_id": "E0001", "name": "Riverside Grocery", "industry": "Retail"},
    {"employer_id": "E0002", "name": "Green Leaf Cafe", "industry": "Hospitality"},
    {"employer_id": "E0003", "name": "Metro Logistics", "industry": "Warehousing"},
]

# (id, first, last, specialist, stage, referral, start, closed, disclosure, benefits planning)
CLIENTS = [
    ("C0001", "Ann", "Patel", MARIA, "employed", "2026-01-05", "2026-01-12", None, "disclose",
     "2026-02-01"),
    ("C0002", "Ben", "Osei", MARIA, "job_search", "2026-06-20", "2026-07-01", None, "undecided",
     None),
    ("C0003", "Carla", "Reyes", JAMES, "employed", "2025-05-01", "2025-05-10", None,
     "do_not_disclose", "2025-05-20"),
    ("C0004", "Dmitri", "Novak", JAMES, "job_search", "2026-02-01", "2026-02-10", None, "partial",
     "2026-07-10"),
    ("C0005", "Elena", "Garcia", MARIA, "closed", "2026-03-01", "2026-03-05", "2026-06-30",
     "disclose", None),
    ("C0006", "Farid", "Haddad", JAMES, "closed", "2026-04-01", "2026-04-03", "2026-07-01", None,
     None),
    ("C0007", "Grace", "O'Brien", MARIA, "education", "2026-08-10", "2026-08-12", None,
     "disclose", None),
    ("C0008", "Henrik", "Lindqvist", JAMES, "employed", "2026-04-01", "2026-04-20", None,
     "disclose", "2026-04-25"),
    ("C0009", "Isla", "Murphy", MARIA, "job_search", "2026-05-01", "2026-05-04", None,
     "undecided", None),
    ("C0010", "Jamal", "Brown", JAMES, "employed", "2026-06-01", "2026-06-08", None, "disclose",
     "2026-07-01"),
    ("C0011", "Kim", "Young", MARIA, "referred", "2026-07-20", None, None, None, None),
    ("C0012", "Leo", "Diaz", JAMES, "engaged", "2026-09-25", "2026-09-28", None, None, None),
]

# (id, client, employer, title, start, end, hours, wage, competitive, end reason)
JOBS = [
    ("J0001", "C0001", "E0002", "Barista", "2026-03-02", None, 20, 11.50, True, None),
    ("J0003", "C0003", "E0003", "Warehouse operative", "2025-06-01", None, 30, 14.00, True, None),
    ("J0004", "C0004", "E0001", "Stock assistant", "2026-07-06", "2026-09-04", 16, 12.00, True,
     "Quit: the early shifts clashed with his medication"),
    ("J0005", "C0005", "E0001", "Cashier", "2026-04-01", "2026-06-15", 12, 11.00, True,
     "Temporary cover ended"),
    ("J0008", "C0008", "E0002", "Kitchen porter", "2026-03-15", None, 24, 11.75, True, None),
    ("J0009", "C0009", "E0001", "Cashier", "2026-05-20", "2026-06-30", 15, 11.00, True,
     "Laid off"),
    ("J0010", "C0010", "E0003", "Care assistant", "2026-08-03", None, 25, 13.00, True, None),
    ("J0011", "C0010", "E0003", "Gardener", "2026-07-15", None, 6, None, False, None),
]

# (client, date, specialist, mode, location, attempted)
CONTACTS = [
    ("C0001", "2026-06-20", MARIA, "in_person", "community", False),
    ("C0001", "2026-07-15", MARIA, "in_person", "community", False),
    ("C0001", "2026-08-25", MARIA, "in_person", "office", False),
    ("C0001", "2026-09-24", MARIA, "phone", None, False),
    ("C0002", "2026-07-01", MARIA, "in_person", "office", False),
    ("C0002", "2026-07-29", MARIA, "in_person", "community", False),
    ("C0002", "2026-09-10", MARIA, "video", "community", False),
    ("C0003", "2026-07-05", JAMES, "in_person", "community", False),
    ("C0003", "2026-08-05", JAMES, "in_person", "community", False),
    ("C0003", "2026-09-04", JAMES, "in_person", "community", False),
    ("C0004", "2026-06-25", JAMES, "in_person", "office", False),
    ("C0004", "2026-07-08", JAMES, "in_person", "community", False),
    ("C0004", "2026-07-14", JAMES, "in_person", "community", False),
    ("C0004", "2026-07-20", JAMES, "in_person", "community", False),
    ("C0004", "2026-08-30", JAMES, "in_person", "community", False),
    ("C0004", "2026-09-05", JAMES, "phone", None, False),
    ("C0004", "2026-09-06", JAMES, "in_person", "community", False),
    ("C0006", "2026-07-01", JAMES, "phone", None, False),
    ("C0007", "2026-08-12", MARIA, "in_person", "office", False),
    ("C0007", "2026-09-15", MARIA, "in_person", "community", False),
    ("C0008", "2026-07-10", JAMES, "in_person", "community", False),
    ("C0008", "2026-09-29", JAMES, "in_person", "community", False),
    ("C0009", "2026-07-02", MARIA, "in_person", "office", False),
    ("C0009", "2026-09-12", MARIA, "phone", None, True),
    ("C0010", "2026-07-14", JAMES, "in_person", "community", False),
    ("C0010", "2026-08-04", JAMES, "in_person", "community", False),
    ("C0010", "2026-08-10", JAMES, "in_person", "community", False),
    ("C0010", "2026-08-17", JAMES, "in_person", "community", False),
    ("C0010", "2026-08-24", JAMES, "in_person", "community", False),
    ("C0010", "2026-09-20", JAMES, "in_person", "office", False),
    ("C0012", "2026-09-28", JAMES, "in_person", "office", False),
]


def employer_contacts() -> list[tuple[str, str, str, str, list[str]]]:
    """(employer, date, specialist, mode, on behalf of).

    Maria: 52 in person spread over the quarter (every third for Isla Murphy) + 1 on 07-20 for
    Ben Osei (his first) = 53 in person, and 5 phone calls. James: 20 in person (every fourth for
    Dmitri Novak). One in June for each, outside the period.
    """
    out = []
    employers = [e["employer_id"] for e in EMPLOYERS]
    for i in range(52):
        when = Q3.start + dt.timedelta(days=i * 92 // 52)
        out.append((employers[i % 3], when.isoformat(), MARIA, "in_person",
                    ["C0009"] if i % 3 == 0 else []))
    out.append(("E0001", "2026-07-20", MARIA, "in_person", ["C0002"]))
    for i in range(5):
        out.append(("E0002", (Q3.start + dt.timedelta(days=10 + i)).isoformat(), MARIA, "phone",
                    []))
    for i in range(20):
        when = Q3.start + dt.timedelta(days=i * 92 // 20)
        out.append((employers[i % 3], when.isoformat(), JAMES, "in_person",
                    ["C0004"] if i % 4 == 0 else []))
    out.append(("E0001", "2026-06-15", MARIA, "in_person", []))
    out.append(("E0002", "2026-06-16", JAMES, "in_person", []))
    return out


def build_caseload(extra_clients: int = 0) -> None:
    """Write the fixed caseload (and ``extra_clients`` more, each with some history) to the
    open store."""
    caseloads.write(caseloads.Caseload(
        specialists=[{"name": MARIA, "email": "maria@example.org"},
                     {"name": JAMES, "email": "james@example.org"}],
        employers=EMPLOYERS,
        clients=[{"client_id": cid, "first_name": first, "last_name": last, "specialist": spec,
                  "stage": stage, "referral_date": ref, "start_date": start, "closed_date": closed,
                  "disclosure": disclosure, "benefits_planning_date": bp,
                  "phone": "0161 496 0000", "notes": f"Private note about {first}."}
                 for cid, first, last, spec, stage, ref, start, closed, disclosure, bp in CLIENTS],
        jobs=[{"job_id": jid, "client_id": cid, "employer_id": eid, "title": title,
               "start_date": start, "end_date": end, "hours_per_week": hours, "hourly_wage": wage,
               "competitive": competitive, "end_reason": reason}
              for jid, cid, eid, title, start, end, hours, wage, competitive, reason in JOBS],
        client_contacts=[{"client_id": cid, "date": when, "specialist": spec, "mode": mode,
                          "location": location, "attempted": attempted, "notes": "Contact note."}
                         for cid, when, spec, mode, location, attempted in CONTACTS],
        employer_contacts=[{"employer_id": eid, "date": when, "specialist": spec, "mode": mode,
                            "client_ids": cids}
                           for eid, when, spec, mode, cids in employer_contacts()],
    ))
    stages = ["referred", "engaged", "job_search", "employed", "education", "closed"]
    for i in range(extra_clients):  # each written whole before the next, as a caseload of its own
        cid = f"X{i:04d}"
        spec = (MARIA, JAMES)[i % 2]
        stage = stages[i % len(stages)]
        start = Q3.start - dt.timedelta(days=200 - 7 * (i % 40))
        caseloads.write(caseloads.Caseload(
            clients=[{
                "client_id": cid, "first_name": "Extra", "last_name": f"Person{i}",
                "specialist": spec, "stage": stage, "referral_date": start - dt.timedelta(days=5),
                "start_date": start, "disclosure": ("disclose", "undecided")[i % 2],
                "closed_date": start + dt.timedelta(days=40 + i % 60) if stage == "closed" else None,
            }],
            jobs=[{"client_id": cid, "title": f"Helper {i % 7}",
                   "start_date": start + dt.timedelta(days=30 + i % 90),
                   "end_date": (start + dt.timedelta(days=150)) if i % 3 == 0 else None,
                   "hours_per_week": 10 + i % 20, "competitive": i % 5 != 0}],
            client_contacts=[{
                "client_id": cid, "date": Q3.start + dt.timedelta(days=3 + 21 * k + i % 9),
                "specialist": spec, "mode": ("in_person", "phone")[k % 2],
                "location": ("community", "office")[(i + k) % 2], "attempted": k == 3}
                for k in range(4)],
            employer_contacts=[{"employer_id": "E0001",
                                "date": Q3.start + dt.timedelta(days=i % 90),
                                "specialist": spec, "mode": "in_person", "client_ids": [cid]}],
        ))
