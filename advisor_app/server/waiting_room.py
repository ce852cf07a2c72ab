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
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from aiohttp import WSCloseCode
from pydantic import BaseModel, TypeAdapter

from advisor_app.core.clock import Clock, SystemClock
from advisor_app.core.protocol import (
    MAX_CALL_PARTICIPANTS,
    AdmittedByColleague,
    AdvisorMessage,
    AdvisorSignal,
    AdvisorStatus,
    AppointmentEventKind,
    AppointmentsChanged,
    Arrived,
    CallEnded,
    CitizenMessage,
    CitizenSignal,
    ConsentRevoked,
    Departed,
    DeviceCheckOut,
    EntryChanged,
    HandedOver,
    HandedToYou,
    Note,
    PeerPresence,
    PeerSignal,
    RoomPhase,
    RoomState,
    Roster,
    RosterEntry,
    SocketError,
    SurveyOffer,
    TeamWaiting,
    TeamWaitingEntry,
    WaitingEntry,
    WaitingSnapshot,
)
from advisor_app.core.protocol import SignalPayload as Payload
from advisor_app.core.teams import (
    DEFAULT_ADMIT_GRACE_MIN,
    AdvisorState,
    TeamDirectory,
    colleague_may_admit,
    may_hand_over,
    minutes_left,
)
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
_TOO_MANY_ENTRIES = socket_refusal("rate_limited", reason="entries")


class RoomEvents(Protocol):
    """What the anonymous statistics learn from the room (see ``server/statistics.py``)."""

    async def entered(self, entry: WaitingEntry) -> None: ...

    async def admitted(self, entry: WaitingEntry) -> None: ...

    async def call_ended(self, entry: WaitingEntry) -> str | None:
        """Returns a survey ticket for the participant's closing page, or None."""
        ...


_REMOVED = socket_refusal("removed")
_ALREADY_ADMITTED = socket_refusal("already_admitted")
_NOT_COLLEAGUE = socket_refusal("not_colleague")
#: How often waiting citizens' "about n minutes" and colleagues' "may admit" are recomputed.
TEAM_TICK_S = 20.0


class TeamRecords(Protocol):
    """Where the hub records that an appointment moved to another advisor (the database)."""

    async def moved(
        self,
        appointment_id: int,
        kind: AppointmentEventKind,
        actor_id: int,
        from_id: int,
        to_id: int,
    ) -> None: ...


class Socket(Protocol):
    """What the hub needs of a socket: aiohttp's ``WebSocketResponse``, or on a service with
    several instances a stand-in for a socket held by another instance
    (``server/cluster.py``)."""

    @property
    def closed(self) -> bool: ...

    async def send_str(self, data: str, compress: int | None = None) -> None: ...

    async def close(self, *, code: int = ..., message: bytes = b"", drain: bool = True) -> bool: ...


#: Presence fields that are not part of the shared state (sockets and timers are per
#: instance; the flood guard is per minute).
_VOLATILE = frozenset({"sockets", "gone", "signal_window", "changed"})


@dataclass(slots=True)
class Presence:
    """One participant known to the hub (connected now, or within the reconnect grace)."""

    #: The personal link's token: what the place is bound to.
    token: str
    advisor_id: int
    entry: WaitingEntry
    phase: RoomPhase
    window: AppointmentWindow
    sockets: set[Socket] = field(default_factory=set)
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
    #: The advisor status this participant was last told (None: nothing said yet).
    status: AdvisorStatus | None = None
    #: The handing-over colleague's note (for the team, never for the citizen).
    handover_note: str | None = None
    #: Tokens of changed presences, when the hub's state is shared (None: it is not).
    changed: set[str] | None = None

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if name not in _VOLATILE:
            changed = getattr(self, "changed", None)  # unset while the dataclass initialises
            if changed is not None:
                changed.add(self.token)


#: How long closing waits for notifications still being sent or written.
CLOSE_WAIT_S = 2.0


