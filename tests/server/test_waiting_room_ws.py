"""The live waiting room over real WebSockets: arrival, admission, notes, reconnect, revoke."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import WSCloseCode, WSMsgType

from advisor_app.server.waiting_room_sockets import HUB
from tests.helpers.service import Service
from tests.helpers.waiting_room import (
    ROOM_OPEN,
    admitted,
    advisor_socket,
    citizen_socket,
    citizen_waiting,
    consent,
    console_hello,
    link_token,
    monday_morning,
    recv,
    recv_type,
)

pytestmark = pytest.mark.service


async def test_citizen_waits_advisor_sees_and_admits(service: Service, token: str) -> None:
    appt = await service.create(token, name="Erika Mustermann")
    link = link_token(appt)
    await consent(service, link)
    token = await monday_morning(service)
    advisor = await advisor_socket(service, token)
    citizen = await citizen_socket(service, link, "lobby")

    await citizen.send_json({"type": "enter"})
    early = await recv(citizen)
    assert early["type"] == "error" and early["error"] == "too_early"
    assert "fünf Minuten" in early["message"]

    service.clock.set(ROOM_OPEN)
    await citizen.send_json({"type": "enter"})
    assert (await recv(citizen))["phase"] == "waiting"
    arrived = await recv(advisor)
    assert arrived["type"] == "arrived"
    assert arrived["entry"]["name"] == "Erika Mustermann"
    assert arrived["entry"]["appointment_id"] == appt["id"]
    assert arrived["entry"]["online"] is True

    # A second advisor connected at the same time sees the same room.
    second = await advisor_socket(service, token)
    await second.close()

    await advisor.send_json(
        {
            "type": "note",
            "participant_id": arrived["entry"]["participant_id"],
            "text": "Ich komme in wenigen Minuten",
        }
    )
    note = await recv(citizen)
    assert note["type"] == "note" and note["text"] == "Ich komme in wenigen Minuten"

    await advisor.send_json({"type": "admit", "participant_id": arrived["entry"]["participant_id"]})
    assert (await recv(citizen))["phase"] == "admitted"
    departed = await recv(advisor)
    assert departed == {
        "type": "departed",
        "participant_id": arrived["entry"]["participant_id"],
        "reason": "admitted",
    }
    assert service.app[HUB].is_admitted(arrived["entry"]["participant_id"])
    await citizen.close()
    await advisor.close()


async def test_admission_only_by_own_advisor_and_bad_frames_change_nothing(
    service: Service, token: str
) -> None:
    appt = await service.create(token)
    link = link_token(appt)
    await consent(service, link)
    token = await monday_morning(service)
    other = await service.signed_in("andere")
    intruder = await advisor_socket(service, other)
    advisor = await advisor_socket(service, token)
    service.clock.set(ROOM_OPEN)
    citizen = await citizen_socket(service, link, "lobby")
    await citizen.send_json({"type": "enter"})
    await recv(citizen)
    pid = (await recv(advisor))["entry"]["participant_id"]

    await intruder.send_json({"type": "admit", "participant_id": pid})
    refused = await recv(intruder)
    assert refused["error"] == "not_waiting"
    for garbage in ("kein json", '{"type": "admit"}', '{"type": "fly"}', "[]", '{"type":"enter"}'):
        await advisor.send_str(garbage)
        assert (await recv(advisor))["error"] == "bad_message"
    await advisor.send_bytes(b"\x00\x01")
    assert (await recv(advisor))["error"] == "bad_message"
    # The citizen cannot admit themselves either.
    await citizen.send_json({"type": "admit", "participant_id": pid})
    assert (await recv(citizen))["error"] == "bad_message"

    assert service.app[HUB].phase_of(pid).value == "waiting"  # type: ignore[union-attr]
    assert [e.participant_id for e in service.app[HUB].waiting_for(1)] == [pid]
    for ws in (citizen, advisor, intruder):
        await ws.close()


async def test_oversized_frame_closes_only_that_socket(service: Service, token: str) -> None:
    advisor = await advisor_socket(service, token)
    await advisor.send_str("x" * 100_000)  # above the 64 KiB an SDP offer may take
    msg = await advisor.receive(timeout=5)
    assert msg.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING)
    again = await advisor_socket(service, token)
    await again.close()


async def test_reload_resumes_waiting_without_new_consent_or_enter(
    service: Service, token: str
) -> None:
    room = await citizen_waiting(service, token, name="Ali Yılmaz")
    link, advisor, citizen, pid = room.link, room.advisor, room.citizen, room.pid
    await advisor.send_json({"type": "note", "participant_id": pid, "text": "Gleich geht es los"})
    await recv(citizen)

    await citizen.close()  # reload or dropped network
    offline = await recv_type(advisor, "changed")
    assert offline["entry"]["online"] is False

    back = await citizen_socket(service, link, "waiting")
    assert (await recv(back))["text"] == "Gleich geht es los"  # the note is shown again
    online = await recv_type(advisor, "changed")
    assert online["entry"]["online"] is True
    assert [e.participant_id for e in service.app[HUB].waiting_for(1)] == [pid]
    await back.close()
    await advisor.close()


async def test_gone_for_longer_than_the_grace_leaves_the_room(service: Service, token: str) -> None:
    service.app[HUB].reconnect_grace_s = 0.2
    room = await citizen_waiting(service, token)
    advisor, citizen, pid = room.advisor, room.citizen, room.pid
    await citizen.close()
    await recv_type(advisor, "changed")
    gone = await recv_type(advisor, "departed")
    assert gone == {"type": "departed", "participant_id": pid, "reason": "timeout"}
    assert service.app[HUB].waiting_for(1) == []
    await advisor.close()


async def test_socket_refuses_unknown_link_missing_consent_and_ended_appointment(
    service: Service, token: str
) -> None:
    ws = await service.client.ws_connect("/ws/citizen")
    await ws.send_json({"type": "hello", "token": "A" * 22})
    assert (await recv(ws))["error"] == "unknown_link"
    assert (await ws.receive(timeout=5)).type in (WSMsgType.CLOSE, WSMsgType.CLOSED)
    assert ws.close_code == 4404

    appt = await service.create(token)
    ws = await service.client.ws_connect("/ws/citizen")
    await ws.send_json({"type": "hello", "token": link_token(appt)})
    assert (await recv(ws))["error"] == "consent_required"
    await ws.close()

    await consent(service, link_token(appt))
    status, _ = await service.call("POST", f"/api/appointments/{appt['id']}/cancel", token)
    assert status == 200
    ws = await service.client.ws_connect("/ws/citizen")
    await ws.send_json({"type": "hello", "token": link_token(appt)})
    assert (await recv(ws))["phase"] == "closed"
    await ws.close()

    silent = await service.client.ws_connect("/ws/advisor")
    await silent.send_json({"type": "hello", "token": "falsch"})
    assert (await recv(silent))["error"] == "unauthorized"
    await silent.close()


async def test_device_check_reaches_the_advisor_and_revocation_deletes_personal_data(
    service: Service, token: str
) -> None:
    room = await citizen_waiting(
        service, token, name="Erika Mustermann", customer_number="123D456789"
    )
    appt, link, token = room.appt, room.link, room.token
    advisor, citizen, pid = room.advisor, room.citizen, room.pid

    check = {
        "browser": "Chrome 156",
        "os": "Android 15",
        "device_type": "phone",
        "upload_kbps": 2400,
        "download_kbps": 18000,
        "rtt_ms": 38,
        "camera": "ok",
        "microphone": "ok",
        "speaker": "ok",
        "verdict": "green",
    }
    status, _ = await service.call("POST", f"/api/citizen/{link}/device-check", json=check)
    assert status == 201
    changed = await recv_type(advisor, "changed")
    assert changed["entry"]["device_check"]["verdict"] == "green"
    assert changed["entry"]["device_check"]["browser"] == "Chrome 156"
    bad = dict(check, browser="x" * 500)
    status, body = await service.call("POST", f"/api/citizen/{link}/device-check", json=bad)
    assert status == 422 and body["error"] == "validation"

    status, _ = await service.call("DELETE", f"/api/citizen/{link}/consent")
    assert status == 200
    assert (await recv(citizen))["phase"] == "revoked"
    revoked = await recv_type(advisor, "consent_revoked")
    assert revoked == {
        "type": "consent_revoked",
        "participant_id": pid,
        "appointment_id": appt["id"],
    }
    departed = await recv_type(advisor, "departed")
    assert departed == {"type": "departed", "participant_id": pid, "reason": "revoked"}
    # Nothing after that: the closed socket must not bring the person back as "offline".
    with pytest.raises(TimeoutError):
        await advisor.receive(timeout=0.5)
    stored = await service.get(token, appt["id"])
    assert "Erika" not in json.dumps(stored)
    assert stored["customer_number"] is None and stored["email"] is None
    assert stored["citizen_name"] == "– Einwilligung widerrufen –"
    # The link now only tells the citizen that participation ended.
    ws = await service.client.ws_connect("/ws/citizen")
    await ws.send_json({"type": "hello", "token": link})
    assert (await recv(ws))["phase"] == "revoked"
    await ws.close()
    await advisor.close()
    await asyncio.sleep(0)


async def test_sent_away_reason_is_shown_again_after_a_reload(service: Service, token: str) -> None:
    room = await citizen_waiting(service, token, name="Jonas Becker")
    reason = "Bitte vereinbaren Sie einen neuen Termin."
    await room.advisor.send_json(
        {"type": "send_away", "participant_id": room.pid, "reason": reason}
    )
    assert await recv(room.citizen) == {"type": "state", "phase": "sent_away", "reason": reason}
    await room.citizen.close()
    back = await service.client.ws_connect("/ws/citizen")
    await back.send_json({"type": "hello", "token": room.link})
    assert await recv(back) == {"type": "state", "phase": "sent_away", "reason": reason}
    await back.send_json({"type": "enter"})  # sent away is final for this visit
    assert (await recv(back))["error"] == "not_allowed"
    await back.close()
    await room.advisor.close()


async def test_service_shutdown_closes_open_sockets_at_once(service: Service, token: str) -> None:
    room = await citizen_waiting(service, token, name="Maria Schneider")
    await service.app.shutdown()  # what aiohttp runs first when the service stops
    for ws in (room.advisor, room.citizen):
        msg = await ws.receive(timeout=2)
        assert msg.type is WSMsgType.CLOSE and msg.data == WSCloseCode.GOING_AWAY


async def test_a_restarted_console_gets_its_call_back_in_the_waiting_room(
    service: Service, token: str
) -> None:
    room = await admitted(service, token)
    await room.advisor.close()  # the console crashed
    # It starts again and says it is in no call: the citizen waits again, at once.
    console, snapshot = await console_hello(service, room.token, [])
    assert [e["participant_id"] for e in snapshot["entries"]] == [room.pid]
    assert snapshot["entries"][0]["online"] is True
    assert (await recv(room.citizen))["phase"] == "waiting"
    assert not service.app[HUB].is_admitted(room.pid)
    # And it may admit them again: the call can start anew.
    await console.send_json({"type": "admit", "participant_id": room.pid})
    assert (await recv(room.citizen))["phase"] == "admitted"
    await room.citizen.close()
    await console.close()


async def test_a_console_back_within_the_grace_keeps_its_call(service: Service, token: str) -> None:
    room = await admitted(service, token)
    await room.advisor.close()  # a short loss of the service
    console, snapshot = await console_hello(service, room.token, [room.pid])
    assert snapshot["entries"] == []
    assert service.app[HUB].is_admitted(room.pid)
    # Saying nothing (an older console, or a second window) changes nothing either.
    other, snapshot = await console_hello(service, room.token, None)
    assert snapshot["entries"] == []
    assert service.app[HUB].is_admitted(room.pid)
    await other.close()
    await room.citizen.send_json({"type": "ping", "seq": 1})
    assert (await recv(room.citizen))["type"] == "pong"  # no phase change in between
    await room.citizen.close()
    await console.close()


async def test_a_console_away_for_longer_than_the_grace_gets_them_back_waiting(
    service: Service, token: str
) -> None:
    service.app[HUB].reconnect_grace_s = 0.2
    room = await admitted(service, token)
    await room.advisor.close()
    assert (await recv(room.citizen))["phase"] == "waiting"
    console, snapshot = await console_hello(service, room.token, [room.pid])
    assert [e["participant_id"] for e in snapshot["entries"]] == [room.pid]
    await room.citizen.close()
    await console.close()


async def test_a_hello_with_a_malformed_calls_list_is_refused(service: Service, token: str) -> None:
    token = await monday_morning(service)
    ws = await service.client.ws_connect("/ws/advisor")
    await ws.send_json({"type": "hello", "token": token, "calls": ["alle"]})
    reply = await recv(ws)
    assert reply["type"] == "error" and reply["message"], reply
    await ws.receive()
    assert ws.close_code == 4401
