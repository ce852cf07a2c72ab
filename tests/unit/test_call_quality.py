"""The call-quality label's rules: the picture that arrives counts, and the reason is named."""

from __future__ import annotations

import pytest

from advisor_app.core.call_quality import (
    ConsoleLoad,
    QualityLevel,
    QualityReason,
    QualitySample,
    count_freezes,
    judge,
)

pytestmark = pytest.mark.unit

IDLE = ConsoleLoad(lag_ms=5.0, cpu_pct=30.0, load_per_core=0.5)
BUSY = ConsoleLoad(lag_ms=400.0, cpu_pct=97.0, load_per_core=4.5)


def sample(
    fps: float = 30.0,
    *,
    rtt: float | None = 40.0,
    loss: float | None = 0.0,
    freezes: int = 0,
    load: ConsoleLoad = IDLE,
    camera: bool = True,
) -> QualitySample:
    return QualitySample(rtt, loss, 1500.0, 1500.0, fps, camera, freezes, load)


def test_issue_24_two_frames_a_second_on_a_busy_console_is_poor_and_says_why() -> None:
    # Chromium's figures then: round trip 35–46 ms, no loss — and 1.6–1.9 fps at the console.
    assert judge(sample(1.9, rtt=46.0, load=BUSY)) == (
        QualityLevel.POOR,
        QualityReason.BUSY_COMPUTER,
    )


@pytest.mark.parametrize(
    ("fps", "level"),
    [(30.0, QualityLevel.GOOD), (20.0, QualityLevel.GOOD), (19.0, QualityLevel.FAIR),
     (10.0, QualityLevel.FAIR), (9.9, QualityLevel.POOR), (2.0, QualityLevel.POOR)],
)  # fmt: skip
def test_the_frame_rate_that_arrives_decides(fps: float, level: QualityLevel) -> None:
    assert judge(sample(fps))[0] is level


def test_few_frames_on_an_idle_console_are_the_picture_not_the_computer() -> None:
    assert judge(sample(4.0)) == (QualityLevel.POOR, QualityReason.PICTURE)


def test_freezes_count_even_at_a_good_frame_rate() -> None:
    assert judge(sample(freezes=1)) == (QualityLevel.FAIR, QualityReason.PICTURE)
    assert judge(sample(freezes=3))[0] is QualityLevel.POOR


def test_a_camera_that_is_off_is_not_a_frozen_picture() -> None:
    assert judge(sample(0.0, camera=False)) == (QualityLevel.GOOD, QualityReason.NONE)


def test_network_figures_still_count_and_name_their_cause() -> None:
    assert judge(sample(rtt=350.0)) == (QualityLevel.FAIR, QualityReason.DELAY)
    assert judge(sample(loss=12.0)) == (QualityLevel.POOR, QualityReason.LOSS)
    # A busy console is named first: the advisor can act on it, not on the citizen's network.
    assert judge(sample(loss=12.0, load=BUSY))[1] is QualityReason.BUSY_COMPUTER


def test_a_busy_console_with_a_good_call_is_still_good() -> None:
    assert judge(sample(load=BUSY)) == (QualityLevel.GOOD, QualityReason.NONE)


@pytest.mark.parametrize(
    "load",
    [ConsoleLoad(lag_ms=150.0), ConsoleLoad(cpu_pct=95.0), ConsoleLoad(load_per_core=3.0)],
)
def test_any_sign_of_a_saturated_computer_counts(load: ConsoleLoad) -> None:
    assert load.busy
    assert not ConsoleLoad(lag_ms=20.0, cpu_pct=50.0, load_per_core=1.0).busy


def test_nothing_measured_yet_is_unknown() -> None:
    assert judge(sample(rtt=None, loss=None, camera=False))[0] is QualityLevel.UNKNOWN


def test_freezes_by_webrtcs_rule() -> None:
    steady = [i / 30 for i in range(90)]
    assert count_freezes(steady, since=0.0) == 0
    # Two gaps of 400 ms in three seconds of 30 fps: each longer than mean + 150 ms.
    times = [t for t in steady if not 1.0 < t < 1.4 and not 2.0 < t < 2.4]
    assert count_freezes(times, since=0.0) == 2
    assert count_freezes(times, since=1.5) == 1
