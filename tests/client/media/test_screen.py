"""The advisor's screen capture (mss) on a real X screen with two monitors side by side."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import cv2
import numpy as np
import pytest

from advisor_app.client.media import MediaUnavailable
from advisor_app.client.media.screen import (
    SHARE_FPS,
    Monitor,
    list_monitors,
    open_screen,
    preview,
    send_size,
)
from tests.helpers.screen import XScreen, quadrant_pattern, xvfb_screen

pytestmark = pytest.mark.integration

LEFT = (0, 0, 1280, 720)
RIGHT = (1280, 0, 1280, 720)


@pytest.fixture
def two_monitors() -> Iterator[XScreen]:
    with xvfb_screen(2560, 720, {"links": LEFT, "rechts": RIGHT}) as screen:
        picture = np.zeros((720, 2560, 3), dtype=np.uint8)
        picture[:, :1280] = quadrant_pattern(1280, 720)
        picture[:, 1280:] = (30, 140, 250)  # orange (BGR) on the right monitor
        screen.show(picture)
        yield screen


def test_send_size_keeps_the_aspect_within_1280_by_720() -> None:
    assert send_size(1920, 1080) == (1280, 720)
    assert send_size(2560, 1600) == (1152, 720)
    assert send_size(1280, 1024) == (900, 720)
    assert send_size(1024, 768) == (960, 720)
    assert send_size(800, 600) == (800, 600)  # never enlarged
    assert send_size(3440, 1440) == (1280, 534)


def test_both_monitors_are_listed_with_their_own_pictures(two_monitors: XScreen) -> None:
    monitors = list_monitors()
    places = [(m.left, m.top, m.width, m.height) for m in monitors]
    assert places[:2] == [LEFT, RIGHT]
    left, right = preview(monitors[0], 128), preview(monitors[1], 128)
    assert left.shape == right.shape == (72, 128, 3)
    assert np.abs(left[18, 32].astype(int) - (40, 40, 220)).max() < 20  # red quadrant
    assert np.abs(right[36, 64].astype(int) - (30, 140, 250)).max() < 20  # orange


async def test_the_track_sends_the_chosen_monitor_at_the_send_rate(two_monitors: XScreen) -> None:
    right = list_monitors()[1]
    problems: list[str] = []
    track = await open_screen(right, problems.append)
    try:
        first = await track.recv()
        started = time.monotonic()
        frames = [first]
        while time.monotonic() - started < 1.5:
            frames.append(await track.recv())
        rate = (len(frames) - 1) / (time.monotonic() - started)
        assert SHARE_FPS * 0.6 < rate < SHARE_FPS * 1.3, rate
        assert (first.width, first.height) == (1280, 720)
        bgr = frames[-1].to_ndarray(format="bgr24")
        assert np.abs(bgr[360, 640].astype(int) - (30, 140, 250)).max() < 25
        pts = [f.pts for f in frames]
        assert pts == sorted(set(pts))  # each frame once, in order
        preview_bgr = track.latest_bgr()
        assert preview_bgr is not None and preview_bgr.shape == (720, 1280, 3)
    finally:
        track.stop()
    assert problems == []


async def test_a_monitor_unplugged_while_shared_is_reported_once(two_monitors: XScreen) -> None:
    right = list_monitors()[1]
    problems: list[str] = []
    track = await open_screen(right, problems.append)
    try:
        await track.recv()
        two_monitors.unplug_monitor("rechts")
        async with asyncio.timeout(6):
            while not problems:
                await asyncio.sleep(0.1)
        await asyncio.sleep(2.5)  # a second check would report again
        assert problems == ["screen-lost"]
        with pytest.raises(TimeoutError):  # nothing more is sent
            async with asyncio.timeout(0.5):
                await track.recv()
    finally:
        track.stop()


async def test_a_monitor_gone_before_sharing_cannot_be_opened(two_monitors: XScreen) -> None:
    beyond = Monitor(9, 2560, 0, 1280, 720)  # right of the whole desktop
    with pytest.raises(MediaUnavailable) as caught:
        await open_screen(beyond, lambda _code: None)
    assert caught.value.code == "screen-not-found"


def test_without_a_display_the_screen_cannot_be_captured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", ":139")
    with pytest.raises(MediaUnavailable) as caught:
        list_monitors()
    assert caught.value.code == "screen-unavailable"


def test_area_averaging_keeps_every_thin_stroke() -> None:
    """Why INTER_AREA: every one-pixel line of a 1920 wide screen stays visible at 1280, with
    an even darkness; nearest-neighbour drops every third one."""
    darkest_area, darkest_nearest = [], []
    for column in range(300, 306):
        picture = np.full((1080, 1920), 255, dtype=np.uint8)
        picture[:, column] = 0
        area = cv2.resize(picture, (1280, 720), interpolation=cv2.INTER_AREA)
        nearest = cv2.resize(picture, (1280, 720), interpolation=cv2.INTER_NEAREST)
        darkest_area.append(int(area.min()))
        darkest_nearest.append(int(nearest.min()))
    assert max(darkest_area) <= 170
    assert darkest_nearest.count(255) == 2
