"""The console's waiting-room client against the real service, including a reconnect."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import BaseModel

from advisor_app.client.room_client import RoomClient
from advisor_app.core.protocol import Arrived, Departed, SocketError, WaitingSnapshot
from tests.helpers.processes import Serve, child_env, free_port
from tests.helpers.service import MONDAY_11, Service
from tests.helpers.waiting_room import citizen_socket, consent, link_token, recv

pytestmark = pytest.mark.integration


async def until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.02)


async def test_room_client_sees_arrival_admits_and_reconnects(service: Service, token: str) -> None:
    appt = await service.create(token, name="Erika Mustermann")
    link = link_token(appt)
    await consent(service, link)
    service.clock.set(MONDAY_11 - timedelta(minutes=3))
    token = await service.token_for("berater")

    events: list[BaseModel] = []
    online: list[bool] = []
    client = RoomClient(str(service.client.make_url("")), token, events.append, online.append)
    runner = asyncio.create_task(client.run())
    await until(lambda: any(isinstance(e, WaitingSnapshot) for e in events))
    assert online == [True]

    citizen = await citizen_socket(service, link, "lobby")
    await citizen.send_json({"type": "enter"})
    await recv(citizen)
    await until(lambda: any(isinstance(e, Arrived) for e in events))
    arrived = next(e for e in events if isinstance(e, Arrived))
    assert arrived.entry.name == "Erika Mustermann"

    assert await client.admit(arrived.entry.participant_id)
    assert (await recv(citizen))["phase"] == "admitted"
    await until(lambda: any(isinstance(e, Departed) for e in events))

    await client.close()
    await asyncio.wait_for(runner, 5)
    await citizen.close()


async def test_room_client_stops_when_token_is_refused(service: Service, token: str) -> None:
    events: list[BaseModel] = []
    client = RoomClient(str(service.client.make_url("")), "kein-gueltiges-token", events.append)
    await asyncio.wait_for(client.run(), 10)
    assert client.signed_out
    assert isinstance(events[0], SocketError)
    assert events[0].error == "unauthorized"


async def test_room_client_reconnects_after_a_service_restart(tmp_path: Path) -> None:
    """A real ``serve`` process is stopped and started again on the same port."""
    port = free_port()
    token = "lokales-token-" + "x" * 20
    env = child_env(ADVISOR_EMBEDDED_TOKEN=token)
    args = ["serve", "--port", str(port), "--data-dir", str(tmp_path / "data")]
    events: list[BaseModel] = []
    online: list[bool] = []
    with Serve(args, cwd=tmp_path, env=env) as first:
        url = await asyncio.to_thread(first.wait_ready)
        client = RoomClient(url, token, events.append, online.append)
        runner = asyncio.create_task(client.run())
        await until(lambda: online == [True])
        await asyncio.to_thread(first.stop)
    await until(lambda: online[-1] is False)
    assert not await client.note(1, "Hallo")  # offline: refused with a clear message
    assert isinstance(events[-1], SocketError)
    assert events[-1].error == "offline"
    with Serve(args, cwd=tmp_path, env=env) as second:
        await asyncio.to_thread(second.wait_ready)
        await until(lambda: online[-1] is True, timeout=20)
        assert sum(isinstance(e, WaitingSnapshot) for e in events) == 2
        await client.close()
        await asyncio.wait_for(runner, 5)
        await asyncio.to_thread(second.stop)
