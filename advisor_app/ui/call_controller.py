"""The call as Qt signals: a thin adapter around :class:`CallSession`.

The session runs on the console's qasync loop, so its callbacks already arrive on the GUI
thread; this adapter re-emits them as signals and starts the session's coroutines through the
task runner. Widgets only connect slots and call plain methods.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

import shiboken6
from pydantic import BaseModel
from PySide6.QtCore import QObject, Signal

from advisor_app.client.call import CallListener, CallSession, MediaProblem
from advisor_app.client.call_media import CallMedia
from advisor_app.client.media import ShareSource
from advisor_app.client.peer import PeerLink, PeerState
from advisor_app.client.service_client import ServiceClient
from advisor_app.core.protocol import (
    AdvisorSignal,
    AppointmentOut,
    CallEnded,
    CallReportIn,
    ChatMessage,
    ChatSender,
    IceConfig,
    IdentityIn,
    MediaState,
    PeerPresence,
    QualitySeconds,
    SignalPayload,
)
from advisor_app.core.statistics import QualityTally
from advisor_app.ui.room_feed import RoomFeed
from advisor_app.ui.tasks import Failure, TaskRunner

log = logging.getLogger(__name__)

#: Makes the media of a new call (the devices page's choice at that moment).
MediaFactory = Callable[[], CallMedia]


class CallController(QObject):
    """Starts, runs and ends the console's call; one at a time."""

    peer_state_changed = Signal(int, str)  # participant id, PeerState value
    chat_received = Signal(int, object)  # participant id, ChatMessage
    remote_media_changed = Signal(int, object)  # participant id, MediaState
    quality_changed = Signal(int, object)  # participant id, QualitySample
    problem = Signal(object)  # MediaProblem
    local_media_changed = Signal(object)  # MediaState
    #: The advisor's screen share started (True) or stopped (False).
    local_screen_changed = Signal(bool)
    #: A participant started (True) or stopped (False) presenting their screen.
    remote_screen_changed = Signal(int, bool)
    #: The camera video to a participant paused: participant id, "weak" | "chosen" | None.
    video_pause_changed = Signal(int, object)
    #: A participant's part ended without the advisor: participant id and ``CallEnded.by``
    #: ("participant": hung up, "timeout": gone for good, "returned", …).
    participant_left = Signal(int, str)
    #: The service shows a participant of the call back in the waiting room (it restarted,
    #: or this console was away longer than the grace); ``participant_left`` follows.
    participant_returned = Signal(int)

    def __init__(
        self,
        client: ServiceClient,
        room: RoomFeed,
        runner: TaskRunner,
        media: MediaFactory,
        *,
        codec: str = "VP8",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._room = room
        self._runner = runner
        self._media_factory = media
        self._media: CallMedia | None = None
        self._codec = codec
        self.session: CallSession | None = None
        self._waiting: list[int] = []  # admitted before the session had its ICE servers
        self._senders: dict[int, ChatSender] = {}
        self._early: list[BaseModel] = []  # their signals meanwhile (the page's "ready")
        self._starting: asyncio.Task[None] | None = None
        #: For the anonymous statistics: who took part, since when, how the connection was.
        self._call_pids: list[int] = []
        self._call_started = 0.0
        self._quality = QualityTally()
        room.event_received.connect(self._on_room_event)
        room.calls = self.participants

    # --- start ------------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self.session is not None

    @property
    def language(self) -> str:
        return self._runner.language

    def participants(self) -> list[int]:
        """Who is in this console's call (told to the service on every reconnect)."""
        return [*self._waiting, *(self.session.links if self.session is not None else ())]

    def join(self, participant_id: int, who: ChatSender | None = None) -> None:
        """An admitted participant joins the call (the first one starts it). ``who``: their
        name and role, for the chat lines the others of a group call get."""
        if who is not None:
            self._senders[participant_id] = who
        if not self._call_pids:
            self._call_started, self._quality = time.monotonic(), QualityTally()
        if participant_id not in self._call_pids:
            self._call_pids.append(participant_id)
        if self.session is not None:
            self.session.add(participant_id, self._senders.get(participant_id))
            return
        self._waiting.append(participant_id)
        if len(self._waiting) == 1:
            self._starting = self._runner.run(
                "call-start", self._start(), on_error=self._on_start_failed, owner=self
            )

    async def _start(self) -> None:
        try:
            ice = await self._client.ice()
        except Exception:  # an old service without /api/ice: host candidates still work
            log.warning("no ICE servers from the service; using host candidates only")
            ice = IceConfig()
        emit = self._emit
        media = self._media = self._media_factory()
        listener = CallListener(
            audio=media.play,
            state=lambda pid, state: emit(self.peer_state_changed, pid, state.value),
            chat=lambda pid, msg: emit(self.chat_received, pid, msg),
            remote_media=lambda pid, state: emit(self.remote_media_changed, pid, state),
            quality=self._on_quality,
            bye=lambda pid: emit(self.peer_state_changed, pid, PeerState.ENDED.value),
            problem=lambda problem: emit(self.problem, problem),
            local_media=lambda state: emit(self.local_media_changed, state),
            local_screen=lambda active: emit(self.local_screen_changed, active),
            remote_screen=lambda pid, msg: emit(self.remote_screen_changed, pid, msg.active),
            video_pause=lambda pid, reason: emit(self.video_pause_changed, pid, reason),
        )
        openers = media.openers(self._on_device_lost)
        session = CallSession(self._signal, listener, ice, openers, codec=self._codec)
        self.session = session
        for pid in self._waiting:
            session.add(pid, self._senders.get(pid))
        self._waiting.clear()
        early, self._early = self._early, []
        for event in early:
            session.handle_event(event)
        await session.start()  # a page that is ready meanwhile gets its offer; tracks follow

    def _on_quality(self, participant_id: int, sample: Any) -> None:
        self._quality.add(participant_id, sample.level, time.monotonic())
        self._emit(self.quality_changed, participant_id, sample)

    def _on_device_lost(self, kind: str, problem: MediaProblem) -> None:
        """A device stopped during the call: say so; the call goes on without it."""
        if self.session is not None and kind == "screen":
            self.session.screen_lost(problem)
        elif self.session is not None and kind in ("camera", "microphone"):
            self.session.device_lost(kind, problem)
        else:
            self._emit(self.problem, problem)

    def _emit(self, signal: Any, *args: Any) -> None:
        """Emit unless this adapter is already gone (a call's last words at quit)."""
        if shiboken6.isValid(self):
            signal.emit(*args)

    def _on_start_failed(self, failure: Failure) -> None:
        self._waiting.clear()
        self._early.clear()
        self.problem.emit(MediaProblem("call", failure.message, failure.message))

    async def _signal(self, participant_id: int, payload: SignalPayload) -> bool:
        room = self._room.room_client
        if room is None:
            return False
        return await room.signal(participant_id, payload)

    # --- during the call --------------------------------------------------------------------

    def link(self, participant_id: int) -> PeerLink | None:
        return self.session.links.get(participant_id) if self.session else None

    def remote_frame(self, participant_id: int) -> Any:
        link = self.link(participant_id)
        return link.video.frame if link is not None else None

    def local_frame(self) -> Any:
        """The own camera's newest frame (an ``av.VideoFrame`` or a BGR array), or None."""
        camera = self.session.camera if self.session else None
        if camera is None:
            return None
        for name in ("latest_bgr", "latest_frame"):  # a device camera, or a generated picture
            latest = getattr(camera, name, None)
            if callable(latest):
                return latest()
        return None

    def remote_screen_frame(self, participant_id: int) -> Any:
        """The newest frame of the screen a participant presents, or None."""
        link = self.link(participant_id)
        return link.screen.frame if link is not None and link.remote_screen.active else None

    def local_screen_frame(self) -> Any:
        """What the advisor shares right now (BGR), or None."""
        screen = self.session.screen if self.session else None
        latest = getattr(screen, "latest_bgr", None)
        return latest() if callable(latest) else None

    @property
    def sharing(self) -> bool:
        return self.session is not None and self.session.screen is not None

    def share_screen(self, source: ShareSource) -> None:
        """Share ``source``, a monitor or one window, as the second video (a problem is
        reported, the call goes on)."""
        if self.session is None or self._media is None:
            return
        opener = self._media.screen(source, self._on_device_lost)
        self._runner.run("call-screen", self.session.start_screen(opener), owner=self)

    def pause_screen(self, paused: bool) -> None:
        """A pause sign instead of the shared screen (while the ID check is open)."""
        if self.session is not None:
            self.session.pause_screen(paused)

    def stop_screen(self) -> None:
        if self.session is not None:
            self._runner.run("call-screen", self.session.stop_screen(), owner=self)

    def remote_bgr(self, participant_id: int) -> Any:
        """The participant's newest frame as a BGR array (for the ID check), or None."""
        frame = self.remote_frame(participant_id)
        return None if frame is None else frame.to_ndarray(format="bgr24")

    def send_idcheck_step(self, participant_id: int, step: str) -> None:
        """Show the ID-check instruction on the participant's page ("front", "back", …)."""
        if self.session is not None:
            self.session.send_idcheck_step(participant_id, step)

    def record_identity(
        self,
        appointment_id: int,
        identity: IdentityIn,
        on_done: Callable[[AppointmentOut], None],
        on_error: Callable[[Failure], None],
    ) -> None:
        self._runner.run(
            f"identity-{appointment_id}",
            self._client.record_identity(appointment_id, identity),
            on_done=on_done,
            on_error=on_error,
            owner=self,
        )

    def set_camera(self, enabled: bool) -> None:
        if self.session is not None:
            self._runner.run("call-camera", self.session.set_camera(enabled), owner=self)

    def set_audio_only(self, on: bool) -> None:
        """The advisor's "Nur Ton": the camera stays open but is sent to nobody."""
        if self.session is not None:
            self.session.set_audio_only(on)

    def set_microphone(self, enabled: bool) -> None:
        if self.session is not None:
            self.session.set_microphone(enabled)

    def send_chat(self, text: str) -> ChatMessage | None:
        if self.session is None:
            return None
        return self.session.send_chat(text)

    def media_state(self) -> MediaState:
        if self.session is None:
            return MediaState(camera=False, microphone=False)
        return self.session.media_state

    # --- end --------------------------------------------------------------------------------

    def remove(self, participant_id: int) -> None:
        """One participant leaves (consent revoked): their link is closed; the service, which
        ended their part already, is not asked to end it again."""
        if self.session is not None:
            self.session.leave(participant_id)
        if participant_id in self._waiting:
            self._waiting.remove(participant_id)
        if self._media is not None:
            self._media.forget(participant_id)

    def remove_guest(self, participant_id: int) -> None:
        """ "Entfernen": the service ends this guest's part; the others stay in the call."""
        self._tell_room(participant_id, remove=True)

    def send_to_waiting_room(self, participant_id: int) -> None:
        """ "Zurück ins Wartezimmer": the person waits again and can be admitted again."""
        self._tell_room(participant_id, remove=False)

    def _tell_room(self, participant_id: int, *, remove: bool) -> None:
        # The link closes when the service confirms (``call_ended``), like any other leave.
        room = self._room.room_client
        if room is None:
            return
        coro = (
            room.end_call(participant_id, remove=True)
            if remove
            else room.to_waiting_room(participant_id)
        )
        self._runner.run(f"call-leave-{participant_id}", coro)

    def hang_up(self) -> None:
        """ "Gespräch beenden": goodbye to everyone, the service is told, devices released."""
        ending = self._detach()
        if ending is not None:
            self._runner.run("call-end", ending)

    async def close(self) -> None:
        """At quit: end a running call at once."""
        ending = self._detach()
        if ending is not None:
            await ending

    def _detach(self) -> Coroutine[Any, Any, None] | None:
        """Forget the call here; the returned coroutine tears it down (None: no call)."""
        session, self.session = self.session, None
        media, self._media = self._media, None
        if self._starting is not None and not self._starting.done():
            self._starting.cancel()  # ended while the ICE servers or devices were coming
        pids = [*self._waiting, *(session.links if session is not None else ())]
        self._waiting.clear()
        self._early.clear()
        if session is None and not pids:
            self._call_pids = []
            return None
        report = self._report()
        return self._end(session, media, pids, self._room.room_client, self._client, report)

    def _report(self) -> CallReportIn | None:
        """The call's length and seconds per quality label, for the anonymous statistics."""
        pids, self._call_pids = self._call_pids, []
        if not pids:
            return None
        seconds = {level.value: s for level, s in self._quality.whole_seconds().items()}
        return CallReportIn(
            participant_ids=pids[:5],
            duration_s=min(round(time.monotonic() - self._call_started), 24 * 3600),
            quality_s=QualitySeconds(**seconds),
        )

    @staticmethod
    async def _end(
        session: CallSession | None,
        media: CallMedia | None,
        pids: list[int],
        room: Any,
        client: ServiceClient,
        report: CallReportIn | None,
    ) -> None:
        if session is not None:
            await session.close()
        if media is not None:
            await media.close()
        if room is not None:
            for pid in pids:
                await room.end_call(pid)
        if report is not None:
            try:
                await client.report_call(report)
            except Exception as exc:  # the figures are not worth an error message to the advisor
                log.warning("call report not sent: %s", exc)

    # --- slots ------------------------------------------------------------------------------

    def _on_room_event(self, event: BaseModel) -> None:
        session = self.session
        if session is None:
            if isinstance(event, AdvisorSignal) and event.participant_id in self._waiting:
                self._early.append(event)
            return
        if isinstance(event, PeerPresence) and event.participant_id in session.links:
            # Only the page's socket to the service: the call's own path (heartbeat, media)
            # may well be alive, and its link says so. The tile shows the link's state; a
            # real outage is the link's silence.
            link = session.links[event.participant_id]
            log.info("participant %s online: %s", event.participant_id, event.online)
            self.peer_state_changed.emit(event.participant_id, link.state.value)
            return
        leaving = isinstance(event, CallEnded) and event.participant_id in session.links
        returned = session.returned(event)
        session.handle_event(event)
        if leaving:
            assert isinstance(event, CallEnded)
            if self._media is not None:
                self._media.forget(event.participant_id)
            self.participant_left.emit(event.participant_id, event.by)
        for pid in returned:
            if self._media is not None:
                self._media.forget(pid)
            self.participant_returned.emit(pid)
            self.participant_left.emit(pid, "returned")
