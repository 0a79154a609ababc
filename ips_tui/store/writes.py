"""Every change to the records: validated, in a transaction, audited, with optimistic concurrency.

Values come in as mappings keyed by the interchange column names (``specialist`` is a specialist's
name, ``client_id``/``employer_id`` are ids), raw text or typed. Bad values raise
:class:`~ips_tui.validation.ValidationError` listing every problem and change nothing. An update
names the version it was based on; if the record changed since, :class:`ConflictError` is raised
and nothing is written, so the caller can keep what the user typed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ips_tui.store import models as m
from ips_tui.store.db import StoreError, saving
from ips_tui.validation import (
    CLIENT_CONTACT,
    CLOSED_UNDATED,
    EMPLOYER_CONTACT,
    FieldError,
    ValidationError,
    change_errors,
    clean,
    record_errors,
    split_ids,
)


class ConflictError(StoreError):
    """The record was changed by someone else since it was read; nothing was written."""


class NotFoundError(StoreError):
    """The record asked for does not exist (perhaps deleted by someone else)."""


def utc_now() -> str:
    """The current time in UTC as ISO 8601 (audit timestamps)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def audit(action: str, entity: str, entity_id: object, *, by: str | None,
          client_id: str | None = None, fields: Iterable[str] = ()) -> None:
    """Record who changed what (field names only, never values: the log holds no personal data)."""
    m.AuditEntry.create(
        at=utc_now(), specialist=by, action=action, entity=entity, entity_id=str(entity_id),
        client_id=client_id, fields=json.dumps(sorted(fields)) if fields else None,
    )


def _check(entity: str, raw: Mapping[str, object], partial: bool = False) -> dict[str, object]:
    cleaned = clean(entity, raw, partial=partial)
    if cleaned.errors:
        raise ValidationError(cleaned.errors)
    return cleaned.values


def specialist_id(name: str, field: str = "specialist") -> int:
    """The id of the specialist called ``name``; ValidationError if there is none."""
    row = m.Specialist.get_or_none(m.Specialist.name == name)
    if row is None:
        raise ValidationError([FieldError(field, f"no specialist is called '{name}'")])
    return row.id


def _require(model: type[m.BaseModel], key: object, field: str, what: str) -> None:
    if key is not None and model.get_or_none(model._meta.primary_key == key) is None:
        raise ValidationError([FieldError(field, f"no {what} has id '{key}'")])


def next_id(entity: str) -> str:
    """A fresh id for a new client (C0001), employer (E0001) or job (J0001)."""
    model, prefix = {"client": (m.Client, "C"), "employer": (m.Employer, "E"), "job": (m.Job, "J")}[entity]
    pk = model._meta.primary_key
    highest = 0
    for (value,) in model.select(pk).where(pk.startswith(prefix)).tuples():
        match = re.fullmatch(rf"{prefix}(\d+)", value)
        if match:
            highest = max(highest, int(match.group(1)))
    return f"{prefix}{highest + 1:04d}"


def _stamped(values: dict[str, object]) -> dict[str, object]:
    now = utc_now()
    return {**values, "created_at": now, "updated_at": now, "version": 1}


# ---------------------------------------------------------------- specialists

def add_specialist(name: str, email: str | None = None, active: bool = True,
                   by: str | None = None) -> int:
    """Create a specialist; their name must be new."""
    values = _check("specialist", {"name": name, "email": email, "active": active})
    with saving():
        if m.Specialist.get_or_none(m.Specialist.name == values["name"]):
            raise ValidationError([FieldError("name", f"a specialist called '{values['name']}' exists")])
        row = m.Specialist.create(**_stamped(values))
        audit("create", "specialist", row.id, by=by, fields=values)
    return row.id


# ---------------------------------------------------------------- updates in general

def _update(model: type[m.Tracked], key: object, changes: dict[str, object],
            expected_version: int | None, entity: str, by: str | None,
            client_id: str | None, also: Iterable[str] = ()) -> int:
    """Apply ``changes`` to one row if its version is still ``expected_version``; new version.

    ``also`` names fields changed outside the row (an employer contact's clients): the row's
    version goes up for them too, and the audit entry names them.
    """
    pk = model._meta.primary_key
    current = model.get_or_none(pk == key)
    if current is None:
        raise NotFoundError(f"the {entity.replace('_', ' ')} '{key}' no longer exists")
    changed = {k: v for k, v in changes.items() if current.__data__.get(k) != v}
    elsewhere = [name for name in also if name not in changed]
    if not changed and not elsewhere:
        return current.version
    query = model.update(**changed, updated_at=utc_now(), version=model.version + 1).where(pk == key)
    if expected_version is not None:
        query = query.where(model.version == expected_version)
    if query.execute() != 1:
        raise ConflictError(
            f"someone else changed this {entity.replace('_', ' ')} while you were editing it; "
            "nothing was saved. Your typed values are kept: reload to see their changes."
        )
    audit("update", entity, key, by=by, client_id=client_id, fields=[*changed, *elsewhere])
    return (expected_version or current.version) + 1


