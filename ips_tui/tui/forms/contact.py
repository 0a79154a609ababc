"""The contact form, with one key to mark an outreach attempt that did not reach the person."""

from __future__ import annotations

import datetime as dt

from textual.binding import Binding

from ips_tui import services, vocab
from ips_tui.tui.forms.form import FormDialog, FormField, choice_options


class ContactForm(FormDialog):
    """The contact form, with one key to mark an outreach attempt that did not reach the person."""

    BINDINGS = [Binding("ctrl+t", "toggle_attempt", "Not reached", id="contact.attempt", priority=True)]

    def action_toggle_attempt(self) -> None:
        from textual.widgets import Checkbox

        box = self.query_one("#f-attempted", Checkbox)
        box.value = not box.value


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

    fields = [
        FormField.of("client_contact", "notes", placeholder="What happened (optional); Enter saves"),
        FormField.of("client_contact", "date", placeholder="YYYY-MM-DD, today, yesterday, -3d"),
        FormField.of("client_contact", "mode", widget="select", options=choice_options(vocab.MODES)),
        FormField.of("client_contact", "location", widget="select",
                     options=choice_options(vocab.LOCATIONS)),
        FormField.of("client_contact", "attempted", widget="checkbox", label="Not reached (attempt)"),
    ]
    initial = {"date": "today", "mode": "in_person", "location": "community", "attempted": False}
    return ContactForm(title.format(name=rec.name), fields, initial, save, today,
                       hint="Enter save · ctrl+t not reached (an outreach attempt) · "
                            "Tab next · Esc cancel",
                       focus="notes")
