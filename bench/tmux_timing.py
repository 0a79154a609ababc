"""Time the real app in a real terminal (tmux): what a person at the keyboard waits for.

    python bench/tmux_timing.py [--mine] DB SPECIALIST FILTER_TEXT CLIENT_ID [OTHER_ID]
    python bench/tmux_timing.py --start-only MARKER COMMAND...

(MARKER: text that must be on screen; several joined by " && " must all be.)


Starts the installed `ips-tui` in a detached 120x40 tmux session and, for each interaction, sends
the keys and polls `tmux capture-pane -e` (colours included, so a moved cursor counts) until the
screen has stopped changing for SETTLE seconds; the time of the last change is the figure.
Polling costs ~3 ms a look, so figures are good to a few ms. Prints JSON:

* start_to_caseload_s: from launching the process to the caseload on screen: its status line and
  its rows (CASELOAD_PAINTED; the status line alone can reach the terminal a frame before the
  table does);
* filter_keystroke_s (median) and filter_keystroke_max_s: typing FILTER_TEXT then deleting it,
  one key at a time, over everyone's caseload (with --mine, over the specialist's own);
* open_client_s, reopen_client_s, open_after_another_s: Enter on CLIENT_ID, found with the
  filter: the first time (the record screen was built in the background after start-up), at
  once again, and again after another client (OTHER_ID, default C00000001) was opened.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

#: The tmux session's name: IPS_BENCH_TMUX_SESSION, so two people's runs on one machine do not
#: drive (or kill) each other's session.
SESSION = os.environ.get("IPS_BENCH_TMUX_SESSION", "ips-bench")
SETTLE = 0.3
#: The caseload is painted: its status line, and its rows ("d ago": the Last contact column).
CASELOAD_PAINTED = (" clients · ", " d ago ")
#: The program timed: the installed `ips-tui`, or IPS_BENCH_BIN (an executable taking the same
#: arguments: a script that runs another checkout's ips_tui, to time before and after in turns).
BIN = Path(os.environ.get("IPS_BENCH_BIN") or Path(sys.executable).with_name("ips-tui"))


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def screen() -> str:
    return tmux("capture-pane", "-e", "-p", "-t", SESSION)


def on_screen(markers: tuple[str, ...] | list[str]) -> bool:
    """Whether every one of ``markers`` is on screen (in one look)."""
    shown = screen()
    return all(marker in shown for marker in markers)


def settled(before: str, timeout: float = 10.0) -> float:
    """Seconds until the last change of the screen (after which it stayed still SETTLE s)."""
    t0 = time.perf_counter()
    last_t, last = None, before
    while True:
        now = screen()
        t = time.perf_counter() - t0
        if now != last:
            last_t, last = t, now
        elif last_t is not None and t - last_t > SETTLE:
            return last_t
        if t > timeout:
            return float("nan") if last_t is None else last_t


def press(*keys: str) -> float:
    before = screen()
    tmux("send-keys", "-t", SESSION, *keys)
    return settled(before)


def main(db: str, specialist: str, text: str, client_id: str,
         other_id: str = "C00000001", mine: bool = False) -> dict[str, float]:
    tmux("kill-session", "-t", SESSION)
    env = f"IPS_TUI_SPECIALIST={shlex.quote(specialist)} TERM=xterm-256color"
    t0 = time.perf_counter()
    tmux("new", "-d", "-s", SESSION, "-x", "120", "-y", "40",
         f"{env} {shlex.quote(str(BIN))} --db {shlex.quote(db)}")
    out: dict[str, float] = {}
    try:
        while not on_screen(CASELOAD_PAINTED):
            if time.perf_counter() - t0 > 30:
                raise SystemExit("the caseload never appeared:\n" + screen())
            time.sleep(0.003)
        out["start_to_caseload_s"] = time.perf_counter() - t0
        time.sleep(1)
        if not mine:
            press("m")  # everyone's caseload: the longest list
        press("/")
        times = [press(ch) for ch in text]
        times += [press("BSpace") for _ in text]
        out["filter_keystroke_s"] = statistics.median(times)
        out["filter_keystroke_max_s"] = max(times)
        tmux("send-keys", "-t", SESSION, "-l", f"{text} {client_id.lower()}")
        settled("")
        press("Enter")  # from the filter to the table
        out["open_client_s"] = press("Enter")
        opened = screen()
        press("Escape")
        out["reopen_client_s"] = press("Enter")
        reopened = screen()
        press("Escape")
        # Another client in between, then the big one again: the usual way through a caseload.
        press("/")
        press("C-u")
        tmux("send-keys", "-t", SESSION, "-l", other_id.lower())
        settled("")
        press("Enter")
        press("Enter")
        press("Escape")
        press("/")
        press("C-u")
        tmux("send-keys", "-t", SESSION, "-l", client_id.lower())
        settled("")
        press("Enter")
        out["open_after_another_s"] = press("Enter")
        after_other = screen()
        press("Escape")
        for shown in (opened, reopened, after_other):  # the record is on screen, not an empty frame
            if f"({client_id}) · " not in re.sub(r"\x1b\[[0-9;]*m", "", shown):
                raise SystemExit("the client record did not appear:\n" + shown)
    finally:
        tmux("kill-session", "-t", SESSION)
    return out


def start_only(marker: str, command: list[str]) -> dict[str, float]:
    """start_s: from launching COMMAND in the same 120x40 tmux terminal to MARKER on screen
    (the reference for start-up: bench/bare_app.py, started exactly as the app is)."""
    tmux("kill-session", "-t", SESSION)
    t0 = time.perf_counter()
    tmux("new", "-d", "-s", SESSION, "-x", "120", "-y", "40",
         "TERM=xterm-256color " + " ".join(shlex.quote(c) for c in command))
    try:
        while not on_screen(marker.split(" && ")):
            if time.perf_counter() - t0 > 30:
                raise SystemExit(f"{marker!r} never appeared:\n" + screen())
            time.sleep(0.003)
        return {"start_s": time.perf_counter() - t0}
    finally:
        tmux("kill-session", "-t", SESSION)


if __name__ == "__main__":
    if sys.argv[1] == "--start-only":
        print(json.dumps(start_only(sys.argv[2], sys.argv[3:])))
    else:
        args = [a for a in sys.argv[1:] if a != "--mine"]
        print(json.dumps(main(*args[:5], mine="--mine" in sys.argv)))
