"""A revocation deletes the outbox mails too; deleted rows are
overwritten; the database, the outbox and its mails are the service account's only."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from advisor_app.server import keys
from tests.helpers.service import Service
from tests.helpers.waiting_room import consent, link_token

pytestmark = pytest.mark.service


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_revocation_deletes_the_outbox_mail_and_files_are_private(
    service: Service, token: str
) -> None:
    appt = await service.create(
        token,
        name="Erika Mustermann",
        email="erika@example.org",
        guests=[
            {"name": "Olena Dolmetscherin", "role": "interpreter", "email": "olena@example.org"}
        ],
    )
    await service.drain()
    outbox = service.settings.service.outbox_dir
    mails = sorted(outbox.glob("*.eml"))
    assert len(mails) == 2
    assert mode(outbox) == 0o700
    for mail in mails:
        assert mode(mail) == 0o600
    data = service.settings.service.data_dir
    for db_file in data.glob("advisor.db*"):
        assert mode(db_file) == 0o600, db_file

    link = link_token(appt)
    await consent(service, link)
    status, _ = await service.call("DELETE", f"/api/citizen/{link}/consent")
    assert status == 200
    left = [p.read_bytes() for p in outbox.glob("*.eml")]
    assert len(left) == 1  # the guest's invitation stays
    assert all(b"erika@example.org" not in m and b"Mustermann" not in m for m in left)


async def test_deleted_rows_are_overwritten(service: Service, tmp_path: Path) -> None:
    async with service.app[keys.ENGINE].connect() as conn:
        value = (await conn.exec_driver_sql("PRAGMA secure_delete")).scalar()
    assert value == 1
    # Also where the SQLite build does not do it by default (Debian's does):
    # a connection that starts with it off gets it on from the service's set-up.
    from advisor_app.storage import db

    raw = sqlite3.connect(tmp_path / "x.db")
    try:
        raw.execute("PRAGMA secure_delete=OFF")
        db._sqlite_pragmas(raw, None)  # type: ignore[arg-type]
        assert raw.execute("PRAGMA secure_delete").fetchone() == (1,)
    finally:
        raw.close()
