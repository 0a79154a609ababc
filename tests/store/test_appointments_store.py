"""Planned appointments and the team-contact log in the store (SQLite and PostgreSQL): validated,
audited, the outcome written with its contact or not at all, and what the day shows."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import KIM, SAM

from ips_tui import services
from ips_tui.store import appointments as plans
from ips_tui.store import queries
from ips_tui.validation import ValidationError

ON = dt.date(2026, 12, 1)


def _plan(**values):
    base = {"client_id": "C0001", "date": "2026-12-02", "specialist": SAM}
    return plans.add_appointment({**base, **values}, by=SAM)


def test_a_plan_is_validated_and_audited(seeded):
    aid = _plan(time="9:05", location="Cafe on High St", notes="bring the CV")
    [row] = plans.appointments()
    assert (row.id, row.time, row.mode, row.status, row.client) == (
        aid, "09:05", "in_person", "planned", "Ana Zeller")
    assert queries.audit_entries("C0001")[0]["entity"] == "appointment"
    with pytest.raises(ValidationError) as caught:
        _plan(time="25:00", mode="carrier_pigeon")
    assert {e.field for e in caught.value.errors} == {"time", "mode"}
    with pytest.raises(ValidationError, match="no client"):
        _plan(client_id="C9999")


def test_done_logs_a_reached_contact_with_the_mode_place_and_note(seeded):
    _plan(mode="in_person", location="office", notes="went over the rota")
    [row] = plans.appointments()
    contact_id = plans.record_outcome(row.id, "done", row.version, by=SAM)
    detail = queries.client_contact(contact_id)
    c = detail.contact
    assert (c.date, c.mode, c.location, c.attempted, c.notes) == (
        dt.date(2026, 12, 2), "in_person", "office", False, "went over the rota")
    assert plans.appointments()[0].status == "done"


def test_not_reached_logs_an_attempt_and_cancelled_logs_nothing(seeded):
    _plan(location="Library")
    _plan(date="2026-12-03")
    first, second = plans.appointments()
    attempt = queries.client_contact(plans.record_outcome(first.id, "missed", first.version))
    assert attempt.contact.attempted and attempt.contact.notes == "At Library."
    before = len(queries.client_record("C0001").contacts)
    assert plans.record_outcome(second.id, "cancelled", second.version) is None
    assert len(queries.client_record("C0001").contacts) == before
    assert [r.status for r in plans.appointments()] == ["missed", "cancelled"]


def test_an_outcome_based_on_a_stale_copy_changes_nothing(seeded):
    _plan()
    [row] = plans.appointments()
    plans.update_appointment(row.id, {"time": "11:00"}, row.version)
    before = len(queries.client_record("C0001").contacts)
    with pytest.raises(services.ConflictError):
        plans.record_outcome(row.id, "done", row.version)
    assert len(queries.client_record("C0001").contacts) == before
    assert plans.appointments()[0].status == "planned"


def test_reminders_carry_the_plan_and_keep_their_status(seeded):
    before = {(r.client_id, r.kind): r for r in services.reminders(ON, within=7)}
    _plan(date="2026-12-02", time="10:00")
    after = {(r.client_id, r.kind): r for r in services.reminders(ON, within=7)}
    assert {k: r.status for k, r in after.items()} == {k: r.status for k, r in before.items()}
    assert {k: r.planned for k, r in after.items() if k[0] == "C0001"} == {
        k: dt.date(2026, 12, 2) for k in after if k[0] == "C0001"}


def test_the_day(seeded):
    services.update_client("C0003", {"discuss": True, "discuss_note": "benefits"}, None)
    _plan(date="2026-12-01", time="15:00")
    _plan(date="2026-11-30")  # waiting for its outcome
    _plan(date="2026-12-03")  # the day after tomorrow: not today's
    plans.add_appointment({"client_id": "C0003", "date": "2026-12-02", "specialist": KIM})
    day = services.day(ON, specialist=SAM).to_dict()
    assert list(day) == ["date", "appointments", "reminders", "awaiting_outcome", "flagged"]
    assert [(a["client_id"], a["date"]) for a in day["appointments"]] == [("C0001", "2026-12-01")]
    assert [a["date"] for a in day["awaiting_outcome"]] == ["2026-11-30"]
    assert day["flagged"] == []  # Kim's client
    everyone = services.day(ON).to_dict()
    assert [(f["client_id"], f["client"], f["note"]) for f in everyone["flagged"]] == [
        ("C0003", "Cara Moss", "benefits")]
    assert len(everyone["appointments"]) == 2
    for key in ("appointments", "reminders", "awaiting_outcome", "flagged"):
        assert all({"client_id", "client"} <= set(item) for item in everyone[key])


def test_the_team_contact_log_and_the_mental_health_fields(seeded):
    services.update_client("C0001", {"mh_practitioner": "Jo Reed", "mh_team": "North CMHT"}, None)
    plans.add_team_contact({"client_id": "C0001", "date": "2026-11-10", "specialist": SAM,
                            "who": "Jo Reed"}, by=SAM)
    plans.add_team_contact({"client_id": "C0001", "date": "2026-11-24", "specialist": SAM,
                            "who": "team meeting", "notes": "agreed benefits check"}, by=SAM)
    record = queries.client_record("C0001")
    assert (record.values["mh_practitioner"], record.values["mh_team"]) == ("Jo Reed", "North CMHT")
    assert (record.last_team_contact.date, record.last_team_contact.who) == (
        dt.date(2026, 11, 24), "team meeting")
    assert plans.last_team_contacts() == {"C0001": dt.date(2026, 11, 24)}
    with pytest.raises(ValidationError):
        plans.add_team_contact({"client_id": "C0001", "specialist": SAM})


def test_the_latest_team_contact_of_a_day_is_the_last_entered(seeded):
    assert queries.client_record("C0001").last_team_contact is None
    for who in ("Jo Reed", "team meeting", "Al Diaz"):
        plans.add_team_contact({"client_id": "C0001", "date": "2026-11-10", "specialist": KIM,
                                "who": who, "notes": f"with {who}"}, by=SAM)
    plans.add_team_contact({"client_id": "C0002", "date": "2026-11-12", "specialist": SAM,
                            "who": "someone else's"}, by=SAM)
    latest = queries.client_record("C0001").last_team_contact
    assert latest == plans.team_contacts("C0001")[0]
    assert (latest.date, latest.who, latest.specialist, latest.notes) == (
        dt.date(2026, 11, 10), "Al Diaz", KIM, "with Al Diaz")


def test_merging_two_records_keeps_the_appointments_and_team_contacts(seeded):
    from ips_tui.store import duplicates

    plans.add_appointment({"client_id": "C0004", "date": "2026-12-02", "specialist": KIM})
    plans.add_team_contact({"client_id": "C0004", "date": "2026-11-02", "specialist": KIM})
    duplicates.merge_clients("C0002", "C0004", across_specialists=True)
    assert [r.client_id for r in plans.appointments()] == ["C0002"]
    assert [t.client_id for t in plans.team_contacts()] == ["C0002"]
