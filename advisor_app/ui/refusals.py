"""The console's words for refusals: the service's error codes and the domain rules' codes.

The service and ``core/`` say what went wrong with a stable code and its parameters
(``ErrorReply.error`` and ``details``: ``reason`` names the variant of a code, the rest fill
the sentence); the advisor reads the sentence this module makes of them, in the interface's
language through Qt Linguist (``i18n/console_en.ts``, context ``Refusals``). A code this
console does not know yet (a newer service) shows the service's own German text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from advisor_app.core.errors import RuleCode


def _field_label(name: str) -> str | None:
    """The form's name of a request field (the innermost that has one)."""
    labels = {
        "starts_at": QCoreApplication.translate("Refusals", "Beginn"),
        "duration_min": QCoreApplication.translate("Refusals", "Dauer"),
        "topic": QCoreApplication.translate("Refusals", "Thema"),
        "citizen_name": QCoreApplication.translate("Refusals", "Name"),
        "customer_number": QCoreApplication.translate("Refusals", "Kundennummer"),
        "email": QCoreApplication.translate("Refusals", "E-Mail-Adresse"),
        "language": QCoreApplication.translate("Refusals", "Sprache"),
        "guests": QCoreApplication.translate("Refusals", "Gäste"),
        "name": QCoreApplication.translate("Refusals", "Name"),
        "role": QCoreApplication.translate("Refusals", "Rolle"),
        "username": QCoreApplication.translate("Refusals", "Benutzername"),
        "password": QCoreApplication.translate("Refusals", "Passwort"),
        "duration_s": QCoreApplication.translate("Refusals", "Dauer"),
        "period": QCoreApplication.translate("Refusals", "Zeitraum"),
        "count": QCoreApplication.translate("Refusals", "Anzahl der Zeiträume"),
    }
    return labels.get(name)


def rule_text(code: str, field: str | None, params: Mapping[str, Any]) -> str | None:
    """The sentence for a broken domain rule (:class:`RuleCode`) about ``field`` (a protocol
    field path such as ``guests.0.email``); None for a code this console does not know."""
    template = _rule_template(code, field.split(".")[0] if field else "")
    return _fill(template, params) if template is not None else None


def _fill(template: str, params: Mapping[str, Any]) -> str | None:
    """``template`` with ``params`` filled in; None when a parameter it needs is missing (an
    older service): then the service's own text is shown."""
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return None


def _rule_template(code: str, head: str) -> str | None:
    if code == RuleCode.IN_PAST:
        return QCoreApplication.translate(
            "Refusals",
            "Der Termin liegt in der Vergangenheit. Bitte wählen Sie einen späteren Beginn.",
        )
    if code == RuleCode.NAME_MISSING:
        if head == "citizen_name":
            return QCoreApplication.translate(
                "Refusals", "Bitte geben Sie den Namen der Bürgerin/des Bürgers ein."
            )
        if head == "guests":
            return QCoreApplication.translate(
                "Refusals", "Bitte geben Sie den Namen der weiteren Person ein."
            )
        return QCoreApplication.translate("Refusals", "Bitte geben Sie einen Namen ein.")
    if code == RuleCode.NAME_TOO_LONG:
        return QCoreApplication.translate(
            "Refusals", "Der Name ist zu lang (höchstens {max_length} Zeichen)."
        )
    if code == RuleCode.NAME_CONTROL_CHARACTERS:
        return QCoreApplication.translate("Refusals", "Der Name enthält unzulässige Steuerzeichen.")
    if code == RuleCode.TEXT_TOO_LONG:
        if head == "topic":
            text = QCoreApplication.translate(
                "Refusals", "Das Thema ist zu lang (höchstens {max_length} Zeichen)."
            )
        elif head == "customer_number":
            text = QCoreApplication.translate(
                "Refusals", "Die Kundennummer ist zu lang (höchstens {max_length} Zeichen)."
            )
        else:
            text = QCoreApplication.translate(
                "Refusals", "Die Angabe ist zu lang (höchstens {max_length} Zeichen)."
            )
        return text
    if code == RuleCode.TEXT_CONTROL_CHARACTERS:
        if head == "topic":
            return QCoreApplication.translate(
                "Refusals", "Das Thema enthält unzulässige Steuerzeichen."
            )
        if head == "customer_number":
            return QCoreApplication.translate(
                "Refusals", "Die Kundennummer enthält unzulässige Steuerzeichen."
            )
        return QCoreApplication.translate(
            "Refusals", "Die Angabe enthält unzulässige Steuerzeichen."
        )
    if code == RuleCode.EMAIL_INVALID:
        return QCoreApplication.translate(
            "Refusals", "Die E-Mail-Adresse ist ungültig. Bitte prüfen Sie die Schreibweise."
        )
    if code == RuleCode.GUEST_ROLE_CITIZEN:
        return QCoreApplication.translate(
            "Refusals", "Gäste können nicht die Rolle „Bürgerin/Bürger“ haben."
        )
    if code == RuleCode.OVERLAP:
        return QCoreApplication.translate(
            "Refusals",
            "Der Termin überschneidet sich mit {count} anderen Termin(en) (ab {first} Uhr).",
        )
    return None


