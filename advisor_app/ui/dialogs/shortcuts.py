"""Hilfe → Tastenkürzel: every key of the console in one table, read row by row."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class ShortcutsDialog(QDialog):
    """``rows``: (keys, what they do); Esc or "Schließen" closes it."""

    def __init__(self, rows: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows = list(rows)
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("Tastenkürzel"))
        self.setMinimumSize(560, 480)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        title = QLabel(self.tr("Tastenkürzel"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.table = QTableWidget(len(self._rows), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Tasten"), self.tr("Wirkung")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setAccessibleName(self.tr("Tastenkürzel der Konsole"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, (keys, action) in enumerate(self._rows):
            key_item = QTableWidgetItem(keys)
            # the row reads as one sentence: "Strg+1: Seite Termine"
            key_item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{keys}: {action}")
            self.table.setItem(row, 0, key_item)
            self.table.setItem(row, 1, QTableWidgetItem(action))
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Schließen"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.setFocus()

    def text(self) -> str:
        """The table as lines "keys: action" (for tests and for copying)."""
        return "\n".join(f"{keys}: {action}" for keys, action in self._rows)
