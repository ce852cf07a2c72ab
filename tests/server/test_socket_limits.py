"""Limits of the waiting-room sockets: the per-address rate rule, and no deflate for citizens."""

from __future__ import annotations

import json

import pytest
from aiohttp import WSMsgType

from advisor_app.config import ServiceSettings
from tests.helpers.fixtures import MakeService
from tests.helpers.service import Service

pytestmark = pytest.mark.service


async def test_socket_rate_limit_is_a_setting(make_service: MakeService) -> None:
    service = await make_service(service={"socket_rate_limit": "2/minute"})
    kept = [await service.client.ws_connect("/ws/citizen") for _ in range(2)]
    refused = await service.client.ws_connect("/ws/citizen")
    msg = await refused.receive(timeout=5)
    assert msg.type is WSMsgType.TEXT
    assert json.loads(msg.data)["error"] == "rate_limited"
    assert (await refused.receive(timeout=5)).type is WSMsgType.CLOSE
    assert refused.close_code == 4429
    for ws in kept:
        await ws.close()


def test_socket_rate_limit_default_stays_strict() -> None:
    assert ServiceSettings().socket_rate_limit == "60/minute"


async def test_citizen_socket_declines_a_browsers_deflate_offer(service: Service) -> None:
    """Browsers offer permessage-deflate; for frames of a few hundred bytes it would only cost
    the service a zlib context (about 100 KiB) per waiting citizen."""
    ws = await service.client.ws_connect("/ws/citizen", compress=15)
    assert ws.compress == 0
    await ws.send_json({"type": "hello", "token": "x" * 22})
    reply = json.loads((await ws.receive(timeout=5)).data)
    assert reply["error"] == "unknown_link"
    await ws.close()
