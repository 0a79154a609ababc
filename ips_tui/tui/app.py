"""The Textual app: screens, global keys, the command palette, and the shared record dialogs.

Screens call the app's ``log_contact``/``new_client``/... so every way into a dialog behaves the
same; the dialogs save through ``ips_tui.services`` and the screen below reloads.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from textual import actions, events
from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen

from ips_tui import config, locations, services, vocab
from ips_tui.output import terminal_safe

# The forms and dialogs are imported where they are opened: not loading them before the first
# paint is part of starting as fast as a bare Textual app (the record screen, built in the
# background after it, loads the forms anyway).
from ips_tui.tui.idle_gc import IdleCollector
from ips_tui.tui.screens.base import DataScreen
from ips_tui.tui.typeahead import InputHandled, TypeAhead


@dataclass(frozen=True)
class PaletteCommand:
    """One command in the palette: its name, a line of help, and what it runs."""

    name: str
    help: str
    run: Callable[[], object]


def binding_commands(app: IpsApp, screen: Screen[object]) -> list[PaletteCommand]:
    """The commands the keys offer: the app's bindings and those of ``screen`` (the one the
    palette was opened over), each named by its description and helped by its tooltip and key.
    App keys that do not act over a dialog are left out there, as their keys are; Textual's own
    (focus next, ...) are not commands. A name already taken (the client record's Reminders tab
    and the Reminders screen) is told apart by its key."""
    commands: list[PaletteCommand] = []
    seen: set[tuple[int, str]] = set()
    for target in (app, screen):
        for cls in type(target).__mro__:
            if not cls.__module__.startswith("ips_tui."):
                continue
            for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", ())):
                parsed = actions.parse(binding.action)
                # the app's keys as they act over `screen` (the palette itself is a dialog)
                works = (app.acts_over(screen, parsed[1]) if target is app
                         else target.check_action(parsed[1], parsed[2]))
                if not binding.description or (id(target), binding.action) in seen or not works:
                    continue
                seen.add((id(target), binding.action))
                key = app.get_key_display(binding)
                name = binding.description
                if any(c.name == name for c in commands):
                    name = f"{name} (key {key})"
                commands.append(PaletteCommand(name, f"{binding.tooltip or binding.description} (key {key})",
                                               partial(app.run_action, binding.action, target)))
    return commands


class IpsCommands(Provider):
    """Command palette: the keys of the screen below and the app's (from their bindings), the
    commands only the palette offers (IpsApp.PALETTE_ONLY), and clients by name."""

    commands: list[PaletteCommand] = []
    clients: list[PaletteCommand] = []

    async def startup(self) -> None:
        """Read once what the palette offers: typing into it searches these, not the database."""
        app: IpsApp = self.app  # type: ignore[assignment]  # a Provider's app is this app
        commands = binding_commands(app, self.screen)
        named = {c.name for c in commands}
        commands += [PaletteCommand(name, helptext, getattr(app, method))
                     for name, helptext, method in app.PALETTE_ONLY if name not in named]
        self.commands = commands
        try:
            rows = services.caseload(include_closed=True)
        except services.ServerUnavailable as exc:  # the commands still work; clients next time
            app.database_unavailable(exc)
            rows = []
        self.clients = [
            PaletteCommand(f"{row.name} ({row.client_id})",
                           f"Open client · {vocab.label(row.stage)} · {row.specialist}",
                           partial(app.open_client, row.client_id))
            for row in rows
        ]

    async def discover(self) -> Hits:
        for command in self.commands:
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for weight, commands in ((1.0, self.commands), (0.9, self.clients)):
            for command in commands:
                score = matcher.match(command.name)
                if score > 0:
                    yield Hit(score * weight, matcher.highlight(command.name), command.run,
                              help=command.help)


#: Seconds after the first screen is painted when the client record screen is built in the
#: background (building it earlier slowed a region's first caseload by ~0.2 s).
PREWARM_AFTER_S = 0.3
#: Seconds after the first screen is on the terminal that the daily backup starts.
BACKUP_AFTER_S = 0.5


class IpsApp(App[None]):
    """ips-tui's full-screen app."""

    TITLE = "ips-tui"
    #: Each stylesheet sits beside what it styles; the app loads them all, in this order.
    CSS_PATH = ["app.tcss", "dialogs/dialogs.tcss", "forms/form.tcss", "screens/caseload.tcss",
                "screens/client.tcss", "screens/entry.tcss", "screens/agenda.tcss", "screens/outcomes.tcss",
                "screens/reviews.tcss", "screens/today.tcss"]
    COMMANDS = App.COMMANDS | {IpsCommands}
    #: Commands only the palette offers, having no key: (name, help, IpsApp method). Every
    #: other command in the palette is a key's (its binding's description and tooltip).
    PALETTE_ONLY: tuple[tuple[str, str, str], ...] = (
        ("Caseload", "My caseload, or everyone's", "action_caseload"),
        ("New client", "Add a client to a caseload", "new_client"),
        ("New employer", "Add an employer", "new_employer"),
        ("Switch specialist", "Choose whose caseload is 'mine'", "action_switch_specialist"),
        ("Toggle dark/light theme", "Switch between dark and light colours", "action_toggle_theme"),
        ("Start on Today (or on the caseload)", "Choose the screen the app opens on (yours)",
         "action_toggle_start_screen"),
    )
    BINDINGS = [
        Binding("e", "employers", "Employers", id="app.employers", tooltip="Employers and their logs"),
        Binding("r", "reminders", "Reminders", id="app.reminders", tooltip="Follow-along overdue and due soon"),
        Binding("w", "this_week", "This week", id="app.week", tooltip="Employer contacts and caseload against targets"),
        Binding("a", "agenda", "Agenda", id="app.agenda", tooltip="This week's team-meeting agenda"),
        Binding("o", "outcomes", "Outcomes", id="app.outcomes", tooltip="Outcomes and fidelity for a quarter or month"),
        Binding("question_mark", "help", "Help", id="app.help", key_display="?"),
        Binding("T", "today", "Today", id="app.today",
                tooltip="My day: appointments, reminders due, outcomes to give, flagged clients"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, db_path: locations.Location, as_name: str | None = None, today: dt.date | None = None,
                 config_path: Path | None = None, prewarm: bool = True, idle_gc: bool = True,
                 daily_backup: bool = False) -> None:
        super().__init__()
        self.db_path = db_path
        self.daily_backup = daily_backup
        self.as_name = as_name
        self.fixed_today = today
        self.config_path = config_path
        self.specialist: str | None = None
        self.prewarm = prewarm
        self._prewarming: Awaitable[object] | None = None
        self.idle_gc = idle_gc
        self.memory = IdleCollector()
        #: Past appointments whose outcome the Today screen has asked about in this session.
        self.outcomes_asked: set[int] = set()
        self.typeahead = TypeAhead(self, super().on_event)
        self._held_at_start = []
        self._after_first_paint: list[Callable[[], object]] = []

    @property
    def today(self) -> dt.date:
        """The app's today: fixed in tests, else the clock (an app left open overnight moves on)."""
        return self.fixed_today or dt.date.today()

    # ------------------------------------------------------------ start-up

    def _handle_exception(self, error: Exception) -> None:
        """A database the app cannot use just now (a shared server restarting, the network
        gone, a disk full, someone else's long import) is a message, not the end of the app:
        what is on screen, and any form with what was typed in it, stays open to try again.
        Anything else is a bug: the app ends with a traceback that shows no values (no local
        variables: they hold what was typed) and writes it to a crash report."""
        if isinstance(error, services.ServerUnavailable):
            self.database_unavailable(error)
            return
        if isinstance(error, services.StoreError):
            self.notify(str(error), title="Database", severity="error", timeout=15)
            return
        self._bug = error
        self.crash_report = write_crash_report(error)
        super()._handle_exception(error)

    async def run_action(self, action: Any, default_namespace: Any = None,
                         namespaces: Any = None) -> bool:
        """Every key's action, with a database the app cannot use just now turned into a message
        (as :meth:`_handle_exception` words it). Textual ends the message loop an exception
        reaches, so an action that reads on the spot (opening a form reads the client) would
        otherwise end the app silently."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except services.StoreError as error:
            self._handle_exception(error)
            return True

    crash_report: Path | None = None
    _bug: BaseException | None = None

    def _fatal_error(self) -> None:
        """Textual's ending after a bug, with a traceback that shows no local variables."""
        from rich.console import Group
        from rich.segment import Segments
        from rich.text import Text
        from rich.traceback import Traceback

        self.bell()
        error = self._bug
        traceback = (Traceback(show_locals=False, width=None) if error is None else
                     Traceback.from_exception(type(error), error, error.__traceback__,
                                              show_locals=False, width=None))
        shown: list[Any] = [traceback]
        if self.crash_report is not None:
            shown.append(Text(f"A crash report (no record values) was written to {self.crash_report}"))
        self._exit_renderables.append(Segments(self.console.render(Group(*shown), self.console.options)))
        self._close_messages_no_wait()

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A notification, always plain text: messages carry names, ids and file paths that
        may hold square brackets (Textual would read them as markup: a "[/]" stopped the app),
        and never a control character (a stored escape sequence would act on the terminal)."""
        super().notify(terminal_safe(message), title=terminal_safe(title), severity=severity,
                       timeout=timeout, markup=False)

    def database_unavailable(self, error: Exception) -> None:
        """Say that the database cannot be reached just now (nothing on screen is lost)."""
        self.notify(str(error), title="Database server", severity="error", timeout=15)

    #: Until the first screen is on the terminal: the screen updates Textual rendered but did
    #: not send while it held repaints back (a batch), from the last whole-screen one on.
    _held_at_start: list[tuple[Screen[Any], Any]] | None = None

    def _display(self, screen: Screen[Any], renderable: Any) -> None:
        held = self._held_at_start
        if held is not None and renderable is not None:
            # (Textual's own names, as of 8: if they change, nothing is held and the first
            # screen is painted as Textual paints it)
            if not getattr(self, "_batch_count", 0):
                super()._display(screen, renderable)
                self._first_paint_done()  # from now on, Textual's way
                return
            if type(renderable).__name__ == "LayoutUpdate":  # the whole screen
                held[:] = [(screen, renderable)]
            elif held:
                held.append((screen, renderable))
        super()._display(screen, renderable)

    def _end_batch(self) -> None:
        """The first screen goes to the terminal whole as soon as the start-up's batch ends.

        Textual holds repaints back while the app starts (a batch), but the first screen,
        pushed meanwhile, is laid out and rendered in it: that whole-screen update was dropped,
        and once the batch ended only what changed after it was sent (the header, the status
        line, the key bar), so the caseload's table stayed off the terminal until a later full
        layout, 25 ms on. The updates held back are sent, in order, when the batch ends."""
        super()._end_batch()
        held = self._held_at_start
        if held and not getattr(self, "_batch_count", 0):
            for screen, update in held:
                super()._display(screen, update)
            self._first_paint_done()

    def after_first_paint(self, callback: Callable[[], object]) -> bool:
        """Call ``callback`` once the first screen is on the terminal (work that would only
        hold it back: the key bar's keys); False, and nothing done, if it is already there."""
        if self._held_at_start is None:
            return False
        self._after_first_paint.append(callback)
        return True

    def _first_paint_done(self) -> None:
        self._held_at_start = None
        waiting, self._after_first_paint = self._after_first_paint, []
        for callback in waiting:
            callback()

    def on_mount(self) -> None:
        theme = config.load(self.config_path).get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        self._theme_chosen = True
        self.sub_title = locations.describe(self.db_path)  # never a server password
        from ips_tui.tui.screens.caseload import CaseloadScreen

        names = services.specialists()
        chosen = self.as_name or config.my_specialist(self.config_path)
        if self.as_name and self.as_name not in names:
            services.add_specialist_if_new(self.as_name, by=self.as_name)
        if self.idle_gc:  # full garbage collections only while nobody waits (tui/idle_gc.py)
            self.memory.start()
            self.set_interval(0.5, self.memory.tick)
        if chosen and (chosen in names or chosen == self.as_name):
            self.specialist = chosen
            self.push_screen(CaseloadScreen())
            if config.start_screen(self.config_path) == "today":
                self.action_today()
            return
        from ips_tui.tui.dialogs.choose_specialist import ChooseSpecialistDialog

        self.push_screen(CaseloadScreen())
        self.push_screen(ChooseSpecialistDialog(names), self._chosen)

    def on_ready(self) -> None:
        """The first screen is on the terminal."""
        if self.prewarm:
            self.set_timer(PREWARM_AFTER_S, self._prewarm_client_screen)
        if self.daily_backup:
            self.set_timer(BACKUP_AFTER_S, self._start_daily_backup)

    def _start_daily_backup(self) -> None:
        """The at-most-daily backup, in a worker thread once the caseload is on screen (copying a
        large file took as long as the rest of the start-up). Quitting waits for it to end."""
        self.run_worker(self._daily_backup_in_worker, name="daily backup", group="backup",
                        thread=True, exit_on_error=False)

    def _daily_backup_in_worker(self) -> Path | None:
        try:
            # the real day, whatever --today says: a backup is named and kept by when it was taken
            return services.startup_backup(dt.date.today())
        except (services.StoreError, OSError) as exc:  # a full disk must not stop the day's work
            self.call_from_thread(self.notify, f"The daily backup failed: {exc}",
                                  title="Backup", severity="warning", timeout=15)
            return None
        finally:
            services.close_store()  # this thread's connection only (peewee keeps one per thread)

    def _prewarm_client_screen(self) -> None:
        """Build the client record screen in the background while the caseload is on screen, so
        the first client opened is as quick as the next (building it takes a few hundred ms)."""
        from ips_tui.tui.screens.client import ClientScreen

        if self.is_screen_installed("client"):
            return
        self.install_screen(ClientScreen(None), "client")
        try:
            _, self._prewarming = self._get_screen("client")  # compose and mount it, unshown
        except Exception:  # Textual's private API changed: it is built on first open instead
            pass

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self.memory.touched()
        if TypeAhead.wants(event):  # keys typed ahead wait for the ones before (tui/typeahead.py)
            await self.typeahead.receive(event)
            return
        await super().on_event(event)

    async def on_input_handled(self, message: InputHandled) -> None:
        await self.typeahead.handled(message)

    def on_unmount(self) -> None:
        self.memory.stop()

    async def action_quit(self) -> None:
        """Quit. A record screen still being built in the background is let finish first:
        Textual cannot take a screen down half-way through mounting it."""
        if self._prewarming is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.ensure_future(self._prewarming), timeout=3)
        self.exit()

    def _chosen(self, name: str | None) -> None:
        if not name:
            return
        services.add_specialist_if_new(name, by=name)
        config.save({"specialist": name}, self.config_path)
        self.specialist = name
        self._reload_screen()

    def _reload_screen(self) -> None:
        from ips_tui.tui.screens.caseload import CaseloadScreen

        for screen in self.screen_stack:
            if isinstance(screen, CaseloadScreen):
                screen.mine = self.specialist is not None
        if isinstance(self.screen, DataScreen):
            self.screen.reload()

    _theme_chosen = False  # the saved theme has been applied: later changes are the user's

    def watch_theme(self, theme: str) -> None:
        if self._theme_chosen:
            try:
                config.save({"theme": theme}, self.config_path)
            except OSError:
                pass

    # ------------------------------------------------------------ navigation

    GLOBAL_ACTIONS = frozenset({"employers", "reminders", "this_week", "agenda", "outcomes", "help",
                                "quit", "today"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Single-letter keys never act behind a dialog (a 'q' typed in a form must not quit)."""
        return self.acts_over(self.screen, action)

    def acts_over(self, screen: Screen[Any], action: str) -> bool:
        """Whether the app's ``action`` works while ``screen`` is shown: its global keys do
        nothing over a dialog."""
        return not (action in self.GLOBAL_ACTIONS and isinstance(screen, ModalScreen))

    def _go(self, screen_type: type, *args: object) -> None:
        """Open a top-level screen over the caseload (Esc comes back to the caseload)."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if not isinstance(self.screen, screen_type):
            self.push_screen(screen_type(*args))

    def action_caseload(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_employers(self) -> None:
        from ips_tui.tui.screens.employers import EmployersScreen

        self._go(EmployersScreen)

    def action_reminders(self) -> None:
        from ips_tui.tui.screens.reminders import RemindersScreen

        self._go(RemindersScreen)

    def action_this_week(self) -> None:
        from ips_tui.tui.screens.week import ThisWeekScreen

        self._go(ThisWeekScreen)

    def action_agenda(self) -> None:
        try:
            from ips_tui.tui.screens.agenda import AgendaScreen
        except ImportError:
            self.notify("The team-meeting agenda is not available in this version.", severity="warning")
            return
        self._go(AgendaScreen)

    def action_outcomes(self) -> None:
        from ips_tui.tui.screens.outcomes import OutcomesScreen

        self._go(OutcomesScreen)

    def action_today(self) -> None:
        from ips_tui.tui.screens.today import TodayScreen

        self._go(TodayScreen)

    def action_toggle_start_screen(self) -> None:
        """Open the app on Today from now on, or on the caseload again (a personal setting, in
        the config file: also ``ips-tui settings --start-screen``)."""
        start = "caseload" if config.start_screen(self.config_path) == "today" else "today"
        config.set_start_screen(start, self.config_path)
        self.notify(f"The app will open on {'Today' if start == 'today' else 'the caseload'}.")

    def action_help(self) -> None:
        from ips_tui.tui.dialogs.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen, about=getattr(self.screen, "HELP", "") or ""))

    def action_switch_specialist(self) -> None:
        from ips_tui.tui.dialogs.choose_specialist import ChooseSpecialistDialog

        self.push_screen(ChooseSpecialistDialog(services.specialists()), self._chosen)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def open_client(self, client_id: str) -> None:
        """Show a client's record. One record screen is built once and reused: opening the next
        client only loads its data, which keeps moving from client to client instant."""
        from ips_tui.tui.screens.client import ClientScreen

        if not self.is_screen_installed("client"):
            self.install_screen(ClientScreen(client_id), "client")
            self.push_screen("client")
            return
        screen = self.get_screen("client")
        assert isinstance(screen, ClientScreen)
        screen.show(client_id)
        if any(s is screen for s in self.screen_stack):
            self._pop_to(screen)
            screen.reload()
        else:
            self.push_screen(screen)

    def _pop_to(self, screen: Screen[Any]) -> None:
        """Close the screens above ``screen``."""
        while self.screen is not screen:
            self.pop_screen()

    # ------------------------------------------------------------ shared dialogs

    def _after_save(self, message: str) -> Callable[[object], None]:
        def done(result: object) -> None:
            if result is None:
                return
            self.notify(message.format(result=result))
            if isinstance(self.screen, DataScreen):
                self.screen.reload()
        return done

    def log_contact(self, client_id: str) -> None:
        """Log a contact with a client: date today, in person, in the community by default."""
        from ips_tui.tui.forms.contact import client_contact_form

        form = client_contact_form(client_id, "Log a contact with {name}", self.specialist, self.today)
        self.push_screen(form, self._after_save("Contact logged."))

    def plan_appointment(self, client_id: str) -> None:
        """Plan an appointment with a client (the next working day by default)."""
        from ips_tui.tui.forms.appointment import plan_form

        rec = services.client_record(client_id)
        form = plan_form(client_id, rec.name, str(rec.values["specialist"]), self.specialist,
                         self.today)
        self.push_screen(form, self._after_save("Appointment planned."))

    def ask_outcome(self, row: Any) -> None:
        """Ask what became of a past appointment (``row``: records.AppointmentRow)."""
        from ips_tui.tui.forms.appointment import outcome_form

        words = {"done": "Contact logged.", "missed": "Attempt logged.",
                 "cancelled": "Appointment cancelled."}
        self.push_screen(outcome_form(row, self.specialist, self.today),
                         self._after_save_with(words))

    def log_team_contact(self, client_id: str) -> None:
        """Record discussing a client with their mental-health practitioner or team."""
        from ips_tui.tui.forms.appointment import team_contact_form

        rec = services.client_record(client_id)
        practitioner = rec.values.get("mh_practitioner")
        form = team_contact_form(client_id, rec.name, str(practitioner) if practitioner else None,
                                 str(rec.values["specialist"]), self.specialist, self.today)
        self.push_screen(form, self._after_save("Team contact recorded."))

    def _after_save_with(self, words: dict[str, str]) -> Callable[[object], None]:
        def done(result: object) -> None:
            if result is None:
                return
            self.notify(words.get(str(result), "Saved."))
            if isinstance(self.screen, DataScreen):
                self.screen.reload()
        return done

    def new_client(self) -> None:
        """Add a client; a name already on file is shown first, to open instead (OpenClient)."""
        from ips_tui.tui.dialogs.duplicates import OpenClient
        from ips_tui.tui.forms.client import new_client_form

        added = self._after_save("Client {result} added.")

        def done(result: object) -> None:
            if isinstance(result, OpenClient):
                self.open_client(result.client_id)
            else:
                added(result)

        self.push_screen(new_client_form(self.specialist, self.today), done)

    def new_employer(self) -> None:
        from ips_tui.tui.forms.employer import new_employer_form

        self.push_screen(new_employer_form(self.specialist, self.today),
                         self._after_save("Employer {result} added."))

    def log_employer_contact(self, employer_id: str | None = None,
                             clients: tuple[str, ...] = ()) -> None:
        """Log a contact with an employer, ticking the clients it was on behalf of (``clients``
        ticked to start with)."""
        from ips_tui.tui.forms.employer import employer_contact_form

        form = employer_contact_form(employer_id, self.specialist, self.today, clients=clients)
        if form is None:
            self.notify("Add an employer first (n on the employers screen).", severity="warning")
            return
        self.push_screen(form, self._after_save("Employer contact logged."))


def make_app(db_path: locations.Location, as_name: str | None = None, today: dt.date | None = None,
             config_path: Path | None = None, prewarm: bool = True, idle_gc: bool = True,
             daily_backup: bool = False) -> IpsApp:
    """The one factory the CLI and the tests use (the database must already be open).

    ``prewarm``: build the client record screen in the background soon after start-up. Tests
    that end the app from outside (Pilot) turn it off unless they wait for it: an app ended
    while a screen is half-mounted makes Textual's widgets fail as they are taken down.
    ``idle_gc``: run Python's full garbage collections only when nobody has typed for a second
    (tui/idle_gc.py); put back as it was when the app ends.
    ``daily_backup``: take the day's automatic backup (services.startup_backup) in a worker
    thread soon after the first paint (`ips-tui` does; tests ask for it).
    """
    return IpsApp(db_path, as_name=as_name, today=today, config_path=config_path, prewarm=prewarm,
                  idle_gc=idle_gc, daily_backup=daily_backup)


def run_app(db_path: locations.Location, as_name: str | None = None,
            today: dt.date | None = None) -> int:
    """Run the app on an open database; its exit status (1 after a bug)."""
    app = make_app(db_path, as_name=as_name, today=today, daily_backup=True)
    app.run()
    return app.return_code or 0


def write_crash_report(error: BaseException) -> Path | None:
    """Write what went wrong, without any values (no local variables), to a crash report in the
    data folder, readable only by the user; None if it cannot be written."""
    import traceback

    from ips_tui import __version__
    from ips_tui.output import write_private

    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = locations.data_dir() / f"crash-{stamp}.txt"
    try:
        write_private(path, f"ips-tui {__version__} crashed at {stamp}\n\n{text}")
    except OSError:
        return None
    return path
