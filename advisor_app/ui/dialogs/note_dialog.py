"""A message of the advisor's own words into a citizen's waiting room."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.core.protocol import MAX_NOTE_LENGTH


class LimitedTextEdit(QPlainTextEdit):
    """A plain text field that keeps at most ``limit`` characters (pasting included)."""

    def __init__(self, limit: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.setTabChangesFocus(True)
        self.textChanged.connect(self._on_text_changed)

    def text(self) -> str:
        return self.toPlainText()

    def _on_text_changed(self) -> None:
        text = self.toPlainText()
        if len(text) <= self.limit:
            return
        cursor = self.textCursor()
        position = min(cursor.position(), self.limit)
        self.blockSignals(True)
        try:
            self.setPlainText(text[: self.limit])
        finally:
            self.blockSignals(False)
        cursor = self.textCursor()
        cursor.setPosition(position)
        self.setTextCursor(cursor)
        self.textChanged.emit()


class NoteDialog(QDialog):
    """Free text for one person in the waiting room; ``text`` once accepted."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._setup_ui()
        self._on_text_changed()

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("Nachricht senden"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        title = QLabel(self.tr("Nachricht an {name}").format(name=self._name))
        title.setObjectName("sectionTitle")
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setWordWrap(True)
        layout.addWidget(title)
        hint = QLabel(
            self.tr(
                "Die Nachricht erscheint sofort im Wartezimmer der Person. "
                "Bitte schreiben Sie kurz und ohne persönliche Daten."
            )
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.editor = LimitedTextEdit(MAX_NOTE_LENGTH)
        self.editor.setAccessibleName(self.tr("Nachricht"))
        self.editor.setPlaceholderText(self.tr("Ihre Nachricht"))
        self.editor.setMinimumHeight(110)
        self.editor.textChanged.connect(self._on_text_changed)
        layout.addWidget(self.editor)
        buttons = QHBoxLayout()
        self.counter = QLabel()
        self.counter.setObjectName("hint")
        buttons.addWidget(self.counter)
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Abbrechen"))
        self.cancel_button.clicked.connect(self.reject)
        self.send_button = QPushButton(self.tr("Senden"))
        self.send_button.setProperty("primary", True)
        self.send_button.clicked.connect(self.accept)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        layout.addLayout(buttons)
        self.editor.setFocus()

    @property
    def text(self) -> str:
        return self.editor.text().strip()

    def _on_text_changed(self) -> None:
        self.counter.setText(
            self.tr("{count} von {limit} Zeichen").format(
                count=len(self.editor.text()), limit=MAX_NOTE_LENGTH
            )
        )
        self.send_button.setEnabled(bool(self.text))