def _deletable(model: type[m.Tracked], key: object, expected_version: int | None,
               gone: str, what: str) -> Any:
    """The row to delete; NotFoundError if it has gone, ConflictError if it changed since
    ``expected_version`` was read (someone's correction is never deleted unseen)."""
    row = model.get_or_none(model._meta.primary_key == key)
    if row is None:
        raise NotFoundError(gone)
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(f"someone else changed this {what} since you opened it; nothing was "
                            "deleted. Look at it again before deleting it.")
    return row


# ---------------------------------------------------------------- creating records

#: entity -> (model, id field, what it is called in messages)
_KEYED = {
    "client": (m.Client, "client_id", "a client"),
    "employer": (m.Employer, "employer_id", "an employer"),
    "job": (m.Job, "job_id", "a job"),
}


def _create(entity: str, values: Mapping[str, object], by: str | None,
            to_row: Callable[[dict[str, object]], dict[str, object]],
            client_of: Callable[[dict[str, object]], object] = lambda v: None) -> str:
    """Validate and insert one keyed record (a fresh id when none is given), with its audit row."""
    model, key, called = _KEYED[entity]
    raw = dict(values)
    with saving():
        if not raw.get(key):
            raw[key] = next_id(entity)
        clean_values = _check(entity, raw)
        ident = str(clean_values[key])
        if model.get_or_none(model._meta.primary_key == ident):
            raise ValidationError([FieldError(key, f"{called} with id '{ident}' exists")])
        model.create(**_stamped(to_row(clean_values)))
        client = client_of(clean_values)
        audit("create", entity, ident, by=by, client_id=None if client is None else str(client),
              fields=clean_values)
    return ident


def _update_whole(entity: str, key: str, changes: Mapping[str, object],
                  expected_version: int | None, by: str | None,
                  values_of: Callable[[Any], dict[str, object]],
                  to_row: Callable[[dict[str, object]], dict[str, object]],
                  client_of: Callable[[Any], str | None]) -> int:
    """Update a client or a job checked as a whole: the stored record with ``changes`` applied
    must keep every rule, and the change itself the change rules (validation.change_errors)."""
    model, key_field, called = _KEYED[entity]
    if key_field in changes and changes[key_field] != key:
        raise ValidationError([FieldError(key_field, f"cannot be changed once {called} exists")])
    with saving():
        current = model.get_or_none(model._meta.primary_key == key)
        if current is None:
            raise NotFoundError(f"the {entity} '{key}' no longer exists")
        before = values_of(current)
        cleaned = clean(entity, {**before, **changes})
        # A client closed without a date before the rule may still be edited, as long as the
        # edit leaves the stage and the closed date alone (`ips-tui check` points them out).
        kept = ("stage" not in changes and "closed_date" not in changes
                and CLOSED_UNDATED in {e.rule for e in record_errors(entity, before)})
        errors = [e for e in cleaned.errors if not (kept and e.rule == CLOSED_UNDATED)]
        if errors:
            raise ValidationError(errors)
        clean_values = cleaned.values
        errors = change_errors(entity, before, clean_values)
        if errors:
            raise ValidationError(errors)
        wanted = to_row({k: clean_values[k] for k in changes})
        return _update(model, key, wanted, expected_version, entity, by, client_of(current))


# ---------------------------------------------------------------- clients

def _client_fields(values: dict[str, object]) -> dict[str, object]:
    out = dict(values)
    if "specialist" in out:
        out["specialist"] = specialist_id(str(out["specialist"]))
    return out


def create_client(values: Mapping[str, object], by: str | None = None) -> str:
    """Create a client (``client_id`` may be left out: a fresh one is given)."""
    return _create("client", values, by, _client_fields, lambda v: v["client_id"])


