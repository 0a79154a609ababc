"""Run the benchmarks and write bench/results/<date>.md (median of several runs).

    .venv/bin/python bench/run.py [--sizes program,region,long,national] [--runs 3] [--pg URL]
                                  [--import-sizes program,region] [--label TEXT]

Data sets are generated once into bench/data/ (git-ignored) by bench/generate.py and imported
with `ips-tui import`, as a program would import its spreadsheets. Whole-process figures run the
installed `ips-tui` script. App figures come two ways: bench/tmux_timing.py drives the real app
in a real terminal (tmux) and times what a person waits for (the goals are judged on these);
bench/app_timing.py (Pilot, its own process) adds peak memory and Pilot's view for reference.

Issue #19 measures against references timed in the same run, interleaved run by run with what
they are the reference for (the machine may be shared: each figure is a median):
* app start to caseload painted vs bench/bare_app.py (header, 100-row DataTable, footer) started
  the same way in the same tmux terminal;
* `ips-tui reminders --format json` vs bench/ref_reminders.py (reads the six CSV files, computes
  the same reminders; checked to print the same bytes);
* `ips-tui import` (into a new file, --import-sizes only: it is slow) vs bench/ref_load.py (csv +
  executemany into SQLite, one transaction, indexes on the ids), with peak memory;
* `ips-tui migrate-to` (--pg) against the goal of 10 s for a region.
Timing lives here, never in the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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
PY = sys.executable
TODAY = "2026-11-23"
MEETING = "2026-11-24"
BIG = "C00000000"  # the open client with 500 contacts, in Specialist 00-00's caseload
BIG_OTHER = "C00000010"  # another of that specialist's clients


def measured(cmd: list[str], stdout: int | None = subprocess.DEVNULL) -> tuple[float, float]:
    """Wall time and peak memory (MB) of one whole command."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss / 1024


