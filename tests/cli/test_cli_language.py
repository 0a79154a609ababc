"""Issue 16, command line: the global --db reaches `demo`, a command after `demo` says where the
demo is, --specialist matches as a person types a name, and the import reads the app's own words
and the CSV that spreadsheets in many countries save (semicolons, tabs)."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ips_tui import locations, services
from ips_tui.cli import cli
from ips_tui.store.db import close_store

ON = "2026-11-23"


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    close_store()
    return result


def test_the_global_db_option_makes_the_demo_in_that_file(tmp_path: Path):
    path = tmp_path / "mine.db"
    result = run("--db", str(path), "demo", "--no-open", "--today", ON)
    assert result.exit_code == 0, result.output
    assert path.exists() and not locations.demo_db().exists()
    assert f"Demo database: {path}" in result.stderr
    # the same refusal as `demo --db FILE` when the file holds real data
    real = tmp_path / "real.db"
    assert run("--db", str(real), "settings").exit_code == 0  # an empty real database
    services.open_database(real)
    services.add_specialist_if_new("Real Person")
    close_store()
    refused = run("--db", str(real), "demo", "--no-open")
    same = run("demo", "--db", str(real), "--no-open")
    assert refused.exit_code == same.exit_code == 1
    assert refused.stderr == same.stderr and "demo" in refused.stderr


def test_a_command_right_after_demo_says_where_the_demo_is(monkeypatch):
    monkeypatch.delenv("IPS_TUI_DB")
    assert run("demo", "--no-open", "--today", ON).exit_code == 0
    monkeypatch.setattr(sys, "argv", ["ips-tui", "reminders", "--today", ON])
    result = run("reminders", "--today", ON)
    assert result.exit_code == 1
    demo = locations.demo_db()
    assert f"the demo is in {demo}" in result.stderr
    command = shlex.join(["ips-tui", "--db", str(demo), "reminders", "--today", ON])
    assert command in result.stderr
    again = run(*shlex.split(command)[1:])
    assert again.exit_code == 0 and "OVERDUE" in again.stdout


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    assert run("demo", "--db", str(path), "--no-open", "--today", ON).exit_code == 0
    return path


def test_specialist_matches_ignoring_case_and_accents(demo: Path):
    exact = run("reminders", "--db", str(demo), "--today", ON, "--specialist", "Priya Shah",
                "--format", "json")
    loose = run("reminders", "--db", str(demo), "--today", ON, "--specialist", "  PRIYA   shah ",
                "--format", "json")
    assert exact.exit_code == loose.exit_code == 0
    assert json.loads(loose.stdout) == json.loads(exact.stdout) != []
    services.open_database(demo)
    services.add_specialist_if_new("José García")
    close_store()
    for cmd in ("reminders", "outcomes", "fidelity"):
        found = run(cmd, "--db", str(demo), "--today", ON, "--specialist", "jose garcia")
        assert found.exit_code == 0, (cmd, found.output)


def test_no_specialist_matching_lists_the_names(demo: Path):
    result = run("outcomes", "--db", str(demo), "--today", ON, "--specialist", "Nobody Here")
    assert result.exit_code == 2
    assert "no specialist is called 'Nobody Here'" in result.stderr
    assert "Priya Shah" in result.stderr and "Maria Lopez" in result.stderr


def _import(tmp_path: Path, files: dict[str, str]):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
    return run("import", "--db", str(tmp_path / "x.db"), str(folder))


def test_import_reads_the_apps_own_words_ignoring_case(tmp_path: Path):
    result = _import(tmp_path, {
        "specialists.csv": "name,active\nPat Lee,Yes\n",
        "clients.csv": "client_id,first_name,last_name,specialist,stage,start_date,benefits_planning\n"
                       "C1,Ann,Ray,Pat Lee,Job search,Tue 2026-11-24,Not offered\n"
                       "C2,Bo,Fox,Pat Lee,EMPLOYED,2026-11-02,in progress\n",
        "client_contacts.csv": "client_id,date,specialist,mode,location,attempted\n"
                               "C1,Tue 2026-11-24,Pat Lee,In person,Community,No\n"
                               "C2,2026-11-20,Pat Lee,phone,,Yes\n",
    })
    assert result.exit_code == 0, result.output
    services.open_database(tmp_path / "x.db")
    ann = services.client_record("C1")
    assert ann.values["stage"] == "job_search" and str(ann.values["start_date"]) == "2026-11-24"
    assert services.client_record("C2").values["benefits_planning"] == "in_progress"
    contact = ann.contacts[0]
    assert (contact.mode, contact.location, contact.attempted) == ("in_person", "community", False)
    close_store()


def test_a_weekday_that_is_not_the_dates_is_refused(tmp_path: Path):
    result = _import(tmp_path, {
        "specialists.csv": "name\nPat Lee\n",
        "clients.csv": "client_id,last_name,specialist,stage,start_date\nC1,Ray,Pat Lee,engaged,Mon 2026-11-24\n",
    })
    assert result.exit_code == 1
    assert "clients.csv:2: start_date: 2026-11-24 is a Tuesday, not a Mon" in result.stderr


@pytest.mark.parametrize("sep", [";", "\t"])
def test_import_reads_files_separated_by_semicolons_or_tabs(tmp_path: Path, sep: str):
    rows = [["client_id", "last_name", "specialist", "stage"], ["C1", "Ray", "Pat Lee", "Engaged"]]
    result = _import(tmp_path, {
        "specialists.csv": "name\nPat Lee\n",
        "clients.csv": "".join(sep.join(r) + "\r\n" for r in rows),
        "employer_contacts.csv": sep.join(["employer_id", "date", "specialist", "mode", "client_ids"])
        + "\n" + sep.join(["E1", "2026-11-20", "Pat Lee", "In person", '"C1"']) + "\n",
        "employers.csv": sep.join(["employer_id", "name"]) + "\nE1" + sep + "Acme; Sons\n"
        if sep == "\t" else 'employer_id;name\nE1;"Acme; Sons"\n',
    })
    assert result.exit_code == 0, result.output
    services.open_database(tmp_path / "x.db")
    assert services.client_record("C1").values["stage"] == "engaged"
    assert [e.name for e in services.employers()] == ["Acme; Sons"]
    close_store()


def test_a_file_whose_separator_names_no_column_is_refused_with_the_reason(tmp_path: Path):
    result = _import(tmp_path, {"clients.csv": "client_id|last_name|specialist\nC1|Ray|Pat\n"})
    assert result.exit_code == 1
    assert ("clients.csv:1: the first line is not a header row: it names none of the columns of "
            "clients.csv") in result.stderr
    assert "separated by commas, semicolons or tabs" in result.stderr
