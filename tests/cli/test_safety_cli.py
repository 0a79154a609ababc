"""Backup, restore, check and audit from the command line, on a real database file."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from workers.helpers import connect

from ips_tui.cli import cli
from ips_tui.store import writes
from ips_tui.store.db import close_store, open_store


def run(*args: str, input: str | None = None):
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    close_store()
    return result


def clients_in(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("select last_name from client order by last_name")]
    finally:
        con.close()


@pytest.mark.sqlite_only
def test_backup_to_default_folder_is_owner_only_and_restorable(seeded, tmp_path):
    db = str(seeded.path)
    close_store()
    result = run("backup", "--db", db)
    assert result.exit_code == 0, result.output
    copy = Path(result.output.strip().removeprefix("Backed up to "))
    assert copy.parent == seeded.path.parent / "backups"
    assert copy.name.endswith("-manual.db")
    if os.name == "posix":
        assert copy.stat().st_mode & 0o777 == 0o600
    assert clients_in(copy) == clients_in(seeded.path)


@pytest.mark.sqlite_only
def test_restore_replaces_data_and_keeps_a_safety_copy(seeded, tmp_path):
    db = str(seeded.path)
    close_store()
    snapshot = tmp_path / "snap.db"
    assert run("backup", "--db", db, str(snapshot)).exit_code == 0
    before = clients_in(seeded.path)
    # A change made after the backup...
    open_store(seeded.path)
    writes.create_client({"last_name": "Newcomer", "specialist": "Sam Ortiz", "stage": "referred"})
    close_store()
    assert "Newcomer" in clients_in(seeded.path)
    # ...is undone by restoring, and kept in the safety copy.
    result = run("restore", "--db", db, "--yes", str(snapshot))
    assert result.exit_code == 0, result.output
    assert clients_in(seeded.path) == before
    safety = [p for p in (seeded.path.parent / "backups").iterdir() if p.name.endswith("-pre-restore.db")]
    assert len(safety) == 1 and "Newcomer" in clients_in(safety[0])


@pytest.mark.sqlite_only
def test_restore_without_yes_off_a_terminal_changes_nothing(seeded, tmp_path):
    db = str(seeded.path)
    close_store()
    snapshot = tmp_path / "snap.db"
    run("backup", "--db", db, str(snapshot))
    before = seeded.path.read_bytes()
    result = run("restore", "--db", db, str(snapshot))
    assert result.exit_code != 0
    assert "--yes" in result.output
    assert seeded.path.read_bytes() == before


@pytest.mark.sqlite_only
@pytest.mark.parametrize("content", [b"", b"not a database at all", b"SQLite format 3\x00" + b"\x00" * 50])
def test_restore_refuses_a_bad_file_and_changes_nothing(seeded, tmp_path, content):
    db = str(seeded.path)
    close_store()
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    before = seeded.path.read_bytes()
    result = run("restore", "--db", db, "--yes", str(bad))
    assert result.exit_code != 0
    assert "not restoring" in result.output
    assert "Traceback" not in result.output
    assert seeded.path.read_bytes() == before
    assert bad.read_bytes() == content


def test_check_reports_all_good_then_a_broken_rule(seeded, tmp_path):
    db = str(seeded.path)
    close_store()
    ok = run("check", "--db", db, "--today", "2026-11-23")
    assert ok.exit_code == 0
    assert "0 error(s), 0 warning(s)" in ok.output
    # Break a rule behind the app's back (as a hand edit might).
    con = connect(seeded.path)
    con.execute("update job set end_date = '2026-01-01' where job_id = 'J0001'")
    con.execute("update client_contact set date = '2027-05-01' where id = (select min(id) from client_contact)")
    con.commit()
    con.close()
    bad = run("check", "--db", db, "--today", "2026-11-23")
    assert bad.exit_code == 1
    assert "error: job J0001: ends (2026-01-01) before it starts (2026-11-02)" in bad.output
    assert "contact dated in the future (2027-05-01)" in bad.output


def _break_the_facts(path: Path) -> None:
    """Seeded caseload, changed behind the app's back: Ben (job search) has a current job, Ana
    (employed) her only job ended, Dev (closed) is undated, Cara's benefits planning predates her
    referral, Eve's notes hold an escape sequence and a bidi control."""
    con = connect(path)
    con.execute("insert into job (job_id, client_id, title, start_date, competitive, created_at, "
                "updated_at, version) values ('J0009', 'C0002', 'Porter', '2026-11-01', 1, "
                "'2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 1)")
    con.execute("update job set end_date = '2026-11-10' where job_id = 'J0001'")
    con.execute("update client set closed_date = null where client_id = 'C0004'")
    con.execute("update client set benefits_planning_date = '2026-01-01' where client_id = 'C0003'")
    con.execute("update client set notes = 'ok\x1b]0;pwned\x07 \u202e' where client_id = 'C0005'")
    con.commit()
    con.close()


