"""`ips-tui review ...` on SQLite and PostgreSQL: a review made from the records, scored by the
team, overridden with a reason (both kept), planned, listed, shown in every format (the JSON
checked against ips_tui/schemas/review.schema.json), audited, and round-tripped through export
and import."""

from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner

from ips_tui import schemas, services
from ips_tui.cli import cli
from ips_tui.domain.review_scale import BY_NUMBER
from ips_tui.store.db import close_store, open_store


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def reviewed(outcome_db):
    """The outcome caseload with one review of 2026Q3, every item scored by records or team."""
    db = str(outcome_db)
    review_id = run("review", "new", "--db", db, "--period", "2026Q3", "--date", "2026-10-14",
                    "--participants", "Maria; James").output.strip()
    assert review_id == "R0001"
    return db, review_id


def show_json(db: str, review_id: str) -> dict:
    return json.loads(run("review", "show", review_id, "--db", db, "--format", "json").output)


def schema() -> dict:
    return schemas.schema("review")


def test_new_fills_the_items_records_can_score_from_the_fidelity_figures(reviewed):
    db, review_id = reviewed
    data = show_json(db, review_id)
    jsonschema.validate(data, schema())
    assert (data["review_id"], data["date"], data["period_start"], data["period_end"]) == (
        "R0001", "2026-10-14", "2026-07-01", "2026-09-30")
    assert data["max"] == 125 and len(data["items"]) == 25 and data["level"] == "incomplete"
    fidelity = services.fidelity(services.outcome_period("2026Q3", services_today()))
    caseload = fidelity.item("caseload")
    item1 = data["items"][0]
    assert item1["key"] == "caseload" and item1["source"] == "records"
    assert item1["figure"] == caseload.figure and item1["evidence"] == caseload.details
    largest = int(caseload.value)  # hand band: <=20 5, <=25 4, <=30 3, <=40 2, else 1
    assert item1["score"] == (5 if largest <= 20 else 4 if largest <= 25 else 3)
    team = [it for it in data["items"] if it["source"] == "team"]
    # Items 4 and 5 (integration) are scored from the practitioners and team contacts recorded.
    assert {it["number"] for it in team} >= {2, 3, 6, 7, 8, 9, 10, 11, 14, 16, 18, 22}
    assert all(it["score"] is None for it in team)


def services_today():
    import datetime as dt

    return dt.date(2026, 10, 14)


def test_scoring_every_item_gives_a_total_and_a_level_and_an_action_plan(reviewed):
    db, review_id = reviewed
    data = show_json(db, review_id)
    for it in data["items"]:
        if it["score"] is None:
            run("review", "score", review_id, str(it["number"]), "4", "--db", db, "--note", "ok")
    run("review", "score", review_id, "vocational_unit", "2", "--db", db)
    data = show_json(db, review_id)
    jsonschema.validate(data, schema())
    scores = [it["score"] for it in data["items"]]
    assert None not in scores and data["total"] == sum(scores)
    level = ("exemplary" if data["total"] >= 115 else "good" if data["total"] >= 100
             else "fair" if data["total"] >= 74 else "not_ips")
    assert data["level"] == level
    plan = {p["number"]: p for p in data["action_plan"]}
    assert set(plan) == {it["number"] for it in data["items"] if it["score"] <= 3}
    assert plan[7]["next_anchor"] == BY_NUMBER[7].anchors[2]
    run("review", "plan", review_id, "7", "--owner", "Maria", "--due", "2026-12-01", "--db", db)
    plan7 = next(p for p in show_json(db, review_id)["action_plan"] if p["number"] == 7)
    assert (plan7["owner"], plan7["due"]) == ("Maria", "2026-12-01")
    listed = run("review", "list", "--db", db).output
    assert "R0001" in listed and "2026Q3" in listed and f"{data['total']}/125" in listed


