"""Behind nginx: limits count per citizen, not per proxy, and only trusted proxies are believed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.fixtures import MakeService
from tests.helpers.service import Service, make_settings

pytestmark = pytest.mark.service


async def bad_logins(service: Service, forwarded_for: str, n: int) -> list[int]:
    statuses = []
    for i in range(n):
        status, _ = await service.call(
            "POST",
            "/api/login",
            json={"username": f"jemand{forwarded_for}{i}", "password": "falsch-falsch"},
            headers={"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https"},
        )
        statuses.append(status)
    return statuses


async def test_behind_a_trusted_proxy_each_client_has_its_own_limit(
    make_service: MakeService,
) -> None:
    service = await make_service(
        service={"trusted_proxies": ["127.0.0.1", "::1"], "login_rate_limit": "2/minute"}
    )
    assert await bad_logins(service, "203.0.113.7", 3) == [401, 401, 429]
    # another citizen behind the same proxy is not affected
    assert await bad_logins(service, "198.51.100.4", 2) == [401, 401]
    # a forged hop in front of the real client does not buy a fresh limit
    assert await bad_logins(service, "192.0.2.1, 203.0.113.7", 1) == [429]


async def test_without_trusted_proxies_the_header_is_ignored(make_service: MakeService) -> None:
    service = await make_service(service={"login_rate_limit": "2/minute"})
    assert await bad_logins(service, "203.0.113.7", 2) == [401, 401]
    assert await bad_logins(service, "198.51.100.4", 1) == [429]  # same address: the test client


def test_trusted_proxies_must_be_addresses() -> None:
    with pytest.raises(ValueError, match="keine IP-Adresse"):
        make_settings(Path("/tmp"), service={"trusted_proxies": ["nginx.local"]})
