"""SQLAlchemy ORM models. Portable SQL only: SQLite by default, PostgreSQL in production."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    TypeDecorator,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always returns them aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


#: SQLite hands out the highest rowid plus one, so a deleted row's id came back for the next
#: row (a removed guest's id for another advisor's citizen). AUTOINCREMENT never reuses one;
#: PostgreSQL's sequences never do anyway (migration 0005).
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Advisor(Base):
    __tablename__ = "advisors"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    #: Argon2id hash; empty for the embedded local advisor who signs in without a password.
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    sessions: Mapped[list[AdvisorSession]] = relationship(
        back_populates="advisor", cascade="all, delete-orphan"
    )


class AdvisorSession(Base):
    """A bearer token handed out at sign-in; only its SHA-256 digest is stored."""

    __tablename__ = "advisor_sessions"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    advisor_id: Mapped[int] = mapped_column(ForeignKey("advisors.id", ondelete="CASCADE"))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)

    advisor: Mapped[Advisor] = relationship(back_populates="sessions")


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        Index("ix_appointments_advisor_start", "advisor_id", "starts_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    advisor_id: Mapped[int] = mapped_column(ForeignKey("advisors.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    duration_min: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(200), default="")
    customer_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    language: Mapped[str] = mapped_column(String(8), default="de")
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    #: Bumped on every change; the ``SEQUENCE`` of the calendar attachment.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    #: How the appointment counts in the anonymous statistics: None (nothing yet), "entered"
    #: (the citizen entered the waiting room), "held" (the citizen was admitted to the call),
    #: "no_show" (the room closed and the citizen had never entered), "uncounted" (began before
    #: migration 0004, when nothing was recorded yet). Deleted with the row.
    stat_outcome: Mapped[str | None] = mapped_column(String(16), nullable=True, default=None)
    #: The console reported the call's length and quality (counted once per appointment).
    call_reported: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    participants: Mapped[list[Participant]] = relationship(
        back_populates="appointment",
        cascade="all, delete-orphan",
        order_by="Participant.id",
        lazy="selectin",
    )
    identity_check: Mapped[IdentityCheck | None] = relationship(
        back_populates="appointment", cascade="all, delete-orphan", lazy="selectin"
    )
    advisor: Mapped[Advisor] = relationship(lazy="selectin")
    #: Reassignments, admissions by a colleague, handovers; deleted with the appointment.
    events: Mapped[list[AppointmentEvent]] = relationship(
        back_populates="appointment",
        cascade="all, delete-orphan",
        order_by="AppointmentEvent.id",
        lazy="selectin",
    )


class Participant(Base):
    """The citizen or a guest of an appointment; each has a personal link and dial-in code."""

    __tablename__ = "participants"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    language: Mapped[str] = mapped_column(String(8), default="de")
    link_token: Mapped[str] = mapped_column(String(64), unique=True)
    dial_code: Mapped[str] = mapped_column(String(16), index=True)
    mail_status: Mapped[str] = mapped_column(String(16), default="none")
    mail_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    mail_updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    appointment: Mapped[Appointment] = relationship(back_populates="participants")
    consents: Mapped[list[ConsentRecord]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", order_by="ConsentRecord.id"
    )
    device_checks: Mapped[list[DeviceCheck]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", order_by="DeviceCheck.id"
    )


class ConsentRecord(Base):
    """Which consent text version a participant accepted, and when (and when revoked)."""

    __tablename__ = "consent_records"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    consent_version: Mapped[str] = mapped_column(String(32))
    privacy_version: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    accepted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    participant: Mapped[Participant] = relationship(back_populates="consents")


class DeviceCheck(Base):
    """A device check's result: exactly the parameters the consent text lists, no more."""

    __tablename__ = "device_checks"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    browser: Mapped[str] = mapped_column(String(60))
    os: Mapped[str] = mapped_column(String(60))
    device_type: Mapped[str] = mapped_column(String(16))
    upload_kbps: Mapped[int | None] = mapped_column(Integer, nullable=True)
    download_kbps: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rtt_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    camera: Mapped[str] = mapped_column(String(16))
    microphone: Mapped[str] = mapped_column(String(16))
    speaker: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str] = mapped_column(String(8))
    ip_address: Mapped[str | None] = mapped_column(String(64), nullable=True)
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime)

    participant: Mapped[Participant] = relationship(back_populates="device_checks")


