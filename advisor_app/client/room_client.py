"""The advisor's waiting-room socket: kept open, reconnected with backoff, events validated."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
from pydantic import BaseModel, TypeAdapter, ValidationError

from advisor_app.core.protocol import (
    Admit,
    AdvisorEvent,
    AdvisorSignal,
    EndCall,
    HandOver,
    Hello,
    SendAway,
    SendNote,
    SignalPayload,
    SocketError,
    ToWaitingRoom,
    WaitingSnapshot,
)

log = logging.getLogger(__name__)
_events: TypeAdapter[Any] = TypeAdapter(AdvisorEvent)
CLOSE_UNAUTHORIZED = 4401
BACKOFF_S = (0.5, 1.0, 2.0, 3.0, 5.0)


class RoomClient:
    """Delivers waiting-room events to ``on_event`` and connection changes to ``on_online``.

    ``run()`` returns only when closed or when the service says the token is not valid
    (then ``signed_out`` is True).
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        on_event: Callable[[BaseModel], None],
        on_online: Callable[[bool], None] = lambda _online: None,
        *,
        ca_bundle: Path | None = None,
        calls: Callable[[], list[int]] | None = None,
    ) -> None:
        self._url = base_url.rstrip("/").replace("http", "ws", 1) + "/ws/advisor"
        self._token = token
        self._on_event = on_event
        self._on_online = on_online
        self._ca_bundle = ca_bundle
        #: The participants this console is in a call with, told to the service on every
        #: (re)connect: the ones it does not name go back to the waiting room (a restart).
        self.calls = calls
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._closed = False
        self.signed_out = False

    def _ssl(self) -> ssl.SSLContext | bool:
        if self._ca_bundle is None:
            return True
        ctx = ssl.create_default_context()
        ctx.load_verify_locations(cafile=str(self._ca_bundle))
        return ctx

    async def run(self) -> None:
        attempt = 0
        async with aiohttp.ClientSession() as http:
            while not self._closed:
                try:
                    async with http.ws_connect(
                        self._url,
                        heartbeat=15,
                        ssl=self._ssl(),
                        timeout=aiohttp.ClientWSTimeout(ws_close=5),
                    ) as ws:
                        self._ws = ws
                        calls = self.calls() if self.calls is not None else None
                        hello = Hello(token=self._token, calls=calls)
                        await ws.send_str(hello.model_dump_json(exclude_none=True))
                        if await self._read(ws):
                            attempt = 0
                        if ws.close_code == CLOSE_UNAUTHORIZED:
                            self.signed_out = True
                            return
                except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                    log.info("waiting-room socket unavailable: %s", type(exc).__name__)
                finally:
                    self._ws = None
                if self._closed:
                    break
                self._on_online(False)
                await asyncio.sleep(BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)])
                attempt += 1

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> bool:
        """Deliver events until the socket closes; True if the service accepted the hello."""
        accepted = False
        async for msg in ws:
            if msg.type is not aiohttp.WSMsgType.TEXT:
                continue
            try:
                event = _events.validate_json(msg.data)
            except ValidationError:
                log.warning("dropped a malformed waiting-room frame")
                continue
            if isinstance(event, WaitingSnapshot) and not accepted:
                accepted = True
                self._on_online(True)  # online means: signed in and the room is known
            self._on_event(event)
        return accepted

    async def _send(self, message: BaseModel) -> bool:
        ws = self._ws
        if ws is None or ws.closed:
            self._on_event(
                SocketError(
                    error="offline",
                    message="Keine Verbindung zum Dienst. Die Aktion wurde nicht ausgeführt.",
                )
            )
            return False
        await ws.send_str(message.model_dump_json())
        return True

    async def admit(self, participant_id: int) -> bool:
        return await self._send(Admit(participant_id=participant_id))

    async def note(self, participant_id: int, text: str) -> bool:
        return await self._send(SendNote(participant_id=participant_id, text=text))

    async def send_away(self, participant_id: int, reason: str = "") -> bool:
        return await self._send(SendAway(participant_id=participant_id, reason=reason))

    async def hand_over(self, participant_id: int, to_advisor_id: int, note: str = "") -> bool:
        """Hand a waiting person to a team colleague; ``note`` is for the colleague only."""
        return await self._send(
            HandOver(participant_id=participant_id, to_advisor_id=to_advisor_id, note=note)
        )

    async def signal(self, participant_id: int, payload: SignalPayload) -> bool:
        """One negotiation step to an admitted participant (relayed by the service)."""
        return await self._send(AdvisorSignal(participant_id=participant_id, payload=payload))

    async def end_call(self, participant_id: int, *, remove: bool = False) -> bool:
        """End the call for one participant (``remove``: a guest leaves a call that goes on)."""
        return await self._send(EndCall(participant_id=participant_id, remove=remove))

    async def to_waiting_room(self, participant_id: int) -> bool:
        """Send an admitted participant back to the waiting room (to be admitted again)."""
        return await self._send(ToWaitingRoom(participant_id=participant_id))

    async def close(self) -> None:
        self._closed = True
        if self._ws is not None:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self._ws.close()
