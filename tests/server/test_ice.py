"""ICE servers for calls: STUN as configured, TURN with time-limited REST credentials."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from advisor_app.config import ConfigError
from advisor_app.core.clock import ManualClock
from advisor_app.server.app import create_app
from tests.helpers.fixtures import MakeService
from tests.helpers.service import T0, Service, make_settings

pytestmark = pytest.mark.service

SECRET = "geteiltes-geheimnis-für-coturn"


async def _consented_link(service: Service, token: str) -> str:
    appt = await service.create(token)
    link_token = appt["participants"][0]["link"].rsplit("/", 1)[1]
    status, view = await service.call("GET", f"/api/citizen/{link_token}")
    assert status == 200
    body = {
        "consent_version": view["consent"]["consent_version"],
        "privacy_version": view["consent"]["privacy_version"],
        "language": "de",
    }
    status, _ = await service.call("POST", f"/api/citizen/{link_token}/consent", json=body)
    assert status == 200
    return link_token


async def test_without_ice_settings_calls_use_host_candidates_only(
    service: Service, token: str
) -> None:
    status, body = await service.call("GET", "/api/ice", token=token)
    assert status == 200
    assert body == {"ice_servers": [], "ice_transport_policy": "all", "expires_at": None}


async def test_turn_credentials_follow_the_rest_scheme_and_expire(
    make_service: MakeService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVISOR_ICE__TURN_SECRET", SECRET)
    service = await make_service(
        ice={
            "stun_urls": ["stun:turn.example.de:3478"],
            "turn_urls": ["turn:turn.example.de:3478?transport=udp"],
            "turn_ttl_s": 3600,
        }
    )
    token = await service.signed_in("berater")
    link = await _consented_link(service, token)
    for path, auth in (("/api/ice", token), (f"/api/citizen/{link}/ice", None)):
        status, body = await service.call("GET", path, token=auth)
        assert status == 200, body
        stun, turn = body["ice_servers"]
        assert stun == {"urls": ["stun:turn.example.de:3478"], "username": None, "credential": None}
        expiry, _, label = turn["username"].partition(":")
        assert int(expiry) == int(T0.astimezone(UTC).timestamp()) + 3600
        assert label  # who asked, without a name: a1 / p7
        expected = hmac.new(SECRET.encode(), turn["username"].encode(), hashlib.sha1).digest()
        assert turn["credential"] == base64.b64encode(expected).decode()
        assert datetime.fromisoformat(body["expires_at"]).timestamp() == int(expiry)
    # The secret itself is never handed out.
    assert SECRET not in str(body)


async def test_ice_needs_a_signed_in_advisor_or_a_consented_link(
    service: Service, token: str
) -> None:
    status, body = await service.call("GET", "/api/ice")
    assert status == 401
    appt = await service.create(token)
    link_token = appt["participants"][0]["link"].rsplit("/", 1)[1]
    status, body = await service.call("GET", f"/api/citizen/{link_token}/ice")
    assert status == 409
    assert body["error"] == "consent_required"
    status, body = await service.call("GET", "/api/citizen/nicht-bekannt/ice")
    assert status == 404


async def test_turn_without_its_secret_stops_the_start_with_a_clear_message(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path, ice={"turn_urls": ["turn:turn.example.de:3478"]})
    server = TestServer(create_app(settings, clock=ManualClock(T0)))
    with pytest.raises(ConfigError, match="ADVISOR_ICE__TURN_SECRET"):
        await server.start_server()
    await server.close()


def test_stun_urls_are_checked() -> None:
    with pytest.raises(ValueError, match="keine STUN/TURN-Adresse"):
        make_settings(Path("/tmp"), ice={"stun_urls": ["https://stun.example.de"]})
