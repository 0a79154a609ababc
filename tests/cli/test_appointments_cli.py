"""`ips-tui plan`, `appointments` (table, json, csv, ics read back by icalendar, its VTIMEZONE
checked against the zone's own rules) and `today`, and reminders' new `planned` key."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zoneinfo

from click.testing import CliRunner
from conftest import SAM

from ips_tui.cli import cli
from ips_tui.records import AppointmentRow
from ips_tui.reports import appointments as report
from ips_tui.store.db import close_store


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    close_store()
    return result


def _planned(db) -> None:
    for args in (("C0001", "tomorrow", "--time", "9:30", "--where", "Cafe; High St, 2"),
                 ("C0002", "2026-12-04", "--mode", "phone", "--note", "=cmd()"),
                 ("C0001", "2026-07-01", "--time", "14:00")):
        result = run("plan", "--db", str(db), *args, "--today", "2026-12-01")
        assert result.exit_code == 0, result.output
    assert "Planned: Ana Zeller (C0001), Wed 2026-12-02 09:30." in run(
        "plan", "--db", str(db), "C0001", "2026-12-02", "--time", "9:30").output


def test_plan_refuses_what_the_rules_refuse(seeded):
    result = run("plan", "--db", str(seeded.path), "C0001", "2026-12-02", "--time", "9h")
    assert result.exit_code != 0 and "time" in result.output
    result = run("plan", "--db", str(seeded.path), "C9999", "2026-12-02")
    assert result.exit_code != 0 and "C9999" in result.output


def test_appointments_json_csv_and_table(seeded):
    _planned(seeded.path)
    base = ("appointments", "--db", str(seeded.path), "--today", "2026-12-01")
    rows = json.loads(run(*base, "--format", "json").output)
    assert [(r["client_id"], r["date"], r["time"]) for r in rows] == [
        ("C0001", "2026-12-02", "09:30"), ("C0001", "2026-12-02", "09:30"),
        ("C0002", "2026-12-04", None)]
    assert list(rows[0]) == list(AppointmentRow.FIELDS)
    table = list(csv.DictReader(io.StringIO(run(*base, "--format", "csv").output)))
    assert table[2]["notes"] == "'=cmd()"
    text = run(*base, "--specialist", SAM).output
    assert "Wed 2026-12-02" in text and all(len(line) <= 80 for line in text.splitlines())
    assert json.loads(run(*base, "--from", "2026-06-01", "--to", "2026-07-31",
                          "--format", "json").output)[0]["date"] == "2026-07-01"


def test_appointments_ics_reads_back_with_the_local_zone(seeded, monkeypatch):
    from icalendar import Calendar

    monkeypatch.setenv("TZ", "Europe/London")
    _planned(seeded.path)
    ics = run("appointments", "--db", str(seeded.path), "--from", "2026-06-01", "--to", "2026-12-31",
              "--format", "ics").output
    cal = Calendar.from_ical(ics)
    events = cal.walk("VEVENT")
    assert len(events) == 4
    summer = next(e for e in events if e.decoded("DTSTART") == dt.datetime(
        2026, 7, 1, 14, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London")))
    assert str(summer["SUMMARY"]) == "In person with A.Z. (C0001)"  # initials by default
    allday = next(e for e in events if "C0002" in str(e["SUMMARY"]))
    assert allday.decoded("DTSTART") == dt.date(2026, 12, 4)
    cafe = next(e for e in events if "LOCATION" in e)
    assert str(cafe["LOCATION"]) == "Cafe; High St, 2"
    [tz] = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/London"
    # The VTIMEZONE says what the zone's own rules say, either side of each change.
    ours = tz.to_tz()
    zone = zoneinfo.ZoneInfo("Europe/London")
    for month in range(1, 13):
        at = dt.datetime(2026, month, 15, 12, 0)
        assert ours.utcoffset(at) == at.replace(tzinfo=zone).utcoffset(), month
    assert "Notes" not in ics and "cmd" not in ics  # notes never go into a calendar


def test_the_vtimezone_of_a_zone_south_of_the_equator():
    from icalendar import Calendar

    row = AppointmentRow(client_id="C1", client="Ana Zeller", date=dt.date(2027, 4, 4),
                         time="02:30", id=1)
    zone = zoneinfo.ZoneInfo("Australia/Sydney")
    ics = report.as_ics([row], dt.datetime(2027, 1, 1, tzinfo=dt.UTC), zone=(zone, "Australia/Sydney"))
    cal = Calendar.from_ical(ics)
    ours = cal.walk("VTIMEZONE")[0].to_tz()
    for month in range(1, 13):
        at = dt.datetime(2027, month, 10, 12, 0)
        assert ours.utcoffset(at) == at.replace(tzinfo=zone).utcoffset(), month


def test_today_json_keys_and_reminders_planned(seeded):
    _planned(seeded.path)
    day = json.loads(run("today", "--db", str(seeded.path), "--on", "2026-12-02",
                         "--format", "json").output)
    assert list(day) == ["date", "appointments", "reminders", "awaiting_outcome", "flagged"]
    assert day["date"] == "2026-12-02"
    assert [a["client_id"] for a in day["awaiting_outcome"]] == ["C0001"]  # July's
    for key in ("appointments", "reminders", "awaiting_outcome", "flagged"):
        assert all({"client_id", "client"} <= set(item) for item in day[key])
    text = run("today", "--db", str(seeded.path), "--today", "2026-12-02").output
    assert "Waiting for an outcome (1)" in text
    rems = json.loads(run("reminders", "--db", str(seeded.path), "--today", "2026-12-01",
                          "--within", "30", "--format", "json").output)
    assert all("planned" in r for r in rems)
    assert {r["planned"] for r in rems if r["client_id"] == "C0001"} <= {"2026-12-02", None}


def test_today_names_each_reminders_job(seeded):
    """A follow-along reminder on the day's list names its job as the reminders' calendar event
    does, on the line below it; a first-employer-contact reminder has no job. The JSON carries
    the job's title and employer, as `reminders --format json` does."""
    lines = run("today", "--db", str(seeded.path), "--today", "2026-12-02").output.splitlines()
    ana = next(i for i, line in enumerate(lines) if "Ana Zeller (C0001)  Weekly follow-along" in line)
    assert lines[ana + 1] == "    Job: Housekeeper at Harbor Hotel (J0001)"
    cara = next(i for i, line in enumerate(lines) if "Cara Moss (C0003)  First employer contact" in line)
    assert not lines[cara + 1].lstrip().startswith("Job:")
    assert all(len(line) <= 80 for line in lines)
    day = json.loads(run("today", "--db", str(seeded.path), "--today", "2026-12-02",
                         "--format", "json").output)
    [rem] = [r for r in day["reminders"] if r["client_id"] == "C0001"]
    assert (rem["job_id"], rem["job"], rem["employer"]) == ("J0001", "Housekeeper", "Harbor Hotel")