def update_client(client_id: str, changes: Mapping[str, object], expected_version: int | None,
                  by: str | None = None) -> int:
    """Change some fields of a client; returns the new version. The whole record must keep the
    record rules, and a client moved to ``closed`` needs a closed date (validation.change_errors)."""
    return _update_whole("client", client_id, changes, expected_version, by, client_values,
                         _client_fields, lambda row: client_id)


def client_values(row: m.Client) -> dict[str, object]:
    """A client row as interchange values (``specialist`` as a name)."""
    from ips_tui.validation import CLIENT

    out = {f.name: getattr(row, f.name) for f in CLIENT if f.name != "specialist"}
    out["specialist"] = row.specialist.name
    return out


def delete_client(client_id: str, by: str | None = None) -> None:
    """Delete a client with their jobs and contacts (the caller asks for confirmation first)."""
    with saving():
        if m.Client.delete().where(m.Client.client_id == client_id).execute() != 1:
            raise NotFoundError(f"the client '{client_id}' no longer exists")
        audit("delete", "client", client_id, by=by, client_id=client_id)


# ---------------------------------------------------------------- employers

def create_employer(values: Mapping[str, object], by: str | None = None) -> str:
    """Create an employer (``employer_id`` may be left out: a fresh one is given)."""
    return _create("employer", values, by, dict)


def update_employer(employer_id: str, changes: Mapping[str, object], expected_version: int | None,
                    by: str | None = None) -> int:
    """Change some fields of an employer; returns the new version."""
    if "employer_id" in changes and changes["employer_id"] != employer_id:
        raise ValidationError([FieldError("employer_id", "cannot be changed once an employer exists")])
    with saving():
        clean_values = _check("employer", changes, partial=True)
        return _update(m.Employer, employer_id, clean_values, expected_version, "employer", by, None)


def delete_employer(employer_id: str, by: str | None = None) -> None:
    """Delete an employer and its contact log (jobs keep their rows, without the employer)."""
    with saving():
        if m.Employer.delete().where(m.Employer.employer_id == employer_id).execute() != 1:
            raise NotFoundError(f"the employer '{employer_id}' no longer exists")
        audit("delete", "employer", employer_id, by=by)


# ---------------------------------------------------------------- jobs

def _job_fields(values: dict[str, object]) -> dict[str, object]:
    out = dict(values)
    if "client_id" in out:
        _require(m.Client, out["client_id"], "client_id", "client")
        out["client"] = out.pop("client_id")
    if "employer_id" in out:
        _require(m.Employer, out["employer_id"], "employer_id", "employer")
        out["employer"] = out.pop("employer_id")
    return out


def create_job(values: Mapping[str, object], by: str | None = None) -> str:
    """Create a job for a client (``job_id`` may be left out: a fresh one is given)."""
    return _create("job", values, by, _job_fields, lambda v: v["client_id"])


def job_values(row: m.Job) -> dict[str, object]:
    """A job row as interchange values."""
    from ips_tui.validation import JOB

    out = {f.name: getattr(row, f.name) for f in JOB if f.name not in ("client_id", "employer_id")}
    out["client_id"] = row.client_id
    out["employer_id"] = row.employer_id
    return out


def update_job(job_id: str, changes: Mapping[str, object], expected_version: int | None,
               by: str | None = None) -> int:
    """Change some fields of a job (end it, correct it); returns the new version. A job given an
    end reason needs an end date (validation.change_errors)."""
    return _update_whole("job", job_id, changes, expected_version, by, job_values, _job_fields,
                         lambda row: row.client_id)


def create_job_and_stage(values: Mapping[str, object], stage: Mapping[str, object] | None,
                         client_version: int | None, by: str | None = None) -> str:
    """Create a job and, in the same transaction, change its client's stage (``stage``: the
    client's changed fields, such as ``{"stage": "employed"}``; None changes nothing). Both are
    validated and audited; if either is refused, neither is written."""
    with saving():
        job_id = create_job(values, by)
        if stage:
            update_client(str(values["client_id"]), stage, client_version, by)
    return job_id


def update_job_and_stage(job_id: str, changes: Mapping[str, object],
                         expected_version: int | None, stage: Mapping[str, object] | None,
                         client_version: int | None, by: str | None = None) -> int:
    """Change a job (end it) and, in the same transaction, its client's stage (``stage`` as in
    :func:`create_job_and_stage`); the job's new version. All or nothing."""
    with saving():
        version = update_job(job_id, changes, expected_version, by)
        if stage:
            row = m.Job.get_or_none(m.Job.job_id == job_id)
            if row is None:
                raise NotFoundError(f"the job '{job_id}' no longer exists")
            update_client(row.client_id, stage, client_version, by)
    return version


