"""`ips-tui check`: SQLite's own integrity check plus the app's consistency rules over the records.

Each finding is a :class:`Finding` with a severity: ``error`` (the database is damaged or a rule
the app relies on is broken) or ``warning`` (worth a look: a closed client with a job that never
ended, a contact dated in the future).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from ips_tui import vocab
from ips_tui.store import models as m


@dataclass(frozen=True)
class Finding:
    """One problem found by the check."""

    severity: str  # error | warning
    where: str  # e.g. "job J0004"
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"


def run_checks(today: dt.date) -> list[Finding]:
    """Every finding, errors first."""
    found: list[Finding] = []
    database = m.database.obj
    if isinstance(database, pw.SqliteDatabase):
        rows = [r[0] for r in database.execute_sql("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            found.extend(Finding("error", "database file", r) for r in rows)
        for table, rowid, parent, _ in database.execute_sql("PRAGMA foreign_key_check").fetchall():
            found.append(Finding("error", f"{table} row {rowid}", f"refers to a missing {parent} row"))
    for job_id, start, end in (m.Job.select(m.Job.job_id, m.Job.start_date, m.Job.end_date)
                               .where(m.Job.end_date < m.Job.start_date).tuples()):
        found.append(Finding("error", f"job {job_id}", f"ends ({end}) before it starts ({start})"))
    for cid, stage in (m.Client.select(m.Client.client_id, m.Client.stage)
                       .where(m.Client.stage.not_in(vocab.STAGES)).tuples()):
        found.append(Finding("error", f"client {cid}", f"has an unknown stage '{stage}'"))
    for cid, closed in (m.Client.select(m.Client.client_id, m.Client.closed_date)
                        .where(m.Client.stage != "closed", m.Client.closed_date.is_null(False))
                        .tuples()):
        found.append(Finding("error", f"client {cid}", f"has a closed date ({closed}) but is not closed"))
    for cid, job_id in (m.Job.select(m.Job.client, m.Job.job_id).join(m.Client)
                        .where(m.Client.stage == "closed", m.Job.end_date.is_null()).tuples()):
        found.append(Finding("warning", f"client {cid}",
                             f"is closed but job {job_id} has no end date"))
    future = today + dt.timedelta(days=1)
    for cid, date in (m.ClientContact.select(m.ClientContact.client, m.ClientContact.date)
                      .where(m.ClientContact.date > future).tuples()):
        found.append(Finding("warning", f"client {cid}", f"has a contact dated in the future ({date})"))
    for cid, in (m.Client.select(m.Client.client_id)
                 .where(m.Client.stage == "closed", m.Client.closed_date.is_null()).tuples()):
        found.append(Finding("warning", f"client {cid}", "is closed without a closed date"))
    found.sort(key=lambda f: (f.severity != "error", f.where))
    return found
