"""Refusals are codes with parameters; their German and English words come from one catalogue."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest

import advisor_app.server
from advisor_app.core.errors import RuleCode
from advisor_app.server.refusals import catalog, message_key, socket_refusal
from tests.helpers.service import MONDAY_11, T0, Service, appointment_body

pytestmark = pytest.mark.service

SERVER = Path(advisor_app.server.__file__).parent


def test_the_german_and_english_catalogues_have_the_same_codes() -> None:
    de, en = catalog("de"), catalog("en")
    assert de["errors"].keys() == en["errors"].keys()
    assert de["fields"].keys() == en["fields"].keys()
    for key, text in de["errors"].items():
        assert text and en["errors"][key], key


def test_every_rule_of_core_has_words() -> None:
    errors = catalog("de")["errors"]
    for code in RuleCode:
        assert code.value in errors or f"validation.{code.value}" in errors, code


async def test_a_broken_rule_is_sent_as_its_code_with_parameters(
    service: Service, token: str
) -> None:
    body = appointment_body(email="jürgen@example.de")
    status, reply = await service.call("POST", "/api/appointments", token, json=body)
    assert status == 422
    assert (reply["error"], reply["field"]) == ("validation", "email")
    assert reply["details"]["reason"] == RuleCode.EMAIL_INVALID
    assert reply["details"]["value"] == "jürgen@example.de"
    assert reply["message"] == "E-Mail-Adresse: Die E-Mail-Adresse ist ungültig: jürgen@example.de"
    assert reply["message_en"] == (
        "E-mail address: The e-mail address is not valid: jürgen@example.de"
    )

    status, reply = await service.call(
        "POST", "/api/appointments", token, json=appointment_body(topic="x" * 201)
    )
    assert reply["details"]["reason"] == RuleCode.TEXT_TOO_LONG
    assert reply["details"]["max_length"] == 200
    assert reply["message"] == "Thema: Das Thema ist zu lang (höchstens 200 Zeichen)."
    assert reply["message_en"] == "Topic: The topic is too long (at most 200 characters)."


async def test_overlap_and_past_carry_their_parameters(service: Service, token: str) -> None:
    await service.create(token)
    status, reply = await service.call(
        "POST",
        "/api/appointments",
        token,
        json=appointment_body(MONDAY_11 + timedelta(minutes=10), name="Max Mustermann"),
    )
    assert (status, reply["error"]) == (409, "overlap")
    assert (reply["details"]["count"], reply["details"]["first"]) == (1, "11:00")
    assert (
        reply["message_en"] == "The appointment overlaps with 1 other appointment(s) (from 11:00)."
    )

    status, reply = await service.call(
        "POST", "/api/appointments", token, json=appointment_body(T0 - timedelta(hours=1))
    )
    assert (status, reply["error"], reply["field"]) == (422, "in_past", "starts_at")


async def test_variants_of_a_code_are_named_by_a_reason(service: Service, token: str) -> None:
    status, reply = await service.call(
        "POST",
        "/api/calls/report",
        token,
        json={"participant_ids": [999999], "duration_s": 60, "quality_s": {}},
    )
    assert (status, reply["error"], reply["details"]["reason"]) == (404, "not_found", "call_report")
    status, reply = await service.call("GET", "/api/appointments?day=morgen", token)
    assert (status, reply["error"], reply["details"]) == (
        400,
        "bad_query",
        {"what": "day", "reason": "date"},
    )
    status, reply = await service.call("GET", "/api/nichts", token)
    assert reply["details"] == {"status": 404, "reason": "404"}


def test_socket_refusals_carry_the_words_of_both_languages() -> None:
    full = socket_refusal("call_full", max=4)
    assert full.details == {"max": 4}
    assert full.message.startswith("Im Gespräch sind schon 4 Personen")
    assert full.message_en == "The call already has 4 participants (you included)."
    signals = socket_refusal("rate_limited", reason="signals")
    assert signals.details == {"reason": "signals"}
    assert signals.message == "Zu viele Verbindungsnachrichten. Bitte warten Sie einen Moment."


def _refusals_in_the_source() -> set[str]:
    """Every catalogue key the service's code names literally (ApiError, socket_refusal)."""
    keys: set[str] = set()
    for path in SERVER.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            if node.func.id not in ("ApiError", "socket_refusal"):
                continue
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            code = next((a for a in args if isinstance(a, str)), None)
            reason_arg = next((k.value for k in node.keywords if k.arg == "reason"), None)
            if reason_arg is not None and not isinstance(reason_arg, ast.Constant):
                continue  # a variant chosen at run time: its literal callers are checked
            reason = reason_arg.value if reason_arg is not None else None
            if code is not None:
                keys.add(message_key(code, reason))
    return keys


def test_every_refusal_the_service_sends_has_words() -> None:
    found = _refusals_in_the_source()
    assert {"not_found", "rate_limited.sign_in", "call_full", "cancelled.identity"} <= found
    errors = catalog("de")["errors"]
    assert sorted(found - errors.keys()) == []
