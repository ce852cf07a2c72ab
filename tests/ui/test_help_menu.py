"""The "Hilfe" menu names the console's log file and opens it, so IT can ask for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from advisor_app.logfile import console_log_path
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.tasks import TaskRunner

pytestmark = pytest.mark.gui


class OpenedUrls(QObject):
    """Stands in for the desktop's file manager: Qt hands it every file URL to open."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.paths.append(url.toLocalFile())


def test_the_help_menu_opens_the_log_file_or_its_folder(
    qtbot: QtBot, runner: TaskRunner, tmp_path: Path
) -> None:
    log_file = tmp_path / "log" / "console.log"
    window = MainWindow(runner, log_file=log_file)
    qtbot.addWidget(window)
    [help_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Hilfe"]
    assert window.log_action in help_menu.actions()
    assert window.log_action.text() == "&Protokolldatei öffnen"
    assert window.log_action.toolTip() == str(log_file)

    opened = OpenedUrls()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        window.log_action.trigger()  # before the first line is written: its folder
        log_file.parent.mkdir()
        log_file.write_text("2026-12-07 13:45:00,000 INFO advisor_app: gestartet\n")
        window.log_action.trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert opened.paths == [str(log_file.parent), str(log_file)]


def test_without_a_path_the_menu_points_at_the_file_the_console_writes(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    window = MainWindow(runner)
    qtbot.addWidget(window)
    assert window.log_action.toolTip() == str(console_log_path())
