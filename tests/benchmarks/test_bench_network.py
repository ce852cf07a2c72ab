"""``make bench-network`` on one short profile: the console's call through the emulated
``smoke`` link (150 kbit/s each way, 40 ms) end to end, reported in its format. Figures are
plausibility checks, not the issue's targets (those are the benchmark's)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[2]
NUMBER = r"(-?[\d.]+|nan|none)"
SIX = re.compile(
    rf"network: profile=smoke c2b_freeze_pct={NUMBER} native_c2b_freeze_pct={NUMBER} "
    rf"b2c_freeze_pct={NUMBER} native_b2c_freeze_pct={NUMBER} "
    rf"audio_concealed_pct={NUMBER} native_audio_concealed_pct={NUMBER}"
)


def fields(line: str) -> dict[str, float]:
    return {k: float(v) for k, v in re.findall(r"(\w+)=(-?[\d.]+|nan)(?=\s|$)", line)}


def test_a_short_smoke_call_through_the_link() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.network",
            "--profile",
            "smoke",
            "--seconds",
            "8",
            "--skip-native",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=150,
        check=False,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    lines = result.stdout.splitlines()
    assert SIX.fullmatch(lines[-1]), report
    full = [line for line in lines if line.startswith("network: profile=smoke c2b_fps")]
    assert not full, report  # the per-profile line carries more fields than the last one
    profile_lines = [line for line in lines[:-1] if line.startswith("network: profile=smoke ")]
    assert len(profile_lines) == 1, report
    f = fields(profile_lines[0])
    # Frames arrived both ways through the link (the window starts after the first ones; on a
    # loaded machine the console may decode none inside 8 s, which is a figure, not a fault).
    assert 0 < f["c2b_first_s"] < 60 and 0 < f["b2c_first_s"] < 60, report
    assert f["c2b_fps"] >= 0 and f["b2c_fps"] >= 0, report
    # The link's rate limit shows in what it delivered (all packets): media flowed both ways,
    # never more than 150 kbit/s (the console's VP8 alone asks for 250 kbit/s at least).
    assert 10 < f["c2b_kbps"] <= 155, report
    assert 10 < f["b2c_kbps"] <= 155, report
    for key in ("c2b_freeze_pct", "b2c_freeze_pct", "audio_concealed_pct"):
        assert 0 <= f[key] <= 100, report
    packets = [int(n) for n in re.findall(r"(\d+) packets in", report)]
    assert len(packets) == 2 and all(n > 100 for n in packets), report
    # ... and the link queued the console's bursts (keyframes) to hold that rate.
    waits = [int(n) for n in re.findall(r"longest queue wait (\d+) ms", report)]
    assert waits[0] > 50, report
    assert "console REMB window:" in report, report
    # The citizen's page found its 150 kbit/s uplink weak: a smaller picture, fluent, rather
    # than 720p at two frames a second (only native calls have no such line).
    assert "preference maintain-framerate" in report, report
