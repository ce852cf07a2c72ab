"""The figures of bench-network from frame times: WebRTC's freeze rule, fps, recovery."""

from __future__ import annotations

import pytest

from benchmarks.netem.metrics import fps, freeze_share, lowest_window_fps, recovery_s

pytestmark = pytest.mark.unit


def steady(start: float, end: float, rate: float = 30.0) -> list[float]:
    n = round((end - start) * rate)
    return [start + i / rate for i in range(n)]


def test_steady_frames_have_no_freeze() -> None:
    times = steady(0, 12)
    assert freeze_share(times, 1, 11) == 0.0
    assert fps(times, 1, 11) == pytest.approx(30, abs=0.1)


def test_a_gap_longer_than_the_rule_counts_whole() -> None:
    # 30 fps, then nothing for 0.5 s: 0.5 > max(3 × 33 ms, 33 ms + 150 ms) is a freeze.
    times = steady(0, 5) + steady(5.5, 10)
    assert freeze_share(times, 0, 10) == pytest.approx(0.05, abs=0.004)


def test_a_gap_under_mean_plus_150_ms_is_no_freeze() -> None:
    # 30 fps with one 163 ms gap: more than 3 × 33 ms but less than 33 + 150 ms.
    times = steady(0, 5) + steady(5.13, 10)
    assert freeze_share(times, 0, 10) == 0.0


def test_a_slow_steady_rate_is_no_freeze_but_low_fps() -> None:
    # WebRTC's rule judges against the recent mean: 5 fps steady is smooth (and slow).
    times = steady(0, 10, rate=5)
    assert freeze_share(times, 1, 9) == 0.0
    assert fps(times, 1, 9) == pytest.approx(5, abs=0.2)


def test_webrtc_calls_a_stream_slow_from_its_start_smooth_but_a_fall_a_freeze() -> None:
    # The average includes every gap: one frame a second from the start is no freeze ...
    assert freeze_share(steady(0, 30, rate=1), 5, 30) == 0.0
    # ... (only its first gap, against the cameras' 33 ms standing in for unseen ones)
    assert freeze_share(steady(0, 30, rate=1), 0, 30) == pytest.approx(1 / 30)
    # ... a fall from 30 fps to one frame a second is, until the average has caught up.
    times = steady(0, 10) + steady(10, 30, rate=1)
    assert 0.1 < freeze_share(times, 10, 30) < 0.5


def test_no_frames_at_all_is_all_frozen_and_a_dead_tail_counts() -> None:
    assert freeze_share([], 0, 10) == 1.0
    # two frames, then one in the window, then nothing: frozen (WebRTC would say 0 %)
    assert freeze_share([0.0, 0.5, 5.0], 2, 30) > 0.95
    times = steady(0, 4)
    assert freeze_share(times, 0, 10) == pytest.approx(0.6, abs=0.01)


def test_a_freeze_reaching_into_the_window_counts_its_inside_part() -> None:
    times = steady(0, 2) + steady(4, 10)
    assert freeze_share(times, 3, 9) == pytest.approx(1 / 6, abs=0.01)


def test_recovery_and_lowest_window() -> None:
    # 30 fps, 5 fps from 10 s to 20 s, 30 fps again from 23 s on.
    times = steady(0, 10) + steady(10, 23, rate=5) + steady(23, 40)
    # 72 frames in 3 s from 22.3 s on (3 at 5 fps, 69 at 30 fps)
    assert recovery_s(times, 20, 40, 24) == pytest.approx(2.3, abs=0.11)
    # a burst: 30 frames let out within 0.1 s, then 5 fps again, is not being back
    burst = steady(0, 10, rate=5) + [10 + i / 300 for i in range(30)] + steady(10.2, 20, rate=5)
    assert recovery_s(burst, 9, 20, 24) is None
    assert recovery_s(times, 0, 40, 24) == 0.0
    assert recovery_s(steady(0, 10, rate=5), 2, 10, 24) is None
    assert lowest_window_fps(times, 0, 40, 10) == pytest.approx(5, abs=0.2)
