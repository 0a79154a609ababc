"""Duplicate clients in the store: same-name look-ups, likely duplicates after an import, and
merging two records (everything moved, audited, one transaction, refusals)."""

from __future__ import annotations

import json

import pytest
from conftest import KIM, SAM

from ips_tui import services
from ips_tui.store import models as m
from ips_tui.store import queries, writes
from ips_tui.store.db import StoreError
from ips_tui.store.duplicates import DifferentSpecialists, merge_clients, merge_plan
from ips_tui.store.writes import NotFoundError


def add_twin(seeded, first="ána", last="ZELLER,", specialist=SAM, **more) -> str:
    """A second record for Ana Zeller (C0001, Sam's): C0006 with a contact, a job, two
    employer contacts (one on behalf of both)."""
    cid = writes.create_client({"first_name": first, "last_name": last, "specialist": specialist,
                                "stage": "job_search", "referral_date": "2026-09-01",
                                "phone": "555-0199", "job_goal": "Barista",
                                "notes": "Prefers mornings.", **more}, by=SAM)
    writes.add_client_contact({"client_id": cid, "date": "2026-11-03", "specialist": SAM,
                               "mode": "phone", "notes": "Called about the hotel"}, by=SAM)
    writes.create_job({"client_id": cid, "employer_id": "E0002", "title": "Shelver",
                       "start_date": "2026-10-01", "end_date": "2026-10-20",
                       "end_reason": "Temporary"}, by=SAM)
    writes.add_employer_contact({"employer_id": "E0002", "date": "2026-11-04", "specialist": SAM,
                                 "mode": "in_person", "client_ids": [cid]}, by=SAM)
    writes.add_employer_contact({"employer_id": "E0001", "date": "2026-11-06", "specialist": SAM,
                                 "mode": "in_person", "client_ids": ["C0001", cid]}, by=SAM)
    return cid


def test_same_name_clients_open_or_closed_by_the_rule(seeded):
    assert [r.client_id for r in services.same_name_clients("ANA", "zéller")] == ["C0001"]
    assert [r.client_id for r in services.same_name_clients("Adams", "Dev")] == ["C0004"]  # closed
    assert services.same_name_clients("Anne", "Zeller") == []
    assert services.same_name_clients("", "") == []
    assert services.same_name_clients("Ana", "Zeller", exclude="C0001") == []


def test_likely_duplicates_among_given_ids_and_with_the_others(seeded):
    twin = add_twin(seeded)
    other = writes.create_client({"first_name": "Zeller", "last_name": "Ana", "specialist": KIM,
                                  "stage": "referred"}, by=KIM)
    found, total = services.likely_duplicates([twin, other])
    pairs = [(a.client_id, b.client_id) for a, b in found]
    assert total == len(found)
    shown, all_of_them = services.likely_duplicates([twin, other], first=1)
    assert [(a.client_id, b.client_id) for a, b in shown] == pairs[:1] and all_of_them == total
    assert pairs == [("C0001", twin), ("C0001", other), (twin, other)]
    assert services.likely_duplicates(["C0002"]) == ([], 0)
    assert services.likely_duplicates([]) == ([], 0)


def test_merge_moves_contacts_jobs_and_employer_contact_links(seeded):
    twin = add_twin(seeded)
    before = queries.client_record("C0001")
    plan = merge_plan("C0001", twin)
    assert (plan.contacts, plan.jobs, plan.employer_contacts, plan.notes) == (1, ("J0002",), 2, True)
    assert plan.left_behind == ("job_goal",)  # phone: Ana has one; notes are carried
    assert plan.same_specialist

    done = merge_clients("C0001", twin, by=SAM)

    assert done == plan
    assert m.Client.get_or_none(m.Client.client_id == twin) is None
    after = queries.client_record("C0001")
    assert len(after.contacts) == len(before.contacts) + 1
    assert "Called about the hotel" in [c.notes for c in after.contacts]
    assert [j.job_id for j in after.jobs] == ["J0001", "J0002"]
    # the contact on behalf of both names Ana once; the other one now names her
    assert sorted((e.date.isoformat(), e.client_ids) for e in after.employer_contacts) == [
        ("2026-11-04", ("C0001",)), ("2026-11-06", ("C0001",))]
    assert m.EmployerContactClient.select().where(m.EmployerContactClient.client == twin).count() == 0
    # keep's values stay; the other's notes are added, not lost
    assert after.values["phone"] == "555-0100"
    assert after.values["job_goal"] is None
    assert after.values["notes"] == f"From {twin} (ána ZELLER,), merged into this record:\nPrefers mornings."
    assert after.version == before.version + 1


def test_merge_appends_notes_to_keeps_own(seeded):
    writes.update_client("C0001", {"notes": "Likes gardening."}, None, by=SAM)
    twin = add_twin(seeded)
    merge_clients("C0001", twin, by=SAM)
    assert queries.client_record("C0001").values["notes"] == (
        f"Likes gardening.\n\nFrom {twin} (ána ZELLER,), merged into this record:\nPrefers mornings.")


def test_merge_is_audited_with_what_moved(seeded):
    twin = add_twin(seeded)
    merge_clients("C0001", twin, by=SAM)
    delete_entry, merge_entry = m.AuditEntry.select().order_by(m.AuditEntry.id.desc()).limit(2)
    assert (merge_entry.action, merge_entry.entity_id, merge_entry.client_id, merge_entry.specialist) == (
        "merge", twin, "C0001", SAM)
    assert json.loads(merge_entry.fields) == [
        "1 client_contacts", "1 jobs (J0002)", "2 employer_contacts", "notes"]
    assert (delete_entry.action, delete_entry.entity_id, delete_entry.client_id) == ("delete", twin, twin)
    assert json.loads(delete_entry.fields) == ["merged into C0001"]
    history = services.audit_entries(client_id="C0001")
    assert history[0]["action"] == "merge"


def test_different_specialists_are_refused_unless_asked(seeded):
    twin = add_twin(seeded, specialist=KIM)
    audits = m.AuditEntry.select().count()
    with pytest.raises(DifferentSpecialists, match=f"C0001 is {SAM}'s client and {twin} is {KIM}'s"):
        merge_clients("C0001", twin, by=SAM)
    assert m.Client.get_or_none(m.Client.client_id == twin) is not None
    assert m.Job.get(m.Job.job_id == "J0002").client_id == twin
    assert m.AuditEntry.select().count() == audits
    plan = merge_clients("C0001", twin, by=SAM, across_specialists=True)
    assert not plan.same_specialist
    assert m.Job.get(m.Job.job_id == "J0002").client_id == "C0001"


def test_merging_a_client_into_itself_is_refused(seeded):
    with pytest.raises(StoreError, match="same client"):
        merge_clients("C0001", "C0001", by=SAM)
    assert queries.client_record("C0001").jobs


@pytest.mark.parametrize(("keep", "other"), [("C0001", "C0999"), ("C0999", "C0001")])
def test_an_unknown_id_is_a_clear_error(seeded, keep, other):
    with pytest.raises(NotFoundError, match="no client has id 'C0999'"):
        merge_clients(keep, other, by=SAM)
    assert m.Client.get_or_none(m.Client.client_id == "C0001") is not None


def test_notes_too_long_together_are_refused_and_nothing_moves(seeded):
    writes.update_client("C0001", {"notes": "x" * 9_990}, None, by=SAM)
    twin = add_twin(seeded)
    with pytest.raises(StoreError, match="notes of C0001 and"):
        merge_clients("C0001", twin, by=SAM)
    assert m.Job.get(m.Job.job_id == "J0002").client_id == twin
