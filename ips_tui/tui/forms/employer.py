"""The employer forms: new employer, edit an employer, log a contact with an employer."""

from __future__ import annotations

import datetime as dt

from ips_tui import services, vocab
from ips_tui.records import EmployerRow
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


def employer_contact_form(employer_id: str | None, me: str | None,
                          today: dt.date) -> FormDialog | None:
    """Log a contact with an employer, ticking the clients it was on behalf of (mine first).

    None when there is no employer to log a contact with. With nobody chosen as "me", the form
    asks who made the contact: a contact is never credited to someone without asking.
    """
    employer_options = [(e.name, e.employer_id) for e in services.employers()]
    if not employer_options:
        return None
    rows = services.caseload()
    mine = [r for r in rows if r.specialist == me]
    others = [r for r in rows if r.specialist != me]
    client_options = [(f"{r.name} ({r.client_id})", r.client_id) for r in mine + others]
    fields = []
    if me is None:
        names = services.specialists(active_only=True)
        fields.append(FormField.of("employer_contact", "specialist", widget="select",
                                   options=[(n, n) for n in names], label="Made by"))
    fields += [
        FormField.of("employer_contact", "employer_id", widget="select", options=employer_options,
                     label="Employer"),
        FormField.of("employer_contact", "date"),
        FormField.of("employer_contact", "mode", widget="select", options=choice_options(vocab.MODES)),
        FormField.of("employer_contact", "hiring_manager", widget="checkbox"),
        FormField.of("employer_contact", "client_ids", widget="multiselect", options=client_options),
        FormField.of("employer_contact", "notes"),
    ]
    initial = {"employer_id": employer_id, "date": "today", "mode": "in_person"}

    def save(values: dict[str, object]) -> int:
        return services.add_employer_contact({**values, "specialist": me or values.get("specialist")},
                                             by=me)

    return FormDialog("Log an employer contact", fields, initial, save, today,
                      hint="Space ticks a client · Tab next field · ctrl+r save · Esc cancel",
                      focus="notes" if employer_id else "employer_id")
