"""Citizen REST: the appointment as the page shows it, consent, device check, network test."""

from __future__ import annotations

import dataclasses
import logging
import os
from typing import Any

from aiohttp import web
from sqlalchemy import Insert, bindparam, delete, exists, insert, select

from advisor_app.core.domain import AppointmentStatus, Role
from advisor_app.core.protocol import (
    CitizenView,
    ConsentIn,
    ConsentState,
    DeviceCheckIn,
    DeviceCheckOut,
)
from advisor_app.core.timewindow import LinkState
from advisor_app.server import keys
from advisor_app.server.auth import client_address, limit_key
from advisor_app.server.citizen import link_window
from advisor_app.server.errors import ApiError, json_response, read_model, validation_refusal
from advisor_app.server.legal import LEGAL
from advisor_app.server.link_cache import INLINE_DB, LINKS, citizen_link
from advisor_app.server.waiting_room_sockets import ROOM
from advisor_app.storage import inline
from advisor_app.storage.models import ConsentRecord, DeviceCheck, Mail, Participant
from advisor_app.storage.repositories import CitizenLink

log = logging.getLogger(__name__)

MAX_NETTEST_BYTES = 4 * 1024 * 1024
#: Device checks kept per participant (the console shows the newest).
KEPT_DEVICE_CHECKS = 5
#: Shown instead of the name once a participant revoked consent (the name itself is deleted).
REVOKED_NAME = "– Einwilligung widerrufen –"


def legal_versions(app: web.Application) -> dict[str, str]:
    """The versions in force of the texts a citizen consents to (the agency's own, if set)."""
    texts = app[LEGAL]
    return {"consent": texts.version("consent"), "privacy": texts.version("privacy")}


def _too_many() -> ApiError:
    return ApiError(429, "rate_limited", reason="attempts", headers={"Retry-After": "60"})


def _unknown() -> ApiError:
    return ApiError(404, "unknown_link")


async def _link(request: web.Request) -> CitizenLink:
    """The link in the URL with what the request needs (one statement), or a clear 404/410."""
    link = await citizen_link(request.app, request.match_info["token"])
    if link is None:
        raise _unknown()
    if link.status == AppointmentStatus.CANCELLED.value:
        raise ApiError(410, "cancelled", reason="link")
    if link_window(request, link).link_state(request.app[keys.CLOCK].now()) is LinkState.EXPIRED:
        raise ApiError(410, "expired")
    return link


def _consent_state(link: CitizenLink, versions: dict[str, str]) -> ConsentState:
    """From the newest consent record (a revocation marks them all)."""
    given = link.consent_version is not None
    active = given and link.consent_revoked_at is None
    current = (
        active
        and link.consent_version == versions["consent"]
        and link.privacy_version == versions["privacy"]
    )
    return ConsentState(
        accepted=current,
        revoked=given and link.consent_revoked_at is not None,
        consent_version=versions["consent"],
        privacy_version=versions["privacy"],
        accepted_consent_version=link.consent_version if active else None,
        accepted_at=link.consent_accepted_at if active else None,
    )


def _view(request: web.Request, link: CitizenLink) -> web.Response:
    svc = request.app[keys.SETTINGS].service
    window = link_window(request, link)
    now = request.app[keys.CLOCK].now()
    return json_response(
        CitizenView(
            organisation=svc.organisation,
            support_phone=svc.support_phone,
            support_hours=svc.support_hours,
            participant_name=link.name,
            role=Role(link.role),
            language=link.language,
            starts_at=link.starts_at,
            duration_min=link.duration_min,
            room_opens_at=window.room_opens_at,
            room_closes_at=window.room_closes_at,
            server_now=now,
            link_state=window.link_state(now).value,
            consent=_consent_state(link, legal_versions(request.app)),
        )
    )


async def citizen_view(request: web.Request) -> web.Response:
    return _view(request, await _link(request))


