"""Keys typed ahead land where the keys before them sent the focus: a paste or a fast typist.

Textual hands each key to the focused widget's own queue and goes on to the next key at once.
A key that moves the focus (Tab), or opens a form (``c``), has its effect a few messages later:
the keys sent right behind it went to the field that was focused before (or to the screen under
a form still being built) and did the wrong thing or were lost. The app therefore hands input
(keys and pastes) over one at a time: the next waits until the last has been handled all the way
up to the app, and, when it opened a screen, until that screen has mounted and set its focus.
A key that is never reported handled (its widget was removed) releases the next after
``TypeAhead.WAIT_S`` at most, so typing never sticks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer


class InputHandled(Message):
    """Posted behind a key to the widget that got it: reaching the app, the key has been handled."""

    def __init__(self, token: object, screen: Screen[Any]) -> None:
        super().__init__()
        self.token = token
        self.screen = screen


class TypeAhead:
    """Holds keys and pastes that arrive while an earlier one is still being handled."""

    #: The longest the next key waits for the last one to be handled.
    WAIT_S = 0.5
    #: How many screens one key may open before the keys behind it go on anyway.
    MAX_FOLLOWS = 4

    def __init__(self, app: Any, dispatch: Callable[[events.Event], Awaitable[None]]) -> None:
        self.app = app
        self.dispatch = dispatch
        self.held: deque[events.Event] = deque()
        self.busy = False
        self.token: object | None = None
        self.follows = 0
        self.timer: Timer | None = None

    @staticmethod
    def wants(event: events.Event) -> bool:
        """Whether ``event`` is input that must keep its order (a key or a paste from the terminal)."""
        return isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded

    async def receive(self, event: events.Event) -> None:
        """Handle ``event`` now, or after the input before it has been handled."""
        if self.busy:
            self.held.append(event)
            return
        await self._handle(event)

    async def _handle(self, event: events.Event) -> None:
        self.busy = True
        self.follows = 0
        await self.dispatch(event)
        self._follow()

    def _follow(self) -> None:
        """Send a marker behind the last input, through whatever has the focus now."""
        token = self.token = object()
        if self.timer is not None:
            self.timer.stop()
        self.timer = self.app.set_timer(self.WAIT_S, lambda: self.release(token))
        if not self.app.screen_stack:  # the app is ending
            return
        target = self.app.focused or self.app.screen
        target.post_message(InputHandled(token, self.app.screen))

    async def handled(self, message: InputHandled) -> None:
        """The marker reached the app: the input before it has been handled."""
        if message.token is not self.token or not self.app.screen_stack:
            return
        screen = self.app.screen
        if (screen is not message.screen or not screen.is_mounted) and self.follows < self.MAX_FOLLOWS:
            # the key opened (or closed) a screen: wait for that screen to mount and focus
            self.follows += 1
            self._follow()
            return
        await self.release(message.token)

    async def release(self, token: object) -> None:
        """Let the next held input through (or none is held: take the next as it comes)."""
        if token is not self.token:
            return
        self.token = None
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
        if self.held:
            await self._handle(self.held.popleft())
        else:
            self.busy = False
