"""A pacer for the console's video packets: a frame's packets spread out, audio first.

aiortc hands each encoded frame's packets to the DTLS transport back to back; a key frame of
30 packets then arrives at a 400 kbit/s mobile link as one burst and overflows its queue
(loss, NACKs, more key frames: a picture that freezes again and again). The pacer sits in
front of the transport's ``_send_rtp`` (see :mod:`.send`): RTCP, audio and retransmissions go
through at once, the video SSRCs' packets wait in one FIFO that drains at ``rate_kbps`` (set
to a few times the video target, as WebRTC's pacer does) with a small burst allowance.

aiortc stamps abs-send-time when it hands a packet over, i.e. before it waits here; the
receiver's delay-based estimate (its REMB, which caps the console's rate on a congested link)
would read the pacer's queue as the network's. A packet that waited gets the time it leaves.
So does every retransmission: aiortc's RTX packet copies the lost packet's header extensions,
abs-send-time included, so it reached the receiver stamped a round trip or more in the past;
Chromium's estimator read each one as a packet that sat in a queue that long, saw overuse, and
its REMB fell (125 kbit/s on a 4 Mbit/s link losing 5 %, where every lost packet is resent).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import struct
import time
from collections import deque
from collections.abc import Awaitable, Callable

from aiortc import clock

from advisor_app.client.rtc.playout_delay import add_playout_delay

log = logging.getLogger(__name__)

#: The pacer sends this much ahead of its rate at once (ms of the rate), so short frames pass.
BURST_MS = 10.0
#: A packet older than this (ms) in the queue is still sent, but the rate is raised so the
#: queue drains: a pacer must not add seconds of delay.
MAX_QUEUE_MS = 400.0

#: The pacer sleeps only when it is this far ahead of its rate (s): one timer per packet
#: would cost the event loop more than the packets.
SLEEP_MIN_S = 0.005

SendRtp = Callable[[bytes], Awaitable[None]]

ABS_SEND_TIME_URI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"


def restamp_abs_send_time(data: bytes, ext_id: int, ntp: int) -> bytes:
    """``data`` with its abs-send-time header extension (one-byte form, id ``ext_id``) set to
    ``ntp`` (a 64-bit NTP time); unchanged if it has none."""
    if len(data) < 12 or not data[0] & 0x10:
        return data
    pos = 12 + 4 * (data[0] & 0x0F)
    if len(data) < pos + 4:
        return data
    profile, words = struct.unpack_from("!HH", data, pos)
    if profile != 0xBEDE:
        return data
    i, end = pos + 4, min(len(data), pos + 4 + 4 * words)
    while i < end:
        head = data[i]
        if head == 0:  # padding
            i += 1
            continue
        ext, size = head >> 4, (head & 0x0F) + 1
        if ext == 15:
            break
        if ext == ext_id and size == 3 and i + 4 <= end:
            out = bytearray(data)
            out[i + 1 : i + 4] = ((ntp >> 14) & 0xFFFFFF).to_bytes(3, "big")
            return bytes(out)
        i += 1 + size
    return data


def rtp_ssrc(data: bytes) -> int | None:
    """The SSRC of an RTP packet, None for RTCP (payload types 192–223 after muxing)."""
    if len(data) < 12 or 192 <= data[1] <= 223:
        return None
    return int(struct.unpack_from("!I", data, 8)[0])


class Pacer:
    """Queues the paced SSRCs' packets and sends them at :attr:`rate_kbps`."""

    def __init__(self, send: SendRtp, rate_kbps: float = 1000.0) -> None:
        self._send = send
        self.rate_kbps = rate_kbps
        self.paced: set[int] = set()
        #: The negotiated id of abs-send-time: a packet that waited gets the time it leaves.
        self.abs_send_time_id: int | None = None
        #: The negotiated id of playout-delay, and the minimum delay (ms) every video packet
        #: asks of the receiver (:mod:`.playout_delay`).
        self.playout_delay_id: int | None = None
        self.min_playout_ms = 0
        self._queue: deque[tuple[float, bytes]] = deque()
        self._queued_bytes = 0
        #: Every byte handed to the pacer (RTP and RTCP, paced or not): what the console sends.
        self.bytes_offered = 0
        #: The SSRCs whose packets the receiver's REMB estimator counts (video and its RTX:
        #: those with abs-send-time), and their bytes.
        self.remb_ssrcs: set[int] = set()
        self.bytes_remb = 0
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    async def send(self, data: bytes) -> None:
        """In place of the transport's ``_send_rtp``."""
        self.bytes_offered += len(data)
        ssrc = rtp_ssrc(data)
        if ssrc in self.remb_ssrcs:
            self.bytes_remb += len(data)
        if ssrc is None or ssrc not in self.paced or self._closed:
            if ssrc is not None and self.abs_send_time_id is not None:
                # Unpaced: audio (stamped just now anyway) and retransmissions (stamped when
                # the lost packet was first sent).
                data = restamp_abs_send_time(data, self.abs_send_time_id, clock.current_ntp_time())
            await self._send(data)
            return
        self._queue.append((time.monotonic(), data))
        self._queued_bytes += len(data)
        if self._task is None:
            self._task = asyncio.ensure_future(self._drain())
        self._wake.set()

    def backlog_ms(self) -> float:
        """How long the queue takes to drain at the current rate."""
        return 8.0 * self._queued_bytes / max(self.rate_kbps, 1.0)

    async def _drain(self) -> None:
        next_at = time.monotonic()
        try:
            while not self._closed:
                if not self._queue:
                    self._wake.clear()
                    await self._wake.wait()
                    next_at = max(next_at, time.monotonic() - BURST_MS / 1000.0)
                    continue
                now = time.monotonic()
                if next_at > now + SLEEP_MIN_S:  # a few ms ahead: no timer for each packet
                    await asyncio.sleep(next_at - now)
                queued_at, data = self._queue.popleft()
                self._queued_bytes -= len(data)
                rate = self.rate_kbps
                waited_ms = 1000.0 * (time.monotonic() - queued_at)
                if waited_ms > MAX_QUEUE_MS:
                    rate *= waited_ms / MAX_QUEUE_MS
                next_at = max(next_at, time.monotonic() - BURST_MS / 1000.0)
                next_at += 8.0 * len(data) / max(rate, 1.0) / 1000.0
                if self.playout_delay_id is not None:
                    data = add_playout_delay(data, self.playout_delay_id, self.min_playout_ms)
                if self.abs_send_time_id is not None and waited_ms >= 1.0:
                    data = restamp_abs_send_time(
                        data, self.abs_send_time_id, clock.current_ntp_time()
                    )
                # A transport closed under the queue: nothing left to send to.
                with contextlib.suppress(ConnectionError):
                    await self._send(data)
        except asyncio.CancelledError:
            pass

    async def close(self) -> None:
        self._closed = True
        self._queue.clear()
        self._queued_bytes = 0
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
