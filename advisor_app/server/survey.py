"""The anonymous survey after a call: one-time tickets and ``POST /api/survey``.

When a citizen's call ends, the waiting room hands the page a random ticket; the service keeps
only the ticket's SHA-256 digest, an expiry rounded up to the full hour and whether it was
used: no appointment, no participant, no address. An answer adds one to counters of the
current segment (ISO week ∩ month); it is not stored as a row of its own, so nothing orders
or dates it. The request carries no link token, and its access-log line carries no address.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from advisor_app.core.protocol import SurveyIn, SurveyThanks
from advisor_app.core.statistics_periods import segment_of
from advisor_app.server import keys
from advisor_app.server.auth import limit_key
from advisor_app.server.errors import ApiError, json_response, read_model
from advisor_app.server.logs import hide
from advisor_app.server.refusals import words
from advisor_app.storage.db import retry_once
from advisor_app.storage.models import SurveyTicket
from advisor_app.storage.repositories import StatsRepo

#: How long after the call the survey can be answered.
TICKET_TTL = timedelta(hours=2)
SURVEY_PATH = "/api/survey"


def ticket_digest(ticket: str) -> str:
    return hashlib.sha256(ticket.encode("ascii")).hexdigest()


def _full_hour_after(moment: datetime) -> datetime:
    floor = moment.replace(minute=0, second=0, microsecond=0)
    return floor if floor == moment else floor + timedelta(hours=1)


async def issue_ticket(sessions: async_sessionmaker[Any], now: datetime) -> str:
    """A new one-time ticket; only its digest is stored."""
    ticket = secrets.token_urlsafe(32)
    async with sessions() as session:
        await StatsRepo(session).add_ticket(
            ticket_digest(ticket), _full_hour_after(now + TICKET_TTL)
        )
        await session.commit()
    return ticket


def _expired() -> ApiError:
    return ApiError(410, "survey_expired")


def _used() -> ApiError:
    return ApiError(409, "survey_used")


async def submit(request: web.Request) -> web.Response:
    """One answer per ticket; the answers only add to anonymous counters."""
    if not await request.app[keys.LIMITER].hit("survey", limit_key(request)):
        raise ApiError(429, "rate_limited", reason="survey", headers={"Retry-After": "60"})
    body = await read_model(request, SurveyIn)
    hide(body.ticket)
    digest = ticket_digest(body.ticket)
    now = request.app[keys.CLOCK].now()

    async def work(session: AsyncSession) -> ApiError | None:
        taken = await session.execute(
            update(SurveyTicket)
            .where(SurveyTicket.digest == digest)
            .where(SurveyTicket.used.is_(False))
            .where(SurveyTicket.expires_at > now)
            .values(used=True)
        )
        if not getattr(taken, "rowcount", 0):
            ticket = await StatsRepo(session).ticket(digest)
            return _used() if ticket is not None and ticket.used else _expired()
        repo = StatsRepo(session)
        segment = segment_of(now)
        await repo.add(segment, "survey.responses", 1)
        if body.satisfaction is not None:
            await repo.add(segment, f"survey.satisfaction.{body.satisfaction}", 1)
        if body.av_quality is not None:
            await repo.add(segment, f"survey.av_quality.{body.av_quality}", 1)
        if body.use_again is not None:
            await repo.add(segment, f"survey.use_again.{body.use_again.value}", 1)
        return None

    refusal = await retry_once(request.app[keys.SESSIONS], work)
    if refusal is not None:
        raise refusal
    return json_response(
        SurveyThanks(
            message=words("survey_thanks", {}, "de"), message_en=words("survey_thanks", {}, "en")
        )
    )


def setup_routes(app: web.Application) -> None:
    app.router.add_post(SURVEY_PATH, submit)
