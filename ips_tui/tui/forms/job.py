"""The job forms: add a job to a client, end a job (an end date is needed: validation.ending_errors)."""

from __future__ import annotations

import datetime as dt

from ips_tui import services
from ips_tui.records import JobRow
from ips_tui.tui.forms.form import FormDialog, FormField
from ips_tui.validation import FieldError, ending_errors


def new_job_form(client_id: str, me: str | None, today: dt.date) -> FormDialog:
    """A new job for a client, with any employer of the list."""
    employers = [(e.name, e.employer_id) for e in services.employers()]
    fields = [
        FormField.of("job", "title"),
        FormField.of("job", "employer_id", widget="select", options=employers, label="Employer"),
        FormField.of("job", "start_date"),
        FormField.of("job", "hours_per_week"),
        FormField.of("job", "hourly_wage"),
        FormField.of("job", "competitive", widget="checkbox",
                     label="Competitive (open market, at least minimum wage)"),
    ]

    def save(values: dict[str, object]) -> str:
        return services.create_job({**values, "client_id": client_id}, by=me)

    return FormDialog("Add a job", fields, {"competitive": True}, save, today)


def end_job_form(job: JobRow, me: str | None, today: dt.date) -> FormDialog:
    """End a job: its end date (today by default, not before it started) and why it ended."""
    fields = [FormField.of("job", "end_date", placeholder="YYYY-MM-DD, today, -3d"),
              FormField.of("job", "end_reason", label="Why it ended")]

    def rules(values: dict[str, object]) -> list[FieldError]:
        return ending_errors({"start_date": job.start_date, **values})

    def save(values: dict[str, object]) -> int:
        return services.update_job(job.job_id, values, job.version, by=me)

    return FormDialog(f"End job: {job.title}", fields,
                      {"end_date": "today", "end_reason": job.end_reason}, save, today, rules=rules)


def edit_job_form(job: JobRow, me: str | None, today: dt.date) -> FormDialog:
    """Correct a job: the new-job form's fields with its end date and reason; only what was
    changed is saved, and only if nobody else changed the job since it was read."""
    employers = [(e.name, e.employer_id) for e in services.employers()]
    fields = [
        FormField.of("job", "title"),
        FormField.of("job", "employer_id", widget="select", options=employers, label="Employer"),
        FormField.of("job", "start_date"),
        FormField.of("job", "end_date", placeholder="empty while the job goes on"),
        FormField.of("job", "hours_per_week"),
        FormField.of("job", "hourly_wage"),
        FormField.of("job", "competitive", widget="checkbox",
                     label="Competitive (open market, at least minimum wage)"),
        FormField.of("job", "end_reason", widget="textarea", label="Why it ended"),
    ]
    names = [f.name for f in fields]
    initial: dict[str, object] = {name: getattr(job, name) for name in names}

    def save(values: dict[str, object]) -> int:
        changed = {k: v for k, v in values.items() if v != initial.get(k)}
        return services.update_job(job.job_id, changed, job.version, by=me)

    return FormDialog(f"Correct job: {job.title}", fields, initial, save, today,
                      hint="Tab next field · ctrl+r save · Esc cancel")
