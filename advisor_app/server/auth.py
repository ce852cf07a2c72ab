"""Advisor sign-in: Argon2id password hashes, bearer tokens stored only as digests."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from aiohttp import web
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.ext.asyncio import async_sessionmaker

from advisor_app.core.clock import Clock
from advisor_app.core.codes import new_session_token, token_digest
from advisor_app.core.protocol import AdvisorOut, LoginRequest, LoginResponse
from advisor_app.server import keys
from advisor_app.server.errors import ApiError, json_response, read_model
from advisor_app.server.ratelimit import RateLimiter, address_key
from advisor_app.storage.models import Advisor
from advisor_app.storage.repositories import AdvisorRepo

SESSION_LIFETIME = timedelta(hours=12)
EMBEDDED_SESSION_LIFETIME = timedelta(days=3650)
LOCAL_USERNAME = "lokal"
#: A hash that never verifies, used so that unknown users cost as much time as known ones.
_hasher = PasswordHasher()  # argon2id, memory-hard (64 MiB, 3 passes by default)
_DUMMY_HASH = _hasher.hash("not-a-password")
#: At most this many password hashes at once (64 MiB each): more sign-ins wait their turn.
HASH_THREADS = 2
_HASH_POOL = ThreadPoolExecutor(max_workers=HASH_THREADS, thread_name_prefix="argon2")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def advisor_out(advisor: Advisor) -> AdvisorOut:
    return AdvisorOut(id=advisor.id, username=advisor.username, display_name=advisor.display_name)


class Auth:
    """Issues and checks advisor tokens."""

    def __init__(self, sessions: async_sessionmaker[Any], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def login(
        self, username: str, password: str, limiter: RateLimiter | None = None
    ) -> LoginResponse | None:
        """A new session, or None. Unknown names share one global budget (``login_unknown``):
        once it is spent they are refused without hashing, so floods of made-up names cannot
        keep the hashing threads busy."""
        async with self._sessions() as session:
            advisor = await AdvisorRepo(session).by_username(username)
        known = advisor is not None and advisor.active
        stored = advisor.password_hash if advisor is not None and known else ""
        if not known and limiter is not None and not await limiter.hit("login_unknown", "*"):
            return None
        ok = await asyncio.get_running_loop().run_in_executor(
            _HASH_POOL, verify_password, stored, password
        )
        if not ok or advisor is None:
            return None
        async with self._sessions() as session:
            repo = AdvisorRepo(session)
            advisor = await repo.by_id(advisor.id)
            if advisor is None or not advisor.active:
                return None
            token = new_session_token()
            await repo.add_session(
                advisor, token_digest(token), self._clock.now(), SESSION_LIFETIME
            )
            await session.commit()
            return LoginResponse(token=token, advisor=advisor_out(advisor))

    async def advisor_for(self, token: str) -> Advisor | None:
        async with self._sessions() as session:
            return await AdvisorRepo(session).by_token_digest(
                token_digest(token), self._clock.now()
            )

    async def logout(self, token: str) -> int | None:
        """End every session of the token's advisor; returns the advisor's id (or None)."""
        async with self._sessions() as session:
            repo = AdvisorRepo(session)
            advisor = await repo.by_token_digest(token_digest(token), self._clock.now())
            if advisor is None:
                return None
            await repo.drop_sessions(advisor)
            await session.commit()
            return advisor.id

    async def install_embedded_token(self, token: str, display_name: str) -> None:
        """The embedded service trusts the console that started it with this token; the
        local advisor is named ``display_name`` (the first run's or the settings page's)."""
        async with self._sessions() as session:
            repo = AdvisorRepo(session)
            now = self._clock.now()
            advisor = await repo.by_username(LOCAL_USERNAME)
            if advisor is None:
                advisor = await repo.add(
                    username=LOCAL_USERNAME,
                    display_name=display_name,
                    password_hash="",
                    now=now,
                )
            advisor.display_name = display_name
            await repo.drop_sessions(advisor)
            await repo.add_session(advisor, token_digest(token), now, EMBEDDED_SESSION_LIFETIME)
            await session.commit()


def bearer_token(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


async def require_advisor(request: web.Request) -> Advisor:
    """The signed-in advisor of this request, or a 401 JSON error."""
    token = bearer_token(request)
    advisor = await request.app[keys.AUTH].advisor_for(token) if token else None
    if advisor is None:
        raise ApiError(401, "unauthorized", headers={"WWW-Authenticate": "Bearer"})
    return advisor


def client_address(request: web.Request) -> str:
    return request.remote or "unknown"


def limit_key(request: web.Request) -> str:
    """The client's key for rate limits: its address, IPv6 counted per /64."""
    return address_key(client_address(request))


async def handle_login(request: web.Request) -> web.Response:
    body = await read_model(request, LoginRequest)
    limiter = request.app[keys.LIMITER]
    address = limit_key(request)
    # Per address, and per account *from this address*: guesses from elsewhere never lock
    # the advisor out (unknown names have a global budget in Auth.login).
    allowed_ip = await limiter.hit("login", address)
    allowed_user = await limiter.hit("login_account", f"{body.username.casefold()}|{address}")
    if not (allowed_ip and allowed_user):
        raise ApiError(429, "rate_limited", reason="sign_in", headers={"Retry-After": "60"})
    result = await request.app[keys.AUTH].login(body.username, body.password, limiter)
    if result is None:
        raise ApiError(401, "bad_credentials")
    return json_response(result)


async def handle_logout(request: web.Request) -> web.Response:
    token = bearer_token(request)
    if token:
        advisor_id = await request.app[keys.AUTH].logout(token)
        if advisor_id is not None:  # its consoles' sockets end with the sign-in
            from advisor_app.server.waiting_room_sockets import ROOM

            await request.app[ROOM].sign_out(advisor_id)
    return web.Response(status=204)


async def handle_me(request: web.Request) -> web.Response:
    return json_response(advisor_out(await require_advisor(request)))