async def give_consent(request: web.Request) -> web.Response:
    link = await _link(request)
    body = await read_model(request, ConsentIn)
    if body.language not in request.app[LEGAL].manifest.languages:
        raise validation_refusal("language_not_offered", "language")
    versions = legal_versions(request.app)
    if (body.consent_version, body.privacy_version) != (versions["consent"], versions["privacy"]):
        raise ApiError(409, "outdated_text")
    state = _consent_state(link, versions)
    if state.revoked:
        raise ApiError(409, "revoked")
    if not state.accepted:
        now = request.app[keys.CLOCK].now()
        record = {
            "participant_id": link.participant_id,
            "consent_version": body.consent_version,
            "privacy_version": body.privacy_version,
            "language": body.language,
            "accepted_at": now,
        }
        await inline.write(
            request.app[INLINE_DB], request.app[keys.ENGINE], [(_STORE_CONSENT, record)]
        )
        # The record just written is now the newest: the view without reading it back.
        link = dataclasses.replace(
            link,
            consent_version=body.consent_version,
            privacy_version=body.privacy_version,
            consent_accepted_at=now,
            consent_revoked_at=None,
        )
        request.app[LINKS].replace(link)
    return _view(request, link)


async def revoke_consent(request: web.Request) -> web.Response:
    """Participation ends; the personal data of this participant is deleted at once."""
    participant = await _link(request)
    now = request.app[keys.CLOCK].now()
    async with request.app[keys.SESSIONS]() as session:
        row = await session.get(Participant, participant.participant_id)
        assert row is not None
        await session.refresh(row, ["consents", "appointment"])
        if not row.consents:
            raise ApiError(409, "no_consent")
        for record in row.consents:
            record.revoked_at = record.revoked_at or now
        row.name = REVOKED_NAME
        row.email = None
        row.mail_error = None
        if row.role == Role.CITIZEN.value:
            row.appointment.customer_number = None
        await session.execute(delete(DeviceCheck).where(DeviceCheck.participant_id == row.id))
        await session.execute(delete(Mail).where(Mail.participant_id == row.id))
        await session.commit()
        advisor_id, appointment_id = row.appointment.advisor_id, row.appointment_id
    request.app[LINKS].forget(participant.link_token)
    await request.app[ROOM].revoke(
        advisor_id, participant.link_token, participant.participant_id, appointment_id
    )
    await request.app[keys.MAILER].forget(participant.participant_id, participant.link_token)
    return web.json_response({"revoked": True})


async def link_with_consent(request: web.Request) -> CitizenLink:
    """The link's participant, who must have consented (409 otherwise)."""
    link = await _link(request)
    if _consent_state(link, legal_versions(request.app)).accepted_consent_version is None:
        raise ApiError(409, "consent_required")
    return link


#: The newest device checks of one participant, which the delete keeps.
_KEPT_CHECKS = (
    select(DeviceCheck.id)
    .where(DeviceCheck.participant_id == bindparam("participant_id"))
    .order_by(DeviceCheck.id.desc())
    .limit(KEPT_DEVICE_CHECKS)
)
_DROP_OLD_CHECKS = (
    delete(DeviceCheck)
    .where(DeviceCheck.participant_id == bindparam("participant_id"))
    .where(DeviceCheck.id.not_in(_KEPT_CHECKS.scalar_subquery()))
)


def _store_check_statement() -> Insert:
    """A device check stored only while a consent stands in the database, whatever the link
    cache holds (a revocation on another instance): checked in the same statement. Built
    once with bound parameters, so each request only binds its values."""
    columns = DeviceCheck.__table__.c
    names = [c.name for c in columns if c.name != "id"]
    consented = (
        exists()
        .where(ConsentRecord.participant_id == bindparam("participant_id"))
        .where(ConsentRecord.revoked_at.is_(None))
    )
    rows = select(*(bindparam(n, type_=columns[n].type) for n in names)).where(consented)
    return insert(DeviceCheck).from_select(names, rows)


