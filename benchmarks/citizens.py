"""Simulated citizens for the waiting-room benchmark: one worker process, many browsers.

Each citizen does what the citizen web app does: read its appointment
(``GET /api/citizen/<token>``), accept the current consent and privacy texts, send a device
check, open ``/ws/citizen`` (offering permessage-deflate, as every current browser does), say
hello and wait in the lobby. Afterwards the worker obeys its parent's commands, sent over a
:mod:`multiprocessing` pipe: enter the waiting room at given times, leave and enter again, report
when the service admitted someone, reconnect to another service instance when the socket's
instance is killed (:mod:`benchmarks.scale`), close. Times are ``time.monotonic()`` readings: on
Linux ``CLOCK_MONOTONIC`` is one clock for all processes, so the parent can subtract them from its
own.
"""

from __future__ import annotations

import asyncio
import gc
import json
import multiprocessing
import random
import resource
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

import aiohttp

#: What a browser on a laptop reports after the device check (the consent text lists these).
DEVICE_CHECK = {
    "browser": "Chrome 131",
    "os": "Windows 11",
    "device_type": "desktop",
    "upload_kbps": 12_000,
    "download_kbps": 48_000,
    "rtt_ms": 23,
    "camera": "ok",
    "microphone": "ok",
    "speaker": "ok",
    "verdict": "green",
}
#: Browsers offer permessage-deflate with a 15-bit window (aiohttp's ``compress=15``).
BROWSER_COMPRESS = 15
ENTER = json.dumps({"type": "enter"})
LEAVE = json.dumps({"type": "leave"})
STEP_TIMEOUT_S = 30.0
#: The page's reconnect delays (resources/web/static/js/room.js), each jittered by ±25 %.
BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0)


