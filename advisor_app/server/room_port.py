"""What the service's sockets and handlers ask of the waiting room.

One instance: the :class:`~advisor_app.server.waiting_room.WaitingRoomHub` itself. Several
instances: :class:`~advisor_app.server.cluster.RoomClient`, which hands each call to the one
hub of the deployment, on whichever instance it runs (``server/cluster.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from advisor_app.core.protocol import DeviceCheckOut, RoomPhase, SocketError, WaitingEntry
from advisor_app.core.protocol import SignalPayload as Payload
from advisor_app.core.teams import AdvisorState, TeamDirectory
from advisor_app.core.timewindow import AppointmentWindow
from advisor_app.server.waiting_room import Socket


class Room(Protocol):
    # --- a citizen's socket ----------------------------------------------------------------
    async def attach_citizen(
        self,
        ws: Socket,
        token: str,
        advisor_id: int,
        entry: WaitingEntry,
        window: AppointmentWindow,
        resume: RoomPhase | None = None,
    ) -> object: ...

    async def enter(self, ws: Socket, token: str, now: datetime) -> SocketError | None: ...

    async def leave(self, ws: Socket, token: str) -> None: ...

    async def signal_from_citizen(
        self, ws: Socket, token: str, payload: Payload
    ) -> SocketError | None: ...

    async def signal_to_peer(
        self, ws: Socket, token: str, peer_id: int, payload: Payload
    ) -> SocketError | None: ...

    async def hangup(self, ws: Socket, token: str) -> SocketError | None: ...

    def detach_citizen(self, ws: Socket, token: str) -> None: ...

    # --- an advisor's socket ---------------------------------------------------------------
    async def attach_advisor(
        self, advisor_id: int, ws: Socket, calls: list[int] | None = None, name: str = ""
    ) -> None: ...

    def detach_advisor(self, advisor_id: int, ws: Socket) -> None: ...

    async def admit(self, advisor_id: int, participant_id: int) -> SocketError | None: ...

    async def note(
        self, advisor_id: int, participant_id: int, text: str, now: datetime
    ) -> SocketError | None: ...

    async def send_away(
        self, advisor_id: int, participant_id: int, reason: str
    ) -> SocketError | None: ...

    async def signal_from_advisor(
        self, advisor_id: int, participant_id: int, payload: Payload
    ) -> SocketError | None: ...

    async def end_call(
        self, advisor_id: int, participant_id: int, *, removed: bool = False
    ) -> SocketError | None: ...

    async def to_waiting_room(
        self, advisor_id: int, participant_id: int, now: datetime
    ) -> SocketError | None: ...

    async def hand_over(
        self, advisor_id: int, participant_id: int, to_id: int, note: str
    ) -> SocketError | None: ...

    # --- the service's handlers ------------------------------------------------------------
    def set_directory(self, directory: TeamDirectory) -> None: ...

    async def end_presence(self, advisor_id: int, token: str, reason: str) -> None: ...

    async def revoke(
        self, advisor_id: int, token: str, participant_id: int, appointment_id: int
    ) -> None: ...

    async def update_device_check(self, token: str, check: DeviceCheckOut) -> None: ...

    async def sign_out(self, advisor_id: int) -> None: ...

    async def reassigned(self, appointment_id: int, from_id: int, to_id: int) -> None: ...

    async def advisor_states(self, advisor_ids: Iterable[int]) -> dict[int, AdvisorState]: ...

    async def in_call(self, appointment_id: int) -> bool: ...

    async def close(self) -> None: ...
