"""A real service for tests: the production app factory, a SQLite file, a manual clock."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from advisor_app.config import Settings
from advisor_app.core.clock import ManualClock
from advisor_app.core.codes import new_session_token, token_digest
from advisor_app.server import keys
from advisor_app.server.auth import hash_password
from advisor_app.storage.models import Advisor
from advisor_app.storage.repositories import AdvisorRepo

#: Friday, 20 November 2026, 09:00 in Berlin: "now" in most service tests.
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
#: Montag, 23. November 2026, 11:00 Uhr (Berlin, CET = UTC+1).
MONDAY_11 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
#: Where citizens reach the service; links in mails start with it.
BASE_URL = "https://videotermin.example.de"
PASSWORD = "ein-langes-Passwort-2026"


@functools.cache
def password_hash() -> str:
    """One Argon2 hash per test session: hashing costs tens of milliseconds."""
    return hash_password(PASSWORD)


def make_settings(tmp_path: Path, **sections: dict[str, Any]) -> Settings:
    """Settings with the data folder in ``tmp_path``; ``sections`` override per section."""
    # The bundled imprint keeps its [[…]] placeholders; a service with a public address
    # refuses them unless told (tests/server/test_legal.py checks the refusal).
    service: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "retention_interval_min": 1440,
        "allow_placeholder_legal": True,
    }
    service.update(sections.pop("service", {}))
    values: dict[str, Any] = {"service": service, **sections}
    return Settings(**values)


def appointment_body(
    starts_at: datetime | str = MONDAY_11, *, name: str = "Erika Mustermann", **fields: Any
) -> dict[str, Any]:
    """A JSON body for POST/PUT /api/appointments."""
    body: dict[str, Any] = {
        "starts_at": starts_at if isinstance(starts_at, str) else starts_at.isoformat(),
        "duration_min": 30,
        "topic": "Beratung zur Arbeitsuche",
        "citizen_name": name,
        "email": "erika@example.org",
    }
    body.update(fields)
    return body


@dataclass
class Service:
    """One running service plus the handles a test needs to drive it."""

    client: TestClient[web.Request, web.Application]
    clock: ManualClock
    settings: Settings

    @property
    def app(self) -> web.Application:
        app = self.client.app
        assert app is not None
        return app

    async def add_advisor(
        self, username: str = "berater", display_name: str = "Frau Beispiel", *, active: bool = True
    ) -> Advisor:
        async with self.app[keys.SESSIONS]() as session:
            advisor = await AdvisorRepo(session).add(
                username=username,
                display_name=display_name,
                password_hash=password_hash(),
                now=self.clock.now(),
            )
            advisor.active = active
            await session.commit()
            return advisor

    async def token_for(self, username: str) -> str:
        """A signed-in session for ``username`` without paying for Argon2 verification."""
        token = new_session_token()
        async with self.app[keys.SESSIONS]() as session:
            repo = AdvisorRepo(session)
            advisor = await repo.by_username(username)
            assert advisor is not None
            await repo.add_session(
                advisor, token_digest(token), self.clock.now(), timedelta(hours=12)
            )
            await session.commit()
        return token

    async def signed_in(self, username: str = "berater") -> str:
        await self.add_advisor(username)
        return await self.token_for(username)

    async def call(
        self, method: str, path: str, token: str | None = None, **kwargs: Any
    ) -> tuple[int, Any]:
        headers = dict(kwargs.pop("headers", {}))
        if token:
            headers["Authorization"] = f"Bearer {token}"
        async with self.client.request(method, path, headers=headers, **kwargs) as resp:
            if resp.content_type == "application/json":
                return resp.status, await resp.json()
            return resp.status, await resp.text()

    async def create(self, token: str, **fields: Any) -> dict[str, Any]:
        status, body = await self.call(
            "POST", "/api/appointments", token, json=appointment_body(**fields)
        )
        assert status == 201, body
        return dict(body)

    async def get(self, token: str, appointment_id: int) -> dict[str, Any]:
        status, body = await self.call("GET", f"/api/appointments/{appointment_id}", token)
        assert status == 200, body
        return dict(body)

    async def drain(self) -> None:
        """Wait until every background mail is delivered (or failed)."""
        await self.app[keys.MAILER].drain()
