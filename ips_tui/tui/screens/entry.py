"""One entry of a log read whole, to check it and correct it: a client contact, an employer
contact, a job.

Enter on a row of the client record's contact log, jobs or employer contacts, or of an
employer's log, opens it: every field, the whole note wrapped (the page scrolls when it is long),
who entered it and when, and who last changed it (the audit log). ``e`` corrects it with the form
that logged it (the same rules; if someone else changed it since it was read, the form says so
and keeps what was typed); ``d`` deletes it after asking (refused, and said, if someone changed
it since it was read); Esc goes back to the list, which shows the change.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static
from textual.worker import Worker, WorkerState

from ips_tui import services, vocab
from ips_tui.records import ClientContactDetail, EmployerContactDetail, JobDetail, Written
from ips_tui.tui.dialogs.confirm import ConfirmDialog
from ips_tui.tui.forms.contact import edit_client_contact_form
from ips_tui.tui.forms.employer import edit_employer_contact_form
from ips_tui.tui.forms.job import edit_job_form
from ips_tui.tui.screens.base import DataScreen
from ips_tui.tui.widgets.cells import days_ago_text, safe
from ips_tui.tui.widgets.footer import SteadyFooter
from ips_tui.tui.widgets.plain import PlainStatic

#: Labels are right-aligned to this width, values start after it.
LABEL_WIDTH = 16


def field_lines(rows: list[tuple[str, str]]) -> Text:
    """Label and value lines, labels right-aligned and bold (a long value wraps)."""
    text = Text()
    for i, (label, value) in enumerate(rows):
        if i:
            text.append("\n")
        text.append(f"{label:>{LABEL_WIDTH}}  ", style="bold")
        text.append(safe(value) if value else "—")
    return text


def when(stamp: str) -> str:
    """An audit timestamp as shown: ``2026-11-23 09:30 UTC``."""
    return f"{stamp.replace('T', ' ').rstrip('Z')[:16]} UTC" if stamp else "an unknown time"


def written_text(w: Written) -> str:
    """Who entered a record and when, and who last changed it."""
    by = (f" by {w.created_by}" if w.created_by else
          " by an import (the audit log names no one)" if w.imported else "")
    line = f"Entered {when(w.created_at)}{by}."
    if w.changes:
        times = "once" if w.changes == 1 else f"{w.changes} times"
        who = f" by {w.updated_by}" if w.updated_by else ""
        line += f" Corrected {times}, last {when(w.updated_at)}{who}."
    elif w.updated_at and w.updated_at != w.created_at:
        line += f" Last changed {when(w.updated_at)}."
    return line


class EntryScreen(DataScreen):
    """One entry read whole; ``e`` corrects it, ``d`` deletes it (asks first), Esc goes back."""

    TITLE = "Entry"
    #: Its text wraps to any width by itself.
    FITS_WIDTH = False
    #: What the entry is called in messages ("this contact").
    WHAT = "entry"
    #: The keys the key bar shows first (tui/widgets/footer.py).
    FOOTER_FIRST = ("edit", "delete", "back")
    BINDINGS = [
        Binding("e", "edit", "Edit", id="entry.edit",
                tooltip="Correct it with the form that logged it"),
        Binding("d", "delete", "Delete", id="entry.delete", tooltip="Delete it (asks first)"),
    ]
    DELETE_GROUP = "delete"

    def __init__(self, key: Any) -> None:
        super().__init__()
        self.key = key
        self.detail: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield PlainStatic("Loading…", id="entry-title", classes="record-header")
        with VerticalScroll(id="entry-body"):
            yield PlainStatic(id="entry-fields", classes="entry-fields")
            yield PlainStatic(id="entry-notes", classes="entry-notes")
            yield PlainStatic(id="entry-written", classes="entry-written")
            yield PlainStatic("e correct it · d delete it · Esc back", classes="entry-hint")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#entry-body").focus()

    def loading_target(self) -> Widget | None:
        return self.query_one("#entry-body")

    # ------------------------------------------------------------ each kind's own

    def read(self) -> Any:
        """The entry, whole (services only: runs in a worker thread)."""
        raise NotImplementedError

    def describe(self, detail: Any) -> tuple[str, list[tuple[str, str]], str, str | None]:
        """Its title, its fields as (label, value), the heading of its free text and the text."""
        raise NotImplementedError

    def written(self, detail: Any) -> Written:
        return detail.written  # every detail record has one

    def edit_form(self, detail: Any) -> Screen[Any]:
        """The form that corrects it."""
        raise NotImplementedError

    def delete(self, detail: Any) -> None:
        """Delete it, if it is still as it was read (services only: runs in a worker thread)."""
        raise NotImplementedError

    def delete_warning(self, detail: Any) -> str:
        """What the question to delete adds (what deleting leaves behind)."""
        return "This cannot be undone from the app (the daily backup still has it)."

    # ------------------------------------------------------------ drawing

    def fetch(self) -> Any:
        try:
            return self.read()
        except services.NotFoundError:
            return None

    def draw(self, detail: Any) -> None:
        if detail is None:
            self.detail = None
            self.notify(f"This {self.WHAT} no longer exists: someone deleted it.", severity="warning")
            self.leave()
            return
        self.detail = detail
        title, rows, heading, body = self.describe(detail)
        self.title = title
        self.query_one("#entry-title", Static).update(Text(safe(title), style="bold"))
        self.query_one("#entry-fields", Static).update(field_lines(rows))
        notes = Text()
        notes.append(heading, style="bold")
        notes.append("\n")
        if body and body.strip():
            notes.append(safe(body))
        else:
            notes.append("(none)", style="dim")
        self.query_one("#entry-notes", Static).update(notes)
        self.query_one("#entry-written", Static).update(
            Text(written_text(self.written(detail)), style="dim"))

    # ------------------------------------------------------------ actions

    def action_edit(self) -> None:
        if self.detail is None:
            return

        def done(result: object) -> None:
            if result is not None:
                self.notify("Saved.")
            self.reload()  # saved or not: show it as it is now (someone else's change too)

        self.app.push_screen(self.edit_form(self.detail), done)

    def action_delete(self) -> None:
        detail = self.detail
        if detail is None or self.workers_deleting():
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.run_worker(partial(self._delete_in_worker, detail), name="delete",
                                group=self.DELETE_GROUP, thread=True, exit_on_error=False)

        self.app.push_screen(ConfirmDialog(f"Delete this {self.WHAT}?", self.delete_warning(detail),
                                           yes="Delete"), answer)

    def workers_deleting(self) -> bool:
        return any(w.group == self.DELETE_GROUP and w.node is self and not w.is_finished
                   for w in self.app.workers)

    def _delete_in_worker(self, detail: Any) -> None:
        try:
            self.delete(detail)
        finally:
            services.close_thread_connection()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A delete's end: back to the list, or why not (DataScreen's own handler draws loads)."""
        worker = event.worker
        if worker.group != self.DELETE_GROUP or worker.node is not self or not worker.is_finished:
            return
        if event.state is WorkerState.SUCCESS:
            self.notify(f"Deleted this {self.WHAT}.")
            self.leave()
        elif isinstance(worker.error, services.NotFoundError):
            self.notify(f"This {self.WHAT} was already deleted.", severity="warning")
            self.leave()
        elif isinstance(worker.error, services.ServerUnavailable):
            self.ips.database_unavailable(worker.error)
        elif isinstance(worker.error, services.StoreError):
            self.notify(f"Not deleted: {worker.error}", severity="error", timeout=15)
            self.reload()
        elif isinstance(worker.error, Exception):  # a bug: ends the app as it did on this thread
            self.app._handle_exception(worker.error)


