"""The receive side's parts: what is offered, REMB's guard, keyframe limits, the socket tap."""

from __future__ import annotations

import asyncio
import socket
import struct
import time
from types import SimpleNamespace
from typing import Any

import pytest
from aiortc import RTCPeerConnection

from advisor_app.client.rtc import receive as rtc_receive
from advisor_app.client.rtc.feedback import FeedbackReporter
from advisor_app.client.rtc.receive import (
    TWCC_URI,
    GuardedRemb,
    KeyframeLimiter,
    VersionMismatch,
    register_transport_cc,
)
from advisor_app.client.rtc.receive_clock import ArrivalRecorder, rtp_extension
from advisor_app.client.rtc.receive_nack import MAX_TRIES, NackPolicy
from advisor_app.client.rtc.receive_thread import ReceiveThread
from advisor_app.client.rtc.twcc import parse

pytestmark = pytest.mark.unit


def rtp(seq: int, twcc: int, ext_id: int = 5, ssrc: int = 0x1234) -> bytes:
    """An RTP packet with a one-byte-header transport-wide sequence number."""
    header = struct.pack("!BBHLL", 0x90, 96, seq, 0, ssrc)
    ext = struct.pack("!HH", 0xBEDE, 1) + bytes([ext_id << 4 | 1]) + struct.pack("!H", twcc) + b"\0"
    return header + ext + b"payload"


def block_loop(seconds: float) -> None:
    """Keep the event loop's thread from running anything else, as a busy PC does."""
    time.sleep(seconds)


def test_another_aiortc_version_is_refused() -> None:
    with pytest.raises(VersionMismatch, match=r"1\.17\.0"):
        register_transport_cc("1.17.0")


async def test_the_offer_carries_transport_cc_for_audio_and_video() -> None:
    register_transport_cc()
    register_transport_cc()  # twice changes nothing
    pc = RTCPeerConnection()
    pc.addTransceiver("audio")
    pc.addTransceiver("video")
    offer = (await pc.createOffer()).sdp
    await pc.close()
    assert offer.count(f"a=extmap:5 {TWCC_URI}") == 2
    assert "a=rtcp-fb:96 transport-cc" in offer  # opus
    assert "a=rtcp-fb:97 transport-cc" in offer  # VP8
    assert "a=rtcp-fb:98 transport-cc" not in offer  # its RTX


def test_rtp_header_extension_is_read_from_an_encrypted_packet() -> None:
    packet = rtp(7, 0xFFFE)
    assert rtp_extension(packet, 5) == b"\xff\xfe"
    assert rtp_extension(packet, 3) is None
    assert rtp_extension(packet[:14], 5) is None


def test_reported_packets_wrap_and_losses_are_reported() -> None:
    recorder = ArrivalRecorder(5, epoch_ns=0)
    reporter = FeedbackReporter(recorder, sender_ssrc=1)
    for i, twcc in enumerate([65534, 65535, 1]):  # 0 lost across the wrap
        recorder.record(rtp(i, twcc), (1_000 + i) * 1_000_000)
    (packet,) = reporter.take()
    parsed = parse(bytes(packet))
    assert parsed.base_seq == 65534 and parsed.status_count == 4
    assert parsed.arrivals_us() == {65534: 1_000_000, 65535: 1_001_000, 1: 1_002_000}
    assert parsed.media_ssrc == 0x1234
    assert reporter.take() == []  # nothing new
    recorder.record(rtp(3, 2), 1_010_000_000)
    (packet,) = reporter.take()
    assert packet.base_seq == 2 and packet.status_count == 1


def test_remb_holds_while_the_console_is_late_and_never_drops_below_the_floor() -> None:
    busy = False
    remb = GuardedRemb(lambda: busy, floor_bps=300_000)
    results = iter([(2_000_000, [1]), (400_000, [1]), (40_000, [1])])
    remb_base = rtc_receive.RemoteBitrateEstimator
    original = remb_base.add
    try:
        remb_base.add = lambda *_a, **_k: next(results)  # type: ignore[method-assign]
        assert remb.add(0, 0, 1200, 1) == (2_000_000, [1])
        busy = True
        assert remb.add(0, 0, 1200, 1) == (2_000_000, [1])  # late reads: no decrease
        busy = False
        assert remb.add(0, 0, 1200, 1) == (300_000, [1])  # the floor
    finally:
        remb_base.add = original  # type: ignore[method-assign]