def _format_text(reason: str, params: Mapping[str, Any]) -> str | None:
    """A request value of the wrong form (the service's ``validation`` reasons other than
    the domain rules)."""
    texts = {
        "missing": QCoreApplication.translate("Refusals", "Diese Angabe fehlt."),
        "string_too_long": QCoreApplication.translate("Refusals", "Der Text ist zu lang."),
        "greater_than_equal": QCoreApplication.translate(
            "Refusals", "Der Wert muss mindestens {ge} sein."
        ),
        "less_than_equal": QCoreApplication.translate(
            "Refusals", "Der Wert darf höchstens {le} sein."
        ),
        "too_long": QCoreApplication.translate(
            "Refusals", "Es sind zu viele Einträge (höchstens {max_length})."
        ),
        "timezone_aware": QCoreApplication.translate(
            "Refusals", "Die Zeitangabe braucht eine Zeitzone."
        ),
        "datetime_invalid": QCoreApplication.translate(
            "Refusals", "Das ist keine gültige Zeitangabe."
        ),
        "enum": QCoreApplication.translate("Refusals", "Dieser Wert ist nicht erlaubt."),
        "extra_forbidden": QCoreApplication.translate("Refusals", "Diese Angabe ist unbekannt."),
        "int_type": QCoreApplication.translate("Refusals", "Hier wird eine Zahl erwartet."),
        "string_type": QCoreApplication.translate("Refusals", "Hier wird ein Text erwartet."),
        "bool_type": QCoreApplication.translate("Refusals", "Hier wird ja oder nein erwartet."),
        "list_type": QCoreApplication.translate("Refusals", "Hier wird eine Liste erwartet."),
        "model_type": QCoreApplication.translate("Refusals", "Hier wird ein Objekt erwartet."),
        "invalid": QCoreApplication.translate("Refusals", "Ungültige Angabe."),
    }
    text = texts.get(reason)
    return _fill(text, params) if text is not None else None


def _validation_text(field: str | None, details: Mapping[str, Any]) -> str | None:
    reason = str(details.get("reason", ""))
    text = rule_text(reason, field, details) or _format_text(reason, details)
    if text is None:
        return None
    parts = field.split(".") if field else []
    label = next((lab for p in reversed(parts) if (lab := _field_label(p))), None)
    return (
        QCoreApplication.translate("Refusals", "{label}: {text}").format(label=label, text=text)
        if label
        else text
    )


def refusal_text(code: str, details: Mapping[str, Any], field: str | None, fallback: str) -> str:
    """What the advisor reads for the service's refusal ``code`` (``ErrorReply.error`` or
    ``SocketError.error``); ``fallback``: the service's German text, for an unknown code."""
    reason = str(details.get("reason", ""))
    text: str | None
    if code == "validation":
        text = _validation_text(field, details)
    elif code in (RuleCode.IN_PAST, RuleCode.OVERLAP):
        text = rule_text(code, field, details)
    else:
        text = _service_text(code, reason, details)
    return text if text is not None else fallback


