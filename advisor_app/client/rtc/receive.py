"""The console's receive side of a peer connection: feedback the citizen's browser can use.

aiortc 1.16 tells a sender about the link only with REMB, estimated from the times at which
the console's event loop reads each packet: a busy PC looks like a congested link and the
browser is throttled to 30 kbit/s (measured: docs/decisions.md, "Receive-side congestion
feedback"). Here, for each connection the console makes:

- the transport-wide sequence number and ``transport-cc`` feedback are offered
  (:func:`register_transport_cc`, a process-wide addition to aiortc's codec tables);
- the UDP sockets are read on a thread of their own with the kernel's arrival time of each
  packet, and transport feedback goes back from that thread every 50 ms
  (:mod:`.receive_thread`, :mod:`.receive_clock`, :mod:`.feedback`), so Chromium's own
  congestion controller estimates the link, not the console's load;
- aiortc's REMB falls silent once the browser numbers its packets for transport-cc
  (Chromium caps its estimate at the last REMB it got); a browser without transport-cc gets
  REMB with a floor, and no decrease while the console itself reads late;
- retransmissions (RTX) are routed to their receiver (:func:`route_retransmissions`: aiortc
  dropped every one while two video receivers share their codecs);
- keyframe requests (PLI) are limited to one per round trip + 300 ms, and retransmission
  requests (NACK) repeated once per round trip while a packet is missing
  (:mod:`.receive_nack`);
- a packet still missing after five round trips is given up: the picture goes on from the
  next keyframe, asked for at once (:mod:`.receive_recover`), instead of freezing until aiortc's
  512-packet buffer has filled.

The few private names of aiortc this needs are checked against the installed version
(:data:`AIORTC_VERSION`); on another version nothing is changed and the call runs as plain
aiortc does.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiortc
from aiortc import RTCPeerConnection
from aiortc.rate import RemoteBitrateEstimator
from aiortc.rtcdtlstransport import RTCDtlsTransport
from aiortc.rtcrtpparameters import RTCRtcpFeedback, RTCRtpHeaderExtensionParameters

from advisor_app.client.rtc.feedback import FeedbackLoop, FeedbackReporter
from advisor_app.client.rtc.receive_clock import ArrivalRecorder, SocketTap
from advisor_app.client.rtc.receive_nack import NackPolicy
from advisor_app.client.rtc.receive_recover import KeyframeWait, stall_limit_s
from advisor_app.client.rtc.receive_recover import install as install_recovery
from advisor_app.client.rtc.receive_thread import ReceiveThread, srtcp_session

log = logging.getLogger(__name__)

#: The aiortc release whose private names (below) this module was written and tested for.
AIORTC_VERSION = "1.16.0"
TWCC_URI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
#: Unused by aiortc's own extensions (1: mid, 2: audio level, 3: abs-send-time); the id space
#: is shared by audio and video under BUNDLE, so both use the same one.
TWCC_ID = 5
#: REMB never asks for less than this where it is still sent (no transport-cc).
REMB_FLOOR_BPS = 300_000
#: The console reads this late (95th percentile, ms): a REMB decrease is then not believed.
BUSY_READ_LAG_MS = 40.0
#: Keyframe requests: at most one per round trip plus this.
PLI_MARGIN_S = 0.3

_ESTIMATOR = "_RTCRtpReceiver__remote_bitrate_estimator"
_NACKS = "_RTCRtpReceiver__nack_generator"


class VersionMismatch(RuntimeError):
    """The installed aiortc is not the one the receive-side extensions were written for."""


def supported(version: str | None = None) -> bool:
    return (version or aiortc.__version__) == AIORTC_VERSION


def register_transport_cc(version: str | None = None) -> None:
    """Add the transport-wide sequence number (audio and video) and ``transport-cc`` feedback
    (every non-RTX codec) to what aiortc offers and accepts. Idempotent; refuses another aiortc
    version with :class:`VersionMismatch`."""
    if not supported(version):
        raise VersionMismatch(
            f"aiortc {version or aiortc.__version__}: receive-side extensions need {AIORTC_VERSION}"
        )
    from aiortc import codecs

    for kind in ("audio", "video"):
        extensions = codecs.HEADER_EXTENSIONS[kind]
        if not any(e.uri == TWCC_URI for e in extensions):
            extensions.append(RTCRtpHeaderExtensionParameters(id=TWCC_ID, uri=TWCC_URI))
        for codec in codecs.CODECS[kind]:
            if codec.mimeType.lower().endswith("/rtx"):
                continue
            if not any(fb.type == "transport-cc" for fb in codec.rtcpFeedback):
                codec.rtcpFeedback.append(RTCRtcpFeedback(type="transport-cc"))


#: aiortc's own registration of a receiver with the transport's RTP router.
AIORTC_REGISTER_RECEIVER = RTCDtlsTransport._register_rtp_receiver


def route_retransmissions(version: str | None = None) -> None:
    """Let retransmissions (RTX) reach their receiver when several receivers share codecs.

    aiortc routes an RTP packet by its SSRC when the remote description named it, else by its
    payload type when exactly one receiver has that type. It registers only the media SSRCs,
    not their RTX SSRCs (``a=ssrc-group:FID``); the console's offer has two video transceivers
    (camera and screen) with the same codecs, so every retransmission of the citizen's video
    was routed nowhere and dropped (aiortc 1.16): a lost packet could only be given up for the
    next keyframe. Here each encoding's RTX SSRC is registered with its receiver as well.
    Idempotent; refuses another aiortc version with :class:`VersionMismatch`."""
    if not supported(version):
        raise VersionMismatch(
            f"aiortc {version or aiortc.__version__}: receive-side extensions need {AIORTC_VERSION}"
        )
    register = AIORTC_REGISTER_RECEIVER
    if getattr(RTCDtlsTransport._register_rtp_receiver, "routes_rtx", False):
        return

    def register_with_rtx(self: Any, receiver: Any, parameters: Any) -> None:
        register(self, receiver, parameters)
        for encoding in parameters.encodings:
            if encoding.rtx is not None:
                self._rtp_router.ssrc_table[encoding.rtx.ssrc] = receiver

    register_with_rtx.routes_rtx = True  # type: ignore[attr-defined]
    RTCDtlsTransport._register_rtp_receiver = register_with_rtx  # type: ignore[method-assign]


_warned = False


def prepare() -> bool:
    """Before the first offer: register transport-cc and the routing of retransmissions where
    the aiortc version is the tested one; on another version log once and leave aiortc as it
    is."""
    global _warned
    try:
        register_transport_cc()
        route_retransmissions()
    except VersionMismatch as exc:
        if not _warned:
            log.warning("%s; calls run with plain aiortc feedback", exc)
            _warned = True
        return False
    return True


class GuardedRemb(RemoteBitrateEstimator):
    """aiortc's REMB estimator with a floor, holding its last value while the console reads
    late (a late read is the console's delay, not the network's), and silent once the sender
    numbers its packets for transport-cc (Chromium caps its own estimate at the last REMB)."""

    def __init__(
        self,
        busy: Callable[[], bool],
        silenced: Callable[[], bool] = lambda: False,
        floor_bps: int = REMB_FLOOR_BPS,
    ) -> None:
        super().__init__()
        self.busy = busy
        self.silenced = silenced
        self.floor_bps = floor_bps
        self.last_bps: int | None = None

    def add(
        self, arrival_time_ms: int, abs_send_time: int, payload_size: int, ssrc: int
    ) -> tuple[int, list[int]] | None:
        result = super().add(arrival_time_ms, abs_send_time, payload_size, ssrc)
        if result is None or self.silenced():
            return None
        bitrate, ssrcs = result
        if self.busy() and self.last_bps is not None and bitrate < self.last_bps:
            bitrate = self.last_bps
        bitrate = max(bitrate, self.floor_bps)
        self.last_bps = bitrate
        return bitrate, ssrcs


@dataclass
class KeyframeLimiter:
    """Lets a keyframe request through at most once per round trip + :data:`PLI_MARGIN_S`
    (a request still on its way, or its keyframe, makes another one useless)."""

    rtt_s: Callable[[], float]
    clock: Callable[[], float] = time.monotonic
    sent: int = 0
    held: int = 0
    _last: float | None = None

    def allow(self) -> bool:
        now = self.clock()
        if self._last is not None and now - self._last < self.rtt_s() + PLI_MARGIN_S:
            self.held += 1
            return False
        self._last = now
        self.sent += 1
        return True

    def wrap(self, send: Callable[[int], Awaitable[None]]) -> Callable[[int], Awaitable[None]]:
        async def send_pli(media_ssrc: int) -> None:
            if self.allow():
                await send(media_ssrc)

        return send_pli


def _connections(pc: RTCPeerConnection) -> list[Any]:
    """The aioice connections under ``pc``'s transports (one with ``max-bundle``)."""
    out: list[Any] = []
    for transceiver in pc.getTransceivers():
        ice = transceiver.receiver.transport.transport
        connection = getattr(ice.iceGatherer, "_connection", None)
        if connection is not None and connection not in out:
            out.append(connection)
    return out


