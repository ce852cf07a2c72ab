"""Bildschirm teilen: the advisor picks one monitor, each shown with a small preview.

Only whole monitors: ``mss`` grabs rectangles of the desktop, and a window's rectangle would
show whatever lies on top of it, so single windows are not offered (the dialog says so).
Whether the console itself stays out of the shared picture depends on the platform
(``capture_guard``); on Linux it cannot, and the dialog says that in red.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.client.media import MediaUnavailable, Monitor, list_monitors, preview
from advisor_app.ui.capture_guard import exclusion_supported

PREVIEW_WIDTH = 256


def _label(text: str, name: str = "") -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(True)
    if name:
        widget.setObjectName(name)
    return widget


class SharePicker(QDialog):
    """Lists every monitor with a preview; :attr:`chosen` is the one to share after OK."""

    def __init__(self, language: str = "de", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self.monitors: list[Monitor] = []
        self.buttons: list[QToolButton] = []
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._setup_ui()
        self._on_refresh_clicked()

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("Bildschirm teilen"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(_label(self.tr("Welchen Bildschirm möchten Sie teilen?"), "detailTitle"))
        layout.addWidget(
            _label(
                self.tr(
                    "Die Person sieht alles, was auf diesem Bildschirm zu sehen ist. "
                    "Einzelne Fenster können nicht geteilt werden, nur ganze Bildschirme."
                ),
                "hint",
            )
        )
        if exclusion_supported():
            self.exclusion_note = _label(
                self.tr(
                    "Das Fenster der Konsole (mit dem Warteraum) und die Ausweisprüfung werden "
                    "nicht mitgeteilt."
                ),
                "hint",
            )
        else:
            self.exclusion_note = _label(
                self.tr(
                    "Achtung: Unter Linux kann die Konsole nicht vom Teilen ausgenommen werden. "
                    "Liegen der Warteraum oder die Ausweisprüfung auf dem geteilten Bildschirm, "
                    "sieht die Person sie. Schieben Sie die Konsole auf einen anderen "
                    "Bildschirm oder teilen Sie einen Bildschirm ohne die Konsole."
                ),
                "fieldError",
            )
        layout.addWidget(self.exclusion_note)
        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        layout.addLayout(self.grid)
        self.message = _label("", "fieldError")
        self.message.hide()
        layout.addWidget(self.message)
        self.box = QDialogButtonBox()
        self.share_button = QPushButton(self.tr("Teilen"))
        self.share_button.setProperty("primary", True)
        self.share_button.setDefault(True)
        self.box.addButton(self.share_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.refresh_button = QPushButton(self.tr("Neu einlesen"))
        self.refresh_button.clicked.connect(self._on_refresh_clicked)
        self.box.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ResetRole)
        cancel = QPushButton(self.tr("Abbrechen"))
        self.box.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)
        layout.addWidget(self.box)

    @property
    def chosen(self) -> Monitor | None:
        index = self._group.checkedId()
        return self.monitors[index] if 0 <= index < len(self.monitors) else None

    def _clear(self) -> None:
        for button in self.buttons:
            self._group.removeButton(button)
            button.deleteLater()
        self.buttons = []
        self.monitors = []

    def _on_refresh_clicked(self) -> None:
        """Read the monitors again (one was plugged in or out)."""
        self._clear()
        self.message.hide()
        try:
            self.monitors = list_monitors()
        except MediaUnavailable as exc:
            self._show_problem(exc)
        if not self.monitors and self.message.isHidden():
            self.message.setText(self.tr("Es wurde kein Bildschirm gefunden."))
            self.message.show()
        for index, monitor in enumerate(self.monitors):
            button = QToolButton()
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setText(
                self.tr("Bildschirm {n} · {w} × {h}").format(
                    n=monitor.index, w=monitor.width, h=monitor.height
                )
            )
            button.setAccessibleName(button.text())
            height = round(PREVIEW_WIDTH * monitor.height / monitor.width)
            button.setIconSize(QSize(PREVIEW_WIDTH, height))
            try:
                picture = preview(monitor, PREVIEW_WIDTH)
                rgb = picture[:, :, ::-1].copy()
                image = QImage(
                    rgb.data,
                    rgb.shape[1],
                    rgb.shape[0],
                    3 * rgb.shape[1],
                    QImage.Format.Format_RGB888,
                ).copy()
                button.setIcon(QIcon(QPixmap.fromImage(image)))
            except MediaUnavailable as exc:
                self._show_problem(exc)
                button.setEnabled(False)
            self._group.addButton(button, index)
            self.grid.addWidget(button, index // 3, index % 3)
            self.buttons.append(button)
        enabled = [b for b in self.buttons if b.isEnabled()]
        if enabled:
            enabled[0].setChecked(True)
        self.share_button.setEnabled(bool(enabled))

    def preview_image(self, index: int) -> QImage:
        """The preview shown for monitor ``index`` (for tests and screenshots)."""
        button = self.buttons[index]
        return button.icon().pixmap(button.iconSize()).toImage()

    def _show_problem(self, exc: MediaUnavailable) -> None:
        self.message.setText(exc.message_en if self._language == "en" else exc.message)
        self.message.show()
