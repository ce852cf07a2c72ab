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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest

from tests.helpers.certs import make_certs
from tests.helpers.processes import Serve, child_env, run

pytestmark = pytest.mark.integration

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
EXAMPLE = Path(__file__).parents[2] / "installers" / "server" / "nginx-advisor-console.conf"
PASSWORD = "ein-langes-Passwort-2026"
UPLOAD_BYTES = 512 * 1024  # resources/web/static/js/nettest.js


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def site_config(service_port: int, port: int, redirect_port: int, cert: Path, key: Path) -> str:
    """The documented file with only ports, addresses and certificate paths replaced."""
    text = EXAMPLE.read_text(encoding="utf-8")
    replacements = [
        ("server 127.0.0.1:8470;", f"server 127.0.0.1:{service_port};"),
        ("listen 80;", f"listen 127.0.0.1:{redirect_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;"),
        ("/etc/ssl/videotermin/fullchain.pem", str(cert)),
        ("/etc/ssl/videotermin/privkey.pem", str(key)),
    ]
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return re.sub(r"^\s*listen \[::\]:\d+[^;]*;\n", "", text, flags=re.M)


@pytest.fixture
def behind_nginx(tmp_path: Path) -> Iterator[tuple[str, ssl.SSLContext]]:
    """``serve`` behind nginx (not a daemon, its own prefix); yields the https URL."""
    assert os.path.exists(NGINX), "nginx missing: make test installs it (APT_TEST)"
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
    certs = make_certs(tmp_path / "certs")
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    port, redirect_port = free_port(), free_port()
    env = child_env(ADVISOR_SERVICE__TRUSTED_PROXIES='["127.0.0.1"]')
    args = ["serve", "--port", "0", "--data-dir", str(data)]
    with Serve(args, cwd=tmp_path, env=env) as serve:
        service_port = urlsplit(serve.wait_ready(timeout=180)).port
        assert service_port
        (prefix / "site.conf").write_text(
            site_config(service_port, port, redirect_port, certs.cert, certs.key),
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
