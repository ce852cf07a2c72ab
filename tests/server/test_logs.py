"""Link tokens, session tokens and passwords never reach a log line."""

from __future__ import annotations

import logging
import sqlite3
from datetime import timedelta

import pytest

from advisor_app.server.link_cache import LINKS
from advisor_app.server.logs import redact
from tests.helpers.service import BASE_URL, MONDAY_11, PASSWORD, Service

pytestmark = pytest.mark.service


def all_log_text(caplog: pytest.LogCaptureFixture) -> str:
    lines = []
    for record in caplog.records:
        lines.append(record.getMessage())
        if record.exc_info:
            lines.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(lines)


def test_redact_hides_tokens_in_paths() -> None:
    assert redact("/j/AbCdEf0123456789_-xyz") == "/j/…"
    assert redact('GET /j/AbCdEf0123456789?x=1 "x"') == 'GET /j/…?x=1 "x"'
    assert redact("/code") == "/code"


async def test_access_log_never_contains_a_link_token(
    service: Service, token: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    appt = await service.create(token)
    link_token = appt["participants"][0]["link"].rsplit("/", 1)[1]
    status, _ = await service.call("GET", f"/j/{link_token}?utm={link_token}")
    assert status == 200
    access = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert any('"GET /j/…" 200 ' in line for line in access), access
    assert any('"POST /api/appointments" 201 ' in line for line in access), access
    assert link_token not in all_log_text(caplog)


@pytest.mark.logged_errors
async def test_no_secret_in_any_log_during_a_whole_journey(
    service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await service.add_advisor("berater")
    status, login = await service.call(
        "POST", "/api/login", json={"username": "berater", "password": PASSWORD}
    )
    assert status == 200
    session_token = login["token"]
    await service.call(
        "POST", "/api/login", json={"username": "berater", "password": "Falsch-" + PASSWORD}
    )
    appt = await service.create(session_token)
    await service.drain()
    citizen = appt["participants"][0]
    link_path = citizen["link"].removeprefix(BASE_URL)
    link_token = link_path.rsplit("/", 1)[1]
    service.clock.set(MONDAY_11 - timedelta(minutes=3))
    assert (await service.call("GET", link_path))[0] == 200
    status, _ = await service.call(
        "POST",
        "/code",
        data={"code": citizen["dial_code"], "name": "Erika Mustermann"},
        allow_redirects=False,
    )
    assert status == 303
    await service.call("GET", "/j/" + link_token[:-1] + "A")

    # The database breaks while a citizen opens the link: a German answer, and the log says
    # what failed without the token.
    db = sqlite3.connect(service.settings.service.data_dir / "advisor.db")
    db.execute("ALTER TABLE participants RENAME TO participants_saved")
    db.commit()
    service.app[LINKS].clear()  # a link not opened in the last 30 s: the database is asked
    try:
        status, text = await service.call("GET", link_path)
        assert status == 503
        assert "Die Datenbank des Dienstes ist gerade nicht beschreibbar" in text
    finally:
        db.execute("ALTER TABLE participants_saved RENAME TO participants")
        db.commit()
        db.close()
    assert any("database unavailable on GET /j/…" in r.getMessage() for r in caplog.records)
    assert (await service.call("GET", link_path))[0] == 200

    logged = all_log_text(caplog)
    assert "mail 1 delivered (outbox)" in logged  # the log is not simply empty
    for secret in (PASSWORD, session_token, link_token, citizen["dial_code"]):
        assert secret not in logged


async def test_a_survey_answer_is_logged_without_the_address(
    service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await service.call("GET", "/api/info")
    await service.call("POST", "/api/survey", json={"ticket": "c" * 43, "satisfaction": 4})
    access = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    info = next(line for line in access if "/api/info" in line)
    survey = next(line for line in access if "/api/survey" in line)
    assert info.startswith('- "GET /api/info" 200 ')  # no address by default
    assert survey.startswith('- "POST /api/survey" 410 ')


def test_addresses_are_logged_only_when_configured_and_never_for_the_survey() -> None:
    from aiohttp import web
    from aiohttp.test_utils import make_mocked_request

    from advisor_app.server.logs import access_logger

    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    target = logging.getLogger("test.access")
    target.addHandler(Collect())
    target.setLevel(logging.INFO)
    transport_peer = {"peername": ("192.0.2.7", 5555)}
    for cls in (access_logger(False), access_logger(True)):
        for path in ("/api/info", "/api/survey"):
            request = make_mocked_request("GET", path)
            request = request.clone(remote=transport_peer["peername"][0])
            cls(target, "").log(request, web.Response(), 0.001)
    assert [line.split(" ", 1)[0] for line in lines] == ["-", "-", "192.0.2.7", "-"]
