"""Anonymous statistics: what is counted when, and ``GET /api/statistics`` for the console.

Counted, always in the segment (ISO week ∩ month, Europe/Berlin) of the appointment's start:

- **held**: the citizen was admitted to the call (once per appointment, when admitted);
- **no-show**: the appointment was not cancelled, its room has closed (end + grace period)
  and the citizen never entered the waiting room (counted by :func:`settle_outcomes`, which
  runs before every retention purge, periodically with it, and before every statistics
  answer). A citizen who waited but was never admitted is neither;
- **duration** and **quality**: what the console reports when the call ends
  (``POST /api/calls/report``): seconds of the call, seconds per quality label.

The appointment row remembers only *that* it was counted (``stat_outcome``,
``call_reported``), and is deleted by the retention purge; the counters never point back.

Each figure except the survey's is also counted for every team of the appointment's advisor
(metric ``team.<id>.<metric>``), so a team lead sees the same figures for the team; a
survey ticket knows no team, so the survey is service-wide only.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Annotated, Any

from aiohttp import web
from pydantic import Field, ValidationError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from advisor_app.core.clock import Clock
from advisor_app.core.domain import BERLIN, Role
from advisor_app.core.protocol import (
    CallReportIn,
    CallReportOut,
    Model,
    PeriodFigures,
    QualitySeconds,
    StatisticsOut,
    SurveyFigures,
    WaitingEntry,
)
from advisor_app.core.statistics_periods import PeriodKind, last_periods, segment_of
from advisor_app.server import keys, survey
from advisor_app.server.auth import require_advisor
from advisor_app.server.errors import ApiError, json_response, read_model, validation_error
from advisor_app.server.team_records import load_directory
from advisor_app.storage.db import retry_once
from advisor_app.storage.models import Appointment, Participant, TeamMember
from advisor_app.storage.repositories import StatsRepo

log = logging.getLogger(__name__)

#: At most this many weeks or months per request.
MAX_PERIODS = 60


class StatisticsQuery(Model):
    period: PeriodKind = PeriodKind.WEEK
    count: Annotated[int, Field(ge=1, le=MAX_PERIODS)] = 8
    #: The figures of this team only (its leads only).
    team: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None


def team_metric(team_id: int, metric: str) -> str:
    return f"team.{team_id}.{metric}"


async def _count(
    session: AsyncSession, appt: Appointment, metric: str, count: int = 0, total: float = 0.0
) -> None:
    """Add to the service's figure and to the same figure of each team of the advisor."""
    repo = StatsRepo(session)
    segment = segment_of(appt.starts_at)
    await repo.add(segment, metric, count, total)
    teams = await session.scalars(
        select(TeamMember.team_id).where(TeamMember.advisor_id == appt.advisor_id)
    )
    for team_id in list(teams):
        await repo.add(segment, team_metric(team_id, metric), count, total)


