"""The window shown while the console starts: connecting, first-run set-up, sign-in.

It says what happens ("Lokaler Termindienst wird gestartet…") and parents the dialogs of the
start. Once connected, :class:`~advisor_app.ui.main_window.MainWindow` takes its place at the
same position and size.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from advisor_app.ui.window_base import ConsoleWindowBase


class StartingView(QWidget):
    """Shown while the console connects: a sentence and a quiet busy bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setup_ui()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        self.text = QLabel()
        self.text.setObjectName("sectionTitle")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setTextVisible(False)
        bar.setFixedWidth(280)
        bar.setFixedHeight(6)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(bar)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(3)


class StartWindow(ConsoleWindowBase):
    """Beratungskonsole – Videotermine, while it starts."""

    def __init__(self, log_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(log_file, parent)
        self.starting = StartingView()
        self.setCentralWidget(self.starting)
        self.help_menu.addAction(self.log_action)

    def show_starting(self, text: str) -> None:
        self.starting.text.setText(text)
