"""Call signaling through the service: only between an advisor and an admitted participant."""

from __future__ import annotations

import pytest
from aiohttp import WSMsgType

from advisor_app.server.waiting_room_sockets import HUB
from tests.helpers.service import Service
from tests.helpers.waiting_room import (
    Waiting,
    advisor_socket,
    citizen_socket,
    citizen_waiting,
    recv,
    recv_type,
)

pytestmark = pytest.mark.service

OFFER = {"kind": "offer", "sdp": "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n" + "a=x\r\n" * 1500}


async def admitted(service: Service, token: str) -> Waiting:
    room = await citizen_waiting(service, token)
    await room.advisor.send_json({"type": "admit", "participant_id": room.pid})
    assert (await recv(room.citizen))["phase"] == "admitted"
    assert (await recv_type(room.advisor, "departed"))["reason"] == "admitted"
    return room


async def test_offer_answer_and_candidates_are_relayed_both_ways(
    service: Service, token: str
) -> None:
    room = await admitted(service, token)
    await room.citizen.send_json({"type": "signal", "payload": {"kind": "ready"}})
    ready = await recv(room.advisor)
    assert ready == {"type": "signal", "participant_id": room.pid, "payload": {"kind": "ready"}}

    # An offer with its candidates is larger than the waiting room's frames: ~10 KiB here.
    # Numbered (the page's answer repeats the number; see Description.negotiation).
    offer = {**OFFER, "negotiation": 3}
    await room.advisor.send_json({"type": "signal", "participant_id": room.pid, "payload": offer})
    assert await recv(room.citizen) == {"type": "signal", "payload": offer}

    answer = {"kind": "answer", "sdp": "v=0\r\n", "negotiation": 3}
    candidate = {
        "kind": "candidate",
        "candidate": "candidate:1 1 udp 2122260223 192.0.2.7 50000 typ host",
        "sdp_mid": "0",
        "sdp_mline_index": 0,
    }
    for payload in (answer, candidate):
        await room.citizen.send_json({"type": "signal", "payload": payload})
        relayed = await recv(room.advisor)
        assert relayed == {"type": "signal", "participant_id": room.pid, "payload": payload}


async def test_no_signaling_before_admission_or_for_someone_elses_participant(
    service: Service, token: str
) -> None:
    room = await citizen_waiting(service, token)
    await room.citizen.send_json({"type": "signal", "payload": {"kind": "ready"}})
    refused = await recv(room.citizen)
    assert refused["type"] == "error" and refused["error"] == "not_in_call"
    await room.advisor.send_json({"type": "signal", "participant_id": room.pid, "payload": OFFER})
    assert (await recv(room.advisor))["error"] == "not_in_call"

    await room.advisor.send_json({"type": "admit", "participant_id": room.pid})
    await recv(room.citizen)
    other = await advisor_socket(service, await service.signed_in("kollegin"))
    await other.send_json({"type": "signal", "participant_id": room.pid, "payload": OFFER})
    assert (await recv(other))["error"] == "not_in_call"
    await other.send_json({"type": "end_call", "participant_id": room.pid})
    assert (await recv(other))["error"] == "not_in_call"
    # Nothing reached the citizen, who is still in the call.
    assert service.app[HUB].is_admitted(room.pid)
    await room.citizen.send_json({"type": "ping", "seq": 7})
    assert await recv(room.citizen) == {"type": "pong", "seq": 7}


async def test_malformed_signals_are_refused_and_change_nothing(
    service: Service, token: str
) -> None:
    room = await admitted(service, token)
    for bad in (
        {"type": "signal", "payload": {"kind": "offer"}},  # no sdp
        {"type": "signal", "payload": {"kind": "answer", "sdp": "x" * 40_000}},
        {
            "type": "signal",
            "payload": {"kind": "candidate", "candidate": "c", "sdp_mline_index": -1},
        },
        {"type": "signal", "payload": {"kind": "unknown"}},
        {"type": "signal"},
    ):
        await room.citizen.send_json(bad)
        assert (await recv(room.citizen))["error"] == "bad_message", bad
    assert service.app[HUB].is_admitted(room.pid)


async def test_citizen_hangs_up_and_may_enter_the_waiting_room_again(
    service: Service, token: str
) -> None:
    room = await admitted(service, token)
    await room.citizen.send_json({"type": "hangup"})
    assert await recv(room.citizen) == {"type": "state", "phase": "ended", "reason": None}
    assert (await recv(room.citizen))["type"] == "survey"  # the closing page's survey
    ended = await recv(room.advisor)
    assert ended == {"type": "call_ended", "participant_id": room.pid, "by": "participant"}
    await room.citizen.send_json({"type": "signal", "payload": {"kind": "ready"}})
    assert (await recv(room.citizen))["error"] == "not_in_call"
    # "Erneut betreten": back in the waiting room, the advisor sees the arrival.
    await room.citizen.send_json({"type": "enter"})
    assert (await recv(room.citizen))["phase"] == "waiting"
    assert (await recv(room.advisor))["type"] == "arrived"


async def test_advisor_ends_the_call_and_the_page_shows_it_after_a_reload(
    service: Service, token: str
) -> None:
    room = await admitted(service, token)
    await room.advisor.send_json({"type": "end_call", "participant_id": room.pid})
    assert (await recv(room.citizen))["phase"] == "ended"
    assert (await recv(room.advisor))["by"] == "advisor"
    await room.citizen.close()
    again = await citizen_socket(service, room.link, "ended")
    await again.close()


async def test_a_dropped_participant_is_reported_at_once_and_ends_after_the_grace(
    service: Service, token: str
) -> None:
    service.app[HUB].reconnect_grace_s = 0.3
    room = await admitted(service, token)
    await room.citizen.close()
    assert await recv(room.advisor) == {
        "type": "presence",
        "participant_id": room.pid,
        "online": False,
    }
    back = await citizen_socket(service, room.link, "admitted")
    assert await recv(room.advisor) == {
        "type": "presence",
        "participant_id": room.pid,
        "online": True,
    }
    await back.close()
    assert (await recv(room.advisor))["online"] is False
    ended = await recv(room.advisor, timeout=5)
    assert ended == {"type": "call_ended", "participant_id": room.pid, "by": "timeout"}


async def test_a_signal_flood_is_cut_off_without_closing_the_call(
    service: Service, token: str
) -> None:
    room = await admitted(service, token)
    for _ in range(310):
        await room.citizen.send_json({"type": "signal", "payload": {"kind": "ready"}})
    refused = 0
    while True:
        try:
            msg = await room.citizen.receive(timeout=0.5)
        except TimeoutError:
            break
        assert msg.type is WSMsgType.TEXT
        refused += '"rate_limited"' in msg.data
    assert refused == 10
    assert service.app[HUB].is_admitted(room.pid)
