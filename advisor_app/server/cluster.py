"""Several service instances: one waiting-room hub for all of them, its state in Redis.

With ``[service] redis_url`` set, every instance serves any citizen's and any console's socket
(no sticky sessions), and the deployment has **one** hub, the :class:`WaitingRoomHub` of
whichever instance holds the leader lease in Redis (``SET NX PX``, renewed every
:data:`RENEW_S`). The hub decides every admission once, as on a single instance; its rules
are the same code.

* **To the hub** (:class:`RoomClient`, on every instance): each socket's frames and each
  handler's call become a validated :data:`Call`, appended to the Redis Stream
  :data:`INBOX` in the order they happened. A stream, not pub/sub: what is appended while the
  lease passes from a dead instance to another waits there for the new hub.
* **From the hub** (:class:`RemoteSocket`): frames for a socket on another instance are
  published to that instance's channel; pub/sub, because a frame is worth nothing to a socket
  that is gone. What a subscriber misses while it is disconnected is rebuilt, not replayed:
  after a reconnect of its subscription, and whenever the lease changes hands, an instance
  attaches all its sockets again, and the hub answers each with the full state (room phase,
  notes, roster; a console's waiting list and team view), exactly as after a socket's own
  reconnect.
* **The state** (:class:`StateStore`): the hub writes each changed place and decision to
  Redis (one key each, expiring when the appointment's links do) within
  :data:`FLUSH_S`. A new hub reads them all, gives each place the reconnect grace, and the
  instances' re-attachments take them up; a request for a socket the new hub does not know yet
  is answered "attach again" and repeated after the attachment.
* **Redis away**: calls fail at once with :class:`SharedStateUnavailable` (the socket is told
  in plain words; new sockets are refused with close code 1013, "try again later", and their
  pages and consoles retry by themselves); the hub's instance that cannot renew its lease
  steps down; when Redis answers again an instance takes the lease and the state up. Redis
  without persistence loses the state; the instances still know the phase each citizen's
  socket was last told and attach with it, so waiting and admitted citizens keep their place.
* **Stopping** (SIGTERM): the hub's instance writes its state and gives the lease up; every
  instance closes its sockets with 1012 ("service restart"), which pages and consoles answer
  by reconnecting, through the proxy, to another instance within the grace.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from advisor_app.core.protocol import (
    AdvisorStatus,
    DeviceCheckOut,
    Note,
    RoomPhase,
    SocketError,
    WaitingEntry,
)
from advisor_app.core.protocol import SignalPayload as Payload
from advisor_app.core.teams import AdvisorState, TeamDirectory
from advisor_app.core.timewindow import AppointmentWindow
from advisor_app.server.ratelimit import SharedStateUnavailable
from advisor_app.server.refusals import socket_refusal
from advisor_app.server.waiting_room import Presence, Socket, WaitingRoomHub

log = logging.getLogger(__name__)

LEADER_KEY = "ac:hub:leader"
EPOCH_KEY = "ac:hub:epoch"
INBOX = "ac:hub:in"
#: The last inbox entry the hub handled: where the next hub starts reading.
DONE_KEY = "ac:hub:in:done"
ALL_CHANNEL = "ac:gw:all"
#: Each instance's heartbeat key (expires when the instance dies).
ALIVE_PREFIX = "ac:alive:"
LINKS_CHANNEL = "ac:links"
NAMES_KEY = "ac:hub:names"
PLACE_PREFIX = "ac:place:"
DECISION_PREFIX = "ac:decision:"
#: How often the hub looks at the instances' heartbeat keys; a key lives ALIVE_TTL_S (long
#: enough for a busy instance's late renewal: a false "dead" would detach all its sockets).
ALIVE_S = 1.0
ALIVE_TTL_S = 10.0
#: The leader lease (ms), renewed every RENEW_S seconds; a dead hub is replaced within it.
LEASE_MS = 3000
RENEW_S = 0.5
#: Lease and heartbeat are renewed from a thread while the event loop turned within this
#: many seconds: a busy hub keeps its lease, a stuck one (or a dead process) loses it.
LOOP_STALL_S = 6.0
#: Requests the hub handles at the same time.
HUB_CONCURRENCY = 64
#: How often the hub writes changed places to Redis.
FLUSH_S = 0.2
#: How often a call is repeated after attaching its socket again to a hub that did not
#: know it (each time the lease changed hands in between).
ATTACH_AGAIN = 3
#: How long a call waits for the hub's answer before it is given up as unavailable.
CALL_TIMEOUT_S = 10.0
#: Inbox entries older than this are not acted on by a new hub (their callers gave up).
STALE_MS = int(CALL_TIMEOUT_S * 1000)
INBOX_MAXLEN = 100_000
#: Close code for a socket of an instance that stops: "service restart", reconnect elsewhere.
CLOSE_RESTART = 1012


def gateway_channel(instance: str) -> str:
    return f"ac:gw:{instance}"


def _digest(token: str) -> str:
    """Keys name a digest of the link token, not the token (it is in the value only)."""
    return hashlib.sha256(token.encode()).hexdigest()[:32]


# --- what travels to the hub -------------------------------------------------------------------


class _Citizen(BaseModel):
    ws: int
    token: str


class AttachCitizen(_Citizen):
    op: Literal["attach_citizen"] = "attach_citizen"
    advisor_id: int
    entry: WaitingEntry
    window: AppointmentWindow
    resume: RoomPhase | None = None


class Enter(_Citizen):
    op: Literal["enter"] = "enter"
    now: datetime


class Leave(_Citizen):
    op: Literal["leave"] = "leave"


class SignalFromCitizen(_Citizen):
    op: Literal["signal_from_citizen"] = "signal_from_citizen"
    payload: Payload


class SignalToPeer(_Citizen):
    op: Literal["signal_to_peer"] = "signal_to_peer"
    peer_id: int
    payload: Payload


class Hangup(_Citizen):
    op: Literal["hangup"] = "hangup"


class DetachCitizen(_Citizen):
    op: Literal["detach_citizen"] = "detach_citizen"


class _Advisor(BaseModel):
    ws: int
    advisor_id: int


class AttachAdvisor(_Advisor):
    op: Literal["attach_advisor"] = "attach_advisor"
    calls: list[int] | None = None
    name: str = ""


class DetachAdvisor(_Advisor):
    op: Literal["detach_advisor"] = "detach_advisor"


class Admit(_Advisor):
    op: Literal["admit"] = "admit"
    participant_id: int


class SendNote(_Advisor):
    op: Literal["note"] = "note"
    participant_id: int
    text: str
    now: datetime


class SendAway(_Advisor):
    op: Literal["send_away"] = "send_away"
    participant_id: int
    reason: str


class SignalFromAdvisor(_Advisor):
    op: Literal["signal_from_advisor"] = "signal_from_advisor"
    participant_id: int
    payload: Payload


class EndCall(_Advisor):
    op: Literal["end_call"] = "end_call"
    participant_id: int
    removed: bool = False


class ToWaitingRoom(_Advisor):
    op: Literal["to_waiting_room"] = "to_waiting_room"
    participant_id: int
    now: datetime


class HandOver(_Advisor):
    op: Literal["hand_over"] = "hand_over"
    participant_id: int
    to_id: int
    note: str


class ReloadDirectory(BaseModel):
    op: Literal["reload_directory"] = "reload_directory"


class EndPresence(BaseModel):
    op: Literal["end_presence"] = "end_presence"
    advisor_id: int
    token: str
    reason: str


class Revoke(BaseModel):
    op: Literal["revoke"] = "revoke"
    advisor_id: int
    token: str
    participant_id: int
    appointment_id: int


class UpdateDeviceCheck(BaseModel):
    op: Literal["update_device_check"] = "update_device_check"
    token: str
    check: DeviceCheckOut


class SignOut(BaseModel):
    op: Literal["sign_out"] = "sign_out"
    advisor_id: int


class Reassigned(BaseModel):
    op: Literal["reassigned"] = "reassigned"
    appointment_id: int
    from_id: int
    to_id: int


class AdvisorStates(BaseModel):
    op: Literal["advisor_states"] = "advisor_states"
    advisor_ids: list[int]


class InCall(BaseModel):
    op: Literal["in_call"] = "in_call"
    appointment_id: int


Call = Annotated[
    AttachCitizen
    | Enter
    | Leave
    | SignalFromCitizen
    | SignalToPeer
    | Hangup
    | DetachCitizen
    | AttachAdvisor
    | DetachAdvisor
    | Admit
    | SendNote
    | SendAway
    | SignalFromAdvisor
    | EndCall
    | ToWaitingRoom
    | HandOver
    | ReloadDirectory
    | EndPresence
    | Revoke
    | UpdateDeviceCheck
    | SignOut
    | Reassigned
    | AdvisorStates
    | InCall,
    Field(discriminator="op"),
]


class Request(BaseModel):
    """One inbox entry: who asks (instance, request number; 0: no answer wanted), when."""

    n: str
    q: int
    t: int
    call: Call


_requests: TypeAdapter[Request] = TypeAdapter(Request)
_CITIZEN_OPS = (Enter, Leave, SignalFromCitizen, SignalToPeer, Hangup)
_ADVISOR_OPS = (Admit, SendNote, SendAway, SignalFromAdvisor, EndCall, ToWaitingRoom, HandOver)


# --- the state in Redis -------------------------------------------------------------------------


class PlaceRecord(BaseModel):
    """A :class:`Presence` as the shared state keeps it (no sockets, no timers)."""

    token: str
    advisor_id: int
    entry: WaitingEntry
    phase: RoomPhase
    window: AppointmentWindow
    notes: list[Note] = []
    reason: str | None = None
    survey_ticket: str | None = None
    entered_told: bool = False
    roster: tuple[int, ...] = ()
    status: AdvisorStatus | None = None
    handover_note: str | None = None

    @classmethod
    def of(cls, p: Presence) -> PlaceRecord:
        return cls(
            token=p.token,
            advisor_id=p.advisor_id,
            entry=p.entry,
            phase=p.phase,
            window=p.window,
            notes=p.notes,
            reason=p.reason,
            survey_ticket=p.survey_ticket,
            entered_told=p.entered_told,
            roster=p.roster,
            status=p.status,
            handover_note=p.handover_note,
        )

    def presence(self) -> Presence:
        return Presence(
            self.token,
            self.advisor_id,
            self.entry,
            self.phase,
            self.window,
            notes=list(self.notes),
            reason=self.reason,
            survey_ticket=self.survey_ticket,
            entered_told=self.entered_told,
            roster=self.roster,
            status=self.status,
            handover_note=self.handover_note,
        )


class StateStore:
    """Writes the hub's changed places and decisions to Redis; reads them all for a new hub."""

    def __init__(self, redis: Any, grace_s: float, now: Callable[[], datetime]) -> None:
        self.redis = redis
        self.grace_s = grace_s
        self.now = now
        self._names: dict[int, str] = {}
        #: One write at a time: a later state never overtaken by an earlier one.
        self._lock = asyncio.Lock()

    def _ttl(self, window: AppointmentWindow) -> int:
        left = (window.room_closes_at - self.now()).total_seconds()
        return max(60, int(left + self.grace_s))

    async def flush(self, hub: WaitingRoomHub) -> None:
        async with self._lock:
            await self._flush(hub)

    async def _flush(self, hub: WaitingRoomHub) -> None:
        assert hub.changed is not None
        assert hub.changed_decisions is not None
        # Emptied in place: every presence adds to this very set.
        places, decisions = set(hub.changed), set(hub.changed_decisions)
        hub.changed.clear()
        hub.changed_decisions.clear()
        names = dict(hub.advisor_names)
        if not places and not decisions and names == self._names:
            return
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for token in places:
                    p = hub.place(token)
                    key = PLACE_PREFIX + _digest(token)
                    if p is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, PlaceRecord.of(p).model_dump_json(), ex=self._ttl(p.window))
                for token in decisions:
                    d = hub.decision(token)
                    key = DECISION_PREFIX + _digest(token)
                    if d is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, PlaceRecord.of(d).model_dump_json(), ex=self._ttl(d.window))
                if names != self._names and names:
                    pipe.hset(NAMES_KEY, mapping={str(k): v for k, v in names.items()})
                    pipe.expire(NAMES_KEY, 86400)
                await pipe.execute()
            self._names = names
        except Exception:
            # Written again with the next change; a hub that cannot write steps down soon.
            hub.changed.update(places)
            hub.changed_decisions.update(decisions)
            raise

    async def _records(self, prefix: str) -> list[Presence]:
        keys = [key async for key in self.redis.scan_iter(match=prefix + "*", count=1000)]
        found: list[Presence] = []
        for start in range(0, len(keys), 1000):
            for raw in await self.redis.mget(keys[start : start + 1000]):
                if raw is None:
                    continue
                try:
                    found.append(PlaceRecord.model_validate_json(raw).presence())
                except ValidationError:
                    log.warning("a place in the shared state could not be read; left out")
        return found

    async def load(self) -> tuple[list[Presence], list[Presence], dict[int, str]]:
        names = {int(k): v for k, v in (await self.redis.hgetall(NAMES_KEY)).items()}
        self._names = dict(names)
        return await self._records(PLACE_PREFIX), await self._records(DECISION_PREFIX), names


