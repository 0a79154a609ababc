"""Bulk reads and writes for the interchange import and export (CSV is ips_tui.interchange's job).

Everything here speaks plain Python values keyed by the interchange column names (``specialist``
is a specialist's name, ``client_id``/``employer_id`` are ids, ``client_ids`` a list), so the
caller never touches peewee:

* :func:`keys`, :func:`current`, :func:`last_id`, :func:`stored_contacts` - what the database
  already holds, asked for a batch of rows at a time, for duplicate and reference checks;
* :class:`ImportWriter` - write checked rows in batches inside the caller's one transaction
  (:func:`locked`), so an import never holds every row it writes;
* :func:`export_rows` - every record as plain dicts, read in one consistent snapshot.

Contacts, appointments and team contacts have no natural id, so they are compared as tuples:
:func:`client_contact_key`, :func:`employer_contact_key`, :func:`appointment_key` and
:func:`team_contact_key` are the single definition of "the same contact" (or appointment, or
team contact) on both sides.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from itertools import chain
from typing import cast

import peewee as pw

from ips_tui.store import damage
from ips_tui.store import models as m
from ips_tui.store.db import (
    BUSY_TIMEOUT_MS,
    StoreError,
    database_path,
    failure_words,
    is_server_database,
    reset_sequences,
    snapshot,
    transaction,
)
from ips_tui.store.writes import utc_now
from ips_tui.validation import RULES, split_ids

#: Rows an import holds of one kind before writing them (bounds its memory).
BATCH = 5_000
#: Links of employer contacts to clients held before they are written with their contacts
#: (a contact is on behalf of one or two clients, so the contacts' batch usually comes first).
LINKS_HELD = 4 * BATCH
#: Rows in one INSERT statement of an import on SQLite (within its limit of variables).
ROWS_PER_INSERT = 500
_VARIABLES = 32_766 if sqlite3.sqlite_version_info >= (3, 32) else 999
#: Records or contacts asked for in one query when an import compares its rows with the database.
LOOKUP = 200
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


def team_contact_key(values: Mapping[str, object]) -> tuple:
    """A team contact (the client discussed with their mental-health practitioner or team) as a
    comparable tuple: every field of it (team_contacts.csv)."""
    return (
        values["client_id"], values["date"], values["specialist"], values.get("who"),
        values.get("notes"),
    )


#: The entities matched on every field (no id of their own), and how each is made comparable.
CONTACT_KEYS = {
    "client_contact": client_contact_key,
    "employer_contact": employer_contact_key,
    "appointment": appointment_key,
    "team_contact": team_contact_key,
}


# ---------------------------------------------------------------- reading

def _names(entity: str) -> list[str]:
    return [rule.name for rule in RULES[entity]]


_NAMES = {entity: tuple(_names(entity)) for entity in RULES}
_CLIENT_NAMES = _NAMES["client"]
_CLIENT_SPECIALIST = _CLIENT_NAMES.index("specialist")


def _specialist_names() -> dict[int, str]:
    return dict(m.Specialist.select(m.Specialist.id, m.Specialist.name).tuples())


def _read(entity: str, specialists: Mapping[int, str],
          where: pw.Expression | None = None) -> list[dict[str, object]]:
    """Every row of ``entity`` (or those matching ``where``) as a dict keyed by the interchange
    names; contacts carry their ``id`` too when ``where`` is given."""
    names = _names(entity)

    def filtered(query: pw.ModelSelect) -> pw.ModelSelect:
        return query if where is None else query.where(where)

    if entity == "specialist":
        query = m.Specialist.select(m.Specialist.name, m.Specialist.email, m.Specialist.active)
        return [dict(zip(names, row, strict=True)) for row in filtered(query).tuples()]
    if entity == "employer":
        cols = [getattr(m.Employer, n) for n in names]
        return [dict(zip(names, row, strict=True))
                for row in filtered(m.Employer.select(*cols)).tuples()]
    if entity == "client":
        cols = [getattr(m.Client, n) for n in names]
        out = []
        for row in filtered(m.Client.select(*cols)).tuples():
            values = dict(zip(names, row, strict=True))
            values["specialist"] = specialists[values["specialist"]]
            out.append(values)
        return out
    if entity == "job":
        attrs = {"client_id": "client", "employer_id": "employer"}
        cols = [getattr(m.Job, attrs.get(n, n)) for n in names]
        return [dict(zip(names, row, strict=True))
                for row in filtered(m.Job.select(*cols)).tuples()]
    if entity == "client_contact":
        C = m.ClientContact
        query = C.select(C.id, C.client, C.date, C.specialist, C.mode, C.location, C.attempted,
                         C.notes)
        return [
            {"client_id": cid, "date": date, "specialist": specialists[sid], "mode": mode,
             "location": location, "attempted": attempted, "notes": notes,
             **({} if where is None else {"id": pk})}
            for pk, cid, date, sid, mode, location, attempted, notes in filtered(query).tuples()
        ]
    if entity == "employer_contact":
        E = m.EmployerContact
        query = E.select(E.id, E.employer, E.date, E.specialist, E.mode, E.hiring_manager, E.notes)
        rows = list(filtered(query).tuples())
        on_behalf: dict[int, list[str]] = {}
        link = m.EmployerContactClient
        links = link.select(link.employer_contact, link.client)
        if where is not None:
            links = links.where(link.employer_contact.in_([row[0] for row in rows]))
        for contact_id, client_id in links.tuples():
            on_behalf.setdefault(contact_id, []).append(client_id)
        return [
            {"employer_id": eid, "date": date, "specialist": specialists[sid], "mode": mode,
             "client_ids": sorted(on_behalf.get(pk, [])), "hiring_manager": hiring_manager,
             "notes": notes, **({} if where is None else {"id": pk})}
            for pk, eid, date, sid, mode, hiring_manager, notes in rows
        ]
    if entity == "appointment":
        A = m.Appointment
        query = A.select(A.id, A.client, A.date, A.time, A.mode, A.location, A.specialist,
                         A.status, A.notes)
        return [
            {"client_id": cid, "date": date, "time": time, "mode": mode, "location": location,
             "specialist": specialists[sid], "status": status, "notes": notes,
             **({} if where is None else {"id": pk})}
            for pk, cid, date, time, mode, location, sid, status, notes in filtered(query).tuples()
        ]
    if entity == "team_contact":
        T = m.TeamContact
        query = T.select(T.id, T.client, T.date, T.specialist, T.who, T.notes)
        return [
            {"client_id": cid, "date": date, "specialist": specialists[sid], "who": who,
             "notes": notes, **({} if where is None else {"id": pk})}
            for pk, cid, date, sid, who, notes in filtered(query).tuples()
        ]
    raise KeyError(entity)


def _key_field(entity: str) -> pw.Field:
    model = {"specialist": m.Specialist, "employer": m.Employer, "client": m.Client,
             "job": m.Job}[entity]
    return cast("pw.Field", getattr(model, KEYS[entity]))


def keys(entity: str) -> set[object]:
    """The keys (specialist names, employer/client/job ids) of every stored ``entity``: what a
    reference may point to."""
    field = _key_field(entity)
    return {key for (key,) in field.model.select(field).tuples()}


def current(entity: str, wanted: Collection[object]) -> dict[object, dict[str, object]]:
    """The stored records of ``entity`` (a key of KEYS) with these keys, as interchange values."""
    wanted = list(wanted)
    if not wanted:
        return {}
    field = _key_field(entity)
    specialists = _specialist_names()
    out: dict[object, dict[str, object]] = {}
    for start in range(0, len(wanted), LOOKUP):
        for row in _read(entity, specialists, field.in_(wanted[start:start + LOOKUP])):
            out[row[KEYS[entity]]] = row
    return out


_CONTACT_MODELS: dict[str, tuple[type[m.Tracked], pw.Field]] = {
    "client_contact": (m.ClientContact, m.ClientContact.client),
    "employer_contact": (m.EmployerContact, m.EmployerContact.employer),
    "appointment": (m.Appointment, m.Appointment.client),
    "team_contact": (m.TeamContact, m.TeamContact.client),
}


def last_id(entity: str) -> int:
    """The highest id of the stored contacts (or appointments, team contacts) of ``entity`` (0
    when there are none): those an import finds already there are those up to it, whatever it
    writes itself."""
    model = _CONTACT_MODELS[entity][0]
    return int(model.select(pw.fn.MAX(model.id)).scalar() or 0)


def stored_contacts(entity: str, wanted: Collection[tuple],
                    up_to: int) -> dict[tuple, list[int]]:
    """The ids (at most ``up_to``) of the stored contacts (or appointments, team contacts) equal
    to each of these keys (:data:`CONTACT_KEYS`: client or employer contact, appointment, team
    contact), in id order."""
    model, owner = _CONTACT_MODELS[entity]
    make_key = CONTACT_KEYS[entity]
    pairs = sorted({(key[0], key[1]) for key in wanted})
    wanted = set(wanted)
    out: dict[tuple, list[int]] = {}
    if not pairs:
        return out
    specialists = _specialist_names()
    param = m.database.obj.param
    # Written out: peewee takes longer to render a long OR than the database to run it.
    term = f"({owner.column_name} = {param} AND {model.date.column_name} = {param})"
    for start in range(0, len(pairs), LOOKUP):
        some = pairs[start:start + LOOKUP]
        params = [v for o, d in some for v in (o, cast(dt.date, d).isoformat())]
        where = (model.id <= up_to) & pw.SQL("(" + " OR ".join([term] * len(some)) + ")",
                                                params)
        for row in sorted(_read(entity, specialists, where), key=lambda r: cast(int, r["id"])):
            key = make_key(row)
            if key in wanted:
                out.setdefault(key, []).append(cast(int, row["id"]))
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
                if entity not in ("review", "review_item")}
        return {**rows, **reviews.export_rows()}


# ---------------------------------------------------------------- writing

def _insert(model: type[m.BaseModel], fields: Sequence[pw.Field],
            rows: Sequence[tuple]) -> None:
    """Insert ``rows`` (tuples in the order of ``fields``; on SQLite, dates already ISO text) fast.

    The statement is peewee's ``insert_many`` for one row, repeated for ROWS_PER_INSERT rows
    and run with the DB-API on the open connection (inside the caller's transaction), which
    skips peewee's per-value SQL generation; the rows left over go one statement each
    (``executemany``). On a server, the driver's batch insert. Values are stored as peewee
    stores them (dates as ISO text, booleans as 0/1, references as keys).
    """
    if not rows:
        return
    if is_server_database():
        # PostgreSQL: the driver adapts dates and booleans to the column types itself.
        m.database.obj.insert_rows(model, list(fields), list(rows))
        return
    sql, _ = model.insert_many([rows[0]], fields=list(fields)).sql()
    cursor = m.database.cursor()
    # Many rows to a statement (INSERT ... VALUES (...), (...), ...): SQLite runs it in one go,
    # about a third faster than a statement per row; the rest, fewer, one by one.
    per = max(1, min(ROWS_PER_INSERT, _VARIABLES // len(fields)))
    whole = len(rows) - len(rows) % per
    if whole:
        head, _, one = sql.partition(" VALUES ")
        many = f"{head} VALUES {', '.join([one] * per)}"
        with pw.__exception_wrapper__:  # driver errors as peewee's
            for start in range(0, whole, per):
                cursor.execute(many, list(chain.from_iterable(rows[start:start + per])))
    if whole < len(rows):
        with pw.__exception_wrapper__:
            cursor.executemany(sql, rows[whole:])


def _as_text(value: object) -> object:
    """A value as SQLite stores it for peewee's fields: a date as ISO text (sqlite3 stores a
    boolean as 0/1 itself)."""
    return value.isoformat() if type(value) is dt.date else value


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
    contacts). Others wait for it up to the busy timeout; if it cannot be had, StoreError.
    Everything an import writes is written inside it: an exception rolls all of it back."""
    tx = transaction()
    try:
        tx.__enter__()
    except (pw.OperationalError, sqlite3.OperationalError) as exc:
        if damage.is_disk_full(exc) or damage.is_damage(exc):
            raise StoreError(_failure(exc)) from None
        raise StoreError(f"the database is locked ({exc}: someone else is writing to it); "
                         "nothing was imported: try again in a moment") from None
    try:
        yield
    except BaseException as exc:
        try:
            suppressed = tx.__exit__(type(exc), exc, exc.__traceback__)
        except (pw.OperationalError, sqlite3.OperationalError) as failed:
            if "no transaction is active" not in str(failed):
                raise
            suppressed = False  # SQLite had rolled back by itself (a full disk): say why
        if not suppressed:
            raise
    else:
        with _translated():  # the commit itself may meet a full disk
            tx.__exit__(None, None, None)


