"""The advisor's speaker: received audio tracks, mixed and played with sounddevice.

Each added track is read in its own task (every received track must be read, or aiortc's
queue grows), resampled to 48 kHz mono s16 and kept in a short buffer; PortAudio's output
callback takes 10 ms from each, mixes them, hands the mix to the shared
:class:`AudioProcessing` as the echo canceller's reference and plays it. Without a usable
device the tracks are still read and their audio dropped; the call never sees an exception.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

import av
import numpy as np
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from advisor_app.client.media.devices import resolve_audio_device
from advisor_app.client.media.microphone import StreamWatch, import_sounddevice
from advisor_app.client.media.portaudio import PORTAUDIO
from advisor_app.client.media.problems import (
    SPEAKER_FAILED,
    SPEAKER_LOST,
    SPEAKER_NOT_FOUND,
    Device,
    MediaUnavailable,
    Problem,
    ProblemCallback,
)
from advisor_app.client.media.processing import BLOCK, SAMPLE_RATE, AudioProcessing, Samples

log = logging.getLogger(__name__)

#: Playing starts once a track has this much buffered (absorbs the network's jitter) ...
_PRIME = 4 * BLOCK
#: ... and a track that is this far ahead of the device loses its oldest audio.
_MAX_BUFFERED = 20 * BLOCK


class _Feed:
    """One track's buffered samples (written by its reader task, read by PortAudio)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.buffer = np.zeros(0, dtype=np.int16)
        self.primed = False

    def push(self, samples: Samples) -> None:
        with self.lock:
            self.buffer = np.concatenate((self.buffer, samples))
            if len(self.buffer) > _MAX_BUFFERED:
                self.buffer = self.buffer[-_PRIME:]

    def take(self, count: int) -> Samples | None:
        with self.lock:
            if not self.primed:
                if len(self.buffer) < _PRIME:
                    return None
                self.primed = True
            out, self.buffer = self.buffer[:count], self.buffer[count:]
            if len(out) < count:  # ran dry: wait for a new cushion
                self.primed = False
                out = np.concatenate((out, np.zeros(count - len(out), dtype=np.int16)))
            return out