def delete_job(job_id: str, by: str | None = None, expected_version: int | None = None) -> None:
    """Delete a job entered by mistake (if it is still at ``expected_version``, when given).
    The client's stage is left as it is: the app warns when that leaves it wrong."""
    with saving():
        row = _deletable(m.Job, job_id, expected_version,
                         f"the job '{job_id}' no longer exists", "job")
        row.delete_instance()
        audit("delete", "job", job_id, by=by, client_id=row.client_id)


# ---------------------------------------------------------------- contacts

def create_for_client(entity: str, model: type[m.Tracked], values: Mapping[str, object],
                      by: str | None = None) -> int:
    """Validate, write and audit one record that belongs to a client and a specialist (a
    client contact, an appointment, a team contact: rules ``entity``); returns its id."""
    with saving():
        clean_values = _check(entity, values)
        _require(m.Client, clean_values["client_id"], "client_id", "client")
        row_values = dict(clean_values)
        row_values["client"] = row_values.pop("client_id")
        row_values["specialist"] = specialist_id(str(row_values["specialist"]))
        row = model.create(**_stamped(row_values))
        audit("create", entity, row.id, by=by, client_id=str(clean_values["client_id"]),
              fields=clean_values)
    return int(row.id)


def add_client_contact(values: Mapping[str, object], by: str | None = None) -> int:
    """Log a contact with a client (or an outreach attempt); returns its id."""
    return create_for_client("client_contact", m.ClientContact, values, by)


def client_contact_values(row: m.ClientContact) -> dict[str, object]:
    """A client contact row as interchange values (``specialist`` as a name)."""
    out = {f.name: getattr(row, f.name) for f in CLIENT_CONTACT
           if f.name not in ("client_id", "specialist")}
    out["client_id"] = row.client_id
    out["specialist"] = row.specialist.name
    return out


def _contact_fields(values: dict[str, object], owner: str) -> dict[str, object]:
    """Interchange values of a contact as its row's: ``client_id``/``employer_id`` as the
    foreign key ``owner``, the specialist's name as their id."""
    out = dict(values)
    key = f"{owner}_id"
    if key in out:
        out[owner] = out.pop(key)
    if "specialist" in out:
        out["specialist"] = specialist_id(str(out["specialist"]))
    return out


def update_client_contact(contact_id: int, changes: Mapping[str, object],
                          expected_version: int | None, by: str | None = None) -> int:
    """Correct a logged contact; returns its new version. The contact with ``changes`` applied
    keeps every rule of a new one; it stays with its client (log it on the other client and
    delete this one instead)."""
    with saving():
        row = m.ClientContact.get_or_none(m.ClientContact.id == contact_id)
        if row is None:
            raise NotFoundError("that contact no longer exists")
        before = client_contact_values(row)
        if "client_id" in changes and changes["client_id"] != before["client_id"]:
            raise ValidationError([FieldError("client_id", "cannot be changed: log the contact "
                                              "on the other client and delete this one")])
        clean_values = _check("client_contact", {**before, **changes})
        wanted = _contact_fields({k: clean_values[k] for k in changes}, "client")
        return _update(m.ClientContact, contact_id, wanted, expected_version, "client_contact",
                       by, row.client_id)


def delete_client_contact(contact_id: int, by: str | None = None,
                          expected_version: int | None = None) -> None:
    """Delete a client contact logged by mistake (if it is still at ``expected_version``,
    when given)."""
    with saving():
        row = _deletable(m.ClientContact, contact_id, expected_version,
                         "that contact no longer exists", "contact")
        row.delete_instance()
        audit("delete", "client_contact", contact_id, by=by, client_id=row.client_id)


