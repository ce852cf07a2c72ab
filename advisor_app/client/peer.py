"""One aiortc peer connection from the console to one participant's browser.

The console always makes the offer: the participant's page says "ready" (first time, or again
after a reload) and the link negotiates a fresh connection with audio and two videos both ways
(the camera first, a shared screen second, idle until somebody shares) plus one data channel.
The ``screen`` message names the screen transceiver's ``mid``; received video is routed by
the transceiver it arrives on. Local tracks are switched with ``replaceTrack``, never by
renegotiating. Every received track is read all the time; of the video only the newest frame
is kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from aiortc import (
    RTCConfiguration,
    RTCDataChannel,
    RTCIceServer,
    RTCPeerConnection,
    RTCRtpSender,
    RTCRtpTransceiver,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.rtcconfiguration import RTCBundlePolicy, RTCIceTransportPolicy
from aiortc.sdp import candidate_from_sdp
from pydantic import BaseModel, TypeAdapter, ValidationError

from advisor_app.client.media.switch import SwitchTrack
from advisor_app.client.rtc import receive as rtc_receive
from advisor_app.client.rtc.adapt import Pause
from advisor_app.client.rtc.load import LoadProbe
from advisor_app.client.rtc.playout import PlayoutClock, delay_cap, delay_floor
from advisor_app.client.rtc.receive_audio import AudioConcealer
from advisor_app.client.rtc.send import SendAdapter, UnsupportedAiortc
from advisor_app.core.call_quality import FREEZE_WINDOW_S, QualitySample, count_freezes
from advisor_app.core.protocol import (
    CHANNEL_LABEL,
    Alive,
    Bye,
    Candidate,
    ChannelMessage,
    ChatMessage,
    Description,
    IceConfig,
    MediaState,
    Ready,
    ScreenShare,
    SignalPayload,
    VideoPause,
)

log = logging.getLogger(__name__)

_channel: TypeAdapter[Any] = TypeAdapter(ChannelMessage)

#: Seconds between the "alive" messages on the data channel ...
ALIVE_EVERY_S = 1.0
#: ... and the silence after which the other side counts as interrupted.
SILENCE_S = 4.0
#: After an outage, the time the page's media gets to flow again before a fresh negotiation.
MEDIA_GRACE_S = 2.5
STATS_EVERY_S = 2.0

SignalSender = Callable[[int, SignalPayload], Awaitable[bool]]


class PeerState(StrEnum):
    WAITING = "waiting"  # admitted, the page has not said "ready" yet
    CONNECTING = "connecting"
    CONNECTED = "connected"
    INTERRUPTED = "interrupted"
    ENDED = "ended"


class FrameSlot:
    """The newest decoded video frame of one track, and how many arrived (for the fps)."""

    def __init__(self) -> None:
        self.frame: Any = None  # av.VideoFrame
        self.count = 0
        self._times: deque[float] = deque(maxlen=900)

    def put(self, frame: Any) -> None:
        self.frame = frame
        self.count += 1
        self._times.append(time.monotonic())

    def fps(self, window_s: float = 2.0) -> float:
        now = time.monotonic()
        recent = [t for t in self._times if now - t <= window_s]
        if len(recent) < 2:
            return 0.0
        return (len(recent) - 1) / max(recent[-1] - recent[0], 1e-6)

    def freezes(self, window_s: float = FREEZE_WINDOW_S) -> int:
        """Freezes (WebRTC's rule) that ended in the last ``window_s`` seconds."""
        now = time.monotonic()
        return count_freezes([t for t in self._times if now - t <= 2 * window_s], now - window_s)

    def clear(self) -> None:
        self.frame = None


@dataclass
class PeerListener:
    """What a link reports; every callback runs on the event loop's thread."""

    state: Callable[[int, PeerState], None] = lambda _pid, _state: None
    chat: Callable[[int, ChatMessage], None] = lambda _pid, _msg: None
    remote_media: Callable[[int, MediaState], None] = lambda _pid, _state: None
    remote_screen: Callable[[int, ScreenShare], None] = lambda _pid, _state: None
    quality: Callable[[int, QualitySample], None] = lambda _pid, _sample: None
    #: Received audio frames (``av.AudioFrame``) for the speaker.
    audio: Callable[[int, Any], None] = lambda _pid, _frame: None
    bye: Callable[[int], None] = lambda _pid: None
    #: The console's camera video to this participant paused ("weak", "chosen") or sent (None).
    video_pause: Callable[[int, str | None], None] = lambda _pid, _reason: None


def rtc_configuration(ice: IceConfig) -> RTCConfiguration:
    """The ICE servers, and one transport for everything (``max-bundle``).

    aiortc's default ``balanced`` policy gives the second video transceiver the first one's
    own transport at creation and then skips it when the answer's BUNDLE group is applied:
    its transport is stopped and the screen sender never starts (aiortc 1.16). With
    ``max-bundle`` every transceiver uses the first one's transport from the start.
    """
    return RTCConfiguration(
        bundlePolicy=RTCBundlePolicy.MAX_BUNDLE,
        iceServers=[
            RTCIceServer(urls=s.urls, username=s.username, credential=s.credential)
            for s in ice.ice_servers
        ],
        iceTransportPolicy=RTCIceTransportPolicy(ice.ice_transport_policy),
    )


def _prefer(transceiver: RTCRtpTransceiver, codec: str) -> None:
    """Offer ``codec`` first (VP8 by default, H.264 where asked), the others as fall-back."""
    codecs = RTCRtpSender.getCapabilities("video").codecs
    wanted = f"video/{codec}".lower()
    first = [c for c in codecs if c.mimeType.lower() == wanted]
    transceiver.setCodecPreferences(first + [c for c in codecs if c not in first])


@dataclass
class _Counters:
    at: float = 0.0
    bytes_in: int = 0
    bytes_out: int = 0
    received: int = 0
    lost: int = 0


@dataclass
class PeerLink:
    """The console's connection to one participant."""

    participant_id: int
    ice: IceConfig
    send_signal: SignalSender
    listener: PeerListener
    codec: str = "VP8"
    video: FrameSlot = field(default_factory=FrameSlot)
    #: The participant's shared screen (frames arrive only while they share).
    screen: FrameSlot = field(default_factory=FrameSlot)
    remote_screen: ScreenShare = field(default_factory=lambda: ScreenShare(active=False))
    state: PeerState = PeerState.WAITING
    _pc: RTCPeerConnection | None = None
    _channel: RTCDataChannel | None = None
    _senders: dict[str, RTCRtpSender] = field(default_factory=dict)
    _tracks: dict[str, MediaStreamTrack | None] = field(
        default_factory=lambda: {"audio": None, "video": None, "screen": None}
    )
    #: What each sender of the current connection sends (its source switched underneath).
    _switches: dict[str, SwitchTrack] = field(default_factory=dict)
    #: Transceiver mids of this connection: "audio", "video" (camera), "screen".
    _mids: dict[str, str] = field(default_factory=dict)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _pending: list[Candidate] = field(default_factory=list)
    _last_heard: float = 0.0
    #: Audio frames received on this link (with ``video.count``: does media flow?).
    _audio_count: int = 0
    _seq: int = 0
    _counters: _Counters = field(default_factory=_Counters)
    _local_media: MediaState = field(
        default_factory=lambda: MediaState(camera=False, microphone=False)
    )
    _local_screen: bool = False
    #: What the participant's page last said about its camera and microphone.
    remote_media: MediaState | None = None
    _load: LoadProbe = field(default_factory=LoadProbe)
    _loop_lag_ms: float = 0.0
    _closed: bool = False
    #: Transport feedback, receive timing and keyframe limits of the current connection.
    receive_side: rtc_receive.ReceiveSide | None = None
    #: The send side's adaptation of the current connection to the link's reports.
    _send: SendAdapter | None = None
    _audio_only: bool = False
    #: Gives the link fresh views of the local tracks (``set_track``) before each negotiation:
    #: aiortc stops a closed connection's sender tracks, so they cannot be sent again.
    renew_tracks: Callable[[], None] | None = None
    _renegotiation: asyncio.Task[None] | None = None
    _negotiating: asyncio.Lock = field(default_factory=asyncio.Lock)
    #: The number of the current offer (see ``Description.negotiation``).
    _negotiation: int = 0

    # --- negotiation ------------------------------------------------------------------------

    async def handle(self, payload: SignalPayload) -> None:
        """One step from the participant's page, relayed by the service."""
        if self._closed:
            return
        if isinstance(payload, Ready):
            log.info("participant %s is ready: a fresh offer", self.participant_id)
            await self.negotiate()
        elif isinstance(payload, Description) and payload.kind == "answer":
            if payload.negotiation not in (None, self._negotiation):
                log.info("participant %s: answer to a replaced offer dropped", self.participant_id)
                return
            await self._answer(payload.sdp)
        elif isinstance(payload, Candidate):
            if self._pc is not None and self._pc.remoteDescription is not None:
                await self._add_candidate(payload)
            else:
                self._pending.append(payload)
        else:
            log.warning("participant %s sent an unexpected %s", self.participant_id, payload.kind)

    async def negotiate(self) -> None:
        """A fresh connection and offer (the page is new, or came back after a reload).

        One at a time: a second "ready" waits until the first offer is out, so no connection
        is closed while it still gathers (its sockets would be left open)."""
        async with self._negotiating:
            if not self._closed:
                await self._negotiate()

    async def _negotiate(self) -> None:
        await self._close_pc()
        self._switches = {}  # the closed connection stopped its senders' tracks
        self._negotiation += 1
        if self.renew_tracks is not None:
            self.renew_tracks()
        self._set_state(PeerState.CONNECTING)
        rtc_receive.prepare()
        pc = RTCPeerConnection(rtc_configuration(self.ice))
        self._pc = pc
        self.receive_side = rtc_receive.ReceiveSide(pc)
        transceivers: dict[str, RTCRtpTransceiver] = {}
        for kind in ("audio", "video", "screen"):
            transceiver = pc.addTransceiver("audio" if kind == "audio" else "video", "sendrecv")
            if kind != "audio":
                _prefer(transceiver, self.codec)
            transceivers[kind] = transceiver
            self._senders[kind] = transceiver.sender
            switch = SwitchTrack("audio" if kind == "audio" else "video")
            switch.set_source(self._tracks[kind])
            self._switches[kind] = switch
            transceiver.sender.replaceTrack(switch)
        try:
            self._send = SendAdapter(
                dict(self._senders),
                vp8=self.codec.upper() == "VP8",
                sharing=lambda: self._local_screen,
                on_pause=self._on_pause,
            )
        except UnsupportedAiortc as exc:  # refused: plain aiortc, no adaptation
            log.error("%s", exc)
        if self._send is not None and self._audio_only:
            self._send.choose_audio_only(True)
        channel = pc.createDataChannel(CHANNEL_LABEL, ordered=True)
        self._channel = channel
        channel.on("open", lambda: self._on_channel_open(channel))
        channel.on("message", lambda data: self._on_channel_message(channel, data))
        pc.on("track", lambda track: self._on_track(pc, track))
        pc.on("connectionstatechange", lambda: self._on_connection_state(pc))
        await pc.setLocalDescription(await pc.createOffer())
        self.receive_side.after_local_description()
        self._mids = {kind: str(t.mid) for kind, t in transceivers.items()}
        offer = Description(
            kind="offer", sdp=pc.localDescription.sdp, negotiation=self._negotiation
        )
        if not await self.send_signal(self.participant_id, offer):
            log.warning("offer to participant %s not sent: no service", self.participant_id)

    def _renegotiate(self) -> None:
        """Start :meth:`negotiate` outside the link's own tasks (which it cancels); it is
        not cancelled on close, which waits for it instead."""
        if self._renegotiation is not None and not self._renegotiation.done():
            return
        task: asyncio.Task[None] = asyncio.ensure_future(self.negotiate())
        self._renegotiation = task
        task.add_done_callback(self._done)

    async def _answer(self, sdp: str) -> None:
        pc = self._pc
        if pc is None or pc.signalingState != "have-local-offer":
            log.info("participant %s: answer without an open offer dropped", self.participant_id)
            return
        try:
            await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="answer"))
        except (ValueError, RuntimeError) as exc:  # aiortc's errors for a malformed SDP
            log.warning("participant %s: answer refused: %s", self.participant_id, exc)
            return
        if self.receive_side is not None:
            self.receive_side.after_remote_description()
        if self._send is not None:
            self._send.start(pc.getTransceivers())
        pending, self._pending = self._pending, []
        for candidate in pending:
            await self._add_candidate(candidate)

    async def _add_candidate(self, payload: Candidate) -> None:
        if self._pc is None or not payload.candidate:
            return  # an empty candidate ends the list; aiortc needs no word for that
        text = payload.candidate.removeprefix("candidate:")
        try:
            candidate = candidate_from_sdp(text)
        except (ValueError, IndexError) as exc:
            log.warning("participant %s: bad ICE candidate dropped: %s", self.participant_id, exc)
            return
        candidate.sdpMid = payload.sdp_mid
        candidate.sdpMLineIndex = payload.sdp_mline_index
        with contextlib.suppress(ValueError):
            await self._pc.addIceCandidate(candidate)

    # --- local tracks -------------------------------------------------------------------------

    def set_track(self, kind: str, track: MediaStreamTrack | None) -> None:
        """Send ``track`` (or nothing) as this link's audio or video, without renegotiating."""
        old = self._tracks.get(kind)
        self._tracks[kind] = track
        switch = self._switches.get(kind)
        if switch is not None:
            switch.set_source(track)  # stops the old one
        elif old is not None and old is not track:
            old.stop()

    def set_local_media(self, state: MediaState) -> None:
        self._local_media = state
        self.send(state)

    def set_local_screen(self, active: bool) -> None:
        """Tell the participant whether the screen transceiver carries a shared screen."""
        self._local_screen = active
        self.send(self._screen_message())

    def set_audio_only(self, on: bool) -> None:
        """The advisor's "Nur Ton": no camera video to this participant until switched back."""
        self._audio_only = on
        if self._send is not None:
            self._send.choose_audio_only(on)

    def _on_pause(self, pause: Pause | None) -> None:
        self.send(self._pause_message())
        self.listener.video_pause(self.participant_id, pause.value if pause else None)

    def _pause_message(self) -> VideoPause:
        pause = self._send.pause if self._send is not None else None
        return VideoPause(reason=pause.value if pause else None)

    def _screen_message(self) -> ScreenShare:
        return ScreenShare(active=self._local_screen, mid=self._mids.get("screen"))

    # --- data channel ---------------------------------------------------------------------

    def send(self, message: BaseModel) -> bool:
        channel = self._channel
        if channel is None or channel.readyState != "open":
            return False
        channel.send(message.model_dump_json())
        return True

    def _on_channel_open(self, channel: RTCDataChannel) -> None:
        if channel is not self._channel:
            return
        self._last_heard = time.monotonic()
        self.send(self._local_media)
        self.send(self._screen_message())
        self.send(self._pause_message())
        self._spawn(self._keep_alive(channel))
        self._spawn(self._watch_stats())
        self._set_state(PeerState.CONNECTED)

    def _on_channel_message(self, channel: RTCDataChannel, data: str | bytes) -> None:
        if channel is not self._channel:
            return
        self._heard("heard again")
        try:
            message = _channel.validate_json(data)
        except ValidationError:
            log.warning(
                "participant %s: dropped a malformed data-channel message (%d bytes)",
                self.participant_id,
                len(data),
            )
            return
        if isinstance(message, ChatMessage):
            self.listener.chat(self.participant_id, message)
        elif isinstance(message, MediaState):
            self.remote_media = message
            self.listener.remote_media(self.participant_id, message)
        elif isinstance(message, ScreenShare):
            self._on_remote_screen(message)
        elif isinstance(message, Bye):
            self.listener.bye(self.participant_id)
        elif not isinstance(message, Alive):
            log.info("participant %s: ignored %s", self.participant_id, message.type)

    async def _keep_alive(self, channel: RTCDataChannel) -> None:
        while channel is self._channel and channel.readyState == "open":
            self._seq += 1
            channel.send(Alive(seq=self._seq).model_dump_json())
            if self._seq % 5 == 0:  # a state lost on the way is repaired within seconds
                channel.send(self._local_media.model_dump_json())
                channel.send(self._screen_message().model_dump_json())
                channel.send(self._pause_message().model_dump_json())
            silent = time.monotonic() - self._last_heard
            if silent > SILENCE_S and self.state is PeerState.CONNECTED:
                log.info("participant %s silent for %.1f s", self.participant_id, silent)
                self._set_state(PeerState.INTERRUPTED)
            await asyncio.sleep(ALIVE_EVERY_S)

    def _heard(self, what: str) -> None:
        """The page is heard (a data-channel message or a media frame). After an outage the
        call is live again at once; :meth:`_check_media` renegotiates only if the media
        itself does not come back."""
        self._last_heard = time.monotonic()
        if self.state is not PeerState.INTERRUPTED:
            return
        log.info("participant %s: %s after an outage", self.participant_id, what)
        self._set_state(PeerState.CONNECTED)
        self._spawn(self._check_media(self.video.count, self._audio_count))

    async def _check_media(self, video: int, audio: int) -> None:
        """Chromium's encoder and aiortc's receivers can stay stalled after a long gap (seen
        with a frozen TURN relay) while the data channel is back: then, and only then, a
        fresh connection brings clean media within a second."""
        await asyncio.sleep(MEDIA_GRACE_S)
        camera = self.remote_media is None or self.remote_media.camera
        video_stalled = camera and video > 0 and self.video.count == video
        nothing = self.video.count == video and self._audio_count == audio
        if video_stalled or nothing:
            log.info("participant %s: media stalled after an outage", self.participant_id)
            self._renegotiate()

    # --- received media ---------------------------------------------------------------------

    def _on_remote_screen(self, message: ScreenShare) -> None:
        if message.active and message.mid is not None and message.mid != self._mids.get("screen"):
            log.warning(
                "participant %s: screen on mid %s, expected %s; ignored",
                self.participant_id,
                message.mid,
                self._mids.get("screen"),
            )
            return
        changed = message.active != self.remote_screen.active
        self.remote_screen = message
        if not message.active:
            self.screen.clear()
        if changed:
            self.listener.remote_screen(self.participant_id, message)

    def _on_track(self, pc: RTCPeerConnection, track: MediaStreamTrack) -> None:
        if pc is not self._pc:
            return
        if track.kind != "video":
            self._spawn(self._pump_audio(track))
            return
        mid = next((t.mid for t in pc.getTransceivers() if t.receiver.track is track), None)
        slot = self.screen if mid == self._mids.get("screen") else self.video
        self._spawn(self._pump_video(pc, track, slot))

    async def _pump_video(
        self, pc: RTCPeerConnection, track: MediaStreamTrack, slot: FrameSlot
    ) -> None:
        """Decoded frames into ``slot``, each at its time (:class:`PlayoutClock`): late
        frames behind a retransmission are shown at the sender's pace, not in a burst."""
        loop = asyncio.get_running_loop()
        clock = PlayoutClock()
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            now = loop.time()
            if self.receive_side is not None:
                clock.max_delay_s = delay_cap(self.receive_side.rtt_s)
                clock.min_delay_s = delay_floor(self.receive_side.rtt_s)
            at = clock.schedule(frame.pts, now) if frame.pts is not None else now
            if at - now < 0.002:
                self._show(pc, slot, frame)
            else:
                loop.call_at(at, self._show, pc, slot, frame)

    def _show(self, pc: RTCPeerConnection, slot: FrameSlot, frame: Any) -> None:
        if pc is not self._pc or self._closed:
            return  # a frame of a connection that has been replaced or closed meanwhile
        if slot is self.screen and not self.remote_screen.active:
            return  # a stopped share's last frames
        slot.put(frame)
        self._heard("video flows")

    async def _pump_audio(self, track: MediaStreamTrack) -> None:
        concealer = AudioConcealer()  # lost packets: the last sound fading, not a click
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            self._audio_count += 1
            self._heard("audio flows")
            for out in concealer.frames(frame):
                self.listener.audio(self.participant_id, out)

    # --- connection state and statistics ---------------------------------------------------

    def _on_connection_state(self, pc: RTCPeerConnection) -> None:
        if pc is not self._pc or self._closed:
            return
        log.info("participant %s: connection %s", self.participant_id, pc.connectionState)
        if pc.connectionState in ("disconnected", "failed", "closed"):
            self._set_state(PeerState.INTERRUPTED)

    async def _watch_stats(self) -> None:
        pc = self._pc
        while pc is not None and pc is self._pc and not self._closed:
            slept = time.monotonic()
            await asyncio.sleep(STATS_EVERY_S)
            self._loop_lag_ms = 1000.0 * (time.monotonic() - slept - STATS_EVERY_S)
            if pc is not self._pc:
                return
            try:
                report = await pc.getStats()
            except Exception:  # a connection closing under our feet has no statistics
                log.debug("statistics unavailable", exc_info=True)
                continue
            self.listener.quality(self.participant_id, self._sample(report))

    def _sample(self, report: Any) -> QualitySample:
        now = time.monotonic()
        bytes_in = bytes_out = received = lost = 0
        rtts: list[float] = []
        for stats in report.values():
            if stats.type == "transport":  # one with BUNDLE: everything in and out
                bytes_in += stats.bytesReceived
                bytes_out += stats.bytesSent
            elif stats.type == "inbound-rtp":
                received += stats.packetsReceived
                lost += max(0, stats.packetsLost)
            elif stats.type == "remote-inbound-rtp" and stats.roundTripTime:
                rtts.append(stats.roundTripTime * 1000.0)
        old = self._counters
        span = now - old.at if old.at else 0.0
        self._counters = _Counters(now, bytes_in, bytes_out, received, lost)
        receive = self.receive_side
        read_lag = receive.recorder.read_lag_ms() if receive is not None else None
        if receive is not None and rtts:
            receive.rtt_s = max(rtts) / 1000.0
        load = self._load.read(max(read_lag or 0.0, self._loop_lag_ms))
        video_expected = self.remote_media is not None and self.remote_media.camera
        if span <= 0:
            return QualitySample(None, None, 0.0, 0.0, self.video.fps(), load=load)
        delta_packets = (received - old.received) + (lost - old.lost)
        loss = 100.0 * (lost - old.lost) / delta_packets if delta_packets > 0 else 0.0
        return QualitySample(
            rtt_ms=max(rtts) if rtts else None,
            loss_pct=max(0.0, loss),
            kbps_in=8 * (bytes_in - old.bytes_in) / span / 1000.0,
            kbps_out=8 * (bytes_out - old.bytes_out) / span / 1000.0,
            fps_in=self.video.fps(),
            video_expected=video_expected,
            freezes=self.video.freezes(),
            load=load,
        )

    # --- life cycle -----------------------------------------------------------------------

    def _set_state(self, state: PeerState) -> None:
        if state is not self.state:
            self.state = state
            self.listener.state(self.participant_id, state)

    def _spawn(self, coro: Any) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error(
                "participant %s: call task failed", self.participant_id, exc_info=task.exception()
            )

    async def _close_pc(self) -> None:
        pc, self._pc = self._pc, None
        receive_side, self.receive_side = self.receive_side, None
        if receive_side is not None:
            await receive_side.close()
        self._channel = None
        self._senders.clear()
        self._pending.clear()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        send, self._send = self._send, None
        if send is not None:
            await send.close()
            if send.pause is not None:  # the next connection starts sending (or says why not)
                self.listener.video_pause(self.participant_id, None)
        if pc is not None:
            await pc.close()
        self.video.clear()
        self.screen.clear()
        if self.remote_screen.active:
            self.remote_screen = ScreenShare(active=False)
            self.listener.remote_screen(self.participant_id, self.remote_screen)

    async def close(self, *, say_bye: bool = True) -> None:
        """Hang up this link: a goodbye on the channel, then everything is released."""
        if self._closed:
            return
        if say_bye:
            self.send(Bye())
            await asyncio.sleep(0.05)  # let SCTP carry the goodbye before the transport goes
        self._closed = True
        async with self._negotiating:  # an offer being made is finished first (briefly)
            await self._close_pc()
        self._switches = {}
        for kind in ("audio", "video", "screen"):
            track = self._tracks[kind]
            self._tracks[kind] = None
            if track is not None:
                track.stop()
        self._set_state(PeerState.ENDED)

    @property
    def sending(self) -> SendAdapter | None:
        """The send side's adaptation of the current connection (tests, the benchmark)."""
        return self._send

    @property
    def connection(self) -> RTCPeerConnection | None:
        """The current peer connection (for tests and the benchmark)."""
        return self._pc
