"""One window shared on X11 (Composite): real windows of other programs on a real Xvfb
screen, a window put on top of the shared one, resized, closed and minimised while shared."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator

import cv2
import numpy as np
import pytest
from aiortc.mediastreams import MediaStreamError

from advisor_app.client.media import MediaUnavailable
from advisor_app.client.media.screen import SHARE_FPS, ScreenTrack, list_monitors, preview
from advisor_app.client.media.window import (
    Window,
    list_windows,
    open_share,
    open_window,
    window_capture_available,
    window_previews,
)
from tests.helpers.screen import XScreen, xvfb_screen
from tests.helpers.x_windows import ROOT, XWindow, wait_for_x

pytestmark = pytest.mark.integration

#: The quadrant colours as BGR (what the capture delivers), see x_window_program.
QUADRANTS_BGR = {
    (0.25, 0.25): (40, 40, 220),
    (0.75, 0.25): (40, 200, 40),
    (0.25, 0.75): (220, 60, 40),
    (0.75, 0.75): (235, 235, 235),
}
GREEN_BGR = (0, 255, 0)  # the covering window


@pytest.fixture
def screen() -> Iterator[XScreen]:
    with xvfb_screen(1920, 1080) as xscreen:
        wait_for_x()
        yield xscreen


@pytest.fixture
def windows(screen: XScreen) -> Iterator[list[XWindow]]:
    """The shared window (quadrants, 960×540 at 100,100) and a green one on top of its
    middle: what an advisor has when a chat or the waiting room lies over a document."""
    made = [
        XWindow("Akte Müller – Editor", (100, 100, 960, 540)),
        XWindow("Warteraum (darüber)", (340, 220, 480, 300), "#00ff00"),
    ]
    yield made
    for window in made:
        window.stop()


def _near(pixel: np.ndarray, bgr: tuple[int, int, int], tolerance: int = 12) -> bool:
    return bool(np.abs(pixel.astype(int)[:3] - bgr).max() <= tolerance)


def _bgr(track: ScreenTrack) -> np.ndarray:
    picture = track.latest_bgr()
    assert picture is not None
    return picture


def _green_share(picture: np.ndarray) -> float:
    """The part of a picture that is the covering window's green."""
    b, g, r = (picture[:, :, i].astype(int) for i in range(3))
    return float(np.mean((g > 200) & (r < 60) & (b < 60)))


def _assert_quadrants(picture: np.ndarray, box: tuple[int, int, int, int]) -> None:
    left, top, width, height = box
    for (fx, fy), bgr in QUADRANTS_BGR.items():
        pixel = picture[top + int(height * fy), left + int(width * fx)]
        assert _near(pixel, bgr), (fx, fy, pixel)


async def _frames(track: ScreenTrack, seconds: float) -> list[np.ndarray]:
    got = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        frame = await asyncio.wait_for(track.recv(), 2)
        got.append(frame.to_ndarray(format="bgr24"))
    return got


def test_window_capture_is_available_on_xvfb(screen: XScreen) -> None:
    # Xvfb has Composite (0.4); without it the picker would hide the windows.
    assert window_capture_available()


def test_the_windows_of_other_programs_are_listed_with_their_titles(
    windows: list[XWindow],
) -> None:
    listed = list_windows()
    assert [(w.title, w.width, w.height) for w in listed] == [
        ("Akte Müller – Editor", 960, 540),
        ("Warteraum (darüber)", 480, 300),
    ]
    assert [w.id for w in listed] == [w.id for w in windows]
    # One left out by id (the picker passes the console's own), one minimised (unmapped).
    assert [w.title for w in list_windows(exclude={windows[0].id})] == ["Warteraum (darüber)"]
    assert windows[1].command("unmap") == "ok"
    assert [w.title for w in list_windows()] == ["Akte Müller – Editor"]


