"""Hostile database files and hostile text, through the real `ips-tui` console script.

* ``--db`` pointing at something that is not a healthy ips-tui database (a folder, random bytes,
  a truncated or damaged file, another program's SQLite file, a read-only file, a file another
  process holds locked, a named pipe, a dangling symlink): a clear ``Error:`` line, a non-zero
  exit, no Python traceback, no hang, and the file left byte for byte as it was.
* Control characters and escape sequences: refused in a CSV import with FILE:LINE errors, never
  echoed raw by the import, and when they got into the database behind the app's back they never
  reach the terminal raw in `ips-tui reminders` or `ips-tui agenda`. Output is read through a
  pseudo-terminal, because click strips some escape sequences when it writes to a pipe.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
import select
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from workers.helpers import CLI_WORKER, LOCK_HOLDER, child_env, connect, counts, file_state, ips_tui_exe

from ips_tui.store import writes
from ips_tui.store.db import close_store, open_store

posix_only = pytest.mark.skipif(os.name != "posix", reason="needs POSIX (pty, fifo, chmod)")

ON = "2026-11-23"  # the `today` of tests/conftest.py
SHORT_MS = 300  # busy timeout for the lock tests (the app's default is 10 s)


# ---------------------------------------------------------------- running the CLI

def run_cli(*args: str, timeout: float = 30, busy_ms: int | None = None) -> tuple[int, str]:
    """Run `ips-tui ARGS` in a new process; (exit status, stdout+stderr). Fails on a hang."""
    if busy_ms is None:
        command = [ips_tui_exe(), *args]
    else:
        command = [sys.executable, str(CLI_WORKER), str(busy_ms), *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=child_env(),
                              timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"`ips-tui {' '.join(args)}` hung for more than {timeout} s")
    return done.returncode, done.stdout + done.stderr


def run_in_terminal(*args: str, timeout: float = 30) -> bytes:
    """Run `ips-tui ARGS` with stdout and stderr on a pseudo-terminal; everything it wrote."""
    import pty

    master, slave = pty.openpty()
    env = child_env()
    env["COLUMNS"] = "100"
    proc = subprocess.Popen([ips_tui_exe(), *args], stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=slave, env=env, close_fds=True)
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            if time.monotonic() > deadline:
                raise AssertionError(f"`ips-tui {' '.join(args)}` hung")
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            elif proc.poll() is not None:
                break
        proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return b"".join(chunks)


def assert_clear_error(rc: int, output: str) -> None:
    assert rc != 0, output
    assert "Traceback" not in output, output
    assert "Error:" in output, output


def siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir() if p.name.startswith(path.name)}


# ---------------------------------------------------------------- hostile database files

def make_good(path: Path, clients: int = 120) -> Path:
    """A real ips-tui database with enough clients to span many pages; closed."""
    open_store(path)
    writes.add_specialist("Sam Ortiz")
    for i in range(clients):
        writes.create_client({"client_id": f"C{i:04d}", "last_name": f"Name{i} " + "x" * 40,
                              "specialist": "Sam Ortiz", "stage": "employed",
                              "referral_date": "2026-01-05", "notes": "n" * 400})
        writes.create_job({"job_id": f"J{i:04d}", "client_id": f"C{i:04d}",
                           "title": "Clerk", "start_date": "2026-10-01"})
    close_store()
    assert not Path(f"{path}-wal").exists()
    return path


def _random(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(20_000))


def _sqlite_header_then_random(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + random.Random(2).randbytes(20_000))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text("keep me")


def _other_app(path: Path) -> None:
    con = sqlite3.connect(path)
    con.executescript("create table photos(id integer primary key, name text);"
                      "insert into photos(name) values ('cat.jpg'), ('dog.jpg');")
    con.commit()
    con.close()


def _other_app_wal(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("pragma journal_mode=wal")
    con.executescript("create table ips_meta(key text primary key, value text);"
                      "insert into ips_meta values ('app', 'something-else'), "
                      "('schema_version', '1');")
    con.commit()
    con.close()


def _truncated(keep):  # type: ignore[no-untyped-def]
    """A real database cut short: ``keep(size)`` is how many bytes of it are left."""
    def make(path: Path) -> None:
        make_good(path)
        data = path.read_bytes()
        path.write_bytes(data[:keep(len(data))])
    return make


HOSTILE = {
    "a folder": _folder,
    "an empty file": _empty,
    "random bytes": _random,
    "an SQLite header and random bytes": _sqlite_header_then_random,
    "truncated to 100 bytes": _truncated(lambda size: 100),
    "truncated a little after the first page": _truncated(lambda size: 4096 + 10),
    "truncated to half": _truncated(lambda size: size // 2),
    "truncated by its last page": _truncated(lambda size: size - 4096),
    "another program's SQLite database": _other_app,
    "an SQLite database with an ips_meta of another app": _other_app_wal,
}


@pytest.mark.parametrize("command", [["reminders", "--on", ON], ["import", "{folder}"]],
                         ids=["reminders", "import"])
@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_database_file_gives_a_clear_error_and_is_left_untouched(
        tmp_path, case, command):
    path = tmp_path / "target.db"
    HOSTILE[case](path)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "specialists.csv").write_text("name\nNew Person\n")
    before, mode = file_state(path)
    beside = siblings(path)
    listing = sorted(os.listdir(path)) if path.is_dir() else None

    args = [a.replace("{folder}", str(folder)) for a in command]
    rc, output = run_cli(args[0], "--db", str(path), *args[1:])
    assert_clear_error(rc, output)
    assert file_state(path) == (before, mode), "the file was changed"
    assert siblings(path) == beside, "files were left beside it"
    if listing is not None:
        assert sorted(os.listdir(path)) == listing


def test_a_database_with_a_damaged_data_page_gives_a_clear_error(tmp_path):
    path = make_good(tmp_path / "damaged.db")
    con = sqlite3.connect(path)
    (root,) = con.execute("select rootpage from sqlite_master where name='client'").fetchone()
    page = con.execute("pragma page_size").fetchone()[0]
    con.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page:root * page] = random.Random(3).randbytes(page)
    path.write_bytes(bytes(data))
    rc, output = run_cli("reminders", "--db", str(path), "--on", ON)
    assert path.read_bytes() == bytes(data)
    assert_clear_error(rc, output)


def test_a_damaged_table_is_named_by_check_and_never_backed_up(tmp_path):
    path = make_good(tmp_path / "damaged.db")
    con = sqlite3.connect(path)
    (root,) = con.execute("select rootpage from sqlite_master where name='client'").fetchone()
    page = con.execute("pragma page_size").fetchone()[0]
    con.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page:root * page] = random.Random(3).randbytes(page)
    path.write_bytes(bytes(data))
    rc, output = run_cli("check", "--db", str(path), "--today", ON)
    assert rc == 1 and "Traceback" not in output, output
    assert "damaged: table client cannot be read whole" in output, output
    assert "all good" not in output
    copy = tmp_path / "copy.db"
    rc, output = run_cli("backup", "--db", str(path), str(copy))
    assert_clear_error(rc, output)
    assert "damaged: table client cannot be read whole" in output and "Not backing it up" in output
    assert not copy.exists() and not list(tmp_path.glob("*.partial"))
    rc, output = run_cli("reminders", "--db", str(path), "--on", ON)
    assert_clear_error(rc, output)
    assert "table client" in output, output
    assert path.read_bytes() == bytes(data)


# ---------------------------------------------------------------- read-only files

@posix_only
def test_a_read_only_database_file_is_never_written(tmp_path):
    path = make_good(tmp_path / "readonly.db")
    os.chmod(path, 0o400)
    if os.geteuid() == 0 or os.access(path, os.W_OK):
        pytest.skip("running as root: a 0o400 file is still writable, so it is not read-only")
    before = path.read_bytes()
    rc, output = run_cli("import", "--db", str(path), str(make_folder(tmp_path)))
    assert_clear_error(rc, output)
    assert "nothing was imported" in output
    # (Opening it makes it 0o600 again: a separate bug, see the write-protected test below.)
    os.chmod(path, 0o400)
    rc, output = run_cli("reminders", "--db", str(path), "--on", ON)
    assert "Traceback" not in output, output
    assert rc == 0 or "Error:" in output, output  # reading a read-only database may work
    assert path.read_bytes() == before


def make_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "import"
    folder.mkdir(exist_ok=True)
    (folder / "specialists.csv").write_text("name\nNew Person\n")
    return folder


@posix_only
def test_an_immutable_database_file_is_never_written(tmp_path):
    """Read-only even for root: the file has the immutable attribute (chattr +i)."""
    path = make_good(tmp_path / "immutable.db")
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(path)],
                                        capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here (needs root and a supporting filesystem)")
    try:
        before = path.read_bytes()
        rc, output = run_cli("reminders", "--db", str(path), "--on", ON)
        assert "Traceback" not in output, output
        assert rc == 0 or "Error:" in output, output
        rc, output = run_cli("import", "--db", str(path), str(make_folder(tmp_path)))
        assert_clear_error(rc, output)
        assert "nothing was imported" in output
        assert path.read_bytes() == before
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


@posix_only
def test_a_write_protected_database_stays_write_protected(tmp_path):
    path = make_good(tmp_path / "protected.db")
    os.chmod(path, 0o400)
    rc, output = run_cli("reminders", "--db", str(path), "--on", ON)
    assert rc == 0, output
    assert stat.S_IMODE(path.stat().st_mode) == 0o400


# ---------------------------------------------------------------- locked files

@pytest.fixture
def locked(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Start a process that holds a lock on a good database: yields (path, bytes before)."""
    holders: list[subprocess.Popen] = []

    def lock(mode: str) -> tuple[Path, bytes]:
        path = make_good(tmp_path / f"locked-{mode}.db", clients=5)
        before = path.read_bytes()
        ready = tmp_path / f"ready-{mode}"
        proc = subprocess.Popen(
            [sys.executable, str(LOCK_HOLDER), str(path), mode,
             str(ready)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=child_env())
        holders.append(proc)
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the lock holder never got its lock"
            time.sleep(0.01)
        return path, before

    yield lock
    for proc in holders:
        proc.kill()
        proc.communicate()


def test_a_database_held_in_an_exclusive_transaction_does_not_hang_a_writer(locked, tmp_path):
    path, before = locked("transaction")
    # Readers are not blocked by a writer in WAL mode: reminders may simply work.
    rc, output = run_cli("reminders", "--db", str(path), "--on", ON, busy_ms=SHORT_MS)
    assert "Traceback" not in output, output
    assert rc == 0 or "Error:" in output, output
    # A writer waits for the busy timeout, then says the database is locked.
    rc, output = run_cli("import", "--db", str(path), str(make_folder(tmp_path)),
                         busy_ms=SHORT_MS)
    assert_clear_error(rc, output)
    assert "locked" in output and "nothing was imported" in output
    assert path.read_bytes() == before


def test_a_database_locked_exclusively_gives_a_clear_error(locked, tmp_path):
    path, before = locked("exclusive")
    for args in (["reminders", "--on", ON], ["import", str(make_folder(tmp_path))]):
        rc, output = run_cli(args[0], "--db", str(path), *args[1:], busy_ms=SHORT_MS)
        assert_clear_error(rc, output)
        assert "locked" in output
    assert path.read_bytes() == before


# ---------------------------------------------------------------- special files

@posix_only
def test_a_named_pipe_is_refused_without_hanging(tmp_path):
    path = tmp_path / "pipe.db"
    os.mkfifo(path)
    rc, output = run_cli("reminders", "--db", str(path), "--on", ON, timeout=3)
    assert_clear_error(rc, output)


@posix_only
def test_a_dangling_symlink_gives_a_clear_error(tmp_path):
    path = tmp_path / "link.db"
    path.symlink_to(tmp_path / "unmounted" / "ips.db")
    rc, output = run_cli("import", "--db", str(path), str(make_folder(tmp_path)))
    assert path.is_symlink() and not (tmp_path / "unmounted").exists()
    assert_clear_error(rc, output)


# ---------------------------------------------------------------- control characters

#: C0 and C1 control characters and the right-to-left override.
ESCAPE_CHARS = {chr(c) for c in range(0x20)} | {chr(c) for c in range(0x7f, 0xa0)} | {"\u202e"}
ESCAPES = ["\x1b[31m", "\x1b]0;pwned\x07", "\x1b[2J", "\x9b31m", "\x07", "\x08", "\r",
           "\u202e", "\x00"]


@pytest.mark.parametrize("escape", ESCAPES, ids=[repr(e) for e in ESCAPES])
def test_control_characters_in_an_imported_name_are_refused_with_file_and_line(
        db, tmp_path, escape):
    from ips_tui import interchange as ix

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "specialists.csv").write_text("name\nSam Ortiz\n", encoding="utf-8")
    (folder / "clients.csv").write_text(
        "client_id,first_name,last_name,specialist,stage\n"
        "C0001,Ana,Plain,Sam Ortiz,engaged\n"
        f'C0002,Ben,"Red{escape}Name",Sam Ortiz,engaged\n', encoding="utf-8", newline="")
    before = counts(db)
    with pytest.raises(ix.ImportFailed) as caught:
        ix.import_paths([folder])
    errors = caught.value.errors
    if escape == "\x00":
        assert errors == ["clients.csv:3: contains NUL bytes, so it is not CSV text (perhaps "
                          "UTF-16); save it as CSV UTF-8"]
    else:
        bad = next(ch for ch in escape if ch in ESCAPE_CHARS)
        assert errors == [f"clients.csv:3: last_name: contains a control character "
                          f"(U+{ord(bad):04X}); remove it"]
    assert counts(db) == before



