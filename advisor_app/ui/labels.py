"""What the console calls the domain's values: roles, invitation states, languages, times.

All labels go through Qt's translation layer (context ``Labels``); German is the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QDate, QLocale
from PySide6.QtGui import QColor

from advisor_app.core.codes import format_dial_code
from advisor_app.core.domain import Language, MailKind, MailStatus, Role, to_berlin
from advisor_app.core.protocol import ParticipantOut


def role_label(role: Role) -> str:
    return {
        Role.CITIZEN: QCoreApplication.translate("Labels", "Bürgerin/Bürger"),
        Role.INTERPRETER: QCoreApplication.translate("Labels", "Dolmetschen"),
        Role.LEGAL_REPRESENTATIVE: QCoreApplication.translate("Labels", "gesetzliche Vertretung"),
        Role.SUPPORT_PERSON: QCoreApplication.translate("Labels", "Beistand/Vertrauensperson"),
        Role.OTHER: QCoreApplication.translate("Labels", "weitere Person"),
    }[role]


#: Roles a guest can have, in the order the dialog offers them.
GUEST_ROLE_ORDER = (
    Role.INTERPRETER,
    Role.LEGAL_REPRESENTATIVE,
    Role.SUPPORT_PERSON,
    Role.OTHER,
)


def language_label(language: Language) -> str:
    return {
        Language.DE: QCoreApplication.translate("Labels", "Deutsch"),
        Language.EN: QCoreApplication.translate("Labels", "English"),
    }[language]


def mail_status_label(status: MailStatus) -> str:
    return {
        MailStatus.NONE: QCoreApplication.translate("Labels", "keine E-Mail"),
        MailStatus.PENDING: QCoreApplication.translate("Labels", "wird gesendet…"),
        MailStatus.SENT: QCoreApplication.translate("Labels", "versendet"),
        MailStatus.OUTBOX: QCoreApplication.translate("Labels", "im Postausgang"),
        MailStatus.FAILED: QCoreApplication.translate("Labels", "fehlgeschlagen"),
    }[status]


def mail_kind_label(kind: MailKind) -> str:
    return {
        MailKind.INVITE: QCoreApplication.translate("Labels", "Einladung"),
        MailKind.UPDATE: QCoreApplication.translate("Labels", "Änderung"),
        MailKind.CANCEL: QCoreApplication.translate("Labels", "Absage"),
    }[kind]


#: Calm colours that stay readable for people with red-green weakness (text always follows).
_STATUS_COLOURS = {
    MailStatus.NONE: "#8a8f98",
    MailStatus.PENDING: "#d08b00",
    MailStatus.SENT: "#2e7d32",
    MailStatus.OUTBOX: "#1f6fb2",
    MailStatus.FAILED: "#c62828",
}
CANCELLED_COLOUR = "#8a8f98"
ERROR_COLOUR = "#b3261e"


def overall_mail_status(participants: Sequence[ParticipantOut]) -> MailStatus:
    """One state for an appointment: the worst of its participants' invitation states."""
    states = {p.mail_status for p in participants}
    for status in (MailStatus.FAILED, MailStatus.PENDING, MailStatus.SENT, MailStatus.OUTBOX):
        if status in states:
            return status
    return MailStatus.NONE


def mail_status_colour(status: MailStatus) -> QColor:
    return QColor(_STATUS_COLOURS[status])


def cancelled_label() -> str:
    return QCoreApplication.translate("Labels", "abgesagt")


def clock_text(moment: datetime) -> str:
    """``09:30`` in Berlin time."""
    return to_berlin(moment).strftime("%H:%M")


def time_range_text(moment: datetime, minutes: int) -> str:
    """``09:30–10:00 Uhr`` in Berlin time."""
    local = to_berlin(moment)
    end = local + timedelta(minutes=minutes)
    return QCoreApplication.translate("Labels", "{start}–{end} Uhr").format(
        start=local.strftime("%H:%M"), end=end.strftime("%H:%M")
    )


def day_text(day: QDate) -> str:
    """``Dienstag, 14. Oktober 2025`` in the interface's language."""
    return QLocale().toString(day, QCoreApplication.translate("Labels", "dddd, d. MMMM yyyy"))


def duration_text(minutes: int) -> str:
    return QCoreApplication.translate("Labels", "{minutes} Min.").format(minutes=minutes)


def dial_code_text(code: str) -> str:
    return format_dial_code(code)
