"""A real coturn on loopback with the TURN REST shared secret, started and stopped by a test."""

from __future__ import annotations

import contextlib
import random
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REALM = "videotermin.test"


@dataclass
class Coturn:
    port: int
    secret: str
    proc: subprocess.Popen[str]
    log: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"turn:127.0.0.1:{self.port}?transport=udp"


def _free_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1 (coturn listens on both)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = int(udp.getsockname()[1])
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    raise RuntimeError("no free port")


@contextlib.contextmanager
def coturn(folder: Path, secret: str) -> Iterator[Coturn]:
    """``turnserver`` in the foreground on 127.0.0.1, relaying only to 127.0.0.1."""
    binary = shutil.which("turnserver")
    assert binary, "coturn is not installed (make system-test)"
    folder.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    low = random.randrange(50000, 64000, 200)  # relay ports, away from other tests' servers
    proc = subprocess.Popen(
        [
            binary,
            "-n",  # no configuration file: everything is here
            "--no-cli",
            "--no-tls",
            "--no-dtls",
            "--listening-ip=127.0.0.1",
            "--relay-ip=127.0.0.1",
            f"--listening-port={port}",
            f"--min-port={low}",
            f"--max-port={low + 199}",
            "--allow-loopback-peers",
            "--use-auth-secret",
            f"--static-auth-secret={secret}",
            f"--realm={REALM}",
            "--log-file=stdout",
            "--simple-log",
            f"--pidfile={folder / 'turnserver.pid'}",
            f"--userdb={folder / 'turndb'}",
            "--no-software-attribute",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = Coturn(port=port, secret=secret, proc=proc)
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            server.log.append(line.rstrip())
            if "Total General servers" in line:
                ready.set()
        ready.set()

    reader = threading.Thread(target=read, name="coturn-log", daemon=True)
    reader.start()
    try:
        assert ready.wait(20), "coturn did not start"
        assert proc.poll() is None, "\n".join(server.log)
        time.sleep(0.2)  # the auth threads start right after the servers
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        reader.join(10)
        if proc.stdout is not None:
            proc.stdout.close()
