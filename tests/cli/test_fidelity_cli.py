"""`ips-tui fidelity` end to end on the fixed caseload of ``tests/outcome_caseload.py``: golden files
for Markdown and HTML, each format's promises, and the period options.

Regenerate the golden files with UPDATE_GOLDEN=1 (see ``test_outcomes_cli.py``).
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from golden_files import check_golden
from outcome_caseload import CLIENTS, JAMES, MARIA

from ips_tui import services
from ips_tui.cli import cli
from ips_tui.domain import fidelity as fid
from ips_tui.domain.outcomes import Period
from ips_tui.reports import fidelity as fidelity_report
from ips_tui.reports.layout import text_width
from ips_tui.store.db import open_store

Q3 = Period("quarter", 2026, 3)




def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def render(fmt: str, specialist: str | None = None) -> str:
    return fidelity_report.render(services.fidelity(Q3, specialist), fmt)


@pytest.mark.parametrize(("fmt", "name"), [("md", "fidelity.md"), ("html", "fidelity.html")])
def test_golden(outcome_db, fmt, name):
    check_golden("outcomes", name, render(fmt))


@pytest.mark.parametrize("fmt", fidelity_report.FORMATS)
def test_cli_formats_match_the_renderers(outcome_db, fmt):
    result = run("fidelity", "--db", str(outcome_db), "--quarter", "2026Q3", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.output == render(fmt)


def test_table_is_the_default_and_fits_80_columns(outcome_db):
    result = run("fidelity", "--db", str(outcome_db), "--quarter", "2026Q3")
    assert result.exit_code == 0
    assert result.output == render("table")
    assert max(text_width(line) for line in result.output.splitlines()) <= 80
    flat = " ".join(result.output.split())
    assert "14 indicators: 4 met, 1 near, 8 not met, 1 with no data." in flat
    assert "Driving a miss (clients): C0011." in flat


def test_csv(outcome_db):
    result = run("fidelity", "--db", str(outcome_db), "--quarter", "2026Q3", "--format", "csv")
    lines = result.output.splitlines()
    assert lines[0] == ("key,scale_item,name,anchor,figure,status,value,target,record_kind,"
                        "records")
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(result.output))}
    assert list(rows) == list(fid.ITEMS)
    assert rows["disclosure"]["records"] == "C0002;C0006;C0009;C0011;C0012"
    assert rows["employer_contacts"]["records"] == JAMES
    assert rows["caseload"]["status"] == "met" and rows["caseload"]["value"] == "5"


def test_csv_cells_never_start_a_formula(fresh_location):
    open_store(fresh_location("x"))
    from ips_tui.store import writes

    writes.add_specialist("=HYPERLINK(1)")
    writes.create_client({"client_id": "C1", "last_name": "X", "specialist": "=HYPERLINK(1)",
                          "stage": "job_search", "referral_date": "2026-07-01"})
    out = fidelity_report.render(services.fidelity(Q3), "csv")
    for row in csv.reader(io.StringIO(out)):
        for cell in row:
            assert not cell.startswith(("=", "+", "@")), cell


def test_json(outcome_db):
    data = json.loads(run("fidelity", "--db", str(outcome_db), "--quarter", "2026Q3",
                          "--format", "json").output)
    assert list(data) == ["period", "period_start", "period_end", "specialist", "near_rule",
                          "counts", "items"]
    assert data["counts"] == {"met": 4, "near": 1, "not_met": 8, "no_data": 1}
    item = data["items"][0]
    assert list(item) == ["key", "scale_item", "name", "anchor", "figure", "status", "value",
                          "target", "at_most", "record_kind", "records", "details", "definition"]
    by_key = {i["key"]: i for i in data["items"]}
    assert by_key["first_employer_contact"]["records"] == ["C0007"]
    assert by_key["first_employer_contact"]["status"] == "near"


def test_html_is_self_contained(outcome_db):
    page = render("html")
    assert page.startswith("<!DOCTYPE html>")
    low = page.lower()
    for banned in ("http://", "https://", "<script", "<link", "<img", "src=", "href=", "url("):
        assert banned not in low, banned
    assert '<tr class="alert">' in page  # misses are highlighted


@pytest.mark.parametrize("fmt", fidelity_report.FORMATS)
def test_clients_appear_by_id_only(outcome_db, fmt):
    out = render(fmt)
    for c in CLIENTS:
        assert c[2] not in out, c[2]
    assert "Private note" not in out and "Contact note" not in out


def test_cli_specialist_and_periods(outcome_db):
    data = json.loads(run("fidelity", "--db", str(outcome_db), "--quarter", "2026Q3",
                          "--specialist", MARIA, "--format", "json").output)
    assert data["specialist"] == MARIA
    data = json.loads(run("fidelity", "--db", str(outcome_db), "--month", "2026-08",
                          "--format", "json").output)
    assert (data["period_start"], data["period_end"]) == ("2026-08-01", "2026-08-31")
    result = run("fidelity", "--db", str(outcome_db), "--quarter", "2026Q3", "--month", "2026-08")
    assert result.exit_code == 2 and "cannot be used together" in result.output
    result = run("fidelity", "--db", str(outcome_db), "--month", "2026-8")
    assert result.exit_code == 2 and "is not a month such as 2026-10" in result.output
    result = run("fidelity", "--db", str(outcome_db), "--specialist", "Nobody")
    assert result.exit_code == 2


def test_cli_help():
    result = run("fidelity", "--help")
    assert result.exit_code == 0
    for option in ("--quarter", "--month", "--specialist", "--format", "--output", "--db",
                   "table|md|html|csv|json"):
        assert option in result.output


def test_long_detail_lists_are_cut_in_documents_but_not_in_data(outcome_db):
    from ips_tui.store import writes

    for i in range(20):
        writes.add_client_contact({"client_id": "C0003", "date": "2026-08-20",
                                   "specialist": JAMES, "mode": "in_person",
                                   "location": "office"})
    report = services.fidelity(Q3)
    assert len(report.item("community").records) == 26
    md = fidelity_report.render(report, "md")
    assert "... and 11 more (every record is in the csv and json formats)" in md
    data = json.loads(fidelity_report.render(report, "json"))
    assert len(next(i for i in data["items"] if i["key"] == "community")["details"]) == 26
