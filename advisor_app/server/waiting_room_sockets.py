"""WebSocket endpoints: ``/ws/citizen`` (personal link) and ``/ws/advisor`` (bearer token).

Every frame is a JSON object validated against the protocol models; a malformed, oversized,
binary or out-of-order frame gets a :class:`SocketError` reply and changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web
from pydantic import BaseModel, TypeAdapter, ValidationError

from advisor_app.core.domain import AppointmentStatus, Role
from advisor_app.core.protocol import (
    Admit,
    AdvisorMessage,
    AdvisorSignal,
    CitizenMessage,
    CitizenSignal,
    DeviceCheckOut,
    EndCall,
    Enter,
    HandOver,
    Hangup,
    Hello,
    Leave,
    PeerSignal,
    Ping,
    Pong,
    RoomPhase,
    RoomState,
    SendAway,
    SendNote,
    SocketError,
    ToWaitingRoom,
    WaitingEntry,
)
from advisor_app.core.teams import TeamDirectory
from advisor_app.core.timewindow import AppointmentWindow, LinkState
from advisor_app.server import keys
from advisor_app.server.auth import limit_key
from advisor_app.server.citizen import link_window
from advisor_app.server.link_cache import LINKS, citizen_link
from advisor_app.server.logs import hide
from advisor_app.server.ratelimit import SharedStateUnavailable
from advisor_app.server.refusals import socket_refusal
from advisor_app.server.room_port import Room
from advisor_app.server.statistics import StatisticsRecorder
from advisor_app.server.team_records import AppointmentMoves, load_directory
from advisor_app.server.waiting_room import (
    CLOSE_ENDED,
    CLOSE_RATE_LIMITED,
    CLOSE_UNAUTHORIZED,
    CLOSE_UNKNOWN,
    HEARTBEAT_S,
    HELLO_TIMEOUT_S,
    MAX_MESSAGE_BYTES,
    WaitingRoomHub,
)
from advisor_app.storage.repositories import CitizenLink

if TYPE_CHECKING:
    from advisor_app.server.cluster import Cluster

log = logging.getLogger(__name__)

#: The hub of this instance when it runs alone (tests look into it).
HUB: web.AppKey[WaitingRoomHub] = web.AppKey("hub", WaitingRoomHub)
#: What sockets and handlers use: the hub itself, or on several instances the cluster's client.
ROOM: web.AppKey[Room] = web.AppKey("room")
CLUSTER: web.AppKey[Cluster] = web.AppKey("cluster")

_citizen_messages: TypeAdapter[Any] = TypeAdapter(CitizenMessage)
_advisor_messages: TypeAdapter[Any] = TypeAdapter(AdvisorMessage)

BAD_MESSAGE = socket_refusal("bad_message")
UNKNOWN_LINK = socket_refusal("unknown_link")
SIGNED_OUT = socket_refusal("unauthorized")
ROOM_UNAVAILABLE = socket_refusal("shared_state_unavailable", reason="room")
#: Close code "try again later": the page and the console reconnect by themselves.
CLOSE_TRY_AGAIN = 1013
CONSENT_REQUIRED = socket_refusal("consent_required")


def _citizen_ws() -> web.WebSocketResponse:
    """A citizen's socket. No permessage-deflate: the frames are a few hundred bytes, and each
    deflate context costs a waiting citizen about 100 KiB of service memory (zlib's window and
    hash tables) for nothing."""
    return web.WebSocketResponse(
        heartbeat=HEARTBEAT_S, max_msg_size=MAX_MESSAGE_BYTES, compress=False
    )


@dataclass(frozen=True, slots=True)
class Seat:
    """What a citizen's socket keeps after hello: plain values, no database objects."""

    token: str
    advisor_id: int
    entry: WaitingEntry
    window: AppointmentWindow


#: A refused hello: the message to send and the close code.
Refusal = tuple[BaseModel, int]


async def _send(ws: web.WebSocketResponse, message: BaseModel) -> None:
    if not ws.closed:
        await ws.send_str(message.model_dump_json())


async def _refuse(
    ws: web.WebSocketResponse, error: SocketError, code: int
) -> web.WebSocketResponse:
    await _send(ws, error)
    await ws.close(code=code)
    return ws


def _parse(adapter: TypeAdapter[Any], data: str) -> Any | None:
    try:
        return adapter.validate_json(data)
    except ValidationError:
        return None


async def _hello(ws: web.WebSocketResponse, adapter: TypeAdapter[Any]) -> Hello | None:
    """The first frame must be a hello, within a few seconds."""
    try:
        msg = await ws.receive(timeout=HELLO_TIMEOUT_S)
    except TimeoutError:
        return None
    if msg.type is not WSMsgType.TEXT:
        return None
    parsed = _parse(adapter, msg.data)
    if not isinstance(parsed, Hello):
        return None
    hide(parsed.token)  # nothing this socket logs from now on names its token
    return parsed


