"""The same service on a real PostgreSQL server: nothing in storage is SQLite-only."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient

from advisor_app.config import Settings
from advisor_app.core.clock import ManualClock
from advisor_app.server import keys
from advisor_app.server.app import create_app
from advisor_app.server.auth import hash_password
from advisor_app.storage.repositories import AdvisorRepo

pytestmark = pytest.mark.integration

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root; CI runs as root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    assert (PG_BIN / "initdb").exists(), "PostgreSQL server missing: make test installs it"
    # Not pytest's tmp_path: that is private to root, and the server runs as ``postgres``.
    root = Path(tempfile.mkdtemp(prefix="advisor-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    subprocess.run(
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "advisor"]),
        check=True,
        capture_output=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        _as_postgres(
            [
                str(PG_BIN / "postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-k",
                str(sock),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
            ]
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            ready = subprocess.run(
                [str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                capture_output=True,
                check=False,
            )
            if ready.returncode == 0:
                break
            assert time.monotonic() < deadline, "PostgreSQL did not start"
            time.sleep(0.2)
        subprocess.run(
            [
                str(PG_BIN / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "advisor",
                "videotermin",
            ],
            check=True,
            capture_output=True,
        )
        yield f"postgresql+asyncpg://advisor@127.0.0.1:{port}/videotermin"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)


async def test_service_runs_on_postgresql(
    postgres_url: str, tmp_path: Path, aiohttp_client: object
) -> None:
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    clock = ManualClock(now)
    settings = Settings(
        service={"data_dir": tmp_path, "database_url": postgres_url, "retention_days": 30}
    )
    app = create_app(settings, clock=clock)
    client: TestClient = await aiohttp_client(app)  # type: ignore[operator]
    async with app[keys.SESSIONS]() as session:
        await AdvisorRepo(session).add(
            username="pg",
            display_name="Frau Postgres",
            password_hash=hash_password("correct horse battery"),
            now=now,
        )
        await session.commit()
    login = await client.post(
        "/api/login", json={"username": "pg", "password": "correct horse battery"}
    )
    assert login.status == 200
    auth = {"Authorization": f"Bearer {(await login.json())['token']}"}

    body = {
        "starts_at": "2026-11-24T00:30:00+01:00",  # Berlin midnight edge: still the 24th
        "duration_min": 45,
        "citizen_name": "Zoë Ünal",
        "email": "zoe@example.org",
        "guests": [{"name": "Olena", "role": "interpreter"}],
    }
    created = await client.post("/api/appointments", json=body, headers=auth)
    assert created.status == 201, await created.text()
    appt = await created.json()
    clash = await client.post("/api/appointments", json=body, headers=auth)
    assert clash.status == 409

    day = await client.get("/api/appointments", params={"day": "2026-11-24"}, headers=auth)
    listed = (await day.json())["appointments"]
    assert [a["citizen_name"] for a in listed] == ["Zoë Ünal"]
    assert listed[0]["starts_at"].startswith("2026-11-23T23:30:00")
    assert [p["role"] for p in listed[0]["participants"]] == ["citizen", "interpreter"]

    page = await client.get(urlsplit(appt["participants"][0]["link"]).path)
    assert page.status == 200
    assert "Zoë Ünal" in await page.text()
    await app[keys.MAILER].drain()

    cancelled = await client.post(f"/api/appointments/{appt['id']}/cancel", headers=auth)
    assert (await cancelled.json())["status"] == "cancelled"
    await app[keys.MAILER].drain()  # the cancellation mails are written before the purge runs

    # Retention on PostgreSQL: 31 days later the appointment and its people are gone.
    from advisor_app.server.retention import purge

    clock.advance(timedelta(days=32))
    result = await purge(app[keys.SESSIONS], clock, 30, None, grace_min=15)
    assert result.appointments == 1
    gone = await client.get(f"/api/appointments/{appt['id']}", headers=auth)
    assert gone.status == 401  # the 12-hour sign-in expired as well ...
    login = await client.post(
        "/api/login", json={"username": "pg", "password": "correct horse battery"}
    )
    auth = {"Authorization": f"Bearer {(await login.json())['token']}"}
    gone = await client.get(f"/api/appointments/{appt['id']}", headers=auth)
    assert gone.status == 404  # ... and the appointment is deleted


async def test_anonymous_statistics_on_postgresql(
    postgres_url: str, tmp_path: Path, aiohttp_client: object
) -> None:
    from advisor_app.server.survey import issue_ticket

    clock = ManualClock(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    settings = Settings(service={"data_dir": tmp_path, "database_url": postgres_url})
    app = create_app(settings, clock=clock)
    client: TestClient = await aiohttp_client(app)  # type: ignore[operator]
    async with app[keys.SESSIONS]() as session:
        await AdvisorRepo(session).add(
            username="pg-stats",
            display_name="Frau Statistik",
            password_hash=hash_password("correct horse battery"),
            now=clock.now(),
        )
        await session.commit()
    login = await client.post(
        "/api/login", json={"username": "pg-stats", "password": "correct horse battery"}
    )
    auth = {"Authorization": f"Bearer {(await login.json())['token']}"}
    body = {
        "starts_at": "2026-12-01T00:30:00+01:00",  # 1 December in Berlin, 30 November in UTC
        "duration_min": 30,
        "citizen_name": "Nobody Came",
    }
    assert (await client.post("/api/appointments", json=body, headers=auth)).status == 201

    # Two answers to one ticket at once: exactly one is counted.
    ticket = await issue_ticket(app[keys.SESSIONS], clock.now())
    answers = await asyncio.gather(
        client.post("/api/survey", json={"ticket": ticket, "satisfaction": 5}),
        client.post("/api/survey", json={"ticket": ticket, "satisfaction": 5}),
    )
    statuses = sorted(answer.status for answer in answers)
    assert statuses == [200, 409]
    second = await issue_ticket(app[keys.SESSIONS], clock.now())
    reply = await client.post("/api/survey", json={"ticket": second, "satisfaction": 3})
    assert reply.status == 200

    clock.set(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    login = await client.post(
        "/api/login", json={"username": "pg-stats", "password": "correct horse battery"}
    )
    auth = {"Authorization": f"Bearer {(await login.json())['token']}"}
    got = await client.get("/api/statistics?period=month&count=2", headers=auth)
    assert got.status == 200, await got.text()
    november, december = (await got.json())["periods"]
    assert (november["key"], november["no_show"]) == ("2026-11", 0)
    assert (december["key"], december["no_show"]) == ("2026-12", 1)
    assert november["survey"]["responses"] == 2
    assert november["survey"]["satisfaction"] == [0, 0, 1, 0, 1]


async def test_postgresql_never_reuses_a_participant_id(postgres_url: str) -> None:
    """Migration 0005 changes nothing on PostgreSQL: its sequences never hand out a number
    twice, also not the one of the newest deleted row."""
    from advisor_app.storage.db import create_engine, migrate

    engine = create_engine(postgres_url)
    try:
        await migrate(engine)
        async with engine.begin() as conn:
            now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
            advisor_id = (
                await conn.exec_driver_sql(
                    "INSERT INTO advisors (username, display_name, password_hash, active,"
                    " created_at) VALUES ('pg-ids', 'Ids', '', true, $1) RETURNING id",
                    (now,),
                )
            ).scalar()
            appt_id = (
                await conn.exec_driver_sql(
                    "INSERT INTO appointments (advisor_id, starts_at, duration_min, topic,"
                    " language, status, sequence, call_reported, created_at, updated_at)"
                    " VALUES ($1, $2, 30, '', 'de', 'scheduled', 0, false, $2, $2) RETURNING id",
                    (advisor_id, now),
                )
            ).scalar()

            async def participant(token: str) -> int:
                return int(
                    (
                        await conn.exec_driver_sql(
                            "INSERT INTO participants (appointment_id, role, name, language,"
                            " link_token, dial_code, mail_status) VALUES"
                            " ($1, 'citizen', 'P', 'de', $2, '987654321', 'none') RETURNING id",
                            (appt_id, token),
                        )
                    ).scalar()
                )

            first = await participant("pg-token-1")
            await conn.exec_driver_sql("DELETE FROM participants WHERE id = $1", (first,))
            second = await participant("pg-token-2")
    finally:
        await engine.dispose()
    assert second > first


async def test_teams_and_an_appointments_record_on_postgresql(postgres_url: str) -> None:
    """Migration 0006 on PostgreSQL: teams with members, and the record of an appointment
    deleted with it (the foreign key cascades, as retention relies on)."""
    from advisor_app.storage.db import create_engine, migrate

    engine = create_engine(postgres_url)
    try:
        await migrate(engine)
        async with engine.begin() as conn:
            now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

            async def one(sql: str, *params: object) -> int:
                return int((await conn.exec_driver_sql(sql, params)).scalar())

            advisor = "INSERT INTO advisors (username, display_name, password_hash, active,"
            advisor += " created_at) VALUES ($1, $2, '', true, $3) RETURNING id"
            first = await one(advisor, "pg-team-1", "Frau Eins", now)
            second = await one(advisor, "pg-team-2", "Herr Zwei", now)
            team = await one(
                "INSERT INTO teams (name, created_at) VALUES ('Team Nord', $1) RETURNING id", now
            )
            for member, lead in ((first, True), (second, False)):
                await conn.exec_driver_sql(
                    "INSERT INTO team_members (team_id, advisor_id, lead) VALUES ($1, $2, $3)",
                    (team, member, lead),
                )
            appt = await one(
                "INSERT INTO appointments (advisor_id, starts_at, duration_min, topic,"
                " language, status, sequence, call_reported, created_at, updated_at)"
                " VALUES ($1, $2, 30, '', 'de', 'scheduled', 0, false, $2, $2) RETURNING id",
                second,
                now,
            )
            await conn.exec_driver_sql(
                "INSERT INTO appointment_events (appointment_id, at, kind, actor_advisor_id,"
                " from_advisor_id, to_advisor_id) VALUES ($1, $2, 'reassigned', $3, $3, $4)",
                (appt, now, first, second),
            )
            await conn.exec_driver_sql("DELETE FROM appointments WHERE id = $1", (appt,))
            left = await one("SELECT count(*) FROM appointment_events")
            members = await one("SELECT count(*) FROM team_members WHERE team_id = $1", team)
    finally:
        await engine.dispose()
    assert (left, members) == (0, 2)
