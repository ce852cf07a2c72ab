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
from advisor_app.core.protocol import DeviceCheckOut, DeviceStatus, ParticipantOut, Verdict


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


def clock_label(moment: datetime) -> str:
    """``09:30 Uhr`` in Berlin time (``09:30`` in English)."""
    return QCoreApplication.translate("Labels", "{time} Uhr").format(time=clock_text(moment))


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


# --- waiting room ---------------------------------------------------------------------------

#: The device check's traffic light; ``None`` is "not checked". Text always goes with it.
_VERDICT_COLOURS: dict[Verdict | None, str] = {
    Verdict.GREEN: "#2e7d32",
    Verdict.YELLOW: "#e0a100",
    Verdict.RED: "#c62828",
    None: "#8a8f98",
}
ONLINE_COLOUR = "#2e7d32"
OFFLINE_COLOUR = "#c62828"


def verdict_colour(verdict: Verdict | None) -> str:
    return _VERDICT_COLOURS[verdict]


def verdict_label(verdict: Verdict | None) -> str:
    """The traffic light in words, short enough for a list column."""
    return {
        Verdict.GREEN: QCoreApplication.translate("Labels", "in Ordnung"),
        Verdict.YELLOW: QCoreApplication.translate("Labels", "eingeschränkt"),
        Verdict.RED: QCoreApplication.translate("Labels", "Probleme"),
        None: QCoreApplication.translate("Labels", "nicht geprüft"),
    }[verdict]


def verdict_sentence(verdict: Verdict | None) -> str:
    """What the traffic light means for the conversation."""
    return {
        Verdict.GREEN: QCoreApplication.translate(
            "Labels", "Kamera, Mikrofon und Verbindung reichen für ein Videogespräch."
        ),
        Verdict.YELLOW: QCoreApplication.translate(
            "Labels", "Ein Videogespräch ist möglich, Bild oder Ton können aber stocken."
        ),
        Verdict.RED: QCoreApplication.translate(
            "Labels", "Ein Videogespräch wird voraussichtlich nicht gelingen."
        ),
        None: QCoreApplication.translate(
            "Labels", "Die Person hat den Technikcheck nicht gemacht."
        ),
    }[verdict]


def device_type_label(device_type: str) -> str:
    return {
        "desktop": QCoreApplication.translate("Labels", "Computer"),
        "tablet": QCoreApplication.translate("Labels", "Tablet"),
        "phone": QCoreApplication.translate("Labels", "Smartphone"),
    }.get(device_type, QCoreApplication.translate("Labels", "unbekannt"))


def device_status_label(status: DeviceStatus) -> str:
    return {
        DeviceStatus.OK: QCoreApplication.translate("Labels", "funktioniert"),
        DeviceStatus.MISSING: QCoreApplication.translate("Labels", "nicht gefunden"),
        DeviceStatus.DENIED: QCoreApplication.translate("Labels", "nicht freigegeben"),
        DeviceStatus.ERROR: QCoreApplication.translate("Labels", "Fehler"),
        DeviceStatus.UNTESTED: QCoreApplication.translate("Labels", "nicht geprüft"),
    }[status]


def rate_text(kbps: int | None) -> str:
    """``2,4 Mbit/s`` or ``800 kbit/s`` in the interface's number format; ``–`` if unknown."""
    if kbps is None:
        return "–"
    if kbps >= 1000:
        return QCoreApplication.translate("Labels", "{rate} Mbit/s").format(
            rate=QLocale().toString(kbps / 1000, "f", 1)
        )
    return QCoreApplication.translate("Labels", "{rate} kbit/s").format(
        rate=QLocale().toString(kbps)
    )


def rtt_text(rtt_ms: int | None) -> str:
    if rtt_ms is None:
        return "–"
    return QCoreApplication.translate("Labels", "{ms} ms").format(ms=QLocale().toString(rtt_ms))


def waited_text(since: datetime, now: datetime) -> str:
    """How long somebody has been waiting: ``seit 3 Min.``, ``seit 1 Std. 5 Min.``."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 1:
        return QCoreApplication.translate("Labels", "seit < 1 Min.")
    if minutes < 60:
        return QCoreApplication.translate("Labels", "seit {minutes} Min.").format(minutes=minutes)
    return QCoreApplication.translate("Labels", "seit {hours} Std. {minutes} Min.").format(
        hours=minutes // 60, minutes=minutes % 60
    )


def waited_words(since: datetime, now: datetime) -> str:
    """The same, as a screen reader says it: ``wartet seit 3 Minuten``."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 1:
        return QCoreApplication.translate("Labels", "wartet seit weniger als einer Minute")
    if minutes == 1:
        return QCoreApplication.translate("Labels", "wartet seit 1 Minute")
    if minutes < 60:
        return QCoreApplication.translate("Labels", "wartet seit {minutes} Minuten").format(
            minutes=minutes
        )
    hours = (
        QCoreApplication.translate("Labels", "1 Stunde")
        if minutes // 60 == 1
        else QCoreApplication.translate("Labels", "{hours} Stunden").format(hours=minutes // 60)
    )
    return QCoreApplication.translate("Labels", "wartet seit {hours} und {minutes} Minuten").format(
        hours=hours, minutes=minutes % 60
    )


def device_check_rows(check: DeviceCheckOut) -> list[tuple[str, str]]:
    """The device check's details as (label, value) pairs, in the order the advisor reads."""
    return [
        (QCoreApplication.translate("Labels", "Browser"), check.browser),
        (QCoreApplication.translate("Labels", "System"), check.os),
        (QCoreApplication.translate("Labels", "Gerät"), device_type_label(check.device_type)),
        (QCoreApplication.translate("Labels", "Upload"), rate_text(check.upload_kbps)),
        (QCoreApplication.translate("Labels", "Download"), rate_text(check.download_kbps)),
        (QCoreApplication.translate("Labels", "Antwortzeit"), rtt_text(check.rtt_ms)),
        (QCoreApplication.translate("Labels", "Kamera"), device_status_label(check.camera)),
        (QCoreApplication.translate("Labels", "Mikrofon"), device_status_label(check.microphone)),
        (
            QCoreApplication.translate("Labels", "Lautsprecher"),
            device_status_label(check.speaker),
        ),
    ]