def test_remb_falls_silent_once_the_sender_numbers_its_packets() -> None:
    remb = GuardedRemb(lambda: False, lambda: True)
    for i in range(400):  # aiortc's estimator answers within a few hundred packets
        assert remb.add(i * 5, (i * 5 << 18) // 1000, 1200, 1) is None


def test_keyframe_requests_once_per_round_trip_and_a_margin() -> None:
    now = 100.0
    limiter = KeyframeLimiter(lambda: 0.2, clock=lambda: now)
    assert limiter.allow()
    now += 0.3
    assert not limiter.allow()  # 0.2 s round trip + 0.3 s: not yet
    now += 0.25
    assert limiter.allow()
    assert (limiter.sent, limiter.held) == (2, 1)


async def test_the_thread_reads_stamps_and_hands_datagrams_to_the_loop() -> None:
    """A datagram endpoint as aioice makes one, read by the thread while the loop is blocked;
    the kernel's arrival times are kept and the loop gets every datagram, in order."""
    loop = asyncio.get_running_loop()
    got: list[bytes] = []
    errors: list[Exception] = []

    class Protocol(asyncio.DatagramProtocol):
        def datagram_received(self, data: bytes, addr: object) -> None:
            got.append(data)

        def error_received(self, exc: Exception) -> None:
            errors.append(exc)

    transport, protocol = await loop.create_datagram_endpoint(Protocol, local_addr=("127.0.0.1", 0))

    connection = SimpleNamespace(_protocols=[protocol])
    protocol.transport = transport  # type: ignore[attr-defined]
    recorder = ArrivalRecorder(5)
    thread = ReceiveThread(loop, connection, recorder, FeedbackReporter(recorder, 1))
    assert thread.start()
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        addr = transport.get_extra_info("sockname")
        sent_at = time.time_ns()
        for i in range(10):
            sender.sendto(rtp(i, i), addr)
        block_loop(0.3)  # only the thread can read now
        assert recorder.packets == 10
        assert max(recorder.arrivals.values()) * 1000 + recorder.epoch_ns < sent_at + 100e6
        deadline = time.monotonic() + 5
        while len(got) < 10 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        assert got == [rtp(i, i) for i in range(10)], errors
        assert (recorder.read_lag_ms() or 0) >= 250  # the loop's lateness is seen
    finally:
        thread.stop()
        sender.close()
        transport.close()


def test_nacks_once_per_round_trip_and_again_while_missing() -> None:
    now = 10.0
    policy = NackPolicy(lambda: 0.1, clock=lambda: now)
    assert policy.filter(7, [100, 101]) == [100, 101]
    # aiortc lists everything still missing at the next gap: only the new one goes out.
    assert policy.filter(7, [100, 101, 105]) == [105]
    now += 0.06
    assert policy.due(7, {100, 101, 105}) == []  # not a round trip yet
    now += 0.05
    assert policy.due(7, {101, 105}) == [101, 105]  # 100 arrived: forgotten
    for _ in range(10):
        now += 0.2
        policy.due(7, {101})
    assert policy.asked[(7, 101)][0] == MAX_TRIES  # bounded


def _video_parameters(media_ssrc: int, rtx_ssrc: int, mid: str) -> Any:
    from aiortc.rtcrtpparameters import (
        RTCRtpCodecParameters,
        RTCRtpDecodingParameters,
        RTCRtpReceiveParameters,
        RTCRtpRtxParameters,
    )

    codecs = [
        RTCRtpCodecParameters(mimeType="video/VP8", clockRate=90000, payloadType=97),
        RTCRtpCodecParameters(
            mimeType="video/rtx", clockRate=90000, payloadType=98, parameters={"apt": 97}
        ),
    ]
    encoding = RTCRtpDecodingParameters(
        ssrc=media_ssrc, payloadType=97, rtx=RTCRtpRtxParameters(ssrc=rtx_ssrc)
    )
    return RTCRtpReceiveParameters(codecs=codecs, muxId=mid, encodings=[encoding])


def test_retransmissions_reach_their_receiver_when_two_receivers_share_codecs() -> None:
    """The console's camera and screen receivers have the same payload types: aiortc alone
    routes an RTX packet nowhere; with the RTX SSRCs registered each reaches its receiver."""
    from aiortc.rtcdtlstransport import RTCDtlsTransport, RtpRouter
    from aiortc.rtp import HeaderExtensionsMap, RtpPacket

    camera, screen = object(), object()

    def route(register: Any) -> list[Any]:
        transport = SimpleNamespace(
            _rtp_router=RtpRouter(), _rtp_header_extensions_map=HeaderExtensionsMap()
        )
        register(transport, camera, _video_parameters(1000, 1001, "1"))
        register(transport, screen, _video_parameters(2000, 2001, "2"))
        return [
            transport._rtp_router.route_rtp(RtpPacket(payload_type=pt, ssrc=ssrc))
            for pt, ssrc in ((97, 1000), (98, 1001), (97, 2000), (98, 2001))
        ]

    plain = rtc_receive.AIORTC_REGISTER_RECEIVER  # aiortc's own registration
    assert route(plain) == [camera, None, screen, None]  # every retransmission dropped
    rtc_receive.route_retransmissions()
    rtc_receive.route_retransmissions()  # twice changes nothing
    assert route(RTCDtlsTransport._register_rtp_receiver) == [camera, camera, screen, screen]
