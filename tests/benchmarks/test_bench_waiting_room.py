"""``make bench-waiting-room`` on a small scale: it runs end to end and reports in its format."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SMALL = ("--n", "50", "--procs", "2", "--advisors", "2", "--sample-rate", "200")
LAST_LINE = re.compile(
    r"waiting-room: n=50 arrival_p99_ms=\d+\.\d admit_p99_ms=\d+\.\d kib_per_conn=-?\d+\.\d"
    r" join_cpu_ms=\d+\.\d"
)


def test_fifty_citizens_arrive_and_are_admitted() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.waiting_room", *SMALL],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    lines = result.stdout.splitlines()
    assert LAST_LINE.fullmatch(lines[-1]), report
    # Every citizen joined, arrived at an advisor, re-entered and was admitted.
    assert any(line.startswith("connect: 50/50 citizens joined") for line in lines), report
    for phase in ("arrivals, all 50 enter", "arrivals, leave and re-enter", "admissions"):
        assert any(line.startswith(phase) and "samples=50 " in line for line in lines), phase
    assert "errors: 0;" in lines[-2], report
