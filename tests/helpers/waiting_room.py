"""The waiting room over real WebSockets of a test service: sockets, consent, admission."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from aiohttp import ClientWebSocketResponse, WSMsgType

from tests.helpers.service import MONDAY_11, Service

ROOM_OPEN = MONDAY_11 - timedelta(minutes=4)
MORNING = MONDAY_11 - timedelta(hours=2)
GUESTS = [
    {"name": "Ahmad <b>Dolmetscher</b>", "role": "interpreter"},
    {"name": "Rita Rechtsbeistand", "role": "legal_representative"},
    {"name": "Sven Stütze", "role": "support_person"},
]
#: The personal link of each participant of the last ``waiting_people`` (by participant id).
LINKS: dict[int, str] = {}


async def monday_morning(service: Service) -> str:
    """Move to the appointment's day; sign-ins last a working day, so sign in again."""
    service.clock.set(MORNING)
    return await service.token_for("berater")


async def recv(ws: ClientWebSocketResponse, timeout: float = 5.0) -> dict[str, Any]:
    msg = await ws.receive(timeout=timeout)
    assert msg.type is WSMsgType.TEXT, msg
    return dict(json.loads(msg.data))


async def recv_type(ws: ClientWebSocketResponse, kind: str) -> dict[str, Any]:
    """Skip unrelated frames until one of ``kind`` arrives."""
    for _ in range(10):
        frame = await recv(ws)
        if frame["type"] == kind:
            return frame
    raise AssertionError(f"no {kind} frame")


def link_token(appt: dict[str, Any], index: int = 0) -> str:
    return urlsplit(appt["participants"][index]["link"]).path.rsplit("/", 1)[1]


async def consent(service: Service, token: str) -> None:
    status, view = await service.call("GET", f"/api/citizen/{token}")
    assert status == 200, view
    body = {
        "consent_version": view["consent"]["consent_version"],
        "privacy_version": view["consent"]["privacy_version"],
        "language": "de",
    }
    status, view = await service.call("POST", f"/api/citizen/{token}/consent", json=body)
    assert status == 200, view
    assert view["consent"]["accepted"] is True


async def advisor_socket(service: Service, token: str) -> ClientWebSocketResponse:
    ws = await service.client.ws_connect("/ws/advisor")
    await ws.send_json({"type": "hello", "token": token})
    snapshot = await recv(ws)
    assert snapshot["type"] == "waiting"
    return ws


async def citizen_socket(service: Service, link: str, phase: str) -> ClientWebSocketResponse:
    ws = await service.client.ws_connect("/ws/citizen")
    await ws.send_json({"type": "hello", "token": link})
    state = await recv(ws)
    assert state == {"type": "state", "phase": phase, "reason": None}
    return ws


@dataclass
class Waiting:
    """A citizen in the waiting room and the advisor watching it."""

    appt: dict[str, Any]
    link: str
    token: str
    advisor: ClientWebSocketResponse
    citizen: ClientWebSocketResponse
    pid: int


async def citizen_waiting(service: Service, token: str, **fields: Any) -> Waiting:
    """Schedule, consent, move to the room's opening, enter; the advisor saw the arrival."""
    appt = await service.create(token, **fields)
    link = link_token(appt)
    await consent(service, link)
    token = await monday_morning(service)
    advisor = await advisor_socket(service, token)
    service.clock.set(ROOM_OPEN)
    citizen = await citizen_socket(service, link, "lobby")
    await citizen.send_json({"type": "enter"})
    assert (await recv(citizen))["phase"] == "waiting"
    arrived = await recv(advisor)
    assert arrived["type"] == "arrived"
    return Waiting(appt, link, token, advisor, citizen, arrived["entry"]["participant_id"])


async def admitted(service: Service, token: str) -> Waiting:
    """A citizen in the call with the advisor (admitted; the media would follow)."""
    room = await citizen_waiting(service, token, name="Rosa Rückkehr")
    await room.advisor.send_json({"type": "admit", "participant_id": room.pid})
    assert (await recv(room.citizen))["phase"] == "admitted"
    assert (await recv_type(room.advisor, "departed"))["reason"] == "admitted"
    return room


async def console_hello(
    service: Service, token: str, calls: list[int] | None
) -> tuple[ClientWebSocketResponse, dict[str, Any]]:
    ws = await service.client.ws_connect("/ws/advisor")
    hello: dict[str, Any] = {"type": "hello", "token": token}
    if calls is not None:
        hello["calls"] = calls
    await ws.send_json(hello)
    snapshot = await recv(ws)
    assert snapshot["type"] == "waiting"
    return ws, snapshot


async def waiting_people(
    service: Service, token: str, guests: list[dict[str, str]] = GUESTS
) -> tuple[ClientWebSocketResponse, list[tuple[int, ClientWebSocketResponse]], str]:
    """An appointment with guests; everyone consented and waits; the advisor saw them arrive."""
    appt = await service.create(token, name="Erika Mustermann", guests=guests)
    links = [link_token(appt, i) for i in range(len(appt["participants"]))]
    for link in links:
        await consent(service, link)
    token = await monday_morning(service)
    advisor = await advisor_socket(service, token)
    service.clock.set(ROOM_OPEN)
    people = []
    LINKS.clear()
    for link in links:
        ws = await citizen_socket(service, link, "lobby")
        await ws.send_json({"type": "enter"})
        assert (await recv(ws))["phase"] == "waiting"
        arrived = await recv_type(advisor, "arrived")
        people.append((arrived["entry"]["participant_id"], ws))
        LINKS[people[-1][0]] = link
    return advisor, people, token


async def admit(advisor: ClientWebSocketResponse, pid: int, ws: ClientWebSocketResponse) -> None:
    await advisor.send_json({"type": "admit", "participant_id": pid})
    assert (await recv(ws))["phase"] == "admitted"
    assert (await recv_type(advisor, "departed"))["reason"] == "admitted"
