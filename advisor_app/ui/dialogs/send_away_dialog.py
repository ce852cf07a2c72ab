"""Sending somebody out of the waiting room: a reason for them, and a confirmation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.core.protocol import MAX_NOTE_LENGTH
from advisor_app.ui.dialogs.note_dialog import LimitedTextEdit


class SendAwayDialog(QDialog):
    """Asks for the reason the person reads; accepting it is the confirmation."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._setup_ui()
        self._on_choice_changed()

    def ready_reasons(self) -> list[str]:
        return [
            self.tr("Das Gespräch muss leider verschoben werden. Wir melden uns bei Ihnen."),
            self.tr(
                "Heute ist leider kein Gespräch möglich. Bitte vereinbaren Sie einen neuen Termin."
            ),
            self.tr(
                "Ihre Technik reicht für ein Videogespräch leider nicht aus. Wir rufen Sie an."
            ),
        ]

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("Wegschicken"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        title = QLabel(self.tr("{name} aus dem Wartezimmer wegschicken?").format(name=self._name))
        title.setObjectName("sectionTitle")
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setWordWrap(True)
        layout.addWidget(title)
        hint = QLabel(
            self.tr(
                "Die Person verlässt das Wartezimmer und liest den Grund in ihrem Browser. "
                "Der Termin wird dadurch nicht abgesagt."
            )
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addSpacing(4)
        layout.addWidget(QLabel(self.tr("Grund")))

        self.choices = QButtonGroup(self)
        self.reason_buttons: list[QRadioButton] = []
        for index, reason in enumerate(self.ready_reasons()):
            button = QRadioButton(reason)
            self.choices.addButton(button, index)
            self.reason_buttons.append(button)
            layout.addWidget(button)
        self.custom_button = QRadioButton(self.tr("Eigener Grund:"))
        self.choices.addButton(self.custom_button, len(self.reason_buttons))
        layout.addWidget(self.custom_button)
        self.custom = LimitedTextEdit(MAX_NOTE_LENGTH)
        self.custom.setAccessibleName(self.tr("Eigener Grund"))
        self.custom.setPlaceholderText(self.tr("Was die Person lesen soll"))
        self.custom.setFixedHeight(80)
        self.custom.textChanged.connect(self._on_custom_edited)
        layout.addWidget(self.custom)
        self.reason_buttons[0].setChecked(True)
        self.choices.idToggled.connect(self._on_choice_changed)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Abbrechen"))
        self.cancel_button.clicked.connect(self.reject)
        self.cancel_button.setDefault(True)
        self.confirm_button = QPushButton(self.tr("Wegschicken"))
        self.confirm_button.setProperty("danger", True)
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.clicked.connect(self.accept)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        layout.addSpacing(6)
        layout.addLayout(buttons)

    @property
    def reason(self) -> str:
        """The chosen reason as the person will read it."""
        if self.custom_button.isChecked():
            return self.custom.text().strip()
        checked = self.choices.checkedButton()
        return checked.text() if checked is not None else ""

    def _on_custom_edited(self) -> None:
        if self.custom.text() and not self.custom_button.isChecked():
            self.custom_button.setChecked(True)
        self._on_choice_changed()

    def _on_choice_changed(self, *_args: object) -> None:
        self.confirm_button.setEnabled(bool(self.reason))
