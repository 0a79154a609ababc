"""Outcomes and fidelity through the store and the services, on a fixed caseload worked out by
hand, and the number of queries each report takes.

:func:`build_caseload` is also the fixture of the command-line and golden-file tests
(``test_outcomes_cli.py``, ``test_fidelity_cli.py``). The period is 2026Q3: Wed 2026-07-01 to
Wed 2026-09-30, 92 days = 13 1/7 weeks.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playhouse.test_utils import count_queries

from ips_tui import services
from ips_tui.domain.outcomes import Period
from ips_tui.store import outcome_queries, writes
from ips_tui.store.db import close_store, open_store

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
    writes.add_specialist(MARIA, email="maria@example.org")
    writes.add_specialist(JAMES, email="james@example.org")
    for e in EMPLOYERS:
        writes.create_employer(e)
    for cid, first, last, spec, stage, ref, start, closed, disclosure, bp in CLIENTS:
        writes.create_client({
            "client_id": cid, "first_name": first, "last_name": last, "specialist": spec,
            "stage": stage, "referral_date": ref, "start_date": start, "closed_date": closed,
            "disclosure": disclosure, "benefits_planning_date": bp,
            "phone": "0161 496 0000", "notes": f"Private note about {first}."})
    for jid, cid, eid, title, start, end, hours, wage, competitive, reason in JOBS:
        writes.create_job({
            "job_id": jid, "client_id": cid, "employer_id": eid, "title": title,
            "start_date": start, "end_date": end, "hours_per_week": hours, "hourly_wage": wage,
            "competitive": competitive, "end_reason": reason})
    for cid, when, spec, mode, location, attempted in CONTACTS:
        writes.add_client_contact({"client_id": cid, "date": when, "specialist": spec,
                                   "mode": mode, "location": location, "attempted": attempted,
                                   "notes": "Contact note."})
    for eid, when, spec, mode, cids in employer_contacts():
        writes.add_employer_contact({"employer_id": eid, "date": when, "specialist": spec,
                                     "mode": mode, "client_ids": cids})
    stages = ["referred", "engaged", "job_search", "employed", "education", "closed"]
    for i in range(extra_clients):
        cid = f"X{i:04d}"
        spec = (MARIA, JAMES)[i % 2]
        stage = stages[i % len(stages)]
        start = Q3.start - dt.timedelta(days=200 - 7 * (i % 40))
        writes.create_client({
            "client_id": cid, "first_name": "Extra", "last_name": f"Person{i}",
            "specialist": spec, "stage": stage, "referral_date": start - dt.timedelta(days=5),
            "start_date": start, "disclosure": ("disclose", "undecided")[i % 2],
            "closed_date": start + dt.timedelta(days=40 + i % 60) if stage == "closed" else None,
        })
        writes.create_job({"client_id": cid, "title": f"Helper {i % 7}",
                           "start_date": start + dt.timedelta(days=30 + i % 90),
                           "end_date": (start + dt.timedelta(days=150)) if i % 3 == 0 else None,
                           "hours_per_week": 10 + i % 20, "competitive": i % 5 != 0})
        for k in range(4):
            writes.add_client_contact({
                "client_id": cid, "date": Q3.start + dt.timedelta(days=3 + 21 * k + i % 9),
                "specialist": spec, "mode": ("in_person", "phone")[k % 2],
                "location": ("community", "office")[(i + k) % 2], "attempted": k == 3})
        writes.add_employer_contact({"employer_id": "E0001",
                                     "date": Q3.start + dt.timedelta(days=i % 90),
                                     "specialist": spec, "mode": "in_person",
                                     "client_ids": [cid]})


@pytest.fixture
def caseload_db(fresh_location) -> Path | str:
    path = fresh_location("x")
    open_store(path)
    build_caseload()
    yield path
    close_store()


# ------------------------------------------------------------------------------------------------
# Outcomes


def test_outcomes_us(caseload_db):
    r = services.outcomes(Q3)
    # Served: everyone but C0005, closed 06-30, the day before the period: 11 clients.
    assert r.served == ("C0001", "C0002", "C0003", "C0004", "C0006", "C0007", "C0008", "C0009",
                        "C0010", "C0011", "C0012")
    # Employed: C0001 (J0001), C0003 (J0003), C0004 (J0004), C0008 (J0008), C0010 (J0010);
    # not C0009, whose job ended 06-30; C0010's gardening job is not competitive.
    assert r.employed == ("C0001", "C0003", "C0004", "C0008", "C0010")
    # 5 / 11 = 45.5%: between the 41% average and the 50% excellent benchmark.
    assert r.employment_rate == pytest.approx(5 / 11)
    assert r.band == "average"
    assert [j.job_id for j in r.job_starts] == ["J0004", "J0010"]
    assert [(j.job_id, j.end_reason) for j in r.job_ends] == [
        ("J0004", "Quit: the early shifts clashed with his medication")]
    assert r.in_education == ("C0007",)
    # C0004: 02-10 to 07-06 = 18 + 31 + 30 + 31 + 30 + 6 = 146 days;
    # C0010: 06-08 to 08-03 = 22 + 31 + 3 = 56 days. Median (56 + 146) / 2 = 101.
    assert r.first_job_days == (("C0004", 146), ("C0010", 56))
    assert r.median_days_to_first_job == 101
    assert r.jobs_held == ("J0001", "J0003", "J0004", "J0008", "J0010")
    assert r.average_hours_per_week == pytest.approx(23)  # (20 + 30 + 16 + 24 + 25) / 5
    assert r.average_hourly_wage == pytest.approx(12.45)  # (11.50 + 14 + 12 + 11.75 + 13) / 5
    # 90 days by 09-30 or the end date: J0001, J0003, J0008; J0004 ran 60 days, J0010 58.
    assert r.jobs_90_days == ("J0001", "J0003", "J0008")
    # Trend: nobody until C0003 in 2025Q2 (working from 2025-06-01); 2026Q1 C0001, C0003,
    # C0004, C0005 with C0001 and C0003 working; 2026Q2 9 served (C0001, C0002, C0003, C0004,
    # C0005, C0006, C0008, C0009, C0010) with C0001, C0003, C0005, C0008, C0009 working.
    assert [(t.period.label, t.served, t.employed) for t in r.trend] == [
        ("2024Q4", 0, 0), ("2025Q1", 0, 0), ("2025Q2", 1, 1), ("2025Q3", 1, 1),
        ("2025Q4", 1, 1), ("2026Q1", 4, 2), ("2026Q2", 9, 5), ("2026Q3", 11, 5)]


def test_outcomes_uk(caseload_db):
    r = services.outcomes(Q3, report="uk")
    uk = r.uk
    # Active: reached (any mode) from 09-03 to 09-30: C0001 (phone 09-24), C0002, C0003, C0004,
    # C0007, C0008, C0010, C0012; not C0009 (an attempt), C0011, C0006.
    assert uk.active == ("C0001", "C0002", "C0003", "C0004", "C0007", "C0008", "C0010", "C0012")
    # C0008 started the Kitchen porter job (03-15) before his start date (04-20).
    assert "C0008" not in uk.unemployed_at_entry and len(uk.unemployed_at_entry) == 10
    # Into work by 09-30: C0001, C0003, C0004, C0009, C0010 -> 5 / 10 = 50% (target 40%).
    assert uk.into_work == ("C0001", "C0003", "C0004", "C0009", "C0010")
    assert uk.into_work_rate == 0.5
    assert uk.first_job_starts == ("C0004", "C0010")
    # 13 weeks up by 09-30 (first job on or before 07-01): C0001 (03-02), C0003 (2025-06-01),
    # C0009 (05-20). Working 91 days on: C0001 (06-01), C0003 (2025-08-31); C0009 (08-19) not.
    assert uk.retention_eligible == ("C0001", "C0003", "C0009")
    assert uk.retained == ("C0001", "C0003")
    assert uk.retention_rate == pytest.approx(2 / 3)
    assert [(t.served, t.employed) for t in r.trend][-1] == (10, 5)


def test_outcomes_for_one_specialist(caseload_db):
    r = services.outcomes(Q3, specialist=MARIA)
    assert r.served == ("C0001", "C0002", "C0007", "C0009", "C0011")
    assert r.employed == ("C0001",)
    assert r.specialist == MARIA
    assert services.outcomes(Q3, specialist="Nobody").served == ()


def test_outcomes_for_a_month(caseload_db):
    r = services.outcomes(services.outcome_period("2026-09", d("2026-11-23")))
    # September: C0011 and C0012 served, C0006 not (closed 07-01); J0004 ended 09-04.
    assert r.period.label == "2026-09"
    assert "C0006" not in r.served and "C0012" in r.served
    assert [j.job_id for j in r.job_ends] == ["J0004"]
    assert [t.period.label for t in r.trend][0] == "2026-02"


def test_outcome_period_service():
    today = d("2026-11-23")
    assert services.outcome_period(None, today).label == "2026Q3"
    assert services.outcome_period("  ", today).label == "2026Q3"
    assert services.outcome_period("2025Q4", today).label == "2025Q4"
    assert services.outcome_period("2026-10", today).label == "2026-10"
    with pytest.raises(ValueError):
        services.outcome_period("2026-10", today, kind="quarter")
    with pytest.raises(ValueError, match="unknown report"):
        services.outcomes(Q3, report="xx")


# ------------------------------------------------------------------------------------------------
# Fidelity


def test_fidelity(caseload_db):
    r = services.fidelity(Q3)
    got = {it.key: (it.status, it.records) for it in r.items}
    # Caseload on 09-30: Maria C0001, C0002, C0007, C0009, C0011; James C0003, C0004, C0008,
    # C0010, C0012: 5 each.
    assert got["caseload"] == ("met", [])
    assert r.item("caseload").value == 5
    # Job starts: J0011 (07-15, offered 07-01), J0004 (07-06, offered 07-10: late), J0010
    # (08-03, offered 07-01): 2 of 3 = 66.7%.
    assert got["benefits_planning"] == ("not_met", ["J0004"])
    # Disclosure: undecided C0002, C0009; none C0006, C0011, C0012: 6 of 11 = 54.5%.
    assert got["disclosure"] == ("not_met", ["C0002", "C0006", "C0009", "C0011", "C0012"])
    # Started in Q3: C0002 (first employer contact 07-20: 19 days), C0007 (none; 08-12 to 09-30
    # = 49 days), C0012 (2 days: too early). Mean (19 + 49) / 2 = 34 <= 37.5: near.
    assert got["first_employer_contact"] == ("near", ["C0007"])
    assert r.item("first_employer_contact").value == 34
    # Maria: 53 in person / (92 / 7) weeks = 4.03 a week against 4 (2 job seekers: 2 x 2): met.
    # James: 20 / 13.14 = 1.52 against 2 (1 job seeker): 76%: not met.
    assert got["employer_contacts"] == ("not_met", [JAMES])
    assert r.item("employer_contacts").value == pytest.approx(20 / (92 / 7))
    # Job starts J0011 Gardener (E0003), J0004 Stock assistant (E0001), J0010 Care assistant
    # (E0003): 3 titles of 3; 2 employers of 3 (J0010 repeats E0003); 2 of 3 competitive.
    assert got["job_types"] == ("met", [])
    assert got["employers"] == ("not_met", ["J0010"])
    assert got["competitive"] == ("not_met", ["J0011"])
    # Follow-along (worked out in test_fidelity_follow_along_schedule below): 17 of 25 = 68%.
    assert got["follow_along"] == ("not_met", ["C0001", "C0004", "C0008", "C0010"])
    assert r.item("follow_along").value == pytest.approx(17 / 25)
    # Workers past a year: C0003 (since 2025-06-01), open, seen in person: 1 of 1.
    assert got["time_unlimited"] == ("met", [])
    # Reached in Q3 with a location: 19 community, 6 office = 76%; 3 phone calls left out.
    assert got["community"][0] == "met" and len(got["community"][1]) == 6
    assert r.item("community").value == pytest.approx(19 / 25)
    assert "3 contacts with no location left out" in r.item("community").figure
    # Not reached 09-01 to 09-30: C0009 (an attempt on 09-12) and C0011 (none): 1 of 2.
    assert got["outreach"] == ("not_met", ["C0011"])


def test_fidelity_follow_along_schedule(caseload_db):
    from ips_tui.domain.fidelity import follow_along_schedule

    inputs = outcome_queries.fidelity_inputs(Q3.start, Q3.end)
    got = [(s.client_id, s.job_id, s.kind, s.due.isoformat(), s.met)
           for s in follow_along_schedule(inputs.clients, inputs.jobs, inputs.contacts, Q3)]
    # C0001, J0001 (since 03-02): monthly after 06-20 due 07-20, met 07-15; due 08-15, missed
    #   (08-25); due 09-25, missed (a phone call on 09-24 does not qualify).
    # C0003, J0003: monthly due 08-05 (met that day) and 09-05 (met 09-04).
    # C0004, J0004 07-06 to 09-04: before_start due 07-05 missed (last seen 06-25); after_start
    #   due 07-09 met 07-08; weekly 07-15 met 07-14, 07-21 met 07-20, 07-27 missed; monthly due
    #   09-30 dropped when the job ended; after_job_end due 09-07 met 09-06.
    # C0008, J0008: monthly due 08-10 missed.
    # C0009, J0009 ended 06-30: after_job_end due 07-03 met 07-02.
    # C0010, J0011 (07-15, not competitive but followed along all the same): before_start due
    #   07-14 met; after_start due 07-18 missed; weekly due 08-11 met; monthly due 09-10, 09-17,
    #   09-24 each met by the next contact. J0010 (08-03): before_start due 08-02 missed;
    #   after_start due 08-06 met; weekly 08-11, 08-17, 08-24 met; 08-31 missed.
    expected = {
        ("C0001", "J0001", "monthly", "2026-07-20", True),
        ("C0001", "J0001", "monthly", "2026-08-15", False),
        ("C0001", "J0001", "monthly", "2026-09-25", False),
        ("C0003", "J0003", "monthly", "2026-08-05", True),
        ("C0003", "J0003", "monthly", "2026-09-05", True),
        ("C0004", "J0004", "before_start", "2026-07-05", False),
        ("C0004", "J0004", "after_start", "2026-07-09", True),
        ("C0004", "J0004", "weekly", "2026-07-15", True),
        ("C0004", "J0004", "weekly", "2026-07-21", True),
        ("C0004", "J0004", "weekly", "2026-07-27", False),
        ("C0004", "J0004", "after_job_end", "2026-09-07", True),
        ("C0008", "J0008", "monthly", "2026-08-10", False),
        ("C0009", "J0009", "after_job_end", "2026-07-03", True),
        ("C0010", "J0011", "before_start", "2026-07-14", True),
        ("C0010", "J0011", "after_start", "2026-07-18", False),
        ("C0010", "J0011", "weekly", "2026-08-11", True),
        ("C0010", "J0011", "monthly", "2026-09-10", True),
        ("C0010", "J0011", "monthly", "2026-09-17", True),
        ("C0010", "J0011", "monthly", "2026-09-24", True),
        ("C0010", "J0010", "before_start", "2026-08-02", False),
        ("C0010", "J0010", "after_start", "2026-08-06", True),
        ("C0010", "J0010", "weekly", "2026-08-11", True),
        ("C0010", "J0010", "weekly", "2026-08-17", True),
        ("C0010", "J0010", "weekly", "2026-08-24", True),
        ("C0010", "J0010", "weekly", "2026-08-31", False),
    }
    assert set(got) == expected and len(got) == 25
    assert sum(1 for x in expected if x[4]) == 17


def test_a_job_starting_the_day_after_the_period_has_a_before_start_reminder_in_it(caseload_db):
    # Ben Osei (C0002) starts a job on 10-01: before_start due 09-30, the period's last day.
    # His last in-person contact was 07-29 (the 09-10 video call does not count): missed.
    writes.create_job({"job_id": "J0020", "client_id": "C0002", "title": "Porter",
                       "start_date": "2026-10-01"})
    item = services.fidelity(Q3).item("follow_along")
    assert item.value == pytest.approx(17 / 26)
    assert "C0002 J0020 before start due 2026-09-30: no contact since" in item.details
    # It is not a job start of the period.
    assert services.fidelity(Q3).item("competitive").figure == "66.7% (2 of 3 job starts)"
    assert [j.job_id for j in services.outcomes(Q3).job_starts] == ["J0004", "J0010"]


def test_fidelity_for_one_specialist(caseload_db):
    r = services.fidelity(Q3, specialist=MARIA)
    assert r.specialist == MARIA
    assert r.item("employer_contacts").status == "met"
    assert r.item("employer_contacts").records == []
    assert r.item("disclosure").records == ["C0002", "C0009", "C0011"]


def test_follow_along_modes_setting_is_used(caseload_db):
    # C0002's video call changes nothing (no job), but C0001's phone call on 09-24 meets the
    # monthly contact due 09-25 once phone counts: 18 of 25.
    services.set_follow_along_modes(["in_person", "phone"])
    assert services.fidelity(Q3).item("follow_along").value == pytest.approx(18 / 25)


# ------------------------------------------------------------------------------------------------
# Queries: a fixed number, whatever the size of the caseload


def _count(call) -> int:
    with count_queries() as counter:
        call()
    return counter.count


@pytest.mark.parametrize("what", ["outcomes", "outcomes_uk", "fidelity"])
def test_query_count_does_not_grow_with_the_caseload(fresh_location, what):
    calls = {
        "outcomes": lambda: services.outcomes(Q3),
        "outcomes_uk": lambda: services.outcomes(Q3, specialist=MARIA, report="uk"),
        "fidelity": lambda: services.fidelity(Q3, specialist=MARIA),
    }
    open_store(fresh_location("small"))
    build_caseload()
    small = _count(calls[what])
    close_store()
    open_store(fresh_location("large"))
    build_caseload(extra_clients=80)
    assert services.counts()["clients"] == len(CLIENTS) + 80
    large = _count(calls[what])
    close_store()
    assert small == large
    # outcome_inputs: 3 queries; fidelity: the follow-along setting + 5.
    assert small == (outcome_queries.OUTCOME_QUERIES if what != "fidelity"
                     else outcome_queries.FIDELITY_QUERIES + 1)


def test_inputs_run_their_stated_number_of_queries(caseload_db):
    assert _count(lambda: outcome_queries.outcome_inputs(
        Q3.start, Q3.end, Q3.end, None)) == outcome_queries.OUTCOME_QUERIES
    assert _count(lambda: outcome_queries.fidelity_inputs(
        Q3.start, Q3.end, None)) == outcome_queries.FIDELITY_QUERIES


def test_large_caseload_reports_are_consistent(fresh_location):
    open_store(fresh_location("large"))
    try:
        build_caseload(extra_clients=80)
        r = services.outcomes(Q3)
        assert set(r.employed) <= set(r.served)
        assert 0 <= r.employment_rate <= 1
        f = services.fidelity(Q3)
        assert all(it.status in ("met", "near", "not_met", "no_data") for it in f.items)
    finally:
        close_store()
