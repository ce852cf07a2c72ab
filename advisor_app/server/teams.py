"""Advisor REST for teams: the teams with each member's state, reassigning an appointment or a
day to a colleague (with a mail naming the new contact), and the members for team leads."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from advisor_app.core.domain import BERLIN, AppointmentStatus, MailKind, MailStatus
from advisor_app.core.protocol import (
    AppointmentEventKind,
    MemberRemovedOut,
    ReassignDayIn,
    ReassignDayOut,
    ReassignIn,
    TeamList,
    TeamMemberIn,
    TeamMemberOut,
    TeamOut,
)
from advisor_app.core.teams import TeamDirectory, may_reassign, may_see
from advisor_app.server import keys
from advisor_app.server.appointments import appointment_out
from advisor_app.server.auth import require_advisor
from advisor_app.server.errors import ApiError, json_response, read_model
from advisor_app.server.team_records import load_directory
from advisor_app.server.waiting_room_sockets import ROOM
from advisor_app.storage.models import Advisor, Appointment, Team
from advisor_app.storage.repositories import AdvisorRepo, AppointmentRepo
from advisor_app.storage.teams import TeamRepo

_MAX_ID = 2**63 - 1


def _id(request: web.Request, name: str) -> int:
    try:
        value = int(request.match_info[name])
    except ValueError as exc:
        raise ApiError(404, "not_found") from exc
    if not 0 < value <= _MAX_ID:
        raise ApiError(404, "not_found")
    return value


async def _directory(request: web.Request) -> TeamDirectory:
    """The memberships as stored now; the waiting room learns them as well."""
    directory = await load_directory(request.app[keys.SESSIONS])
    request.app[ROOM].set_directory(directory)
    return directory


async def team_out(request: web.Request, team: Team, viewer_id: int) -> TeamOut:
    states = await request.app[ROOM].advisor_states(m.advisor_id for m in team.members)
    return TeamOut(
        id=team.id,
        name=team.name,
        lead=any(m.advisor_id == viewer_id and m.lead for m in team.members),
        members=[
            TeamMemberOut(
                advisor_id=m.advisor_id,
                display_name=m.advisor.display_name,
                lead=m.lead,
                state=states.get(m.advisor_id, "absent"),
            )
            for m in team.members
        ],
    )


async def list_teams(request: web.Request) -> web.Response:
    advisor = await require_advisor(request)
    await _directory(request)
    async with request.app[keys.SESSIONS]() as session:
        teams = await TeamRepo(session).of_advisor(advisor.id)
        return json_response(
            TeamList(teams=[await team_out(request, t, advisor.id) for t in teams])
        )


def _over(appt: Appointment, now: datetime) -> bool:
    return appt.starts_at + timedelta(minutes=appt.duration_min) <= now


async def _target(session: AsyncSession, advisor_id: int) -> Advisor:
    target = await AdvisorRepo(session).by_id(advisor_id)
    if target is None or not target.active:
        raise ApiError(403, "forbidden", reason="reassign")
    return target


def _move(
    session: AsyncSession, appt: Appointment, actor_id: int, target: Advisor, now: datetime
) -> list[int]:
    """Give ``appt`` to ``target`` and record it; returns the participants to mail."""
    from_id = appt.advisor_id
    appt.advisor = target
    appt.sequence += 1
    appt.updated_at = now
    TeamRepo(session).record(
        appt,
        AppointmentEventKind.REASSIGNED.value,
        now,
        actor_id=actor_id,
        from_id=from_id,
        to_id=target.id,
    )
    mailed = [p for p in appt.participants if p.email]
    for p in mailed:
        p.mail_status = MailStatus.PENDING.value
        p.mail_error = None
        p.mail_updated_at = now
    return [p.id for p in mailed]


async def reassign_appointment(request: web.Request) -> web.Response:
    """Give one appointment to a colleague of a shared team (the booked advisor or a lead of
    that team may); the citizen gets a short update naming the new contact."""
    advisor = await require_advisor(request)
    body = await read_model(request, ReassignIn)
    directory = await _directory(request)
    app = request.app
    now = app[keys.CLOCK].now()
    base_url = app[keys.RUNTIME].base_url
    async with app[keys.SESSIONS]() as session:
        appt = await session.get(Appointment, _id(request, "appointment_id"))
        if appt is None or not may_see(directory, advisor.id, appt.advisor_id):
            raise ApiError(404, "not_found")
        from_id = appt.advisor_id
        if not may_reassign(directory, advisor.id, from_id, body.advisor_id):
            raise ApiError(403, "forbidden", reason="reassign")
        if appt.status == AppointmentStatus.CANCELLED.value:
            raise ApiError(409, "cancelled")
        if _over(appt, now):
            raise ApiError(409, "in_past")
        if await app[ROOM].in_call(appt.id):
            raise ApiError(409, "in_call")
        target = await _target(session, body.advisor_id)
        mailed = _move(session, appt, advisor.id, target, now)
        await session.commit()
        await session.refresh(appt)
        out = appointment_out(appt, base_url)
    await app[ROOM].reassigned(appt.id, from_id, target.id)
    if mailed:
        app[keys.MAILER].send_later(
            appt.id, MailKind.UPDATE, base_url, mailed, contact=target.display_name
        )
    return json_response(out)


def _berlin_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=BERLIN)


async def reassign_day(request: web.Request) -> web.Response:
    """Give an advisor's appointments of one day that are not over, not cancelled and not in
    a call to a colleague; each citizen gets the update naming the new contact."""
    advisor = await require_advisor(request)
    body = await read_model(request, ReassignDayIn)
    directory = await _directory(request)
    app = request.app
    now = app[keys.CLOCK].now()
    base_url = app[keys.RUNTIME].base_url
    if not may_reassign(directory, advisor.id, body.from_advisor_id, body.to_advisor_id):
        raise ApiError(403, "forbidden", reason="reassign")
    moved: list[tuple[int, list[int]]] = []
    async with app[keys.SESSIONS]() as session:
        target = await _target(session, body.to_advisor_id)
        rows = await AppointmentRepo(session).between(
            body.from_advisor_id,
            _berlin_midnight(body.day),
            _berlin_midnight(body.day + timedelta(days=1)),
            include_cancelled=False,
        )
        for appt in rows:
            if appt.advisor_id != body.from_advisor_id or _over(appt, now):
                continue
            if await app[ROOM].in_call(appt.id):
                continue
            moved.append((appt.id, _move(session, appt, advisor.id, target, now)))
        await session.commit()
    for appointment_id, mailed in moved:
        await app[ROOM].reassigned(appointment_id, body.from_advisor_id, target.id)
        if mailed:
            app[keys.MAILER].send_later(
                appointment_id, MailKind.UPDATE, base_url, mailed, contact=target.display_name
            )
    return json_response(ReassignDayOut(moved=[appointment_id for appointment_id, _ in moved]))


async def _led_team(request: web.Request, session: AsyncSession, advisor_id: int) -> Team:
    team = await TeamRepo(session).by_id(_id(request, "team_id"))
    if team is None or not any(m.advisor_id == advisor_id for m in team.members):
        raise ApiError(404, "not_found")  # another team looks like no team
    if not any(m.advisor_id == advisor_id and m.lead for m in team.members):
        raise ApiError(403, "forbidden", reason="team_lead")
    return team


async def add_member(request: web.Request) -> web.Response:
    advisor = await require_advisor(request)
    body = await read_model(request, TeamMemberIn)
    async with request.app[keys.SESSIONS]() as session:
        team = await _led_team(request, session, advisor.id)
        member = await AdvisorRepo(session).by_username(body.username)
        if member is None:
            raise ApiError(404, "unknown_account", details={"username": body.username})
        await TeamRepo(session).set_member(team, member, lead=body.lead)
        await session.commit()
        await _directory(request)
        return json_response(await team_out(request, team, advisor.id))


async def remove_member(request: web.Request) -> web.Response:
    """Take an advisor out of the team; nothing moves: their open appointments are listed
    for reassigning."""
    advisor = await require_advisor(request)
    removed_id = _id(request, "advisor_id")
    app = request.app
    base_url = app[keys.RUNTIME].base_url
    async with app[keys.SESSIONS]() as session:
        repo = TeamRepo(session)
        team = await _led_team(request, session, advisor.id)
        if not await repo.remove_member(team, removed_id):
            raise ApiError(404, "not_found")
        await session.commit()
        open_ones = await repo.open_appointments(removed_id, app[keys.CLOCK].now())
        out = MemberRemovedOut(open_appointments=[appointment_out(a, base_url) for a in open_ones])
    await _directory(request)
    return json_response(out)


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/api/teams", list_teams)
    app.router.add_post("/api/appointments/reassign-day", reassign_day)
    app.router.add_post("/api/appointments/{appointment_id}/reassign", reassign_appointment)
    app.router.add_post("/api/teams/{team_id}/members", add_member)
    app.router.add_delete("/api/teams/{team_id}/members/{advisor_id}", remove_member)
