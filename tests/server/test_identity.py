"""The ID check's outcome: recorded by the appointment's own advisor, nothing from the document."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from advisor_app.server import keys
from advisor_app.server.retention import purge
from advisor_app.storage.models import IdentityCheck
from tests.helpers.service import MONDAY_11, Service

pytestmark = pytest.mark.service

VERIFIED = {"outcome": "verified", "document_type": "id_card"}


async def _checks(service: Service) -> int:
    async with service.app[keys.SESSIONS]() as session:
        return int(await session.scalar(select(func.count()).select_from(IdentityCheck)) or 0)


async def test_the_outcome_is_recorded_and_shown_with_the_appointment(
    service: Service, token: str
) -> None:
    appt = await service.create(token)
    assert appt["identity"] is None
    status, body = await service.call(
        "POST", f"/api/appointments/{appt['id']}/identity", token, json=VERIFIED
    )
    assert status == 200, body
    identity = body["identity"]
    assert identity["outcome"] == "verified"
    assert identity["document_type"] == "id_card"
    assert identity["advisor_name"] == "Frau Beispiel"
    assert identity["checked_at"].startswith(service.clock.now().date().isoformat())
    assert (await service.get(token, appt["id"]))["identity"] == identity

    service.clock.advance(timedelta(minutes=3))
    status, body = await service.call(
        "POST",
        f"/api/appointments/{appt['id']}/identity",
        token,
        json={"outcome": "not_verified", "document_type": "passport"},
    )
    assert status == 200, body
    assert body["identity"]["outcome"] == "not_verified"
    assert body["identity"]["document_type"] == "passport"
    assert await _checks(service) == 1  # replaced, not added


async def test_nothing_but_outcome_and_type_is_accepted(service: Service, token: str) -> None:
    appt = await service.create(token)
    path = f"/api/appointments/{appt['id']}/identity"
    for body in (
        {**VERIFIED, "document_number": "T22000129"},
        {**VERIFIED, "mrz": "IDD<<T220001293<<<<<<<<<<<<<<<"},
        {"outcome": "perhaps", "document_type": "id_card"},
        {"outcome": "verified", "document_type": "library_card"},
        {"outcome": "verified"},
    ):
        status, reply = await service.call("POST", path, token, json=body)
        assert status == 422, (body, reply)
        assert reply["error"] == "validation"
    assert await _checks(service) == 0


async def test_only_the_appointments_own_advisor_may_record(service: Service, token: str) -> None:
    appt = await service.create(token)
    path = f"/api/appointments/{appt['id']}/identity"
    other = await service.signed_in("kollegin")
    status, reply = await service.call("POST", path, other, json=VERIFIED)
    assert status == 404, reply
    status, reply = await service.call("POST", path, None, json=VERIFIED)
    assert status == 401, reply
    status, reply = await service.call(
        "POST", "/api/appointments/999999/identity", token, json=VERIFIED
    )
    assert status == 404, reply
    assert await _checks(service) == 0


async def test_a_cancelled_appointment_gets_no_check(service: Service, token: str) -> None:
    appt = await service.create(token)
    status, _ = await service.call("POST", f"/api/appointments/{appt['id']}/cancel", token)
    assert status == 200
    status, reply = await service.call(
        "POST", f"/api/appointments/{appt['id']}/identity", token, json=VERIFIED
    )
    assert status == 409, reply
    assert reply["error"] == "cancelled"


async def test_retention_deletes_the_check_with_the_appointment(
    service: Service, token: str
) -> None:
    appt = await service.create(token)
    status, _ = await service.call(
        "POST", f"/api/appointments/{appt['id']}/identity", token, json=VERIFIED
    )
    assert status == 200
    assert await _checks(service) == 1
    service.clock.set(MONDAY_11 + timedelta(days=89))
    await purge(service.app[keys.SESSIONS], service.clock, 90, None, grace_min=15)
    assert await _checks(service) == 1
    service.clock.advance(timedelta(days=2))
    result = await purge(service.app[keys.SESSIONS], service.clock, 90, None, grace_min=15)
    assert result.appointments == 1
    assert await _checks(service) == 0
