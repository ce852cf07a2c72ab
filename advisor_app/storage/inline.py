"""Short statements of the citizen's join, run inline on SQLite.

aiosqlite runs every call on a thread of its own: a statement through SQLAlchemy's adapter is
five hand-offs between that thread and the event loop (cursor, execute, fetch or close,
commit, reset), each a context switch. Measured in the service during a join rush, a point
read by link token cost about 1 ms of CPU that way and a one-row insert 1.5 ms; the same
statements on a plain ``sqlite3`` connection on the loop's thread cost 0.06 and 0.08 ms.

So the join's statements (a read by unique token, a one-row insert, a bounded delete) run on
one synchronous connection of their own, on the caller's thread:

* SQLite in WAL mode: readers never wait for a writer; a write waits only for another
  writer's commit. The connection's busy timeout is :data:`BUSY_MS`: when another connection
  holds the write lock longer (an advisor's open transaction), :class:`Locked` is raised
  after at most that long, nothing was written, and the caller runs the same statements on
  the async engine instead (:func:`first` and :func:`write` do).
* The same pragmas as the async engine's connections (foreign keys, secure delete, ...).
* Other databases (PostgreSQL: asyncpg has no thread hand-off) use the async engine only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, Executable, Row, create_engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from advisor_app.storage.db import _sqlite_pragmas

#: The longest the event loop may wait for another connection's write lock.
BUSY_MS = 10

#: Statements of one transaction, each with its parameters.
Steps = Sequence[tuple[Executable, dict[str, Any]]]


class Locked(Exception):
    """Another connection held the database longer than :data:`BUSY_MS`; nothing was done."""


def _pragmas(dbapi_conn: DBAPIConnection, record: ConnectionPoolEntry) -> None:
    _sqlite_pragmas(dbapi_conn, record)
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    cursor.close()


class InlineSqlite:
    """One synchronous SQLite connection for short statements on the event loop's thread."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def beside(cls, engine: AsyncEngine) -> InlineSqlite | None:
        """For a file-backed SQLite ``engine``: an inline connection to the same file."""
        url = engine.url
        if engine.dialect.name != "sqlite" or url.database in (None, "", ":memory:"):
            return None
        sync = create_engine(
            url.set(drivername="sqlite+pysqlite"),
            hide_parameters=True,
            poolclass=StaticPool,  # one connection; every call comes from the loop's thread
        )
        event.listen(sync, "connect", _pragmas)
        return cls(sync)

    def first(self, statement: Executable, params: dict[str, Any]) -> Row[*tuple[Any, ...]] | None:
        try:
            with self.engine.connect() as conn:
                return conn.execute(statement, params).first()
        except OperationalError as exc:
            raise Locked from exc

    def write(self, steps: Steps) -> list[int]:
        """The steps in one transaction; the row count of each."""
        try:
            with self.engine.begin() as conn:
                return [conn.execute(s, p).rowcount for s, p in steps]
        except OperationalError as exc:
            raise Locked from exc

    def dispose(self) -> None:
        self.engine.dispose()


async def first(
    inline: InlineSqlite | None, engine: AsyncEngine, statement: Executable, params: dict[str, Any]
) -> Row[*tuple[Any, ...]] | None:
    """The first row of a point read: inline when possible, else on the async engine."""
    if inline is not None:
        try:
            return inline.first(statement, params)
        except Locked:
            pass
    async with engine.connect() as conn:
        return (await conn.execute(statement, params)).first()


async def write(inline: InlineSqlite | None, engine: AsyncEngine, steps: Steps) -> list[int]:
    """Short writes in one transaction: inline when possible, else on the async engine."""
    if inline is not None:
        try:
            return inline.write(steps)
        except Locked:
            pass
    async with engine.begin() as conn:
        return [(await conn.execute(s, p)).rowcount for s, p in steps]
