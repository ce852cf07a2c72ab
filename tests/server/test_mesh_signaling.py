"""The mesh through the service: rosters, signals between participants, four at most,
removing a guest and sending one back to the waiting room."""

from __future__ import annotations

from typing import Any

import pytest

from advisor_app.core.protocol import RoomPhase
from advisor_app.server.waiting_room_sockets import HUB
from tests.helpers.service import Service
from tests.helpers.waiting_room import (
    GUESTS,
    LINKS,
    admit,
    citizen_socket,
    consent,
    console_hello,
    link_token,
    recv,
    recv_type,
    waiting_people,
)

pytestmark = pytest.mark.service

OFFER = {"kind": "offer", "sdp": "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"}


def peers(roster: dict[str, Any]) -> list[tuple[int, str, str]]:
    assert roster["type"] == "roster", roster
    return [(p["participant_id"], p["name"], p["role"]) for p in roster["peers"]]


async def test_rosters_follow_the_call_and_peers_signal_each_other(
    service: Service, token: str
) -> None:
    advisor, people, _ = await waiting_people(service, token, GUESTS[:1])
    links = dict(LINKS)
    (citizen_id, citizen), (guest_id, guest) = people
    await admit(advisor, citizen_id, citizen)
    await admit(advisor, guest_id, guest)
    # Both learn about the other, with the name as typed (the page shows it as text).
    roster = await recv(citizen)
    assert roster["you"] == citizen_id
    assert roster["advisor_name"] == "Frau Beispiel"
    assert peers(roster) == [(guest_id, "Ahmad <b>Dolmetscher</b>", "interpreter")]
    roster = await recv(guest)
    assert roster["you"] == guest_id
    assert peers(roster) == [(citizen_id, "Erika Mustermann", "citizen")]

    # The guest (larger id) asks for an offer; the citizen offers; the answer goes back.
    await guest.send_json({"type": "peer_signal", "peer": citizen_id, "payload": {"kind": "ready"}})
    assert await recv(citizen) == {
        "type": "peer_signal",
        "peer": guest_id,
        "payload": {"kind": "ready"},
    }
    await citizen.send_json({"type": "peer_signal", "peer": guest_id, "payload": OFFER})
    assert await recv(guest) == {
        "type": "peer_signal",
        "peer": citizen_id,
        "payload": {**OFFER, "negotiation": None},
    }

    # A reload of the guest: the roster comes again with the state.
    await guest.close()
    guest = await citizen_socket(service, links[guest_id], "admitted")
    assert peers(await recv(guest)) == [(citizen_id, "Erika Mustermann", "citizen")]

    # The citizen hangs up: the guest's roster is empty, signals to the citizen are refused.
    await citizen.send_json({"type": "hangup"})
    assert peers(await recv(guest)) == []
    await guest.send_json({"type": "peer_signal", "peer": citizen_id, "payload": OFFER})
    assert (await recv(guest))["error"] == "not_in_call"


async def test_signals_only_between_participants_of_the_same_running_call(
    service: Service, token: str
) -> None:
    advisor, people, token = await waiting_people(service, token, GUESTS[:1])
    (citizen_id, citizen), (guest_id, guest) = people
    await admit(advisor, citizen_id, citizen)
    # The guest is only waiting: neither direction is relayed.
    await citizen.send_json({"type": "peer_signal", "peer": guest_id, "payload": OFFER})
    assert (await recv(citizen))["error"] == "not_in_call"
    await guest.send_json({"type": "peer_signal", "peer": citizen_id, "payload": OFFER})
    assert (await recv(guest))["error"] == "not_in_call"

    # Somebody admitted into another appointment's call is out of reach as well.
    other = await service.create(token, name="Otto Anders", allow_overlap=True)
    link = link_token(other)
    await consent(service, link)
    stranger = await citizen_socket(service, link, "lobby")
    await stranger.send_json({"type": "enter"})
    await recv(stranger)
    # The advisor talks with the first appointment: the stranger hears so (and nothing more).
    assert (await recv(stranger))["type"] == "advisor_status"
    stranger_id = (await recv_type(advisor, "arrived"))["entry"]["participant_id"]
    await admit(advisor, stranger_id, stranger)
    # Now the advisor is also in another appointment's call: the waiting guest hears it.
    status = await recv(guest)
    assert (status["type"], status["state"], status["next"]) == ("advisor_status", "in_call", True)
    await stranger.send_json({"type": "peer_signal", "peer": citizen_id, "payload": OFFER})
    assert (await recv(stranger))["error"] == "not_in_call"
    # … and to oneself or to an unknown id.
    for target in (citizen_id, 999_999):
        await citizen.send_json({"type": "peer_signal", "peer": target, "payload": OFFER})
        assert (await recv(citizen))["error"] == "not_in_call"
    # A malformed peer signal is refused and changes nothing.
    await citizen.send_json({"type": "peer_signal", "peer": guest_id, "payload": {"kind": "offer"}})
    assert (await recv(citizen))["error"] == "bad_message"
    # Nothing reached the guest: its next frame is the pong.
    await guest.send_json({"type": "ping", "seq": 3})
    assert await recv(guest) == {"type": "pong", "seq": 3}


