"""Correcting what was written: reading one contact or job whole, updating and deleting client
contacts, employer contacts and jobs (validated, audited, version-checked)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import KIM, SAM

from ips_tui import services
from ips_tui.store import models as m
from ips_tui.store import queries, writes
from ips_tui.store.writes import ConflictError, NotFoundError
from ips_tui.validation import ValidationError

D = dt.date


def audit_of(entity: str, key: object) -> list[tuple[str, str | None, list[str]]]:
    import json

    return [(e.action, e.specialist, json.loads(e.fields) if e.fields else [])
            for e in m.AuditEntry.select().where(m.AuditEntry.entity == entity,
                                                 m.AuditEntry.entity_id == str(key))
            .order_by(m.AuditEntry.id)]


# ---------------------------------------------------------------- client contacts

def test_a_client_contact_read_whole_says_who_wrote_it(seeded):
    cid = seeded.contact_ids["ana_in_person"]
    detail = queries.client_contact(cid)
    c = detail.contact
    assert (c.client_id, c.date, c.mode, c.location, c.attempted, c.specialist, c.notes) == (
        "C0001", D(2026, 11, 5), "in_person", "community", False, SAM, "First week went well.")
    assert detail.client_name == "Ana Zeller"
    assert detail.version == 1
    w = detail.written
    assert (w.created_by, w.updated_by, w.imported, w.changes) == (SAM, None, False, 0)
    assert w.created_at == m.ClientContact.get_by_id(cid).created_at


def test_updating_a_client_contact_is_validated_audited_and_versioned(seeded):
    cid = seeded.contact_ids["ana_phone"]
    version = writes.update_client_contact(
        cid, {"notes": "Talked about shifts.\nSecond line.", "attempted": "yes",
              "date": "2026-11-13"}, 1, by=KIM)
    assert version == 2
    row = m.ClientContact.get_by_id(cid)
    assert (row.notes, row.attempted, row.date, row.version) == (
        "Talked about shifts.\nSecond line.", True, D(2026, 11, 13), 2)
    assert audit_of("client_contact", cid)[-1] == ("update", KIM, ["attempted", "date", "notes"])
    assert m.AuditEntry.select().where(m.AuditEntry.entity == "client_contact",
                                       m.AuditEntry.action == "update").first().client_id == "C0001"
    w = queries.client_contact(cid).written
    assert (w.created_by, w.updated_by, w.changes) == (SAM, KIM, 1)


def test_a_client_contact_can_be_credited_to_another_specialist(seeded):
    cid = seeded.contact_ids["ana_phone"]
    writes.update_client_contact(cid, {"specialist": KIM}, 1, by=SAM)
    assert m.ClientContact.get_by_id(cid).specialist.name == KIM
    with pytest.raises(ValidationError) as info:
        writes.update_client_contact(cid, {"specialist": "Nobody"}, 2)
    assert "no specialist is called 'Nobody'" in str(info.value)


def test_a_bad_client_contact_correction_changes_nothing(seeded):
    cid = seeded.contact_ids["ana_phone"]
    audits = m.AuditEntry.select().count()
    with pytest.raises(ValidationError) as info:
        writes.update_client_contact(cid, {"mode": "telepathy", "date": ""}, 1)
    assert sorted(e.field for e in info.value.errors) == ["date", "mode"]
    with pytest.raises(ValidationError) as info:
        writes.update_client_contact(cid, {"client_id": "C0002"}, 1)
    assert "cannot be changed" in str(info.value)
    row = m.ClientContact.get_by_id(cid)
    assert (row.mode, row.date, row.client_id, row.version) == ("phone", D(2026, 11, 12), "C0001", 1)
    assert m.AuditEntry.select().count() == audits


def test_a_stale_client_contact_correction_is_a_conflict_and_changes_nothing(seeded):
    cid = seeded.contact_ids["ana_in_person"]
    writes.update_client_contact(cid, {"notes": "theirs"}, 1, by=KIM)  # someone else first
    with pytest.raises(ConflictError) as info:
        writes.update_client_contact(cid, {"notes": "mine"}, 1, by=SAM)
    assert "nothing was saved" in str(info.value)
    row = m.ClientContact.get_by_id(cid)
    assert (row.notes, row.version) == ("theirs", 2)
    assert [a for a, _, _ in audit_of("client_contact", cid)] == ["create", "update"]


def test_an_unchanged_correction_keeps_the_version(seeded):
    cid = seeded.contact_ids["ana_in_person"]
    assert writes.update_client_contact(cid, {"mode": "in_person"}, 1) == 1
    assert [a for a, _, _ in audit_of("client_contact", cid)] == ["create"]


def test_deleting_a_client_contact_checks_its_version(seeded):
    cid = seeded.contact_ids["ana_phone"]
    writes.update_client_contact(cid, {"notes": "corrected"}, 1, by=KIM)
    with pytest.raises(ConflictError) as info:
        writes.delete_client_contact(cid, by=SAM, expected_version=1)
    assert "nothing was deleted" in str(info.value)
    assert m.ClientContact.get_or_none(m.ClientContact.id == cid) is not None
    writes.delete_client_contact(cid, by=SAM, expected_version=2)
    assert m.ClientContact.get_or_none(m.ClientContact.id == cid) is None
    assert audit_of("client_contact", cid)[-1][:2] == ("delete", SAM)
    with pytest.raises(NotFoundError):
        queries.client_contact(cid)
    with pytest.raises(NotFoundError):
        writes.update_client_contact(cid, {"notes": "x"}, 2)
    with pytest.raises(NotFoundError):
        writes.delete_client_contact(cid, expected_version=2)


# ---------------------------------------------------------------- employer contacts

def test_an_employer_contact_read_whole_names_its_clients(seeded):
    ec = seeded.employer_contact_ids["for_ben"]
    writes.update_employer_contact(ec, {"client_ids": ["C0005", "C0002"]}, 1, by=SAM)
    detail = queries.employer_contact(ec)
    assert detail.contact.employer == "Harbor Hotel"
    assert detail.contact.client_ids == ("C0002", "C0005")
    assert detail.clients == (("C0002", "Ben Adams"), ("C0005", "Eve Brook"))
    assert detail.version == 2
    assert (detail.written.created_by, detail.written.updated_by) == (SAM, SAM)


def test_updating_an_employer_contact_replaces_its_clients_and_audits_them(seeded):
    ec = seeded.employer_contact_ids["for_ben"]
    version = writes.update_employer_contact(
        ec, {"client_ids": "C0003;C0002", "hiring_manager": False, "notes": "Met Rita."}, 1, by=KIM)
    assert version == 2
    assert writes.employer_contact_clients(ec) == ["C0002", "C0003"]
    row = m.EmployerContact.get_by_id(ec)
    assert (row.hiring_manager, row.notes, row.version) == (False, "Met Rita.", 2)
    assert audit_of("employer_contact", ec)[-1] == (
        "update", KIM, ["client_ids", "hiring_manager", "notes"])
    # Only the clients changed: the version still goes up, and the audit says so.
    assert writes.update_employer_contact(ec, {"client_ids": []}, 2) == 3
    assert writes.employer_contact_clients(ec) == []
    assert audit_of("employer_contact", ec)[-1][2] == ["client_ids"]
    # The same clients in another order are no change.
    assert writes.update_employer_contact(ec, {"client_ids": ""}, 3) == 3


def test_a_bad_employer_contact_correction_changes_nothing(seeded):
    ec = seeded.employer_contact_ids["for_ben"]
    with pytest.raises(ValidationError) as info:
        writes.update_employer_contact(ec, {"client_ids": ["C0002", "C9999"], "notes": "x"}, 1)
    assert "no client has id 'C9999'" in str(info.value)
    with pytest.raises(ValidationError):
        writes.update_employer_contact(ec, {"employer_id": "E9999"}, 1)
    assert writes.employer_contact_clients(ec) == ["C0002"]
    assert m.EmployerContact.get_by_id(ec).notes is None


def test_a_stale_employer_contact_correction_is_a_conflict(seeded):
    ec = seeded.employer_contact_ids["kim_visit"]
    writes.update_employer_contact(ec, {"client_ids": ["C0003"]}, 1, by=KIM)
    with pytest.raises(ConflictError):
        writes.update_employer_contact(ec, {"client_ids": ["C0005"], "notes": "mine"}, 1, by=SAM)
    assert writes.employer_contact_clients(ec) == ["C0003"]
    assert m.EmployerContact.get_by_id(ec).notes is None
    with pytest.raises(ConflictError):
        writes.delete_employer_contact(ec, expected_version=1)
    writes.delete_employer_contact(ec, by=KIM, expected_version=2)
    assert m.EmployerContactClient.select().where(
        m.EmployerContactClient.employer_contact == ec).count() == 0


# ---------------------------------------------------------------- jobs

def warning_for(job_id: str, today: dt.date) -> str | None:
    d = queries.job(job_id)
    return services.job_deletion_warning(d.job, d.client_name, d.client_stage, d.other_jobs, today)


def test_a_job_read_whole_with_its_client_and_other_jobs(seeded):
    second = writes.create_job({"client_id": "C0001", "title": "Porter", "start_date": "2026-06-01",
                                "end_date": "2026-09-30"}, by=KIM)
    detail = queries.job("J0001")
    assert (detail.job.title, detail.job.employer, detail.job.hours_per_week) == (
        "Housekeeper", "Harbor Hotel", 20.0)
    assert (detail.client_name, detail.client_stage) == ("Ana Zeller", "employed")
    assert [j.job_id for j in detail.other_jobs] == [second]
    assert detail.written.created_by == SAM
    with pytest.raises(NotFoundError):
        queries.job("J9999")


def test_deleting_a_job_checks_its_version(seeded):
    writes.update_job("J0001", {"hours_per_week": 25}, 1, by=KIM)
    with pytest.raises(ConflictError):
        writes.delete_job("J0001", by=SAM, expected_version=1)
    assert m.Job.get_or_none(m.Job.job_id == "J0001") is not None
    writes.delete_job("J0001", by=SAM, expected_version=2)
    assert m.Job.get_or_none(m.Job.job_id == "J0001") is None


def test_deleting_the_only_current_job_of_an_employed_client_warns(seeded):
    today = D(2026, 11, 23)
    warning = warning_for("J0001", today)
    assert warning is not None and "Ana Zeller is Employed and this is their only current job" in warning
    writes.create_job({"client_id": "C0001", "title": "Porter", "start_date": "2026-11-10"})
    warning = warning_for("J0001", today)
    assert warning is not None and "follow-along reminders go with it" in warning
    writes.update_job("J0001", {"end_date": "2026-11-20"}, 1)
    assert warning_for("J0001", today) is None
