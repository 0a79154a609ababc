"""Duplicate clients: who has the same name (domain.duplicates' rule), and merging two records.

A merge moves the other record's contacts, jobs and employer-contact links to the one kept,
appends the other's notes to the kept one's, deletes the other, and records it in the audit log,
all in one transaction. The kept record's own values win; the fields the other had a value for
and the kept one had not are named in the plan (so the user sees them) but not copied.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import peewee as pw

from ips_tui.domain.duplicates import NamedClient, duplicate_pairs, first_duplicate_pairs, name_keys
from ips_tui.records import CaseloadRow, MergePlan
from ips_tui.store import models as m
from ips_tui.store.db import StoreError, saving
from ips_tui.store.queries import column_date
from ips_tui.store.writes import NotFoundError, audit, utc_now
from ips_tui.validation import CLIENT, MAX_LONG

#: Fields a merge never reports as left behind: the record's identity and where it stands.
_NOT_COMPARED = frozenset({"client_id", "first_name", "last_name", "specialist", "stage", "notes",
                           "discuss"})


class DifferentSpecialists(StoreError):
    """The two clients to merge are on different specialists' caseloads (allowed only when asked)."""


def same_name_clients(first_name: str | None, last_name: str | None,
                      exclude: str | None = None) -> list[CaseloadRow]:
    """Every client, open or closed, whose name is the same person's name as this one (ignoring
    case, accents, spacing, punctuation and first/last order), sorted by name then id."""
    keys = name_keys(first_name, last_name)
    if not keys:
        return []
    return [row for row in client_rows()
            if row.client_id != exclude and keys & name_keys(row.first_name, row.last_name)]


def client_rows(ids: Collection[str] | None = None) -> list[CaseloadRow]:
    """Every client (or those with these ``ids``), open or closed, sorted by name then id, in
    one query (as the caseload's rows without the last contact, which a long contact log makes
    slower to read)."""
    c = m.Client
    query = (c.select(c.client_id, c.first_name, c.last_name, m.Specialist.name, c.stage,
                      c.start_date, c.discuss)
             .join(m.Specialist)
             .order_by(pw.fn.LOWER(c.last_name), pw.fn.LOWER(c.first_name), c.client_id))
    if ids is not None:
        query = query.where(c.client_id.in_(list(ids)))
    return [CaseloadRow(client_id=cid, first_name=first or "", last_name=last, specialist=spec,
                        stage=stage, start_date=column_date(start), last_contact=None,
                        discuss=bool(discuss))
            for cid, first, last, spec, stage, start, discuss in query.tuples()]


def likely_duplicates(client_ids: Iterable[str], first: int | None = None
                      ) -> tuple[list[tuple[CaseloadRow, CaseloadRow]], int]:
    """Pairs of clients with the same name where at least one is in ``client_ids`` (clients just
    imported, say): pairs among them and between them and everyone else, sorted by id; only the
    ``first`` ones (all when None) as rows, and how many there are in all."""
    wanted = set(client_ids)
    if not wanted:
        return [], 0
    c = m.Client
    named = [NamedClient(cid, first_name or "", last_name)
             for cid, first_name, last_name in c.select(c.client_id, c.first_name,
                                                        c.last_name).tuples().iterator()]
    if first is None:
        shown = duplicate_pairs(named, among=wanted)
        total = len(shown)
    else:
        shown, total = first_duplicate_pairs(named, among=wanted, first=first)
    ids = {cid for pair in shown for cid in pair}
    rows = {row.client_id: row for row in client_rows(ids)} if ids else {}
    return [(rows[p.first], rows[p.second]) for p in shown], total


def client_ids() -> set[str]:
    """Every client's id (to tell which ones an import added)."""
    return {cid for (cid,) in m.Client.select(m.Client.client_id).tuples()}


def _row(client_id: str) -> m.Client:
    row = m.Client.get_or_none(m.Client.client_id == client_id)
    if row is None:
        raise NotFoundError(f"no client has id '{client_id}'")
    return row


def _caseload_row(row: m.Client) -> CaseloadRow:
    return CaseloadRow(client_id=row.client_id, first_name=row.first_name or "",
                       last_name=row.last_name, specialist=row.specialist.name, stage=row.stage,
                       start_date=row.start_date, last_contact=None, discuss=bool(row.discuss))


