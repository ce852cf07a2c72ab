"""The survey after a call and the anonymous statistics, through the real service and sockets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, inspect, select

from advisor_app.server import keys
from advisor_app.server.retention import purge
from advisor_app.storage.models import Appointment, StatTally, SurveyTicket
from tests.helpers.service import Service
from tests.helpers.waiting_room import (
    advisor_socket,
    citizen_socket,
    consent,
    link_token,
    recv,
    recv_type,
)

pytestmark = pytest.mark.service

#: Known appointments around the week and month boundaries of late November 2026 (Berlin).
A_MON_23_NOV = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # 11:00, KW 48, November: held
B_MON_30_NOV = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # 10:00, KW 49, November: no-show
C_TUE_1_DEC = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10:00, KW 49, December: held
#: 00:30 on 1 December in Berlin is still 30 November in UTC: counts for December.
E_1_DEC_0030 = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # no-show
D_WED_2_DEC = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # cancelled: counted as neither


async def _held_call(service: Service, appt: dict[str, Any], hang_up: bool = True) -> str:
    """Open the room, the citizen enters, is admitted and the call ends: the survey ticket."""
    link = link_token(appt)
    service.clock.set(datetime.fromisoformat(appt["starts_at"]) - timedelta(minutes=2))
    token = await service.token_for("berater")
    advisor = await advisor_socket(service, token)
    citizen = await citizen_socket(service, link, "lobby")
    await citizen.send_json({"type": "enter"})
    assert (await recv(citizen))["phase"] == "waiting"
    pid = (await recv_type(advisor, "arrived"))["entry"]["participant_id"]
    await advisor.send_json({"type": "admit", "participant_id": pid})
    assert (await recv(citizen))["phase"] == "admitted"
    service.clock.advance(timedelta(minutes=20))
    if hang_up:
        await citizen.send_json({"type": "hangup"})
    else:
        await advisor.send_json({"type": "end_call", "participant_id": pid})
    assert (await recv(citizen))["phase"] == "ended"
    offer = await recv(citizen)
    assert offer["type"] == "survey"
    await citizen.close()
    await advisor.close()
    return str(offer["ticket"])


async def _report(service: Service, token: str, appt: dict[str, Any], **body: Any) -> Any:
    pid = appt["participants"][0]["id"]
    status, reply = await service.call(
        "POST", "/api/calls/report", token, json={"participant_ids": [pid], **body}
    )
    assert status == 200, reply
    return reply


async def _answer(service: Service, ticket: str, **answers: Any) -> tuple[int, Any]:
    return await service.call("POST", "/api/survey", json={"ticket": ticket, **answers})


async def _statistics(service: Service, token: str, period: str, count: int) -> list[Any]:
    status, body = await service.call(
        "GET", f"/api/statistics?period={period}&count={count}", await service.token_for("berater")
    )
    assert status == 200, body
    assert body["period"] == period
    return list(body["periods"])


async def test_the_survey_is_offered_after_the_call_and_one_ticket_answers_once(
    service: Service, token: str
) -> None:
    appt = await service.create(token, starts_at=A_MON_23_NOV)
    await consent(service, link_token(appt))
    ticket = await _held_call(service, appt)

    status, body = await _answer(service, ticket, satisfaction=5, av_quality=4, use_again="yes")
    assert status == 200, body
    assert body["message"] == "Vielen Dank für Ihre Antworten!"
    status, body = await _answer(service, ticket, satisfaction=1)
    assert status == 409
    assert body["message"] == "Diese Umfrage wurde bereits beantwortet. Vielen Dank!"
    status, body = await _answer(service, "x" * 43, satisfaction=3)
    assert status == 410
    assert body["message"].startswith("Diese Umfrage ist nicht mehr verfügbar")

    weeks = await _statistics(service, token, "week", 1)
    assert weeks[0]["key"] == "2026-W48"
    assert weeks[0]["survey"]["responses"] == 1
    assert weeks[0]["survey"]["satisfaction"] == [0, 0, 0, 0, 1]
    assert weeks[0]["survey"]["av_quality"] == [0, 0, 0, 1, 0]
    assert weeks[0]["survey"]["use_again_yes"] == 1


async def test_a_ticket_expires_and_a_reload_of_the_closing_page_gets_the_same_ticket(
    service: Service, token: str
) -> None:
    appt = await service.create(token, starts_at=A_MON_23_NOV)
    await consent(service, link_token(appt))
    ticket = await _held_call(service, appt, hang_up=False)  # the advisor ended it
    again = await citizen_socket(service, link_token(appt), "ended")
    assert await recv(again) == {"type": "survey", "ticket": ticket}
    await again.close()

    service.clock.advance(timedelta(hours=3))
    status, body = await _answer(service, ticket, use_again="no")
    assert status == 410
    assert "zwei Stunden" in body["message"]


async def test_answers_are_validated_with_clear_german_messages(service: Service) -> None:
    ticket = "a" * 43
    for body, message in (
        (
            {"ticket": ticket},
            "Bitte beantworten Sie mindestens eine Frage oder wählen Sie „Überspringen“.",
        ),
        ({"ticket": ticket, "satisfaction": 6}, "Der Wert darf höchstens 5 sein."),
        ({"ticket": ticket, "satisfaction": 3, "appointment_id": 7}, "Diese Angabe ist unbekannt."),
        ({"ticket": "kurz", "satisfaction": 3}, None),
        ({"ticket": ticket, "use_again": "vielleicht"}, "Dieser Wert ist nicht erlaubt."),
    ):
        status, reply = await service.call("POST", "/api/survey", json=body)
        assert status == 422, body
        assert reply["error"] == "validation"
        if message is not None:
            assert reply["message"].endswith(message), reply
    status, reply = await service.call("POST", "/api/survey", data=b"{nope")
    assert status == 400 and reply["message"] == "Die Anfrage ist kein gültiges JSON."


async def test_survey_answers_are_rate_limited(make_service: Any) -> None:
    service = await make_service(service={"survey_rate_limit": "3/minute"})
    statuses = [(await _answer(service, "b" * 43, satisfaction=4))[0] for _ in range(4)]
    assert statuses == [410, 410, 410, 429]


async def test_stored_answers_have_no_link_to_a_person_appointment_or_moment(
    service: Service, token: str
) -> None:
    appt = await service.create(token, starts_at=A_MON_23_NOV)
    await consent(service, link_token(appt))
    first = await _held_call(service, appt)
    assert (await _answer(service, first, satisfaction=4, av_quality=4))[0] == 200

    def columns(conn: Any, table: str) -> dict[str, str]:
        return {c["name"]: str(c["type"]) for c in inspect(conn).get_columns(table)}

    async with service.app[keys.ENGINE].connect() as conn:
        tallies = await conn.run_sync(columns, "stat_tallies")
        tickets = await conn.run_sync(columns, "survey_tickets")
        fks = await conn.run_sync(lambda c: inspect(c).get_foreign_keys("stat_tallies"))
    # Counters per segment: no id in writing order, no time, no appointment, no person.
    assert set(tallies) == {"iso_week", "month", "metric", "count", "total"}
    assert set(tickets) == {"digest", "expires_at", "used"}
    assert fks == []
    async with service.app[keys.SESSIONS]() as session:
        rows = list(await session.scalars(select(StatTally)))
        ticket_rows = list(await session.scalars(select(SurveyTicket)))
    survey_rows = {r.metric: r.count for r in rows if r.metric.startswith("survey.")}
    assert survey_rows == {
        "survey.responses": 1,
        "survey.satisfaction.4": 1,
        "survey.av_quality.4": 1,
    }
    assert {(r.iso_week, r.month) for r in rows} == {("2026-W48", "2026-11")}
    # The ticket is not the digest, and its expiry tells the hour, not the minute.
    assert [t.digest for t in ticket_rows] != [first]
    assert all(t.expires_at.minute == 0 and t.expires_at.second == 0 for t in ticket_rows)


async def test_statistics_count_held_no_show_duration_quality_by_berlin_week_and_month(
    service: Service, token: str
) -> None:
    a = await service.create(token, starts_at=A_MON_23_NOV)
    await service.create(token, starts_at=B_MON_30_NOV)
    c = await service.create(token, starts_at=C_TUE_1_DEC)
    d = await service.create(token, starts_at=D_WED_2_DEC)
    await service.create(token, starts_at=E_1_DEC_0030)
    for appt in (a, c):
        await consent(service, link_token(appt))
    status, _ = await service.call("POST", f"/api/appointments/{d['id']}/cancel", token)
    assert status == 200

    ticket_a = await _held_call(service, a)
    reply = await _report(
        service,
        await service.token_for("berater"),
        a,
        duration_s=20 * 60,
        quality_s={"good": 1000, "fair": 200},
    )
    assert reply == {"appointments": 1}
    assert (await _answer(service, ticket_a, satisfaction=5, use_again="yes"))[0] == 200

    ticket_c = await _held_call(service, c)
    report_token = await service.token_for("berater")
    await _report(service, report_token, c, duration_s=30 * 60, quality_s={"poor": 600})
    # The call broke off and was resumed: the same appointment, more minutes, still one call.
    await _report(service, report_token, c, duration_s=10 * 60, quality_s={"poor": 60})
    assert (await _answer(service, ticket_c, satisfaction=2, av_quality=1, use_again="no"))[
        0
    ] == 200

    service.clock.set(datetime(2026, 12, 4, 12, 0, tzinfo=UTC))
    weeks = {p["key"]: p for p in await _statistics(service, token, "week", 3)}
    assert list(weeks) == ["2026-W47", "2026-W48", "2026-W49"]
    assert weeks["2026-W49"]["starts_on"] == "2026-11-30"
    assert (weeks["2026-W47"]["held"], weeks["2026-W47"]["no_show"]) == (0, 0)
    assert (weeks["2026-W48"]["held"], weeks["2026-W48"]["no_show"]) == (1, 0)
    assert (weeks["2026-W49"]["held"], weeks["2026-W49"]["no_show"]) == (1, 2)  # b and e
    assert weeks["2026-W48"]["avg_duration_min"] == 20.0
    assert weeks["2026-W49"]["avg_duration_min"] == 40.0
    assert weeks["2026-W47"]["avg_duration_min"] is None
    assert weeks["2026-W48"]["quality_s"] == {"good": 1000, "fair": 200, "poor": 0}
    assert weeks["2026-W49"]["quality_s"] == {"good": 0, "fair": 0, "poor": 660}
    assert weeks["2026-W49"]["survey"]["satisfaction"] == [0, 1, 0, 0, 0]
    assert weeks["2026-W49"]["survey"]["use_again_no"] == 1

    months = {p["key"]: p for p in await _statistics(service, token, "month", 2)}
    assert list(months) == ["2026-11", "2026-12"]
    assert (months["2026-11"]["held"], months["2026-11"]["no_show"]) == (1, 1)  # a; b
    assert (months["2026-12"]["held"], months["2026-12"]["no_show"]) == (1, 1)  # c; e (Berlin)
    assert months["2026-12"]["avg_duration_min"] == 40.0
    assert months["2026-11"]["survey"]["responses"] == 1
    assert months["2026-12"]["survey"]["responses"] == 1
    assert months["2026-12"]["survey"]["av_quality"] == [1, 0, 0, 0, 0]

    # Asking again counts nothing twice.
    assert {p["key"]: p for p in await _statistics(service, token, "month", 2)} == months

    # The retention purge deletes the appointments; the figures stay exactly as they were.
    service.clock.set(datetime(2027, 3, 20, 12, 0, tzinfo=UTC))
    result = await purge(service.app[keys.SESSIONS], service.clock, 90, None, grace_min=15)
    assert result.appointments == 5
    async with service.app[keys.SESSIONS]() as session:
        assert await session.scalar(select(func.count()).select_from(Appointment)) == 0
    later = {p["key"]: p for p in await _statistics(service, token, "month", 5)}
    assert later["2026-11"] == months["2026-11"]
    assert later["2026-12"] == months["2026-12"]


async def test_a_waiting_citizen_who_was_not_admitted_is_no_no_show(
    service: Service, token: str
) -> None:
    appt = await service.create(token, starts_at=A_MON_23_NOV)
    await consent(service, link_token(appt))
    service.clock.set(A_MON_23_NOV - timedelta(minutes=2))
    citizen = await citizen_socket(service, link_token(appt), "lobby")
    await citizen.send_json({"type": "enter"})
    assert (await recv(citizen))["phase"] == "waiting"
    await citizen.close()
    service.clock.set(A_MON_23_NOV + timedelta(hours=2))
    week = (await _statistics(service, token, "week", 1))[0]
    assert (week["held"], week["no_show"]) == (0, 0)


async def test_no_show_is_counted_only_once_the_room_has_closed(
    service: Service, token: str
) -> None:
    await service.create(token, starts_at=A_MON_23_NOV)  # 30 minutes, grace 15
    service.clock.set(A_MON_23_NOV + timedelta(minutes=44))
    assert (await _statistics(service, token, "week", 1))[0]["no_show"] == 0
    service.clock.set(A_MON_23_NOV + timedelta(minutes=45))
    assert (await _statistics(service, token, "week", 1))[0]["no_show"] == 1


async def test_call_reports_and_queries_are_checked(service: Service, token: str) -> None:
    appt = await service.create(token, starts_at=A_MON_23_NOV)
    pid = appt["participants"][0]["id"]
    path = "/api/calls/report"
    body = {"participant_ids": [pid], "duration_s": 60, "quality_s": {"good": 60}}
    assert (await service.call("POST", path, json=body))[0] == 401
    # No call took place: accepted, but nothing is added.
    status, reply = await service.call("POST", path, token, json=body)
    assert (status, reply) == (200, {"appointments": 0})
    other = await service.signed_in("kollegin")
    status, reply = await service.call("POST", path, other, json=body)
    assert status == 404 and reply["message"] == "Zu diesem Gespräch gibt es keinen Termin (mehr)."
    status, reply = await service.call("POST", path, token, json={**body, "duration_s": -1})
    assert status == 422 and reply["message"] == "Dauer: Der Wert muss mindestens 0 sein."
    status, reply = await service.call("POST", path, token, json={**body, "participant_ids": []})
    assert status == 422

    for query in ("period=year", "count=0", "count=61", "count=viele"):
        status, reply = await service.call("GET", f"/api/statistics?{query}", token)
        assert status == 422, query
        assert reply["error"] == "validation"
    assert (await service.call("GET", "/api/statistics"))[0] == 401


async def test_an_interpreter_gets_no_survey_and_does_not_make_the_citizen_come(
    service: Service, token: str
) -> None:
    appt = await service.create(
        token,
        starts_at=A_MON_23_NOV,
        guests=[{"name": "Ayşe Dolmetscherin", "role": "interpreter"}],
    )
    guest = link_token(appt, 1)
    await consent(service, guest)
    service.clock.set(A_MON_23_NOV - timedelta(minutes=2))
    advisor = await advisor_socket(service, await service.token_for("berater"))
    ws = await citizen_socket(service, guest, "lobby")
    await ws.send_json({"type": "enter"})
    assert (await recv(ws))["phase"] == "waiting"
    pid = (await recv_type(advisor, "arrived"))["entry"]["participant_id"]
    await advisor.send_json({"type": "admit", "participant_id": pid})
    assert (await recv(ws))["phase"] == "admitted"
    await advisor.send_json({"type": "end_call", "participant_id": pid})
    assert (await recv(ws))["phase"] == "ended"
    await ws.send_json({"type": "ping", "seq": 1})
    assert await recv(ws) == {"type": "pong", "seq": 1}  # no survey frame before it
    await ws.close()
    await advisor.close()
    # The citizen never came: a no-show, although the interpreter was in the call.
    service.clock.set(A_MON_23_NOV + timedelta(hours=2))
    week = (await _statistics(service, token, "week", 1))[0]
    assert (week["held"], week["no_show"]) == (0, 1)
