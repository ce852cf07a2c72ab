"""Generated media for calls without devices: a moving test picture and a tone.

The picture can carry its send time as 32 black or white blocks (see :func:`stamp` and
:func:`read_stamp`), so a receiver can measure glass-to-glass latency from the frames alone.
Frames are made in yuv420p, the encoders' own format, so generating them costs little.
"""

from __future__ import annotations

import asyncio
import fractions
import math
import time
from typing import Any

import av
import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from advisor_app.client.media.clock import TIME_BASE, video_pts

VIDEO_CLOCK = 90_000
BLOCK = 24  # pixels per timestamp bit; survives VP8 at call bitrates
BITS = 32
STAMP_ORIGIN = (16, 16)  # (x, y) of the first block


def stamp(y_plane: np.ndarray, value: int) -> None:
    """Write ``value`` (32 bits) as blocks into a luma plane, most significant bit first."""
    x0, y0 = STAMP_ORIGIN
    for bit in range(BITS):
        on = (value >> (BITS - 1 - bit)) & 1
        x = x0 + (bit % 16) * BLOCK
        y = y0 + (bit // 16) * BLOCK
        y_plane[y : y + BLOCK, x : x + BLOCK] = 235 if on else 16


def read_stamp(y_plane: np.ndarray) -> int:
    """Read the 32-bit value back from a decoded luma plane (block centres, threshold 128)."""
    x0, y0 = STAMP_ORIGIN
    value = 0
    half = BLOCK // 2
    for bit in range(BITS):
        x = x0 + (bit % 16) * BLOCK + half
        y = y0 + (bit // 16) * BLOCK + half
        value = (value << 1) | int(y_plane[y - 2 : y + 3, x - 2 : x + 3].mean() > 128)
    return value


def now_ms32() -> int:
    """Wall-clock milliseconds modulo 2**32 (the browser can compute the same)."""
    return int(time.time() * 1000) & 0xFFFFFFFF


class PatternTrack(MediaStreamTrack):
    """A 1280×720 test picture at 30 fps: grey ramp, a moving bar, optionally the send time."""

    kind = "video"

    def __init__(
        self, width: int = 1280, height: int = 720, fps: int = 30, *, timestamps: bool = False
    ) -> None:
        super().__init__()
        self.width, self.height, self.fps = width, height, fps
        self.timestamps = timestamps
        ramp = np.linspace(40, 200, width, dtype=np.uint8)
        self._background = np.tile(ramp, (height, 1))
        self._start: float | None = None
        self._count = 0
        self._last_pts = -1
        self._latest: Any = None

    def latest_frame(self) -> Any:
        """The newest frame sent (the console's own preview shows it)."""
        return self._latest

    async def recv(self) -> Any:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.monotonic()
        due = self._start + self._count / self.fps
        wait = due - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        y = self._background.copy()
        bar = (self._count * 8) % self.width
        y[:, bar : bar + 40] = 230
        if self.timestamps:
            stamp(y, now_ms32())
        yuv = np.empty((self.height * 3 // 2, self.width), dtype=np.uint8)
        yuv[: self.height] = y
        yuv[self.height :] = 128
        frame = av.VideoFrame.from_ndarray(yuv, format="yuv420p")
        # On the console's shared timeline, as its own tracks (a switched sender goes on).
        self._last_pts = max(video_pts(time.monotonic()), self._last_pts + 1)
        frame.pts = self._last_pts
        frame.time_base = TIME_BASE
        self._count += 1
        self._latest = frame
        return frame


class ToneTrack(MediaStreamTrack):
    """A steady 440 Hz tone at −12 dBFS, 48 kHz mono, 20 ms frames."""

    kind = "audio"
    RATE = 48_000
    SAMPLES = 960

    def __init__(self, frequency: float = 440.0) -> None:
        super().__init__()
        self._step = 2 * math.pi * frequency / self.RATE
        self._start: float | None = None
        self._count = 0

    async def recv(self) -> Any:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.monotonic()
        due = self._start + self._count * self.SAMPLES / self.RATE
        wait = due - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        n0 = self._count * self.SAMPLES
        phase = self._step * (n0 + np.arange(self.SAMPLES))
        samples = (0.25 * 32767 * np.sin(phase)).astype(np.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate = self.RATE
        frame.pts = n0
        frame.time_base = fractions.Fraction(1, self.RATE)
        self._count += 1
        return frame
