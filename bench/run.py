"""Run the benchmarks and write bench/results/<date>.md (median of several runs).

    .venv/bin/python bench/run.py [--sizes program,region,long] [--runs 5] [--pg URL]

Data sets are generated once into bench/data/ (git-ignored) by bench/generate.py and imported
with `ips-tui import`, as a program would import its spreadsheets. Whole-process figures run the
installed `ips-tui` script. App figures come two ways: bench/tmux_timing.py drives the real app
in a real terminal (tmux) and times what a person waits for (the goals are judged on these);
bench/app_timing.py (Pilot, its own process) adds peak memory and Pilot's view for reference.
Timing lives here, never in the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"
BIN = Path(sys.executable).parent / "ips-tui"
TODAY = "2026-11-23"
MEETING = "2026-11-24"


def timed(cmd: list[str], runs: int) -> float:
    """Median wall time of a whole command."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def dataset(size: str) -> tuple[Path, float]:
    """The imported database for a size (made once), and how long its import took."""
    folder, db = DATA / size, DATA / f"{size}.db"
    stamp = DATA / f"{size}.import-seconds"
    if not db.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), size, str(folder), "--today", TODAY],
                       check=True)
        t = time.perf_counter()
        subprocess.run([str(BIN), "import", "--db", str(db), str(folder)], check=True,
                       stdout=subprocess.DEVNULL)
        stamp.write_text(f"{time.perf_counter() - t:.3f}")
    return db, float(stamp.read_text())


