"""The live waiting room: citizens' and advisors' WebSockets, presence and admission.

The service is the only place where admission happens: a citizen's socket is bound to one
participant (by the personal link), that participant to one appointment and that appointment
to one advisor. Nothing a browser sends can reach another appointment or skip the waiting room.
State lives in memory per service instance; a reload or a dropped network resumes it within
``reconnect_grace_s`` without a new consent.

A place in the room belongs to the personal link's token, never to a bare participant id: a
socket finds its presence by the token it said hello with. When the advisor removes a
participant from the appointment or cancels it, :meth:`WaitingRoomHub.end_presence` ends the
place at once and closes its sockets. The advisor's decisions (sent away, removed from the
call) stick until the appointment is over, also after the socket's reconnect grace.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from aiohttp import WSCloseCode, web
from pydantic import BaseModel, TypeAdapter

from advisor_app.core.clock import Clock, SystemClock
from advisor_app.core.protocol import (
    MAX_CALL_PARTICIPANTS,
    AdvisorMessage,
    AdvisorSignal,
    Arrived,
    CallEnded,
    CitizenMessage,
    CitizenSignal,
    ConsentRevoked,
    Departed,
    DeviceCheckOut,
    EntryChanged,
    Note,
    PeerPresence,
    PeerSignal,
    RoomPhase,
    RoomState,
    Roster,
    RosterEntry,
    SocketError,
    SurveyOffer,
    WaitingEntry,
    WaitingSnapshot,
)
from advisor_app.core.protocol import SignalPayload as Payload
from advisor_app.core.timewindow import AppointmentWindow, LinkState
from advisor_app.server.refusals import socket_refusal

log = logging.getLogger(__name__)

_citizen_messages: TypeAdapter[Any] = TypeAdapter(CitizenMessage)
_advisor_messages: TypeAdapter[Any] = TypeAdapter(AdvisorMessage)

#: Large enough for an SDP offer with its candidates; everything else is a few hundred bytes.
MAX_MESSAGE_BYTES = 64 * 1024
#: Signaling frames a participant may send per minute (a negotiation needs a few dozen).
MAX_SIGNALS_PER_MINUTE = 300
HELLO_TIMEOUT_S = 10.0
HEARTBEAT_S = 15.0
#: Close codes (4000–4999 are for applications).
CLOSE_UNAUTHORIZED = 4401
CLOSE_UNKNOWN = 4404
CLOSE_RATE_LIMITED = 4429
CLOSE_ENDED = 4410


_NOT_IN_CALL = socket_refusal("not_in_call")
_TOO_MANY_SIGNALS = socket_refusal("rate_limited", reason="signals")


_CALL_FULL = socket_refusal("call_full", max=MAX_CALL_PARTICIPANTS)


class RoomEvents(Protocol):
    """What the anonymous statistics learn from the room (see ``server/statistics.py``)."""

    async def entered(self, entry: WaitingEntry) -> None: ...

    async def admitted(self, entry: WaitingEntry) -> None: ...

    async def call_ended(self, entry: WaitingEntry) -> str | None:
        """Returns a survey ticket for the participant's closing page, or None."""
        ...


_REMOVED = socket_refusal("removed")


@dataclass(slots=True)
class Presence:
    """One participant known to the hub (connected now, or within the reconnect grace)."""

    #: The personal link's token: what the place is bound to.
    token: str
    advisor_id: int
    entry: WaitingEntry
    phase: RoomPhase
    window: AppointmentWindow
    sockets: set[web.WebSocketResponse] = field(default_factory=set)
    notes: list[Note] = field(default_factory=list)
    gone: asyncio.TimerHandle | None = None
    #: Why the advisor sent the participant away; repeated to a socket that reconnects.
    reason: str | None = None
    #: Signaling frames in the current minute (start of the minute, count): a flood guard.
    signal_window: tuple[float, int] = (0.0, 0)
    #: The survey ticket offered after the call, repeated to a socket that reconnects.
    survey_ticket: str | None = None
    #: The statistics know that this participant entered (written once, not on every enter).
    entered_told: bool = False
    #: The other participants of the call this participant was last told about (the roster).
    roster: tuple[int, ...] = ()


