"""``make bench-share`` on a short window, and its SSIM measure on pictures with known answers."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from benchmarks.share import render_pages, ssim, ssim_text

ROOT = Path(__file__).resolve().parents[2]
LAST_LINE = re.compile(r"share: fps=([\d.]+) ssim=([\d.]+) kbps=(\d+)")


@pytest.mark.gui
def test_ssim_tells_legible_text_from_blurred_text(qapp: QApplication) -> None:
    page = cv2.cvtColor(render_pages()[0], cv2.COLOR_BGR2GRAY)
    small = cv2.resize(page, (1280, 720), interpolation=cv2.INTER_AREA)
    assert ssim(small, small) == pytest.approx(1.0)
    assert ssim_text(small, small) == pytest.approx(1.0)
    # Text a person can no longer read (blurred by 1.5 px) falls below the 0.9 target.
    assert ssim(small, cv2.GaussianBlur(small, (0, 0), 1.5)) < 0.9
    # Sent at half size and blown up, the text is a smear, yet the whole page still scores
    # about 0.90 (white compares perfectly): the text-only figure is the one that tells.
    half = cv2.resize(cv2.resize(small, (640, 360), interpolation=cv2.INTER_AREA), (1280, 720))
    assert ssim(small, half) > 0.88
    assert ssim_text(small, half) < 0.75
    # A faint noise leaves the text readable and both figures high.
    noisy = np.clip(small + np.random.default_rng(1).normal(0, 2, small.shape), 0, 255)
    assert ssim(small, noisy.astype(np.uint8)) > 0.9
    assert ssim_text(small, noisy.astype(np.uint8)) > 0.9


@pytest.mark.integration
@pytest.mark.e2e
def test_a_short_share_measures_every_figure() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.share", "--seconds", "5"],
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
    fps, score, kbps = map(float, match.groups())
    assert 3 < fps < 16, report
    assert 0.5 < score <= 1.0, report
    assert 20 < kbps < 5000, report
    assert "received sizes: {'1280x720'" in report, report
