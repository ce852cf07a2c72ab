"""The waiting room's connection without a window: replaced sockets, restarts, sign-out."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from advisor_app.console.room_connection import ConnectionEvents, RoomConnection
from advisor_app.core.protocol import SocketError, WaitingSnapshot
from tests.helpers.call_fakes import Tasks

pytestmark = pytest.mark.unit


class Credentials:
    base_url = "http://127.0.0.1:1"
    token: str | None = "token"
    ca_bundle: Path | None = None


class FakeRoom:
    """A socket that runs until the test ends it (or makes it fail)."""

    def __init__(
        self,
        _url: str,
        token: str,
        on_event: Callable[[BaseModel], None],
        on_online: Callable[[bool], None],
        *,
        ca_bundle: Path | None,
        calls: Callable[[], list[int]],
    ) -> None:
        self.token = token
        self.on_event = on_event
        self.on_online = on_online
        self.calls = calls
        self.ended: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.signed_out = False
        self.closed = False
        self.admitted: list[int] = []

    async def run(self) -> None:
        await self.ended

    async def close(self) -> None:
        self.closed = True
        if not self.ended.done():
            self.ended.set_result(None)

    async def admit(self, participant_id: int) -> bool:
        self.admitted.append(participant_id)
        return True


class Desk:
    def __init__(self) -> None:
        self.tasks = Tasks()
        self.rooms: list[FakeRoom] = []
        self.events: list[BaseModel] = []
        self.online: list[bool] = []
        self.signed_out = 0
        self.timers: list[tuple[float, Callable[[], None]]] = []
        self.in_call = [7]
        self.connection = RoomConnection(
            Credentials(),
            self.tasks,
            ConnectionEvents(
                event=self.events.append,
                online=self.online.append,
                signed_out=self._signed_out,
            ),
            lambda seconds, call: self.timers.append((seconds, call)),
            calls=lambda: list(self.in_call),
            restart_s=2.0,
            room=self._room,
        )

    def _signed_out(self) -> None:
        self.signed_out += 1

    def _room(self, *args: Any, **kwargs: Any) -> FakeRoom:
        room = FakeRoom(*args, **kwargs)
        self.rooms.append(room)
        return room


@pytest.fixture
def desk() -> Desk:
    return Desk()


async def test_events_of_a_replaced_socket_are_dropped(desk: Desk) -> None:
    desk.connection.start()
    first = desk.rooms[0]
    assert first.calls() == [7]  # who is in the call, asked at every (re)connect
    desk.connection.start()
    second = desk.rooms[1]
    snapshot = WaitingSnapshot(entries=[])
    first.on_event(snapshot)
    first.on_online(True)
    assert desk.events == [] and desk.online == []
    second.on_online(True)
    second.on_event(snapshot)
    assert desk.events == [snapshot] and desk.online == [True]
    assert desk.connection.room_client is second


async def test_an_unauthorized_reply_is_no_message_but_a_sign_out(desk: Desk) -> None:
    desk.connection.start()
    room = desk.rooms[0]
    room.on_online(True)
    room.on_event(SocketError(error="unauthorized", message="Bitte neu anmelden."))
    assert desk.events == []
    room.signed_out = True
    room.ended.set_result(None)
    await desk.tasks.settle()
    assert desk.signed_out == 1 and desk.online == [True, False]
    assert desk.connection.room_client is None


async def test_a_failed_socket_loop_is_started_again_later(desk: Desk) -> None:
    desk.connection.start()
    desk.rooms[0].ended.set_exception(RuntimeError("kaputt"))
    await desk.tasks.settle()
    assert [s for s, _ in desk.timers] == [2.0] and len(desk.rooms) == 1
    desk.timers[0][1]()
    assert len(desk.rooms) == 2


async def test_no_restart_after_closing_and_none_without_a_token(desk: Desk) -> None:
    desk.connection.start()
    room = desk.rooms[0]
    await desk.connection.close()
    assert room.closed
    await desk.tasks.settle()
    assert desk.timers == [] and desk.signed_out == 0
    Credentials.token = None
    try:
        desk.connection.start()
    finally:
        Credentials.token = "token"
    assert len(desk.rooms) == 1


async def test_an_action_without_a_connection_says_so(desk: Desk) -> None:
    sent: list[bool] = []
    desk.connection.admit(3, sent.append)
    assert sent == [False]
    assert isinstance(desk.events[0], SocketError) and desk.events[0].error == "offline"
    desk.connection.start()
    desk.connection.admit(3, sent.append)
    desk.connection.admit(4, sent.append)  # its own task: the first is not cancelled
    await desk.connection.close()
    await desk.tasks.settle()
    assert desk.rooms[0].admitted == [3, 4] and sent == [False, True, True]
