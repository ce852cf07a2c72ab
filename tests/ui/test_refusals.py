"""The console's own words (Qt Linguist) for the service's refusal codes and media problems."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from advisor_app.client.media import problems
from advisor_app.client.media.problems import Problem
from advisor_app.client.service_client import ServiceError, ServiceUnreachable
from advisor_app.core.errors import RuleCode
from advisor_app.core.protocol import ErrorReply
from advisor_app.paths import i18n_dir
from advisor_app.server.refusals import catalog, message_key, words
from advisor_app.ui.app import install_translator
from advisor_app.ui.media_problems import media_problem_text
from advisor_app.ui.refusals import refusal_text
from advisor_app.ui.tasks import failure_for

pytestmark = pytest.mark.gui

#: Every refusal the service can send the console (advisor routes and socket), with
#: parameters as the service sends them.
ADVISOR_REFUSALS: list[tuple[str, dict[str, Any]]] = [
    ("unauthorized", {}),
    ("bad_credentials", {}),
    ("rate_limited", {"reason": "sign_in"}),
    ("rate_limited", {"reason": "connect"}),
    ("rate_limited", {"reason": "signals"}),
    ("too_large", {}),
    ("bad_json", {}),
    ("too_deep", {"max_depth": 32}),
    ("http", {"reason": "404", "status": 404}),
    ("http", {"reason": "405", "status": 405}),
    ("http", {"reason": "413", "status": 413}),
    ("database_unavailable", {}),
    ("internal", {}),
    ("not_found", {}),
    ("not_found", {"reason": "call_report"}),
    ("bad_query", {"reason": "date", "what": "day"}),
    ("bad_query", {"reason": "range", "max_days": 62}),
    ("bad_query", {"reason": "participant"}),
    ("overlap", {"count": 2, "first": "11:00", "overlaps": []}),
    ("in_past", {}),
    ("cancelled", {}),
    ("cancelled", {"reason": "identity"}),
    ("no_email", {}),
    ("forbidden_origin", {"reason": "host"}),
    ("forbidden_origin", {"reason": "cross_site"}),
    ("bad_message", {}),
    ("not_waiting", {}),
    ("not_waiting", {"reason": "offline"}),
    ("not_connected", {}),
    ("not_in_call", {}),
    ("call_full", {"max": 4}),
]


@pytest.mark.parametrize(("code", "details"), ADVISOR_REFUSALS)
def test_the_console_has_words_for_every_refusal_it_can_get(
    code: str, details: dict[str, Any]
) -> None:
    key = message_key(code, details.get("reason"))
    assert key in catalog("de")["errors"], f"the service never sends {key}"
    text = refusal_text(code, details, None, fallback="(des Dienstes)")
    assert text != "(des Dienstes)"
    # German: the same sentence the advisor read when the console showed the service's text
    if code != "http" or key != "http":
        assert text == words(key, details, "de")


@pytest.mark.parametrize(
    ("field", "details", "german"),
    [
        ("citizen_name", {"reason": RuleCode.NAME_MISSING}, "Name: Bitte geben Sie den Namen"),
        ("email", {"reason": RuleCode.EMAIL_INVALID, "value": "a@@b"}, "E-Mail-Adresse: Die"),
        ("topic", {"reason": RuleCode.TEXT_TOO_LONG, "max_length": 200}, "Thema: Das Thema"),
        ("duration_min", {"reason": "less_than_equal", "le": 240}, "Dauer: Der Wert darf"),
        ("guests.0.role", {"reason": RuleCode.GUEST_ROLE_CITIZEN}, "Rolle: Gäste können"),
    ],
)
def test_validation_refusals_name_the_field_and_the_rule(
    field: str, details: dict[str, Any], german: str
) -> None:
    assert refusal_text("validation", details, field, "?").startswith(german)


def test_an_unknown_code_or_missing_parameters_show_the_services_text() -> None:
    assert refusal_text("brand_new", {}, None, "Neu im Dienst.") == "Neu im Dienst."
    assert refusal_text("overlap", {}, None, "Überschneidung.") == "Überschneidung."
    assert refusal_text("validation", {"reason": "brand_new"}, "x", "Anders.") == "Anders."


def test_a_service_error_becomes_the_consoles_words() -> None:
    reply = ErrorReply(error="not_found", message="Irgendein Text des Dienstes.")
    failure = failure_for(ServiceError(404, reply))
    assert (failure.status, failure.code) == (404, "not_found")
    assert failure.message == "Diesen Termin gibt es nicht (mehr)."


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    if not (i18n_dir() / "console_en.qm").is_file():
        pytest.fail("i18n/console_en.qm is missing; build it with pyside6-lrelease")
    translator = install_translator(qapp, "en")
    assert translator is not None
    yield
    qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))


def test_in_english_the_words_come_from_the_consoles_catalogue(english: None) -> None:
    reply = ErrorReply(error="cancelled", message="Ein abgesagter Termin…", message_en="")
    assert failure_for(ServiceError(409, reply)).message == (
        "A cancelled appointment cannot be changed any more."
    )
    details = {"reason": RuleCode.NAME_TOO_LONG, "max_length": 120}
    assert refusal_text("validation", details, "guests.1.name", "?") == (
        "Name: The name is too long (at most 120 characters)."
    )


def _media_problems() -> list[Problem]:
    return [v for v in vars(problems).values() if isinstance(v, Problem)]


def test_every_media_problem_has_the_consoles_own_words() -> None:
    texts = {p.code: media_problem_text(p.code) for p in _media_problems()}
    generic = media_problem_text("brand-new")
    assert generic == "Das Gerät kann nicht verwendet werden. Das Gespräch läuft weiter."
    assert len(set(texts.values())) == len(texts), texts  # each code a sentence of its own
    assert generic not in texts.values()
    assert texts["camera-busy"].startswith("Die Kamera liefert kein Bild.")
    assert media_problem_text("camera-new") == (
        "Die Kamera kann nicht verwendet werden. Das Gespräch läuft ohne Ihr Bild weiter."
    )
    assert media_problem_text("window-new") == media_problem_text("screen-failed")


def test_media_problems_in_english(english: None) -> None:
    codes = [p.code for p in _media_problems()] + ["camera-failed", "screen-failed", "new"]
    for code in codes:
        text = media_problem_text(code)
        assert text.startswith(("No ", "The ")), (code, text)
        assert "weiter" not in text and " Sie " not in text, (code, text)


def test_an_unreachable_service_is_said_in_the_consoles_words() -> None:
    exc = ServiceUnreachable("no answer", code="network", url="https://dienst.example.de")
    assert failure_for(exc).message == (
        "Der Dienst unter https://dienst.example.de ist nicht erreichbar. Bitte prüfen Sie die "
        "Netzwerkverbindung; die Konsole versucht es weiter."
    )
    assert failure_for(exc).unreachable
    assert failure_for(ServiceUnreachable("Ohne Code.")).message == "Ohne Code."