async def test_a_fifth_participant_is_refused_with_a_clear_message(
    service: Service, token: str
) -> None:
    advisor, people, token = await waiting_people(service, token)
    for pid, ws in people[:3]:
        await admit(advisor, pid, ws)
    fourth_id, fourth = people[3]
    await advisor.send_json({"type": "admit", "participant_id": fourth_id})
    refused = await recv_type(advisor, "error")
    assert refused["error"] == "call_full"
    assert "schon 4 Personen" in refused["message"]
    hub = service.app[HUB]
    assert not hub.is_admitted(fourth_id)
    assert hub.phase_of(fourth_id) is RoomPhase.WAITING  # still waiting, nothing lost
    # Once somebody leaves, the fourth may come in.
    await people[2][1].send_json({"type": "hangup"})
    await recv_type(advisor, "call_ended")
    await admit(advisor, fourth_id, fourth)


async def test_remove_and_send_back_to_the_waiting_room(service: Service, token: str) -> None:
    advisor, people, _ = await waiting_people(service, token, GUESTS[:2])
    (citizen_id, citizen), (a_id, a), (b_id, b) = people
    for pid, ws in people:
        await admit(advisor, pid, ws)
    await recv_type(citizen, "roster")
    assert len(peers(await recv_type(citizen, "roster"))) == 2

    # Back to the waiting room: the page waits again, the advisor sees the arrival,
    # the others' rosters lose them.
    await advisor.send_json({"type": "to_waiting", "participant_id": a_id})
    assert await recv_type(a, "state") == {
        "type": "state",
        "phase": "waiting",
        "reason": "returned",
    }
    assert await recv(advisor) == {"type": "call_ended", "participant_id": a_id, "by": "returned"}
    assert (await recv(advisor))["entry"]["participant_id"] == a_id
    assert [p[0] for p in peers(await recv_type(citizen, "roster"))] == [b_id]
    # … and may be admitted again.
    await admit(advisor, a_id, a)
    assert [p[0] for p in peers(await recv_type(citizen, "roster"))] == [a_id, b_id]

    # Removed: the page's closing step says the advisor ended the participation.
    await advisor.send_json({"type": "end_call", "participant_id": b_id, "remove": True})
    assert await recv_type(b, "state") == {"type": "state", "phase": "ended", "reason": "removed"}
    assert (await recv_type(advisor, "call_ended"))["by"] == "advisor"
    assert [p[0] for p in peers(await recv_type(citizen, "roster"))] == [a_id]
    assert service.app[HUB].is_admitted(citizen_id)
    # Sending back somebody who is not in the call is refused.
    await advisor.send_json({"type": "to_waiting", "participant_id": b_id})
    assert (await recv_type(advisor, "error"))["error"] == "not_in_call"


async def test_a_restarted_console_keeps_whom_it_names_and_the_rosters_follow(
    service: Service, token: str
) -> None:
    advisor, people, token = await waiting_people(service, token, GUESTS[:1])
    (citizen_id, citizen), (guest_id, guest) = people
    for pid, ws in people:
        await admit(advisor, pid, ws)
    assert peers(await recv_type(citizen, "roster"))[0][0] == guest_id
    await recv_type(guest, "roster")
    await advisor.close()  # the console crashed …
    # … and its successor still has the citizen's call, not the interpreter's.
    console, snapshot = await console_hello(service, token, [citizen_id])
    assert [e["participant_id"] for e in snapshot["entries"]] == [guest_id]
    assert (await recv_type(guest, "state"))["phase"] == "waiting"
    # The citizen's page no longer tries to reach the interpreter; nor may it.
    assert peers(await recv_type(citizen, "roster")) == []
    await citizen.send_json({"type": "peer_signal", "peer": guest_id, "payload": OFFER})
    assert (await recv_type(citizen, "error"))["error"] == "not_in_call"
    await console.close()
