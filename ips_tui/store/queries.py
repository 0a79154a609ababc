"""Reads: each function runs a fixed, small number of queries and returns plain records.

Nothing here issues a query per client, job or contact; lists that grow with history are
filtered in SQL to what the caller needs (open clients, a date window).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable

import peewee as pw

from ips_tui.domain.facts import Client, ClientContact, Job, plain_date
from ips_tui.records import (
    CaseloadRow,
    ClientContactDetail,
    ClientRecord,
    ContactRow,
    EmployerContactDetail,
    EmployerContactRow,
    EmployerRow,
    JobDetail,
    JobRow,
    TeamContactRow,
    Written,
)
from ips_tui.store import models as m
from ips_tui.store.writes import NotFoundError, client_values, employer_contact_clients


def specialists(active_only: bool = False) -> list[str]:
    """Specialists' names, sorted."""
    query = m.Specialist.select(m.Specialist.name).order_by(m.Specialist.name)
    if active_only:
        query = query.where(m.Specialist.active == True)  # noqa: E712 -- peewee builds SQL from ==
    return [name for (name,) in query.tuples()]


def counts() -> dict[str, int]:
    """How many rows each kind of record has (for summaries and checks)."""
    return {
        "specialists": m.Specialist.select().count(),
        "clients": m.Client.select().count(),
        "employers": m.Employer.select().count(),
        "jobs": m.Job.select().count(),
        "client_contacts": m.ClientContact.select().count(),
        "employer_contacts": m.EmployerContact.select().count(),
    }


def caseload(specialist: str | None = None, include_closed: bool = False) -> list[CaseloadRow]:
    """Clients with their latest reached contact, sorted by last name then first name.

    The latest contact is looked up for each client listed (by the client_contact index on
    client and date), never aggregated over every contact: a specialist's caseload takes the
    same time in a program's database as in a nation's."""
    contact = m.ClientContact.alias("cc")
    last = (contact.select(pw.fn.MAX(contact.date))
            .where((contact.client == m.Client.client_id)
                   & (contact.attempted == False)))  # noqa: E712 -- peewee builds SQL from ==
    query = (
        m.Client.select(
            m.Client.client_id, m.Client.first_name, m.Client.last_name, m.Specialist.name,
            m.Client.stage, m.Client.start_date, last, m.Client.discuss,
        )
        .join(m.Specialist)
        .order_by(pw.fn.LOWER(m.Client.last_name), pw.fn.LOWER(m.Client.first_name),
                  m.Client.client_id)
    )
    if specialist:
        query = query.where(m.Specialist.name == specialist)
    if not include_closed:
        query = query.where(m.Client.stage != "closed")
    return [CaseloadRow(client_id=cid, first_name=first or "", last_name=lastname, specialist=spec,
                        stage=stage, start_date=_date(start), last_contact=_date(last_date),
                        discuss=bool(discuss))
            for cid, first, lastname, spec, stage, start, last_date, discuss in raw_rows(query)]


def stage_inputs(specialist: str | None = None, include_closed: bool = False,
                 client_id: str | None = None) -> tuple[dict[str, str], list[Job]]:
    """What the stage rule (domain.stage_rules) reads: each client's stage by id, and their
    jobs (two queries)."""
    clients = m.Client.select(m.Client.client_id, m.Client.stage)
    jobs = m.Job.select(m.Job.job_id, m.Job.client, m.Job.title, m.Job.start_date, m.Job.end_date,
                        m.Job.competitive).join(m.Client)
    if specialist:
        clients = clients.join(m.Specialist).where(m.Specialist.name == specialist)
        jobs = jobs.join(m.Specialist).where(m.Specialist.name == specialist)
    if not include_closed:
        clients = clients.where(m.Client.stage != "closed")
        jobs = jobs.where(m.Client.stage != "closed")
    if client_id is not None:
        clients = clients.where(m.Client.client_id == client_id)
        jobs = jobs.where(m.Job.client == client_id)
    stages = {cid: stage for cid, stage in clients.tuples()}
    facts = [Job(job_id=jid, client_id=cid, title=title, start_date=column_day(start),
                 end_date=column_date(end), competitive=bool(competitive))
             for jid, cid, title, start, end, competitive in jobs.tuples()]
    return stages, facts


