"""The demo caseload: its size and shape, its reminders on its own today, and determinism."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest
from conftest import SAM, TODAY

from ips_tui import services, vocab
from ips_tui.demo import FIRST_SHIFT_NOTE, SPECIALISTS, WORK_NOTES, DemoRefused, create_demo
from ips_tui.domain.reminders import FOLLOW_ALONG_KINDS
from ips_tui.store import models as m
from ips_tui.store import queries, writes
from ips_tui.store.check import planned_fixes, run_checks
from ips_tui.store.db import close_store, inspect, open_store
from ips_tui.store.migrations import SCHEMA_VERSION


def _snapshot(path: Path, today, seed: int) -> dict:
    """Everything a demo shows, without timestamps that depend on the clock."""
    create_demo(path, today=today, seed=seed)
    try:
        records = {}
        for row in queries.caseload(include_closed=True):
            rec = queries.client_record(row.client_id)
            records[row.client_id] = (
                rec.values,
                [dataclasses.astuple(j) for j in rec.jobs],
                [dataclasses.replace(c, id=0) for c in rec.contacts],
                [(e.employer_id, e.date, e.specialist, e.mode, e.client_ids)
                 for e in rec.employer_contacts],
            )
        return {
            "counts": queries.counts(),
            "caseload": queries.caseload(include_closed=True),
            "employers": queries.employers(),
            "records": records,
            "reminders": services.reminders(today, within=30),
        }
    finally:
        close_store()


@pytest.fixture
def demo(tmp_path, today):
    path = tmp_path / "demo.db"
    create_demo(path, today=today, seed=7)
    yield path
    close_store()


def test_demo_shape(demo):
    counts = queries.counts()
    assert counts["specialists"] == 3
    assert queries.specialists() == sorted(SPECIALISTS)
    assert counts["clients"] == 55
    assert counts["employers"] == 25
    assert counts["jobs"] > 0 and counts["client_contacts"] > 0 and counts["employer_contacts"] > 0
    everyone = queries.caseload(include_closed=True)
    assert len(everyone) == 55
    stages = Counter(r.stage for r in everyone)
    assert set(stages) == set(vocab.STAGES)
    # The demo's plan: 5 referred, 8 engaged, 14 job search, 18 employed, 3 education, 7 closed.
    assert stages == {"referred": 5, "engaged": 8, "job_search": 14, "employed": 18,
                      "education": 3, "closed": 7}
    # Clients are dealt round the three specialists: 19, 18, 18.
    assert sorted(Counter(r.specialist for r in everyone).values()) == [18, 18, 19]
    assert len(queries.caseload()) == 55 - 7
    assert writes.get_setting("demo") == "yes"


def test_every_employed_client_has_a_job(demo, today):
    employed = {r.client_id for r in queries.caseload() if r.stage == "employed"}
    with_jobs = {cid for (cid,) in m.Job.select(m.Job.client).tuples()}
    assert employed <= with_jobs
    for cid in employed:
        jobs = queries.client_record(cid).jobs
        assert any(j.end_date is None for j in jobs)


def test_demo_data_obeys_the_rules(demo):
    # The demo went through the validating writes; spot-check cross-field facts anyway.
    for row in queries.caseload(include_closed=True):
        values = queries.client_record(row.client_id).values
        if values["closed_date"] is not None:
            assert values["stage"] == "closed"
            assert values["closed_date"] >= values["referral_date"]
        if values["stage"] == "referred":
            assert values["start_date"] is None
    for job in m.Job.select():
        assert job.end_date is None or job.end_date >= job.start_date


def test_demo_reminders_on_its_today(demo, today):
    found = services.reminders(today)
    follow_along = [r for r in found if r.kind in FOLLOW_ALONG_KINDS]
    assert any(r.status == "overdue" for r in follow_along)
    assert any(r.status == "due" for r in follow_along)
    assert any(r.kind == "first_employer_contact" for r in found)
    assert all(r.job_id is not None for r in follow_along)
    assert {r.specialist for r in found} <= set(SPECIALISTS)


def test_demo_is_dated_relative_to_today(tmp_path, today):
    later = today.replace(year=today.year + 1)
    create_demo(tmp_path / "later.db", today=later, seed=7)
    try:
        # Nothing in a demo happens after its today...
        assert all(c.date <= later for c in m.ClientContact.select())
        # ...and it still has work overdue and coming due on that day.
        found = services.reminders(later)
        assert {r.status for r in found} == {"overdue", "due"}
    finally:
        close_store()


def test_demo_is_deterministic_for_a_seed(tmp_path, today):
    first = _snapshot(tmp_path / "one.db", today, seed=7)
    second = _snapshot(tmp_path / "two.db", today, seed=7)
    assert first == second
    other = _snapshot(tmp_path / "three.db", today, seed=8)
    assert other["caseload"] != first["caseload"]


def test_demo_replaces_an_earlier_demo(tmp_path, today):
    path = tmp_path / "demo.db"
    create_demo(path, today=today, seed=7)
    close_store()
    create_demo(path, today=today, seed=8)
    try:
        assert queries.counts()["clients"] == 55  # replaced, not added to
    finally:
        close_store()
    assert inspect(path) == SCHEMA_VERSION


def test_demo_refuses_a_real_database(tmp_path, today):
    path = tmp_path / "real.db"
    open_store(path)
    writes.add_specialist(SAM)
    writes.create_client({"last_name": "Zeller", "specialist": SAM, "stage": "engaged"})
    close_store()
    with pytest.raises(DemoRefused, match="holds real data"):
        create_demo(path, today=TODAY)
    open_store(path)
    try:
        assert queries.counts()["clients"] == 1
    finally:
        close_store()


@pytest.mark.parametrize("seed", [7, 8])
def test_a_fresh_demo_passes_check_with_nothing_to_say(tmp_path, today, seed):
    create_demo(tmp_path / "demo.db", today=today, seed=seed)
    try:
        assert [str(f) for f in run_checks(today)] == []
        assert planned_fixes(today) == ([], [])
    finally:
        close_store()


def test_demo_stories_agree_with_themselves(demo, today):
    for row in queries.caseload(include_closed=True):
        rec = queries.client_record(row.client_id)
        v = rec.values
        if v["benefits_planning_date"] is not None:
            assert v["benefits_planning_date"] >= v["referral_date"]
            assert v["benefits_planning_date"] <= today
        if row.stage == "referred":
            assert not rec.contacts and v["benefits_planning"] == "not_offered"
        for c in rec.contacts:
            if c.notes == FIRST_SHIFT_NOTE or c.notes in WORK_NOTES:  # someone who had started a job
                assert any(j.start_date <= c.date for j in rec.jobs), (row.client_id, c)
            if v["closed_date"] is not None:
                assert c.date <= v["closed_date"]
        # No quitting and rejoining the same job: a client's jobs are at different employers.
        employers = [j.employer_id for j in rec.jobs]
        assert len(employers) == len(set(employers)), row.client_id
        if v.get("discuss_note") and row.stage != "employed":
            assert "shift" not in str(v["discuss_note"]) or "trial" in str(v["discuss_note"])
