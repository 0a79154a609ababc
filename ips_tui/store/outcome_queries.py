"""Reads for the outcome and fidelity reports: a fixed number of queries, whatever the caseload.

:func:`outcome_inputs` runs :data:`OUTCOME_QUERIES` queries and :func:`fidelity_inputs`
:data:`FIDELITY_QUERIES`. Each is filtered in SQL to the clients who may have been served in the
window asked about (and, with a specialist, to their clients) and hands back plain facts for
:mod:`ips_tui.domain.outcomes` and :mod:`ips_tui.domain.fidelity` (no peewee objects, no
contact details or notes).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import peewee as pw

from ips_tui.domain.facts import Client, ClientContact, EmployerContact, Job, TeamContact
from ips_tui.domain.fidelity import FidelityInputs
from ips_tui.domain.outcomes import OutcomeInputs
from ips_tui.domain.reminders import FOLLOW_ALONG_LEAD_DAYS, last_start_due_by
from ips_tui.store import models as m
from ips_tui.store.queries import column_date as _date
from ips_tui.store.queries import column_day

#: How many queries :func:`outcome_inputs` runs (checked by the tests).
OUTCOME_QUERIES = 3
#: How many queries :func:`fidelity_inputs` runs (checked by the tests).
FIDELITY_QUERIES = 6
#: Client contacts this many days before a fidelity period are read: the follow-along replay
#: starts a reminder lead before the period, and the latest contact before that day counts.
CONTACT_LEAD_DAYS = 2 * FOLLOW_ALONG_LEAD_DAYS


def _maybe_served(start: dt.date, end: dt.date, specialist: str | None) -> pw.Expression:
    """Clients who may have been open at some time in [start, end] (the domain decides)."""
    c = m.Client
    opened = ((c.referral_date.is_null(False) & (c.referral_date <= end))
              | (c.start_date.is_null(False) & (c.start_date <= end)))
    not_closed_before = c.closed_date.is_null() | (c.closed_date >= start)  # no date: see _clients
    cond = opened & not_closed_before
    if specialist is not None:
        cond = cond & (m.Specialist.name == specialist)
    return cond


def _clients(start: dt.date, end: dt.date, specialist: str | None) -> tuple[Client, ...]:
    c = m.Client
    clients = tuple(
        Client(client_id=cid, specialist=spec, stage=stage, referral_date=_date(referral),
                      start_date=_date(started), closed_date=_date(closed), disclosure=disclosure,
                      benefits_planning_date=_date(benefits), mh_practitioner=practitioner)
        for cid, spec, stage, referral, started, closed, disclosure, benefits, practitioner in
        c.select(c.client_id, m.Specialist.name, c.stage, c.referral_date, c.start_date,
                 c.closed_date, c.disclosure, c.benefits_planning_date, c.mh_practitioner)
        .join(m.Specialist).where(_maybe_served(start, end, specialist))
        .order_by(c.client_id).tuples()
    )
    undated = [k.client_id for k in clients if k.stage == "closed" and k.closed_date is None]
    if not undated:
        return clients
    last = _last_activity(undated)
    return tuple(dataclasses.replace(k, last_activity=last.get(k.client_id))
                 if k.client_id in last else k for k in clients)


def _last_activity(client_ids: list[str]) -> dict[str, dt.date]:
    """The latest day anything was recorded for each of ``client_ids``: referral, start, a client
    contact, a job start or end (for closed clients with no closed date: `check` reports them,
    and the reports count them closed on that day)."""
    days: dict[str, list[dt.date]] = {}
    for chunk in range(0, len(client_ids), 500):
        ids = client_ids[chunk:chunk + 500]
        rows = list(m.Client.select(m.Client.client_id, m.Client.referral_date, m.Client.start_date)
                    .where(m.Client.client_id.in_(ids)).tuples())
        rows += list(m.ClientContact.select(m.ClientContact.client, pw.fn.MAX(m.ClientContact.date))
                     .where(m.ClientContact.client.in_(ids)).group_by(m.ClientContact.client)
                     .tuples())
        rows += list(m.Job.select(m.Job.client, pw.fn.MAX(m.Job.start_date), pw.fn.MAX(m.Job.end_date))
                     .where(m.Job.client.in_(ids)).group_by(m.Job.client).tuples())
        for cid, *found in rows:
            days.setdefault(str(cid), []).extend(d for d in map(_date, found) if d is not None)
    return {cid: max(found) for cid, found in days.items() if found}


def _client_ids(start: dt.date, end: dt.date, specialist: str | None) -> pw.ModelSelect:
    return (m.Client.select(m.Client.client_id).join(m.Specialist)
            .where(_maybe_served(start, end, specialist)))


def _jobs(start: dt.date, end: dt.date, specialist: str | None,
          starting_by: dt.date | None = None) -> tuple[Job, ...]:
    """Every job of those clients starting on or before ``starting_by`` (default: every job, so
    that whether a client held a job on a start date after ``end`` reads the same jobs whichever
    period's report asks: first jobs need them all)."""
    j = m.Job
    return tuple(
        Job(job_id=jid, client_id=cid, start_date=column_day(started), end_date=_date(ended),
            title=title, employer_id=eid, employer=employer, hours_per_week=hours,
            hourly_wage=wage, competitive=bool(competitive), end_reason=reason)
        for jid, cid, started, ended, title, eid, employer, hours, wage, competitive, reason in
        j.select(j.job_id, j.client, j.start_date, j.end_date, j.title, j.employer,
                 m.Employer.name, j.hours_per_week, j.hourly_wage, j.competitive, j.end_reason)
        .join(m.Employer, pw.JOIN.LEFT_OUTER)
        .where(j.client.in_(_client_ids(start, end, specialist)),
               *([] if starting_by is None else [j.start_date <= starting_by]))
        .order_by(j.job_id).tuples()
    )


def _contacts(start: dt.date, end: dt.date, clients_from: dt.date, specialist: str | None,
              reached_only: bool) -> tuple[ClientContact, ...]:
    k = m.ClientContact
    cond = k.client.in_(_client_ids(clients_from, end, specialist)) & k.date.between(start, end)
    if reached_only:
        cond = cond & (k.attempted == False)  # noqa: E712 -- peewee builds SQL from ==
    return tuple(
        ClientContact(client_id=cid, date=column_day(when), mode=mode, attempted=bool(attempted),
                      location=location, id=kid)
        for kid, cid, when, mode, attempted, location in
        k.select(k.id, k.client, k.date, k.mode, k.attempted, k.location)
        .where(cond).order_by(k.date, k.id).tuples()
    )


def outcome_inputs(start: dt.date, end: dt.date, contacts_from: dt.date,
                   specialist: str | None = None) -> OutcomeInputs:
    """Clients who may have been served in [start, end] (the whole trend window), all their jobs,
    and their reached contacts dated in [contacts_from, end]."""
    return OutcomeInputs(
        clients=_clients(start, end, specialist),
        jobs=_jobs(start, end, specialist),
        contacts=_contacts(contacts_from, end, start, specialist, reached_only=True),
    )


def fidelity_inputs(start: dt.date, end: dt.date, specialist: str | None = None) -> FidelityInputs:
    """What the fidelity indicators of the period [start, end] need."""
    contacts_from = start - dt.timedelta(days=CONTACT_LEAD_DAYS)
    e = m.EmployerContact
    on_behalf = (m.EmployerContactClient.select(pw.fn.COUNT(m.EmployerContactClient.client))
                 .where(m.EmployerContactClient.employer_contact == e.id))
    query = e.select(e.id, m.Specialist.name, e.date, e.mode, on_behalf).join(m.Specialist)
    cond = e.date.between(start, end)
    if specialist is not None:
        cond = cond & (m.Specialist.name == specialist)
    employer_contacts = tuple(
        EmployerContact(specialist=spec, date=column_day(when), mode=mode,
                        clients_on_behalf=n or 0, id=eid)
        for eid, spec, when, mode, n in query.where(cond).order_by(e.date, e.id).tuples()
    )
    # The first employer contact ever made for each client who started in the period.
    started = (m.Client.select(m.Client.client_id).join(m.Specialist)
               .where(_maybe_served(start, end, specialist), m.Client.start_date.between(start, end)))
    first = {
        cid: column_day(when)
        for cid, when in
        m.EmployerContactClient.select(m.EmployerContactClient.client, pw.fn.MIN(e.date))
        .join(e).where(m.EmployerContactClient.client.in_(started))
        .group_by(m.EmployerContactClient.client).tuples()
    }
    return FidelityInputs(
        clients=_clients(start, end, specialist),
        # A job starting just after the period can have a follow-along reminder due in it.
        jobs=_jobs(start, end, specialist, starting_by=last_start_due_by(end)),
        contacts=_contacts(contacts_from, end, start, specialist, reached_only=False),
        employer_contacts=employer_contacts,
        first_employer_contact=first,
        team_contacts=tuple(
            TeamContact(client_id=cid, date=column_day(when))
            for cid, when in m.TeamContact.select(m.TeamContact.client, m.TeamContact.date)
            .where(m.TeamContact.date.between(start, end)).tuples()),
    )
