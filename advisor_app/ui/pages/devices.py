"""Geräte: choose and test camera (live preview), microphone (level meter) and speaker (tone).

The devices are opened only while the page is visible and released when the advisor leaves
it. Every choice is saved at once (``ui/media_prefs.py``), where the call reads it. What cannot
work is said in plain German (English with an English interface) beside the device.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QHideEvent, QImage, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from advisor_app.console.devices import (
    CameraTrack,
    DeviceAccess,
    DeviceEvents,
    DeviceInfo,
    DeviceKind,
    DeviceTester,
    MediaPreferences,
    MediaUnavailable,
    MicrophoneTrack,
    Problem,
    SpeakerOutput,
)
from advisor_app.ui.media_prefs import load_media_preferences, save_media_preferences
from advisor_app.ui.media_problems import media_problem_text
from advisor_app.ui.tasks import TaskRunner

PREVIEW_MS = 40
METER_MS = 50
# The level meter shows −60 dBFS … 0 dBFS.
METER_FLOOR_DB = -60.0


class _Preview(QLabel):
    """The camera picture, always 16:9 (the height follows the width)."""

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width * 9 // 16

    def sizeHint(self) -> QSize:
        return QSize(640, 360)


class _Section(QFrame):
    """A white panel with a title, the device choice and a status line."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(16, 14, 16, 14)
        self.layout_.setSpacing(8)
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        self.layout_.addWidget(heading)
        self.combo = QComboBox()
        self.combo.setAccessibleName(title)
        self.layout_.addWidget(self.combo)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()

    def show_status(self, text: str, *, error: bool) -> None:
        self.status.setObjectName("fieldError" if error else "hint")
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def choice(self) -> str | None:
        data = self.combo.currentData()
        return str(data) if data else None


