"""Every message that crosses the network, as pydantic models shared by service and console.

The service validates requests with these models and the console validates responses with the
same ones, so a change of the protocol is a change in one place.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
)

from advisor_app.core.domain import (
    MAX_CUSTOMER_NUMBER_LENGTH,
    MAX_DURATION_MIN,
    MAX_GUESTS,
    MAX_TOPIC_LENGTH,
    MIN_DURATION_MIN,
    AppointmentStatus,
    Language,
    MailKind,
    MailStatus,
    Role,
    clean_name,
    clean_text,
)

#: Largest JSON body the service accepts on its REST routes.
MAX_BODY_BYTES = 64 * 1024
#: The line ``serve`` prints on stdout once it listens; the console waits for it.
SERVICE_READY_PREFIX = "ADVISOR-SERVICE-LISTENING "
#: The console hands the embedded service its token through this variable, never on argv.
EMBEDDED_TOKEN_ENV = "ADVISOR_EMBEDDED_TOKEN"  # noqa: S105 - a variable name


class Model(BaseModel):
    """Base of all protocol models: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _email(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"Die E-Mail-Adresse ist ungültig: {value.strip()}") from exc


def _name(value: str) -> str:
    return clean_name(value)


def _topic(value: str) -> str:
    return clean_text(value, max_length=MAX_TOPIC_LENGTH, what="Das Thema")


def _customer_number(value: str | None) -> str | None:
    if value is None:
        return None
    text = clean_text(value, max_length=MAX_CUSTOMER_NUMBER_LENGTH, what="Die Kundennummer")
    return text or None


Email = Annotated[str | None, AfterValidator(_email)]
PersonName = Annotated[str, Field(max_length=1000), AfterValidator(_name)]


# --- errors -------------------------------------------------------------------------------


class ErrorReply(Model):
    """What the service answers for every refused request."""

    error: str  # machine-readable code, e.g. "validation", "overlap", "not_found"
    message: str  # German, shown to the advisor as is
    message_en: str = ""
    field: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


# --- advisors -----------------------------------------------------------------------------


class LoginRequest(Model):
    username: Annotated[str, Field(min_length=1, max_length=100)]
    password: Annotated[str, Field(min_length=1, max_length=1000)]


class AdvisorOut(Model):
    id: int
    username: str
    display_name: str


class LoginResponse(Model):
    token: str
    advisor: AdvisorOut


class ServiceInfo(Model):
    """Public facts about a service the console connects to (``GET /api/info``)."""

    version: str
    organisation: str
    support_phone: str
    embedded: bool
    public_base_url: str


# --- appointments -------------------------------------------------------------------------


class GuestIn(Model):
    name: PersonName
    role: Role
    email: Email = None
    language: Language = Language.DE

    @field_validator("role")
    @classmethod
    def _guest_role(cls, value: Role) -> Role:
        if value is Role.CITIZEN:
            raise ValueError("Gäste können nicht die Rolle „Bürgerin/Bürger“ haben.")
        return value


class AppointmentIn(Model):
    """Create or replace an appointment."""

    starts_at: AwareDatetime
    duration_min: Annotated[int, Field(ge=MIN_DURATION_MIN, le=MAX_DURATION_MIN)] = 30
    topic: Annotated[str, Field(max_length=1000), AfterValidator(_topic)] = ""
    citizen_name: PersonName
    customer_number: Annotated[
        str | None, Field(max_length=1000), AfterValidator(_customer_number)
    ] = None
    email: Email = None
    language: Language = Language.DE
    guests: Annotated[list[GuestIn], Field(max_length=MAX_GUESTS)] = Field(default_factory=list)
    #: The advisor saw the overlap warning and wants the appointment anyway.
    allow_overlap: bool = False


class ParticipantOut(Model):
    id: int
    role: Role
    name: str
    email: str | None
    language: Language
    link: str
    dial_code: str
    mail_status: MailStatus
    mail_error: str | None = None
    mail_updated_at: datetime | None = None


class AppointmentOut(Model):
    id: int
    starts_at: datetime
    duration_min: int
    topic: str
    citizen_name: str
    customer_number: str | None
    email: str | None
    language: Language
    status: AppointmentStatus
    participants: list[ParticipantOut]
    created_at: datetime
    updated_at: datetime

    @property
    def citizen(self) -> ParticipantOut:
        return next(p for p in self.participants if p.role is Role.CITIZEN)


class AppointmentList(Model):
    appointments: list[AppointmentOut]


class OverlapInfo(Model):
    id: int
    starts_at: datetime
    duration_min: int
    citizen_name: str


# --- mail ---------------------------------------------------------------------------------


class MailOut(Model):
    """One invitation, update or cancellation mail as the console lists it."""

    id: int
    appointment_id: int | None
    kind: MailKind
    to: str
    subject: str
    status: MailStatus
    error: str | None
    created_at: datetime
    text_body: str


class MailList(Model):
    mails: list[MailOut]


# --- citizens -----------------------------------------------------------------------------


class JoinCodeRequest(Model):
    code: Annotated[str, Field(min_length=1, max_length=40)]
    name: PersonName


class JoinCodeResponse(Model):
    link: str
