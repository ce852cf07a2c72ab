"""Python's cycle collector, run on the GUI thread only.

CPython starts a collection in whichever thread happens to allocate when a generation's
threshold is crossed. The console allocates in many threads (camera capture, the ID check's
worker, aiortc's encoders, PortAudio callbacks), so a window or dialog that became garbage as
part of a reference cycle (a widget whose bound method is connected to its own timer is one)
could be destroyed in one of them. Qt objects must die in their own thread: a timer destroyed
elsewhere stays registered ("QObject::killTimer: Timers cannot be stopped from another
thread"), and the next time it is due the GUI thread dereferences freed memory and the
console crashes. ``tests/ui/test_collector.py`` shows that crash in a child process.

:class:`MainThreadCollector` switches automatic collection off and collects from a timer on
the GUI thread instead, generation by generation, with the interpreter's own thresholds.
"""

from __future__ import annotations

import gc
import logging
import threading

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

#: How often the collector looks at the allocation counts (milliseconds).
INTERVAL_MS = 500


class MainThreadCollector(QObject):
    """While started, every cycle collection runs in the thread that created this object."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._thread = threading.get_ident()
        self._threshold = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_tick)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        gc.disable()
        self._timer.start()
        log.debug("cycle collection moved to the GUI thread (every %d ms)", self._timer.interval())

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()

    def collect(self) -> int:
        """Collect what the allocation counts call for now; returns the objects found."""
        if threading.get_ident() != self._thread:
            raise RuntimeError("MainThreadCollector.collect called outside the GUI thread")
        counts = gc.get_count()
        found = 0
        for generation in (2, 1, 0):  # the oldest due generation includes the younger ones
            if counts[generation] > self._threshold[generation]:
                found = gc.collect(generation)
                break
        return found

    def _on_tick(self) -> None:
        self.collect()
