"""A revoked sign-in loses its socket; sign-ins are throttled per
account and address without letting strangers lock the advisor out."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import WSMsgType
from sqlalchemy import update

from advisor_app.server import keys, waiting_room_sockets
from advisor_app.storage.models import Advisor
from advisor_app.storage.repositories import AdvisorRepo
from tests.helpers.service import PASSWORD, Service
from tests.helpers.waiting_room import citizen_waiting, recv

pytestmark = pytest.mark.service


async def closed_code(ws: Any) -> tuple[list[dict[str, Any]], int]:
    frames = []
    while True:
        msg = await ws.receive(timeout=5)
        if msg.type is WSMsgType.TEXT:
            frames.append(msg.json())
            continue
        assert msg.type is WSMsgType.CLOSE, msg
        return frames, int(msg.data)


async def test_sign_out_closes_the_consoles_socket_at_once(service: Service, token: str) -> None:
    room = await citizen_waiting(service, token)
    status, _ = await service.call("POST", "/api/logout", room.token)
    assert status == 204
    _, code = await closed_code(room.advisor)
    assert code == 4401


async def disable(service: Service, username: str) -> None:
    """What ``advisor-console admin disable`` does, from the database's side."""
    async with service.app[keys.SESSIONS]() as session:
        await session.execute(
            update(Advisor).where(Advisor.username == username).values(active=False)
        )
        advisor = await AdvisorRepo(session).by_username(username)
        assert advisor is not None
        await AdvisorRepo(session).drop_sessions(advisor)
        await session.commit()


async def test_a_disabled_advisors_open_socket_admits_nobody(service: Service, token: str) -> None:
    room = await citizen_waiting(service, token)
    await disable(service, "berater")
    await room.advisor.send_json({"type": "admit", "participant_id": room.pid})
    frames, code = await closed_code(room.advisor)
    assert frames and frames[0]["error"] == "unauthorized"
    assert code == 4401
    await room.citizen.send_json({"type": "ping", "seq": 1})
    assert (await recv(room.citizen))["type"] == "pong"  # still waiting, never admitted
    assert service.app[waiting_room_sockets.HUB].phase_of(room.pid).value == "waiting"  # type: ignore[union-attr]


async def test_an_idle_socket_of_a_disabled_advisor_is_closed(
    service: Service, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(waiting_room_sockets, "TOKEN_RECHECK_S", 0.05)
    room = await citizen_waiting(service, token)
    await disable(service, "berater")
    _, code = await closed_code(room.advisor)  # without sending anything
    assert code == 4401


async def login(service: Service, password: str, address: str) -> int:
    status, _ = await service.call(
        "POST",
        "/api/login",
        json={"username": "berater", "password": password},
        headers={"X-Forwarded-For": address},
    )
    return status


async def test_strangers_cannot_lock_the_advisor_out(make_service: Any) -> None:
    service = await make_service(service={"trusted_proxies": ["127.0.0.1"]})
    await service.add_advisor("berater")
    for i in range(12):
        assert await login(service, "falsch-falsch-falsch", f"198.51.100.{i}") == 401
    assert await login(service, PASSWORD, "203.0.113.5") == 200


async def test_one_address_guessing_one_account_is_throttled(make_service: Any) -> None:
    service = await make_service(service={"trusted_proxies": ["127.0.0.1"]})
    await service.add_advisor("berater")
    statuses = [await login(service, "falsch-falsch-falsch", "198.51.100.9") for _ in range(12)]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]
    assert await login(service, PASSWORD, "203.0.113.5") == 200  # the advisor elsewhere is fine
