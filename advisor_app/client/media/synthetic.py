"""Tracks made here, for when there is no device: a test tone and a moving test pattern.

CI has no camera and no sound card; the tests, the benchmarks and the devices page's test
tone use these. Both are paced in real time with ``asyncio.sleep`` (never blocking the loop)
and carry pts in samples (audio) or on the shared 90 kHz timeline of ``media/clock.py``.
"""

from __future__ import annotations

import asyncio
import fractions
import time
from collections.abc import Callable

import av
import cv2
import numpy as np
import numpy.typing as npt
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from advisor_app.client.media.clock import TIME_BASE, video_pts

SAMPLE_RATE = 48_000

#: Draws into a frame (BGR, writable) before it is sent; gets the frame's pts (90 kHz).
Overlay = Callable[[npt.NDArray[np.uint8], int], None]

_BARS_BGR = [
    (235, 235, 235),
    (16, 235, 235),
    (235, 235, 16),
    (16, 235, 16),
    (235, 16, 235),
    (16, 16, 235),
    (235, 16, 16),
    (16, 16, 16),
]


class _Pacer:
    """Real-time pacing: the n-th item is due ``n * period`` after the first."""

    def __init__(self, period: float) -> None:
        self._period = period
        self._start: float | None = None
        self.count = 0

    async def next(self) -> int:
        if self._start is None:
            self._start = time.monotonic()
        else:
            self.count += 1
            delay = self._start + self.count * self._period - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        return self.count


class ToneTrack(MediaStreamTrack):
    """A sine tone (default 440 Hz at −12 dBFS) in 20 ms frames: s16, mono, 48 kHz.

    With ``duration`` (seconds) the track ends by itself afterwards, fading in and out over
    10 ms so it does not click (the devices page's test tone).
    """

    kind = "audio"

    def __init__(
        self,
        frequency: float = 440.0,
        level_dbfs: float = -12.0,
        *,
        duration: float | None = None,
        frame_ms: int = 20,
    ) -> None:
        super().__init__()
        self.frequency = frequency
        self.amplitude = 32767 * 10 ** (level_dbfs / 20)
        self.samples_per_frame = SAMPLE_RATE * frame_ms // 1000
        self._total = None if duration is None else round(duration * SAMPLE_RATE)
        self._pacer = _Pacer(frame_ms / 1000)

    def samples(self, start: int, count: int) -> npt.NDArray[np.int16]:
        """The tone's samples ``start`` … ``start + count`` (continuous phase)."""
        n = np.arange(start, start + count)
        wave = self.amplitude * np.sin(2 * np.pi * self.frequency * n / SAMPLE_RATE)
        if self._total is not None:
            ramp = SAMPLE_RATE // 100
            wave *= np.clip(np.minimum(n, self._total - n) / ramp, 0.0, 1.0)
        return wave.astype(np.int16)

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        index = await self._pacer.next()
        start = index * self.samples_per_frame
        if self._total is not None and start >= self._total:
            self.stop()
            raise MediaStreamError
        data = self.samples(start, self.samples_per_frame)
        frame = av.AudioFrame.from_ndarray(data.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = start
        frame.time_base = fractions.Fraction(1, SAMPLE_RATE)
        return frame


def _bars(width: int, height: int) -> npt.NDArray[np.uint8]:
    image = np.zeros((height, width, 3), dtype=np.uint8)
    edges = np.linspace(0, width, len(_BARS_BGR) + 1).astype(int)
    for colour, left, right in zip(_BARS_BGR, edges[:-1], edges[1:], strict=True):
        image[:, left:right] = colour
    return image


class TestPatternTrack(MediaStreamTrack):
    """Colour bars that move one bar width every two seconds, with a frame counter.

    1280×720 at 30 fps by default, sent as ``yuv420p``. ``overlay(bgr, pts)`` may draw into
    each frame first (the call benchmark draws a timestamp). ``latest_bgr()`` gives the newest
    frame, like the camera track.
    """

    kind = "video"
    __test__ = False  # not a pytest class, despite its name

    def __init__(
        self,
        width: int = 1280,
        height: int = 720,
        fps: float = 30.0,
        *,
        overlay: Overlay | None = None,
    ) -> None:
        super().__init__()
        self.width = width - width % 2
        self.height = height - height % 2
        self.fps = fps
        self._overlay = overlay
        self._bars = _bars(self.width, self.height)
        self._pacer = _Pacer(1 / fps)
        self._last_pts = -1
        self._latest: npt.NDArray[np.uint8] | None = None

    def render(self, index: int, pts: int) -> npt.NDArray[np.uint8]:
        """Frame ``index`` as BGR: the shifted bars, the counter, then the overlay."""
        shift = round(index * self.width / (len(_BARS_BGR) * 2 * self.fps))
        image = np.roll(self._bars, shift % self.width, axis=1)
        scale = self.height / 360
        cv2.rectangle(
            image, (0, 0), (int(330 * scale), int(60 * scale)), (16, 16, 16), thickness=-1
        )
        cv2.putText(
            image,
            f"{index:06d}",
            (int(12 * scale), int(45 * scale)),
            cv2.FONT_HERSHEY_SIMPLEX,
            1.5 * scale,
            (235, 235, 235),
            max(1, int(3 * scale)),
            cv2.LINE_AA,
        )
        if self._overlay is not None:
            self._overlay(image, pts)
        return image

    def latest_bgr(self) -> npt.NDArray[np.uint8] | None:
        return self._latest

    async def recv(self) -> av.VideoFrame:
        if self.readyState != "live":
            raise MediaStreamError
        index = await self._pacer.next()
        pts = max(video_pts(time.monotonic()), self._last_pts + 1)  # the shared timeline
        self._last_pts = pts
        image = self.render(index, pts)
        image.flags.writeable = False
        self._latest = image
        i420 = np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2YUV_I420), dtype=np.uint8)
        frame = av.VideoFrame.from_ndarray(i420, format="yuv420p")
        frame.pts = pts
        frame.time_base = TIME_BASE
        return frame


