"""Rate limits per client address, on top of the ``limits`` library (moving windows)."""

from __future__ import annotations

from limits import parse_many
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter


class RateLimiter:
    """Named limits, e.g. ``join`` = "5/minute;30/hour", checked per key (client address)."""

    def __init__(self, rules: dict[str, str]) -> None:
        self._storage = MemoryStorage()
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._rules = {name: parse_many(spec) for name, spec in rules.items()}

    async def hit(self, name: str, key: str) -> bool:
        """Count one attempt; False when any window of the rule is exhausted."""
        allowed = True
        for item in self._rules[name]:
            if not await self._limiter.hit(item, name, key):
                allowed = False
        return allowed
