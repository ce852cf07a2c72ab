"""The console's call as a use case: who is in it, how it starts, runs and ends.

:class:`CallCoordinator` starts the :class:`CallSession` once the service has sent its ICE
servers (participants admitted and signals received meanwhile wait), routes a lost device
to the session, ends the call in order (links, devices, the service, the anonymous report)
and holds the call page's rules: the last one leaving ends the call, whose identity is
checked, the share paused while the ID check is open, what a share keeps out of sight,
sending a guest back. It reports through :class:`CallEvents` on the event loop's thread.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel

from advisor_app.client.call_media import CallMedia
from advisor_app.client.call_session import CallListener, CallSession, MediaOpeners, MediaProblem
from advisor_app.client.media import Device, ShareSource, Window
from advisor_app.client.peer import PeerLink, PeerState, SignalSender
from advisor_app.console.id_check import CheckStep
from advisor_app.console.tasks import Failure, Spawn
from advisor_app.core.call_quality import QualitySample
from advisor_app.core.domain import Role
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
    WaitingEntry,
)
from advisor_app.core.statistics_periods import QualityTally

__all__ = [
    "CallCoordinator",
    "CallEvents",
    "CallService",
    "Departure",
    "MediaFactory",
    "MediaProblem",
    "PauseNote",
    "PeerState",
    "RoomLink",
    "SharedScreen",
]

log = logging.getLogger(__name__)

#: Makes the media of a new call (the devices page's choice at that moment).
MediaFactory = Callable[[], CallMedia]
#: Makes the session once the ICE servers are known (tests hand in a fake).
SessionFactory = Callable[[SignalSender, CallListener, IceConfig, MediaOpeners, str], CallSession]


def _session(
    send: SignalSender, listener: CallListener, ice: IceConfig, openers: MediaOpeners, codec: str
) -> CallSession:
    return CallSession(send, listener, ice, openers, codec=codec)


class RoomLink(Protocol):
    """The waiting-room socket as far as the call uses it (a :class:`RoomClient`)."""

    async def signal(self, participant_id: int, payload: SignalPayload) -> bool: ...

    async def end_call(self, participant_id: int, *, remove: bool = False) -> bool: ...

    async def to_waiting_room(self, participant_id: int) -> bool: ...


class CallService(Protocol):
    """The service as far as the call uses it (a :class:`ServiceClient`)."""

    async def ice(self) -> IceConfig: ...

    async def report_call(self, report: CallReportIn) -> object: ...

    async def record_identity(
        self, appointment_id: int, identity: IdentityIn
    ) -> AppointmentOut: ...


class PauseNote(StrEnum):
    """Why the own camera video is not sent to somebody, as the page says it."""

    NONE = ""
    WEAK = "weak"  # a connection too weak for video (wins over the advisor's choice)
    CHOSEN = "chosen"  # the advisor chose "Nur Ton"


@dataclass(frozen=True, slots=True)
class Departure:
    """Somebody left the call; ``last``: the call ended with them."""

    entry: WaitingEntry
    #: ``CallEnded.by`` ("participant", "timeout", "returned", …) or "withdrawn" (consent).
    how: str
    last: bool


@dataclass(frozen=True, slots=True)
class SharedScreen:
    """What the advisor chose to share: its name, and whether it is one window (then
    nothing else on the screen reaches the picture)."""

    name: str
    window: bool


def _ignore(*_args: object) -> None:
    return None


@dataclass
class CallEvents:
    """What a :class:`CallCoordinator` reports."""

    peer_state: Callable[[int, PeerState], None] = _ignore
    chat: Callable[[int, ChatMessage], None] = _ignore
    remote_media: Callable[[int, MediaState], None] = _ignore
    quality: Callable[[int, QualitySample], None] = _ignore
    problem: Callable[[MediaProblem], None] = _ignore
    #: The call could not be started (the service's ICE settings did not arrive).
    start_failed: Callable[[Failure], None] = _ignore
    local_media: Callable[[MediaState], None] = _ignore
    #: The advisor's screen share started (True) or stopped (False).
    local_screen: Callable[[bool], None] = _ignore
    #: A participant started (True) or stopped (False) presenting their screen.
    remote_screen: Callable[[int, bool], None] = _ignore
    pause: Callable[[PauseNote], None] = _ignore
    #: A participant's part ended without the advisor's "Gespräch beenden".
    left: Callable[[Departure], None] = _ignore
    #: The service shows a participant of the call back in the waiting room (it restarted,
    #: or this console was away longer than the grace); ``left`` follows.
    returned: Callable[[int], None] = _ignore


class CallCoordinator:
    """Starts, runs and ends the console's call; one at a time."""

    def __init__(
        self,
        service: CallService,
        room: Callable[[], RoomLink | None],
        spawn: Spawn,
        media: MediaFactory,
        events: CallEvents,
        *,
        codec: str = "VP8",
        session: SessionFactory = _session,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._service = service
        self._room = room
        self._spawn = spawn
        self._media_factory = media
        self._events = events
        self._codec = codec
        self._session_factory = session
        self._clock = clock
        self._media: CallMedia | None = None
        self.session: CallSession | None = None
        self._waiting: list[int] = []  # admitted before the session had its ICE servers
        self._senders: dict[int, ChatSender] = {}
        self._early: list[BaseModel] = []  # their signals meanwhile (the page's "ready")
        self._starting: asyncio.Task[None] | None = None
        #: For the anonymous statistics: who took part, since when, how the connection was.
        self._call_pids: list[int] = []
        self._call_started = 0.0
        self._quality = QualityTally()
        #: The people on the call page, in the order they were admitted, and their links.
        self._entries: list[WaitingEntry] = []
        self._states: dict[int, PeerState] = {}
        #: Participants to whom the camera video is paused, and why ("weak", "chosen").
        self._pauses: dict[int, str] = {}
        self._checking: int | None = None
        self.shared: SharedScreen | None = None

    # --- who is in the call ---------------------------------------------------------------

    @property
    def active(self) -> bool:
        """The console is in a session (somebody was admitted and is still there)."""
        return bool(self._entries)

    @property
    def entries(self) -> list[WaitingEntry]:
        return list(self._entries)

    def entry(self, participant_id: int) -> WaitingEntry | None:
        return next((p for p in self._entries if p.participant_id == participant_id), None)

    def state(self, participant_id: int) -> PeerState:
        return self._states.get(participant_id, PeerState.WAITING)

    def participants(self) -> list[int]:
        """Who is in this console's call (told to the service on every reconnect)."""
        return [*self._waiting, *(self.session.links if self.session is not None else ())]

    def admit(self, entry: WaitingEntry) -> None:
        """Somebody was admitted: they are on the page, waiting for :meth:`join`."""
        pid = entry.participant_id
        self._entries = [*(p for p in self._entries if p.participant_id != pid), entry]
        self._states[pid] = PeerState.WAITING

    def join(self, participant_id: int, who: ChatSender | None = None) -> None:
        """An admitted participant joins the call (the first one starts it). ``who``: their
        name and role, for the chat lines the others of a group call get (by default those
        of the admitted entry)."""
        entry = self.entry(participant_id)
        if who is None and entry is not None:
            who = ChatSender(name=entry.name, role=entry.role)
        if who is not None:
            self._senders[participant_id] = who
        if not self._call_pids:
            self._call_started, self._quality = self._clock(), QualityTally()
        if participant_id not in self._call_pids:
            self._call_pids.append(participant_id)
        if self.session is not None:
            self.session.add(participant_id, self._senders.get(participant_id))
            return
        self._waiting.append(participant_id)
        if len(self._waiting) == 1:
            self._starting = self._spawn("call-start", self._start(), None, self._on_start_failed)

    def withdraw(self, participant_id: int) -> Departure | None:
        """Somebody revoked their consent: they leave the call, the last one ends it (None:
        not in the call)."""
        entry = self.entry(participant_id)
        if entry is None:
            return None
        self.remove(participant_id)  # their part is over at the service already
        return self._depart(entry, "withdrawn")

    def _depart(self, entry: WaitingEntry, how: str) -> Departure:
        if len(self._entries) <= 1:
            self.hang_up()
            return Departure(entry, how, last=True)
        pid = entry.participant_id
        self._entries = [p for p in self._entries if p.participant_id != pid]
        self._states.pop(pid, None)
        self._set_pause(pid, None)
        return Departure(entry, how, last=False)

    # --- start ----------------------------------------------------------------------------

    async def _start(self) -> None:
        try:
            ice = await self._service.ice()
        except Exception:  # an old service without /api/ice: host candidates still work
            log.warning("no ICE servers from the service; using host candidates only")
            ice = IceConfig()
        events = self._events
        media = self._media = self._media_factory()
        listener = CallListener(
            audio=media.play,
            state=self._on_state,
            chat=events.chat,
            remote_media=events.remote_media,
            quality=self._on_quality,
            bye=lambda pid: self._on_state(pid, PeerState.ENDED),
            problem=events.problem,
            local_media=events.local_media,
            local_screen=events.local_screen,
            remote_screen=lambda pid, msg: events.remote_screen(pid, msg.active),
            video_pause=self._set_pause,
        )
        openers = media.openers(self._on_device_lost)
        session = self._session_factory(self._signal, listener, ice, openers, self._codec)
        self.session = session
        for pid in self._waiting:
            session.add(pid, self._senders.get(pid))
        self._waiting.clear()
        early, self._early = self._early, []
        for event in early:
            session.handle_event(event)
        await session.start()  # a page that is ready meanwhile gets its offer; tracks follow

    def _on_state(self, participant_id: int, state: PeerState) -> None:
        if self.entry(participant_id) is not None:
            self._states[participant_id] = state
        self._events.peer_state(participant_id, state)

    def _on_quality(self, participant_id: int, sample: QualitySample) -> None:
        self._quality.add(participant_id, sample.level, self._clock())
        self._events.quality(participant_id, sample)

    def _set_pause(self, participant_id: int, reason: str | None) -> None:
        if reason is None:
            self._pauses.pop(participant_id, None)
        else:
            self._pauses[participant_id] = reason
        self._events.pause(self.pause_note)

    @property
    def pause_note(self) -> PauseNote:
        if "weak" in self._pauses.values():
            return PauseNote.WEAK
        return PauseNote.CHOSEN if self._pauses else PauseNote.NONE

    def _on_device_lost(self, kind: Device, problem: MediaProblem) -> None:
        """A device stopped during the call: say so; the call goes on without it."""
        if self.session is not None and kind is Device.SCREEN:
            self.session.screen_lost(problem)
        elif self.session is not None and kind in (Device.CAMERA, Device.MICROPHONE):
            self.session.device_lost(kind, problem)
        else:
            self._events.problem(problem)

    def _on_start_failed(self, failure: Failure) -> None:
        self._waiting.clear()
        self._early.clear()
        self._events.start_failed(failure)

    async def _signal(self, participant_id: int, payload: SignalPayload) -> bool:
        room = self._room()
        if room is None:
            return False
        return await room.signal(participant_id, payload)

    # --- pictures -------------------------------------------------------------------------

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

    def remote_bgr(self, participant_id: int) -> Any:
        """The participant's newest frame as a BGR array (for the ID check), or None."""
        frame = self.remote_frame(participant_id)
        return None if frame is None else frame.to_ndarray(format="bgr24")

    # --- own media ------------------------------------------------------------------------

    @property
    def has_camera(self) -> bool:
        return self.session is not None and self.session.camera is not None

    @property
    def has_microphone(self) -> bool:
        return self.session is not None and self.session.microphone is not None

    def set_camera(self, enabled: bool) -> None:
        if self.session is not None:
            self._spawn("call-camera", self.session.set_camera(enabled))

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

    # --- screen sharing -------------------------------------------------------------------

    @property
    def sharing(self) -> bool:
        return self.session is not None and self.session.screen is not None

    def share_screen(self, source: ShareSource, name: str) -> None:
        """Share ``source``, a monitor or one window, as the second video (a problem is
        reported, the call goes on)."""
        self.shared = SharedScreen(name, isinstance(source, Window))
        if self.session is None or self._media is None:
            return
        opener = self._media.screen(source, self._on_device_lost)
        self._spawn("call-screen", self.session.start_screen(opener))

    def stop_screen(self) -> None:
        if self.session is not None:
            self._spawn("call-screen", self.session.stop_screen())

    def _pause_screen(self, paused: bool) -> None:
        """A pause sign instead of the shared screen."""
        if self.session is not None:
            self.session.pause_screen(paused)

    # --- ID check -------------------------------------------------------------------------

    def checked_person(self) -> WaitingEntry | None:
        """Whose identity is checked: the citizen, else the first person connected."""
        connected = [
            e for e in self._entries if self.state(e.participant_id) is PeerState.CONNECTED
        ]
        citizens = [e for e in connected if e.role is Role.CITIZEN]
        chosen = citizens or connected
        return chosen[0] if chosen else None

    def begin_id_check(self) -> WaitingEntry | None:
        """The ID check opens for :meth:`checked_person` (None: nobody to check). The
        document never reaches a shared screen (nor the guests through it), on every system:
        the share shows a pause sign until :meth:`end_id_check`."""
        person = self.checked_person()
        if person is None:
            return None
        self._checking = person.participant_id
        self._pause_screen(True)
        return person

    def id_check_step(self, step: str) -> None:
        """Show the ID-check instruction on the checked person's page ("front", "back", …)."""
        if self._checking is not None and self.session is not None:
            self.session.send_idcheck_step(self._checking, step)

    def end_id_check(self, step: CheckStep) -> None:
        """The ID check closed at ``step``: the share goes on, the person's page is told."""
        self._pause_screen(False)
        self.id_check_step("done" if step is CheckStep.DONE else "cancelled")
        self._checking = None

    def record_identity(
        self,
        appointment_id: int,
        identity: IdentityIn,
        on_done: Callable[[AppointmentOut], None],
        on_error: Callable[[Failure], None],
    ) -> None:
        self._spawn(
            f"identity-{appointment_id}",
            self._service.record_identity(appointment_id, identity),
            on_done,
            on_error,
        )

    # --- a guest back to the waiting room, or removed -------------------------------------

    def send_back(self, participant_id: int) -> WaitingEntry | None:
        """ "Zurück ins Wartezimmer": the person waits again and can be admitted again."""
        entry = self.entry(participant_id)
        if entry is not None:
            self._tell_room(participant_id, remove=False)
        return entry

    def remove_guest(self, participant_id: int) -> WaitingEntry | None:
        """ "Entfernen": the service ends this guest's part; the others stay in the call."""
        entry = self.entry(participant_id)
        if entry is not None:
            self._tell_room(participant_id, remove=True)
        return entry

    def _tell_room(self, participant_id: int, *, remove: bool) -> None:
        # The link closes when the service confirms (``call_ended``), like any other leave.
        room = self._room()
        if room is None:
            return
        coro = (
            room.end_call(participant_id, remove=True)
            if remove
            else room.to_waiting_room(participant_id)
        )
        self._spawn(f"call-leave-{participant_id}", coro)

    # --- end ------------------------------------------------------------------------------

    def remove(self, participant_id: int) -> None:
        """One participant's link is closed; the service, which ended their part already, is
        not asked to end it again."""
        if self.session is not None:
            self.session.leave(participant_id)
        if participant_id in self._waiting:
            self._waiting.remove(participant_id)
        if self._media is not None:
            self._media.forget(participant_id)

    def hang_up(self) -> None:
        """ "Gespräch beenden": goodbye to everyone, the service is told, devices released."""
        self._entries = []
        self._states.clear()
        if self._pauses:
            self._pauses.clear()
            self._events.pause(PauseNote.NONE)
        ending = self._detach()
        if ending is not None:
            self._spawn("call-end", ending)

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
        return self._end(session, media, pids, self._room(), self._service, report)

    def _report(self) -> CallReportIn | None:
        """The call's length and seconds per quality label, for the anonymous statistics."""
        pids, self._call_pids = self._call_pids, []
        if not pids:
            return None
        seconds = {level.value: s for level, s in self._quality.whole_seconds().items()}
        return CallReportIn(
            participant_ids=pids[:5],
            duration_s=min(round(self._clock() - self._call_started), 24 * 3600),
            quality_s=QualitySeconds(**seconds),
        )

    @staticmethod
    async def _end(
        session: CallSession | None,
        media: CallMedia | None,
        pids: list[int],
        room: RoomLink | None,
        service: CallService,
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
                await service.report_call(report)
            except Exception as exc:  # the figures are not worth an error message to the advisor
                log.warning("call report not sent: %s", exc)

    # --- the waiting room's events --------------------------------------------------------

    def on_room_event(self, event: BaseModel) -> None:
        """An event of the advisor's socket: signals, presence and leaves of the call."""
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
            self._on_state(event.participant_id, link.state)
            return
        leaving = isinstance(event, CallEnded) and event.participant_id in session.links
        returned = session.returned(event)
        session.handle_event(event)
        if leaving:
            assert isinstance(event, CallEnded)
            if self._media is not None:
                self._media.forget(event.participant_id)
            self._left(event.participant_id, event.by)
        for pid in returned:
            if self._media is not None:
                self._media.forget(pid)
            self._events.returned(pid)
            self._left(pid, "returned")

    def _left(self, participant_id: int, how: str) -> None:
        entry = self.entry(participant_id)
        if entry is not None:
            self._events.left(self._depart(entry, how))
