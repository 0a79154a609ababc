"""The contact form, with one key to mark an outreach attempt that did not reach the person:
logging a contact, and correcting one with the same fields and rules."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.binding import Binding
from textual.widgets import Select

from ips_tui import services, vocab
from ips_tui.records import ClientContactDetail
from ips_tui.tui.forms.form import FormDialog, FormField, choice_options

#: The contact form's own key, on its hint line.
ATTEMPT_KEYS = ("ctrl+t not reached (an outreach attempt)",)
#: Where a contact in person takes place unless the specialist says otherwise.
IN_PERSON_LOCATION = "community"
#: What the Location field says for a contact that has no place (phone, video, text, email).
NO_LOCATION = "not applicable"


class ContactForm(FormDialog):
    """The contact form, with one key to mark an outreach attempt that did not reach the person.

    Location follows Mode: a contact in person takes place somewhere (the community unless
    changed); a phone call, video, text or email has no location, so the field says "not
    applicable", cannot be reached with Tab, and saves none."""

    BINDINGS = [Binding("ctrl+t", "toggle_attempt", "Not reached", id="contact.attempt", priority=True)]

    def on_mount(self) -> None:
        self._follow_mode(self.initial.get("location"))
        super().on_mount()

    @on(Select.Changed, "#f-mode")
    def _mode_changed(self) -> None:
        self._follow_mode(None)

    def _follow_mode(self, location: object) -> None:
        """Show and edit Location for a contact in person (``location``, or the community when
        it has none yet); say "not applicable" for any other mode."""
        mode = self.query_one("#f-mode", Select).value
        box = self.query_one("#f-location", Select)
        in_person = mode == "in_person"
        if in_person and box.disabled:
            box.prompt = "(none)"
            box.disabled = False
            box.value = location or IN_PERSON_LOCATION
        elif in_person and location:
            box.value = location
        elif not in_person:
            box.value = Select.NULL
            box.prompt = NO_LOCATION
            box.disabled = True

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
                       keys=ATTEMPT_KEYS,
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
                       keys=ATTEMPT_KEYS,
                       focus="notes")
