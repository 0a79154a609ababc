"""The fidelity indicators, one pure function at a time, on small fixtures worked out by hand.

Statuses: met at the anchor; near from 80% of it (an at-most anchor: up to anchor / 0.8); not
met below. The period is 2026Q3 (2026-07-01 to 2026-09-30) unless said otherwise; February 2026
(28 days, exactly 4 weeks) is used where weeks matter.
"""

from __future__ import annotations

import facts_helpers as facts
import pytest
from facts_helpers import contact, d, job

from ips_tui.domain import fidelity as fid
from ips_tui.domain.facts import Client, EmployerContact
from ips_tui.domain.fidelity import FidelityInputs
from ips_tui.domain.outcomes import Period

Q3 = Period("quarter", 2026, 3)
FEB = Period("month", 2026, 2)


def client(cid: str, referral: str | None = "2026-01-01", *args, **more) -> Client:
    """A client (referred on 2026-01-01 unless said otherwise)."""
    return facts.client(cid, referral, *args, **more)


# ------------------------------------------------------------------------------------------------
# Status


@pytest.mark.parametrize(("value", "target", "at_most", "status"), [
    (0.85, 0.85, False, "met"),
    (0.68, 0.85, False, "near"),  # 0.8 x 0.85 = 0.68 exactly
    (0.679, 0.85, False, "not_met"),
    (1.0, 1.0, False, "met"),
    (0.8, 1.0, False, "near"),
    (0.79, 1.0, False, "not_met"),
    (20, 20, True, "met"),
    (21, 20, True, "near"),
    (25, 20, True, "near"),  # 20 / 25 = 0.8 exactly
    (25.1, 20, True, "not_met"),
    (37.5, 30, True, "near"),  # 30 / 37.5 = 0.8
    (37.6, 30, True, "not_met"),
    (0.0, 0.0, False, "met"),  # a zero target is always met
    (None, 0.9, False, "no_data"),
])
def test_status_of(value, target, at_most, status):
    assert fid.status_of(value, target, at_most) == status


def test_worst():
    assert fid.worst(["met", "near", "met"]) == "near"
    assert fid.worst(["met", "no_data", "not_met"]) == "not_met"
    assert fid.worst(["no_data"]) == "no_data"
    assert fid.worst([]) == "no_data"


# ------------------------------------------------------------------------------------------------
# Item 1: caseload


def _caseload(n: int, spec: str, closed_at_end: int = 0) -> list[Client]:
    out = [client(f"{spec}{i:02d}", spec=spec) for i in range(n)]
    out += [client(f"{spec}X{i:02d}", spec=spec, closed="2026-09-29") for i in range(closed_at_end)]
    return out


@pytest.mark.parametrize(("n", "status"), [(20, "met"), (21, "near"), (25, "near"),
                                           (26, "not_met")])
def test_caseload_boundaries(n, status):
    # Clients closed before the period's last day are served but not on the caseload at its end.
    served = _caseload(n, "Ann", closed_at_end=3) + _caseload(5, "Bo")
    item = fid.caseload_item(served, Q3)
    assert item.status == status
    assert item.value == n
    assert item.records == ([] if n <= 20 else ["Ann"])
    assert item.record_kind == "specialist"
    assert item.figure.startswith(f"largest {n} (Ann)")
    # mean (n + 5) / 2 specialists
    assert f"mean {(n + 5) / 2:g}" in item.figure


def test_caseload_with_nobody_is_no_data():
    assert fid.caseload_item([], Q3).status == "no_data"


# ------------------------------------------------------------------------------------------------
# Item 12: benefits planning; item 13: disclosure