class ClientContactScreen(EntryScreen):
    """One client contact, whole."""

    TITLE = "Contact"
    WHAT = "contact"

    def read(self) -> ClientContactDetail:
        return services.client_contact(int(self.key))

    def describe(self, detail: ClientContactDetail) -> tuple[str, list[tuple[str, str]], str, str | None]:
        c = detail.contact
        rows = [
            ("Client", f"{detail.client_name} ({c.client_id})"),
            ("Date", f"{c.date.isoformat()} ({c.date.strftime('%A')}, "
                     f"{days_ago_text(c.date, self.today)})"),
            ("Mode", vocab.label(c.mode)),
            ("Where", vocab.label(c.location) if c.location else ""),
            ("Reached", "no, an attempt to reach them" if c.attempted else "yes"),
            ("Made by", c.specialist),
        ]
        return (f"Contact with {detail.client_name} on {c.date.isoformat()}", rows, "Notes", c.notes)

    def edit_form(self, detail: ClientContactDetail) -> Screen[Any]:
        return edit_client_contact_form(detail, self.ips.specialist, self.today)

    def delete(self, detail: ClientContactDetail) -> None:
        services.delete_client_contact(detail.contact.id, by=self.ips.specialist,
                                       expected_version=detail.version)


class EmployerContactScreen(EntryScreen):
    """One employer contact, whole, with the clients it was on behalf of by name."""

    TITLE = "Employer contact"
    WHAT = "employer contact"

    def read(self) -> EmployerContactDetail:
        return services.employer_contact(int(self.key))

    def describe(self, detail: EmployerContactDetail) -> tuple[str, list[tuple[str, str]], str, str | None]:
        c = detail.contact
        behalf = ", ".join(f"{name} ({cid})" for cid, name in detail.clients)
        rows = [
            ("Employer", f"{c.employer} ({c.employer_id})"),
            ("Date", f"{c.date.isoformat()} ({c.date.strftime('%A')}, "
                     f"{days_ago_text(c.date, self.today)})"),
            ("Mode", vocab.label(c.mode)),
            ("Hiring manager", "yes, met them" if c.hiring_manager else "no"),
            ("On behalf of", behalf or "no client named"),
            ("Made by", c.specialist),
        ]
        return (f"Contact with {c.employer} on {c.date.isoformat()}", rows, "Notes", c.notes)

    def edit_form(self, detail: EmployerContactDetail) -> Screen[Any]:
        return edit_employer_contact_form(detail, self.ips.specialist, self.today)

    def delete(self, detail: EmployerContactDetail) -> None:
        services.delete_employer_contact(detail.contact.id, by=self.ips.specialist,
                                         expected_version=detail.version)


