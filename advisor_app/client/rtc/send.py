"""The console's send side wired into one aiortc peer connection.

:class:`SendAdapter` is made with the connection's three senders (audio, camera, screen)
before the offer, and then

- gives each sender its encoder – :class:`~.send_video.AdaptiveVp8Encoder` for both videos,
  :class:`~.opus_send.LossAwareOpusEncoder` for audio – before its first frame;
- puts a :class:`~.pacing.Pacer` in front of the shared DTLS transport (max-bundle: one);
- reads every sender's RTCP as it arrives (receiver reports: loss and round trip; REMB);
- twice a second turns what it read into a :class:`~.adapt.LinkSample`, asks the
  :class:`~.adapt.SendController` for a plan, and applies it: encoders, pacing rate, and
  ``on_pause`` when the camera's video stops or comes back (the link says it on the data
  channel).

aiortc 1.16 has no public way to choose a sender's encoder, to pace, or to see RTCP, so three
small hooks reach into it – this is the console's only patch of aiortc, pinned to the version
(:data:`AIORTC_VERSION`; another one is refused with a clear error) and described in
``docs/decisions.md`` as a candidate for upstream:

1. the sender's private encoder slot (``_RTCRtpSender__encoder``), which aiortc fills on the
   first frame only while it is empty;
2. the DTLS transport's ``_send_rtp`` on the instance, wrapped by the pacer;
3. each sender's ``_handle_rtcp_packet`` on the instance, wrapped to read the packet first;
4. each video sender's ``_retransmit`` on the instance, wrapped to resend a packet twice while
   the link loses much (:func:`repeat_retransmissions`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

import aiortc
from aiortc import RTCRtpSender, clock
from aiortc.rtp import (
    RTCP_PSFB_APP,
    RtcpPsfbPacket,
    RtcpRrPacket,
    RtcpSrPacket,
    unpack_remb_fci,
)

from advisor_app.client.rtc import playout_delay
from advisor_app.client.rtc.adapt import LinkSample, Pause, SendController, SendPlan
from advisor_app.client.rtc.opus_send import LossAwareOpusEncoder
from advisor_app.client.rtc.pacing import ABS_SEND_TIME_URI, Pacer
from advisor_app.client.rtc.send_video import AdaptiveVp8Encoder, VideoSetting

log = logging.getLogger(__name__)

#: The aiortc whose private parts the hooks use; any other is refused.
AIORTC_VERSION = "1.16.0"
#: How often (s) the controller decides.
TICK_S = 0.5
#: The pacer sends video this many times faster than its target (WebRTC: 2.5).
PACING_FACTOR = 2.0
MIN_PACING_KBPS = 300.0
#: A tick this late (s) means the console itself is slow: its round trips are not the link's.
MAX_LAG_S = 0.05
_ENCODER = "_RTCRtpSender__encoder"


class UnsupportedAiortc(RuntimeError):
    """The installed aiortc is not the one the send-side hooks were written for."""


def check_aiortc(version: str | None = None) -> None:
    """Raise :class:`UnsupportedAiortc` unless aiortc is :data:`AIORTC_VERSION`."""
    found = version if version is not None else aiortc.__version__
    if found != AIORTC_VERSION:
        raise UnsupportedAiortc(
            f"aiortc {found} is installed; the console's send-side hooks are written for "
            f"aiortc {AIORTC_VERSION} (advisor_app/client/rtc/send.py): check them against "
            "the new version's RTCRtpSender and RTCDtlsTransport, then raise AIORTC_VERSION"
        )
    for cls, name in ((RTCRtpSender, "_handle_rtcp_packet"), (RTCRtpSender, "_run_rtp")):
        if not hasattr(cls, name):
            raise UnsupportedAiortc(f"aiortc {found} has no {cls.__name__}.{name}")


#: Loss is reported once at least this many packets were expected since the last report: a
#: report on 8 packets with one lost is no "12 % loss".
MIN_PACKETS_FOR_LOSS = 40


class _Reports:
    """What the RTCP of one tick said."""

    def __init__(self) -> None:
        self.remb_kbps: float | None = None
        self.rtts: list[float] = []


class _Loss:
    """Loss over all our SSRCs from the receiver reports' cumulative counters, reported once
    enough packets were expected."""

    def __init__(self) -> None:
        self._last: dict[int, tuple[int, int]] = {}  # ssrc → (highest sequence, lost)
        self.expected = 0
        self.lost = 0

    def add(self, ssrc: int, highest_sequence: int, packets_lost: int) -> None:
        last = self._last.get(ssrc)
        self._last[ssrc] = (highest_sequence, packets_lost)
        if last is None:
            return
        expected = highest_sequence - last[0]
        if 0 < expected < 1 << 15:  # a restart or a wrap is no measurement
            self.expected += expected
            self.lost += max(0, min(expected, packets_lost - last[1]))

    def take(self) -> float | None:
        if self.expected < MIN_PACKETS_FOR_LOSS:
            return None
        loss = self.lost / self.expected
        self.expected = self.lost = 0
        return loss


#: Smoothed loss at or above which each retransmission goes out twice: with 5 % loss a
#: resent packet is lost again 5 % of the time and its frame then waits a second round trip
#: (≈ 800 ms on poor 3G), beyond the playout delay: most of what still froze there. Chromium
#: protects its video with FEC instead, which aiortc cannot send.
REPEAT_RTX_LOSS = 0.03


def repeat_retransmissions(sender: Any, enabled: Callable[[], bool]) -> None:
    """Make ``sender`` answer each NACKed packet twice while ``enabled()``: two RTX packets of
    their own sequence numbers (one SRTP index each); the receiver keeps the first to arrive
    and drops the other as a duplicate."""
    retransmit = sender._retransmit

    async def twice(sequence_number: int) -> None:
        await retransmit(sequence_number)
        if enabled():
            await retransmit(sequence_number)

    setattr(sender, "_retransmit", twice)  # noqa: B010  # hook 4


class SendAdapter:
    """The send side of one connection (see the module's docstring)."""

    def __init__(
        self,
        senders: dict[str, RTCRtpSender],
        *,
        vp8: bool = True,
        sharing: Callable[[], bool] = lambda: False,
        on_pause: Callable[[Pause | None], None] = lambda _pause: None,
        controller: SendController | None = None,
    ) -> None:
        check_aiortc()
        playout_delay.register()
        self.controller = controller or SendController()
        self._senders = senders
        self._sharing = sharing
        self._on_pause = on_pause
        self._reports = _Reports()
        self._loss = _Loss()
        self._pause: Pause | None = None
        self._task: asyncio.Task[None] | None = None
        self._ssrcs = {sender._ssrc: kind for kind, sender in senders.items()}
        transport = senders["audio"].transport
        self.pacer = Pacer(transport._send_rtp)
        transport._send_rtp = self.pacer.send  # type: ignore[method-assign]  # hook 2
        self.pacer.paced = {s._ssrc for k, s in senders.items() if k != "audio"}
        self.pacer.remb_ssrcs = self.pacer.paced | {
            s._rtx_ssrc for k, s in senders.items() if k != "audio"
        }
        self._offered = 0
        self._remb_bytes = 0
        self._offered_at = time.monotonic()
        self.plan: SendPlan = self.controller.update(LinkSample(at=time.monotonic()))
        self.camera: AdaptiveVp8Encoder | None = None
        self.screen: AdaptiveVp8Encoder | None = None
        if vp8:
            self.camera = AdaptiveVp8Encoder(None, self.pacer.backlog_ms)
            self.screen = AdaptiveVp8Encoder(None, self.pacer.backlog_ms)
            self._install("video", self.camera)
            self._install("screen", self.screen)
        self.audio = LossAwareOpusEncoder()
        self._install("audio", self.audio)
        for sender in senders.values():
            self._watch_rtcp(sender)
        for kind in ("video", "screen"):
            if kind in senders:
                repeat_retransmissions(senders[kind], self._repeat_rtx)
        self._apply(self.plan)

    def _install(self, kind: str, encoder: Any) -> None:
        sender = self._senders.get(kind)
        if sender is not None and getattr(sender, _ENCODER, None) is None:
            setattr(sender, _ENCODER, encoder)  # hook 1: aiortc keeps a set encoder

    def _watch_rtcp(self, sender: RTCRtpSender) -> None:
        handle = sender._handle_rtcp_packet

        async def watched(packet: Any) -> None:
            try:
                self._read(packet)
            except Exception:  # a report we cannot read must not stop aiortc's own handling
                log.debug("RTCP not read", exc_info=True)
            await handle(packet)

        setattr(sender, "_handle_rtcp_packet", watched)  # noqa: B010  # hook 3

    def _read(self, packet: Any) -> None:
        if isinstance(packet, (RtcpRrPacket, RtcpSrPacket)):
            now_mid = (clock.current_ntp_time() >> 16) & 0xFFFFFFFF
            for report in packet.reports:
                if report.ssrc not in self._ssrcs:
                    continue
                self._loss.add(report.ssrc, report.highest_sequence, report.packets_lost)
                if report.lsr:
                    rtt = ((now_mid - report.lsr - report.dlsr) & 0xFFFFFFFF) / 65536.0
                    if 0.0 <= rtt < 10.0:
                        self._reports.rtts.append(1000.0 * rtt)
        elif isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_APP:
            with contextlib.suppress(ValueError):
                bitrate, _ssrcs = unpack_remb_fci(packet.fci)
                self._reports.remb_kbps = bitrate / 1000.0

    def start(self, transceivers: list[Any] | None = None) -> None:
        """The answer is applied: decide from now on. A video whose negotiated codec is not
        VP8 (``transceivers``: the connection's, read for that) gets aiortc's own encoder."""
        for transceiver in transceivers or []:
            for ext in getattr(transceiver, "_headerExtensions", None) or []:
                if ext.uri == ABS_SEND_TIME_URI:
                    self.pacer.abs_send_time_id = ext.id
                elif ext.uri == playout_delay.URI:
                    self.pacer.playout_delay_id = ext.id
            codecs = getattr(transceiver, "_codecs", None) or []
            sender = transceiver.sender
            if (
                codecs
                and codecs[0].mimeType.lower() != "video/vp8"
                and isinstance(getattr(sender, _ENCODER, None), AdaptiveVp8Encoder)
            ):
                setattr(sender, _ENCODER, None)
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        while True:
            before = time.monotonic()
            await asyncio.sleep(TICK_S)
            now = time.monotonic()
            self.tick(now, lag_s=now - before - TICK_S)

    def tick(self, now: float, lag_s: float = 0.0) -> SendPlan:
        """One decision from the reports since the last one. ``lag_s``: how late this event
        loop ran the tick; round trips read while it lagged measure the console's own delay
        (a loaded machine), not the link's, and are left out."""
        reports, self._reports = self._reports, _Reports()
        if lag_s > MAX_LAG_S:
            reports.rtts = []
        self.controller.sharing = self._sharing()
        offered = self.pacer.bytes_offered
        span = now - self._offered_at
        in_scope = self.pacer.bytes_remb
        sent_kbps = remb_scope_kbps = None
        if span > 0.2:
            sent_kbps = 8.0 * (offered - self._offered) / span / 1000.0
            remb_scope_kbps = 8.0 * (in_scope - self._remb_bytes) / span / 1000.0
        self._offered, self._offered_at, self._remb_bytes = offered, now, in_scope
        sample = LinkSample(
            at=now,
            remb_kbps=reports.remb_kbps,
            loss=self._loss.take(),
            rtt_ms=min(reports.rtts) if reports.rtts else None,
            backlog_ms=self.pacer.backlog_ms(),
            encode_load=self.camera.load() if self.camera is not None else None,
            sent_kbps=sent_kbps,
            remb_scope_kbps=remb_scope_kbps,
        )
        plan = self.controller.update(sample)
        log.debug("%s -> %s", sample, plan)
        self._apply(plan)
        self.pacer.min_playout_ms = playout_delay.min_delay_ms(
            self.controller.rtt_high_ms(), self.controller.loss
        )
        if reports.rtts:
            keyframe_every = max(1.0, 2.0 * min(reports.rtts) / 1000.0)
            for encoder in (self.camera, self.screen):
                if encoder is not None:
                    encoder.keyframe_every_s = keyframe_every
        return plan

    def _apply(self, plan: SendPlan) -> None:
        old = self.plan.camera if getattr(self, "plan", None) is not None else None
        self.plan = plan
        cam = plan.camera
        if cam is not None and (old is None or (old.step, old.kbps) != (cam.step, cam.kbps)):
            log.info(
                "camera %s %d fps %d kbit/s (estimate %.0f kbit/s)",
                cam.step,
                cam.fps,
                cam.kbps,
                plan.estimate_kbps,
            )
        video_kbps = 0
        if self.camera is not None:
            self.camera.setting = VideoSetting(cam.height, cam.fps, cam.kbps) if cam else None
        if cam is not None:
            video_kbps += cam.kbps
        share = plan.share
        if self.screen is not None:
            # Not sharing, the screen sender may still carry a pause sign: a small setting.
            self.screen.setting = (
                VideoSetting(0, share.fps, share.kbps) if share else VideoSetting(0, 5, 150)
            )
        if share is not None:
            video_kbps += share.kbps
        self.audio.set_target(plan.audio.kbps, plan.audio.loss_pct)
        self.pacer.rate_kbps = max(PACING_FACTOR * video_kbps, MIN_PACING_KBPS)
        if plan.pause is not self._pause:
            self._pause = plan.pause
            log.info("camera video %s", f"paused ({plan.pause})" if plan.pause else "sent")
            self._on_pause(plan.pause)

    def _repeat_rtx(self) -> bool:
        loss = self.controller.loss
        return loss is not None and loss >= REPEAT_RTX_LOSS

    def choose_audio_only(self, on: bool) -> None:
        """The advisor's "Nur Ton" (takes effect at once)."""
        self.controller.choose_audio_only(on)
        self.tick(time.monotonic())

    @property
    def pause(self) -> Pause | None:
        return self._pause

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.pacer.close()
