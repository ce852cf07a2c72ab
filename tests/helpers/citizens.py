"""Citizens for the console tests: what the citizen web app does, as plain HTTP and WebSocket.

A :class:`Citizen` consents over REST, reports a device check, connects to ``/ws/citizen``,
enters the waiting room and reads what the service tells it (phase changes, notes), against
the same real service the console under test is connected to.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from advisor_app.client.service_client import ServiceClient
from advisor_app.core.clock import SystemClock
from advisor_app.core.protocol import AppointmentIn, AppointmentOut, GuestIn

GREEN_CHECK: dict[str, Any] = {
    "browser": "Firefox 140",
    "os": "Windows 11",
    "device_type": "desktop",
    "upload_kbps": 9500,
    "download_kbps": 48000,
    "rtt_ms": 24,
    "camera": "ok",
    "microphone": "ok",
    "speaker": "ok",
    "verdict": "green",
}


async def book(
    client: ServiceClient,
    name: str,
    *,
    in_minutes: int = 2,
    guests: list[GuestIn] | None = None,
) -> AppointmentOut:
    """An appointment that starts in a few minutes: its waiting room is open now."""
    starts = (SystemClock().now() + timedelta(minutes=in_minutes)).replace(second=0, microsecond=0)
    return await client.create_appointment(
        AppointmentIn(
            starts_at=starts,
            duration_min=30,
            citizen_name=name,
            guests=guests or [],
            allow_overlap=True,  # every test books "now" for the same local advisor
        )
    )


class Citizen:
    """One participant's browser tab."""

    def __init__(self, base_url: str, link: str) -> None:
        self._base = base_url.rstrip("/")
        self.token = urlsplit(link).path.rsplit("/", 1)[1]
        self._http = aiohttp.ClientSession()
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.phase: str | None = None

    async def _call(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        async with self._http.request(method, f"{self._base}{path}", **kwargs) as resp:
            return resp.status, await resp.json()

    async def consent(self) -> None:
        status, view = await self._call("GET", f"/api/citizen/{self.token}")
        assert status == 200, view
        body = {
            "consent_version": view["consent"]["consent_version"],
            "privacy_version": view["consent"]["privacy_version"],
            "language": "de",
        }
        status, view = await self._call("POST", f"/api/citizen/{self.token}/consent", json=body)
        assert status == 200, view

    async def device_check(self, **changes: Any) -> None:
        status, body = await self._call(
            "POST", f"/api/citizen/{self.token}/device-check", json={**GREEN_CHECK, **changes}
        )
        assert status == 201, body

    async def revoke(self) -> None:
        status, body = await self._call("DELETE", f"/api/citizen/{self.token}/consent")
        assert status == 200, body

    async def connect(self) -> str:
        """Open the socket (a page load); returns the phase the service resumes."""
        ws = await self._http.ws_connect(self._base.replace("http", "ws", 1) + "/ws/citizen")
        await ws.send_json({"type": "hello", "token": self.token})
        self.ws = ws
        state = await self.receive("state")
        return str(state["phase"])

    async def enter(self) -> None:
        """Press "Beratungsraum betreten" (connecting first if needed)."""
        if self.ws is None:
            assert await self.connect() == "lobby"
        assert self.ws is not None
        await self.ws.send_json({"type": "enter"})
        state = await self.receive("state")
        assert state["phase"] == "waiting", state

    async def receive(self, kind: str, timeout: float = 10.0) -> dict[str, Any]:
        """The next frame of ``kind`` ("state", "note", "error"), skipping others."""
        assert self.ws is not None
        async with asyncio.timeout(timeout):
            while True:
                frame = await self.ws.receive_json()
                if frame.get("type") == "state":
                    self.phase = frame["phase"]
                if frame.get("type") == kind:
                    return dict(frame)

    async def drop(self) -> None:
        """The network goes away (or the tab is reloaded): the socket closes."""
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def close(self) -> None:
        """Leave the waiting room if still in it, so later tests find it as they expect."""
        if self.ws is not None and not self.ws.closed and self.phase == "waiting":
            with contextlib.suppress(TimeoutError, TypeError, aiohttp.ClientError):
                await self.ws.send_json({"type": "leave"})
                await self.receive("state", timeout=5)
        await self.drop()
        await self._http.close()