def test_benefits_planning_before_job_start():
    served = [
        client("A", benefits_planning_date=d("2026-07-10")),
        client("B", benefits_planning_date=d("2026-07-11"), first_name="Bo", last_name="Diaz"),  # by id only
        client("C"),
        client("D", benefits_planning_date=d("2026-01-01")),
    ]
    jobs = [
        job("J1", "A", "2026-07-10"),  # offered on the start day: counts
        job("J2", "B", "2026-07-10"),  # offered the day after the start: a miss
        job("J3", "C", "2026-08-01"),  # never offered: a miss
        job("J4", "D", "2026-09-01", competitive=False),  # any job start counts; offered: ok
        job("J5", "A", "2026-06-30"),  # started before the period: not counted
    ]
    item = fid.benefits_planning_item(served, jobs, Q3)
    # 2 of 4 = 50%: below 80% of 100% -> not met.
    assert (item.value, item.status, item.records) == (0.5, "not_met", ["J2", "J3"])
    assert item.figure == "50% (2 of 4 job starts)"
    assert item.details == [
        # the client by id (a fidelity report can leave the team), the job as a person says it
        "B: Clerk started 2026-07-10, benefits planning offered 2026-07-11, after the start",
        "C: Clerk started 2026-08-01, benefits planning never offered",
    ]
    assert fid.benefits_planning_item(served, [], Q3).status == "no_data"


@pytest.mark.parametrize(("choices", "status"), [
    (["disclose", "do_not_disclose", "partial", "undecided", None], "not_met"),  # 3/5 = 60%
    (["disclose", "do_not_disclose", "partial", "disclose", None], "near"),  # 4/5 = 80%
    (["disclose", "partial"], "met"),  # 2/2
])
def test_disclosure_recorded(choices, status):
    served = [client(f"C{i}", disclosure=c) for i, c in enumerate(choices)]
    item = fid.disclosure_item(served)
    assert item.status == status
    assert item.records == [f"C{i}" for i, c in enumerate(choices) if c in (None, "undecided")]


# ------------------------------------------------------------------------------------------------
# Item 15: days from start to first employer contact


def test_first_employer_contact_days():
    served = [
        client("A", start="2026-07-01"),
        client("B", start="2026-07-01"),
        client("C", start="2026-08-01"),
        client("D", start="2026-09-15"),
        client("E", start="2026-06-30"),  # started before the period: not counted
        client("F", start="2026-07-10"),
    ]
    first = {
        "A": d("2026-07-31"),  # 30 days: on time
        "B": d("2026-08-01"),  # 31 days: late
        "E": d("2026-07-01"),
        "F": d("2026-07-05"),  # before the start date: 0 days
        # C: none by the period end, 09-30 - 08-01 = 60 days: counts as 60, late
        # D: none, 09-30 - 09-15 = 15 days: too early to tell, left out
    }
    item = fid.first_employer_contact_item(served, first, Q3)
    # Mean over A, B, C, F: (30 + 31 + 60 + 0) / 4 = 121 / 4 = 30.25 -> near (<= 37.5).
    assert item.value == pytest.approx(30.25)
    assert item.status == "near"
    assert item.records == ["B", "C"]
    assert item.details == ["B: 31 days", "C: no employer contact in 60 days"]
    # Median of 0, 30, 31, 60 = (30 + 31) / 2 = 30.5.
    assert item.figure == ("mean 30.2 days (median 30.5) over 4 clients; 2 over 30 days; "
                           "1 too early to tell")


def test_first_employer_contact_met_and_no_data():
    served = [client("A", start="2026-07-01"), client("B", start="2026-09-20")]
    item = fid.first_employer_contact_item(served, {"A": d("2026-07-21")}, Q3)
    assert (item.value, item.status, item.records) == (20, "met", [])
    none = fid.first_employer_contact_item([client("B", start="2026-09-20")], {}, Q3)
    assert (none.status, none.figure) == ("no_data", "1 client started, none yet past 30 days")


# ------------------------------------------------------------------------------------------------
# Item 17: employer contacts (February 2026: 28 days = 4 weeks)


def _contacts(spec: str, in_person: int, other: int = 0, on_behalf: int = 0):
    out = [EmployerContact(spec, d("2026-02-02"), "in_person", 1 if i < on_behalf else 0)
           for i in range(in_person)]
    out += [EmployerContact(spec, d("2026-02-03"), "phone", 1) for _ in range(other)]
    return out


def _seekers(spec: str, n: int, others: int = 0) -> list[Client]:
    return ([client(f"{spec}{i}", spec=spec) for i in range(n)]
            + [client(f"{spec}E{i}", spec=spec, stage="employed") for i in range(others)])


