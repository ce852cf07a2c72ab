"""Typing the machine-readable zone: one masked field per line (TD1 3×30, TD3 2×44)."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QFont, QFontDatabase, QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from advisor_app.idcheck.mrz import SHAPES, MrzFormat


class MrzEntry(QWidget):
    """Fields that accept only A–Z, 0–9 and ``<`` (uppercase while typing), at most the
    line's length; ``changed`` after every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._format = MrzFormat.TD1
        self.fields: list[QLineEdit] = []
        self._setup_ui()
        self.set_format(MrzFormat.TD1)

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        row = QHBoxLayout()
        caption = QLabel(self.tr("Format"))
        row.addWidget(caption)
        self.format_box = QComboBox()
        self.format_box.addItem(self.tr("Personalausweis (3 Zeilen × 30)"), MrzFormat.TD1.value)
        self.format_box.addItem(self.tr("Reisepass (2 Zeilen × 44)"), MrzFormat.TD3.value)
        self.format_box.setAccessibleName(self.tr("Format der maschinenlesbaren Zone"))
        self.format_box.currentIndexChanged.connect(self._on_format_chosen)
        caption.setBuddy(self.format_box)
        row.addWidget(self.format_box, 1)
        layout.addLayout(row)
        self._lines = QVBoxLayout()
        layout.addLayout(self._lines)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(max(font.pointSizeF(), 11.0))
        self._font = font
        self._validator = QRegularExpressionValidator(QRegularExpression("[A-Za-z0-9<]*"), self)

    @property
    def format(self) -> MrzFormat:
        return self._format

    def set_format(self, fmt: MrzFormat) -> None:
        """Show the fields of ``fmt`` (typed text is cleared)."""
        self._format = fmt
        index = self.format_box.findData(fmt.value)
        if index >= 0 and index != self.format_box.currentIndex():
            self.format_box.blockSignals(True)
            self.format_box.setCurrentIndex(index)
            self.format_box.blockSignals(False)
        for field in self.fields:
            field.clear()
            field.deleteLater()
        self.fields = []
        count, width = SHAPES[fmt]
        for i in range(count):
            field = QLineEdit()
            field.setFont(self._font)
            field.setMaxLength(width)
            field.setValidator(self._validator)
            field.setPlaceholderText("<" * width)
            field.setAccessibleName(self.tr("Zeile {n}").format(n=i + 1))
            field.setMinimumWidth(field.fontMetrics().horizontalAdvance("W" * (width + 2)))
            field.textEdited.connect(self._on_edited)
            self._lines.addWidget(field)
            self.fields.append(field)
        self.changed.emit()

    def lines(self) -> list[str]:
        return [f.text() for f in self.fields]

    def complete(self) -> bool:
        width = SHAPES[self._format][1]
        return all(len(text) == width for text in self.lines())

    def set_lines(self, lines: list[str]) -> None:
        for field, text in zip(self.fields, lines, strict=False):
            field.setText(text.upper())
        self.changed.emit()

    def clear(self) -> None:
        for field in self.fields:
            field.clear()
        self.changed.emit()

    def _on_format_chosen(self, index: int) -> None:
        self.set_format(MrzFormat(self.format_box.itemData(index)))

    def _on_edited(self, text: str) -> None:
        field = self.sender()
        if isinstance(field, QLineEdit) and text != text.upper():
            cursor = field.cursorPosition()
            field.setText(text.upper())
            field.setCursorPosition(cursor)
        self.changed.emit()
