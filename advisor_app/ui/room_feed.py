"""The waiting-room socket as Qt signals: a thin adapter around :class:`RoomConnection`.

The connection's socket runs as one named task of the :class:`TaskRunner` ("waiting-room")
on the console's qasync loop. Its reports arrive on the GUI thread (the loop *is* Qt's event
loop) and are re-emitted as signals, so pages only connect slots. Actions (admit, note, send
away) are started through the runner as well; widgets never see a coroutine.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from pydantic import BaseModel
from PySide6.QtCore import QObject, QTimer, Signal
from shiboken6 import isValid

from advisor_app.client.room_client import RoomClient
from advisor_app.client.service_client import ServiceClient
from advisor_app.console.room_connection import ConnectionEvents, RoomConnection
from advisor_app.console.tasks import Failure
from advisor_app.core.protocol import SocketError
from advisor_app.ui.refusals import refusal_text
from advisor_app.ui.tasks import TaskRunner

T = TypeVar("T")

#: After an unexpected failure of the socket loop, start it again after this long.
RESTART_MS = 5_000


class RoomFeed(QObject):
    """Connects the advisor's waiting room and reports what happens in it."""

    #: A validated event of the advisor's socket (``core.protocol.AdvisorEvent``).
    event_received = Signal(BaseModel)
    #: True: signed in and the room's snapshot arrived; False: reconnecting.
    online_changed = Signal(bool)
    #: The service no longer accepts the advisor's token; ``start()`` again after sign-in.
    signed_out = Signal()

    def __init__(
        self,
        client: ServiceClient,
        runner: TaskRunner,
        *,
        calls: Callable[[], list[int]] = list,
        restart_ms: int = RESTART_MS,
        parent: QObject | None = None,
    ) -> None:
        """``calls``: who is in the console's call, told to the service on every (re)connect,
        so a restarted service gets the console's participants back as waiting."""
        super().__init__(parent)
        self._runner = runner
        self.connection = RoomConnection(
            client,
            self._spawn,
            ConnectionEvents(
                event=self.event_received.emit,
                online=self.online_changed.emit,
                signed_out=self.signed_out.emit,
            ),
            self._later,
            calls=calls,
            restart_s=restart_ms / 1000,
            alive=lambda: isValid(self),
        )

    @property
    def online(self) -> bool:
        return self.connection.online

    @property
    def room_client(self) -> RoomClient | None:
        """The socket's client, for the call's signaling (None when not started)."""
        return self.connection.room_client

    @property
    def language(self) -> str:
        return self._runner.language

    def error_text(self, error: SocketError) -> str:
        """A refusal of the service in the console's words for its code."""
        return refusal_text(error.error, error.details, None, error.message)

    def start(self) -> None:
        """Connect with the client's current token; a running connection is replaced."""
        self.connection.start()

    async def close(self) -> None:
        """Close the socket for good (at quit); the runner's task then ends by itself."""
        await self.connection.close()

    def admit(self, participant_id: int, on_sent: Callable[[bool], None] | None = None) -> None:
        self.connection.admit(participant_id, on_sent)

    def note(
        self, participant_id: int, text: str, on_sent: Callable[[bool], None] | None = None
    ) -> None:
        self.connection.note(participant_id, text, on_sent)

    def send_away(
        self, participant_id: int, reason: str, on_sent: Callable[[bool], None] | None = None
    ) -> None:
        self.connection.send_away(participant_id, reason, on_sent)

    def hand_over(
        self,
        participant_id: int,
        to_advisor_id: int,
        note: str,
        on_sent: Callable[[bool], None] | None = None,
    ) -> None:
        """Hand a waiting person to a team colleague (the note is for the colleague only)."""
        self.connection.hand_over(participant_id, to_advisor_id, note, on_sent)

    def _spawn(
        self,
        name: str,
        coro: Coroutine[Any, Any, T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Failure], None] | None = None,
    ) -> asyncio.Task[T]:
        return self._runner.run(name, coro, on_done, on_error, owner=self)

    def _later(self, seconds: float, call: Callable[[], None]) -> None:
        QTimer.singleShot(round(seconds * 1000), self, call)