@pytest.mark.parametrize(("in_person", "status"), [
    (24, "met"),  # 24 / 4 weeks = 6.0 a week
    (23, "near"),  # 5.75
    (20, "near"),  # 5.0 >= 4.8 (80% of 6)
    (19, "not_met"),  # 4.75 < 4.8
])
def test_employer_contacts_per_week(in_person, status):
    served = _seekers("Ann", 3, others=4)
    item = fid.employer_contacts_item(served, _contacts("Ann", in_person, other=5), FEB)
    assert item.status == status
    assert item.value == pytest.approx(in_person / 4)
    assert item.records == ([] if status == "met" else ["Ann"])


def test_employer_contacts_target_for_few_job_seekers():
    # Bo has 2 job seekers: target 2 x 2 = 4 a week = 16 in February; 16 -> met.
    # Cy has no job seekers: target 0, met with none.
    # Di has 1 job seeker: target 2 a week = 8; 6 contacts = 1.5 a week: 1.5 / 2 = 75% -> not met.
    served = _seekers("Bo", 2) + _seekers("Cy", 0, others=2) + _seekers("Di", 1)
    contacts = _contacts("Bo", 16, on_behalf=8) + _contacts("Di", 6, on_behalf=6)
    item = fid.employer_contacts_item(served, contacts, FEB)
    assert item.status == "not_met"
    assert item.records == ["Di"]
    assert (item.value, item.target) == (1.5, 2.0)
    # On behalf of a named client: (8 + 6) of 22 in-person contacts = 63.6%.
    assert item.figure == ("lowest 1.5 a week (Di, target 2); 63.6% of 22 in person were for a "
                           "named client")
    assert item.details == [
        "Bo: 4 a week against 4 (2 job seekers), 16 in person, 8 for a named client",
        "Cy: 0 a week against 0 (0 job seekers), 0 in person, 0 for a named client",
        "Di: 1.5 a week against 2 (1 job seeker), 6 in person, 6 for a named client",
    ]


def test_employer_contacts_outside_the_period_or_by_others_do_not_count():
    served = _seekers("Ann", 3)
    contacts = (_contacts("Ann", 24)
                + [EmployerContact("Ann", d("2026-03-01"), "in_person")] * 5)
    assert fid.employer_contacts_item(served, contacts, FEB).value == 6
    only_bo = fid.employer_contacts_item([], _contacts("Bo", 3), FEB, specialist="Ann")
    assert only_bo.status == "no_data"


# ------------------------------------------------------------------------------------------------
# Items 19-21: diversity of job types and employers, competitive jobs


def test_diversity_and_competitive():
    served = [client("A"), client("B")]
    jobs = [
        job("J1", "A", "2026-07-01", title="Barista", employer_id="E1", employer="Cafe"),
        job("J2", "B", "2026-07-02", title="  barista ", employer_id="E1", employer="Cafe"),
        job("J3", "A", "2026-08-01", title="Cook"),  # no employer: counts as its own
        job("J4", "B", "2026-09-01", title="Cleaner", competitive=False),
        job("J0", "A", "2026-06-01", title="Barista"),  # before the period: not counted
    ]
    types = fid.job_types_item(served, jobs, Q3)
    # Titles: barista, barista, cook, cleaner -> 3 distinct / 4 = 75% -> near (>= 68%).
    assert (types.value, types.status, types.records) == (0.75, "near", ["J2"])
    assert types.details == ["Barista: A at Cafe, B at Cafe"]  # whose jobs, and where
    assert types.figure == "75% (3 distinct titles in 4 job starts)"
    employers = fid.employers_item(served, jobs, Q3)
    # Employers: E1, E1, none (J3), none (J4) -> 3 distinct / 4 = 75% -> near.
    assert (employers.value, employers.status, employers.records) == (0.75, "near", ["J2"])
    assert employers.details == ["Cafe: A as Barista, B as barista"]
    competitive = fid.competitive_item(served, jobs, Q3)
    # 3 competitive of 4 = 75% < 76% (80% of 95%) -> not met.
    assert (competitive.value, competitive.status, competitive.records) == (0.75, "not_met", ["J4"])


