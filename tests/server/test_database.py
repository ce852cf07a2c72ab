"""A database that cannot be written: the advisor gets a clear answer and loses nothing."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from tests.helpers.fixtures import MakeService
from tests.helpers.service import BASE_URL, MONDAY_11, Service, appointment_body

pytestmark = pytest.mark.service

UNAVAILABLE = (
    "Die Datenbank des Dienstes ist gerade nicht beschreibbar. Es wurde nichts verändert; "
    "bitte versuchen Sie es in einer Minute erneut oder wenden Sie sich an die IT."
)


def db_path(service: Service) -> Path:
    return service.settings.service.data_dir / "advisor.db"


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Another program (a backup tool, a second service) holds the write lock."""
    other = sqlite3.connect(path, timeout=1)
    try:
        other.execute("BEGIN EXCLUSIVE")
        yield
        other.rollback()
    finally:
        other.close()


@pytest.mark.logged_errors
async def test_locked_database_gives_503_and_keeps_what_was_saved(
    service: Service, token: str
) -> None:
    saved = await service.create(token)
    with exclusive_lock(db_path(service)):
        started = time.monotonic()
        async with service.client.post(
            "/api/appointments",
            json=appointment_body(MONDAY_11 + timedelta(hours=2), name="Max Mustermann"),
            headers={"Authorization": f"Bearer {token}"},
        ) as resp:
            assert resp.status == 503
            assert resp.headers["Retry-After"] == "30"
            body = await resp.json()
        waited = time.monotonic() - started
        assert body["error"] == "database_unavailable"
        assert body["message"] == UNAVAILABLE
        # reading still works while another program writes
        listed = await service.call("GET", "/api/appointments?day=2026-11-23", token)
        assert [a["id"] for a in listed[1]["appointments"]] == [saved["id"]]
    assert waited >= 1  # the service waited for the lock (busy timeout) before giving up
    status, body = await service.call("GET", "/api/appointments?day=2026-11-23", token)
    assert status == 200
    assert [a["citizen_name"] for a in body["appointments"]] == ["Erika Mustermann"]
    again = await service.create(token, starts_at=MONDAY_11 + timedelta(hours=2), name="Max")
    assert again["id"] != saved["id"]
    assert (await service.call("GET", "/readyz"))[0] == 200


@pytest.mark.logged_errors
async def test_read_only_database_gives_503_and_nothing_is_lost(
    make_service: MakeService, tmp_path: Path
) -> None:
    first = await make_service()
    token = await first.signed_in()
    saved = await first.create(token)
    await first.drain()
    path = db_path(first)
    await first.client.close()

    # The same file opened read-only (as on a read-only mount): SQLite itself refuses the
    # writes, so this holds for root too, unlike chmod.
    read_only = await make_service(
        service={"database_url": f"sqlite+aiosqlite:///file:{path}?mode=ro&uri=true"}
    )
    status, body = await read_only.call("GET", f"/api/appointments/{saved['id']}", token)
    assert status == 200
    status, body = await read_only.call(
        "POST",
        "/api/appointments",
        token,
        json=appointment_body(MONDAY_11 + timedelta(hours=3), name="Neu"),
    )
    assert status == 503
    assert body["error"] == "database_unavailable"
    assert body["message"] == UNAVAILABLE
    status, body = await read_only.call("POST", f"/api/appointments/{saved['id']}/cancel", token)
    assert status == 503
    await read_only.client.close()
    assert not (Path.cwd() / "file:").exists()

    writable = await make_service()
    status, body = await writable.call("GET", f"/api/appointments/{saved['id']}", token)
    assert status == 200
    assert body["status"] == "scheduled"
    assert body["participants"][0]["link"].startswith(BASE_URL)
    status, body = await writable.call("GET", "/api/appointments?day=2026-11-23", token)
    assert [a["id"] for a in body["appointments"]] == [saved["id"]]
