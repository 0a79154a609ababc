"""`ips-tui check`: SQLite's own integrity check plus the app's consistency rules over the records.

Each finding is a :class:`Finding` with a severity: ``error`` (the database is damaged or a rule
the app relies on is broken) or ``warning`` (worth a look: a closed client with a job that never
ended, a contact dated in the future). The rules over records are those of
:mod:`ips_tui.validation` (``record_errors`` are errors, but a client closed without a date
before that rule is a warning; ``record_warnings`` and ``related_warnings`` warnings), applied to
the stored values; a stage that contradicts the jobs is :mod:`ips_tui.domain.stage_rules`'s, as
the caseload shows it; a stored text value holding a control character is reported by table,
record and field (never its value). ``check --fix`` corrects the stages and cleans the values
(:func:`planned_fixes`, :func:`apply_fixes`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from ips_tui import validation, vocab
from ips_tui.domain.facts import Job
from ips_tui.domain.stage_rules import StageIssue, stage_issue
from ips_tui.output import has_control_characters, strip_controls
from ips_tui.store import models as m
from ips_tui.store import queries
from ips_tui.store.db import saving
from ips_tui.store.queries import column_day
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
    validation.CLOSED_UNDATED: "is closed without a closed date",
}


def _findings(where: str, values: dict[str, object], errors: list[validation.FieldError],
              warnings: list[validation.FieldError]) -> list[Finding]:
    """The broken rules of one record as findings: ``errors`` are errors, ``warnings`` warnings."""
    def words(problem: validation.FieldError) -> str:
        wording = WORDING.get(problem.rule)
        return wording.format(**values) if wording else problem.message

    return ([Finding("error", where, words(e)) for e in errors]
            + [Finding("warning", where, words(w)) for w in warnings])


def _client_where(cid: object, first: object, last: object) -> str:
    name = f"{first or ''} {last or ''}".strip()
    return f"client {cid} ({name})" if name else f"client {cid}"


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
    jobs = list(m.Job.select(m.Job.job_id, m.Job.client.alias("client_id"), m.Job.title,
                             m.Job.start_date, m.Job.end_date, m.Job.end_reason,
                             m.Job.competitive).dicts())
    jobs_of: dict[str, list[dict[str, object]]] = {}
    for job in jobs:
        jobs_of.setdefault(str(job["client_id"]), []).append(job)
        found.extend(_findings(f"job {job['job_id']}", job, validation.record_errors("job", job),
                               validation.record_warnings("job", job)))
    for cid, stage in (m.Client.select(m.Client.client_id, m.Client.stage)
                       .where(m.Client.stage.not_in(vocab.STAGES)).tuples()):
        found.append(Finding("error", f"client {cid}", f"has an unknown stage '{stage}'"))
    contacts_after: dict[str, list[dt.date]] = {}
    for cid, date in (m.ClientContact.select(m.ClientContact.client, m.ClientContact.date)
                      .join(m.Client)
                      .where(m.Client.closed_date.is_null(False),
                             m.ClientContact.date > m.Client.closed_date).tuples()):
        contacts_after.setdefault(str(cid), []).append(column_day(date))
    issues = stage_issues(today)
    for client in m.Client.select(m.Client.client_id, m.Client.first_name, m.Client.last_name,
                                  m.Client.stage, m.Client.referral_date, m.Client.closed_date,
                                  m.Client.closed_reason, m.Client.benefits_planning_date).dicts():
        cid = str(client["client_id"])
        where = _client_where(cid, client["first_name"], client["last_name"])
        jobs_here = jobs_of.get(cid, [])
        errors = validation.record_errors("client", client)
        # Rows closed without a date before the rule: a warning, for someone to date them.
        legacy = [e for e in errors if e.rule == validation.CLOSED_UNDATED]
        found.extend(_findings(where, client, [e for e in errors if e not in legacy],
                               legacy + validation.related_warnings(client, jobs_here,
                                                                    contacts_after.get(cid, ()))
                               + validation.record_warnings("client", client)))
        if cid in issues:
            found.append(Finding("warning", where, f"{issues[cid].reason}: stage should be "
                                 f"{vocab.label(issues[cid].suggested)} (check --fix)"))
    future = today + dt.timedelta(days=1)
    for cid, date in (m.ClientContact.select(m.ClientContact.client, m.ClientContact.date)
                      .where(m.ClientContact.date > future).tuples()):
        found.append(Finding("warning", f"client {cid}", f"has a contact dated in the future ({date})"))
    found.extend(Finding("warning", spot.where, spot.message) for spot in control_characters())
    found.sort(key=lambda f: (f.severity != "error", f.where))
    return found


# ---------------------------------------------------------------- what --fix corrects

def stage_issues(today: dt.date, specialist: str | None = None) -> dict[str, StageIssue]:
    """Open clients whose stage contradicts their jobs (domain.stage_rules), by id (one
    specialist's clients, when given)."""
    stages, jobs = queries.stage_inputs(specialist)
    jobs_of: dict[str, list[Job]] = {}
    for job in jobs:
        jobs_of.setdefault(job.client_id, []).append(job)
    return {cid: issue for cid, stage in stages.items()
            if (issue := stage_issue(cid, stage, jobs_of.get(cid, ()), today)) is not None}


@dataclass(frozen=True)
class ControlSpot:
    """A stored text value holding a control character: where (never the value)."""

    model: type[m.BaseModel]
    key: object  # the row's primary key
    field: str
    multiline: bool

    @property
    def where(self) -> str:
        return f"{self.model._meta.table_name} {self.key}"

    @property
    def message(self) -> str:
        return f"{self.field} holds a control character (check --fix --yes removes it)"


def _multiline(model: type[m.BaseModel], field: str) -> bool:
    entity = {m.Client: "client", m.Employer: "employer", m.Job: "job",
              m.ClientContact: "client_contact", m.EmployerContact: "employer_contact"}.get(model)
    if entity is None:
        return False
    try:
        return validation.rule_for(entity, field).kind == "long"
    except KeyError:
        return False


def control_characters() -> list[ControlSpot]:
    """Every stored text value (but ids and references) holding a control character
    (output.has_control_characters): one pass over each table's text columns."""
    spots: list[ControlSpot] = []
    for model in m.ALL_MODELS:
        pk = model._meta.primary_key
        if not isinstance(pk, pw.Field) or isinstance(pk, pw.ForeignKeyField):
            continue
        texts = [f for f in model._meta.sorted_fields
                 if isinstance(f, (pw.CharField, pw.TextField)) and f is not pk
                 and not isinstance(f, pw.ForeignKeyField)]
        if not texts:
            continue
        multi = [_multiline(model, f.name) for f in texts]
        for key, *values in model.select(pk, *texts).tuples():
            for f, multiline, value in zip(texts, multi, values, strict=True):
                if isinstance(value, str) and has_control_characters(value, allow_newlines=multiline):
                    spots.append(ControlSpot(model, key, f.name, multiline))
        for (key,) in model.select(pk).tuples():
            if isinstance(key, str) and has_control_characters(key):
                spots.append(ControlSpot(model, "(an id)", pk.name, False))
    return spots


@dataclass(frozen=True)
class StageFix:
    """A stage correction ``check --fix`` offers."""

    client_id: str
    name: str
    stage: str
    to: str
    why: str

    def __str__(self) -> str:
        who = f"client {self.client_id} ({self.name})" if self.name else f"client {self.client_id}"
        return (f"{who}: {vocab.label(self.stage)} -> {vocab.label(self.to)} "
                f"({self.why})")


def planned_fixes(today: dt.date) -> tuple[list[StageFix], list[ControlSpot]]:
    """What ``check --fix`` would change: stage corrections, and values to clean."""
    issues = stage_issues(today)
    names = {cid: f"{first or ''} {last or ''}".strip() for cid, first, last in
             m.Client.select(m.Client.client_id, m.Client.first_name, m.Client.last_name)
             .where(m.Client.client_id.in_(list(issues))).tuples()} if issues else {}
    stage_fixes = [StageFix(cid, names.get(cid, ""), i.stage, i.suggested, i.reason)
                   for cid, i in sorted(issues.items())]
    return stage_fixes, [s for s in control_characters() if s.key != "(an id)"]


def apply_fixes(today: dt.date, by: str | None = None) -> tuple[int, int]:
    """Make the changes :func:`planned_fixes` lists, in one transaction, each audited:
    (stages changed, values cleaned)."""
    from ips_tui.store.writes import audit, update_client, utc_now

    with saving():
        stage_fixes, spots = planned_fixes(today)
        for fix in stage_fixes:
            update_client(fix.client_id, {"stage": fix.to}, None, by=by)
        for spot in spots:
            model, field = spot.model, spot.model._meta.fields[spot.field]
            pk = model._meta.primary_key
            value = model.select(field).where(pk == spot.key).scalar()
            if not isinstance(value, str):
                continue
            if spot.multiline:  # a carriage return stood for the newline it becomes
                value = value.replace("\r\n", "\n").replace("\r", "\n")
            changes: dict[object, object] = {field: strip_controls(value, spot.multiline)}
            if issubclass(model, m.Tracked):
                changes[model.updated_at] = utc_now()
                changes[model.version] = model.version + 1
            model.update(changes).where(pk == spot.key).execute()
            client_id = spot.key if model is m.Client else None
            audit("update", str(model._meta.table_name), spot.key, by=by,
                  client_id=None if client_id is None else str(client_id), fields=[spot.field])
    return len(stage_fixes), len(spots)
