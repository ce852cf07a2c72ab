"""``make bench-call`` on a short window: it runs end to end and reports in its format."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[2]
LAST_LINE = re.compile(
    r"call: setup_ms=(\d+) native_setup_ms=(\d+) fps_console=([\d.]+) fps_browser=([\d.]+) "
    r"cpu_console_pct=(\d+) latency_ms=(\d+)"
)


def test_a_short_call_measures_every_figure() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.call", "--seconds", "4"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    match = LAST_LINE.fullmatch(result.stdout.splitlines()[-1])
    assert match, report
    setup, native, fps_console, fps_browser, cpu, latency = map(float, match.groups())
    # Frames flowed both ways at a real rate, and the timestamps in them were read back.
    assert fps_console > 10 and fps_browser > 10, report
    assert 0 < latency < 1000, report
    assert 0 < setup < 20_000 and 0 < native < 20_000, report
    assert 0 < cpu < 400, report
    assert "0 frames below 1280×720" in report, report
