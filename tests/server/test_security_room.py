"""The waiting room against takeover: ids never reused, a place bound to its link, removed and
cancelled participants gone at once, decisions that stick, floods throttled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from aiohttp import ClientWebSocketResponse, WSMsgType

from advisor_app.core.protocol import WaitingEntry
from advisor_app.core.timewindow import AppointmentWindow
from advisor_app.server.waiting_room import CLOSE_ENDED, WaitingRoomHub
from advisor_app.server.waiting_room_sockets import HUB
from tests.helpers.service import MONDAY_11, Service, appointment_body
from tests.helpers.waiting_room import (
    ROOM_OPEN,
    admit,
    citizen_socket,
    citizen_waiting,
    consent,
    link_token,
    recv,
    recv_type,
    waiting_people,
)

pytestmark = pytest.mark.service

GUEST = {"name": "Olena Dolmetscherin", "role": "interpreter"}


async def closed_with(ws: ClientWebSocketResponse) -> tuple[list[dict[str, Any]], int]:
    """Every frame until the socket closes, and its close code."""
    frames = []
    while True:
        msg = await ws.receive(timeout=5)
        if msg.type is WSMsgType.TEXT:
            frames.append(msg.json())
            continue
        assert msg.type is WSMsgType.CLOSE, msg
        return frames, int(msg.data)


async def test_a_removed_guests_id_never_reaches_another_advisors_citizen(
    service: Service, token: str
) -> None:
    """The attack the security review found: A's guest is in A's call, A removes the guest,
    B books; B's citizen must neither get the guest's id nor start admitted in A's call."""
    advisor, people, token = await waiting_people(service, token, [GUEST])
    (citizen_id, citizen_ws), (guest_id, guest_ws) = people
    await admit(advisor, citizen_id, citizen_ws)
    await admit(advisor, guest_id, guest_ws)
    listed = await service.call("GET", "/api/appointments?day=2026-11-23", token)
    appt_id = listed[1]["appointments"][0]["id"]

    body = appointment_body(guests=[])
    status, _ = await service.call("PUT", f"/api/appointments/{appt_id}", token, json=body)
    assert status == 200
    frames, code = await closed_with(guest_ws)
    assert {"type": "state", "phase": "closed", "reason": "removed"} in frames
    assert code == CLOSE_ENDED
    assert (await recv_type(advisor, "call_ended")) == {
        "type": "call_ended",
        "participant_id": guest_id,
        "by": "closed",
    }
    assert not service.app[HUB].present(guest_id)

    await service.add_advisor("zweite", "Herr Anders")
    other = await service.token_for("zweite")
    b_appt = await service.create(
        other, starts_at=MONDAY_11 + timedelta(minutes=5), name="Bernd Fremd"
    )
    b_id = b_appt["participants"][0]["id"]
    assert b_id > guest_id  # never the removed guest's id
    b_link = link_token(b_appt)
    await consent(service, b_link)
    stranger = await citizen_socket(service, b_link, "lobby")  # not "admitted" in A's call
    await stranger.send_json({"type": "signal", "payload": {"kind": "answer", "sdp": "v=0"}})
    assert (await recv(stranger))["error"] == "not_in_call"


async def test_the_hub_binds_a_place_to_the_link_not_to_the_number() -> None:
    """Even if a number came back, a different link never resumes another's place."""
    hub = WaitingRoomHub(reconnect_grace_s=30)
    window = AppointmentWindow(MONDAY_11, 30, 15)

    class FakeSocket:
        closed = False
        sent: list[str]

        def __init__(self) -> None:
            self.sent = []

        async def send_str(self, text: str) -> None:
            self.sent.append(text)

        async def close(self, code: int = 1000) -> None:
            self.closed = True

    def entry(advisor_appt: int) -> WaitingEntry:
        return WaitingEntry(
            participant_id=7,
            appointment_id=advisor_appt,
            name="x",
            role="citizen",
            starts_at=MONDAY_11,
            duration_min=30,
            waiting_since=MONDAY_11,
            online=True,
        )

    first = FakeSocket()
    presence = await hub.attach_citizen(first, "link-a", 1, entry(1), window)  # type: ignore[arg-type]
    presence.phase = presence.phase.ADMITTED
    second = FakeSocket()
    other = await hub.attach_citizen(second, "link-b", 2, entry(2), window)  # type: ignore[arg-type]
    assert other is not presence
    assert other.phase.value == "lobby"
    assert first.closed  # the old place under that number ended


