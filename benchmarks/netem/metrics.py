"""Figures from lists of frame times (seconds, one clock): freezes, fps, recovery."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

#: WebRTC's freeze rule (video/video_quality_observer2.cc, OnRenderedFrame): a moving
#: average of the last 30 inter-frame gaps, the current one included, judged from 5 on.
FREEZE_HISTORY = 30
MIN_SAMPLES = 5
#: The cameras' frame interval (30 fps), standing in for gaps not seen yet.
NOMINAL_GAP = 1 / 30


def _is_freeze(history: deque[float], gap: float) -> bool:
    missing = max(0, MIN_SAMPLES - len(history))
    mean = (sum(history) + missing * NOMINAL_GAP) / (len(history) + missing)
    return gap >= max(3 * mean, mean + 0.150)


def freeze_share(times: Sequence[float], t0: float, t1: float) -> float:
    """Share (0..1) of [t0, t1] spent in freezes, by WebRTC's rule: each gap between frames
    goes into a moving average of the last 30 gaps (itself included), and from the fifth gap
    on a gap of at least max(3 × average, average + 150 ms) is a freeze of its whole length.
    Frames before ``t0`` fill the average; a freeze reaching past ``t0`` or ``t1`` counts
    with its part inside. Three additions, so that a stream that stops or never gets going is
    not called smooth: the time from the last frame to ``t1`` is judged as a gap (WebRTC
    waits for the next frame); a window without any frame is 100 %; before five gaps are
    known the missing ones count as the cameras' 33 ms (WebRTC judges nothing before five,
    so one frame followed by 30 s of nothing would be 0 %). As in WebRTC, a stream steadily
    slow from its start (1 fps) is mostly no freeze: read it with the fps beside it."""
    if t1 <= t0:
        raise ValueError("empty window")
    history: deque[float] = deque(maxlen=FREEZE_HISTORY)
    frozen = 0.0
    prev: float | None = None
    seen = False
    for t in sorted(times):
        if t > t1:
            break
        if prev is not None:
            gap = t - prev
            history.append(gap)
            if _is_freeze(history, gap) and t > t0:
                frozen += min(t, t1) - max(prev, t0)
        prev = t
        seen = seen or t >= t0
    if not seen:
        return 1.0
    assert prev is not None
    tail = t1 - prev
    history.append(tail)
    if _is_freeze(history, tail):
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


def main(argv: list[str]) -> int:
    """``python -m benchmarks.netem.metrics RAW.json …``: freeze % and fps again from the
    frame times ``bench-network --raw`` wrote (for figures taken before a rule changed)."""
    import json
    from pathlib import Path

    for name in argv:
        raw = json.loads(Path(name).read_text())
        parts = []
        for who in ("console", "native"):
            if who not in raw:
                continue
            t0, t1 = raw[who]["window"]
            for d in ("c2b", "b2c"):
                times = raw[who][d]
                prefix = "native_" if who == "native" else ""
                parts.append(
                    f"{prefix}{d}_freeze_pct={100 * freeze_share(times, t0, t1):.1f} "
                    f"{prefix}{d}_fps={fps(times, t0, t1):.1f}"
                )
        print(f"{name}: " + " ".join(parts))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
