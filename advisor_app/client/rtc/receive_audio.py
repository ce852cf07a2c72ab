"""Concealment of lost audio packets in what the console plays.

aiortc decodes each received Opus packet on its own; a lost packet leaves a hole in the
frames' timestamps, which the speaker turns into a click of silence (and, with a jitter buffer
that runs dry, into a gap). Opus's in-band FEC cannot be used here: PyAV decodes through
FFmpeg, which offers no "decode the previous frame from this packet's FEC data" call. What
:class:`AudioConcealer` does instead is the classic waveform substitution: for each missing
20-ms frame (up to :data:`MAX_CONCEALED` in a row) it repeats the last good frame, fading
by :data:`FADE` per frame, so a single loss is heard as a slightly longer syllable instead of
a click, and a long loss fades out instead of stopping dead. The first good frame after a loss
is faded in over its first few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import av
import numpy as np

#: At most this many lost frames in a row are filled (100 ms at 20 ms a frame).
MAX_CONCEALED = 5
#: The gain of each further concealment frame relative to the one before.
FADE = 0.6
#: Samples (per channel) over which the first good frame after a loss is faded in.
FADE_IN = 96


@dataclass
class AudioConcealer:
    """Feed every decoded frame to :meth:`frames`; it returns the frames to play."""

    concealed: int = 0
    _last: Any = None  # the last good av.AudioFrame
    _next_pts: int | None = None

    def frames(self, frame: Any) -> list[Any]:
        out: list[Any] = []
        last, expected = self._last, self._next_pts
        samples = int(frame.samples)
        if last is not None and expected is not None and frame.pts is not None:
            missing = (int(frame.pts) - expected) // max(1, int(last.samples))
            if missing > 0:
                for i in range(min(missing, MAX_CONCEALED)):
                    out.append(self._repeat(last, FADE ** (i + 1), expected + i * last.samples))
                self.concealed += min(missing, MAX_CONCEALED)
                frame = _faded_in(frame)
        out.append(frame)
        self._last = frame
        if frame.pts is not None:
            self._next_pts = int(frame.pts) + samples
        return out

    @staticmethod
    def _repeat(frame: Any, gain: float, pts: int) -> Any:
        data = frame.to_ndarray()
        faded = (data.astype(np.float32) * gain).astype(data.dtype)
        copy = av.AudioFrame.from_ndarray(faded, format=frame.format.name, layout=frame.layout.name)
        copy.sample_rate = frame.sample_rate
        copy.pts = pts
        copy.time_base = frame.time_base
        return copy


def _faded_in(frame: Any) -> Any:
    data = frame.to_ndarray()
    if data.dtype != np.int16 or data.shape[-1] == 0:
        return frame
    channels = len(frame.layout.channels)
    ramp = np.linspace(0.0, 1.0, FADE_IN, dtype=np.float32)
    flat = data.reshape(-1).astype(np.float32)  # s16 packed: samples interleaved
    count = min(FADE_IN * channels, flat.size)
    flat[:count] *= np.repeat(ramp, channels)[:count]
    out = av.AudioFrame.from_ndarray(
        flat.astype(np.int16).reshape(data.shape),
        format=frame.format.name,
        layout=frame.layout.name,
    )
    out.sample_rate = frame.sample_rate
    out.pts = frame.pts
    out.time_base = frame.time_base
    return out
