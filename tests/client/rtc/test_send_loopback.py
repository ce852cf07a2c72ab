"""The send side wired into a real aiortc connection (loopback to a plain aiortc receiver):
its encoders are the ones that run, the picture starts small and grows with the receiver's
reports, audio only stops the video but not the sound, and another aiortc is refused."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiortc import RTCPeerConnection, RTCRtpSender
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from advisor_app.client.rtc.adapt import Pause, SendController
from advisor_app.client.rtc.opus_send import LossAwareOpusEncoder
from advisor_app.client.rtc.send import SendAdapter, UnsupportedAiortc, _Loss, check_aiortc
from advisor_app.client.rtc.send_video import AdaptiveVp8Encoder
from tests.helpers.call_media import PatternTrack, ToneTrack

pytestmark = pytest.mark.unit


class Received:
    """What the receiving aiortc decodes: video sizes with their arrival, audio frames."""

    def __init__(self) -> None:
        self.video: list[tuple[float, int, int]] = []
        self.audio = 0

    async def pump(self, track: MediaStreamTrack) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            if track.kind == "video":
                self.video.append((time.monotonic(), frame.width, frame.height))
            else:
                self.audio += 1

    def video_since(self, at: float) -> int:
        return sum(1 for t, _w, _h in self.video if t >= at)


@asynccontextmanager
async def loopback() -> AsyncIterator[tuple[SendAdapter, Received, dict[str, RTCRtpSender]]]:
    sender, receiver = RTCPeerConnection(), RTCPeerConnection()
    got = Received()
    tasks: list[asyncio.Task[None]] = []
    receiver.on("track", lambda track: tasks.append(asyncio.ensure_future(got.pump(track))))
    senders: dict[str, RTCRtpSender] = {}
    for kind, track in (("audio", ToneTrack()), ("video", PatternTrack()), ("screen", None)):
        transceiver = sender.addTransceiver("audio" if kind == "audio" else "video", "sendonly")
        if track is not None:
            transceiver.sender.replaceTrack(track)
        senders[kind] = transceiver.sender
    # The link's reports alone decide here (CPU adaptation, off by default, has its own test).
    adapter = SendAdapter(senders, controller=SendController(cpu_adaptation=False))
    await sender.setLocalDescription(await sender.createOffer())
    await receiver.setRemoteDescription(sender.localDescription)
    await receiver.setLocalDescription(await receiver.createAnswer())
    await sender.setRemoteDescription(receiver.localDescription)
    adapter.start(sender.getTransceivers())
    try:
        yield adapter, got, senders
    finally:
        await adapter.close()
        await sender.close()
        await receiver.close()
        for task in tasks:
            task.cancel()


async def until(check: Any, timeout: float = 30.0) -> None:
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.05)


async def test_the_encoders_run_the_picture_grows_and_audio_only_keeps_the_sound() -> None:
    async with loopback() as (adapter, got, senders):
        assert isinstance(senders["video"]._RTCRtpSender__encoder, AdaptiveVp8Encoder)  # type: ignore[attr-defined]
        assert isinstance(senders["audio"]._RTCRtpSender__encoder, LossAwareOpusEncoder)  # type: ignore[attr-defined]
        # Never 720p blind: the first pictures are 360p ...
        await until(lambda: len(got.video) >= 5)
        assert got.video[0][1:] == (640, 360)
        # ... and the receiver's reports (no loss, a short round trip) take it to 720p.
        await until(lambda: got.video[-1][1:] == (1280, 720))
        assert adapter.camera is not None and adapter.camera.keyframes >= 2  # one per step
        assert adapter.pacer.rate_kbps >= 2 * 1050

        pauses: list[Pause | None] = []
        adapter._on_pause = pauses.append
        adapter.choose_audio_only(True)
        assert pauses == [Pause.CHOSEN]
        await asyncio.sleep(0.5)  # what was under way arrives
        now, audio = time.monotonic(), got.audio
        await asyncio.sleep(1.5)
        assert got.video_since(now) == 0
        assert got.audio - audio >= 40  # 20 ms frames: the sound goes on
        adapter.choose_audio_only(False)
        assert pauses == [Pause.CHOSEN, None]
        now = time.monotonic()
        await until(lambda: got.video_since(now) >= 10)


def test_only_the_pinned_aiortc_is_accepted() -> None:
    check_aiortc()
    with pytest.raises(UnsupportedAiortc, match=r"1\.17\.0"):
        check_aiortc("1.17.0")


def test_loss_counts_packets_across_reports_and_waits_for_enough() -> None:
    loss = _Loss()
    loss.add(1, 1000, 0)
    loss.add(1, 1010, 1)  # one of ten: too few packets to say "10 %"
    assert loss.take() is None
    loss.add(1, 1100, 3)
    assert loss.take() == pytest.approx(3 / 100)
    loss.add(1, 1200, 3)
    assert loss.take() == 0.0


async def test_a_nacked_packet_is_resent_twice_while_the_link_loses_much() -> None:
    """aiortc's own NACK handling goes through the hook: two retransmissions per lost packet
    while enabled, one otherwise."""
    from types import SimpleNamespace

    from aiortc.rtp import RTCP_RTPFB_NACK, RtcpRtpfbPacket

    from advisor_app.client.rtc.send import repeat_retransmissions

    sender = RTCRtpSender("video", SimpleNamespace(state="new"))  # type: ignore[arg-type]
    resent: list[int] = []

    async def record(sequence_number: int) -> None:
        resent.append(sequence_number)

    sender._retransmit = record  # type: ignore[method-assign]  # what aiortc would send
    lossy = [True]
    repeat_retransmissions(sender, lambda: lossy[0])
    nack = RtcpRtpfbPacket(fmt=RTCP_RTPFB_NACK, ssrc=1, media_ssrc=sender._ssrc)
    nack.lost = [7, 9]
    await sender._handle_rtcp_packet(nack)
    assert resent == [7, 7, 9, 9]
    lossy[0] = False
    resent.clear()
    await sender._handle_rtcp_packet(nack)
    assert resent == [7, 9]
