"""The in-memory rate-limit storage of one instance: ``limits``' own, with a cheap clean-up.

``limits.aio.storage.MemoryStorage`` (5.x) cleans up after every hit: a task that walks every
key it holds and, for each, hands a ``bisect`` to a thread (``asyncio.to_thread``). With a
per-link rule (device checks, entries) it holds one key per citizen, so every hit cost a
thread hand-off per citizen: at 2000 waiting citizens most of a join's CPU time went there.

The clean-up only frees memory: a moving window compares the entries' times itself when it
counts, so limits hold exactly as before. Here it runs in slices of :data:`SWEEP_SLICE` keys
on the event loop (no thread, no ``await``, so no lock is needed), one slice per hit, and a
new pass starts at most every :data:`SWEEP_EVERY_S` seconds.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Iterator
from typing import Any

from limits.aio.storage import MemoryStorage

#: Keys looked at per hit (well under a millisecond).
SWEEP_SLICE = 256
#: Seconds between the starts of two passes over all keys.
SWEEP_EVERY_S = 10.0


class LocalMemoryStorage(MemoryStorage):
    """``memory://`` for :class:`~advisor_app.server.ratelimit.RateLimiter`."""

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **_: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **_)
        self._pass: Iterator[str] | None = None
        self._next_pass = 0.0

    # The base class calls this (name-mangled) before every change: one slice instead.
    async def _MemoryStorage__schedule_expiry(self) -> None:
        self.sweep_slice()

    def sweep_slice(self, size: int = SWEEP_SLICE) -> None:
        """Drop the expired entries and counters of the next ``size`` keys."""
        if self._pass is None:
            if time.monotonic() < self._next_pass:
                return
            self._next_pass = time.monotonic() + SWEEP_EVERY_S
            self._pass = iter([*self.events.keys(), *self.expirations.keys()])
        now = time.time()
        for _ in range(size):
            key = next(self._pass, None)
            if key is None:
                self._pass = None
                return
            events = self.events.get(key)
            if events is not None:
                # Newest first: the expired ones are the tail.
                cutoff = bisect.bisect_left(events, -now, key=lambda event: -event.expiry)
                if cutoff:
                    self.events[key] = events[:cutoff]
                else:
                    del self.events[key]
            expires = self.expirations.get(key)
            if expires is not None and expires <= now:
                self.storage.pop(key, None)
                del self.expirations[key]
            if key not in self.events and key not in self.expirations:
                self.locks.pop(key, None)
