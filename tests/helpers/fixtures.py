"""Pytest fixtures shared by the service tests; imported by the folders' conftest files."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from advisor_app.core.clock import ManualClock
from advisor_app.server.app import create_app
from advisor_app.server.logs import AccessLogger
from tests.helpers.service import BASE_URL, T0, Service, make_settings

AiohttpClient = Callable[..., Awaitable[TestClient[web.Request, web.Application]]]
MakeService = Callable[..., Awaitable[Service]]


@pytest.fixture
def make_service(aiohttp_client: AiohttpClient, tmp_path: Path) -> MakeService:
    """Start a service built by the production factory; the access log is the production one."""

    async def make(
        *, clock: ManualClock | None = None, base_url: str = BASE_URL, **sections: Any
    ) -> Service:
        settings = make_settings(tmp_path, **sections)
        clock = clock or ManualClock(T0)
        app = create_app(settings, clock=clock, base_url=base_url)
        server = TestServer(app)
        # as ``serve`` runs it: with the access log that hides link tokens
        await server.start_server(access_log_class=AccessLogger)
        client = await aiohttp_client(server)
        return Service(client=client, clock=clock, settings=settings)

    return make


@pytest.fixture
async def service(make_service: MakeService) -> Service:
    return await make_service()


@pytest.fixture
async def token(service: Service) -> str:
    """Bearer token of the advisor ``berater`` of :func:`service`."""
    return await service.signed_in("berater")
