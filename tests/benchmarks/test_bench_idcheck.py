"""``make bench-idcheck`` on a small scale: it runs and reports in its format."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
LAST_LINE = re.compile(
    r"idcheck: ms_per_frame=(\d+\.\d\d) found_pct=(\d+\.\d) corner_err_pct=(\d+\.\d\d) "
    r"false_good_pct=(\d+\.\d)"
)


def test_small_run_reports_sane_values() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.idcheck", "--n", "40", "--seed", "4"],
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
    ms, found, corner, false_good = map(float, match.groups())
    assert 0 < ms < 200
    assert 50 <= found <= 100
    assert 0 <= corner < 20  # a handful of views: one wrong outline weighs a lot
    assert false_good == 0.0
    views = re.search(r"^views: (\d+) ", result.stdout, re.MULTILINE)
    assert views and 35 <= int(views.group(1)) <= 45, report
