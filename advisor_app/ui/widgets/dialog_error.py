"""The red box at the top of a dialog that says, in words, why nothing was saved yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget


class DialogError(QFrame):
    """Hidden until :meth:`show_message`; the text can be selected and copied for IT."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setup_ui()
        self.hide()

    def _setup_ui(self) -> None:
        self.setObjectName("dialogError")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setStyleSheet("color: #8c1d18;")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label)

    @property
    def text(self) -> str:
        """The message as the advisor sees it; empty while hidden."""
        return "" if self.isHidden() else self.label.text()

    def show_message(self, text: str) -> None:
        self.label.setText(text)
        self.show()
