"""What the waiting room writes about teams: an appointment moved to a colleague, and the
team memberships it needs to decide (loaded from the database)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from advisor_app.core.clock import Clock
from advisor_app.core.protocol import AppointmentEventKind
from advisor_app.core.teams import TeamDirectory
from advisor_app.storage.db import retry_once
from advisor_app.storage.models import Appointment
from advisor_app.storage.teams import TeamRepo


async def load_directory(sessions: async_sessionmaker[Any]) -> TeamDirectory:
    async with sessions() as session:
        return await TeamRepo(session).directory()


class AppointmentMoves:
    """The hub's :class:`~advisor_app.server.waiting_room.TeamRecords`: a colleague admitted
    or took over a citizen, so the appointment belongs to the colleague now, and its record
    says who did it."""

    def __init__(self, sessions: async_sessionmaker[Any], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def moved(
        self,
        appointment_id: int,
        kind: AppointmentEventKind,
        actor_id: int,
        from_id: int,
        to_id: int,
    ) -> None:
        async def work(session: AsyncSession) -> None:
            appt = await session.get(Appointment, appointment_id)
            if appt is None:
                return
            appt.advisor_id = to_id
            appt.updated_at = self._clock.now()
            TeamRepo(session).record(
                appt, kind.value, self._clock.now(), actor_id=actor_id, from_id=from_id, to_id=to_id
            )

        await retry_once(self._sessions, work)