class WaitingRoomHub:
    """All waiting rooms of this service instance."""

    def __init__(
        self,
        reconnect_grace_s: float = 30.0,
        events: RoomEvents | None = None,
        clock: Clock | None = None,
        *,
        records: TeamRecords | None = None,
        admit_grace_min: int = DEFAULT_ADMIT_GRACE_MIN,
        enter_limit: Callable[[str], Awaitable[bool]] | None = None,
        shared: bool = False,
    ) -> None:
        self.reconnect_grace_s = reconnect_grace_s
        #: Counts a citizen's "enter" (each rings at the console): False refuses it.
        self._enter_limit = enter_limit
        #: With ``shared``, the tokens of changed places and decisions are collected here
        #: for ``server/cluster.py`` to write to the shared state.
        self.changed: set[str] | None = set() if shared else None
        self.changed_decisions: set[str] | None = set() if shared else None
        self._events = events
        self._records = records
        self.admit_grace_min = admit_grace_min
        self._clock = clock or SystemClock()
        self._directory = TeamDirectory()
        #: The team waiting room each console was last sent (advisor id → entries).
        self._team_sent: dict[int, list[TeamWaitingEntry]] = {}
        self._ticker: asyncio.Task[None] | None = None
        #: Presences by the personal link's token.
        self._people: dict[str, Presence] = {}
        #: Participant id → token, for the advisor's messages (which name ids).
        self._ids: dict[int, str] = {}
        #: Decisions that outlive the presence (token → presence with phase and reason):
        #: sent away, removed from the call. Kept until the appointment's link expires.
        self._decisions: dict[str, Presence] = {}
        self._advisors: dict[int, set[Socket]] = {}
        #: Advisors whose last console went away: when the grace runs out, their calls end.
        self._advisor_gone: dict[int, asyncio.TimerHandle] = {}
        #: Advisors' display names, for the rosters of group calls.
        self._advisor_names: dict[int, str] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._closing = False

    def _decided(self, token: str) -> None:
        if self.changed_decisions is not None:
            self.changed_decisions.add(token)

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

    def _seated(self, ws: Socket, token: str) -> Presence | None:
        """The place ``ws`` said hello for, while the socket still belongs to it."""
        presence = self._people.get(token)
        return presence if presence is not None and ws in presence.sockets else None

    def knows_citizen(self, ws: Socket, token: str) -> bool:
        return self._seated(ws, token) is not None

    def knows_advisor(self, advisor_id: int, ws: Socket) -> bool:
        return ws in self._advisors.get(advisor_id, ())

    # --- sending -------------------------------------------------------------------------

    @staticmethod
    async def _send_text(ws: Socket, text: str) -> None:
        if ws.closed:
            return
        with contextlib.suppress(ConnectionError, RuntimeError):
            await ws.send_str(text)

    async def _send(self, ws: Socket, message: BaseModel) -> None:
        await self._send_text(ws, message.model_dump_json())

    async def _fan_out(self, sockets: list[Socket], message: BaseModel) -> None:
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
        ws: Socket,
        token: str,
        advisor_id: int,
        entry: WaitingEntry,
        window: AppointmentWindow,
        resume: RoomPhase | None = None,
    ) -> Presence:
        """A citizen's socket said hello with ``token``; resume the phase that link had, or
        start in the lobby (or where a lasting decision of the advisor left it).

        ``resume``: the phase this socket was last told by a hub that is gone (several
        instances, the shared state lost with a Redis that kept nothing): a waiting or
        admitted citizen keeps the place instead of starting over in the lobby."""
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
        known = presence is not None
        if presence is None:
            presence = Presence(
                token, advisor_id, entry, RoomPhase.LOBBY, window, changed=self.changed
            )
            decided = self._decisions.get(token)
            if decided is not None:
                presence.phase, presence.reason = decided.phase, decided.reason
            elif resume in (RoomPhase.WAITING, RoomPhase.ADMITTED):
                presence.phase = resume
                presence.entered_told = True
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
        if presence.phase is RoomPhase.WAITING:
            presence.status = None  # a reloaded page hears the status again
            # Waiting already before this socket: nobody else's status changes, only this
            # page's is said again (a thousand reconnects after an instance died would
            # otherwise each go through every citizen waiting for the same advisor).
            await self._send_statuses(presence.advisor_id, only=presence if known else None)
        return presence

    async def enter(self, ws: Socket, token: str, now: datetime) -> SocketError | None:
        presence = self._seated(ws, token)
        if presence is None:
            return socket_refusal("not_allowed")
        if (
            presence.phase is not RoomPhase.WAITING
            and self._enter_limit is not None
            and not await self._enter_limit(token)
        ):
            return _TOO_MANY_ENTRIES  # each entry rings at the advisor's console
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
        await self._refresh(presence.advisor_id)
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
        await self._refresh(presence.advisor_id)
        if self._events is not None:
            ticket = await self._tell(self._events.call_ended(presence.entry))
            if ticket is not None:
                presence.survey_ticket = ticket
                await self._to_citizen(presence, SurveyOffer(ticket=ticket))

    async def leave(self, ws: Socket, token: str) -> None:
        presence = self._seated(ws, token)
        if presence is None:
            return
        if presence.phase is RoomPhase.WAITING:
            presence.phase = RoomPhase.LOBBY
            presence.status = None
            await self._to_advisor(
                presence.advisor_id,
                Departed(participant_id=presence.entry.participant_id, reason="left"),
            )
            await self._refresh(presence.advisor_id)
        await self._to_citizen(presence, RoomState(phase=presence.phase))

    def _signal_allowed(self, presence: Presence) -> bool:
        now = asyncio.get_running_loop().time()
        start, count = presence.signal_window
        if now - start >= 60.0:
            start, count = now, 0
        presence.signal_window = (start, count + 1)
        return count < MAX_SIGNALS_PER_MINUTE

    async def signal_from_citizen(
        self, ws: Socket, token: str, payload: Payload
    ) -> SocketError | None:
        """Relay one negotiation step to the advisor: only for an admitted participant."""
        presence = self._seated(ws, token)
        if presence is None or presence.phase is not RoomPhase.ADMITTED:
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
        self, ws: Socket, token: str, peer_id: int, payload: Payload
    ) -> SocketError | None:
        """Relay one step between two participants admitted into the same running call."""
        presence = self._seated(ws, token)
        peer = self._by_id(peer_id)
        if (
            presence is None
            or presence.phase is not RoomPhase.ADMITTED
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

    async def hangup(self, ws: Socket, token: str) -> SocketError | None:
        """The participant ends the call; they may enter the waiting room again later."""
        presence = self._seated(ws, token)
        if presence is None or presence.phase is not RoomPhase.ADMITTED:
            return _NOT_IN_CALL
        await self._ended(presence)
        await self._to_advisor(
            presence.advisor_id,
            CallEnded(participant_id=presence.entry.participant_id, by="participant"),
        )
        return None

    def detach_citizen(self, ws: Socket, token: str) -> None:
        """A socket closed. Keep the place for the reconnect grace, then let it go."""
        presence = self._seated(ws, token)
        if presence is None:
            return
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
            if self.changed is not None:
                self.changed.add(presence.token)
        if self._ids.get(presence.entry.participant_id) == presence.token:
            del self._ids[presence.entry.participant_id]

    def _remember_decision(self, presence: Presence) -> None:
        """Sent away or removed from the call: said again when the link comes back later."""
        now = self._clock.now()
        for token, old in list(self._decisions.items()):  # forget the ones of past appointments
            if old.window.link_state(now) is LinkState.EXPIRED:
                del self._decisions[token]
                self._decided(token)
        if presence.phase is RoomPhase.SENT_AWAY or (
            presence.phase is RoomPhase.ENDED and presence.reason == "removed"
        ):
            self._decided(presence.token)
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
        self._spawn(self._refresh(presence.advisor_id))
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
        if self._decisions.pop(presence.token, None) is not None:
            self._decided(presence.token)
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
        if self._decisions.pop(token, None) is not None:
            self._decided(token)
        presence = self._people.get(token)
        if presence is None or presence.advisor_id != advisor_id:
            return
        was_waiting, was_admitted = await self._drop(presence, RoomPhase.CLOSED, reason)
        pid = presence.entry.participant_id
        if was_waiting:
            await self._to_advisor(advisor_id, Departed(participant_id=pid, reason="closed"))
        elif was_admitted:
            await self._to_advisor(advisor_id, CallEnded(participant_id=pid, by="closed"))
        await self._refresh(advisor_id)

    async def revoke(
        self, advisor_id: int, token: str, participant_id: int, appointment_id: int
    ) -> None:
        """Consent revoked: participation ends at once and the advisor is told."""
        if self._decisions.pop(token, None) is not None:
            self._decided(token)
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
        await self._refresh(advisor_id)

    # --- teams: the team waiting room, colleagues admitting, handing over ------------------

    def set_directory(self, directory: TeamDirectory) -> None:
        """The teams as the database has them now (loaded at each console's hello and after
        every change through the service)."""
        if directory == self._directory:
            return
        self._directory = directory
        self._spawn(self._refresh(*self._advisors))

    @property
    def directory(self) -> TeamDirectory:
        return self._directory

    def _name(self, advisor_id: int) -> str:
        return self._directory.name(advisor_id) or self._advisor_names.get(advisor_id, "")

    def advisor_state(self, advisor_id: int) -> AdvisorState:
        if not self._advisors.get(advisor_id):
            return "absent"
        busy = any(
            p.advisor_id == advisor_id and p.phase is RoomPhase.ADMITTED
            for p in self._people.values()
        )
        return "busy" if busy else "free"

    def appointment_in_call(self, appointment_id: int) -> bool:
        return any(
            p.entry.appointment_id == appointment_id and p.phase is RoomPhase.ADMITTED
            for p in self._people.values()
        )

    async def advisor_states(self, advisor_ids: Iterable[int]) -> dict[int, AdvisorState]:
        """:meth:`advisor_state` of each, as the service's handlers ask it (also of a hub on
        another instance)."""
        return {advisor_id: self.advisor_state(advisor_id) for advisor_id in advisor_ids}

    async def in_call(self, appointment_id: int) -> bool:
        return self.appointment_in_call(appointment_id)

    # --- the shared state (several instances, ``server/cluster.py``) ------------------------

    def place(self, token: str) -> Presence | None:
        return self._people.get(token)

    def decision(self, token: str) -> Presence | None:
        return self._decisions.get(token)

    @property
    def advisor_names(self) -> dict[int, str]:
        return self._advisor_names

    def restore(
        self, places: Iterable[Presence], decisions: Iterable[Presence], names: dict[int, str]
    ) -> None:
        """Take over the places of a hub that is gone: nobody is connected yet; each place
        waits the reconnect grace for its sockets, each advisor with a call for a console."""
        loop = asyncio.get_running_loop()
        self._advisor_names.update(names)
        for decided in decisions:
            self._decisions[decided.token] = decided
        callers: set[int] = set()
        for presence in places:
            presence.changed = self.changed
            presence.gone = loop.call_later(self.reconnect_grace_s, self._expire, presence)
            self._people[presence.token] = presence
            self._ids[presence.entry.participant_id] = presence.token
            if presence.phase is RoomPhase.ADMITTED:
                callers.add(presence.advisor_id)
        for advisor_id in callers:
            self._advisor_gone[advisor_id] = loop.call_later(
                self.reconnect_grace_s, self._advisor_expired, advisor_id
            )

    def abandon(self) -> None:
        """Stop without a word to anyone: another instance's hub took over (sockets stay
        open; their instances tell the new hub about them)."""
        self._closing = True
        if self._ticker is not None:
            self._ticker.cancel()
        for presence in self._people.values():
            if presence.gone is not None:
                presence.gone.cancel()
        for timer in self._advisor_gone.values():
            timer.cancel()
        for task in self._tasks:
            task.cancel()
        self._people.clear()
        self._ids.clear()
        self._advisors.clear()
        self._advisor_gone.clear()

    def team_waiting(self, viewer_id: int) -> list[TeamWaitingEntry]:
        """Who waits for a colleague of ``viewer_id`` (not for the viewer), soonest first."""
        colleagues = self._directory.colleagues(viewer_id)
        if not colleagues:
            return []
        now = self._clock.now()
        states: dict[int, AdvisorState] = {}
        entries = []
        for p in self._people.values():
            owner = p.advisor_id
            if p.phase is not RoomPhase.WAITING or owner not in colleagues:
                continue
            if owner not in states:
                states[owner] = self.advisor_state(owner)
            entries.append(
                TeamWaitingEntry(
                    participant_id=p.entry.participant_id,
                    appointment_id=p.entry.appointment_id,
                    name=p.entry.name,
                    starts_at=p.entry.starts_at,
                    duration_min=p.entry.duration_min,
                    waiting_since=p.entry.waiting_since,
                    advisor_id=owner,
                    advisor_name=self._name(owner),
                    advisor_state=states[owner],
                    may_admit=colleague_may_admit(
                        actor_id=viewer_id,
                        booked_advisor_id=owner,
                        booked_state=states[owner],
                        starts_at=p.entry.starts_at,
                        now=now,
                        grace_min=self.admit_grace_min,
                        directory=self._directory,
                    ),
                    handover_note=p.handover_note,
                )
            )
        return sorted(entries, key=lambda e: (e.starts_at, e.waiting_since, e.participant_id))

    async def _send_team_view(self, viewer_id: int, *, always: bool = False) -> None:
        """Send the team waiting room when it changed (or ``always``); advisors in no team,
        who never got one, get none."""
        entries = self.team_waiting(viewer_id)
        sent = self._team_sent.get(viewer_id)
        if sent is None and not self._directory.colleagues(viewer_id):
            return
        if not always and sent == entries:
            return
        self._team_sent[viewer_id] = entries
        await self._to_advisor(viewer_id, TeamWaiting(entries=entries))

    async def _send_statuses(self, advisor_id: int, only: Presence | None = None) -> None:
        """Tell the citizens waiting for ``advisor_id`` whose status changed: whether the
        advisor is in the call of *another* appointment, whether they are next, and about how
        long that call is scheduled to run (no name, nothing about anyone else). Nothing is
        said while there is nothing to say; once "in call" was said, its end is said too.
        ``only``: the one waiting citizen whose status may have changed."""
        mine = [p for p in self._people.values() if p.advisor_id == advisor_id]
        calls = [p for p in mine if p.phase is RoomPhase.ADMITTED]
        waiting = [p for p in mine if p.phase is RoomPhase.WAITING]
        if not calls and all(p.status is None or p.status.state != "in_call" for p in waiting):
            return  # the usual case, and cheap with thousands waiting
        now = self._clock.now()
        first = min(waiting, key=lambda p: (p.entry.starts_at, p.entry.waiting_since), default=None)
        present = bool(self._advisors.get(advisor_id))
        for presence in waiting if only is None else [only]:
            appointment_id = presence.entry.appointment_id
            others = [c.entry for c in calls if c.entry.appointment_id != appointment_id]
            if others:
                ends = max(e.starts_at + timedelta(minutes=e.duration_min) for e in others)
                status = AdvisorStatus(
                    state="in_call",
                    next=first is not None and first.entry.appointment_id == appointment_id,
                    minutes_left=minutes_left(ends, now),
                )
            else:
                status = AdvisorStatus(state="available" if present else "away")
            said = presence.status
            quiet = status.state != "in_call" and (said is None or said.state != "in_call")
            if quiet or status == said:
                continue
            presence.status = status
            await self._to_citizen(presence, status)

    async def _refresh_one(self, advisor_id: int) -> None:
        """The ticker's step: this advisor's own team view and waiting citizens."""
        if self._advisors.get(advisor_id):
            await self._send_team_view(advisor_id)
        await self._send_statuses(advisor_id)

    async def _refresh(self, *advisor_ids: int) -> None:
        """Something about these advisors changed (a citizen came or went, a call began or
        ended, a console connected or left): their colleagues' team views and the statuses of
        the citizens waiting for them follow."""
        viewers: set[int] = set()
        for advisor_id in advisor_ids:
            viewers.add(advisor_id)
            viewers |= self._directory.colleagues(advisor_id)
        for viewer in sorted(viewers):
            if self._advisors.get(viewer):
                await self._send_team_view(viewer)
        for advisor_id in advisor_ids:
            await self._send_statuses(advisor_id)
        self._ensure_ticker()

    def _needs_ticker(self) -> bool:
        return bool(self._team_sent) or any(
            p.status is not None and p.status.minutes_left is not None
            for p in self._people.values()
        )

    def _ensure_ticker(self) -> None:
        """While teams are connected or a citizen was told "about n minutes", recompute both
        now and then: the grace of a colleague's admission and the minutes run out by time."""
        if self._ticker is None and not self._closing and self._needs_ticker():
            self._ticker = asyncio.ensure_future(self._tick())

    async def _tick(self) -> None:
        try:
            while not self._closing and self._needs_ticker():
                await asyncio.sleep(TEAM_TICK_S)
                owners = {p.advisor_id for p in self._people.values()}
                for advisor_id in sorted(owners | set(self._team_sent)):
                    await self._refresh_one(advisor_id)
        finally:
            self._ticker = None

    def _move(self, appointment_id: int, to_id: int, note: str | None = None) -> list[Presence]:
        """Every place of the appointment now belongs to ``to_id`` (calls, decisions too)."""
        moved = []
        for presence in [*self._people.values(), *self._decisions.values()]:
            if presence.entry.appointment_id == appointment_id and presence.advisor_id != to_id:
                presence.advisor_id = to_id
                presence.handover_note = note
                moved.append(presence)
                if self._decisions.get(presence.token) is presence:
                    self._decided(presence.token)
        return moved

    async def _handed(
        self, moved: list[Presence], from_id: int, to_id: int, *, tell_citizen: bool
    ) -> None:
        """The waiting ones of ``moved`` leave ``from_id``'s room and arrive in ``to_id``'s."""
        for presence in moved:
            current = self._people.get(presence.token) is presence
            if presence.phase is not RoomPhase.WAITING or not current:
                continue
            pid = presence.entry.participant_id
            await self._to_advisor(from_id, Departed(participant_id=pid, reason="handed_over"))
            await self._to_advisor(to_id, Arrived(entry=presence.entry))
            if tell_citizen:
                presence.status = None
                await self._to_citizen(presence, HandedOver())

    async def _record(
        self, appointment_id: int, kind: AppointmentEventKind, actor: int, from_id: int, to_id: int
    ) -> None:
        if self._records is not None:
            await self._tell(self._records.moved(appointment_id, kind, actor, from_id, to_id))
        for advisor_id in (from_id, to_id):
            await self._to_advisor(advisor_id, AppointmentsChanged())

    async def hand_over(
        self, advisor_id: int, participant_id: int, to_id: int, note: str
    ) -> SocketError | None:
        """The booked advisor hands a waiting citizen to a team colleague: the citizen keeps
        the place, the appointment (with its guests) belongs to the colleague from now on."""
        presence = self._own(advisor_id, participant_id)
        if presence is None or presence.phase is not RoomPhase.WAITING:
            return socket_refusal("not_waiting")
        if not may_hand_over(self._directory, advisor_id, presence.advisor_id, to_id):
            return _NOT_COLLEAGUE
        appointment_id = presence.entry.appointment_id
        moved = self._move(appointment_id, to_id, note.strip() or None)
        await self._to_advisor(
            to_id,
            HandedToYou(
                appointment_id=appointment_id,
                participant_id=participant_id,
                from_name=self._name(advisor_id),
                note=note,
            ),
        )
        await self._handed(moved, advisor_id, to_id, tell_citizen=True)
        await self._record(
            appointment_id, AppointmentEventKind.HANDED_OVER, advisor_id, advisor_id, to_id
        )
        await self._refresh(advisor_id, to_id)
        return None

    async def reassigned(self, appointment_id: int, from_id: int, to_id: int) -> None:
        """The appointment was given to a colleague through the service (already recorded):
        whoever waits for it now waits for the colleague and is told so."""
        moved = self._move(appointment_id, to_id)
        await self._handed(moved, from_id, to_id, tell_citizen=True)
        for advisor_id in (from_id, to_id):
            await self._to_advisor(advisor_id, AppointmentsChanged())
        await self._refresh(from_id, to_id)

    async def _admit_for_colleague(
        self, advisor_id: int, presence: Presence
    ) -> SocketError | Presence:
        """A colleague admits: allowed by the rule, or refused like somebody else's."""
        booked = presence.advisor_id
        if not self._directory.shares_team(advisor_id, booked):
            return socket_refusal("not_waiting")  # another team's citizen looks absent
        if presence.phase is RoomPhase.ADMITTED:
            return _ALREADY_ADMITTED
        if presence.phase is not RoomPhase.WAITING:
            return socket_refusal("not_waiting")
        allowed = colleague_may_admit(
            actor_id=advisor_id,
            booked_advisor_id=booked,
            booked_state=self.advisor_state(booked),
            starts_at=presence.entry.starts_at,
            now=self._clock.now(),
            grace_min=self.admit_grace_min,
            directory=self._directory,
        )
        if allowed:
            return presence
        return socket_refusal("not_waiting", reason="colleague_grace", grace=self.admit_grace_min)

    # --- advisor side --------------------------------------------------------------------

    async def attach_advisor(
        self,
        advisor_id: int,
        ws: Socket,
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
        if self._directory.colleagues(advisor_id):
            entries = self.team_waiting(advisor_id)
            self._team_sent[advisor_id] = entries
            await self._send(ws, TeamWaiting(entries=entries))
        await self._refresh(advisor_id)  # colleagues see "free", waiting citizens may hear it

    async def sign_out(self, advisor_id: int) -> None:
        """The advisor signed out (every session ended): close the consoles' sockets now."""
        sockets = list(self._advisors.get(advisor_id, ()))
        await asyncio.gather(
            *(ws.close(code=CLOSE_UNAUTHORIZED) for ws in sockets), return_exceptions=True
        )

    def detach_advisor(self, advisor_id: int, ws: Socket) -> None:
        sockets = self._advisors.get(advisor_id)
        if sockets is not None:
            sockets.discard(ws)
            if not sockets:
                del self._advisors[advisor_id]
                self._team_sent.pop(advisor_id, None)
                if not self._closing:
                    self._spawn(self._refresh(advisor_id))  # colleagues see "absent"
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
        await self._refresh(advisor_id)

    def _own(self, advisor_id: int, participant_id: int) -> Presence | None:
        presence = self._by_id(participant_id)
        if presence is None or presence.advisor_id != advisor_id:
            return None  # somebody else's participant looks exactly like an absent one
        return presence

    async def admit(self, advisor_id: int, participant_id: int) -> SocketError | None:
        """Admit a waiting participant: the booked advisor, or a team colleague when
        ``core.teams.colleague_may_admit`` allows it (the appointment then moves to the
        colleague). Decided here, once: of two admissions at once the second is refused."""
        presence = self._by_id(participant_id)
        if presence is None:
            return socket_refusal("not_waiting")
        booked = presence.advisor_id
        if booked != advisor_id:
            allowed = await self._admit_for_colleague(advisor_id, presence)
            if isinstance(allowed, SocketError):
                return allowed
        elif presence.phase is RoomPhase.ADMITTED:
            return _ALREADY_ADMITTED
        elif presence.phase is not RoomPhase.WAITING:
            return socket_refusal("not_waiting")
        if booked == advisor_id and len(self._in_call(presence)) >= MAX_CALL_PARTICIPANTS - 1:
            return _CALL_FULL  # the advisor and three admitted into this appointment's call
        presence.phase = RoomPhase.ADMITTED
        presence.reason = None
        presence.status = None
        by_colleague = booked != advisor_id
        moved = self._move(presence.entry.appointment_id, advisor_id) if by_colleague else []
        await self._to_citizen(presence, RoomState(phase=RoomPhase.ADMITTED))
        await self._to_advisor(
            advisor_id, Departed(participant_id=participant_id, reason="admitted")
        )
        if booked != advisor_id:
            # who admitted first, so the booked advisor's console says it in one message
            await self._to_advisor(
                booked,
                AdmittedByColleague(
                    appointment_id=presence.entry.appointment_id,
                    participant_id=participant_id,
                    colleague_name=self._name(advisor_id),
                ),
            )
            departed = Departed(participant_id=participant_id, reason="admitted")
            await self._to_advisor(booked, departed)
            await self._handed(
                [p for p in moved if p is not presence], booked, advisor_id, tell_citizen=False
            )
        await self._update_rosters(presence)
        if self._events is not None:
            await self._tell(self._events.admitted(presence.entry))
        if booked != advisor_id:
            await self._record(
                presence.entry.appointment_id,
                AppointmentEventKind.ADMITTED_BY_COLLEAGUE,
                advisor_id,
                booked,
                advisor_id,
            )
        await self._refresh(*sorted({booked, advisor_id}))
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
        await self._refresh(advisor_id)
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
            await self._refresh(advisor_id)
        return None

    async def close(self) -> None:
        """Close every socket (in parallel) and forget everything; safe to call twice."""
        self._closing = True
        if self._ticker is not None:
            self._ticker.cancel()
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
