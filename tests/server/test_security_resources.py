"""The network test needs consent, is limited and
streams (stalled downloads do not grow the service), and sign-ins with made-up names hash
two at a time (the service's peak memory stays bounded)."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.helpers.processes import Serve, child_env, run

pytestmark = pytest.mark.integration

PASSWORD = "ein-langes-Passwort-2026"
MIB = 1024 * 1024


@dataclass
class Running:
    url: str
    pid: int
    token: str


def call(url: str, method: str = "GET", body: Any = None, token: str = "") -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - loopback
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as resp:  # noqa: S310 - loopback
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.loads(err.read() or b"null")


def memory_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(field)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    data = tmp_path / "data"
    added = run(
        [
            "admin",
            "--data-dir",
            str(data),
            "add",
            "berater",
            "--name",
            "Frau Test",
            "--password-stdin",
        ],
        cwd=tmp_path,
        stdin=PASSWORD + "\n",
    )
    assert added.returncode == 0, added.stderr
    env = child_env(
        ADVISOR_SERVICE__NETTEST_RATE_LIMIT="1000/minute",
        ADVISOR_SERVICE__NETTEST_ADDRESS_RATE_LIMIT="1000/minute",
        ADVISOR_SERVICE__LOGIN_RATE_LIMIT="1000/minute",
    )
    args = ["serve", "--port", "0", "--data-dir", str(data)]
    with Serve(args, cwd=tmp_path, env=env) as serve:
        url = serve.wait_ready(timeout=180)
        status, login = call(
            f"{url}/api/login", "POST", {"username": "berater", "password": PASSWORD}
        )
        assert status == 200, login
        yield Running(url, serve.proc.pid, login["token"])
        serve.stop(timeout=120)


def booked_link(service: Running) -> str:
    starts = datetime.now(UTC) + timedelta(minutes=2)
    status, appt = call(
        f"{service.url}/api/appointments",
        "POST",
        {"starts_at": starts.isoformat(), "duration_min": 30, "citizen_name": "Erika Muster"},
        service.token,
    )
    assert status == 201, appt
    return str(urlsplit(appt["participants"][0]["link"]).path.rsplit("/", 1)[1])


def test_the_network_test_needs_consent_and_stalled_downloads_stay_small(
    running: Running,
) -> None:
    link = booked_link(running)
    api = f"{running.url}/api/citizen/{link}"
    status, refused = call(f"{api}/nettest?bytes=10")
    assert (status, refused["error"]) == (409, "consent_required")
    status, view = call(api)
    versions = {k: view["consent"][k] for k in ("consent_version", "privacy_version")}
    assert call(f"{api}/consent", "POST", {**versions, "language": "de"})[0] == 200

    host, port = urlsplit(running.url).hostname, urlsplit(running.url).port
    assert host and port
    before = memory_kib(running.pid, "VmRSS")
    stalled = []
    for _ in range(40):
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect((host, port))
        sock.sendall(
            f"GET /api/citizen/{link}/nettest?bytes={4 * MIB} HTTP/1.1\r\n"
            f"Host: {host}\r\n\r\n".encode()
        )
        stalled.append(sock)
    try:
        for sock in stalled:  # every download has started (its head arrived); none is read
            sock.settimeout(30)
            assert sock.recv(12, socket.MSG_PEEK).startswith(b"HTTP/1.1 200")
        grown_mib = (memory_kib(running.pid, "VmRSS") - before) / 1024
    finally:
        for sock in stalled:
            sock.close()
    assert grown_mib < 40, f"40 stalled 4 MiB downloads grew the service by {grown_mib:.0f} MiB"


def test_sign_ins_with_made_up_names_hash_two_at_a_time(running: Running) -> None:
    before = memory_kib(running.pid, "VmHWM")

    def attempt(i: int) -> int:
        body = {"username": f"niemand{i}", "password": "irgendein-Passwort"}
        return call(f"{running.url}/api/login", "POST", body)[0]

    with ThreadPoolExecutor(24) as pool:
        statuses = list(pool.map(attempt, range(24)))
    assert set(statuses) == {401}
    peak_mib = (memory_kib(running.pid, "VmHWM") - before) / 1024
    # Two Argon2 hashes at 64 MiB each at most, plus the requests themselves.
    assert peak_mib < 200, f"24 parallel sign-ins raised the peak by {peak_mib:.0f} MiB"
    status, _ = call(f"{running.url}/healthz")
    assert status == 200
