"""What every screen that shows records shares: loading off the UI thread, the app's clock,
laying out again for a new width, Esc back.

A screen's records are fetched in a Textual worker thread (``fetch``: services only, no
widgets) and drawn on the UI thread when they arrive (``draw``). On a laptop's own file that
takes a few milliseconds; on a team's server it can take a second, and meanwhile the keys keep
working and, after a moment, the screen says it is loading. One exception: the specialist's own
caseload, the screen the app opens on, is read at once on a file (``reload(at_once=True)``), so
it is painted once, with its rows.

``draw`` fits what it shows to the terminal's width (a note cut at a word to the room left, a
client's id left out at 80 columns). When the width changes, the screen is laid out again
(``relayout``: by default ``draw`` again, from the records it last drew, never read again), once
the width has stayed put for a moment, with each table's cursor and scroll position kept.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from ips_tui.output import terminal_safe
from ips_tui.tui.widgets.table import Table

if TYPE_CHECKING:
    from ips_tui.tui.app import IpsApp


def one_line_safe(text: str) -> str:
    """Text for a header or a notification title: one line, no control character."""
    return terminal_safe(text).replace("\n", " ").replace("\t", " ")


class DataScreen(Screen[None]):
    """A screen that shows records and can reload them after a change."""

    BINDINGS = [Binding("escape", "back", "Back", id="back", tooltip="Back to the previous screen")]

    @property
    def ips(self) -> IpsApp:
        return self.app  # type: ignore[return-value]  # every screen runs in an IpsApp

    def validate_title(self, title: Any) -> str | None:
        """The title, shown in the header, names a record ("Client: NAME"): on one line and
        with no control character, so a stored escape sequence never reaches the terminal."""
        return None if title is None else one_line_safe(str(title))

    def validate_sub_title(self, sub_title: Any) -> str | None:
        return None if sub_title is None else one_line_safe(str(sub_title))

    @property
    def today(self) -> dt.date:
        return self.ips.today

    #: Whether the screen shows only my clients (screens with a "Mine/all" key use it).
    mine = False

    #: The worker group a screen's loads run in (a new load cancels the one before).
    LOAD_GROUP = "load"
    #: A load that takes longer than this shows the loading indicator (a quick one never does,
    #: so the screen does not flicker).
    LOADING_SHOWN_AFTER_S = 0.25

    _loading_timer: Timer | None = None

    def reload(self, *, at_once: bool = False) -> None:
        """Fetch the records again in a worker thread and draw them when they arrive (after a
        save, or when coming back). Keys keep working meanwhile.

        A database that cannot be reached just now (a team's server restarting) is a message;
        the screen keeps what it showed and the next reload tries again.

        ``at_once``: the first load of the screen the app opens on, when the records are few
        (a specialist's own caseload or day). On a file of the laptop's own they are fetched and
        drawn right here, before the screen is first painted: a few milliseconds, and the screen
        is painted once, with its records, rather than empty and then again (a worker thread
        and its connection took longer than the queries, 40 ms against 7). If that fetch fails,
        the worker tries again and says why as usual.
        """
        if at_once and self._loaded_at_once():
            return
        self.run_worker(self._fetch_in_worker, name=f"load {type(self).__name__}",
                        group=self.LOAD_GROUP, exclusive=True, thread=True, exit_on_error=False)
        if self._loading_timer is None:
            self._loading_timer = self.set_timer(self.LOADING_SHOWN_AFTER_S, self._show_loading)

    def _loaded_at_once(self) -> bool:
        from ips_tui import services

        if not services.database_is_a_file():
            return False
        try:
            data = self.fetch()
        except Exception:  # noqa: BLE001  # the worker tries again and reports it as usual
            return False
        self._draw_load(data)
        return True

    def _draw_load(self, data: Any) -> None:
        """Draw what a load read, and keep it to lay out again for another width.

        Its tables' columns are measured afresh, for these records: Textual's only ever widen, so
        a list loaded again with other records (everyone's reminders after mine) kept columns as
        wide as the widest of both and ran off the edge at 80 columns. (Filtering what is loaded
        keeps them: the columns stay put while a filter is typed.)"""
        self._last_load = (data,)
        with self._fitting_anew():
            self.draw(data)

    def _fetch_in_worker(self) -> Any:
        from ips_tui import services

        try:
            return self.fetch()
        finally:
            services.close_thread_connection()

    def fetch(self) -> Any:
        """Read what the screen shows (each screen's own). Runs in a worker thread: call
        services only, read no widgets and change nothing on screen."""
        return None

    def draw(self, data: Any) -> None:
        """Show what ``fetch`` read (each screen's own; on the UI thread)."""

    def loading_target(self) -> Widget | None:
        """The widget that shows the loading indicator: the screen's first table by default."""
        from textual.widgets import DataTable

        return next(iter(self.query(DataTable)), None)

    def _show_loading(self) -> None:
        self._loading_timer = None
        target = self.loading_target()
        if target is not None and self.workers_loading():
            target.loading = True

    def workers_loading(self) -> bool:
        """Whether a load is under way."""
        return any(w.group == self.LOAD_GROUP and w.node is self and not w.is_finished
                   for w in self.app.workers)

    def _loaded(self) -> None:
        if self._loading_timer is not None:
            self._loading_timer.stop()
            self._loading_timer = None
        target = self.loading_target()
        if target is not None and target.loading:
            target.loading = False

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != self.LOAD_GROUP or worker.node is not self:
            return
        if event.state is WorkerState.SUCCESS:
            self._loaded()
            self._draw_load(worker.result)
        elif event.state is WorkerState.ERROR:
            self._loaded()
            assert worker.error is not None
            self._load_failed(worker.error)

    def _load_failed(self, error: BaseException) -> None:
        from ips_tui import services

        if isinstance(error, services.ServerUnavailable):
            self.ips.database_unavailable(error)
        elif isinstance(error, services.StoreError):  # the screen keeps what it showed
            self.notify(str(error), title="Database", severity="error", timeout=15)
        elif isinstance(error, Exception):  # a bug: ends the app as it would have on this thread
            self.app._handle_exception(error)
        else:
            raise error

    def saved(self, message: str) -> Callable[[object], None]:
        """A form's callback: after a save, say ``message`` (``{result}`` is what the form
        returned) and reload; after a cancel, nothing."""

        def done(result: object) -> None:
            if result is not None:
                self.notify(message.format(result=result))
                self.reload()

        return done

    def refill(self) -> None:
        """Redraw from the records already fetched (a screen with a filter box has its own)."""

    def action_toggle_mine(self) -> None:
        """Switch between my clients and everyone's."""
        if self.ips.specialist is None:
            self.notify("Choose who you are first (ctrl+p, 'Switch specialist').", severity="warning")
            return
        self.mine = not self.mine
        self.reload()

    # ------------------------------------------------------------ a new width

    #: Whether ``draw`` fits the screen to the terminal's width, so that the screen is laid out
    #: again when the width changes. A screen whose text reflows by itself says False.
    FITS_WIDTH = True
    #: How long the width must stay put before the screen is laid out again for it: dragging a
    #: window's edge resizes the terminal dozens of times a second, and the screen is laid out
    #: once, when the dragging stops (meanwhile the old layout is shown, cut or padded).
    RELAYOUT_AFTER_S = 0.2

    _last_load: tuple[Any] | None = None  # (what the last load gave draw,), once there is one
    _laid_out_width = 0  # the width the screen was last drawn or laid out for
    _width_changed_at = 0.0
    _relayout_timer: Timer | None = None

    def on_resize(self) -> None:
        self._width_may_have_changed()

    def _width(self) -> int:
        """The screen's width; the terminal's before the screen is first laid out (a load drawn
        at once, in on_mount), which is what it will be."""
        return self.size.width or self.app.size.width

    def _width_may_have_changed(self) -> None:
        """Lay the screen out again for the new width, once it has stayed put a moment."""
        if not self.FITS_WIDTH or self._last_load is None or self._width() == self._laid_out_width:
            return
        self._width_changed_at = time.monotonic()
        if self._relayout_timer is None:
            self._relayout_timer = self.set_timer(self.RELAYOUT_AFTER_S, self._relayout_when_settled)

    def _relayout_when_settled(self) -> None:
        self._relayout_timer = None
        still = time.monotonic() - self._width_changed_at
        if still < self.RELAYOUT_AFTER_S:  # resized again meanwhile: wait for it to stop
            self._relayout_timer = self.set_timer(self.RELAYOUT_AFTER_S - still,
                                                  self._relayout_when_settled)
            return
        width = self._width()
        if self._last_load is None or not width or width == self._laid_out_width or not self.is_attached:
            return
        with self._fitting_anew():
            self.relayout()

    @contextmanager
    def _fitting_anew(self) -> Iterator[None]:
        """Lay the screen out for the width it has now: each table filled again meanwhile has
        its columns measured afresh and keeps its cursor and scroll position."""
        self._laid_out_width = self._width()
        with ExitStack() as places:
            for table in self.query(Table):
                places.enter_context(table.keeping_place())
            yield

    def relayout(self) -> None:
        """Fit the screen to a new width: ``draw`` again what the last load read (no records
        are read again). A screen whose ``draw`` does more than lay out what it is given says
        here what to lay out instead."""
        if self._last_load is not None:
            self.draw(self._last_load[0])

    _seen = False  # resumed at least once (the first resume follows on_mount's own load)
    _under_dialog = False  # suspended by a dialog, whose callback reloads if it saved

    def on_screen_suspend(self) -> None:
        self._under_dialog = isinstance(self.app.screen, ModalScreen)

    def on_screen_resume(self) -> None:
        """Coming back from another screen: show what changed there."""
        self._paint_whole = True
        if self._seen and not self._under_dialog:
            self.reload()
        else:  # back from a dialog: the terminal may have been resized under it
            self._width_may_have_changed()
        self._seen = True
        self._under_dialog = False

    _paint_whole = False  # the next paint is of a screen just shown

    def _compositor_refresh(self) -> None:
        """Paint the screen just shown in one piece.

        A screen shown whose layout changed (its first show, or a table that grew) is otherwise
        painted as a patchwork of every region that moved, which Textual makes strip by strip:
        on the client record that was 60-70 ms more than painting the whole screen.
        """
        if self._paint_whole and self.is_current:
            self._paint_whole = False
            try:
                self._compositor._dirty_regions.add(self._compositor.size.region)
            except AttributeError:  # Textual's insides changed: it paints its own way
                pass
        super()._compositor_refresh()

    def leave(self) -> None:
        """Close this screen, if it is still the one shown (a load that ends after the user has
        moved on must not close another screen)."""
        if self.app.screen is self and len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
