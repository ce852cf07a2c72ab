"""The share picker's "Fenster" tab: other programs' windows on a real X screen (Xvfb), each
with its title as plain text and a preview of its own picture, and one of them chosen."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from advisor_app.client.media import Monitor, Window
from advisor_app.client.service_client import ServiceClient
from advisor_app.ui.dialogs.share_picker import WINDOWS_TAB, SharePicker
from tests.helpers.citizens import book
from tests.helpers.console_window import CallingCitizen, Console
from tests.helpers.screen import QUADRANTS_RGB, quadrant_pattern, xvfb_screen
from tests.helpers.screenshots import shot
from tests.helpers.ui import run, wait_until
from tests.helpers.x_windows import XWindow, wait_for_x

pytestmark = [pytest.mark.gui]

MARKUP_TITLE = "<b>Bescheid</b> & Anlage <img src=x> – Entwurf"


@pytest.fixture
def desktop() -> Iterator[list[XWindow]]:
    with xvfb_screen(1920, 1080) as screen:
        wait_for_x()
        screen.show(quadrant_pattern(1920, 1080) // 3)  # a dim desktop behind the windows
        made = [
            XWindow("Akte Müller – Editor", (100, 100, 960, 540)),
            XWindow(MARKUP_TITLE, (700, 300, 640, 480), "#2060c0"),
            XWindow("Rechner", (1400, 600, 320, 400), "#00ff00"),
        ]
        yield made
        for window in made:
            window.stop()


def _near(colour: QColor, rgb: tuple[int, int, int], tolerance: int = 30) -> bool:
    got = (colour.red(), colour.green(), colour.blue())
    return all(abs(a - b) <= tolerance for a, b in zip(got, rgb, strict=True))


def test_the_picker_lists_the_windows_with_their_titles_and_pictures(
    qtbot: QtBot, desktop: list[XWindow]
) -> None:
    picker = SharePicker()
    qtbot.addWidget(picker)
    picker.show()
    assert picker.windows_available
    assert [picker.tabs.tabText(i) for i in range(picker.tabs.count())] == [
        "Ganzer Bildschirm",
        "Fenster",
    ]
    # Monitors first, as before.
    assert isinstance(picker.chosen, Monitor)
    assert [w.title for w in picker.windows] == [
        "Akte Müller – Editor",
        MARKUP_TITLE,
        "Rechner",
    ]
    # Titles are text: no markup taken, "&" shown (not an accelerator), the whole title for
    # screen readers and in the tooltip (escaped, so shown as written).
    labels = [b.text() for b in picker.window_buttons]
    assert labels[0] == "Akte Müller – Editor"
    assert labels[1] == "<b>Bescheid</b> && Anlage <img src=x> –…"
    assert picker.window_buttons[1].accessibleName() == f"Fenster: {MARKUP_TITLE}"
    assert "&lt;b&gt;Bescheid&lt;/b&gt; &amp; Anlage" in picker.window_buttons[1].toolTip()
    # Each preview is the window's own picture: the editor's quadrants, although the blue
    # window lies over its lower right quarter.
    editor = picker.window_preview_image(0)
    w, h = editor.width(), editor.height()
    assert (w, h) == (200, 112)
    for name, (fx, fy) in {
        "top_left": (0.25, 0.25),
        "top_right": (0.75, 0.25),
        "bottom_left": (0.25, 0.75),
        "bottom_right": (0.8, 0.85),  # under the blue window on the screen
    }.items():
        assert _near(editor.pixelColor(int(w * fx), int(h * fy)), QUADRANTS_RGB[name]), name
    assert _near(picker.window_preview_image(2).pixelColor(50, 50), (0, 255, 0))

    # The "Fenster" tab: the first window is preselected, another one can be chosen.
    picker.tabs.setCurrentIndex(WINDOWS_TAB)
    assert picker.chosen == picker.windows[0] and picker.share_button.isEnabled()
    qtbot.mouseClick(picker.window_buttons[1], Qt.MouseButton.LeftButton)
    chosen = picker.chosen
    assert isinstance(chosen, Window) and chosen.id == desktop[1].id
    assert picker.chosen_name == MARKUP_TITLE
    picker.resize(760, 560)
    qtbot.wait(50)
    picker.grab().save(shot("share-picker-windows.png"))

    # A window closed while the picker is open: "Neu einlesen" lists the others.
    desktop[2].stop()
    qtbot.mouseClick(picker.refresh_button, Qt.MouseButton.LeftButton)
    assert [w.title for w in picker.windows] == ["Akte Müller – Editor", MARKUP_TITLE]
    # And back on the first tab, the monitor is what would be shared.
    picker.tabs.setCurrentIndex(0)
    assert isinstance(picker.chosen, Monitor)


def test_without_window_capture_the_tab_is_missing_and_a_note_says_so(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, desktop: list[XWindow]
) -> None:
    # A Wayland session (the X server is there for X11 programs, but not every window is).
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    picker = SharePicker()
    qtbot.addWidget(picker)
    assert not picker.windows_available
    assert picker.tabs.count() == 1 and picker.window_buttons == []
    assert picker.window_note.text() == (
        "Einzelne Fenster teilen ist auf diesem System noch nicht möglich."
    )
    assert isinstance(picker.chosen, Monitor)


def _report(citizen: CallingCitizen) -> dict[str, Any]:
    return dict(json.loads(citizen.ask("screen-report")))


def _near_list(got: list[int], rgb: tuple[int, int, int], tolerance: int = 30) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(got, rgb, strict=True))


@pytest.mark.e2e  # the citizen is Debian's Chromium
def test_sharing_a_window_from_the_call_page_with_chromium(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    calling_console: Console,
    client: ServiceClient,
    request: pytest.FixtureRequest,
) -> None:
    with xvfb_screen(1920, 1080):
        wait_for_x()
        editor = XWindow("<i>Akte</i> Müller", (100, 100, 960, 540))
        request.addfinalizer(editor.stop)
        cover = XWindow("Darüber", (250, 180, 620, 420), "#00ff00")
        request.addfinalizer(cover.stop)
        window = calling_console.window
        appt = run(loop, book(client, "Fenja Fenster"))
        citizen = CallingCitizen(appt.citizen.link)
        request.addfinalizer(citizen.stop)
        citizen.expect("waiting")
        calling_console.select("Fenja Fenster")
        qtbot.mouseClick(calling_console.page.detail.admit_button, Qt.MouseButton.LeftButton)
        citizen.expect("connected")
        call = window.call
        assert call is not None

        # "Bildschirm teilen" → the "Fenster" tab → the editor → "Teilen".
        qtbot.mouseClick(call.share_button, Qt.MouseButton.LeftButton)
        picker = call.picker
        assert picker is not None
        picker.show_windows()
        [button] = [
            b
            for b, w in zip(picker.window_buttons, picker.windows, strict=True)
            if w.id == editor.id
        ]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(picker.share_button, Qt.MouseButton.LeftButton)
        wait_until(lambda: call.sharing, message="share bar")
        assert call.share_label.text() == "● Sie teilen ein Fenster (<i>Akte</i> Müller)"
        assert call.share_label.textFormat() == Qt.TextFormat.PlainText
        assert call.share_note.text() == (
            "Nur dieses Fenster wird geteilt, auch wenn andere darüber liegen."
        )

        # The citizen sees the window at its own size with its colours, not the green window
        # that covers all four sample points on the advisor's screen.
        def shown() -> bool:
            got = _report(citizen)
            return (
                got["visible"]
                and got["width"] == 960
                and all(_near_list(got[k], v) for k, v in QUADRANTS_RGB.items())
            )

        wait_until(shown, timeout=20, message="the window on the page")

        # The program closes its window: a clear message, sharing ends, the call goes on.
        assert editor.command("close") == "closed"
        wait_until(lambda: not call.sharing, timeout=10, message="share ended")
        assert call.messages.text.startswith("Das geteilte Fenster wurde geschlossen.")
        wait_until(lambda: not _report(citizen)["visible"], message="window gone on the page")
        assert call.active
        citizen.stop()
        assert citizen.answer() == "closed without script errors"
