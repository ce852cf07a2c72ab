"""``/healthz`` says the process lives; ``/readyz`` says whether it can serve, as a load
balancer sees it while the database is away and back."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import event

from advisor_app import __version__
from advisor_app.server import keys
from advisor_app.server.app import CONNECT_TIMEOUT_S
from advisor_app.server.health import READY_TIMEOUT_S
from tests.helpers.fixtures import MakeService
from tests.helpers.postgres import PostgresServer
from tests.helpers.service import Service


@pytest.fixture
def postgres() -> Iterator[PostgresServer]:
    with PostgresServer() as server:
        yield server


@pytest.mark.service
async def test_both_answer_200_on_sqlite(service: Service) -> None:
    assert await service.call("GET", "/healthz") == (200, {"status": "ok", "version": __version__})
    status, body = await service.call("GET", "/readyz")
    assert status == 200
    assert body == {"status": "ok", "database": "ok", "version": __version__}
    response = await service.client.get("/readyz")
    assert response.headers["Cache-Control"] == "no-store"  # a proxy never answers from a cache


@pytest.mark.service
async def test_readyz_asked_by_many_at_once_holds_one_database_connection(
    service: Service,
) -> None:
    checkouts: list[object] = []
    pool = service.app[keys.ENGINE].sync_engine.pool
    event.listen(pool, "checkout", lambda *args: checkouts.append(args))
    answers = await asyncio.gather(*(service.call("GET", "/readyz") for _ in range(40)))
    assert {status for status, _ in answers} == {200}
    assert len(checkouts) < 5, "a flood of /readyz must not take the database's connections"
    assert len(checkouts) >= 1  # the database was asked


@pytest.mark.integration
@pytest.mark.logged_errors
async def test_readyz_follows_postgresql_stopped_and_started(
    postgres: PostgresServer, make_service: MakeService, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="advisor_app.server.health")
    service = await make_service(service={"database_url": postgres.url})
    assert (await service.call("GET", "/readyz"))[0] == 200

    postgres.stop()
    for _ in range(3):  # a balancer polls every few seconds
        response = await service.client.get("/readyz")
        assert response.status == 503
        assert await response.json() == {
            "status": "unavailable",
            "reason": "database_unavailable",
            "database": "unavailable",
        }
        assert response.headers["Retry-After"] == "5"
    login = {"username": "berater", "password": "x" * 12}
    status, body = await service.call("POST", "/api/login", json=login)
    assert (status, body["error"]) == (503, "database_unavailable")  # a request says why
    # the process lives: nothing restarts it
    assert await service.call("GET", "/healthz") == (200, {"status": "ok", "version": __version__})
    not_ready = [r for r in caplog.records if r.getMessage().startswith("not ready")]
    assert len(not_ready) == 1, "one line per change, not one per poll"
    assert not_ready[0].levelno == logging.ERROR
    assert "127.0.0.1" not in (await response.text())  # the driver's words stay in the log

    # a host that takes the connection and never answers (frozen, overloaded)
    with socket.create_server(("127.0.0.1", postgres.port)):
        started = time.monotonic()
        status, body = await service.call("GET", "/readyz")
        assert (status, body["reason"]) == (503, "database_timeout")
        assert time.monotonic() - started < READY_TIMEOUT_S + 2
        started = time.monotonic()
        status, body = await service.call("POST", "/api/login", json=login)
        assert (status, body["error"]) == (503, "database_unavailable")
        assert time.monotonic() - started < CONNECT_TIMEOUT_S + 2  # not asyncpg's minute

    postgres.start()
    status, body = await service.call("GET", "/readyz")  # the pool reconnects by itself
    assert (status, body["database"]) == (200, "ok")
    again = "ready again: the database and the shared state answer"
    assert any(r.getMessage() == again for r in caplog.records)
