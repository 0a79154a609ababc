"""The contact form, with one key to mark an outreach attempt that did not reach the person."""

from __future__ import annotations

from textual.binding import Binding

from ips_tui.tui.forms.form import FormDialog


class ContactForm(FormDialog):
    """The contact form, with one key to mark an outreach attempt that did not reach the person."""

    BINDINGS = [Binding("ctrl+t", "toggle_attempt", "Not reached", id="contact.attempt", priority=True)]

    def action_toggle_attempt(self) -> None:
        from textual.widgets import Checkbox

        box = self.query_one("#f-attempted", Checkbox)
        box.value = not box.value
