"""Short statements of the citizen's join: inline on SQLite, on a pool of their own on
PostgreSQL.

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

PostgreSQL (asyncpg has no thread hand-off) has the other cost: round trips. Through the
service's engine a point read is six (the pool's pre-ping is BEGIN, a ping and ROLLBACK, then
BEGIN, the SELECT and ROLLBACK again), each a pass through SQLAlchemy, asyncpg and the event
loop; with 20 joins in flight the pool's overflow connections were also closed and opened
again all the time. :class:`InlinePostgres` runs the same statements on a small pool of its
own (:data:`PG_POOL` connections, no overflow, no pre-ping), a single statement in autocommit:
one round trip. A connection that died with the server is found out by its first statement;
the pool then drops all its connections and the statement runs once more on a new one (the
pre-ping's work, paid only when it happened). Several statements run in one transaction.
Other databases use the async engine only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Engine, Executable, Row, create_engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from advisor_app.storage.db import _sqlite_pragmas

#: The longest the event loop may wait for another connection's write lock.
BUSY_MS = 10

#: Connections of the PostgreSQL pool for the join's statements (beside the service's pool;
#: each instance holds at most this many more).
PG_POOL = 8

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


T = TypeVar("T")


class InlinePostgres:
    """The join's statements on PostgreSQL, one round trip each (see the module's text)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    @classmethod
    def beside(cls, engine: AsyncEngine) -> InlinePostgres | None:
        """For a PostgreSQL ``engine``: a small pool of its own to the same database."""
        if engine.dialect.name != "postgresql":
            return None
        quick = create_async_engine(
            engine.url,
            hide_parameters=True,
            pool_size=PG_POOL,
            max_overflow=0,  # a rush waits for a connection instead of opening and closing more
            pool_pre_ping=False,  # a dead connection is noticed by its statement instead
        )
        return cls(quick)

    async def first(self, statement: Executable, params: dict[str, Any]) -> Row[Any] | None:
        async def read(conn: AsyncConnection) -> Row[Any] | None:
            return (await conn.execute(statement, params)).first()

        return await self._run(read, autocommit=True)

    async def write(self, steps: Steps) -> list[int]:
        async def run(conn: AsyncConnection) -> list[int]:
            return [(await conn.execute(s, p)).rowcount for s, p in steps]

        return await self._run(run, autocommit=len(steps) == 1)

    async def _run(self, work: Callable[[AsyncConnection], Awaitable[T]], autocommit: bool) -> T:
        for attempt in (1, 2):
            try:
                async with self.engine.connect() as conn:
                    if autocommit:  # asyncpg: no BEGIN and no ROLLBACK, nothing sent for it
                        await conn.execution_options(isolation_level="AUTOCOMMIT")
                        return await work(conn)
                    async with conn.begin():
                        return await work(conn)
            except DBAPIError as exc:
                # The server restarted since the connection was opened: the pool has dropped
                # its connections, and the statement never reached the server.
                if attempt == 2 or not exc.connection_invalidated:
                    raise
        raise AssertionError("unreachable")

    async def dispose(self) -> None:
        await self.engine.dispose()


#: The join's statements beside the service's engine, if the database has such a way.
Inline = InlineSqlite | InlinePostgres


def beside(engine: AsyncEngine) -> Inline | None:
    return InlineSqlite.beside(engine) or InlinePostgres.beside(engine)


async def dispose(inline: Inline | None) -> None:
    if isinstance(inline, InlinePostgres):
        await inline.dispose()
    elif inline is not None:
        inline.dispose()


async def first(
    inline: Inline | None, engine: AsyncEngine, statement: Executable, params: dict[str, Any]
) -> Row[*tuple[Any, ...]] | None:
    """The first row of a point read: inline when possible, else on the async engine."""
    if isinstance(inline, InlinePostgres):
        return await inline.first(statement, params)
    if inline is not None:
        try:
            return inline.first(statement, params)
        except Locked:
            pass
    async with engine.connect() as conn:
        return (await conn.execute(statement, params)).first()


async def write(inline: Inline | None, engine: AsyncEngine, steps: Steps) -> list[int]:
    """Short writes in one transaction: inline when possible, else on the async engine."""
    if isinstance(inline, InlinePostgres):
        return await inline.write(steps)
    if inline is not None:
        try:
            return inline.write(steps)
        except Locked:
            pass
    async with engine.begin() as conn:
        return [(await conn.execute(s, p)).rowcount for s, p in steps]