def _service_text(code: str, reason: str, params: Mapping[str, Any]) -> str | None:
    """The refusals of the service's advisor routes and the advisor's socket."""
    texts = {
        "unauthorized": QCoreApplication.translate(
            "Refusals", "Sie sind nicht (mehr) angemeldet. Bitte melden Sie sich erneut an."
        ),
        "bad_credentials": QCoreApplication.translate(
            "Refusals", "Benutzername oder Passwort ist falsch, oder das Konto ist gesperrt."
        ),
        "rate_limited.sign_in": QCoreApplication.translate(
            "Refusals", "Zu viele Anmeldeversuche. Bitte warten Sie einige Minuten."
        ),
        "rate_limited.connect": QCoreApplication.translate(
            "Refusals", "Zu viele Verbindungsversuche. Bitte warten Sie eine Minute."
        ),
        "rate_limited.signals": QCoreApplication.translate(
            "Refusals", "Zu viele Verbindungsnachrichten. Bitte warten Sie einen Moment."
        ),
        "too_large": QCoreApplication.translate("Refusals", "Die Anfrage ist zu groß."),
        "bad_json": QCoreApplication.translate("Refusals", "Die Anfrage ist kein gültiges JSON."),
        "too_deep": QCoreApplication.translate(
            "Refusals", "Die Anfrage ist zu tief verschachtelt."
        ),
        "http.404": QCoreApplication.translate(
            "Refusals",
            "Diese Adresse gibt es im Dienst nicht. Ist die Konsole auf dem neuesten Stand?",
        ),
        "http.405": QCoreApplication.translate(
            "Refusals", "Diese Aktion ist an dieser Adresse nicht möglich."
        ),
        "http.413": QCoreApplication.translate("Refusals", "Die Anfrage ist zu groß."),
        "http": QCoreApplication.translate(
            "Refusals", "Der Dienst hat die Anfrage abgelehnt (HTTP {status})."
        ),
        "shared_state_unavailable": QCoreApplication.translate(
            "Refusals",
            "Der Dienst kann gerade nicht auf seinen gemeinsamen Speicher (Redis) zugreifen. Es "
            "wurde nichts verändert; bitte versuchen Sie es in einer Minute erneut.",
        ),
        "database_unavailable": QCoreApplication.translate(
            "Refusals",
            "Die Datenbank des Dienstes ist gerade nicht beschreibbar. Es wurde nichts "
            "verändert; bitte versuchen Sie es in einer Minute erneut oder wenden Sie sich an "
            "die IT.",
        ),
        "internal": QCoreApplication.translate(
            "Refusals",
            "Im Dienst ist ein unerwarteter Fehler aufgetreten. Es wurde nichts verändert.",
        ),
        "not_found": QCoreApplication.translate("Refusals", "Diesen Termin gibt es nicht (mehr)."),
        "not_found.call_report": QCoreApplication.translate(
            "Refusals", "Zu diesem Gespräch gibt es keinen Termin (mehr)."
        ),
        "bad_query.date": QCoreApplication.translate(
            "Refusals", "{what}: bitte ein Datum im Format JJJJ-MM-TT angeben."
        ),
        "bad_query.range": QCoreApplication.translate(
            "Refusals", "Der Zeitraum muss zwischen 1 und {max_days} Tagen liegen."
        ),
        "bad_query.participant": QCoreApplication.translate(
            "Refusals", "Ungültige Teilnehmer-Nummer."
        ),
        "cancelled": QCoreApplication.translate(
            "Refusals", "Ein abgesagter Termin kann nicht mehr geändert werden."
        ),
        "cancelled.identity": QCoreApplication.translate(
            "Refusals", "Für einen abgesagten Termin kann keine Ausweisprüfung erfasst werden."
        ),
        "no_email": QCoreApplication.translate(
            "Refusals", "Für diesen Termin ist keine E-Mail-Adresse hinterlegt."
        ),
        "forbidden_origin.host": QCoreApplication.translate(
            "Refusals", "Dieser Dienst antwortet nur unter seiner eigenen Adresse."
        ),
        "forbidden_origin.cross_site": QCoreApplication.translate(
            "Refusals", "Diese Anfrage kam von einer anderen Webseite und wurde nicht ausgeführt."
        ),
        # the advisor's socket
        "bad_message": QCoreApplication.translate(
            "Refusals", "Die Nachricht wurde nicht verstanden und nicht ausgeführt."
        ),
        "not_waiting": QCoreApplication.translate(
            "Refusals", "Diese Person ist nicht (mehr) im Wartezimmer."
        ),
        "not_waiting.offline": QCoreApplication.translate(
            "Refusals", "Diese Person ist gerade nicht verbunden."
        ),
        "not_connected": QCoreApplication.translate(
            "Refusals", "Diese Person ist gerade nicht verbunden."
        ),
        "not_in_call": QCoreApplication.translate(
            "Refusals", "Diese Person ist nicht (mehr) im Gespräch."
        ),
        "already_admitted": QCoreApplication.translate(
            "Refusals",
            "Diese Person wurde schon eingelassen – an einem anderen Arbeitsplatz oder von "
            "einer Kollegin oder einem Kollegen.",
        ),
        "not_waiting.colleague_present": QCoreApplication.translate(
            "Refusals",
            "Die Kollegin oder der Kollege ist da und lässt die Person selbst ein.",
        ),
        "not_colleague": QCoreApplication.translate(
            "Refusals", "Das geht nur mit Kolleginnen und Kollegen Ihrer Teams."
        ),
        "call_full": QCoreApplication.translate(
            "Refusals",
            "Im Gespräch sind schon {max} Personen (mit Ihnen). Mehr Personen sind in einem "
            "Gespräch nicht möglich.",
        ),
        "offline": QCoreApplication.translate(
            "Refusals", "Keine Verbindung zum Dienst. Die Aktion wurde nicht ausgeführt."
        ),
    }
    text = texts.get(f"{code}.{reason}" if reason else code)
    return _fill(text, params) if text is not None else None


def unreachable_text(code: str | None, url: str, fallback: str) -> str:
    """Why the service gave no usable answer (``ServiceUnreachable.code``); ``fallback`` for a
    reason without a code."""
    texts = {
        "network": QCoreApplication.translate(
            "Refusals",
            "Der Dienst unter {url} ist nicht erreichbar. Bitte prüfen Sie die "
            "Netzwerkverbindung; die Konsole versucht es weiter.",
        ),
        "certificate": QCoreApplication.translate(
            "Refusals",
            "Die sichere Verbindung zu {url} ist fehlgeschlagen: Das Zertifikat des Servers wird "
            "nicht anerkannt. Bitte wenden Sie sich an die IT.",
        ),
        "bad_answer": QCoreApplication.translate(
            "Refusals",
            "Der Dienst hat unerwartet geantwortet. Passen Konsole und Dienst in der Version "
            "zusammen?",
        ),
    }
    template = texts.get(code or "")
    text = _fill(template, {"url": url}) if template is not None else None
    return text if text is not None else fallback
