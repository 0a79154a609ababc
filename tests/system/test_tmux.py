"""The installed `ips-tui` console script in a real terminal (tmux): start, filter, quit, and
act on reminders at 80x24."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from ips_tui import services
from ips_tui.vocab import label

ME = "Maria Lopez"


def tmux(socket: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", *args], check=check,
                          capture_output=True, text=True, timeout=30)


def screen(socket: str) -> str:
    done = tmux(socket, "capture-pane", "-p", "-t", "app", check=False)
    return done.stdout if done.returncode == 0 else ""


def wait_screen(socket: str, condition: Callable[[str], bool], what: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = screen(socket)
        if condition(text):
            return text
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; the screen was:\n{text}")


def session_alive(socket: str) -> bool:
    return tmux(socket, "has-session", "-t", "app", check=False).returncode == 0


def test_the_console_script_filters_the_caseload_in_tmux(tmp_path: Path):
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    exe = Path(sys.executable).with_name("ips-tui")
    assert exe.exists(), f"the console script is not installed next to {sys.executable}"
    db = tmp_path / "demo.db"
    made = subprocess.run([str(exe), "demo", "--db", str(db), "--no-open", "--today", "2026-11-23"],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr

    # Pick one of Maria's clients whose last name, typed in the filter, matches only them
    # (the filter looks at name, id, specialist and stage).
    services.open_database(db)
    try:
        mine = services.caseload(specialist=ME)
    finally:
        services.close_database()
    assert len(mine) > 3

    def hay(row) -> str:
        return " ".join((row.name, row.client_id, row.specialist, label(row.stage))).lower()

    target = next(r for r in mine if sum(r.last_name.lower() in hay(o) for o in mine) == 1)
    others = [r.name for r in mine if r is not target]
    typed = target.last_name.lower()

    config_home = tmp_path / "config"
    config_home.mkdir()
    command = " ".join([
        "env", f"XDG_CONFIG_HOME={shlex.quote(str(config_home))}", "TERM=xterm-256color",
        shlex.quote(str(exe)), "--db", shlex.quote(str(db)), "--as", shlex.quote(ME),
    ])
    socket = f"ips-tui-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        tmux(socket, "new-session", "-d", "-s", "app", "-x", "120", "-y", "40", command)
        first = wait_screen(socket, lambda s: f"My caseload ({ME})" in s and target.name in s,
                            "the caseload")
        assert sum(name in first for name in others) >= 3  # everyone is listed before filtering
        tmux(socket, "send-keys", "-t", "app", "/")
        wait_screen(socket, lambda s: "Filter: type part of a name" in s, "the filter box")
        tmux(socket, "send-keys", "-t", "app", "-l", typed)
        filtered = wait_screen(
            socket, lambda s: f"1 of {len(mine)} clients" in s, "the filtered caseload")
        assert target.name in filtered
        shown = [name for name in others if name in filtered]
        assert shown == [], f"filtered out clients still shown: {shown}"
        assert typed in filtered  # the filter box shows what was typed

        tmux(socket, "send-keys", "-t", "app", "Enter")  # back to the table; the filter stays
        time.sleep(0.3)
        tmux(socket, "send-keys", "-t", "app", "q")
        deadline = time.monotonic() + 15
        while session_alive(socket) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not session_alive(socket), f"q did not quit; the screen was:\n{screen(socket)}"
    finally:
        tmux(socket, "kill-server", check=False)


def test_a_hostile_name_in_a_screen_title_does_not_change_the_terminal_title(tmp_path: Path):
    """A client named with OSC sequences (set the window title, write the clipboard) behind
    the app's back: the client screen's title shows '?' and the terminal's title stays as it
    was (every record screen's title goes through DataScreen.validate_title)."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    import sqlite3

    exe = Path(sys.executable).with_name("ips-tui")
    db = tmp_path / "hostile.db"
    services.open_database(db)
    try:
        from ips_tui.store import writes

        writes.add_specialist(ME)
        writes.create_client({"client_id": "C0001", "first_name": "Ana", "last_name": "Zeller",
                              "specialist": ME, "stage": "engaged"})
    finally:
        services.close_database()
    con = sqlite3.connect(db)
    con.execute("update client set last_name = ?",
                ("Zel\x1b]2;PWNED\x07\x1b]52;c;cHduZWQ=\x07\x1b[2Jler\u202e",))
    con.commit()
    con.close()
    socket = f"ips-tui-escape-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    config_home = tmp_path / "config"
    config_home.mkdir()
    command = " ".join([
        "env", f"XDG_CONFIG_HOME={shlex.quote(str(config_home))}", "TERM=xterm-256color",
        shlex.quote(str(exe)), "--db", shlex.quote(str(db)), "--as", shlex.quote(ME),
    ])

    def pane_title() -> str:
        return tmux(socket, "display-message", "-p", "-t", "app", "#{pane_title}").stdout.strip()

    try:
        tmux(socket, "new-session", "-d", "-s", "app", "-x", "120", "-y", "40", command)
        wait_screen(socket, lambda s: "1 of 1 clients" in s, "the caseload")
        before = pane_title()
        tmux(socket, "send-keys", "-t", "app", "Enter")
        wait_screen(socket, lambda s: "(C0001) · Engaged" in s, "the client's screen")
        time.sleep(0.5)  # the header's title is drawn too
        assert pane_title() == before
        shown = screen(socket)
        assert "Client: Ana Zel?]2;PWNED?" in shown, shown  # not cleared by the ESC [2J either
    finally:
        tmux(socket, "kill-session", "-t", "app", check=False)


def test_a_contact_opened_in_tmux_at_80_columns_shows_its_whole_note(tmp_path: Path):
    """Enter on the newest contact of a client's log opens it; a note far longer than the log's
    column is all there, wrapped, on an 80x24 terminal."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    exe = Path(sys.executable).with_name("ips-tui")
    db = tmp_path / "demo.db"
    made = subprocess.run([str(exe), "demo", "--db", str(db), "--no-open", "--today", "2026-11-23"],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    note = ("Went with her to the interview at the garden centre; she answered the questions about "
            "gaps in her work history calmly and asked about weekend hours. The manager will "
            "phone by Friday. Practise the follow-up call on Tuesday. LAST-WORDS-OF-THE-NOTE")
    services.open_database(db)
    try:
        mine = services.caseload(specialist=ME)
        target = next(r for r in mine if services.client_record(r.client_id).contacts
                      and sum(r.last_name == o.last_name for o in mine) == 1)
        newest = services.client_record(target.client_id).contacts[0]
        services.update_client_contact(newest.id, {"notes": note}, None, by=ME)
    finally:
        services.close_database()

    config_home = tmp_path / "config"
    config_home.mkdir()
    command = " ".join([
        "env", f"XDG_CONFIG_HOME={shlex.quote(str(config_home))}", "TERM=xterm-256color",
        shlex.quote(str(exe)), "--db", shlex.quote(str(db)), "--as", shlex.quote(ME),
        "--today", "2026-11-23",
    ])
    socket = f"ips-tui-contact-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        tmux(socket, "new-session", "-d", "-s", "app", "-x", "80", "-y", "24", command)
        wait_screen(socket, lambda s: f"My caseload ({ME})" in s, "the caseload")
        tmux(socket, "send-keys", "-t", "app", "/")
        time.sleep(0.3)
        tmux(socket, "send-keys", "-t", "app", "-l", target.last_name.lower())
        wait_screen(socket, lambda s: f"1 of {len(mine)} clients" in s, "the filtered caseload")
        tmux(socket, "send-keys", "-t", "app", "Enter")  # back to the table
        time.sleep(0.3)
        tmux(socket, "send-keys", "-t", "app", "Enter")  # open the client
        log = wait_screen(socket, lambda s: "Went with her to the" in s, "the contact log")
        assert "LAST-WORDS-OF-THE-NOTE" not in log  # the log shows the start of the note
        tmux(socket, "send-keys", "-t", "app", "Enter")  # open the newest contact
        opened = wait_screen(socket, lambda s: "LAST-WORDS-OF-THE-NOTE" in s, "the open contact")
        assert f"Contact with {target.name}" in opened
        assert " ".join(opened.split()).find(" ".join(note.split())) >= 0, opened  # all of it
        tmux(socket, "send-keys", "-t", "app", "Escape")
        wait_screen(socket, lambda s: "Went with her to the" in s and "LAST-WORDS" not in s,
                    "back on the log")
        tmux(socket, "send-keys", "-t", "app", "q")
        deadline = time.monotonic() + 15
        while session_alive(socket) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not session_alive(socket), f"q did not quit; the screen was:\n{screen(socket)}"
    finally:
        tmux(socket, "kill-session", "-t", "app", check=False)


def test_a_phone_attempt_and_an_employer_contact_logged_from_the_reminders_screen(tmp_path: Path):
    """Issue 16, at 80x24 in a real terminal: c on a follow-along reminder logs the contact (here
    a phone call that did not reach the person), c on a first-employer-contact reminder opens the
    employer-contact form with that client ticked, and logging it clears the reminder."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    exe = Path(sys.executable).with_name("ips-tui")
    db = tmp_path / "demo.db"
    today = "2026-11-23"
    made = subprocess.run([str(exe), "--db", str(db), "demo", "--no-open", "--today", today],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    me = "Priya Shah"
    on = dt.date.fromisoformat(today)
    services.open_database(db)
    try:
        found = sorted(services.reminders(on, within=7, specialist=me),
                       key=lambda r: (r.due, r.client))
        contacts_before = {r.client_id: len(services.client_record(r.client_id).contacts) for r in found}
    finally:
        services.close_database()
    follow = next(i for i, r in enumerate(found) if r.kind != "first_employer_contact")
    first_ec = next(i for i, r in enumerate(found) if r.kind == "first_employer_contact")
    command = " ".join([
        "env", f"XDG_CONFIG_HOME={shlex.quote(str(tmp_path / 'config'))}", "TERM=xterm-256color",
        shlex.quote(str(exe)), "--db", shlex.quote(str(db)), "--as", shlex.quote(me),
        "--today", today,
    ])
    socket = f"ips-tui-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"

    def keys(*pressed: str) -> None:
        for key in pressed:
            tmux(socket, "send-keys", "-t", "app", key)
            time.sleep(0.15)

    try:
        tmux(socket, "new-session", "-d", "-s", "app", "-x", "80", "-y", "24", command)
        wait_screen(socket, lambda s: f"My caseload ({me})" in s, "the caseload")
        keys("r")
        wait_screen(socket, lambda s: f"{me}'s clients" in s and "to a client" in s, "my reminders")
        # a follow-along reminder: c, then a phone call that did not reach them
        keys(*["Down"] * (follow + 1))
        wait_screen(socket, lambda s: f"c logs a contact with {found[follow].client} today" in s,
                    "the follow-along reminder highlighted")
        keys("c")
        wait_screen(socket, lambda s: "ctrl+s saves from anywhere" in s, "the contact form")
        keys("C-t", "Tab", "Tab", "Enter")  # not reached; to Mode; open its list
        wait_screen(socket, lambda s: "Phone" in s and "Video" in s, "the modes")
        keys("Down", "Enter")  # In person -> Phone
        wait_screen(socket, lambda s: "not applicable" in s, "Location not applicable")
        keys("C-s")
        wait_screen(socket, lambda s: "Contact logged" in s, "the contact logged")
        # a first-employer-contact reminder: c opens the employer-contact form, client ticked
        keys(*["Up"] * (len(found) + 2), *["Down"] * (first_ec + 1))
        wait_screen(socket, lambda s: f"employer contact on {found[first_ec].client}'s behalf" in s,
                    "the first-employer-contact reminder highlighted")
        keys("c")
        wait_screen(socket, lambda s: "Log an employer contact" in s, "the employer-contact form")
        keys("Enter")  # the employer list
        time.sleep(0.5)
        keys("Down", "Enter", "C-s")
        wait_screen(socket, lambda s: "Employer contact logged" in s, "the employer contact logged")
        keys("q")
    finally:
        tmux(socket, "kill-server", check=False)
    services.open_database(db)
    try:
        called = services.client_record(found[follow].client_id).contacts
        assert len(called) == contacts_before[found[follow].client_id] + 1
        new = next(c for c in called if c.date == on and c.mode == "phone")
        assert new.attempted and new.location is None
        after = services.reminders(on, within=7, specialist=me)
        assert not any(r.client_id == found[first_ec].client_id
                       and r.kind == "first_employer_contact" for r in after)
    finally:
        services.close_database()
