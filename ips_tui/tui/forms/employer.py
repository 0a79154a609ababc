"""The employer forms: new employer, edit an employer, log a contact with an employer and
correct one."""

from __future__ import annotations

import datetime as dt

from ips_tui import services, vocab
from ips_tui.records import CaseloadRow, EmployerContactDetail, EmployerRow
from ips_tui.tui.forms.form import FormDialog, FormField, choice_options

#: An employer's fields, as the new and edit forms show them.
EMPLOYER_FIELDS = ("name", "industry", "contact_name", "phone", "email", "address", "notes")


def _fields() -> list[FormField]:
    return [FormField.of("employer", name) for name in EMPLOYER_FIELDS]


def new_employer_form(me: str | None, today: dt.date) -> FormDialog:
    """Add an employer."""

    def save(values: dict[str, object]) -> str:
        return services.create_employer(values, by=me)

    return FormDialog("New employer", _fields(), {}, save, today)


def edit_employer_form(employer: EmployerRow, me: str | None, today: dt.date) -> FormDialog:
    """Edit an employer's details: only the fields changed are saved."""
    initial: dict[str, object] = {n: getattr(employer, n) for n in EMPLOYER_FIELDS}

    def save(values: dict[str, object]) -> int:
        changed = {k: v for k, v in values.items() if v != initial.get(k)}
        return services.update_employer(employer.employer_id, changed, employer.version, by=me)

    return FormDialog(f"Edit {employer.name}", _fields(), initial, save, today)


def _contact_fields(me: str | None, employer_options: list[tuple[str, str]],
                    client_options: list[tuple[str, str]], made_by: list[str],
                    notes: str = "input") -> list[FormField]:
    """An employer contact's fields; with nobody chosen as "me", who made it first."""
    fields = []
    if me is None:
        fields.append(FormField.of("employer_contact", "specialist", widget="select",
                                   options=[(n, n) for n in made_by], label="Made by"))
    fields += [
        FormField.of("employer_contact", "employer_id", widget="select", options=employer_options,
                     label="Employer"),
        FormField.of("employer_contact", "date"),
        FormField.of("employer_contact", "mode", widget="select", options=choice_options(vocab.MODES)),
        FormField.of("employer_contact", "hiring_manager", widget="checkbox"),
        FormField.of("employer_contact", "client_ids", widget="multiselect", options=client_options),
        FormField.of("employer_contact", "notes", widget=notes),
    ]
    return fields


def _client_options(rows: list[CaseloadRow], me: str | None) -> list[tuple[str, str]]:
    """Clients to tick, mine first."""
    mine = [r for r in rows if r.specialist == me]
    others = [r for r in rows if r.specialist != me]
    return [(f"{r.name} ({r.client_id})", r.client_id) for r in mine + others]


def employer_contact_form(employer_id: str | None, me: str | None,
                          today: dt.date, clients: tuple[str, ...] = ()) -> FormDialog | None:
    """Log a contact with an employer, ticking the clients it was on behalf of (mine first).

    None when there is no employer to log a contact with. With nobody chosen as "me", the form
    asks who made the contact: a contact is never credited to someone without asking.
    """
    employer_options = [(e.name, e.employer_id) for e in services.employers()]
    if not employer_options:
        return None
    client_options = _client_options(services.caseload(), me)
    made_by = services.specialists(active_only=True) if me is None else []
    fields = _contact_fields(me, employer_options, client_options, made_by)
    initial = {"employer_id": employer_id, "date": "today", "mode": "in_person",
               "client_ids": clients}

    def save(values: dict[str, object]) -> int:
        return services.add_employer_contact({**values, "specialist": me or values.get("specialist")},
                                             by=me)

    return FormDialog("Log an employer contact", fields, initial, save, today,
                      keys=("Space ticks a client",),
                      focus="notes" if employer_id else "employer_id")


def edit_employer_contact_form(detail: EmployerContactDetail, me: str | None,
                               today: dt.date) -> FormDialog:
    """Correct a logged employer contact: the fields and rules of logging one (the clients it
    was on behalf of included, closed ones it names still ticked); only what was changed is
    saved, and only if nobody else changed it since it was read."""
    c = detail.contact
    employer_options = [(e.name, e.employer_id) for e in services.employers()]
    rows = [r for r in services.caseload(include_closed=True)
            if r.stage != "closed" or r.client_id in c.client_ids]
    made_by = services.specialists(active_only=True) if me is None else []
    if me is None and c.specialist not in made_by:
        made_by = sorted([*made_by, c.specialist])
    fields = _contact_fields(me, employer_options, _client_options(rows, me), made_by,
                             notes="textarea")
    initial: dict[str, object] = {
        "specialist": c.specialist, "employer_id": c.employer_id, "date": c.date, "mode": c.mode,
        "hiring_manager": c.hiring_manager, "client_ids": c.client_ids, "notes": c.notes}
    start = {**initial, "client_ids": ";".join(c.client_ids)}

    def save(values: dict[str, object]) -> int:
        changed = {k: v for k, v in values.items() if v != start.get(k)}
        return services.update_employer_contact(c.id, changed, detail.version, by=me)

    return FormDialog(f"Correct the contact with {c.employer} on {c.date.isoformat()}", fields,
                      initial, save, today,
                      keys=("Space ticks a client",),
                      focus="notes")
