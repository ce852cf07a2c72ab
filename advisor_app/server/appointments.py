"""Advisor REST for appointments: create, list by day, update, cancel, resend invitations."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from aiohttp import web

from advisor_app.core.appointments import match_guests, overlap_violation, start_violation
from advisor_app.core.codes import new_dial_code, new_link_token
from advisor_app.core.domain import BERLIN, AppointmentStatus, Language, MailKind, MailStatus, Role
from advisor_app.core.protocol import (
    AppointmentEventKind,
    AppointmentEventOut,
    AppointmentIn,
    AppointmentList,
    AppointmentOut,
    IdentityDocument,
    IdentityOut,
    IdentityOutcome,
    MailList,
    MailOut,
    OverlapInfo,
    ParticipantOut,
)
from advisor_app.server import keys
from advisor_app.server.auth import require_advisor
from advisor_app.server.errors import ApiError, json_response, read_model
from advisor_app.server.waiting_room_sockets import ROOM
from advisor_app.storage.models import Advisor, Appointment, IdentityCheck, Participant
from advisor_app.storage.repositories import AppointmentRepo, MailRepo, StatsRepo

MAX_RANGE_DAYS = 62


def participant_out(p: Participant, base_url: str) -> ParticipantOut:
    return ParticipantOut(
        id=p.id,
        role=Role(p.role),
        name=p.name,
        email=p.email,
        language=Language(p.language),
        link=f"{base_url}/j/{p.link_token}",
        dial_code=p.dial_code,
        mail_status=MailStatus(p.mail_status),
        mail_error=p.mail_error,
        mail_updated_at=p.mail_updated_at,
    )


def appointment_out(a: Appointment, base_url: str) -> AppointmentOut:
    citizen = next(p for p in a.participants if p.role == Role.CITIZEN)
    return AppointmentOut(
        id=a.id,
        starts_at=a.starts_at,
        duration_min=a.duration_min,
        topic=a.topic,
        citizen_name=citizen.name,
        customer_number=a.customer_number,
        email=citizen.email,
        language=Language(a.language),
        status=AppointmentStatus(a.status),
        participants=[participant_out(p, base_url) for p in a.participants],
        created_at=a.created_at,
        updated_at=a.updated_at,
        identity=identity_out(a.identity_check),
        advisor_id=a.advisor_id,
        advisor_name=a.advisor.display_name,
        history=[
            AppointmentEventOut(
                at=e.at,
                kind=AppointmentEventKind(e.kind),
                actor_name=e.actor.display_name if e.actor else "",
                from_name=e.from_advisor.display_name if e.from_advisor else None,
                to_name=e.to_advisor.display_name if e.to_advisor else None,
            )
            for e in a.events
        ],
    )


def identity_out(check: IdentityCheck | None) -> IdentityOut | None:
    """The ID check's outcome as the console shows it (see ``server/identity.py``)."""
    if check is None:
        return None
    return IdentityOut(
        outcome=IdentityOutcome(check.outcome),
        document_type=IdentityDocument(check.document_type),
        advisor_id=check.advisor_id,
        advisor_name=check.advisor.display_name,
        checked_at=check.checked_at,
    )


def _parse_day(raw: str | None, what: str) -> date:
    try:
        return date.fromisoformat(raw or "")
    except ValueError as exc:
        raise ApiError(400, "bad_query", reason="date", field=what, details={"what": what}) from exc


def _berlin_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=BERLIN)


#: Database ids are signed 64-bit integers; a larger number in a URL is simply unknown.
_MAX_ID = 2**63 - 1


def _appointment_id(request: web.Request) -> int:
    try:
        value = int(request.match_info["appointment_id"])
    except ValueError as exc:
        raise _not_found() from exc
    if not 0 < value <= _MAX_ID:
        raise _not_found()
    return value


def _not_found() -> ApiError:
    return ApiError(404, "not_found")


async def _new_dial_code(repo: AppointmentRepo) -> str:
    for _ in range(20):
        code = new_dial_code()
        if not await repo.dial_code_in_use(code):
            return code
    raise RuntimeError("could not find a free dial-in code")  # pragma: no cover - 1e9 codes


async def _check_overlap(
    repo: AppointmentRepo, advisor: Advisor, body: AppointmentIn, exclude_id: int | None
) -> None:
    clashing = await repo.overlapping(
        advisor.id, body.starts_at, body.duration_min, exclude_id=exclude_id
    )
    violation = overlap_violation(clashing, allow_overlap=body.allow_overlap)
    if violation is not None:
        infos = [
            OverlapInfo(
                id=a.id,
                starts_at=a.starts_at,
                duration_min=a.duration_min,
                citizen_name=next(p.name for p in a.participants if p.role == Role.CITIZEN),
            ).model_dump(mode="json")
            for a in clashing
        ]
        raise ApiError(409, violation.code, details={**violation.params, "overlaps": infos})


def _check_start(body: AppointmentIn, now: datetime, previous: datetime | None = None) -> None:
    violation = start_violation(body.starts_at, now, previous_start=previous)
    if violation is not None:
        raise ApiError(422, violation.code, field="starts_at", details=dict(violation.params))


