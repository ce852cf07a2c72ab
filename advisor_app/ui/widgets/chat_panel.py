"""The call's chat: a list of messages with times and an input line. Nothing is stored.

Each message is one list item (plain text, never rich text), so a screen reader reads it as
"Erika Mustermann, 10:02: Guten Tag" and the arrow keys move from message to message. Only
http(s) addresses count as links: Enter or a double click on a message opens its link in the
system browser (never inside the console, never another scheme); a message with several
links offers them in a small menu. A new message from the other side is announced.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import partial

from PySide6.QtCore import QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.core.domain import to_berlin
from advisor_app.core.protocol import MAX_CHAT_LENGTH
from advisor_app.ui.accessibility import announce

#: The http(s) addresses of a message (list of str).
LINKS_ROLE = Qt.ItemDataRole.UserRole + 1

_URL = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]"


def chat_links(text: str) -> list[str]:
    """The http(s) addresses in ``text``, in order, without trailing punctuation."""
    return [match.group(0).rstrip(_TRAILING) for match in _URL.finditer(text)]


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


class _History(QListWidget):
    """Enter opens the current message's link (a menu of them if there are several)."""

    open_requested = Signal(QListWidgetItem)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self.open_requested.emit(item)
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
        self.history = _History()
        self.history.setObjectName("chatHistory")
        self.history.setAccessibleName(self.tr("Chatverlauf"))
        self.history.setAccessibleDescription(
            self.tr("Pfeiltasten gehen von Nachricht zu Nachricht; Enter öffnet einen Link.")
        )
        self.history.setWordWrap(True)
        self.history.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.history.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history.open_requested.connect(self._on_open_requested)
        self.history.itemDoubleClicked.connect(self._on_open_requested)
        layout.addWidget(self.history, 1)
        self.empty = QLabel(self.tr("Noch keine Nachrichten. Der Chat wird nicht gespeichert."))
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.input = _Input()
        self.input.setPlaceholderText(self.tr("Nachricht schreiben (Enter sendet)"))
        self.input.setAccessibleName(self.tr("Chatnachricht"))
        self.input.setTabChangesFocus(True)
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
        links = chat_links(text)
        item = QListWidgetItem(f"{who} · {time}\n{text}")
        spoken = f"{who}, {time}: {text}"
        if links:
            spoken += ", " + (
                self.tr("1 Link") if len(links) == 1 else self.tr("{n} Links").format(n=len(links))
            )
            item.setToolTip(
                self.tr("Enter oder Doppelklick öffnet: {links}").format(links=", ".join(links))
            )
            font = QFont(item.font())
            font.setUnderline(True)  # a link is underlined, not only coloured
            item.setFont(font)
            item.setForeground(QBrush(QColor("#1d4f91")))
        item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
        item.setData(LINKS_ROLE, links)
        self.history.addItem(item)
        self.history.scrollToBottom()
        self.empty.hide()
        self._count += 1
        if not mine:
            announce(
                self.history,
                self.tr("Chatnachricht von {who}: {text}").format(who=who, text=text),
            )

    def messages(self) -> list[str]:
        """The messages as a screen reader reads them (for tests)."""
        return [
            str(self.history.item(row).data(Qt.ItemDataRole.AccessibleTextRole))
            for row in range(self.history.count())
        ]

    def clear(self) -> None:
        """The call ended: the chat is gone (it was never stored)."""
        self.history.clear()
        self.empty.show()
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

    def _on_open_requested(self, item: QListWidgetItem) -> None:
        links = list(item.data(LINKS_ROLE) or [])
        if len(links) == 1:
            self._on_link(QUrl(links[0]))
        elif links:
            menu = QMenu(self)
            menu.setAccessibleName(self.tr("Links der Nachricht"))
            for link in links:
                menu.addAction(link, partial(self._on_link, QUrl(link)))
            rect = self.history.visualItemRect(item)
            menu.popup(self.history.viewport().mapToGlobal(rect.bottomLeft() + QPoint(8, 0)))

    def _on_link(self, url: QUrl) -> None:
        if safe_to_open(url):
            self.opened.append(url.toString())
            QDesktopServices.openUrl(url)
