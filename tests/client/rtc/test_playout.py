"""The playout clock: frames held behind a retransmission are shown at the sender's pace.

Frame arrivals are simulated as a 3G link delivers them (30 fps, a path delay with a few
milliseconds of jitter, and now and then a lost packet that holds a frame and every frame
behind it for a round trip, then releases them at once); the times the clock gives are judged
by WebRTC's freeze rule (``core/call_quality.count_freezes``), as the benchmark does.
"""

from __future__ import annotations

import itertools
import random

import pytest

from advisor_app.client.rtc.playout import PlayoutClock, delay_cap, delay_floor
from advisor_app.core.call_quality import count_freezes

pytestmark = pytest.mark.unit

FPS = 30
TICKS = 90_000 // FPS


def arrivals(
    seconds: float, *, loss_every_s: float | None, rtt: float = 0.25, start_ts: int = 1000
) -> list[tuple[int, float]]:
    """(RTP timestamp, arrival) of each frame; a loss holds frames until its retransmission."""
    rng = random.Random(5)
    out: list[tuple[int, float]] = []
    held_until = 0.0
    next_loss = loss_every_s if loss_every_s else float("inf")
    for i in range(int(seconds * FPS)):
        sent = i / FPS
        arrival = sent + 0.08 + rng.uniform(0, 0.006)
        if sent >= next_loss:
            held_until = arrival + rtt  # this frame waits for its retransmission ...
            next_loss += loss_every_s or 0
        arrival = max(arrival, held_until)  # ... and the frames behind it wait with it
        out.append(((start_ts + i * TICKS) & 0xFFFFFFFF, 100.0 + arrival))
    return out


def shown(frames: list[tuple[int, float]], clock: PlayoutClock | None) -> list[float]:
    if clock is None:
        return [arrival for _ts, arrival in frames]
    return [clock.schedule(ts, arrival) for ts, arrival in frames]


def test_bursts_after_retransmissions_are_freezes_without_the_clock_and_not_with_it() -> None:
    frames = arrivals(60, loss_every_s=2.0)
    assert count_freezes(shown(frames, None), 0) >= 25  # every loss a visible stutter
    clock = PlayoutClock()
    times = shown(frames, clock)
    assert count_freezes(times, 0) <= 1  # only the first, before the delay was learnt
    assert 0.24 <= clock.target_delay_s <= 0.27  # about the round trip, no more
    assert times == sorted(times)
    assert all(t >= a for t, (_ts, a) in zip(times, frames, strict=True))  # never before it came


def test_on_a_clean_link_the_delay_stays_at_the_paths_jitter() -> None:
    clock = PlayoutClock()
    frames = arrivals(20, loss_every_s=None)
    times = shown(frames, clock)
    assert clock.target_delay_s < 0.007
    assert max(t - a for t, (_ts, a) in zip(times, frames, strict=True)) < 0.007


def test_the_delay_comes_down_slowly_once_the_losses_stop() -> None:
    clock = PlayoutClock()
    lossy = arrivals(10, loss_every_s=2.0)
    shown(lossy, clock)
    assert clock.target_delay_s > 0.2
    last_ts, last_arrival = lossy[-1]
    calm = [(last_ts + (i + 1) * TICKS, last_arrival + (i + 1) / FPS) for i in range(30 * FPS)]
    times = shown(calm, clock)
    assert clock.target_delay_s < 0.01  # 10 s to forget the burst, then 0.1 s a second
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) > 0.025  # shrinking never bunches frames up


def test_a_delay_never_exceeds_the_cap_and_timestamps_may_wrap() -> None:
    clock = PlayoutClock(max_delay_s=0.3)
    frames = arrivals(20, loss_every_s=3.0, rtt=0.6, start_ts=0xFFFFFFFF - 40 * TICKS)
    times = shown(frames, clock)
    assert clock.target_delay_s == pytest.approx(0.3)
    assert max(t - a for t, (_ts, a) in zip(times, frames, strict=True)) <= 0.3 + 1e-9
    assert times == sorted(times)


def test_a_new_stream_starts_afresh() -> None:
    clock = PlayoutClock()
    shown(arrivals(6, loss_every_s=2.0), clock)
    assert clock.target_delay_s > 0.2
    later = 500.0
    assert clock.schedule(77, later) == later  # another clock: shown at once ...
    assert clock.target_delay_s == 0.0  # ... and nothing learnt of the old stream is kept


def test_the_cap_follows_the_round_trip() -> None:
    assert delay_cap(0.001) == pytest.approx(0.05)  # a LAN: at most 50 ms later
    assert delay_cap(0.25) == pytest.approx(0.405)  # 3G: a retransmission fits
    assert delay_cap(2.0) == 0.5
    clock = PlayoutClock(max_delay_s=delay_cap(0.001))
    frames = arrivals(20, loss_every_s=2.0, rtt=0.25)
    times = shown(frames, clock)
    assert max(t - a for t, (_ts, a) in zip(times, frames, strict=True)) <= 0.05 + 1e-9


def test_on_a_mobile_link_the_first_retransmission_does_not_freeze_either() -> None:
    """With the round trip known to be a mobile link's, the picture waits for one
    retransmission from the first frame: not even the first loss stutters."""
    frames = arrivals(20, loss_every_s=2.0, rtt=0.3)
    late = PlayoutClock()
    assert count_freezes(shown(frames, late), 0) >= 1  # learnt at the first loss
    clock = PlayoutClock(max_delay_s=delay_cap(0.3), min_delay_s=delay_floor(0.3))
    times = shown(frames, clock)
    assert count_freezes(times, 0) == 0
    assert delay_floor(0.02) == 0.0  # a LAN waits for nothing
    assert delay_floor(0.3) == pytest.approx(0.34)
    assert delay_floor(3.0) == 0.5
