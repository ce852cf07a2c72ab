"""``make bench-network`` on one short profile: the console's call through the emulated
``poor3g`` link (400 kbit/s each way, 175 ms, 5 % loss) end to end, reported in its format.
Figures are plausibility checks, not the issue's targets (those are the benchmark's)."""

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
    rf"network: profile=poor3g c2b_freeze_pct={NUMBER} native_c2b_freeze_pct={NUMBER} "
    rf"b2c_freeze_pct={NUMBER} native_b2c_freeze_pct={NUMBER} "
    rf"audio_concealed_pct={NUMBER} native_audio_concealed_pct={NUMBER}"
)


def fields(line: str) -> dict[str, float]:
    return {k: float(v) for k, v in re.findall(r"(\w+)=(-?[\d.]+|nan)(?=\s|$)", line)}


def test_a_short_poor3g_call_through_the_link() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.network",
            "--profile",
            "poor3g",
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
    full = [line for line in lines if line.startswith("network: profile=poor3g c2b_fps")]
    assert not full, report  # the per-profile line carries more fields than the last one
    profile_lines = [line for line in lines[:-1] if line.startswith("network: profile=poor3g ")]
    assert len(profile_lines) == 1, report
    f = fields(profile_lines[0])
    # Frames arrived both ways through the link, at some rate, at a real size.
    assert f["c2b_fps"] > 2 and f["b2c_fps"] > 2, report
    assert f["c2b_height"] > 0 and f["b2c_height"] > 0, report
    assert 0 < f["c2b_first_s"] < 60 and 0 < f["b2c_first_s"] < 60, report
    # The link's rate limit shows in what it delivered (all packets, either way).
    assert 50 < f["c2b_kbps"] <= 420 and 50 < f["b2c_kbps"] <= 420, report
    for key in ("c2b_freeze_pct", "b2c_freeze_pct", "audio_concealed_pct"):
        assert 0 <= f[key] <= 100, report
    # The forwarder dropped what the profile's loss says, in both directions.
    losses = [int(n) for n in re.findall(r"(\d+) lost", report)]
    assert len(losses) == 2 and all(n > 0 for n in losses), report
    assert "console REMB window:" in report, report
