"""Teams, their members and the record of each appointment (reassigned, admitted, handed over)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from advisor_app.core.domain import AppointmentStatus
from advisor_app.core.teams import TeamDirectory
from advisor_app.storage.models import (
    Advisor,
    Appointment,
    AppointmentEvent,
    Team,
    TeamMember,
)


class TeamRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> list[Team]:
        return list(await self.session.scalars(select(Team).order_by(Team.name)))

    async def by_name(self, name: str) -> Team | None:
        return await self.session.scalar(select(Team).where(Team.name == name))

    async def by_id(self, team_id: int) -> Team | None:
        return await self.session.get(Team, team_id)

    async def add(self, name: str, now: datetime) -> Team:
        team = Team(name=name, created_at=now, members=[])
        self.session.add(team)
        await self.session.flush()
        return team

    async def of_advisor(self, advisor_id: int) -> list[Team]:
        return list(
            await self.session.scalars(
                select(Team)
                .join(TeamMember, TeamMember.team_id == Team.id)
                .where(TeamMember.advisor_id == advisor_id)
                .order_by(Team.name)
            )
        )

    async def set_member(self, team: Team, advisor: Advisor, *, lead: bool) -> None:
        """Add ``advisor`` to ``team`` (or change whether they lead it)."""
        for member in team.members:
            if member.advisor_id == advisor.id:
                member.lead = lead
                break
        else:
            team.members.append(TeamMember(advisor_id=advisor.id, lead=lead, advisor=advisor))
        await self.session.flush()

    async def remove_member(self, team: Team, advisor_id: int) -> bool:
        for member in team.members:
            if member.advisor_id == advisor_id:
                team.members.remove(member)
                await self.session.flush()
                return True
        return False

    async def directory(self) -> TeamDirectory:
        """Every membership with the names, for the rules of ``core.teams`` (a few rows per
        advisor: loaded whole)."""
        rows = await self.session.execute(
            select(TeamMember.team_id, TeamMember.advisor_id, TeamMember.lead)
        )
        members: dict[int, dict[int, bool]] = {}
        for team_id, advisor_id, lead in rows:
            members.setdefault(team_id, {})[advisor_id] = bool(lead)
        team_names = {
            team_id: name
            for team_id, name in await self.session.execute(select(Team.id, Team.name))
        }
        ids = {a for people in members.values() for a in people}
        names: dict[int, str] = {}
        if ids:
            found = await self.session.execute(
                select(Advisor.id, Advisor.display_name).where(Advisor.id.in_(ids))
            )
            names = {advisor_id: name for advisor_id, name in found}
        return TeamDirectory(members=members, team_names=team_names, names=names)

    async def open_appointments(self, advisor_id: int, now: datetime) -> list[Appointment]:
        """The advisor's appointments not yet over and not cancelled (soonest first)."""
        rows = await self.session.scalars(
            select(Appointment)
            .where(Appointment.advisor_id == advisor_id)
            .where(Appointment.status != AppointmentStatus.CANCELLED.value)
            .order_by(Appointment.starts_at, Appointment.id)
        )
        return [a for a in rows if a.starts_at + timedelta(minutes=a.duration_min) > now]

    def record(
        self,
        appointment: Appointment,
        kind: str,
        now: datetime,
        *,
        actor_id: int,
        from_id: int | None,
        to_id: int | None,
    ) -> None:
        """One entry of the appointment's record; deleted with the appointment."""
        appointment.events.append(
            AppointmentEvent(
                at=now,
                kind=kind,
                actor_advisor_id=actor_id,
                from_advisor_id=from_id,
                to_advisor_id=to_id,
            )
        )
