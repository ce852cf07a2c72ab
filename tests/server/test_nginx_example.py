"""The documented nginx configuration, run by a real Debian nginx in front
of a real ``serve``: the device check's 512 KiB upload, its download and the waiting room's
WebSocket pass it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest

from tests.helpers.certs import make_certs
from tests.helpers.processes import Serve, child_env, free_port, run

pytestmark = pytest.mark.integration

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
EXAMPLE = Path(__file__).parents[2] / "installers" / "server" / "nginx-advisor-console.conf"
PASSWORD = "ein-langes-Passwort-2026"
UPLOAD_BYTES = 512 * 1024  # resources/web/static/js/nettest.js


def site_config(
    service_ports: list[int], port: int, redirect_port: int, cert: Path, key: Path
) -> str:
    """The documented file with only ports, addresses and certificate paths replaced; with
    several ports, the commented further instances of the upstream become real ones."""
    text = EXAMPLE.read_text(encoding="utf-8")
    upstream = re.search(r"^upstream advisor_console \{\n(.*?)^\}", text, re.M | re.S)
    assert upstream, "no upstream block"
    lines = re.findall(r"^ *#? *server \S+( .*);$", upstream.group(1), re.M)
    assert len(lines) >= len(service_ports), "fewer instances in the example than tested"
    assert len(set(lines)) == 1, "every instance has the same settings"
    servers = "".join(f"    server 127.0.0.1:{p}{lines[0]};\n" for p in service_ports)
    body = re.sub(r"^ *#? *server \S+ .*;\n", "", upstream.group(1), flags=re.M)
    text = text.replace(upstream.group(1), servers + body)
    replacements = [
        ("listen 80;", f"listen 127.0.0.1:{redirect_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;"),
        ("/etc/ssl/videotermin/fullchain.pem", str(cert)),
        ("/etc/ssl/videotermin/privkey.pem", str(key)),
    ]
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return re.sub(r"^\s*listen \[::\]:\d+[^;]*;\n", "", text, flags=re.M)


def add_advisor(data: Path, cwd: Path) -> None:
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
        cwd=cwd,
        stdin=PASSWORD + "\n",
    )
    assert added.returncode == 0, added.stderr


@contextmanager
def nginx_before(service_ports: list[int], tmp_path: Path) -> Iterator[tuple[str, ssl.SSLContext]]:
    """nginx (not a daemon, its own prefix) with the documented site in front of the given
    service ports, checked with ``nginx -t`` first; yields the https URL."""
    assert os.path.exists(NGINX), "nginx missing: make test installs it (APT_TEST)"
    certs = make_certs(tmp_path / "certs")
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    port, redirect_port = free_port(), free_port()
    (prefix / "site.conf").write_text(
        site_config(service_ports, port, redirect_port, certs.cert, certs.key),
        encoding="utf-8",
    )
    temp = "".join(
        f"{kind}_temp_path {prefix / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (prefix / "nginx.conf").write_text(
        f"daemon off;\nuser root;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\nevents {{}}\n"
        f"http {{\n{temp}include {prefix / 'site.conf'};\n}}\n",
        encoding="utf-8",
    )
    checked = subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:  # until nginx listens
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert nginx.poll() is None, nginx.stderr.read() if nginx.stderr else ""
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
        context = ssl.create_default_context(cafile=str(certs.ca))
        yield f"https://127.0.0.1:{port}", context
    finally:
        nginx.send_signal(signal.SIGQUIT)
        try:
            nginx.wait(timeout=20)
        except subprocess.TimeoutExpired:
            nginx.kill()
            nginx.wait()
        if nginx.stderr:
            nginx.stderr.close()


def serve_args(data: Path) -> list[str]:
    return ["serve", "--port", "0", "--data-dir", str(data)]


PROXY_ENV = {"ADVISOR_SERVICE__TRUSTED_PROXIES": '["127.0.0.1"]'}


@pytest.fixture
def behind_nginx(tmp_path: Path) -> Iterator[tuple[str, ssl.SSLContext]]:
    """``serve`` behind nginx; yields the https URL."""
    data = tmp_path / "data"
    add_advisor(data, tmp_path)
    with Serve(serve_args(data), cwd=tmp_path, env=child_env(**PROXY_ENV)) as serve:
        service_port = urlsplit(serve.wait_ready(timeout=180)).port
        assert service_port
        try:
            with nginx_before([service_port], tmp_path) as site:
                yield site
        finally:
            serve.stop(timeout=120)


async def test_the_device_check_passes_the_documented_nginx(
    behind_nginx: tuple[str, ssl.SSLContext],
) -> None:
    url, context = behind_nginx
    connector = aiohttp.TCPConnector(ssl=context)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def call(method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
            async with http.request(method, url + path, **kwargs) as resp:
                return resp.status, await resp.json()

        status, login = await call(
            "POST", "/api/login", json={"username": "berater", "password": PASSWORD}
        )
        assert status == 200, login
        auth = {"Authorization": f"Bearer {login['token']}"}
        starts = (datetime.now(UTC) + timedelta(minutes=3)).isoformat()
        status, appt = await call(
            "POST",
            "/api/appointments",
            json={"starts_at": starts, "duration_min": 30, "citizen_name": "Erika Muster"},
            headers=auth,
        )
        assert status == 201, appt
        link = urlsplit(appt["participants"][0]["link"]).path.rsplit("/", 1)[1]
        api = f"/api/citizen/{link}"
        _, view = await call("GET", api)
        versions = {k: view["consent"][k] for k in ("consent_version", "privacy_version")}
        origin = {"Origin": url}  # as the citizen's browser sends it, port included
        status, _ = await call(
            "POST", f"{api}/consent", json={**versions, "language": "de"}, headers=origin
        )
        assert status == 200

        status, received = await call(
            "POST",
            f"{api}/nettest",
            data=os.urandom(UPLOAD_BYTES),
            headers={**origin, "Content-Type": "application/octet-stream"},
        )
        assert (status, received) == (200, {"received": UPLOAD_BYTES})
        async with http.get(f"{url}{api}/nettest?bytes={1024 * 1024}") as resp:
            assert resp.status == 200
            assert len(await resp.read()) == 1024 * 1024

        ws = await http.ws_connect(url.replace("https", "wss") + "/ws/citizen")
        await ws.send_json({"type": "hello", "token": link})
        state = await ws.receive_json(timeout=10)
        assert state["type"] == "state" and state["phase"] == "lobby"
        await ws.close()


async def test_an_instance_that_dies_costs_the_documented_nginx_no_request(
    tmp_path: Path,
) -> None:
    """The upstream with two instances: one killed with SIGKILL, requests (a sign-in too) and
    new WebSockets go to the other at once; both gone, nginx answers 502. Both instances use
    one SQLite file here only so that both know the advisor; a site shares PostgreSQL."""
    data = tmp_path / "data"
    add_advisor(data, tmp_path)
    env = child_env(**PROXY_ENV)
    with (
        Serve(serve_args(data), cwd=tmp_path, env=env) as one,
        Serve(serve_args(data), cwd=tmp_path, env=env) as two,
    ):
        ports = [urlsplit(s.wait_ready(timeout=180)).port or 0 for s in (one, two)]
        with nginx_before(ports, tmp_path) as (url, context):
            connector = aiohttp.TCPConnector(ssl=context)
            async with aiohttp.ClientSession(connector=connector) as http:

                async def ready() -> int:
                    async with http.get(f"{url}/readyz") as resp:
                        return resp.status

                assert [await ready() for _ in range(4)] == [200] * 4
                one.stop(signal.SIGKILL, timeout=30)
                assert [await ready() for _ in range(6)] == [200] * 6
                login = {"username": "berater", "password": PASSWORD}
                async with http.post(f"{url}/api/login", json=login) as resp:
                    assert resp.status == 200
                ws = await http.ws_connect(url.replace("https", "wss") + "/ws/citizen")
                await ws.close()

                two.stop(signal.SIGKILL, timeout=30)
                assert await ready() == 502
