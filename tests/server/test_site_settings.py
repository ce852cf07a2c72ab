"""``GET /api/settings``: the site's values for the console's settings page, signed in only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from advisor_app.os_account import advisor_name
from advisor_app.server.app import create_app
from tests.helpers.fixtures import AiohttpClient, MakeService
from tests.helpers.service import BASE_URL, make_settings

pytestmark = pytest.mark.service


async def test_settings_are_given_to_a_signed_in_advisor_only(make_service: MakeService) -> None:
    service = await make_service(
        service={
            "organisation": "Jobcenter Region Hannover",
            "support_phone": "0800 4 555501",
            "support_hours": "Montag bis Freitag, 8 bis 18 Uhr",
            "retention_days": 30,
        }
    )
    status, body = await service.call("GET", "/api/settings")
    assert status == 401
    assert body["error"] == "unauthorized"

    token = await service.signed_in("berater")  # "Frau Beispiel"
    status, body = await service.call("GET", "/api/settings", token)
    assert status == 200
    assert body == {
        "organisation": "Jobcenter Region Hannover",
        "support_phone": "0800 4 555501",
        "support_hours": "Montag bis Freitag, 8 bis 18 Uhr",
        "retention_days": 30,
        "legal_dir": None,
        "embedded": False,  # a central service: IT changes these in its configuration
        "advisor_name": "Frau Beispiel",
    }


async def test_the_embedded_advisor_is_named_from_the_settings_at_every_start(
    aiohttp_client: AiohttpClient, tmp_path: Path
) -> None:
    async def start(display_name: str | None) -> Any:
        settings = make_settings(tmp_path, console={"display_name": display_name})
        app = create_app(settings, embedded_token="local-token", base_url=BASE_URL)
        client = await aiohttp_client(app)
        headers = {"Authorization": "Bearer local-token"}
        async with client.get("/api/settings", headers=headers) as resp:
            assert resp.status == 200
            body = await resp.json()
        await client.close()
        return body

    first = await start("Erika Beispiel")
    assert first["embedded"] is True
    assert first["advisor_name"] == "Erika Beispiel"
    again = await start("Frau Beispiel")  # the settings page changed it; same database
    assert again["advisor_name"] == "Frau Beispiel"
    unnamed = await start(None)
    assert unnamed["advisor_name"] == advisor_name(None) != "root"