# --- the hub's side -------------------------------------------------------------------------------


class Outbox:
    """Frames from the hub to other instances' sockets, published in order, batched.

    ``before``: awaited before each batch goes out (the hub's state is written first, so
    nothing a page or console was told is lost with the hub's instance)."""

    def __init__(self, redis: Any, before: Callable[[], Awaitable[None]] | None = None) -> None:
        self.redis = redis
        self.before = before
        self._frames: dict[str, list[dict[str, Any]]] = {}
        self._ready = asyncio.Event()

    def put(self, instance: str, frame: dict[str, Any]) -> None:
        self._frames.setdefault(instance, []).append(frame)
        self._ready.set()

    async def run(self) -> None:
        while True:
            await self._ready.wait()
            self._ready.clear()
            frames, self._frames = self._frames, {}
            try:
                if self.before is not None:
                    await self.before()
                async with self.redis.pipeline(transaction=False) as pipe:
                    for instance, batch in frames.items():
                        pipe.publish(gateway_channel(instance), json.dumps(batch))
                    await pipe.execute()
            except Exception:
                log.warning("could not publish %d frames to the instances", len(frames))


class RemoteSocket:
    """A socket held by another (or this) instance, as the hub sees it."""

    __slots__ = ("_closed", "instance", "outbox", "sid")

    def __init__(self, outbox: Outbox, instance: str, sid: int) -> None:
        self.outbox = outbox
        self.instance = instance
        self.sid = sid
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    async def send_str(self, data: str, compress: int | None = None) -> None:
        if not self._closed:
            self.outbox.put(self.instance, {"s": self.sid, "t": data})

    async def close(self, *, code: int = 1000, message: bytes = b"", drain: bool = True) -> bool:
        if self._closed:
            return False
        self._closed = True
        self.outbox.put(self.instance, {"s": self.sid, "c": code})
        return True


