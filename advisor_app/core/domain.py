"""Domain vocabulary: roles, languages, appointment states and the rules on names and times."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from email_validator import EmailNotValidError, validate_email

from advisor_app.core.errors import RuleCode, RuleViolation

#: All dates and times shown to people are in this zone (the agencies are German).
BERLIN = ZoneInfo("Europe/Berlin")

MAX_NAME_LENGTH = 120
MAX_TOPIC_LENGTH = 200
MAX_CUSTOMER_NUMBER_LENGTH = 40
MIN_DURATION_MIN = 5
MAX_DURATION_MIN = 240
MAX_GUESTS = 3  # a call is a mesh of at most four participants


class Role(StrEnum):
    """Who a participant is in an appointment."""

    CITIZEN = "citizen"
    INTERPRETER = "interpreter"
    LEGAL_REPRESENTATIVE = "legal_representative"
    SUPPORT_PERSON = "support_person"
    OTHER = "other"


GUEST_ROLES = frozenset(Role) - {Role.CITIZEN}


class Language(StrEnum):
    """Languages an invitation can be written in."""

    DE = "de"
    EN = "en"


class AppointmentStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class MailStatus(StrEnum):
    """Delivery state of the newest invitation mail of a participant."""

    NONE = "none"  # no e-mail address given
    PENDING = "pending"
    SENT = "sent"  # handed to the SMTP server
    OUTBOX = "outbox"  # written to the outbox folder (no SMTP configured)
    FAILED = "failed"


class MailKind(StrEnum):
    INVITE = "invite"
    UPDATE = "update"
    CANCEL = "cancel"


def _has_control_characters(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("C") for ch in text)


def clean_name(raw: str, *, max_length: int = MAX_NAME_LENGTH) -> str:
    """Normalise a person's name; raise :class:`RuleViolation` when unusable."""
    text = unicodedata.normalize("NFC", raw).strip()
    text = " ".join(text.split())
    if not text:
        raise RuleViolation(RuleCode.NAME_MISSING, "Bitte geben Sie einen Namen ein.")
    if len(text) > max_length:
        raise RuleViolation(
            RuleCode.NAME_TOO_LONG,
            f"Der Name ist zu lang (höchstens {max_length} Zeichen).",
            max_length=max_length,
        )
    if _has_control_characters(text):
        raise RuleViolation(
            RuleCode.NAME_CONTROL_CHARACTERS, "Der Name enthält unzulässige Steuerzeichen."
        )
    return text


def clean_text(raw: str, *, max_length: int, what: str) -> str:
    """Normalise a one-line free text (topic, customer number); ``what`` names it in the
    German ``str()`` of the :class:`RuleViolation`."""
    text = " ".join(unicodedata.normalize("NFC", raw).split())
    if len(text) > max_length:
        raise RuleViolation(
            RuleCode.TEXT_TOO_LONG,
            f"{what} ist zu lang (höchstens {max_length} Zeichen).",
            max_length=max_length,
        )
    if _has_control_characters(text):
        raise RuleViolation(
            RuleCode.TEXT_CONTROL_CHARACTERS, f"{what} enthält unzulässige Steuerzeichen."
        )
    return text


def clean_email(raw: str | None) -> str | None:
    """The address as it is stored and mailed to; None when empty; :class:`RuleViolation`
    when it is not an address the mailer can send to.

    Umlauts after the @ (IDN domains such as bücher.de) are fine: the mailer sends to the
    ASCII form. Before the @ (``jürgen@…``) they need SMTPUTF8, which many agency mail
    servers lack, so such an address is refused.
    """
    if raw is None or not raw.strip():
        return None
    value = raw.strip()
    try:
        return validate_email(value, check_deliverability=False, allow_smtputf8=False).normalized
    except EmailNotValidError as exc:
        raise RuleViolation(
            RuleCode.EMAIL_INVALID, f"Die E-Mail-Adresse ist ungültig: {value}", value=value
        ) from exc


def to_berlin(moment: datetime) -> datetime:
    """Convert an aware datetime to Berlin local time."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(BERLIN)


def overlaps(start_a: datetime, minutes_a: int, start_b: datetime, minutes_b: int) -> bool:
    """True when two appointments share any minute."""
    end_a = start_a + timedelta(minutes=minutes_a)
    end_b = start_b + timedelta(minutes=minutes_b)
    return start_a < end_b and start_b < end_a
