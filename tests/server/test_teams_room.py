"""The team waiting room over real sockets: a colleague admits, a citizen is handed over, the
waiting citizen hears that the advisor is still in a call, and another team sees nothing."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from aiohttp import ClientWebSocketResponse

from advisor_app.server.waiting_room_sockets import HUB
from tests.helpers.service import MONDAY_11, Service
from tests.helpers.teams import advisor_id, make_team, next_team_view, team_console
from tests.helpers.waiting_room import (
    ROOM_OPEN,
    advisor_socket,
    citizen_socket,
    consent,
    link_token,
    monday_morning,
    recv,
    recv_type,
)

pytestmark = pytest.mark.service

#: Six minutes after the start: past the default grace of five for a colleague.
PAST_GRACE = MONDAY_11 + timedelta(minutes=6)


async def _booked(service: Service, token: str, name: str, minutes: int = 0) -> tuple[int, str]:
    """An appointment ``minutes`` after Monday 11:00 with consent given: (id, link)."""
    appt = await service.create(
        token, name=name, starts_at=(MONDAY_11 + timedelta(minutes=minutes)).isoformat()
    )
    link = link_token(appt)
    await consent(service, link)
    return appt["id"], link


async def _enter(service: Service, link: str) -> ClientWebSocketResponse:
    citizen = await citizen_socket(service, link, "lobby")
    await citizen.send_json({"type": "enter"})
    assert (await recv(citizen))["phase"] == "waiting"
    return citizen


async def test_a_colleague_admits_only_once_the_advisor_is_absent_and_the_grace_passed(
    service: Service, token: str
) -> None:
    await service.add_advisor("kollege", "Herr Kollege")
    await make_team(service, "Team Nord", "berater", "kollege")
    appointment_id, link = await _booked(service, token, "Erika Mustermann")
    mine = await monday_morning(service)
    advisor = await team_console(service, mine)
    colleague = await team_console(service, await service.token_for("kollege"))
    service.clock.set(PAST_GRACE)
    citizen = await _enter(service, link)

    [entry] = await next_team_view(colleague, name="Erika Mustermann")
    assert (entry["advisor_name"], entry["advisor_state"]) == ("Frau Beispiel", "free")
    assert entry["may_admit"] is False
    pid = entry["participant_id"]
    await colleague.send_json({"type": "admit", "participant_id": pid})
    refused = await recv_type(colleague, "error")
    assert (refused["error"], refused["details"]["reason"]) == ("not_waiting", "colleague_grace")
    assert "5 Minuten" in refused["message"]
    assert service.app[HUB].phase_of(pid).value == "waiting"  # type: ignore[union-attr]

    await advisor.close()  # the advisor's console is gone: absent
    [entry] = await next_team_view(colleague, advisor_state="absent")
    assert entry["may_admit"] is True
    await colleague.send_json({"type": "admit", "participant_id": pid})
    assert (await recv(citizen))["phase"] == "admitted"
    assert (await recv_type(colleague, "departed"))["reason"] == "admitted"
    await recv_type(colleague, "appointments_changed")

    # The appointment is the colleague's now; its record says who admitted, nothing more.
    got = await service.get(await service.token_for("kollege"), appointment_id)
    assert (got["advisor_id"], got["advisor_name"]) == (
        await advisor_id(service, "kollege"),
        "Herr Kollege",
    )
    [event] = got["history"]
    assert (event["kind"], event["actor_name"], event["from_name"], event["to_name"]) == (
        "admitted_by_colleague",
        "Herr Kollege",
        "Frau Beispiel",
        "Herr Kollege",
    )
    for ws in (citizen, colleague):
        await ws.close()


async def test_two_colleagues_admit_a_busy_advisors_citizen_at_once_and_one_wins(
    service: Service, token: str
) -> None:
    await service.add_advisor("kollege", "Herr Kollege")
    await service.add_advisor("dritte", "Frau Drei")
    await make_team(service, "Team Nord", "berater", "kollege", "dritte")
    _, first_link = await _booked(service, token, "Rosa Rückkehr")
    _, second_link = await _booked(service, token, "Erika Mustermann", minutes=30)
    mine = await monday_morning(service)
    advisor = await team_console(service, mine)
    colleagues = [
        await team_console(service, await service.token_for(name)) for name in ("kollege", "dritte")
    ]
    service.clock.set(ROOM_OPEN)
    first = await _enter(service, first_link)
    first_id = (await recv_type(advisor, "arrived"))["entry"]["participant_id"]
    await advisor.send_json({"type": "admit", "participant_id": first_id})
    assert (await recv(first))["phase"] == "admitted"

    service.clock.set(PAST_GRACE + timedelta(minutes=30))  # the first call runs late
    second = await _enter(service, second_link)
    pid = (await recv_type(advisor, "arrived"))["entry"]["participant_id"]
    for ws in colleagues:
        [entry] = await next_team_view(ws, participant_id=pid)
        assert (entry["advisor_state"], entry["may_admit"]) == ("busy", True)
    await asyncio.gather(
        *(ws.send_json({"type": "admit", "participant_id": pid}) for ws in colleagues)
    )
    answers = []
    for ws in colleagues:
        frame = await recv(ws)
        while frame["type"] not in ("departed", "error"):
            frame = await recv(ws)
        answers.append(frame)
    assert sorted(a["type"] for a in answers) == ["departed", "error"]
    [refused] = [a for a in answers if a["type"] == "error"]
    assert refused["error"] == "already_admitted"
    winner = "Herr Kollege" if answers[0]["type"] == "departed" else "Frau Drei"
    told = await recv_type(advisor, "admitted_by_colleague")
    assert (told["participant_id"], told["colleague_name"]) == (pid, winner)
    assert (await recv_type(second, "state"))["phase"] == "admitted"
    for ws in (advisor, first, second, *colleagues):
        await ws.close()


async def test_the_waiting_citizen_hears_the_advisor_is_in_a_call_and_when_it_ends(
    service: Service, token: str
) -> None:
    _, first_link = await _booked(service, token, "Rosa Rückkehr")
    _, second_link = await _booked(service, token, "Erika Mustermann", minutes=30)
    advisor = await advisor_socket(service, await monday_morning(service))
    service.clock.set(ROOM_OPEN)
    first = await _enter(service, first_link)
    first_id = (await recv_type(advisor, "arrived"))["entry"]["participant_id"]
    await advisor.send_json({"type": "admit", "participant_id": first_id})
    assert (await recv(first))["phase"] == "admitted"

    service.clock.set(MONDAY_11 + timedelta(minutes=26))  # the first call is planned to 11:30
    second = await _enter(service, second_link)
    assert await recv(second) == {
        "type": "advisor_status",
        "state": "in_call",
        "next": True,
        "minutes_left": 4,
    }
    # A reload hears it again.
    await second.close()
    second = await citizen_socket(service, second_link, "waiting")
    assert (await recv(second))["state"] == "in_call"

    await advisor.send_json({"type": "end_call", "participant_id": first_id})
    assert await recv(second) == {
        "type": "advisor_status",
        "state": "available",
        "next": False,
        "minutes_left": None,
    }
    for ws in (advisor, first, second):
        await ws.close()


async def test_a_waiting_citizen_handed_over_keeps_the_place_with_the_colleague(
    service: Service, token: str
) -> None:
    await service.add_advisor("kollege", "Herr Kollege")
    await make_team(service, "Team Nord", "berater", "kollege")
    appointment_id, link = await _booked(service, token, "Erika Mustermann")
    advisor = await team_console(service, await monday_morning(service))
    theirs = await service.token_for("kollege")
    colleague = await team_console(service, theirs)
    service.clock.set(ROOM_OPEN)
    citizen = await _enter(service, link)
    arrived = (await recv_type(advisor, "arrived"))["entry"]
    pid = arrived["participant_id"]

    to = await advisor_id(service, "kollege")
    note = "Bitte den Ausweis prüfen, Antrag liegt vor."
    await advisor.send_json(
        {"type": "hand_over", "participant_id": pid, "to_advisor_id": to, "note": note}
    )
    handed = await recv_type(colleague, "handed_to_you")
    assert handed == {
        "type": "handed_to_you",
        "appointment_id": appointment_id,
        "participant_id": pid,
        "from_name": "Frau Beispiel",
        "note": note,
    }
    now_mine = (await recv_type(colleague, "arrived"))["entry"]
    assert now_mine["participant_id"] == pid
    assert now_mine["waiting_since"] == arrived["waiting_since"]  # the place is kept
    departed = await recv_type(advisor, "departed")
    assert departed == {"type": "departed", "participant_id": pid, "reason": "handed_over"}
    assert await recv(citizen) == {"type": "handed_over"}
    assert note not in str(service.app[HUB].phase_of(pid))
    assert [e.participant_id for e in service.app[HUB].waiting_for(to)] == [pid]

    await colleague.send_json({"type": "admit", "participant_id": pid})
    assert (await recv(citizen))["phase"] == "admitted"
    got = await service.get(theirs, appointment_id)
    assert [(e["kind"], e["actor_name"], e["to_name"]) for e in got["history"]] == [
        ("handed_over", "Frau Beispiel", "Herr Kollege")
    ]
    for ws in (advisor, colleague, citizen):
        await ws.close()


async def test_another_teams_advisor_sees_nothing_and_can_neither_admit_nor_take_over(
    service: Service, token: str
) -> None:
    for username, name in (
        ("kollege", "Herr Kollege"),
        ("sued", "Frau Süd"),
        ("sued2", "Herr Süd"),
    ):
        await service.add_advisor(username, name)
    north = await make_team(service, "Team Nord", "berater", "kollege", leads=("berater",))
    await make_team(service, "Team Süd", "sued", "sued2")
    appointment_id, link = await _booked(service, token, "Erika Mustermann")
    mine = await monday_morning(service)
    advisor = await team_console(service, mine)
    colleague = await team_console(service, await service.token_for("kollege"))
    stranger_token = await service.token_for("sued")
    stranger = await team_console(service, stranger_token)
    service.clock.set(PAST_GRACE)
    citizen = await _enter(service, link)
    pid = (await recv_type(advisor, "arrived"))["entry"]["participant_id"]
    await next_team_view(colleague, participant_id=pid)  # the own team sees the citizen
    await advisor.close()  # absent: a colleague of the team could admit now

    # Another team's console learns nothing: its next frame answers its own ping.
    await stranger.send_json({"type": "ping", "seq": 7})
    assert await recv(stranger) == {"type": "pong", "seq": 7}
    assert service.app[HUB].team_waiting(await advisor_id(service, "sued")) == []
    for attempt in (
        {"type": "admit", "participant_id": pid},
        {"type": "hand_over", "participant_id": pid, "to_advisor_id": 1, "note": ""},
        {"type": "send_away", "participant_id": pid},
    ):
        await stranger.send_json(attempt)
        assert (await recv(stranger))["error"] == "not_waiting"
    assert service.app[HUB].phase_of(pid).value == "waiting"  # type: ignore[union-attr]
    assert [e.participant_id for e in service.app[HUB].waiting_for(1)] == [pid]

    # Nor over REST: the appointment looks like none, the team is none of theirs.
    sued = await advisor_id(service, "sued")
    for method, path, body in (
        ("GET", f"/api/appointments/{appointment_id}", None),
        ("POST", f"/api/appointments/{appointment_id}/reassign", {"advisor_id": sued}),
        ("POST", f"/api/teams/{north}/members", {"username": "sued"}),
    ):
        status, reply = await service.call(method, path, stranger_token, json=body)
        assert (status, reply["error"]) == (404, "not_found"), (path, reply)
    status, reply = await service.call(
        "POST",
        "/api/appointments/reassign-day",
        stranger_token,
        json={"day": "2026-11-23", "from_advisor_id": 1, "to_advisor_id": sued},
    )
    assert (status, reply["error"]) == (403, "forbidden")
    # The booked advisor cannot hand the citizen to another team either.
    again = await team_console(service, mine)
    await again.send_json(
        {"type": "hand_over", "participant_id": pid, "to_advisor_id": sued, "note": ""}
    )
    assert (await recv_type(again, "error"))["error"] == "not_colleague"
    got = await service.get(mine, appointment_id)
    assert (got["advisor_name"], got["history"]) == ("Frau Beispiel", [])
    for ws in (again, colleague, stranger, citizen):
        await ws.close()