class Lease:
    """The hub's lease in Redis, as this instance holds it."""

    def __init__(self, redis: Any, value: str) -> None:
        self.redis = redis
        self.value = value
        #: When the last renewal that succeeded was sent (monotonic): the lease runs at
        #: least LEASE_MS from then.
        self.renewed = time.monotonic()

    def fresh(self) -> bool:
        """Renewed so recently that no other instance can hold the lease now (a margin of
        one renewal for the clocks)."""
        return time.monotonic() - self.renewed < LEASE_MS / 1000 - RENEW_S

    def renew_in(self, pipe: Any) -> Callable[[Any], bool]:
        """Queue the renewal in ``pipe``; call the result with its reply (True: still ours)."""
        sent = time.monotonic()
        pipe.eval(_RENEW, 1, LEADER_KEY, self.value, LEASE_MS)

        def done(reply: Any) -> bool:
            if reply:
                self.renewed = max(self.renewed, sent)
            return bool(reply)

        return done

    async def renew(self) -> bool:
        async with self.redis.pipeline(transaction=False) as pipe:
            done = self.renew_in(pipe)
            (reply,) = await pipe.execute()
        return done(reply)


class HubHost:
    """Runs the deployment's hub on this instance while it holds the lease."""

    def __init__(
        self,
        redis: Any,
        hub: WaitingRoomHub,
        store: StateStore,
        reload_directory: Callable[[], Awaitable[TeamDirectory]],
        lease: Lease | None = None,
    ) -> None:
        self.redis = redis
        self.lease = lease
        #: Requests not acted on because their callers had given up (for the log).
        self.skipped = 0
        self.hub = hub
        self.store = store
        self.reload_directory = reload_directory
        self.outbox = Outbox(redis, lambda: store.flush(hub))
        self._sockets: dict[tuple[str, int], RemoteSocket] = {}
        self._locks: dict[tuple[str, int], asyncio.Lock] = {}
        #: Which citizen's token or advisor each socket attached for.
        self._owners: dict[tuple[str, int], tuple[str, str | int]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        #: Requests handled at once: a read of a thousand entries must not become a thousand
        #: Redis connections (each "enter" counts its limit there).
        self._busy = asyncio.Semaphore(HUB_CONCURRENCY)
        self._runners: list[asyncio.Task[None]] = []
        self._stopped = False

    def start(self, start_id: str) -> None:
        self._runners = [
            asyncio.create_task(self.outbox.run(), name="hub-outbox"),
            asyncio.create_task(self._consume(start_id), name="hub-inbox"),
            asyncio.create_task(self._flush(), name="hub-state"),
            asyncio.create_task(self._watch_instances(), name="hub-instances"),
        ]

    async def stop(self, *, write: bool) -> None:
        # The inbox's blocking read ends by itself within its block time; cancelling it in
        # the middle of redis-py's read has been seen to hang.
        self._stopped = True
        for task in self._runners:
            if task.get_name() != "hub-inbox":
                task.cancel()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(3.0):
                await asyncio.gather(*self._runners, return_exceptions=True)
        for task in self._runners:
            task.cancel()
        if write:
            with contextlib.suppress(Exception):
                await self.store.flush(self.hub)
        for task in list(self._tasks):
            task.cancel()
        self.hub.abandon()

    async def _watch_instances(self) -> None:
        """An instance that died (SIGKILL) sends no detach: when its heartbeat key is gone,
        its sockets are detached here, so their places get the reconnect grace."""
        while True:
            await asyncio.sleep(ALIVE_S)
            instances = {instance for instance, _ in self._owners}
            if not instances:
                continue
            try:
                alive = await self.redis.mget([ALIVE_PREFIX + i for i in sorted(instances)])
            except Exception:
                log.warning("could not read the instances' heartbeats; will try again")
                continue
            for instance, beat in zip(sorted(instances), alive, strict=True):
                if beat is None:
                    self._instance_gone(instance)

    def _instance_gone(self, instance: str) -> None:
        gone = [ref for ref in self._owners if ref[0] == instance]
        log.warning(
            "instance %s is gone: its %d sockets wait for their reconnect", instance, len(gone)
        )
        for ref in gone:
            kind, key = self._owners.pop(ref)
            ws = self._socket(*ref)
            if kind == "c":
                self.hub.detach_citizen(ws, str(key))
            else:
                self.hub.detach_advisor(int(key), ws)
            self._gone(ref)

    def _socket(self, instance: str, sid: int) -> RemoteSocket:
        ref = (instance, sid)
        ws = self._sockets.get(ref)
        if ws is None:
            ws = self._sockets[ref] = RemoteSocket(self.outbox, instance, sid)
        return ws

    async def _flush(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_S)
            try:
                await self.store.flush(self.hub)
            except Exception:
                log.warning("could not write the waiting room's state to Redis; will retry")

    async def _consume(self, last_id: str) -> None:
        while not self._stopped:
            try:
                answer = await self.redis.xread({INBOX: last_id}, count=1000, block=500)
            except asyncio.CancelledError:
                raise
            except Exception:
                await asyncio.sleep(0.2)
                continue
            if answer and self.lease is not None and not self.lease.fresh():
                # This instance was held up (a busy or stopped event loop) for longer than
                # a renewal: another instance may lead now. Nothing is done without the lease.
                with contextlib.suppress(Exception):
                    if not await self.lease.renew():
                        self._stopped = True
            if self._stopped:
                return  # what was read waits for the next hub (DONE_KEY is not moved)
            now_ms = int(time.time() * 1000)
            for _stream, entries in answer or ():
                for entry_id, fields in entries:
                    last_id = entry_id
                    self._take(fields.get("r", ""), now_ms)
            if answer:
                with contextlib.suppress(Exception):
                    await self.redis.set(DONE_KEY, last_id, ex=3600)
            if self.skipped:
                log.warning("skipped %d requests whose callers had given up", self.skipped)
                self.skipped = 0

    def _take(self, raw: str, now_ms: int) -> None:
        try:
            request = _requests.validate_json(raw)
        except ValidationError:
            log.warning("an inbox entry was not a valid request; ignored")
            return
        if request.q and now_ms - request.t > STALE_MS:
            # Its caller has given up (and said so). A call nobody waits for (a socket's
            # detach, a device check) is never skipped: it would be lost for good.
            self.skipped += 1
            return
        call = request.call
        ref = (request.n, call.ws) if isinstance(call, _Citizen | _Advisor) else None
        task = asyncio.create_task(self._handle(request, ref))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, request: Request, ref: tuple[str, int] | None) -> None:
        if ref is None:
            async with self._busy:
                await self._answer(request)
            return
        lock = self._locks.get(ref)
        if lock is None:
            lock = self._locks[ref] = asyncio.Lock()
        async with lock, self._busy:  # one socket's frames in their order
            await self._answer(request)

    def _reply(self, request: Request, frame: dict[str, Any]) -> None:
        if request.q:
            self.outbox.put(request.n, {"r": request.q, **frame})

    async def _answer(self, request: Request) -> None:
        hub, call, n = self.hub, request.call, request.n
        try:
            result = await self._run(hub, call, n)
        except SharedStateUnavailable as exc:  # the entry limit's Redis did not answer in time
            log.warning("the waiting room could not handle a %s: %s", call.op, exc)
            self._reply(request, {"e": _UNAVAILABLE})
            return
        except Exception:
            log.exception("the waiting room could not handle a %s", call.op)
            self._reply(request, {"e": socket_refusal("not_allowed").model_dump(mode="json")})
            return
        if result is _RETRY:
            self._reply(request, {"retry": True})
        elif isinstance(result, SocketError):
            self._reply(request, {"e": result.model_dump(mode="json")})
        else:
            self._reply(request, {"v": result})

    async def _run(self, hub: WaitingRoomHub, call: Any, n: str) -> Any:
        if isinstance(call, _Citizen):
            ws = self._socket(n, call.ws)
            if isinstance(call, AttachCitizen):
                self._owners[(n, call.ws)] = ("c", call.token)
                await hub.attach_citizen(
                    ws, call.token, call.advisor_id, call.entry, call.window, call.resume
                )
                return None
            if isinstance(call, DetachCitizen):
                hub.detach_citizen(ws, call.token)
                self._gone((n, call.ws))
                return None
            if not hub.knows_citizen(ws, call.token):
                return _RETRY
        if isinstance(call, _Advisor):
            ws = self._socket(n, call.ws)
            if isinstance(call, AttachAdvisor):
                self._owners[(n, call.ws)] = ("a", call.advisor_id)
                await hub.attach_advisor(call.advisor_id, ws, call.calls, call.name)
                return None
            if isinstance(call, DetachAdvisor):
                hub.detach_advisor(call.advisor_id, ws)
                self._gone((n, call.ws))
                return None
            if not hub.knows_advisor(call.advisor_id, ws):
                return _RETRY
        match call:
            case Enter():
                return await hub.enter(ws, call.token, call.now)
            case Leave():
                await hub.leave(ws, call.token)
                return None
            case SignalFromCitizen():
                return await hub.signal_from_citizen(ws, call.token, call.payload)
            case SignalToPeer():
                return await hub.signal_to_peer(ws, call.token, call.peer_id, call.payload)
            case Hangup():
                return await hub.hangup(ws, call.token)
            case Admit():
                return await hub.admit(call.advisor_id, call.participant_id)
            case SendNote():
                return await hub.note(call.advisor_id, call.participant_id, call.text, call.now)
            case SendAway():
                return await hub.send_away(call.advisor_id, call.participant_id, call.reason)
            case SignalFromAdvisor():
                return await hub.signal_from_advisor(
                    call.advisor_id, call.participant_id, call.payload
                )
            case EndCall():
                return await hub.end_call(
                    call.advisor_id, call.participant_id, removed=call.removed
                )
            case ToWaitingRoom():
                return await hub.to_waiting_room(call.advisor_id, call.participant_id, call.now)
            case HandOver():
                return await hub.hand_over(
                    call.advisor_id, call.participant_id, call.to_id, call.note
                )
            case ReloadDirectory():
                hub.set_directory(await self.reload_directory())
                return None
            case EndPresence():
                await hub.end_presence(call.advisor_id, call.token, call.reason)
                return None
            case Revoke():
                await hub.revoke(
                    call.advisor_id, call.token, call.participant_id, call.appointment_id
                )
                return None
            case UpdateDeviceCheck():
                await hub.update_device_check(call.token, call.check)
                return None
            case SignOut():
                await hub.sign_out(call.advisor_id)
                return None
            case Reassigned():
                await hub.reassigned(call.appointment_id, call.from_id, call.to_id)
                return None
            case AdvisorStates():
                return {str(k): v for k, v in (await hub.advisor_states(call.advisor_ids)).items()}
            case InCall():
                return await hub.in_call(call.appointment_id)
        raise AssertionError(f"unhandled call {call.op}")

    def _gone(self, ref: tuple[str, int]) -> None:
        self._owners.pop(ref, None)
        ws = self._sockets.pop(ref, None)
        if ws is not None:
            ws._closed = True
        self._locks.pop(ref, None)