class DevicesPage(QWidget):
    """The advisor picks and checks the devices for video calls.

    ``cameras`` lists the cameras to offer (default: the machine's; tests pass a video file).
    """

    def __init__(
        self,
        runner: TaskRunner,
        *,
        cameras: Callable[[], list[DeviceInfo]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        events = DeviceEvents(
            listed=self._on_listed,
            opening=self._on_opening,
            released=self._on_released,
            camera=self._on_camera_opened,
            microphone=self._on_microphone_opened,
            speaker=self._on_speaker_opened,
            unavailable=self._on_unavailable,
            problem=self._on_problem,
        )
        access = DeviceAccess() if cameras is None else DeviceAccess(list_cameras=cameras)
        self._tester = DeviceTester(
            runner.run, events, access, alive=lambda: shiboken6.isValid(self)
        )
        self._chosen = MediaPreferences()
        self._shown_frame: object = None
        self._preview_timer = QTimer(self)
        self._preview_timer.setInterval(PREVIEW_MS)
        self._preview_timer.timeout.connect(self._on_preview_timer)
        self._meter_timer = QTimer(self)
        self._meter_timer.setInterval(METER_MS)
        self._meter_timer.timeout.connect(self._on_meter_timer)
        self._setup_ui()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        title = QLabel(self.tr("Geräte"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        intro = QLabel(
            self.tr(
                "Wählen Sie Kamera, Mikrofon und Lautsprecher für Ihre Videotermine und prüfen "
                "Sie sie hier. Die Auswahl gilt für alle folgenden Gespräche."
            )
        )
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        columns = QHBoxLayout()
        columns.setSpacing(16)
        left = QVBoxLayout()
        self.camera = _Section(self.tr("Kamera"))
        self.preview = _Preview(self.tr("Kein Bild"))
        self.preview.setObjectName("preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(320, 180)
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.preview.setStyleSheet("background: #1f2a37; color: #c9d3e0; border-radius: 6px;")
        self.preview.setAccessibleName(self.tr("Vorschau Ihrer Kamera"))
        self.camera.layout_.addWidget(self.preview)
        self.camera.layout_.addWidget(self.camera.status)
        self.camera.combo.currentIndexChanged.connect(self._on_camera_chosen)
        left.addWidget(self.camera)
        left.addStretch(1)
        columns.addLayout(left, 3)

        right = QVBoxLayout()
        right.setSpacing(16)
        self.microphone = _Section(self.tr("Mikrofon"))
        meter_row = QHBoxLayout()
        meter_label = QLabel(self.tr("Pegel"))
        meter_row.addWidget(meter_label)
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(14)
        self.meter.setStyleSheet(
            "QProgressBar { border: 1px solid #c3cad4; border-radius: 4px; background: #fff; }"
            "QProgressBar::chunk { background: #2e7d32; border-radius: 3px; }"
        )
        self.meter.setAccessibleName(self.tr("Pegel des Mikrofons"))
        meter_row.addWidget(self.meter, 1)
        self.microphone.layout_.addLayout(meter_row)
        hint = QLabel(self.tr("Sprechen Sie: Der Balken sollte sich bewegen."))
        hint.setObjectName("hint")
        self.microphone.layout_.addWidget(hint)
        self.microphone.layout_.addWidget(self.microphone.status)
        self.microphone.combo.currentIndexChanged.connect(self._on_microphone_chosen)
        right.addWidget(self.microphone)

        self.speaker = _Section(self.tr("Lautsprecher"))
        self.tone_button = QPushButton(self.tr("Testton abspielen"))
        self.tone_button.setEnabled(False)
        self.tone_button.clicked.connect(self._on_tone_clicked)
        row = QHBoxLayout()
        row.addWidget(self.tone_button)
        row.addStretch(1)
        self.speaker.layout_.addLayout(row)
        self.speaker.layout_.addWidget(self.speaker.status)
        self.speaker.combo.currentIndexChanged.connect(self._on_speaker_chosen)
        right.addWidget(self.speaker)

        processing = QFrame()
        processing.setObjectName("panel")
        box = QVBoxLayout(processing)
        box.setContentsMargins(16, 14, 16, 14)
        self.processing_box = QCheckBox(
            self.tr("Echounterdrückung, Rauschunterdrückung und Pegelanpassung")
        )
        self.processing_box.setChecked(True)
        self.processing_box.toggled.connect(self._on_processing_toggled)
        box.addWidget(self.processing_box)
        note = QLabel(
            self.tr(
                "Empfohlen. Schalten Sie dies nur aus, wenn Ihr Headset oder Ihre "
                "Konferenzanlage das selbst übernimmt."
            )
        )
        note.setObjectName("hint")
        note.setWordWrap(True)
        box.addWidget(note)
        right.addWidget(processing)
        right.addStretch(1)
        columns.addLayout(right, 2)
        layout.addLayout(columns, 1)

    # --- what the page shows ------------------------------------------------------------

    @property
    def preferences(self) -> MediaPreferences:
        return MediaPreferences(
            camera=self.camera.choice(),
            microphone=self.microphone.choice(),
            speaker=self.speaker.choice(),
            audio_processing=self.processing_box.isChecked(),
        )

    def _text(self, problem: Problem | MediaUnavailable) -> str:
        return media_problem_text(problem.code)

    def _fill(self, section: _Section, devices: list[DeviceInfo], chosen: str | None) -> None:
        combo = section.combo
        combo.blockSignals(True)
        try:
            combo.clear()
            if section is not self.camera:
                combo.addItem(self.tr("Systemstandard"), "")
            for device in devices:
                combo.addItem(device.name, device.id)
            index = combo.findData(chosen or "")
            combo.setCurrentIndex(max(index, 0))
            combo.setEnabled(combo.count() > 0)
            if section is self.camera and not devices:
                combo.setPlaceholderText(self.tr("Keine Kamera gefunden"))
        finally:
            combo.blockSignals(False)

    def _section(self, kind: DeviceKind) -> _Section:
        return {
            DeviceKind.CAMERA: self.camera,
            DeviceKind.MICROPHONE: self.microphone,
            DeviceKind.SPEAKER: self.speaker,
        }[kind]

    # --- Qt events ----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._tester.start():
            prefs = self._chosen = load_media_preferences()
            self.processing_box.blockSignals(True)
            self.processing_box.setChecked(prefs.audio_processing)
            self.processing_box.blockSignals(False)
            self._tester.scan(processing=prefs.audio_processing)

    def hideEvent(self, event: QHideEvent) -> None:
        self._tester.stop()
        super().hideEvent(event)

    # --- slots --------------------------------------------------------------------------

    def _on_listed(self, kind: DeviceKind, devices: list[DeviceInfo]) -> None:
        section = self._section(kind)
        self._fill(section, devices, getattr(self._chosen, kind.value))
        if self._tester.active:
            self._tester.open(kind, section.choice())

    def _on_camera_chosen(self, _index: int) -> None:
        self._save()
        self._tester.open_camera(self.camera.choice())

    def _on_microphone_chosen(self, _index: int) -> None:
        self._save()
        if self._tester.active:
            self._tester.open_microphone(self.microphone.choice())

    def _on_speaker_chosen(self, _index: int) -> None:
        self._save()
        if self._tester.active:
            self._tester.open_speaker(self.speaker.choice())

    def _on_processing_toggled(self, enabled: bool) -> None:
        self._save()
        self._tester.set_processing(enabled)

    def _save(self) -> None:
        save_media_preferences(self.preferences)

    def _on_opening(self, kind: DeviceKind) -> None:
        if kind is DeviceKind.CAMERA:
            self.camera.show_status(self.tr("Kamera wird geöffnet …"), error=False)
        elif kind is DeviceKind.SPEAKER:
            self.tone_button.setEnabled(False)
            self.speaker.show_status("", error=False)

    def _on_released(self, kind: DeviceKind) -> None:
        if kind is DeviceKind.CAMERA:
            self._preview_timer.stop()
            self._shown_frame = None
            self.preview.clear()
            self.preview.setText(self.tr("Kein Bild"))
        elif kind is DeviceKind.MICROPHONE:
            self._meter_timer.stop()
            self.meter.setValue(0)
        else:
            self.tone_button.setEnabled(False)

    def _on_unavailable(self, kind: DeviceKind, problem: Problem | MediaUnavailable) -> None:
        self._section(kind).show_status(self._text(problem), error=True)

    def _on_camera_opened(self, camera: CameraTrack) -> None:
        width, height = camera.size
        self.camera.show_status(
            self.tr("Bild: {width} × {height} Pixel, {fps} Bilder pro Sekunde").format(
                width=width, height=height, fps=round(camera.capture.fps)
            ),
            error=False,
        )
        self._preview_timer.start()

    def _on_microphone_opened(self, _microphone: MicrophoneTrack) -> None:
        self.microphone.show_status("", error=False)
        self._meter_timer.start()

    def _on_speaker_opened(self, speaker: SpeakerOutput) -> None:
        self.tone_button.setEnabled(speaker.playing)

    def _on_problem(self, kind: DeviceKind, code: str) -> None:
        if kind is DeviceKind.SPEAKER:
            self.tone_button.setEnabled(False)
        self._section(kind).show_status(media_problem_text(code), error=True)

    def _on_tone_clicked(self) -> None:
        if not self._tester.play_tone():
            return
        self.speaker.show_status(self.tr("Sie sollten jetzt einen kurzen Ton hören."), error=False)

    def _on_preview_timer(self) -> None:
        camera = self._tester.camera
        frame = camera.latest_bgr() if camera is not None else None
        if frame is None or frame is self._shown_frame:
            return
        self._shown_frame = frame
        height, width = frame.shape[:2]
        data = frame.tobytes()  # alive until the pixmap has its own copy
        image = QImage(data, width, height, width * 3, QImage.Format.Format_BGR888)
        pixmap = QPixmap.fromImage(image).scaled(
            self.preview.size(),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.preview.setPixmap(pixmap)

    def _on_meter_timer(self) -> None:
        microphone = self._tester.microphone
        if microphone is None:
            return
        level = microphone.level_dbfs
        value = (level - METER_FLOOR_DB) / -METER_FLOOR_DB * 100
        self.meter.setValue(int(min(100.0, max(0.0, value))))
