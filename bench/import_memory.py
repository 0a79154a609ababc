"""Peak memory (and CPU time) of `ips-tui import`, whole process, on a generated data set.

    .venv/bin/python bench/import_memory.py [--size long] [--bad-rows 1000000] [--keep DIR]

Three runs of the installed `ips-tui` script, each in a fresh process whose peak resident set
(max RSS) is read from the operating system: the data set of bench/generate.py imported into a
new database, the same files imported again (every row already there), and, with --bad-rows,
a client_contacts.csv of that many rows that are all wrong (the import must refuse it, list the
first 100 problems and count the rest). The goal (issue 19) is a peak that stays flat however big
the files are: 150 MB for a region. Timing lives here, never in the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
BIN = Path(sys.executable).with_name("ips-tui")


#: Runs a command and prints its own peak RSS (KiB on Linux) and CPU seconds: a process of its
#: own per measurement, as RUSAGE_CHILDREN keeps the largest peak of every child waited for.
_WRAPPER = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, stdin=subprocess.DEVNULL)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
lines = (done.stdout + done.stderr).strip().splitlines()
print(usage.ru_maxrss, usage.ru_utime + usage.ru_stime, done.returncode)
print(lines[-1] if lines else "")
"""


def measured(args: list[str]) -> tuple[float, float, int, str]:
    """Run ips-tui ARGS in a child; (MB peak RSS, CPU seconds, exit status, last output line)."""
    out = subprocess.run([sys.executable, "-c", _WRAPPER, str(BIN), *args], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    peak, cpu, status = out[0].split()
    return int(peak) / 1024, float(cpu), int(status), out[1] if len(out) > 1 else ""


def bad_contacts(folder: Path, rows: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "client_contacts.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("client_id,date,specialist,mode,notes\n")
        for i in range(rows):
            fh.write(f"C{i:06d},2026-13-{i % 40:02d},Nobody,pigeon,row {i}\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="long", help="a size of bench/generate.py")
    parser.add_argument("--bad-rows", type=int, default=0, help="also import this many bad rows")
    parser.add_argument("--keep", type=Path, help="work in this folder (kept) instead of a temp one")
    args = parser.parse_args()
    from generate import generate

    work = args.keep or Path(tempfile.mkdtemp(prefix="ips-import-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        data = work / args.size
        if not data.exists():
            generate(data, args.size, dt.date(2026, 11, 23))
        rows = sum(max(0, len(p.read_bytes().splitlines()) - 1) for p in data.glob("*.csv"))
        size = sum(p.stat().st_size for p in data.glob("*.csv")) / 1e6
        print(f"data set {args.size}: {rows:,} rows, {size:.0f} MB")
        runs: list[tuple[str, list[str]]] = []
        if args.bad_rows:
            bad = bad_contacts(work / "bad", args.bad_rows)
            runs.append((f"{args.bad_rows:,} bad rows (refused)",
                         ["import", "--db", str(work / "bad.db"), str(bad)]))
        db = work / "bench.db"
        db.unlink(missing_ok=True)
        runs += [("import into a new database", ["import", "--db", str(db), str(data)]),
                 ("the same files again", ["import", "--db", str(db), str(data)])]
        for label, command in runs:
            started = time.perf_counter()
            peak, cpu, status, last = measured(command)
            wall = time.perf_counter() - started
            print(f"{label}: peak {peak:,.0f} MB, CPU {cpu:.1f} s, wall {wall:.1f} s, "
                  f"exit {status}: {last}")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