class JobScreen(EntryScreen):
    """One job, whole; deleting it says what it would leave wrong (the client's stage)."""

    TITLE = "Job"
    WHAT = "job"

    def read(self) -> JobDetail:
        return services.job(str(self.key))

    def describe(self, detail: JobDetail) -> tuple[str, list[tuple[str, str]], str, str | None]:
        j = detail.job
        if j.end_date:
            end = j.end_date.isoformat()
        else:
            end = "still working there" if j.start_date <= self.today else "not started yet"
        rows = [
            ("Client", f"{detail.client_name} ({j.client_id})"),
            ("Title", j.title),
            ("Employer", f"{j.employer} ({j.employer_id})" if j.employer else ""),
            ("Start", j.start_date.isoformat()),
            ("End", end),
            ("Hours a week", f"{j.hours_per_week:g}" if j.hours_per_week is not None else ""),
            ("Hourly wage", f"{j.hourly_wage:.2f}" if j.hourly_wage is not None else ""),
            ("Competitive", "yes" if j.competitive else "no"),
            ("Job id", j.job_id),
        ]
        return f"Job: {j.title} ({detail.client_name})", rows, "Why it ended", j.end_reason

    def edit_form(self, detail: JobDetail) -> Screen[Any]:
        return edit_job_form(detail.job, self.ips.specialist, self.today)

    def delete(self, detail: JobDetail) -> None:
        services.delete_job(detail.job.job_id, by=self.ips.specialist,
                            expected_version=detail.job.version)

    def delete_warning(self, detail: JobDetail) -> str:
        warning = services.job_deletion_warning(detail.job, detail.client_name,
                                                 detail.client_stage, detail.other_jobs, self.today)
        base = super().delete_warning(detail)
        return f"{warning}\n{base}" if warning else base
