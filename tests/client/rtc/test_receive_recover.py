"""A video packet that never arrives: the picture goes on from the next keyframe.

Real VP8 packets from aiortc's encoder, fed into aiortc's jitter buffer and into ours: with
one packet lost for good, aiortc's buffer hands out no frame until 512 packets later; ours
gives the packet up when the receive side says so and starts again at the next keyframe."""

from __future__ import annotations

import fractions
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from aiortc.codecs import get_encoder
from aiortc.jitterbuffer import JitterBuffer
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from aiortc.rtp import RtpPacket
from av import VideoFrame

from advisor_app.client.rtc.receive import ReceiveSide, _VideoStream
from advisor_app.client.rtc.receive_nack import NackPolicy
from advisor_app.client.rtc.receive_recover import (
    KeyframeWait,
    install,
    stall_limit_s,
    vp8_keyframe_start,
)

pytestmark = pytest.mark.unit

VP8 = RTCRtpCodecParameters(mimeType="video/VP8", clockRate=90000, payloadType=97)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def vp8_frames(count: int, keyframes: set[int]) -> list[list[RtpPacket]]:
    """``count`` encoded 640×360 frames as RTP packets, keyframes at the given indexes."""
    encoder = get_encoder(VP8)
    frames: list[list[RtpPacket]] = []
    seq = 1000
    rng = np.random.default_rng(1)
    for i in range(count):
        image = rng.integers(0, 255, (360, 640, 3), dtype=np.uint8)
        frame = VideoFrame.from_ndarray(image, format="bgr24")
        frame.pts = i * 3000
        frame.time_base = fractions.Fraction(1, 90000)
        payloads, timestamp = encoder.encode(frame, force_keyframe=i in keyframes)
        packets = []
        for j, payload in enumerate(payloads):
            packet = RtpPacket(
                payload_type=97, sequence_number=seq, timestamp=timestamp, payload=payload
            )
            packet.marker = j == len(payloads) - 1
            packet._data = payload  # what aiortc's depayload keeps does not matter here
            packets.append(packet)
            seq += 1
        frames.append(packets)
    return frames


def feed(buffer: JitterBuffer, frames: list[list[RtpPacket]], lost: int) -> list[int]:
    """All packets but sequence number ``lost``; the timestamps of the frames handed out."""
    out = []
    for packets in frames:
        for packet in packets:
            if packet.sequence_number == lost:
                continue
            _, frame = buffer.add(packet)
            if frame is not None:
                out.append(frame.timestamp)
    return out


def test_the_first_packet_of_a_keyframe_is_recognised() -> None:
    frames = vp8_frames(3, keyframes={0})
    assert vp8_keyframe_start(frames[0][0].payload)
    assert not any(vp8_keyframe_start(p.payload) for p in frames[0][1:])
    assert not vp8_keyframe_start(frames[1][0].payload)  # a delta frame's first packet
    assert not vp8_keyframe_start(b"")


def test_a_lost_packet_stops_aiortcs_buffer_and_ours_goes_on_at_the_next_keyframe() -> None:
    frames = vp8_frames(12, keyframes={0, 8})
    lost = frames[3][0].sequence_number  # the first packet of a delta frame
    plain = feed(JitterBuffer(capacity=512, is_video=True), frames, lost)
    timestamps = [f[0].timestamp for f in frames]
    assert plain == timestamps[:2]  # nothing after the gap (the last frame is never complete)

    clock = Clock()
    ours = KeyframeWait(lambda pt: pt == 97, clock=clock)
    out = []
    for index, packets in enumerate(frames):
        if index == 6:  # the receive side's check: blocked too long, give the packet up
            assert ours.blocked_for() == 0.0  # first seen missing now
            clock.now += stall_limit_s(0.1) + 0.1
            assert ours.blocked_for() > stall_limit_s(0.1)
            assert ours.give_up()
            assert ours.waiting and ours.discarded > 0
        for packet in packets:
            if packet.sequence_number != lost:
                _, frame = ours.add(packet)
                if frame is not None:
                    out.append(frame.timestamp)
    # Before the gap as aiortc; the delta frames after it are dropped, not decoded broken;
    # from the keyframe on every frame comes out (but the last, whose end is not known yet).
    assert out == [*timestamps[:2], *timestamps[8:11]]
    assert not ours.waiting and ours.gave_up == 1 and ours.blocked_since is None


def test_a_buffer_that_is_not_waiting_for_a_packet_is_not_blocked() -> None:
    clock = Clock()
    ours = KeyframeWait(lambda pt: pt == 97, clock=clock)
    for packets in vp8_frames(4, keyframes={0}):
        for packet in packets:
            ours.add(packet)
            clock.now += 5.0  # a slow stream is not a blocked one
            assert ours.blocked_for() == 0.0


def test_another_codec_keeps_aiortcs_behaviour() -> None:
    ours = KeyframeWait(lambda pt: False)
    for packets in vp8_frames(2, keyframes={0}):
        for packet in packets[1:]:
            ours.add(packet)
    assert not ours.give_up()
    assert not ours.waiting


def test_installed_only_on_an_empty_video_buffer() -> None:
    name = "_RTCRtpReceiver__jitter_buffer"
    receiver: Any = SimpleNamespace(
        **{name: JitterBuffer(capacity=512, is_video=True), "_RTCRtpReceiver__codecs": {97: VP8}}
    )
    buffer = install(receiver)
    assert buffer is getattr(receiver, name) and isinstance(buffer, KeyframeWait)
    assert buffer._is_vp8(97) and not buffer._is_vp8(111)
    assert install(receiver) is buffer
    audio: Any = SimpleNamespace(**{name: JitterBuffer(capacity=16, prefetch=4)})
    assert install(audio) is None
    busy = JitterBuffer(capacity=512, is_video=True)
    busy.add(vp8_frames(1, keyframes={0})[0][0])
    assert install(SimpleNamespace(**{name: busy})) is None


async def test_the_receive_side_gives_up_and_asks_for_a_keyframe_every_round_trip() -> None:
    clock = Clock()
    frames = vp8_frames(5, keyframes={0})
    buffer = KeyframeWait(lambda pt: pt == 97, clock=clock)
    lost = frames[2][0].sequence_number
    feed(buffer, frames, lost)
    plis: list[int] = []
    nacks: list[list[int]] = []

    async def send_pli(ssrc: int) -> None:
        if side.keyframes.allow():
            plis.append(ssrc)

    async def send_nack(ssrc: int, seqs: list[int]) -> None:
        nacks.append(seqs)

    side = ReceiveSide(pc=SimpleNamespace(), enabled=False)  # type: ignore[arg-type]
    side.rtt_s = 0.1
    side.keyframes.clock = clock
    side.nacks = NackPolicy(lambda: 0.1, clock=clock)
    generator = SimpleNamespace(missing={lost})
    side.nacks.filter(7, [lost])
    stream = _VideoStream(generator, send_nack, send_pli, buffer, ssrcs={7})
    assert buffer.ssrc == frames[0][0].ssrc
    side._nack_streams.append(stream)

    await side._check(stream)  # blocked, but not long enough: asks again for the packet
    clock.now += 0.2
    await side._check(stream)
    assert nacks == [[lost]] and plis == [] and not buffer.waiting
    clock.now += stall_limit_s(0.1)
    await side._check(stream)
    assert buffer.waiting and side.recovered == 1
    assert plis == [buffer.ssrc] and generator.missing == set() and side.nacks.asked == {}
    await side._check(stream)  # within a round trip: no second request
    clock.now += 0.5
    await side._check(stream)
    assert plis == [buffer.ssrc] * 2