def test_competitive_boundaries():
    served = [client("A")]

    def share(n_competitive: int, total: int) -> str:
        jobs = [job(f"J{i:02d}", "A", "2026-07-01", competitive=i < n_competitive)
                for i in range(total)]
        return fid.competitive_item(served, jobs, Q3).status

    assert share(19, 20) == "met"  # 95%
    assert share(16, 20) == "near"  # 80% >= 76%
    assert share(15, 20) == "not_met"  # 75%
    assert fid.competitive_item(served, [], Q3).status == "no_data"


# ------------------------------------------------------------------------------------------------
# Follow-along contacts on schedule (the reminders rules, replayed)


def _follow_along_fixture():
    clients = [
        client("A", referral="2026-06-01", stage="employed"),
        client("B", referral="2026-06-01", stage="employed"),
        client("C", referral="2025-12-01", closed="2026-07-10"),
    ]
    jobs = [
        job("JA", "A", "2026-07-06"),
        job("JB", "B", "2026-08-10", "2026-08-14"),
        job("JC", "C", "2026-01-05"),
    ]
    contacts = [
        # A: in person on 07-01, 07-08, 07-20, 07-27, 08-03; a phone call and an attempt later.
        contact("A", "2026-07-01"), contact("A", "2026-07-08"), contact("A", "2026-07-20"),
        contact("A", "2026-07-27"), contact("A", "2026-08-03"),
        contact("A", "2026-08-20", mode="phone"), contact("A", "2026-08-25", attempted=True),
        # B: 08-05 (before the start), 08-11 (after it), 08-17 (after the job ended on 08-14).
        contact("B", "2026-08-05"), contact("B", "2026-08-11"), contact("B", "2026-08-17"),
        # C: last seen 06-20; closed 07-10.
        contact("C", "2026-06-20"),
    ]
    return clients, jobs, contacts


def test_follow_along_schedule_replays_the_reminder_rules():
    clients, jobs, contacts = _follow_along_fixture()
    got = [(s.client_id, s.kind, s.due.isoformat(), s.met, s.contact and s.contact.isoformat())
           for s in fid.follow_along_schedule(clients, jobs, contacts, Q3)]
    # A, job starting S = Mon 07-06 (S + 1 month = 08-06):
    #   06-29 (S - 7): before_start due 07-05; the 07-01 contact meets it.
    #   07-06: latest 07-01 < S -> after_start due 07-09 (S + 3); met by 07-08.
    #   07-08: weekly due 07-15 (07-08 + 7 <= 08-06); nothing by 07-15: MISSED (next 07-20).
    #   07-20: weekly due 07-27; met on the day, 07-27.
    #   07-27: weekly due 08-03 (<= 08-06); met on 08-03.
    #   08-03: 08-10 > 08-06 -> monthly due 09-03; the phone call and the attempt do not
    #          qualify: MISSED, nothing since.
    # B, job 08-10 to 08-14:
    #   08-03: before_start due 08-09; met by 08-05.
    #   08-10: latest 08-05 < S -> after_start due 08-13; met by 08-11.
    #   08-11: weekly due 08-18 -- but the job ends 08-14; from 08-15 it is after_job_end due
    #          08-17 (E + 3): the weekly reminder is dropped, not counted. 08-17 meets it.
    # C: monthly due 07-20 (06-20 + 1 month), but C closed on 07-10: dropped, not counted.
    assert got == [
        ("A", "before_start", "2026-07-05", True, "2026-07-01"),
        ("A", "after_start", "2026-07-09", True, "2026-07-08"),
        ("A", "weekly", "2026-07-15", False, "2026-07-20"),
        ("A", "weekly", "2026-07-27", True, "2026-07-27"),
        ("A", "weekly", "2026-08-03", True, "2026-08-03"),
        ("B", "before_start", "2026-08-09", True, "2026-08-05"),
        ("B", "after_start", "2026-08-13", True, "2026-08-11"),
        ("B", "after_job_end", "2026-08-17", True, "2026-08-17"),
        ("A", "monthly", "2026-09-03", False, None),
    ]
    item = fid.follow_along_item(fid.follow_along_schedule(clients, jobs, contacts, Q3), clients, jobs)
    # 7 of 9 on time = 77.8%: >= 72% (80% of 90%) -> near.
    assert item.value == pytest.approx(7 / 9)
    assert (item.status, item.records) == ("near", ["A"])
    assert item.figure == "77.8% (7 of 9 follow-along contacts due)"
    assert item.details == [
        "A, Clerk: weekly due 2026-07-15, contact on 2026-07-20",
        "A, Clerk: monthly due 2026-09-03, no contact since",
    ]


