"""Link profiles of ``make bench-network`` (down = towards the citizen, up = from the citizen).

A profile is the link's figures at the start plus steps at seconds after the start of the
measuring window (timed by the forwarder), and for ``busy`` a CPU load instead of a link
change. ``event_s`` marks the moment after which the recovery is measured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from benchmarks.netem.shaper import Params

Steps = list[tuple[float, dict[str, dict[str, Any]]]]


@dataclass(frozen=True)
class Profile:
    name: str
    down: Params
    up: Params
    description: str
    steps: Steps = field(default_factory=list)
    #: Fixed length of the measuring window (None: the run's ``--seconds``).
    window_s: float | None = None
    #: Seconds into the window after which recovery is measured, and the fps to reach.
    event_s: float | None = None
    recover_fps: float = 24.0
    #: (start, end) of the CPU load in seconds into the window.
    load: tuple[float, float] | None = None


def _both(**changes: Any) -> dict[str, dict[str, Any]]:
    return {"down": dict(changes), "up": dict(changes)}


LAN = Params()
MBIT4 = Params(rate_kbps=4000, delay_ms=40)

PROFILES = {
    p.name: p
    for p in [
        Profile("lan", LAN, LAN, "no limit, no delay"),
        Profile(
            "3g",
            Params(rate_kbps=1500, delay_ms=125, loss=0.015),
            Params(rate_kbps=750, delay_ms=125, loss=0.015),
            "1.5 Mbit/s down, 750 kbit/s up, 125 ms one way, 1.5 % loss",
        ),
        Profile(
            "poor3g",
            Params(rate_kbps=400, delay_ms=175, loss=0.05),
            Params(rate_kbps=400, delay_ms=175, loss=0.05),
            "400 kbit/s each way, 175 ms one way, 5 % loss",
        ),
        Profile(
            "lossy",
            Params(rate_kbps=4000, delay_ms=40, loss=0.05),
            Params(rate_kbps=4000, delay_ms=40, loss=0.05),
            "4 Mbit/s each way, 40 ms one way, 5 % loss",
        ),
        Profile(
            "drop",
            MBIT4,
            MBIT4,
            "4 Mbit/s, 40 ms; 300 kbit/s from 10 s to 30 s; 4 Mbit/s again",
            steps=[(10.0, _both(rate_kbps=300)), (30.0, _both(rate_kbps=4000))],
            window_s=50.0,
            event_s=30.0,
            recover_fps=24.0,
        ),
        Profile(
            "outage",
            MBIT4,
            MBIT4,
            "4 Mbit/s, 40 ms; nothing passes from 10 s to 20 s; then as before",
            steps=[(10.0, _both(loss=1.0)), (20.0, _both(loss=0.0))],
            window_s=40.0,
            event_s=20.0,
            recover_fps=24.0,
        ),
        Profile(
            "burstloss",
            MBIT4,
            MBIT4,
            "4 Mbit/s, 40 ms; 20 % loss from 10 s to 15 s, then a reordering burst to 20 s",
            steps=[
                (10.0, _both(loss=0.2)),
                (15.0, _both(loss=0.0, reorder=0.3, reorder_ms=30.0)),
                (20.0, _both(reorder=0.0)),
            ],
            window_s=35.0,
            event_s=20.0,
            recover_fps=24.0,
        ),
        Profile(
            "weakup",
            Params(rate_kbps=1500, delay_ms=60),
            Params(rate_kbps=100, delay_ms=60),
            "1.5 Mbit/s down, 100 kbit/s up (a citizen's weak upload), 60 ms one way",
        ),
        Profile(
            "smoke",
            Params(rate_kbps=150, delay_ms=40),
            Params(rate_kbps=150, delay_ms=40),
            "150 kbit/s each way, 40 ms one way (the short run of make test)",
        ),
        Profile(
            "busy",
            LAN,
            LAN,
            "no link limit; processes keep both cores busy from 10 s to 70 s",
            window_s=100.0,
            event_s=70.0,
            recover_fps=29.0,
            load=(10.0, 70.0),
        ),
    ]
}
