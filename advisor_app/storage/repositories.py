"""Queries, one small repository per aggregate. All methods run inside a caller's session."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, lazyload, selectinload

from advisor_app.core.appointments import clashes
from advisor_app.core.domain import AppointmentStatus
from advisor_app.core.statistics_periods import PeriodKind, Segment
from advisor_app.storage.models import (
    Advisor,
    AdvisorSession,
    Appointment,
    Mail,
    Participant,
    StatEvent,
    StatTally,
    SurveyTicket,
)


class AdvisorRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_username(self, username: str) -> Advisor | None:
        return await self.session.scalar(select(Advisor).where(Advisor.username == username))

    async def by_id(self, advisor_id: int) -> Advisor | None:
        return await self.session.get(Advisor, advisor_id)

    async def all(self) -> list[Advisor]:
        return list(await self.session.scalars(select(Advisor).order_by(Advisor.username)))

    async def add(
        self, *, username: str, display_name: str, password_hash: str, now: datetime
    ) -> Advisor:
        advisor = Advisor(
            username=username,
            display_name=display_name,
            password_hash=password_hash,
            active=True,
            created_at=now,
        )
        self.session.add(advisor)
        await self.session.flush()
        return advisor

    async def add_session(
        self, advisor: Advisor, digest: str, now: datetime, lifetime: timedelta
    ) -> None:
        self.session.add(
            AdvisorSession(
                advisor_id=advisor.id,
                token_digest=digest,
                created_at=now,
                expires_at=now + lifetime,
            )
        )

    async def by_token_digest(self, digest: str, now: datetime) -> Advisor | None:
        row = await self.session.scalar(
            select(AdvisorSession).where(AdvisorSession.token_digest == digest)
        )
        if row is None or row.expires_at <= now:
            return None
        advisor = await self.session.get(Advisor, row.advisor_id)
        if advisor is None or not advisor.active:
            return None
        return advisor

    async def drop_sessions(self, advisor: Advisor) -> None:
        await self.session.execute(
            delete(AdvisorSession).where(AdvisorSession.advisor_id == advisor.id)
        )

    async def drop_expired_sessions(self, now: datetime) -> int:
        result = await self.session.execute(
            delete(AdvisorSession).where(AdvisorSession.expires_at <= now)
        )
        return int(getattr(result, "rowcount", 0) or 0)


class AppointmentRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, advisor_id: int, appointment_id: int) -> Appointment | None:
        appt = await self.session.get(Appointment, appointment_id)
        if appt is None or appt.advisor_id != advisor_id:
            return None
        return appt

    async def between(
        self, advisor_id: int, start: datetime, end: datetime, *, include_cancelled: bool = True
    ) -> list[Appointment]:
        query = (
            select(Appointment)
            .where(Appointment.advisor_id == advisor_id)
            .where(Appointment.starts_at >= start - timedelta(hours=6))
            .where(Appointment.starts_at < end)
            .order_by(Appointment.starts_at, Appointment.id)
        )
        if not include_cancelled:
            query = query.where(Appointment.status != AppointmentStatus.CANCELLED.value)
        rows = list(await self.session.scalars(query))
        # Appointments that began before ``start`` but still run into the range count too.
        return [a for a in rows if a.starts_at + timedelta(minutes=a.duration_min) > start]

    async def overlapping(
        self,
        advisor_id: int,
        starts_at: datetime,
        duration_min: int,
        *,
        exclude_id: int | None = None,
    ) -> list[Appointment]:
        candidates = await self.between(
            advisor_id,
            starts_at - timedelta(hours=4),
            starts_at + timedelta(minutes=duration_min),
            include_cancelled=False,
        )
        return clashes(starts_at, duration_min, candidates, exclude_id=exclude_id)

    async def dial_code_in_use(self, code: str) -> bool:
        count = await self.session.scalar(
            select(func.count()).select_from(Participant).where(Participant.dial_code == code)
        )
        return bool(count)

    async def participant_by_token(self, token: str) -> Participant | None:
        return await self.session.scalar(select(Participant).where(Participant.link_token == token))

    async def participant_in_context(self, token: str) -> Participant | None:
        """A participant by link, with appointment, consents and device checks loaded."""
        return await self.session.scalar(
            select(Participant)
            .where(Participant.link_token == token)
            .options(
                selectinload(Participant.appointment),
                selectinload(Participant.consents),
                selectinload(Participant.device_checks),
            )
        )

    async def participants_by_code(self, code: str) -> list[Participant]:
        """The participants with this dial-in code, appointments loaded in the same query
        (one statement whether the code exists or not)."""
        return list(
            await self.session.scalars(
                select(Participant)
                .where(Participant.dial_code == code)
                .options(
                    joinedload(Participant.appointment).options(
                        lazyload(Appointment.participants),
                        lazyload(Appointment.identity_check),
                        lazyload(Appointment.advisor),
                        lazyload(Appointment.events),
                    )
                )
            )
        )

    async def ended_before(self, cutoff: datetime) -> list[Appointment]:
        """Appointments whose end lies before ``cutoff`` (candidates for deletion)."""
        rows = await self.session.scalars(
            select(Appointment).where(Appointment.starts_at < cutoff).order_by(Appointment.id)
        )
        return [a for a in rows if a.starts_at + timedelta(minutes=a.duration_min) < cutoff]


class MailRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_advisor(self, advisor_id: int, limit: int = 200) -> list[Mail]:
        query = (
            select(Mail)
            .join(Appointment, Mail.appointment_id == Appointment.id)
            .where(Appointment.advisor_id == advisor_id)
            .order_by(Mail.id.desc())
            .limit(limit)
        )
        return list(await self.session.scalars(query))


class StatsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def record(self, kind: str, day: date, value: float = 1.0) -> None:
        self.session.add(StatEvent(kind=kind, day=day, value=value))

    async def add(self, segment: Segment, metric: str, count: int = 0, total: float = 0.0) -> None:
        """Add to one anonymous counter (created at zero when it does not exist yet)."""
        result = await self.session.execute(
            update(StatTally)
            .where(StatTally.iso_week == segment.iso_week)
            .where(StatTally.month == segment.month)
            .where(StatTally.metric == metric)
            .values(count=StatTally.count + count, total=StatTally.total + total)
        )
        if not getattr(result, "rowcount", 0):
            self.session.add(
                StatTally(
                    iso_week=segment.iso_week,
                    month=segment.month,
                    metric=metric,
                    count=count,
                    total=total,
                )
            )
            await self.session.flush()

    async def sums(
        self, kind: PeriodKind, keys: list[str]
    ) -> dict[tuple[str, str], tuple[int, float]]:
        """(period key, metric) → (count, total), summed over the period's segments."""
        column = StatTally.iso_week if kind is PeriodKind.WEEK else StatTally.month
        rows = await self.session.execute(
            select(column, StatTally.metric, func.sum(StatTally.count), func.sum(StatTally.total))
            .where(column.in_(keys))
            .group_by(column, StatTally.metric)
        )
        return {(key, metric): (int(n or 0), float(t or 0.0)) for key, metric, n, t in rows}

    async def add_ticket(self, digest: str, expires_at: datetime) -> None:
        self.session.add(SurveyTicket(digest=digest, expires_at=expires_at, used=False))

    async def ticket(self, digest: str) -> SurveyTicket | None:
        return await self.session.get(SurveyTicket, digest)

    async def drop_expired_tickets(self, now: datetime) -> int:
        result = await self.session.execute(
            delete(SurveyTicket).where(SurveyTicket.expires_at <= now)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def open_outcomes(self, before: datetime) -> list[Appointment]:
        """Not cancelled, started before ``before``, nobody entered and not yet counted."""
        rows = await self.session.scalars(
            select(Appointment)
            .where(Appointment.stat_outcome.is_(None))
            .where(Appointment.status != AppointmentStatus.CANCELLED.value)
            .where(Appointment.starts_at < before)
            .order_by(Appointment.starts_at)
        )
        return list(rows)
