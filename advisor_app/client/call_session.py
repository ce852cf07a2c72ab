"""The console's side of a call: local camera and microphone, one link per participant, chat.

No Qt here: ``console/call_coordinator.py`` (:class:`CallCoordinator`) starts and ends a
:class:`CallSession` and passes its callbacks on; the UI's adapter turns them into signals.
Devices are opened through injected openers, so the call runs the same with a real camera, a
video file or a generated test picture. A device that is missing or fails is reported once
and the call goes on with what works.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from aiortc.contrib.media import MediaRelay
from aiortc.mediastreams import MediaStreamTrack
from pydantic import BaseModel

from advisor_app.client.media.problems import Device
from advisor_app.client.media.synthetic import StillTrack, paused_picture
from advisor_app.client.peer import PeerLink, PeerListener, SignalSender
from advisor_app.core.domain import Role
from advisor_app.core.protocol import (
    AdvisorSignal,
    Arrived,
    CallEnded,
    ChatMessage,
    ChatSender,
    IceConfig,
    IdCheckStep,
    MediaState,
    SignalPayload,
    WaitingSnapshot,
)

log = logging.getLogger(__name__)

#: Opens a device and returns its track; raises when the device cannot be used.
TrackOpener = Callable[[], Awaitable[MediaStreamTrack]]


@dataclass(frozen=True, slots=True)
class MediaProblem:
    """A device that does not work, for the call page: which one, and why (a media problem
    code, see ``client/media/problems.py``; the console has the words)."""

    kind: Device
    code: str


@dataclass
class MediaOpeners:
    camera: TrackOpener | None = None
    microphone: TrackOpener | None = None


async def release(track: MediaStreamTrack) -> None:
    """Stop a local device's track and wait until its device is let go (a camera's capture
    thread joined), so nothing of the call outlives it."""
    close = getattr(track, "close", None)
    if close is not None and asyncio.iscoroutinefunction(close):
        await close()
    else:
        track.stop()


def _problem(kind: Device, exc: BaseException) -> MediaProblem:
    code = getattr(exc, "code", None)
    return MediaProblem(kind, code if isinstance(code, str) else f"{kind}-failed")


@dataclass
class CallListener(PeerListener):
    """The session's reports: everything of :class:`PeerListener`, plus device problems."""

    problem: Callable[[MediaProblem], None] = lambda _problem: None
    local_media: Callable[[MediaState], None] = lambda _state: None
    #: The advisor's screen share started (True) or stopped (False).
    local_screen: Callable[[bool], None] = lambda _active: None


