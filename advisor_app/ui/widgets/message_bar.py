"""A non-modal message strip at the top of a page: errors and notes, never a stack trace."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget


class Level(StrEnum):
    ERROR = "error"
    INFO = "info"
    SUCCESS = "success"


_COLOURS = {
    Level.ERROR: ("#fdecea", "#f3c1bd", "#8c1d18"),
    Level.INFO: ("#e8f1fb", "#bcd3ee", "#173f6d"),
    Level.SUCCESS: ("#e9f5ea", "#bfdcc1", "#1e5123"),
}


class MessageBar(QFrame):
    """Shows one message until the advisor closes it or a newer one replaces it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._level = Level.INFO
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.timeout.connect(self._on_hide_timeout)
        self._setup_ui()
        self.hide()

    def _setup_ui(self) -> None:
        self.setObjectName("messageBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(8)
        self._label = QLabel(self)
        self._label.setWordWrap(True)
        self._label.setTextFormat(Qt.TextFormat.PlainText)  # messages quote names as typed
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self._label, 1)
        self._close = QToolButton(self)
        self._close.setText("✕")
        self._close.setAutoRaise(True)
        self._close.setToolTip(self.tr("Meldung schließen"))
        self._close.setAccessibleName(self.tr("Meldung schließen"))
        self._close.clicked.connect(self._on_close_clicked)
        layout.addWidget(self._close, 0, Qt.AlignmentFlag.AlignTop)

    @property
    def text(self) -> str:
        return "" if self.isHidden() else self._label.text()

    @property
    def level(self) -> Level:
        return self._level

    def show_message(
        self, text: str, level: Level = Level.ERROR, *, hide_after_ms: int = 0
    ) -> None:
        """Show ``text``; errors stay until closed, notes may vanish after ``hide_after_ms``."""
        self._level = level
        self._hide_timer.stop()
        if hide_after_ms:
            self._hide_timer.start(hide_after_ms)
        background, border, colour = _COLOURS[level]
        self.setStyleSheet(
            f"QFrame#messageBar {{ background: {background}; border: 1px solid {border};"
            f" border-radius: 6px; }} QFrame#messageBar QLabel {{ color: {colour}; }}"
        )
        self._label.setText(text)
        self.show()

    def show_error(self, text: str) -> None:
        self.show_message(text, Level.ERROR)

    def show_note(self, text: str) -> None:
        """A short confirmation that disappears by itself after a few seconds."""
        self.show_message(text, Level.SUCCESS, hide_after_ms=8000)

    def clear(self) -> None:
        self._hide_timer.stop()
        self._label.clear()
        self.hide()

    def _on_close_clicked(self) -> None:
        self.clear()

    def _on_hide_timeout(self) -> None:
        self.clear()
