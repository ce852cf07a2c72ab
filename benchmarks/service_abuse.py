"""The security hardening's figures against a real ``serve``: what stalled network-test
downloads and parallel sign-ins with made-up names cost the service, and how long a dial-in
code takes to answer when it exists (not yet valid) and when it does not.

    python -m benchmarks.service_abuse

The last line is the result::

    service-abuse: stalled40_rss_mib=… signin24_peak_mib=… healthz_max_ms=… code_known_ms=…
    code_unknown_ms=…
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from advisor_app.config import ServiceSettings
from advisor_app.core.protocol import SERVICE_READY_PREFIX
from benchmarks.service import PASSWORD, load_average, proc_status_kib

SCRIPT = Path(sys.executable).parent / "advisor-console"
MIB = 1024 * 1024


def call(url: str, method: str = "GET", body: Any = None, token: str = "") -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - loopback
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=120) as resp:  # noqa: S310 - loopback
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.loads(err.read() or b"null")


def environment() -> dict[str, str]:
    """Limits a benchmark from one address would hit, raised where this version has them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    raised = {
        "join_rate_limit": "100000/minute",
        "join_global_rate_limit": "100000/minute",
        "join_code_rate_limit": "100000/minute",
        "login_rate_limit": "100000/minute",
        "login_unknown_rate_limit": "100000/minute",
        "nettest_rate_limit": "100000/minute",
        "nettest_address_rate_limit": "100000/minute",
    }
    for name, value in raised.items():
        if name in ServiceSettings.model_fields:
            env[f"ADVISOR_SERVICE__{name.upper()}"] = value
    return env


def booked(url: str, token: str, minutes: int) -> dict[str, Any]:
    starts = (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat()
    status, appt = call(
        f"{url}/api/appointments",
        "POST",
        {"starts_at": starts, "duration_min": 30, "citizen_name": "Erika Muster"},
        token,
    )
    assert status == 201, appt
    return dict(appt)


def stalled_downloads(url: str, pid: int, token: str, count: int) -> float:
    appt = booked(url, token, 2)
    link = urlsplit(appt["participants"][0]["link"]).path.rsplit("/", 1)[1]
    api = f"{url}/api/citizen/{link}"
    _, view = call(api)
    versions = {k: view["consent"][k] for k in ("consent_version", "privacy_version")}
    call(f"{api}/consent", "POST", {**versions, "language": "de"})
    host, port = urlsplit(url).hostname or "127.0.0.1", urlsplit(url).port or 0
    before = proc_status_kib(pid, "VmRSS")
    sockets = []
    for _ in range(count):
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect((host, port))
        head = f"GET /api/citizen/{link}/nettest?bytes={4 * MIB} HTTP/1.1\r\nHost: {host}\r\n\r\n"
        sock.sendall(head.encode())
        sockets.append(sock)
    for sock in sockets:
        sock.settimeout(120)
        sock.recv(12, socket.MSG_PEEK)
    grown = (proc_status_kib(pid, "VmRSS") - before) / 1024
    for sock in sockets:
        sock.close()
    return grown


def parallel_sign_ins(url: str, pid: int, count: int) -> tuple[float, float]:
    before = proc_status_kib(pid, "VmHWM")
    slowest = 0.0
    done = False

    def health() -> None:
        nonlocal slowest
        while not done:
            start = time.perf_counter()
            call(f"{url}/healthz")
            slowest = max(slowest, (time.perf_counter() - start) * 1000)

    with ThreadPoolExecutor(count + 1) as pool:
        watcher = pool.submit(health)
        results = list(
            pool.map(
                lambda i: call(
                    f"{url}/api/login", "POST", {"username": f"niemand{i}", "password": "x" * 12}
                )[0],
                range(count),
            )
        )
        done = True
        watcher.result()
    assert set(results) <= {401, 429}, results
    return (proc_status_kib(pid, "VmHWM") - before) / 1024, slowest


def code_times(url: str, token: str, rounds: int) -> tuple[float, float]:
    appt = booked(url, token, 24 * 60)  # tomorrow: the code exists but is not valid yet
    code = appt["participants"][0]["dial_code"]
    unknown = "000000000" if code != "000000000" else "111111111"
    times: dict[str, list[float]] = {code: [], unknown: []}
    for _ in range(rounds):
        for attempt in (code, unknown):
            start = time.perf_counter()
            status, _ = call(
                f"{url}/api/join/code", "POST", {"code": attempt, "name": "Erika Muster"}
            )
            times[attempt].append((time.perf_counter() - start) * 1000)
            assert status == 404, status
    return statistics.median(times[code]), statistics.median(times[unknown])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--downloads", type=int, default=40)
    parser.add_argument("--sign-ins", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="advisor-abuse-") as tmp:
        data = Path(tmp) / "data"
        env = environment()
        subprocess.run(
            [str(SCRIPT), "admin", "--data-dir", str(data), "add", "bench", "--name", "Bench",
             "--password-stdin"],
            input=PASSWORD + "\n", text=True, env=env, check=True, capture_output=True,
        )  # fmt: skip
        proc = subprocess.Popen(
            [str(SCRIPT), "serve", "--port", "0", "--data-dir", str(data)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            assert line.startswith(SERVICE_READY_PREFIX), line
            url = line.removeprefix(SERVICE_READY_PREFIX).strip()
            _, login = call(f"{url}/api/login", "POST", {"username": "bench", "password": PASSWORD})
            token = login["token"]
            rss = stalled_downloads(url, proc.pid, token, args.downloads)
            peak, healthz = parallel_sign_ins(url, proc.pid, args.sign_ins)
            known, unknown = code_times(url, token, args.rounds)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    print(f"load {load_average()}")
    print(
        f"service-abuse: stalled{args.downloads}_rss_mib={rss:.0f} "
        f"signin{args.sign_ins}_peak_mib={peak:.0f} healthz_max_ms={healthz:.0f} "
        f"code_known_ms={known:.2f} code_unknown_ms={unknown:.2f}"
    )


if __name__ == "__main__":
    main()
