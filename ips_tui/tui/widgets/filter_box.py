"""A list's filter box: the list follows each keystroke at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Input

if TYPE_CHECKING:
    pass


class FilterBox(Input):
    """A list's filter box. The list follows each keystroke at once, in the box's own handling
    of the key (its screen's ``refill``): through Input.Changed it came a frame later, after the
    screen had been painted once just for the typed character."""

    def watch_value(self) -> None:
        screen = self.screen if self.is_mounted else None
        refill = getattr(screen, "refill", None)  # a DataScreen's (screens/base.py)
        if refill is not None and screen is not None and screen.is_mounted:
            refill()
