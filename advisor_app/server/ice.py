"""ICE servers for calls: STUN as configured, TURN with time-limited REST credentials.

The TURN REST scheme (draft-uberti-behave-turn-rest, coturn's ``use-auth-secret``): the user
name is ``<expiry unix time>:<label>`` and the password ``base64(HMAC-SHA1(secret, user
name))``. The TURN server checks both with the same shared secret and refuses expired names,
so a credential handed to a participant is useless after ``turn_ttl_s``; the secret itself
never leaves the service.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from aiohttp import web

from advisor_app.config import ConfigError, IceSettings
from advisor_app.core.protocol import IceConfig, IceServer
from advisor_app.server import keys
from advisor_app.server.auth import require_advisor
from advisor_app.server.citizen_api import link_with_consent
from advisor_app.server.errors import json_response

log = logging.getLogger(__name__)

TURN_SECRET: web.AppKey[str] = web.AppKey("turn_secret", str)


def turn_credentials(secret: str, label: str, expires: datetime) -> tuple[str, str]:
    """User name and password of the TURN REST scheme, valid until ``expires``."""
    username = f"{int(expires.timestamp())}:{label}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode("ascii")


def ice_config(ice: IceSettings, secret: str | None, label: str, now: datetime) -> IceConfig:
    servers: list[IceServer] = []
    if ice.stun_urls:
        servers.append(IceServer(urls=list(ice.stun_urls)))
    expires: datetime | None = None
    if ice.turn_urls and secret:
        expires = now.astimezone(UTC) + timedelta(seconds=ice.turn_ttl_s)
        username, credential = turn_credentials(secret, label, expires)
        servers.append(
            IceServer(urls=list(ice.turn_urls), username=username, credential=credential)
        )
    return IceConfig(
        ice_servers=servers, ice_transport_policy=ice.transport_policy, expires_at=expires
    )


async def ice_ctx(app: web.Application) -> AsyncIterator[None]:
    """Check the TURN settings at start: a TURN server without its secret cannot work."""
    ice = app[keys.SETTINGS].ice
    secret = ice.read_turn_secret()
    if ice.turn_urls and not secret:
        raise ConfigError(
            "TURN-Server sind eingetragen (ice.turn_urls), aber das gemeinsame Geheimnis fehlt: "
            "Setzen Sie ADVISOR_ICE__TURN_SECRET oder ice.turn_secret_file."
        )
    if ice.transport_policy == "relay" and not ice.turn_urls:
        raise ConfigError(
            'ice.transport_policy = "relay" verlangt mindestens einen TURN-Server (ice.turn_urls).'
        )
    app[TURN_SECRET] = secret or ""
    if ice.turn_urls:
        log.info(
            "TURN: %d server address(es), credentials valid %d s",
            len(ice.turn_urls),
            ice.turn_ttl_s,
        )
    yield


async def advisor_ice(request: web.Request) -> web.Response:
    advisor = await require_advisor(request)
    app = request.app
    config = ice_config(
        app[keys.SETTINGS].ice, app[TURN_SECRET], f"a{advisor.id}", app[keys.CLOCK].now()
    )
    return json_response(config)


async def citizen_ice(request: web.Request) -> web.Response:
    link = await link_with_consent(request)
    app = request.app
    config = ice_config(
        app[keys.SETTINGS].ice, app[TURN_SECRET], f"p{link.participant_id}", app[keys.CLOCK].now()
    )
    return json_response(config)


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/api/ice", advisor_ice)
    app.router.add_get("/api/citizen/{token}/ice", citizen_ice)
