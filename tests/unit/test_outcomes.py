"""The outcome figures, one pure function at a time, on small fixtures worked out by hand.

Every expected number is derived in the comments next to it. The period is 2026Q3 unless said
otherwise: Wed 2026-07-01 to Wed 2026-09-30, 92 days.
"""

from __future__ import annotations

import datetime as dt

import pytest
from facts_helpers import client, d, job

from ips_tui.domain import outcomes as oc
from ips_tui.domain.facts import ClientContact
from ips_tui.domain.outcomes import OutcomeInputs, Period

Q3 = Period("quarter", 2026, 3)


def ids(clients) -> list[str]:
    return [c.client_id for c in clients]


# ------------------------------------------------------------------------------------------------
# Periods


@pytest.mark.parametrize(("text", "label", "start", "end"), [
    ("2026Q3", "2026Q3", "2026-07-01", "2026-09-30"),
    ("2026-q3", "2026Q3", "2026-07-01", "2026-09-30"),
    (" 2026q1 ", "2026Q1", "2026-01-01", "2026-03-31"),
    ("2026Q4", "2026Q4", "2026-10-01", "2026-12-31"),
    ("2026-10", "2026-10", "2026-10-01", "2026-10-31"),
    ("2024-02", "2024-02", "2024-02-01", "2024-02-29"),  # a leap year
    ("2026-02", "2026-02", "2026-02-01", "2026-02-28"),
])
def test_parse_period(text, label, start, end):
    p = oc.parse_period(text)
    assert (p.label, p.start, p.end) == (label, d(start), d(end))
    assert oc.parse_period(p.label) == p


@pytest.mark.parametrize(("text", "kind", "message"), [
    ("2026Q5", None, "the quarter is Q1, Q2, Q3 or Q4"),
    ("2026Q0", "quarter", "the quarter is Q1, Q2, Q3 or Q4"),
    ("2026-13", None, "the month is 01 to 12"),
    ("2026-00", "month", "the month is 01 to 12"),
    ("2026-1", None, "is not a quarter such as 2026Q3 or a month such as 2026-10"),
    ("26Q3", None, "is not a quarter"),
    ("Q3 2026", None, "is not a quarter"),
    ("2026", None, "is not a quarter"),
    ("", None, "is not a quarter"),
    ("1899Q4", None, "the year must be from 1900 to 2999"),
    ("2026-10", "quarter", "is not a quarter such as 2026Q3"),
    ("2026Q3", "month", "is not a month such as 2026-10"),
])
def test_parse_period_refuses(text, kind, message):
    with pytest.raises(ValueError, match=message):
        oc.parse_period(text, kind)


@pytest.mark.parametrize(("today", "expected"), [
    ("2026-11-23", "2026Q3"),
    ("2026-10-01", "2026Q3"),  # Q3 ended yesterday: complete
    ("2026-09-30", "2026Q2"),  # Q3 is not over until today ends
    ("2026-01-01", "2025Q4"),  # across the year
    ("2026-03-31", "2025Q4"),
    ("2026-04-01", "2026Q1"),
])
def test_default_period_is_the_last_complete_quarter(today, expected):
    assert oc.default_period(d(today)).label == expected


