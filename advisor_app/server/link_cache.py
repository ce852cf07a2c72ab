"""What a citizen's requests need of their personal link, kept for a short time per token.

A citizen's join is four requests and a socket within seconds (page, consent, device check,
hello); each needs the same participant, appointment and consent state. Reading them once
and keeping them for :data:`TTL_S` seconds saves a database round trip per request, which on
SQLite (a thread hand-off per statement) was most of a join's CPU time.

Correctness:

* **Any write to an appointment or a participant** that could change what is kept (its
  advisor, time, duration, status, the participant's name, role, language, token or
  appointment), and any deletion of either, empties the cache. It is watched in one place, on
  the engine (:func:`LinkCache.watch`): ORM flushes and Core statements alike, whoever makes
  them (scheduling, cancelling, reassigning, retention). Writes that change nothing kept
  (statistics, mail status) leave it alone.
* **Consent** changes only through the citizen API, which updates or forgets its link's entry
  itself. The device check's insert re-checks the consent in the same statement, so nothing
  is stored without a consent in the database, whatever the cache holds.
* Several instances: each change made here is told to the others (:attr:`LinkCache.listener`,
  Redis pub/sub in ``server/cluster.py``), which forget or clear as this one did
  (:meth:`LinkCache.apply`); :data:`TTL_S` bounds how long an entry may be stale when such a
  message is lost.
* Unknown tokens are not kept (a guessed token costs a query, as before; the socket and
  join-code rate limits apply). At most :data:`MAX_ENTRIES` entries; the oldest go first.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from itertools import islice
from typing import Any

from aiohttp import web
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from advisor_app.server import keys
from advisor_app.storage import inline
from advisor_app.storage.repositories import CitizenLink, citizen_link_of, citizen_link_query

#: Seconds an entry is used: longer than one join, short enough to bound staleness.
TTL_S = 30.0
MAX_ENTRIES = 50_000

#: Columns whose change makes a kept link wrong (``status`` covers cancelling).
WATCHED = {
    "appointments": {"id", "advisor_id", "starts_at", "duration_min", "status"},
    "participants": {"id", "appointment_id", "name", "role", "language", "link_token"},
}
_UPDATE = re.compile(r"^\s*UPDATE\s+\"?(\w+)\"?\s+SET\s+(.*?)(?:\s+WHERE\s|$)", re.I | re.S)
_DELETE = re.compile(r"^\s*DELETE\s+FROM\s+\"?(\w+)\"?", re.I)
_SET_COLUMN = re.compile(r"\"?(\w+)\"?\s*=")


def changes_links(statement: str) -> bool:
    """Could this SQL statement change or delete a kept link's rows?"""
    if deleted := _DELETE.match(statement):
        return deleted.group(1).lower() in WATCHED
    if updated := _UPDATE.match(statement):
        watched = WATCHED.get(updated.group(1).lower())
        if watched is None:
            return False
        columns = {c.lower() for c in _SET_COLUMN.findall(updated.group(2))}
        return bool(columns & watched)
    return False


class LinkCache:
    """Per link token, the :class:`CitizenLink` last read, with the time it was read."""

    def __init__(self, ttl_s: float = TTL_S, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._links: dict[str, tuple[float, CitizenLink]] = {}
        #: Counts the clears: a link read before a clear is not kept after it.
        self.generation = 0
        #: Told of each change made here ({"clear": True} or {"forget": token}), for the
        #: other instances' caches.
        self.listener: Callable[[dict[str, Any]], None] | None = None

    def get(self, token: str) -> CitizenLink | None:
        kept = self._links.get(token)
        if kept is None:
            return None
        if time.monotonic() - kept[0] > self.ttl_s:
            del self._links[token]
            return None
        return kept[1]

    def put(self, link: CitizenLink, generation: int) -> None:
        """Keep ``link``, read when :attr:`generation` was ``generation``."""
        if generation != self.generation:
            return  # a write may have changed it while it was read
        now = time.monotonic()
        # Oldest first (dicts keep their order): drop the expired ones, and one over the cap.
        for token, (read_at, _) in list(islice(self._links.items(), 8)):
            if now - read_at <= self.ttl_s and len(self._links) < self.max_entries:
                break
            del self._links[token]
        self._links.pop(link.link_token, None)
        self._links[link.link_token] = (now, link)

    def replace(self, link: CitizenLink) -> None:
        """This instance changed the link's consent: keep the new state (same age)."""
        kept = self._links.get(link.link_token)
        if kept is not None:
            self._links[link.link_token] = (kept[0], link)
        self._tell({"forget": link.link_token})

    def forget(self, token: str) -> None:
        self._links.pop(token, None)
        self._tell({"forget": token})

    def clear(self) -> None:
        self._links.clear()
        self.generation += 1
        self._tell({"clear": True})

    def _tell(self, change: dict[str, Any]) -> None:
        if self.listener is not None:
            self.listener(change)

    def apply(self, change: dict[str, Any]) -> None:
        """Another instance changed links: do the same here (without telling anyone)."""
        if change.get("clear"):
            self._links.clear()
            self.generation += 1
        elif isinstance(token := change.get("forget"), str):
            self._links.pop(token, None)

    def __len__(self) -> int:
        return len(self._links)

    def watch(self, engine: AsyncEngine) -> None:
        """Empty the cache after every statement on ``engine`` that :func:`changes_links`, and
        again when its connection goes back to the pool (after the commit or rollback: a read
        in between saw the old rows)."""

        def after_cursor_execute(
            conn: Any, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any
        ) -> None:
            if statement.lstrip()[:6].upper() in ("UPDATE", "DELETE") and changes_links(statement):
                conn.info[_CHANGED] = True
                self.clear()

        def checkin(_dbapi_conn: Any, record: Any) -> None:
            if record is not None and record.info.pop(_CHANGED, False):
                self.clear()

        event.listen(engine.sync_engine, "after_cursor_execute", after_cursor_execute)
        event.listen(engine.sync_engine.pool, "checkin", checkin)


_CHANGED = "citizen_links_changed"
LINKS: web.AppKey[LinkCache] = web.AppKey("citizen_links", LinkCache)
#: The join's short statements: inline on SQLite, a pool of their own on PostgreSQL.
INLINE_DB: web.AppKey[inline.Inline | None] = web.AppKey("inline_db")


async def citizen_link(app: web.Application, token: str) -> CitizenLink | None:
    """The link of ``token`` (with its newest device check): kept, or read and kept."""
    cache = app[LINKS]
    link = cache.get(token)
    if link is None:
        generation = cache.generation
        statement, params = citizen_link_query(token)
        row = await inline.first(app[INLINE_DB], app[keys.ENGINE], statement, params)
        if row is None:
            return None
        link = citizen_link_of(row)
        cache.put(link, generation)
    return link
