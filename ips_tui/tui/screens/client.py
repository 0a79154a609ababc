"""A client's record: profile and preferences, jobs, contact log, reminders, employer contacts."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from ips_tui import services, vocab
from ips_tui.domain.reminders import KIND_LABELS
from ips_tui.records import ClientRecord
from ips_tui.tui.dialogs.confirm import ConfirmDialog
from ips_tui.tui.forms.client import PROFILE, change_stage_form, edit_profile_form
from ips_tui.tui.forms.job import end_job_form, new_job_form
from ips_tui.tui.screens.base import DataScreen
from ips_tui.tui.widgets.audit_text import field_labels, local_time, record_name
from ips_tui.tui.widgets.cells import (
    NOTES_AT_LEAST,
    clip,
    column_width,
    cursor_state,
    days_ago_text,
    initials,
    move_cursor_to,
    safe,
    selected_key,
)
from ips_tui.tui.widgets.footer import SteadyFooter
from ips_tui.tui.widgets.plain import PlainStatic
from ips_tui.tui.widgets.table import Table

#: Newest contacts drawn at first; L shows the whole log (long records open fast).
CONTACTS_SHOWN = 100
#: The contact log's columns; the notes take the width the others leave.
CONTACT_COLUMNS = ("Date", "Mode", "Where", "Reached")


class ClientScreen(DataScreen):
    """One client's record."""

    TITLE = "Client"
    #: The keys the key bar shows first, the most used first (tui/widgets/footer.py).
    FOOTER_FIRST = ("log_contact", "new", "new_job", "end_job", "change_stage", "edit_profile",
                    "toggle_discuss", "delete", "back")
    BINDINGS = [
        Binding("c", "log_contact", "Log contact", id="client.contact"),
        Binding("n", "new", "New", id="client.new", tooltip="New contact (or new job on the Jobs tab)"),
        Binding("j", "new_job", "Add job", id="client.job"),
        Binding("x", "end_job", "End job", id="client.endjob", tooltip="End the highlighted (or current) job"),
        Binding("p", "edit_profile", "Edit profile", id="client.edit"),
        Binding("s", "change_stage", "Stage", id="client.stage", tooltip="Change stage (a reason is asked when closing)"),
        Binding("b", "plan", "Plan", show=False, id="client.plan",
                tooltip="Plan an appointment (the next working day by default)"),
        Binding("h", "team_contact", "MH team", id="client.team", show=False,
                tooltip="Record discussing the client with their mental-health team"),
        Binding("t", "toggle_discuss", "Team mtg", id="client.discuss", tooltip="Flag or unflag for the team meeting"),
        Binding("enter", "open", "Open", id="client.open", priority=True,
                tooltip="Read the highlighted contact or job whole, to correct or delete it"),
        Binding("d", "delete", "Delete", id="client.delete", tooltip="Delete the highlighted contact or job (asks first)"),
        Binding("L", "all_contacts", "All contacts", show=False, tooltip="Show the whole contact log"),
        Binding("D", "delete_client", "Delete client", show=False, id="client.delete_client",
                tooltip="Delete this client with their contacts and jobs (asks first)"),
        Binding("M", "merge_client", "Merge duplicate", show=False, id="client.merge",
                tooltip="Merge another record of this person into this one (asks first)"),
        Binding("1", "tab('profile')", "Profile", show=False),
        Binding("2", "tab('jobs')", "Jobs", show=False),
        Binding("3", "tab('contacts')", "Contacts", show=False),
        Binding("4", "tab('reminders')", "Reminders", show=False),
        Binding("5", "tab('employer-contacts')", "Employer contacts", show=False),
        Binding("6", "tab('history')", "History", show=False, tooltip="Who changed this record, and when"),
    ]

    def __init__(self, client_id: str | None) -> None:
        super().__init__()
        self.client_id = client_id
        self.record: ClientRecord | None = None
        self._filled: set[str] = set()
        self.all_contacts = False
        #: Cells the contact log's notes were given when last drawn.
        self.notes_room = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield PlainStatic(id="record-header", classes="record-header")
        with TabbedContent(initial="contacts"):
            with TabPane("1 Profile", id="profile"):
                with VerticalScroll():
                    yield PlainStatic(id="profile-body", classes="profile")
            with TabPane("2 Jobs", id="jobs"):
                yield Table(id="jobs-table", cursor_type="row", zebra_stripes=True)
            with TabPane("3 Contacts", id="contacts"):
                yield Table(id="contacts-table", cursor_type="row", zebra_stripes=True)
            with TabPane("4 Reminders", id="reminders"):
                yield Table(id="reminders-table", cursor_type="row", zebra_stripes=True)
            with TabPane("5 Employer contacts", id="employer-contacts"):
                yield Table(id="ec-table", cursor_type="row", zebra_stripes=True)
            with TabPane("6 History", id="history"):
                yield Table(id="history-table", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter()

    def show(self, client_id: str) -> None:
        """Switch this (reused) screen to another client: contacts tab first, data on resume."""
        if client_id != self.client_id:
            self.client_id = client_id
            self.record = None
            self.all_contacts = False
            self.query_one(TabbedContent).active = "contacts"
            for table in self.query(DataTable):
                table.clear()
            self.query_one("#record-header", Static).update("Loading…")  # never the last client's
            self.query_one("#contacts-table").focus()

    def on_mount(self) -> None:
        self.query_one("#jobs-table", DataTable).add_columns(
            "Title", "Employer", "Start", "End", "Hours", "Wage", "Competitive", "End reason")
        self.query_one("#contacts-table", DataTable).add_columns(
            "Date", "Mode", "Where", "Reached", "Specialist", "Notes")
        self.query_one("#reminders-table", DataTable).add_columns("Due", "Status", "Kind", "Job")
        self.query_one("#ec-table", DataTable).add_columns(
            "Date", "Employer", "Mode", "Hiring manager", "Specialist", "Notes")
        self.query_one("#history-table", DataTable).add_columns(
            "When", "Who", "Did", "What", "Fields")
        self.reload()
        self.query_one("#contacts-table").focus()
        if self.client_id is None:  # built ahead of time: lay it out ahead of time too
            self.call_after_refresh(self._lay_out_unshown)

    async def _lay_out_unshown(self) -> None:
        """Make the key bar and lay the screen out at the terminal's size while it is not
        shown, so that showing it the first time costs what showing it again does. Textual
        otherwise makes the key bar after the first paint and lays out and paints the screen
        again for it.
        """
        if self.is_current or not self.is_attached:
            return
        try:
            await self.query_one(SteadyFooter).build_keys()
        except Exception:  # Textual's Footer changed: the first show makes the keys
            pass
        self.call_after_refresh(self._lay_out_now)  # once the new keys have their styles

    def _lay_out_now(self) -> None:
        if self.is_current or not self.is_attached:
            return
        try:
            self._refresh_layout(self.app.size)
            self._compositor.render_update(full=True)
        except Exception:  # Textual's private API changed: the first show lays it out
            pass

    # ------------------------------------------------------------ drawing

    def reload(self, *, at_once: bool = False) -> None:
        if self.client_id is None:  # built ahead of time, before any client was opened:
            self._seen = True  # so showing it for the first time loads the client
            return
        super().reload(at_once=at_once)

    def fetch(self) -> tuple[str, ClientRecord | None]:
        client_id = self.client_id
        assert client_id is not None
        try:
            return client_id, services.client_record(client_id)
        except services.NotFoundError:
            return client_id, None

    def draw(self, data: tuple[str, ClientRecord | None]) -> None:
        client_id, rec = data
        if client_id != self.client_id:  # read for the client shown before: read again
            self.reload()
            return
        if rec is None:
            self.notify("This client no longer exists.", severity="warning")
            self.leave()
            return
        self.record = rec
        v = rec.values
        self.title = f"Client: {rec.name}"
        current = [j for j in rec.jobs if j.is_current(self.today)]
        header = Text()
        header.append(safe(rec.name), style="bold")
        header.append(f" ({rec.client_id}) · {vocab.label(str(v['stage']))} · {safe(v['specialist'])}")
        if current:
            header.append(f" · working: {safe(current[0].title)}")
            if current[0].employer:
                header.append(f" at {safe(current[0].employer)}")
        last = next((c.date for c in rec.contacts if not c.attempted), None)
        header.append(f" · last contact {days_ago_text(last, self.today)}")
        if v.get("discuss"):
            header.append("  ● team meeting", style="bold")
        self.query_one("#record-header", Static).update(header)
        # Fill the tab in view now and the others when first shown: a long record opens fast.
        self._filled = set()
        self._fill(self.query_one(TabbedContent).active)

    def _fill(self, tab: str) -> None:
        """Draw one tab from the record, once per reload."""
        rec = self.record
        if rec is None or tab in self._filled:
            return
        self._filled.add(tab)
        {
            "profile": lambda: self._profile(rec),
            "jobs": lambda: self._jobs(rec),
            "contacts": lambda: self._contacts(rec),
            "reminders": self._reminders,
            "employer-contacts": lambda: self._employer_contacts(rec),
            "history": self._history,
        }[tab]()

    def relayout(self) -> None:
        """Cut the notes of the tabs drawn so far to the new width, from the record held (the
        other tabs fit any width, and the reminders and history tabs read as they are drawn)."""
        rec = self.record
        if rec is None:
            return
        if "contacts" in self._filled:
            self._contacts(rec)
        if "employer-contacts" in self._filled:
            self._employer_contacts(rec)

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        self._fill(str(event.pane.id))

    def _profile(self, rec: ClientRecord) -> None:
        text = Text()
        for field in (p for p in PROFILE if p.shown):
            value = rec.values.get(field.name)
            if field.widget == "checkbox":
                value = "yes" if value else "no"
            shown = vocab.label(value) if field.widget == "select" else value  # type: ignore[arg-type]  # a select field holds one of its choices (text)
            text.append(f"{field.shown:>24}  ", style="bold")
            text.append(safe(shown) if shown not in (None, "") else "—")
            text.append("\n")
        team = rec.last_team_contact
        text.append(f"{'Last MH team contact':>24}  ", style="bold")
        text.append(safe(f"{team.date.isoformat()} with {team.who or 'the team'}"
                         + (f": {team.notes}" if team.notes else "")) if team else "—")
        text.append("\n")
        for a in rec.appointments[:3]:
            text.append(f"{'Planned':>24}  ", style="bold")
            text.append(safe(f"{a.when} · {vocab.label(a.mode)}"
                             + (f" · {a.location}" if a.location else "")))
            text.append("\n")
        text.append("\np edit · s change stage · t flag for the team meeting · b plan an "
                    "appointment · h MH team contact", style="dim")
        self.query_one("#profile-body", Static).update(text)

    def _jobs(self, rec: ClientRecord) -> None:
        table = self.query_one("#jobs-table", DataTable)
        keep = cursor_state(table)
        table.clear()
        for j in rec.jobs:
            title = Text(safe(j.title), style="bold" if j.is_current(self.today) else "")
            table.add_row(
                title, safe(j.employer or "—"), j.start_date.isoformat(),
                j.end_date.isoformat() if j.end_date else ("current" if j.start_date <= self.today else "starts"),
                f"{j.hours_per_week:g}" if j.hours_per_week is not None else "",
                f"{j.hourly_wage:.2f}" if j.hourly_wage is not None else "",
                "yes" if j.competitive else "no", safe(j.end_reason or "")[:30], key=j.job_id,
            )
        move_cursor_to(table, *keep)

    def _notes_width(self, used: int) -> int:
        """Room left for a notes column after ``used`` columns of other cells and the table's
        scroll bar (a note one cell too wide would add a sideways scroll bar and hide its end)."""
        bar = self.query_one("#contacts-table", DataTable).styles.scrollbar_size_vertical
        return max(12, self.size.width - used - bar) if self.size.width else 40

    def _contacts(self, rec: ClientRecord) -> None:
        """The contact log: the notes get the width the other columns leave (they are measured
        first), at least ``NOTES_AT_LEAST`` cells when initials make room; Enter reads one whole."""
        table = self.query_one("#contacts-table", DataTable)
        keep = cursor_state(table)
        contacts = rec.contacts if self.all_contacts else rec.contacts[:CONTACTS_SHOWN]
        rows = [(c.date.isoformat(), vocab.label(c.mode), vocab.label(c.location),
                 "no, tried" if c.attempted else "yes") for c in contacts]

        width = column_width
        used = sum(width(head, [r[i] for r in rows]) for i, head in enumerate(CONTACT_COLUMNS))
        by, names = "Specialist", [safe(c.specialist)[:14] for c in contacts]
        if self._notes_width(used + width(by, names) + 2) < NOTES_AT_LEAST:
            by, names = "By", [initials(name) for name in names]
        room = self._notes_width(used + width(by, names) + 2)  # and the notes' own padding
        self.notes_room = room
        table.clear(columns=True)  # columns as wide as these rows need, the notes the rest
        table.add_columns(*CONTACT_COLUMNS, by, "Notes")
        for c, row, name in zip(contacts, rows, names, strict=True):
            reached = Text("no, tried", style="italic") if c.attempted else row[3]
            table.add_row(*row[:3], reached, name, clip(c.notes, room), key=str(c.id))
        hidden = len(rec.contacts) - len(contacts)
        if hidden:
            table.add_row("", "", "", "", "", Text(clip(f"… {hidden} older contacts: L shows all",
                                                        room), style="italic"), key="more")
        move_cursor_to(table, *keep)

    def _reminders(self) -> None:
        table = self.query_one("#reminders-table", DataTable)
        table.clear()
        error = self.app.theme_variables.get("error", "red")
        if self.record is None:
            return
        for r in services.client_reminders(self.record.client_id, self.today):
            status = Text("OVERDUE", style=f"bold {error}") if r.due < self.today else Text("due")
            table.add_row(r.due.isoformat(), status, KIND_LABELS.get(r.kind, r.kind), safe(r.job_name))

    def _employer_contacts(self, rec: ClientRecord) -> None:
        table = self.query_one("#ec-table", DataTable)
        table.clear()
        for e in rec.employer_contacts:
            table.add_row(e.date.isoformat(), safe(e.employer)[:24], vocab.label(e.mode),
                          "yes" if e.hiring_manager else "no", safe(e.specialist)[:14],
                          clip(e.notes, self._notes_width(83)), key=str(e.id))

    def _history(self) -> None:
        table = self.query_one("#history-table", DataTable)
        table.clear()
        jobs = {j.job_id: j.name for j in self.record.jobs} if self.record is not None else {}
        for e in services.audit_entries(client_id=self.client_id, limit=500):
            entity = str(e["entity"])
            table.add_row(local_time(e["at"]), safe(e["specialist"] or "—"), str(e["action"]),
                          safe(record_name(entity, e["entity_id"], jobs)),
                          field_labels(entity, e["fields"]))  # type: ignore[arg-type]  # an audit entry's "fields" is a list of names

    # ------------------------------------------------------------ actions

    def _active_tab(self) -> str:
        return self.query_one(TabbedContent).active

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self._fill(tab)
        for table in self.query_one(f"#{tab}").query(DataTable):
            table.focus()

    def action_all_contacts(self) -> None:
        self.all_contacts = True
        self.action_tab("contacts")
        if self.record is not None:
            self._contacts(self.record)

    def action_log_contact(self) -> None:
        if self.client_id is not None:
            self.ips.log_contact(self.client_id)

    def action_plan(self) -> None:
        if self.client_id is not None:
            self.ips.plan_appointment(self.client_id)

    def action_team_contact(self) -> None:
        if self.client_id is not None:
            self.ips.log_team_contact(self.client_id)

    def action_new(self) -> None:
        if self._active_tab() == "jobs":
            self.action_new_job()
        else:
            self.action_log_contact()

    def action_new_job(self) -> None:
        self.app.push_screen(new_job_form(str(self.client_id), self.ips.specialist, self.today,
                                          self.record),
                             self.saved("Job {result} added. Follow-along reminders now follow it."))

    def _highlighted_job(self) -> str | None:
        if self._active_tab() == "jobs":
            return selected_key(self.query_one("#jobs-table", DataTable))
        if self.record is None:  # still loading
            return None
        current = [j for j in self.record.jobs if j.end_date is None]
        return current[0].job_id if current else None

    def action_end_job(self) -> None:
        job_id = self._highlighted_job()
        if job_id is None or self.record is None:
            self.notify("No current job to end. Open the Jobs tab (2) to pick one.", severity="warning")
            return
        job = next(j for j in self.record.jobs if j.job_id == job_id)
        self.app.push_screen(end_job_form(job, self.ips.specialist, self.today, self.record),
                             self.saved("Job ended. Plan the next step together within 3 days."))

    def action_edit_profile(self) -> None:
        if self.record is not None:
            self.app.push_screen(edit_profile_form(self.record, self.ips.specialist, self.today),
                                 self.saved("Profile saved."))

    def action_change_stage(self) -> None:
        if self.record is not None:
            self.app.push_screen(change_stage_form(self.record, self.ips.specialist, self.today),
                                 self.saved("Stage changed."))

    def action_toggle_discuss(self) -> None:
        if self.record is None:
            return
        flag = not bool(self.record.values.get("discuss"))
        try:
            services.update_client(self.record.client_id, {"discuss": flag}, self.record.version,
                                   by=self.ips.specialist)
        except services.StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify("Flagged for the team meeting (p to add a note)." if flag else "Team meeting flag removed.")
        self.reload()

    def action_open(self) -> None:
        """Read the highlighted contact, job or employer contact whole (e corrects it there)."""
        from ips_tui.tui.screens.entry import ClientContactScreen, EmployerContactScreen, JobScreen

        tab = self._active_tab()
        screens = {"contacts": ("#contacts-table", ClientContactScreen), "jobs": ("#jobs-table", JobScreen),
                   "employer-contacts": ("#ec-table", EmployerContactScreen)}
        if tab not in screens:
            return
        table_id, screen = screens[tab]
        key = selected_key(self.query_one(table_id, DataTable))
        if key == "more":
            self.action_all_contacts()
        elif key is not None:
            self.app.push_screen(screen(key))

    @on(DataTable.RowSelected)
    def _row_clicked(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_delete(self) -> None:
        tab = self._active_tab()
        detail = "This cannot be undone from the app (the daily backup still has it)."
        if tab == "contacts":
            key = selected_key(self.query_one("#contacts-table", DataTable))
            if key is None or key == "more":
                return
            what, delete = "this contact", lambda: services.delete_client_contact(int(key), by=self.ips.specialist)
        elif tab == "jobs":
            key = selected_key(self.query_one("#jobs-table", DataTable))
            if key is None:
                return
            what, delete = f"job {key}", lambda: services.delete_job(key, by=self.ips.specialist)
            if self.record is not None:
                job = next((j for j in self.record.jobs if j.job_id == key), None)
                warning = job and services.job_deletion_warning(
                    job, self.record.name, str(self.record.values["stage"]), self.record.jobs, self.today)
                detail = f"{warning}\n{detail}" if warning else detail
        else:
            self.notify("Open the Contacts (3) or Jobs (2) tab and highlight what to delete.")
            return

        def answer(yes: bool | None) -> None:
            if yes:
                delete()
                self.notify(f"Deleted {what}.")
                self.reload()

        self.app.push_screen(ConfirmDialog(f"Delete {what}?", detail, yes="Delete"), answer)

    # ------------------------------------------------------------ the whole record

    def action_delete_client(self) -> None:
        """Delete this client, after a confirmation that says what goes with them."""
        rec = self.record
        if rec is None:
            return
        links = len(rec.employer_contacts)
        detail = (f"Their {_count(len(rec.contacts), 'contact')} and {_count(len(rec.jobs), 'job')} "
                  "are deleted with them"
                  + (f", and {_count(links, 'employer contact')} no longer name them (the "
                     "employer's log keeps the contacts)" if links else "")
                  + ". This cannot be undone from the app (the daily backup still has it).")

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                services.delete_client(rec.client_id, by=self.ips.specialist)
            except services.StoreError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(f"Deleted client {rec.name} ({rec.client_id}).")
            self.leave()
            if isinstance(self.app.screen, DataScreen):
                self.app.screen.reload()

        self.app.push_screen(ConfirmDialog(f"Delete {rec.name} ({rec.client_id})?", detail,
                                           yes="Delete client"), answer)

    def action_merge_client(self) -> None:
        """Choose another record of the same person and merge it into this one: its contacts,
        jobs and employer contacts move here and it is deleted (store.duplicates)."""
        from ips_tui.tui.dialogs.duplicates import ChooseClientDialog

        rec = self.record
        if rec is None:
            return
        keep = rec.client_id
        first, last = rec.values.get("first_name"), rec.values.get("last_name")
        same = [r.client_id for r in services.same_name_clients(
            None if first is None else str(first), None if last is None else str(last), exclude=keep)]
        others = [r for r in services.all_clients() if r.client_id != keep]
        chooser = ChooseClientDialog(
            f"Merge into {rec.name} ({keep})",
            "Choose the other record of this person: its contacts, jobs and employer contacts "
            "move here, and it is deleted. This record's details are kept.", others, first=same)
        self.app.push_screen(chooser, lambda other: self._confirm_merge(keep, other))

    def _confirm_merge(self, keep: str, other: str | None) -> None:
        if other is None:
            return
        try:
            plan = services.merge_plan(keep, other)
        except services.StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        question = (f"Merge {plan.other.name} ({other}) into this record?" if plan.same_specialist
                    else f"Merge records of two specialists, {plan.keep.specialist} and "
                         f"{plan.other.specialist}?")

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                done = services.merge_clients(keep, other, by=self.ips.specialist,
                                              across_specialists=not plan.same_specialist)
            except services.StoreError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(f"Merged {other} into {keep}: {_count(done.contacts, 'contact')}, "
                        f"{_count(len(done.jobs), 'job')}, "
                        f"{_count(done.employer_contacts, 'employer contact')} moved.")
            self.reload()

        self.app.push_screen(ConfirmDialog(question, "\n".join(plan.lines()), yes="Merge"), answer)


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"