_RETRY = object()
_UNAVAILABLE = socket_refusal("shared_state_unavailable", reason="room").model_dump(mode="json")
#: How a RoomState frame starts (pydantic dumps the fields in their order, ``type`` first).
_ROOM_STATE = '{"type":"state",'
#: The frames a hub sends again when a socket attaches (RoomState, Note, SurveyOffer, Roster).
_REPLAYED = (_ROOM_STATE, '{"type":"note",', '{"type":"survey",', '{"type":"roster",')


# --- every instance: its sockets and the calls it hands to the hub ------------------------------


@dataclass(slots=True)
class _Local:
    """A socket of this instance: how to attach it again, and what its page was last told."""

    ws: Socket
    attach: AttachCitizen | AttachAdvisor
    phase: RoomPhase | None = None
    #: The state, notes, roster and survey offer the page was sent (a re-attachment's replay
    #: of them is not sent twice: a page must not show a note twice or start its call again).
    told: set[str] = field(default_factory=set)
    #: A re-attachment is under way (until the hub's answer to it arrives).
    replaying: bool = False


class RoomClient:
    """The waiting room as every instance's sockets and handlers use it
    (:class:`~advisor_app.server.room_port.Room`)."""

    def __init__(self, redis: Any, instance: str) -> None:
        self.redis = redis
        self.instance = instance
        self._sids = itertools.count(1)
        self._numbers = itertools.count(1)
        self._local: dict[int, _Local] = {}
        self._by_ws: dict[int, int] = {}  # id(ws) → sid
        self._consoles: dict[int, set[int]] = {}  # advisor id → sids
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._replays: dict[int, _Local] = {}
        self._queue: list[str] = []
        self._ready = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        #: The subscription is live (False while Redis is away: calls fail at once).
        self.available = False
        self.on_links: Callable[[dict[str, Any]], None] | None = None

    # --- sending ---------------------------------------------------------------------------

    def _post(self, call: BaseModel, q: int = 0) -> None:
        request = Request(n=self.instance, q=q, t=int(time.time() * 1000), call=call)
        self._queue.append(request.model_dump_json())
        self._ready.set()
        self._idle.clear()

    async def run_writer(self) -> None:
        """Append the queued calls to the inbox, in order, a pipeline at a time."""
        while True:
            await self._ready.wait()
            self._ready.clear()
            batch, self._queue = self._queue, []
            while batch:
                try:
                    async with self.redis.pipeline(transaction=False) as pipe:
                        for raw in batch:
                            pipe.xadd(INBOX, {"r": raw}, maxlen=INBOX_MAXLEN, approximate=True)
                        await pipe.execute()
                    batch = []
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.warning("Redis is away: %d calls wait for it", len(batch))
                    await asyncio.sleep(0.5)
            if not self._queue:
                self._idle.set()

    async def _ask(self, call: BaseModel) -> dict[str, Any]:
        if not self.available:
            raise SharedStateUnavailable("the waiting room's shared state is away")
        q = next(self._numbers)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[q] = future
        self._post(call, q)
        try:
            async with asyncio.timeout(CALL_TIMEOUT_S):
                return await future
        except TimeoutError:
            raise SharedStateUnavailable("the waiting room's hub did not answer") from None
        finally:
            self._pending.pop(q, None)

    async def _result(self, call: BaseModel, ws: Socket | None = None) -> Any:
        """Ask the hub; a hub that does not know the socket yet (a new hub, before this
        instance attached its sockets to it) gets it attached again and is asked again."""
        answer = await self._ask(call)
        for _ in range(ATTACH_AGAIN):
            local = self._local.get(self._by_ws.get(id(ws), -1)) if ws is not None else None
            if not answer.get("retry") or local is None:
                break
            self._attach_again(local)
            answer = await self._ask(call)
        if answer.get("retry"):
            if ws is not None and id(ws) in self._by_ws:
                # The hub changed again meanwhile: late, not refused; the page asks again.
                op = getattr(call, "op", "call")
                log.warning("the waiting room's hub did not take a socket: its %s is refused", op)
                raise SharedStateUnavailable("the hub does not know the socket")
            return socket_refusal("not_allowed")  # no such socket (here): nothing to attach
        if "e" in answer:
            return SocketError.model_validate(answer["e"])
        return answer.get("v")

    async def _error(self, call: BaseModel, ws: Socket | None = None) -> SocketError | None:
        result = await self._result(call, ws)
        return result if isinstance(result, SocketError) else None

    def _sid(self, ws: Socket) -> int:
        return self._by_ws.get(id(ws), 0)

    # --- receiving ---------------------------------------------------------------------------

    async def deliver(self, frames: list[dict[str, Any]]) -> None:
        for frame in frames:
            if "r" in frame:
                replayed = self._replays.pop(frame["r"], None)
                if replayed is not None:
                    replayed.replaying = False
                future = self._pending.get(frame["r"])
                if future is not None and not future.done():
                    future.set_result(frame)
                continue
            local = self._local.get(frame.get("s", -1))
            if local is None:
                continue
            ws = local.ws
            if "t" in frame:
                text = frame["t"]
                if isinstance(local.attach, AttachCitizen) and text.startswith(_REPLAYED):
                    if local.replaying and text in local.told:
                        continue
                    local.told.add(text)
                    if text.startswith(_ROOM_STATE):
                        with contextlib.suppress(ValueError, KeyError):
                            local.phase = RoomPhase(json.loads(text)["phase"])
                if not ws.closed:
                    with contextlib.suppress(ConnectionError, RuntimeError):
                        await ws.send_str(text)
            elif "c" in frame:
                with contextlib.suppress(ConnectionError, RuntimeError):
                    await ws.close(code=int(frame["c"]))

    def _attach_again(self, local: _Local) -> None:
        """Attach a socket again, with the phase its page was last told; the hub's replay of
        what the page has seen is held back (:meth:`deliver`)."""
        if isinstance(local.attach, AttachCitizen):
            local.attach = local.attach.model_copy(update={"resume": local.phase})
            local.replaying = True
        q = next(self._numbers)
        self._replays[q] = local
        self._post(local.attach, q)

    def reattach(self) -> None:
        """Tell the (new) hub about every socket of this instance; it answers each with the
        whole state, as after a reconnect."""
        for local in self._local.values():
            self._attach_again(local)
        if self._local:
            log.info("attached %d sockets again to the waiting room's hub", len(self._local))

    def fail_pending(self) -> None:
        for future in self._pending.values():
            if not future.done():
                future.set_exception(SharedStateUnavailable("Redis is away"))

    async def drain(self) -> None:
        """Wait until what is queued reached the inbox (bound it with a timeout)."""
        await self._idle.wait()

    @property
    def sockets(self) -> list[Socket]:
        return [local.ws for local in self._local.values()]

    # --- the Room interface: a citizen's socket ------------------------------------------------

    async def attach_citizen(
        self,
        ws: Socket,
        token: str,
        advisor_id: int,
        entry: WaitingEntry,
        window: AppointmentWindow,
        resume: RoomPhase | None = None,
    ) -> None:
        if not self.available:
            raise SharedStateUnavailable("the waiting room's shared state is away")
        sid = next(self._sids)
        attach = AttachCitizen(
            ws=sid, token=token, advisor_id=advisor_id, entry=entry, window=window, resume=resume
        )
        self._local[sid] = _Local(ws, attach)
        self._by_ws[id(ws)] = sid
        try:
            result = await self._result(attach)
        except BaseException:
            # Refused (1013) or gone: if the hub takes the attachment late, the detach that
            # follows it in the inbox lets it go again.
            self.detach_citizen(ws, token)
            raise
        if isinstance(result, SocketError):
            self.detach_citizen(ws, token)
            raise SharedStateUnavailable("the hub did not take the socket")

    async def enter(self, ws: Socket, token: str, now: datetime) -> SocketError | None:
        return await self._error(Enter(ws=self._sid(ws), token=token, now=now), ws)

    async def leave(self, ws: Socket, token: str) -> None:
        await self._result(Leave(ws=self._sid(ws), token=token), ws)

    async def signal_from_citizen(
        self, ws: Socket, token: str, payload: Payload
    ) -> SocketError | None:
        call = SignalFromCitizen(ws=self._sid(ws), token=token, payload=payload)
        return await self._error(call, ws)

    async def signal_to_peer(
        self, ws: Socket, token: str, peer_id: int, payload: Payload
    ) -> SocketError | None:
        call = SignalToPeer(ws=self._sid(ws), token=token, peer_id=peer_id, payload=payload)
        return await self._error(call, ws)

    async def hangup(self, ws: Socket, token: str) -> SocketError | None:
        return await self._error(Hangup(ws=self._sid(ws), token=token), ws)

    def detach_citizen(self, ws: Socket, token: str) -> None:
        sid = self._by_ws.pop(id(ws), None)
        if sid is not None and self._local.pop(sid, None) is not None:
            self._post(DetachCitizen(ws=sid, token=token))

    # --- an advisor's socket -------------------------------------------------------------------

    async def attach_advisor(
        self, advisor_id: int, ws: Socket, calls: list[int] | None = None, name: str = ""
    ) -> None:
        if not self.available:
            raise SharedStateUnavailable("the waiting room's shared state is away")
        sid = next(self._sids)
        self._local[sid] = _Local(ws, AttachAdvisor(ws=sid, advisor_id=advisor_id, name=name))
        self._by_ws[id(ws)] = sid
        self._consoles.setdefault(advisor_id, set()).add(sid)
        try:
            await self._result(AttachAdvisor(ws=sid, advisor_id=advisor_id, calls=calls, name=name))
        except BaseException:
            self.detach_advisor(advisor_id, ws)
            raise

    def detach_advisor(self, advisor_id: int, ws: Socket) -> None:
        sid = self._by_ws.pop(id(ws), None)
        if sid is not None and self._local.pop(sid, None) is not None:
            self._post(DetachAdvisor(ws=sid, advisor_id=advisor_id))
            consoles = self._consoles.get(advisor_id, set())
            consoles.discard(sid)
            if not consoles:
                self._consoles.pop(advisor_id, None)

    async def admit(self, advisor_id: int, participant_id: int) -> SocketError | None:
        sid = self._sid_of_advisor(advisor_id)
        call = Admit(ws=sid, advisor_id=advisor_id, participant_id=participant_id)
        return await self._error(call, self._ws_of(sid))

    def _sid_of_advisor(self, advisor_id: int) -> int:
        """A console of ``advisor_id`` on this instance (the first: a console's frames keep
        their order), for the hub's check that it knows the advisor's socket."""
        return min(self._consoles.get(advisor_id, ()), default=0)

    def _ws_of(self, sid: int) -> Socket | None:
        local = self._local.get(sid)
        return local.ws if local is not None else None

    async def note(
        self, advisor_id: int, participant_id: int, text: str, now: datetime
    ) -> SocketError | None:
        sid = self._sid_of_advisor(advisor_id)
        call = SendNote(
            ws=sid, advisor_id=advisor_id, participant_id=participant_id, text=text, now=now
        )
        return await self._error(call, self._ws_of(sid))

    async def send_away(
        self, advisor_id: int, participant_id: int, reason: str
    ) -> SocketError | None:
        sid = self._sid_of_advisor(advisor_id)
        call = SendAway(ws=sid, advisor_id=advisor_id, participant_id=participant_id, reason=reason)
        return await self._error(call, self._ws_of(sid))

    async def signal_from_advisor(
        self, advisor_id: int, participant_id: int, payload: Payload
    ) -> SocketError | None:
        sid = self._sid_of_advisor(advisor_id)
        call = SignalFromAdvisor(
            ws=sid, advisor_id=advisor_id, participant_id=participant_id, payload=payload
        )
        return await self._error(call, self._ws_of(sid))

    async def end_call(
        self, advisor_id: int, participant_id: int, *, removed: bool = False
    ) -> SocketError | None:
        sid = self._sid_of_advisor(advisor_id)
        call = EndCall(
            ws=sid, advisor_id=advisor_id, participant_id=participant_id, removed=removed
        )
        return await self._error(call, self._ws_of(sid))

    async def to_waiting_room(
        self, advisor_id: int, participant_id: int, now: datetime
    ) -> SocketError | None:
        sid = self._sid_of_advisor(advisor_id)
        call = ToWaitingRoom(ws=sid, advisor_id=advisor_id, participant_id=participant_id, now=now)
        return await self._error(call, self._ws_of(sid))

    async def hand_over(
        self, advisor_id: int, participant_id: int, to_id: int, note: str
    ) -> SocketError | None:
        sid = self._sid_of_advisor(advisor_id)
        call = HandOver(
            ws=sid, advisor_id=advisor_id, participant_id=participant_id, to_id=to_id, note=note
        )
        return await self._error(call, self._ws_of(sid))

    # --- the service's handlers ------------------------------------------------------------------

    def set_directory(self, directory: TeamDirectory) -> None:
        """The hub reads the teams from the database itself (it may run elsewhere)."""
        if self.available:
            self._post(ReloadDirectory())

    async def end_presence(self, advisor_id: int, token: str, reason: str) -> None:
        await self._result(EndPresence(advisor_id=advisor_id, token=token, reason=reason))

    async def revoke(
        self, advisor_id: int, token: str, participant_id: int, appointment_id: int
    ) -> None:
        call = Revoke(
            advisor_id=advisor_id,
            token=token,
            participant_id=participant_id,
            appointment_id=appointment_id,
        )
        await self._result(call)

    async def update_device_check(self, token: str, check: DeviceCheckOut) -> None:
        """Handed over without waiting for the hub: the check is stored already, the hub only
        shows it to the advisor (and a socket attached later reads it with its link)."""
        self._post(UpdateDeviceCheck(token=token, check=check))

    async def sign_out(self, advisor_id: int) -> None:
        await self._result(SignOut(advisor_id=advisor_id))

    async def reassigned(self, appointment_id: int, from_id: int, to_id: int) -> None:
        await self._result(Reassigned(appointment_id=appointment_id, from_id=from_id, to_id=to_id))

    async def advisor_states(self, advisor_ids: Iterable[int]) -> dict[int, AdvisorState]:
        found = await self._result(AdvisorStates(advisor_ids=list(advisor_ids)))
        return {int(k): v for k, v in (found or {}).items()}

    async def in_call(self, appointment_id: int) -> bool:
        return bool(await self._result(InCall(appointment_id=appointment_id)))

    async def close(self) -> None:
        """Every socket of this instance is told to reconnect (elsewhere)."""
        sockets = self.sockets
        await asyncio.gather(
            *(ws.close(code=CLOSE_RESTART) for ws in sockets), return_exceptions=True
        )


