"""``advisor-console admin team …`` as IT runs it: teams, members, leads, and a removal that
lists the open appointments instead of moving them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from advisor_app.config import Settings
from advisor_app.core.clock import SystemClock
from advisor_app.storage.db import create_engine, session_factory
from advisor_app.storage.models import Appointment
from advisor_app.storage.repositories import AdvisorRepo
from tests.helpers.processes import run

pytestmark = pytest.mark.integration


async def _book(data: Path, username: str, hours: int) -> int:
    """An appointment of ``username`` ``hours`` from now (negative: over), straight in the
    database the admin commands use."""
    engine = create_engine(Settings(service={"data_dir": data}).service.resolved_database_url)
    try:
        async with session_factory(engine)() as session:
            advisor = await AdvisorRepo(session).by_username(username)
            assert advisor is not None
            now = SystemClock().now()
            appt = Appointment(
                advisor_id=advisor.id,
                starts_at=now + timedelta(hours=hours),
                duration_min=30,
                created_at=now,
                updated_at=now,
            )
            session.add(appt)
            await session.commit()
            return appt.id
    finally:
        await engine.dispose()


async def test_admin_manages_teams(tmp_path: Path) -> None:
    admin = ["admin", "--data-dir", str(tmp_path / "daten")]
    for username, name in (("mbeispiel", "Frau Beispiel"), ("kollege", "Herr Kollege")):
        assert run([*admin, "add", username, "--name", name], cwd=tmp_path).returncode == 0

    assert run([*admin, "team", "list"], cwd=tmp_path).stdout.strip() == "Keine Teams vorhanden."
    result = run([*admin, "team", "add", "Team Nord"], cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, "Team „Team Nord“ angelegt.")
    result = run([*admin, "team", "add", "Team Nord"], cwd=tmp_path)
    assert (result.returncode, result.stderr.strip()) == (
        1,
        "Fehler: Das Team „Team Nord“ gibt es schon.",
    )
    result = run(
        [*admin, "team", "member", "add", "Team Nord", "mbeispiel", "--lead"], cwd=tmp_path
    )
    assert result.stdout.strip() == "„mbeispiel“ ist jetzt als Teamleitung im Team „Team Nord“."
    result = run([*admin, "team", "member", "add", "Team Nord", "kollege"], cwd=tmp_path)
    assert result.stdout.strip() == "„kollege“ ist jetzt im Team „Team Nord“."
    result = run([*admin, "team", "member", "add", "Team Süd", "kollege"], cwd=tmp_path)
    assert result.stderr.strip() == "Fehler: Das Team „Team Süd“ gibt es nicht."
    result = run([*admin, "team", "member", "add", "Team Nord", "niemand"], cwd=tmp_path)
    assert result.stderr.strip() == "Fehler: Das Konto „niemand“ gibt es nicht."
    assert run([*admin, "team", "list"], cwd=tmp_path).stdout.splitlines() == [
        "Team Nord (2 Mitglieder)",
        f"  {'mbeispiel':<24} Frau Beispiel (Teamleitung)",
        f"  {'kollege':<24} Herr Kollege",
    ]

    upcoming = await _book(tmp_path / "daten", "kollege", 2)
    await _book(tmp_path / "daten", "kollege", -3)  # over: nothing to reassign
    result = run([*admin, "team", "member", "remove", "Team Nord", "kollege"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "„kollege“ ist nicht mehr im Team „Team Nord“."
    assert "nichts wurde verschoben" in lines[1]
    assert len(lines) == 3 and lines[2].strip().startswith(f"#{upcoming} ")
    result = run([*admin, "team", "member", "remove", "Team Nord", "kollege"], cwd=tmp_path)
    assert result.stderr.strip() == "Fehler: „kollege“ ist nicht im Team „Team Nord“."
    assert "kollege" not in run([*admin, "team", "list"], cwd=tmp_path).stdout
