"""The advisor's microphone: a sounddevice input stream as an aiortc audio track.

PortAudio calls :meth:`MicrophoneTrack.feed` from its own thread with 10 ms blocks (48 kHz,
mono, s16). Each block is measured (the level meter shows the raw microphone), passed
through the shared :class:`AudioProcessing` and paired into 20 ms frames for the encoder. At
most 200 ms wait for ``recv()``; older frames are dropped, so nothing grows while nobody reads
(the devices page) and the delay stays short. A microphone that stops delivering (unplugged)
is reported once; the track then sends silence, so the call goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import logging
import math
import threading
import time
from collections import deque
from typing import Any

import av
import numpy as np
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from advisor_app.client.media.devices import resolve_audio_device
from advisor_app.client.media.portaudio import PORTAUDIO
from advisor_app.client.media.problems import (
    AUDIO_SYSTEM_MISSING,
    MICROPHONE_FAILED,
    MICROPHONE_LOST,
    MICROPHONE_NOT_FOUND,
    Device,
    MediaUnavailable,
    Problem,
    ProblemCallback,
)
from advisor_app.client.media.processing import BLOCK, SAMPLE_RATE, AudioProcessing, Samples

log = logging.getLogger(__name__)

FRAME = 2 * BLOCK  # 20 ms, aiortc's packet time
TIME_BASE = fractions.Fraction(1, SAMPLE_RATE)
_MAX_FRAMES = 10  # 200 ms
SILENCE_DBFS = -90.0
#: The level meter falls this much per 10 ms block (30 dB/s), as meters do.
_LEVEL_FALL_DB = 0.3
#: A stream whose callback has not run for this long has lost its device.
STALL_S = 3.0
#: ... except right after the start, which takes a moment on PulseAudio.
START_GRACE_S = 6.0


def dbfs(block: Samples) -> float:
    """RMS level of s16 samples in dBFS (−90 for silence)."""
    if len(block) == 0:
        return SILENCE_DBFS
    rms = math.sqrt(float(np.mean(np.square(block, dtype=np.float64)))) / 32768
    return max(SILENCE_DBFS, 20 * math.log10(rms)) if rms > 0 else SILENCE_DBFS


class StreamWatch:
    """Notices a PortAudio stream that died or stalled and reports it once, on the loop."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        problem: Problem,
        on_problem: ProblemCallback,
        on_lost: Any,
    ) -> None:
        self._loop = loop
        self._problem = problem
        self._on_problem = on_problem
        self._on_lost = on_lost
        self.started = time.monotonic()
        self.last_callback = 0.0
        self.closing = False
        self.lost = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = self._loop.create_task(self._watch(), name=f"watch {self._problem.device}")

    def tick(self) -> None:
        """The stream's callback ran (PortAudio thread)."""
        self.last_callback = time.monotonic()

    def finished(self) -> None:
        """PortAudio ended the stream (its thread): fine when we closed it, lost otherwise."""
        if not self.closing:
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._lose)

    async def _watch(self) -> None:
        while not self.closing and not self.lost:
            await asyncio.sleep(0.5)
            now = time.monotonic()
            quiet = now - (self.last_callback or self.started)
            if quiet > (STALL_S if self.last_callback else START_GRACE_S):
                self._lose()

    def _lose(self) -> None:
        if self.lost or self.closing:
            return
        self.lost = True
        log.warning("%s lost", self._problem.device)
        self._on_lost()
        self._on_problem(self._problem.code)

    def close(self) -> None:
        self.closing = True
        if self._task is not None:
            self._task.cancel()


def import_sounddevice(device: Device) -> Any:
    """sounddevice, or :class:`MediaUnavailable` when PortAudio is missing."""
    try:
        import sounddevice as sd
    except OSError as exc:
        log.warning("PortAudio is missing: %s", exc)
        raise MediaUnavailable(Problem(device, AUDIO_SYSTEM_MISSING.code)) from exc
    return sd


