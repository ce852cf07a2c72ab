"""Run ``advisor-console`` as a real subprocess, the way IT and the console start it."""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from advisor_app.core.protocol import (
    SERVICE_READY_PREFIX,
)

#: The console script of the project's own virtual environment.
VENV_SCRIPT = Path(sys.executable).parent / "advisor-console"


def child_env(**extra: str) -> dict[str, str]:
    """The test's (isolated) environment without ADVISOR_ settings, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(extra)
    return env


def run(
    args: Sequence[str],
    *,
    cwd: Path,
    script: Path = VENV_SCRIPT,
    stdin: str | None = None,
    timeout: float = 60,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(script), *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env or child_env(),
        check=False,
    )


def get_json(url: str, timeout: float = 10) -> tuple[int, Any]:
    with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - http on loopback
        return resp.status, json.loads(resp.read())


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str


class Serve:
    """``advisor-console serve``; waits for the ready line and stops with SIGTERM."""

    def __init__(
        self,
        args: Sequence[str],
        *,
        cwd: Path,
        script: Path = VENV_SCRIPT,
        env: dict[str, str] | None = None,
    ) -> None:
        self.proc = subprocess.Popen(
            [str(script), *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env or child_env(),
        )
        self.stdout_lines: list[str] = []

    def wait_ready(self, timeout: float = 30) -> str:
        """The URL from the ``ADVISOR-SERVICE-LISTENING`` line."""
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if not sel.select(timeout=deadline - time.monotonic()):
                    break
                line = self.proc.stdout.readline()
                if not line:
                    break
                self.stdout_lines.append(line)
                if line.startswith(SERVICE_READY_PREFIX):
                    return line.removeprefix(SERVICE_READY_PREFIX).strip()
        self.proc.kill()
        out, err = self.proc.communicate(timeout=10)
        raise AssertionError(f"service did not get ready: {out!r} {err!r}")

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 20) -> Finished:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        out, err = self.proc.communicate(timeout=timeout)
        return Finished(self.proc.returncode, "".join(self.stdout_lines) + out, err)

    def finish(self, timeout: float = 30) -> Finished:
        """Wait for a process that ends by itself (e.g. a start that fails)."""
        out, err = self.proc.communicate(timeout=timeout)
        return Finished(self.proc.returncode, out, err)

    def __enter__(self) -> Serve:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate(timeout=10)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