async def test_the_shared_window_is_sent_without_the_window_on_top(
    windows: list[XWindow],
) -> None:
    editor = list_windows()[0]
    # What the screen shows there: the green window covers the editor's middle (mss).
    [monitor] = list_monitors()
    desktop = preview(monitor, 1920)
    assert _near(desktop[100 + 270, 100 + 480], GREEN_BGR)

    problems: list[str] = []
    track = await open_window(editor, problems.append)
    try:
        frames = await _frames(track, 1.5)
    finally:
        track.stop()
    # Sent at the window's own size (within 1280×720), at the share rate, newest only.
    assert {f.shape for f in frames} == {(540, 960, 3)}
    assert SHARE_FPS * 1.5 * 0.7 <= len(frames) <= SHARE_FPS * 1.5 + 2
    for picture in frames:
        _assert_quadrants(picture, (0, 0, 960, 540))
        assert _green_share(picture) == 0.0
    # Where the green window lies on the screen, the frame shows the editor's own picture.
    middle = frames[-1][120:420, 240:720]
    expected = np.zeros_like(middle)
    expected[:150, :240], expected[:150, 240:] = (40, 40, 220), (40, 200, 40)
    expected[150:, :240], expected[150:, 240:] = (220, 60, 40), (235, 235, 235)
    assert np.abs(middle.astype(int) - expected).mean() < 4
    assert problems == []


async def test_a_hung_program_shows_black_never_the_window_that_covered_it(
    screen: XScreen,
) -> None:
    # A program that painted once and then stopped answering (no repaint on Expose): the
    # server fills its new pixmap from the screen, covering window included (X server
    # compNewPixmap); the capture blacks it out before the first frame.
    hung = XWindow("Hängt", (100, 100, 640, 360), repaint=False)
    cover = XWindow("Darüber", (200, 150, 320, 200), "#00ff00")
    try:
        [listed] = [w for w in list_windows() if w.title == "Hängt"]
        pictures = window_previews([listed], 640)
        assert _green_share(pictures[listed.id]) == 0.0
        track = await open_window(listed, lambda _code: None)
        try:
            frames = await _frames(track, 0.5)
        finally:
            track.stop()
        assert frames and all(_green_share(f) == 0.0 for f in frames)
        # The uncovered part was repainted by nobody either: black, not its old picture.
        assert all(f.max() < 20 for f in frames)
    finally:
        cover.stop()
        hung.stop()


async def test_a_resized_window_keeps_the_sent_size_with_black_bars(
    windows: list[XWindow],
) -> None:
    editor = list_windows()[0]
    track = await open_window(editor, lambda _code: None)
    try:
        await _frames(track, 0.3)
        # Wider: 1440×540 scaled into 960×540 is 960×360, with black bars above and below.
        assert windows[0].command("resize 1440 540") == "ok"
        await asyncio.sleep(0.5)
        picture = (await _frames(track, 0.3))[-1]
        assert picture.shape == (540, 960, 3)
        _assert_quadrants(picture, (0, 90, 960, 360))
        assert picture[:80].max() < 20 and picture[460:].max() < 20
        assert _green_share(picture) == 0.0
        # Smaller, same aspect: it fills the frame again, enlarged.
        assert windows[0].command("resize 480 270") == "ok"
        await asyncio.sleep(0.5)
        picture = (await _frames(track, 0.3))[-1]
        assert picture.shape == (540, 960, 3)
        _assert_quadrants(picture, (0, 0, 960, 540))
    finally:
        track.stop()


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("close", "window-closed"),
        ("unmap", "window-hidden"),
    ],
)
async def test_a_window_closed_or_minimised_while_shared_ends_the_share_once(
    windows: list[XWindow], command: str, message: str
) -> None:
    editor = list_windows()[0]
    problems: list[str] = []
    track = await open_share(editor, problems.append)
    await _frames(track, 0.3)
    assert windows[0].command(command) in {"ok", "closed"}
    with pytest.raises((MediaStreamError, TimeoutError)):  # noqa: PT012
        for _ in range(20):
            await asyncio.wait_for(track.recv(), 1)
    await asyncio.sleep(0.5)  # a second report would arrive by now
    assert problems == [message]
    track.stop()


