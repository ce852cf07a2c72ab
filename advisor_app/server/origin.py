"""Requests from other sites and other host names are refused.

* A browser's cross-site POST, PUT or DELETE (``Sec-Fetch-Site`` other than ``same-origin``,
  or, from a browser that sends none, an ``Origin`` that is not this service) gets 403: a web
  page cannot post dial-in guesses to the service, nor use up a citizen's limits. Programs
  that send neither header (the console) are not affected.
* The embedded service answers only to loopback host names (and its public URL's): a DNS
  rebinding page whose name points to 127.0.0.1 is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from advisor_app.server.errors import ApiError

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _host_port(netloc: str, scheme: str) -> tuple[str, int] | None:
    try:
        parts = urlsplit(f"//{netloc}")
        port = parts.port or _DEFAULT_PORTS.get(scheme, 0)
    except ValueError:
        return None
    return ((parts.hostname or "").lower(), port)


def same_origin(origin: str, host: str) -> bool:
    """Whether an ``Origin`` header names the host the request was sent to."""
    scheme, _, rest = origin.partition("://")
    if scheme not in _DEFAULT_PORTS or not rest:
        return False
    return _host_port(rest, scheme) == _host_port(host, scheme)


def _refused(reason: str) -> ApiError:
    return ApiError(403, "forbidden_origin", reason=reason)


def origin_middleware(*, embedded: bool, extra_hosts: Iterable[str] = ()) -> Middleware:
    """The middleware; ``extra_hosts``: further host names the embedded service answers to."""
    allowed_hosts = LOOPBACK_NAMES | {h.lower() for h in extra_hosts if h}

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        host = request.headers.get("Host", "")
        if embedded:
            name = (_host_port(host, "http") or ("", 0))[0]
            if name not in allowed_hosts:
                raise _refused("host")
        if request.method in UNSAFE:
            site = request.headers.get("Sec-Fetch-Site", "").lower()
            origin = request.headers.get("Origin")
            # Every current browser says where a request comes from in Sec-Fetch-Site; its
            # Origin is "null" for our own pages' form posts (they send Referrer-Policy:
            # no-referrer), so Origin is only asked where Sec-Fetch-Site is missing.
            if site:
                foreign = site not in ("same-origin", "none")
            else:
                foreign = origin is not None and not same_origin(origin, host)
            if foreign:
                raise _refused("cross_site")
        return await handler(request)

    return middleware
