"""Qt part of the self-test, run in a child process."""

from __future__ import annotations


def qt_report() -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])
    platform = QGuiApplication.platformName()
    screens = len(QGuiApplication.screens())
    del app
    return f"PySide6 {pyside_version}, Plattform {platform}, {screens} Bildschirm(e)"
