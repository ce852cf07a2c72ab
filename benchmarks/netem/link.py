"""An emulated link between this host and a network namespace of its own (root only).

:class:`Link` creates a namespace ``nb-<pid>-<n>``, starts the forwarder
(:mod:`benchmarks.netem.forwarder`) with its two TUN devices, moves the inner one into the
namespace and routes everything of the namespace through it::

    host (10.213.X.1, device nb<pid>o)  <-- forwarder: "down" / "up" -->  namespace (10.213.X.2)

Programs started with :meth:`Link.command` (``ip netns exec``) see only the link, so each of
their packets to this host goes through the forwarder, whatever address they use. Leaving
the ``with`` block (also on an exception or Ctrl-C) stops the forwarder, whose TUN devices
vanish with it, and deletes the namespace; :func:`remove_stale` deletes namespaces of
earlier runs whose process is gone.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from benchmarks.netem.shaper import Params

PREFIX = "nb-"
_counter = 0


class NotRoot(RuntimeError):
    pass


def require_root() -> None:
    if os.geteuid() != 0:
        raise NotRoot(
            "the link emulator needs root (network namespaces and TUN devices): "
            "run it as root, e.g. sudo make bench-network"
        )


def _ip(*args: str, ns: str | None = None) -> None:
    cmd = ["ip", *(["-n", ns] if ns else []), *args]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(cmd)}: {done.stderr.strip()}")


def remove_stale() -> list[str]:
    """Delete ``nb-<pid>-…`` namespaces whose process no longer runs."""
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    removed = []
    for line in out.splitlines():
        name = line.split()[0] if line.split() else ""
        m = re.fullmatch(rf"{PREFIX}(\d+)-\d+", name)
        if m and not Path(f"/proc/{m.group(1)}").exists():
            subprocess.run(["ip", "netns", "del", name], capture_output=True)
            removed.append(name)
    return removed


def _free_subnet() -> str:
    used = subprocess.run(["ip", "-o", "-4", "addr"], capture_output=True, text=True).stdout
    for _ in range(200):
        prefix = f"10.213.{random.randrange(256)}"
        if f" {prefix}." not in used:
            return prefix
    raise RuntimeError("no free 10.213.x.0/24 for the emulated link")


class Link:
    """The namespace, the forwarder and its control; use as a context manager."""

    def __init__(self) -> None:
        global _counter
        _counter += 1
        pid = os.getpid()
        self.ns = f"{PREFIX}{pid}-{_counter}"
        self.outer = f"nb{pid}o{_counter}"[-15:]
        self.inner = f"nb{pid}i{_counter}"[-15:]
        self.host_ip = ""
        self.inner_ip = ""
        self._proc: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        self._dir: Path | None = None

    # --- life cycle -----------------------------------------------------------------------

    def __enter__(self) -> Link:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def start(self) -> None:
        require_root()
        remove_stale()
        _ip("netns", "add", self.ns)
        root = str(Path(__file__).resolve().parents[2])
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]),
        }
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.netem.forwarder", self.outer, self.inner],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self._proc.stdout is not None
        ready = self._proc.stdout.readline()
        if not ready.strip():
            raise RuntimeError("the link forwarder did not start")
        _ip("link", "set", self.inner, "netns", self.ns)
        # Several runs may start at once (other engineers' too): choose and take the subnet
        # under a lock, so two links never get the same addresses.
        with open("/run/lock/nb-netem.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            prefix = _free_subnet()
            self.host_ip, self.inner_ip = f"{prefix}.1", f"{prefix}.2"
            _ip("addr", "add", self.host_ip, "peer", self.inner_ip, "dev", self.outer)
        _ip("link", "set", self.outer, "up")
        _ip("link", "set", "lo", "up", ns=self.ns)
        _ip("addr", "add", self.inner_ip, "peer", self.host_ip, "dev", self.inner, ns=self.ns)
        _ip("link", "set", self.inner, "up", ns=self.ns)
        _ip("route", "add", "default", "dev", self.inner, ns=self.ns)
        subprocess.run(
            ["ip", "netns", "exec", self.ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"],
            capture_output=True,
        )

    def close(self) -> None:
        if self._proc is not None:
            if self._proc.stdin:
                with contextlib.suppress(OSError):
                    self._proc.stdin.close()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            if self._proc.stdout:
                self._proc.stdout.close()
            self._proc = None
        subprocess.run(["ip", "netns", "del", self.ns], capture_output=True)
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    # --- control --------------------------------------------------------------------------

    def _ask(self, msg: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            proc = self._proc
            if proc is None or proc.stdin is None or proc.stdout is None:
                raise RuntimeError("the link is not running")
            proc.stdin.write(json.dumps(msg) + "\n")
            proc.stdin.flush()
            answer: dict[str, Any] = json.loads(proc.stdout.readline())
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer

    def set(self, down: Params | None = None, up: Params | None = None) -> None:
        """Both directions' figures from now on (a direction left out stays as it is)."""
        msg: dict[str, Any] = {"cmd": "set"}
        if down is not None:
            msg["down"] = down.to_json()
        if up is not None:
            msg["up"] = up.to_json()
        self._ask(msg)

    def schedule(self, steps: list[tuple[float, dict[str, dict[str, Any]]]]) -> float:
        """Changes at seconds from now, timed by the forwarder; the start's wall-clock time."""
        return float(self._ask({"cmd": "schedule", "steps": steps})["t0"])

    def stats(self, reset: bool = False) -> dict[str, Any]:
        """Counters per direction; ``reset`` starts the longest queue wait afresh."""
        return self._ask({"cmd": "stats", "reset": reset})

    # --- programs in the namespace --------------------------------------------------------

    def command(self, *argv: str) -> list[str]:
        return ["ip", "netns", "exec", self.ns, *argv]

    def wrapper(self, program: str) -> str:
        """An executable script that runs ``program`` with its arguments in the namespace
        (for Playwright's ``executable_path``)."""
        import tempfile

        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix=f"{self.ns}-"))
        path = self._dir / Path(program).name
        path.write_text(f'#!/bin/sh\nexec ip netns exec {self.ns} {program} "$@"\n')
        path.chmod(0o755)
        return str(path)