def raise_open_file_limit() -> int:
    """Lift the soft limit of open files to the hard one; returns the limit in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


@dataclass
class Citizen:
    """One simulated browser tab."""

    pid: int  # the participant's id in the service (not a process id)
    token: str
    errors: list[str]
    ws: aiohttp.ClientWebSocketResponse | None = None
    phase: str | None = None
    admitted_at: float | None = None
    #: ``advisor_status`` messages heard while waiting (the advisor in another call).
    statuses: int = 0
    #: "admitted" states received on the current socket (more than one: admitted twice).
    admitted_frames: int = 0
    closing: bool = False
    #: Set when the service instance of the socket is about to be killed: its close is expected.
    dropping: bool = False
    dropped_at: float | None = None
    #: "Try again later" refusals while reconnecting (the page retries by itself).
    refusals: int = 0
    _expected: dict[str, asyncio.Future[float]] = field(default_factory=dict)
    _reader: asyncio.Task[None] | None = None

    def expect(self, phase: str) -> asyncio.Future[float]:
        """A future resolved with the time the service puts this citizen into ``phase``."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._expected[phase] = future
        return future

    def error(self, text: str) -> None:
        self.errors.append(f"citizen {self.pid}: {text}")

    async def join(self, http: aiohttp.ClientSession, base_url: str) -> float:
        """The journey up to the lobby; returns how long it took in seconds."""
        started = time.monotonic()
        api = f"{base_url}/api/citizen/{self.token}"
        async with http.get(api) as resp:
            view = await resp.json()
            if resp.status != 200:
                raise RuntimeError(f"GET appointment: {resp.status} {view}")
        consent = {
            "consent_version": view["consent"]["consent_version"],
            "privacy_version": view["consent"]["privacy_version"],
            "language": "de",
        }
        async with http.post(f"{api}/consent", json=consent) as resp:
            body = await resp.json()
            if resp.status != 200 or not body["consent"]["accepted"]:
                raise RuntimeError(f"POST consent: {resp.status} {body}")
        async with http.post(f"{api}/device-check", json=DEVICE_CHECK) as resp:
            body = await resp.json()
            if resp.status != 201:
                raise RuntimeError(f"POST device check: {resp.status} {body}")
        await self.hello(http, base_url, "lobby")
        return time.monotonic() - started

    async def hello(self, http: aiohttp.ClientSession, base_url: str, phase: str) -> float:
        """Open the citizen's socket and say hello; returns when the service put it in
        ``phase`` (a new join: "lobby"; a reconnect keeps the place it had)."""
        self.ws = await http.ws_connect(
            f"{base_url}/ws/citizen", compress=BROWSER_COMPRESS, autoping=True
        )
        self.admitted_frames = 0
        reached = self.expect(phase)
        self._reader = asyncio.create_task(self._read(self.ws), name=f"citizen-{self.pid}")
        await self.ws.send_str(json.dumps({"type": "hello", "token": self.token}))
        # A socket refused with "try again later" closes at once: no need to wait for it.
        either: list[asyncio.Future[Any]] = [reached, self._reader]
        await asyncio.wait(either, timeout=STEP_TIMEOUT_S, return_when="FIRST_COMPLETED")
        if not reached.done():
            reached.cancel()
            raise RuntimeError(
                f"no {phase} but {self.phase} (socket closed: {self.ws.closed}, "
                f"{self.ws.close_code})"
            )
        return reached.result()

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for msg in ws:
            now = time.monotonic()
            if msg.type is not aiohttp.WSMsgType.TEXT:
                self.error(f"unexpected frame {msg.type!r}")
                continue
            data: dict[str, Any] = json.loads(msg.data)
            kind = data.get("type")
            if kind == "state":
                self.phase = str(data["phase"])
                if self.phase == "admitted":
                    self.admitted_at = now
                    self.admitted_frames += 1
                future = self._expected.pop(self.phase, None)
                if future is not None and not future.done():
                    future.set_result(now)
            elif (
                kind == "error"
                and self.dropping
                and data.get("error") == "shared_state_unavailable"
            ):
                self.refusals += 1  # while reconnecting: the page tries again by itself
            elif kind == "error":
                self.error(f"error reply {data.get('error')}: {data.get('message_en')}")
            elif kind == "survey" and self.phase == "ended":
                pass  # after hanging up (the warm-up): the page would offer the survey
            elif kind == "advisor_status" and self.phase == "waiting":
                self.statuses += 1  # the advisor is in another citizen's call (the page says so)
            else:
                self.error(f"unexpected message {kind}")
        if self.dropping:
            self.dropped_at = time.monotonic()
        elif not self.closing:
            self.error(f"socket closed by the service (code {ws.close_code})")

    async def send(self, text: str) -> float:
        """Send one frame; returns the time just before it left."""
        assert self.ws is not None
        sent = time.monotonic()
        await self.ws.send_str(text)
        return sent

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await self._reader


