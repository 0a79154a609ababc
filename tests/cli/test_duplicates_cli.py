"""`ips-tui merge-clients` and the likely-duplicate warnings after `ips-tui import`."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from conftest import KIM, SAM

from ips_tui.cli import cli
from ips_tui.store import queries, writes
from ips_tui.store.db import close_store, open_store


def run(*args: str, input: str | None = None):
    result = CliRunner().invoke(cli, list(args), input=input)
    close_store()
    return result


def twin(seeded, specialist: str = SAM) -> str:
    """A second record for Ana Zeller (C0001, Sam's), with a contact and notes: C0006."""
    cid = writes.create_client({"first_name": "Zeller", "last_name": "Ana", "specialist": specialist,
                                "stage": "referred", "notes": "Met at the drop-in."}, by=SAM)
    writes.add_client_contact({"client_id": cid, "date": "2026-11-03", "specialist": SAM,
                               "mode": "phone"}, by=SAM)
    close_store()
    return cid


def clients_of(location) -> set[str]:
    open_store(location)
    try:
        return {r.client_id for r in queries.caseload(include_closed=True)}
    finally:
        close_store()


# ------------------------------------------------------------------ merge-clients

def test_merge_clients_with_yes_says_what_it_did(seeded):
    other = twin(seeded)
    result = run("merge-clients", "--db", str(seeded.path), "C0001", other, "--yes")
    assert result.exit_code == 0, result.output
    assert "Keep:   Ana Zeller (C0001, Employed, Sam Ortiz)" in result.output
    assert f"Delete: Zeller Ana ({other}, Referred, Sam Ortiz)" in result.output
    assert "Moves:  1 contact, 0 jobs, 0 employer contacts" in result.output
    assert f"Notes:  {other}'s notes are added to the end of C0001's" in result.output
    assert f"Merged {other} into C0001: 1 contact(s), 0 job(s), 0 employer contact(s) moved; {other} deleted." in result.output
    assert other not in clients_of(seeded.path)
    audit = run("audit", "--db", str(seeded.path), "--client", "C0001", "--limit", "1")
    assert f"merge   client {other}" in audit.output


def test_merge_clients_without_a_terminal_needs_yes(seeded):
    other = twin(seeded)
    result = run("merge-clients", "--db", str(seeded.path), "C0001", other)
    assert result.exit_code == 1
    assert "add --yes to confirm" in result.output
    assert other in clients_of(seeded.path)


@pytest.mark.parametrize(("answer", "merged"), [("y\n", True), ("n\n", False)])
def test_merge_clients_asks_first_in_a_terminal(seeded, monkeypatch, answer, merged):
    other = twin(seeded)
    monkeypatch.setattr("ips_tui.cli.sys", SimpleNamespace(
        stdin=SimpleNamespace(isatty=lambda: True), stdout=sys.stdout, stderr=sys.stderr))
    result = run("merge-clients", "--db", str(seeded.path), "C0001", other, input=answer)
    assert f"Merge {other} into C0001 and delete {other}?" in result.output
    assert result.exit_code == (0 if merged else 1), result.output
    assert (other not in clients_of(seeded.path)) is merged


def test_merge_clients_of_two_specialists_needs_yes(seeded):
    other = twin(seeded, specialist=KIM)
    result = run("merge-clients", "--db", str(seeded.path), "C0001", other)
    assert result.exit_code == 1
    assert f"C0001 is {SAM}'s client and {other} is {KIM}'s" in result.output
    assert "Different specialists: Sam Ortiz and Kim Park" in result.output
    assert other in clients_of(seeded.path)
    result = run("merge-clients", "--db", str(seeded.path), "C0001", other, "--yes")
    assert result.exit_code == 0, result.output
    assert other not in clients_of(seeded.path)


@pytest.mark.parametrize(("keep", "other", "message"), [
    ("C0001", "C0001", "C0001 and C0001 are the same client: nothing to merge"),
    ("C0001", "C0999", "no client has id 'C0999'"),
    ("C0999", "C0001", "no client has id 'C0999'"),
])
def test_merge_clients_refusals_are_one_clear_line(seeded, keep, other, message):
    close_store()
    result = run("merge-clients", "--db", str(seeded.path), keep, other, "--yes")
    assert result.exit_code == 1
    assert result.output == f"Error: {message}\n"
    assert clients_of(seeded.path) == {"C0001", "C0002", "C0003", "C0004", "C0005"}


def test_merge_clients_on_a_missing_file_creates_nothing(tmp_path):
    result = run("merge-clients", "--db", str(tmp_path / "none.db"), "C0001", "C0002", "--yes")
    assert result.exit_code == 1
    assert not (tmp_path / "none.db").exists()


# ------------------------------------------------------------------ import warnings

def write_clients(folder: Path, rows: list[str]) -> Path:
    folder.mkdir()
    (folder / "clients.csv").write_text(
        "client_id,first_name,last_name,specialist,stage,referral_date\n" + "".join(f"{r}\n" for r in rows),
        encoding="utf-8")
    return folder


def test_import_lists_likely_duplicates_as_warnings(seeded, tmp_path):
    close_store()
    folder = write_clients(tmp_path / "in", [
        f"N0001,ANA,Zéller,{KIM},referred,2026-11-01",  # Ana Zeller exists (C0001)
        f"N0002,Hana,Ito,{SAM},referred,2026-11-01",
        f'N0003,,"ito, hana",{SAM},engaged,2026-11-02',  # the same as N0002
        f"N0004,Dev,Adamson,{KIM},referred,2026-11-02",  # not Dev Adams
    ])
    result = run("import", "--db", str(seeded.path), str(folder))
    assert result.exit_code == 0, result.output
    assert "clients.csv: 4 added" in result.stdout
    assert result.stderr.splitlines() == [
        "warning: likely duplicate: C0001 Ana Zeller (Employed, Sam Ortiz) and N0001 ANA Zéller (Referred, Kim Park)",
        "warning: likely duplicate: N0002 Hana Ito (Referred, Sam Ortiz) and N0003 ito, hana (Engaged, Sam Ortiz)",
        "2 likely duplicate pair(s) (same name); if two are one person, `ips-tui merge-clients KEEP OTHER` merges them.",
    ]
    assert {"N0001", "N0002", "N0003", "N0004"} <= clients_of(seeded.path)  # warnings, not errors
    # importing the same files again adds nothing and warns of nothing new
    again = run("import", "--db", str(seeded.path), str(folder))
    assert again.exit_code == 0, again.output
    assert again.stderr == ""


def test_an_import_without_duplicates_warns_of_nothing(seeded, tmp_path):
    close_store()
    folder = write_clients(tmp_path / "in", [f"N0001,Hana,Ito,{SAM},referred,2026-11-01"])
    result = run("import", "--db", str(seeded.path), str(folder))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_a_long_list_of_duplicates_is_cut_short(seeded, tmp_path, monkeypatch):
    monkeypatch.setattr("ips_tui.cli.DUPLICATES_LISTED", 2)
    close_store()
    folder = write_clients(tmp_path / "in", [f"N000{i},Ana,Zeller,{SAM},referred,2026-11-01" for i in range(1, 4)])
    result = run("import", "--db", str(seeded.path), str(folder))
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 4
    assert lines[2] == "warning: ... and 4 more likely duplicates"  # 4 records of Ana: 6 pairs
    assert lines[3].startswith("6 likely duplicate pair(s)")