#: How long closing waits for notifications still being sent or written.
CLOSE_WAIT_S = 2.0


class WaitingRoomHub:
    """All waiting rooms of this service instance."""

    def __init__(
        self,
        reconnect_grace_s: float = 30.0,
        events: RoomEvents | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.reconnect_grace_s = reconnect_grace_s
        self._events = events
        self._clock = clock or SystemClock()
        #: Presences by the personal link's token.
        self._people: dict[str, Presence] = {}
        #: Participant id → token, for the advisor's messages (which name ids).
        self._ids: dict[int, str] = {}
        #: Decisions that outlive the presence (token → presence with phase and reason):
        #: sent away, removed from the call. Kept until the appointment's link expires.
        self._decisions: dict[str, Presence] = {}
        self._advisors: dict[int, set[web.WebSocketResponse]] = {}
        #: Advisors whose last console went away: when the grace runs out, their calls end.
        self._advisor_gone: dict[int, asyncio.TimerHandle] = {}
        #: Advisors' display names, for the rosters of group calls.
        self._advisor_names: dict[int, str] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._closing = False

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run a notification from a synchronous callback, keeping a reference to it."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- queries -------------------------------------------------------------------------

    def waiting_for(self, advisor_id: int) -> list[WaitingEntry]:
        entries = [
            p.entry
            for p in self._people.values()
            if p.advisor_id == advisor_id and p.phase is RoomPhase.WAITING
        ]
        return sorted(entries, key=lambda e: (e.starts_at, e.waiting_since))

    def _by_id(self, participant_id: int) -> Presence | None:
        token = self._ids.get(participant_id)
        return self._people.get(token) if token is not None else None

    def phase_of(self, participant_id: int) -> RoomPhase | None:
        presence = self._by_id(participant_id)
        return presence.phase if presence else None

    def present(self, participant_id: int) -> bool:
        """The hub holds a place for this participant (connected or within the grace)."""
        return self._by_id(participant_id) is not None

    def is_admitted(self, participant_id: int) -> bool:
        return self.phase_of(participant_id) is RoomPhase.ADMITTED

    # --- sending -------------------------------------------------------------------------

    @staticmethod
    async def _send_text(ws: web.WebSocketResponse, text: str) -> None:
        if ws.closed:
            return
        with contextlib.suppress(ConnectionError, RuntimeError):
            await ws.send_str(text)

    async def _send(self, ws: web.WebSocketResponse, message: BaseModel) -> None:
        await self._send_text(ws, message.model_dump_json())

    async def _fan_out(self, sockets: list[web.WebSocketResponse], message: BaseModel) -> None:
        """Serialise once; a single socket (the usual case) is sent to without a task."""
        if not sockets:
            return
        text = message.model_dump_json()
        if len(sockets) == 1:
            await self._send_text(sockets[0], text)
        else:  # side by side, so one slow socket does not hold up the others
            await asyncio.gather(*(self._send_text(ws, text) for ws in sockets))

    async def _to_advisor(self, advisor_id: int, message: BaseModel) -> None:
        await self._fan_out(list(self._advisors.get(advisor_id, ())), message)

    async def _to_citizen(self, presence: Presence, message: BaseModel) -> None:
        await self._fan_out(list(presence.sockets), message)

    # --- citizen side --------------------------------------------------------------------

    async def attach_citizen(
        self,
        ws: web.WebSocketResponse,
        token: str,
        advisor_id: int,
        entry: WaitingEntry,
        window: AppointmentWindow,
    ) -> Presence:
        """A citizen's socket said hello with ``token``; resume the phase that link had, or
        start in the lobby (or where a lasting decision of the advisor left it)."""
        presence = self._people.get(token)
        pid = entry.participant_id
        if presence is not None and (
            presence.advisor_id != advisor_id or presence.entry.participant_id != pid
        ):  # never: the token names one participant of one appointment for good
            await self._drop(presence)
            presence = None
        stale = self._ids.get(entry.participant_id)
        if stale is not None and stale != token and stale in self._people:
            await self._drop(self._people[stale])  # a place under another link: not this one's
        if presence is None:
            presence = Presence(token, advisor_id, entry, RoomPhase.LOBBY, window)
            decided = self._decisions.get(token)
            if decided is not None:
                presence.phase, presence.reason = decided.phase, decided.reason
            self._people[token] = presence
            self._ids[entry.participant_id] = token
        if presence.gone is not None:
            presence.gone.cancel()
            presence.gone = None
        presence.sockets.add(ws)
        presence.window = window
        await self._send(ws, RoomState(phase=presence.phase, reason=presence.reason))
        for note in presence.notes:
            await self._send(ws, note)
        if presence.phase is RoomPhase.ENDED and presence.survey_ticket is not None:
            await self._send(ws, SurveyOffer(ticket=presence.survey_ticket))
        if presence.phase is RoomPhase.WAITING and not presence.entry.online:
            presence.entry = presence.entry.model_copy(update={"online": True})
            await self._to_advisor(advisor_id, EntryChanged(entry=presence.entry))
        elif presence.phase is RoomPhase.ADMITTED and len(presence.sockets) == 1:
            await self._to_advisor(
                advisor_id, PeerPresence(participant_id=entry.participant_id, online=True)
            )
        if presence.phase is RoomPhase.ADMITTED and presence.roster:
            await self._send(ws, self._roster_of(presence))
        return presence

    async def enter(self, presence: Presence, now: datetime) -> SocketError | None:
        state = presence.window.link_state(now)
        if state is LinkState.DEVICE_TEST_ONLY:
            return socket_refusal("too_early")
        if state is LinkState.EXPIRED:
            return socket_refusal("too_late")
        if presence.phase is RoomPhase.WAITING:
            return None  # a second "enter" (double click, second tab) changes nothing
        if presence.phase is RoomPhase.ENDED and presence.reason == "removed":
            return _REMOVED  # the advisor's decision sticks
        if presence.phase not in (RoomPhase.LOBBY, RoomPhase.ENDED):
            return socket_refusal("not_allowed")
        presence.phase = RoomPhase.WAITING
        presence.entry = presence.entry.model_copy(update={"waiting_since": now, "online": True})
        await self._to_citizen(presence, RoomState(phase=RoomPhase.WAITING))
        await self._to_advisor(presence.advisor_id, Arrived(entry=presence.entry))
        if self._events is not None and not presence.entered_told:
            presence.entered_told = True
            # In the background: a burst of arrivals must not wait for the database.
            self._spawn(self._tell(self._events.entered(presence.entry)))
        return None

    async def _tell(self, event: Coroutine[Any, Any, Any]) -> Any:
        """Statistics must never break the room: a failure is logged, the room goes on."""
        try:
            return await event
        except Exception:
            log.exception("statistics: could not record a room event")
            return None

    async def _ended(self, presence: Presence, reason: str | None = None) -> None:
        """The participant's call is over: the closing page, then (citizens) the survey."""
        presence.phase = RoomPhase.ENDED
        presence.survey_ticket = None
        presence.reason = reason  # "removed" is said again after a reload
        await self._to_citizen(presence, RoomState(phase=RoomPhase.ENDED, reason=reason))
        await self._update_rosters(presence)
        if self._events is not None:
            ticket = await self._tell(self._events.call_ended(presence.entry))
            if ticket is not None:
                presence.survey_ticket = ticket
                await self._to_citizen(presence, SurveyOffer(ticket=ticket))

    async def leave(self, presence: Presence) -> None:
        if presence.phase is RoomPhase.WAITING:
            presence.phase = RoomPhase.LOBBY
            await self._to_advisor(
                presence.advisor_id,
                Departed(participant_id=presence.entry.participant_id, reason="left"),
            )
        await self._to_citizen(presence, RoomState(phase=presence.phase))

    def _signal_allowed(self, presence: Presence) -> bool:
        now = asyncio.get_running_loop().time()
        start, count = presence.signal_window
        if now - start >= 60.0:
            start, count = now, 0
        presence.signal_window = (start, count + 1)
        return count < MAX_SIGNALS_PER_MINUTE

    async def signal_from_citizen(self, presence: Presence, payload: Payload) -> SocketError | None:
        """Relay one negotiation step to the advisor: only for an admitted participant."""
        if presence.phase is not RoomPhase.ADMITTED:
            return _NOT_IN_CALL
        if not self._signal_allowed(presence):
            return _TOO_MANY_SIGNALS
        await self._to_advisor(
            presence.advisor_id,
            AdvisorSignal(participant_id=presence.entry.participant_id, payload=payload),
        )
        return None

    # --- the mesh: participants of one call see each other ----------------------------------

    def _in_call(self, presence: Presence) -> list[Presence]:
        """Everyone admitted into the call of ``presence`` (same advisor, same appointment)."""
        return [
            p
            for p in self._people.values()
            if p.advisor_id == presence.advisor_id
            and p.entry.appointment_id == presence.entry.appointment_id
            and p.phase is RoomPhase.ADMITTED
        ]

    def _roster_of(self, presence: Presence) -> Roster:
        peers = [p.entry for p in map(self._by_id, presence.roster) if p is not None]
        return Roster(
            you=presence.entry.participant_id,
            advisor_name=self._advisor_names.get(presence.advisor_id, ""),
            peers=[
                RosterEntry(participant_id=e.participant_id, name=e.name, role=e.role)
                for e in peers
            ],
        )

    async def _update_rosters(self, changed: Presence) -> None:
        """Tell every participant of ``changed``'s call whose set of others changed."""
        if changed.phase is not RoomPhase.ADMITTED:
            changed.roster = ()
        for presence in self._in_call(changed):
            peers = tuple(
                sorted(p.entry.participant_id for p in self._in_call(changed) if p is not presence)
            )
            if peers != presence.roster:
                presence.roster = peers
                await self._to_citizen(presence, self._roster_of(presence))

    async def signal_to_peer(
        self, presence: Presence, peer_id: int, payload: Payload
    ) -> SocketError | None:
        """Relay one step between two participants admitted into the same running call."""
        peer = self._by_id(peer_id)
        if (
            presence.phase is not RoomPhase.ADMITTED
            or peer is None
            or peer is presence
            or peer not in self._in_call(presence)
        ):
            return _NOT_IN_CALL
        if not self._signal_allowed(presence):
            return _TOO_MANY_SIGNALS
        await self._to_citizen(
            peer, PeerSignal(peer=presence.entry.participant_id, payload=payload)
        )
        return None

    async def hangup(self, presence: Presence) -> SocketError | None:
        """The participant ends the call; they may enter the waiting room again later."""
        if presence.phase is not RoomPhase.ADMITTED:
            return _NOT_IN_CALL
        await self._ended(presence)
        await self._to_advisor(
            presence.advisor_id,
            CallEnded(participant_id=presence.entry.participant_id, by="participant"),
        )
        return None

    def detach_citizen(self, presence: Presence, ws: web.WebSocketResponse) -> None:
        """A socket closed. Keep the place for the reconnect grace, then let it go."""
        presence.sockets.discard(ws)
        if presence.sockets or self._closing:
            return
        pid = presence.entry.participant_id
        if presence.phase is RoomPhase.WAITING:
            presence.entry = presence.entry.model_copy(update={"online": False})
            self._spawn(self._to_advisor(presence.advisor_id, EntryChanged(entry=presence.entry)))
        elif presence.phase is RoomPhase.ADMITTED:
            self._spawn(
                self._to_advisor(
                    presence.advisor_id, PeerPresence(participant_id=pid, online=False)
                )
            )
        loop = asyncio.get_running_loop()
        presence.gone = loop.call_later(self.reconnect_grace_s, self._expire, presence)

    def _forget(self, presence: Presence) -> None:
        """Remove the presence from the hub's tables (only if it is still the current one)."""
        if self._people.get(presence.token) is presence:
            del self._people[presence.token]
        if self._ids.get(presence.entry.participant_id) == presence.token:
            del self._ids[presence.entry.participant_id]

    def _remember_decision(self, presence: Presence) -> None:
        """Sent away or removed from the call: said again when the link comes back later."""
        now = self._clock.now()
        for token, old in list(self._decisions.items()):  # forget the ones of past appointments
            if old.window.link_state(now) is LinkState.EXPIRED:
                del self._decisions[token]
        if presence.phase is RoomPhase.SENT_AWAY or (
            presence.phase is RoomPhase.ENDED and presence.reason == "removed"
        ):
            self._decisions[presence.token] = Presence(
                presence.token,
                presence.advisor_id,
                presence.entry,
                presence.phase,
                presence.window,
                reason=presence.reason,
            )

    def _expire(self, presence: Presence) -> None:
        if presence.sockets or self._people.get(presence.token) is not presence:
            return
        participant_id = presence.entry.participant_id
        self._forget(presence)
        self._remember_decision(presence)
        if presence.phase is RoomPhase.WAITING:
            self._spawn(
                self._to_advisor(
                    presence.advisor_id, Departed(participant_id=participant_id, reason="timeout")
                )
            )
        elif presence.phase is RoomPhase.ADMITTED:
            self._spawn(
                self._to_advisor(
                    presence.advisor_id, CallEnded(participant_id=participant_id, by="timeout")
                )
            )
            presence.phase = RoomPhase.ENDED  # gone: the others' rosters drop them
            self._spawn(self._update_rosters(presence))

    async def update_device_check(self, token: str, check: DeviceCheckOut) -> None:
        presence = self._people.get(token)
        if presence is None:
            return
        presence.entry = presence.entry.model_copy(update={"device_check": check})
        if presence.phase is RoomPhase.WAITING:
            await self._to_advisor(presence.advisor_id, EntryChanged(entry=presence.entry))

    async def _drop(
        self, presence: Presence, phase: RoomPhase = RoomPhase.CLOSED, reason: str | None = None
    ) -> tuple[bool, bool]:
        """End a place at once: the page is told ``phase``, its sockets close, the others of
        its call lose it from their roster. Returns (was waiting, was admitted)."""
        self._forget(presence)
        self._decisions.pop(presence.token, None)
        if presence.gone is not None:
            presence.gone.cancel()
            presence.gone = None
        # Before the sockets close: their detach must not report a "waiting, offline" person.
        was_waiting = presence.phase is RoomPhase.WAITING
        was_admitted = presence.phase is RoomPhase.ADMITTED
        presence.phase = phase
        presence.reason = reason
        await self._to_citizen(presence, RoomState(phase=phase, reason=reason))
        if was_admitted:
            await self._update_rosters(presence)
        sockets, presence.sockets = list(presence.sockets), set()
        await asyncio.gather(
            *(ws.close(code=CLOSE_ENDED) for ws in sockets), return_exceptions=True
        )
        return was_waiting, was_admitted

    async def end_presence(self, advisor_id: int, token: str, reason: str) -> None:
        """The participant was removed from the appointment (``reason`` "removed") or the
        appointment was cancelled ("cancelled"): the place ends now, sockets included, and the
        advisor's consoles hear that the person left the room or the call."""
        self._decisions.pop(token, None)
        presence = self._people.get(token)
        if presence is None or presence.advisor_id != advisor_id:
            return
        was_waiting, was_admitted = await self._drop(presence, RoomPhase.CLOSED, reason)
        pid = presence.entry.participant_id
        if was_waiting:
            await self._to_advisor(advisor_id, Departed(participant_id=pid, reason="closed"))
        elif was_admitted:
            await self._to_advisor(advisor_id, CallEnded(participant_id=pid, by="closed"))

    async def revoke(
        self, advisor_id: int, token: str, participant_id: int, appointment_id: int
    ) -> None:
        """Consent revoked: participation ends at once and the advisor is told."""
        self._decisions.pop(token, None)
        presence = self._people.get(token)
        if presence is not None:
            await self._drop(presence, RoomPhase.REVOKED)
        await self._to_advisor(
            advisor_id,
            ConsentRevoked(participant_id=participant_id, appointment_id=appointment_id),
        )
        await self._to_advisor(
            advisor_id, Departed(participant_id=participant_id, reason="revoked")
        )

    # --- advisor side --------------------------------------------------------------------

    async def attach_advisor(
        self,
        advisor_id: int,
        ws: web.WebSocketResponse,
        calls: list[int] | None = None,
        name: str = "",
    ) -> None:
        """A console signed in. ``calls``: the participants it is in a call with (None: not
        said). The advisor's only console knows best: admitted participants it does not name
        (it restarted, or its call ended meanwhile) go back to the waiting room. ``name``: the
        advisor's display name, for the rosters of group calls."""
        gone = self._advisor_gone.pop(advisor_id, None)
        if gone is not None:
            gone.cancel()
        alone = not self._advisors.get(advisor_id)
        self._advisors.setdefault(advisor_id, set()).add(ws)
        if name:
            self._advisor_names[advisor_id] = name
        if calls is not None and alone:
            await self._calls_lost(advisor_id, keep=set(calls))
        await self._send(ws, WaitingSnapshot(entries=self.waiting_for(advisor_id)))

    async def sign_out(self, advisor_id: int) -> None:
        """The advisor signed out (every session ended): close the consoles' sockets now."""
        sockets = list(self._advisors.get(advisor_id, ()))
        await asyncio.gather(
            *(ws.close(code=CLOSE_UNAUTHORIZED) for ws in sockets), return_exceptions=True
        )

    def detach_advisor(self, advisor_id: int, ws: web.WebSocketResponse) -> None:
        sockets = self._advisors.get(advisor_id)
        if sockets is not None:
            sockets.discard(ws)
            if not sockets:
                del self._advisors[advisor_id]
                if not self._closing:
                    self._advisor_gone[advisor_id] = asyncio.get_running_loop().call_later(
                        self.reconnect_grace_s, self._advisor_expired, advisor_id
                    )

    def _advisor_expired(self, advisor_id: int) -> None:
        self._advisor_gone.pop(advisor_id, None)
        if not self._advisors.get(advisor_id):
            self._spawn(self._calls_lost(advisor_id, keep=set()))

    async def _calls_lost(self, advisor_id: int, keep: set[int]) -> None:
        """The console lost these calls: their participants wait again (no new "enter"; the
        page says why). No console is listening now; the next one's snapshot lists them."""
        for presence in list(self._people.values()):
            pid = presence.entry.participant_id
            if (
                presence.advisor_id != advisor_id
                or presence.phase is not RoomPhase.ADMITTED
                or pid in keep
            ):
                continue
            log.info("participant %s back to the waiting room: the console lost the call", pid)
            presence.phase = RoomPhase.WAITING
            presence.reason = None
            presence.entry = presence.entry.model_copy(update={"online": bool(presence.sockets)})
            await self._to_citizen(presence, RoomState(phase=RoomPhase.WAITING))
            await self._update_rosters(presence)

    def _own(self, advisor_id: int, participant_id: int) -> Presence | None:
        presence = self._by_id(participant_id)
        if presence is None or presence.advisor_id != advisor_id:
            return None  # somebody else's participant looks exactly like an absent one
        return presence

    async def admit(self, advisor_id: int, participant_id: int) -> SocketError | None:
        presence = self._own(advisor_id, participant_id)
        if presence is None or presence.phase is not RoomPhase.WAITING:
            return socket_refusal("not_waiting")
        if len(self._in_call(presence)) >= MAX_CALL_PARTICIPANTS - 1:
            return _CALL_FULL  # the advisor and three admitted into this appointment's call
        presence.phase = RoomPhase.ADMITTED
        presence.reason = None
        await self._to_citizen(presence, RoomState(phase=RoomPhase.ADMITTED))
        await self._to_advisor(
            advisor_id, Departed(participant_id=participant_id, reason="admitted")
        )
        await self._update_rosters(presence)
        if self._events is not None:
            await self._tell(self._events.admitted(presence.entry))
        return None

    async def signal_from_advisor(
        self, advisor_id: int, participant_id: int, payload: Payload
    ) -> SocketError | None:
        """Relay one negotiation step to an admitted participant of this advisor."""
        presence = self._own(advisor_id, participant_id)
        if presence is None or presence.phase is not RoomPhase.ADMITTED:
            return _NOT_IN_CALL
        if not presence.sockets:
            return socket_refusal("not_connected")
        await self._to_citizen(presence, CitizenSignal(payload=payload))
        return None

    async def end_call(
        self, advisor_id: int, participant_id: int, *, removed: bool = False
    ) -> SocketError | None:
        """The advisor ends the call for one participant; the page shows its closing step
        (``removed``: only this participant's part ends, the page says the advisor ended it)."""
        presence = self._own(advisor_id, participant_id)
        if presence is None or presence.phase is not RoomPhase.ADMITTED:
            return _NOT_IN_CALL
        await self._ended(presence, reason="removed" if removed else None)
        if removed:
            self._remember_decision(presence)
        await self._to_advisor(advisor_id, CallEnded(participant_id=participant_id, by="advisor"))
        return None

    async def to_waiting_room(
        self, advisor_id: int, participant_id: int, now: datetime
    ) -> SocketError | None:
        """Back from the call into the waiting room; the advisor may admit them again."""
        presence = self._own(advisor_id, participant_id)
        if presence is None or presence.phase is not RoomPhase.ADMITTED:
            return _NOT_IN_CALL
        presence.phase = RoomPhase.WAITING
        presence.reason = "returned"  # the page says the advisor did it (again after a reload)
        presence.entry = presence.entry.model_copy(
            update={"waiting_since": now, "online": bool(presence.sockets)}
        )
        await self._to_citizen(presence, RoomState(phase=RoomPhase.WAITING, reason="returned"))
        await self._to_advisor(advisor_id, CallEnded(participant_id=participant_id, by="returned"))
        await self._to_advisor(advisor_id, Arrived(entry=presence.entry))
        await self._update_rosters(presence)
        return None

    async def note(
        self, advisor_id: int, participant_id: int, text: str, now: datetime
    ) -> SocketError | None:
        presence = self._own(advisor_id, participant_id)
        if presence is None or (not presence.sockets and presence.phase is not RoomPhase.WAITING):
            return socket_refusal("not_waiting", reason="offline")
        note = Note(text=text, at=now)
        presence.notes = [*presence.notes[-19:], note]
        await self._to_citizen(presence, note)
        return None

    async def send_away(
        self, advisor_id: int, participant_id: int, reason: str
    ) -> SocketError | None:
        presence = self._own(advisor_id, participant_id)
        if presence is None or presence.phase not in (RoomPhase.WAITING, RoomPhase.LOBBY):
            return socket_refusal("not_waiting")
        was_waiting = presence.phase is RoomPhase.WAITING
        presence.phase = RoomPhase.SENT_AWAY
        presence.reason = reason
        self._remember_decision(presence)
        await self._to_citizen(presence, RoomState(phase=RoomPhase.SENT_AWAY, reason=reason))
        if was_waiting:
            await self._to_advisor(
                advisor_id, Departed(participant_id=participant_id, reason="sent_away")
            )
        return None

    async def close(self) -> None:
        """Close every socket (in parallel) and forget everything; safe to call twice."""
        self._closing = True
        for presence in list(self._people.values()):
            if presence.gone is not None:
                presence.gone.cancel()
        for timer in self._advisor_gone.values():
            timer.cancel()
        self._advisor_gone.clear()
        sockets = [ws for p in list(self._people.values()) for ws in list(p.sockets)]
        sockets += [ws for group in list(self._advisors.values()) for ws in list(group)]
        await asyncio.gather(
            *(ws.close(code=WSCloseCode.GOING_AWAY) for ws in sockets), return_exceptions=True
        )
        self._people.clear()
        self._ids.clear()
        self._advisors.clear()
        # Let notifications and their database writes finish: a write cancelled half-way
        # leaves SQLAlchemy closing the aiosqlite connection in a task of its own that never
        # ends, and the service's loop then never stops (seen as a hang at shutdown).
        pending = list(self._tasks)
        if pending:
            _, late = await asyncio.wait(pending, timeout=CLOSE_WAIT_S)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