class Worker:
    """The citizens of one process and the commands of the parent."""

    def __init__(
        self,
        conn: Connection,
        base_url: str,
        citizens: list[tuple[int, str]],
        urls: dict[int, str] | None = None,
    ) -> None:
        self.conn = conn
        self.base_url = base_url
        #: A citizen's own service instance, where it is not ``base_url`` (benchmarks.scale).
        self.urls = urls or {}
        self.errors: list[str] = []
        self.citizens = {pid: Citizen(pid, token, self.errors) for pid, token in citizens}
        self.http: aiohttp.ClientSession | None = None

    async def _recv(self) -> Any:
        return await asyncio.get_running_loop().run_in_executor(None, self.conn.recv)

    async def join_all(self, http: aiohttp.ClientSession, concurrency: int) -> dict[str, Any]:
        gate = asyncio.Semaphore(concurrency)
        durations: list[float] = []

        async def one(citizen: Citizen) -> None:
            async with gate:
                try:
                    url = self.urls.get(citizen.pid, self.base_url)
                    durations.append(await citizen.join(http, url))
                except Exception as exc:  # every failure is reported, none is hidden
                    citizen.error(f"join failed: {type(exc).__name__}: {exc}")

        started = time.monotonic()
        await asyncio.gather(*(one(c) for c in self.citizens.values()))
        return {
            "joined": len(durations),
            "durations": durations,
            "seconds": time.monotonic() - started,
            "errors": len(self.errors),
        }

    async def enter(self, t0: float, schedule: list[tuple[int, float]], again: bool) -> Any:
        """Press "enter" at ``t0 + offset`` (after "leave" when ``again``); report send times."""
        sent: dict[int, float] = {}
        waiting: dict[int, asyncio.Future[float]] = {}
        lobby: list[asyncio.Future[float]] = []
        for pid, offset in schedule:
            delay = t0 + offset - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            citizen = self.citizens[pid]
            if citizen.ws is None or citizen.ws.closed:
                continue  # its join failure is already reported
            if again:
                lobby.append(citizen.expect("lobby"))
                await citizen.send(LEAVE)
            waiting[pid] = citizen.expect("waiting")
            sent[pid] = await citizen.send(ENTER)
        replies = [*lobby, *waiting.values()]
        if replies:
            _, pending = await asyncio.wait(replies, timeout=STEP_TIMEOUT_S)
            if pending:
                self.errors.append(f"{len(pending)} state replies missing after enter")
        echo = {pid: f.result() for pid, f in waiting.items() if f.done()}
        return {"sent": sent, "echo": echo}

    async def admitted(self, pids: list[int], deadline: float) -> dict[int, float]:
        """When each of ``pids`` saw phase "admitted" (waiting until ``deadline`` at most)."""
        while time.monotonic() < deadline:
            if all(self.citizens[p].admitted_at is not None for p in pids):
                break
            await asyncio.sleep(0.05)
        return {p: at for p in pids if (at := self.citizens[p].admitted_at) is not None}

    def arm(self, moves: dict[int, str]) -> dict[str, Any]:
        """The instance of the citizens in ``moves`` is about to be killed: their sockets'
        close is expected, and where each reconnects. Returns everyone's phase and the
        citizens admitted more than once so far."""
        for pid, url in moves.items():
            self.citizens[pid].dropping = True
            self.urls[pid] = url
        return {
            "phases": {pid: c.phase for pid, c in self.citizens.items()},
            "admitted_twice": [pid for pid, c in self.citizens.items() if c.admitted_frames > 1],
        }

    async def reconnect(self, pids: list[int], phases: dict[int, str], deadline: float) -> Any:
        """As the page does when its socket drops: open a new one (here at once, to the
        instance the proxy would pick next) and say hello; retried until ``deadline``.
        Returns when each citizen had its phase back, and the ones that never did."""
        assert self.http is not None
        http = self.http
        back: dict[int, float] = {}
        failures: dict[int, str] = {}

        async def one(citizen: Citizen) -> None:
            if citizen._reader is not None:  # it ends when the killed instance's socket drops
                await asyncio.wait([citizen._reader], timeout=deadline - time.monotonic())
            attempt = 0
            while time.monotonic() < deadline:  # a refused socket (1013) is no error yet
                delay = BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)] * random.uniform(0.75, 1.25)
                await asyncio.sleep(min(delay, max(0.0, deadline - time.monotonic())))
                attempt += 1
                try:
                    url = self.urls[citizen.pid]
                    back[citizen.pid] = await citizen.hello(http, url, phases[citizen.pid])
                    citizen.dropping = False
                    return
                except Exception as exc:  # retried like the page; the last one is reported
                    failures[citizen.pid] = f"{type(exc).__name__}: {exc}"
                    if citizen.ws is not None and not citizen.ws.closed:
                        await citizen.ws.close()

        await asyncio.gather(*(one(self.citizens[p]) for p in pids))
        lost = {p: failures.get(p, "no socket drop seen") for p in pids if p not in back}
        refusals = sum(self.citizens[p].refusals for p in pids)
        retried = sum(1 for p in pids if p in failures)
        return {"back": back, "lost": lost, "refusals": refusals, "retried": retried}

    def check(self) -> dict[str, Any]:
        """Everyone's phase now and the citizens admitted more than once on one socket."""
        return self.arm({})

    async def run(self, concurrency: int, keep_alive: bool) -> None:
        # Kept-alive connections, shared by the citizens of this process: as nginx's upstream
        # keepalive pool does (installers/server), and as a browser does for its own calls.
        connector = aiohttp.TCPConnector(limit=0, force_close=not keep_alive)
        async with aiohttp.ClientSession(connector=connector) as http:
            self.http = http
            joined = await self.join_all(http, concurrency)
            # The clients are the instrument: their own collector pauses must not show up as
            # the service's latency, so the long-lived sockets are taken out of its way.
            gc.collect()
            gc.freeze()
            self.conn.send(("joined", joined))
            while True:
                command, *args = await self._recv()
                if command in ("enter", "reenter"):
                    t0, schedule = args
                    reply = await self.enter(t0, schedule, again=command == "reenter")
                    self.conn.send(("entered", reply))
                elif command == "admitted":
                    pids, deadline = args
                    self.conn.send(("admitted", await self.admitted(pids, deadline)))
                elif command == "arm":
                    self.conn.send(("armed", self.arm(args[0])))
                elif command == "reconnect":
                    pids, phases, deadline = args
                    self.conn.send(("reconnected", await self.reconnect(pids, phases, deadline)))
                elif command == "check":
                    self.conn.send(("checked", self.check()))
                elif command == "close":
                    await asyncio.gather(*(c.close() for c in self.citizens.values()))
                    usage = resource.getrusage(resource.RUSAGE_SELF)
                    cpu_s = usage.ru_utime + usage.ru_stime
                    self.conn.send(("closed", {"errors": self.errors, "cpu_s": cpu_s}))
                    return
                else:
                    raise ValueError(f"unknown command {command}")


