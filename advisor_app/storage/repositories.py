"""Queries, one small repository per aggregate. All methods run inside a caller's session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Row, Select, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import joinedload, lazyload

from advisor_app.core.appointments import clashes
from advisor_app.core.domain import AppointmentStatus
from advisor_app.core.statistics_periods import PeriodKind, Segment
from advisor_app.storage.models import (
    Advisor,
    AdvisorSession,
    Appointment,
    ConsentRecord,
    DeviceCheck,
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


@dataclass(frozen=True, slots=True)
class CitizenLink:
    """What a citizen's request needs of its personal link: plain values read in one statement
    (no ORM objects). ``consent_*`` describe the newest consent record: a revocation marks
    every record and no consent is taken after it, so the newest one tells the state."""

    participant_id: int
    appointment_id: int
    advisor_id: int
    link_token: str
    name: str
    role: str
    language: str
    starts_at: datetime
    duration_min: int
    status: str
    consent_version: str | None
    privacy_version: str | None
    consent_accepted_at: datetime | None
    consent_revoked_at: datetime | None
    #: The newest device check's columns by name (only when asked for, else None).
    device_check: dict[str, Any] | None = None


#: The device check's columns the console shows (the address stays in the database).
DEVICE_CHECK_COLUMNS = (
    DeviceCheck.browser,
    DeviceCheck.os,
    DeviceCheck.device_type,
    DeviceCheck.upload_kbps,
    DeviceCheck.download_kbps,
    DeviceCheck.rtt_ms,
    DeviceCheck.camera,
    DeviceCheck.microphone,
    DeviceCheck.speaker,
    DeviceCheck.verdict,
    DeviceCheck.checked_at,
)


def _citizen_link_query(with_device_check: bool) -> Select[*tuple[Any, ...]]:
    """One statement: participant, its appointment, newest consent (and device check), all by
    primary key or index; built once, so SQLAlchemy compiles it once."""
    newest_consent = (
        select(func.max(ConsentRecord.id))
        .where(ConsentRecord.participant_id == Participant.id)
        .correlate(Participant)
        .scalar_subquery()
    )
    query: Select[*tuple[Any, ...]] = (
        select(
            Participant.id,
            Participant.appointment_id,
            Appointment.advisor_id,
            Participant.link_token,
            Participant.name,
            Participant.role,
            Participant.language,
            Appointment.starts_at,
            Appointment.duration_min,
            Appointment.status,
            ConsentRecord.consent_version,
            ConsentRecord.privacy_version,
            ConsentRecord.accepted_at,
            ConsentRecord.revoked_at,
        )
        .join(Appointment, Appointment.id == Participant.appointment_id)
        .outerjoin(ConsentRecord, ConsentRecord.id == newest_consent)
        .where(Participant.link_token == bindparam("token"))
    )
    if with_device_check:
        newest_check = (
            select(func.max(DeviceCheck.id))
            .where(DeviceCheck.participant_id == Participant.id)
            .correlate(Participant)
            .scalar_subquery()
        )
        query = query.add_columns(DeviceCheck.id.label("check_id"), *DEVICE_CHECK_COLUMNS)
        query = query.outerjoin(DeviceCheck, DeviceCheck.id == newest_check)
    return query


_CITIZEN_LINK = _citizen_link_query(with_device_check=False)
_CITIZEN_LINK_WITH_CHECK = _citizen_link_query(with_device_check=True)
_CHECK_NAMES = tuple(c.key for c in DEVICE_CHECK_COLUMNS)


def citizen_link_query(token: str) -> tuple[Select[*tuple[Any, ...]], dict[str, Any]]:
    """The statement and parameters that read a link (with its newest device check); the
    row becomes a :class:`CitizenLink` with :func:`citizen_link_of`."""
    return _CITIZEN_LINK_WITH_CHECK, {"token": token}


async def citizen_link_on(
    db: AsyncSession | AsyncConnection, token: str, *, with_device_check: bool = False
) -> CitizenLink | None:
    """The link's participant with what its requests need, in one statement (a Core
    connection is enough: no ORM objects are made)."""
    query = _CITIZEN_LINK_WITH_CHECK if with_device_check else _CITIZEN_LINK
    row = (await db.execute(query, {"token": token})).first()
    return None if row is None else citizen_link_of(row)


def citizen_link_of(row: Row[*tuple[Any, ...]]) -> CitizenLink:
    """The :class:`CitizenLink` of a row read by :func:`citizen_link_query` or
    :func:`citizen_link_on`."""
    check: dict[str, Any] | None = None
    if len(row) > 14 and row[14] is not None:
        check = dict(zip(_CHECK_NAMES, row[15:], strict=True))
    return CitizenLink(
        participant_id=row[0],
        appointment_id=row[1],
        advisor_id=row[2],
        link_token=row[3],
        name=row[4],
        role=row[5],
        language=row[6],
        starts_at=row[7],
        duration_min=row[8],
        status=row[9],
        consent_version=row[10],
        privacy_version=row[11],
        consent_accepted_at=row[12],
        consent_revoked_at=row[13],
        device_check=check,
    )


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
