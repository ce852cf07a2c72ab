"""``/healthz`` (the process lives) and ``/readyz`` (it can serve: its database answers).

A load balancer or an orchestrator sends traffic to an instance only while ``/readyz`` says
200; it restarts an instance only when ``/healthz`` stops answering. So a database that
restarts takes every instance out of rotation for that time, but restarts none of them.

The 503's body names what is missing as a code (``database_unavailable``,
``database_timeout``, ``shared_state_unavailable`` for a configured Redis), never the
driver's message: ``/readyz`` is reachable through the proxy, and the message may name hosts
and accounts. The log has the details, once per change.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy import text

from advisor_app import __version__
from advisor_app.server import keys

log = logging.getLogger(__name__)

#: How long ``/readyz`` waits for the database (a host that drops packets would otherwise hold
#: the check for the driver's connect timeout, a minute); below a balancer's check interval.
READY_TIMEOUT_S = 3.0


Problem = tuple[str, str] | None  # the reason code and the detail for the log, or None


class Readiness:
    """The readiness check, run once for all the requests that ask at the same time: a flood
    of ``/readyz`` (it is public) holds one database connection, not the whole pool. Logs a
    change of the answer once, not every poll."""

    def __init__(self, check: Callable[[], Awaitable[Problem]]) -> None:
        self._check = check
        self._running: asyncio.Task[Problem] | None = None
        self.reason: str | None = None

    async def problem(self) -> Problem:
        if self._running is None or self._running.done():
            self._running = asyncio.create_task(self._run(), name="readiness check")
        # shielded: a caller that goes away does not cancel the others' answer
        return await asyncio.shield(self._running)

    async def _run(self) -> Problem:
        problem = await self._check()
        reason, detail = problem or (None, "")
        if reason != self.reason:
            if reason is None:
                log.info("ready again: the database and the shared state answer")
            else:
                log.error("not ready (%s): %s", reason, detail)
            self.reason = reason
        return problem


READINESS = web.AppKey("readiness", Readiness)


async def _database_problem(app: web.Application) -> Problem:
    """``None`` when ``SELECT 1`` succeeds in time, else the reason code and the detail."""
    try:
        async with asyncio.timeout(READY_TIMEOUT_S):
            async with app[keys.ENGINE].connect() as conn:
                await conn.execute(text("SELECT 1"))
    except TimeoutError:
        return "database_timeout", f"no answer within {READY_TIMEOUT_S:g} s"
    except Exception as exc:  # any failure of the driver or the pool means: not ready
        return "database_unavailable", f"{type(exc).__name__}: {exc}"
    return None


async def _problem(app: web.Application) -> Problem:
    """The database, then the rate limits' shared storage (Redis, when configured)."""
    problem = await _database_problem(app)
    if problem is not None:
        return problem
    try:
        async with asyncio.timeout(READY_TIMEOUT_S):
            reachable = await app[keys.LIMITER].reachable()
    except TimeoutError:
        reachable = False
    if not reachable:
        return "shared_state_unavailable", "the rate limits' storage does not answer"
    return None


async def healthz(request: web.Request) -> web.Response:
    """Liveness: the process answers; nothing it depends on is asked."""
    return web.json_response({"status": "ok", "version": __version__})


async def readyz(request: web.Request) -> web.Response:
    """Readiness: 200 while the database (and a shared Redis) answers, else 503 with the
    reason as a code."""
    problem = await request.app[READINESS].problem()
    if problem is not None:
        database = "ok" if problem[0] == "shared_state_unavailable" else "unavailable"
        return web.json_response(
            {"status": "unavailable", "reason": problem[0], "database": database},
            status=503,
            headers={"Retry-After": "5", "Cache-Control": "no-store"},
        )
    return web.json_response(
        {"status": "ok", "database": "ok", "version": __version__},
        headers={"Cache-Control": "no-store"},
    )


def setup_routes(app: web.Application) -> None:
    app[READINESS] = Readiness(functools.partial(_problem, app))
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