@dataclass
class _VideoStream:
    """One video receiver's retransmission requests and keyframe recovery."""

    generator: Any  # aiortc's NackGenerator
    send_nack: Callable[[int, list[int]], Awaitable[None]]
    send_pli: Callable[[int], Awaitable[None]]
    buffer: KeyframeWait | None
    ssrcs: set[int] = field(default_factory=set)


@dataclass
class ReceiveSide:
    """The receive-side extensions of one peer connection (see the module's docstring)."""

    pc: RTCPeerConnection
    recorder: ArrivalRecorder = field(default_factory=lambda: ArrivalRecorder(TWCC_ID))
    #: The round trip the keyframe limiter allows for (updated from the call's statistics).
    rtt_s: float = 0.2
    #: Read the sockets and send feedback on a thread (False: on the event loop).
    threaded: bool = True
    tap: SocketTap = field(init=False)
    reporter: FeedbackReporter = field(init=False)
    thread: ReceiveThread | None = None
    feedback: FeedbackLoop | None = None
    keyframes: KeyframeLimiter = field(init=False)
    nacks: NackPolicy = field(init=False)
    _nack_task: asyncio.Task[None] | None = None
    _nack_streams: list[_VideoStream] = field(default_factory=list)
    enabled: bool = field(default_factory=supported)
    agreed: bool = False

    def __post_init__(self) -> None:
        self.tap = SocketTap(self.recorder)
        self.reporter = FeedbackReporter(self.recorder, 0)
        self.keyframes = KeyframeLimiter(lambda: self.rtt_s)
        self.nacks = NackPolicy(lambda: self.rtt_s)

    @property
    def kernel_stamps(self) -> bool:
        return self.tap.kernel or (self.thread is not None and self.thread.kernel)

    @property
    def feedback_sent(self) -> int:
        return (self.thread.sent if self.thread else 0) + (
            self.feedback.sent if self.feedback else 0
        )

    def after_local_description(self) -> None:
        """The connection gathered its sockets: read them on a thread (host sockets) or tap
        them where the loop reads them (TURN)."""
        if not self.enabled:
            return
        loop = asyncio.get_running_loop()
        for connection in _connections(self.pc):
            handled: list[Any] = []
            if self.threaded and self.thread is None:
                thread = ReceiveThread(loop, connection, self.recorder, self.reporter)
                if thread.start():
                    self.thread = thread
                    handled = list(thread.protocols)
            self.tap.install(connection, skip=handled)

    def after_remote_description(self) -> None:
        """The answer is applied: feedback by transport-cc if agreed, REMB guarded otherwise."""
        if not self.enabled:
            return
        ext_id = None
        dtls: Any = None
        for transceiver in self.pc.getTransceivers():
            for ext in transceiver._headerExtensions:
                if ext.uri == TWCC_URI:
                    ext_id = ext.id
            if transceiver.kind == "video":
                if not self.reporter.builder.sender_ssrc:
                    self.reporter.builder.sender_ssrc = transceiver.sender._ssrc
                receiver = transceiver.receiver
                pli = self.keyframes.wrap(receiver._send_rtcp_pli)
                receiver._send_rtcp_pli = pli  # type: ignore[method-assign,assignment]
                self._retry_nacks(receiver)
            dtls = dtls or transceiver.receiver.transport
        for transceiver in self.pc.getTransceivers():
            receiver = transceiver.receiver
            if getattr(receiver, _ESTIMATOR, None) is not None:  # video; audio has none
                setattr(receiver, _ESTIMATOR, GuardedRemb(self.busy, self.transport_cc))
        if ext_id is None or dtls is None:
            log.info("no transport-cc agreed: REMB with a floor")
            return
        self.recorder.ext_id = ext_id
        self.agreed = True
        transport = dtls

        async def send(data: bytes) -> None:
            if transport.state == "connected":
                await transport._send_rtp(data)

        if self.thread is None:
            self.feedback = FeedbackLoop(self.reporter, send)
            self.feedback.start()
            return
        thread, loop = self.thread, asyncio.get_running_loop()

        def on_loop(data: bytes) -> None:
            task = asyncio.ensure_future(send(data))
            task.add_done_callback(lambda t: t.cancelled() or t.exception())

        thread.fallback = lambda data: loop.call_soon_threadsafe(on_loop, data)
        thread.fallback_ssrc = next(
            (t.sender._ssrc for t in self.pc.getTransceivers() if t.kind == "video"), 0
        )

        def keys() -> None:
            if transport.state == "connected" and thread.session is None:
                try:
                    thread.session = srtcp_session(transport)
                except Exception:  # feedback then goes through the loop
                    log.warning("no SRTCP session for the feedback thread", exc_info=True)

        transport.on("statechange", keys)
        keys()
        thread.active = True

    def _retry_nacks(self, receiver: Any) -> None:
        """Filter aiortc's NACKs through :attr:`nacks`, ask again for what is still missing
        every round trip (aiortc's ``NackGenerator.missing``, per receiver), and give a packet
        up for the next keyframe when the requests could not bring it (:attr:`recovered`)."""
        generator = getattr(receiver, _NACKS, None)
        if generator is None:
            return
        send = receiver._send_rtcp_nack
        stream = _VideoStream(generator, send, receiver._send_rtcp_pli, install_recovery(receiver))

        async def send_nack(media_ssrc: int, lost: list[int]) -> None:
            stream.ssrcs.add(media_ssrc)
            await self.nacks.wrap(send)(media_ssrc, lost)

        receiver._send_rtcp_nack = send_nack
        self._nack_streams.append(stream)
        if self._nack_task is None:
            self._nack_task = asyncio.ensure_future(self._retry())

    async def _retry(self) -> None:
        while True:
            await asyncio.sleep(0.05)
            for stream in self._nack_streams:
                await self._check(stream)

    async def _check(self, stream: _VideoStream) -> None:
        buffer = stream.buffer
        blocked = buffer.blocked_for() if buffer is not None else 0.0
        if buffer is not None and blocked > stall_limit_s(self.rtt_s) and buffer.give_up():
            log.info("video packet given up after %.1f s: waiting for a keyframe", blocked)
            stream.generator.missing.clear()
            for ssrc in stream.ssrcs:
                self.nacks.forget(ssrc)
        if buffer is not None and buffer.waiting:
            if buffer.ssrc is not None:
                await stream.send_pli(buffer.ssrc)  # one per round trip (:attr:`keyframes`)
            return
        for ssrc in list(stream.ssrcs):
            due = self.nacks.due(ssrc, set(stream.generator.missing))
            if due:
                await stream.send_nack(ssrc, due)

    @property
    def recovered(self) -> int:
        """How often a missing packet was given up for the next keyframe."""
        return sum(s.buffer.gave_up for s in self._nack_streams if s.buffer is not None)

    def transport_cc(self) -> bool:
        """The sender numbers its packets and gets transport feedback."""
        return self.agreed and self.recorder.packets > 0

    def busy(self) -> bool:
        """The console reads packets late: its own CPU is the bottleneck, not the network."""
        lag = self.recorder.read_lag_ms()
        return lag is not None and lag > BUSY_READ_LAG_MS

    async def close(self) -> None:
        if self._nack_task is not None:
            self._nack_task.cancel()
        if self.thread is not None:
            self.thread.stop()
        if self.feedback is not None:
            await self.feedback.stop()
