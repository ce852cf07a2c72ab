"""Engine creation and schema migrations."""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
T = TypeVar("T")


async def retry_once(
    sessions: async_sessionmaker[Any], work: Callable[[AsyncSession], Awaitable[T]]
) -> T:
    """Run ``work(session)`` and commit. When a row it creates was created at the same moment
    elsewhere (PostgreSQL: two first writes of one counter), run it once more."""
    for attempt in (1, 2):
        async with sessions() as session:
            try:
                result = await work(session)
                await session.commit()
                return result
            except IntegrityError:
                await session.rollback()
                if attempt == 2:
                    raise
    raise AssertionError("unreachable")


def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows (a revoked consent's name and address) are overwritten, not left in free
    # pages of the file; Debian's SQLite does it by default, other builds do not.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _private_file(path: Path) -> None:
    """The database file for the service account only (0600; a folder made here 0700); SQLite
    creates its -wal and -shm files with the database file's permissions."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # an existing one stays as is
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        path.chmod(0o600)
    except OSError:  # not a file we can open: SQLite says what is wrong when it tries
        return


def create_engine(url: str) -> AsyncEngine:
    """An async engine; SQLite gets WAL, foreign keys and a busy timeout."""
    # SQL parameters (names, e-mail addresses, link tokens) never appear in an error message.
    kwargs: dict[str, Any] = {"hide_parameters": True}
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path.startswith("file:"):  # URI form, e.g. ``file:/srv/advisor.db?mode=ro&uri=true``
            path = path.removeprefix("file:").split("?", 1)[0]
        if path and path != ":memory:":
            _private_file(Path(path))
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[Any]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def _upgrade(connection: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


class MigrationError(RuntimeError):
    """A migration left rows that point nowhere; nothing was committed."""


async def migrate(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; run at every service start.

    On SQLite foreign keys are off while the migrations run (a table rebuilt in batch mode is
    dropped and renamed: with foreign keys on, the drop would delete every row pointing at
    it); before committing, ``PRAGMA foreign_key_check`` must find nothing."""
    sqlite = engine.dialect.name == "sqlite"
    async with engine.connect() as conn:
        if sqlite:  # before any statement opens a transaction, where the pragma is a no-op
            await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            await conn.run_sync(_upgrade, revision)
            if sqlite:
                broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
                if broken:
                    raise MigrationError(f"rows without their parent after migrating: {broken}")
            await conn.commit()
        except BaseException:
            await conn.rollback()
            raise
        finally:
            if sqlite:
                await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                await conn.commit()
    log.info("database schema is at %s", revision)
