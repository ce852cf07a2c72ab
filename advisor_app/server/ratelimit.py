"""Rate limits on top of the ``limits`` library (moving windows), with pluggable storage.

The storage is named by a URI in ``limits``' notation: ``memory://`` (the default, one
instance) or, for several instances that share their limits, ``redis://host:6379/0`` (also
``rediss://``, ``redis+sentinel://``; the ``async+`` prefix is added here), counted through
redis-py's asyncio client. A Redis that is away makes :meth:`RateLimiter.hit` raise
:class:`SharedStateUnavailable`: the service answers 503 rather than count nothing.

Keys are plain strings: a client address (IPv6 counted per /64, see :func:`address_key`), a
link token, an account name, or ``*`` for a global cap.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from limits import RateLimitItem, parse_many
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import ConfigurationError, StorageError
from limits.storage import storage_from_string

from advisor_app.config import ConfigError, ServiceSettings
from advisor_app.server.memory_limits import LocalMemoryStorage

#: Limits that are not settings: what a person can reasonably do, far below a flood.
FIXED_RULES = {
    # entering the waiting room (each entry notifies the advisor), per link
    "enter": "6/minute;30/hour",
    # device checks stored, per link
    "device_check": "5/minute;20/hour",
}


def address_key(address: str) -> str:
    """The rate-limit key of a client address: IPv4 as it is, IPv6 by its /64 network (one
    household or phone gets a whole /64, so single addresses would be free to pick)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


#: Connections to a shared Redis per instance, and how long a hit may wait for one.
REDIS_CONNECTIONS = 64
REDIS_WAIT_S = 5.0


class SharedStateUnavailable(Exception):
    """The storage shared by the instances (Redis) does not answer."""


def redis_pool(uri: str) -> Any | None:
    """For ``redis://`` and ``rediss://``: the connection pool the limits' storage gets. A rush
    (a thousand citizens reconnecting at once after an instance died) waits for one of
    :data:`REDIS_CONNECTIONS` connections; redis-py's own pool refused every hit beyond its
    100 with ``MaxConnectionsError``, and each became a "try again later"."""
    plain = uri.removeprefix("async+")
    if plain.split("://", 1)[0] not in ("redis", "rediss"):
        return None
    from redis.asyncio import BlockingConnectionPool

    return BlockingConnectionPool.from_url(
        plain,
        max_connections=REDIS_CONNECTIONS,
        timeout=REDIS_WAIT_S,
        socket_connect_timeout=2.0,
        socket_timeout=2.0,
    )


def make_storage(uri: str, pool: Any | None = None) -> Storage:
    """A ``limits`` async storage from a URI such as ``memory://`` or ``redis://host``
    (``pool``: its Redis connections, from :func:`redis_pool`)."""
    if uri.removeprefix("async+") == "memory://":
        return LocalMemoryStorage()  # limits' own, with a clean-up that scales
    full = uri if uri.startswith("async+") else f"async+{uri}"
    scheme = full.split("://", 1)[0].removeprefix("async+")
    options: dict[str, Any] = {}
    if scheme.startswith("redis"):
        # redis-py (limits' default async client is coredis); its errors wrapped in
        # StorageError; a Redis that does not answer fails a request within seconds.
        options = {
            "implementation": "redispy",
            "wrap_exceptions": True,
            "socket_connect_timeout": 2.0,
            "socket_timeout": 2.0,
        }
    if pool is not None:
        options["connection_pool"] = pool
    try:
        storage = storage_from_string(full, **options)
    except ConfigurationError as exc:  # an unknown scheme, or its client library missing
        detail = str(exc).replace(full, f"{scheme}://…")  # the address may hold a password
        raise ConfigError(
            f"Die Einstellung service.rate_limit_storage ({scheme}://…) ist nicht nutzbar: {detail}"
        ) from None
    if not isinstance(storage, Storage):  # pragma: no cover - the async+ prefix ensures it
        raise TypeError(f"not an async storage: {uri}")
    return storage


class RateLimiter:
    """Named limits, e.g. ``join`` = "5/minute;30/hour", checked per key."""

    def __init__(self, rules: dict[str, str], storage: Storage | str = "memory://") -> None:
        self._pool = redis_pool(storage) if isinstance(storage, str) else None
        self._storage = make_storage(storage, self._pool) if isinstance(storage, str) else storage
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._rules: dict[str, list[RateLimitItem]] = {
            name: parse_many(spec) for name, spec in {**FIXED_RULES, **rules}.items()
        }

    async def hit(self, name: str, key: str) -> bool:
        """Count one attempt; False when any window of the rule is exhausted."""
        allowed = True
        try:
            for item in self._rules[name]:
                if not await self._limiter.hit(item, name, key):
                    allowed = False
        except StorageError as exc:
            raise SharedStateUnavailable(f"{type(exc.storage_error).__name__}") from exc
        return allowed

    async def test(self, name: str, key: str) -> bool:
        """Would one more attempt pass? Counts nothing."""
        try:
            for item in self._rules[name]:
                if not await self._limiter.test(item, name, key):
                    return False
        except StorageError as exc:
            raise SharedStateUnavailable(f"{type(exc.storage_error).__name__}") from exc
        return True

    async def aclose(self) -> None:
        """Close the storage's Redis connections (in memory: nothing to close)."""
        if self._pool is not None:
            await self._pool.aclose()

    async def reachable(self) -> bool:
        """Does the storage answer? (Always, in memory.)"""
        try:
            return bool(await self._storage.check())
        except Exception:  # a storage that fails its own check is not reachable
            return False


def shared_limits(service: ServiceSettings) -> str:
    """Where the limits are counted: ``rate_limit_storage``, or with several instances
    (``redis_url``) and no other storage named, their Redis."""
    storage: str = service.rate_limit_storage
    if service.redis_url and storage == "memory://":
        return service.redis_url
    return storage
