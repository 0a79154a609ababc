"""The one caseload builder of the tests.

Every hand-worked caseload (the app's in ``app_helpers``, the store's ``seeded`` fixture, the
agenda's and the outcome reports') is a set of plain records written here, through
``ips_tui.store.writes`` and so through the same rules as the app, in a fixed order: ids given by
the store and the audit log follow it. A record may say who wrote it (``"_by"``, default the
caseload's ``by``) and name the id the store gives it (``"_key"``), returned by :func:`write`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ips_tui.store import writes

Record = Mapping[str, Any]

#: The order records are written in unless a caseload says otherwise.
ORDER = ("specialists", "employers", "clients", "jobs", "client_contacts", "employer_contacts")


@dataclass
class Caseload:
    specialists: Sequence[Record] = ()  # name, email, active
    employers: Sequence[Record] = ()
    clients: Sequence[Record] = ()
    jobs: Sequence[Record] = ()
    client_contacts: Sequence[Record] = ()
    employer_contacts: Sequence[Record] = ()
    by: str | None = None  # who wrote the records (the audit log's "who"), unless one says
    order: Sequence[str] = field(default=ORDER)


_WRITE = {
    "employers": writes.create_employer,
    "clients": writes.create_client,
    "jobs": writes.create_job,
    "client_contacts": writes.add_client_contact,
    "employer_contacts": writes.add_employer_contact,
}


def write(caseload: Caseload) -> dict[str, Any]:
    """Write ``caseload`` to the open store; return the ids of the records that have a ``_key``."""
    ids: dict[str, Any] = {}
    for kind in caseload.order:
        for record in getattr(caseload, kind):
            values = {k: v for k, v in record.items() if not k.startswith("_")}
            by = record.get("_by", caseload.by)
            if kind == "specialists":
                made: Any = writes.add_specialist(values.pop("name"), **values, by=by)
            else:
                made = _WRITE[kind](values, by=by)
            if "_key" in record:
                ids[record["_key"]] = made
    return ids