async def _new_participant(
    repo: AppointmentRepo, role: Role, name: str, email: str | None, language: Language
) -> Participant:
    return Participant(
        role=role.value,
        name=name,
        email=email,
        language=language.value,
        link_token=new_link_token(),
        dial_code=await _new_dial_code(repo),
        mail_status=MailStatus.NONE.value,
    )


async def list_appointments(request: web.Request) -> web.Response:
    advisor = await require_advisor(request)
    query = request.query
    if "day" in query:
        first = _parse_day(query["day"], "day")
        last = first + timedelta(days=1)
    else:
        first = _parse_day(query.get("from"), "from")
        last = _parse_day(query.get("to"), "to")
        if not timedelta(0) < last - first <= timedelta(days=MAX_RANGE_DAYS):
            raise ApiError(400, "bad_query", reason="range", details={"max_days": MAX_RANGE_DAYS})
    base_url = request.app[keys.RUNTIME].base_url
    async with request.app[keys.SESSIONS]() as session:
        rows = await AppointmentRepo(session).between(
            advisor.id, _berlin_midnight(first), _berlin_midnight(last)
        )
        return json_response(
            AppointmentList(appointments=[appointment_out(a, base_url) for a in rows])
        )


async def get_appointment(request: web.Request) -> web.Response:
    advisor = await require_advisor(request)
    async with request.app[keys.SESSIONS]() as session:
        appt = await AppointmentRepo(session).get(advisor.id, _appointment_id(request))
        if appt is None:
            raise _not_found()
        return json_response(appointment_out(appt, request.app[keys.RUNTIME].base_url))


async def create_appointment(request: web.Request) -> web.Response:
    advisor = await require_advisor(request)
    body = await read_model(request, AppointmentIn)
    now = request.app[keys.CLOCK].now()
    _check_start(body, now)
    base_url = request.app[keys.RUNTIME].base_url
    async with request.app[keys.SESSIONS]() as session:
        repo = AppointmentRepo(session)
        await _check_overlap(repo, advisor, body, None)
        appt = Appointment(
            advisor_id=advisor.id,
            starts_at=body.starts_at,
            duration_min=body.duration_min,
            topic=body.topic,
            customer_number=body.customer_number,
            language=body.language.value,
            status=AppointmentStatus.SCHEDULED.value,
            sequence=0,
            created_at=now,
            updated_at=now,
            identity_check=None,
            advisor=await session.get(Advisor, advisor.id),
            events=[],
        )
        appt.participants.append(
            await _new_participant(repo, Role.CITIZEN, body.citizen_name, body.email, body.language)
        )
        for guest in body.guests:
            appt.participants.append(
                await _new_participant(repo, guest.role, guest.name, guest.email, guest.language)
            )
        _mark_pending(appt.participants, now)
        session.add(appt)
        StatsRepo(session).record("scheduled", body.starts_at.astimezone(BERLIN).date())
        await session.commit()
        out = appointment_out(appt, base_url)
    request.app[keys.MAILER].send_later(appt.id, MailKind.INVITE, base_url)
    return json_response(out, status=201)


def _mark_pending(participants: list[Participant], now: datetime) -> None:
    for p in participants:
        if p.email:
            p.mail_status = MailStatus.PENDING.value
            p.mail_error = None
            p.mail_updated_at = now


async def _apply_update(
    repo: AppointmentRepo, appt: Appointment, body: AppointmentIn
) -> tuple[bool, list[Participant], list[str]]:
    """Change ``appt`` to ``body``. Returns (time changed, participants needing an invitation,
    link tokens of the participants removed)."""
    moved = appt.starts_at != body.starts_at or appt.duration_min != body.duration_min
    changed = moved or appt.topic != body.topic
    appt.starts_at = body.starts_at
    appt.duration_min = body.duration_min
    appt.topic = body.topic
    appt.customer_number = body.customer_number
    appt.language = body.language.value
    fresh: list[Participant] = []

    citizen = next(p for p in appt.participants if p.role == Role.CITIZEN)
    if citizen.email != body.email:
        fresh.append(citizen)
    citizen.name, citizen.email, citizen.language = (
        body.citizen_name,
        body.email,
        body.language.value,
    )

    old_guests = [p for p in appt.participants if p.role != Role.CITIZEN]
    kept: set[int] = set()
    for guest, match in zip(body.guests, match_guests(old_guests, body.guests), strict=True):
        if match is None:
            new = await _new_participant(repo, guest.role, guest.name, guest.email, guest.language)
            appt.participants.append(new)
            fresh.append(new)
            continue
        kept.add(match.id)
        if match.email != guest.email:
            fresh.append(match)
        match.name, match.email, match.language = guest.name, guest.email, guest.language.value
    removed: list[str] = []
    for g in old_guests:
        if g.id not in kept:
            # delete-orphan: leaving the collection deletes the row (an extra
            # session.delete() made the flush fail)
            appt.participants.remove(g)
            removed.append(g.link_token)
    return changed, fresh, removed