def test_an_override_needs_a_reason_and_keeps_both_scores(reviewed):
    db, review_id = reviewed
    computed = show_json(db, review_id)["items"][0]["score"]
    other = 1 if computed != 1 else 2
    refused = run("review", "score", review_id, "1", str(other), "--db", db, ok=False)
    assert refused.exit_code == 1 and "override_reason" in refused.output
    assert show_json(db, review_id)["items"][0]["source"] == "records"
    run("review", "score", review_id, "1", str(other), "--db", db, "--reason", "two vacancies")
    item = show_json(db, review_id)["items"][0]
    assert (item["score"], item["computed_score"], item["source"], item["override_reason"]) == (
        other, computed, "override", "two vacancies")
    md = run("review", "show", review_id, "--db", db, "--format", "md").output
    assert f"Records gave {computed}; the team scored {other} because: two vacancies" in md
    run("review", "score", review_id, "1", "none", "--db", db)  # back to the records
    assert show_json(db, review_id)["items"][0]["source"] == "records"
    audit = json.loads(run("audit", "--db", db, "--format", "json").output)
    assert any(e["entity"] == "review_item" and e["entity_id"] == "R0001/1" for e in audit)
    assert any(e["entity"] == "review" and e["action"] == "create" for e in audit)


def test_bad_items_and_scores_are_refused(reviewed):
    db, review_id = reviewed
    assert "not an item" in run("review", "score", review_id, "26", "3", "--db", db, ok=False).output
    assert "not a score" in run("review", "score", review_id, "2", "6", "--db", db, ok=False).output
    assert "no review" in run("review", "show", "R0099", "--db", db, ok=False).output


def test_the_review_round_trips_through_export_and_import(reviewed, fresh_location, tmp_path):
    db, review_id = reviewed
    run("review", "score", review_id, "2", "3", "--db", db, "--note", "line one\nline two")
    computed = show_json(db, review_id)["items"][0]["score"]
    run("review", "score", review_id, "1", str(1 if computed != 1 else 2), "--db", db,
        "--reason", "=not a formula")
    run("review", "plan", review_id, "2", "--owner", "James", "--due", "2027-01-10", "--db", db)
    before = show_json(db, review_id)
    out = tmp_path / "out"
    run("export", str(out), "--db", db)
    assert (out / "reviews.csv").exists() and (out / "review_items.csv").exists()
    close_store()
    other = str(fresh_location("other"))
    result = run("import", str(out), "--db", other)
    assert "reviews.csv: 1 added" in result.output and "review_items.csv: 25 added" in result.output
    assert show_json(other, review_id) == before
    again = run("import", str(out), "--db", other).output
    assert "review_items.csv: 0 added, 0 updated, 25 unchanged" in again


def test_an_import_with_a_bad_review_row_imports_nothing(outcome_db, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "reviews.csv").write_text("review_id,date,period\nR0005,2026-10-01,2026Q3\n")
    (folder / "review_items.csv").write_text(
        "review_id,number,computed_score,score\nR0005,1,5,3\nR0006,2,,4\n")
    close_store()
    result = run("import", str(folder), "--db", str(outcome_db), ok=False)
    assert "review_items.csv:2: override_reason" in result.output
    assert "review_items.csv:3: review_id: no review has id 'R0006'" in result.output
    open_store(outcome_db)
    assert services.reviews() == []


def test_a_review_is_deleted_after_saying_which_and_asking(reviewed):
    db, review_id = reviewed
    refused = run("review", "delete", review_id, "--db", db, ok=False)  # no terminal to ask in
    assert refused.exit_code == 1 and "add --yes to confirm" in refused.output
    assert "Review R0001: 2026Q3, held 2026-10-14" in refused.output
    assert [r.review_id for r in services.reviews()] == ["R0001"]  # still there
    done = run("--as", "Maria", "review", "delete", review_id, "--db", db, "--yes")
    assert "Deleted review R0001." in done.output
    assert services.reviews() == []
    gone = run("review", "delete", review_id, "--db", db, "--yes", ok=False)
    assert gone.exit_code == 1 and "R0001" in gone.output
    from ips_tui.store import models as m

    entry = m.AuditEntry.select().where(m.AuditEntry.entity == "review",
                                        m.AuditEntry.action == "delete").get()
    assert (entry.entity_id, entry.specialist) == ("R0001", "Maria")
