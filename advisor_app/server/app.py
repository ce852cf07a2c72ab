"""The service's app factory: tests build exactly what production runs."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Middleware
from sqlalchemy import event
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import ConnectionPoolEntry

from advisor_app import __version__
from advisor_app.config import Settings
from advisor_app.core.clock import Clock, SystemClock
from advisor_app.core.protocol import ServiceInfo
from advisor_app.os_account import advisor_name
from advisor_app.server import (
    accessibility,
    appointments,
    citizen,
    citizen_api,
    health,
    ice,
    identity,
    keys,
    legal,
    site,
    statistics,
    survey,
    teams,
    waiting_room_sockets,
)
from advisor_app.server.auth import Auth, handle_login, handle_logout, handle_me
from advisor_app.server.errors import error_middleware, json_response
from advisor_app.server.link_cache import INLINE_DB, LINKS, LinkCache
from advisor_app.server.logs import keep_personal_data_out
from advisor_app.server.mail import MailComposer, Mailer, Transport, transport_for
from advisor_app.server.origin import origin_middleware
from advisor_app.server.proxy import forwarded_middleware
from advisor_app.server.ratelimit import RateLimiter, shared_limits
from advisor_app.server.retention import retention_ctx
from advisor_app.storage import inline
from advisor_app.storage.db import create_engine, migrate, session_factory

log = logging.getLogger(__name__)


#: How long a request waits for a new database connection (asyncpg's default is a minute).
CONNECT_TIMEOUT_S = 5.0


def _connect_failures_as_database_errors(engine: AsyncEngine) -> None:
    """A server that refuses or does not answer a new connection raises the driver's
    ``OSError`` or ``TimeoutError`` (asyncpg), which SQLAlchemy passes on unwrapped; as its
    ``OperationalError`` it gets the same 503 ``database_unavailable`` as any other database
    failure, not a 500, and within :data:`CONNECT_TIMEOUT_S` unless the URL sets ``timeout``.
    (It belongs in ``storage.db.create_engine``; kept here until storage takes it.)"""
    if engine.dialect.name == "sqlite":  # a file: nothing to connect to
        return

    def connect(
        dialect: Dialect, _record: ConnectionPoolEntry, cargs: Any, cparams: Any
    ) -> DBAPIConnection:
        dbapi = dialect.loaded_dbapi
        if dialect.driver == "asyncpg":
            cparams.setdefault("timeout", CONNECT_TIMEOUT_S)
        try:
            return dialect.connect(*cargs, **cparams)
        except dbapi.Error:
            raise
        except Exception as exc:  # refused, timed out, the server still starting up
            raise dbapi.OperationalError(f"cannot connect: {exc}") from exc

    event.listen(engine.sync_engine, "do_connect", connect)


async def _database_ctx(app: web.Application) -> AsyncIterator[None]:
    engine = create_engine(app[keys.SETTINGS].service.resolved_database_url)
    _connect_failures_as_database_errors(engine)
    await migrate(engine)
    app[keys.ENGINE] = engine
    app[keys.SESSIONS] = session_factory(engine)
    app[LINKS] = LinkCache()
    app[LINKS].watch(engine)  # any write that changes a kept link empties it
    # The join's statements: inline on SQLite, on a small pool of their own on PostgreSQL.
    app[INLINE_DB] = quick = inline.beside(engine)
    if isinstance(quick, inline.InlinePostgres):
        _connect_failures_as_database_errors(quick.engine)
        app[LINKS].watch(quick.engine)
    yield
    await inline.dispose(quick)
    await engine.dispose()


def _services_ctx(
    embedded_token: str | None, transport: Transport | None
) -> Callable[[web.Application], AsyncIterator[None]]:
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        settings = app[keys.SETTINGS]
        app[keys.AUTH] = Auth(app[keys.SESSIONS], app[keys.CLOCK])
        if embedded_token:
            name = advisor_name(settings.console.display_name)
            await app[keys.AUTH].install_embedded_token(embedded_token, name)
        mailer = Mailer(
            app[keys.SESSIONS],
            app[keys.CLOCK],
            MailComposer(settings),
            transport or transport_for(settings),
        )
        app[keys.MAILER] = mailer
        yield
        await mailer.close()

    return ctx


async def _close_limiter(app: web.Application) -> None:
    await app[keys.LIMITER].aclose()


async def info(request: web.Request) -> web.Response:
    settings = request.app[keys.SETTINGS]
    return json_response(
        ServiceInfo(
            version=__version__,
            organisation=settings.service.organisation,
            support_phone=settings.service.support_phone,
            embedded=request.app[EMBEDDED],
            public_base_url=request.app[keys.RUNTIME].base_url,
        )
    )


#: What the ``Server`` header says: no library, no version.
SERVER_HEADER = "advisor-console"
HSTS = "max-age=31536000"


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers["Server"] = SERVER_HEADER
    if request.path.startswith("/api/"):  # names, links, appointments: never in a cache
        response.headers.setdefault("Cache-Control", "no-store")
    if request.app[keys.SETTINGS].service.tls:  # speaking TLS itself: browsers stay on it
        response.headers.setdefault("Strict-Transport-Security", HSTS)


EMBEDDED = web.AppKey("embedded", bool)


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    embedded_token: str | None = None,
    transport: Transport | None = None,
    base_url: str | None = None,
) -> web.Application:
    """Build the service. ``transport`` replaces the mail transport (benchmarks only)."""
    keep_personal_data_out()
    public_host = urlsplit(settings.service.public_base_url or "").hostname
    middlewares: list[Middleware] = [
        error_middleware,
        origin_middleware(embedded=embedded_token is not None, extra_hosts=[public_host or ""]),
        citizen.not_found_page,
    ]
    if settings.service.trusted_proxies:
        middlewares.insert(0, forwarded_middleware(settings.service.trusted_proxies))
    app = web.Application(middlewares=middlewares, client_max_size=256 * 1024)
    app[keys.SETTINGS] = settings
    app[keys.CLOCK] = clock or SystemClock()
    app[keys.LIMITER] = RateLimiter(
        {
            "join": settings.service.join_rate_limit,
            "login": settings.service.login_rate_limit,
            "socket": settings.service.socket_rate_limit,
            "survey": settings.service.survey_rate_limit,
            "feedback": settings.service.feedback_rate_limit,
            "join_global": settings.service.join_global_rate_limit,
            "join_code": settings.service.join_code_rate_limit,
            "login_account": settings.service.login_account_rate_limit,
            "login_unknown": settings.service.login_unknown_rate_limit,
            "nettest": settings.service.nettest_rate_limit,
            "nettest_address": settings.service.nettest_address_rate_limit,
        },
        shared_limits(settings.service),
    )
    app[keys.RUNTIME] = keys.ServiceRuntime(
        base_url=base_url or settings.service.resolved_public_base_url()
    )
    app[EMBEDDED] = embedded_token is not None
    app[citizen.PAGES] = citizen.page_environment()
    accessibility.warn_without_address(settings.service)

    # What lives as long as the service, started in this order and stopped in reverse.
    app.cleanup_ctx.append(_database_ctx)  # engine, migrations, sessions
    app.cleanup_ctx.append(_services_ctx(embedded_token, transport))  # sign-in, mail
    app.cleanup_ctx.append(retention_ctx)  # the purge job
    app.cleanup_ctx.append(
        waiting_room_sockets.hub_ctx
    )  # the waiting-room hub, recording statistics
    app.cleanup_ctx.append(ice.ice_ctx)  # TURN settings checked, their secret read
    # Loaded at start: a broken legal text or sign-language video stops the service there.
    app.on_startup.append(legal.load_texts)
    app.on_startup.append(accessibility.load_sign_video)
    # At shutdown, every waiting-room socket closes at once, before the handlers' timeout.
    app.on_shutdown.append(waiting_room_sockets.close_sockets)
    app.on_cleanup.append(_close_limiter)  # its Redis connections, if it counts there
    app.on_response_prepare.append(_security_headers)
    app.on_response_prepare.append(citizen.revalidate_static)

    # Routes, by whom they serve.
    health.setup_routes(app)  # /healthz (the process lives), /readyz (its database answers)
    app.router.add_get("/api/info", info)
    app.router.add_post("/api/login", handle_login)
    app.router.add_post("/api/logout", handle_logout)
    app.router.add_get("/api/me", handle_me)
    appointments.setup_routes(app)  # the advisor's appointments
    identity.setup_routes(app)  # the ID check's record
    citizen.setup_routes(app)  # join pages, dial-in code, static files of the web app
    waiting_room_sockets.setup_routes(app)  # the waiting room's WebSockets (advisor and citizen)
    citizen_api.setup_routes(app)  # consent, device check, the citizen's view
    ice.setup_routes(app)  # ICE servers and TURN credentials for both sides
    statistics.setup_routes(app)  # figures, call reports
    teams.setup_routes(app)  # teams, reassigning appointments, members for team leads
    survey.setup_routes(app)  # the anonymous survey after a call
    site.setup_routes(app, embedded=embedded_token is not None)  # GET /api/settings
    legal.setup_routes(app)  # /legal/<doc> pages and /api/legal/<doc>
    # The statement's form "Barriere melden", Leichte Sprache, Gebärdensprache.
    accessibility.setup_routes(app)
    return app
