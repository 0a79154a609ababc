"""`ips-tui outcomes` end to end: the formats (golden files for Markdown and HTML), their
promises (CSV header, JSON keys, a self-contained HTML page with an inline SVG chart), the
period options and their errors, and the layering rules of the new modules.

Regenerate the golden files after an intended change with

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/cli/test_outcomes_cli.py tests/cli/test_fidelity_cli.py

and read them before committing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import stat

import golden_files
import pytest
from click.testing import CliRunner
from outcome_caseload import CLIENTS, MARIA

from ips_tui import services
from ips_tui.cli import cli
from ips_tui.domain.outcomes import Period, default_period
from ips_tui.reports import outcomes as outcomes_report
from ips_tui.reports.layout import text_width
from ips_tui.store.db import open_store

Q3 = Period("quarter", 2026, 3)




def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def render(fmt: str, report: str = "us", specialist: str | None = None) -> str:
    return outcomes_report.render(services.outcomes(Q3, specialist, report), fmt)


def check_golden(name: str, got: str) -> None:
    golden_files.check_golden("outcomes", name, got)


# ------------------------------------------------------------------------------------------------
# Golden files


@pytest.mark.parametrize(("fmt", "report", "name"), [
    ("md", "us", "outcomes.md"),
    ("html", "us", "outcomes.html"),
    ("md", "uk", "outcomes-uk.md"),
    ("html", "uk", "outcomes-uk.html"),
])
def test_golden(outcome_db, fmt, report, name):
    check_golden(name, render(fmt, report))


# ------------------------------------------------------------------------------------------------
# The command line, each format


@pytest.mark.parametrize("fmt", outcomes_report.FORMATS)
@pytest.mark.parametrize("report", ["us", "uk"])
def test_cli_formats_match_the_renderers(outcome_db, fmt, report):
    result = run("outcomes", "--db", str(outcome_db), "--quarter", "2026Q3", "--format", fmt,
                 "--report", report)
    assert result.exit_code == 0, result.output
    assert result.output == render(fmt, report)


def test_cli_default_format_is_the_table(outcome_db):
    result = run("outcomes", "--db", str(outcome_db), "--quarter", "2026Q3")
    assert result.exit_code == 0
    assert result.output == render("table")
    assert result.output.startswith("IPS employment outcomes: Q3 2026 (July to September)\n")


def test_table_fits_80_columns_and_shows_the_trend(outcome_db):
    for report in ("us", "uk"):
        text = render("table", report)
        assert max(text_width(line) for line in text.splitlines()) <= 80
        assert "\x1b" not in text
    text = render("table")
    assert "5 of 11 clients served held a competitive job in the period: 45.5%, at or above " \
           "the 41% average benchmark, below the 50% excellent." in " ".join(text.split())
    # The bar list: 45.5% of 25 characters = 11.36 -> 11 full blocks and 3 eighths.
    assert "2026Q3      11         5  45.5%  ███████████▍" in text
    assert "2024Q4       0         0    n/a  no clients" in text
    assert "Sparkline, 2024Q4 to 2026Q3: ··" in text


def test_csv_header_and_rows(outcome_db):
    result = run("outcomes", "--db", str(outcome_db), "--quarter", "2026Q3", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert result.output.splitlines()[0] == "period,key,label,value,definition"
    figures = {r["key"]: r["value"] for r in rows if r["period"] == "2026Q3"
               and not r["key"].startswith("trend_")}
    assert figures["served"] == "11" and figures["employed"] == "5"
    assert figures["employment_rate"] == "0.4545"
    assert figures["median_days_to_first_job"] == "101"
    assert figures["average_hourly_wage"] == "12.45"
    trend = [r for r in rows if r["key"] == "trend_rate"]
    assert [r["period"] for r in trend] == [p.label for p in Q3.trend()]
    assert trend[0]["value"] == "" and trend[-1]["value"] == "0.4545"
    assert all(r["definition"] for r in rows)


def test_json_keys(outcome_db):
    result = run("outcomes", "--db", str(outcome_db), "--quarter", "2026Q3", "--format", "json")
    data = json.loads(result.output)
    assert list(data) == ["period", "period_start", "period_end", "specialist", "report",
                          "figures", "targets", "band", "job_starts", "job_ends", "trend",
                          "definitions"]
    assert (data["period"], data["period_start"], data["period_end"]) == (
        "2026Q3", "2026-07-01", "2026-09-30")
    assert data["band"] == "average"
    assert data["targets"] == {"minimum": 0.31, "average": 0.41, "excellent": 0.5}
    assert len(data["trend"]) == 8
    assert all(list(t) == ["period", "served", "employed", "rate"] for t in data["trend"])
    assert data["trend"][-1] == {"period": "2026Q3", "served": 11, "employed": 5,
                                 "rate": pytest.approx(5 / 11)}
    assert [j["job_id"] for j in data["job_starts"]] == ["J0004", "J0010"]
    assert data["job_ends"][0]["end_reason"].startswith("Quit:")
    uk = json.loads(run("outcomes", "--db", str(outcome_db), "--quarter", "2026Q3",
                        "--format", "json", "--report", "uk").output)
    assert uk["figures"]["into_work_rate"] == 0.5 and uk["targets"] == {"into_work": 0.4}
    # In the uk trend, served and employed mean what they mean everywhere; the rate is the
    # into-work rate, from its own two keys.
    assert uk["trend"][-1] == {"period": "2026Q3", "served": 11, "employed": 5, "rate": 0.5,
                               "unemployed_at_entry": 10, "into_work": 5}
    for key in ("referrals", "referrals_in_work", "engaged", "job_starts"):
        assert isinstance(uk["figures"][key], int) and uk["definitions"][key].startswith("UK (IPS Grow")


@pytest.mark.parametrize("report", ["us", "uk"])
def test_html_is_self_contained_with_an_inline_svg_chart(outcome_db, report):
    result = run("outcomes", "--db", str(outcome_db), "--quarter", "2026Q3", "--format", "html",
                 "--report", report)
    page = result.output
    assert page.startswith("<!DOCTYPE html>")
    assert "<svg" in page and "</svg>" in page and "<polyline" in page
    assert "http://" not in page and "https://" not in page
    low = page.lower()
    for banned in ("<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import"):
        assert banned not in low, banned
    svg = page[page.index("<svg"):page.index("</svg>")]
    # Eight x labels, a point per period with clients, and the benchmark lines.
    assert sum(label in svg for label in (p.label for p in Q3.trend())) == 8
    if report == "us":
        assert svg.count('class="point"') == 6  # 2024Q4 and 2025Q1 had no clients
        assert svg.count('class="benchmark"') == 3
        assert "Excellent 50%" in svg and "Minimum 31%" in svg
    else:
        assert svg.count('class="benchmark"') == 1 and "Into work 40%" in svg


def test_markdown_renders_without_raw_html(outcome_db):
    markdown_it = pytest.importorskip("markdown_it")
    for report in ("us", "uk"):
        md = render("md", report)
        tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(md)
        assert all(t.type != "html_block" for t in tokens)
        assert all(c.type != "html_inline" for t in tokens for c in (t.children or []))
        for block in md.split("\n\n"):
            rows = [x for x in block.splitlines() if x.startswith("| ")]
            if rows:
                assert len({len(re.split(r"(?<!\\)\|", x)) for x in rows}) == 1, block


@pytest.mark.parametrize("fmt", outcomes_report.FORMATS)
def test_clients_appear_by_id_only(outcome_db, fmt):
    out = render(fmt) + render(fmt, "uk")
    for c in CLIENTS:
        assert c[2] not in out, c[2]  # last names
    assert "0161 496 0000" not in out and "Private note" not in out and "Contact note" not in out


def test_cli_specialist(outcome_db):
    result = run("outcomes", "--db", str(outcome_db), "--quarter", "2026Q3", "--format", "json",
                 "--specialist", MARIA)
    data = json.loads(result.output)
    assert data["specialist"] == MARIA and data["figures"]["served"] == 5
    result = run("outcomes", "--db", str(outcome_db), "--quarter", "2026Q3",
                 "--specialist", "Nobody")
    assert result.exit_code == 2
    assert "no specialist is called 'Nobody'" in result.output


def test_cli_output_file_is_owner_only(outcome_db, tmp_path):
    target = tmp_path / "out" / "q3.html"
    result = run("outcomes", "--db", str(outcome_db), "--quarter", "2026Q3", "--format", "html",
                 "-o", str(target))
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == render("html")
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


# ------------------------------------------------------------------------------------------------
# Periods on the command line


def test_cli_month(outcome_db):
    result = run("outcomes", "--db", str(outcome_db), "--month", "2026-09", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert (data["period"], data["period_start"], data["period_end"]) == (
        "2026-09", "2026-09-01", "2026-09-30")
    assert data["trend"][0]["period"] == "2026-02"


@pytest.mark.parametrize(("today", "label"), [
    ("2026-10-01", "2026Q3"),  # the first day of a quarter: the one before is complete
    ("2026-09-30", "2026Q2"),  # the last day of a quarter: it is not complete yet
    ("2026-01-15", "2025Q4"),
])
@pytest.mark.parametrize("command", ["outcomes", "fidelity"])
def test_cli_default_period_is_the_last_complete_quarter(outcome_db, command, today, label):
    result = run(command, "--db", str(outcome_db), "--format", "json", "--today", today)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["period"] == label == default_period(dt.date.fromisoformat(today)).label


@pytest.mark.parametrize(("args", "message"), [
    (["--quarter", "2026Q3", "--month", "2026-10"], "--quarter and --month cannot be used together"),
    (["--quarter", "2026Q5"], "the quarter is Q1, Q2, Q3 or Q4"),
    (["--quarter", "2026-10"], "is not a quarter such as 2026Q3"),
    (["--quarter", "Q3"], "is not a quarter such as 2026Q3"),
    (["--quarter", ""], "give a quarter"),
    (["--month", "2026-13"], "the month is 01 to 12"),
    (["--month", "2026Q3"], "is not a month such as 2026-10"),
    (["--month", "October"], "is not a month such as 2026-10"),
    (["--report", "fr"], "'fr' is not one of 'us', 'uk'"),
    (["--format", "pdf"], "'pdf' is not one of"),
])
def test_cli_bad_options_are_usage_errors(outcome_db, args, message):
    result = run("outcomes", "--db", str(outcome_db), *args)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())


def test_cli_bad_period_is_refused_before_touching_the_database(tmp_path):
    missing = tmp_path / "missing.db"
    result = run("outcomes", "--db", str(missing), "--quarter", "2026Q9")
    assert result.exit_code == 2
    assert not missing.exists()
    result = run("outcomes", "--db", str(missing), "--quarter", "2026Q3")
    assert result.exit_code == 1 and "does not exist" in result.output
    assert not missing.exists()


def test_cli_help_lists_the_options():
    result = run("outcomes", "--help")
    assert result.exit_code == 0
    for option in ("--quarter", "--month", "--specialist", "--format", "--report", "--output",
                   "-o", "--db", "table|md|html|csv|json", "us|uk"):
        assert option in result.output
    top = run("--help")
    assert "outcomes" in top.output and "fidelity" in top.output


def test_empty_database_reports_say_so(fresh_location):
    open_store(fresh_location("empty"))
    report = services.outcomes(Q3)
    text = outcomes_report.render(report, "table")
    assert "No clients were served in the period, so there is no employment rate." in text
    assert "No competitive jobs started in the period." in text
    assert "No clients in any of these periods." in text
    for fmt in outcomes_report.FORMATS:
        assert outcomes_report.render(report, fmt)
    with pytest.raises(ValueError, match="unknown report format"):
        outcomes_report.render(report, "pdf")
