"""Deletes personal data a configurable number of days after each appointment.

Runs once at service start and then periodically. First the outcomes of past appointments are
counted into the anonymous statistics (no-shows); the statistics (``stat_events``,
``stat_tallies``) have no link to a person or an appointment and are never deleted.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import async_sessionmaker

from advisor_app.core.clock import Clock
from advisor_app.server import keys
from advisor_app.server.statistics import settle_outcomes
from advisor_app.storage.repositories import AdvisorRepo, AppointmentRepo

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PurgeResult:
    appointments: int
    outbox_files: int


def _purge_outbox(outbox: Path, older_than: float) -> int:
    """Delete outbox mails (they hold names and links) written before ``older_than``."""
    if not outbox.is_dir():
        return 0
    count = 0
    for path in outbox.glob("*.eml"):
        try:
            if path.stat().st_mtime < older_than:
                path.unlink()
                count += 1
        except OSError as exc:
            log.warning("could not delete old outbox file %s: %s", path.name, exc.strerror)
    return count


async def purge(
    sessions: async_sessionmaker[Any],
    clock: Clock,
    retention_days: int,
    outbox: Path | None,
    *,
    grace_min: int,
) -> PurgeResult:
    """Delete appointments (with participants, consents, mails) older than the retention.

    Their outcome is counted first, so no appointment leaves without being counted.
    """
    now = clock.now()
    cutoff = now - timedelta(days=retention_days)
    await settle_outcomes(sessions, now, grace_min)
    async with sessions() as session:
        old = await AppointmentRepo(session).ended_before(cutoff)
        for appt in old:
            await session.delete(appt)
        await AdvisorRepo(session).drop_expired_sessions(now)
        await session.commit()
    files = 0
    if outbox is not None:
        loop = asyncio.get_running_loop()
        files = await loop.run_in_executor(None, _purge_outbox, outbox, cutoff.timestamp())
    if old or files:
        log.info("retention: deleted %d appointments and %d outbox mails", len(old), files)
    return PurgeResult(appointments=len(old), outbox_files=files)


async def retention_ctx(app: web.Application) -> AsyncIterator[None]:
    """Cleanup context: purge at start, then every ``retention_interval_min`` minutes."""
    settings = app[keys.SETTINGS].service

    async def run_once() -> None:
        await purge(
            app[keys.SESSIONS],
            app[keys.CLOCK],
            settings.retention_days,
            settings.outbox_dir,
            grace_min=settings.grace_min,
        )

    async def loop() -> None:
        while True:
            await asyncio.sleep(settings.retention_interval_min * 60)
            try:
                await run_once()
            except Exception:
                log.exception("retention run failed; will try again")

    try:
        await run_once()
    except Exception:
        # A read-only or locked database must not keep the service from starting: reading
        # still works, and writes are answered with a clear 503.
        log.exception("retention run at start failed; will try again")
    task = asyncio.create_task(loop(), name="retention")
    yield
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
