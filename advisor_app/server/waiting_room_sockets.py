"""WebSocket endpoints: ``/ws/citizen`` (personal link) and ``/ws/advisor`` (bearer token).

Every frame is a JSON object validated against the protocol models; a malformed, oversized,
binary or out-of-order frame gets a :class:`SocketError` reply and changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

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
from advisor_app.core.timewindow import AppointmentWindow, LinkState
from advisor_app.server import keys
from advisor_app.server.auth import limit_key
from advisor_app.server.citizen import link_window
from advisor_app.server.link_cache import citizen_link
from advisor_app.server.logs import hide
from advisor_app.server.refusals import socket_refusal
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

log = logging.getLogger(__name__)

HUB: web.AppKey[WaitingRoomHub] = web.AppKey("hub", WaitingRoomHub)

_citizen_messages: TypeAdapter[Any] = TypeAdapter(CitizenMessage)
_advisor_messages: TypeAdapter[Any] = TypeAdapter(AdvisorMessage)

BAD_MESSAGE = socket_refusal("bad_message")
UNKNOWN_LINK = socket_refusal("unknown_link")
SIGNED_OUT = socket_refusal("unauthorized")
TOO_MANY_ENTRIES = socket_refusal("rate_limited", reason="entries")
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
    if not await app[keys.LIMITER].hit("socket", limit_key(request)):
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
    hub = app[HUB]
    presence = await hub.attach_citizen(ws, seat.token, seat.advisor_id, seat.entry, seat.window)
    del seat  # the presence holds what is still needed; its entry gets replaced on "enter"
    try:
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                await _send(ws, BAD_MESSAGE)
                continue
            parsed = _parse(_citizen_messages, msg.data)
            error: SocketError | None = None
            if isinstance(parsed, Enter):
                if presence.phase is not RoomPhase.WAITING and not await app[keys.LIMITER].hit(
                    "enter", presence.token
                ):
                    error = TOO_MANY_ENTRIES  # each entry rings at the advisor's console
                else:
                    error = await hub.enter(presence, app[keys.CLOCK].now())
            elif isinstance(parsed, Leave):
                await hub.leave(presence)
            elif isinstance(parsed, CitizenSignal):
                error = await hub.signal_from_citizen(presence, parsed.payload)
            elif isinstance(parsed, PeerSignal):
                error = await hub.signal_to_peer(presence, parsed.peer, parsed.payload)
            elif isinstance(parsed, Hangup):
                error = await hub.hangup(presence)
            elif isinstance(parsed, Ping):
                await _send(ws, Pong(seq=parsed.seq))
            else:
                error = BAD_MESSAGE
            if error is not None:
                await _send(ws, error)
    finally:
        hub.detach_citizen(presence, ws)
    return ws


async def advisor_socket(request: web.Request) -> web.WebSocketResponse:
    app = request.app
    ws = web.WebSocketResponse(heartbeat=HEARTBEAT_S, max_msg_size=MAX_MESSAGE_BYTES)
    await ws.prepare(request)
    hello = await _hello(ws, _advisor_messages)
    advisor = await app[keys.AUTH].advisor_for(hello.token) if hello is not None else None
    if advisor is None:
        return await _refuse(ws, SIGNED_OUT, CLOSE_UNAUTHORIZED)
    hub = app[HUB]
    assert hello is not None
    hub.set_directory(await load_directory(app[keys.SESSIONS]))  # ``admin team`` runs elsewhere
    await hub.attach_advisor(advisor.id, ws, hello.calls, advisor.display_name)
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
            if isinstance(parsed, Admit):
                error = await hub.admit(advisor.id, parsed.participant_id)
            elif isinstance(parsed, SendNote):
                error = await hub.note(
                    advisor.id, parsed.participant_id, parsed.text, app[keys.CLOCK].now()
                )
            elif isinstance(parsed, SendAway):
                error = await hub.send_away(advisor.id, parsed.participant_id, parsed.reason)
            elif isinstance(parsed, AdvisorSignal):
                error = await hub.signal_from_advisor(
                    advisor.id, parsed.participant_id, parsed.payload
                )
            elif isinstance(parsed, EndCall):
                error = await hub.end_call(advisor.id, parsed.participant_id, removed=parsed.remove)
            elif isinstance(parsed, ToWaitingRoom):
                error = await hub.to_waiting_room(
                    advisor.id, parsed.participant_id, app[keys.CLOCK].now()
                )
            elif isinstance(parsed, HandOver):
                error = await hub.hand_over(
                    advisor.id, parsed.participant_id, parsed.to_advisor_id, parsed.note
                )
            elif isinstance(parsed, Ping):
                await _send(ws, Pong(seq=parsed.seq))
            else:
                error = BAD_MESSAGE
            if error is not None:
                await _send(ws, error)
    finally:
        watch.cancel()
        hub.detach_advisor(advisor.id, ws)
    return ws


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


async def hub_ctx(app: web.Application) -> Any:
    """The waiting-room hub for the service's lifetime; its events feed the statistics."""
    app[HUB] = WaitingRoomHub(
        reconnect_grace_s=app[keys.SETTINGS].service.reconnect_grace_s,
        events=StatisticsRecorder(app[keys.SESSIONS], app[keys.CLOCK]),
        clock=app[keys.CLOCK],
        records=AppointmentMoves(app[keys.SESSIONS], app[keys.CLOCK]),
        admit_grace_min=app[keys.SETTINGS].service.team_admit_grace_minutes,
    )
    yield
    await app[HUB].close()


async def close_sockets(app: web.Application) -> None:
    """On shutdown, close every socket at once instead of waiting out the handlers' timeout."""
    await app[HUB].close()


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/ws/citizen", citizen_socket)
    app.router.add_get("/ws/advisor", advisor_socket)
