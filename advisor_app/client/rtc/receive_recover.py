"""Recovering from a video packet that never arrives: skip to the next keyframe.

aiortc's video jitter buffer holds 512 packets and hands a frame to the decoder only when
every packet before it is there. A packet that is lost and not retransmitted (the
retransmission lost too, or the sender's history already past it) therefore stops the
picture until 512 more packets have arrived: at the 100–300 kbit/s of a weak mobile link
that is 20 s to a minute of frozen picture for one lost packet. libwebrtc gives such a packet
up after a few retransmission requests, drops what depends on it and asks for a keyframe.

:class:`KeyframeWait` does the same for one receiver: when a packet the buffer needs has been
missing longer than the retransmission requests can take (:func:`stall_limit_s`:
five round trips, at least a second; the receive side checks every 50 ms), everything
buffered is dropped (later frames refer to the lost one), packets are discarded until the
first packet of a keyframe, and a keyframe is requested at once and again every round trip
while waiting (through the receive side's limiter). VP8 only: that is what the console asks
of browsers; with another codec aiortc's behaviour is kept.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from aiortc.codecs.vpx import VpxPayloadDescriptor
from aiortc.jitterbuffer import JitterBuffer, JitterFrame
from aiortc.rtp import RtpPacket
from aiortc.utils import uint16_add, uint16_gt

log = logging.getLogger(__name__)

_BUFFER = "_RTCRtpReceiver__jitter_buffer"
_CODECS = "_RTCRtpReceiver__codecs"
#: A missing packet is given up after this many round trips (the retransmission requests'
#: tries, see :mod:`.receive_nack`) ...
STALL_ROUND_TRIPS = 5
#: ... and never sooner than this.
STALL_MIN_S = 1.0


def stall_limit_s(rtt_s: float) -> float:
    return max(STALL_MIN_S, STALL_ROUND_TRIPS * rtt_s)


def vp8_keyframe_start(payload: bytes) -> bool:
    """The RTP payload is the first packet of a VP8 keyframe (RFC 7741: the descriptor's S bit
    and partition 0, then the frame tag's inverted key-frame bit)."""
    try:
        descriptor, data = VpxPayloadDescriptor.parse(payload)
    except ValueError:
        return False
    return (
        bool(descriptor.partition_start)
        and descriptor.partition_id == 0
        and len(data) > 0
        and data[0] & 1 == 0
    )


class KeyframeWait(JitterBuffer):
    """aiortc's video jitter buffer (same size) that notes since when it waits for a missing
    packet, and can give it up to wait for the next keyframe instead."""

    def __init__(
        self, is_vp8: Callable[[int], bool], clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(capacity=512, is_video=True)
        #: ``is_vp8(payload_type)``: the packet's codec is VP8.
        self._is_vp8 = is_vp8
        self._clock = clock
        self._vp8 = False
        #: The media SSRC of the newest packet (the keyframe request names it).
        self.ssrc: int | None = None
        #: Discarding packets until a keyframe's first one.
        self.waiting = False
        #: Since when a packet before the newest one is missing (None: nothing missing).
        self.blocked_since: float | None = None
        self._newest: int | None = None
        self.gave_up = 0
        self.discarded = 0

    def gap(self) -> bool:
        """A packet between the oldest buffered and the newest received one is missing."""
        if self._origin is None or self._newest is None:
            return False
        span = uint16_add(self._newest, -self._origin)
        if span >= self.capacity:
            return False
        return any(
            self._packets[uint16_add(self._origin, i) % self.capacity] is None
            for i in range(span + 1)
        )

    def blocked_for(self) -> float:
        """How long the buffer has been waiting for a missing packet (0: it is not); asked
        by the receive side every 50 ms."""
        if not self.gap():
            self.blocked_since = None
            return 0.0
        now = self._clock()
        if self.blocked_since is None:
            self.blocked_since = now
        return now - self.blocked_since

    def give_up(self) -> bool:
        """Stop waiting for the missing packets: drop what is buffered and wait for a
        keyframe. False where the stream is not VP8 (nothing is changed then)."""
        if self.waiting:
            return True
        if not self._vp8:
            return False
        self.discarded += sum(p is not None for p in self._packets)
        self._packets = [None] * self.capacity
        self._origin = None
        self._newest = None
        self.blocked_since = None
        self.waiting = True
        self.gave_up += 1
        return True

    def add(self, packet: RtpPacket) -> tuple[bool, JitterFrame | None]:
        self._vp8 = self._is_vp8(packet.payload_type)
        self.ssrc = packet.ssrc
        if self.waiting:
            if not (self._vp8 and vp8_keyframe_start(packet.payload)):
                self.discarded += 1
                return False, None
            self.waiting = False  # the keyframe's first packet starts the buffer anew
        result = super().add(packet)
        seq = packet.sequence_number
        if self._newest is None or uint16_gt(seq, self._newest):
            self._newest = seq
        return result


def install(receiver: Any) -> KeyframeWait | None:
    """Give ``receiver`` (an aiortc video receiver before its first packet) the recovering
    buffer; None where it already buffers packets or has no video buffer."""
    current = getattr(receiver, _BUFFER, None)
    if not isinstance(current, JitterBuffer) or current.capacity != 512:
        return None
    if isinstance(current, KeyframeWait):
        return current
    if current._origin is not None:
        log.info("video already buffered: keyframe recovery not installed")
        return None

    def is_vp8(payload_type: int) -> bool:
        codec = getattr(receiver, _CODECS, {}).get(payload_type)
        return codec is not None and codec.name.upper() == "VP8"

    buffer = KeyframeWait(is_vp8)
    setattr(receiver, _BUFFER, buffer)
    return buffer
