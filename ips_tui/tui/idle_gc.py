"""Python's full garbage collections, moved to moments when nobody is waiting for the screen.

CPython collects its oldest generation whenever enough allocations have piled up. With a region's
caseload loaded that walks a few hundred thousand objects and takes 60-100 ms on a laptop, and in
an app that allocates most when a person acts, it falls in the middle of what they are waiting
for: measured in tmux, one full collection landed in the first client record opened and others on
keystrokes of the caseload filter, each adding 60-100 ms to that one key.

So, from start-up on:

* automatic full collections are switched off; the young generations are still collected as
  usual (1-3 ms each), so short-lived cycles are freed as before;
* a full collection runs when nobody has pressed a key or clicked for IDLE_S seconds, at most
  once every EVERY_S seconds, and only after some use since the last one;
* the first one, in the first idle second after start-up, then freezes what is left (modules,
  classes, styles, the screens built so far): it lives as long as the app, and later full
  collections do not walk it again.

``stop`` puts the collector back as it was (tests run many apps in one process).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

#: Seconds without a key or click before a full collection may run.
IDLE_S = 1.0
#: At most one full collection this often (seconds).
EVERY_S = 10.0
#: The oldest generation's threshold while the app runs: never reached in practice.
OUT_OF_REACH = 1_000_000


class IdleCollector:
    """Runs Python's full garbage collections while the app is idle."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.running = False
        self.frozen = False
        self.collections = 0
        self._saved: tuple[int, int, int] | None = None
        self._last_input = 0.0
        self._last_collection = 0.0
        self._used = False

    def start(self) -> None:
        """Take over full collections (the young generations stay automatic)."""
        if self.running:
            return
        self._saved = gc.get_threshold()
        young, middle, _ = self._saved
        gc.set_threshold(young, middle, OUT_OF_REACH)
        self.running = True
        self.frozen = False
        self._last_input = self._last_collection = self.clock()
        self._used = False

    def touched(self) -> None:
        """A key was pressed or the mouse clicked."""
        self._last_input = self.clock()
        self._used = True

    def tick(self) -> bool:
        """Collect now if the app is idle and a collection is due; True if it did.

        The first idle moment after start-up collects and then freezes what is left: by then
        the first screen and the record screen built in the background exist.
        """
        if not self.running:
            return False
        now = self.clock()
        if now - self._last_input < IDLE_S:
            return False
        if self.frozen and (not self._used or now - self._last_collection < EVERY_S):
            return False
        gc.collect()
        if not self.frozen:
            gc.freeze()
            self.frozen = True
        self._last_collection = now
        self._used = False
        self.collections += 1
        return True

    def stop(self) -> None:
        """Give full collections back to Python and unfreeze what start-up froze."""
        if not self.running:
            return
        assert self._saved is not None
        gc.set_threshold(*self._saved)
        if self.frozen:
            gc.unfreeze()
        self.running = False
