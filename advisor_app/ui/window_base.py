"""The frame both console windows share: title, icon, size, Hilfe menu, saved geometry."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QWidget

from advisor_app.ui.icons import app_icon
from advisor_app.ui.log_file_action import OpenLogFileAction

GEOMETRY_KEY = "window/geometry"


class ConsoleWindowBase(QMainWindow):
    """What both windows share: title, icon, size, the Hilfe menu, the saved geometry.

    Its texts keep the translation context of the main window, where they were first.
    """

    def __init__(self, log_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            QCoreApplication.translate("MainWindow", "Beratungskonsole – Videotermine")
        )
        self.setWindowIcon(app_icon())
        self.resize(1360, 860)
        # small enough for a 1366 × 768 screen at 200 % (683 × 384 logical pixels): the pages
        # scroll inside the window rather than being cut off by the screen's edge
        self.setMinimumSize(640, 360)
        quit_action = QAction(QCoreApplication.translate("MainWindow", "Beenden"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)
        self.help_menu = self.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&Hilfe"))
        self.log_action = OpenLogFileAction(log_file, self)

    def restore_geometry(self) -> None:
        geometry = QSettings().value(GEOMETRY_KEY)
        if geometry is not None:
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        super().closeEvent(event)
