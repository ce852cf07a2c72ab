"""Sends transport-wide congestion-control feedback for everything the console receives.

Every :data:`INTERVAL_S` the packets recorded since the last report (by their transport-wide
sequence number, with the kernel's arrival times) go back to the sender as RTCP transport
feedback, so the browser's own congestion controller (Google Congestion Control in Chromium)
estimates the link from real arrival times. Packets missing between reported ones are
reported as lost; a packet arriving after its number was reported lost is not reported again
(libwebrtc tolerates that: it counts such a packet as lost, as a late packet is for video).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from advisor_app.client.rtc.receive_clock import ArrivalRecorder
from advisor_app.client.rtc.twcc import FeedbackBuilder, TransportFeedback

log = logging.getLogger(__name__)

#: Feedback every 50 ms, as libwebrtc's receiver does at video bitrates.
INTERVAL_S = 0.05
#: A jump in sequence numbers larger than this restarts the report (a new sender).
MAX_GAP = 2000

RtcpSend = Callable[[bytes], Awaitable[None]]


@dataclass
class FeedbackReporter:
    """Turns an :class:`ArrivalRecorder`'s arrivals into feedback packets (no I/O)."""

    recorder: ArrivalRecorder
    sender_ssrc: int
    builder: FeedbackBuilder = field(init=False)
    _next: int | None = None

    def __post_init__(self) -> None:
        self.builder = FeedbackBuilder(self.sender_ssrc, 0)

    def take(self) -> list[TransportFeedback]:
        """Feedback for every packet recorded since the last call."""
        with self.recorder.lock:
            return self._take()

    def _take(self) -> list[TransportFeedback]:
        arrivals = self.recorder.arrivals
        if not arrivals:
            return []
        top = max(arrivals)
        start = self._next if self._next is not None else min(arrivals)
        if top - start > MAX_GAP:
            start = max(top - MAX_GAP, min(s for s in arrivals if s >= top - MAX_GAP))
        for seq in [s for s in arrivals if s < start]:
            del arrivals[seq]  # reported already, or too old to report
        if top < start:
            return []
        self.builder.media_ssrc = self.recorder.media_ssrc
        packets = self.builder.build(
            start & 0xFFFF, [arrivals.pop(s, None) for s in range(start, top + 1)]
        )
        self._next = top + 1
        return packets


@dataclass
class FeedbackLoop:
    """Sends the reporter's packets every :data:`INTERVAL_S` through ``send`` (the DTLS
    transport's SRTCP path) until stopped."""

    reporter: FeedbackReporter
    send: RtcpSend
    interval_s: float = INTERVAL_S
    sent: int = 0
    _task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            for packet in self.reporter.take():
                try:
                    await self.send(bytes(packet))
                except ConnectionError:
                    return  # the transport closed: the connection is going away
                self.sent += 1

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
