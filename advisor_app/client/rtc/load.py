"""How busy the console's own computer is, for the call-quality label's reason.

Three readings, none needing a new dependency: how late the event loop woke from a sleep and
how late packets were read from the socket (:mod:`.receive_clock`), the CPU share of the event
loop's thread (``time.thread_time``: Python code runs on that one thread, so 100 % of one core
is saturation even on a PC with eight), and the 1-minute load average per core where the
platform has one (not on Windows).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from advisor_app.core.call_quality import ConsoleLoad


@dataclass
class LoadProbe:
    """Call :meth:`read` from the event loop's thread, every few seconds."""

    _wall: float = field(default_factory=time.monotonic)
    _cpu: float = field(default_factory=time.thread_time)

    def read(self, lag_ms: float | None) -> ConsoleLoad:
        wall, cpu = time.monotonic(), time.thread_time()
        span = wall - self._wall
        cpu_pct = 100.0 * (cpu - self._cpu) / span if span > 0 else None
        self._wall, self._cpu = wall, cpu
        load_per_core = None
        if hasattr(os, "getloadavg"):
            try:
                load_per_core = os.getloadavg()[0] / (os.cpu_count() or 1)
            except OSError:
                load_per_core = None
        return ConsoleLoad(lag_ms=lag_ms, cpu_pct=cpu_pct, load_per_core=load_per_core)
