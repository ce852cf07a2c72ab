"""The waiting room's connection: one socket at a time, started again after a failure.

:class:`RoomConnection` runs a :class:`RoomClient` as one named task ("waiting-room"). A new
start replaces the running socket; the reports of a replaced one are dropped (each start
counts a generation). When the socket's loop fails unexpectedly it is started again after a
while; when the service no longer accepts the token it stops and says so. Who is in the
console's call comes in through the constructor and is told to the service on every
(re)connect. Actions (admit, note, send away) each run as a task of their own.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel

from advisor_app.client.room_client import RoomClient
from advisor_app.console.tasks import Failure, Spawn
from advisor_app.core.protocol import SocketError

log = logging.getLogger(__name__)

TASK_NAME = "waiting-room"
#: After an unexpected failure of the socket loop, start it again after this long.
RESTART_S = 5.0


class Credentials(Protocol):
    """Where the service is and who signs in (a :class:`ServiceClient`)."""

    @property
    def base_url(self) -> str: ...

    @property
    def token(self) -> str | None: ...

    @property
    def ca_bundle(self) -> Path | None: ...


#: Makes the socket's client: base URL, token, event and online callbacks (and keywords).
RoomFactory = Callable[..., RoomClient]
#: Calls a function after so many seconds (on the event loop's thread).
Later = Callable[[float, Callable[[], None]], object]


def _ignore(*_args: object) -> None:
    return None


@dataclass
class ConnectionEvents:
    """What a :class:`RoomConnection` reports."""

    #: A validated event of the advisor's socket (``core.protocol.AdvisorEvent``).
    event: Callable[[BaseModel], None] = _ignore
    #: True: signed in and the room's snapshot arrived; False: reconnecting.
    online: Callable[[bool], None] = _ignore
    #: The service no longer accepts the advisor's token; ``start()`` again after sign-in.
    signed_out: Callable[[], None] = _ignore


class RoomConnection:
    """Connects the advisor's waiting room and reports what happens in it."""

    def __init__(
        self,
        client: Credentials,
        spawn: Spawn,
        events: ConnectionEvents,
        later: Later,
        *,
        calls: Callable[[], list[int]] = list,
        restart_s: float = RESTART_S,
        room: RoomFactory = RoomClient,
        alive: Callable[[], bool] = lambda: True,
    ) -> None:
        self._client = client
        self._spawn = spawn
        self._events = events
        self._later = later
        self._calls = calls
        self._restart_s = restart_s
        self._room_factory = room
        #: False once the view that listens is gone: nothing more is reported.
        self._alive = alive
        self._room: RoomClient | None = None
        self._generation = 0
        self._online = False
        self._stopped = False
        self._actions = itertools.count(1)

    @property
    def online(self) -> bool:
        return self._online

    @property
    def room_client(self) -> RoomClient | None:
        """The socket's client, for the call's signaling (None when not started)."""
        return self._room

    # --- connection -----------------------------------------------------------------------

    def start(self) -> None:
        """Connect with the client's current token; a running connection is replaced."""
        self._stopped = False
        token = self._client.token
        if not token:
            log.warning("waiting room not connected: no advisor token")
            return
        self._generation += 1
        generation = self._generation
        room = self._room_factory(
            self._client.base_url,
            token,
            partial(self._on_event, generation),
            partial(self._on_online, generation),
            ca_bundle=self._client.ca_bundle,
            calls=lambda: self._calls(),
        )
        self._room = room
        self._set_online(False)
        # A task of the same name (the previous connection) is cancelled by the runner.
        self._spawn(
            TASK_NAME,
            room.run(),
            partial(self._on_run_ended, generation, room),
            partial(self._on_run_failed, generation),
        )

    async def close(self) -> None:
        """Close the socket for good (at quit); the task then ends by itself."""
        self._stopped = True
        self._generation += 1
        room, self._room = self._room, None
        if room is not None:
            await room.close()
        self._set_online(False)

    # --- actions --------------------------------------------------------------------------

    def admit(self, participant_id: int, on_sent: Callable[[bool], None] | None = None) -> None:
        self._act(f"room-admit-{participant_id}", lambda r: r.admit(participant_id), on_sent)

    def note(
        self, participant_id: int, text: str, on_sent: Callable[[bool], None] | None = None
    ) -> None:
        self._act(f"room-note-{participant_id}", lambda r: r.note(participant_id, text), on_sent)

    def send_away(
        self, participant_id: int, reason: str, on_sent: Callable[[bool], None] | None = None
    ) -> None:
        self._act(
            f"room-send-away-{participant_id}",
            lambda r: r.send_away(participant_id, reason),
            on_sent,
        )

    def hand_over(
        self,
        participant_id: int,
        to_advisor_id: int,
        note: str,
        on_sent: Callable[[bool], None] | None = None,
    ) -> None:
        self._act(
            f"room-hand-over-{participant_id}",
            lambda r: r.hand_over(participant_id, to_advisor_id, note),
            on_sent,
        )

    def _act(
        self,
        name: str,
        action: Callable[[RoomClient], Coroutine[Any, Any, bool]],
        on_sent: Callable[[bool], None] | None,
    ) -> None:
        room = self._room
        if room is None:
            self._events.event(
                SocketError(
                    error="offline",
                    message="Keine Verbindung zum Dienst. Die Aktion wurde nicht ausgeführt.",
                )
            )
            if on_sent is not None:
                on_sent(False)
            return
        # Each action is its own task: a second note must not cancel the first one.
        self._spawn(f"{name}-{next(self._actions)}", action(room), on_sent)

    # --- the socket's reports ---------------------------------------------------------------

    def _on_event(self, generation: int, event: BaseModel) -> None:
        if generation != self._generation or not self._alive():
            return  # a replaced connection's last words, or the view is already gone
        if isinstance(event, SocketError) and event.error == "unauthorized":
            return  # answered by signed_out (the sign-in dialog), not by a message
        self._events.event(event)

    def _on_online(self, generation: int, online: bool) -> None:
        if generation == self._generation and self._alive():
            self._set_online(online)

    def _set_online(self, online: bool) -> None:
        if online != self._online:
            self._online = online
            self._events.online(online)

    def _on_run_ended(self, generation: int, room: RoomClient, _result: None) -> None:
        if generation != self._generation:
            return
        self._set_online(False)
        if room.signed_out:
            log.info("waiting room: the service no longer accepts the token")
            self._room = None
            self._events.signed_out()

    def _on_run_failed(self, generation: int, _failure: Failure) -> None:
        # The runner has logged the exception; keep the waiting room alive regardless.
        if generation != self._generation or self._stopped:
            return
        self._set_online(False)
        self._later(self._restart_s, partial(self._restart, generation))

    def _restart(self, generation: int) -> None:
        if generation == self._generation and not self._stopped:
            self.start()
