"""The connection-quality label of a call, from a peer connection's figures.

Round trip and loss decide; the bitrate is shown but not judged (a still picture needs little).
The limits follow ITU-T G.114 for the round trip (up to 150 ms one way is "good" for
conversation; we judge the round trip more strictly because both directions add up) and the
usual video-conferencing experience for loss (a few percent is where pictures start to break).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class QualityLevel(StrEnum):
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"
    UNKNOWN = "unknown"


#: (round trip in ms, loss in percent) up to which a level holds.
GOOD_LIMITS = (200.0, 2.0)
FAIR_LIMITS = (500.0, 8.0)


@dataclass(frozen=True, slots=True)
class QualitySample:
    """One reading of a peer connection, every few seconds during a call."""

    rtt_ms: float | None
    loss_pct: float | None
    kbps_in: float
    kbps_out: float
    fps_in: float = 0.0

    @property
    def level(self) -> QualityLevel:
        return classify(self.rtt_ms, self.loss_pct)


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
