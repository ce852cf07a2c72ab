"""Cross-site posts are refused; the embedded service answers only to
loopback host names (no DNS rebinding)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from advisor_app.core.codes import new_session_token
from advisor_app.server.app import create_app
from tests.helpers.service import MONDAY_11, Service, make_settings

pytestmark = pytest.mark.service


async def test_a_cross_site_post_to_the_dial_in_is_refused(service: Service, token: str) -> None:
    appt = await service.create(token)
    code = appt["participants"][0]["dial_code"]
    service.clock.set(MONDAY_11)
    form = {"code": code, "name": "Erika Mustermann"}
    for headers in (
        {"Origin": "https://boese.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "null"},
    ):
        status, body = await service.call(
            "POST", "/code", data=form, headers=headers, allow_redirects=False
        )
        assert status == 403, headers
        assert body["error"] == "forbidden_origin"
        status, body = await service.call(
            "POST", "/api/join/code", json={"code": "123456789", "name": "X Y"}, headers=headers
        )
        assert status == 403
    # the limits were not touched: the right citizen still gets in, from this site; a browser
    # posts our own no-referrer pages' forms with "Origin: null" and Sec-Fetch-Site same-origin
    host = f"{service.client.host}:{service.client.port}"
    for headers in (
        {"Origin": "null", "Sec-Fetch-Site": "same-origin"},
        {"Origin": f"http://{host}", "Sec-Fetch-Site": "same-origin"},
    ):
        async with service.client.post(
            "/code", data=form, headers=headers, allow_redirects=False
        ) as resp:
            assert resp.status == 303, headers


async def test_the_embedded_service_answers_only_to_loopback_names(
    aiohttp_client: Any, tmp_path: Path
) -> None:
    app = create_app(make_settings(tmp_path), embedded_token=new_session_token())
    client = await aiohttp_client(app)
    for host in ("127.0.0.1:8470", "localhost:8470", "[::1]:8470"):
        async with client.get("/api/info", headers={"Host": host}) as resp:
            assert resp.status == 200, host
    async with client.get("/api/info", headers={"Host": "rebind.boese.example:8470"}) as resp:
        assert resp.status == 403
        assert (await resp.json())["error"] == "forbidden_origin"
