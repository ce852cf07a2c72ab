"""Rate limits that hold across service instances: counted in a real ``redis-server``.

Two instances of the production app (one database, as behind a load balancer) share
``service.rate_limit_storage = redis://…``: sign-in attempts on one count on the other. With
the default in-memory storage each instance counts alone, which is why a deployment of
several instances needs Redis. A Redis that stops makes requests that are limited answer 503
``shared_state_unavailable`` (not 500, and never unlimited) and ``/readyz`` say so; when it
is back, both instances go on by themselves.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from advisor_app.server.ratelimit import RateLimiter
from tests.helpers.fixtures import MakeService
from tests.helpers.redis import RedisServer
from tests.helpers.service import Service

pytestmark = pytest.mark.service

WRONG = {"username": "berater", "password": "falsch-falsch"}


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


async def two_instances(make_service: MakeService, storage: str) -> tuple[Service, Service]:
    limits = {"rate_limit_storage": storage, "login_rate_limit": "3/minute"}
    first = await make_service(service=limits)
    second = await make_service(service=limits)
    await first.add_advisor("berater")
    return first, second


async def test_sign_in_attempts_on_one_instance_count_on_the_other(
    make_service: MakeService, redis_server: RedisServer
) -> None:
    a, b = await two_instances(make_service, redis_server.url)
    statuses = [(await a.call("POST", "/api/login", json=WRONG))[0] for _ in range(2)]
    statuses.append((await b.call("POST", "/api/login", json=WRONG))[0])
    status, body = await b.call("POST", "/api/login", json=WRONG)
    assert statuses == [401, 401, 401]
    assert (status, body["error"]) == (429, "rate_limited")
    assert (await a.call("POST", "/api/login", json=WRONG))[0] == 429


async def test_in_memory_each_instance_counts_alone(make_service: MakeService) -> None:
    a, b = await two_instances(make_service, "memory://")
    for _ in range(3):
        assert (await a.call("POST", "/api/login", json=WRONG))[0] == 401
    assert (await a.call("POST", "/api/login", json=WRONG))[0] == 429
    assert (await b.call("POST", "/api/login", json=WRONG))[0] == 401  # B knows nothing of it


@pytest.mark.logged_errors  # the service says in its log that Redis is away
async def test_a_redis_that_stops_is_a_clear_503_and_its_return_needs_nothing(
    make_service: MakeService, redis_server: RedisServer
) -> None:
    a, b = await two_instances(make_service, redis_server.url)
    assert (await a.call("GET", "/readyz"))[0] == 200
    assert (await a.call("POST", "/api/login", json=WRONG))[0] == 401
    redis_server.stop()
    status, body = await a.call("POST", "/api/login", json=WRONG)
    assert (status, body["error"]) == (503, "shared_state_unavailable")
    assert "Redis" in body["message"]
    status, ready = await b.call("GET", "/readyz")
    assert (status, ready["reason"], ready["database"]) == (503, "shared_state_unavailable", "ok")
    assert (await b.call("GET", "/healthz"))[0] == 200  # the process lives: nobody restarts it
    redis_server.start()  # empty: what was counted before is gone, nothing else is lost
    async with asyncio.timeout(30):
        while (await b.call("GET", "/readyz"))[0] != 200:
            await asyncio.sleep(0.1)
    assert (await a.call("POST", "/api/login", json=WRONG))[0] == 401
    assert (await b.call("POST", "/api/login", json=WRONG))[0] == 401


async def test_a_rush_of_hits_waits_for_a_connection_instead_of_failing(
    redis_server: RedisServer,
) -> None:
    """A thousand citizens reconnecting at once (an instance died): every hit is counted,
    none is refused because the client has no free connection (redis-py's pool allows 100
    and refused the rest, each a "try again later" for a page)."""
    limiter = RateLimiter({"socket": "1000/minute"}, redis_server.url)
    answers = await asyncio.gather(*(limiter.hit("socket", "192.0.2.1") for _ in range(300)))
    await limiter.aclose()
    assert answers == [True] * 300
