"""The job forms: add a job to a client, end a job (an end date is needed: validation.ending_errors).

The stage follows the job in the same form (domain.stage_rules): adding a competitive job to a
client in an open stage other than Employed offers to move them to Employed, ticked, and ending
an employed client's last job offers to move them back to Job search (or keep the stage, or
close them, with a date and a reason). Enter accepts; the job and the stage are saved in one
transaction (store.writes.create_job_and_stage, update_job_and_stage).
"""

from __future__ import annotations

import datetime as dt

from ips_tui import services, vocab
from ips_tui.domain.stage_rules import offers_employed, offers_job_search
from ips_tui.records import ClientRecord, JobRow
from ips_tui.tui.forms.form import FormDialog, FormField
from ips_tui.validation import CLOSED, Field, FieldError, closing_errors, ending_errors, record_errors

#: The form's own fields (not stored as such): what happens to the client's stage.
MOVE_TO_EMPLOYED = "move_to_employed"
THEN = "then"
KEEP = "keep"


def new_job_form(client_id: str, me: str | None, today: dt.date,
                 record: ClientRecord | None = None) -> FormDialog:
    """A new job for a client, with any employer of the list; for a client not yet employed,
    "Move to Employed" ticked."""
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
    initial: dict[str, object] = {"competitive": True}
    stage = str(record.values.get("stage")) if record is not None else ""
    if record is not None and offers_employed(stage):
        fields.append(FormField(Field(MOVE_TO_EMPLOYED, "bool", default=False), widget="checkbox",
                                label=f"Move to Employed (now {vocab.label(stage)})"))
        initial[MOVE_TO_EMPLOYED] = True

    def save(values: dict[str, object]) -> str:
        move = bool(values.pop(MOVE_TO_EMPLOYED, False)) and bool(values.get("competitive"))
        job = {**values, "client_id": client_id}
        if move and record is not None:
            return services.create_job_and_stage(job, {"stage": "employed"}, record.version, by=me)
        return services.create_job(job, by=me)

    return FormDialog("Add a job", fields, initial, save, today)


def end_job_form(job: JobRow, me: str | None, today: dt.date,
                 record: ClientRecord | None = None) -> FormDialog:
    """End a job: its end date (today by default, not before it started) and why it ended; for
    an employed client's last job, what then: Job search (the default), keep the stage, or close
    (a date and a reason)."""
    fields = [FormField.of("job", "end_date", placeholder="YYYY-MM-DD, today, -3d"),
              FormField.of("job", "end_reason", label="Why it ended")]
    initial: dict[str, object] = {"end_date": "today", "end_reason": job.end_reason}
    others = [j for j in record.jobs if j.job_id != job.job_id] if record is not None else []
    stage = str(record.values.get("stage")) if record is not None else ""
    asks = record is not None and offers_job_search(stage, others, today)
    if asks:
        choices = (("Move to Job search", "job_search"), (f"Keep {vocab.label(stage)}", KEEP),
                   ("Close (date and reason below)", CLOSED))
        fields += [
            FormField(Field(THEN, "choice", required=True, choices=tuple(v for _, v in choices),
                            label="Then"), widget="select", options=choices),
            FormField.of("client", "closed_date", label="Closed on (when closing)"),
            FormField.of("client", "closed_reason", label="Reason (when closing)"),
        ]
        initial.update({THEN: "job_search", "closed_date": "today"})

    def stage_change(values: dict[str, object]) -> dict[str, object] | None:
        then = values.get(THEN) if asks else KEEP
        if then == CLOSED:
            return {"stage": CLOSED, "closed_date": values.get("closed_date"),
                    "closed_reason": values.get("closed_reason")}
        return None if then == KEEP else {"stage": then}

    def job_changes(values: dict[str, object]) -> dict[str, object]:
        return {k: values[k] for k in ("end_date", "end_reason")}

    def rules(values: dict[str, object]) -> list[FieldError]:
        problems = ending_errors({"start_date": job.start_date, **job_changes(values)})
        change = stage_change(values)
        end = values.get("end_date")
        if change and isinstance(end, dt.date) and end > today:
            problems.append(FieldError(THEN, f"the job goes on until {end.isoformat()}: keep the "
                                       "stage now, and change it when the job has ended"))
        if change and change["stage"] == CLOSED and record is not None:
            problems += closing_errors(change) + record_errors("client", {**record.values, **change})
        return problems

    def save(values: dict[str, object]) -> int:
        change = stage_change(values)
        if change and record is not None:
            return services.update_job_and_stage(job.job_id, job_changes(values), job.version,
                                                 change, record.version, by=me)
        return services.update_job(job.job_id, job_changes(values), job.version, by=me)

    return FormDialog(f"End job: {job.title}", fields, initial, save, today, rules=rules)
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

    return FormDialog(f"Correct job: {job.title}", fields, initial, save, today)
