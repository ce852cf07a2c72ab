"""Figures from lists of frame times (seconds, one clock): freezes, fps, recovery."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

#: WebRTC's freeze rule (VideoQualityObserver) averages the last 30 inter-frame gaps that
#: were no freeze, and judges once it has 5.
FREEZE_HISTORY = 30
MIN_SAMPLES = 5


def freeze_share(times: Sequence[float], t0: float, t1: float) -> float:
    """Share (0..1) of [t0, t1] spent in freezes, by WebRTC's rule: a gap between frames
    of at least max(3 × mean gap, mean gap + 150 ms), the mean over the last 30 gaps that
    were no freeze (none judged before 5 such gaps).
    Frames before ``t0`` give the first gaps' history; a gap reaching past ``t0`` or ``t1``
    counts with its part inside; the time from the last frame to ``t1`` counts as a gap.
    No frame at all in the window is 100 %."""
    if t1 <= t0:
        raise ValueError("empty window")
    history: deque[float] = deque(maxlen=FREEZE_HISTORY)
    frozen = 0.0
    prev: float | None = None
    last_in = None
    for t in sorted(times):
        if t > t1:
            break
        if prev is not None:
            gap = t - prev
            freeze = False
            if len(history) >= MIN_SAMPLES:
                mean = sum(history) / len(history)
                freeze = gap >= max(3 * mean, mean + 0.150)
            if freeze:
                if t > t0:
                    frozen += min(t, t1) - max(prev, t0)
            else:  # as in WebRTC's VideoQualityObserver, a freeze stays out of the mean
                history.append(gap)
        prev = t
        if t >= t0:
            last_in = t
    if last_in is None:
        return 1.0 if prev is None or t1 - max(prev, t0) > 0.150 else 0.0
    assert prev is not None
    tail = t1 - prev
    if len(history) >= MIN_SAMPLES:
        mean = sum(history) / len(history)
        if tail > max(3 * mean, mean + 0.150):
            frozen += tail
    return min(1.0, frozen / (t1 - t0))


def fps(times: Sequence[float], t0: float, t1: float) -> float:
    return sum(1 for t in times if t0 <= t < t1) / (t1 - t0)


def lowest_window_fps(times: Sequence[float], t0: float, t1: float, span: float) -> float:
    """The lowest frame rate of any ``span``-second window inside [t0, t1] (1-s steps)."""
    lows = []
    start = t0
    while start + span <= t1 + 1e-9:
        lows.append(fps(times, start, start + span))
        start += 1.0
    return min(lows) if lows else fps(times, t0, t1)


def recovery_s(
    times: Sequence[float], event: float, t1: float, want_fps: float, span: float = 3.0
) -> float | None:
    """Seconds after ``event`` until the first ``span``-second window (0.1-s steps) whose
    frame rate is at least ``want_fps`` begins; None when none does before ``t1``. Three
    seconds, so that a burst of frames let out at once does not count as being back."""
    s = 0.0
    while event + s + span <= t1 + 1e-9:
        if fps(times, event + s, event + s + span) >= want_fps:
            return round(s, 1)
        s += 0.1
    return None


def per_second(times: Sequence[float], t0: float, t1: float) -> list[int]:
    out = []
    start = t0
    while start < t1 - 1e-9:
        out.append(sum(1 for t in times if start <= t < start + 1.0))
        start += 1.0
    return out