async def update_appointment(request: web.Request) -> web.Response:
    advisor = await require_advisor(request)
    body = await read_model(request, AppointmentIn)
    now = request.app[keys.CLOCK].now()
    base_url = request.app[keys.RUNTIME].base_url
    async with request.app[keys.SESSIONS]() as session:
        repo = AppointmentRepo(session)
        appt = await repo.get(advisor.id, _appointment_id(request))
        if appt is None:
            raise _not_found()
        if appt.status == AppointmentStatus.CANCELLED.value:
            raise ApiError(409, "cancelled")
        _check_start(body, now, appt.starts_at)
        await _check_overlap(repo, advisor, body, appt.id)
        changed, fresh, removed = await _apply_update(repo, appt, body)
        if changed:
            appt.sequence += 1
        appt.updated_at = now
        await session.flush()
        fresh_ids = [p.id for p in fresh if p.email]
        others = [p.id for p in appt.participants if p.email and p.id not in fresh_ids]
        _mark_pending([p for p in appt.participants if p.id in fresh_ids or changed], now)
        await session.commit()
        await session.refresh(appt)
        out = appointment_out(appt, base_url)
    for link_token in removed:  # their place in the room ends now, sockets included
        await request.app[ROOM].end_presence(advisor.id, link_token, "removed")
    mailer = request.app[keys.MAILER]
    if fresh_ids:
        mailer.send_later(appt.id, MailKind.INVITE, base_url, fresh_ids)
    if changed and others:
        mailer.send_later(appt.id, MailKind.UPDATE, base_url, others)
    return json_response(out)


async def cancel_appointment(request: web.Request) -> web.Response:
    advisor = await require_advisor(request)
    now = request.app[keys.CLOCK].now()
    base_url = request.app[keys.RUNTIME].base_url
    async with request.app[keys.SESSIONS]() as session:
        appt = await AppointmentRepo(session).get(advisor.id, _appointment_id(request))
        if appt is None:
            raise _not_found()
        already = appt.status == AppointmentStatus.CANCELLED.value
        if not already:
            appt.status = AppointmentStatus.CANCELLED.value
            appt.sequence += 1
            appt.updated_at = now
            _mark_pending(appt.participants, now)
            StatsRepo(session).record("cancelled", appt.starts_at.astimezone(BERLIN).date())
            await session.commit()
        out = appointment_out(appt, base_url)
    if not already:
        for p in appt.participants:  # whoever waits or talks is told now, sockets closed
            await request.app[ROOM].end_presence(advisor.id, p.link_token, "cancelled")
        request.app[keys.MAILER].send_later(appt.id, MailKind.CANCEL, base_url)
    return json_response(out)


async def resend_invitations(request: web.Request) -> web.Response:
    """Send the newest mail again: the invitation, or the cancellation of a cancelled one."""
    advisor = await require_advisor(request)
    now = request.app[keys.CLOCK].now()
    base_url = request.app[keys.RUNTIME].base_url
    only: int | None = None
    if "participant" in request.query:
        try:
            only = int(request.query["participant"])
        except ValueError as exc:
            raise ApiError(400, "bad_query", reason="participant") from exc
    async with request.app[keys.SESSIONS]() as session:
        appt = await AppointmentRepo(session).get(advisor.id, _appointment_id(request))
        if appt is None:
            raise _not_found()
        targets = [p for p in appt.participants if p.email and (only is None or p.id == only)]
        if not targets:
            raise ApiError(422, "no_email")
        _mark_pending(targets, now)
        await session.commit()
        kind = (
            MailKind.CANCEL if appt.status == AppointmentStatus.CANCELLED.value else MailKind.INVITE
        )
        ids = [p.id for p in targets]
        out = appointment_out(appt, base_url)
    request.app[keys.MAILER].send_later(appt.id, kind, base_url, ids)
    return json_response(out, status=202)


async def list_mails(request: web.Request) -> web.Response:
    advisor = await require_advisor(request)
    async with request.app[keys.SESSIONS]() as session:
        mails = await MailRepo(session).for_advisor(advisor.id)
        return json_response(
            MailList(
                mails=[
                    MailOut(
                        id=m.id,
                        appointment_id=m.appointment_id,
                        participant_id=m.participant_id,
                        kind=MailKind(m.kind),
                        to=m.to_address,
                        subject=m.subject,
                        status=MailStatus(m.status),
                        error=m.error,
                        created_at=m.created_at,
                        text_body=m.text_body,
                    )
                    for m in mails
                ]
            )
        )


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/api/appointments", list_appointments)
    app.router.add_post("/api/appointments", create_appointment)
    app.router.add_get("/api/appointments/{appointment_id}", get_appointment)
    app.router.add_put("/api/appointments/{appointment_id}", update_appointment)
    app.router.add_post("/api/appointments/{appointment_id}/cancel", cancel_appointment)
    app.router.add_post("/api/appointments/{appointment_id}/invitations", resend_invitations)
    app.router.add_get("/api/mails", list_mails)
