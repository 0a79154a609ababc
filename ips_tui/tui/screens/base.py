"""What every screen that shows records shares: a reload hook, the app's clock, Esc back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from ips_tui.tui.app import IpsApp


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
