"""When to show each received video frame: at the sender's pace, a little later than it came.

aiortc hands a decoded frame out as soon as its last packet is in. When a packet is lost, the
frame waits for the retransmission (a round trip) and the frames behind it then come out at
once: a gap, then a burst. On a 3G link that is a visible stutter and counts as a freeze
(WebRTC's rule: a gap longer than three mean frame intervals, or the mean plus 150 ms), even
though every frame arrived. A browser's receiver does not stutter there because it renders
each frame at a *target delay* after its capture time, a delay that covers the late frames
it has seen (at least a round trip while retransmissions are in use), and paces the frames by
their RTP timestamps.

:class:`PlayoutClock` does the same for the console's picture, on the event loop:

* Each frame's *offset* is its arrival time minus its media time (RTP timestamp / 90 kHz).
  The smallest offset of the last ``window_s`` seconds is the path's base: a frame with that
  offset came as early as any; a larger offset is *lateness*.
* The *target delay* rises at once to cover a late frame (never above ``max_delay_s``, which
  the receiver sets from the round trip: :func:`delay_cap`) and
  comes down slowly (``shrink_per_s``), towards the largest lateness still in the window, so
  one burst of retransmissions does not keep the picture late for long, and a link that keeps
  losing keeps the delay it needs.
* A frame is shown at base + media time + target delay, never before the frame before it,
  never later than ``max_delay_s`` after it arrived. On a link without losses the lateness is
  the jitter of the path and the delay stays near it (a few milliseconds on a LAN).

A jump of the timestamps (a new stream after a renegotiation, a sender that restarted its
clock) or of the offset by more than ``reset_s`` starts afresh. Only video is delayed: audio
is played as it comes, so a delay of a few hundred milliseconds on a bad link shows the
picture that much behind the voice (Chromium delays the audio as well; the console's calls
keep the conversation's latency instead).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

#: RTP's video clock.
VIDEO_CLOCK_HZ = 90_000
#: The delay covers retransmissions: about a round trip and a half, never more than this ...
MAX_DELAY_S = 0.5
#: ... and never less than this (the jitter of a busy PC on a LAN).
MIN_CAP_S = 0.05


#: A round trip at least this long (s) is a mobile link's, where retransmissions are to be
#: expected: the picture waits for one from its first frame (:func:`delay_floor`) instead of
#: stuttering until the first late frames have raised the delay. On poor 3G most of what froze
#: of the citizen's picture at the console was in the window's first 3 s.
FLOOR_RTT_S = 0.25


def delay_floor(rtt_s: float) -> float:
    """The least delay for a link with this round trip: one retransmission's wait (a round
    trip and 40 ms to notice the loss and ask) on a mobile link, nothing on a fast one."""
    return min(MAX_DELAY_S, rtt_s + 0.04) if rtt_s >= FLOOR_RTT_S else 0.0


def delay_cap(rtt_s: float) -> float:
    """The most a frame is held for a link with this round trip: enough for one
    retransmission (1.5 round trips and 30 ms), so a LAN call stays at a few tens of
    milliseconds however busy the PC, and a 3G call can wait for a lost packet."""
    return min(MAX_DELAY_S, max(MIN_CAP_S, 1.5 * rtt_s + 0.03))


@dataclass
class PlayoutClock:
    """The render time of each frame of one video stream (times in seconds, monotonic)."""

    max_delay_s: float = MAX_DELAY_S
    #: The delay never goes below this (:func:`delay_floor`), nor above ``max_delay_s``.
    min_delay_s: float = 0.0
    shrink_per_s: float = 0.1
    window_s: float = 10.0
    reset_s: float = 5.0
    clock_hz: int = VIDEO_CLOCK_HZ
    #: The delay a frame is shown after the earliest possible moment (seconds).
    target_delay_s: float = 0.0
    _last_ts: int | None = None
    _ts_cycles: int = 0
    _origin_ts: int = 0
    #: (arrival, offset) of recent frames; offsets ascending (a monotonic deque: the front is
    #: the window's minimum).
    _lows: deque[tuple[float, float]] = field(default_factory=deque)
    #: (arrival, lateness) of recent frames; lateness descending (the front is the maximum).
    _highs: deque[tuple[float, float]] = field(default_factory=deque)
    _last_render: float = float("-inf")
    _last_arrival: float | None = None

    def reset(self) -> None:
        self.target_delay_s = 0.0
        self._last_ts = None
        self._ts_cycles = 0
        self._lows.clear()
        self._highs.clear()
        self._last_render = float("-inf")
        self._last_arrival = None

    def _media_time(self, rtp_ts: int) -> float | None:
        """Seconds since the stream's first frame; None after a jump (the clock starts anew)."""
        ts = rtp_ts & 0xFFFFFFFF
        if self._last_ts is None:
            self._origin_ts = ts
        else:
            step = (ts - self._last_ts + 0x80000000) % 0x100000000 - 0x80000000  # signed
            if abs(step) > self.reset_s * self.clock_hz:
                return None
            if step > 0 and ts < self._last_ts:
                self._ts_cycles += 1
            elif step < 0 and ts > self._last_ts:
                self._ts_cycles -= 1
        self._last_ts = ts
        unwrapped = ts + self._ts_cycles * 0x100000000
        return (unwrapped - self._origin_ts) / self.clock_hz

    def schedule(self, rtp_ts: int, arrival: float) -> float:
        """The time to show the frame with timestamp ``rtp_ts`` that arrived at ``arrival``."""
        media = self._media_time(rtp_ts)
        if media is None or (self._lows and abs(arrival - media - self._lows[0][1]) > self.reset_s):
            self.reset()
            media = self._media_time(rtp_ts)
            assert media is not None
        offset = arrival - media
        while self._lows and self._lows[-1][1] >= offset:
            self._lows.pop()
        self._lows.append((arrival, offset))
        while self._lows[0][0] < arrival - self.window_s:
            self._lows.popleft()
        base = self._lows[0][1]
        lateness = offset - base
        while self._highs and self._highs[-1][1] <= lateness:
            self._highs.pop()
        self._highs.append((arrival, lateness))
        while self._highs[0][0] < arrival - self.window_s:
            self._highs.popleft()
        needed = min(max(self._highs[0][1], self.min_delay_s), self.max_delay_s)
        if needed >= self.target_delay_s:
            self.target_delay_s = needed
        elif self._last_arrival is not None:
            shrunk = self.target_delay_s - self.shrink_per_s * (arrival - self._last_arrival)
            self.target_delay_s = max(needed, shrunk)
        self._last_arrival = arrival
        render = base + media + self.target_delay_s
        render = min(max(render, arrival, self._last_render), arrival + self.max_delay_s)
        self._last_render = render
        return render
