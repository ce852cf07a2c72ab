"""The "Hilfe" menu names the console's log file and opens it, so IT can ask for it: in the
start window (a failed start is when IT needs it most) and in the main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMainWindow, QMenu
from pytestqt.qtbot import QtBot

from advisor_app.client.service_client import ServiceClient
from advisor_app.logfile import console_log_path
from advisor_app.ui.alerts import Notifier
from advisor_app.ui.chime import ChimePlayer
from advisor_app.ui.start_window import StartWindow
from advisor_app.ui.tasks import TaskRunner
from tests.helpers.ui import console_window

pytestmark = [pytest.mark.gui, pytest.mark.integration]


class OpenedUrls(QObject):
    """Stands in for the desktop's file manager: Qt hands it every file URL to open."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.paths.append(url.toLocalFile())


def help_menu(window: QMainWindow) -> QMenu:
    [menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Hilfe"]
    assert isinstance(menu, QMenu)
    return menu


def test_the_start_windows_help_menu_opens_the_log_file_or_its_folder(
    qtbot: QtBot, tmp_path: Path
) -> None:
    log_file = tmp_path / "log" / "console.log"
    window = StartWindow(log_file)
    qtbot.addWidget(window)
    assert [a.text() for a in help_menu(window).actions()] == ["&Protokolldatei öffnen"]
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


def test_the_main_windows_help_menu_names_the_file_the_console_writes(
    qtbot: QtBot, runner: TaskRunner, client: ServiceClient
) -> None:
    window = console_window(client, runner, chime=ChimePlayer(), notifier=Notifier())
    qtbot.addWidget(window)
    assert [a.text() for a in help_menu(window).actions()] == [
        "&Tastenkürzel",
        "&Protokolldatei öffnen",
    ]
    assert window.log_action.toolTip() == str(console_log_path())
