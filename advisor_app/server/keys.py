"""Typed keys for what the service keeps on its ``web.Application``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from advisor_app.config import Settings
from advisor_app.core.clock import Clock


@dataclass
class ServiceRuntime:
    """Mutable facts of a running service."""

    #: Base URL used in links, e.g. ``https://videotermin.example.de``.
    base_url: str


if TYPE_CHECKING:
    from advisor_app.server.auth import Auth
    from advisor_app.server.mail import Mailer
    from advisor_app.server.ratelimit import RateLimiter

SETTINGS = web.AppKey("settings", Settings)
CLOCK = web.AppKey("clock", Clock)
ENGINE = web.AppKey("engine", AsyncEngine)
SESSIONS: web.AppKey[async_sessionmaker[Any]] = web.AppKey("sessions", async_sessionmaker)
AUTH: web.AppKey[Auth] = web.AppKey("auth")
MAILER: web.AppKey[Mailer] = web.AppKey("mailer")
LIMITER: web.AppKey[RateLimiter] = web.AppKey("limiter")
#: Facts known only once the service runs (bound address).
RUNTIME: web.AppKey[ServiceRuntime] = web.AppKey("runtime")
