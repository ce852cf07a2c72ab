"""Screen sharing on the console: the picker, the red "Sie teilen Ihren Bildschirm" bar, stop,
a monitor lost while shared, and a citizen's screen shown large.

The screen is a real X server (Xvfb) showing four coloured fields, grabbed by the console's
own capture code; the citizen is Chromium in a child process.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from advisor_app.client.media.synthetic import PAUSED_BGR
from advisor_app.client.service_client import ServiceClient
from advisor_app.ui.dialogs.share_picker import SharePicker
from tests.helpers.citizens import book
from tests.helpers.console_window import CallingCitizen, Console
from tests.helpers.screen import QUADRANTS_RGB, XScreen, quadrant_pattern, xvfb_screen
from tests.helpers.screenshots import shot
from tests.helpers.ui import run, wait_until

pytestmark = [pytest.mark.gui]


@pytest.fixture
def screen() -> Iterator[XScreen]:
    with xvfb_screen(1920, 1080) as xscreen:
        xscreen.show(quadrant_pattern(1920, 1080))
        yield xscreen


def _near(colour: QColor, rgb: tuple[int, int, int], tolerance: int = 30) -> bool:
    got = (colour.red(), colour.green(), colour.blue())
    return all(abs(a - b) <= tolerance for a, b in zip(got, rgb, strict=True))


def _near_list(got: list[int], rgb: tuple[int, int, int], tolerance: int = 30) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(got, rgb, strict=True))


def test_the_picker_lists_the_monitor_with_its_preview(qtbot: QtBot, screen: XScreen) -> None:
    picker = SharePicker()
    qtbot.addWidget(picker)
    picker.show()
    assert [b.text() for b in picker.buttons] == ["Bildschirm 1 · 1920 × 1080"]
    assert picker.buttons[0].isChecked() and picker.share_button.isEnabled()
    # The preview is the screen: each quadrant its colour.
    image = picker.preview_image(0)
    w, h = image.width(), image.height()
    assert (w, h) == (256, 144)
    assert _near(image.pixelColor(w // 4, h // 4), QUADRANTS_RGB["top_left"])
    assert _near(image.pixelColor(3 * w // 4, h // 4), QUADRANTS_RGB["top_right"])
    assert _near(image.pixelColor(w // 4, 3 * h // 4), QUADRANTS_RGB["bottom_left"])
    assert _near(image.pixelColor(3 * w // 4, 3 * h // 4), QUADRANTS_RGB["bottom_right"])
    assert picker.chosen is not None and (picker.chosen.width, picker.chosen.height) == (
        1920,
        1080,
    )
    # On Linux the console cannot be kept out of a monitor: the picker says so. (Single
    # windows: tests/ui/test_share_windows.py.)
    assert picker.tabs.tabText(0) == "Ganzer Bildschirm"
    if sys.platform.startswith("linux"):
        assert "Unter Linux kann die Konsole nicht vom Teilen ausgenommen werden" in (
            picker.exclusion_note.text()
        )
        assert picker.exclusion_note.objectName() == "fieldError"
    picker.grab().save(shot("share-picker.png"))


def test_the_picker_lists_every_monitor_and_shares_the_chosen_one(qtbot: QtBot) -> None:
    layout = {"links": (0, 0, 1280, 720), "rechts": (1280, 0, 1280, 720)}
    with xvfb_screen(2560, 720, layout) as xscreen:
        picture = np.zeros((720, 2560, 3), dtype=np.uint8)
        picture[:, :1280] = (40, 40, 220)  # red (BGR) on the left monitor
        picture[:, 1280:] = (220, 60, 40)  # blue on the right one
        xscreen.show(picture)
        picker = SharePicker()
        qtbot.addWidget(picker)
        # Both monitors, and Xvfb's whole screen as a third (its output cannot be removed).
        assert [b.text() for b in picker.buttons] == [
            "Bildschirm 1 · 1280 × 720",
            "Bildschirm 2 · 1280 × 720",
            "Bildschirm 3 · 2560 × 720",
        ]
        left, right = picker.preview_image(0), picker.preview_image(1)
        assert _near(left.pixelColor(128, 72), (220, 40, 40))
        assert _near(right.pixelColor(128, 72), (40, 60, 220))
        assert picker.chosen is not None and picker.chosen.left == 0  # the first is preselected
        qtbot.mouseClick(picker.buttons[1], Qt.MouseButton.LeftButton)
        assert picker.chosen is not None and (picker.chosen.left, picker.chosen.width) == (
            1280,
            1280,
        )
        # A monitor unplugged while the picker is open: "Neu einlesen" lists what is left.
        xscreen.unplug_monitor("rechts")
        qtbot.mouseClick(picker.refresh_button, Qt.MouseButton.LeftButton)
        assert [b.text() for b in picker.buttons] == [
            "Bildschirm 1 · 1280 × 720",
            "Bildschirm 2 · 2560 × 720",
        ]


def test_the_picker_without_a_screen_says_so(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", ":139")  # no X server there
    picker = SharePicker()
    qtbot.addWidget(picker)
    assert picker.buttons == []
    assert not picker.share_button.isEnabled()
    assert picker.message.text().startswith("Der Bildschirm kann nicht aufgenommen werden")


def _report(citizen: CallingCitizen) -> dict[str, Any]:
    return dict(json.loads(citizen.ask("screen-report")))


@pytest.mark.e2e  # the citizen is Debian's Chromium
def test_sharing_from_the_call_page_with_chromium(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    calling_console: Console,
    client: ServiceClient,
    screen: XScreen,
    request: pytest.FixtureRequest,
) -> None:
    assert os.environ["DISPLAY"] == screen.display
    console = calling_console
    window = console.window
    appt = run(loop, book(client, "Sina Schirm"))
    citizen = CallingCitizen(appt.citizen.link)
    request.addfinalizer(citizen.stop)
    citizen.expect("waiting")
    console.select("Sina Schirm")
    pid = console.entry("Sina Schirm").participant_id
    qtbot.mouseClick(console.page.detail.admit_button, Qt.MouseButton.LeftButton)
    citizen.expect("connected")
    call = window.call
    controller = window.call_controller
    assert call is not None and controller is not None
    assert not call.sharing and call.share_button.text() == "Bildschirm teilen"

    # "Bildschirm teilen" opens the picker; "Teilen" shares the chosen monitor.
    qtbot.mouseClick(call.share_button, Qt.MouseButton.LeftButton)
    picker = call.picker
    assert picker is not None and picker.isVisible()
    assert [b.text() for b in picker.buttons] == ["Bildschirm 1 · 1920 × 1080"]
    qtbot.mouseClick(picker.share_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: call.sharing, message="share bar")
    assert call.share_label.text() == "● Sie teilen Ihren Bildschirm (Bildschirm 1 · 1920 × 1080)"
    assert call.share_button.text() == "Teilen beenden"
    assert "Unter Linux wird alles auf diesem Bildschirm mitgeteilt" in call.share_note.text()
    wait_until(lambda: call.share_preview.showing_video, message="own share preview")

    # The citizen sees the screen large, the camera small, with the screen's colours.
    def shown() -> bool:
        got = _report(citizen)
        return (
            got["visible"]
            and got["width"] == 1280
            and all(_near_list(got[k], v) for k, v in QUADRANTS_RGB.items())
        )

    wait_until(shown, timeout=20, message="the screen on the page")
    assert _report(citizen)["cameraSmall"]

    # The ID check pauses the share on every system: the page shows the pause sign, not the
    # screen (where the dialog with the document would be); closed, the screen comes back.
    qtbot.mouseClick(call.id_button, Qt.MouseButton.LeftButton)
    dialog = call.id_dialog
    assert dialog is not None
    assert call.share_label.text() == (
        "● Bildschirmfreigabe angehalten, solange die Ausweisprüfung offen ist"
    )
    paused_rgb = tuple(reversed(PAUSED_BGR))

    def paused() -> bool:
        got = _report(citizen)
        return got["visible"] and all(_near_list(got[k], paused_rgb, 12) for k in QUADRANTS_RGB)

    wait_until(paused, timeout=10, message="the pause sign on the page")
    dialog.reject()
    wait_until(shown, timeout=20, message="the screen again after the ID check")
    assert call.share_label.text().startswith("● Sie teilen Ihren Bildschirm")

    # The citizen presents a screen too: the console shows it large, the camera small.
    assert citizen.ask("share-screen") == "shared"
    tile = call.tile(pid)
    assert tile is not None
    wait_until(lambda: tile.screen_view.isVisible() and tile.screen_view.showing_video, 20)
    assert tile.screen_view.width() > 2 * tile.video.width()
    assert tile.video.width() == 224
    window.grab().save(shot("share-console.png"))
    assert citizen.ask("screenshot:share-citizen") == "screenshot"
    assert citizen.ask("stop-screen") == "stopped"
    wait_until(lambda: not tile.screen_view.isVisible(), message="citizen's screen gone")
    # The camera fills the tile again, top to bottom (only the caption below it).
    wait_until(lambda: tile.video.width() > 224)
    wait_until(lambda: tile.video.height() >= tile.height() - tile.caption.height() - 10)

    # "Teilen beenden": the bar goes, nothing is sent, the page shows the camera alone.
    qtbot.mouseClick(call.stop_share_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: not call.sharing, message="share bar hidden")
    assert controller.session is not None and controller.session.screen is None
    assert call.share_button.text() == "Bildschirm teilen"
    wait_until(lambda: not _report(citizen)["visible"], message="screen gone on the page")

    # Shared again, then the monitor goes away: a clear message, sharing ends, the call goes on.
    qtbot.mouseClick(call.share_button, Qt.MouseButton.LeftButton)
    assert call.picker is not None
    qtbot.mouseClick(call.picker.share_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: call.sharing, message="sharing again")
    screen.unplug()
    wait_until(lambda: not call.sharing, timeout=10, message="share ended after unplugging")
    assert call.messages.text.startswith("Der geteilte Bildschirm ist nicht mehr verfügbar")
    assert controller.session is not None and controller.session.screen is None
    wait_until(lambda: not _report(citizen)["visible"], message="screen gone on the page")
    assert call.active and tile.state.value == "connected"
    assert citizen.ask("chat:Noch da?") == "sent"
    wait_until(lambda: call.chat.count == 1, message="chat still works")
    citizen.stop()
    assert citizen.answer() == "closed without script errors"
