"""Personal data is deleted 90 days after an appointment; anonymous statistics stay."""

from __future__ import annotations

import email
import os
from datetime import timedelta
from email import policy

import pytest
from sqlalchemy import func, select

from advisor_app.server import keys
from advisor_app.server.retention import PurgeResult, purge
from advisor_app.storage.models import (
    Appointment,
    AppointmentEvent,
    ConsentRecord,
    Mail,
    Participant,
    StatEvent,
    TeamMember,
)
from tests.helpers.fixtures import MakeService
from tests.helpers.service import BASE_URL, MONDAY_11, Service
from tests.helpers.teams import advisor_id, make_team

pytestmark = pytest.mark.service


async def count(service: Service, model: type) -> int:
    async with service.app[keys.SESSIONS]() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def add_consent(service: Service, participant_id: int) -> None:
    async with service.app[keys.SESSIONS]() as session:
        session.add(
            ConsentRecord(
                participant_id=participant_id,
                consent_version="2026-01",
                privacy_version="2026-01",
                language="de",
                accepted_at=service.clock.now(),
            )
        )
        await session.commit()


async def test_old_appointments_are_deleted_with_everything_personal(
    service: Service, token: str
) -> None:
    old = await service.create(
        token, email="alt@example.org", guests=[{"name": "G", "role": "other", "email": "g@x.de"}]
    )
    recent = await service.create(
        token, starts_at=MONDAY_11 + timedelta(days=2), name="Neu", email="neu@example.org"
    )
    await service.drain()
    for appt in (old, recent):
        await add_consent(service, appt["participants"][0]["id"])
    assert await count(service, Mail) == 3
    stats_before = await count(service, StatEvent)
    assert stats_before == 2

    # the outbox files are dated when the mails were written, right before each appointment
    outbox = service.settings.service.outbox_dir
    files = {}
    for path in outbox.glob("*.eml"):
        msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        files[str(msg["To"]).split("<")[1].rstrip(">")] = path
    assert set(files) == {"alt@example.org", "g@x.de", "neu@example.org"}
    for address, start in (
        ("alt@example.org", MONDAY_11),
        ("g@x.de", MONDAY_11),
        ("neu@example.org", MONDAY_11 + timedelta(days=2)),
    ):
        os.utime(files[address], (start.timestamp(), start.timestamp()))

    # 91 days after the first appointment's end, 89 days after the second one's end
    service.clock.set(MONDAY_11 + timedelta(minutes=30, days=91))
    settings = service.settings.service
    result = await purge(
        service.app[keys.SESSIONS], service.clock, 90, settings.outbox_dir, grace_min=15
    )
    assert result == PurgeResult(appointments=1, outbox_files=2)

    assert await count(service, Appointment) == 1
    assert await count(service, Participant) == 1
    assert await count(service, ConsentRecord) == 1
    assert await count(service, Mail) == 1
    assert await count(service, StatEvent) == stats_before
    assert sorted(p.name for p in outbox.glob("*.eml")) == [files["neu@example.org"].name]

    fresh_token = await service.token_for("berater")  # the old session has expired
    status, _ = await service.call("GET", f"/api/appointments/{old['id']}", fresh_token)
    assert status == 404
    kept = await service.get(fresh_token, recent["id"])
    assert kept["citizen_name"] == "Neu"
    _, mails = await service.call("GET", "/api/mails", fresh_token)
    assert [m["to"] for m in mails["mails"]] == ["neu@example.org"]
    status, html = await service.call("GET", old["participants"][0]["link"].removeprefix(BASE_URL))
    assert status == 404
    assert "Dieser Link ist uns nicht bekannt" in html

    # two more days: now the second one goes too; running again changes nothing else
    service.clock.advance(timedelta(days=2))
    result = await purge(
        service.app[keys.SESSIONS], service.clock, 90, settings.outbox_dir, grace_min=15
    )
    assert result == PurgeResult(appointments=1, outbox_files=1)
    assert await count(service, Appointment) == 0
    assert await count(service, StatEvent) == stats_before


async def test_retention_runs_when_the_service_starts(
    service: Service, token: str, make_service: MakeService
) -> None:
    old = await service.create(token)
    await service.drain()
    service.clock.set(MONDAY_11 + timedelta(days=95))
    # the service restarted on the same data purges at once, before it answers
    restarted = await make_service(clock=service.clock)
    assert (await restarted.call("GET", "/healthz"))[0] == 200
    assert await count(restarted, Appointment) == 0
    fresh = await restarted.token_for("berater")
    assert (await restarted.call("GET", f"/api/appointments/{old['id']}", fresh))[0] == 404


async def test_an_appointments_record_goes_with_it_and_the_team_stays(
    service: Service, token: str
) -> None:
    """Who reassigned or admitted is kept exactly as long as the appointment."""
    await service.add_advisor("kollege", "Herr Kollege")
    await make_team(service, "Team Nord", "berater", "kollege")
    appt = await service.create(token)
    to = await advisor_id(service, "kollege")
    status, moved = await service.call(
        "POST", f"/api/appointments/{appt['id']}/reassign", token, json={"advisor_id": to}
    )
    assert status == 200, moved
    assert [e["kind"] for e in moved["history"]] == ["reassigned"]
    await service.drain()
    assert await count(service, AppointmentEvent) == 1

    service.clock.set(MONDAY_11 + timedelta(minutes=30, days=91))
    settings = service.settings.service
    await purge(service.app[keys.SESSIONS], service.clock, 90, settings.outbox_dir, grace_min=15)
    assert await count(service, Appointment) == 0
    assert await count(service, AppointmentEvent) == 0
    assert await count(service, TeamMember) == 2
