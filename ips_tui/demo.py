"""A realistic made-up caseload for trying the app: 3 specialists, ~55 clients, 25 employers.

Everything is dated relative to ``today`` so that, whenever the demo is made, some follow-along
is overdue, some due and some done, some job seekers wait for a first employer contact, and the
coming team meeting has something on every agenda line. All names are invented.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

from ips_tui.dates import as_pendulum, plain
from ips_tui.store import writes
from ips_tui.store.db import StoreError, close_store, inspect, open_store, transaction

DEMO_KEY = "demo"

SPECIALISTS = ("Maria Lopez", "James Okafor", "Priya Shah")

FIRST = ("Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn",
         "Dana", "Robin", "Lee", "Chris", "Pat", "Kim", "Terry", "Jesse", "Drew", "Cameron",
         "Nadia", "Omar", "Lucia", "Tomasz", "Aisha", "Kwame", "Mei", "Ivan", "Fatima", "Diego")
LAST = ("Nguyen", "Brown", "Garcia", "Wilson", "Murphy", "Kowalski", "Haddad", "Osei", "Chen",
        "Rossi", "Patel", "Johnson", "Kelly", "Silva", "Novak", "Ahmed", "Walker", "Moreau",
        "Schmidt", "Tanaka", "Hughes", "Reyes", "Baker", "Lindqvist", "Mensah", "Dubois",
        "Jensen", "Castillo", "Ward", "Petrov", "Young", "Abbott", "Fischer", "Greene", "Ibrahim")

EMPLOYERS = (
    ("Riverside Grocery", "Retail"), ("Green Leaf Cafe", "Hospitality"),
    ("Northside Hardware", "Retail"), ("City Parks Department", "Public sector"),
    ("Sunrise Bakery", "Food production"), ("Metro Logistics", "Warehousing"),
    ("Harbor Hotel", "Hospitality"), ("BrightSmile Dental", "Healthcare"),
    ("Oak Street Library", "Public sector"), ("QuickFix Auto", "Automotive"),
    ("Maple Care Home", "Healthcare"), ("Pixel Print Shop", "Printing"),
    ("Fresh Fields Farm", "Agriculture"), ("Downtown Cinema", "Leisure"),
    ("Clean Sweep Services", "Cleaning"), ("Central Animal Shelter", "Charity"),
    ("Bay Bikes", "Retail"), ("Union Call Centre", "Customer service"),
    ("Hilltop Garden Centre", "Retail"), ("Corner Books", "Retail"),
    ("Swift Couriers", "Delivery"), ("Lakeside Leisure Centre", "Leisure"),
    ("Stone & Co Builders", "Construction"), ("Willow Laundry", "Cleaning"),
    ("Tech Recycle Hub", "Recycling"),
)

JOB_TITLES = ("Stock assistant", "Barista", "Kitchen porter", "Groundskeeper", "Baker's assistant",
              "Warehouse operative", "Housekeeper", "Receptionist", "Library assistant",
              "Car valeter", "Care assistant", "Print finisher", "Farm hand", "Usher", "Cleaner",
              "Kennel assistant", "Bike mechanic", "Call handler", "Garden centre assistant",
              "Bookseller", "Courier", "Lifeguard", "Labourer", "Laundry attendant",
              "Recycling operative")

GOALS = ("Outdoor work with plants or animals", "Part-time retail, mornings",
         "Kitchen work, building to full time", "Office admin, quiet setting",
         "Something with computers", "Driving or delivery", "Care work",
         "Warehouse work, day shifts", "Customer-facing work in a cafe", "Library or museum work")
#: What a contact's note says depends on where the client stands on its day.
SEARCH_NOTES = ("Practised what to say at interview.", "Updated the career profile.",
                "Looked at job ads together at the library.",
                "Talked about disclosure and what to say to employers.",
                "Went through a benefits earnings calculation together.",
                "Planned which employers to visit next.")
FIRST_SHIFT_NOTE = "Checked in after first shift; feeling positive."
WORK_NOTES = ("Talked about what went well at work this week.",
              "Reviewed travel plan and rota.", "Met at the cafe near the job.",
              "Sorted out the bank details for pay.",
              "Talked through a tricky shift and what to say to the supervisor.")
EDUCATION_NOTES = ("Talked about how the course is going.",
                   "Looked at which jobs the course leads to.",
                   "Planned study time around appointments.")
END_REASONS = ("Temporary contract ended", "Quit: hours did not suit", "Let go: lateness",
               "Quit: health reasons")
CLOSED_REASONS = ("Moved away", "No longer wants support")
NEXT_STEPS = {
    "referred": ("Call to introduce IPS and book a first meeting",),
    "engaged": ("Finish the career profile together", "Ask psychiatrist about medication timing",
                "Book benefits planning session"),
    "job_search": ("Visit two cafes with CV this week", "Follow up with employer about trial shift",
                   "Update CV with new course"),
    "employed": ("Practise bus route to the job", "Ask the manager about more hours",
                 "Check in after the first payday"),
    "education": ("Check course timetable against job hours", "Update CV with new course"),
}
DISCUSS = {
    "referred": "Not answering calls since referral; team to agree outreach plan.",
    "engaged": "Missed two appointments; team to agree outreach plan.",
    "job_search": "Offered a trial shift; check benefits impact before accepting.",
    "employed": "Struggling with early shifts; medication review?",
    "education": "Course ends next month; ready to start job search?",
}


class DemoRefused(StoreError):
    """The target exists and is not a demo database: it is never overwritten."""


def _is_demo(path: Path) -> bool:
    open_store(path)
    try:
        return writes.get_setting(DEMO_KEY) == "yes"
    finally:
        close_store()


def create_demo(path: Path, today: dt.date, seed: int = 7) -> str:
    """Write a fresh demo database at ``path``; return a one-line summary."""
    path = Path(path)
    if path.exists():
        inspect(path)  # refuses files that are not ips-tui databases
        if not _is_demo(path):
            raise DemoRefused(f"{path} holds real data (not a demo database); choose another --db")
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    open_store(path)
    with transaction():
        counts = _populate(random.Random(seed), today)
        writes.set_setting(DEMO_KEY, "yes")
    return (f"{counts['clients']} clients, {counts['employers']} employers, {counts['jobs']} jobs, "
            f"{counts['contacts']} client contacts, {counts['employer_contacts']} employer contacts")


def _populate(rng: random.Random, today: dt.date) -> dict[str, int]:
    t = as_pendulum(today)

    def day(offset: int) -> dt.date:
        return plain(t.add(days=offset))

    for name in SPECIALISTS:
        writes.add_specialist(name, email=name.lower().replace(" ", ".") + "@example.org")
    employer_ids = []
    for name, industry in EMPLOYERS:
        employer_ids.append(writes.create_employer({
            "name": name, "industry": industry,
            "contact_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "phone": f"555-01{rng.randint(10, 99)}", "address": f"{rng.randint(1, 200)} Main Street",
        }))
    counts = {"clients": 0, "employers": len(employer_ids), "jobs": 0, "contacts": 0,
              "employer_contacts": 0}
    names = rng.sample([(f, last) for f in FIRST for last in LAST], 55)
    plan = (["referred"] * 5 + ["engaged"] * 8 + ["job_search"] * 14 + ["employed"] * 18
            + ["education"] * 3 + ["closed"] * 7)

    def contact(cid: str, spec: str, when: dt.date, mode: str = "in_person",
                attempted: bool = False, notes: tuple[str, ...] = SEARCH_NOTES) -> None:
        if when > today:
            return
        place = rng.choice(("community", "community", "community", "office"))
        writes.add_client_contact({
            "client_id": cid, "date": when, "specialist": spec, "mode": mode,
            "location": place if mode == "in_person" else None,  # only in person has a place
            "attempted": attempted, "notes": None if attempted else rng.choice(notes),
        })
        counts["contacts"] += 1

    def employer_contact(spec: str, when: dt.date, client_ids: list[str]) -> None:
        writes.add_employer_contact({
            "employer_id": rng.choice(employer_ids), "date": when, "specialist": spec,
            "mode": "in_person" if rng.random() < 0.8 else "phone",
            "client_ids": client_ids, "hiring_manager": rng.random() < 0.5,
            "notes": rng.choice(("Dropped off CV; manager keen to meet.",
                                 "Asked about part-time openings.",
                                 "Informational interview about their hiring needs.",
                                 "Followed up on trial shift.")),
        })
        counts["employer_contacts"] += 1

    seekers: dict[str, list[str]] = {}
    for i, ((first, last), stage) in enumerate(zip(names, plan, strict=True)):
        spec = SPECIALISTS[i % 3]
        started = -rng.randint(40, 420)
        referred = started - rng.randint(3, 15)
        if stage == "engaged":
            started = -rng.randint(5, 45)  # some past 30 days with no employer contact
            referred = started - rng.randint(3, 10)
        values: dict[str, object] = {
            "first_name": first, "last_name": last, "specialist": spec, "stage": stage,
            "referral_date": day(referred), "start_date": day(started), "phone": f"555-02{i:02d}",
            "email": f"{first.lower()}.{last.lower()}@example.com",
            "job_goal": rng.choice(GOALS), "preferred_hours": rng.choice(("16-20", "20-25", "30+", "10-15")),
            "transport": rng.choice(("Bus pass", "Walks", "Bike", "Lift from family")),
            "disclosure": rng.choice(("undecided", "disclose", "do_not_disclose", "partial")),
            "benefits_planning": rng.choice(("offered", "completed", "in_progress", "not_offered")),
        }
        if stage == "referred":  # not met yet: nothing planned or offered
            values.update(start_date=None, referral_date=day(-rng.randint(0, 12)),
                          disclosure=None, benefits_planning="not_offered")
        elif values["benefits_planning"] != "not_offered":  # offered once they had started
            values["benefits_planning_date"] = day(min(started + rng.randint(0, 20), 0))
        closed = 0
        if stage == "closed":
            closed = rng.randint(min(started + 90, -10), -10)
            values["closed_date"] = day(closed)
            values["closed_reason"] = rng.choice(CLOSED_REASONS)
        else:
            values["next_step"] = rng.choice(NEXT_STEPS[stage])
        if i % 11 == 3:
            values["discuss"] = True
            values["discuss_note"] = DISCUSS[stage]
        cid = writes.create_client(values)
        counts["clients"] += 1
        if stage == "job_search":
            seekers.setdefault(spec, []).append(cid)
        if stage == "referred":
            continue
        # Regular contacts since the start (until the client closed), more of them for people
        # in work. Employed clients' contacts after the job search are their follow-along.
        d = started
        stop = started + 12 if stage == "employed" and i % 6 in (3, 4, 5) else closed
        while d < stop:
            contact(cid, spec, day(d), mode=rng.choice(("in_person", "in_person", "phone", "text")),
                    notes=EDUCATION_NOTES if stage == "education" else SEARCH_NOTES)
            d += rng.randint(6, 20)
        if stage == "engaged" and i % 4 == 0:
            contact(cid, spec, day(-rng.randint(1, 5)), attempted=True)
        if stage in ("job_search", "employed", "closed"):
            for _ in range(rng.randint(1, 4)):
                when = day(rng.randint(started + 3, min(started + 28, -1)))
                employer_contact(spec, when, [cid])
        if stage == "employed":
            _employed(i, cid, spec, started, rng, employer_ids, day, contact, counts)
        if stage == "closed" and i % 2 == 0:
            # A job that ended before they closed.
            start = min(started + rng.randint(20, 60), closed - 40)
            if start > started:
                writes.create_job({"client_id": cid, "employer_id": rng.choice(employer_ids),
                                   "title": rng.choice(JOB_TITLES), "start_date": day(start),
                                   "end_date": day(min(start + rng.randint(30, 120), closed - 7)),
                                   "hours_per_week": rng.choice((12, 16, 20, 25)),
                                   "hourly_wage": rng.choice((11.5, 12.0, 12.75, 13.5)),
                                   "end_reason": rng.choice(END_REASONS)})
                counts["jobs"] += 1
    # Job development this week and last: the "this week" screen and agenda section 6.
    monday = -today.weekday()
    for spec in SPECIALISTS:
        mine = seekers.get(spec, [])
        for _ in range(rng.randint(2, 6)):  # this week so far
            employer_contact(spec, day(rng.randint(monday, 0)), rng.sample(mine, min(len(mine), rng.randint(0, 2))))
        for _ in range(rng.randint(3, 7)):  # last week
            employer_contact(spec, day(rng.randint(monday - 7, monday - 1)), rng.sample(mine, min(len(mine), rng.randint(0, 1))))
    return counts


def _employed(i: int, cid: str, spec: str, started: int, rng: random.Random,
              employer_ids: list[str], day: Callable[[int], dt.date],
              contact: Callable[..., None], counts: dict[str, int]) -> None:
    """Give an employed client a job whose follow-along is in one of several states."""
    scenario = i % 6
    job_start = {0: 4, 1: -2, 2: -12, 3: -45, 4: -150, 5: -300}[scenario]
    job_start = max(job_start, started + 10) if scenario not in (0, 1) else job_start
    job_start += rng.randint(0, 2)
    employer = rng.choice(employer_ids)
    job_values = {"client_id": cid, "employer_id": employer,
                  "title": rng.choice(JOB_TITLES), "start_date": day(job_start),
                  "hours_per_week": rng.choice((12, 16, 20, 25, 30)),
                  "hourly_wage": rng.choice((11.5, 12.0, 12.75, 13.5, 15.0)),
                  "competitive": rng.random() > 0.05}
    follow_from = job_start
    if scenario == 4 and i % 4 == 0:
        # A job that ended a few days ago for a better one that starts in two days, elsewhere:
        # plan the next step together, and prepare the new start.
        writes.create_job({**job_values, "end_date": day(-rng.randint(1, 6)),
                           "end_reason": "Moved to a better job"})
        counts["jobs"] += 1
        job_values["employer_id"] = rng.choice([e for e in employer_ids if e != employer])
        job_values["title"] = rng.choice([t for t in JOB_TITLES if t != job_values["title"]])
        job_values["start_date"] = day(2)
    writes.create_job(job_values)
    counts["jobs"] += 1
    # Follow-along: done well for some, lapsed for others.
    if scenario == 2:
        for n, d in enumerate(range(follow_from, 0, 7)):
            contact(cid, spec, day(d + rng.randint(0, 2)),
                    notes=(FIRST_SHIFT_NOTE,) if n == 0 else WORK_NOTES)
    elif scenario in (3, 4, 5):
        lapse = scenario == 3 or rng.random() < 0.3  # some lapsed follow-along on every caseload
        d = follow_from + 2
        while d < (-40 if lapse else -3):
            contact(cid, spec, day(d), notes=(FIRST_SHIFT_NOTE,) if d == follow_from + 2 else WORK_NOTES)
            d += 7 if d < follow_from + 28 else rng.randint(20, 31)