def terminal_bytes_are_safe(output: bytes) -> None:
    text = output.decode("utf-8", "replace")
    assert "\x1b" not in text and "\x9b" not in text, repr(text)
    assert not {ch for ch in text if ch in ESCAPE_CHARS} - {"\n", "\r"}, repr(text)
    assert "\u202e" not in text


@posix_only
def test_import_errors_never_echo_escape_sequences_to_the_terminal(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "specialists.csv").write_text(
        "name,email,active\nSam Ortiz,,\x1b]0;pwned\x07yes\n", encoding="utf-8")
    (folder / "clients.csv").write_text(
        "client_id,last_name,specialist,stage,referral_date,\x1b[2Jextra\n"
        "C0001,Lee,Sam Ortiz,engaged,2026\x1b[31m-01-01,\n", encoding="utf-8")
    output = run_in_terminal("import", "--db", str(tmp_path / "new.db"), str(folder))
    assert b"nothing was imported" in output
    # On a terminal the import shows a progress bar, which hides and shows the cursor itself.
    for own in (b"\x1b[?25l", b"\x1b[?25h"):
        output = output.replace(own, b"")
    terminal_bytes_are_safe(output)


def test_a_file_of_bad_rows_prints_100_problems_a_count_and_no_huge_value(tmp_path):
    """A million bad rows printed two million lines; a 130,000-character cell was echoed whole."""
    folder = tmp_path / "in"
    folder.mkdir()
    huge = "9" * 130_000
    rows = "".join(f"Person {i},,{'maybe' if i else huge}\n" for i in range(1_500))
    (folder / "specialists.csv").write_text("name,email,active\n" + rows, encoding="utf-8")
    rc, output = run_cli("import", "--db", str(tmp_path / "new.db"), str(folder))
    assert rc == 1 and "Traceback" not in output
    lines = output.splitlines()
    assert lines[0] == f"specialists.csv:2: active: '{'9' * 59}\u2026' is not yes or no"
    assert lines[1] == "specialists.csv:3: active: 'maybe' is not yes or no"
    assert lines[99] == "specialists.csv:101: active: 'maybe' is not yes or no"
    assert lines[100:] == ["... and 1,400 more errors",
                           "Error: 1,500 problem(s) found; nothing was imported"]