def test_period_arithmetic():
    assert Q3.days == 92  # 31 + 31 + 30
    assert Period("month", 2026, 1).previous().label == "2025-12"
    assert Period("quarter", 2026, 1).previous().label == "2025Q4"
    assert Period("month", 2026, 12).next().label == "2027-01"
    assert [p.label for p in Q3.trend()] == [
        "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    assert [p.label for p in Period("month", 2026, 3).trend()] == [
        "2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]
    assert Q3.title == "Q3 2026 (July to September)"
    assert Period("month", 2026, 10).title == "October 2026"
    with pytest.raises(ValueError):
        Period("quarter", 2026, 5)
    with pytest.raises(ValueError):
        Period("week", 2026, 1)


# ------------------------------------------------------------------------------------------------
# Served


def test_served_boundaries():
    clients = [
        client("A", "2026-01-05", "2026-01-10", closed="2026-06-30"),  # closed the day before: out
        client("B", "2026-01-05", "2026-01-10", closed="2026-07-01"),  # closed on the first day: in
        client("C", "2026-09-30"),  # referred on the last day (no start date yet): in
        client("D", "2026-10-01"),  # referred the day after: out
        client("E", None, "2026-09-30"),  # start date only: in
        client("F", "2026-10-05", "2026-09-20"),  # started before the (later) referral date: in
        client("G", "2025-01-01", "2025-01-02", stage="closed"),  # closed, date unknown: out
        client("H", None, None),  # neither date: out
        client("I", "2024-01-01", "2024-02-01"),  # open for years: in
        client("J", "2026-07-01", "2026-07-01", closed="2026-07-01"),  # one day, the first: in
    ]
    assert ids(oc.served_clients(clients, Q3)) == ["B", "C", "E", "F", "I", "J"]


def test_served_counts_each_client_once():
    twice = [client("A", "2026-01-01"), client("A", "2026-01-01")]
    assert ids(oc.served_clients(twice, Q3)) == ["A"]


# ------------------------------------------------------------------------------------------------
# Employed and the employment rate


def test_employed_held_a_competitive_job_on_a_day_of_the_period():
    served = [client(c, "2026-01-01") for c in "ABCDEFG"]
    jobs = [
        job("J1", "A", "2026-01-01", "2026-06-30"),  # ended the day before: not held
        job("J2", "B", "2026-01-01", "2026-07-01"),  # ended on the first day: held
        job("J3", "C", "2026-09-30"),  # starts on the last day: held
        job("J4", "D", "2026-10-01"),  # starts the day after: not held
        job("J5", "E", "2026-03-01", competitive=False),  # not competitive: not counted
        job("J6", "F", "2025-01-01"),  # ongoing for a year: held
        job("J7", "X", "2026-08-01"),  # a client not served: not counted
    ]
    assert oc.employed_clients(served, jobs, Q3) == ["B", "C", "F"]
    # 3 employed of 7 served: 3/7 = 0.428...
    assert oc.rate(3, 7) == pytest.approx(0.428571, abs=1e-6)
    assert oc.rate(0, 0) is None


@pytest.mark.parametrize(("employed", "served", "band"), [
    (30, 100, "below_minimum"),  # 30% < 31%
    (31, 100, "minimum"),  # exactly 31%
    (40, 100, "minimum"),
    (41, 100, "average"),  # exactly 41% (0.41 is not exact in binary: still average)
    (49, 100, "average"),
    (1, 2, "excellent"),  # 50%
    (7, 9, "excellent"),
    (0, 0, None),  # no clients: no rate, no band
])
def test_us_band(employed, served, band):
    assert oc.us_band(oc.rate(employed, served)) == band


# ------------------------------------------------------------------------------------------------
# Job starts, ends, education


def test_new_job_starts_and_job_ends():
    served = [client("A", "2026-01-01"), client("B", "2026-01-01")]
    jobs = [
        job("J1", "A", "2026-06-30"),  # started the day before: no
        job("J2", "A", "2026-07-01", "2026-08-15", end_reason="Moved away"),  # start and end in
        job("J3", "B", "2026-09-30"),  # starts on the last day: yes
        job("J4", "B", "2026-08-01", competitive=False),  # not competitive: no
        job("J5", "B", "2026-02-01", "2026-09-30", end_reason="Contract ended"),  # ends last day
        job("J6", "B", "2026-02-01", "2026-10-01"),  # ends the day after: not an end
        job("J7", "Z", "2026-08-01", "2026-08-02"),  # client not served
    ]
    assert [j.job_id for j in oc.new_job_starts(served, jobs, Q3)] == ["J2", "J3"]
    assert [(j.job_id, j.end_reason) for j in oc.job_ends(served, jobs, Q3)] == [
        ("J2", "Moved away"), ("J5", "Contract ended")]


def test_in_education():
    served = [client("A", "2026-01-01", stage="education"), client("B", "2026-01-01"),
              client("C", "2026-01-01", stage="education")]
    assert oc.in_education(served) == ["A", "C"]


# ------------------------------------------------------------------------------------------------
# Median days to first job


def test_first_job_days_counts_first_jobs_ever_started_in_the_period():
    served = [
        client("A", "2026-01-01", "2026-06-01"),
        client("B", "2026-01-01", "2026-07-10"),
        client("C", "2026-01-01", "2026-05-01"),
        client("D", "2026-01-01", "2026-05-01"),
        client("E", "2026-01-01", None),
        client("F", "2026-01-01", "2026-08-01"),
    ]
    jobs = [
        job("J1", "A", "2026-07-11"),  # A: first job 07-11, start 06-01: 40 days
        job("J2", "B", "2026-07-20"),  # B: 07-20 - 07-10 = 10 days
        job("J3", "C", "2026-04-01"),  # C: first job in Q2 ...
        job("J4", "C", "2026-08-01"),  # ... so its Q3 job is not a first job
        job("J5", "D", "2026-05-21", competitive=False),  # D: the non-competitive job is not
        job("J6", "D", "2026-05-21"),  # D: 05-21 is in Q2: not counted
        job("J7", "E", "2026-08-01"),  # E: no start date: not counted
        job("J8", "F", "2026-07-15"),  # F: first job before the start date: not counted
    ]
    assert oc.first_job_days(served, jobs, Q3) == [("A", 40), ("B", 10)]
    # Even count: median of 10 and 40 = (10 + 40) / 2 = 25.
    assert oc.median([40, 10]) == 25


def test_median_with_odd_and_even_counts():
    assert oc.median([20, 10, 40]) == 20  # sorted 10, 20, 40: the middle one
    assert oc.median([56, 146]) == 101  # (56 + 146) / 2
    assert oc.median([1, 2, 3, 10]) == 2.5  # (2 + 3) / 2
    assert oc.median([]) is None


def test_first_job_started_on_the_start_date_takes_zero_days():
    served = [client("A", "2026-07-01", "2026-07-05")]
    assert oc.first_job_days(served, [job("J1", "A", "2026-07-05")], Q3) == [("A", 0)]


# ------------------------------------------------------------------------------------------------
# Hours, wages, 90 days


def test_average_hours_and_wage_of_jobs_held():
    served = [client("A", "2026-01-01"), client("B", "2026-01-01")]
    jobs = [
        job("J1", "A", "2026-01-01", hours_per_week=20, hourly_wage=12.0),
        job("J2", "B", "2026-08-01", hours_per_week=30, hourly_wage=None),
        job("J3", "B", "2026-08-01", hours_per_week=None, hourly_wage=15.0),
        job("J4", "B", "2026-01-01", "2026-06-30", hours_per_week=40, hourly_wage=30.0),  # not held
    ]
    held = oc.jobs_held(served, jobs, Q3)
    assert [j.job_id for j in held] == ["J1", "J2", "J3"]
    # Hours recorded for J1 and J2: (20 + 30) / 2 = 25.
    assert oc.average_hours_per_week(held) == 25
    # Wages recorded for J1 and J3: (12.00 + 15.00) / 2 = 13.50.
    assert oc.average_hourly_wage(held) == 13.5
    assert oc.average_hours_per_week([]) is None
    assert oc.average_hourly_wage([job("J9", "A", "2026-07-01")]) is None


def test_jobs_lasting_90_days():
    served = [client("A", "2026-01-01")]
    jobs = [
        job("J1", "A", "2026-07-02"),  # 07-02 + 90 days = 09-30, the period end: yes
        job("J2", "A", "2026-07-03"),  # 07-03 + 90 = 10-01, after the period end: no
        job("J3", "A", "2026-05-01", "2026-07-30"),  # 05-01 + 90 = 07-30, its end date: yes
        job("J4", "A", "2026-05-01", "2026-07-29"),  # ended a day short: no (89 days)
        job("J5", "A", "2025-01-01", "2026-07-01"),  # long past 90 days before it ended: yes
        job("J6", "A", "2026-01-01", "2026-06-30"),  # not held in the period: not counted
    ]
    held = oc.jobs_held(served, jobs, Q3)
    assert oc.lasted_days(jobs[0], Q3.end) == 90  # (09-30 - 07-02) = 29 + 31 + 30
    assert oc.lasted_days(jobs[3], Q3.end) == 89
    assert oc.jobs_lasting_90_days(held, Q3) == ["J1", "J3", "J5"]


# ------------------------------------------------------------------------------------------------
# UK IPS Grow


def test_uk_active_is_reached_in_the_last_4_weeks():
    served = [client(c, "2026-01-01") for c in "ABCDE"]
    contacts = [
        ClientContact("A", d("2026-09-03")),  # 09-30 - 27 days = 09-03: the first day of 4 weeks
        ClientContact("B", d("2026-09-02")),  # a day too early
        ClientContact("C", d("2026-09-30"), mode="phone"),  # any mode counts
        ClientContact("D", d("2026-09-20"), attempted=True),  # an attempt did not reach them
        ClientContact("E", d("2026-10-01")),  # after the period
        ClientContact("Z", d("2026-09-20")),  # not served
    ]
    assert oc.active_clients(served, contacts, Q3) == ["A", "C"]


def test_uk_unemployed_at_entry_excludes_clients_already_employed():
    served = [
        client("A", "2026-01-01", "2026-02-01"),
        client("B", "2026-01-01", "2026-02-01"),
        client("C", "2026-01-01", "2026-02-01"),
        client("D", "2026-03-01", None),
        client("E", "2026-01-01", "2026-02-01"),
        client("F", "2026-01-01", "2026-02-01"),
    ]
    jobs = [
        job("J1", "A", "2026-02-01"),  # a job starting on the start date: employed at entry
        job("J2", "B", "2026-02-02"),  # the day after: unemployed at entry
        job("J3", "C", "2025-06-01", "2025-12-31"),  # an old job that had ended: not held on
        #                                              the start date -> unemployed at entry
        job("J4", "D", "2026-02-15"),  # no start date: entry is the referral 03-01, held -> employed
        job("J5", "E", "2026-01-15", competitive=False),  # non-competitive: unemployed at entry
        job("J6", "F", "2026-01-10", "2026-02-01"),  # ends on the start date: held -> employed
        job("J7", "G", "2026-01-10", "2026-01-31"),  # ended the day before: unemployed at entry
    ]
    served.append(client("G", "2026-01-01", "2026-02-01"))
    # Unemployed at entry (IPS Grow: no job held on the start date): B, C, E, G.
    assert oc.unemployed_at_entry(served, jobs) == ["B", "C", "E", "G"]
    # C's and G's old jobs are not their first job after entry; B's is.
    assert oc.first_job_after_entry(served, jobs) == {"B": dt.date(2026, 2, 2)}


def test_uk_into_work_first_job_starts_and_13_week_retention():
    served = [client(c, "2026-01-01", "2026-01-01") for c in "ABCDEFG"]
    jobs = [
        job("JA", "A", "2026-07-01", "2026-09-30"),  # first 07-01; +91 = 09-30 (end): eligible;
        #                                              held on 09-30: retained
        job("JB", "B", "2026-07-01", "2026-09-29"),  # eligible; ended the day before: not retained
        job("JC1", "C", "2026-03-01", "2026-04-01"),  # first 03-01; +91 = 05-31: eligible;
        job("JC2", "C", "2026-05-15"),  # another job covers 05-31: retained
        job("JD", "D", "2026-07-02"),  # first 07-02; +91 = 10-01 after the end: not yet eligible
        job("JE", "E", "2026-10-01"),  # first job after the period: not into work
        job("JF", "F", "2026-08-15"),  # into work in the period; not eligible yet
        #                                G: never worked
    ]
    unemployed = oc.unemployed_at_entry(served, jobs)
    assert unemployed == list("ABCDEFG")
    first = oc.first_job_after_entry(served, jobs)
    working = oc.into_work(unemployed, first, Q3)
    assert working == ["A", "B", "C", "D", "F"]  # first job started by 09-30
    # First job starts in the period: A, B (07-01), D (07-02), F (08-15); C's was in March.
    assert oc.first_job_starts(unemployed, first, Q3) == ["A", "B", "D", "F"]
    eligible, retained = oc.retention_13_weeks(working, first, jobs, Q3)
    assert eligible == ["A", "B", "C"]
    assert retained == ["A", "C"]
    # Into-work rate 5 / 7 = 71.4%; retention 2 / 3 = 66.7% (target 65%: met).
    uk = oc.UkFigures(unemployed_at_entry=tuple(unemployed), into_work=tuple(working),
                      retention_eligible=tuple(eligible), retained=tuple(retained))
    assert uk.into_work_rate == pytest.approx(5 / 7)
    assert uk.retention_rate == pytest.approx(2 / 3)


# ------------------------------------------------------------------------------------------------
# The report and the trend


def _inputs() -> OutcomeInputs:
    clients = (
        client("A", "2026-01-05", "2026-01-10"),  # served every quarter from 2026Q1
        client("B", "2026-04-01", "2026-04-10", closed="2026-06-30"),  # 2026Q2 only
        client("C", "2026-07-01", "2026-07-01", stage="education"),  # 2026Q3
        client("D", "2025-01-01", "2025-01-02"),  # from 2025Q1
    )
    jobs = (
        job("JA", "A", "2026-08-01", hours_per_week=20, hourly_wage=12.0, title="Cook",
            employer="Cafe"),  # A: first job in Q3, 203 days after 01-10
        job("JB", "B", "2026-05-01", "2026-06-15", end_reason="Temporary"),  # B: Q2 job
        job("JD", "D", "2024-12-01", "2026-07-15", end_reason="Retired", hours_per_week=30),
    )
    contacts = (ClientContact("A", d("2026-09-10")), ClientContact("C", d("2026-09-01")))
    return OutcomeInputs(clients=clients, jobs=jobs, contacts=contacts)


def test_build_outcomes_us():
    r = oc.build_outcomes(Q3, _inputs(), report="us")
    # Served in Q3: A, C, D (B closed 06-30). Employed: A (JA), D (JD until 07-15).
    assert r.served == ("A", "C", "D") and r.employed == ("A", "D")
    assert r.employment_rate == pytest.approx(2 / 3)  # 66.7%: excellent
    assert r.band == "excellent"
    assert [j.job_id for j in r.job_starts] == ["JA"]
    assert [(j.job_id, j.end_reason) for j in r.job_ends] == [("JD", "Retired")]
    assert r.in_education == ("C",)
    # A: 2026-08-01 - 2026-01-10 = 21 (rest of Jan) + 28 + 31 + 30 + 31 + 30 + 31 + 1 = 203.
    assert r.first_job_days == (("A", 203),)
    assert r.median_days_to_first_job == 203
    assert r.jobs_held == ("JA", "JD")
    assert r.average_hours_per_week == 25  # (20 + 30) / 2
    assert r.average_hourly_wage == 12.0  # JD has no wage
    assert r.jobs_90_days == ("JD",)  # JA: 08-01 to 09-30 is 60 days
    # Trend, oldest first: 2024Q4 nobody; 2025Q1..2025Q4 D alone, employed (JD from 2024-12);
    # 2026Q1 A, D (D employed); 2026Q2 A, B, D (B and D employed); 2026Q3 A, C, D (A and D).
    assert [(t.period.label, t.served, t.employed) for t in r.trend] == [
        ("2024Q4", 0, 0), ("2025Q1", 1, 1), ("2025Q2", 1, 1), ("2025Q3", 1, 1), ("2025Q4", 1, 1),
        ("2026Q1", 2, 1), ("2026Q2", 3, 2), ("2026Q3", 3, 2)]
    assert r.trend[0].rate is None and r.trend[-1].rate == pytest.approx(2 / 3)
    keys = [f.key for f in r.figures()]
    assert keys[:3] == ["served", "employed", "employment_rate"]
    assert set(keys) <= set(oc.DEFINITIONS) and set(keys) <= set(oc.LABELS)


def test_build_outcomes_uk():
    r = oc.build_outcomes(Q3, _inputs(), report="uk")
    # Unemployed at entry: A (first job after its start), C (no job); D had JD before entry.
    assert r.uk.unemployed_at_entry == ("A", "C")
    assert r.uk.into_work == ("A",) and r.uk.first_job_starts == ("A",)
    assert r.uk.into_work_rate == 0.5  # 1 of 2
    assert r.uk.retention_eligible == ()  # A started 08-01: 13 weeks not yet up
    assert r.uk.retention_rate is None
    # The last 4 weeks are 09-03 (09-30 - 27 days) to 09-30: A reached on 09-10 is active;
    # C reached on 09-01 is not.
    assert r.uk.active == ("A",)
    assert r.headline_rate == 0.5
    # Trend for uk: (unemployed at entry, into work): 2026Q2 A and B unemployed at entry, B into
    # work (05-01); 2026Q3 A and C, A into work. Served and employed keep their own meaning.
    assert [(t.unemployed_at_entry, t.into_work) for t in r.trend][-2:] == [(2, 1), (2, 1)]
    assert [t.rate for t in r.trend][-2:] == [0.5, 0.5]
    assert (r.trend[-1].served, r.trend[-1].employed) == (len(r.served), len(r.employed))
    keys = [f.key for f in r.figures()]
    assert keys[:9] == ["served", "referrals", "referrals_in_work", "active", "engaged",
                        "job_starts", "unemployed_at_entry", "into_work", "into_work_rate"]


def test_report_to_dict_keys():
    data = oc.build_outcomes(Q3, _inputs()).to_dict()
    assert list(data) == ["period", "period_start", "period_end", "specialist", "report",
                          "figures", "targets", "band", "job_starts", "job_ends", "trend",
                          "definitions"]
    assert data["trend"][-1] == {"period": "2026Q3", "served": 3, "employed": 2,
                                 "rate": pytest.approx(2 / 3)}
    assert set(data["definitions"]) == set(data["figures"]) | {"trend"}
    uk = oc.build_outcomes(Q3, _inputs(), report="uk").to_dict()
    assert "band" not in uk and uk["targets"] == {"into_work": 0.4}


def test_unknown_report_is_refused():
    with pytest.raises(ValueError, match="unknown report"):
        oc.build_outcomes(Q3, OutcomeInputs(), report="fr")


def test_empty_inputs_give_an_empty_report():
    r = oc.build_outcomes(Q3, OutcomeInputs())
    assert r.served == () and r.employment_rate is None and r.band is None
    assert r.median_days_to_first_job is None and r.average_hours_per_week is None
    assert len(r.trend) == 8 and all(t.rate is None for t in r.trend)


def test_every_figure_has_a_one_line_definition():
    for key, text in oc.DEFINITIONS.items():
        assert text and "\n" not in text and text.endswith("."), key
        assert len(text) < 240, key


def test_uk_referrals_in_work_engaged_and_job_starts():
    served = [
        client("A", "2026-07-01", "2026-07-10"),  # referred on the first day; started
        client("B", "2026-09-30", None),  # referred on the last day, not met yet
        client("C", "2026-06-30", "2026-07-02"),  # referred the day before the period
        client("D", "2026-08-01", "2026-08-05", closed="2026-09-30"),  # discharged on the last day
        client("E", "2026-07-15", "2026-10-01"),  # first meeting after the period
        client("F", "2026-02-01", "2026-02-02", closed="2026-10-01"),  # closed after the period
    ]
    jobs = [
        job("JA", "A", "2026-06-01"),  # held on A's referral date: in work when referred
        job("JB", "B", "2026-09-30", competitive=False),  # not competitive
        job("JD", "D", "2026-07-01", "2026-08-01"),  # ends on D's referral date: still held
        job("JF", "F", "2026-09-30"),  # a job start on the period's last day
    ]
    assert oc.referrals(served, Q3) == ["A", "B", "D", "E"]
    assert oc.referrals_in_work(["A", "B", "D", "E"], served, jobs) == ["A", "D"]
    # Started by 09-30 and not discharged by then: A, C, F (closed 10-01); not D (closed 09-30),
    # not B (never met), not E (met 10-01).
    assert oc.engaged(served, Q3) == ["A", "C", "F"]
    assert [j.job_id for j in oc.new_job_starts(served, jobs, Q3)] == ["JD", "JF"]


def test_uk_into_work_needs_4_hours_and_a_start_in_the_past():
    served = [client(c, "2026-01-01", "2026-01-01") for c in "ABCDE"]
    jobs = [
        job("JA", "A", "2026-08-01", hours_per_week=3.5),  # under 4 hours a week: not into work
        job("JA2", "A", "2026-09-01", hours_per_week=4),  # 4 hours: A's first job that counts
        job("JB", "B", "2026-08-01"),  # hours not recorded: counted
        job("JC", "C", "2026-09-20", hours_per_week=20),  # starts after "today" (09-15): not yet
        job("JD", "D", "2026-09-15", hours_per_week=20),  # starts today: counted
    ]
    first = oc.first_job_after_entry(served, jobs, until=d("2026-09-15"))
    assert first == {"A": d("2026-09-01"), "B": d("2026-08-01"), "D": d("2026-09-15")}
    assert oc.into_work(list("ABCDE"), first, Q3) == ["A", "B", "D"]
    assert oc.counts_as_work(job("J", "A", "2026-01-01", hours_per_week=None))
    assert not oc.counts_as_work(job("J", "A", "2026-01-01", hours_per_week=3.99))
