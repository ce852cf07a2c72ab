"""The advisor's camera: OpenCV in its own capture thread, newest frame only, as an aiortc track.

:class:`CameraCapture` opens an OpenCV ``VideoCapture`` in a daemon thread, asks for 1280×720
at 30 fps (MJPG, which most USB cameras need for that size) and takes what the device gives
when it cannot. It keeps only the newest frame (BGR for the own preview, I420 for the
encoder) and says through a callback when the camera is missing, busy or lost. A video file
works as a camera (tests, demonstrations): it plays at its own rate, and its end counts as a
lost camera.

:class:`CameraTrack` hands each new frame to aiortc once, as ``yuv420p`` (aiortc's VP8 and
H.264 encoders want exactly that; OpenCV converts in the capture thread about twice as fast
as swscale would in the encoder). It waits on an asyncio event the capture thread sets, so the
event loop never blocks.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt
from aiortc import VideoStreamTrack
from aiortc.mediastreams import MediaStreamError

from advisor_app.client.media.clock import TIME_BASE, video_pts
from advisor_app.client.media.devices import list_cameras
from advisor_app.client.media.problems import (
    CAMERA_BUSY,
    CAMERA_LOST,
    CAMERA_NO_ACCESS,
    CAMERA_NOT_FOUND,
    MediaUnavailable,
    Problem,
    ProblemCallback,
)

log = logging.getLogger(__name__)

#: A device that fails this many reads in a row is gone (one failure can be a hiccup).
_LOST_AFTER_FAILED_READS = 5
#: After the camera is lost the track sends a plain dark picture this often (per second).
_PLACEHOLDER_FPS = 5

Image = npt.NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class Frame:
    """One captured picture: ``seq`` counts from 1, ``at`` is ``time.monotonic()``."""

    seq: int
    at: float
    bgr: Image
    i420: Image


def _source(device: str) -> tuple[int | str, bool] | None:
    """(what OpenCV opens, is it a file); ``None`` when there is no such device."""
    if device.isdigit():
        return int(device), False
    path = Path(device)
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISCHR(mode):
        return str(path), False
    if stat.S_ISREG(mode):
        return str(path), True
    return None


class CameraCapture:
    """One camera (or video file) read in a daemon thread; only the newest frame is kept.

    ``on_frame`` and ``on_problem`` are called in the capture thread. ``opened`` resolves
    to ``None`` once the first frame is there, or to the :class:`Problem` that stopped it.
    """

    def __init__(
        self,
        device: str,
        *,
        width: int = 1280,
        height: int = 720,
        fps: float = 30.0,
        on_frame: Callable[[], None] | None = None,
        on_problem: Callable[[Problem], None] | None = None,
    ) -> None:
        self.device = device
        self.requested = (width, height, fps)
        self.width = 0
        self.height = 0
        self.fps = fps
        self.is_file = False
        self.opened: concurrent.futures.Future[Problem | None] = concurrent.futures.Future()
        self.on_frame = on_frame
        self._on_problem = on_problem
        self._newest: Frame | None = None
        self._lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"camera {device}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    @property
    def newest(self) -> Frame | None:
        return self._newest

    @property
    def lost(self) -> bool:
        """The camera was lost (or never opened): no new frames will come."""
        return self._lost

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        """Ask the thread to end; it releases the device as it leaves (does not wait)."""
        self._stop.set()

    def close(self, timeout: float = 5.0) -> bool:
        """Stop, wait for the thread and so for the device's release; False on timeout."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    # --- the capture thread -------------------------------------------------------------

    def _run(self) -> None:
        capture: Any = None
        try:
            capture, problem = self._open()
            if problem is not None:
                self._lost = True
                self._resolve(problem)
                return
            if not self._resolve(None):
                return  # the opener gave up waiting: nobody owns the camera, release it
            self._loop(capture)
        except Exception:  # OpenCV raised: the camera is as good as lost
            log.exception("camera %s failed", self.device)
            self._lost = True
            if not self.opened.done():
                self.opened.set_result(CAMERA_BUSY)
            else:
                self._report(CAMERA_LOST)
        finally:
            if capture is not None:
                capture.release()

    def _resolve(self, value: Problem | None) -> bool:
        """Answer the opener; False when it stopped waiting (``opened`` was cancelled)."""
        try:
            self.opened.set_result(value)
        except concurrent.futures.InvalidStateError:
            return False
        return True

    def _open(self) -> tuple[Any, Problem | None]:
        import cv2

        source = _source(self.device)
        if source is None:
            return None, CAMERA_NOT_FOUND
        target, self.is_file = source
        if self.is_file:
            api = cv2.CAP_FFMPEG
        elif isinstance(target, str):
            api = cv2.CAP_V4L2  # a /dev/video node
        else:
            api = cv2.CAP_ANY  # an index: the platform's own backend
        capture = cv2.VideoCapture(target, api)
        if not capture.isOpened():
            capture.release()
            if isinstance(target, str) and not os.access(target, os.R_OK | os.W_OK):
                return None, CAMERA_NO_ACCESS
            return None, CAMERA_BUSY
        ok, image = False, None
        if not self.is_file:
            width, height, fps = self.requested
            capture.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
            capture.set(cv2.CAP_PROP_FPS, fps)
        ok, image = capture.read()
        if not ok and not self.is_file:
            # Some cameras refuse MJPG or the size: take the device's own format instead.
            log.info("camera %s gives no picture at 1280x720 MJPG; using its default", target)
            capture.release()
            capture = cv2.VideoCapture(target, api)
            ok, image = capture.read() if capture.isOpened() else (False, None)
        if not ok or image is None:
            capture.release()
            return None, CAMERA_BUSY
        reported = float(capture.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = reported if 1.0 <= reported <= 120.0 else self.requested[2]
        self.height, self.width = (n // 2 * 2 for n in image.shape[:2])
        log.info("camera %s: %dx%d at %.1f fps", self.device, self.width, self.height, self.fps)
        self._store(image)
        return capture, None

    def _loop(self, capture: Any) -> None:
        started = time.monotonic()
        count = 1
        failures = 0
        while not self._stop.is_set():
            if self.is_file:  # a file reads as fast as it decodes: play it at its own rate
                delay = started + count / self.fps - time.monotonic()
                if delay > 0 and self._stop.wait(delay):
                    break
            ok, image = capture.read()
            if ok and image is not None:
                failures = 0
                count += 1
                self._store(image)
                continue
            failures += 1
            if self.is_file or failures >= _LOST_AFTER_FAILED_READS:
                break
            self._stop.wait(0.05)
        if not self._stop.is_set():
            self._lost = True
            log.warning("camera %s lost after %d frames", self.device, count)
            self._report(CAMERA_LOST)

    def _store(self, image: npt.NDArray[Any]) -> None:
        import cv2

        if image.shape[0] % 2 or image.shape[1] % 2:  # I420 needs even sizes
            image = image[: image.shape[0] // 2 * 2, : image.shape[1] // 2 * 2]
        bgr = np.ascontiguousarray(image, dtype=np.uint8)
        i420 = np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2YUV_I420), dtype=np.uint8)
        bgr.flags.writeable = False
        seq = self._newest.seq + 1 if self._newest is not None else 1
        self._newest = Frame(seq, time.monotonic(), bgr, i420)
        if self.on_frame is not None:
            self.on_frame()

    def _report(self, problem: Problem) -> None:
        if self._on_problem is not None:
            self._on_problem(problem)


class CameraTrack(VideoStreamTrack):
    """The camera as an aiortc video track: each captured frame once, newest first.

    After the camera is lost the track keeps going with a plain dark picture at a low rate,
    so the call (and its video sender) continues; ``RTCRtpSender.replaceTrack`` swaps in
    another camera.
    """

    def __init__(self, capture: CameraCapture, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.capture = capture
        capture.on_frame = self.notify
        self._event_loop = loop  # not ``_loop``: pyee's emitter (aiortc's base) owns that
        self._event = asyncio.Event()
        self._last_seq = 0
        self._last_pts = -1
        self._placeholder: Image | None = None

    def notify(self) -> None:
        """A new frame is there (called from the capture thread)."""
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
            self._event_loop.call_soon_threadsafe(self._event.set)

    def latest_bgr(self) -> Image | None:
        """The newest picture (read-only BGR), for the advisor's own preview."""
        frame = self.capture.newest
        return None if frame is None else frame.bgr

    @property
    def size(self) -> tuple[int, int]:
        return self.capture.width, self.capture.height

    async def recv(self) -> av.VideoFrame:
        while True:
            if self.readyState != "live":
                raise MediaStreamError
            frame = self.capture.newest
            if frame is not None and frame.seq != self._last_seq:
                return self._video_frame(frame)
            if self.capture.lost:
                return await self._placeholder_frame()
            self._event.clear()
            frame = self.capture.newest
            if frame is None or frame.seq == self._last_seq:
                await self._event.wait()

    def _pts(self, at: float) -> int:
        pts = max(video_pts(at), self._last_pts + 1)  # the shared timeline (media/clock.py)
        self._last_pts = pts
        return pts

    def _video_frame(self, frame: Frame) -> av.VideoFrame:
        self._last_seq = frame.seq
        video = av.VideoFrame.from_ndarray(frame.i420, format="yuv420p")
        video.pts = self._pts(frame.at)
        video.time_base = TIME_BASE
        return video

    async def _placeholder_frame(self) -> av.VideoFrame:
        await asyncio.sleep(1 / _PLACEHOLDER_FPS)
        if self.readyState != "live":
            raise MediaStreamError
        if self._placeholder is None:
            width, height = self.size if self.capture.width else (640, 360)
            i420 = np.full((height * 3 // 2, width), 128, dtype=np.uint8)
            i420[:height] = 32  # dark grey: "no picture", not a broken screen
            self._placeholder = i420
        video = av.VideoFrame.from_ndarray(self._placeholder, format="yuv420p")
        video.pts = self._pts(time.monotonic())
        video.time_base = TIME_BASE
        return video

    def stop(self) -> None:
        super().stop()
        self.capture.stop()

    async def close(self) -> None:
        """Stop the track and wait until the capture thread has released the camera."""
        self.stop()
        await asyncio.to_thread(self.capture.close)


async def open_camera(
    device: str | None,
    on_problem: ProblemCallback,
    *,
    width: int = 1280,
    height: int = 720,
    fps: float = 30.0,
    open_timeout: float = 10.0,
) -> CameraTrack:
    """Open a camera (``None``: the first one; a video file path works too).

    Returns once the first frame is there. Raises :class:`MediaUnavailable` (German message)
    for a missing, busy or refused camera. ``on_problem(code)`` later reports,
    on the loop, a camera lost during the call.
    """
    loop = asyncio.get_running_loop()
    if device is None:
        cameras = await asyncio.to_thread(list_cameras)
        if not cameras:
            raise MediaUnavailable(CAMERA_NOT_FOUND)
        device = cameras[0].id

    def problem(found: Problem) -> None:
        with contextlib.suppress(RuntimeError):  # the loop has closed
            loop.call_soon_threadsafe(on_problem, found.code)

    capture = CameraCapture(device, width=width, height=height, fps=fps, on_problem=problem)
    track = CameraTrack(capture, loop)
    capture.start()
    try:
        failed = await asyncio.wait_for(asyncio.wrap_future(capture.opened), open_timeout)
    except TimeoutError:
        capture.stop()  # the thread releases the device whenever the driver lets it go
        raise MediaUnavailable(CAMERA_BUSY) from None
    except asyncio.CancelledError:
        capture.stop()  # nobody wants it any more
        raise
    if failed is not None:
        await asyncio.to_thread(capture.close)
        raise MediaUnavailable(failed)
    return track
