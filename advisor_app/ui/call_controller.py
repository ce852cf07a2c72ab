"""The call as Qt signals: a thin adapter around :class:`CallCoordinator`.

The coordinator runs on the console's qasync loop, so its events already arrive on the GUI
thread; this adapter re-emits them as signals and hands the coordinator the task runner.
Pages connect slots to the signals and call the coordinator's plain methods.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import shiboken6
from pydantic import BaseModel
from PySide6.QtCore import QObject, Signal, SignalInstance

from advisor_app.client.call_session import CallSession
from advisor_app.client.service_client import ServiceClient
from advisor_app.console.call_coordinator import (
    CallCoordinator,
    CallEvents,
    Departure,
    MediaFactory,
    MediaProblem,
    PauseNote,
)
from advisor_app.console.tasks import Failure
from advisor_app.core.call_quality import QualitySample
from advisor_app.core.protocol import ChatMessage, MediaState
from advisor_app.ui.room_feed import RoomFeed
from advisor_app.ui.tasks import TaskRunner

__all__ = ["CallController", "MediaFactory"]

T = TypeVar("T")


class CallController(QObject):
    """Owns the console's :class:`CallCoordinator` and says what happens as signals."""

    peer_state_changed = Signal(int, str)  # participant id, PeerState value
    chat_received = Signal(int, ChatMessage)
    remote_media_changed = Signal(int, MediaState)
    quality_changed = Signal(int, QualitySample)
    problem = Signal(MediaProblem)
    start_failed = Signal(Failure)
    local_media_changed = Signal(MediaState)
    #: The advisor's screen share started (True) or stopped (False).
    local_screen_changed = Signal(bool)
    #: A participant started (True) or stopped (False) presenting their screen.
    remote_screen_changed = Signal(int, bool)
    #: Why the camera video is paused to somebody, if it is.
    video_pause_changed = Signal(PauseNote)
    #: A participant's part ended without the advisor's "Gespräch beenden".
    participant_left = Signal(Departure)
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
        self._runner = runner
        emit = self._emit
        events = CallEvents(
            peer_state=lambda pid, state: emit(self.peer_state_changed, pid, state.value),
            chat=lambda pid, msg: emit(self.chat_received, pid, msg),
            remote_media=lambda pid, state: emit(self.remote_media_changed, pid, state),
            quality=lambda pid, sample: emit(self.quality_changed, pid, sample),
            problem=lambda problem: emit(self.problem, problem),
            start_failed=lambda failure: emit(self.start_failed, failure),
            local_media=lambda state: emit(self.local_media_changed, state),
            local_screen=lambda active: emit(self.local_screen_changed, active),
            remote_screen=lambda pid, active: emit(self.remote_screen_changed, pid, active),
            pause=lambda note: emit(self.video_pause_changed, note),
            left=lambda departure: emit(self.participant_left, departure),
            returned=lambda pid: emit(self.participant_returned, pid),
        )
        self.coordinator = CallCoordinator(
            client, lambda: room.room_client, self._spawn, media, events, codec=codec
        )
        room.event_received.connect(self._on_room_event)

    @property
    def session(self) -> CallSession | None:
        return self.coordinator.session

    @property
    def language(self) -> str:
        return self._runner.language

    async def close(self) -> None:
        """At quit: end a running call at once."""
        await self.coordinator.close()

    def _spawn(
        self,
        name: str,
        coro: Coroutine[Any, Any, T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Failure], None] | None = None,
    ) -> asyncio.Task[T]:
        return self._runner.run(name, coro, on_done, on_error, owner=self)

    def _on_room_event(self, event: BaseModel) -> None:
        self.coordinator.on_room_event(event)

    def _emit(self, signal: SignalInstance, *args: Any) -> None:
        """Emit unless this adapter is already gone (a call's last words at quit)."""
        if shiboken6.isValid(self):
            signal.emit(*args)