def test_follow_along_modes_setting_counts_video():
    clients, jobs, contacts = _follow_along_fixture()
    # A video call on 09-02 does not count by default; with video as a follow-along mode it
    # meets the monthly contact due 09-03: 8 of 9.
    contacts = contacts + [contact("A", "2026-09-02", mode="video")]
    by_default = fid.follow_along_schedule(clients, jobs, contacts, Q3)
    assert sum(s.met for s in by_default) == 7
    with_video = fid.follow_along_schedule(clients, jobs, contacts, Q3,
                                           modes=("in_person", "video"))
    assert sum(s.met for s in with_video) == 8 and len(with_video) == 9
    # (the 09-02 video call starts a new monthly reminder due 10-02: after the period)
    assert max(s.due for s in with_video) == d("2026-09-03")


def test_follow_along_with_no_jobs_is_no_data():
    assert fid.follow_along_item([]).status == "no_data"


# ------------------------------------------------------------------------------------------------
# Time-unlimited follow-along


def test_time_unlimited_support():
    served = [client("W1"), client("W2"), client("W3", closed="2026-09-30"), client("W4"),
              client("W5"), client("W6")]
    jobs = [
        job("J1", "W1", "2025-06-01"),  # over a year; open; in-person contact: supported
        job("J2", "W2", "2025-09-29"),  # over a year (before 2025-09-30); only a phone call: miss
        job("J3", "W3", "2025-01-01"),  # closed on the period end: not still open: miss
        job("J4", "W4", "2025-09-30"),  # exactly a year before 09-30: not over a year
        job("J5", "W5", "2024-03-01"),  # supported
        job("J6", "W6", "2024-01-01", "2026-06-30"),  # not held in the period: not a worker
    ]
    contacts = [contact("W1", "2026-08-05"), contact("W2", "2026-08-05", mode="phone"),
                contact("W3", "2026-09-01"), contact("W5", "2026-07-02"),
                contact("W4", "2026-08-01")]
    item = fid.time_unlimited_item(served, jobs, contacts, Q3)
    # Workers past a year: W1, W2, W3, W5; supported: W1, W5 -> 2 of 4 = 50% = the anchor: met.
    assert (item.value, item.status, item.records) == (0.5, "met", ["W2", "W3"])
    assert item.details == ["W2: no follow-along contact in the period",
                            "W3: closed by the period end"]
    # Without W5's contact: 1 of 4 = 25% -> not met.
    fewer = [c for c in contacts if c.client_id != "W5"]
    assert fid.time_unlimited_item(served, jobs, fewer, Q3).status == "not_met"


# ------------------------------------------------------------------------------------------------
# Community-based contacts; documented outreach


def test_community_share():
    served = [client("A"), client("B")]
    contacts = ([contact("A", "2026-07-01", location="community", id=i) for i in range(1, 14)]
                + [contact("B", "2026-08-01", location="office", id=i) for i in range(14, 21)]
                + [contact("A", "2026-07-02", id=21)]  # in person, no location: left out
                + [contact("A", "2026-07-02", mode=mode, location="community", id=40 + i)
                   for i, mode in enumerate(("phone", "video", "text"))]  # not in person: left out
                + [contact("B", "2026-07-02", mode="email", location="office", id=50)]
                + [contact("A", "2026-07-03", location="office", attempted=True, id=22)]
                + [contact("A", "2026-06-30", location="office", id=23)]  # before the period
                + [contact("Z", "2026-07-03", location="office", id=24)])  # not served
    item = fid.community_item(served, contacts, Q3)
    # 13 community of 20 with a location = 65%: met.
    assert (item.value, item.status) == (0.65, "met")
    assert item.records == [str(i) for i in range(14, 21)]
    assert item.record_kind == "contact"
    assert item.figure == ("65% (13 of 20 in-person contacts with a location); 1 in-person contact "
                           "with no location and 4 contacts not in person left out")
    # Two more office contacts: 13 of 22 = 59.1% -> near (>= 52%).
    more = contacts + [contact("B", "2026-08-02", location="office", id=30 + i) for i in range(2)]
    assert fid.community_item(served, more, Q3).status == "near"


