"""Outcomes and fidelity through the store and the services, on a fixed caseload worked out by
hand, and the number of queries each report takes.

:func:`build_caseload` (in ``tests/outcome_caseload.py``) is also the fixture of the command-line
and golden-file tests. The period is 2026Q3: Wed 2026-07-01 to
Wed 2026-09-30, 92 days = 13 1/7 weeks.
"""

from __future__ import annotations

import pytest
from outcome_caseload import (  # noqa: F401 -- the caseload these tests work by hand
    CLIENTS,
    CONTACTS,
    EMPLOYERS,
    JAMES,
    JOBS,
    MARIA,
    Q3,
    build_caseload,
    d,
    employer_contacts,
)
from playhouse.test_utils import count_queries

from ips_tui import services
from ips_tui.store import outcome_queries, writes
from ips_tui.store.db import close_store, open_store

# ------------------------------------------------------------------------------------------------
# Outcomes


def test_outcomes_us(outcome_db):
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


def test_outcomes_uk(outcome_db):
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
    # Referred in Q3: C0011 (07-20), C0007 (08-10), C0012 (09-25); none holding a job then.
    assert (uk.referrals, uk.referrals_in_work) == (("C0007", "C0011", "C0012"), ())
    # Engaged (started by 09-30, not discharged by then): all served but C0006 (closed 07-01)
    # and C0011 (not met yet).
    assert uk.engaged == ("C0001", "C0002", "C0003", "C0004", "C0007", "C0008", "C0009", "C0010",
                          "C0012")
    assert uk.job_starts == ("J0004", "J0010")  # C0010's gardening job is not competitive
    assert [(t.unemployed_at_entry, t.into_work) for t in r.trend][-1] == (10, 5)
    assert [(t.served, t.employed) for t in r.trend][-1] == (11, 5)  # as in the us report


def test_outcomes_for_one_specialist(outcome_db):
    r = services.outcomes(Q3, specialist=MARIA)
    assert r.served == ("C0001", "C0002", "C0007", "C0009", "C0011")
    assert r.employed == ("C0001",)
    assert r.specialist == MARIA
    assert services.outcomes(Q3, specialist="Nobody").served == ()


def test_outcomes_for_a_month(outcome_db):
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


def test_fidelity(outcome_db):
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
    # Reached in person in Q3 with a location: 18 community, 6 office = 75%. Left out: 3 phone
    # calls and C0002's video call of 09-10, recorded "community" (only in person can be).
    assert got["community"][0] == "met" and len(got["community"][1]) == 6
    assert r.item("community").value == pytest.approx(18 / 24)
    assert "4 contacts not in person left out" in r.item("community").figure
    # Not reached 09-01 to 09-30: C0009 (an attempt on 09-12) and C0011 (none): 1 of 2.
    assert got["outreach"] == ("not_met", ["C0011"])


def test_fidelity_follow_along_schedule(outcome_db):
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


def test_a_job_starting_the_day_after_the_period_has_a_before_start_reminder_in_it(outcome_db):
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


@pytest.mark.parametrize("report", ["us", "uk"])
def test_a_period_has_the_same_figures_in_its_own_report_and_every_later_trend(outcome_db, report):
    # The case: referred in September, a job from 3 October, IPS started on 5 October.
    # Entry is 10-05 and the job is held on it, so not unemployed at entry, in every report.
    writes.create_client({"client_id": "C0030", "first_name": "Oona", "last_name": "Reyes",
                          "specialist": MARIA, "stage": "employed",
                          "referral_date": "2026-09-14", "start_date": "2026-10-05"})
    writes.create_job({"job_id": "J0030", "client_id": "C0030", "title": "Clerk",
                       "start_date": "2026-10-03"})
    periods = Q3.trend(6)[:-1] + (Q3, Q3.next(), Q3.next().next())
    reports = {p: services.outcomes(p, report=report) for p in periods}

    def own(p):
        r = reports[p]
        return (len(r.served), len(r.employed), len(r.uk.unemployed_at_entry), len(r.uk.into_work),
                r.headline_rate)

    assert "C0030" not in reports[Q3].uk.unemployed_at_entry
    compared = 0
    for later in periods:
        for point in reports[later].trend:
            if point.period in reports:
                mine = own(point.period)
                assert (point.served, point.employed, point.rate) == (mine[0], mine[1], mine[4])
                if report == "uk":
                    assert (point.unemployed_at_entry, point.into_work) == mine[2:4], point.period
                compared += 1
    assert compared >= 20


def test_a_closed_client_with_no_closed_date_counts_as_closed_on_their_last_activity(outcome_db):
    # Elena Garcia (C0005), closed 06-30: not served in Q3. Older records may have lost the date;
    # she is then closed on her last recorded activity, not dropped from every period.
    from ips_tui.store import models

    models.Client.update(closed_date=None).where(models.Client.client_id == "C0005").execute()
    q2 = Q3.previous()
    assert "C0005" in services.outcomes(q2).served
    assert "C0005" not in services.outcomes(Q3).served
    # Her last activity is a contact or a job date in Q3: then she is served in Q3 too.
    writes.add_client_contact({"client_id": "C0005", "date": "2026-07-02", "specialist": MARIA,
                               "mode": "phone"})
    assert "C0005" in services.outcomes(Q3).served
    assert "C0005" not in services.outcomes(Q3.next()).served


def test_fidelity_for_one_specialist(outcome_db):
    r = services.fidelity(Q3, specialist=MARIA)
    assert r.specialist == MARIA
    assert r.item("employer_contacts").status == "met"
    assert r.item("employer_contacts").records == []
    assert r.item("disclosure").records == ["C0002", "C0009", "C0011"]


def test_follow_along_modes_setting_is_used(outcome_db):
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
    # outcome_inputs: 3 queries; fidelity: the follow-along setting + 6.
    assert small == (outcome_queries.OUTCOME_QUERIES if what != "fidelity"
                     else outcome_queries.FIDELITY_QUERIES + 1)


def test_inputs_run_their_stated_number_of_queries(outcome_db):
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