def merge_plan(keep_id: str, other_id: str) -> MergePlan:
    """What merging ``other_id`` into ``keep_id`` would do; NotFoundError for an unknown id,
    StoreError when both ids are the same client."""
    if keep_id == other_id:
        raise StoreError(f"{keep_id} and {other_id} are the same client: nothing to merge")
    keep, other = _row(keep_id), _row(other_id)
    contacts = m.ClientContact.select().where(m.ClientContact.client == other_id).count()
    jobs = tuple(jid for (jid,) in m.Job.select(m.Job.job_id).where(m.Job.client == other_id)
                 .order_by(m.Job.start_date, m.Job.job_id).tuples())
    links = (m.EmployerContactClient.select()
             .where(m.EmployerContactClient.client == other_id).count())
    left = tuple(f.name for f in CLIENT if f.name not in _NOT_COMPARED
                 and _empty(getattr(keep, f.name)) and not _empty(getattr(other, f.name)))
    return MergePlan(keep=_caseload_row(keep), other=_caseload_row(other), contacts=contacts,
                     jobs=jobs, employer_contacts=links, notes=not _empty(other.notes),
                     left_behind=left)


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def merged_notes(keep: m.Client, other: m.Client) -> str | None:
    """The kept record's notes with the other's added at the end, under a line naming it."""
    if _empty(other.notes):
        return keep.notes
    name = f"{other.first_name or ''} {other.last_name}".strip()
    carried = f"From {other.client_id} ({name}), merged into this record:\n{other.notes.strip()}"
    return carried if _empty(keep.notes) else f"{keep.notes.rstrip()}\n\n{carried}"


def merge_clients(keep_id: str, other_id: str, by: str | None = None,
                  across_specialists: bool = False) -> MergePlan:
    """Merge the client ``other_id`` into ``keep_id`` in one transaction: its contacts, jobs and
    employer-contact links move to ``keep_id``, its notes are added to the end of keep's, it is
    deleted, and the audit log says what moved (ids and counts, never values). Keep's other values
    stay as they are. Two clients of different specialists are refused (DifferentSpecialists)
    unless ``across_specialists``. Returns what was done."""
    with saving():
        plan = merge_plan(keep_id, other_id)
        if not plan.same_specialist and not across_specialists:
            raise DifferentSpecialists(
                f"{keep_id} is {plan.keep.specialist}'s client and {other_id} is "
                f"{plan.other.specialist}'s: check with both before merging them")
        keep, other = _row(keep_id), _row(other_id)
        notes = merged_notes(keep, other)
        if notes is not None and len(notes) > MAX_LONG:
            raise StoreError(
                f"the notes of {keep_id} and {other_id} together are longer than {MAX_LONG} "
                f"characters; shorten one of them first (nothing was merged)")
        m.ClientContact.update(client=keep_id).where(m.ClientContact.client == other_id).execute()
        m.Job.update(client=keep_id).where(m.Job.client == other_id).execute()
        # Appointments and the team-contact log go with the person too (schema 3).
        m.Appointment.update(client=keep_id).where(m.Appointment.client == other_id).execute()
        m.TeamContact.update(client=keep_id).where(m.TeamContact.client == other_id).execute()
        ecc = m.EmployerContactClient
        both = ecc.select(ecc.employer_contact).where(ecc.client == keep_id)
        # A contact made on behalf of both names keep once; the rest now name keep.
        ecc.delete().where(ecc.client == other_id, ecc.employer_contact.in_(both)).execute()
        ecc.update(client=keep_id).where(ecc.client == other_id).execute()
        if notes != keep.notes:
            (m.Client.update(notes=notes, updated_at=utc_now(), version=m.Client.version + 1)
             .where(m.Client.client_id == keep_id).execute())
        if m.Client.delete().where(m.Client.client_id == other_id).execute() != 1:
            raise NotFoundError(f"the client '{other_id}' no longer exists")
        moved = [f"{plan.contacts} client_contacts", f"{plan.employer_contacts} employer_contacts",
                 f"{len(plan.jobs)} jobs" + (f" ({' '.join(plan.jobs)})" if plan.jobs else "")]
        audit("merge", "client", other_id, by=by, client_id=keep_id,
              fields=moved + (["notes"] if plan.notes else []))
        audit("delete", "client", other_id, by=by, client_id=other_id,
              fields=[f"merged into {keep_id}"])
    return plan