def redis_client(url: str) -> Any:
    """redis-py's asyncio client for ``url`` (strings in and out, short timeouts: a Redis
    that is away must be noticed within seconds, not after the kernel's TCP timeout)."""
    import redis.asyncio as aioredis

    return aioredis.Redis.from_url(
        url,
        decode_responses=True,
        socket_connect_timeout=2.0,
        socket_timeout=5.0,
        health_check_interval=10,
    )


def new_instance_id() -> str:
    return f"{os.uname().nodename[:20]}-{os.getpid()}-{secrets.token_hex(3)}"


class Keeper:
    """Renews this instance's heartbeat and, while it leads, the lease, from a thread of its
    own (redis-py's synchronous client), so that a hub whose event loop is held up for
    seconds (thousands of arrivals on a loaded machine) keeps its lease and its sockets, and
    the other instances do not take over only to be flooded with every socket's attachment.
    It renews only while the loop turned within :data:`LOOP_STALL_S`: a stuck loop loses the
    lease after that plus the lease's 3 s, a dead process within the 3 s, as before."""

    def __init__(self, url: str, instance: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_connect_timeout=2.0, socket_timeout=2.0)
        self.instance = instance
        #: The lease while this instance holds it (set and cleared by the event loop).
        self.lease: Lease | None = None
        self._loop_seen = time.monotonic()
        self._handle: asyncio.TimerHandle | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cluster-keeper", daemon=True)

    def start(self) -> None:
        self._seen()
        self._thread.start()

    def _seen(self) -> None:
        self._loop_seen = time.monotonic()
        self._handle = asyncio.get_running_loop().call_later(RENEW_S, self._seen)

    def _run(self) -> None:
        while not self._stop.wait(RENEW_S):
            if time.monotonic() - self._loop_seen > LOOP_STALL_S:
                continue  # the loop is stuck: let the lease and the heartbeat run out
            lease = self.lease
            sent = time.monotonic()
            try:
                pipe = self.client.pipeline(transaction=False)
                pipe.set(ALIVE_PREFIX + self.instance, "1", px=int(1000 * ALIVE_TTL_S))
                if lease is not None:
                    pipe.eval(_RENEW, 1, LEADER_KEY, lease.value, LEASE_MS)
                replies = pipe.execute()
            except Exception as exc:  # the event loop's own calls notice a Redis that is away
                log.debug("the lease keeper could not reach Redis (%s)", type(exc).__name__)
                continue
            if lease is not None and replies[1]:
                lease.renewed = max(lease.renewed, sent)

    def stop(self) -> None:
        self._stop.set()
        if self._handle is not None:
            self._handle.cancel()
        self._thread.join(timeout=3.0)
        with contextlib.suppress(Exception):
            self.client.close()