HOSTILE_NAME = "Ana\x1b[31m\x1b]0;pwned\x07\x9b2J\u202e\x08\rZ"


@pytest.fixture
def smuggled(seeded, today) -> Path:
    """The seeded caseload with escape sequences written into names behind the app's back."""
    close_store()
    con = connect(seeded.path)  # a file or the test server, never through the app's store
    con.execute("update client set first_name = ?, last_name = ?", (HOSTILE_NAME, "Evil\x1b[5m"))
    con.execute("update specialist set name = name || ?", ("\x1b[41m",))
    con.execute("update employer set name = ?", ("Hotel\x1b]8;;http://x\x07",))
    con.execute("update job set title = ?", ("Maid\x1b[8m",))
    con.execute("update client set discuss = ?, discuss_note = ?, next_step = ?",
                (True, "talk\x1b[31m", "call\x1b[32m"))
    con.commit()
    con.close()
    return seeded.path


@posix_only
def test_smuggled_escape_sequences_never_reach_the_terminal_in_reminders(smuggled):
    output = run_in_terminal("reminders", "--db", str(smuggled), "--on", ON, "--within", "30")
    assert b"Ana?" in output, output  # the client with the hostile name is listed
    terminal_bytes_are_safe(output)


@posix_only
@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_smuggled_escape_sequences_never_reach_the_terminal_in_the_agenda(smuggled, fmt):
    output = run_in_terminal("agenda", "--db", str(smuggled), "--date", "2026-11-24",
                             "--format", fmt)
    assert b"C0001" in output and b"C0005" in output, output
    terminal_bytes_are_safe(output)


