"""The reminder rules of ips_tui.domain.reminders: hand-worked cases for every rule and boundary,
then hypothesis properties over random jobs and contact histories."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import facts_helpers as facts
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ips_tui import vocab
from ips_tui.domain import reminders as reminders_module
from ips_tui.domain.reminders import (
    FOLLOW_ALONG_KINDS,
    KIND_LABELS,
    KINDS,
    Reminder,
    compute_reminders,
    is_qualifying,
    reminder_status,
)

ON = date(2024, 3, 13)  # the day asked about in most cases below


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def client(cid="c1", stage="employed", start=None, name="Ann Lee", specialist="Sam Ortiz"):
    return facts.client(cid, start=start, stage=stage, spec=specialist, name=name)


def job(start, end=None, jid="j1", cid="c1"):
    return facts.job(jid, cid, start, end)


def contact(when, mode="in_person", attempted=False, cid="c1"):
    return facts.contact(cid, when, mode=mode, attempted=attempted)


def run(jobs=(), contacts=(), clients=None, fec=None, on=ON, within=3, **kw):
    if clients is None:
        clients = [client()]
    return compute_reminders(clients, jobs, contacts, fec or {}, on=on, within=within, **kw)


def brief(reminders):
    """(kind, due, status, job_id) of each reminder, in the returned order."""
    return [(r.kind, r.due, r.status, r.job_id) for r in reminders]


# --------------------------------------------------------------------------------------------
# Constants, facts and small helpers


def test_kinds_and_labels():
    assert KINDS == (
        "before_start",
        "after_start",
        "weekly",
        "monthly",
        "after_job_end",
        "first_employer_contact",
    )
    assert FOLLOW_ALONG_KINDS == KINDS[:5]
    assert set(KIND_LABELS) == set(KINDS)
    assert KIND_LABELS["before_start"] == "Before job start"
    assert KIND_LABELS["first_employer_contact"] == "First employer contact"
    assert all(isinstance(v, str) and v for v in KIND_LABELS.values())


def test_facts_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        client().stage = "closed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        job(ON).end_date = ON  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        contact(ON).attempted = True  # type: ignore[misc]
    r = Reminder("c1", "Ann Lee", "Sam Ortiz", "weekly", ON, "due", "j1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.due = ON + timedelta(days=1)  # type: ignore[misc]


def test_is_qualifying():
    assert is_qualifying(contact(ON))
    assert not is_qualifying(contact(ON, attempted=True))
    assert not is_qualifying(contact(ON, mode="phone"))
    assert is_qualifying(contact(ON, mode="phone"), modes=("in_person", "phone"))
    assert not is_qualifying(contact(ON, mode="phone", attempted=True), modes=("phone",))
    assert not is_qualifying(contact(ON), modes=("phone",))
    assert vocab.DEFAULT_FOLLOW_ALONG_MODES == ("in_person",)


def test_to_dict_keys_and_values():
    r = Reminder("c1", "Ann Lee", "Sam Ortiz", "weekly", d("2024-03-05"), "overdue", "j1",
                 "Barista", "Maple Cafe")
    out = r.to_dict()
    # the first seven keys as they always were; those added since come after them
    assert list(out) == ["client_id", "client", "specialist", "kind", "due", "status", "job_id",
                         "job", "employer", "planned"]
    assert r.job_name == "Barista at Maple Cafe"
    assert out == {
        "client_id": "c1",
        "client": "Ann Lee",
        "specialist": "Sam Ortiz",
        "kind": "weekly",
        "due": "2024-03-05",
        "status": "overdue",
        "job_id": "j1",
        "job": "Barista",
        "employer": "Maple Cafe",
        "planned": None,
    }
    fec = Reminder(
        "c2", "Bo Diaz", "Sam Ortiz", "first_employer_contact", d("2024-12-01"), "due", None
    )
    assert fec.to_dict()["job_id"] is None
    assert fec.to_dict()["due"] == "2024-12-01"


def test_reminder_carries_client_name_and_specialist():
    (r,) = run([job(d("2024-03-10"))], clients=[client(name="Ann Lee", specialist="Sam Ortiz")])
    assert (r.client_id, r.client, r.specialist) == ("c1", "Ann Lee", "Sam Ortiz")


def test_reminder_status_boundaries():
    assert reminder_status(d("2024-03-12"), ON, 3) == "overdue"
    assert reminder_status(ON, ON, 3) == "due"
    assert reminder_status(d("2024-03-16"), ON, 3) == "due"  # on + within
    assert reminder_status(d("2024-03-17"), ON, 3) is None  # on + within + 1
    assert reminder_status(ON, ON, 0) == "due"
    assert reminder_status(d("2024-03-14"), ON, 0) is None
    assert reminder_status(d("2020-01-01"), ON, 0) == "overdue"


def test_within_bounds_the_listing():
    # after_start due S + 3 = 03-16; on 03-13 it is listed with within 3 but not within 2.
    jobs = [job(d("2024-03-13"))]
    assert brief(run(jobs, within=3)) == [("after_start", d("2024-03-16"), "due", "j1")]
    assert run(jobs, within=2) == []
    # Overdue reminders are listed whatever the window.
    assert brief(run([job(d("2024-03-01"))], within=0)) == [
        ("after_start", d("2024-03-04"), "overdue", "j1")
    ]


# --------------------------------------------------------------------------------------------
# Before the job start: the 7-day window


def test_before_start_due_day_before_start():
    # S = 03-15: due S - 1 = 03-14.
    assert brief(run([job(d("2024-03-15"))])) == [("before_start", d("2024-03-14"), "due", "j1")]


def test_before_start_window_is_seven_days():
    # S = on + 7 = 03-20 is in the window (due 03-19, listed with a wide enough `within`) ...
    assert brief(run([job(d("2024-03-20"))], within=10)) == [
        ("before_start", d("2024-03-19"), "due", "j1")
    ]
    # ... S = on + 8 = 03-21 is not yet, however wide the window.
    assert run([job(d("2024-03-21"))], within=60) == []


def test_before_start_cleared_by_contact_on_start_minus_seven():
    s = d("2024-03-20")  # S - 7 = 03-13 = on, S - 8 = 03-12
    assert run([job(s)], [contact(d("2024-03-13"))], within=10) == []
    assert brief(run([job(s)], [contact(d("2024-03-12"))], within=10)) == [
        ("before_start", d("2024-03-19"), "due", "j1")
    ]
    # Same with a start nearer: S = 03-16, contact on S - 7 = 03-09 clears, S - 8 = 03-08 does not.
    s = d("2024-03-16")
    assert run([job(s)], [contact(d("2024-03-09"))]) == []
    assert brief(run([job(s)], [contact(d("2024-03-08"))])) == [
        ("before_start", d("2024-03-15"), "due", "j1")
    ]


def test_before_start_is_never_overdue():
    # On the eve of the start it is due that very day.
    assert brief(run([job(d("2024-03-14"))])) == [("before_start", d("2024-03-13"), "due", "j1")]


# --------------------------------------------------------------------------------------------
# After the job start: the 3-day rule


def test_after_start_due_three_days_after_start():
    s = d("2024-03-10")  # due 03-13
    due = [("after_start", d("2024-03-13"), "due", "j1")]
    assert brief(run([job(s)], on=d("2024-03-10"))) == due
    assert brief(run([job(s)], on=d("2024-03-13"))) == due
    assert brief(run([job(s)], on=d("2024-03-14"))) == [
        ("after_start", d("2024-03-13"), "overdue", "j1")
    ]


def test_start_on_the_day_is_after_start_not_before_start():
    assert brief(run([job(ON)])) == [("after_start", d("2024-03-16"), "due", "j1")]


def test_contacts_before_start_do_not_count_after_start():
    s = d("2024-03-10")
    # 03-09 clears the before_start window but does not count once the job has started.
    assert brief(run([job(s)], [contact(d("2024-03-09")), contact(d("2024-03-03"))])) == [
        ("after_start", d("2024-03-13"), "due", "j1")
    ]


def test_contact_on_start_day_counts():
    # L = S = 03-10: weekly due 03-17.
    assert brief(run([job(d("2024-03-10"))], [contact(d("2024-03-10"))], within=4)) == [
        ("weekly", d("2024-03-17"), "due", "j1")
    ]


def test_weekly_follow_along_uses_latest_contact():
    s = d("2024-03-01")
    contacts = [contact(d("2024-03-04")), contact(d("2024-03-08")), contact(d("2024-03-02"))]
    # L = 03-08: weekly due 03-15, overdue from 03-16.
    assert brief(run([job(s)], contacts)) == [("weekly", d("2024-03-15"), "due", "j1")]
    assert brief(run([job(s)], contacts, on=d("2024-03-16"))) == [
        ("weekly", d("2024-03-15"), "overdue", "j1")
    ]


# --------------------------------------------------------------------------------------------
# The end of month one: weekly -> monthly


@pytest.mark.parametrize(
    "start, last_weekly, first_monthly, weekly_due, monthly_due",
    [
        # Generic: S + 1 month = 04-01.
        ("2024-03-01", "2024-03-25", "2024-03-26", "2024-04-01", "2024-04-26"),
        # Jan 31, non-leap year: S + 1 month = 2023-02-28.
        ("2023-01-31", "2023-02-21", "2023-02-22", "2023-02-28", "2023-03-22"),
        # Jan 31, leap year: S + 1 month = 2024-02-29.
        ("2024-01-31", "2024-02-22", "2024-02-23", "2024-02-29", "2024-03-23"),
        # Feb 29: S + 1 month = 2024-03-29.
        ("2024-02-29", "2024-03-22", "2024-03-23", "2024-03-29", "2024-04-23"),
    ],
)
def test_weekly_switches_to_monthly_at_end_of_month_one(
    start, last_weekly, first_monthly, weekly_due, monthly_due
):
    s = d(start)
    # L + 7 == S + 1 month: still weekly, due L + 7.
    l_ = d(last_weekly)
    assert brief(run([job(s)], [contact(l_)], on=l_, within=7)) == [
        ("weekly", d(weekly_due), "due", "j1")
    ]
    # One day later: L + 7 > S + 1 month, monthly, due L + 1 month.
    l_ = d(first_monthly)
    assert brief(run([job(s)], [contact(l_)], on=l_, within=40)) == [
        ("monthly", d(monthly_due), "due", "j1")
    ]


@pytest.mark.parametrize(
    "last, due",
    [
        ("2023-01-31", "2023-02-28"),  # clamped, non-leap
        ("2024-01-31", "2024-02-29"),  # clamped, leap
        ("2024-03-31", "2024-04-30"),
        ("2024-05-15", "2024-06-15"),
    ],
)
def test_monthly_due_is_one_calendar_month_clamped(last, due):
    s = d(last) - timedelta(days=60)
    (r,) = run([job(s)], [contact(d(last))], on=d(last), within=40)
    assert (r.kind, r.due) == ("monthly", d(due))
    assert type(r.due) is date


def test_monthly_overdue():
    # S = 2024-01-02, L = 02-10 (> S + 1 month - 7): monthly due 03-10, overdue on 03-13.
    assert brief(run([job(d("2024-01-02"))], [contact(d("2024-02-10"))])) == [
        ("monthly", d("2024-03-10"), "overdue", "j1")
    ]


# --------------------------------------------------------------------------------------------
# Ended jobs


def test_ended_job_after_job_end_due_end_plus_three():
    jobs = [job(d("2024-01-02"), end=d("2024-03-10"))]
    assert brief(run(jobs)) == [("after_job_end", d("2024-03-13"), "due", "j1")]
    assert brief(run(jobs, on=d("2024-03-14"))) == [
        ("after_job_end", d("2024-03-13"), "overdue", "j1")
    ]
    # Follow-along stops: an old contact on the job does not turn it into weekly/monthly.
    assert brief(run(jobs, [contact(d("2024-03-01"))])) == [
        ("after_job_end", d("2024-03-13"), "due", "j1")
    ]


def test_after_job_end_cleared_by_contact_on_end_day():
    jobs = [job(d("2024-01-02"), end=d("2024-03-10"))]
    assert run(jobs, [contact(d("2024-03-10"))]) == []
    assert run(jobs, [contact(d("2024-03-12"))]) == []
    assert run(jobs, [contact(d("2024-03-13"))]) == []  # on itself
    assert brief(run(jobs, [contact(d("2024-03-09"))])) == [
        ("after_job_end", d("2024-03-13"), "due", "j1")
    ]


def test_end_date_equal_to_on_is_not_ended_yet():
    # E == on: still follow-along; no contact since S = 03-01 -> after_start due 03-04, overdue.
    jobs = [job(d("2024-03-01"), end=ON)]
    assert brief(run(jobs)) == [("after_start", d("2024-03-04"), "overdue", "j1")]
    # E == on - 1: ended, due E + 3 = on + 2.
    jobs = [job(d("2024-03-01"), end=d("2024-03-12"))]
    assert brief(run(jobs)) == [("after_job_end", d("2024-03-15"), "due", "j1")]


def test_future_end_date_does_not_end_the_job():
    jobs = [job(d("2024-03-10"), end=d("2024-04-30"))]
    assert brief(run(jobs)) == [("after_start", d("2024-03-13"), "due", "j1")]


# --------------------------------------------------------------------------------------------
# Clients, several jobs, modes, attempts, the future


def test_closed_client_gets_nothing():
    clients = [client(stage="closed", start=d("2024-01-01"))]
    jobs = [
        job(d("2024-03-10"), jid="j1"),
        job(d("2024-03-15"), jid="j2"),
        job(d("2024-01-02"), end=d("2024-03-11"), jid="j3"),
    ]
    assert run(jobs, clients=clients, within=60) == []


def test_jobs_of_unknown_clients_are_ignored():
    assert run([job(d("2024-03-10"), cid="nobody")]) == []


def test_several_jobs_one_reminder_each():
    jobs = [
        job(d("2024-03-10"), jid="j1"),  # after_start due 03-13
        job(d("2024-03-15"), jid="j2"),  # before_start due 03-14
        job(d("2024-01-02"), end=d("2024-03-11"), jid="j3"),  # after_job_end due 03-14
    ]
    assert brief(run(jobs)) == [
        ("after_start", d("2024-03-13"), "due", "j1"),
        ("after_job_end", d("2024-03-14"), "due", "j3"),
        ("before_start", d("2024-03-14"), "due", "j2"),
    ]
    # One contact on 03-11 is the client's: it clears j2 (window 03-08..) and j3 (on its end day),
    # and gives j1 (started 03-10) its weekly follow-along, due 03-18.
    assert brief(run(jobs, [contact(d("2024-03-11"))], within=5)) == [
        ("weekly", d("2024-03-18"), "due", "j1")
    ]


def test_contacts_of_another_client_do_not_count():
    clients = [client("c1"), client("c2", name="Bo Diaz")]
    contacts = [contact(d("2024-03-11"), cid="c2")]
    assert brief(run([job(d("2024-03-10"))], contacts, clients=clients)) == [
        ("after_start", d("2024-03-13"), "due", "j1")
    ]


def test_phone_contact_does_not_count_unless_mode_included():
    jobs, contacts = [job(d("2024-03-10"))], [contact(d("2024-03-11"), mode="phone")]
    assert brief(run(jobs, contacts, within=7)) == [("after_start", d("2024-03-13"), "due", "j1")]
    assert brief(run(jobs, contacts, within=7, modes=("in_person", "phone"))) == [
        ("weekly", d("2024-03-18"), "due", "j1")
    ]
    # modes replaces the default: an in-person contact does not count when only phone does.
    assert brief(run(jobs, [contact(d("2024-03-11"))], within=7, modes=["phone"])) == [
        ("after_start", d("2024-03-13"), "due", "j1")
    ]


def test_attempted_contacts_do_not_count():
    jobs = [job(d("2024-03-10"))]
    contacts = [contact(d("2024-03-11"), attempted=True), contact(d("2024-03-12"), attempted=True)]
    assert brief(run(jobs, contacts)) == [("after_start", d("2024-03-13"), "due", "j1")]
    ended = [job(d("2024-01-02"), end=d("2024-03-10"))]
    assert brief(run(ended, [contact(d("2024-03-11"), attempted=True)])) == [
        ("after_job_end", d("2024-03-13"), "due", "j1")
    ]


def test_contacts_after_on_are_ignored():
    assert brief(run([job(d("2024-03-10"))], [contact(d("2024-03-14"))])) == [
        ("after_start", d("2024-03-13"), "due", "j1")
    ]
    assert brief(run([job(d("2024-03-15"))], [contact(d("2024-03-14"))])) == [
        ("before_start", d("2024-03-14"), "due", "j1")
    ]
    ended = [job(d("2024-01-02"), end=d("2024-03-10"))]
    assert brief(run(ended, [contact(d("2024-03-20"))])) == [
        ("after_job_end", d("2024-03-13"), "due", "j1")
    ]
    # A later contact does not move an earlier one's weekly due date either.
    contacts = [contact(d("2024-03-08")), contact(d("2024-03-14"))]
    assert brief(run([job(d("2024-03-01"))], contacts)) == [
        ("weekly", d("2024-03-15"), "due", "j1")
    ]


def test_education_client_still_gets_follow_along():
    clients = [client(stage="education", start=d("2024-01-01"))]
    assert brief(run([job(d("2024-03-10"))], clients=clients)) == [
        ("after_start", d("2024-03-13"), "due", "j1")
    ]


def test_pendulum_dates_accepted_and_plain_dates_returned():
    clients = [client(start=pendulum.Date(2024, 2, 12))]
    jobs = [job(pendulum.Date(2024, 1, 31))]
    contacts = [contact(pendulum.Date(2024, 2, 23))]
    out = compute_reminders(clients, jobs, contacts, {}, on=pendulum.Date(2024, 2, 23), within=40)
    assert brief(out) == [("monthly", d("2024-03-23"), "due", "j1")]
    assert type(out[0].due) is date
    out = run([], clients=clients, on=pendulum.Date(2024, 3, 13))
    assert brief(out) == [("first_employer_contact", d("2024-03-13"), "due", None)]
    assert type(out[0].due) is date


# --------------------------------------------------------------------------------------------
# Rapid job search: first employer contact


START = d("2024-02-12")  # + 30 days = 2024-03-13 = ON


def test_first_employer_contact_due_thirty_days_after_start():
    assert vocab.FIRST_EMPLOYER_CONTACT_DAYS == 30
    clients = [client(stage="job_search", start=START)]
    assert brief(run(clients=clients)) == [("first_employer_contact", ON, "due", None)]
    assert brief(run(clients=clients, on=d("2024-03-14"))) == [
        ("first_employer_contact", ON, "overdue", None)
    ]
    assert brief(run(clients=clients, on=d("2024-03-10"))) == [
        ("first_employer_contact", ON, "due", None)
    ]
    assert run(clients=clients, on=d("2024-03-09")) == []  # due in 4 days, within 3


@pytest.mark.parametrize("stage", ["referred", "engaged", "job_search", "employed"])
def test_first_employer_contact_for_open_stages(stage):
    assert [r.kind for r in run(clients=[client(stage=stage, start=START)])] == [
        "first_employer_contact"
    ]


@pytest.mark.parametrize("stage", ["education", "closed"])
def test_no_first_employer_contact_for_education_or_closed(stage):
    assert run(clients=[client(stage=stage, start=START)]) == []


def test_no_first_employer_contact_without_start_date():
    assert run(clients=[client(stage="job_search", start=None)]) == []


def test_first_employer_contact_cleared_by_employer_contact_on_or_before_on():
    clients = [client(stage="job_search", start=START)]
    assert run(clients=clients, fec={"c1": ON}) == []
    assert run(clients=clients, fec={"c1": d("2024-02-20")}) == []
    assert brief(run(clients=clients, fec={"c1": d("2024-03-14")})) == [
        ("first_employer_contact", ON, "due", None)
    ]
    # Another client's employer contact does not count.
    assert brief(run(clients=clients, fec={"c2": d("2024-02-20")})) == [
        ("first_employer_contact", ON, "due", None)
    ]


def test_first_employer_contact_cleared_by_job_started_on_or_before_on():
    clients = [client(stage="employed", start=START)]
    # A job starting on `on` clears it (and calls for its own after_start reminder).
    assert brief(run([job(ON)], clients=clients)) == [
        ("after_start", d("2024-03-16"), "due", "j1")
    ]
    # So does a job that started and ended before `on` (its contact cleared after_job_end).
    ended = [job(d("2024-02-20"), end=d("2024-03-01"))]
    assert run(ended, [contact(d("2024-03-02"))], clients=clients) == []


def test_job_starting_after_on_does_not_clear_first_employer_contact():
    clients = [client(stage="employed", start=START)]
    assert brief(run([job(d("2024-03-14"))], clients=clients)) == [
        ("before_start", ON, "due", "j1"),
        ("first_employer_contact", ON, "due", None),
    ]


def test_job_of_another_client_does_not_clear_first_employer_contact():
    clients = [client("c1", stage="job_search", start=START), client("c2", stage="closed")]
    assert brief(run([job(d("2024-03-01"), cid="c2")], clients=clients)) == [
        ("first_employer_contact", ON, "due", None)
    ]


# --------------------------------------------------------------------------------------------
# Sorting


def test_sorted_by_due_then_client_then_kind_then_job():
    clients = [
        client("c2", stage="job_search", start=START, name="Bo Diaz"),
        client("c1", stage="employed", start=START),
        client("c3", stage="employed"),
    ]
    jobs = [
        job(d("2024-03-14"), jid="j5", cid="c1"),  # before_start due 03-13
        job(d("2024-03-12"), jid="j2", cid="c3"),  # after_start due 03-15
        job(d("2024-03-12"), jid="j10", cid="c3"),  # after_start due 03-15
        job(d("2024-03-01"), jid="j1", cid="c3"),  # after_start due 03-04 (overdue)
    ]
    out = run(jobs, clients=clients)
    assert [(r.due, r.client_id, r.kind, r.job_id) for r in out] == [
        (d("2024-03-04"), "c3", "after_start", "j1"),
        (ON, "c1", "before_start", "j5"),
        (ON, "c1", "first_employer_contact", None),
        (ON, "c2", "first_employer_contact", None),
        (d("2024-03-15"), "c3", "after_start", "j10"),  # job_id compared as strings
        (d("2024-03-15"), "c3", "after_start", "j2"),
    ]
    # The order does not depend on the order of the inputs.
    assert run(list(reversed(jobs)), clients=list(reversed(clients))) == out


# --------------------------------------------------------------------------------------------
# Scale: linear time


def test_scales_to_large_caseloads():
    base = date(2024, 1, 1)
    clients = [client(f"c{i}", stage="employed", start=base) for i in range(5_000)]
    jobs = [
        job(base + timedelta(days=i % 90), end=None if i % 3 else base + timedelta(days=100),
            jid=f"j{i}", cid=f"c{i % 5_000}")
        for i in range(20_000)
    ]
    modes = vocab.MODES
    contacts = [
        contact(base + timedelta(days=i % 120), mode=modes[i % 5], attempted=i % 7 == 0,
                cid=f"c{i % 5_000}")
        for i in range(200_000)
    ]
    # Completes on a large caseload with a sound result; how long it takes is measured in
    # bench/ (a timed assert would fail on a slow machine and prove nothing on a fast one).
    out = compute_reminders(clients, jobs, contacts, {}, on=date(2024, 3, 13), within=7)
    assert out and all(r.kind in KINDS for r in out)
    assert {r.client_id for r in out} <= {c.client_id for c in clients}


# --------------------------------------------------------------------------------------------
# Properties

BASE = date(2024, 1, 1)
CLIENT_IDS = ("c1", "c2", "c3")
OPEN_STAGES = tuple(s for s in vocab.STAGES if s != "closed")

# Days from BASE for `on`. The spans are narrow so that contacts, starts, ends and `on` often
# fall on or next to one another: the boundaries are where the rules can go wrong.
on_offsets = st.integers(min_value=-45, max_value=45)


@st.composite
def caseloads(draw, span=45, max_length=60):
    """Random clients (none closed), jobs with optional end dates, contact histories and modes.

    Dates fall within ``span`` days of BASE and jobs last up to ``max_length`` days.
    """
    offsets = st.integers(min_value=-span, max_value=span)
    clients = [client(cid, stage=draw(st.sampled_from(OPEN_STAGES))) for cid in CLIENT_IDS]
    n_jobs = draw(st.integers(min_value=1, max_value=5))
    jobs = []
    for i in range(n_jobs):
        start = BASE + timedelta(days=draw(offsets))
        length = draw(st.none() | st.integers(min_value=0, max_value=max_length))
        end = None if length is None else start + timedelta(days=length)
        jobs.append(job(start, end, jid=f"j{i}", cid=draw(st.sampled_from(CLIENT_IDS))))
    contacts = draw(
        st.lists(
            st.builds(
                contact,
                st.builds(lambda n: BASE + timedelta(days=n), offsets),
                mode=st.sampled_from(vocab.MODES),
                attempted=st.booleans(),
                cid=st.sampled_from(CLIENT_IDS),
            ),
            max_size=25,
        )
    )
    modes = tuple(draw(st.sets(st.sampled_from(vocab.MODES), min_size=1)))
    return clients, jobs, contacts, modes


def latest_qualifying(contacts, client_id, lo, on, modes):
    """The latest qualifying contact of the client dated in [lo, on], or None (a direct scan)."""
    dates = [
        c.date
        for c in contacts
        if c.client_id == client_id and is_qualifying(c, modes) and lo <= c.date <= on
    ]
    return max(dates, default=None)


def follow_along(reminders):
    return [r for r in reminders if r.kind in FOLLOW_ALONG_KINDS]


@settings(max_examples=200, deadline=None)
@given(caseloads(span=12, max_length=15), st.integers(min_value=0, max_value=60), st.data())
def test_property_none_overdue_the_day_after_a_qualifying_contact(caseload, within, data):
    # Restriction: the property is about the client the contact belongs to -- another client's
    # jobs are untouched by it -- so only that client's reminders are checked.
    #
    # Within that client it holds for every follow-along kind, so no other restriction of the
    # data is needed. With c the contact's date and on = c + 1:
    # * after_job_end: the job is ended only if E < on, i.e. E <= c <= on, so the contact lies
    #   in [E, on] and clears the reminder: none is listed at all.
    # * before_start: it is only listed when on < S, and its due date S - 1 >= on, so it is
    #   never overdue (whether or not c falls in [S - 7, on]).
    # * after_start: if S <= c the contact lies in [S, on] so there is an L; otherwise S = on
    #   and the due date S + 3 is in the future.
    # * weekly / monthly: L >= min(c, on) >= c when c >= S, and L >= S = on otherwise, so the
    #   due dates L + 7 days and L + 1 month are after on.
    clients, jobs, contacts, modes = caseload
    qualifying = [c for c in contacts if is_qualifying(c, modes)]
    if not qualifying:
        qualifying = [contact(BASE, mode=modes[0], cid=data.draw(st.sampled_from(CLIENT_IDS)))]
        contacts = contacts + qualifying
    chosen = data.draw(st.sampled_from(qualifying))
    c = chosen.date
    # Add jobs of the chosen client that start and end near c, so that the boundaries (an end on
    # c, a start on c + 1 or c + 8, ...) come up often rather than by luck.
    near = data.draw(
        st.lists(
            st.tuples(
                st.integers(min_value=-40, max_value=9),
                st.none() | st.integers(min_value=-10, max_value=3),
            ),
            max_size=4,
        )
    )
    for k, (start_offset, end_offset) in enumerate(near):
        start = c + timedelta(days=start_offset)
        end = None if end_offset is None else max(start, c + timedelta(days=end_offset))
        jobs = jobs + [job(start, end, jid=f"near{k}", cid=chosen.client_id)]
    on = c + timedelta(days=1)
    visible = [c for c in contacts if c.date <= on]
    out = compute_reminders(clients, jobs, visible, {}, on=on, within=within, modes=modes)
    for r in follow_along(out):
        if r.client_id == chosen.client_id:
            assert r.status != "overdue", r
            assert r.kind != "after_job_end", r


@settings(max_examples=200, deadline=None)
@given(caseloads(), on_offsets, st.integers(min_value=0, max_value=60))
def test_property_never_due_before_latest_contact_since_start(caseload, on_offset, within):
    clients, jobs, contacts, modes = caseload
    on = BASE + timedelta(days=on_offset)
    out = compute_reminders(clients, jobs, contacts, {}, on=on, within=within, modes=modes)
    by_job = {j.job_id: j for j in jobs}
    for r in follow_along(out):
        j = by_job[r.job_id]
        assert r.client_id == j.client_id
        last = latest_qualifying(contacts, j.client_id, j.start_date, on, modes)
        if last is not None:
            # Stated property: not due before L. (It is in fact strictly after L.)
            assert r.due >= last, (r, last)
            assert r.due > last, (r, last)


@settings(max_examples=200, deadline=None)
@given(caseloads(), on_offsets, st.integers(min_value=0, max_value=60))
def test_property_contact_on_due_date_removes_the_reminder(caseload, on_offset, within):
    clients, jobs, contacts, modes = caseload
    on = BASE + timedelta(days=on_offset)
    out = compute_reminders(clients, jobs, contacts, {}, on=on, within=within, modes=modes)
    for r in follow_along(out):
        met = contacts + [contact(r.due, mode=modes[0], cid=r.client_id)]
        again = compute_reminders(clients, jobs, met, {}, on=r.due, within=within, modes=modes)
        assert (r.kind, r.job_id, r.due) not in {(x.kind, x.job_id, x.due) for x in again}, r


@settings(max_examples=200, deadline=None)
@given(caseloads(), on_offsets, st.integers(min_value=0, max_value=60))
def test_property_agrees_with_a_direct_reading_of_the_rules(caseload, on_offset, within):
    """An independent, slow transcription of the follow-along rules, job by job."""
    clients, jobs, contacts, modes = caseload
    on = BASE + timedelta(days=on_offset)
    out = compute_reminders(clients, jobs, contacts, {}, on=on, within=within, modes=modes)
    expected = []
    for j in jobs:
        s, e = j.start_date, j.end_date
        if e is not None and e < on:
            if latest_qualifying(contacts, j.client_id, e, on, modes) is None:
                expected.append(("after_job_end", e + timedelta(days=3), j.job_id))
        elif on < s <= on + timedelta(days=7):
            if latest_qualifying(contacts, j.client_id, s - timedelta(days=7), on, modes) is None:
                expected.append(("before_start", s - timedelta(days=1), j.job_id))
        elif s <= on:
            last = latest_qualifying(contacts, j.client_id, s, on, modes)
            month_one = pendulum.Date(s.year, s.month, s.day).add(months=1)
            if last is None:
                expected.append(("after_start", s + timedelta(days=3), j.job_id))
            elif last + timedelta(days=7) <= month_one:
                expected.append(("weekly", last + timedelta(days=7), j.job_id))
            else:
                p = pendulum.Date(last.year, last.month, last.day).add(months=1)
                expected.append(("monthly", date(p.year, p.month, p.day), j.job_id))
    expected = [
        (kind, due, job_id) for kind, due, job_id in expected
        if due <= on + timedelta(days=within)
    ]
    got = [(r.kind, r.due, r.job_id) for r in follow_along(out)]
    assert sorted(got, key=lambda t: (t[1], t[2])) == sorted(expected, key=lambda t: (t[1], t[2]))
    for r in out:
        assert r.status == ("overdue" if r.due < on else "due")


# --------------------------------------------------------------------------------------------
# The per-job rule, as the fidelity scale's follow-along item replays it


@settings(max_examples=200, deadline=None)
@given(caseloads(), on_offsets)
def test_property_follow_along_is_the_rule_compute_reminders_lists(caseload, on_offset):
    """reminders.follow_along gives, job by job, what compute_reminders lists: a follow-along
    kind, due at most FOLLOW_ALONG_LEAD_DAYS after the day asked about."""
    clients, jobs, contacts, modes = caseload
    on = BASE + timedelta(days=on_offset)
    out = compute_reminders(clients, jobs, contacts, {}, on=on, within=10_000, modes=modes)
    listed = {(r.job_id, r.kind, r.due) for r in out if r.job_id is not None}
    expected = set()
    for j in jobs:
        latest = latest_qualifying(contacts, j.client_id, date.min, on, modes)
        found = reminders_module.follow_along(j, latest, on)
        if found is None:
            continue
        kind, due = found
        assert kind in FOLLOW_ALONG_KINDS
        assert due <= on + timedelta(days=reminders_module.FOLLOW_ALONG_LEAD_DAYS)
        expected.add((j.job_id, kind, due))
    assert listed == expected


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=40), st.none() | st.integers(min_value=0, max_value=60),
       st.lists(st.integers(min_value=-80, max_value=0), max_size=4))
def test_property_last_start_due_by_is_the_last_start_with_a_reminder_due(later, length, seen):
    day = BASE
    last = reminders_module.last_start_due_by(day)
    # Tight: a job starting on it, with no contact, has a reminder due on the day.
    assert reminders_module.follow_along(job(last), None, day) == ("before_start", day)
    # And no job starting after it has a reminder due by the day, whatever the contacts.
    start = last + timedelta(days=later + 1)
    j = job(start, None if length is None else start + timedelta(days=length))
    for back in range(0, 60):
        on = day - timedelta(days=back)
        latest = max((day + timedelta(days=s) for s in seen if day + timedelta(days=s) <= on),
                     default=None)
        found = reminders_module.follow_along(j, latest, on)
        assert found is None or found[1] > day, (on, found)