#: The records a first import brings: while the database holds none of them, it is "empty".
_FIRST_IMPORT_MODELS = (m.Client, m.Employer, m.ClientContact, m.EmployerContact)


@contextlib.contextmanager
def written_once() -> Iterator[None]:
    """Around an import's transaction (:func:`locked`): into an empty database file (a first
    import, nothing in it to read yet), write through a rollback journal instead of the WAL,
    and go back to the WAL afterwards, however the import ended.

    In WAL mode every page is written twice, into the WAL and then into the file at the
    checkpoint that follows the commit; a rollback journal has almost nothing to keep for a
    file that was empty, so the pages are written once (about 0.35 s of a region's 4.7 s). It
    is just as much all or nothing: a failed or cut-off import is rolled back.

    Only when this connection has the file to itself (switching needs that): if anyone else
    has it open, the import goes through the WAL as usual, without waiting. While it runs,
    another ips-tui opening the file waits for it, up to the busy timeout, as for any write.
    If the switch back cannot be made, the next connection makes it (every one asks for WAL
    when it opens, :data:`ips_tui.store.db.PRAGMAS`). Nothing to do on a server.
    """
    if is_server_database():
        yield
        return
    with _translated():
        empty = not any(model.select().exists() for model in _FIRST_IMPORT_MODELS)
    if not empty:
        yield
        return
    switched = _journal_mode("delete")
    try:
        yield
    finally:
        if switched:
            _journal_mode("wal")


