"""A real ``redis-server`` of Debian's package on a free loopback port, that a test can stop and
start again on the same port (a Redis restart as a deployment sees it). Nothing is saved."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from types import TracebackType

from tests.helpers.processes import free_port


class RedisServer:
    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        assert binary is not None, "redis-server missing: make test installs it"
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._server: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        """Start the server and wait until it answers PING."""
        assert self._server is None
        self._server = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while not self._answers():
            assert self._server.poll() is None, "redis-server ended at its start"
            assert time.monotonic() < deadline, "redis-server does not answer"
            time.sleep(0.05)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """Stop the server (SIGTERM) and wait until it is gone."""
        if self._server is None:
            return
        self._server.terminate()
        self._server.wait(timeout=20)
        self._server = None

    def __enter__(self) -> RedisServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
