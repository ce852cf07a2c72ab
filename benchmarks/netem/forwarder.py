"""The link emulator's forwarder: a process of its own between two TUN devices.

``python -m benchmarks.netem.forwarder OUTER INNER`` (as root) creates two TUN devices
(non-persistent: they vanish with this process), prints ``{"ready": true}`` and then moves
IP packets: what the host side sends into OUTER goes "down" and comes out of INNER (which
:mod:`benchmarks.netem.link` moves into the citizen's namespace), what INNER's side sends
goes "up" and comes out of OUTER. Each direction is a :class:`~benchmarks.netem.shaper.Direction`.

Control, one JSON object per line on stdin, one answer per line on stdout:

* ``{"cmd": "set", "down": {...}, "up": {...}}`` – new :class:`Params` fields (merged);
* ``{"cmd": "schedule", "steps": [[offset_s, {"down": {...}, "up": {...}}], ...]}`` – the
  same at the given seconds from now, timed by this process; the answer gives the start as
  wall-clock ``t0``, the stats list every applied step with its wall-clock time;
* ``{"cmd": "stats"}`` – counters per direction and the applied steps (``"reset": true``
  starts the longest queue wait afresh).

End of stdin ends the process. It runs with a real-time priority (SCHED_RR 5; nice −15 where
that is refused) so that a busy machine delays the emulated link as little as possible: the
link is the network, not the PC. It sleeps in ``select`` between packets.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import struct
import sys
import threading
import time
from typing import Any

from benchmarks.netem.shaper import Direction, Params

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def open_tun(name: str) -> int:
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH22x", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


class Forwarder:
    def __init__(self, outer_fd: int, inner_fd: int) -> None:
        self.fds = {"down": (outer_fd, inner_fd), "up": (inner_fd, outer_fd)}
        self.dirs = {"down": Direction(), "up": Direction()}
        self.lock = threading.Lock()
        self.pending: list[tuple[float, dict[str, Any]]] = []  # (monotonic, changes)
        self.applied: list[tuple[float, dict[str, Any]]] = []  # (wall clock, changes)
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)

    def apply(self, changes: dict[str, Any], now: float) -> None:
        for name in ("down", "up"):
            if name in changes:
                d = self.dirs[name]
                d.set(Params(**{**d.params.to_json(), **changes[name]}), now)
        self.applied.append((time.time(), changes))

    def control(self, line: str) -> dict[str, Any]:
        msg = json.loads(line)
        now = time.monotonic()
        with self.lock:
            if msg["cmd"] == "set":
                self.apply(msg, now)
                os.write(self.wake_w, b"x")
            elif msg["cmd"] == "schedule":
                for offset, changes in msg["steps"]:
                    self.pending.append((now + float(offset), changes))
                self.pending.sort(key=lambda p: p[0])
                os.write(self.wake_w, b"x")
                return {"t0": time.time() - (time.monotonic() - now)}
            elif msg["cmd"] != "stats":
                return {"error": f"unknown command {msg['cmd']}"}
            answer = {
                "time": time.time(),
                "params": {n: d.params.to_json() for n, d in self.dirs.items()},
                "counters": {n: vars(d.counters).copy() for n, d in self.dirs.items()},
                "queued": {n: d.queued_bytes() for n, d in self.dirs.items()},
                "applied": self.applied,
            }
            if msg.get("reset"):  # the longest queue wait from now on
                for d in self.dirs.values():
                    d.counters.max_queue_ms = 0.0
            return answer

    def run(self) -> None:
        readers = {self.fds["down"][0]: "down", self.fds["up"][0]: "up"}
        while True:
            now = time.monotonic()
            with self.lock:
                while self.pending and self.pending[0][0] <= now:
                    self.apply(self.pending.pop(0)[1], now)
                wake: list[float] = [self.pending[0][0]] if self.pending else []
                for name, d in self.dirs.items():
                    d.serve(now)
                    for packet in d.due(now):
                        # the kernel may refuse it (device down): lost, as on a link
                        with contextlib.suppress(OSError):
                            os.write(self.fds[name][1], packet)
                    at = d.next_event(now)
                    if at is not None:
                        wake.append(at)
            timeout = max(0.0, min(wake) - time.monotonic()) if wake else 1.0
            ready, _, _ = select.select([*readers, self.wake_r], [], [], timeout)
            now = time.monotonic()
            for fd in ready:
                if fd == self.wake_r:
                    os.read(self.wake_r, 64)
                    continue
                d = self.dirs[readers[fd]]
                for _ in range(256):
                    try:
                        packet = os.read(fd, 65536)
                    except BlockingIOError:
                        break
                    with self.lock:
                        d.arrive(packet, now)


def main(argv: list[str]) -> int:
    outer, inner = argv
    fds = open_tun(outer), open_tun(inner)
    try:  # a real-time thread: wakes when due, whatever else runs (it sleeps in select)
        os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(5))
    except OSError:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, 0, -15)
    fwd = Forwarder(*fds)
    threading.Thread(target=fwd.run, daemon=True, name="forward").start()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(fwd.control(line)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
