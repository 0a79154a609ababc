"""What every screen shares: a reload hook, the app's clock, and cell formatting helpers."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input

from ips_tui.domain.reminders import KIND_LABELS, Reminder
from ips_tui.output import terminal_safe
from ips_tui.views.table import Table

if TYPE_CHECKING:
    from ips_tui.app import IpsApp


class SteadyFooter(Footer):
    """The key bar, rebuilt only when the keys it shows change.

    Textual's Footer rebuilds all its keys (a widget each, with their styles) whenever a screen
    becomes active or the focus moves, even when nothing it shows changed: on a busy screen that
    is tens of milliseconds of every screen switch.
    """

    _shown: tuple[object, ...] | None = None

    @staticmethod
    def _keys(screen: Screen[Any]) -> tuple[object, ...]:
        return tuple((b.key, b.key_display, b.description, b.show, enabled, tooltip)
                     for (_, b, enabled, tooltip) in screen.active_bindings.values())

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            shown = self._keys(screen)
            if shown == self._shown and self.children:
                return
            self._shown = shown
        super().bindings_changed(screen)

    async def build_keys(self) -> None:
        """Make the keys of a screen not shown yet (one built in the background), so that
        showing it does not: Textual's Footer makes them only after the first paint, which
        then needs a second layout and paint."""
        self._bindings_ready = True
        self._shown = self._keys(self.screen)
        done = asyncio.Event()

        async def make() -> None:  # in the footer's own task, as Textual's compose expects
            try:
                await self.recompose()
            finally:
                done.set()

        self.call_later(make)
        await asyncio.wait_for(done.wait(), timeout=5)


class FilterBox(Input):
    """A list's filter box. The list follows each keystroke at once, in the box's own handling
    of the key (its screen's ``refill``): through Input.Changed it came a frame later, after the
    screen had been painted once just for the typed character."""

    def watch_value(self) -> None:
        screen = self.screen if self.is_mounted else None
        if isinstance(screen, DataScreen) and screen.is_mounted:
            screen.refill()


class DataScreen(Screen[None]):
    """A screen that shows records and can reload them after a change."""

    BINDINGS = [Binding("escape", "back", "Back", id="back", tooltip="Back to the previous screen")]

    @property
    def ips(self) -> IpsApp:
        return self.app  # type: ignore[return-value]

    @property
    def today(self) -> dt.date:
        return self.ips.today

    #: Whether the screen shows only my clients (screens with a "Mine/all" key use it).
    mine = False

    def reload(self) -> None:
        """Fetch the records again and redraw (after a save, or when coming back).

        A database that cannot be reached just now (a team's server restarting) is a message;
        the screen keeps what it showed and the next reload tries again.
        """
        from ips_tui import services

        try:
            self.load()
        except services.ServerUnavailable as exc:
            self.ips.database_unavailable(exc)

    def load(self) -> None:
        """Fetch the records and draw them (each screen's own)."""

    def refill(self) -> None:
        """Redraw from the records already fetched (a screen with a filter box has its own)."""

    def action_toggle_mine(self) -> None:
        """Switch between my clients and everyone's."""
        if self.ips.specialist is None:
            self.notify("Choose who you are first (ctrl+p, 'Switch specialist').", severity="warning")
            return
        self.mine = not self.mine
        self.reload()

    _seen = False  # resumed at least once (the first resume follows on_mount's own load)
    _under_dialog = False  # suspended by a dialog, whose callback reloads if it saved

    def on_screen_suspend(self) -> None:
        self._under_dialog = isinstance(self.app.screen, ModalScreen)

    def on_screen_resume(self) -> None:
        """Coming back from another screen: show what changed there."""
        self._paint_whole = True
        if self._seen and not self._under_dialog:
            self.reload()
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

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()


def safe(value: object) -> str:
    """Any stored text, made safe to draw (no raw control characters)."""
    return terminal_safe("" if value is None else str(value))


def clip(text: str | None, width: int) -> str:
    """Free text on one line, cut at a word boundary to ``width`` with an ellipsis."""
    flat = " ".join(safe(text).split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1].rsplit(" ", 1)[0] if " " in flat[: width - 1] else flat[: width - 1]
    return cut + "…"


SHORT_KIND = {
    "before_start": "Before start",
    "after_start": "After start",
    "weekly": "Weekly",
    "monthly": "Monthly",
    "after_job_end": "After job end",
    "first_employer_contact": "1st employer",
}


def days_ago_text(day: dt.date | None, today: dt.date) -> str:
    """'today', '1 d ago', '12 d ago', or 'never' (short: it sits in narrow columns)."""
    if day is None:
        return "never"
    days = (today - day).days
    if days == 0:
        return "today"
    if days < 0:
        return f"in {-days} d"
    return f"{days} d ago"


def reminder_cell(rem: Reminder | None, today: dt.date, error_color: str) -> Text:
    """A reminder as a short cell: kind and when; overdue says so in words and colour."""
    if rem is None:
        return Text("—", style="dim")
    label = SHORT_KIND.get(rem.kind, KIND_LABELS.get(rem.kind, rem.kind))
    days = (rem.due - today).days
    if days < 0:
        return Text(f"OVERDUE {label} · {-days} d", style=f"bold {error_color}")
    if days == 0:
        return Text(f"{label} · TODAY", style="bold")
    return Text(f"{label} · in {days} d")


def selected_key(table: DataTable[Any]) -> str | None:
    """The row key under the cursor, or None for an empty table."""
    if table.row_count == 0:
        return None
    try:
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
    except Exception:
        return None
    return None if row_key.value is None else str(row_key.value)


def move_cursor_to(table: DataTable[Any], key: str | None, fallback_row: int | None = None) -> None:
    """Put the cursor back on the row with ``key``; if it has gone, stay near where it was.
    Call it after filling the table: the new rows are measured first, so the table is
    painted once, already scrolled to the cursor."""
    if isinstance(table, Table):
        table.measure_now()
    if key is not None:
        try:
            table.move_cursor(row=table.get_row_index(key))
            return
        except Exception:
            pass
    if fallback_row is not None and table.row_count:
        table.move_cursor(row=min(fallback_row, table.row_count - 1))


def cursor_state(table: DataTable[Any]) -> tuple[str | None, int]:
    """The highlighted row's key and index, to restore after refilling the table."""
    return selected_key(table), table.cursor_row