async def test_a_window_gone_before_the_share_starts_is_refused(
    windows: list[XWindow],
) -> None:
    editor = list_windows()[0]
    assert windows[0].command("close") == "closed"
    with pytest.raises(MediaUnavailable) as refused:
        await open_window(editor, lambda _code: None)
    assert refused.value.code == "window-not-found"
    with pytest.raises(MediaUnavailable):
        await open_window(Window(0x7FFFFF, "nie da", 100, 100), lambda _code: None)


CONSOLE_CHILD = textwrap.dedent(
    """
    import json, os, sys
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    from PySide6.QtWidgets import QApplication, QDialog, QMainWindow
    from advisor_app.client.media.window import list_windows
    app = QApplication([])
    shown = []
    for title, kind in (("Beratungskonsole – Warteraum", QMainWindow),
                        ("Videogespräch mit Sina Schirm", QMainWindow),
                        ("Ausweis prüfen", QDialog)):
        widget = kind()
        widget.setWindowTitle(title)
        widget.resize(400, 300)
        widget.show()
        shown.append(widget)
    for _ in range(50):
        app.processEvents()
    print(json.dumps([w.title for w in list_windows()]), flush=True)
    sys.stdin.read()  # the windows stay until the test is done
    """
)


def test_the_consoles_own_windows_are_never_listed(windows: list[XWindow]) -> None:
    # The console is a Qt program on the same X screen (xcb); it lists the windows itself.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CONSOLE_CHILD],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        titles = json.loads(child.stdout.readline())
        assert titles == ["Akte Müller – Editor", "Warteraum (darüber)"]
        # Its windows are there, mapped and shareable for any other program: only the
        # console's own list leaves them out.
        others = [w.title for w in list_windows()]
        assert others == [
            "Akte Müller – Editor",
            "Warteraum (darüber)",
            "Beratungskonsole – Warteraum",
            "Videogespräch mit Sina Schirm",
            "Ausweis prüfen",
        ]
    finally:
        child.communicate(timeout=20)  # closes its stdin: the child ends


def test_a_window_manager_s_client_list_is_used(windows: list[XWindow]) -> None:
    # A window manager names its clients on the root window (EWMH) and marks docks and
    # minimised windows; set here as a window manager would.
    from Xlib import Xatom
    from Xlib import display as xdisplay

    dock = XWindow("Leiste", (0, 1040, 1920, 40), "#333333")
    display = xdisplay.Display()
    try:
        atom = display.intern_atom
        root = display.screen().root
        # The window manager's order, not the stacking order; a window it does not manage
        # (the green one here) is not offered.
        ids = [dock.id, windows[0].id]
        root.change_property(atom("_NET_CLIENT_LIST"), Xatom.WINDOW, 32, ids)
        display.sync()
        assert [w.title for w in list_windows()] == ["Leiste", "Akte Müller – Editor"]
        ids = [dock.id, windows[0].id, windows[1].id]
        root.change_property(atom("_NET_CLIENT_LIST"), Xatom.WINDOW, 32, ids)
        kind = display.create_resource_object("window", dock.id)
        kind.change_property(
            atom("_NET_WM_WINDOW_TYPE"), Xatom.ATOM, 32, [atom("_NET_WM_WINDOW_TYPE_DOCK")]
        )
        hidden = display.create_resource_object("window", windows[1].id)
        hidden.change_property(
            atom("_NET_WM_STATE"), Xatom.ATOM, 32, [atom("_NET_WM_STATE_HIDDEN")]
        )
        display.sync()
        assert [w.title for w in list_windows()] == ["Akte Müller – Editor"]
    finally:
        display.close()
        dock.stop()


def test_the_preview_is_the_windows_own_picture(windows: list[XWindow]) -> None:
    editor, cover = list_windows()
    pictures = window_previews([editor, cover], 256)
    small = pictures[editor.id]
    assert small.shape == (144, 256, 3)
    _assert_quadrants(small, (0, 0, 256, 144))
    assert _green_share(small) == 0.0
    assert _green_share(pictures[cover.id]) > 0.95
    # The previews leave the windows as they were: the screen still shows the green on top.
    assert _near(preview(list_monitors()[0], 1920)[370, 580], GREEN_BGR)
    assert cv2.countNonZero(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)) > 0
