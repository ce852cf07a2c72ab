"""Retransmission requests (NACK) for the video the console receives: sent at once, repeated
once per round trip while the packet is still missing, never twice within one round trip.

aiortc's receiver sends a NACK as soon as a gap in the sequence numbers shows, listing every
packet it still misses (up to 128 back), and never again for a packet unless another gap
appears: a lost retransmission is lost for good, and a second gap asks again for everything
already asked for. :class:`NackPolicy` filters aiortc's requests to what is due and
:meth:`NackPolicy.due` finds the packets to ask for again (libwebrtc's ``NackRequester`` does
the same: retry after a round trip, a bounded number of times).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

#: Ask for one packet at most this often.
MAX_TRIES = 5
#: Never repeat sooner than this, whatever the round trip says.
MIN_RETRY_S = 0.05


@dataclass
class NackPolicy:
    rtt_s: Callable[[], float]
    clock: Callable[[], float] = time.monotonic
    #: (media SSRC, sequence number) → (requests so far, time of the last).
    asked: dict[tuple[int, int], tuple[int, float]] = field(default_factory=dict)
    requested: int = 0
    held: int = 0

    def _interval(self) -> float:
        return max(MIN_RETRY_S, self.rtt_s())

    def filter(self, ssrc: int, lost: list[int]) -> list[int]:
        """Of ``lost``, the packets to ask for now (noting that they were asked for)."""
        now = self.clock()
        out: list[int] = []
        for seq in lost:
            tries, last = self.asked.get((ssrc, seq), (0, -1e9))
            if tries >= MAX_TRIES or now - last < self._interval():
                self.held += 1
                continue
            self.asked[(ssrc, seq)] = (tries + 1, now)
            out.append(seq)
        self.requested += len(out)
        return out

    def due(self, ssrc: int, missing: set[int]) -> list[int]:
        """Packets still ``missing`` whose last request is a round trip old (and forget the
        ones that arrived)."""
        for key in [k for k in self.asked if k[0] == ssrc and k[1] not in missing]:
            del self.asked[key]
        now = self.clock()
        interval = self._interval()
        candidates = sorted(
            seq
            for seq in missing
            if (ssrc, seq) in self.asked
            and self.asked[(ssrc, seq)][0] < MAX_TRIES
            and now - self.asked[(ssrc, seq)][1] >= interval
        )
        return self.filter(ssrc, candidates)

    def forget(self, ssrc: int) -> None:
        """The stream's missing packets were given up (the picture waits for a keyframe)."""
        for key in [k for k in self.asked if k[0] == ssrc]:
            del self.asked[key]

    def wrap(
        self, send: Callable[[int, list[int]], Awaitable[None]]
    ) -> Callable[[int, list[int]], Awaitable[None]]:
        async def send_nack(media_ssrc: int, lost: list[int]) -> None:
            wanted = self.filter(media_ssrc, lost)
            if wanted:
                await send(media_ssrc, wanted)

        return send_nack