class SpeakerOutput:
    """Plays received audio tracks on one output device (``None``: the system default).

    Construct it on the event loop; it opens the device in a worker thread. Problems (no
    speaker, refused, unplugged) go to ``on_problem(code)`` on the loop.
    """

    def __init__(
        self,
        device: str | None,
        processing: AudioProcessing | None,
        on_problem: ProblemCallback,
    ) -> None:
        self.device = device
        self.processing = processing
        self._on_problem = on_problem
        self._loop = asyncio.get_running_loop()
        self._feeds: dict[MediaStreamTrack, _Feed] = {}
        self._readers: dict[MediaStreamTrack, asyncio.Task[None]] = {}
        self._feeds_lock = threading.Lock()
        self._stream: Any = None
        self._closed = False
        self.played_blocks = 0
        self.watch = StreamWatch(self._loop, SPEAKER_LOST, on_problem, self._close_stream)
        self.opened: asyncio.Task[Problem | None] = self._loop.create_task(
            self._open(), name="speaker-open"
        )

    # --- device -------------------------------------------------------------------------

    async def _open(self) -> Problem | None:
        try:
            sd = import_sounddevice(Device.SPEAKER)
            index = await asyncio.to_thread(resolve_audio_device, sd, self.device, "output")
        except MediaUnavailable as exc:
            return self._report(exc.problem)
        except LookupError:
            return self._report(SPEAKER_NOT_FOUND)

        def start() -> Any:
            with PORTAUDIO:
                return _start()

        def _start() -> Any:
            stream = sd.OutputStream(
                device=index,
                samplerate=SAMPLE_RATE,
                channels=1,
                dtype="int16",
                blocksize=BLOCK,
                latency="low",
                callback=self._callback,
                finished_callback=self.watch.finished,
            )
            stream.start()
            with self._feeds_lock:  # closed meanwhile: this thread closes what it opened
                if not self._closed:
                    self._stream = stream
                    return stream
            stream.abort()
            stream.close()
            return None

        try:
            stream = await asyncio.to_thread(start)
        except asyncio.CancelledError:
            self.stop()
            raise
        except Exception as exc:
            log.warning("speaker %r cannot be opened: %s", self.device, exc)
            return self._report(SPEAKER_FAILED)
        if stream is None:
            return None
        if self.processing is not None:
            self.processing.set_render_delay(float(stream.latency) + _PRIME / SAMPLE_RATE)
        self.watch.start()
        return None

    def _report(self, problem: Problem) -> Problem:
        self._on_problem(problem.code)
        return problem

    @property
    def playing(self) -> bool:
        """The device is open and playing (silence when no track has audio)."""
        return self._stream is not None

    def _callback(self, outdata: Any, frames: int, _time: Any, status: Any) -> None:
        self.watch.tick()
        with self._feeds_lock:
            feeds = list(self._feeds.values())
        mix = np.zeros(frames, dtype=np.int32)
        for feed in feeds:
            samples = feed.take(frames)
            if samples is not None:
                mix += samples
        block = np.clip(mix, -32768, 32767).astype(np.int16)
        if self.processing is not None:
            for start in range(0, frames - BLOCK + 1, BLOCK):
                self.processing.process_render(block[start : start + BLOCK])
        outdata[:, 0] = block
        self.played_blocks += 1

    def _close_stream(self) -> None:
        with self._feeds_lock:
            stream, self._stream = self._stream, None
        if stream is not None:
            try:
                with PORTAUDIO:
                    stream.abort()
                    stream.close()
            except Exception as exc:
                log.debug("closing the speaker stream: %s", exc)

    # --- tracks -------------------------------------------------------------------------

    def add_track(self, track: MediaStreamTrack) -> None:
        """Play ``track`` (read at once, mixed with the others); ends when the track ends."""
        if self._closed or track in self._readers:
            return
        feed = _Feed()
        with self._feeds_lock:
            self._feeds[track] = feed
        self._readers[track] = self._loop.create_task(
            self._read(track, feed), name=f"speaker-read-{track.id}"
        )

    def remove_track(self, track: MediaStreamTrack) -> None:
        """Stop playing ``track`` (the track itself is not stopped)."""
        task = self._readers.pop(track, None)
        if task is not None:
            task.cancel()
        with self._feeds_lock:
            self._feeds.pop(track, None)

    @property
    def tracks(self) -> list[MediaStreamTrack]:
        return list(self._readers)

    async def _read(self, track: MediaStreamTrack, feed: _Feed) -> None:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        try:
            while True:
                frame = await track.recv()
                if not isinstance(frame, av.AudioFrame):
                    continue
                for out in resampler.resample(frame):
                    if self._stream is not None:  # no device: read, and let it go
                        feed.push(out.to_ndarray().reshape(-1).astype(np.int16, copy=False))
        except MediaStreamError:
            pass  # the track ended
        except Exception:
            log.exception("reading received audio failed")
        finally:
            if self._readers.get(track) is asyncio.current_task():
                del self._readers[track]
                with self._feeds_lock:
                    self._feeds.pop(track, None)

    def stop(self) -> list[asyncio.Task[None]]:
        """Stop reading every track and release the device now; returns the ending readers."""
        with self._feeds_lock:
            self._closed = True
        self.watch.close()
        readers = list(self._readers.values())
        for task in readers:
            task.cancel()
        self._readers.clear()
        with self._feeds_lock:
            self._feeds.clear()
        self._close_stream()  # a device still opening is closed by _open when it arrives
        return readers

    async def close(self) -> None:
        """:meth:`stop`, then wait until the readers and the opening have ended."""
        readers = self.stop()
        await asyncio.gather(*readers, return_exceptions=True)
        if not self.opened.done():
            await asyncio.gather(self.opened, return_exceptions=True)


async def open_speaker(
    device: str | None, processing: AudioProcessing | None, on_problem: ProblemCallback
) -> SpeakerOutput:
    """A :class:`SpeakerOutput` whose device has been opened (or found missing: reported)."""
    speaker = SpeakerOutput(device, processing, on_problem)
    await speaker.opened
    return speaker
