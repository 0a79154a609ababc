"""The forms of the specialist's day: planning an appointment, saying what became of one whose
day has passed, and recording a talk with the client's mental-health team."""

from __future__ import annotations

import datetime as dt

from ips_tui import services, vocab
from ips_tui.records import AppointmentRow
from ips_tui.tui.forms.form import FormDialog, FormField, choice_options
from ips_tui.validation import Field

#: The outcome question's answers, in words.
OUTCOME_LABELS = {
    "done": "Done (log it as a contact that reached them)",
    "missed": "Not reached (log an outreach attempt)",
    "cancelled": "Cancelled (log nothing)",
}


def plan_form(client_id: str, client_name: str, specialist: str, me: str | None,
              today: dt.date) -> FormDialog:
    """Plan an appointment: Enter saves one in person on the next working day, no time."""
    fields = [
        FormField.of("appointment", "date", placeholder="YYYY-MM-DD, tomorrow, +3d"),
        FormField.of("appointment", "time", placeholder="HH:MM (optional)"),
        FormField.of("appointment", "mode", widget="select", options=choice_options(vocab.MODES)),
        FormField.of("appointment", "location", placeholder="office, community, a place"),
        FormField.of("appointment", "notes", placeholder="What for (optional); Enter saves"),
    ]
    who = me or specialist

    def save(values: dict[str, object]) -> int:
        return services.plan_appointment({**values, "client_id": client_id, "specialist": who},
                                         by=me)

    initial = {"date": services.next_working_day(today).isoformat(), "mode": "in_person"}
    return FormDialog(f"Plan an appointment with {client_name}", fields, initial, save, today,
                      hint="Enter save · Tab next · Esc cancel", focus="date")


def outcome_form(row: AppointmentRow, me: str | None, today: dt.date) -> FormDialog:
    """What happened at an appointment whose day has passed: nothing is logged until the
    specialist says. Returns the answer ("done", "missed", "cancelled")."""
    outcome = Field("outcome", "choice", required=True, choices=vocab.APPOINTMENT_OUTCOMES,
                    label="What happened")
    fields = [
        FormField(outcome, widget="select",
                  options=[(OUTCOME_LABELS[o], o) for o in vocab.APPOINTMENT_OUTCOMES]),
        FormField.of("appointment", "notes", placeholder="Note for the contact; Enter saves"),
    ]

    def save(values: dict[str, object]) -> str:
        answer = str(values["outcome"])
        services.record_outcome(row.id, answer, row.version, by=me,
                                notes=values.get("notes"))  # type: ignore[arg-type]  # a long rule's value is text or None
        return answer

    where = f" at {row.location}" if row.location else ""
    title = (f"{row.client}: {vocab.label(row.mode).lower()} appointment, {row.when}{where}. "
             "What happened?")
    return FormDialog(title, fields, {"outcome": "done", "notes": row.notes}, save, today,
                      hint="Enter save (done) · shift+Tab the answer · Esc ask me later",
                      focus="notes")


def team_contact_form(client_id: str, client_name: str, practitioner: str | None,
                      specialist: str, me: str | None, today: dt.date) -> FormDialog:
    """Record discussing a client with their practitioner or at the mental-health team meeting."""
    fields = [
        FormField.of("team_contact", "who", placeholder="the practitioner, or team meeting"),
        FormField.of("team_contact", "date", placeholder="YYYY-MM-DD, today, yesterday, -3d"),
        FormField.of("team_contact", "notes", placeholder="What was agreed (optional); Enter saves"),
    ]
    who = me or specialist

    def save(values: dict[str, object]) -> int:
        return services.add_team_contact({**values, "client_id": client_id, "specialist": who},
                                         by=me)

    initial = {"date": "today", "who": practitioner or "team meeting"}
    return FormDialog(f"Discussed {client_name} with the mental-health team", fields, initial,
                      save, today, hint="Enter save · Tab next · Esc cancel", focus="who")
