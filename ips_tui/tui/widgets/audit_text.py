"""The audit log in a person's words: when in local time, what by its name, fields by their labels.

The log stores times in UTC (``2026-11-23T14:05:09Z``), records by table and id
(``client_contact 105``) and fields by column (``end_date``); the History tab shows
"2026-11-23 15:05", "Contact", "Job: Barista at Maple Cafe" and "End date".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from ips_tui.validation import rule_for

#: What each audited table's records are called.
RECORD_NAMES = {"client": "Client", "client_contact": "Contact", "job": "Job",
                "employer_contact": "Employer contact", "employer": "Employer",
                "specialist": "Specialist", "setting": "Setting"}


def local_time(at: object, zone: dt.tzinfo | None = None) -> str:
    """A stored UTC time as the local time (``zone``, else this computer's), to the minute."""
    text = str(at)
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def field_label(entity: str, name: str) -> str:
    """A field as the forms label it ("End date"), or its name in words when it has no rule."""
    try:
        return rule_for(entity, name).title
    except (KeyError, ValueError):
        return name.replace("_", " ").capitalize()


def field_labels(entity: str, names: Iterable[str]) -> str:
    """The changed fields, by their labels, in the order given."""
    return ", ".join(field_label(entity, n) for n in names)


def record_name(entity: str, entity_id: object, jobs: Mapping[str, str]) -> str:
    """The record an entry is about, as a person names it: a job by its title and employer
    (``jobs``: job id to that name), a client by their id, anything else by what it is."""
    what = RECORD_NAMES.get(entity, entity.replace("_", " ").capitalize())
    if entity == "job":
        name = jobs.get(str(entity_id))
        return f"Job: {name}" if name else f"Job {entity_id}"
    if entity == "client":
        return f"Client {entity_id}"
    return what