@pytest.mark.sqlite_only  # the facts are broken with sqlite3
def test_check_names_each_client_whose_record_disagrees_with_itself(seeded):
    db = str(seeded.path)
    close_store()
    _break_the_facts(seeded.path)
    result = run("check", "--db", db, "--today", "2026-11-23")
    assert result.exit_code == 0, result.output  # warnings only
    lines = result.output.splitlines()
    assert "warning: client C0001 (Ana Zeller): Employed, but no current or upcoming job: stage " \
           "should be Job search (check --fix)" in lines
    assert "warning: client C0002 (Ben Adams): Job search, but holds a competitive job " \
           "(Porter J0009, since 2026-11-01): stage should be Employed (check --fix)" in lines
    assert "warning: client C0004 (Dev Adams): is closed without a closed date" in lines
    assert "warning: client C0003 (Cara Moss): benefits planning was offered (2026-01-01) " \
           "before the referral date (2026-10-15)" in lines
    assert "warning: client C0005: notes holds a control character (check --fix --yes removes " \
           "it)" in lines
    assert "pwned" not in result.output and "\x1b" not in result.output
    assert lines[-1].endswith("0 error(s), 5 warning(s)")


@pytest.mark.sqlite_only
def test_check_fix_lists_the_corrections_and_yes_makes_them_audited(seeded):
    db = str(seeded.path)
    close_store()
    _break_the_facts(seeded.path)
    before = seeded.path.read_bytes()
    offered = run("check", "--db", db, "--today", "2026-11-23", "--fix")
    assert offered.exit_code == 0, offered.output
    assert offered.output.splitlines()[:4] == [
        "would change: client C0001 (Ana Zeller): Employed -> Job search (Employed, but no current "
        "or upcoming job)",
        "would change: client C0002 (Ben Adams): Job search -> Employed (Job search, but holds a "
        "competitive job (Porter J0009, since 2026-11-01))",
        "would clean: client C0005: notes (control characters removed)",
        "Nothing was changed: run again with --fix --yes to make these changes."]
    assert seeded.path.read_bytes() == before
    done = run("--as", "Kim Park", "check", "--db", db, "--today", "2026-11-23", "--fix", "--yes")
    assert done.exit_code == 0, done.output
    assert "2 stage(s) changed, 1 value(s) cleaned (see ips-tui audit)." in done.output
    assert done.output.splitlines()[-1].endswith("0 error(s), 2 warning(s)")  # Dev and Cara
    con = connect(seeded.path)
    stages = dict(con.execute("select client_id, stage from client"))
    notes = con.execute("select notes from client where client_id = 'C0005'").fetchone()[0]
    audited = con.execute("select specialist, entity, entity_id, fields from audit_log "
                          "where specialist = 'Kim Park' and action = 'update' order by id").fetchall()
    con.close()
    assert (stages["C0001"], stages["C0002"]) == ("job_search", "employed")
    assert notes == "ok]0;pwned "
    assert audited == [("Kim Park", "client", "C0001", '["stage"]'),
                       ("Kim Park", "client", "C0002", '["stage"]'),
                       ("Kim Park", "client", "C0005", '["notes"]')]
    assert "Nothing to fix." in run("check", "--db", db, "--today", "2026-11-23", "--fix").output


def test_audit_lists_changes_without_personal_values(seeded):
    db = str(seeded.path)
    close_store()
    result = run("audit", "--db", db, "--client", "C0001", "--limit", "100")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert any("create  client C0001" in line for line in lines)
    assert any("client_contact" in line for line in lines)
    assert all("C0001" in line for line in lines)
    assert "Zeller" not in result.output  # the client's last name is never in the log


@pytest.mark.sqlite_only
def test_daily_backup_is_taken_once_a_day_when_the_app_starts(seeded, today):
    from ips_tui import services

    first = services.startup_backup(today)
    second = services.startup_backup(today)
    assert first is not None and first.exists() and first.name.endswith("-daily.db")
    assert first.name.startswith("ips-20261123-")
    assert second is None
    tomorrow = services.startup_backup(today.replace(day=24))
    assert tomorrow is not None and tomorrow != first


def test_settings_change_which_modes_count_as_follow_along(seeded):
    """Ana (C0001) has an in-person contact on 11-05 and a phone call on 11-12 after her job
    started on 11-02: by default the weekly visit is due 11-12 (overdue on 11-23); counting
    phone calls moves it to 11-19 (still overdue, but a later due date)."""
    import json

    db = str(seeded.path)
    close_store()
    before = json.loads(run("reminders", "--db", db, "--on", "2026-11-23", "--format", "json").output)
    ana = [r for r in before if r["client_id"] == "C0001"]
    assert [(r["kind"], r["due"]) for r in ana] == [("weekly", "2026-11-12")]
    shown = run("settings", "--db", db, "--follow-along-modes", "in_person,phone", "--meeting-day", "thursday")
    assert shown.exit_code == 0, shown.output
    assert "follow-along modes: in_person, phone" in shown.output
    assert "meeting day: Thursday" in shown.output
    after = json.loads(run("reminders", "--db", db, "--on", "2026-11-23", "--format", "json").output)
    ana = [r for r in after if r["client_id"] == "C0001"]
    assert [(r["kind"], r["due"]) for r in ana] == [("weekly", "2026-11-19")]
    bad = run("settings", "--db", db, "--follow-along-modes", "carrier_pigeon")
    assert bad.exit_code == 2
    assert "unknown contact mode" in bad.output