def add_employer_contact(values: Mapping[str, object], by: str | None = None) -> int:
    """Log a contact with an employer, on behalf of the clients in ``client_ids``; returns its id.

    ``client_ids`` may be a list or a semicolon-separated string.
    """
    raw = dict(values)
    ids = raw.get("client_ids")
    if isinstance(ids, (list, tuple, set)):
        raw["client_ids"] = ";".join(str(i) for i in ids)
    with saving():
        clean_values = _check("employer_contact", raw)
        _require(m.Employer, clean_values["employer_id"], "employer_id", "employer")
        client_ids = split_ids(clean_values.pop("client_ids"))  # type: ignore[arg-type]  # the rule checked client_ids is text or a list of ids
        for cid in client_ids:
            _require(m.Client, cid, "client_ids", "client")
        row_values = dict(clean_values)
        row_values["employer"] = row_values.pop("employer_id")
        row_values["specialist"] = specialist_id(str(row_values["specialist"]))
        row = m.EmployerContact.create(**_stamped(row_values))
        if client_ids:
            m.EmployerContactClient.insert_many(
                [{"employer_contact": row.id, "client": cid} for cid in client_ids]
            ).execute()
        audit("create", "employer_contact", row.id, by=by, fields=[*clean_values, "client_ids"])
    return row.id


def employer_contact_clients(contact_id: int) -> list[str]:
    """The ids of the clients an employer contact was made on behalf of, sorted."""
    link = m.EmployerContactClient
    return sorted(cid for (cid,) in link.select(link.client)
                  .where(link.employer_contact == contact_id).tuples())


def employer_contact_values(row: m.EmployerContact) -> dict[str, object]:
    """An employer contact row as interchange values (``specialist`` as a name, ``client_ids``
    semicolon-separated)."""
    out = {f.name: getattr(row, f.name) for f in EMPLOYER_CONTACT
           if f.name not in ("employer_id", "specialist", "client_ids")}
    out["employer_id"] = row.employer_id
    out["specialist"] = row.specialist.name
    out["client_ids"] = ";".join(employer_contact_clients(row.id))
    return out


def update_employer_contact(contact_id: int, changes: Mapping[str, object],
                            expected_version: int | None, by: str | None = None) -> int:
    """Correct a logged employer contact, the clients it was on behalf of included (a list or a
    semicolon-separated ``client_ids``); returns its new version. The contact with ``changes``
    applied keeps every rule of a new one."""
    raw = dict(changes)
    ids = raw.get("client_ids")
    if isinstance(ids, (list, tuple, set)):
        raw["client_ids"] = ";".join(str(i) for i in ids)
    with saving():
        row = m.EmployerContact.get_or_none(m.EmployerContact.id == contact_id)
        if row is None:
            raise NotFoundError("that employer contact no longer exists")
        before = employer_contact_values(row)
        clean_values = _check("employer_contact", {**before, **raw})
        if "employer_id" in raw:
            _require(m.Employer, clean_values["employer_id"], "employer_id", "employer")
        old_ids = split_ids(str(before["client_ids"]))
        new_ids = old_ids
        if "client_ids" in raw:
            new_ids = split_ids(clean_values["client_ids"])  # type: ignore[arg-type]  # the rule checked client_ids is text
            for cid in new_ids:
                _require(m.Client, cid, "client_ids", "client")
        moved = set(new_ids) != set(old_ids)
        wanted = _contact_fields({k: clean_values[k] for k in raw if k != "client_ids"}, "employer")
        version = _update(m.EmployerContact, contact_id, wanted, expected_version,
                          "employer_contact", by, None, also=["client_ids"] if moved else ())
        if moved:
            link = m.EmployerContactClient
            link.delete().where(link.employer_contact == contact_id).execute()
            if new_ids:
                link.insert_many([{"employer_contact": contact_id, "client": cid}
                                  for cid in new_ids]).execute()
        return version


def delete_employer_contact(contact_id: int, by: str | None = None,
                            expected_version: int | None = None) -> None:
    """Delete an employer contact logged by mistake (if it is still at ``expected_version``,
    when given)."""
    with saving():
        row = _deletable(m.EmployerContact, contact_id, expected_version,
                         "that employer contact no longer exists", "employer contact")
        row.delete_instance()
        audit("delete", "employer_contact", contact_id, by=by)


# ---------------------------------------------------------------- settings

def set_setting(key: str, value: str, by: str | None = None) -> None:
    """Store a program setting (shared by everyone using this database)."""
    with saving():
        (m.Setting.insert(key=key, value=value)
         .on_conflict(conflict_target=[m.Setting.key], update={m.Setting.value: value})
         .execute())
        audit("update", "setting", key, by=by, fields=["value"])


def get_setting(key: str, default: str | None = None) -> str | None:
    """A program setting, or ``default``."""
    row = m.Setting.get_or_none(m.Setting.key == key)
    return row.value if row else default
