"""Reads for the team meeting's agenda: six queries, whatever the size of the caseload.

Each query is filtered in SQL to what :func:`ips_tui.domain.agenda.build_agenda` needs for the
meeting on M: open clients, jobs around M or held on M, one summary row per client contacted
before M, and the employer contacts of the past week. Plain values out (no peewee objects),
read as the driver gives them (store.queries.raw_rows: peewee's per-row conversion was most of
the agenda's time on a national database).
"""

from __future__ import annotations

import datetime as dt

import peewee as pw

from ips_tui.domain.agenda import COMING_DAYS, PAST_DAYS, AgendaInputs
from ips_tui.domain.facts import Client, ContactSummary, EmployerContact, Job, Specialist, TeamContact
from ips_tui.store import models as m
from ips_tui.store.queries import column_date as _date
from ips_tui.store.queries import column_day, raw_rows

#: How many queries :func:`agenda_inputs` runs (checked by the tests).
QUERIES = 6


def agenda_inputs(meeting_date: dt.date) -> AgendaInputs:
    """What the agenda of the meeting on ``meeting_date`` needs, for open clients only."""
    on = meeting_date
    past_start = on - dt.timedelta(days=PAST_DAYS)
    past_end = on - dt.timedelta(days=1)
    coming_end = on + dt.timedelta(days=COMING_DAYS - 1)
    is_open = m.Client.stage != "closed"
    open_clients = m.Client.select(m.Client.client_id).where(is_open)

    specialists = tuple(
        Specialist(name=name, active=bool(active))
        for name, active in raw_rows(m.Specialist.select(m.Specialist.name, m.Specialist.active)
                                     .order_by(m.Specialist.name))
    )

    clients = tuple(
        Client(
            client_id=cid, first_name=first or "", last_name=last or "", specialist=spec,
            stage=stage, referral_date=_date(referral), start_date=_date(start),
            discuss=bool(discuss), discuss_note=note, next_step=next_step,
            mh_practitioner=practitioner,
        )
        for cid, first, last, spec, stage, referral, start, discuss, note, next_step, practitioner in raw_rows(
        m.Client.select(m.Client.client_id, m.Client.first_name, m.Client.last_name,
                        m.Specialist.name, m.Client.stage, m.Client.referral_date,
                        m.Client.start_date, m.Client.discuss, m.Client.discuss_note, m.Client.next_step,
                        m.Client.mh_practitioner)
        .join(m.Specialist).where(is_open).order_by(m.Client.client_id))
    )

    # Jobs starting in [M - 7, M + 6], ending in [M - 7, M - 1], or held on M.
    around = (
        m.Job.start_date.between(past_start, coming_end)
        | m.Job.end_date.between(past_start, past_end)
        | ((m.Job.start_date <= on) & (m.Job.end_date.is_null() | (m.Job.end_date >= on)))
    )
    jobs = tuple(
        Job(
            job_id=jid, client_id=cid, title=title, employer=employer,
            start_date=column_day(start), end_date=_date(end), end_reason=reason,
            hours_per_week=hours,
        )
        for jid, cid, title, employer, start, end, reason, hours in raw_rows(
        m.Job.select(m.Job.job_id, m.Job.client, m.Job.title, m.Employer.name, m.Job.start_date,
                     m.Job.end_date, m.Job.end_reason, m.Job.hours_per_week)
        .join(m.Employer, pw.JOIN.LEFT_OUTER)
        .where(m.Job.client.in_(open_clients), around)
        .order_by(m.Job.job_id))
    )

    # Each open client's latest reached contact and latest attempt dated up to and including M.
    reached = pw.Case(None, [(m.ClientContact.attempted == False, m.ClientContact.date)])  # noqa: E712 -- peewee builds SQL from ==
    attempt = pw.Case(None, [(m.ClientContact.attempted == True, m.ClientContact.date)])  # noqa: E712 -- peewee builds SQL from ==
    contact_summaries = tuple(
        ContactSummary(client_id=cid, last_contact=_date(last), last_attempt=_date(tried))
        for cid, last, tried in raw_rows(
        m.ClientContact.select(m.ClientContact.client, pw.fn.MAX(reached), pw.fn.MAX(attempt))
        .where(m.ClientContact.client.in_(open_clients), m.ClientContact.date <= on)
        .group_by(m.ClientContact.client))
    )

    # The past week's employer contacts, with how many clients each was on behalf of.
    on_behalf = (
        m.EmployerContactClient.select(pw.fn.COUNT(m.EmployerContactClient.client))
        .where(m.EmployerContactClient.employer_contact == m.EmployerContact.id)
    )
    employer_contacts = tuple(
        EmployerContact(specialist=spec, date=column_day(when), mode=mode, clients_on_behalf=n or 0)
        for spec, when, mode, n in raw_rows(
        m.EmployerContact.select(m.Specialist.name, m.EmployerContact.date, m.EmployerContact.mode,
                                 on_behalf)
        .join(m.Specialist)
        .where(m.EmployerContact.date.between(past_start, past_end))
        .order_by(m.EmployerContact.date, m.EmployerContact.id))
    )

    # Each open client's latest team contact up to and including M.
    T = m.TeamContact
    team_contacts = tuple(
        TeamContact(client_id=cid, date=column_day(when))
        for cid, when in T.select(T.client, pw.fn.MAX(T.date))
        .where(T.client.in_(open_clients), T.date <= on).group_by(T.client).tuples()
    )

    return AgendaInputs(specialists=specialists, clients=clients, jobs=jobs,
                        contact_summaries=contact_summaries,
                        employer_contacts=employer_contacts, team_contacts=team_contacts)
