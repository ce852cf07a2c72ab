"""The service under test: a fresh data folder, accounts, appointments, ``serve`` as a process.

Everything here is done the way IT and the console do it (``advisor-console admin add``,
``advisor-console serve``), except the appointments: they are written through the storage layer
before the service starts, which takes a second instead of minutes of REST calls and mails, and
gives the service exactly the rows the REST API would have written.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from advisor_app.core.codes import new_dial_code, new_link_token
from advisor_app.core.domain import AppointmentStatus, MailStatus, Role
from advisor_app.core.protocol import SERVICE_READY_PREFIX

PASSWORD = "Benchmark-Passwort-2026"  # noqa: S105 - a throw-away account in a temporary folder


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages: other work skews latencies."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def proc_status_kib(pid: int, key: str) -> int:
    """A ``kB`` line of ``/proc/<pid>/status`` (VmRSS, VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise KeyError(key)


def proc_cpu_s(pid: int) -> float:
    """User plus system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_open_file_limit(pid: int) -> str:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            return line.split()[3]
    return "?"


def console_script() -> list[str]:
    script = Path(sys.executable).parent / "advisor-console"
    return [str(script)] if script.exists() else [sys.executable, "-m", "advisor_app"]


def isolated_env(root: Path, **extra: str) -> dict[str, str]:
    """No ADVISOR_ settings and no configuration files of this machine or user."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    for var in ("XDG_CONFIG_HOME", "XDG_CONFIG_DIRS"):
        env[var] = str(root / "xdg-config")
    env.update(extra)
    return env


class Service:
    """``advisor-console serve`` on a free port; its log goes to a file, not to a pipe."""

    def __init__(self, data_dir: Path, log_path: Path, env: dict[str, str]) -> None:
        self.log_path = log_path
        self._log: TextIO = log_path.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [*console_script(), "serve", "--data-dir", str(data_dir), "--port", "0"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            env=env,
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait_ready(self, timeout: float = 60.0) -> str:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith(SERVICE_READY_PREFIX):
                return line.removeprefix(SERVICE_READY_PREFIX).strip()
        raise RuntimeError(f"the service did not start; see {self.log_path}")

    def rss_kib(self) -> int:
        return proc_status_kib(self.pid, "VmRSS")

    def peak_rss_kib(self) -> int:
        return proc_status_kib(self.pid, "VmHWM")

    def cpu_s(self) -> float:
        return proc_cpu_s(self.pid)

    def open_file_limit(self) -> str:
        return proc_open_file_limit(self.pid)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._log.close()
        return self.proc.returncode

    def log_lines(self, *markers: str) -> list[str]:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return [line for line in text.splitlines() if any(m in line for m in markers)]


def add_advisors(data_dir: Path, env: dict[str, str], count: int) -> list[str]:
    """``advisor-console admin add`` per advisor, the way IT creates accounts."""
    usernames = [f"berater{i:02d}" for i in range(1, count + 1)]

    def add(username: str) -> None:
        result = subprocess.run(
            [
                *console_script(),
                *("admin", "--data-dir", str(data_dir), "add", username),
                *("--name", f"Frau Beispiel {username[-2:]}", "--password-stdin"),
            ],
            input=PASSWORD + "\n",
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"admin add {username}: {result.stdout}{result.stderr}")

    add(usernames[0])  # creates the database; the others can then run side by side
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(add, usernames[1:]))
    return usernames


@dataclass(frozen=True)
class Invitee:
    """A citizen with an appointment: participant id, personal link token, advisor."""

    pid: int
    token: str
    advisor: int  # index into the advisors' list


async def schedule_appointments(
    data_dir: Path,
    usernames: list[str],
    count: int,
    rng: random.Random,
    database_url: str | None = None,
) -> list[Invitee]:
    """One appointment per citizen, starting within five minutes (the room is open);
    in ``database_url``, else in the data folder's SQLite database."""
    # Imported here: the citizens' processes import the benchmark's modules when spawned,
    # and need neither SQLAlchemy nor the settings.
    from advisor_app.config import ServiceSettings
    from advisor_app.storage.db import create_engine, session_factory
    from advisor_app.storage.models import Appointment, Participant
    from advisor_app.storage.repositories import AdvisorRepo

    settings = ServiceSettings(data_dir=data_dir, database_url=database_url)
    engine = create_engine(settings.resolved_database_url)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    try:
        async with session_factory(engine)() as session:
            ids = {a.username: a.id for a in await AdvisorRepo(session).all()}
            rows: list[tuple[Participant, int]] = []
            for i in range(count):
                advisor = i % len(usernames)
                appt = Appointment(
                    advisor_id=ids[usernames[advisor]],
                    starts_at=now + timedelta(minutes=rng.randint(-10, 4)),
                    duration_min=30,
                    topic="Beratung zur Arbeitsuche",
                    language="de",
                    status=AppointmentStatus.SCHEDULED.value,
                    sequence=0,
                    created_at=now,
                    updated_at=now,
                )
                citizen = Participant(
                    role=Role.CITIZEN.value,
                    name=f"Bürgerin {i:04d} Müller-Öztürk",
                    language="de",
                    link_token=new_link_token(),
                    dial_code=new_dial_code(),
                    mail_status=MailStatus.NONE.value,
                )
                appt.participants.append(citizen)
                session.add(appt)
                rows.append((citizen, advisor))
            await session.commit()
            return [Invitee(p.id, p.link_token, advisor) for p, advisor in rows]
    finally:
        await engine.dispose()
