"""Starts the bundled service as a child process on 127.0.0.1 (the zero-set-up default)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from advisor_app.config import ENV_PREFIX, Settings
from advisor_app.core.codes import new_session_token
from advisor_app.core.protocol import EMBEDDED_TOKEN_ENV, SERVICE_READY_PREFIX
from advisor_app.paths import self_command

log = logging.getLogger(__name__)

START_TIMEOUT_S = 60.0


class EmbeddedStartError(Exception):
    """The local service did not start; the message is German and names the log file."""


def port_is_free(port: int) -> bool:
    """Can the service listen on ``port``? Asked as the service will bind: with
    ``SO_REUSEADDR`` on POSIX (aiohttp's default), so the connections of a service that just
    ended (``TIME_WAIT`` for a minute) do not move a restarted console's service to another
    port, which would break every invitation link sent with the old one. Not on Windows,
    where the option would let two services share the port."""
    if port == 0:
        return True
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        if os.name == "posix":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def site_environment(settings: Settings) -> dict[str, str]:
    """The first run's values as the child service's environment: it then uses exactly what
    this console loaded (all layers), whatever files it would read itself."""
    service = settings.service
    env = {
        f"{ENV_PREFIX}SERVICE__ORGANISATION": service.organisation,
        f"{ENV_PREFIX}SERVICE__SUPPORT_PHONE": service.support_phone,
        f"{ENV_PREFIX}SERVICE__SUPPORT_HOURS": service.support_hours,
        f"{ENV_PREFIX}SERVICE__RETENTION_DAYS": str(service.retention_days),
    }
    if service.legal_dir is not None:
        env[f"{ENV_PREFIX}SERVICE__LEGAL_DIR"] = str(service.legal_dir)
    if settings.console.display_name:
        env[f"{ENV_PREFIX}CONSOLE__DISPLAY_NAME"] = settings.console.display_name
    return env


_SITE_KEYS = (
    "SERVICE__ORGANISATION",
    "SERVICE__SUPPORT_PHONE",
    "SERVICE__SUPPORT_HOURS",
    "SERVICE__RETENTION_DAYS",
    "SERVICE__LEGAL_DIR",
    "CONSOLE__DISPLAY_NAME",
)


@dataclass
class EmbeddedService:
    """A running child service; ``token`` signs the local advisor in without a password."""

    url: str
    token: str
    process: subprocess.Popen[bytes]
    log_path: Path
    data_dir: Path = Path()
    site_env: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    async def start(
        cls,
        data_dir: Path,
        preferred_port: int,
        *,
        site_env: Mapping[str, str] | None = None,
        token: str | None = None,
    ) -> EmbeddedService:
        """Start the child; ``site_env`` (see :func:`site_environment`) sets the site's values,
        ``token`` the console's (a new one when None)."""
        data_dir.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - once at start
        log_path = data_dir / "service.log"
        token = token or new_session_token()
        port = preferred_port if port_is_free(preferred_port) else 0
        env = dict(os.environ)
        if site_env is not None:  # what is not given now must not come from an older start
            for key in _SITE_KEYS:
                env.pop(f"{ENV_PREFIX}{key}", None)
            env.update(site_env)
        env[EMBEDDED_TOKEN_ENV] = token
        cmd = [
            *self_command(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
            "--log-file",  # rotated daily and purged by the service itself
            str(log_path),
            "--stop-on-stdin-eof",
        ]
        # Standard error holds only what happens before logging starts; new at every start.
        with (data_dir / "service-stderr.log").open("wb") as log_file:
            proc = subprocess.Popen(  # noqa: ASYNC220 - returns at once
                cmd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log_file,
                env=env,
            )
        assert proc.stdout is not None
        loop = asyncio.get_running_loop()
        try:
            line = await asyncio.wait_for(
                loop.run_in_executor(None, proc.stdout.readline), START_TIMEOUT_S
            )
        except TimeoutError:
            proc.kill()
            line = b""
        except asyncio.CancelledError:  # the console quits while its service starts
            proc.kill()
            proc.wait()
            proc.stdout.close()
            if proc.stdin is not None:
                proc.stdin.close()
            raise
        text = line.decode("utf-8", "replace").strip()
        if not text.startswith(SERVICE_READY_PREFIX):
            await _reap(proc, grace_s=10.0)
            raise EmbeddedStartError(
                "Der lokale Termindienst konnte nicht gestartet werden. Details stehen in "
                f"{log_path}."
            )
        url = text.removeprefix(SERVICE_READY_PREFIX)
        log.info("embedded service running at %s (pid %s)", url, proc.pid)
        return cls(
            url=url,
            token=token,
            process=proc,
            log_path=log_path,
            data_dir=data_dir,
            site_env=dict(site_env or {}),
        )

    def running(self) -> bool:
        return self.process.poll() is None

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    async def restart(self, site_env: Mapping[str, str]) -> EmbeddedService:
        """Stop this child and start one with new site values on the same port with the same
        token, so that the console's client and waiting-room socket simply carry on."""
        await self.stop()
        return await EmbeddedService.start(
            self.data_dir, self.port, site_env=site_env, token=self.token
        )

    async def stop(self, grace_s: float = 10.0) -> None:
        """Close the child's stdin (it then shuts down cleanly); kill it if it hangs."""
        await _reap(self.process, grace_s)


async def _reap(proc: subprocess.Popen[bytes], grace_s: float) -> None:
    """End a child cleanly (stdin closed), kill it after ``grace_s``, and close its pipes.

    Also used when the child failed to start: a half-started child must not be left running,
    nor its pipes open.
    """
    if proc.stdin is not None and not proc.stdin.closed:
        with contextlib.suppress(OSError):
            proc.stdin.close()
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(loop.run_in_executor(None, proc.wait), grace_s)
    except TimeoutError:
        log.warning("embedded service did not stop in time; killing it")
        proc.kill()
        await loop.run_in_executor(None, proc.wait)
    if proc.stdout is not None:
        proc.stdout.close()
