"""The tracks made here: a real tone and a moving pattern, paced in real time."""

from __future__ import annotations

import itertools
import time

import numpy as np
import numpy.typing as npt
import pytest
from aiortc.mediastreams import MediaStreamError

from advisor_app.client.media import TestPatternTrack, ToneTrack
from advisor_app.client.media.microphone import dbfs
from tests.helpers.media import dominant_hz

pytestmark = pytest.mark.unit


async def test_the_tone_is_440_hz_at_minus_12_dbfs_in_20_ms_frames() -> None:
    track = ToneTrack()
    started = time.monotonic()
    frames = [await track.recv() for _ in range(11)]
    assert time.monotonic() - started == pytest.approx(0.2, abs=0.08)  # real time, not faster
    assert {(f.format.name, f.layout.name, f.sample_rate, f.samples) for f in frames} == {
        ("s16", "mono", 48_000, 960)
    }
    assert [f.pts for f in frames] == [960 * i for i in range(11)]
    samples = np.concatenate([f.to_ndarray().reshape(-1) for f in frames])
    assert dominant_hz(samples) == pytest.approx(440, abs=3)
    assert dbfs(samples) == pytest.approx(-15.0, abs=0.2)  # a sine's RMS is 3 dB below peak
    assert np.max(np.abs(samples)) == pytest.approx(32767 * 10 ** (-12 / 20), rel=0.01)


async def test_a_tone_with_a_duration_ends_by_itself_without_a_click() -> None:
    track = ToneTrack(duration=0.1)
    frames = [await track.recv() for _ in range(5)]
    with pytest.raises(MediaStreamError):
        await track.recv()
    assert track.readyState == "ended"
    samples = np.concatenate([f.to_ndarray().reshape(-1) for f in frames])
    assert abs(int(samples[0])) < 50 and abs(int(samples[-1])) < 50


async def test_the_pattern_moves_counts_and_takes_an_overlay() -> None:
    seen: list[int] = []

    def overlay(image: npt.NDArray[np.uint8], pts: int) -> None:
        seen.append(pts)
        image[-20:, -20:] = (0, 0, 255)  # a red corner

    track = TestPatternTrack(overlay=overlay)
    started = time.monotonic()
    frames = [await track.recv() for _ in range(16)]
    assert time.monotonic() - started == pytest.approx(0.5, abs=0.12)
    assert {(f.width, f.height, f.format.name) for f in frames} == {(1280, 720, "yuv420p")}
    # On the console's shared timeline: real time, a frame every 3000 ticks (30 fps).
    steps = [b.pts - a.pts for a, b in itertools.pairwise(frames)]
    assert all(step > 0 for step in steps)
    assert sum(steps) / len(steps) == pytest.approx(3000, rel=0.15)
    assert seen == [f.pts for f in frames]
    first, last = (f.to_ndarray(format="bgr24") for f in (frames[0], frames[-1]))
    assert int(np.abs(first[100:, :].astype(int) - last[100:, :]).sum()) > 0  # the bars moved
    assert int(np.abs(first[:60, :330].astype(int) - last[:60, :330]).sum()) > 0  # the counter
    assert last[-10, -10, 2] > 200 and last[-10, -10, 0] < 60  # the overlay is in the frame
    latest = track.latest_bgr()
    assert latest is not None and latest.shape == (720, 1280, 3)
