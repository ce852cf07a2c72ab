"""A private accessibility bus and a screen reader's hands for the end-to-end console test.

:func:`a11y_bus` starts a session D-Bus of its own and AT-SPI's bus launcher on it (the
registry daemon comes with it), so nothing reaches or comes from the machine's desktop.
:class:`ScreenReader` runs :mod:`tests.helpers.atspi_driver` with Debian's Python (which has
``python3-pyatspi``; the project's venv is a separate Python) and talks to it in JSON lines.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DRIVER = Path(__file__).with_name("atspi_driver.py")
SYSTEM_PYTHON = Path("/usr/bin/python3")
BUS_LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")


def _missing() -> str | None:
    if shutil.which("dbus-daemon") is None or not BUS_LAUNCHER.exists():
        return "dbus-daemon and at-spi2-core"
    probe = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import pyatspi"], capture_output=True, check=False, timeout=30
    )
    if probe.returncode != 0:
        return "python3-pyatspi"
    return None


@contextlib.contextmanager
def a11y_bus(folder: Path) -> Iterator[dict[str, str]]:
    """A session bus with AT-SPI on it; yields the environment that points there."""
    missing = _missing()
    if missing:
        raise RuntimeError(f"{missing} missing: make system-test installs it")
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(folder), "HOME": str(folder)}
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    launcher: subprocess.Popen[bytes] | None = None
    launcher_log = (folder / "at-spi-bus.log").open("wb")
    try:
        assert bus.stdout is not None
        address = bus.stdout.readline().strip()
        if not address:
            raise RuntimeError("dbus-daemon gave no address")
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        launcher = subprocess.Popen(
            [str(BUS_LAUNCHER), "--launch-immediately"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=launcher_log,
        )
        yield {
            "DBUS_SESSION_BUS_ADDRESS": address,
            "XDG_RUNTIME_DIR": str(folder),
            # Qt talks to AT-SPI without waiting for a desktop setting to say so
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
            "NO_AT_BRIDGE": "0",
        }
    finally:
        for proc in (launcher, bus):
            if proc is None:
                continue
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if bus.stdout is not None:
            bus.stdout.close()
        launcher_log.close()


class ScreenReader:
    """Finds objects by role and name, presses keys, and hears announcements."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [str(SYSTEM_PYTHON), str(DRIVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            env={k: v for k, v in env.items() if k not in ("PYTHONPATH", "PYTHONHOME")},
        )
        self._selector = selectors.DefaultSelector()
        assert self.proc.stdout is not None
        self._selector.register(self.proc.stdout, selectors.EVENT_READ)
        ready = self._read(60)
        assert ready.get("ready"), ready

    def _read(self, timeout: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        if not self._selector.select(timeout):
            raise AssertionError(f"the AT-SPI driver did not answer in {timeout} s")
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"the AT-SPI driver ended: see {self._log.name}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def ask(self, op: str, *, timeout: float = 60, **args: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"op": op, "timeout": timeout, **args}) + "\n")
        self.proc.stdin.flush()
        return self._read(timeout + 30)

    def need(self, op: str, *, timeout: float = 60, **args: Any) -> dict[str, Any]:
        answer = self.ask(op, timeout=timeout, **args)
        assert answer.get("ok"), answer
        return answer

    def find(self, role: str, name: str, **args: Any) -> dict[str, Any]:
        return self.need("find", role=role, name=name, **args)

    def key(self, keys: str) -> None:
        self.need("key", keys=keys)

    def type(self, text: str) -> None:
        self.need("type", text=text)

    def focused(self) -> dict[str, Any]:
        return self.need("focused")

    def tab_to(
        self, role: str | None, name: str, limit: int = 40, key: str = "Tab"
    ) -> dict[str, Any]:
        """Press Tab until the object ``role`` ``name`` has the focus (as a blind user does)."""
        seen = []
        for _ in range(limit):
            now = self.ask("focused")
            if not now.get("ok"):
                seen.append(str(now.get("error")))
                self.key(key)
                continue
            if role in (None, now["role"]) and now["name"] == name:
                return now
            # a list or table says its current row when it takes the focus
            if role in (None, now["parent_role"]) and now["parent_name"] == name:
                return now
            seen.append(f"{now.get('role')} {now.get('name')!r}")
            self.key(key)
        raise AssertionError(f"{key} never reached {role} {name!r}; it went: {seen}")

    def heard(self) -> list[str]:
        return [h["text"] for h in self.need("announcements")["heard"]]

    def hear(self, start: str, timeout: float = 60) -> str:
        """Wait for an announcement that starts with ``start``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for text in self.heard():
                if text.startswith(start):
                    return text
            self.need("pump", seconds=0.5)
        raise AssertionError(f"never heard {start!r}; heard {self.heard()}")

    def close(self) -> None:
        if self.proc.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._selector.close()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._log.close()