def entry_of(link: CitizenLink, now: Any) -> WaitingEntry:
    check = link.device_check
    return WaitingEntry(
        participant_id=link.participant_id,
        appointment_id=link.appointment_id,
        name=link.name,
        role=Role(link.role),
        starts_at=link.starts_at,
        duration_min=link.duration_min,
        waiting_since=now,
        online=True,
        device_check=DeviceCheckOut(**check) if check else None,
        consent_accepted_at=link.consent_accepted_at,
    )


async def _seat(request: web.Request, token: str) -> Seat | Refusal:
    """Look the link up once, in one statement; plain values, no database objects."""
    app = request.app
    now = app[keys.CLOCK].now()
    link = await citizen_link(app, token)
    if link is None:
        return UNKNOWN_LINK, CLOSE_UNKNOWN
    window = link_window(request, link)
    if link.status == AppointmentStatus.CANCELLED.value or window.link_state(now) is (
        LinkState.EXPIRED
    ):
        return RoomState(phase=RoomPhase.CLOSED), CLOSE_ENDED
    if link.consent_version is None:
        return CONSENT_REQUIRED, CLOSE_UNAUTHORIZED
    if link.consent_revoked_at is not None:  # a revocation marks every record
        return RoomState(phase=RoomPhase.REVOKED), CLOSE_ENDED
    return Seat(token, link.advisor_id, entry_of(link, now), window)


async def citizen_socket(request: web.Request) -> web.WebSocketResponse:
    app = request.app
    ws = _citizen_ws()
    await ws.prepare(request)
    try:
        allowed = await app[keys.LIMITER].hit("socket", limit_key(request))
    except SharedStateUnavailable:
        return await _refuse(ws, ROOM_UNAVAILABLE, CLOSE_TRY_AGAIN)
    if not allowed:
        return await _refuse(
            ws,
            socket_refusal("rate_limited", reason="connect"),
            CLOSE_RATE_LIMITED,
        )
    hello = await _hello(ws, _citizen_messages)
    if hello is None:
        return await _refuse(ws, BAD_MESSAGE, CLOSE_UNAUTHORIZED)
    seat = await _seat(request, hello.token)
    if not isinstance(seat, Seat):
        message, code = seat
        await _send(ws, message)
        await ws.close(code=code)
        return ws
    room = app[ROOM]
    token = seat.token
    try:
        await room.attach_citizen(ws, token, seat.advisor_id, seat.entry, seat.window)
    except SharedStateUnavailable:
        return await _refuse(ws, ROOM_UNAVAILABLE, CLOSE_TRY_AGAIN)
    del seat  # the hub holds what is still needed; its entry gets replaced on "enter"
    try:
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                await _send(ws, BAD_MESSAGE)
                continue
            parsed = _parse(_citizen_messages, msg.data)
            try:
                error = await _citizen_step(room, ws, token, parsed, app[keys.CLOCK].now())
            except SharedStateUnavailable:
                error = ROOM_UNAVAILABLE
            if error is not None:
                await _send(ws, error)
    finally:
        room.detach_citizen(ws, token)
    return ws


async def _citizen_step(
    room: Room, ws: web.WebSocketResponse, token: str, parsed: Any, now: datetime
) -> SocketError | None:
    """One frame of a citizen's socket, handed to the room."""
    if isinstance(parsed, Enter):
        return await room.enter(ws, token, now)
    if isinstance(parsed, Leave):
        await room.leave(ws, token)
        return None
    if isinstance(parsed, CitizenSignal):
        return await room.signal_from_citizen(ws, token, parsed.payload)
    if isinstance(parsed, PeerSignal):
        return await room.signal_to_peer(ws, token, parsed.peer, parsed.payload)
    if isinstance(parsed, Hangup):
        return await room.hangup(ws, token)
    if isinstance(parsed, Ping):
        await _send(ws, Pong(seq=parsed.seq))
        return None
    return BAD_MESSAGE


async def advisor_socket(request: web.Request) -> web.WebSocketResponse:
    app = request.app
    ws = web.WebSocketResponse(heartbeat=HEARTBEAT_S, max_msg_size=MAX_MESSAGE_BYTES)
    await ws.prepare(request)
    hello = await _hello(ws, _advisor_messages)
    advisor = await app[keys.AUTH].advisor_for(hello.token) if hello is not None else None
    if advisor is None:
        return await _refuse(ws, SIGNED_OUT, CLOSE_UNAUTHORIZED)
    room = app[ROOM]
    assert hello is not None
    room.set_directory(await load_directory(app[keys.SESSIONS]))  # ``admin team`` runs elsewhere
    try:
        await room.attach_advisor(advisor.id, ws, hello.calls, advisor.display_name)
    except SharedStateUnavailable:
        return await _refuse(ws, ROOM_UNAVAILABLE, CLOSE_TRY_AGAIN)
    watch = asyncio.create_task(_watch_token(app, ws, hello.token), name="advisor-token-watch")
    try:
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                await _send(ws, BAD_MESSAGE)
                continue
            parsed = _parse(_advisor_messages, msg.data)
            error: SocketError | None = None
            if (
                not isinstance(parsed, Ping)
                and await app[keys.AUTH].advisor_for(hello.token) is None
            ):
                # Signed out, disabled or password reset since hello: nothing more is done.
                await _refuse(ws, SIGNED_OUT, CLOSE_UNAUTHORIZED)
                break
            try:
                error = await _advisor_step(room, ws, advisor.id, parsed, app[keys.CLOCK].now())
            except SharedStateUnavailable:
                error = ROOM_UNAVAILABLE
            if error is not None:
                await _send(ws, error)
    finally:
        watch.cancel()
        room.detach_advisor(advisor.id, ws)
    return ws


