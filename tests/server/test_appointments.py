"""Appointments through the advisor REST API: what the console shows and what it is told."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from advisor_app.server import keys
from advisor_app.storage.models import Appointment
from tests.helpers.service import BASE_URL, MONDAY_11, T0, Service, appointment_body

pytestmark = pytest.mark.service


async def test_create_gives_each_participant_a_link_and_a_dial_code(
    service: Service, token: str
) -> None:
    status, body = await service.call(
        "POST",
        "/api/appointments",
        token,
        json=appointment_body(
            guests=[
                {"name": "Ahmad Dolmetscher", "role": "interpreter", "email": "dol@example.org"},
                {"name": "Bea Beistand", "role": "support_person"},
            ]
        ),
    )
    assert status == 201, body
    assert datetime.fromisoformat(body["starts_at"]) == MONDAY_11
    assert body["status"] == "scheduled"
    assert body["citizen_name"] == "Erika Mustermann"
    roles = [p["role"] for p in body["participants"]]
    assert roles == ["citizen", "interpreter", "support_person"]
    links = set()
    for p in body["participants"]:
        match = re.fullmatch(re.escape(BASE_URL) + r"/j/([A-Za-z0-9_-]+)", p["link"])
        assert match, p["link"]
        assert len(match.group(1)) * 6 >= 64  # base64url: 6 bits per character
        links.add(p["link"])
        assert re.fullmatch(r"[0-9]{9}", p["dial_code"])
    assert len(links) == 3
    assert len({p["dial_code"] for p in body["participants"]}) == 3
    by_role = {p["role"]: p for p in body["participants"]}
    assert by_role["citizen"]["mail_status"] == "pending"
    assert by_role["support_person"]["mail_status"] == "none"  # no address given
    await service.drain()
    again = await service.get(token, body["id"])
    assert again["participants"][0]["mail_status"] == "outbox"  # no SMTP host configured
    assert again["participants"][2]["mail_status"] == "none"


async def test_list_by_day_uses_berlin_day_boundaries(service: Service, token: str) -> None:
    service.clock.set(datetime(2026, 11, 1, 8, 0, tzinfo=UTC))
    # 00:30 Berlin time on 24 November is 23:30 UTC on 23 November
    early = await service.create(token, starts_at=datetime(2026, 11, 23, 23, 30, tzinfo=UTC))
    # 23:30 Berlin time on 23 November is 22:30 UTC on 23 November
    late = await service.create(
        token, starts_at=datetime(2026, 11, 23, 22, 30, tzinfo=UTC), name="Max Spät"
    )

    async def ids(query: str) -> list[int]:
        status, body = await service.call("GET", f"/api/appointments?{query}", token)
        assert status == 200, body
        return [a["id"] for a in body["appointments"]]

    assert await ids("day=2026-11-24") == [early["id"]]
    assert await ids("day=2026-11-23") == [late["id"]]
    assert await ids("day=2026-11-22") == []
    # summer time too: 00:30 Berlin on 1 July is 22:30 UTC on 30 June
    summer = await service.create(
        token, starts_at=datetime(2027, 6, 30, 22, 30, tzinfo=UTC), name="Sommer Zeit"
    )
    assert await ids("day=2027-07-01") == [summer["id"]]
    assert await ids("day=2027-06-30") == []


async def test_list_by_range_and_bad_ranges(service: Service, token: str) -> None:
    first = await service.create(token)
    second = await service.create(token, starts_at=MONDAY_11 + timedelta(days=2), name="Zwei")
    status, body = await service.call(
        "GET", "/api/appointments?from=2026-11-23&to=2026-11-26", token
    )
    assert status == 200
    assert [a["id"] for a in body["appointments"]] == [first["id"], second["id"]]
    status, body = await service.call(
        "GET", "/api/appointments?from=2026-11-24&to=2026-11-26", token
    )
    assert [a["id"] for a in body["appointments"]] == [second["id"]]

    for query, message in [
        ("from=2026-11-26&to=2026-11-23", "Der Zeitraum muss zwischen 1 und 62 Tagen liegen."),
        ("from=2026-11-23&to=2026-11-23", "Der Zeitraum muss zwischen 1 und 62 Tagen liegen."),
        ("from=2026-01-01&to=2026-12-31", "Der Zeitraum muss zwischen 1 und 62 Tagen liegen."),
        ("from=2026-11-23", "to: bitte ein Datum im Format JJJJ-MM-TT angeben."),
        ("", "from: bitte ein Datum im Format JJJJ-MM-TT angeben."),
        ("day=23.11.2026", "day: bitte ein Datum im Format JJJJ-MM-TT angeben."),
    ]:
        status, body = await service.call("GET", f"/api/appointments?{query}", token)
        assert status == 400, query
        assert body["error"] == "bad_query"
        assert body["message"] == message


async def test_another_advisor_sees_nothing(service: Service, token: str) -> None:
    appt = await service.create(token)
    other = await service.signed_in("kollegin")
    path = f"/api/appointments/{appt['id']}"
    status, body = await service.call("GET", path, other)
    assert status == 404
    assert body["message"] == "Diesen Termin gibt es nicht (mehr)."
    status, body = await service.call("PUT", path, other, json=appointment_body(topic="fremd"))
    assert status == 404
    assert (await service.call("POST", f"{path}/cancel", other))[0] == 404
    assert (await service.call("POST", f"{path}/invitations", other))[0] == 404
    status, body = await service.call("GET", "/api/appointments?day=2026-11-23", other)
    assert body["appointments"] == []
    status, body = await service.call("GET", "/api/mails", other)
    assert body["mails"] == []
    # and nothing changed for the owner
    mine = await service.get(token, appt["id"])
    assert mine["status"] == "scheduled"
    assert mine["topic"] == "Beratung zur Arbeitsuche"


@pytest.mark.parametrize("bad_id", ["abc", "0", "-1", "99999", "99999999999999999999999"])
async def test_unknown_appointment_ids_are_404(service: Service, token: str, bad_id: str) -> None:
    status, body = await service.call("GET", f"/api/appointments/{bad_id}", token)
    assert status == 404
    assert body["error"] == "not_found"


async def test_update_bumps_sequence_and_mails_the_right_people(
    service: Service, token: str
) -> None:
    appt = await service.create(
        token, guests=[{"name": "Ahmad Dolmetscher", "role": "interpreter", "email": "d@x.org"}]
    )
    await service.drain()
    moved = MONDAY_11 + timedelta(hours=2)
    status, body = await service.call(
        "PUT",
        f"/api/appointments/{appt['id']}",
        token,
        json=appointment_body(
            moved,
            guests=[
                {"name": "Ahmad Dolmetscher", "role": "interpreter", "email": "d@x.org"},
                {"name": "Lea Vertretung", "role": "legal_representative", "email": "l@x.org"},
            ],
        ),
    )
    assert status == 200, body
    assert datetime.fromisoformat(body["starts_at"]) == moved
    # links and codes of existing participants stay the same
    assert body["participants"][0]["link"] == appt["participants"][0]["link"]
    assert body["participants"][1]["dial_code"] == appt["participants"][1]["dial_code"]
    await service.drain()
    status, mails = await service.call("GET", "/api/mails", token)
    kinds = sorted((m["to"], m["kind"]) for m in mails["mails"])
    assert kinds == [
        ("d@x.org", "invite"),
        ("d@x.org", "update"),
        ("erika@example.org", "invite"),
        ("erika@example.org", "update"),
        ("l@x.org", "invite"),
    ]
    update = next(m for m in mails["mails"] if m["kind"] == "update" and m["to"] == "d@x.org")
    assert update["subject"] == "Geänderter Videotermin: Montag, 23. November 2026, 13:00 Uhr"
    assert "Ihr persönlicher Link und Ihr Einwahlcode bleiben gleich" in update["text_body"]
    async with service.app[keys.SESSIONS]() as session:
        row = await session.get(Appointment, appt["id"])
        assert row is not None
        assert row.sequence == 1


async def test_changed_email_gets_an_invitation_and_removed_guest_loses_the_link(
    service: Service, token: str
) -> None:
    appt = await service.create(
        token, guests=[{"name": "Ahmad Dolmetscher", "role": "interpreter", "email": "d@x.org"}]
    )
    await service.drain()
    guest_link = appt["participants"][1]["link"].removeprefix(BASE_URL)
    assert (await service.call("GET", guest_link))[0] == 200
    status, body = await service.call(
        "PUT",
        f"/api/appointments/{appt['id']}",
        token,
        json=appointment_body(email="erika.neu@example.org"),
    )
    assert status == 200
    assert [p["role"] for p in body["participants"]] == ["citizen"]
    await service.drain()
    _, mails = await service.call("GET", "/api/mails", token)
    newest = mails["mails"][0]
    assert (newest["to"], newest["kind"]) == ("erika.neu@example.org", "invite")
    # no update mail; the removed guest's mail went with the guest (data minimisation)
    assert [(m["to"], m["kind"]) for m in mails["mails"]] == [
        ("erika.neu@example.org", "invite"),
        ("erika@example.org", "invite"),
    ]
    status, page = await service.call("GET", guest_link)
    assert status == 404
    assert "Dieser Link ist uns nicht bekannt" in page


async def test_cancel_is_idempotent_and_sends_one_cancellation(
    service: Service, token: str
) -> None:
    appt = await service.create(token)
    await service.drain()
    path = f"/api/appointments/{appt['id']}/cancel"
    for _ in range(2):
        status, body = await service.call("POST", path, token)
        assert status == 200
        assert body["status"] == "cancelled"
        await service.drain()
    _, mails = await service.call("GET", "/api/mails", token)
    assert [m["kind"] for m in mails["mails"]] == ["cancel", "invite"]
    assert mails["mails"][0]["subject"] == (
        "Abgesagt: Ihr Videotermin am Montag, 23. November 2026, 11:00 Uhr"
    )
    status, body = await service.call(
        "PUT", f"/api/appointments/{appt['id']}", token, json=appointment_body()
    )
    assert status == 409
    assert body["message"] == "Ein abgesagter Termin kann nicht mehr geändert werden."
    # a cancelled appointment frees the slot
    again = await service.create(token, name="Neue Person")
    assert again["status"] == "scheduled"


async def test_resend_sends_the_invitation_again(service: Service, token: str) -> None:
    appt = await service.create(token, guests=[{"name": "Gast Eins", "role": "other"}])
    await service.drain()
    path = f"/api/appointments/{appt['id']}/invitations"
    status, body = await service.call("POST", path, token)
    assert status == 202
    assert body["participants"][0]["mail_status"] == "pending"
    await service.drain()
    _, mails = await service.call("GET", "/api/mails", token)
    assert [m["kind"] for m in mails["mails"]] == ["invite", "invite"]
    guest_id = appt["participants"][1]["id"]
    status, body = await service.call("POST", f"{path}?participant={guest_id}", token)
    assert status == 422
    assert body["message"] == "Für diesen Termin ist keine E-Mail-Adresse hinterlegt."
    status, body = await service.call("POST", f"{path}?participant=abc", token)
    assert status == 400


async def test_overlap_is_refused_with_details_unless_allowed(service: Service, token: str) -> None:
    first = await service.create(token)
    body = appointment_body(MONDAY_11 + timedelta(minutes=15), name="Max Mustermann")
    status, reply = await service.call("POST", "/api/appointments", token, json=body)
    assert status == 409
    assert reply["error"] == "overlap"
    assert reply["message"] == (
        "Der Termin überschneidet sich mit 1 anderen Termin(en) (ab 11:00 Uhr)."
    )
    [clash] = reply["details"]["overlaps"]
    assert clash["id"] == first["id"]
    assert clash["citizen_name"] == "Erika Mustermann"
    assert datetime.fromisoformat(clash["starts_at"]) == MONDAY_11

    back_to_back = appointment_body(MONDAY_11 + timedelta(minutes=30), name="Direkt Danach")
    assert (await service.call("POST", "/api/appointments", token, json=back_to_back))[0] == 201

    body["allow_overlap"] = True
    status, reply = await service.call("POST", "/api/appointments", token, json=body)
    assert status == 201
    # moving an appointment onto itself is no overlap
    status, _ = await service.call(
        "PUT",
        f"/api/appointments/{first['id']}",
        token,
        json=appointment_body(MONDAY_11 - timedelta(minutes=10), allow_overlap=False),
    )
    assert status == 409  # still clashes with the 11:15 one
    # another advisor's appointments never clash
    other = await service.signed_in("kollegin")
    assert (await service.create(other))["status"] == "scheduled"


async def test_appointment_in_the_past_is_refused(service: Service, token: str) -> None:
    status, body = await service.call(
        "POST", "/api/appointments", token, json=appointment_body(T0 - timedelta(minutes=10))
    )
    assert status == 422
    assert body["error"] == "in_past"
    assert body["field"] == "starts_at"
    assert body["message"].startswith("Der Termin liegt in der Vergangenheit.")
    # a minute ago is fine: the advisor was typing
    status, _ = await service.call(
        "POST", "/api/appointments", token, json=appointment_body(T0 - timedelta(minutes=1))
    )
    assert status == 201


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "keine-adresse"}, "email", "E-Mail-Adresse: Die E-Mail-Adresse ist ungültig"),
        ({"citizen_name": "x" * 10_000}, "citizen_name", "Name: Der Text ist zu lang."),
        (
            {"citizen_name": "x" * 121},
            "citizen_name",
            "Name: Der Name ist zu lang (höchstens 120 Zeichen).",
        ),
        (
            {"citizen_name": "Erika\x00Mustermann"},
            "citizen_name",
            "Name: Der Name enthält unzulässige Steuerzeichen.",
        ),
        (
            {"citizen_name": "Erika\u202eMustermann"},
            "citizen_name",
            "Name: Der Name enthält unzulässige Steuerzeichen.",
        ),
        ({"citizen_name": "   "}, "citizen_name", "Name: Bitte geben Sie einen Namen ein."),
        ({"wunsch": "frei"}, "wunsch", "Diese Angabe ist unbekannt."),
        ({"starts_at": "2026-11-23T11:00:00"}, "starts_at", "Beginn: Die Zeitangabe braucht"),
        ({"starts_at": "morgen"}, "starts_at", "Beginn: Das ist keine gültige Zeitangabe."),
        ({"duration_min": 500}, "duration_min", "Dauer: Der Wert darf höchstens 240 sein."),
        ({"duration_min": 1}, "duration_min", "Dauer: Der Wert muss mindestens 5 sein."),
        ({"language": "fr"}, "language", "Sprache: Dieser Wert ist nicht erlaubt."),
        (
            {"guests": [{"name": f"Gast {i}", "role": "other"} for i in range(4)]},
            "guests",
            "Gäste: Es sind zu viele Einträge (höchstens 3).",
        ),
        (
            {"guests": [{"name": "Noch ein Bürger", "role": "citizen"}]},
            "guests.0.role",
            "Rolle: Gäste können nicht die Rolle „Bürgerin/Bürger“ haben.",
        ),
        (
            {"guests": [{"name": "Gast", "role": "other", "email": "a@@b"}]},
            "guests.0.email",
            "E-Mail-Adresse: Die E-Mail-Adresse ist ungültig",
        ),
        ({"topic": "Thema\x1b[2J"}, "topic", "Thema: Das Thema enthält unzulässige Steuerzeichen."),
    ],
)
async def test_invalid_appointments_get_german_422(
    service: Service, token: str, change: dict[str, Any], field: str, message: str
) -> None:
    status, body = await service.call(
        "POST", "/api/appointments", token, json=appointment_body(**change)
    )
    assert status == 422, body
    assert body["error"] == "validation"
    assert body["field"] == field
    assert body["message"].startswith(message), body["message"]
    status, listed = await service.call("GET", "/api/appointments?day=2026-11-23", token)
    assert listed["appointments"] == []


async def test_malformed_json_oversized_body_and_wrong_types(service: Service, token: str) -> None:
    headers = {"Content-Type": "application/json"}
    status, body = await service.call(
        "POST", "/api/appointments", token, data=b'{"starts_at": ', headers=headers
    )
    assert status == 400
    assert body == {
        "error": "bad_json",
        "message": "Die Anfrage ist kein gültiges JSON.",
        "message_en": "Malformed JSON.",
        "field": None,
        "details": {},
    }
    status, body = await service.call(
        "POST", "/api/appointments", token, data=b"\xff\xfe", headers=headers
    )
    assert status == 400
    big = appointment_body(topic="x" * 70_000)
    status, body = await service.call("POST", "/api/appointments", token, json=big)
    assert status == 413
    assert body["message"] == "Die Anfrage ist zu groß."

    async def chunks() -> Any:
        yield b'{"topic": "'
        for _ in range(70):
            yield b"x" * 1024
        yield b'"}'

    status, body = await service.call("POST", "/api/appointments", token, data=chunks())
    assert status == 413
    status, body = await service.call("POST", "/api/appointments", token, json=[1, 2])
    assert status == 422
    assert body["message"] == "Hier wird ein Objekt erwartet."


async def test_unknown_api_route_and_method_are_json(service: Service, token: str) -> None:
    status, body = await service.call("GET", "/api/nichts", token)
    assert status == 404
    assert body["error"] == "http"
    assert body["message"].startswith("Diese Adresse gibt es im Dienst nicht.")
    assert body["message_en"] == "Not Found"
    status, body = await service.call("DELETE", "/api/appointments", token)
    assert status == 405
    assert body["message"] == "Diese Aktion ist an dieser Adresse nicht möglich."
