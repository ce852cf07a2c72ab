"""Echo cancellation, noise suppression and gain control: WebRTC's audio processing module.

:class:`AudioProcessing` wraps ``livekit.rtc.AudioProcessingModule`` (the APM of libwebrtc,
shipped inside the ``livekit`` wheel; it needs no network). The microphone passes every 10 ms
block through :meth:`process_capture`, the speaker passes what it plays through
:meth:`process_render`, so the echo canceller knows what to remove. Both run on PortAudio's
threads; one lock keeps them apart. Switched off, blocks pass unchanged.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

SAMPLE_RATE = 48_000
#: The APM works on blocks of exactly 10 ms.
BLOCK = SAMPLE_RATE // 100

Samples = npt.NDArray[np.int16]


def _new_module() -> Any:
    from livekit import rtc

    return rtc.AudioProcessingModule(
        echo_cancellation=True,
        noise_suppression=True,
        high_pass_filter=True,
        auto_gain_control=True,
    )


class AudioProcessing:
    """The shared APM of one call: thread-safe, switchable while it runs.

    ``enabled`` (default on) switches all four parts together, as the devices page offers it.
    A module is created afresh when processing is switched on again, so no stale echo model
    from before the pause is used.
    """

    def __init__(self, enabled: bool = True) -> None:
        self._lock = threading.Lock()
        self._module: Any = _new_module() if enabled else None
        self._enabled = enabled
        self._render_delay_ms = 0
        self._capture_delay_ms = 0
        self._warned = False

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        """Switch processing on or off (from any thread)."""
        with self._lock:
            if enabled and self._module is None:
                self._module = _new_module()
            elif not enabled:
                self._module = None
            self._enabled = enabled

    def set_render_delay(self, seconds: float) -> None:
        """How long played audio takes from :meth:`process_render` to the loudspeaker."""
        self._render_delay_ms = max(0, round(seconds * 1000))

    def set_capture_delay(self, seconds: float) -> None:
        """How long captured audio takes from the microphone to :meth:`process_capture`."""
        self._capture_delay_ms = max(0, round(seconds * 1000))

    def process_capture(self, block: Samples) -> Samples:
        """One 10 ms mono block from the microphone, processed (or unchanged when off)."""
        with self._lock:
            module = self._module
            if module is None:
                return block
            from livekit import rtc

            frame = rtc.AudioFrame(block.tobytes(), SAMPLE_RATE, 1, BLOCK)
            try:
                module.set_stream_delay_ms(min(500, self._render_delay_ms + self._capture_delay_ms))
                module.process_stream(frame)
            except RuntimeError as exc:  # a refused block passes unprocessed
                self._failed(exc)
                return block
        return np.frombuffer(frame.data, dtype=np.int16).copy()

    def process_render(self, block: Samples) -> None:
        """One 10 ms mono block that is being played: the echo canceller's reference."""
        with self._lock:
            module = self._module
            if module is None:
                return
            from livekit import rtc

            try:
                module.process_reverse_stream(
                    rtc.AudioFrame(block.tobytes(), SAMPLE_RATE, 1, BLOCK)
                )
            except RuntimeError as exc:
                self._failed(exc)

    def _failed(self, exc: RuntimeError) -> None:
        if not self._warned:
            self._warned = True
            log.warning("audio processing refused a block: %s", exc)
