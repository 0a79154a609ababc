"""The key bar, rebuilt only when the keys it shows change."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from textual.screen import Screen
from textual.widgets import Footer

if TYPE_CHECKING:
    pass


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
