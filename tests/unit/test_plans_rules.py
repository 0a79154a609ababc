"""Plans and reminders (domain.reminders): a reminder shows the appointment planned for it, and
its status never changes because of one. Boundaries: planned on the due date, the day after, a
cancelled plan, an overdue reminder with a plan ahead."""

from __future__ import annotations

from datetime import date

import facts_helpers as facts

from ips_tui.domain.facts import Appointment
from ips_tui.domain.reminders import compute_reminders, planned_for

ON = date(2026, 12, 1)  # a Tuesday


def _weekly(plans, on=ON):
    """One employed client whose weekly follow-along is due 2026-12-03 (last contact 11-26)."""
    clients = [facts.client("C1", start=date(2026, 10, 1), stage="employed", spec="Sam",
                            name="Ann Lee")]
    jobs = [facts.job("J1", "C1", date(2026, 11, 20))]
    contacts = [facts.contact("C1", date(2026, 11, 26))]
    return compute_reminders(clients, jobs, contacts, {}, on=on, within=7, plans=plans)


def plan(day, status="planned", time=None, cid="C1"):
    return Appointment(client_id=cid, date=day, status=status, time=time)


def test_without_a_plan_nothing_is_planned():
    [r] = _weekly([])
    assert (r.kind, r.due, r.status, r.planned) == ("weekly", date(2026, 12, 3), "due", None)
    assert r.to_dict()["planned"] is None


def test_a_plan_on_the_due_date_shows_with_its_time():
    [r] = _weekly([plan(date(2026, 12, 3), time="10:00")])
    assert (r.planned, r.planned_time, r.status) == (date(2026, 12, 3), "10:00", "due")
    assert r.planned_label == "planned Thu 10:00"
    assert r.to_dict()["planned"] == "2026-12-03"


def test_a_plan_the_day_after_the_due_date_does_not_show():
    [r] = _weekly([plan(date(2026, 12, 4))])
    assert r.planned is None


def test_a_cancelled_or_done_plan_does_not_show():
    [r] = _weekly([plan(date(2026, 12, 2), status="cancelled"), plan(date(2026, 12, 3), "done")])
    assert r.planned is None


def test_the_earliest_plan_shows_and_another_clients_plan_never():
    [r] = _weekly([plan(date(2026, 12, 3)), plan(date(2026, 12, 2), time="14:00"),
                   plan(date(2026, 12, 1), cid="C2")])
    assert (r.planned, r.planned_time) == (date(2026, 12, 2), "14:00")


def test_an_overdue_reminder_stays_overdue_and_shows_the_plan_ahead():
    [r] = _weekly([plan(date(2026, 12, 8))], on=date(2026, 12, 7))
    assert (r.status, r.planned) == ("overdue", date(2026, 12, 8))


def test_a_past_plan_still_waiting_for_its_outcome_plans_nothing():
    assert planned_for(date(2026, 12, 3), ON, [plan(date(2026, 11, 30))]) is None
