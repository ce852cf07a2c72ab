"""The call's chat: a log with times and an input line. Nothing is stored anywhere.

Text from the other side is escaped; only http(s) addresses become links, and a click opens
them in the system browser (never inside the console, never another scheme).
"""

from __future__ import annotations

import re
from datetime import datetime
from html import escape

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from advisor_app.core.domain import to_berlin
from advisor_app.core.protocol import MAX_CHAT_LENGTH

_URL = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]"


def chat_html(text: str) -> str:
    """``text`` as HTML: escaped, line breaks kept, http(s) addresses as links."""
    parts: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        start, end = match.start(), match.start() + len(url)
        parts.append(escape(text[last:start]))
        parts.append(f'<a href="{escape(url, quote=True)}">{escape(url)}</a>')
        last = end
    parts.append(escape(text[last:]))
    return "".join(parts).replace("\n", "<br>")


def safe_to_open(url: QUrl) -> bool:
    return url.scheme().lower() in ("http", "https") and bool(url.host())


class _Input(QPlainTextEdit):
    """Enter sends, Shift+Enter makes a new line."""

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class ChatPanel(QWidget):
    """``send_requested(text)`` asks the call to send; ``add()`` shows a line."""

    send_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._count = 0
        self.opened: list[str] = []  # links the advisor opened (tests look at it)
        self._setup_ui()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        title = QLabel(self.tr("Chat"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        self.log = QTextBrowser()
        self.log.setOpenLinks(False)
        self.log.setOpenExternalLinks(False)
        self.log.anchorClicked.connect(self._on_link)
        self.log.setPlaceholderText(
            self.tr("Noch keine Nachrichten. Der Chat wird nicht gespeichert.")
        )
        layout.addWidget(self.log, 1)
        self.input = _Input()
        self.input.setPlaceholderText(self.tr("Nachricht schreiben (Enter sendet)"))
        self.input.setAccessibleName(self.tr("Chatnachricht"))
        self.input.setFixedHeight(64)
        self.input.submitted.connect(self._on_send)
        row = QHBoxLayout()
        row.addWidget(self.input, 1)
        self.send_button = QPushButton(self.tr("Senden"))
        self.send_button.setProperty("primary", True)
        self.send_button.clicked.connect(self._on_send)
        row.addWidget(self.send_button)
        layout.addLayout(row)

    @property
    def count(self) -> int:
        return self._count

    def set_enabled(self, enabled: bool) -> None:
        self.input.setEnabled(enabled)
        self.send_button.setEnabled(enabled)

    def add(self, who: str, text: str, at: datetime, *, mine: bool) -> None:
        time = to_berlin(at).strftime("%H:%M")
        colour = "#5b6573" if mine else "#1d4f91"
        self.log.append(
            f'<p style="margin:4px 0"><span style="color:{colour}; font-weight:600">'
            f"{escape(who)} · {time}</span><br>{chat_html(text)}</p>"
        )
        self._count += 1

    def clear(self) -> None:
        """The call ended: the chat is gone (it was never stored)."""
        self.log.clear()
        self.input.clear()
        self._count = 0

    def _on_send(self) -> None:
        text = self.input.toPlainText().strip()
        if not text:
            return
        if len(text) > MAX_CHAT_LENGTH:
            text = text[:MAX_CHAT_LENGTH]
        self.send_requested.emit(text)
        self.input.clear()

    def _on_link(self, url: QUrl) -> None:
        if safe_to_open(url):
            self.opened.append(url.toString())
            QDesktopServices.openUrl(url)
