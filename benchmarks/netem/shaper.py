"""One direction of the emulated link: what happens to a packet between two TUN devices.

Pure logic, no sockets (the forwarder process feeds it): random loss at the entrance, a
drop-tail queue in front of a server that sends at the rate (a token bucket one packet deep,
on the link's own clock), then a fixed one-way delay, and optionally a share of packets held
back longer (reordering).
Every figure can change while packets are queued (the schedules of ``drop`` and the faults).
"""

from __future__ import annotations

import heapq
import random
from collections import deque
from dataclasses import asdict, dataclass, field, replace
from typing import Any

MTU = 1500


@dataclass(frozen=True)
class Params:
    """The link in one direction. ``rate_kbps`` None is unlimited (no queue)."""

    rate_kbps: float | None = None
    delay_ms: float = 0.0
    loss: float = 0.0  # share of packets dropped at random, 0..1 (1 = the link to nothing)
    #: How long the bottleneck's queue may get, in ms at the current rate (drop-tail beyond).
    queue_ms: float = 300.0
    #: Share of packets held back by ``reorder_ms`` extra (they arrive after later ones).
    reorder: float = 0.0
    reorder_ms: float = 30.0

    def updated(self, **changes: Any) -> Params:
        return replace(self, **changes)

    def queue_bytes(self) -> float:
        if self.rate_kbps is None:
            return float("inf")
        # At least a few packets, as every real queue holds (a link at 100 kbit/s still queues).
        return max(self.rate_kbps * 1000 / 8 * self.queue_ms / 1000, 4 * MTU)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Counters:
    packets_in: int = 0
    bytes_in: int = 0
    lost: int = 0  # dropped by the random loss
    overflowed: int = 0  # dropped at the full queue
    packets_out: int = 0
    bytes_out: int = 0
    #: Longest time a packet waited in the queue (ms), since the last reset.
    max_queue_ms: float = 0.0


@dataclass
class Direction:
    """A queue, a server and a delay line. Times are ``time.monotonic()`` seconds."""

    params: Params = field(default_factory=Params)
    rng: random.Random = field(default_factory=lambda: random.Random(1))
    counters: Counters = field(default_factory=Counters)
    _queue: deque[tuple[float, bytes]] = field(default_factory=deque)
    _queued_bytes: int = 0
    _free_at: float = 0.0  # when the link has sent the last packet that left the queue
    _line: list[tuple[float, int, bytes]] = field(default_factory=list)
    _seq: int = 0

    def set(self, params: Params, now: float) -> None:
        self.serve(now)  # what left at the old rate has left
        self.params = params

    def arrive(self, packet: bytes, now: float) -> None:
        c = self.counters
        c.packets_in += 1
        c.bytes_in += len(packet)
        self.serve(now)
        p = self.params
        if p.loss > 0 and self.rng.random() < p.loss:
            c.lost += 1
            return
        if self._queued_bytes + len(packet) > p.queue_bytes():
            c.overflowed += 1
            return
        self._queue.append((now, packet))
        self._queued_bytes += len(packet)
        self.serve(now)

    def _departure(self) -> float | None:
        """When the head of the queue has been sent at the current rate (None: never)."""
        since, packet = self._queue[0]
        rate = self.params.rate_kbps
        if rate is None:
            return since
        if rate <= 0:
            return None
        return max(since, self._free_at) + len(packet) / (rate * 125)

    def serve(self, now: float) -> None:
        """Move what the rate has sent by ``now`` from the queue onto the delay line.

        The link runs on its own clock: a packet leaves when the one before it has left and
        its bytes have been sent at the rate, even when this is called late (a late wake-up of
        the forwarder costs no capacity, the packet is merely handed over late)."""
        p = self.params
        while self._queue:
            at = self._departure()
            if at is None or at > now:
                return
            since, packet = self._queue.popleft()
            self._queued_bytes -= len(packet)
            self._free_at = at
            waited = (at - since) * 1000
            if waited > self.counters.max_queue_ms:
                self.counters.max_queue_ms = waited
            deliver = at + p.delay_ms / 1000
            if p.reorder > 0 and self.rng.random() < p.reorder:
                deliver += p.reorder_ms / 1000
            self._seq += 1
            heapq.heappush(self._line, (deliver, self._seq, packet))

    def due(self, now: float) -> list[bytes]:
        """Packets whose delay has passed, in delivery order."""
        out = []
        while self._line and self._line[0][0] <= now:
            out.append(heapq.heappop(self._line)[2])
        c = self.counters
        c.packets_out += len(out)
        c.bytes_out += sum(len(p) for p in out)
        return out

    def next_event(self, now: float) -> float | None:
        """When something will next be due or sent (None: nothing pending)."""
        times = []
        if self._line:
            times.append(self._line[0][0])
        if self._queue:
            at = self._departure()
            times.append(at if at is not None else now + 0.05)  # rate 0: look again later
        return min(times) if times else None

    def queued_bytes(self) -> int:
        return self._queued_bytes
