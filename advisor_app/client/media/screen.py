"""The advisor's screen as a video track: ``mss`` in its own capture thread, newest frame only.

:func:`list_monitors` names every monitor (``mss`` numbers them from 1; 0 is all of them
together, which we do not offer), :func:`preview` takes one small picture of a monitor for the
picker, and :func:`open_screen` starts a :class:`ScreenCapture` and returns its
:class:`ScreenTrack`.

What is sent (recorded in ``docs/decisions.md``): at most 1280×720, the monitor's own aspect
kept (1920×1080 → 1280×720, 2560×1600 → 1152×720), downscaled with ``INTER_AREA`` (area
averaging weighs every screen pixel, so no one-pixel stroke of 11–13 pt body text vanishes;
nearest-neighbour drops every third column at 1.5:1, bilinear varies their darkness more),
at :data:`SHARE_FPS` frames per second. A screen changes little from frame to frame, so the
few frames a second leave the encoder many bits for each: text stays sharp, the frame rate
gives way first. ``mss`` captures rectangles of the desktop, and a window's rectangle shows
whatever lies on top of it, so single windows are captured differently: ``window.py`` (X11
Composite), which feeds the same :class:`ScreenTrack` through the :class:`Capture` interface.

Losing the monitor (unplugged, switched off, the desktop resized) is noticed by a failing
grab or by the monitor missing from a fresh list (checked every two seconds); it is reported
once through ``on_lost`` on the event loop, and the track stops delivering frames.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import av
import cv2
import numpy as np
import numpy.typing as npt
from aiortc import VideoStreamTrack
from aiortc.mediastreams import MediaStreamError

from advisor_app.client.media.clock import TIME_BASE, video_pts
from advisor_app.client.media.problems import (
    SCREEN_LOST,
    SCREEN_NOT_FOUND,
    SCREEN_UNAVAILABLE,
    MediaUnavailable,
    Problem,
    ProblemCallback,
)

log = logging.getLogger(__name__)

#: Frames per second sent of a shared screen (5 to 15 keep text readable at a low rate).
SHARE_FPS = 10
#: The largest picture sent; a monitor's aspect is kept inside it.
MAX_WIDTH, MAX_HEIGHT = 1280, 720
#: How often the capture thread checks that its monitor still exists.
_CHECK_EVERY_S = 2.0

Image = npt.NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class Monitor:
    """One monitor as ``mss`` sees it (``index`` counts from 1)."""

    index: int
    left: int
    top: int
    width: int
    height: int

    @property
    def region(self) -> dict[str, int]:
        return {"left": self.left, "top": self.top, "width": self.width, "height": self.height}

    def same_place(self, other: Monitor) -> bool:
        return self.region == other.region


def _mss() -> Any:
    import mss  # here, so that a console without a display still starts

    factory = getattr(mss, "MSS", None) or mss.mss  # mss 10 renamed the entry point
    return factory()


def list_monitors() -> list[Monitor]:
    """Every monitor of the desktop; raises :class:`MediaUnavailable` without a display."""
    try:
        with _mss() as sct:
            found = list(sct.monitors[1:])
    except Exception as exc:  # mss raises ScreenShotError, ctypes OSError, X11 no display
        log.warning("no screen to capture: %s", exc)
        raise MediaUnavailable(SCREEN_UNAVAILABLE) from exc
    return [
        Monitor(i, int(m["left"]), int(m["top"]), int(m["width"]), int(m["height"]))
        for i, m in enumerate(found, start=1)
    ]


def send_size(width: int, height: int) -> tuple[int, int]:
    """The picture size sent for a ``width`` × ``height`` monitor (even numbers, aspect kept)."""
    scale = min(1.0, MAX_WIDTH / width, MAX_HEIGHT / height)
    return max(2, int(width * scale) & ~1), max(2, int(height * scale) & ~1)


def _bgra(shot: Any) -> Image:
    return np.frombuffer(shot.bgra, dtype=np.uint8).reshape(shot.height, shot.width, 4)


def preview(monitor: Monitor, width: int = 256) -> Image:
    """A small BGR picture of ``monitor`` for the picker."""
    try:
        with _mss() as sct:
            shot = sct.grab(monitor.region)
    except Exception as exc:
        raise MediaUnavailable(SCREEN_NOT_FOUND) from exc
    height = max(2, round(width * monitor.height / monitor.width))
    small = cv2.resize(_bgra(shot), (width, height), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(cv2.cvtColor(small, cv2.COLOR_BGRA2BGR))


@dataclass(frozen=True, slots=True)
class ScreenFrame:
    seq: int
    at: float  # time.monotonic() of the grab
    i420: Image  # what the encoder gets


class Capture(Protocol):
    """What :class:`ScreenTrack` reads: a capture thread's newest frame, and whether it lost
    its source (a monitor's :class:`ScreenCapture`, a window's ``WindowCapture``)."""

    newest: ScreenFrame | None
    lost: bool
    on_frame: Callable[[], None]
    #: Resolves once the first frame is grabbed (None) or the source cannot be (its problem).
    opened: concurrent.futures.Future[Problem | None]

    def start(self) -> None: ...

    def stop(self) -> None: ...


class CaptureThread:
    """What a screen's and a window's capture share: a daemon thread that grabs ``fps``
    times a second, keeps only the newest frame and reports the first grab or the problem
    (see :class:`Capture`). Subclasses grab in :meth:`_run` and hand each frame to
    :meth:`_publish`, a problem to :meth:`_fail`."""

    def __init__(
        self,
        size: tuple[int, int],
        fps: int,
        on_problem: Callable[[Problem], None],
        thread_name: str,
    ) -> None:
        self.fps = fps
        self.size = size
        self.on_problem = on_problem
        self.on_frame: Callable[[], None] = lambda: None
        self.newest: ScreenFrame | None = None
        self.lost = False
        #: Resolves with None once the first frame is there, or with the problem.
        self.opened: concurrent.futures.Future[Problem | None] = concurrent.futures.Future()
        self.grab_ms = 0.0  # the last grab and conversion, for the benchmark
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=thread_name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=2)

    def _run(self) -> None:
        raise NotImplementedError

    def _publish(self, seq: int, started: float, i420: Image) -> None:
        """The newest frame (grabbed at ``started``, monotonic) replaces the last one."""
        self.newest = ScreenFrame(seq, started, i420)
        self.grab_ms = (time.monotonic() - started) * 1000
        if not self.opened.done():
            self.opened.set_result(None)
        self.on_frame()

    def _fail(self, problem: Problem) -> None:
        if self.opened.done():
            if not self.lost:
                self.lost = True
                self.on_problem(problem)
                self.on_frame()  # wake the track so that it notices
        else:
            self.lost = True
            self.opened.set_result(problem)


class ScreenCapture(CaptureThread):
    """Grabs one monitor :data:`SHARE_FPS` times a second in a daemon thread."""

    def __init__(
        self,
        monitor: Monitor,
        *,
        fps: int = SHARE_FPS,
        on_problem: Callable[[Problem], None] = lambda _p: None,
    ) -> None:
        super().__init__(
            send_size(monitor.width, monitor.height), fps, on_problem, "screen-capture"
        )
        self.monitor = monitor

    def _run(self) -> None:
        try:
            with _mss() as sct:
                self._loop(sct)
        except Exception as exc:  # no display at all, or mss failing to start
            log.warning("screen capture failed: %s", exc)
            self._fail(SCREEN_UNAVAILABLE)

    def _loop(self, sct: Any) -> None:
        period = 1.0 / self.fps
        checked = time.monotonic()
        seq = 0
        due = time.monotonic()
        while not self._stop.is_set():
            started = time.monotonic()
            if started - checked >= _CHECK_EVERY_S:
                checked = started
                if not self._still_there():
                    self._fail(SCREEN_LOST)
                    return
            try:
                shot = sct.grab(self.monitor.region)
            except Exception as exc:  # the region left the desktop: unplugged, resized
                log.info("screen grab failed: %s", exc)
                self._fail(SCREEN_LOST if self.opened.done() else SCREEN_NOT_FOUND)
                return
            small = cv2.resize(_bgra(shot), self.size, interpolation=cv2.INTER_AREA)
            i420: Image = np.asarray(cv2.cvtColor(small, cv2.COLOR_BGRA2YUV_I420), dtype=np.uint8)
            seq += 1
            self._publish(seq, started, i420)
            due = max(due + period, time.monotonic())
            self._stop.wait(due - time.monotonic())

    def _still_there(self) -> bool:
        try:
            return any(self.monitor.same_place(m) for m in list_monitors())
        except MediaUnavailable:
            return False


class ScreenTrack(VideoStreamTrack):
    """The shared screen or window as an aiortc video track: each grabbed frame once, newest
    first."""

    def __init__(self, capture: Capture, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.capture = capture
        capture.on_frame = self.notify
        self._event_loop = loop  # not ``_loop``: pyee's emitter (aiortc's base) owns that
        self._event = asyncio.Event()
        self._last_seq = 0
        self._last_pts = -1

    def notify(self) -> None:
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
            self._event_loop.call_soon_threadsafe(self._event.set)

    def latest_bgr(self) -> Image | None:
        """The newest picture sent, as BGR (for the console's own "you share" preview)."""
        frame = self.capture.newest
        if frame is None:
            return None
        return np.asarray(cv2.cvtColor(frame.i420, cv2.COLOR_YUV2BGR_I420), dtype=np.uint8)

    async def recv(self) -> av.VideoFrame:
        while True:
            if self.readyState != "live":
                raise MediaStreamError
            frame = self.capture.newest
            if frame is not None and frame.seq != self._last_seq and not self.capture.lost:
                return self._video_frame(frame)
            self._event.clear()
            frame = self.capture.newest
            if self.capture.lost or frame is None or frame.seq == self._last_seq:
                await self._event.wait()

    def _video_frame(self, frame: ScreenFrame) -> av.VideoFrame:
        self._last_seq = frame.seq
        pts = max(video_pts(frame.at), self._last_pts + 1)  # the shared timeline (clock.py)
        self._last_pts = pts
        video = av.VideoFrame.from_ndarray(frame.i420, format="yuv420p")
        video.pts = pts
        video.time_base = TIME_BASE
        return video

    def stop(self) -> None:
        super().stop()
        self.capture.stop()
        self._event.set()


async def open_screen(
    monitor: Monitor,
    on_problem: ProblemCallback,
    *,
    fps: int = SHARE_FPS,
    open_timeout: float = 5.0,
) -> ScreenTrack:
    """Start capturing ``monitor``; raises :class:`MediaUnavailable` when it cannot be grabbed.
    A later loss is reported once through ``on_problem(code)`` on the loop."""
    return await start_capture(
        lambda problem: ScreenCapture(monitor, fps=fps, on_problem=problem),
        on_problem,
        unavailable=SCREEN_UNAVAILABLE,
        open_timeout=open_timeout,
    )


async def start_capture(
    make: Callable[[Callable[[Problem], None]], Capture],
    on_problem: ProblemCallback,
    *,
    unavailable: Problem,
    open_timeout: float,
) -> ScreenTrack:
    """Start the capture ``make(problem)`` builds and wait for its first frame; its later
    problems reach ``on_problem`` on this loop. ``unavailable``: when it does not open in time."""
    loop = asyncio.get_running_loop()

    def problem(found: Problem) -> None:
        with contextlib.suppress(RuntimeError):  # the loop has closed
            loop.call_soon_threadsafe(on_problem, found.code)

    capture = make(problem)
    track = ScreenTrack(capture, loop)
    capture.start()
    try:
        failed = await asyncio.wait_for(asyncio.wrap_future(capture.opened), open_timeout)
    except TimeoutError:
        failed = unavailable
    if failed is not None:
        track.stop()
        raise MediaUnavailable(failed)
    return track
