"""The contact form, with one key to mark an outreach attempt that did not reach the person:
logging a contact, and correcting one with the same fields and rules."""

from __future__ import annotations

import datetime as dt

from textual.binding import Binding

from ips_tui import services, vocab
from ips_tui.records import ClientContactDetail
from ips_tui.tui.forms.form import FormDialog, FormField, choice_options


class ContactForm(FormDialog):
    """The contact form, with one key to mark an outreach attempt that did not reach the person."""

    BINDINGS = [Binding("ctrl+t", "toggle_attempt", "Not reached", id="contact.attempt", priority=True)]

    def action_toggle_attempt(self) -> None:
        from textual.widgets import Checkbox

        box = self.query_one("#f-attempted", Checkbox)
        box.value = not box.value


def _fields(notes: str = "input") -> list[FormField]:
    """The contact's fields, notes first (a one-line input when logging, where Enter saves; a
    text area when correcting, so a long note with several lines is all in view)."""
    return [
        FormField.of("client_contact", "notes", widget=notes,
                     placeholder="What happened (optional); Enter saves"),
        FormField.of("client_contact", "date", placeholder="YYYY-MM-DD, today, yesterday, -3d"),
        FormField.of("client_contact", "mode", widget="select", options=choice_options(vocab.MODES)),
        FormField.of("client_contact", "location", widget="select",
                     options=choice_options(vocab.LOCATIONS)),
        FormField.of("client_contact", "attempted", widget="checkbox", label="Not reached (attempt)"),
    ]


def client_contact_form(client_id: str, title: str, me: str | None, today: dt.date) -> ContactForm:
    """The quick contact log: Enter saves a face-to-face contact in the community today.

    ``title`` may name the client as ``{name}``. The contact is mine, or with nobody chosen as
    "me", the client's specialist's.
    """
    rec = services.client_record(client_id)
    who = me or str(rec.values["specialist"])

    def save(values: dict[str, object]) -> int:
        return services.add_client_contact({**values, "client_id": client_id, "specialist": who},
                                           by=me)

    initial = {"date": "today", "mode": "in_person", "location": "community", "attempted": False}
    return ContactForm(title.format(name=rec.name), _fields(), initial, save, today,
                       hint="Enter save · ctrl+t not reached (an outreach attempt) · "
                            "Tab next · Esc cancel",
                       focus="notes")


def edit_client_contact_form(detail: ClientContactDetail, me: str | None,
                             today: dt.date) -> ContactForm:
    """Correct a logged contact: the fields and rules of logging one; only what was changed is
    saved, and only if nobody else changed the contact since it was read (else the form says
    so and keeps what was typed)."""
    c = detail.contact
    initial: dict[str, object] = {"notes": c.notes, "date": c.date, "mode": c.mode,
                                  "location": c.location, "attempted": c.attempted}

    def save(values: dict[str, object]) -> int:
        changed = {k: v for k, v in values.items() if v != initial.get(k)}
        return services.update_client_contact(c.id, changed, detail.version, by=me)

    return ContactForm(f"Correct the contact with {detail.client_name} on {c.date.isoformat()}",
                       _fields(notes="textarea"), initial, save, today,
                       hint="ctrl+r save · ctrl+t not reached (an outreach attempt) · "
                            "Tab next · Esc cancel",
                       focus="notes")
