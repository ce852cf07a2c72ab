"""Up to three further participants of an appointment: name, role, e-mail, language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.core.domain import MAX_GUESTS, MAX_NAME_LENGTH, Language, Role
from advisor_app.core.protocol import ParticipantOut
from advisor_app.ui.labels import GUEST_ROLE_ORDER, language_label, role_label


@dataclass(frozen=True, slots=True)
class GuestInput:
    """What one guest row holds, as typed."""

    name: str
    role: Role
    email: str
    language: Language


#: Fixed widths of the role, language and button columns; name and e-mail share the rest.
_FIXED = {1: 195, 3: 100, 4: 95}


def _set_columns(layout: QGridLayout) -> None:
    layout.setColumnStretch(0, 3)
    layout.setColumnStretch(2, 4)
    for column, width in _FIXED.items():
        layout.setColumnMinimumWidth(column, width)
        item = layout.itemAtPosition(0, column)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.setFixedWidth(width)


class GuestHeader(QWidget):
    """Column titles above the guest rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setup_ui()

    def _setup_ui(self) -> None:
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(8)
        titles = (self.tr("Name"), self.tr("Rolle"), self.tr("E-Mail"), self.tr("Sprache"), "")
        for column, title in enumerate(titles):
            label = QLabel(title)
            label.setObjectName("hint")
            layout.addWidget(label, 0, column)
        _set_columns(layout)


class GuestRow(QWidget):
    """One guest: name, role, e-mail, language and a remove button."""

    remove_requested = Signal(QWidget)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setup_ui()

    def _setup_ui(self) -> None:
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(8)
        layout.setVerticalSpacing(2)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("Name"))
        self.name.setMaxLength(MAX_NAME_LENGTH)
        self.name.setAccessibleName(self.tr("Name der weiteren Person"))
        self.role = QComboBox()
        for role in GUEST_ROLE_ORDER:
            self.role.addItem(role_label(role), role)
        self.role.setAccessibleName(self.tr("Rolle"))
        self.email = QLineEdit()
        self.email.setPlaceholderText(self.tr("E-Mail (optional)"))
        self.email.setAccessibleName(self.tr("E-Mail der weiteren Person"))
        self.language = QComboBox()
        for language in Language:
            self.language.addItem(language_label(language), language)
        self.language.setAccessibleName(self.tr("Sprache der Einladung"))
        self.remove = QPushButton(self.tr("Entfernen"))
        self.remove.clicked.connect(self._on_remove_clicked)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        for column, widget in enumerate(
            (self.name, self.role, self.email, self.language, self.remove)
        ):
            layout.addWidget(widget, 0, column)
        layout.addWidget(self.error, 1, 0, 1, 5)
        _set_columns(layout)

    def set_value(self, guest: GuestInput) -> None:
        self.name.setText(guest.name)
        self.name.setCursorPosition(0)
        self.role.setCurrentIndex(max(0, self.role.findData(guest.role)))
        self.email.setText(guest.email)
        self.email.setCursorPosition(0)
        self.language.setCurrentIndex(max(0, self.language.findData(guest.language)))

    def value(self) -> GuestInput:
        return GuestInput(
            name=self.name.text(),
            role=Role(self.role.currentData()),
            email=self.email.text(),
            language=Language(self.language.currentData()),
        )

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _on_remove_clicked(self) -> None:
        self.remove_requested.emit(self)


class GuestEditor(QWidget):
    """The rows plus an "add" button that disappears at the limit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[GuestRow] = []
        self._setup_ui()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self._header = GuestHeader()
        layout.addWidget(self._header)
        self._rows_layout = QVBoxLayout()
        self._rows_layout.setSpacing(6)
        layout.addLayout(self._rows_layout)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Person hinzufügen"))
        self.add_button.setToolTip(
            self.tr("Zum Beispiel eine Dolmetscherin oder eine gesetzliche Vertretung")
        )
        self.add_button.clicked.connect(self._on_add_clicked)
        buttons.addWidget(self.add_button)
        self._limit = QLabel(self.tr("Höchstens {n} weitere Personen.").format(n=MAX_GUESTS))
        self._limit.setObjectName("hint")
        buttons.addWidget(self._limit)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._update_buttons()

    @property
    def rows(self) -> list[GuestRow]:
        return list(self._rows)

    def set_guests(self, guests: Sequence[ParticipantOut]) -> None:
        for row in list(self._rows):
            self._remove_row(row)
        for guest in guests[:MAX_GUESTS]:
            self.add_row().set_value(
                GuestInput(guest.name, guest.role, guest.email or "", guest.language)
            )

    def values(self) -> list[GuestInput]:
        return [row.value() for row in self._rows]

    def add_row(self) -> GuestRow:
        row = GuestRow(self)
        row.remove_requested.connect(self._on_remove_requested)
        self._rows.append(row)
        self._rows_layout.addWidget(row)
        self._update_buttons()
        self.changed.emit()
        return row

    def _remove_row(self, row: GuestRow) -> None:
        self._rows.remove(row)
        self._rows_layout.removeWidget(row)
        row.setParent(None)
        row.deleteLater()
        self._update_buttons()
        self.changed.emit()

    def _update_buttons(self) -> None:
        self._header.setVisible(bool(self._rows))
        full = len(self._rows) >= MAX_GUESTS
        self.add_button.setEnabled(not full)
        self._limit.setVisible(full)

    def _on_add_clicked(self) -> None:
        self.add_row().name.setFocus()

    def _on_remove_requested(self, row: QWidget) -> None:
        if isinstance(row, GuestRow) and row in self._rows:
            self._remove_row(row)