def no_control_characters(text: str) -> None:
    """Nothing in ``text`` is a control character (by the program's one definition) but line
    ends (a terminal turns every newline into CR LF; iCalendar lines end in CR LF)."""
    from ips_tui.output import first_control_character

    bad = first_control_character(text, allow="\n\r")
    assert bad is None, f"U+{ord(bad or ' '):04X} in {text!r}"


SMUGGLED_CONTROLS = HOSTILE_NAME + "\u202a\u2066\u200e\u061c\x85\x00"


@posix_only
@pytest.mark.parametrize("fmt", ["csv", "json", "ics"])
def test_smuggled_control_characters_never_leave_in_reminders_csv_json_or_ics(smuggled, tmp_path, fmt):
    # PostgreSQL refuses NUL in text, so on a server the name carries every control but NUL.
    name = SMUGGLED_CONTROLS if isinstance(smuggled, Path) else SMUGGLED_CONTROLS.replace("\x00", "")
    con = connect(smuggled)
    con.execute("update client set first_name = ? where client_id = 'C0001'", (name,))
    con.commit()
    con.close()
    args = ("reminders", "--db", str(smuggled), "--on", ON, "--within", "30", "--format", fmt)
    shown = run_in_terminal(*args).decode("utf-8")
    assert "C0001" in shown, shown
    no_control_characters(shown)
    file = tmp_path / f"reminders.{fmt}"
    rc, output = run_cli(*args, "-o", str(file))
    assert rc == 0, output
    written = file.read_text(encoding="utf-8")
    no_control_characters(written)
    if fmt == "json":  # JSON escapes them, so the name reads back exactly
        import json

        names = {r["client_id"]: r["client"] for r in json.loads(written)}
        assert names["C0001"] == f"{name} Evil\x1b[5m"