_STORE_CHECK = _store_check_statement()
#: The consent record, with bound parameters (built once).
_STORE_CONSENT = insert(ConsentRecord)


async def device_check(request: web.Request) -> web.Response:
    # The consent covers the device check and what it stores: nothing before it.
    link = await link_with_consent(request)
    body = await read_model(request, DeviceCheckIn)
    if not await request.app[keys.LIMITER].hit("device_check", link.link_token):
        raise _too_many()
    now = request.app[keys.CLOCK].now()
    values: dict[str, Any] = {
        "participant_id": link.participant_id,
        "ip_address": client_address(request)[:64],
        "checked_at": now,
        **body.model_dump(mode="json"),
    }
    steps: inline.Steps = [(_STORE_CHECK, values)]
    if link.device_check is not None:  # a first check has no older ones to drop
        steps = [*steps, (_DROP_OLD_CHECKS, {"participant_id": link.participant_id})]
    stored, *_ = await inline.write(request.app[INLINE_DB], request.app[keys.ENGINE], steps)
    if stored != 1:  # no consent in the database (the trim found nothing newer to keep)
        request.app[LINKS].forget(link.link_token)
        raise ApiError(409, "consent_required")
    out = DeviceCheckOut(**body.model_dump(), checked_at=now)
    request.app[LINKS].replace(dataclasses.replace(link, device_check=out.model_dump()))
    await request.app[ROOM].update_device_check(link.link_token, out)
    return json_response(out, status=201)


async def _nettest_link(request: web.Request) -> CitizenLink:
    """The network test is part of the device check: only after consent, and limited per
    link and per address (a device check makes seven requests)."""
    link = await link_with_consent(request)
    limiter = request.app[keys.LIMITER]
    allowed = await limiter.hit("nettest", link.link_token)
    allowed = await limiter.hit("nettest_address", limit_key(request)) and allowed
    if not allowed:
        raise _too_many()
    return link


#: The download is written in pieces of this size; a slow or stalled reader holds at most
#: one piece and the socket's buffer, never the whole download.
NETTEST_CHUNK = 64 * 1024


async def nettest_download(request: web.Request) -> web.StreamResponse:
    await _nettest_link(request)
    try:
        size = int(request.query.get("bytes", "262144"))
    except ValueError as exc:
        raise ApiError(400, "bad_query", reason="size") from exc
    size = max(1, min(size, MAX_NETTEST_BYTES))
    response = web.StreamResponse(
        headers={"Cache-Control": "no-store", "Content-Type": "application/octet-stream"}
    )
    response.content_length = size
    await response.prepare(request)
    sent = 0
    try:
        while sent < size:
            piece = os.urandom(min(NETTEST_CHUNK, size - sent))  # not compressible on the way
            await response.write(piece)  # waits while the reader's socket is full
            sent += len(piece)
        await response.write_eof()
    except ConnectionResetError:  # the page went on (or closed) mid-test: nothing is wrong
        log.info("device check download ended by the browser after %d bytes", sent)
    return response


async def nettest_upload(request: web.Request) -> web.Response:
    await _nettest_link(request)
    received = 0
    async for chunk in request.content.iter_chunked(64 * 1024):
        received += len(chunk)
        if received > MAX_NETTEST_BYTES:
            raise ApiError(413, "too_large", reason="nettest")
    return web.json_response({"received": received})


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/api/citizen/{token}", citizen_view)
    app.router.add_post("/api/citizen/{token}/consent", give_consent)
    app.router.add_delete("/api/citizen/{token}/consent", revoke_consent)
    app.router.add_post("/api/citizen/{token}/device-check", device_check)
    app.router.add_get("/api/citizen/{token}/nettest", nettest_download)
    app.router.add_post("/api/citizen/{token}/nettest", nettest_upload)
