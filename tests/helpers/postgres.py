"""A real PostgreSQL server of Debian's package, in a temporary folder, that a test can stop and
start again (a database restart as a deployment sees it)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from tests.helpers.processes import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root; CI runs as root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


class PostgresServer:
    """initdb once, then :meth:`start` / :meth:`stop` on the same port and data."""

    def __init__(self, database: str = "videotermin") -> None:
        assert (PG_BIN / "initdb").exists(), "PostgreSQL server missing: make test installs it"
        # Not pytest's tmp_path: that is private to root, and the server runs as ``postgres``.
        self.root = Path(tempfile.mkdtemp(prefix="advisor-pg-"))
        self.data, self.sock = self.root / "data", self.root / "sock"
        self.sock.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sock, "postgres")
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "advisor"]
            ),
            check=True,
            capture_output=True,
        )
        self.port = free_port()
        self.database = database
        self.url = f"postgresql+asyncpg://advisor@127.0.0.1:{self.port}/{database}"
        self._server: subprocess.Popen[bytes] | None = None
        self.start()
        self._client("createdb", database)

    def _client(self, tool: str, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [str(PG_BIN / tool), "-h", "127.0.0.1", "-p", str(self.port), "-U", "advisor", *args],
            capture_output=True,
            check=tool != "pg_isready",
        )

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        assert self._server is None
        self._server = subprocess.Popen(
            _as_postgres(
                [
                    str(PG_BIN / "postgres"),
                    "-D",
                    str(self.data),
                    "-p",
                    str(self.port),
                    "-k",
                    str(self.sock),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "fsync=off",
                ]
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while self._client("pg_isready").returncode != 0:
            assert self._server.poll() is None, "PostgreSQL stopped while starting"
            assert time.monotonic() < deadline, "PostgreSQL did not start"
            time.sleep(0.2)

    def stop(self) -> None:
        """Fast shutdown (SIGINT): open connections are cut, as in a restart or a crash."""
        assert self._server is not None
        # the postmaster itself: under root, the child process is runuser
        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGINT)
        self._server.wait(timeout=60)
        self._server = None

    def close(self) -> None:
        if self._server is not None:
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