async def test_cancelling_tells_the_waiting_citizen_and_nobody_can_be_admitted(
    service: Service, token: str
) -> None:
    room = await citizen_waiting(service, token)
    cancel = f"/api/appointments/{room.appt['id']}/cancel"
    status, _ = await service.call("POST", cancel, room.token)
    assert status == 200
    frames, code = await closed_with(room.citizen)
    assert {"type": "state", "phase": "closed", "reason": "cancelled"} in frames
    assert code == CLOSE_ENDED
    departed = await recv_type(room.advisor, "departed")
    assert departed == {"type": "departed", "participant_id": room.pid, "reason": "closed"}
    await room.advisor.send_json({"type": "admit", "participant_id": room.pid})
    assert (await recv_type(room.advisor, "error"))["error"] == "not_waiting"


async def test_a_guest_removed_during_the_call_can_no_longer_relay(
    service: Service, token: str
) -> None:
    advisor, people, token = await waiting_people(service, token, [GUEST])
    (citizen_id, citizen_ws), (guest_id, guest_ws) = people
    await admit(advisor, citizen_id, citizen_ws)
    await admit(advisor, guest_id, guest_ws)
    listed = await service.call("GET", "/api/appointments?day=2026-11-23", token)
    appt_id = listed[1]["appointments"][0]["id"]
    await service.call("PUT", f"/api/appointments/{appt_id}", token, json=appointment_body())
    await closed_with(guest_ws)
    await advisor.send_json(
        {"type": "signal", "participant_id": guest_id, "payload": {"kind": "offer", "sdp": "v=0"}}
    )
    assert (await recv_type(advisor, "error"))["error"] == "not_in_call"


async def test_a_send_away_sticks_after_the_grace(make_service: Any) -> None:
    service = await make_service(service={"reconnect_grace_s": 0.05})
    token = await service.signed_in()
    room = await citizen_waiting(service, token)
    await room.advisor.send_json(
        {"type": "send_away", "participant_id": room.pid, "reason": "Bitte neuen Termin."}
    )
    assert (await recv(room.citizen))["phase"] == "sent_away"
    await room.citizen.close()
    hub = service.app[HUB]
    while hub.present(room.pid):  # the grace runs out; the place is let go
        await recv_nothing()
    again = await service.client.ws_connect("/ws/citizen")
    await again.send_json({"type": "hello", "token": room.link})
    assert await recv(again) == {
        "type": "state",
        "phase": "sent_away",
        "reason": "Bitte neuen Termin.",
    }
    await again.send_json({"type": "enter"})
    assert (await recv(again))["type"] == "error"


async def test_a_guest_removed_from_the_call_cannot_enter_again(
    service: Service, token: str
) -> None:
    advisor, people, token = await waiting_people(service, token, [GUEST])
    _citizen, (guest_id, guest_ws) = people
    await admit(advisor, guest_id, guest_ws)
    await advisor.send_json({"type": "end_call", "participant_id": guest_id, "remove": True})
    assert (await recv_type(guest_ws, "state"))["reason"] == "removed"
    await guest_ws.send_json({"type": "enter"})
    refused = await recv_type(guest_ws, "error")
    assert refused["error"] == "removed"
    assert "nicht mehr betreten" in refused["message"]


async def test_enter_and_leave_floods_are_throttled(service: Service, token: str) -> None:
    room = await citizen_waiting(service, token)
    arrivals = 1
    refused = 0
    for _ in range(40):
        await room.citizen.send_json({"type": "leave"})
        await room.citizen.send_json({"type": "enter"})
    await room.citizen.send_json({"type": "ping", "seq": 99})
    while True:
        frame = await recv(room.citizen)
        if frame["type"] == "pong":
            break
        if frame["type"] == "error" and frame["error"] == "rate_limited":
            refused += 1
    await room.advisor.send_json({"type": "ping", "seq": 1})
    while (frame := await recv(room.advisor))["type"] != "pong":
        arrivals += frame["type"] == "arrived"
    assert refused > 0
    assert arrivals <= 12  # not one notification per enter


async def recv_nothing() -> None:
    """Let the loop run (timers fire) without waiting a fixed time."""
    import asyncio

    await asyncio.sleep(0.01)


async def test_device_check_posts_are_throttled_and_few_are_kept(
    service: Service, token: str
) -> None:
    appt = await service.create(token)
    link = link_token(appt)
    await consent(service, link)
    service.clock.set(ROOM_OPEN)
    body = {
        "browser": "Firefox 140",
        "os": "Linux",
        "device_type": "desktop",
        "verdict": "green",
    }
    statuses = [
        (await service.call("POST", f"/api/citizen/{link}/device-check", json=body))[0]
        for _ in range(40)
    ]
    assert 429 in statuses
    assert statuses.count(201) <= 10
    from sqlalchemy import func, select

    from advisor_app.server import keys
    from advisor_app.storage.models import DeviceCheck

    async with service.app[keys.SESSIONS]() as session:
        kept = await session.scalar(select(func.count()).select_from(DeviceCheck))
    assert kept is not None and kept <= 5
