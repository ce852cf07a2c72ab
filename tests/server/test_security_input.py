"""Issue 15, items 10 and 12: deep JSON gets a clear 400, languages and device-check fields
are checked, and the answers carry the right security headers."""

from __future__ import annotations

from typing import Any

from tests.helpers.service import Service
from tests.server.test_waiting_room_ws import ROOM_OPEN, consent, link_token

DEEP = "[" * 5000 + "]" * 5000


async def test_deeply_nested_json_is_a_clear_400_not_a_500(service: Service, token: str) -> None:
    for path in ("/api/login", "/api/appointments"):
        status, body = await service.call(
            "POST",
            path,
            token,
            data='{"username": ' + DEEP + "}",
            headers={"Content-Type": "application/json"},
        )
        assert status == 400, body
        assert body["error"] == "too_deep"
        assert body["message"] == "Die Anfrage ist zu tief verschachtelt."


async def view_versions(service: Service, link: str) -> dict[str, Any]:
    _, view = await service.call("GET", f"/api/citizen/{link}")
    return {k: view["consent"][k] for k in ("consent_version", "privacy_version")}


async def test_consent_language_must_be_one_offered(service: Service, token: str) -> None:
    appt = await service.create(token)
    link = link_token(appt)
    versions = await view_versions(service, link)
    for language in ("klingon", "xx", "de<script>"):
        status, body = await service.call(
            "POST", f"/api/citizen/{link}/consent", json={**versions, "language": language}
        )
        assert status == 422, (language, body)
        assert body["field"] == "language"
    status, _ = await service.call(
        "POST", f"/api/citizen/{link}/consent", json={**versions, "language": "tr"}
    )
    assert status == 200


async def test_device_check_fields_refuse_control_characters(service: Service, token: str) -> None:
    appt = await service.create(token)
    link = link_token(appt)
    await consent(service, link)
    service.clock.set(ROOM_OPEN)
    body = {"browser": "Firefox 140", "os": "Linux", "device_type": "desktop", "verdict": "green"}
    for field, value in (("browser", "Firefox\x1b[31m"), ("os", "Linux\x07"), ("os", "A\u202eB")):
        status, reply = await service.call(
            "POST", f"/api/citizen/{link}/device-check", json={**body, field: value}
        )
        assert status == 422, (field, value, reply)
        assert "Steuerzeichen" in reply["message"]
    status, _ = await service.call("POST", f"/api/citizen/{link}/device-check", json=body)
    assert status == 201
