"""Real X11 windows for the window-sharing tests: each one a small program of its own
(``tests.helpers.x_window_program``) on the tests' Xvfb screen."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

from Xlib import display as xdisplay
from Xlib.error import DisplayError

ROOT = Path(__file__).resolve().parents[2]


def wait_for_x(timeout: float = 10.0) -> None:
    """Wait until the X server on ``DISPLAY`` takes connections (its socket appears first)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            xdisplay.Display().close()
            return
        except DisplayError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class XWindow:
    """One window of a program of its own; ``id`` once it is mapped and painted."""

    def __init__(
        self,
        title: str,
        geometry: tuple[int, int, int, int],
        pattern: str = "quadrants",
        *,
        repaint: bool = True,
    ) -> None:
        args = [title, *map(str, geometry), pattern] + ([] if repaint else ["--no-repaint"])
        self.title = title
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.x_window_program", *args],
            cwd=ROOT,
            env=os.environ.copy(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            self.id = int(self._line(), 16)
        except Exception:
            self.stop()
            raise
        self.pid = self.process.pid

    def _line(self, timeout: float = 10.0) -> str:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError(f"{self.title}: no answer")
        line = self.process.stdout.readline().strip()
        if not line:
            raise RuntimeError(f"{self.title}: the program ended")
        return line

    def command(self, line: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self._line()

    def stop(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        if not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