def server_figures(base_url: str, size: str, db: Path, runs: int) -> dict[str, float]:
    """Move a data set into a fresh schema on a PostgreSQL server and time the reports there."""
    from urllib.parse import quote

    import psycopg2

    schema = f"bench_{size}"
    admin = psycopg2.connect(base_url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        cur.execute(f'CREATE SCHEMA "{schema}"')
    admin.close()
    url = f"{base_url}{'&' if '?' in base_url else '?'}options={quote(f'-csearch_path={schema}')}"
    t = time.perf_counter()
    subprocess.run([str(BIN), "--db", str(db), "migrate-to", url], check=True,
                   stdout=subprocess.DEVNULL)
    out = {"pg_move_s": time.perf_counter() - t}
    out["pg_reminders_s"] = timed([str(BIN), "reminders", "--db", url, "--on", TODAY,
                                   "--format", "json"], runs)
    out["pg_agenda_s"] = timed([str(BIN), "agenda", "--db", url, "--date", MEETING,
                                "--format", "md"], runs)
    return out


def help_imports_textual() -> bool:
    code = "import sys, runpy; sys.argv=['ips-tui','--help']\n" \
           "try:\n  runpy.run_module('ips_tui', run_name='__main__')\nexcept SystemExit: pass\n" \
           "print('textual' in sys.modules, file=sys.stderr)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stderr.strip().endswith("True")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="program,region,long")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg", metavar="URL", help="also time a PostgreSQL server: each data set "
                        "is moved (migrate-to) into a schema of its own in this database")
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    DATA.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    rows: list[tuple[str, str, str, str]] = []
    figures: dict[str, dict[str, float]] = {}

    def add(what: str, goal: str, value: str, ok: bool | None) -> None:
        rows.append((what, goal, value, "" if ok is None else ("met" if ok else "MISSED")))
        print(f"{what:<58} {value:>12}  {'' if ok is None else ('met' if ok else 'MISSED')}")

    h = timed([str(BIN), "--help"], args.runs)
    textual = help_imports_textual()
    add("`ips-tui --help`, whole process", "< 0.25 s, no Textual", f"{h:.3f} s", h < 0.25 and not textual)
    for size in sizes:
        db, import_s = dataset(size)
        f: dict[str, float] = {"import_s": import_s}
        f["reminders_s"] = timed([str(BIN), "reminders", "--db", str(db), "--on", TODAY,
                                  "--format", "json"], args.runs)
        f["agenda_s"] = timed([str(BIN), "agenda", "--db", str(db), "--date", MEETING,
                               "--format", "md"], args.runs)
        app_runs = [json.loads(subprocess.run(
            [sys.executable, str(HERE / "app_timing.py"), str(db), TODAY, "C00000000"],
            check=True, capture_output=True, text=True).stdout) for _ in range(args.runs)]
        for key in app_runs[0]:
            f[key] = statistics.median(r[key] for r in app_runs)
        if shutil.which("tmux"):
            con = sqlite3.connect(db)
            name, spec = con.execute(
                "select c.first_name || ' ' || c.last_name, s.name from client c join specialist s "
                "on s.id = c.specialist_id where c.client_id = 'C00000000'").fetchone()
            con.close()
            tmux_runs = [json.loads(subprocess.run(
                [sys.executable, str(HERE / "tmux_timing.py"), str(db), spec, name.lower(), "C00000000"],
                check=True, capture_output=True, text=True).stdout) for _ in range(args.runs)]
            for key in tmux_runs[0]:
                f[f"tmux_{key}"] = statistics.median(r[key] for r in tmux_runs)
        if args.pg:
            f.update(server_figures(args.pg, size, db, args.runs))
        figures[size] = f
        add(f"[{size}] import", "< 10 s (program)", f"{import_s:.2f} s",
            import_s < 10 if size == "program" else None)
        add(f"[{size}] `ips-tui reminders --format json`, whole process", "< 1 s (region)",
            f"{f['reminders_s']:.3f} s", f["reminders_s"] < 1 if size == "region" else None)
        add(f"[{size}] `ips-tui agenda --format md`, whole process", "< 1.5 s (region)",
            f"{f['agenda_s']:.3f} s", f["agenda_s"] < 1.5 if size == "region" else None)
        add(f"[{size}] app start to caseload painted (Pilot)", "< 1.5 s (region)",
            f"{f['start_to_caseload_s']:.3f} s", f["start_to_caseload_s"] < 1.5 if size == "region" else None)
        rows_all = int(f["caseload_rows_all"])
        contacts = int(f["big_client_contacts"])
        if "tmux_start_to_caseload_s" in f:
            add(f"[{size}] app start to caseload painted (tmux, whole process)", "< 1.5 s (region)",
                f"{f['tmux_start_to_caseload_s']:.3f} s",
                f["tmux_start_to_caseload_s"] < 1.5 if size == "region" else None)
            add(f"[{size}] filter keystroke to repaint, median ({rows_all} rows, tmux)", "< 50 ms",
                f"{f['tmux_filter_keystroke_s'] * 1000:.0f} ms", f["tmux_filter_keystroke_s"] < 0.05)
            add(f"[{size}] ... the slowest keystroke of each run (median over runs)", "(reference)",
                f"{f['tmux_filter_keystroke_max_s'] * 1000:.0f} ms", None)
            add(f"[{size}] open a client with {contacts} contacts (tmux, first in a session)",
                "< 150 ms", f"{f['tmux_open_client_s'] * 1000:.0f} ms", f["tmux_open_client_s"] < 0.15)
            add(f"[{size}] ... the same client at once again (tmux)", "< 150 ms",
                f"{f['tmux_reopen_client_s'] * 1000:.0f} ms", f["tmux_reopen_client_s"] < 0.15)
            add(f"[{size}] ... again after another client (tmux)", "< 150 ms",
                f"{f['tmux_open_after_another_s'] * 1000:.0f} ms",
                f["tmux_open_after_another_s"] < 0.15)
        add(f"[{size}] filter keystroke to last repaint (Pilot, paint-stamped)", "(reference)",
            f"{f['filter_keystroke_paint_s'] * 1000:.0f} ms", None)
        add(f"[{size}] open a client with {contacts} contacts (Pilot, first / again)", "(reference)",
            f"{f['open_big_client_paint_s'] * 1000:.0f} / {f['reopen_big_client_paint_s'] * 1000:.0f} ms",
            None)
        add(f"[{size}] Pilot's floor: a key that only moves the cursor", "(reference)",
            f"{f['noop_key_s'] * 1000:.0f} ms", None)
        add(f"[{size}] peak memory of the app", "< 150 MB", f"{f['peak_rss_mb']:.0f} MB",
            f["peak_rss_mb"] < 150)
        if "pg_move_s" in f:
            add(f"[{size}] PostgreSQL: `ips-tui migrate-to` the data set", "(reference)",
                f"{f['pg_move_s']:.1f} s", None)
            add(f"[{size}] PostgreSQL: `ips-tui reminders --format json`", "(reference)",
                f"{f['pg_reminders_s']:.3f} s", None)
            add(f"[{size}] PostgreSQL: `ips-tui agenda --format md`", "(reference)",
                f"{f['pg_agenda_s']:.3f} s", None)
    for other, goal, limit in (("long", "< 1.5x", 1.5), ("region", "<= 10x", 10.0)):
        if other in figures and "program" in figures:
            for key, label in (("reminders_s", "reminders"), ("agenda_s", "agenda")):
                ratio = figures[other][key] / figures["program"][key]
                add(f"growth {other} vs program: {label}", goal, f"{ratio:.2f}x", ratio <= limit)
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M")
    out = RESULTS / f"{stamp}.md"
    lines = [f"# Benchmarks {stamp}", "",
             f"Machine: {platform.machine()}, {platform.python_implementation()} "
             f"{platform.python_version()}, median of {args.runs} runs.", "",
             "| what | goal | measured | |", "| --- | --- | ---: | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    out.write_text("\n".join(lines) + "\n")
    (RESULTS / "latest.md").write_text("\n".join(lines) + "\n")
    print(f"\nWrote {out}")


if __name__ == "__main__":
    main()
