"""The console's Opus encoder: in-band FEC, tuned to the loss the receiver reports.

aiortc's ``OpusEncoder`` sends 96 kbit/s stereo without forward error correction. This
subclass encodes mono speech (the microphone is mono; a stereo decoder plays mono packets) at
the controller's bitrate with libopus' in-band FEC (``OPUS_SET_INBAND_FEC``, FFmpeg's ``fec``
option) and the expected loss (``OPUS_SET_PACKET_LOSS_PERC``, FFmpeg's ``packet_loss``):
each packet then carries a low-bitrate copy of the one before, which the receiver decodes
when that one is lost (Chromium's NetEq does; the SDP's ``useinbandfec=1`` in Chromium's
answer says it wants it). FFmpeg reads the options only when the encoder opens, so a new
setting (a new loss bracket, rarely) opens a new encoder; the RTP timestamps run on.
"""

from __future__ import annotations

import fractions
from typing import Any

from aiortc.codecs.opus import SAMPLE_RATE, SAMPLES_PER_FRAME, OpusEncoder
from av import AudioFrame, AudioResampler, CodecContext

TIME_BASE = fractions.Fraction(1, SAMPLE_RATE)


class LossAwareOpusEncoder(OpusEncoder):
    """Opus with in-band FEC at ``kbps`` for ``loss_pct`` % expected loss."""

    def __init__(self, kbps: int = 32, loss_pct: int = 5) -> None:
        # The parent's stereo encoder is not used: ours is opened on the first frame.
        self.kbps = kbps
        self.loss_pct = loss_pct
        self.codec: Any = None
        self._opened: tuple[int, int] | None = None
        self.resampler = AudioResampler(
            format="s16", layout="mono", rate=SAMPLE_RATE, frame_size=SAMPLES_PER_FRAME
        )
        self._samples = 0
        self.first_packet_pts = 0

    def set_target(self, kbps: int, loss_pct: int) -> None:
        """Takes effect with the next frame (a new encoder when it differs)."""
        self.kbps = kbps
        self.loss_pct = loss_pct

    def _open(self) -> None:
        codec = CodecContext.create("libopus", "w")
        codec.bit_rate = self.kbps * 1000
        codec.format = "s16"
        codec.layout = "mono"
        codec.sample_rate = SAMPLE_RATE
        codec.time_base = TIME_BASE
        codec.options = {
            "application": "voip",
            "fec": "1",
            "packet_loss": str(max(1, self.loss_pct)),
        }
        self.codec = codec
        self._opened = (self.kbps, self.loss_pct)

    def encode(self, frame: Any, force_keyframe: bool = False) -> tuple[list[bytes], int]:
        assert isinstance(frame, AudioFrame)
        if self.codec is None or self._opened != (self.kbps, self.loss_pct):
            self._open()
        packets = []
        for part in self.resampler.resample(frame):
            part.pts = None  # the encoder counts itself; ours are the RTP timestamps
            packets += self.codec.encode(part)
        if not packets:
            return [], 0
        timestamp = self._samples
        self._samples += SAMPLES_PER_FRAME * len(packets)
        return [bytes(p) for p in packets], timestamp
