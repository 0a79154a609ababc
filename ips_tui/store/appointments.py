"""Planned appointments and the mental-health team-contact log: their writes and reads.

Writes follow :mod:`ips_tui.store.writes`: values keyed by the interchange names
(``client_id``, ``specialist`` as a name), validated by the rules in :mod:`ips_tui.validation`
(``appointment``, ``team_contact``), in one transaction, audited, an update checked against the
version it was based on.

What became of an appointment is the specialist's answer, never a guess
(:func:`record_outcome`): ``done`` logs a contact that reached the person with the appointment's
mode and place and its note, ``missed`` logs an outreach attempt, ``cancelled`` logs nothing;
the appointment and its contact are written together or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ips_tui import vocab
from ips_tui.domain.facts import Appointment
from ips_tui.records import AppointmentRow, TeamContactRow
from ips_tui.store import models as m
from ips_tui.store.db import saving
from ips_tui.store.queries import column_day
from ips_tui.store.writes import (
    NotFoundError,
    _check,
    _update,
    add_client_contact,
    audit,
    create_for_client,
    specialist_id,
)
from ips_tui.validation import APPOINTMENT, FieldError, ValidationError


def _name(first: str | None, last: str) -> str:
    return f"{first or ''} {last}".strip()


# ---------------------------------------------------------------- appointments: writes

def add_appointment(values: Mapping[str, object], by: str | None = None) -> int:
    """Plan an appointment with a client (status ``planned`` unless given); returns its id."""
    return create_for_client("appointment", m.Appointment, values, by)


def appointment_values(row: m.Appointment) -> dict[str, object]:
    """An appointment row as interchange values (``specialist`` as a name)."""
    out = {f.name: getattr(row, f.name) for f in APPOINTMENT
           if f.name not in ("client_id", "specialist")}
    out["client_id"] = row.client_id
    out["specialist"] = row.specialist.name
    return out


def update_appointment(appointment_id: int, changes: Mapping[str, object],
                       expected_version: int | None, by: str | None = None) -> int:
    """Move or correct an appointment (it stays with its client); returns its new version."""
    with saving():
        row = m.Appointment.get_or_none(m.Appointment.id == appointment_id)
        if row is None:
            raise NotFoundError("that appointment no longer exists")
        before = appointment_values(row)
        if "client_id" in changes and changes["client_id"] != before["client_id"]:
            raise ValidationError([FieldError("client_id", "cannot be changed: plan it with the "
                                              "other client and cancel this one")])
        clean_values = _check("appointment", {**before, **changes})
        wanted = {k: clean_values[k] for k in changes}
        if "specialist" in wanted:
            wanted["specialist"] = specialist_id(str(wanted["specialist"]))
        return _update(m.Appointment, appointment_id, wanted, expected_version, "appointment",
                       by, row.client_id)


def record_outcome(appointment_id: int, outcome: str, expected_version: int | None,
                   by: str | None = None, notes: str | None = None) -> int | None:
    """Say what became of an appointment: ``done``, ``missed`` or ``cancelled``
    (vocab.APPOINTMENT_OUTCOMES). ``done`` and ``missed`` log the contact (reached, or an
    attempt) on the appointment's day, mode and place, with ``notes`` (default the
    appointment's own), in the same transaction; returns that contact's id (None when
    cancelled)."""
    if outcome not in vocab.APPOINTMENT_OUTCOMES:
        raise ValidationError([FieldError("status", f"'{outcome}' is not one of: "
                                          f"{', '.join(vocab.APPOINTMENT_OUTCOMES)}")])
    with saving():
        row = (m.Appointment.select(m.Appointment, m.Specialist).join(m.Specialist)
               .where(m.Appointment.id == appointment_id).first())
        if row is None:
            raise NotFoundError("that appointment no longer exists")
        _update(m.Appointment, appointment_id, {"status": outcome}, expected_version,
                "appointment", by, row.client_id)
        if outcome == "cancelled":
            return None
        place = row.location if row.location in vocab.LOCATIONS else None
        note = row.notes if notes is None else notes
        if row.location and place is None:  # a place that is not office/community: in the note
            note = f"At {row.location}. {note or ''}".strip()
        return add_client_contact({
            "client_id": row.client_id, "date": column_day(row.date), "specialist": row.specialist.name,
            "mode": row.mode, "location": place, "attempted": outcome == "missed", "notes": note,
        }, by=by)


def delete_appointment(appointment_id: int, by: str | None = None) -> None:
    """Delete an appointment entered by mistake (cancelling keeps it on record instead)."""
    with saving():
        row = m.Appointment.get_or_none(m.Appointment.id == appointment_id)
        if row is None:
            raise NotFoundError("that appointment no longer exists")
        row.delete_instance()
        audit("delete", "appointment", appointment_id, by=by, client_id=row.client_id)


# ---------------------------------------------------------------- appointments: reads

def appointments(start: dt.date | None = None, end: dt.date | None = None,
                 specialist: str | None = None, client_id: str | None = None,
                 statuses: tuple[str, ...] | None = None,
                 open_clients_only: bool = False) -> list[AppointmentRow]:
    """Appointments dated in [start, end] (either end open), by date, time and client, in one
    query (for one specialist's, one client's, or some statuses only, when given)."""
    A = m.Appointment
    query = (A.select(A.id, A.client, m.Client.first_name, m.Client.last_name, A.date, A.time,
                      A.mode, A.location, m.Specialist.name, A.status, A.notes, A.version)
             .join(m.Client).switch(A).join(m.Specialist))
    if start is not None:
        query = query.where(A.date >= start)
    if end is not None:
        query = query.where(A.date <= end)
    if specialist:
        query = query.where(m.Specialist.name == specialist)
    if client_id is not None:
        query = query.where(A.client == client_id)
    if statuses is not None:
        query = query.where(A.status.in_(list(statuses)))
    if open_clients_only:
        query = query.where(m.Client.stage != "closed")
    rows = [
        AppointmentRow(id=aid, client_id=cid, client=_name(first, last), date=column_day(day),
                       time=time, mode=mode, location=location, specialist=spec, status=status,
                       notes=notes, version=version)
        for aid, cid, first, last, day, time, mode, location, spec, status, notes, version
        in query.tuples()
    ]
    rows.sort(key=lambda r: (r.date, r.time or "", r.client.lower(), r.id))
    return rows


def plans(on: dt.date, client_id: str | None = None) -> list[Appointment]:
    """The appointments still planned from ``on`` on, for open clients (what reminders show)."""
    return [Appointment(client_id=r.client_id, date=r.date, status=r.status, time=r.time,
                        mode=r.mode, location=r.location, specialist=r.specialist, id=r.id)
            for r in appointments(start=on, client_id=client_id, statuses=("planned",),
                                  open_clients_only=True)]


def appointment(appointment_id: int) -> AppointmentRow:
    """One appointment; NotFoundError if it has gone."""
    A = m.Appointment
    row = (A.select(A, m.Client, m.Specialist).join(m.Client).switch(A).join(m.Specialist)
           .where(A.id == appointment_id).first())
    if row is None:
        raise NotFoundError("that appointment no longer exists")
    return AppointmentRow(id=row.id, client_id=row.client_id,
                          client=_name(row.client.first_name, row.client.last_name),
                          date=column_day(row.date), time=row.time, mode=row.mode,
                          location=row.location, specialist=row.specialist.name,
                          status=row.status, notes=row.notes, version=row.version)


# ---------------------------------------------------------------- the team-contact log

def add_team_contact(values: Mapping[str, object], by: str | None = None) -> int:
    """Record discussing a client with their mental-health practitioner or team; its id."""
    return create_for_client("team_contact", m.TeamContact, values, by)


def team_contacts(client_id: str | None = None, since: dt.date | None = None,
                  until: dt.date | None = None) -> list[TeamContactRow]:
    """Team contacts, newest first (for one client, in [since, until], when given)."""
    T = m.TeamContact
    query = T.select(T.id, T.client, T.date, T.who, m.Specialist.name, T.notes).join(m.Specialist)
    if client_id is not None:
        query = query.where(T.client == client_id)
    if since is not None:
        query = query.where(T.date >= since)
    if until is not None:
        query = query.where(T.date <= until)
    rows = [TeamContactRow(id=tid, client_id=cid, date=column_day(day), who=who, specialist=spec,
                           notes=notes)
            for tid, cid, day, who, spec, notes in query.tuples()]
    rows.sort(key=lambda r: (r.date, r.id), reverse=True)
    return rows


def last_team_contacts(until: dt.date | None = None) -> dict[str, dt.date]:
    """Each client's latest team contact dated on or before ``until`` (one query)."""
    import peewee as pw

    T = m.TeamContact
    query = T.select(T.client, pw.fn.MAX(T.date)).group_by(T.client)
    if until is not None:
        query = query.where(T.date <= until)
    return {cid: column_day(day) for cid, day in query.tuples()}


def flagged_clients(specialist: str | None = None) -> list[tuple[str, str, str | None]]:
    """Open clients flagged for the team meeting: (client_id, name, note), by name."""
    C = m.Client
    query = (C.select(C.client_id, C.first_name, C.last_name, C.discuss_note).join(m.Specialist)
             .where(C.discuss == True, C.stage != "closed"))  # noqa: E712 -- peewee builds SQL from ==
    if specialist:
        query = query.where(m.Specialist.name == specialist)
    rows = [(cid, _name(first, last), note) for cid, first, last, note in query.tuples()]
    return sorted(rows, key=lambda r: (r[1].lower(), r[0]))
