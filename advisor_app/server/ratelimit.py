"""Rate limits on top of the ``limits`` library (moving windows), with pluggable storage.

The storage is named by a URI in ``limits``' notation: ``memory://`` (the default, one
instance) or, once several instances share their limits, e.g. ``redis://host:6379`` (the
``async+`` prefix is added here). Keys are plain strings: a client address (IPv6 counted per
/64, see :func:`address_key`), a link token, an account name, or ``*`` for a global cap.
"""

from __future__ import annotations

import ipaddress

from limits import RateLimitItem, parse_many
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

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


def make_storage(uri: str) -> Storage:
    """A ``limits`` async storage from a URI such as ``memory://`` or ``redis://host``."""
    if uri.removeprefix("async+") == "memory://":
        return LocalMemoryStorage()  # limits' own, with a clean-up that scales
    storage = storage_from_string(uri if uri.startswith("async+") else f"async+{uri}")
    if not isinstance(storage, Storage):  # pragma: no cover - the async+ prefix ensures it
        raise TypeError(f"not an async storage: {uri}")
    return storage


class RateLimiter:
    """Named limits, e.g. ``join`` = "5/minute;30/hour", checked per key."""

    def __init__(self, rules: dict[str, str], storage: Storage | str = "memory://") -> None:
        self._storage = make_storage(storage) if isinstance(storage, str) else storage
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._rules: dict[str, list[RateLimitItem]] = {
            name: parse_many(spec) for name, spec in {**FIXED_RULES, **rules}.items()
        }

    async def hit(self, name: str, key: str) -> bool:
        """Count one attempt; False when any window of the rule is exhausted."""
        allowed = True
        for item in self._rules[name]:
            if not await self._limiter.hit(item, name, key):
                allowed = False
        return allowed

    async def test(self, name: str, key: str) -> bool:
        """Would one more attempt pass? Counts nothing."""
        for item in self._rules[name]:
            if not await self._limiter.test(item, name, key):
                return False
        return True
