"""One timeline for every local video track: pts are 90 kHz ticks since this module loaded.

A sender's source is switched during a call (the camera off and on again, another camera, the
shared screen paused for the ID check). Its timestamps must keep increasing across the switch:
libvpx refuses a frame whose pts is not after the previous one ("Invalid data found when
processing input"), and aiortc's sender then stops for good (aiortc 1.16, PyAV 14). Tracks
that each counted from their own first frame started again at 0; on this shared timeline a
new track simply continues where real time is.
"""

from __future__ import annotations

import fractions
import time

VIDEO_CLOCK_RATE = 90_000
TIME_BASE = fractions.Fraction(1, VIDEO_CLOCK_RATE)
_EPOCH = time.monotonic()


def video_pts(at: float) -> int:
    """The pts of a picture taken at ``at`` (``time.monotonic()``), in 90 kHz ticks."""
    return round((at - _EPOCH) * VIDEO_CLOCK_RATE)
