"""No link token in any log line, no client address by default, and the
service's own log file rotated, purged and private."""

from __future__ import annotations

import logging
import os
import secrets
import stat
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from advisor_app.server.link_cache import LinkCache
from tests.helpers.processes import Serve, child_env
from tests.helpers.service import Service
from tests.helpers.waiting_room import ROOM_OPEN, consent, link_token

pytestmark = pytest.mark.integration


@pytest.mark.logged_errors
async def test_no_token_in_access_or_error_lines(
    service: Service, token: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    appt = await service.create(token)
    link = link_token(appt)
    await consent(service, link)
    service.clock.set(ROOM_OPEN)
    assert (await service.call("GET", f"/api/citizen/{link}"))[0] == 200
    async with service.client.get(f"/api/citizen/{link}/nettest?bytes=10") as resp:
        assert resp.status == 200

    def broken(self: LinkCache, wanted: str) -> None:
        raise RuntimeError(f"lookup of {wanted!r} failed")  # a bug that names the token

    monkeypatch.setattr(LinkCache, "get", broken)
    status, body = await service.call("GET", f"/api/citizen/{link}")
    assert status == 500 and body["error"] == "internal"

    text = caplog.text  # as a log handler writes it, tracebacks included
    assert "unhandled error on GET /api/citizen/…" in text
    assert "Traceback" in text and "RuntimeError" in text
    assert '"GET /api/citizen/…/nettest" 200' in text
    assert link not in text
    access = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert access and all(line.startswith("- ") for line in access)  # no client address


def test_serve_writes_a_private_log_that_is_rotated_and_purged(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    log_file = data / "service.log"
    old = data / "service.log.2026-10-01"
    recent = data / "service.log.2026-12-06"
    for path in (old, recent):
        path.write_text("alt\n", encoding="utf-8")
    month_ago = time.time() - 30 * 86400
    os.utime(old, (month_ago, month_ago))
    args = ["serve", "--port", "0", "--data-dir", str(data), "--log-file", str(log_file)]
    secret = secrets.token_urlsafe(16)
    with Serve(args, cwd=tmp_path, env=child_env()) as serve:
        url = serve.wait_ready(timeout=180)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{url}/api/citizen/{secret}/nettest", timeout=10)  # noqa: S310
        assert refused.value.code == 404
        refused.value.close()
        finished = serve.stop(timeout=120)
    assert finished.returncode == 0, finished.stderr
    text = log_file.read_text(encoding="utf-8")
    assert '"GET /api/citizen/…/nettest" 404' in text
    assert secret not in text + finished.stderr
    assert '127.0.0.1 "' not in text
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    assert not old.exists()  # older than the 7 days kept
    assert recent.exists()
    for db_file in data.glob("advisor.db*"):
        assert stat.S_IMODE(db_file.stat().st_mode) == 0o600, db_file


def test_hidden_secrets_are_scoped_to_one_request(caplog: pytest.LogCaptureFixture) -> None:
    """Requests of one kept-alive connection share a task: each forgets what it hid."""
    from advisor_app.server import logs

    logs.keep_personal_data_out()
    caplog.set_level(logging.INFO)
    secret = secrets.token_urlsafe(16)
    with logs.hidden(secret):
        logging.getLogger("test.scope").info("working on %s", secret)
    assert logs._HIDDEN.get() == frozenset()
    assert "working on …" in caplog.text and secret not in caplog.text
