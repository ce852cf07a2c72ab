"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from advisor_app.storage.db import create_engine, migrate
from advisor_app.storage.models import Base


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
    } <= tables
    assert "survey_responses" not in tables  # replaced by counters (0004)
    assert mode == "wal"