def worker_main(
    conn: Connection,
    base_url: str,
    citizens: list[tuple[int, str]],
    concurrency: int,
    keep_alive: bool,
    urls: dict[int, str] | None = None,
) -> None:
    """Entry point of a worker process (started with the ``spawn`` method)."""
    raise_open_file_limit()
    try:
        asyncio.run(Worker(conn, base_url, citizens, urls).run(concurrency, keep_alive))
    finally:
        conn.close()


@dataclass
class Workers:
    """The parent's side: the citizen processes and their pipes."""

    procs: list[BaseProcess]
    conns: list[Connection]
    owner: dict[int, int]  # participant id -> worker index

    @classmethod
    def start(
        cls,
        base_url: str,
        citizens: list[tuple[int, str]],
        procs: int,
        concurrency: int,
        keep_alive: bool = True,
        urls: dict[int, str] | None = None,
    ) -> Workers:
        """Spread ``citizens`` (participant id, link token) over ``procs`` new processes
        (``urls``: a citizen's own service instance, where it is not ``base_url``)."""
        ctx = multiprocessing.get_context("spawn")
        shares: list[list[tuple[int, str]]] = [[] for _ in range(procs)]
        owner: dict[int, int] = {}
        for i, (pid, token) in enumerate(citizens):
            shares[i % procs].append((pid, token))
            owner[pid] = i % procs
        started: list[BaseProcess] = []
        conns: list[Connection] = []
        for i, share in enumerate(shares):
            parent, child = ctx.Pipe()
            proc = ctx.Process(
                target=worker_main,
                args=(
                    child,
                    base_url,
                    share,
                    concurrency,
                    keep_alive,
                    {pid: urls[pid] for pid, _ in share if pid in urls} if urls else None,
                ),
                name=f"citizens-{i}",
                daemon=True,
            )
            proc.start()
            child.close()
            started.append(proc)
            conns.append(parent)
        return cls(started, conns, owner)

    async def recv_all(self, expected: str, within: float = 600.0) -> list[Any]:
        """One reply from every process, all of kind ``expected``."""
        loop = asyncio.get_running_loop()

        async def one(conn: Connection) -> Any:
            kind, payload = await loop.run_in_executor(None, conn.recv)
            if kind != expected:
                raise RuntimeError(f"a citizen process answered {kind}, expected {expected}")
            return payload

        return await asyncio.wait_for(asyncio.gather(*(one(c) for c in self.conns)), within)

    def split(self, schedule: list[tuple[int, float]]) -> list[list[tuple[int, float]]]:
        parts: list[list[tuple[int, float]]] = [[] for _ in self.conns]
        for pid, offset in schedule:
            parts[self.owner[pid]].append((pid, offset))
        return parts

    def stop(self) -> None:
        for proc in self.procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
                proc.join(timeout=5)
