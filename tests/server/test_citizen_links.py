"""A citizen's link is read once and kept (link cache; the join's statements inline on SQLite,
on a pool of their own on PostgreSQL): what is kept follows every change of the appointment,
and nothing is stored without a consent in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from advisor_app.server import keys
from advisor_app.server.link_cache import INLINE_DB, LINKS, LinkCache, changes_links
from advisor_app.server.memory_limits import LocalMemoryStorage
from advisor_app.server.ratelimit import RateLimiter
from advisor_app.storage.inline import InlinePostgres
from advisor_app.storage.models import ConsentRecord, DeviceCheck
from advisor_app.storage.repositories import CitizenLink
from tests.helpers.fixtures import MakeService
from tests.helpers.postgres import PostgresServer
from tests.helpers.service import MONDAY_11, Service, appointment_body
from tests.helpers.waiting_room import consent, link_token

pytestmark = pytest.mark.service

CHECK = {"browser": "Chrome 156", "os": "Linux", "device_type": "desktop", "verdict": "green"}


async def test_a_kept_link_follows_moving_and_cancelling(service: Service, token: str) -> None:
    appt = await service.create(token)
    link = link_token(appt)
    assert service.app[INLINE_DB] is not None  # SQLite: the join's statements run inline
    status, view = await service.call("GET", f"/api/citizen/{link}")
    assert status == 200 and view["starts_at"].startswith("2026-11-23T10:00")  # UTC
    assert len(service.app[LINKS]) == 1

    later = MONDAY_11 + timedelta(hours=2)
    status, body = await service.call(
        "PUT", f"/api/appointments/{appt['id']}", token, json=appointment_body(later)
    )
    assert status == 200, body
    status, view = await service.call("GET", f"/api/citizen/{link}")
    assert status == 200 and view["starts_at"].startswith("2026-11-23T12:00")

    await service.call("POST", f"/api/appointments/{appt['id']}/cancel", token)
    status, body = await service.call("GET", f"/api/citizen/{link}")
    assert status == 410 and body["error"] == "cancelled"


async def test_no_device_check_stored_after_a_revocation_the_cache_missed(
    service: Service, token: str
) -> None:
    """Another instance revoked the consent: this one still keeps the consented link."""
    appt = await service.create(token)
    link = link_token(appt)
    await consent(service, link)
    async with service.app[keys.SESSIONS]() as session:
        await session.execute(update(ConsentRecord).values(revoked_at=service.clock.now()))
        await session.commit()
    assert service.app[LINKS].get(link) is not None  # consent records are not watched

    status, body = await service.call("POST", f"/api/citizen/{link}/device-check", json=CHECK)
    assert status == 409 and body["error"] == "consent_required"
    async with service.app[keys.SESSIONS]() as session:
        assert await session.scalar(select(func.count()).select_from(DeviceCheck)) == 0
    assert service.app[LINKS].get(link) is None  # read again next time


async def test_device_checks_are_trimmed_to_the_newest_five(service: Service, token: str) -> None:
    appt = await service.create(token)
    link = link_token(appt)
    await consent(service, link)
    for n in range(3):  # the first check skips the trim: there is nothing older
        body = {**CHECK, "browser": f"Chrome {150 + n}"}
        status, _ = await service.call("POST", f"/api/citizen/{link}/device-check", json=body)
        assert status == 201
    async with service.app[keys.SESSIONS]() as session:  # older ones, beyond the per-link limit
        pid = await session.scalar(select(DeviceCheck.participant_id))
        for n in range(3, 6):
            values = {**CHECK, "browser": f"Chrome {150 + n}", "participant_id": pid}
            values |= {"camera": "ok", "microphone": "ok", "speaker": "ok"}
            session.add(DeviceCheck(**values, checked_at=service.clock.now()))
        await session.commit()
    body = {**CHECK, "browser": "Chrome 156"}
    status, _ = await service.call("POST", f"/api/citizen/{link}/device-check", json=body)
    assert status == 201
    async with service.app[keys.SESSIONS]() as session:
        kept = list(await session.scalars(select(DeviceCheck.browser).order_by(DeviceCheck.id)))
    assert kept == [f"Chrome {150 + n}" for n in range(2, 7)]


@pytest.mark.integration
async def test_on_postgresql_the_join_outlives_a_database_restart(
    make_service: MakeService,
) -> None:
    """The join's own pool has no pre-ping: a connection that died with the server is found
    out by its statement, which runs again on a new connection; the citizen sees nothing."""
    with PostgresServer() as postgres:
        service = await make_service(service={"database_url": postgres.url})
        assert isinstance(service.app[INLINE_DB], InlinePostgres)
        token = await service.signed_in("berater")
        link = link_token(await service.create(token))
        await consent(service, link)  # read and written on the join's pool
        status, _ = await service.call("POST", f"/api/citizen/{link}/device-check", json=CHECK)
        assert status == 201
        await service.app[keys.MAILER].drain()  # the invitation is out: nothing else runs

        postgres.stop()
        postgres.start()
        service.app[LINKS].clear()  # read from the database again
        status, view = await service.call("GET", f"/api/citizen/{link}")
        assert status == 200 and view["consent"]["accepted"] is True
        body = {**CHECK, "browser": "Chrome 157"}
        status, _ = await service.call("POST", f"/api/citizen/{link}/device-check", json=body)
        assert status == 201
        async with service.app[keys.SESSIONS]() as session:
            kept = list(await session.scalars(select(DeviceCheck.browser).order_by(DeviceCheck.id)))
        assert kept == ["Chrome 156", "Chrome 157"]


@pytest.mark.parametrize(
    ("statement", "changes"),
    [
        ("UPDATE appointments SET status=?, updated_at=? WHERE appointments.id = ?", True),
        ("UPDATE appointments SET advisor_id=%(advisor_id)s WHERE appointments.id = 1", True),
        ("UPDATE participants SET name=?, email=? WHERE participants.id = ?", True),
        ("DELETE FROM appointments WHERE appointments.id = ?", True),
        ("UPDATE appointments SET stat_outcome=? WHERE appointments.id = ?", False),
        ("UPDATE participants SET mail_status=? WHERE participants.id = ?", False),
        ("UPDATE consent_records SET revoked_at=? WHERE consent_records.id = ?", False),
        ("DELETE FROM device_checks WHERE device_checks.participant_id = ?", False),
    ],
)
def test_writes_that_empty_the_link_cache(statement: str, changes: bool) -> None:
    assert changes_links(statement) is changes


async def test_rate_limits_hold_while_the_clean_up_drops_old_entries() -> None:
    limiter = RateLimiter({"join": "2/minute"})
    assert await limiter.hit("join", "198.51.100.7")
    assert await limiter.hit("join", "198.51.100.7")
    assert not await limiter.hit("join", "198.51.100.7")
    storage = limiter._storage
    assert isinstance(storage, LocalMemoryStorage)
    for events in storage.events.values():  # as if the minute had passed
        for entry in events:
            entry.expiry = entry.atime = 0.0
    storage._next_pass = 0.0
    storage.sweep_slice()
    assert storage.events == {}
    assert await limiter.hit("join", "198.51.100.7")


def test_the_link_cache_forgets_old_entries_and_stays_bounded() -> None:
    cache = LinkCache(ttl_s=60.0, max_entries=3)
    links = [_link(f"token-{n:02d}") for n in range(5)]
    for link in links:
        cache.put(link, cache.generation)
    assert len(cache) == 3 and cache.get("token-00") is None and cache.get("token-04")
    cache.ttl_s = 0.0  # everything kept is now expired: the next put drops it
    cache.put(_link("token-05"), cache.generation)
    assert len(cache) == 1
    stale = cache.generation
    cache.clear()
    cache.put(_link("token-06"), stale)  # read before the clear: not kept
    assert cache.get("token-06") is None


def _link(token: str) -> CitizenLink:
    return CitizenLink(
        participant_id=1,
        appointment_id=1,
        advisor_id=1,
        link_token=token,
        name="Erika Mustermann",
        role="citizen",
        language="de",
        starts_at=MONDAY_11,
        duration_min=30,
        status="scheduled",
        consent_version=None,
        privacy_version=None,
        consent_accepted_at=None,
        consent_revoked_at=None,
    )