async def _advisor_step(
    room: Room, ws: web.WebSocketResponse, advisor_id: int, parsed: Any, now: datetime
) -> SocketError | None:
    """One frame of a console's socket, handed to the room."""
    if isinstance(parsed, Admit):
        return await room.admit(advisor_id, parsed.participant_id)
    if isinstance(parsed, SendNote):
        return await room.note(advisor_id, parsed.participant_id, parsed.text, now)
    if isinstance(parsed, SendAway):
        return await room.send_away(advisor_id, parsed.participant_id, parsed.reason)
    if isinstance(parsed, AdvisorSignal):
        return await room.signal_from_advisor(advisor_id, parsed.participant_id, parsed.payload)
    if isinstance(parsed, EndCall):
        return await room.end_call(advisor_id, parsed.participant_id, removed=parsed.remove)
    if isinstance(parsed, ToWaitingRoom):
        return await room.to_waiting_room(advisor_id, parsed.participant_id, now)
    if isinstance(parsed, HandOver):
        return await room.hand_over(
            advisor_id, parsed.participant_id, parsed.to_advisor_id, parsed.note
        )
    if isinstance(parsed, Ping):
        await _send(ws, Pong(seq=parsed.seq))
        return None
    return BAD_MESSAGE


#: How often an idle console's sign-in is checked again (a disable from ``admin`` runs in
#: another process; a sign-out in this one closes the sockets at once).
TOKEN_RECHECK_S = 10.0


async def _watch_token(app: web.Application, ws: web.WebSocketResponse, token: str) -> None:
    """Close the console's socket once its sign-in is gone, even while it sends nothing."""
    while not ws.closed:
        await asyncio.sleep(TOKEN_RECHECK_S)
        try:
            valid = await app[keys.AUTH].advisor_for(token) is not None
        except Exception:  # the database is away for a moment: check again later
            log.warning("could not check a console's sign-in; will try again")
            continue
        if not valid:
            await _refuse(ws, SIGNED_OUT, CLOSE_UNAUTHORIZED)
            return


def _hub(app: web.Application, *, shared: bool = False) -> WaitingRoomHub:
    limiter = app[keys.LIMITER]
    return WaitingRoomHub(
        reconnect_grace_s=app[keys.SETTINGS].service.reconnect_grace_s,
        events=StatisticsRecorder(app[keys.SESSIONS], app[keys.CLOCK]),
        clock=app[keys.CLOCK],
        records=AppointmentMoves(app[keys.SESSIONS], app[keys.CLOCK]),
        admit_grace_min=app[keys.SETTINGS].service.team_admit_grace_minutes,
        enter_limit=lambda token: limiter.hit("enter", token),
        shared=shared,
    )


async def hub_ctx(app: web.Application) -> Any:
    """The waiting room for the service's lifetime: this instance's hub, or with several
    instances (``redis_url``) the cluster's client and, while it holds the lease, the hub."""
    redis_url = app[keys.SETTINGS].service.redis_url
    if not redis_url:
        app[HUB] = _hub(app)
        app[ROOM] = app[HUB]
        yield
        await app[HUB].close()
        return
    from advisor_app.server.cluster import Cluster, redis_client

    async def directory() -> TeamDirectory:
        return await load_directory(app[keys.SESSIONS])

    cluster = Cluster(
        redis_client(redis_url),
        lambda: _hub(app, shared=True),
        directory,
        app[keys.SETTINGS].service.reconnect_grace_s,
        app[keys.CLOCK].now,
        url=redis_url,
    )
    app[CLUSTER] = cluster
    app[ROOM] = cluster.client
    links = app[LINKS]
    links.listener = cluster.publish_links
    cluster.client.on_links = links.apply
    await cluster.start()
    yield
    await cluster.stop()


async def close_sockets(app: web.Application) -> None:
    """On shutdown, close every socket at once instead of waiting out the handlers' timeout
    (several instances: the sockets are told to reconnect to another instance)."""
    if CLUSTER in app:
        await app[CLUSTER].stop()
    else:
        await app[HUB].close()


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/ws/citizen", citizen_socket)
    app.router.add_get("/ws/advisor", advisor_socket)
