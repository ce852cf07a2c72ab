"""The waiting-room socket as Qt signals: a thin adapter around :class:`RoomClient`.

The :class:`RoomClient` runs as one named task of the :class:`TaskRunner` ("waiting-room") on
the console's qasync loop. Its callbacks arrive on the GUI thread (the loop *is* Qt's event
loop) and are re-emitted as signals, so pages only connect slots. Actions (admit, note, send
away) are started through the runner as well; widgets never see a coroutine.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

from pydantic import BaseModel
from PySide6.QtCore import QObject, QTimer, Signal
from shiboken6 import isValid

from advisor_app.client.room_client import RoomClient
from advisor_app.client.service_client import ServiceClient
from advisor_app.core.protocol import SocketError
from advisor_app.ui.refusals import refusal_text
from advisor_app.ui.tasks import Failure, TaskRunner

log = logging.getLogger(__name__)

TASK_NAME = "waiting-room"
#: After an unexpected failure of the socket loop, start it again after this long.
RESTART_MS = 5_000


class RoomFeed(QObject):
    """Connects the advisor's waiting room and reports what happens in it."""

    #: A validated event of the advisor's socket (``core.protocol.AdvisorEvent``).
    event_received = Signal(object)
    #: True: signed in and the room's snapshot arrived; False: reconnecting.
    online_changed = Signal(bool)
    #: The service no longer accepts the advisor's token; ``start()`` again after sign-in.
    signed_out = Signal()

    def __init__(
        self,
        client: ServiceClient,
        runner: TaskRunner,
        *,
        restart_ms: int = RESTART_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._runner = runner
        self._restart_ms = restart_ms
        self._room: RoomClient | None = None
        self._generation = 0
        self._online = False
        self._stopped = False
        self._actions = itertools.count(1)
        #: Who is in the console's call (set by the call controller); the service is told on
        #: every (re)connect, so a restarted console gets its participants back as waiting.
        self.calls: Callable[[], list[int]] = list

    @property
    def online(self) -> bool:
        return self._online

    @property
    def room_client(self) -> RoomClient | None:
        """The socket's client, for the call's signaling (None when not started)."""
        return self._room

    @property
    def language(self) -> str:
        return self._runner.language

    def error_text(self, error: SocketError) -> str:
        """A refusal of the service in the console's words for its code."""
        return refusal_text(error.error, error.details, None, error.message)

    # --- connection ---------------------------------------------------------------------

    def start(self) -> None:
        """Connect with the client's current token; a running connection is replaced."""
        self._stopped = False
        token = self._client.token
        if not token:
            log.warning("waiting room not connected: no advisor token")
            return
        self._generation += 1
        generation = self._generation
        room = RoomClient(
            self._client.base_url,
            token,
            partial(self._on_event, generation),
            partial(self._on_online, generation),
            ca_bundle=self._client.ca_bundle,
            calls=lambda: self.calls(),
        )
        self._room = room
        self._set_online(False)
        # A task of the same name (the previous connection) is cancelled by the runner.
        self._runner.run(
            TASK_NAME,
            room.run(),
            on_done=partial(self._on_run_ended, generation, room),
            on_error=partial(self._on_run_failed, generation),
            owner=self,
        )

    async def close(self) -> None:
        """Close the socket for good (at quit); the runner's task then ends by itself."""
        self._stopped = True
        self._generation += 1
        room, self._room = self._room, None
        if room is not None:
            await room.close()
        self._set_online(False)

    # --- actions ------------------------------------------------------------------------

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

    def _act(
        self,
        name: str,
        action: Callable[[RoomClient], Coroutine[Any, Any, bool]],
        on_sent: Callable[[bool], None] | None,
    ) -> None:
        room = self._room
        if room is None:
            self.event_received.emit(
                SocketError(
                    error="offline",
                    message="Keine Verbindung zum Dienst. Die Aktion wurde nicht ausgeführt.",
                )
            )
            if on_sent is not None:
                on_sent(False)
            return
        # Each action is its own task: a second note must not cancel the first one.
        self._runner.run(f"{name}-{next(self._actions)}", action(room), on_done=on_sent, owner=self)

    # --- callbacks of the RoomClient (on the GUI thread) ----------------------------------

    def _on_event(self, generation: int, event: BaseModel) -> None:
        if generation != self._generation or not isValid(self):
            return  # a replaced connection's last words, or the window is already gone
        if isinstance(event, SocketError) and event.error == "unauthorized":
            return  # answered by signed_out (the sign-in dialog), not by a message
        self.event_received.emit(event)

    def _on_online(self, generation: int, online: bool) -> None:
        if generation == self._generation and isValid(self):
            self._set_online(online)

    def _set_online(self, online: bool) -> None:
        if online != self._online:
            self._online = online
            self.online_changed.emit(online)

    def _on_run_ended(self, generation: int, room: RoomClient, _result: None) -> None:
        if generation != self._generation:
            return
        self._set_online(False)
        if room.signed_out:
            log.info("waiting room: the service no longer accepts the token")
            self._room = None
            self.signed_out.emit()

    def _on_run_failed(self, generation: int, _failure: Failure) -> None:
        # The runner has logged the exception; keep the waiting room alive regardless.
        if generation != self._generation or self._stopped:
            return
        self._set_online(False)
        QTimer.singleShot(self._restart_ms, self, partial(self._restart, generation))

    def _restart(self, generation: int) -> None:
        if generation == self._generation and not self._stopped:
            self.start()
