"""The arrival chime: a short two-tone "ding-dong" generated here, played off the GUI thread.

No sound file ships with the console: :func:`chime_samples` computes the chime with numpy
(two soft bell tones, E5 then C5, about a second long) at whatever rate the output device
prefers. :class:`SoundDeviceChime` plays it through sounddevice (PortAudio) in a short-lived
worker thread, so opening the device never blocks the window. Without an audio device (a
server, CI, a remote desktop without sound) it logs once and stays silent.
"""

from __future__ import annotations

import logging
import threading
from functools import cache

import numpy as np
import numpy.typing as npt

from advisor_app.client.media.portaudio import PORTAUDIO

log = logging.getLogger(__name__)

DEFAULT_RATE = 48_000
#: The two tones (Hz) and when each starts (s): the classic doorbell, E5 then C5.
_TONES = ((659.25, 0.0), (523.25, 0.32))
_TONE_S = 0.75
_PEAK = 0.35  # well below full scale: a hint, not an alarm


def _bell(freq: float, rate: int) -> npt.NDArray[np.float64]:
    """One soft bell tone: the fundamental plus two quiet partials, decaying exponentially."""
    t = np.arange(int(_TONE_S * rate)) / rate
    partials = (
        np.sin(2 * np.pi * freq * t)
        + 0.30 * np.sin(2 * np.pi * 2 * freq * t) * np.exp(-t * 4.0)
        + 0.12 * np.sin(2 * np.pi * 3 * freq * t) * np.exp(-t * 7.0)
    )
    envelope = np.exp(-t * 4.5)
    attack = min(len(t), int(0.006 * rate))  # 6 ms fade-in: no click at the start
    envelope[:attack] *= np.linspace(0.0, 1.0, attack)
    result: npt.NDArray[np.float64] = partials * envelope
    return result


@cache
def chime_samples(rate: int = DEFAULT_RATE) -> npt.NDArray[np.float32]:
    """The chime as mono float32 samples in [-1, 1] at ``rate`` Hz (cached, read-only)."""
    last_start = max(start for _freq, start in _TONES)
    total = np.zeros(int((last_start + _TONE_S) * rate))
    for freq, start in _TONES:
        tone = _bell(freq, rate)
        offset = int(start * rate)
        total[offset : offset + len(tone)] += tone
    fade = int(0.03 * rate)  # the tail fades to exact silence
    total[-fade:] *= np.linspace(1.0, 0.0, fade)
    total *= _PEAK / np.max(np.abs(total))
    samples = total.astype(np.float32)
    samples.flags.writeable = False
    return samples


class ChimePlayer:
    """Plays the arrival chime; this base class is silent (the console's tests use it)."""

    def play(self) -> None:
        """Start the chime and return at once."""


class SoundDeviceChime(ChimePlayer):
    """The chime through the default (or a named) output device, in a worker thread.

    A chime that is still playing is not started a second time. Failures (no PortAudio, no
    device, a device that refuses the format) are logged once at warning level, later ones
    only at debug level, and never reach the caller.
    """

    def __init__(self, device: int | str | None = None) -> None:
        self._device = device
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._warned = False

    def play(self) -> None:
        if not self._lock.acquire(blocking=False):
            return  # the previous chime is still sounding
        thread = threading.Thread(target=self._play, name="arrival-chime", daemon=True)
        self._thread = thread
        try:
            thread.start()
        except RuntimeError as exc:  # no more threads (shutting down)
            self._lock.release()
            self._failed(exc)

    def wait(self, timeout: float = 5.0) -> None:
        """Wait until the current chime has ended (tests, shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _play(self) -> None:
        try:
            import sounddevice as sd  # PortAudio is loaded on first use, not at start

            with PORTAUDIO:  # PortAudio is not thread-safe: one opener at a time
                info = sd.query_devices(self._device, "output")
                rate = int(info["default_samplerate"]) or DEFAULT_RATE
                stream = sd.OutputStream(
                    samplerate=rate, channels=1, dtype="float32", device=self._device
                )
                stream.start()
            try:
                stream.write(chime_samples(rate).reshape(-1, 1))
            finally:
                with PORTAUDIO:
                    stream.stop()
                    stream.close()
        except Exception as exc:  # a missing sound must never disturb the advisor
            self._failed(exc)
        finally:
            self._lock.release()

    def _failed(self, exc: BaseException) -> None:
        if self._warned:
            log.debug("arrival chime not played: %s", exc)
            return
        self._warned = True
        log.warning("arrival chime not played (no usable audio output): %s", exc)
