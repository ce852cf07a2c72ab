"""Failover of real ``serve`` processes: two instances over one PostgreSQL and one Redis.

Instance A starts first and holds the waiting room's lease; the advisor's console is on B,
the citizen's socket on A. A is killed with SIGKILL (no goodbye, no state written at the
end): B takes the lease over and the places from Redis, the console is told the waiting room
again, and the citizen's page, reconnecting to B as it would through the balancer, is still
waiting (no new consent, no new "enter") and can be admitted. Then B is stopped with SIGTERM:
its sockets are closed with 1012 ("service restart"), which the pages and consoles answer by
reconnecting.
"""

from __future__ import annotations

import asyncio
import json
import signal
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest

from tests.helpers.postgres import PostgresServer
from tests.helpers.processes import Serve, child_env, run
from tests.helpers.redis import RedisServer

pytestmark = pytest.mark.integration

PASSWORD = "ein-langes-Passwort-2026"


@pytest.fixture
def shared() -> Iterator[tuple[PostgresServer, RedisServer]]:
    with PostgresServer() as postgres, RedisServer() as redis:
        yield postgres, redis


async def receive(ws: aiohttp.ClientWebSocketResponse, kind: str, timeout: float = 30) -> Any:
    """The next frame of ``kind`` (others skipped), waiting for a state, not a time."""
    async with asyncio.timeout(timeout):
        while True:
            msg = await ws.receive()
            assert msg.type is aiohttp.WSMsgType.TEXT, msg
            frame = json.loads(msg.data)
            if frame["type"] == kind:
                return frame


async def test_an_instance_killed_loses_no_citizen(
    shared: tuple[PostgresServer, RedisServer], tmp_path: Path
) -> None:
    postgres, redis = shared
    env = child_env(
        ADVISOR_SERVICE__DATABASE_URL=postgres.url,
        ADVISOR_SERVICE__REDIS_URL=redis.url,
        ADVISOR_SERVICE__RECONNECT_GRACE_S="60",
    )
    added = run(
        [
            "admin",
            "--data-dir",
            str(tmp_path / "a"),
            "add",
            "berater",
            "--name",
            "Frau Test",
            "--password-stdin",
        ],
        cwd=tmp_path,
        stdin=PASSWORD + "\n",
        env=env,
    )
    assert added.returncode == 0, added.stderr
    args = ["serve", "--port", "0", "--data-dir"]
    with Serve([*args, str(tmp_path / "a")], cwd=tmp_path, env=env) as a:
        url_a = a.wait_ready(timeout=180)
        with Serve([*args, str(tmp_path / "b")], cwd=tmp_path, env=env) as b:
            url_b = b.wait_ready(timeout=180)
            async with aiohttp.ClientSession() as http:
                await _killed_and_recovered(http, a, url_a, url_b)
                finished = b.stop(signal.SIGTERM, timeout=60)
                assert finished.returncode == 0, finished.stderr[-2000:]
            assert "waiting room's hub" in finished.stderr  # B took the lease over


async def _killed_and_recovered(
    http: aiohttp.ClientSession, a: Serve, url_a: str, url_b: str
) -> None:
    async with http.post(
        f"{url_b}/api/login", json={"username": "berater", "password": PASSWORD}
    ) as resp:
        assert resp.status == 200
        token = (await resp.json())["token"]
    auth = {"Authorization": f"Bearer {token}"}
    starts = (datetime.now(UTC) + timedelta(minutes=3)).isoformat()
    body = {"starts_at": starts, "duration_min": 30, "citizen_name": "Erika Muster"}
    async with http.post(f"{url_b}/api/appointments", json=body, headers=auth) as resp:
        assert resp.status == 201
        appt = await resp.json()
    link = urlsplit(appt["participants"][0]["link"]).path.rsplit("/", 1)[1]
    async with http.get(f"{url_a}/api/citizen/{link}") as resp:
        consent = (await resp.json())["consent"]
    versions = {k: consent[k] for k in ("consent_version", "privacy_version")}
    async with http.post(
        f"{url_a}/api/citizen/{link}/consent",
        json={**versions, "language": "de"},
        headers={"Origin": url_a},
    ) as resp:
        assert resp.status == 200

    console = await http.ws_connect(url_b.replace("http", "ws") + "/ws/advisor")
    await console.send_json({"type": "hello", "token": token})
    assert (await receive(console, "waiting"))["entries"] == []
    citizen = await http.ws_connect(url_a.replace("http", "ws") + "/ws/citizen")
    await citizen.send_json({"type": "hello", "token": link})
    assert (await receive(citizen, "state"))["phase"] == "lobby"
    await citizen.send_json({"type": "enter"})
    assert (await receive(citizen, "state"))["phase"] == "waiting"
    pid = (await receive(console, "arrived"))["entry"]["participant_id"]

    a.stop(signal.SIGKILL, timeout=30)  # the hub's instance and the citizen's socket die
    closed = await citizen.receive(timeout=30)
    assert closed.type in (
        aiohttp.WSMsgType.CLOSE,
        aiohttp.WSMsgType.CLOSED,
        aiohttp.WSMsgType.ERROR,
    )

    # The page reconnects (through the balancer: to B) with its link only.
    again = await http.ws_connect(url_b.replace("http", "ws") + "/ws/citizen")
    for _ in range(60):  # until B holds the lease and answers (no fixed wait)
        await again.send_json({"type": "hello", "token": link})
        frame = json.loads((await again.receive(timeout=30)).data)
        if frame["type"] == "state":
            break
        assert frame.get("error") == "shared_state_unavailable", frame
        again = await http.ws_connect(url_b.replace("http", "ws") + "/ws/citizen")
    assert frame["phase"] == "waiting"  # the place was kept: no consent, no "enter"

    snapshot = await receive(console, "waiting")
    while pid not in [e["participant_id"] for e in snapshot["entries"]]:
        snapshot = await receive(console, "waiting")
    await console.send_json({"type": "admit", "participant_id": pid})
    state = await receive(again, "state")
    while state["phase"] == "waiting":
        state = await receive(again, "state")
    assert state["phase"] == "admitted"
    await console.close()
    await again.close()
