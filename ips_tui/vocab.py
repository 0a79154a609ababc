"""The IPS vocabulary shared by every layer: stages, contact modes, locations, labels.

Plain constants only (no peewee, no Textual), so the CLI, the store, the domain modules and
the views all speak the same words. The values are stored in the database and written in the
interchange CSV files: they are a contract, so add new values rather than rename old ones.
"""

from __future__ import annotations

#: Where a client is in the IPS process, in the order a client usually moves through them.
STAGES: tuple[str, ...] = ("referred", "engaged", "job_search", "employed", "education", "closed")
STAGE_LABELS = {
    "referred": "Referred",
    "engaged": "Engaged",
    "job_search": "Job search",
    "employed": "Employed",
    "education": "Education",
    "closed": "Closed",
}
#: Stages in which a client is still on the caseload.
OPEN_STAGES: tuple[str, ...] = tuple(s for s in STAGES if s != "closed")

#: How a contact was made (client contacts and employer contacts alike).
MODES: tuple[str, ...] = ("in_person", "phone", "video", "text", "email")
MODE_LABELS = {
    "in_person": "In person",
    "phone": "Phone",
    "video": "Video",
    "text": "Text",
    "email": "Email",
}

#: What became of a planned appointment: still planned, done (a contact that reached the
#: person), missed (not reached: an outreach attempt) or cancelled.
APPOINTMENT_STATUSES: tuple[str, ...] = ("planned", "done", "missed", "cancelled")
#: The answers to "what happened?" for an appointment whose day has passed.
APPOINTMENT_OUTCOMES: tuple[str, ...] = ("done", "missed", "cancelled")

#: Where a client contact took place; IPS favours the community over the office.
LOCATIONS: tuple[str, ...] = ("community", "office")

#: A client's wish about disclosing their mental-health condition to employers.
DISCLOSURE_CHOICES: tuple[str, ...] = ("undecided", "disclose", "do_not_disclose", "partial")

#: Where a client's benefits planning (work-incentives counselling) stands.
BENEFITS_PLANNING_CHOICES: tuple[str, ...] = (
    "not_offered",
    "offered",
    "declined",
    "in_progress",
    "completed",
)

#: Targets from the IPS fidelity scale that screens, agendas and reports compare against.
CASELOAD_TARGET = 20
EMPLOYER_CONTACTS_PER_WEEK_TARGET = 6
FIRST_EMPLOYER_CONTACT_DAYS = 30

#: Default modes that count as a follow-along contact (face to face).
DEFAULT_FOLLOW_ALONG_MODES: tuple[str, ...] = ("in_person",)
#: Default weekday of the team meeting (0 = Monday ... 6 = Sunday): Tuesday.
DEFAULT_MEETING_WEEKDAY = 1


def label(value: str | None) -> str:
    """A human label for any vocabulary value (stage, mode, choice), or '' for None."""
    if value is None:
        return ""
    for table in (STAGE_LABELS, MODE_LABELS):
        if value in table:
            return table[value]
    return value.replace("_", " ").capitalize()