def _journal_mode(mode: str) -> bool:
    """Switch the open SQLite file to journal ``mode`` now, without waiting for anyone: whether
    it was switched."""
    database = m.database.obj
    try:
        database.execute_sql("PRAGMA busy_timeout = 0")
        try:
            row = database.execute_sql(f"PRAGMA journal_mode = {mode}").fetchone()
        finally:
            database.execute_sql(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except (pw.DatabaseError, sqlite3.DatabaseError):
        return False  # someone else has the file open (or it cannot be written)
    return bool(row) and str(row[0]).lower() == mode


def _failure(exc: BaseException) -> str:
    """A full disk (with the space free) or a damaged file met by an import, in words."""
    if damage.is_disk_full(exc):
        path = database_path()
        return (f"the import could not be written: {damage.disk_full(path.parent if path else None)}"
                "; nothing was imported: free some disk space and try again")
    return f"the import could not be written: {failure_words(exc)}; nothing was imported"


@contextlib.contextmanager
def _translated() -> Iterator[None]:
    """Database errors while writing an import, as StoreErrors that say nothing was imported."""
    try:
        yield
    except (pw.IntegrityError, sqlite3.IntegrityError) as exc:
        raise ImportConflict(
            f"the database changed while importing ({exc}); nothing was imported: run the "
            "import again"
        ) from None
    except (pw.OperationalError, sqlite3.OperationalError) as exc:
        if damage.is_disk_full(exc) or damage.is_damage(exc):
            raise StoreError(_failure(exc)) from None
        raise StoreError(f"the import could not be written ({exc}); nothing was imported") from None
    except (pw.DatabaseError, sqlite3.DatabaseError) as exc:
        if damage.is_damage(exc):  # "database disk image is malformed"
            raise StoreError(_failure(exc)) from None
        raise


#: The order records must be written in (each refers only to those before it).
ORDER = ("specialist", "employer", "client", "job", "client_contact", "employer_contact",
         "appointment", "team_contact")
#: The entities written before each one (references point back).
_EARLIER = {entity: ORDER[:index] for index, entity in enumerate(ORDER)}
_ATTRS = {"client_id": "client", "employer_id": "employer"}


class ImportWriter:
    """Writes checked import rows in batches of BATCH, inside the caller's transaction
    (:func:`locked`): memory stays flat however big the files are, and an exception anywhere
    rolls everything back.

    Rows come kind by kind in :data:`ORDER` (a row may refer to rows given before it), as clean
    interchange values (validation.clean) whose references resolve. :meth:`insert` adds a record
    (``version`` 1, fresh timestamps; employer contacts with ``client_ids`` as a list);
    :meth:`update` changes the named fields of a stored record (``version`` + 1);
    :meth:`done` ends a kind; :meth:`finish` ends the import. The audit log gets one ``import``
    entry per kind of record added (count and field names only) and one ``update`` entry per
    record changed. Raises ImportConflict if the database does not hold what the checks found
    (a record to update is gone, an id is taken), StoreError if it cannot be written.
    """

    def __init__(self, by: str | None = None) -> None:
        self.by = by
        self.now = utc_now()
        self.written = 0  # rows inserted or updated so far
        self._stamp = (self.now, self.now, 1)
        self._pending: dict[str, list[tuple]] = {entity: [] for entity in ORDER}
        #: Dates are written as ISO text (SQLite's peewee fields); a server's driver adapts them.
        self.dates_as_text = not is_server_database()
        self._added: Counter[str] = Counter()
        self._links: list[tuple] = []
        self._audits: list[tuple] = []
        self._spec_ids: dict[str, int] = {}
        self._next_contact_id: int | None = None
        # Tables whose plain indexes this import set aside: {model: the indexes' SQL}.
        self._set_aside: dict[type[m.BaseModel], list[str]] = {}

    # -- specialists by name
    def _specialist_id(self, name: object) -> int:
        if name not in self._spec_ids:
            self._flush("specialist")
            S = m.Specialist
            with _translated():
                self._spec_ids = dict(S.select(S.name, S.id).tuples())
        return _lookup(self._spec_ids, name, "specialist")

    # -- rows
    def insert(self, entity: str, values: Mapping[str, object]) -> None:
        """Add one record of ``entity`` (written with the next batch)."""
        pending = self._pending
        for earlier in _EARLIER[entity]:
            if pending[earlier]:
                self._flush(earlier)
        v = values
        if entity == "specialist":
            row: tuple = (v["name"], v.get("email"), v.get("active", True))
        elif entity == "client":
            get = v.get
            row = tuple([get(n) for n in _CLIENT_NAMES])
            row = (*row[:_CLIENT_SPECIALIST], self._specialist_id(v["specialist"]),
                   *row[_CLIENT_SPECIALIST + 1:])
        elif entity == "client_contact":
            row = (v["client_id"], v["date"], self._specialist_id(v["specialist"]), v["mode"],
                   v.get("location"), v.get("attempted", False), v.get("notes"))
        elif entity == "employer_contact":
            contact_id = self._new_contact_id()
            row = (contact_id, v["employer_id"], v["date"], self._specialist_id(v["specialist"]),
                   v["mode"], v.get("hiring_manager", False), v.get("notes"))
            for client_id in _unique(cast("Iterable[str]", v.get("client_ids") or ())):
                self._links.append((contact_id, client_id))
        elif entity == "appointment":
            row = (v["client_id"], v["date"], v.get("time"), v.get("mode") or "in_person",
                   v.get("location"), self._specialist_id(v["specialist"]),
                   v.get("status") or "planned", v.get("notes"))
        elif entity == "team_contact":
            row = (v["client_id"], v["date"], self._specialist_id(v["specialist"]), v.get("who"),
                   v.get("notes"))
        else:
            get = v.get
            row = tuple([get(n) for n in _NAMES[entity]])
        if self.dates_as_text:
            row = tuple([_as_text(value) for value in row])
        self._pending[entity].append((*row, *self._stamp))
        if len(self._pending[entity]) >= BATCH or len(self._links) >= LINKS_HELD:
            self._flush(entity)

    def adder(self, entity: str) -> Callable[[tuple], None]:
        """The function that adds one client or employer contact given as the values of its
        rules (validation.row_builder; dates as ISO text on SQLite, see :attr:`dates_as_text`),
        as :meth:`insert` would add it from the same values by name. For a whole file of them,
        after the earlier kinds are done (:meth:`done`)."""
        pending = self._pending[entity]  # the same list for the whole import (_flush)
        names = self._spec_ids
        now = self.now  # the rows' stamp (_stamp): created, updated, version 1
        links = self._links
        flush = self._flush

        def specialist(name: str) -> int:
            nonlocal names
            found = self._specialist_id(name)
            names = self._spec_ids
            return found

        if entity == "client_contact":
            def add(values: tuple) -> None:
                client_id, date, name, mode, location, attempted, notes = values
                spec = names.get(name) or specialist(name)  # ids start at 1
                pending.append((client_id, date, spec, mode, location, attempted, notes,
                                now, now, 1))
                if len(pending) >= BATCH:
                    flush(entity)
        elif entity == "employer_contact":
            def add(values: tuple) -> None:
                employer_id, date, name, mode, client_ids, hiring_manager, notes = values
                spec = names.get(name) or specialist(name)  # ids start at 1
                contact_id = self._new_contact_id()
                pending.append((contact_id, employer_id, date, spec, mode, hiring_manager, notes,
                                now, now, 1))
                if client_ids:  # stripped, as the builder gives it
                    if ";" in client_ids:
                        for client_id in split_ids(client_ids):  # each once
                            links.append((contact_id, client_id))
                    else:  # one id, the usual case
                        links.append((contact_id, client_ids))
                if len(pending) >= BATCH or len(links) >= LINKS_HELD:
                    flush(entity)
        else:
            raise ValueError(f"no adder for {entity}")
        return add

    def _new_contact_id(self) -> int:
        """The id of the next employer contact added (given here: links refer to it)."""
        if self._next_contact_id is None:
            with _translated():
                self._next_contact_id = last_id("employer_contact") + 1
        contact_id = self._next_contact_id
        self._next_contact_id += 1
        return contact_id

    def _fields(self, entity: str) -> list[pw.Field]:
        stamp = ["created_at", "updated_at", "version"]
        if entity == "specialist":
            names = ["name", "email", "active"]
        elif entity == "client_contact":
            names = ["client", "date", "specialist", "mode", "location", "attempted", "notes"]
        elif entity == "employer_contact":
            names = ["id", "employer", "date", "specialist", "mode", "hiring_manager", "notes"]
        elif entity == "appointment":
            names = ["client", "date", "time", "mode", "location", "specialist", "status", "notes"]
        elif entity == "team_contact":
            names = ["client", "date", "specialist", "who", "notes"]
        elif entity == "job":
            names = [_ATTRS.get(n, n) for n in _names(entity)]
        else:
            names = _names(entity)
        return [getattr(_MODELS[entity], n) for n in names + stamp]

    def _flush(self, entity: str) -> None:
        rows = self._pending[entity]
        if rows:
            with _translated():
                self._set_indexes_aside(_MODELS[entity], len(rows))
                _insert(_MODELS[entity], self._fields(entity), rows)
            self.written += len(rows)
            self._added[entity] += len(rows)  # every row held is a record added
            rows.clear()  # the same list goes on (adder holds it)
        if entity == "employer_contact" and self._links:
            L = m.EmployerContactClient
            with _translated():
                self._set_indexes_aside(L, len(self._links))
                _insert(L, (L.employer_contact, L.client), self._links)
            self._links.clear()

    def _set_indexes_aside(self, model: type[m.BaseModel], rows: int) -> None:
        """Before the first rows of ``model`` are written: if it is a file's table, still empty,
        and a full batch is coming (a big import), drop its plain indexes; :meth:`finish` makes
        them again from their own SQL, in the same transaction. An index built once at the end
        takes a fraction of the time of keeping it up row by row. Unique indexes stay (they
        guard the data); so do the foreign keys. If the import fails, the rollback brings the
        indexes back with everything else (SQLite's DDL is transactional)."""
        if model in self._set_aside:
            return
        self._set_aside[model] = []
        if rows < BATCH or is_server_database():
            return
        db = m.database.obj
        table = model._meta.table_name
        if db.execute_sql(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None:
            return
        indexes = db.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'", (table,)).fetchall()
        for name, _ in indexes:
            db.execute_sql(f'DROP INDEX "{name}"')
        self._set_aside[model] = [sql for _, sql in indexes]

    def _restore_indexes(self) -> None:
        db = m.database.obj
        for model, statements in self._set_aside.items():
            for sql in statements:
                db.execute_sql(sql)
            self._set_aside[model] = []

    def update(self, entity: str, key: object, values: Mapping[str, object]) -> None:
        """Change the fields in ``values`` of the stored record of ``entity`` with this key."""
        self._flush(entity)
        model = _MODELS[entity]
        row = {_ATTRS.get(k, k) if entity == "job" else k: v for k, v in values.items()}
        if entity == "client" and "specialist" in row:
            row["specialist"] = self._specialist_id(row["specialist"])
        query = model.update(
            {**{getattr(model, k): v for k, v in row.items()}, model.updated_at: self.now,
             model.version: model.version + 1}
        ).where(_key_field(entity) == key)
        with _translated():
            if query.execute() != 1:
                raise ImportConflict("a record to update is no longer in the database")
            client_id: object = None
            audit_key = key
            if entity == "specialist":
                audit_key = self._specialist_id(key)
            elif entity == "client":
                client_id = key
            elif entity == "job":
                client_id = values.get("client_id") or m.Job.get_by_id(key).client_id
        self._audit("update", entity, str(audit_key),
                    None if client_id is None else str(client_id), json.dumps(sorted(values)))
        self.written += 1

    def _audit(self, *entry: object) -> None:
        self._audits.append((self.now, self.by, *entry))
        if len(self._audits) >= BATCH:
            self._flush_audits()

    def _flush_audits(self) -> None:
        A = m.AuditEntry
        with _translated():
            _insert(A, (A.at, A.specialist, A.action, A.entity, A.entity_id, A.client_id,
                        A.fields), self._audits)
        self._audits = []

    def done(self, entity: str) -> None:
        """Every row of ``entity`` has been given: write the rest, and its audit entry."""
        self._flush(entity)
        if self._added[entity]:
            self._audit("import", entity, f"{self._added[entity]} added", None,
                        json.dumps(sorted(_names(entity))))

    def write_more(self, write: Callable[[str, str | None], int]) -> None:
        """Write rows this writer does not know (the fidelity reviews) in the same transaction:
        ``write(now, by)`` returns how many it wrote."""
        for entity in ORDER:
            self._flush(entity)
        with _translated():
            self.written += write(self.now, self.by)

    def finish(self) -> None:
        """The import is complete: write what is left (the caller's transaction commits it)."""
        for entity in ORDER:
            self._flush(entity)
        self._flush_audits()
        with _translated():
            self._restore_indexes()
            if self._added["employer_contact"]:
                reset_sequences()  # a server's id sequence must follow the ids given here
            if is_server_database() and self.written >= ANALYZE_AFTER_ROWS:
                m.database.obj.analyze(list(m.ALL_MODELS))


_MODELS: dict[str, type[m.Tracked]] = {
    "specialist": m.Specialist, "employer": m.Employer, "client": m.Client, "job": m.Job,
    "client_contact": m.ClientContact, "employer_contact": m.EmployerContact,
    "appointment": m.Appointment, "team_contact": m.TeamContact,
}


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