# ---------------------------------------------------------------- formulas in CSV files

#: Cells a spreadsheet would run (LibreOffice runs the full-width ＝ too; a tab or carriage
#: return first hides the sign from whoever reads the file).
FORMULAS = ['=HYPERLINK("http://example.org/?x","Open")', "+1+1", "-2+3", "@SUM(1,2)",
            "\t=1+1", "\r=4+4", "\uff1d5+5", "'=6+6", "\uff0b7", "\uff0d8", "\uff20SUM(9)"]
FORMULA_START = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
NUMBER = re.compile(r"-?\d+(\.\d+)?")


@pytest.fixture
def formulas(seeded) -> Path:
    """The seeded caseload with formulas written into names, titles and notes behind the
    app's back."""
    close_store()
    con = connect(seeded.path)
    ids = [row[0] for row in con.execute("select client_id from client order by client_id")]
    for i, client_id in enumerate(ids):
        con.execute("update client set first_name = ?, last_name = ?, notes = ? where client_id = ?",
                    (FORMULAS[i], FORMULAS[i + 5], FORMULAS[(i + 3) % len(FORMULAS)], client_id))
    con.execute("update employer set name = ? || employer_id", ("=1+",))
    con.execute("update job set title = ?", ("-3+3",))
    con.commit()
    con.close()
    return seeded.path


