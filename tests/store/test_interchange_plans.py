"""appointments.csv and the clients' mental-health columns in the interchange files: exported,
imported into a new database, exported again byte for byte; importing twice adds nothing; a
bad row is refused with its line."""

from __future__ import annotations

import pytest
from conftest import SAM

from ips_tui import interchange as ix
from ips_tui.store import appointments as plans
from ips_tui.store import writes
from ips_tui.store.db import close_store, open_store


def test_appointments_and_mh_columns_round_trip(seeded, tmp_path, fresh_location):
    writes.update_client("C0001", {"mh_practitioner": "Jo Reed", "mh_team": "North, CMHT"}, None)
    for values in ({"date": "2026-12-02", "time": "09:30", "location": "Cafe; High St"},
                   {"date": "2026-12-02", "time": "09:30", "location": "Cafe; High St"},  # twice
                   {"date": "2026-11-20", "status": "cancelled", "notes": "=ill\nline two"},
                   {"date": "2026-12-04", "mode": "phone", "client_id": "C0002"}):
        plans.add_appointment({"client_id": "C0001", "specialist": SAM, **values})
    first = tmp_path / "first"
    written = ix.export_dir(first)
    assert written["appointments.csv"] == 4
    header = (first / "appointments.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "client_id,date,time,mode,location,specialist,status,notes"
    clients_header = (first / "clients.csv").read_text(encoding="utf-8").splitlines()[0]
    assert clients_header.endswith(",mh_practitioner,mh_team")
    close_store()
    open_store(fresh_location("second"))
    summary = ix.import_paths([first])
    assert summary.files["appointments.csv"].added == 4
    assert [(r.client_id, r.status, r.time) for r in plans.appointments()] == [
        ("C0001", "cancelled", None), ("C0001", "planned", "09:30"),
        ("C0001", "planned", "09:30"), ("C0002", "planned", None)]
    second = tmp_path / "second"
    ix.export_dir(second)
    for name in ix.FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    again = ix.import_paths([first])
    assert again.files["appointments.csv"].added == 0


def test_a_bad_appointment_row_is_refused_with_its_line(seeded, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "appointments.csv").write_text(
        "client_id,date,time,specialist,status\nC0001,2026-12-02,9:30,Sam Ortiz,planned\n"
        "C0009,2026-12-02,29:00,Sam Ortiz,maybe\n", encoding="utf-8")
    with pytest.raises(ix.ImportFailed) as caught:
        ix.import_paths([folder / "appointments.csv"])
    text = "\n".join(caught.value.errors)
    assert "appointments.csv:3" in text and "time" in text and "status" in text
    assert plans.appointments() == []
