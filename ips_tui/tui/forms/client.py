"""The client forms (new client, edit profile, change stage) and the profile's fields, declared once.

:data:`PROFILE` is the one list of a client's profile fields: the profile tab shows those with a
label, in its order, and the edit form edits the editable ones, in the same order, each with its
widget. Closing rules come from :mod:`ips_tui.validation` (the store and the import apply them too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.screen import ModalScreen

from ips_tui import services, vocab
from ips_tui.records import ClientRecord
from ips_tui.tui.forms.form import FormDialog, FormField, choice_options
from ips_tui.validation import CLOSED, FieldError, closing_errors, record_errors, rule_for


@dataclass(frozen=True)
class ProfileField:
    """One field of a client's profile: its label on the profile tab ("" when not shown there),
    how the edit form edits it, and whether it does (the closing fields change with the stage)."""

    name: str
    shown: str = ""
    widget: str = "input"  # input | select | checkbox | textarea
    editable: bool = True

    def form_field(self) -> FormField:
        rule = rule_for("client", self.name)
        options = choice_options(rule.choices) if self.widget == "select" else ()
        return FormField(rule, widget=self.widget, options=options)


PROFILE: tuple[ProfileField, ...] = (
    ProfileField("first_name"),
    ProfileField("last_name"),
    ProfileField("job_goal", "Job goal", "textarea"),
    ProfileField("job_types", "Job types"),
    ProfileField("preferred_hours", "Hours wanted"),
    ProfileField("transport", "Transport"),
    ProfileField("disclosure", "Disclosure", "select"),
    ProfileField("benefits_planning", "Benefits planning", "select"),
    ProfileField("benefits_planning_date", "Benefits offered on"),
    ProfileField("next_step", "Next step"),
    ProfileField("discuss", "Discuss at team meeting", "checkbox"),
    ProfileField("discuss_note", "Team meeting note", "textarea"),
    ProfileField("mh_practitioner", "MH practitioner"),
    ProfileField("mh_team", "MH team"),
    ProfileField("referral_date", "Referred"),
    ProfileField("start_date", "Started (first meeting)"),
    ProfileField("phone", "Phone"),
    ProfileField("email", "Email"),
    ProfileField("closed_date", "Closed", editable=False),
    ProfileField("closed_reason", "Closed because", editable=False),
    ProfileField("notes", "Notes", "textarea"),
)
EDITABLE: tuple[str, ...] = tuple(p.name for p in PROFILE if p.editable)


def new_client_form(me: str | None, today: dt.date) -> FormDialog:
    """A new client on an active specialist's caseload (mine by default), in an open stage."""
    names = services.specialists(active_only=True)
    fields = [
        FormField.of("client", "first_name"),
        FormField.of("client", "last_name"),
        FormField.of("client", "specialist", widget="select", options=[(n, n) for n in names]),
        FormField.of("client", "stage", widget="select", options=choice_options(vocab.OPEN_STAGES)),
        FormField.of("client", "referral_date", placeholder="YYYY-MM-DD or today"),
        FormField.of("client", "start_date", placeholder="first meeting with the specialist"),
        FormField.of("client", "phone"),
        FormField.of("client", "email"),
        FormField.of("client", "job_goal", placeholder="in the client's own words"),
    ]
    initial = {"specialist": me if me in names else None, "stage": "referred",
               "referral_date": "today"}

    def save(values: dict[str, object]) -> str:
        return services.create_client(values, by=me)

    return FormDialog("New client", fields, initial, save, today, ask_first=same_name_question)


def same_name_question(values: dict[str, object]) -> Callable[[], ModalScreen[Any]] | None:
    """Before a new client is saved: clients, open or closed, with the same name (ignoring case,
    accents, spacing and first/last order) are shown first (dialogs.duplicates.SameNameDialog)."""
    first, last = values.get("first_name"), values.get("last_name")
    matches = services.same_name_clients(None if first is None else str(first),
                                         None if last is None else str(last))
    if not matches:
        return None
    from ips_tui.tui.dialogs.duplicates import SameNameDialog

    name = f"{first or ''} {last or ''}".strip()
    return lambda: SameNameDialog(name, matches)


def _changed(values: dict[str, object], initial: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in values.items() if v != initial.get(k)}


def edit_profile_form(record: ClientRecord, me: str | None, today: dt.date) -> FormDialog:
    """Edit a client's profile: only the fields changed are saved."""
    initial = {n: record.values.get(n) for n in EDITABLE}

    def merged(values: dict[str, object]) -> list[FieldError]:
        return record_errors("client", {**record.values, **_changed(values, initial)})

    def save(values: dict[str, object]) -> int:
        return services.update_client(record.client_id, _changed(values, initial), record.version,
                                      by=me)

    return FormDialog(f"Edit {record.name}", [p.form_field() for p in PROFILE if p.editable],
                      initial, save, today, rules=merged)


def stage_changes(values: dict[str, object]) -> dict[str, object]:
    """What the change-stage form saves: a client not (or no longer) closed has no closed date
    or reason."""
    if values.get("stage") == CLOSED:
        return dict(values)
    return {**values, "closed_date": None, "closed_reason": None}


def change_stage_form(record: ClientRecord, me: str | None, today: dt.date) -> FormDialog:
    """Change a client's stage; closing needs a closed date and a reason."""
    fields = [
        FormField.of("client", "stage", widget="select", options=choice_options(vocab.STAGES)),
        FormField.of("client", "closed_date", label="Closed on (when closing)"),
        FormField.of("client", "closed_reason", label="Reason (when closing)"),
    ]
    initial = {"stage": record.values["stage"],
               "closed_date": record.values.get("closed_date") or "today",
               "closed_reason": record.values.get("closed_reason")}

    def rules(values: dict[str, object]) -> list[FieldError]:
        return closing_errors(values) + record_errors("client",
                                                      {**record.values, **stage_changes(values)})

    def save(values: dict[str, object]) -> int:
        return services.update_client(record.client_id, stage_changes(values), record.version,
                                      by=me)

    return FormDialog("Change stage", fields, initial, save, today, focus="stage", rules=rules)
