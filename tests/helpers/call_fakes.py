"""Stand-ins around the call coordinator: a session that records, media, room and service.

The session keeps what the coordinator asked of it; a test plays the links' reports through
the listener the coordinator gave it. Tasks run on the test's own event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from advisor_app.client.call_session import CallListener, MediaOpeners, MediaProblem
from advisor_app.client.media import Device
from advisor_app.client.peer import PeerState
from advisor_app.console.tasks import Failure
from advisor_app.core.protocol import (
    AppointmentOut,
    CallEnded,
    CallReportIn,
    ChatMessage,
    ChatSender,
    IceConfig,
    IdentityIn,
    MediaState,
    SignalPayload,
)

T = TypeVar("T")


class Tasks:
    """The UI's task runner in small: named tasks, failures as :class:`Failure`."""

    def __init__(self) -> None:
        self.tasks: dict[str, asyncio.Task[Any]] = {}
        self.started: list[str] = []

    def __call__(
        self,
        name: str,
        coro: Coroutine[Any, Any, T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Failure], None] | None = None,
    ) -> asyncio.Task[T]:
        old = self.tasks.get(name)
        if old is not None and not old.done():
            old.cancel()
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self.tasks[name] = task
        self.started.append(name)

        def finished(done: asyncio.Task[T]) -> None:
            if done.cancelled():
                return
            exc = done.exception()
            if exc is None:
                if on_done is not None:
                    on_done(done.result())
            elif on_error is not None:
                on_error(Failure(str(exc)))

        task.add_done_callback(finished)
        return task

    async def finished(self, name: str) -> None:
        """Until task ``name`` has ended and its callbacks ran."""
        await asyncio.gather(self.tasks[name], return_exceptions=True)
        await asyncio.sleep(0)

    async def settle(self) -> None:
        """Until every task has ended and its callbacks ran."""
        while pending := [t for t in self.tasks.values() if not t.done()]:
            await asyncio.gather(*pending, return_exceptions=True)
        await asyncio.sleep(0)  # the done callbacks are scheduled, not run, by the loop


@dataclass
class FakeLink:
    state: PeerState = PeerState.WAITING


@dataclass
class FakeSession:
    """Records what the coordinator asks; ``listener`` is how the test plays the links."""

    send_signal: Callable[[int, SignalPayload], Coroutine[Any, Any, bool]]
    listener: CallListener
    ice: IceConfig
    openers: MediaOpeners
    codec: str
    links: dict[int, FakeLink] = field(default_factory=dict)
    senders: dict[int, ChatSender | None] = field(default_factory=dict)
    handled: list[BaseModel] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    steps: list[tuple[int, str]] = field(default_factory=list)
    lost: list[tuple[str, MediaProblem]] = field(default_factory=list)
    camera: object | None = None
    microphone: object | None = None
    screen: object | None = None
    started: bool = False
    closed: bool = False
    #: Set by a test: who the next event shows back in the waiting room.
    returning: list[int] = field(default_factory=list)

    def add(self, participant_id: int, who: ChatSender | None = None) -> FakeLink:
        self.senders[participant_id] = who
        link = self.links[participant_id] = FakeLink()
        return link

    async def start(self) -> None:
        self.started = True

    def handle_event(self, event: BaseModel) -> bool:
        self.handled.append(event)
        if isinstance(event, CallEnded):
            self.links.pop(event.participant_id, None)
        return True

    def returned(self, _event: BaseModel) -> list[int]:
        back, self.returning = self.returning, []
        for pid in back:
            self.links.pop(pid, None)
        return back

    def leave(self, participant_id: int) -> None:
        self.log.append(f"leave {participant_id}")
        self.links.pop(participant_id, None)

    async def close(self) -> None:
        self.log.append("session closed")
        self.closed = True

    def screen_lost(self, problem: MediaProblem) -> None:
        self.lost.append(("screen", problem))

    def device_lost(self, kind: Device, problem: MediaProblem) -> None:
        self.lost.append((kind, problem))

    def pause_screen(self, paused: bool) -> None:
        self.log.append(f"screen paused {paused}")

    def send_idcheck_step(self, participant_id: int, step: str) -> bool:
        self.steps.append((participant_id, step))
        return participant_id in self.links

    async def start_screen(self, _opener: object) -> bool:
        self.screen = object()
        self.listener.local_screen(True)
        return True

    async def stop_screen(self) -> None:
        self.screen = None
        self.listener.local_screen(False)

    async def set_camera(self, enabled: bool) -> None:
        self.log.append(f"camera {enabled}")

    def set_audio_only(self, on: bool) -> None:
        self.log.append(f"audio only {on}")

    def set_microphone(self, enabled: bool) -> None:
        self.log.append(f"microphone {enabled}")

    def send_chat(self, text: str) -> ChatMessage:
        return ChatMessage(id="m1", text=text, at=datetime.now(UTC))

    @property
    def media_state(self) -> MediaState:
        return MediaState(camera=self.camera is not None, microphone=self.microphone is not None)


class FakeMedia:
    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.lost: Callable[[str, MediaProblem], None] | None = None

    def openers(self, lost: Callable[[str, MediaProblem], None]) -> MediaOpeners:
        self.lost = lost
        return MediaOpeners()

    def screen(self, source: object, lost: Callable[[str, MediaProblem], None]) -> object:
        self.lost = lost
        return source

    def play(self, _participant_id: int, _frame: object) -> None:
        return None

    def forget(self, participant_id: int) -> None:
        self.log.append(f"forget {participant_id}")

    async def close(self) -> None:
        self.log.append("media closed")


class FakeRoom:
    """The waiting-room socket: what was sent through it."""

    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.signals: list[tuple[int, SignalPayload]] = []

    async def signal(self, participant_id: int, payload: SignalPayload) -> bool:
        self.signals.append((participant_id, payload))
        return True

    async def end_call(self, participant_id: int, *, remove: bool = False) -> bool:
        self.log.append(f"end call {participant_id}" + (" (removed)" if remove else ""))
        return True

    async def to_waiting_room(self, participant_id: int) -> bool:
        self.log.append(f"to waiting room {participant_id}")
        return True


class FakeService:
    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.ice_ready = asyncio.Event()
        self.ice_ready.set()
        self.has_ice = True
        self.reports: list[CallReportIn] = []
        self.identities: list[tuple[int, IdentityIn]] = []
        self.appointment: AppointmentOut | None = None

    async def ice(self) -> IceConfig:
        await self.ice_ready.wait()
        if not self.has_ice:
            raise RuntimeError("404: no /api/ice on this service")
        return IceConfig()

    async def report_call(self, report: CallReportIn) -> object:
        self.log.append("report sent")
        self.reports.append(report)
        return None

    async def record_identity(self, appointment_id: int, identity: IdentityIn) -> AppointmentOut:
        self.identities.append((appointment_id, identity))
        if self.appointment is None:
            raise RuntimeError("refused")
        return self.appointment
