"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from advisor_app.storage.db import create_engine, migrate
from advisor_app.storage.models import Base

pytestmark = pytest.mark.unit


async def test_migrations_match_models_and_rerun_cleanly(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    try:
        await migrate(engine)
        await migrate(engine)  # a second start changes nothing
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata)
            )
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
            mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
    finally:
        await engine.dispose()
    assert diff == []
    assert {
        "advisors",
        "appointments",
        "participants",
        "consent_records",
        "device_checks",
        "mails",
        "stat_events",
        "stat_tallies",
        "survey_tickets",
        "identity_checks",
        "teams",
        "team_members",
        "appointment_events",
    } <= tables
    assert "survey_responses" not in tables  # replaced by counters (0004)
    assert mode == "wal"


async def test_appointments_from_before_the_statistics_are_not_counted_as_no_shows(
    tmp_path: Path,
) -> None:
    """Upgrading 0003 → 0004: past appointments never had their "entered" recorded."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        await migrate(engine, "0003")
        async with engine.begin() as conn:
            await conn.exec_driver_sql(
                "INSERT INTO advisors (id, username, display_name, password_hash, active,"
                " created_at) VALUES (1, 'alt', 'Alt', '', 1, '2026-01-01 00:00:00.000000')"
            )
            for appt_id, starts in (
                (1, "2026-01-05 09:00:00.000000"),
                (2, "2999-01-05 09:00:00.000000"),
            ):
                await conn.exec_driver_sql(
                    "INSERT INTO appointments (id, advisor_id, starts_at, duration_min, topic,"
                    " language, status, sequence, created_at, updated_at) VALUES"
                    " (?, 1, ?, 30, '', 'de', 'scheduled', 0,"
                    " '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')",
                    (appt_id, starts),
                )
        await migrate(engine)
        async with engine.connect() as conn:
            rows = (
                await conn.exec_driver_sql(
                    "SELECT id, stat_outcome, call_reported FROM appointments ORDER BY id"
                )
            ).all()
    finally:
        await engine.dispose()
    assert [tuple(r) for r in rows] == [(1, "uncounted", 0), (2, None, 0)]


async def _foreign_keys(conn: Any) -> int:
    return int((await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar())


async def test_sqlite_never_reuses_an_id_and_the_rebuild_keeps_every_row(tmp_path: Path) -> None:
    """0004 → 0005 rebuilds the tables with AUTOINCREMENT: no row lost (foreign keys are off
    during the rebuild, so dropping the old table cascades to nothing), and the id of the
    newest deleted participant is not handed out again."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    stamp = "2026-01-01 00:00:00.000000"
    try:
        await migrate(engine, "0004")
        async with engine.begin() as conn:
            await conn.exec_driver_sql(
                "INSERT INTO advisors (id, username, display_name, password_hash, active,"
                " created_at) VALUES (1, 'alt', 'Alt', '', 1, ?)",
                (stamp,),
            )
            await conn.exec_driver_sql(
                "INSERT INTO appointments (id, advisor_id, starts_at, duration_min, topic,"
                " language, status, sequence, call_reported, created_at, updated_at) VALUES"
                " (1, 1, ?, 30, '', 'de', 'scheduled', 0, 0, ?, ?)",
                (stamp, stamp, stamp),
            )
            for pid in (1, 2):
                await conn.exec_driver_sql(
                    "INSERT INTO participants (id, appointment_id, role, name, language,"
                    " link_token, dial_code, mail_status) VALUES"
                    " (?, 1, 'citizen', ?, 'de', ?, ?, 'none')",
                    (pid, f"P{pid}", f"tok{pid}", f"12345678{pid}"),
                )
            await conn.exec_driver_sql(
                "INSERT INTO consent_records (id, participant_id, consent_version,"
                " privacy_version, language, accepted_at) VALUES (1, 2, 'v1', 'v1', 'de', ?)",
                (stamp,),
            )
        await migrate(engine)
        async with engine.begin() as conn:
            assert await _foreign_keys(conn) == 1  # on again for the service
            counts = [
                (await conn.exec_driver_sql(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608
                for table in ("advisors", "appointments", "participants", "consent_records")
            ]
            assert counts == [1, 1, 2, 1]
            await conn.exec_driver_sql("DELETE FROM participants WHERE id = 2")
            await conn.exec_driver_sql(
                "INSERT INTO participants (appointment_id, role, name, language,"
                " link_token, dial_code, mail_status) VALUES"
                " (1, 'citizen', 'Neu', 'de', 'tok3', '123456783', 'none')"
            )
            new_id = (
                await conn.exec_driver_sql("SELECT id FROM participants WHERE name = 'Neu'")
            ).scalar()
            orphans = (await conn.exec_driver_sql("SELECT count(*) FROM consent_records")).scalar()
    finally:
        await engine.dispose()
    assert new_id == 3  # not 2: the deleted participant's id is never handed out again
    assert orphans == 0  # the foreign keys cascade again after the migration
