"""The key bar: the screen's most used keys first, rebuilt only when the keys it shows change.

At 80 columns not every key fits: a screen names the actions it wants shown first, in order
(``FOOTER_FIRST``: the screen's most used keys and the app's screens), and the rest follow as
they come. The command palette (ctrl+p) stays at the right end, where every key can be found.

The palette's key is docked over the keys that run on past the right edge, so it must cover
the bar to its last cell: Textual's compact bar gives every key a margin on its right, the
palette's too, and through that last column showed whatever key lay beneath ("^p palettee").
Here the palette's key has no margin and the blank after it is its own padding."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: The app's keys (actions), after the screen's own first keys.
APP_FIRST = ("reminders", "this_week", "agenda", "employers", "outcomes")

if TYPE_CHECKING:
    pass


class SteadyFooter(Footer):
    """The key bar, rebuilt only when the keys it shows change.

    Textual's Footer rebuilds all its keys (a widget each, with their styles) whenever a screen
    becomes active or the focus moves, even when nothing it shows changed: on a busy screen that
    is tens of milliseconds of every screen switch.
    """

    DEFAULT_CSS = """
    SteadyFooter.-compact FooterKey.-command-palette {
        margin-right: 0;
        padding-right: 1;
    }
    """

    _shown: tuple[object, ...] | None = None

    #: Below this many columns the keys are shown closer together, so more of them fit.
    COMPACT_BELOW = 100

    def on_resize(self) -> None:
        compact = self.app.size.width < self.COMPACT_BELOW
        if compact != self.compact:
            self.compact = compact

    @staticmethod
    def _keys(screen: Screen[Any]) -> tuple[object, ...]:
        return tuple((b.key, b.key_display, b.description, b.show, enabled, tooltip)
                     for (_, b, enabled, tooltip) in screen.active_bindings.values())

    def bindings_changed(self, screen: Screen[Any]) -> None:
        # The first screen's keys are made once it is on the terminal (IpsApp.after_first_paint):
        # made before, they held its first paint back by ten milliseconds.
        after_first_paint = getattr(screen.app, "after_first_paint", None)
        if after_first_paint is not None and after_first_paint(
                lambda: self.call_later(self.bindings_changed, screen)):
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            shown = self._keys(screen)
            if shown == self._shown and self.children:
                return
            self._shown = shown
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        """The keys shown, the screen's ``FOOTER_FIRST`` actions first, then the palette."""
        if not self._bindings_ready:
            return
        active = self.screen.active_bindings
        by_action: dict[str, tuple[Any, bool, str]] = {}
        for (_, binding, enabled, tooltip) in active.values():
            if binding.show and binding.action not in by_action:
                by_action[binding.action] = (binding, enabled, tooltip)
        first = [a for a in getattr(self.screen, "FOOTER_FIRST", ()) if a in by_action]
        first += [a for a in APP_FIRST if a in by_action and a not in first]
        order = first + [a for a in by_action if a not in first]
        self.styles.grid_size_columns = len(order)
        for action in order:
            binding, enabled, tooltip = by_action[action]
            yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description,
                            binding.action, disabled=not enabled,
                            tooltip=tooltip).data_bind(compact=Footer.compact)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            try:
                _node, binding, enabled, tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            except KeyError:
                return
            yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description,
                            binding.action, classes="-command-palette", disabled=not enabled,
                            tooltip=binding.tooltip or binding.description)

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
