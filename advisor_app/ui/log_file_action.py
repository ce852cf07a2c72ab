"""The Hilfe menu's "Protokolldatei öffnen": the console's log file, for IT to ask for."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QAction, QDesktopServices

log = logging.getLogger(__name__)


class OpenLogFileAction(QAction):
    """Opens the log file with the desktop's program for it, or its folder while the file
    does not exist yet; its tooltip and status tip show the path."""

    def __init__(self, log_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.setText(self.tr("&Protokolldatei öffnen"))
        self.setToolTip(str(log_file))
        self.setStatusTip(str(log_file))
        self.triggered.connect(self._on_triggered)

    def url(self) -> QUrl:
        """The log file, or its folder while the file does not exist yet."""
        target = self.log_file if self.log_file.exists() else self.log_file.parent
        return QUrl.fromLocalFile(str(target))

    def _on_triggered(self) -> None:
        if not QDesktopServices.openUrl(self.url()):
            log.warning("the log file %s could not be opened", self.log_file)