def column_date(value: object) -> dt.date | None:
    """A date from a column that SQLite may hand back as text (aggregates lose the type) or a
    driver as a datetime: always a plain date (or None)."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return plain_date(value)
    return dt.date.fromisoformat(str(value)[:10])


def column_day(value: object) -> dt.date:
    """:func:`column_date` of a column that is never empty (a start date, a contact's date)."""
    day = column_date(value)
    if day is None:
        raise ValueError("a required date column held no date")
    return day


_date = column_date


def _job_rows(query: Iterable[m.Job]) -> list[JobRow]:
    out = []
    for job in query:
        out.append(JobRow(
            job_id=job.job_id, client_id=job.client_id, employer_id=job.employer_id,
            employer=job.employer.name if job.employer_id else None, title=job.title,
            start_date=job.start_date, end_date=job.end_date, hours_per_week=job.hours_per_week,
            hourly_wage=job.hourly_wage, competitive=job.competitive, end_reason=job.end_reason,
            version=job.version,
        ))
    return out


def _jobs_query() -> pw.ModelSelect:
    return m.Job.select(m.Job, m.Employer).join(m.Employer, pw.JOIN.LEFT_OUTER)


def client_record(client_id: str) -> ClientRecord:
    """One client's profile, jobs (newest first), contact log (newest first), employer contacts
    (newest first), planned appointments and latest team contact.

    Five queries, each by the client's indexes, so opening a client takes the same time in a
    program's database as in a nation's. On a server every query is a round trip that a person
    opening the client waits for (and more while the screen is being drawn, which holds
    Python's lock as the answer comes back): the latest team contact comes with the profile, the
    clients each employer contact was on behalf of with the employer contacts, and the contact
    log as the driver gives it.
    """
    T, T2, by_team = m.TeamContact, m.TeamContact.alias("tc2"), m.Specialist.alias("team_by")
    latest_team = (T2.select(T2.id).where(T2.client == m.Client.client_id)
                   .order_by(T2.date.desc(), T2.id.desc()).limit(1))
    client = (m.Client.select(m.Client, m.Specialist, T.id, T.date, T.who, T.notes, by_team.name)
              .join(m.Specialist).switch(m.Client)
              .join(T, pw.JOIN.LEFT_OUTER, on=(T.id == latest_team), attr="latest_team")
              .join(by_team, pw.JOIN.LEFT_OUTER, on=(by_team.id == T.specialist), attr="by")
              .where(m.Client.client_id == client_id).first())
    if client is None:
        raise NotFoundError(f"no client has id '{client_id}'")
    team = client.latest_team
    last_team = None if team is None or team.id is None else TeamContactRow(
        id=team.id, client_id=client_id, date=column_day(team.date), who=team.who,
        specialist=team.by.name, notes=team.notes)
    jobs = _job_rows(_jobs_query().where(m.Job.client == client_id)
                     .order_by(m.Job.start_date.desc(), m.Job.job_id))
    cc = m.ClientContact
    contacts = [  # plain tuples as the driver gives them: a long log builds ~3x faster
        ContactRow(id=cid, client_id=client_id, date=column_day(day), specialist=spec, mode=mode,
                   location=location, attempted=bool(attempted), notes=notes)
        for cid, day, spec, mode, location, attempted, notes in raw_rows(
            cc.select(cc.id, cc.date, m.Specialist.name, cc.mode, cc.location, cc.attempted,
                      cc.notes)
            .join(m.Specialist).where(cc.client == client_id)
            .order_by(cc.date.desc(), cc.id.desc()))
    ]
    from ips_tui.store import appointments as plans

    return ClientRecord(values=client_values(client), version=client.version, jobs=jobs,
                        contacts=contacts, employer_contacts=_client_employer_contacts(client_id),
                        appointments=plans.appointments(client_id=client_id, statuses=("planned",)),
                        last_team_contact=last_team)


def _client_employer_contacts(client_id: str) -> list[EmployerContactRow]:
    """The employer contacts made on behalf of a client, newest first (same day: as entered),
    each with every client it was on behalf of: one query (one row per contact and client)."""
    ec, mine, every = m.EmployerContact, m.EmployerContactClient, m.EmployerContactClient.alias("every")
    query = (mine.select(ec.id, ec.employer, m.Employer.name, ec.date, m.Specialist.name, ec.mode,
                         ec.hiring_manager, ec.notes, every.client)
             .join(ec).join(m.Employer).switch(ec).join(m.Specialist)
             .join(every, on=(every.employer_contact == ec.id))
             .where(mine.client == client_id)
             .order_by(ec.date.desc(), ec.id))
    rows: dict[int, list] = {}
    on_behalf: dict[int, list[str]] = defaultdict(list)
    for ec_id, employer_id, employer, day, spec, mode, hiring_manager, notes, cid in raw_rows(query):
        if ec_id not in rows:
            rows[ec_id] = [employer_id, employer, day, spec, mode, hiring_manager, notes]
        on_behalf[ec_id].append(cid)
    return [
        EmployerContactRow(
            id=ec_id, employer_id=employer_id, employer=employer, date=column_day(day),
            specialist=spec, mode=mode, hiring_manager=bool(hiring_manager), notes=notes,
            client_ids=tuple(sorted(on_behalf[ec_id])))
        for ec_id, (employer_id, employer, day, spec, mode, hiring_manager, notes) in rows.items()
    ]


def _employer_contact_rows(query: pw.ModelSelect) -> list[EmployerContactRow]:
    rows = list(query)
    on_behalf: dict[int, list[str]] = defaultdict(list)
    if rows:
        for ec_id, cid in (m.EmployerContactClient
                           .select(m.EmployerContactClient.employer_contact,
                                   m.EmployerContactClient.client)
                           .where(m.EmployerContactClient.employer_contact.in_([r.id for r in rows]))
                           .tuples()):
            on_behalf[ec_id].append(cid)
    return [
        EmployerContactRow(
            id=r.id, employer_id=r.employer_id, employer=r.employer.name, date=r.date,
            specialist=r.specialist.name, mode=r.mode, hiring_manager=r.hiring_manager,
            notes=r.notes, client_ids=tuple(sorted(on_behalf[r.id])),
        )
        for r in rows
    ]


def employers() -> list[EmployerRow]:
    """Every employer with its latest contact date and number of contacts, by name."""
    stats = (
        m.EmployerContact.select(
            m.EmployerContact.employer,
            pw.fn.MAX(m.EmployerContact.date).alias("last"),
            pw.fn.COUNT(m.EmployerContact.id).alias("n"),
        ).group_by(m.EmployerContact.employer).alias("stats")
    )
    query = (
        m.Employer.select(m.Employer, stats.c.last, stats.c.n)
        .join(stats, pw.JOIN.LEFT_OUTER, on=(stats.c.employer_id == m.Employer.employer_id))
        .order_by(pw.fn.LOWER(m.Employer.name), m.Employer.employer_id)
    )
    out = []
    for e in query.objects():
        out.append(EmployerRow(
            employer_id=e.employer_id, name=e.name, industry=e.industry,
            contact_name=e.contact_name, phone=e.phone, email=e.email, address=e.address,
            notes=e.notes, last_contact=_date(e.last), contacts=e.n or 0, version=e.version,
        ))
    return out


def employer_log(employer_id: str) -> list[EmployerContactRow]:
    """An employer's relationship log, newest first."""
    query = (
        m.EmployerContact.select(m.EmployerContact, m.Employer, m.Specialist)
        .join(m.Employer).switch(m.EmployerContact).join(m.Specialist)
        .where(m.EmployerContact.employer == employer_id)
        .order_by(m.EmployerContact.date.desc(), m.EmployerContact.id.desc())
    )
    return _employer_contact_rows(query)


def employer_contacts_between(start: dt.date, end: dt.date) -> list[EmployerContactRow]:
    """Employer contacts dated in [start, end], oldest first."""
    query = (
        m.EmployerContact.select(m.EmployerContact, m.Employer, m.Specialist)
        .join(m.Employer).switch(m.EmployerContact).join(m.Specialist)
        .where(m.EmployerContact.date.between(start, end))
        .order_by(m.EmployerContact.date, m.EmployerContact.id)
    )
    return _employer_contact_rows(query)


# ---------------------------------------------------------------- one record, whole

def written(entity: str, entity_id: object, row: m.Tracked) -> Written:
    """When ``row`` was entered and last changed, and by whom, from its audit entries."""
    a = m.AuditEntry
    entries = list(a.select(a.action, a.specialist).where(
        a.entity == entity, a.entity_id == str(entity_id)).order_by(a.id).tuples())
    created = [who for action, who in entries if action == "create"]
    updated = [who for action, who in entries if action == "update"]
    return Written(created_at=row.created_at, updated_at=row.updated_at,
                   created_by=created[0] if created else None,
                   updated_by=updated[-1] if updated else None,
                   imported=not created, changes=len(updated))


def _name(first: str | None, last: str) -> str:
    return f"{first or ''} {last}".strip()


def client_contact(contact_id: int) -> ClientContactDetail:
    """One client contact, whole; NotFoundError if it has gone."""
    cc = m.ClientContact
    row = (cc.select(cc, m.Specialist, m.Client).join(m.Specialist).switch(cc).join(m.Client)
           .where(cc.id == contact_id).first())
    if row is None:
        raise NotFoundError("that contact no longer exists")
    contact = ContactRow(id=row.id, client_id=row.client_id, date=column_day(row.date),
                         mode=row.mode, location=row.location, attempted=bool(row.attempted),
                         specialist=row.specialist.name, notes=row.notes)
    return ClientContactDetail(contact=contact,
                               client_name=_name(row.client.first_name, row.client.last_name),
                               version=row.version, written=written("client_contact", row.id, row))


def employer_contact(contact_id: int) -> EmployerContactDetail:
    """One employer contact, whole, with its clients by name; NotFoundError if it has gone."""
    ec = m.EmployerContact
    row = (ec.select(ec, m.Employer, m.Specialist).join(m.Employer).switch(ec)
           .join(m.Specialist).where(ec.id == contact_id).first())
    if row is None:
        raise NotFoundError("that employer contact no longer exists")
    ids = employer_contact_clients(row.id)
    names = {cid: _name(first, last) for cid, first, last in
             m.Client.select(m.Client.client_id, m.Client.first_name, m.Client.last_name)
             .where(m.Client.client_id.in_(ids)).tuples()} if ids else {}
    contact = EmployerContactRow(
        id=row.id, employer_id=row.employer_id, employer=row.employer.name,
        date=column_day(row.date), specialist=row.specialist.name, mode=row.mode,
        hiring_manager=bool(row.hiring_manager), notes=row.notes, client_ids=tuple(ids))
    clients = tuple(sorted(((cid, names.get(cid, cid)) for cid in ids),
                           key=lambda pair: (pair[1].lower(), pair[0])))
    return EmployerContactDetail(contact=contact, clients=clients, version=row.version,
                                 written=written("employer_contact", row.id, row))


def job(job_id: str) -> JobDetail:
    """One job, whole, with its client's stage and other jobs; NotFoundError if it has gone."""
    row = _jobs_query().where(m.Job.job_id == job_id).first()
    if row is None:
        raise NotFoundError(f"the job '{job_id}' no longer exists")
    found = _job_rows([row])[0]
    client = m.Client.get_by_id(found.client_id)
    others = _job_rows(_jobs_query().where(m.Job.client == found.client_id, m.Job.job_id != job_id)
                       .order_by(m.Job.start_date.desc(), m.Job.job_id))
    return JobDetail(job=found, client_name=_name(client.first_name, client.last_name),
                     client_stage=client.stage, other_jobs=tuple(others),
                     written=written("job", job_id, row))


# ---------------------------------------------------------------- reminder inputs

def raw_rows(query: pw.Query) -> list[tuple]:
    """A query's rows as the driver hands them back, without peewee's per-row conversion
    (about half the time of a large read): the caller converts dates (:func:`column_date`)."""
    return m.database.execute_sql(*query.sql()).fetchall()


def reminder_inputs(on: dt.date, modes: Iterable[str], client_id: str | None = None,
                    specialist: str | None = None) -> tuple[
        list[Client], list[Job], list[ClientContact], dict[str, dt.date]]:
    """What the reminder rules need, for open clients only (or one client, or one specialist's
    clients), in four queries.

    The contacts are each client's latest qualifying one (reached, in one of ``modes``, dated on
    or before ``on``), for open clients with a job: all the rules look at
    (:func:`ips_tui.domain.reminders.compute_reminders` keeps the latest), one row per client."""
    is_open = m.Client.stage != "closed"
    if client_id is not None:
        is_open = is_open & (m.Client.client_id == client_id)
    if specialist is not None:
        is_open = is_open & (m.Client.specialist == m.Specialist.select(m.Specialist.id)
                             .where(m.Specialist.name == specialist))
    open_clients = m.Client.select(m.Client.client_id).where(is_open)
    clients = [
        Client(client_id=cid, first_name=first or "", last_name=last, specialist=spec,
               stage=stage, start_date=_date(start))
        for cid, first, last, spec, stage, start in raw_rows(
            m.Client.select(m.Client.client_id, m.Client.first_name, m.Client.last_name,
                            m.Specialist.name, m.Client.stage, m.Client.start_date)
            .join(m.Specialist).where(is_open))
    ]
    jobs = [
        Job(job_id=jid, client_id=cid, start_date=column_day(start), end_date=_date(end),
            title=title or "", employer=employer)
        for jid, cid, start, end, title, employer in raw_rows(
            m.Job.select(m.Job.job_id, m.Job.client, m.Job.start_date, m.Job.end_date, m.Job.title,
                         m.Employer.name)
            .join(m.Employer, pw.JOIN.LEFT_OUTER).where(m.Job.client.in_(open_clients)))
    ]
    with_jobs = m.Job.select(m.Job.client).where(m.Job.client.in_(open_clients))
    contacts = [
        ClientContact(client_id=cid, date=column_day(d), mode=mode, attempted=False)
        for cid, d, mode in raw_rows(
            m.ClientContact.select(m.ClientContact.client, pw.fn.MAX(m.ClientContact.date),
                                   pw.fn.MIN(m.ClientContact.mode))
            .where(m.ClientContact.client.in_(with_jobs), m.ClientContact.attempted == False,  # noqa: E712 -- peewee builds SQL from ==
                   m.ClientContact.mode.in_(list(modes)), m.ClientContact.date <= on)
            .group_by(m.ClientContact.client))
    ]
    first_ec = {
        cid: column_day(d)
        for cid, d in raw_rows(
            m.EmployerContactClient.select(m.EmployerContactClient.client,
                                           pw.fn.MIN(m.EmployerContact.date))
            .join(m.EmployerContact)
            .where(m.EmployerContactClient.client.in_(open_clients))
            .group_by(m.EmployerContactClient.client))
    }
    return clients, jobs, contacts, first_ec


def audit_entries(client_id: str | None = None, limit: int = 200) -> list[dict[str, object]]:
    """The newest audit entries (for one client, if given), newest first."""
    query = m.AuditEntry.select().order_by(m.AuditEntry.id.desc()).limit(limit)
    if client_id:
        query = query.where(m.AuditEntry.client_id == client_id)
    out = []
    for row in query.dicts():
        row["fields"] = json.loads(row["fields"]) if row["fields"] else []
        out.append(row)
    return out
