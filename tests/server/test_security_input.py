"""Deep JSON gets a clear 400, languages and device-check fields
are checked, and the answers carry the right security headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers.service import Service
from tests.helpers.waiting_room import ROOM_OPEN, consent, link_token

pytestmark = pytest.mark.service

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


async def test_headers_name_no_version_and_personal_json_is_never_cached(
    service: Service, token: str
) -> None:
    appt = await service.create(token)
    link = link_token(appt)
    for path, auth in (
        (f"/api/citizen/{link}", None),
        ("/api/appointments?day=2026-11-23", token),
        ("/api/info", None),
    ):
        headers = {"Authorization": f"Bearer {auth}"} if auth else {}
        async with service.client.get(path, headers=headers) as resp:
            assert resp.status == 200
            assert resp.headers["Cache-Control"] == "no-store", path
            assert resp.headers["Server"] == "advisor-console"
            assert "Strict-Transport-Security" not in resp.headers  # plain HTTP here
    async with service.client.get(f"/j/{link}") as resp:
        assert "aiohttp" not in resp.headers["Server"]


async def test_hsts_when_the_service_speaks_tls_itself(make_service: Any, tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    service = await make_service(service={"tls_cert": cert, "tls_key": key})
    async with service.client.get("/api/info") as resp:
        assert resp.headers["Strict-Transport-Security"] == "max-age=31536000"