class StatisticsRecorder:
    """The waiting room's hooks: mark entries and admissions, hand out survey tickets."""

    def __init__(self, sessions: async_sessionmaker[Any], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def entered(self, entry: WaitingEntry) -> None:
        if entry.role is not Role.CITIZEN:
            return
        async with self._sessions() as session:
            await session.execute(
                update(Appointment)
                .where(Appointment.id == entry.appointment_id)
                .where(Appointment.stat_outcome.is_(None))
                .values(stat_outcome="entered")
            )
            await session.commit()

    async def admitted(self, entry: WaitingEntry) -> None:
        if entry.role is not Role.CITIZEN:
            return

        async def work(session: AsyncSession) -> None:
            appt = await session.get(Appointment, entry.appointment_id)
            if appt is None or appt.stat_outcome == "held":
                return
            appt.stat_outcome = "held"
            await _count(session, appt, "held", 1)

        await retry_once(self._sessions, work)

    async def call_ended(self, entry: WaitingEntry) -> str | None:
        """The citizen's call ended: a survey ticket for the closing page (guests get none)."""
        if entry.role is not Role.CITIZEN:
            return None
        return await survey.issue_ticket(self._sessions, self._clock.now())


async def settle_outcomes(sessions: async_sessionmaker[Any], now: datetime, grace_min: int) -> int:
    """Count the no-shows whose room has closed; drop expired survey tickets."""

    async def work(session: AsyncSession) -> int:
        repo = StatsRepo(session)
        count = 0
        for appt in await repo.open_outcomes(now):
            closes = appt.starts_at + timedelta(minutes=appt.duration_min + grace_min)
            if closes <= now:
                appt.stat_outcome = "no_show"
                await _count(session, appt, "no_show", 1)
                count += 1
        await repo.drop_expired_tickets(now)
        return count

    return int(await retry_once(sessions, work))


async def report_call(request: web.Request) -> web.Response:
    """The console's summary of a call that ended: length and seconds per quality label."""
    advisor = await require_advisor(request)
    body = await read_model(request, CallReportIn)

    async def work(session: AsyncSession) -> tuple[int, int]:
        known = 0
        appointments: dict[int, Appointment] = {}
        for pid in body.participant_ids:
            participant = await session.get(Participant, pid)
            if participant is None:
                continue
            appt = await session.get(Appointment, participant.appointment_id)
            if appt is None or appt.advisor_id != advisor.id:
                continue
            known += 1
            if appt.stat_outcome == "held":
                appointments[appt.id] = appt
        for appt in appointments.values():
            first = not appt.call_reported
            appt.call_reported = True
            await _count(session, appt, "duration", 1 if first else 0, float(body.duration_s))
            for level, seconds in body.quality_s.model_dump().items():
                if seconds:
                    await _count(session, appt, f"quality.{level}", 0, float(seconds))
        return known, len(appointments)

    known, counted = await retry_once(request.app[keys.SESSIONS], work)
    if not known:
        raise ApiError(404, "not_found", reason="call_report")
    return json_response(CallReportOut(appointments=counted))


def _figures(key: str, start: Any, sums: dict[tuple[str, str], tuple[int, float]]) -> PeriodFigures:
    def count(metric: str) -> int:
        return sums.get((key, metric), (0, 0.0))[0]

    def total(metric: str) -> float:
        return sums.get((key, metric), (0, 0.0))[1]

    reported = count("duration")
    return PeriodFigures(
        key=key,
        starts_on=start,
        held=count("held"),
        no_show=count("no_show"),
        avg_duration_min=round(total("duration") / reported / 60, 1) if reported else None,
        quality_s=QualitySeconds(
            good=round(total("quality.good")),
            fair=round(total("quality.fair")),
            poor=round(total("quality.poor")),
        ),
        survey=SurveyFigures(
            responses=count("survey.responses"),
            satisfaction=[count(f"survey.satisfaction.{n}") for n in range(1, 6)],
            av_quality=[count(f"survey.av_quality.{n}") for n in range(1, 6)],
            use_again_yes=count("survey.use_again.yes"),
            use_again_no=count("survey.use_again.no"),
            use_again_unsure=count("survey.use_again.unsure"),
        ),
    )


async def get_statistics(request: web.Request) -> web.Response:
    """``?period=week|month&count=N``: the last N periods up to the current one, oldest first.

    Service-wide figures of all advisors: nothing names a person, an advisor or an appointment.
    ``&team=ID``: the figures of that team (its leads only; the survey is not per team).
    """
    advisor = await require_advisor(request)
    try:
        query = StatisticsQuery.model_validate(dict(request.query))
    except ValidationError as exc:
        raise validation_error(exc) from exc
    app = request.app
    now = app[keys.CLOCK].now()
    await settle_outcomes(app[keys.SESSIONS], now, app[keys.SETTINGS].service.grace_min)
    periods = last_periods(query.period, now.astimezone(BERLIN).date(), query.count)
    if query.team is not None:
        directory = await load_directory(app[keys.SESSIONS])
        if not directory.leads(advisor.id, query.team):
            raise ApiError(403, "forbidden", reason="team_lead")
    async with app[keys.SESSIONS]() as session:
        sums = await StatsRepo(session).sums(query.period, [key for key, _ in periods])
    if query.team is not None:
        prefix = team_metric(query.team, "")
        sums = {
            (key, metric.removeprefix(prefix)): value
            for (key, metric), value in sums.items()
            if metric.startswith(prefix)
        }
    return json_response(
        StatisticsOut(
            period=query.period,
            periods=[_figures(key, start, sums) for key, start in periods],
        )
    )


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/api/statistics", get_statistics)
    app.router.add_post("/api/calls/report", report_call)