def every_csv_written(db: Path | str, folder: Path) -> list[Path]:
    """Every kind of CSV the program writes, from ``db`` into ``folder``."""
    rc, output = run_cli("export", "--db", str(db), str(folder / "export"))
    assert rc == 0, output
    files = sorted((folder / "export").glob("*.csv"))
    for command in (["reminders", "--on", ON, "--within", "30"],
                    ["outcomes", "--month", "2026-11", "--today", ON],
                    ["fidelity", "--month", "2026-11", "--today", ON]):
        out = folder / f"{command[0]}.csv"
        rc, output = run_cli(command[0], "--db", str(db), *command[1:], "--format", "csv", "-o", str(out))
        assert rc == 0, output
        files.append(out)
    return files


def test_no_csv_the_program_writes_starts_a_cell_with_a_formula(formulas, tmp_path):
    files = every_csv_written(formulas, tmp_path)
    reminders = list(csv.DictReader(io.StringIO((tmp_path / "reminders.csv").read_text())))
    assert {r["client_id"] for r in reminders} == {"C0001", "C0003"}
    cells = [cell for f in files for row in csv.reader(io.StringIO(f.read_text(encoding="utf-8")))
             for cell in row]
    assert any(c.startswith("'=HYPERLINK") for c in cells) and any(c.startswith("'\t=1") for c in cells)
    bad = [c for c in cells if c and c[0] in FORMULA_START and not NUMBER.fullmatch(c)]
    assert bad == []


@pytest.mark.sqlite_only
def test_libreoffice_runs_no_formula_from_any_csv_the_program_writes(formulas, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)")
    files = every_csv_written(formulas, tmp_path)
    # The check can fail: the same cells written as they are become formulas.
    raw = tmp_path / "raw.csv"
    raw.write_text("".join(f'"{f.replace(chr(34), chr(34) * 2)}"\n' for f in FORMULAS), encoding="utf-8")
    out = tmp_path / "fods"
    # Comma, double quote, UTF-8, from line 1, standard cells, default language, quoted fields
    # not forced to text, special numbers detected, ..., evaluate formulas: as a person opening
    # the file would.
    options = "CSV:44,34,76,1,,0,false,true,false,false,false,-1,true"
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--norestore", f"--infilter={options}", "--convert-to", "fods", "--outdir", str(out),
         str(raw), *map(str, files)],
        capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    converted = {f.stem: f.read_text(encoding="utf-8") for f in out.glob("*.fods")}
    assert set(converted) == {f.stem for f in [raw, *files]}, done.stdout + done.stderr
    # (LibreOffice 7.4 runs the cells starting with '='; others run more of them.)
    assert 'table:formula="of:=HYPERLINK' in converted.pop("raw")
    formulas_found = {name: text.count("table:formula=") for name, text in converted.items()}
    assert formulas_found == dict.fromkeys(converted, 0)
    assert "HYPERLINK" in converted["reminders"]  # the cell is there, as text