@dataclass
class CallSession:
    """One call of the console with up to three participants."""

    send_signal: SignalSender
    listener: CallListener
    ice: IceConfig
    openers: MediaOpeners = field(default_factory=MediaOpeners)
    codec: str = "VP8"
    links: dict[int, PeerLink] = field(default_factory=dict)
    #: Name and role of each participant, for chat lines passed on in a group call.
    senders: dict[int, ChatSender] = field(default_factory=dict)
    camera: MediaStreamTrack | None = None
    microphone: MediaStreamTrack | None = None
    microphone_on: bool = True
    #: The shared screen's track while the advisor shares (sent as the second video).
    screen: MediaStreamTrack | None = None
    #: The screen share shows a pause sign (see :meth:`pause_screen`).
    screen_paused: bool = False
    _paused_track: MediaStreamTrack | None = None
    #: The advisor chose "Nur Ton": the camera is sent to nobody (the device stays open).
    audio_only: bool = False
    _relay: MediaRelay = field(default_factory=MediaRelay)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _closed: bool = False

    # --- devices ----------------------------------------------------------------------------

    async def start(self, *, camera: bool = True, microphone: bool = True) -> None:
        """Open the devices the advisor wants; what fails is reported, the call goes on."""
        if camera:
            await self.set_camera(True)
        if microphone:
            track = await self._open(Device.MICROPHONE, self.openers.microphone)
            if self._closed:  # the call ended while the device opened: let it go at once
                if track is not None:
                    await release(track)
                return
            self.microphone = track
            self._share("audio")
        self._media_changed()

    async def _open(self, kind: Device, opener: TrackOpener | None) -> MediaStreamTrack | None:
        if opener is None:
            return None
        try:
            return await opener()
        except Exception as exc:  # every device failure ends here, with a message
            log.warning("%s unavailable: %s", kind, exc)
            self.listener.problem(_problem(kind, exc))
            return None

    async def set_camera(self, enabled: bool) -> bool:
        """Switch the camera on (opens the device) or off (releases it); True when on."""
        if enabled and self.camera is None:
            self.camera = await self._open(Device.CAMERA, self.openers.camera)
        elif not enabled and self.camera is not None:
            track, self.camera = self.camera, None
            self._share("video")
            await release(track)
        if self._closed:
            await self._stop_local()
            return False
        self._share("video")
        self._media_changed()
        return self.camera is not None

    def set_microphone(self, enabled: bool) -> bool:
        """Mute (nothing is sent at all) or unmute; True when the microphone is live."""
        self.microphone_on = enabled
        self._share("audio")
        self._media_changed()
        return self.microphone_live

    @property
    def microphone_live(self) -> bool:
        return self.microphone is not None and self.microphone_on

    def device_lost(self, kind: Device, problem: MediaProblem) -> None:
        """A device stopped during the call (unplugged): report it and send nothing for it."""
        self.listener.problem(problem)
        if kind is Device.CAMERA and self.camera is not None:
            track, self.camera = self.camera, None
            self._share("video")
            self._spawn(release(track))
        elif kind is Device.MICROPHONE and self.microphone is not None:
            track, self.microphone = self.microphone, None
            self._share("audio")
            self._spawn(release(track))
        self._media_changed()

    # --- screen sharing ---------------------------------------------------------------------

    async def start_screen(self, opener: TrackOpener) -> bool:
        """Share a screen (``opener`` starts its capture) next to the camera; True when shared.
        A screen already shared is replaced without a gap in the call."""
        try:
            track = await opener()
        except Exception as exc:  # no display, the monitor gone between picking and sharing
            log.warning("screen unavailable: %s", exc)
            self.listener.problem(_problem(Device.SCREEN, exc))
            return False
        if self._closed:
            await release(track)
            return False
        old, self.screen = self.screen, track
        self._share("screen")
        if old is not None:
            await release(old)
        self._screen_changed()
        return True

    async def stop_screen(self) -> None:
        """Stop sharing: the screen sender goes idle, the capture thread ends."""
        track, self.screen = self.screen, None
        if track is None:
            return
        self._share("screen")
        await release(track)
        self._screen_changed()

    def pause_screen(self, paused: bool) -> None:
        """While paused (the ID check is open), everyone gets a pause sign instead of the
        shared screen; the capture goes on, so resuming has no gap. Not sharing: nothing to
        do now, but a share started meanwhile starts paused."""
        if paused == self.screen_paused:
            return
        self.screen_paused = paused
        if paused:
            self._paused_track = StillTrack(paused_picture())
        if self.screen is not None:
            self._share("screen")
        if not paused and self._paused_track is not None:
            self._paused_track.stop()
            self._paused_track = None

    def set_audio_only(self, on: bool) -> None:
        """The advisor's "Nur Ton": every link stops (or resumes) sending the camera, and
        says so to its participant, so a weak link keeps the sound."""
        self.audio_only = on
        for link in self.links.values():
            link.set_audio_only(on)

    def screen_lost(self, problem: MediaProblem) -> None:
        """The shared monitor vanished (unplugged): say so, stop sharing, the call goes on."""
        self.listener.problem(problem)
        self._spawn(self.stop_screen())

    def _screen_changed(self) -> None:
        active = self.screen is not None
        for link in self.links.values():
            link.set_local_screen(active)
        self.listener.local_screen(active)

    def _source(self, kind: str) -> MediaStreamTrack | None:
        if kind == "screen":
            if self.screen is not None and self.screen_paused:
                return self._paused_track
            return self.screen
        if kind == "video":
            return self.camera
        return self.microphone if self.microphone_on else None

    def _share(self, kind: str, links: list[PeerLink] | None = None) -> None:
        """Give every link its own view of the local track (or none)."""
        source = self._source(kind)
        for link in links if links is not None else list(self.links.values()):
            proxy = (
                self._relay.subscribe(source, buffered=kind == "audio")
                if source is not None
                else None
            )
            link.set_track(kind, proxy)

    def _share_all(self, link: PeerLink) -> None:
        """Fresh views of every local track for ``link`` (a new link, or a new negotiation)."""
        for kind in ("audio", "video", "screen"):
            self._share(kind, [link])

    def _media_changed(self) -> None:
        state = self.media_state
        for link in self.links.values():
            link.set_local_media(state)
        self.listener.local_media(state)

    @property
    def media_state(self) -> MediaState:
        return MediaState(camera=self.camera is not None, microphone=self.microphone_live)

    # --- participants -----------------------------------------------------------------------

    def add(self, participant_id: int, who: ChatSender | None = None) -> PeerLink:
        """An admitted participant joins; the link waits for the page's "ready". ``who``:
        their name and role, for the chat lines passed on to the others of a group call."""
        if who is not None:
            self.senders[participant_id] = who
        link = self.links.get(participant_id)
        if link is None:
            listener = replace(self.listener, chat=self._on_chat)
            link = PeerLink(participant_id, self.ice, self.send_signal, listener, self.codec)
            self.links[participant_id] = link
            link.renew_tracks = lambda: self._share_all(link)
            link.set_audio_only(self.audio_only)
            self._share_all(link)
            link.set_local_media(self.media_state)
            link.set_local_screen(self.screen is not None)
        return link

    async def on_signal(self, participant_id: int, payload: SignalPayload) -> None:
        link = self.links.get(participant_id)
        if link is None:
            log.info("signal from participant %s, who is not in this call", participant_id)
            return
        await link.handle(payload)

    def handle_event(self, event: BaseModel) -> bool:
        """An event of the advisor's socket: True when it belonged to this call.

        Signals go to their link; a participant whose call ended (hung up, ended by another
        console of the same advisor, gone for longer than the grace) leaves the call.
        """
        if isinstance(event, AdvisorSignal) and event.participant_id in self.links:
            self._spawn(self.on_signal(event.participant_id, event.payload))
            return True
        if isinstance(event, CallEnded) and event.participant_id in self.links:
            self.leave(event.participant_id, say_bye=False)
            return True
        for pid in self.returned(event):  # the waiting room shows them: this call is over
            self.leave(pid, say_bye=False)
        return False

    def leave(self, participant_id: int, *, say_bye: bool = True) -> None:
        """A participant's part is over: out of :attr:`links` at once (ending the call must
        not ask the service to end theirs again), their link closed in the background."""
        link = self.links.pop(participant_id, None)
        if link is not None:
            self._spawn(link.close(say_bye=say_bye))

    def returned(self, event: BaseModel) -> list[int]:
        """Participants of this call whom ``event`` shows back in the waiting room (the
        service restarted, or kept them waiting while this console was away)."""
        if isinstance(event, WaitingSnapshot):
            return [e.participant_id for e in event.entries if e.participant_id in self.links]
        if isinstance(event, Arrived) and event.entry.participant_id in self.links:
            return [event.entry.participant_id]
        return []

    def _spawn(self, coro: Any) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("call task failed", exc_info=task.exception())

    async def remove(self, participant_id: int, *, say_bye: bool = True) -> None:
        link = self.links.pop(participant_id, None)
        if link is not None:
            await link.close(say_bye=say_bye)

    # --- chat and control -------------------------------------------------------------------

    def send_chat(self, text: str) -> ChatMessage:
        """Send a chat line to everyone in the call; the message as the page shows it."""
        message = ChatMessage(id=uuid.uuid4().hex, text=text, at=datetime.now(UTC))  # cleaned there
        for link in self.links.values():
            link.send(message)
        return message

    def _on_chat(self, participant_id: int, message: ChatMessage) -> None:
        """A participant's line: shown in the console, and passed on to the others of a group
        call with the writer's name and role (never a name the page claims)."""
        message = message.model_copy(update={"sender": None})
        self.listener.chat(participant_id, message)
        others = [link for pid, link in self.links.items() if pid != participant_id]
        if not others:
            return
        who = self.senders.get(participant_id, ChatSender(name="", role=Role.OTHER))
        passed = message.model_copy(update={"sender": who})
        for link in others:
            link.send(passed)

    def send_idcheck_step(self, participant_id: int, step: str) -> bool:
        link = self.links.get(participant_id)
        return link is not None and link.send(IdCheckStep.model_validate({"step": step}))

    # --- end --------------------------------------------------------------------------------

    async def _stop_local(self) -> None:
        if self._paused_track is not None:
            self._paused_track.stop()
            self._paused_track = None
        tracks = [t for t in (self.camera, self.microphone, self.screen) if t is not None]
        self.camera = None
        self.microphone = None
        self.screen = None
        await asyncio.gather(*(release(t) for t in tracks), return_exceptions=True)

    async def close(self) -> None:
        """End the call: goodbye to everyone, every connection and device released."""
        self._closed = True
        if self._tasks:  # negotiations and releases still under way finish first (briefly)
            _done, pending = await asyncio.wait(list(self._tasks), timeout=5)
            for task in pending:
                task.cancel()
        links = list(self.links.values())
        self.links.clear()
        await asyncio.gather(*(link.close() for link in links), return_exceptions=True)
        await self._stop_local()

    @property
    def closed(self) -> bool:
        return self._closed