class Cluster:
    """This instance's part of a deployment of several: its :class:`RoomClient`, and the hub
    while it holds the lease."""

    def __init__(
        self,
        redis: Any,
        make_hub: Callable[[], WaitingRoomHub],
        reload_directory: Callable[[], Awaitable[TeamDirectory]],
        grace_s: float,
        now: Callable[[], datetime],
        instance: str | None = None,
        url: str | None = None,
    ) -> None:
        self.redis = redis
        self.instance = instance or new_instance_id()
        #: ``url``: Redis' address, for the thread that keeps the lease (none without it).
        self.keeper = Keeper(url, self.instance) if url else None
        self.client = RoomClient(redis, self.instance)
        self.make_hub = make_hub
        self.reload_directory = reload_directory
        self.store = StateStore(redis, grace_s, now)
        self.host: HubHost | None = None
        self._lease: Lease | None = None
        self._leader: str | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False
        self._link_changes: list[dict[str, Any]] = []
        self._links_sender: asyncio.Task[None] | None = None

    @property
    def leading(self) -> bool:
        return self.host is not None

    async def start(self) -> None:
        if self.keeper is not None:
            self.keeper.start()
        self._tasks = [
            asyncio.create_task(self.client.run_writer(), name="cluster-writer"),
            asyncio.create_task(self._listen(), name="cluster-listen"),
            asyncio.create_task(self._elect(), name="cluster-lease"),
        ]

    # --- the subscription: frames for this instance's sockets, leader changes, links ---------

    async def _listen(self) -> None:
        channels = (gateway_channel(self.instance), ALL_CHANNEL, LINKS_CHANNEL)
        first = True
        while not self._stopping:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(*channels)
                self.client.available = True
                if not first:
                    log.info("Redis answers again: the waiting room is rebuilt")
                    self.client.reattach()  # whatever was published meanwhile is lost
                first = False
                while not self._stopping:
                    message = await pubsub.get_message(timeout=0.5)
                    if message is None:
                        continue
                    await self._on_message(message["channel"], message["data"])
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self.client.available:
                    log.warning("Redis is away (%s): new sockets are refused", type(exc).__name__)
                self.client.available = False
                self.client.fail_pending()
                await asyncio.sleep(0.5)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()

    async def _on_message(self, channel: str, data: str) -> None:
        if channel == ALL_CHANNEL:
            leader = json.loads(data).get("leader")
            self._leader_seen(leader)
        elif channel == LINKS_CHANNEL:
            message = json.loads(data)
            if message.get("n") != self.instance and self.client.on_links is not None:
                for change in message.get("changes", ()):
                    self.client.on_links(change)
        else:
            await self.client.deliver(json.loads(data))

    def _leader_seen(self, leader: str | None) -> None:
        if leader and leader != self._leader:
            changed = self._leader is not None
            self._leader = leader
            if changed:
                self.client.reattach()

    def publish_links(self, change: dict[str, Any]) -> None:
        """Tell the other instances that citizen links changed (their caches forget them).
        The changes of one turn of the event loop go out as one message (a join changes its
        link twice, and joins come in crowds)."""
        if change.get("clear"):
            self._link_changes = [change]  # forgets everything, whatever was to be forgotten
        else:
            self._link_changes.append(change)
        if self._links_sender is None or self._links_sender.done():
            self._links_sender = asyncio.create_task(self._send_links(), name="cluster-links")

    async def _send_links(self) -> None:
        await asyncio.sleep(0)  # what the other handlers of this turn change comes along
        while self._link_changes:
            changes, self._link_changes = self._link_changes, []
            message = json.dumps({"n": self.instance, "changes": changes})
            try:
                await self.redis.publish(LINKS_CHANNEL, message)
            except Exception:  # the other caches forget it after their TTL (30 s)
                log.warning("could not tell the other instances of %d changed links", len(changes))

    # --- the lease ---------------------------------------------------------------------------

    async def _elect(self) -> None:
        while not self._stopping:
            try:
                # One round trip: the heartbeat, the lease's renewal (while this instance
                # holds it) and who holds it now.
                lease = self._lease if self.host is not None else None
                async with self.redis.pipeline(transaction=False) as pipe:
                    pipe.set(ALIVE_PREFIX + self.instance, "1", px=int(1000 * ALIVE_TTL_S))
                    renewed = lease.renew_in(pipe) if lease is not None else None
                    pipe.get(LEADER_KEY)
                    replies = await pipe.execute()
                current = replies[-1]
                if renewed is not None and not renewed(replies[1]):
                    log.warning("the waiting room's lease went to another instance")
                    await self._step_down(write=False)
                elif lease is None and current is None and await self._try_lead():
                    current = self._lease.value if self._lease is not None else None
                if current is not None:
                    self._leader_seen(current)
            except asyncio.CancelledError:
                raise
            except Exception:
                if self.host is not None:
                    # Whatever it decides now it could not tell anyone; the instances attach
                    # their sockets (with the phase each was last told) to the next hub.
                    log.warning("Redis is away: this instance stops being the waiting room's hub")
                    await self._step_down(write=False)
            await asyncio.sleep(RENEW_S)

    async def _try_lead(self) -> bool:
        """Take the lease if nobody holds it (True: this instance is the hub now)."""
        epoch = await self.redis.incr(EPOCH_KEY)
        # With a nonce: a Redis that lost everything counts epochs from 1 again, and the
        # instances must still see that the lease changed hands.
        lease = f"{self.instance}/{epoch}/{secrets.token_hex(4)}"
        if not await self.redis.set(LEADER_KEY, lease, nx=True, px=LEASE_MS):
            return False
        self._lease = Lease(self.redis, lease)
        if self.keeper is not None:
            self.keeper.lease = self._lease  # kept while the state is loaded, too
        try:
            # Where the last hub stopped; without a record (a Redis that lost it), from the
            # start: calls older than STALE_MS are skipped, what came while no hub ran is not.
            start_id = await self.redis.get(DONE_KEY) or "0-0"
            places, decisions, names = await self.store.load()
        except BaseException:
            if self.keeper is not None:
                self.keeper.lease = None  # it runs out: another instance (or this one) retries
            raise
        hub = self.make_hub()
        hub.restore(places, decisions, names)
        self.host = HubHost(self.redis, hub, self.store, self.reload_directory, self._lease)
        self.host.start(start_id)
        log.info(
            "this instance is the waiting room's hub (lease %s; %d places taken over)",
            epoch,
            len(places),
        )
        await self.redis.publish(ALL_CHANNEL, json.dumps({"leader": lease}))
        return True

    async def _step_down(self, *, write: bool) -> None:
        if self.keeper is not None:
            self.keeper.lease = None
        host, self.host = self.host, None
        if host is not None:
            await host.stop(write=write)

    # --- stopping ------------------------------------------------------------------------------

    async def stop(self) -> None:
        """SIGTERM: write the state and give the lease up; tell this instance's sockets to
        reconnect (elsewhere); hand the last calls to Redis (bounded)."""
        if self._stopping:
            return
        self._stopping = True
        if self.host is not None and self._lease is not None:
            await self._step_down(write=True)
            with contextlib.suppress(Exception):
                await self.redis.eval(_RELEASE, 1, LEADER_KEY, self._lease.value)
        await self.client.close()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(2.0):
                await self.client.drain()
        # The subscription and the lease loops end by themselves within their wait.
        self._tasks[0].cancel()  # the writer
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(3.0):
                await asyncio.gather(*self._tasks, return_exceptions=True)
        for task in self._tasks:
            task.cancel()
        if self.keeper is not None:
            await asyncio.to_thread(self.keeper.stop)
        with contextlib.suppress(Exception):
            await self.redis.aclose()


#: Extend the lease only while it is still ours.
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
#: Give the lease up only while it is still ours.
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""
