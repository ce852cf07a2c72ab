"""Connection guards for ``serve``: idle and slow connections time out, and one client
address (IPv6: one /64) holds a bounded number of connections.

aiohttp's keep-alive timer runs from the moment a connection opens and again after every
response, and it closes a connection that has not delivered a complete request head by then:
so ``keepalive_timeout`` is also the header-read timeout (checked in
``tests/server/test_security_connections.py``). The per-address cap is counted on the
``web.Server`` that the runner builds; trusted reverse proxies are not counted (they carry
every citizen).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections import Counter
from collections.abc import Sequence
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from advisor_app.server.ratelimit import address_key

log = logging.getLogger(__name__)


def handler_args(idle_timeout_s: float) -> dict[str, Any]:
    """Keyword arguments for ``web.AppRunner``: timeouts and request-head limits."""
    return {
        "keepalive_timeout": idle_timeout_s,
        "max_line_size": 8190,
        "max_field_size": 8190,
        "max_headers": 64,
    }


class ConnectionCap:
    """At most ``limit`` open connections per client address key."""

    def __init__(self, limit: int, trusted: Sequence[str] = ()) -> None:
        self.limit = limit
        self._trusted = [ipaddress.ip_network(t, strict=False) for t in trusted]
        self._open: Counter[str] = Counter()
        self._keys: dict[RequestHandler, str] = {}
        self.refused = 0

    def _key(self, transport: asyncio.BaseTransport) -> str | None:
        peer = transport.get_extra_info("peername")
        if not isinstance(peer, tuple) or not peer:
            return None  # a Unix socket: nothing to count
        host = str(peer[0])
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            return host
        if any(ip in net for net in self._trusted):
            return None
        return address_key(host)

    def install(self, server: web.Server) -> None:
        """Count connections on ``server`` and close those over the limit at once."""
        made, lost = server.connection_made, server.connection_lost

        def connection_made(handler: RequestHandler, transport: asyncio.Transport) -> None:
            made(handler, transport)
            key = self._key(transport)
            if key is None:
                return
            if self._open[key] >= self.limit:
                self.refused += 1
                if self.refused == 1 or self.refused % 1000 == 0:
                    log.warning("connections refused: over %d from one address", self.limit)
                transport.close()
                return
            self._open[key] += 1
            self._keys[handler] = key

        def connection_lost(handler: RequestHandler, exc: BaseException | None = None) -> None:
            key = self._keys.pop(handler, None)
            if key is not None:
                self._open[key] -= 1
                if self._open[key] <= 0:
                    del self._open[key]
            lost(handler, exc)

        server.connection_made = connection_made  # type: ignore[method-assign]
        server.connection_lost = connection_lost  # type: ignore[method-assign]
