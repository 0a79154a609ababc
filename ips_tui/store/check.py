"""`ips-tui check`: SQLite's own integrity check plus the app's consistency rules over the records.

Each finding is a :class:`Finding` with a severity: ``error`` (the database is damaged or a rule
the app relies on is broken) or ``warning`` (worth a look: a closed client with a job that never
ended, a contact dated in the future). The rules over records are those of
:mod:`ips_tui.validation` (``record_errors`` are errors; ``record_warnings`` and
``related_warnings`` warnings), applied to the stored values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from ips_tui import validation, vocab
from ips_tui.store import models as m
from ips_tui.store.schema_check import schema_findings


@dataclass(frozen=True)
class Finding:
    """One problem found by the check."""

    severity: str  # error | warning
    where: str  # e.g. "job J0004"
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"


#: How check words a broken rule across fields (validation.record_errors) about a whole record;
#: the other rules' own messages already read as findings.
WORDING = {
    "job.ends_before_start": "ends ({end_date}) before it starts ({start_date})",
    "client.closed_before_referral": "was closed ({closed_date}) before the referral date "
                                     "({referral_date})",
    "client.closed_date_but_open": "has a closed date ({closed_date}) but is not closed",
}


def _findings(where: str, values: dict[str, object], errors: list[validation.FieldError],
              warnings: list[validation.FieldError]) -> list[Finding]:
    """The broken rules of one record as findings: ``errors`` are errors, ``warnings`` warnings."""
    def words(problem: validation.FieldError) -> str:
        wording = WORDING.get(problem.rule)
        return wording.format(**values) if wording else problem.message

    return ([Finding("error", where, words(e)) for e in errors]
            + [Finding("warning", where, words(w)) for w in warnings])


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
        found.extend(schema_findings())
    jobs = list(m.Job.select(m.Job.job_id, m.Job.client.alias("client_id"), m.Job.start_date,
                             m.Job.end_date, m.Job.end_reason).dicts())
    jobs_of: dict[str, list[dict[str, object]]] = {}
    for job in jobs:
        jobs_of.setdefault(str(job["client_id"]), []).append(job)
        found.extend(_findings(f"job {job['job_id']}", job, validation.record_errors("job", job),
                               validation.record_warnings("job", job)))
    for cid, stage in (m.Client.select(m.Client.client_id, m.Client.stage)
                       .where(m.Client.stage.not_in(vocab.STAGES)).tuples()):
        found.append(Finding("error", f"client {cid}", f"has an unknown stage '{stage}'"))
    for client in m.Client.select(m.Client.client_id, m.Client.stage, m.Client.referral_date,
                                  m.Client.closed_date, m.Client.closed_reason).dicts():
        jobs_here = jobs_of.get(str(client["client_id"]), [])
        found.extend(_findings(f"client {client['client_id']}", client,
                               validation.record_errors("client", client),
                               validation.related_warnings(client, jobs_here)
                               + validation.record_warnings("client", client)))
    future = today + dt.timedelta(days=1)
    for cid, date in (m.ClientContact.select(m.ClientContact.client, m.ClientContact.date)
                      .where(m.ClientContact.date > future).tuples()):
        found.append(Finding("warning", f"client {cid}", f"has a contact dated in the future ({date})"))
    found.sort(key=lambda f: (f.severity != "error", f.where))
    return found
