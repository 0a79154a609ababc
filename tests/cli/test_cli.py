"""The `ips-tui` command line, run through click's CliRunner."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import KIM, SAM

from ips_tui.cli import cli
from ips_tui.store import queries, writes
from ips_tui.store.db import close_store, inspect, open_store
from ips_tui.store.migrations import SCHEMA_VERSION

# The first seven keys are the original contract, in order; keys added later come after them.
KEYS = ["client_id", "client", "specialist", "kind", "due", "status", "job_id", "job", "employer",
        "planned"]
ON = "2026-11-23"


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    close_store()  # commands leave the store open; the next command or check reopens it
    return result


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """One demo database for the read-only reminder tests of this module."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--db", str(path), "--no-open", "--today", ON])
    close_store()
    assert result.exit_code == 0, result.output
    return path


def reminders_json(db: Path, *extra: str) -> list[dict]:
    result = run("reminders", "--db", str(db), "--on", ON, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ------------------------------------------------------------------ help

def test_help_lists_the_commands():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("demo", "import", "export", "reminders"):
        assert command in result.output
    assert run("-h").output == result.output


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert "0.1.0" in result.output


def test_reminders_help_names_every_option():
    result = run("reminders", "--help")
    assert result.exit_code == 0
    for option in ("--on", "--within", "--specialist", "--format", "--output", "--db"):
        assert option in result.output


# ------------------------------------------------------------------ demo

def test_demo_creates_a_demo_database(tmp_path):
    path = tmp_path / "demo.db"
    result = run("demo", "--db", str(path), "--no-open", "--today", ON)
    assert result.exit_code == 0, result.output
    assert "55 clients, 25 employers" in result.output
    assert inspect(path) == SCHEMA_VERSION
    open_store(path)
    try:
        assert writes.get_setting("demo") == "yes"
        assert queries.counts()["clients"] == 55
    finally:
        close_store()
    # A demo database may be replaced by a fresh demo.
    again = run("demo", "--db", str(path), "--no-open", "--today", ON, "--seed", "8")
    assert again.exit_code == 0, again.output


def test_demo_refuses_to_overwrite_a_real_database(tmp_path):
    path = tmp_path / "real.db"
    open_store(path)
    writes.add_specialist(SAM)
    writes.create_client({"client_id": "C0001", "last_name": "Zeller", "specialist": SAM,
                          "stage": "engaged"})
    close_store()
    before = sha(path)
    result = run("demo", "--db", str(path), "--no-open", "--today", ON)
    assert result.exit_code == 1
    assert "holds real data" in result.output
    assert "Traceback" not in result.output
    assert sha(path) == before
    open_store(path)
    try:
        assert [r.client_id for r in queries.caseload()] == ["C0001"]
        assert writes.get_setting("demo") is None
    finally:
        close_store()


def test_demo_on_a_file_that_is_not_a_database_is_a_clean_error(tmp_path):
    # Regression: the StoreError from create_demo's inspect() used to escape as a traceback.
    path = tmp_path / "notes.db"
    path.write_bytes(b"my notes, not a database\n" * 10)
    before = sha(path)
    result = run("demo", "--db", str(path), "--no-open", "--today", ON)
    assert sha(path) == before
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # handled by click, no traceback
    assert "not an ips-tui database" in result.output


def test_demo_rejects_a_bad_today(tmp_path):
    result = run("demo", "--db", str(tmp_path / "d.db"), "--no-open", "--today", "2023-02-29")
    assert result.exit_code == 2
    assert "is not a real date" in result.output
    assert not (tmp_path / "d.db").exists()


# ------------------------------------------------------------------ reminders: formats

def test_reminders_json_keys_and_order(demo_db):
    found = reminders_json(demo_db)
    assert found, "the demo has reminders on its own today"
    for item in found:
        assert list(item) == KEYS
        assert item["status"] in ("overdue", "due")
    keys = [(r["due"], r["client_id"], r["kind"]) for r in found]
    assert keys == sorted(keys)
    # Due dates are ISO dates; overdue means before the day asked about.
    for item in found:
        assert (item["due"] < ON) == (item["status"] == "overdue")
    assert any(r["job_id"] is None for r in found)  # first employer contact
    assert all(r["job_id"] is None for r in found if r["kind"] == "first_employer_contact")


def test_reminders_on_a_known_caseload(seeded):
    close_store()
    found = reminders_json(seeded.path)
    # Worked by hand from the seed (see conftest): Ana's job started 2026-11-02; her latest
    # reached in-person contact is 2026-11-05 (the phone call does not count by default and the
    # 11-20 visit was an attempt), so weekly follow-along fell due 2026-11-12. Cara started
    # 2026-10-20 with no employer contact: first employer contact due 30 days later, 2026-11-19.
    # Ben has had an employer contact; Dev is closed; Eve has no start date.
    assert found == [
        {"client_id": "C0001", "client": "Ana Zeller", "specialist": SAM, "kind": "weekly",
         "due": "2026-11-12", "status": "overdue", "job_id": "J0001", "job": "Housekeeper",
         "employer": "Harbor Hotel", "planned": None},
        {"client_id": "C0003", "client": "Cara Moss", "specialist": KIM,
         "kind": "first_employer_contact", "due": "2026-11-19", "status": "overdue",
         "job_id": None, "job": None, "employer": None, "planned": None},
    ]
    assert [r["client_id"] for r in reminders_json(seeded.path, "--specialist", KIM)] == ["C0003"]
    # On 2026-11-11 Ana's weekly contact is due tomorrow, Cara's first employer contact is later.
    result = run("reminders", "--db", str(seeded.path), "--on", "2026-11-11", "--format", "json")
    assert [(r["kind"], r["status"]) for r in json.loads(result.stdout)] == [("weekly", "due")]


def test_reminders_csv_has_the_header_and_same_rows(demo_db):
    result = run("reminders", "--db", str(demo_db), "--on", ON, "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(KEYS)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    as_json = reminders_json(demo_db)
    assert len(rows) == len(as_json)
    assert [{**r, **{k: r[k] or None for k in ("job_id", "job", "employer", "planned")}}
            for r in rows] == as_json


def _vevents(ics: str) -> list[str]:
    return ics.split("BEGIN:VEVENT")[1:]


def _uids(ics: str) -> list[str]:
    unfolded = ics.replace("\r\n ", "").replace("\n ", "")
    return [line.split(":", 1)[1].strip() for line in unfolded.splitlines()
            if line.startswith("UID:")]


def test_reminders_ics_one_event_per_reminder_with_stable_uids(demo_db):
    first = run("reminders", "--db", str(demo_db), "--on", ON, "--format", "ics")
    second = run("reminders", "--db", str(demo_db), "--on", ON, "--format", "ics")
    assert first.exit_code == 0 and second.exit_code == 0
    text = first.stdout
    assert text.startswith("BEGIN:VCALENDAR")
    assert text.rstrip().endswith("END:VCALENDAR")
    found = reminders_json(demo_db)
    assert len(_vevents(text)) == len(found) == text.count("END:VEVENT")
    uids = _uids(text)
    assert len(uids) == len(found) == len(set(uids))
    assert uids == _uids(second.stdout)
    assert all(uid.endswith("@ips-tui") for uid in uids)
    assert first.stdout_bytes == second.stdout_bytes  # the whole file is reproducible


def test_reminders_table_is_the_default(seeded):
    close_store()
    result = run("reminders", "--db", str(seeded.path), "--on", ON)
    assert result.exit_code == 0
    assert "OVERDUE (2)" in result.output
    assert "Ana Zeller (C0001)" in result.output
    assert "\x1b[" not in result.output  # no colour when not writing to a terminal


# ------------------------------------------------------------------ reminders: options

def test_specialist_filter(demo_db):
    everyone = reminders_json(demo_db)
    maria = reminders_json(demo_db, "--specialist", "Maria Lopez")
    assert maria, "Maria Lopez has reminders in the demo"
    assert maria == [r for r in everyone if r["specialist"] == "Maria Lopez"]
    assert len(maria) < len(everyone)


def test_unknown_specialist_is_a_usage_error(demo_db):
    result = run("reminders", "--db", str(demo_db), "--on", ON, "--specialist", "Nobody")
    assert result.exit_code == 2
    assert "no specialist is called 'Nobody'" in result.output
    assert "--specialist" in result.output


@pytest.mark.parametrize("within", ["-1", "3651", "soon"])
def test_within_is_bounded(demo_db, within):
    result = run("reminders", "--db", str(demo_db), "--on", ON, "--within", within)
    assert result.exit_code == 2
    assert "--within" in result.output


def test_within_widens_only_the_due_window(demo_db):
    narrow = reminders_json(demo_db, "--within", "0")
    default = reminders_json(demo_db)
    wide = reminders_json(demo_db, "--within", "3650")
    assert all(r["due"] == ON for r in narrow if r["status"] == "due")
    overdue = [r for r in default if r["status"] == "overdue"]
    assert [r for r in narrow if r["status"] == "overdue"] == overdue
    assert [r for r in wide if r["status"] == "overdue"] == overdue
    assert all(r in default for r in narrow)
    assert all(r in wide for r in default)
    assert len(wide) > len(default)
    # --within 3 means up to 2026-11-26 inclusive
    assert all(r["due"] <= "2026-11-26" for r in default)
    assert any(r["due"] > "2026-11-26" for r in wide)


def test_on_rejects_an_impossible_date(seeded):
    close_store()
    result = run("reminders", "--db", str(seeded.path), "--on", "2026-13-01")
    assert result.exit_code == 2
    assert "is not a real date" in result.output


def test_output_writes_an_owner_only_file(demo_db, tmp_path):
    target = tmp_path / "out" / "reminders.json"
    result = run("reminders", "--db", str(demo_db), "--on", ON, "--format", "json",
                 "--output", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"Wrote {target}" in result.stderr
    assert json.loads(target.read_text()) == reminders_json(demo_db)
    if os.name == "posix":
        assert target.stat().st_mode & 0o777 == 0o600
    # A second run replaces the file and keeps it private.
    os.chmod(target, 0o644)
    run("reminders", "--db", str(demo_db), "--on", ON, "--format", "csv", "-o", str(target))
    assert target.read_text().startswith(",".join(KEYS))
    if os.name == "posix":
        assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.sqlite_only
@pytest.mark.skipif(os.name != "posix", reason="symbolic links to plant")
def test_output_never_writes_through_a_planted_link(seeded, tmp_path):
    """Another user who can write in the folder plants links at the temporary names -o would
    have used: the file is written anyway, and nothing reaches what the links point at."""
    close_store()
    folder = tmp_path / "shared"
    folder.mkdir()
    target = folder / "reminders.csv"
    theirs = tmp_path / "theirs.txt"
    theirs.write_text("the other user's file\n")
    for pid in range(max(os.getpid() - 50, 1), os.getpid() + 50):
        (folder / f".{target.name}.tmp{pid}").symlink_to(theirs)
    result = run("reminders", "--db", str(seeded.path), "--on", ON, "--format", "csv",
                 "-o", str(target))
    assert result.exit_code == 0, result.output
    assert theirs.read_text() == "the other user's file\n"
    assert target.read_text().startswith(",".join(KEYS)) and not target.is_symlink()
    assert not [p for p in folder.iterdir() if not p.is_symlink() and p != target]


@pytest.mark.parametrize("content", [b"", b"hello, this is a text file\n" * 40,
                                     b"SQLite format 3\x00" + b"\x00" * 100])
def test_not_an_ips_tui_database_exits_cleanly(tmp_path, content):
    path = tmp_path / "other.db"
    path.write_bytes(content)
    result = run("reminders", "--db", str(path), "--on", ON)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.output.startswith("Error: ")
    assert str(path) in result.output
    assert "nothing was changed" in result.output
    assert "Traceback" not in result.output
    assert path.read_bytes() == content


def test_plain_sqlite_database_is_refused(tmp_path):
    import sqlite3

    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("create table t (x)")
    con.commit()
    con.close()
    result = run("reminders", "--db", str(path), "--on", ON)
    assert result.exit_code == 1
    assert "an SQLite database but not an ips-tui database" in result.output


def test_db_comes_from_the_environment(seeded, monkeypatch):
    close_store()
    monkeypatch.setenv("IPS_TUI_DB", str(seeded.path))
    result = run("reminders", "--on", ON, "--format", "json")
    assert result.exit_code == 0
    assert [r["client_id"] for r in json.loads(result.stdout)] == ["C0001", "C0003"]


def test_group_db_option_applies_to_subcommands(seeded):
    close_store()
    result = run("--db", str(seeded.path), "reminders", "--on", ON, "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 2


# ------------------------------------------------------------------ import / export (lightly)

def test_export_then_import_round_trip(seeded, tmp_path, fresh_location):
    pytest.importorskip("ips_tui.interchange")
    from ips_tui.store import appointments as plans

    for who in ("team meeting", "Jo Reed", "Jo Reed"):  # the last two identical
        plans.add_team_contact({"client_id": "C0001", "date": "2026-11-17", "specialist": SAM,
                                "who": who})
    plans.add_team_contact({"client_id": "C0003", "date": "2026-11-10", "specialist": KIM,
                            "notes": "Agreed a start date"})
    logged = sorted((t.client_id, t.date, t.specialist, t.who, t.notes)
                    for t in plans.team_contacts())
    close_store()
    folder = tmp_path / "export"
    result = run("export", "--db", str(seeded.path), str(folder))
    assert result.exit_code == 0, result.output
    # six of the records, appointments, team contacts, two of the reviews
    assert len(list(folder.glob("*.csv"))) == 10
    assert f"{folder / 'team_contacts.csv'}: 4 row(s)" in result.output
    fresh = fresh_location("fresh")
    result = run("import", "--db", str(fresh), str(folder))
    assert result.exit_code == 0, result.output
    assert "team_contacts.csv: 4 added, 0 updated, 0 unchanged" in result.output
    open_store(fresh)
    try:
        assert queries.counts()["clients"] == 5
        assert sorted((t.client_id, t.date, t.specialist, t.who, t.notes)
                      for t in plans.team_contacts()) == logged
    finally:
        close_store()
    result = run("import", "--db", str(fresh), str(folder))
    assert result.exit_code == 0, result.output
    assert "team_contacts.csv: 0 added, 0 updated, 4 unchanged" in result.output


def test_import_needs_existing_paths(tmp_path):
    result = run("import", "--db", str(tmp_path / "x.db"), str(tmp_path / "missing"))
    assert result.exit_code == 2
    assert not (tmp_path / "x.db").exists()


@pytest.mark.filterwarnings("error::DeprecationWarning")
def test_ics_to_stdout_uses_no_deprecated_click_api(seeded):
    # Regression: cli._emit used click.get_binary_stream (deprecated in Click 8.5, gone in 9).
    close_store()
    result = CliRunner().invoke(cli, ["reminders", "--db", str(seeded.path), "--on", ON,
                                      "--format", "ics"])
    close_store()
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR")
    assert _uids(result.stdout) == ["C0001-J0001-weekly-2026-11-12@ips-tui",
                                    "C0003-search-first_employer_contact-2026-11-19@ips-tui"]


def test_reminders_ics_names_clients_by_initials_unless_asked_and_adds_alarms(seeded):
    from icalendar import Calendar

    close_store()
    base = ("reminders", "--db", str(seeded.path), "--on", ON, "--format", "ics")
    default = run(*base)
    assert default.exit_code == 0, default.output
    assert b"Zeller" not in default.stdout_bytes and b"Moss" not in default.stdout_bytes
    events = list(Calendar.from_ical(default.stdout_bytes).walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == ["Weekly follow-along: A.Z. (C0001)",
                                                   "First employer contact: C.M. (C0003)"]
    assert str(events[1]["description"]) == \
        f"First employer contact for C.M. (C0003)\nSpecialist: {KIM}"
    assert all(not e.subcomponents for e in events)
    named = run(*base, "--names", "--alarm", "30")
    assert named.exit_code == 0, named.output
    events = list(Calendar.from_ical(named.stdout_bytes).walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == ["Weekly follow-along: Ana Zeller (C0001)",
                                                   "First employer contact: Cara Moss (C0003)"]
    assert [e.subcomponents[0]["trigger"].dt for e in events] == [dt.timedelta(minutes=-30)] * 2
    assert run(*base, "--alarm", "-5").exit_code == 2


# ------------------------------------------------------------ --today on every dated command


@pytest.mark.parametrize("command", ["", "demo", "reminders", "agenda", "outcomes", "fidelity",
                                     "check"])
def test_every_dated_command_takes_today(command):
    result = run(*([command] if command else []), "--help")
    assert result.exit_code == 0
    assert "--today" in result.output


def test_reminders_today_is_on_by_its_one_name(demo_db):
    by_today = run("reminders", "--db", str(demo_db), "--today", ON, "--format", "json")
    assert by_today.exit_code == 0, by_today.output
    assert json.loads(by_today.output) == reminders_json(demo_db)  # the older --on still works


def test_the_app_opens_on_the_day_given(demo_db, monkeypatch):
    import ips_tui.tui.app as app_module

    opened: list[object] = []
    monkeypatch.setattr(app_module, "run_app",
                        lambda path, as_name=None, today=None: opened.append(today) or 0)
    result = run("--db", str(demo_db), "--today", "2026-03-02")
    assert result.exit_code == 0, result.output
    assert opened == [dt.date(2026, 3, 2)]
    result = run("--db", str(demo_db), "--today", "2026-02-30")
    assert result.exit_code == 2 and "2026-02-30" in result.output
    assert len(opened) == 1


def test_the_app_ending_after_a_bug_exits_non_zero(demo_db, monkeypatch):
    import ips_tui.tui.app as app_module

    monkeypatch.setattr(app_module, "run_app", lambda path, as_name=None, today=None: 1)
    assert run("--db", str(demo_db)).exit_code == 1
    monkeypatch.setattr(app_module, "run_app", lambda path, as_name=None, today=None: 0)
    assert run("--db", str(demo_db)).exit_code == 0


@pytest.mark.parametrize(("name", "why"), [("Ann\x1b]0;pwned\x07", "control character"),
                                           ("x" * 500, "the limit is")])
def test_a_name_given_with_as_is_checked_before_anything_opens(demo_db, name, why):
    result = run("--db", str(demo_db), "--as", name, "reminders")
    assert result.exit_code == 2
    assert "--as" in result.output and why in result.output
    assert "\x1b" not in result.output


def test_settings_choose_the_screen_the_app_opens_on(tmp_path):
    """`settings --start-screen` writes the personal setting the palette's "Start on Today"
    writes (the config file, not the database); `settings` alone shows it with the program's."""
    from ips_tui import config, locations

    db = str(tmp_path / "x.db")
    shown = run("settings", "--db", db)
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines() == [
        "follow-along modes: in_person", "meeting day: Tuesday",
        f"start screen: caseload (yours, in {locations.config_file()})"]
    assert not locations.config_file().exists()  # showing writes nothing
    chosen = run("settings", "--db", db, "--start-screen", "today")
    assert chosen.exit_code == 0, chosen.output
    assert f"start screen: today (yours, in {locations.config_file()})" in chosen.output
    assert config.load()[config.START_SCREEN_KEY] == "today"
    assert "start screen: today" in run("settings", "--db", db).output
    bad = run("settings", "--db", db, "--start-screen", "agenda")
    assert bad.exit_code == 2
    assert "Invalid value for '--start-screen': 'agenda' is not one of 'caseload', 'today'" in bad.output
    assert config.start_screen() == "today"  # as it was
    again = run("settings", "--db", db, "--start-screen", "Caseload")  # any case
    assert again.exit_code == 0, again.output
    assert config.start_screen() == "caseload"
