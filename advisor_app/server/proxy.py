"""Behind a reverse proxy (nginx): the citizen's address and scheme from trusted proxies only.

Rate limits count per client address. Behind a proxy every request comes from the proxy, so
without this all citizens would share one limit. ``X-Forwarded-For`` and
``X-Forwarded-Proto`` are taken only from addresses in ``service.trusted_proxies``; anybody
else could write any address into the header.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def forwarded_middleware(trusted: Sequence[str]) -> Middleware:
    """A middleware that replaces ``request.remote`` (and ``scheme``) for trusted proxies."""
    networks = [ipaddress.ip_network(t, strict=False) for t in trusted]

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        remote = request.remote
        if remote and _trusted(remote, networks):
            hops = [
                hop.strip()
                for value in request.headers.getall("X-Forwarded-For", [])
                for hop in value.split(",")
                if hop.strip()
            ]
            client = remote
            for hop in reversed(hops):  # the right-most address no trusted proxy added
                client = hop
                if not _trusted(hop, networks):
                    break
            proto = request.headers.get("X-Forwarded-Proto", "").lower()
            if proto in ("http", "https"):
                request = request.clone(remote=client, scheme=proto)
            else:
                request = request.clone(remote=client)
        return await handler(request)

    return middleware