def timed_pair(cmds: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command, the commands taking turns run by run (so a busy moment
    of a shared machine falls on both)."""
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(runs):
        for key, cmd in cmds.items():
            times[key].append(measured(cmd)[0])
    return {k: statistics.median(v) for k, v in times.items()}


def dataset(size: str) -> tuple[Path, Path]:
    """The CSV folder and the imported database for a size (both made once)."""
    folder, db = DATA / size, DATA / f"{size}.db"
    if not db.exists():
        if not (folder / "employer_contacts.csv").exists():
            subprocess.run([PY, str(HERE / "generate.py"), size, str(folder), "--today", TODAY],
                           check=True)
        subprocess.run([str(BIN), "import", "--db", str(db), str(folder)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return folder, db


def import_figures(folder: Path, runs: int) -> dict[str, float]:
    """`ips-tui import` of a folder into a new file against the plain loader, same run."""
    target, ref = DATA / "import-timing.db", DATA / "ref-load.db"
    imp, imp_mb, refs, ref_mb = [], [], [], []
    for _ in range(runs):
        for leftover in DATA.glob("import-timing.db*"):
            leftover.unlink()
        t, mb = measured([str(BIN), "import", "--db", str(target), str(folder)])
        imp.append(t)
        imp_mb.append(mb)
        for _ in range(3):
            t, mb = measured([PY, str(HERE / "ref_load.py"), str(folder), str(ref)])
            refs.append(t)
            ref_mb.append(mb)
    for leftover in [*DATA.glob("import-timing.db*"), *DATA.glob("ref-load.db*")]:
        leftover.unlink()
    return {"import_s": statistics.median(imp), "import_peak_mb": max(imp_mb),
            "ref_load_s": statistics.median(refs), "ref_load_peak_mb": max(ref_mb)}


def same_reminders(db: Path | str, folder: Path) -> bool:
    """Whether `ips-tui reminders --format json` and the reference print the same bytes."""
    ips = subprocess.run([str(BIN), "reminders", "--db", str(db), "--on", TODAY, "--format", "json"],
                         check=True, capture_output=True).stdout
    ref = subprocess.run([PY, str(HERE / "ref_reminders.py"), str(folder), TODAY], check=True,
                         capture_output=True).stdout
    return ips == ref


def tmux_figures(db: Path | str, file: Path, runs: int, mine: bool) -> dict[str, float]:
    con = sqlite3.connect(file)
    name, spec = con.execute(
        "select c.first_name || ' ' || c.last_name, s.name from client c join specialist s "
        "on s.id = c.specialist_id where c.client_id = ?", (BIG,)).fetchone()
    con.close()
    cmd = [PY, str(HERE / "tmux_timing.py"), *(["--mine"] if mine else []), str(db), spec,
           name.lower(), BIG, BIG_OTHER]
    bare = [PY, str(HERE / "tmux_timing.py"), "--start-only", "C00000010", PY,
            str(HERE / "bare_app.py")]
    got: list[dict[str, float]] = []
    for _ in range(runs):  # the bare app and ips-tui take turns
        got.append({} if mine else {"bare_start_s": json.loads(subprocess.run(
            bare, check=True, capture_output=True, text=True).stdout)["start_s"]})
        got[-1].update(json.loads(subprocess.run(cmd, check=True, capture_output=True,
                                                 text=True).stdout))
    return {k: statistics.median(r[k] for r in got) for k in got[0]}


def server_figures(base_url: str, size: str, db: Path, folder: Path, runs: int,
                   app: bool) -> dict[str, float]:
    """Move a data set into a fresh schema on a PostgreSQL server and time it there."""
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
    out = {"pg_move_s": measured([str(BIN), "--db", str(db), "migrate-to", url])[0]}
    t = timed_pair({
        "reminders": [str(BIN), "reminders", "--db", url, "--on", TODAY, "--format", "json"],
        "agenda": [str(BIN), "agenda", "--db", url, "--date", MEETING, "--format", "md"]}, runs)
    out["pg_reminders_s"], out["pg_agenda_s"] = t["reminders"], t["agenda"]
    out["pg_same_reminders"] = float(same_reminders(url, folder))
    if app and shutil.which("tmux"):
        for key, value in tmux_figures(url, db, runs, mine=True).items():  # own caseload
            out[f"pg_tmux_{key}"] = value
    return out


def help_imports_textual() -> bool:
    code = "import sys, runpy; sys.argv=['ips-tui','--help']\n" \
           "try:\n  runpy.run_module('ips_tui', run_name='__main__')\nexcept SystemExit: pass\n" \
           "print('textual' in sys.modules, file=sys.stderr)"
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True)
    return out.stderr.strip().endswith("True")


#: Issue #19's goals on the references: (figure, reference, at most this ratio) by size.
RATIO_GOALS = {
    ("start", "program"): 1.3, ("start", "region"): 1.6,
    ("reminders", "region"): 0.4, ("import", "region"): 2.5,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="program,region,long")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--import-sizes", default="program,region",
                        help="sizes whose import is timed again in this run (slow)")
    parser.add_argument("--pg", metavar="URL", help="also time a PostgreSQL server: each data set "
                        "is moved (migrate-to) into a schema of its own in this database")
    parser.add_argument("--label", default="", help="a word for the results file name")
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    DATA.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    # As installed (pip writes the .pyc files; an editable install under PYTHONDONTWRITEBYTECODE
    # would compile some fifty modules at every start, about 0.2 s the bare app never pays).
    subprocess.run([PY, "-m", "compileall", "-q", str(HERE.parent / "ips_tui")], check=True,
                   stdout=subprocess.DEVNULL)
    rows: list[tuple[str, str, str, str, str]] = []
    figures: dict[str, dict[str, float]] = {}

    def add(what: str, goal: str, value: str, ok: bool | None, ratio: str = "") -> None:
        mark = "" if ok is None else ("met" if ok else "MISSED")
        rows.append((what, goal, value, ratio, mark))
        print(f"{what:<66} {value:>12} {ratio:>22}  {mark}", flush=True)

    h = statistics.median(measured([str(BIN), "--help"])[0] for _ in range(args.runs))
    textual = help_imports_textual()
    add("`ips-tui --help`, whole process", "< 0.25 s, no Textual", f"{h:.3f} s",
        h < 0.25 and not textual)
    for size in sizes:
        folder, db = dataset(size)
        national = size == "national"
        f: dict[str, float] = {}
        t = timed_pair({
            "reminders": [str(BIN), "reminders", "--db", str(db), "--on", TODAY, "--format", "json"],
            "ref": [PY, str(HERE / "ref_reminders.py"), str(folder), TODAY],
            "agenda": [str(BIN), "agenda", "--db", str(db), "--date", MEETING, "--format", "md"]},
            args.runs)
        f["reminders_s"], f["ref_reminders_s"], f["agenda_s"] = t["reminders"], t["ref"], t["agenda"]
        f["same_reminders"] = float(same_reminders(db, folder))
        if size in args.import_sizes.split(","):
            f.update(import_figures(folder, 1))
        app_runs = [json.loads(subprocess.run(
            [PY, str(HERE / "app_timing.py"), str(db), TODAY, BIG],
            check=True, capture_output=True, text=True).stdout) for _ in range(args.runs)]
        for key in app_runs[0]:
            f[key] = statistics.median(r[key] for r in app_runs)
        if shutil.which("tmux"):
            for mine in (False, True):
                for key, value in tmux_figures(db, db, args.runs, mine).items():
                    f[f"tmux_{'mine_' if mine else ''}{key}"] = value
        if args.pg:
            f.update(server_figures(args.pg, size, db, folder, args.runs, app=national))
        figures[size] = f

        def ratio_row(what: str, key: str, ref_key: str, goal_key: str, unit: str = "s",
                      f: dict[str, float] = f, size: str = size) -> None:
            ratio = f[key] / f[ref_key]
            limit = RATIO_GOALS.get((goal_key, size))
            add(f"[{size}] {what}", f"<= {limit}x the reference" if limit else "(reference)",
                f"{f[key]:.3f} {unit}", ratio <= limit if limit else None,
                f"{ratio:.2f}x ({f[ref_key]:.3f} {unit})")

        ratio_row("`ips-tui reminders --format json` vs stdlib script on the CSVs", "reminders_s",
                  "ref_reminders_s", "reminders")
        add(f"[{size}] ... both print the same bytes", "yes", "yes" if f["same_reminders"] else "NO",
            bool(f["same_reminders"]))
        if national:
            add(f"[{size}] `ips-tui reminders --format json`, whole process", "< 2.5 s",
                f"{f['reminders_s']:.3f} s", f["reminders_s"] < 2.5)
        add(f"[{size}] `ips-tui agenda --format md`, whole process",
            "< 3 s" if national else "< 1.5 s (region)", f"{f['agenda_s']:.3f} s",
            f["agenda_s"] < 3 if national else (f["agenda_s"] < 1.5 if size == "region" else None))
        if "import_s" in f:
            ratio_row("`ips-tui import` vs stdlib csv + executemany loader", "import_s",
                      "ref_load_s", "import")
            # the goal is the region's import; a national import is reported, not judged
            add(f"[{size}] ... peak memory of the import (the loader's)",
                "< 150 MB" if size == "region" else "(reference)",
                f"{f['import_peak_mb']:.0f} MB",
                f["import_peak_mb"] < 150 if size == "region" else None,
                f"({f['ref_load_peak_mb']:.0f} MB)")
        if "tmux_start_to_caseload_s" in f:
            ratio_row("app start to caseload painted vs bare Textual app (tmux)",
                      "tmux_start_to_caseload_s", "tmux_bare_start_s", "start")
            add(f"[{size}] ... to the specialist's own caseload (tmux)",
                "< 2 s" if national else "(reference)",
                f"{f['tmux_mine_start_to_caseload_s']:.3f} s",
                f["tmux_mine_start_to_caseload_s"] < 2 if national else None)
            for prefix, whose in (("tmux_", "everyone's"), ("tmux_mine_", "own")):
                rows_n = "" if prefix == "tmux_mine_" else f", {int(f['caseload_rows_all'])} rows"
                add(f"[{size}] filter keystroke to repaint, median ({whose} caseload{rows_n}, tmux)",
                    "< 50 ms", f"{f[prefix + 'filter_keystroke_s'] * 1000:.0f} ms",
                    f[prefix + "filter_keystroke_s"] < 0.05)
                add(f"[{size}] ... the slowest keystroke of each run (median over runs)",
                    "(reference)", f"{f[prefix + 'filter_keystroke_max_s'] * 1000:.0f} ms", None)
            contacts = int(f["big_client_contacts"])
            for key, what in (("open_client_s", "first in a session"),
                              ("reopen_client_s", "the same at once again"),
                              ("open_after_another_s", "again after another client")):
                add(f"[{size}] open a client with {contacts} contacts ({what}, tmux)", "< 150 ms",
                    f"{f['tmux_mine_' + key] * 1000:.0f} ms", f["tmux_mine_" + key] < 0.15)
        add(f"[{size}] app start to caseload painted (Pilot)", "(reference)",
            f"{f['start_to_caseload_s']:.3f} s", None)
        add(f"[{size}] filter keystroke to last repaint (Pilot, paint-stamped)", "(reference)",
            f"{f['filter_keystroke_paint_s'] * 1000:.0f} ms", None)
        add(f"[{size}] peak memory of the app (Pilot, everyone's caseload shown)",
            "< 200 MB" if national else "< 150 MB", f"{f['peak_rss_mb']:.0f} MB",
            f["peak_rss_mb"] < (200 if national else 150))
        if "pg_move_s" in f:
            add(f"[{size}] PostgreSQL: `ips-tui migrate-to` the data set",
                "< 10 s (region)", f"{f['pg_move_s']:.1f} s",
                f["pg_move_s"] < 10 if size == "region" else None)
            add(f"[{size}] PostgreSQL: `ips-tui reminders --format json` (same bytes: "
                f"{'yes' if f['pg_same_reminders'] else 'NO'})",
                "< 2.5 s" if national else "(reference)", f"{f['pg_reminders_s']:.3f} s",
                f["pg_reminders_s"] < 2.5 if national else None)
            add(f"[{size}] PostgreSQL: `ips-tui agenda --format md`",
                "< 3 s" if national else "(reference)", f"{f['pg_agenda_s']:.3f} s",
                f["pg_agenda_s"] < 3 if national else None)
            if "pg_tmux_start_to_caseload_s" in f:
                add(f"[{size}] PostgreSQL: app start to own caseload painted (tmux)", "< 2 s",
                    f"{f['pg_tmux_start_to_caseload_s']:.3f} s", f["pg_tmux_start_to_caseload_s"] < 2)
                add(f"[{size}] PostgreSQL: filter keystroke, own caseload (tmux)", "< 50 ms",
                    f"{f['pg_tmux_filter_keystroke_s'] * 1000:.0f} ms",
                    f["pg_tmux_filter_keystroke_s"] < 0.05)
                add(f"[{size}] PostgreSQL: open the big client (first, tmux)", "< 150 ms",
                    f"{f['pg_tmux_open_client_s'] * 1000:.0f} ms", f["pg_tmux_open_client_s"] < 0.15)
    for other, goal, limit in (("long", "< 1.5x", 1.5), ("region", "<= 10x", 10.0)):
        if other in figures and "program" in figures:
            for key, label in (("reminders_s", "reminders"), ("agenda_s", "agenda")):
                ratio = figures[other][key] / figures["program"][key]
                add(f"growth {other} vs program: {label}", goal, f"{ratio:.2f}x", ratio <= limit)
    grown = [s for s in ("program", "region", "national") if s in figures]
    if len(grown) > 1:
        for key, label in (("reminders_s", "reminders (s)"), ("agenda_s", "agenda (s)"),
                           ("tmux_start_to_caseload_s", "app start to caseload (s)"),
                           ("tmux_mine_filter_keystroke_s", "filter keystroke, own caseload (s)"),
                           ("tmux_filter_keystroke_s", "filter keystroke, everyone's (s)"),
                           ("tmux_mine_open_client_s", "open a client (s)"),
                           ("peak_rss_mb", "app peak memory (MB)")):
            if all(key in figures[s] for s in grown):
                values = " → ".join(f"{figures[s][key]:.3f}" for s in grown)
                add(f"growth {' → '.join(grown)}: {label}", "(own caseload, opening: flat)",
                    values, None)
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M")
    out = RESULTS / f"{stamp}{'-' + args.label if args.label else ''}.md"
    lines = [f"# Benchmarks {stamp} {args.label}".rstrip(), "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores shared with other work, "
             f"{platform.python_implementation()} {platform.python_version()}; "
             f"median of {args.runs} runs, references run in turn with what they measure.", "",
             "| what | goal | measured | against its reference | |",
             "| --- | --- | ---: | ---: | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows]
    out.write_text("\n".join(lines) + "\n")
    (RESULTS / "latest.md").write_text("\n".join(lines) + "\n")
    (DATA / f"{stamp}.json").write_text(json.dumps(figures, indent=1))
    print(f"\nWrote {out}")


if __name__ == "__main__":
    main()