# ---------------------------------------------------------------- a hostile schema (#18 item 6)

HOSTILE_TRIGGER = ("CREATE TRIGGER t AFTER INSERT ON client_contact BEGIN "
                   "DELETE FROM client_contact; DELETE FROM audit_log; END")


def _add_trigger(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute(HOSTILE_TRIGGER)
    con.commit()
    con.close()


@pytest.mark.sqlite_only
def test_a_copy_with_an_extra_trigger_is_not_restored_and_check_names_it(seeded, tmp_path):
    db = str(seeded.path)
    close_store()
    copy = tmp_path / "copy.db"
    assert run("backup", "--db", db, str(copy)).exit_code == 0
    _add_trigger(copy)
    before_copy, before_db = copy.read_bytes(), seeded.path.read_bytes()
    restored = run("restore", "--db", db, "--yes", str(copy))
    assert restored.exit_code != 0
    assert "not restoring" in restored.output
    assert "unexpected trigger 't' on client_contact" in restored.output
    assert copy.read_bytes() == before_copy and seeded.path.read_bytes() == before_db
    checked = run("check", "--db", str(copy), "--today", "2026-11-23")
    assert checked.exit_code == 1
    assert "unexpected trigger 't' on client_contact" in checked.output
    assert "all good" not in checked.output
    assert copy.read_bytes() == before_copy


@pytest.mark.sqlite_only
def test_check_names_a_trigger_added_while_the_database_is_open(seeded):
    from ips_tui import services

    _add_trigger(seeded.path)  # behind the open store's back
    findings = [str(f) for f in services.check(dt.date(2026, 11, 23))]
    assert "error: database schema: unexpected trigger 't' on client_contact" in findings


# ---------------------------------------------------------------- files (#18 items 5 and 9)

@pytest.mark.sqlite_only
def test_backup_into_a_new_folder_then_a_plain_backup(seeded, tmp_path, monkeypatch):
    db = str(seeded.path)
    close_store()
    monkeypatch.chdir(seeded.path.parent)
    result = run("backup", "--db", db, "backups/")  # the folder does not exist yet
    assert result.exit_code == 0, result.output
    folder = seeded.path.parent / "backups"
    assert folder.is_dir()
    made = Path(result.output.strip().removeprefix("Backed up to "))
    assert made.parent.resolve() == folder.resolve() and made.name.endswith("-manual.db")
    assert clients_in(made) == clients_in(seeded.path)
    again = run("backup", "--db", db)
    assert again.exit_code == 0, again.output
    assert Path(again.output.strip().removeprefix("Backed up to ")).parent == folder


@pytest.mark.sqlite_only
def test_a_plain_backup_says_when_the_backups_folder_is_a_file(seeded):
    db = str(seeded.path)
    close_store()
    (seeded.path.parent / "backups").write_bytes(b"in the way")
    result = run("backup", "--db", db)
    assert result.exit_code == 1
    assert "backups is a file, not a folder" in result.output


@pytest.mark.sqlite_only
def test_restore_leaves_nothing_beside_the_file_it_restored_from(seeded, tmp_path):
    db = str(seeded.path)
    close_store()
    source = tmp_path / "snaps" / "snap.db"
    assert run("backup", "--db", db, str(source)).exit_code == 0
    before = source.read_bytes()
    result = run("restore", "--db", db, "--yes", str(source))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in source.parent.iterdir()) == ["snap.db"]
    assert source.read_bytes() == before


@pytest.mark.sqlite_only
def test_restore_from_a_hard_link_of_the_database_itself_is_refused(seeded, tmp_path):
    db = str(seeded.path)
    close_store()
    link = tmp_path / "elsewhere" / "looks-like-a-backup.db"
    link.parent.mkdir()
    os.link(seeded.path, link)
    before = seeded.path.read_bytes()
    result = run("restore", "--db", db, "--yes", str(link))
    assert result.exit_code == 1
    assert "is the database itself" in result.output
    assert seeded.path.read_bytes() == before
    assert not (seeded.path.parent / "backups").exists()


@pytest.mark.sqlite_only
def test_an_output_file_on_a_full_disk_is_one_clear_error(seeded, tmp_path, monkeypatch):
    import errno
    import tempfile

    from ips_tui.store import damage

    db = str(seeded.path)
    close_store()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    monkeypatch.setattr(damage.shutil, "disk_usage", lambda folder: type(
        "Usage", (), {"total": 2**30, "used": 2**30, "free": 0})())
    target = tmp_path / "agenda.md"
    result = run("agenda", "--db", db, "--date", "2026-11-24", "-o", str(target))
    assert result.exit_code == 1
    assert f"could not be written: the disk is full (0 bytes free on the disk holding {tmp_path})" \
        in result.output
    assert not target.exists()