#: The paused share's background (BGR) and its pause sign.
PAUSED_BGR = (52, 44, 40)
_PAUSE_SIGN_BGR = (225, 225, 225)


def paused_picture(width: int = 1280, height: int = 720) -> npt.NDArray[np.uint8]:
    """What a paused screen share shows: a dark picture with a pause sign (two bars), no
    text (the page says in its own language what is going on)."""
    image = np.empty((height, width, 3), dtype=np.uint8)
    image[:] = PAUSED_BGR
    bar_w, bar_h = max(2, width // 40), max(4, height // 6)
    cx, cy = width // 2, height // 2
    for left in (cx - 2 * bar_w, cx + bar_w):
        cv2.rectangle(
            image, (left, cy - bar_h // 2), (left + bar_w, cy + bar_h // 2), _PAUSE_SIGN_BGR, -1
        )
    return image


class StillTrack(MediaStreamTrack):
    """One picture, sent again and again at a low rate (a paused screen share).

    Its timestamps are on the shared timeline (``media/clock.py``), so it can take a live
    track's place on a sender and give it back without the timestamps going back.
    """

    kind = "video"

    def __init__(self, image: npt.NDArray[np.uint8], fps: float = 2.0) -> None:
        super().__init__()
        height, width = image.shape[:2]
        even = np.ascontiguousarray(image[: height - height % 2, : width - width % 2])
        self._i420 = np.asarray(cv2.cvtColor(even, cv2.COLOR_BGR2YUV_I420), dtype=np.uint8)
        self.fps = fps
        self._pacer = _Pacer(1 / fps)
        self._last_pts = -1

    async def recv(self) -> av.VideoFrame:
        if self.readyState != "live":
            raise MediaStreamError
        await self._pacer.next()
        self._last_pts = max(video_pts(time.monotonic()), self._last_pts + 1)
        frame = av.VideoFrame.from_ndarray(self._i420, format="yuv420p")
        frame.pts = self._last_pts
        frame.time_base = TIME_BASE
        return frame
