"""Geräte: what the advisor sees with a video file as camera and a PulseAudio null sink."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from advisor_app.client.media import DeviceInfo, MediaPreferences
from advisor_app.ui.media_prefs import load_media_preferences, save_media_preferences
from advisor_app.ui.pages.devices import DevicesPage
from advisor_app.ui.tasks import TaskRunner
from tests.helpers.media import no_audio_devices, write_pattern_video
from tests.helpers.pulse import PulseServer
from tests.helpers.ui import wait_until

pytestmark = pytest.mark.audio


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pattern_video(tmp_path_factory.mktemp("camera") / "camera.avi")


@pytest.fixture(autouse=True)
def _fresh_choice() -> None:
    settings = QSettings()
    settings.remove("devices")
    settings.sync()


def _page(qtbot: QtBot, runner: TaskRunner, cameras: list[DeviceInfo]) -> DevicesPage:
    page = DevicesPage(runner, cameras=lambda: cameras)
    qtbot.addWidget(page)
    page.resize(1100, 640)
    page.show()
    return page


def _preview(page: DevicesPage) -> np.ndarray:
    """The preview as the advisor sees it (RGB pixels of the label)."""
    image = page.preview.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return data.astype(np.int16)


def _camera_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("camera ")]


def test_preview_level_meter_and_test_tone(
    loop: object, qtbot: QtBot, runner: TaskRunner, pulse_audio: PulseServer, video: Path
) -> None:
    page = _page(qtbot, runner, [DeviceInfo(str(video), "Testkamera")])
    wait_until(lambda: not page.preview.pixmap().isNull(), message="no preview")
    assert page.camera.combo.currentText() == "Testkamera"
    assert page.camera.status.text() == "Bild: 640 × 360 Pixel, 15 Bilder pro Sekunde"
    first = _preview(page)
    assert first.std() > 40  # a picture (colour bars), not a flat placeholder
    wait_until(
        lambda: float(np.abs(_preview(page) - first).mean()) > 5, message="the preview stands still"
    )

    wait_until(page.tone_button.isEnabled, message="the speaker did not open")
    assert page.microphone.status.isHidden()
    assert page.meter.value() < 10  # silence
    qtbot.mouseClick(page.tone_button, Qt.MouseButton.LeftButton)
    assert page.speaker.status.text() == "Sie sollten jetzt einen kurzen Ton hören."
    for attempt in range(3):  # on a loaded machine the sound server may drop a first tone
        try:
            wait_until(lambda: page.meter.value() > 60, timeout=6)
            break
        except AssertionError:
            if attempt == 2:
                raise AssertionError("the meter did not move with the tone") from None
            qtbot.mouseClick(page.tone_button, Qt.MouseButton.LeftButton)
    if directory := os.environ.get("SCREENSHOT_DIR"):
        page.grab().save(str(Path(directory) / "devices.png"))
    wait_until(lambda: page.meter.value() < 10, message="the meter did not fall after the tone")

    page.hide()  # leaving the page releases every device
    wait_until(lambda: _camera_threads() == [], message="the camera was not released")
    assert page.meter.value() == 0
    assert not page.tone_button.isEnabled()


def test_missing_devices_are_explained(loop: object, qtbot: QtBot, runner: TaskRunner) -> None:
    with no_audio_devices():
        page = _page(qtbot, runner, [])
        wait_until(lambda: page.speaker.status.isVisible(), message="no speaker message")
        wait_until(lambda: page.microphone.status.isVisible(), message="no microphone message")
        assert page.camera.status.text().startswith("Keine Kamera gefunden.")
        assert not page.camera.combo.isEnabled()
        assert page.camera.combo.placeholderText() == "Keine Kamera gefunden"
        assert page.microphone.status.text().startswith("Kein Mikrofon gefunden.")
        assert page.speaker.status.text().startswith("Kein Lautsprecher gefunden.")
        assert not page.tone_button.isEnabled()
        page.hide()


def test_a_camera_that_gives_no_picture_is_explained(
    loop: object, qtbot: QtBot, runner: TaskRunner, pulse_audio: PulseServer, tmp_path: Path
) -> None:
    broken = tmp_path / "kaputt.avi"
    broken.write_bytes(b"no video")
    page = _page(qtbot, runner, [DeviceInfo(str(broken), "Besetzte Kamera")])
    wait_until(lambda: "liefert kein Bild" in page.camera.status.text(), message="no message")
    assert "anderen Programm" in page.camera.status.text()
    assert page.preview.text() == "Kein Bild"
    page.hide()


def test_the_choice_is_saved_and_shown_again(
    loop: object, qtbot: QtBot, runner: TaskRunner, pulse_audio: PulseServer, video: Path
) -> None:
    page = _page(
        qtbot, runner, [DeviceInfo("/dev/video-none", "Alt"), DeviceInfo(str(video), "Neu")]
    )
    wait_until(lambda: page.microphone.combo.count() > 1 and page.camera.combo.count() == 2)
    assert page.processing_box.isChecked()  # on by default
    assert load_media_preferences() == MediaPreferences()
    page.camera.combo.setCurrentIndex(page.camera.combo.findData(str(video)))
    page.microphone.combo.setCurrentIndex(page.microphone.combo.findData("pulse"))
    page.processing_box.setChecked(False)
    assert load_media_preferences() == MediaPreferences(
        camera=str(video), microphone="pulse", speaker=None, audio_processing=False
    )
    page.hide()

    again = _page(
        qtbot, runner, [DeviceInfo("/dev/video-none", "Alt"), DeviceInfo(str(video), "Neu")]
    )
    wait_until(lambda: again.microphone.combo.currentData() == "pulse")
    wait_until(lambda: again.camera.combo.currentText() == "Neu")
    assert not again.processing_box.isChecked()
    wait_until(lambda: again.speaker.combo.count() > 1)
    assert again.speaker.combo.currentText() == "Systemstandard"
    again.hide()


def test_preferences_round_trip_through_qsettings() -> None:
    prefs = MediaPreferences(
        camera="/dev/video2", microphone=None, speaker="USB", audio_processing=False
    )
    save_media_preferences(prefs)
    assert load_media_preferences() == prefs


@pytest.fixture(autouse=True)
def _no_camera_left_open(loop: object) -> Iterator[None]:
    yield
    wait_until(lambda: _camera_threads() == [], message=f"left open: {_camera_threads()}")