class MicrophoneTrack(MediaStreamTrack):
    """The microphone as 20 ms frames: s16, mono, 48 kHz, pts in samples."""

    kind = "audio"

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        processing: AudioProcessing | None,
        on_problem: ProblemCallback,
    ) -> None:
        super().__init__()
        self.processing = processing
        self._event_loop = loop  # not ``_loop``: pyee's emitter (aiortc's base) owns that
        self._buffer_lock = threading.Lock()  # not ``_lock``: pyee's emitter owns that
        self._frames: deque[tuple[int, Samples]] = deque(maxlen=_MAX_FRAMES)
        self._carry = np.zeros(0, dtype=np.int16)
        self._half: Samples | None = None
        self._captured = 0
        self._last_pts = -FRAME
        self._level = SILENCE_DBFS
        self._event = asyncio.Event()
        self._stream: Any = None
        self.watch = StreamWatch(loop, MICROPHONE_LOST, on_problem, self._on_lost)

    # --- what PortAudio's thread calls -------------------------------------------------

    def feed(self, samples: Samples) -> None:
        """Captured mono s16 samples (any count; sliced into 10 ms blocks)."""
        with self._buffer_lock:
            data = np.concatenate((self._carry, samples)) if len(self._carry) else samples
            whole = len(data) // BLOCK * BLOCK
            self._carry = data[whole:].copy()
            ready = False
            for start in range(0, whole, BLOCK):
                ready |= self._block(data[start : start + BLOCK])
        if ready:
            with contextlib.suppress(RuntimeError):
                self._event_loop.call_soon_threadsafe(self._event.set)

    def _block(self, block: Samples) -> bool:
        self._level = max(dbfs(block), self._level - _LEVEL_FALL_DB)
        if self.processing is not None:
            block = self.processing.process_capture(block)
        if self._half is None:
            self._half = block.copy()
            return False
        self._frames.append((self._captured, np.concatenate((self._half, block))))
        self._half = None
        self._captured += FRAME
        return True

    def _callback(self, indata: Any, frames: int, _time: Any, status: Any) -> None:
        self.watch.tick()
        if status:
            log.debug("microphone status: %s", status)
        self.feed(indata[:, 0])

    # --- the track ----------------------------------------------------------------------

    @property
    def level_dbfs(self) -> float:
        """The microphone's level before processing (falls slowly, like a meter)."""
        return self._level

    @property
    def lost(self) -> bool:
        return self.watch.lost

    def set_processing(self, enabled: bool) -> None:
        """Echo cancellation, noise suppression and gain control on or off while running."""
        if self.processing is not None:
            self.processing.set_enabled(enabled)

    async def recv(self) -> av.AudioFrame:
        while True:
            if self.readyState != "live":
                raise MediaStreamError
            with self._buffer_lock:
                item = self._frames.popleft() if self._frames else None
                if item is None:
                    self._event.clear()
            if item is not None:
                return self._frame(*item)
            if self.watch.lost:
                await asyncio.sleep(FRAME / SAMPLE_RATE)
                return self._frame(self._last_pts + FRAME, np.zeros(FRAME, dtype=np.int16))
            with contextlib.suppress(TimeoutError):  # look again: is the device gone?
                await asyncio.wait_for(self._event.wait(), 0.5)

    def _frame(self, pts: int, samples: Samples) -> av.AudioFrame:
        pts = max(pts, self._last_pts + FRAME)
        self._last_pts = pts
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = pts
        frame.time_base = TIME_BASE
        return frame

    def _on_lost(self) -> None:
        self._close_stream()

    def _attach(self, stream: Any) -> bool:
        """Keep the stream just opened (PortAudio's thread); False: already stopped, closed."""
        with self._buffer_lock:
            if self.readyState == "live":
                self._stream = stream
                return True
        with PORTAUDIO:
            stream.abort()
            stream.close()
        return False

    def _close_stream(self) -> None:
        with self._buffer_lock:
            stream, self._stream = self._stream, None
        if stream is not None:
            try:
                with PORTAUDIO:
                    stream.abort()
                    stream.close()
            except Exception as exc:  # an unplugged device may refuse even that
                log.debug("closing the microphone stream: %s", exc)

    def stop(self) -> None:
        """End the track and release the microphone (also one still being opened)."""
        with self._buffer_lock:
            super().stop()
        self.watch.close()
        self._close_stream()


async def open_microphone(
    device: str | None,
    processing: AudioProcessing | None,
    on_problem: ProblemCallback,
) -> MicrophoneTrack:
    """Open a microphone (``None``: the system default) at 48 kHz mono.

    Raises :class:`MediaUnavailable` with a German message when there is none or it refuses.
    ``on_problem(code)`` later reports a microphone lost during the call.
    """
    sd = import_sounddevice(Device.MICROPHONE)
    loop = asyncio.get_running_loop()
    try:
        index = await asyncio.to_thread(resolve_audio_device, sd, device, "input")
    except LookupError as exc:
        raise MediaUnavailable(MICROPHONE_NOT_FOUND) from exc
    track = MicrophoneTrack(loop, processing, on_problem)

    def start() -> bool:
        with PORTAUDIO:
            return _start()

    def _start() -> bool:
        stream = sd.InputStream(
            device=index,
            samplerate=SAMPLE_RATE,
            channels=1,
            dtype="int16",
            blocksize=BLOCK,
            latency="low",
            callback=track._callback,
            finished_callback=track.watch.finished,
        )
        stream.start()
        return track._attach(stream)  # closes it if the track was stopped meanwhile

    try:
        attached = await asyncio.to_thread(start)
    except asyncio.CancelledError:  # nobody wants it: the thread closes what it opens
        track.stop()
        raise
    except Exception as exc:  # PortAudioError, or a device that vanished meanwhile
        log.warning("microphone %r cannot be opened: %s", device, exc)
        raise MediaUnavailable(MICROPHONE_FAILED) from exc
    if not attached:
        raise MediaUnavailable(MICROPHONE_FAILED)
    if processing is not None:
        processing.set_capture_delay(float(track._stream.latency))
    track.watch.start()
    return track
