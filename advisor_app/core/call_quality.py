"""The connection-quality label of a call: what the advisor sees, and why, in plain words.

The label judges the picture that arrives, not only the network figures: a citizen's video at
2 frames per second is a poor call even with a short round trip and no loss. The
rules, the worst of them decides:

- round trip and loss: up to 200 ms and 2 % is good, up to 500 ms and 8 % fair (ITU-T G.114
  for the delay, judged on the round trip because both directions add up; a few percent of
  loss is where pictures start to break);
- received frame rate, while the other side's camera is on: below 10 fps is poor (motion
  falls apart, lips no longer match the voice), below 20 fps fair;
- freezes (WebRTC's rule: a gap between frames longer than max(3 × mean gap, mean gap +
  150 ms)): two or more in the last :data:`FREEZE_WINDOW_S` seconds is poor, one is fair.

The reason names the cause the advisor can act on. The console's own computer comes first:
when it reads packets late or its processor is saturated, the picture suffers whatever the
network does, and the advisor must not blame the citizen's connection.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import StrEnum


class QualityLevel(StrEnum):
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"
    UNKNOWN = "unknown"


class QualityReason(StrEnum):
    """Why a call is not good, for the words the call page shows."""

    NONE = "none"
    BUSY_COMPUTER = "busy_computer"  # the console's own CPU
    LOSS = "loss"  # packets lost on the way
    DELAY = "delay"  # long round trip
    PICTURE = "picture"  # few frames or freezes arrive, the network figures look fine


#: (round trip in ms, loss in percent) up to which a level holds.
GOOD_LIMITS = (200.0, 2.0)
FAIR_LIMITS = (500.0, 8.0)
#: Received frames per second below which the picture is fair / poor.
GOOD_FPS = 20.0
FAIR_FPS = 10.0
#: Freezes are counted over this many seconds.
FREEZE_WINDOW_S = 10.0
#: The console reads packets this late (95th percentile), or its event loop wakes this late:
#: its own computer is the bottleneck.
BUSY_LAG_MS = 100.0
#: The console's process uses this share of one core: saturated (Python runs on one).
BUSY_CPU_PCT = 90.0
#: Runnable processes per core (1-minute load average) above which the PC is overloaded.
BUSY_LOAD_PER_CORE = 2.0

_ORDER = [QualityLevel.GOOD, QualityLevel.FAIR, QualityLevel.POOR]


@dataclass(frozen=True, slots=True)
class ConsoleLoad:
    """How busy the console's own computer is."""

    lag_ms: float | None = None  # packets read / loop woken late (worst of the two)
    cpu_pct: float | None = None  # this process, share of one core
    load_per_core: float | None = None  # 1-minute load average per core (None on Windows)

    @property
    def busy(self) -> bool:
        return (
            (self.lag_ms is not None and self.lag_ms >= BUSY_LAG_MS)
            or (self.cpu_pct is not None and self.cpu_pct >= BUSY_CPU_PCT)
            or (self.load_per_core is not None and self.load_per_core >= BUSY_LOAD_PER_CORE)
        )


@dataclass(frozen=True, slots=True)
class QualitySample:
    """One reading of a peer connection, every few seconds during a call."""

    rtt_ms: float | None
    loss_pct: float | None
    kbps_in: float
    kbps_out: float
    fps_in: float = 0.0
    #: The other side's camera is on, so frames are expected (fps and freezes are judged).
    video_expected: bool = False
    freezes: int = 0
    load: ConsoleLoad = ConsoleLoad()

    @property
    def level(self) -> QualityLevel:
        return judge(self)[0]

    @property
    def reason(self) -> QualityReason:
        return judge(self)[1]


def classify(rtt_ms: float | None, loss_pct: float | None) -> QualityLevel:
    """Good, fair or poor by the worse of round trip and loss; unknown without either."""
    if rtt_ms is None and loss_pct is None:
        return QualityLevel.UNKNOWN
    rtt = rtt_ms or 0.0
    loss = loss_pct or 0.0
    if rtt <= GOOD_LIMITS[0] and loss <= GOOD_LIMITS[1]:
        return QualityLevel.GOOD
    if rtt <= FAIR_LIMITS[0] and loss <= FAIR_LIMITS[1]:
        return QualityLevel.FAIR
    return QualityLevel.POOR


def picture_level(fps: float, freezes: int) -> QualityLevel:
    """Good, fair or poor by the frames that arrive while the other camera is on."""
    if fps < FAIR_FPS or freezes >= 2:
        return QualityLevel.POOR
    if fps < GOOD_FPS or freezes == 1:
        return QualityLevel.FAIR
    return QualityLevel.GOOD


def judge(sample: QualitySample) -> tuple[QualityLevel, QualityReason]:
    """The label of ``sample`` and its main reason (see the module's rules)."""
    network = classify(sample.rtt_ms, sample.loss_pct)
    picture = (
        picture_level(sample.fps_in, sample.freezes)
        if sample.video_expected
        else QualityLevel.UNKNOWN
    )
    judged = [lv for lv in (network, picture) if lv is not QualityLevel.UNKNOWN]
    if not judged:
        return QualityLevel.UNKNOWN, QualityReason.NONE
    level = max(judged, key=_ORDER.index)
    if level is QualityLevel.GOOD:
        return level, QualityReason.NONE
    if sample.load.busy:
        return level, QualityReason.BUSY_COMPUTER
    if network is level:
        loss = sample.loss_pct or 0.0
        limits = GOOD_LIMITS if level is QualityLevel.FAIR else FAIR_LIMITS
        return level, QualityReason.LOSS if loss > limits[1] else QualityReason.DELAY
    return level, QualityReason.PICTURE


def count_freezes(frame_times: list[float], since: float) -> int:
    """Freezes among frames presented at ``frame_times`` (seconds, ascending) that end after
    ``since``: a gap longer than max(3 × the mean gap, the mean gap + 150 ms)."""
    if len(frame_times) < 3:
        return 0
    gaps = [b - a for a, b in itertools.pairwise(frame_times)]
    mean = sum(gaps) / len(gaps)
    limit = max(3 * mean, mean + 0.150)
    return sum(
        1 for gap, end in zip(gaps, frame_times[1:], strict=True) if gap > limit and end > since
    )