def test_documented_outreach():
    served = [
        client("A", referral="2026-08-01"),  # not reached since 09-01; an attempt on 09-15: ok
        client("B", referral="2026-08-01"),  # not reached, no attempt: a miss
        client("C", referral="2026-09-05"),  # opened after 09-01: not 30 days yet, left out
        client("D", referral="2026-08-01"),  # reached on 09-01, the first day of the 30: seen
        client("E", referral="2026-09-01"),  # opened on 09-01; reached 08-31 is before; the
        #                                      attempt on 08-31 is outside the 30 days: a miss
        client("F", referral="2026-01-01", closed="2026-09-29"),  # closed before the end: out
    ]
    contacts = [contact("A", "2026-09-15", attempted=True), contact("D", "2026-09-01"),
                contact("E", "2026-08-31"), contact("E", "2026-08-31", attempted=True)]
    item = fid.outreach_item(served, contacts, Q3)
    # Not seen: A, B, E; with an attempt: A -> 1 of 3 = 33.3%: not met.
    assert item.value == pytest.approx(1 / 3)
    assert (item.status, item.records) == ("not_met", ["B", "E"])


# ------------------------------------------------------------------------------------------------
# The report


def test_build_fidelity_items_in_scale_order():
    clients, jobs, contacts = _follow_along_fixture()
    report = fid.build_fidelity(Q3, FidelityInputs(clients=tuple(clients), jobs=tuple(jobs),
                                                   contacts=tuple(contacts)))
    assert [it.key for it in report.items] == list(fid.ITEMS)
    assert [it.scale_item for it in report.items] == [1, 4, 5, 12, 13, 15, 17, 19, 20, 21, 23, 23, 24, 25]
    for it in report.items:
        assert it.status in fid.STATUSES
        assert it.name and it.anchor and it.figure and it.definition
        assert isinstance(it.records, list)
    assert report.item("follow_along").status == "near"
    data = report.to_dict()
    assert list(data) == ["period", "period_start", "period_end", "specialist", "near_rule",
                          "counts", "items"]
    assert sum(data["counts"].values()) == 14
    assert set(data["items"][0]) >= {"name", "anchor", "figure", "status", "records"}
    with pytest.raises(KeyError):
        report.item("nonsense")


def test_every_indicator_has_a_one_line_definition():
    assert set(fid.DEFINITIONS) == set(fid.ITEMS)
    for key, text in fid.DEFINITIONS.items():
        assert text and "\n" not in text and text.endswith("."), key


def test_integration_items_team_assignment_and_team_contact():
    from datetime import date

    from ips_tui.domain.facts import Client, TeamContact

    def open_client(cid, practitioner):
        return Client(cid, "Sam", "engaged", start_date=date(2026, 5, 1),
                      referral_date=date(2026, 5, 1), mh_practitioner=practitioner)

    clients = (open_client("C1", "Jo Reed"), open_client("C2", "Jo Reed"),
               open_client("C3", None), open_client("C4", "Al Bey"))
    team = (TeamContact("C1", date(2026, 8, 4)), TeamContact("C2", date(2026, 6, 30)),  # before Q3
            TeamContact("C3", date(2026, 8, 4)))  # no practitioner: not counted
    report = fid.build_fidelity(Q3, FidelityInputs(clients=clients, team_contacts=team))
    assigned, contact = report.item("team_assignment"), report.item("team_contact")
    assert (assigned.value, assigned.records, assigned.status) == (0.75, ["C3"], "near")
    assert (contact.value, contact.records) == (1 / 3, ["C2", "C4"])
    assert contact.status == "not_met" and contact.figure.startswith("33.3%")
    empty = fid.build_fidelity(Q3, FidelityInputs(clients=(open_client("C3", None),)))
    assert empty.item("team_contact").status == "no_data"