class Mail(Base):
    """An invitation, update or cancellation mail; the body is kept until retention runs."""

    __tablename__ = "mails"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), index=True, nullable=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class IdentityCheck(Base):
    """The advisor's ID check of an appointment: only outcome, document type, who and when.

    No image, no document number, no machine-readable zone: those never leave the console.
    """

    __tablename__ = "identity_checks"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), unique=True
    )
    outcome: Mapped[str] = mapped_column(String(16))
    document_type: Mapped[str] = mapped_column(String(16))
    advisor_id: Mapped[int] = mapped_column(ForeignKey("advisors.id", ondelete="CASCADE"))
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime)

    appointment: Mapped[Appointment] = relationship(back_populates="identity_check")
    advisor: Mapped[Advisor] = relationship(lazy="selectin")


class StatEvent(Base):
    """Anonymous statistics: no person, no appointment id, only the day and a figure."""

    __tablename__ = "stat_events"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    value: Mapped[float] = mapped_column(Float, default=1.0)


class StatTally(Base):
    """An anonymous figure of one segment (ISO week ∩ month): a count and a sum.

    No id and no time stamp: rows are found by (segment, metric) and only ever incremented, so
    neither the order of writing nor the moment of a call can be read from them. Metrics:
    ``held``, ``no_show``, ``duration`` (count = reported calls, total = seconds),
    ``quality.<level>`` (total = seconds), ``survey.responses``, ``survey.<question>.<answer>``.
    """

    __tablename__ = "stat_tallies"
    __table_args__ = (PrimaryKeyConstraint("iso_week", "month", "metric"),)

    iso_week: Mapped[str] = mapped_column(String(8))
    month: Mapped[str] = mapped_column(String(7), index=True)
    metric: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[float] = mapped_column(Float, default=0.0)


class SurveyTicket(Base):
    """A one-time ticket for the survey: only its digest, no appointment, no person.

    ``expires_at`` is rounded up to a full hour, so a ticket does not tell the minute its call
    ended; tickets are deleted once expired.
    """

    __tablename__ = "survey_tickets"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class Team(Base):
    """Advisors who stand in for each other; an advisor without a team is a team of one."""

    __tablename__ = "teams"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    members: Mapped[list[TeamMember]] = relationship(
        back_populates="team",
        cascade="all, delete-orphan",
        order_by="TeamMember.advisor_id",
        lazy="selectin",
    )


class TeamMember(Base):
    """An advisor in a team; a lead may change the members and see the team's figures."""

    __tablename__ = "team_members"
    __table_args__ = (PrimaryKeyConstraint("team_id", "advisor_id"),)

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    advisor_id: Mapped[int] = mapped_column(
        ForeignKey("advisors.id", ondelete="CASCADE"), index=True
    )
    lead: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    team: Mapped[Team] = relationship(back_populates="members")
    advisor: Mapped[Advisor] = relationship(lazy="selectin")


class AppointmentEvent(Base):
    """One entry of an appointment's record: a reassignment, an admission by a colleague or a
    handover; who and when, never what was said. Deleted with the appointment."""

    __tablename__ = "appointment_events"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    kind: Mapped[str] = mapped_column(String(32))
    actor_advisor_id: Mapped[int | None] = mapped_column(
        ForeignKey("advisors.id", ondelete="SET NULL"), nullable=True
    )
    from_advisor_id: Mapped[int | None] = mapped_column(
        ForeignKey("advisors.id", ondelete="SET NULL"), nullable=True
    )
    to_advisor_id: Mapped[int | None] = mapped_column(
        ForeignKey("advisors.id", ondelete="SET NULL"), nullable=True
    )

    appointment: Mapped[Appointment] = relationship(back_populates="events")
    actor: Mapped[Advisor | None] = relationship(foreign_keys=[actor_advisor_id], lazy="selectin")
    from_advisor: Mapped[Advisor | None] = relationship(
        foreign_keys=[from_advisor_id], lazy="selectin"
    )
    to_advisor: Mapped[Advisor | None] = relationship(foreign_keys=[to_advisor_id], lazy="selectin")
