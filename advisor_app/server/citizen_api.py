"""Citizen REST: the appointment as the page shows it, consent, device check, network test."""

from __future__ import annotations

import os

from aiohttp import web
from sqlalchemy import delete, select

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
from advisor_app.server.citizen import window_of
from advisor_app.server.errors import ApiError, json_response, read_model, validation_refusal
from advisor_app.server.legal import LEGAL
from advisor_app.server.waiting_room_sockets import HUB
from advisor_app.storage.models import ConsentRecord, DeviceCheck, Mail, Participant
from advisor_app.storage.repositories import AppointmentRepo

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


async def _participant(request: web.Request) -> Participant:
    """The participant of the link in the URL, or a clear 404/410."""
    token = request.match_info["token"]
    async with request.app[keys.SESSIONS]() as session:
        participant = await AppointmentRepo(session).participant_in_context(token)
    if participant is None:
        raise _unknown()
    if participant.appointment.status == AppointmentStatus.CANCELLED.value:
        raise ApiError(410, "cancelled", reason="link")
    if window_of(request, participant).link_state(request.app[keys.CLOCK].now()) is (
        LinkState.EXPIRED
    ):
        raise ApiError(410, "expired")
    return participant


def _consent_state(participant: Participant, versions: dict[str, str]) -> ConsentState:
    latest = participant.consents[-1] if participant.consents else None
    active = latest is not None and latest.revoked_at is None
    current = (
        active
        and latest is not None
        and (
            latest.consent_version == versions["consent"]
            and latest.privacy_version == versions["privacy"]
        )
    )
    return ConsentState(
        accepted=bool(current),
        revoked=latest is not None and latest.revoked_at is not None,
        consent_version=versions["consent"],
        privacy_version=versions["privacy"],
        accepted_consent_version=latest.consent_version if active and latest else None,
        accepted_at=latest.accepted_at if active and latest else None,
    )


async def citizen_view(request: web.Request) -> web.Response:
    participant = await _participant(request)
    svc = request.app[keys.SETTINGS].service
    window = window_of(request, participant)
    now = request.app[keys.CLOCK].now()
    appt = participant.appointment
    return json_response(
        CitizenView(
            organisation=svc.organisation,
            support_phone=svc.support_phone,
            support_hours=svc.support_hours,
            participant_name=participant.name,
            role=Role(participant.role),
            language=participant.language,
            starts_at=appt.starts_at,
            duration_min=appt.duration_min,
            room_opens_at=window.room_opens_at,
            room_closes_at=window.room_closes_at,
            server_now=now,
            link_state=window.link_state(now).value,
            consent=_consent_state(participant, legal_versions(request.app)),
        )
    )


async def give_consent(request: web.Request) -> web.Response:
    participant = await _participant(request)
    body = await read_model(request, ConsentIn)
    if body.language not in request.app[LEGAL].manifest.languages:
        raise validation_refusal("language_not_offered", "language")
    versions = legal_versions(request.app)
    if (body.consent_version, body.privacy_version) != (versions["consent"], versions["privacy"]):
        raise ApiError(409, "outdated_text")
    state = _consent_state(participant, versions)
    if state.revoked:
        raise ApiError(409, "revoked")
    if not state.accepted:
        async with request.app[keys.SESSIONS]() as session:
            session.add(
                ConsentRecord(
                    participant_id=participant.id,
                    consent_version=body.consent_version,
                    privacy_version=body.privacy_version,
                    language=body.language,
                    accepted_at=request.app[keys.CLOCK].now(),
                )
            )
            await session.commit()
    return await citizen_view(request)


async def revoke_consent(request: web.Request) -> web.Response:
    """Participation ends; the personal data of this participant is deleted at once."""
    participant = await _participant(request)
    now = request.app[keys.CLOCK].now()
    async with request.app[keys.SESSIONS]() as session:
        row = await session.get(Participant, participant.id)
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
    await request.app[HUB].revoke(
        advisor_id, participant.link_token, participant.id, appointment_id
    )
    await request.app[keys.MAILER].forget(participant.id, participant.link_token)
    return web.json_response({"revoked": True})


async def participant_with_consent(request: web.Request) -> Participant:
    """The link's participant, who must have consented (409 otherwise)."""
    participant = await _participant(request)
    if _consent_state(participant, legal_versions(request.app)).accepted_consent_version is None:
        raise ApiError(409, "consent_required")
    return participant


async def device_check(request: web.Request) -> web.Response:
    # The consent covers the device check and what it stores: nothing before it.
    participant = await participant_with_consent(request)
    body = await read_model(request, DeviceCheckIn)
    if not await request.app[keys.LIMITER].hit("device_check", participant.link_token):
        raise _too_many()
    now = request.app[keys.CLOCK].now()
    async with request.app[keys.SESSIONS]() as session:
        session.add(
            DeviceCheck(
                participant_id=participant.id,
                ip_address=client_address(request)[:64],
                checked_at=now,
                **body.model_dump(mode="json"),
            )
        )
        await session.flush()
        keep = (
            select(DeviceCheck.id)
            .where(DeviceCheck.participant_id == participant.id)
            .order_by(DeviceCheck.id.desc())
            .limit(KEPT_DEVICE_CHECKS)
        )
        await session.execute(
            delete(DeviceCheck)
            .where(DeviceCheck.participant_id == participant.id)
            .where(DeviceCheck.id.not_in(keep.scalar_subquery()))
        )
        await session.commit()
    out = DeviceCheckOut(**body.model_dump(), checked_at=now)
    await request.app[HUB].update_device_check(participant.link_token, out)
    return json_response(out, status=201)


async def _nettest_participant(request: web.Request) -> Participant:
    """The network test is part of the device check: only after consent, and limited per
    link and per address (a device check makes seven requests)."""
    participant = await participant_with_consent(request)
    limiter = request.app[keys.LIMITER]
    allowed = await limiter.hit("nettest", participant.link_token)
    allowed = await limiter.hit("nettest_address", limit_key(request)) and allowed
    if not allowed:
        raise _too_many()
    return participant


#: The download is written in pieces of this size; a slow or stalled reader holds at most
#: one piece and the socket's buffer, never the whole download.
NETTEST_CHUNK = 64 * 1024


async def nettest_download(request: web.Request) -> web.StreamResponse:
    await _nettest_participant(request)
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
    while sent < size:
        piece = os.urandom(min(NETTEST_CHUNK, size - sent))  # not compressible on the way
        await response.write(piece)  # waits while the reader's socket is full
        sent += len(piece)
    await response.write_eof()
    return response


async def nettest_upload(request: web.Request) -> web.Response:
    await _nettest_participant(request)
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
