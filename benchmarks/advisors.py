"""The advisors' side of the waiting-room benchmark: signed-in console sockets that note when
each event arrives (``time.monotonic()``, comparable with the citizens' processes)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from benchmarks.service import PASSWORD


@dataclass
class Desk:
    """The advisors' console sockets, noting when each event arrives."""

    errors: list[str]
    sockets: list[aiohttp.ClientWebSocketResponse] = field(default_factory=list)
    phase: str = "warmup"
    arrivals: dict[str, dict[int, float]] = field(default_factory=dict)
    admitted: dict[int, float] = field(default_factory=dict)
    events: int = 0
    closing: bool = False
    #: "departed: admitted" heard again for a participant already admitted (benchmarks.scale).
    admitted_twice: int = 0
    #: Advisors (indices) whose instance is about to be killed: their socket's close is expected.
    dropping: set[int] = field(default_factory=set)
    dropped: dict[int, float] = field(default_factory=dict)
    #: Events of the phase "failover" by kind: the service re-tells state after a reconnect.
    failover_events: dict[str, int] = field(default_factory=dict)
    tokens: list[str] = field(default_factory=list)
    _readers: list[asyncio.Task[None]] = field(default_factory=list)
    _news: asyncio.Event = field(default_factory=asyncio.Event)

    async def open(
        self,
        http: aiohttp.ClientSession,
        base_url: str,
        usernames: list[str],
        urls: Sequence[str] | None = None,
    ) -> None:
        """Sign every advisor in and open the console's socket (``urls``: each advisor's own
        service instance, else ``base_url``)."""
        for i, username in enumerate(usernames):
            url = urls[i] if urls is not None else base_url
            body = {"username": username, "password": PASSWORD}
            async with http.post(f"{url}/api/login", json=body) as resp:
                reply = await resp.json()
                if resp.status != 200:
                    raise RuntimeError(f"login {username}: {resp.status} {reply}")
            self.tokens.append(reply["token"])
            self.sockets.append(await self._hello(http, url, username, reply["token"]))
            self._readers.append(asyncio.create_task(self._read(username, i, self.sockets[i])))

    async def _hello(
        self, http: aiohttp.ClientSession, url: str, username: str, token: str
    ) -> aiohttp.ClientWebSocketResponse:
        ws = await http.ws_connect(f"{url}/ws/advisor")  # as the console: no deflate
        await ws.send_str(json.dumps({"type": "hello", "token": token}))
        snapshot = await ws.receive_json(timeout=10)
        if snapshot.get("type") != "waiting":
            raise RuntimeError(f"advisor {username}: no snapshot but {snapshot}")
        return ws

    async def reconnect(
        self, http: aiohttp.ClientSession, index: int, username: str, url: str
    ) -> None:
        """As the console does when its socket drops: a new socket, same sign-in token."""
        self.sockets[index] = await self._hello(http, url, username, self.tokens[index])
        self._readers.append(asyncio.create_task(self._read(username, index, self.sockets[index])))

    async def _read(self, username: str, index: int, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for msg in ws:
            now = time.monotonic()
            self.events += 1
            data: dict[str, Any] = json.loads(msg.data)
            kind = data.get("type")
            admitted = kind == "departed" and data["reason"] == "admitted"
            if self.phase == "failover" and not admitted:
                key = f"{kind}:{data.get('reason', '')}" if kind == "departed" else str(kind)
                self.failover_events[key] = self.failover_events.get(key, 0) + 1
            elif kind == "arrived":
                pid = int(data["entry"]["participant_id"])
                seen = self.arrivals.setdefault(self.phase, {})
                if pid in seen:
                    self.errors.append(f"{username}: participant {pid} arrived twice")
                seen[pid] = now
            elif admitted:
                pid = int(data["participant_id"])
                if pid in self.admitted:
                    self.admitted_twice += 1
                    self.errors.append(f"{username}: participant {pid} admitted twice")
                self.admitted[pid] = now
            elif kind == "departed" and data["reason"] == "left" and self.phase == "again":
                pass
            elif kind == "changed" and not data["entry"]["online"] and self.phase == "closing":
                pass  # the citizens' processes are closing their sockets
            elif kind in ("waiting", "team_waiting"):
                pass  # a new hub (the lease changed hands) tells each console its list again
            elif kind == "presence":
                pass  # an admitted citizen's socket closed or came back: the console shows it
            elif kind == "call_ended" and data["by"] == "participant" and self.phase == "warmup":
                pass  # the warm-up's citizens hang up
            elif kind == "call_ended" and data["by"] == "timeout" and self.phase == "closing":
                pass  # an admitted citizen closed its socket and its grace ran out meanwhile
            else:
                self.errors.append(f"{username}: unexpected event {msg.data[:200]}")
            self._news.set()
        if index in self.dropping:
            self.dropped[index] = time.monotonic()
            self._news.set()
        elif not self.closing:
            self.errors.append(f"{username}: socket closed by the service ({ws.close_code})")

    async def admit(self, advisor: int, pid: int) -> float:
        sent = time.monotonic()
        await self.sockets[advisor].send_str(json.dumps({"type": "admit", "participant_id": pid}))
        return sent

    async def wait_for(self, seen: dict[int, float], pids: Sequence[int], within: float) -> None:
        """Until every one of ``pids`` is in ``seen`` (filled by the readers), or ``within`` s."""
        wanted = set(pids)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(within):
                while len(seen) < len(wanted) or not wanted <= seen.keys():
                    self._news.clear()
                    await self._news.wait()

    async def close(self) -> None:
        self.closing = True
        for ws in self.sockets:
            await ws.close()
        await asyncio.gather(*self._readers)
