"""Bulk reads and writes for the interchange import and export (CSV is ips_tui.interchange's job).

Everything here speaks plain Python values keyed by the interchange column names (``specialist``
is a specialist's name, ``client_id``/``employer_id`` are ids, ``client_ids`` a list), so the
caller never touches peewee:

* :func:`existing` - what the database already holds, for duplicate and reference checks;
* :func:`apply_import` - write a whole checked import plan in one transaction with batched inserts;
* :func:`export_rows` - every record as plain dicts, read in one consistent snapshot.

Contacts have no natural id, so they are compared as tuples: :func:`client_contact_key` and
:func:`employer_contact_key` are the single definition of "the same contact" on both sides.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

import peewee as pw

from ips_tui.store import models as m
from ips_tui.store.db import StoreError, is_server_database, reset_sequences, snapshot, transaction
from ips_tui.store.writes import utc_now
from ips_tui.validation import RULES

#: Rows handed to one ``executemany`` call (bounds the memory of the converted copy).
BATCH = 5_000
#: An import of at least this many rows refreshes a server's planner statistics.
ANALYZE_AFTER_ROWS = 1_000

#: The key column of each entity with an id of its own (contacts have none).
KEYS: dict[str, str] = {
    "specialist": "name",
    "employer": "employer_id",
    "client": "client_id",
    "job": "job_id",
}


class ImportConflict(StoreError):
    """The database changed between checking an import and writing it; nothing was written."""


# ---------------------------------------------------------------- contact identity

def client_contact_key(values: Mapping[str, object]) -> tuple:
    """A client contact as a comparable tuple: every field of it."""
    return (
        values["client_id"], values["date"], values["specialist"], values["mode"],
        values.get("location"), bool(values.get("attempted")), values.get("notes"),
    )


def employer_contact_key(values: Mapping[str, object]) -> tuple:
    """An employer contact as a comparable tuple: every field, client_ids as a set."""
    ids = cast("Iterable[str]", values.get("client_ids") or ())
    if isinstance(ids, str):
        ids = [part.strip() for part in ids.split(";") if part.strip()]
    return (
        values["employer_id"], values["date"], values["specialist"], values["mode"],
        bool(values.get("hiring_manager")), values.get("notes"), frozenset(ids),
    )


def appointment_key(values: Mapping[str, object]) -> tuple:
    """An appointment as a comparable tuple: every field of it (appointments.csv, schema 3)."""
    return (
        values["client_id"], values["date"], values.get("time"), values.get("mode"),
        values.get("location"), values["specialist"], values.get("status") or "planned",
        values.get("notes"),
    )


# ---------------------------------------------------------------- reading

def _names(entity: str) -> list[str]:
    return [rule.name for rule in RULES[entity]]


def _specialist_names() -> dict[int, str]:
    return dict(m.Specialist.select(m.Specialist.id, m.Specialist.name).tuples())


def _read(entity: str, specialists: Mapping[int, str]) -> list[dict[str, object]]:
    """Every row of ``entity`` as a dict keyed by the interchange names."""
    names = _names(entity)
    if entity == "specialist":
        query = m.Specialist.select(m.Specialist.name, m.Specialist.email, m.Specialist.active)
        return [dict(zip(names, row, strict=True)) for row in query.tuples()]
    if entity == "employer":
        cols = [getattr(m.Employer, n) for n in names]
        return [dict(zip(names, row, strict=True)) for row in m.Employer.select(*cols).tuples()]
    if entity == "client":
        cols = [getattr(m.Client, n) for n in names]
        out = []
        for row in m.Client.select(*cols).tuples():
            values = dict(zip(names, row, strict=True))
            values["specialist"] = specialists[values["specialist"]]
            out.append(values)
        return out
    if entity == "job":
        attrs = {"client_id": "client", "employer_id": "employer"}
        cols = [getattr(m.Job, attrs.get(n, n)) for n in names]
        return [dict(zip(names, row, strict=True)) for row in m.Job.select(*cols).tuples()]
    if entity == "client_contact":
        C = m.ClientContact
        query = C.select(C.client, C.date, C.specialist, C.mode, C.location, C.attempted, C.notes)
        return [
            {"client_id": cid, "date": date, "specialist": specialists[sid], "mode": mode,
             "location": location, "attempted": attempted, "notes": notes}
            for cid, date, sid, mode, location, attempted, notes in query.tuples()
        ]
    if entity == "employer_contact":
        E = m.EmployerContact
        on_behalf: dict[int, list[str]] = {}
        link = m.EmployerContactClient
        for contact_id, client_id in link.select(link.employer_contact, link.client).tuples():
            on_behalf.setdefault(contact_id, []).append(client_id)
        query = E.select(E.id, E.employer, E.date, E.specialist, E.mode, E.hiring_manager, E.notes)
        return [
            {"employer_id": eid, "date": date, "specialist": specialists[sid], "mode": mode,
             "client_ids": sorted(on_behalf.get(pk, [])), "hiring_manager": hiring_manager,
             "notes": notes}
            for pk, eid, date, sid, mode, hiring_manager, notes in query.tuples()
        ]
    if entity == "appointment":
        A = m.Appointment
        query = A.select(A.client, A.date, A.time, A.mode, A.location, A.specialist, A.status,
                         A.notes)
        return [
            {"client_id": cid, "date": date, "time": time, "mode": mode, "location": location,
             "specialist": specialists[sid], "status": status, "notes": notes}
            for cid, date, time, mode, location, sid, status, notes in query.tuples()
        ]
    raise KeyError(entity)


#: The kinds of record that are not interchange files (yet): the team-contact log.
NOT_EXPORTED = frozenset({"team_contact"})


@dataclass
class Existing:
    """What the database holds, as plain values.

    ``records[entity]`` maps the key (specialist name, employer/client/job id) to the record's
    interchange values; ``client_contacts``/``employer_contacts`` are sets of contact keys.
    """

    records: dict[str, dict[object, dict[str, object]]] = field(default_factory=dict)
    #: How many of each identical contact there are (two unanswered calls on one day are two).
    client_contacts: Counter[tuple] = field(default_factory=Counter)
    employer_contacts: Counter[tuple] = field(default_factory=Counter)
    appointments: Counter[tuple] = field(default_factory=Counter)


def existing() -> Existing:
    """Read what already exists, in one consistent snapshot."""
    out = Existing()
    with snapshot():
        specialists = _specialist_names()
        for entity, key in KEYS.items():
            out.records[entity] = {row[key]: row for row in _read(entity, specialists)}
        out.client_contacts = Counter(
            client_contact_key(row) for row in _read("client_contact", specialists))
        out.employer_contacts = Counter(
            employer_contact_key(row) for row in _read("employer_contact", specialists))
        out.appointments = Counter(
            appointment_key(row) for row in _read("appointment", specialists))
    return out


def export_rows() -> dict[str, list[dict[str, object]]]:
    """Every record of every kind (keys of validation.RULES) as dicts of interchange values.

    Dates are ``datetime.date``, booleans ``bool``, numbers ``float``, ``client_ids`` a sorted list.
    Read in one snapshot, so the files of an export agree with each other.
    """
    from ips_tui.store import reviews

    with snapshot():
        specialists = _specialist_names()
        rows = {entity: _read(entity, specialists) for entity in RULES
                if entity not in NOT_EXPORTED and entity not in ("review", "review_item")}
        return {**rows, **reviews.export_rows()}


# ---------------------------------------------------------------- writing

@dataclass
class EntityChanges:
    """What an import does to one kind of record.

    ``insert``: full records (interchange values) to add. ``update``: (key, changed values) pairs
    for records that exist; only the fields named change. Contacts are only ever inserted
    (employer contacts with ``client_ids`` as a list).
    """

    insert: list[dict[str, object]] = field(default_factory=list)
    update: list[tuple[object, dict[str, object]]] = field(default_factory=list)


def _insert(model: type[m.BaseModel], fields: Sequence[pw.Field],
            rows: Sequence[tuple]) -> None:
    """Insert ``rows`` (tuples in the order of ``fields``) fast.

    The statement is peewee's ``insert_many`` for one row; it is run for every row with the DB-API
    ``executemany`` on the open connection (inside the caller's transaction), which skips peewee's
    per-value SQL generation: 60,000 contacts take well under a second instead of several. Values
    are stored as peewee stores them (dates as ISO text, booleans as 0/1, references as keys).
    """
    if not rows:
        return
    if is_server_database():
        # PostgreSQL: the driver adapts dates and booleans to the column types itself.
        m.database.obj.insert_rows(model, list(fields), list(rows))
        return
    sql, _ = model.insert_many([rows[0]], fields=list(fields)).sql()
    cursor = m.database.cursor()
    for start in range(0, len(rows), BATCH):
        batch = [tuple(_sqlite_value(v) for v in row) for row in rows[start:start + BATCH]]
        with pw.__exception_wrapper__:  # driver errors as peewee's
            cursor.executemany(sql, batch)


def _sqlite_value(value: object) -> object:
    """A value as SQLite stores it for peewee's fields (dates as ISO text, booleans as 0/1)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _lookup(table: Mapping[str, int], name: object, what: str) -> int:
    try:
        return table[name]  # type: ignore[index]  # a missing name is the KeyError handled below
    except KeyError:
        raise ImportConflict(
            f"the {what} '{name}' is no longer in the database (changed while importing)"
        ) from None


@contextlib.contextmanager
def locked() -> Iterator[None]:
    """Hold the write lock while an import is checked against the database and written, so
    nobody's commit can slip in between (two overlapping imports must not both add the same
    contacts). Others wait for it up to the busy timeout; if it cannot be had, StoreError."""
    tx = transaction()
    try:
        tx.__enter__()
    except (pw.OperationalError, sqlite3.OperationalError) as exc:
        raise StoreError(f"the database is locked ({exc}: someone else is writing to it); "
                         "nothing was imported: try again in a moment") from None
    try:
        yield
    except BaseException:
        if not tx.__exit__(*sys.exc_info()):
            raise
    else:
        tx.__exit__(None, None, None)


def apply_import(plan: Mapping[str, EntityChanges], *, by: str | None = None,
                 progress: Callable[[int], None] | None = None,
                 also: Callable[[str, str | None], int] | None = None) -> None:
    """Write a checked import plan: all of it in one transaction, or nothing.

    ``plan`` maps entity names (keys of validation.RULES) to their changes; values must already be
    clean (validation.clean) and references must resolve. Inserted rows get ``version`` 1 and fresh
    timestamps; updated rows get ``version`` + 1. The audit log gets one ``import`` entry per kind
    of record added (counts and field names only) and one ``update`` entry per record changed.
    ``progress(rows)`` is called after each kind of record with the plan rows written so far.

    ``also(now, by)`` writes more rows in the same transaction (the fidelity reviews).

    Raises ImportConflict if the database changed since the plan was made in a way that breaks it
    (a referenced record deleted, a new record with the same id added); nothing is written then.
    """
    empty = EntityChanges()

    def get(entity: str) -> EntityChanges:
        return plan.get(entity, empty)

    now = utc_now()
    audits: list[tuple] = []
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None and count:
            progress(done)

    def audit_import(entity: str, changes: EntityChanges) -> None:
        if changes.insert:
            audits.append((now, by, "import", entity, f"{len(changes.insert)} added", None,
                           json.dumps(sorted(_names(entity)))))

    def audit_update(entity: str, key: object, changed: Mapping[str, object],
                     client_id: object = None) -> None:
        audits.append((now, by, "update", entity, str(key),
                       None if client_id is None else str(client_id),
                       json.dumps(sorted(changed))))

    def update(model: type[m.Tracked], where: pw.Expression, values: Mapping[str, object]) -> None:
        query = model.update(
            {**{getattr(model, k): v for k, v in values.items()}, model.updated_at: now,
             model.version: model.version + 1}
        ).where(where)
        if query.execute() != 1:
            raise ImportConflict("a record to update is no longer in the database")

    stamp = (now, now, 1)
    try:
        with transaction():
            # Specialists first: everyone else refers to them by name.
            S = m.Specialist
            changes = get("specialist")
            _insert(S, (S.name, S.email, S.active, S.created_at, S.updated_at, S.version),
                    [(v["name"], v.get("email"), v.get("active", True), *stamp)
                     for v in changes.insert])
            spec_ids = dict(S.select(S.name, S.id).tuples())
            for name, values in changes.update:
                update(S, S.name == name, values)
                audit_update("specialist", _lookup(spec_ids, name, "specialist"), values)
            audit_import("specialist", changes)
            step(len(changes.insert) + len(changes.update))

            E = m.Employer
            names = _names("employer")
            changes = get("employer")
            _insert(E, [getattr(E, n) for n in names] + [E.created_at, E.updated_at, E.version],
                    [(*(v.get(n) for n in names), *stamp) for v in changes.insert])
            for key, values in changes.update:
                update(E, E.employer_id == key, values)
                audit_update("employer", key, values)
            audit_import("employer", changes)
            step(len(changes.insert) + len(changes.update))

            C = m.Client
            names = _names("client")
            changes = get("client")

            def client_row(values: Mapping[str, object]) -> dict[str, object]:
                out = dict(values)
                if "specialist" in out:
                    out["specialist"] = _lookup(spec_ids, out["specialist"], "specialist")
                return out

            rows = [client_row(v) for v in changes.insert]
            _insert(C, [getattr(C, n) for n in names] + [C.created_at, C.updated_at, C.version],
                    [(*(v.get(n) for n in names), *stamp) for v in rows])
            for key, values in changes.update:
                update(C, C.client_id == key, client_row(values))
                audit_update("client", key, values, client_id=key)
            audit_import("client", changes)
            step(len(changes.insert) + len(changes.update))

            J = m.Job
            names = _names("job")
            attrs = {"client_id": "client", "employer_id": "employer"}
            changes = get("job")
            _insert(J, [getattr(J, attrs.get(n, n)) for n in names]
                    + [J.created_at, J.updated_at, J.version],
                    [(*(v.get(n) for n in names), *stamp) for v in changes.insert])
            for key, values in changes.update:
                row = {attrs.get(k, k): v for k, v in values.items()}
                update(J, J.job_id == key, row)
                client_id = values.get("client_id") or J.get_by_id(key).client_id
                audit_update("job", key, values, client_id=client_id)
            audit_import("job", changes)
            step(len(changes.insert) + len(changes.update))

            CC = m.ClientContact
            changes = get("client_contact")
            _insert(CC, (CC.client, CC.date, CC.specialist, CC.mode, CC.location, CC.attempted,
                         CC.notes, CC.created_at, CC.updated_at, CC.version),
                    [(v["client_id"], v["date"], _lookup(spec_ids, v["specialist"], "specialist"),
                      v["mode"], v.get("location"), v.get("attempted", False), v.get("notes"),
                      *stamp) for v in changes.insert])
            audit_import("client_contact", changes)
            step(len(changes.insert))

            # Employer contacts get their ids here, so the on-behalf links can be batched too;
            # the IMMEDIATE transaction holds the write lock, so nobody else takes these ids.
            EC = m.EmployerContact
            changes = get("employer_contact")
            first = (EC.select(pw.fn.MAX(EC.id)).scalar() or 0) + 1
            contact_rows = []
            link_rows = []
            for offset, v in enumerate(changes.insert):
                contact_id = first + offset
                contact_rows.append((
                    contact_id, v["employer_id"], v["date"],
                    _lookup(spec_ids, v["specialist"], "specialist"), v["mode"],
                    v.get("hiring_manager", False), v.get("notes"), *stamp,
                ))
                for client_id in _unique(cast("Iterable[str]", v.get("client_ids") or ())):
                    link_rows.append((contact_id, client_id))
            _insert(EC, (EC.id, EC.employer, EC.date, EC.specialist, EC.mode, EC.hiring_manager,
                         EC.notes, EC.created_at, EC.updated_at, EC.version), contact_rows)
            L = m.EmployerContactClient
            _insert(L, (L.employer_contact, L.client), link_rows)
            if contact_rows:
                reset_sequences()  # a server's id sequence must follow the ids given here
            audit_import("employer_contact", changes)
            step(len(changes.insert))

            AP = m.Appointment
            changes = get("appointment")
            _insert(AP, (AP.client, AP.date, AP.time, AP.mode, AP.location, AP.specialist,
                         AP.status, AP.notes, AP.created_at, AP.updated_at, AP.version),
                    [(v["client_id"], v["date"], v.get("time"), v.get("mode") or "in_person",
                      v.get("location"), _lookup(spec_ids, v["specialist"], "specialist"),
                      v.get("status") or "planned", v.get("notes"), *stamp)
                     for v in changes.insert])
            audit_import("appointment", changes)
            step(len(changes.insert))
            if also is not None:
                step(also(now, by))

            A = m.AuditEntry
            _insert(A, (A.at, A.specialist, A.action, A.entity, A.entity_id, A.client_id,
                        A.fields), audits)
            if is_server_database() and done >= ANALYZE_AFTER_ROWS:
                m.database.obj.analyze(list(m.ALL_MODELS))
    except (pw.IntegrityError, sqlite3.IntegrityError) as exc:
        raise ImportConflict(
            f"the database changed while importing ({exc}); nothing was imported: run the "
            "import again"
        ) from None
    except (pw.OperationalError, sqlite3.OperationalError) as exc:
        raise StoreError(f"the import could not be written ({exc}); nothing was imported") from None


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
