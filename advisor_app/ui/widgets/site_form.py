"""The site's values as a form: organisation, support line, the advisor's name, retention and
where the legal texts come from. Used by the first run and by the settings page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from advisor_app.core.site import (
    MAX_TEXT,
    PHONE_MAX_DIGITS,
    PHONE_MIN_DIGITS,
    RETENTION_MAX_DAYS,
    RETENTION_MIN_DAYS,
    Problem,
    SiteValues,
    check_site,
)


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


class SiteForm(QWidget):
    """Fields with a hint and, after :meth:`check`, a red sentence under each wrong one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors: dict[str, QLabel] = {}
        self._setup_ui()

    def _setup_ui(self) -> None:
        # a grid, not a QFormLayout: the grid gives wrapped hints and errors the height they
        # need for the width they get (the form layout squeezed them by a line)
        form = QGridLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(8)
        form.setHorizontalSpacing(12)
        form.setColumnStretch(1, 1)

        self.organisation = QLineEdit()
        self.organisation.setMaxLength(MAX_TEXT)
        self.organisation.setPlaceholderText(self.tr("z. B. Jobcenter Region Hannover"))
        self._add(
            form,
            self.tr("&Organisation"),
            "organisation",
            self.organisation,
            self.tr("Unterschreibt die Einladungen und steht in den Rechtstexten."),
        )
        self.support_phone = QLineEdit()
        self.support_phone.setMaxLength(40)
        self.support_phone.setPlaceholderText(self.tr("z. B. 0800 4 555501"))
        self._add(
            form,
            self.tr("Support-&Telefon"),
            "support_phone",
            self.support_phone,
            self.tr(
                "Steht auf jeder Seite für Bürgerinnen und Bürger und in jeder Einladung. "
                "Leer: der Satz mit der Nummer entfällt."
            ),
        )
        self.support_hours = QLineEdit()
        self.support_hours.setMaxLength(MAX_TEXT)
        self.support_hours.setPlaceholderText(self.tr("z. B. Montag bis Freitag, 8 bis 18 Uhr"))
        self._add(form, self.tr("&Erreichbarkeit"), "support_hours", self.support_hours, None)
        self.display_name = QLineEdit()
        self.display_name.setMaxLength(MAX_TEXT)
        self.display_name.setPlaceholderText(self.tr("z. B. Frau Beispiel"))
        self._add(
            form,
            self.tr("&Ihr Name"),
            "display_name",
            self.display_name,
            self.tr("So sehen Bürgerinnen, Bürger und Gäste Sie im Gespräch."),
        )
        self.retention_days = QSpinBox()
        self.retention_days.setRange(RETENTION_MIN_DAYS, RETENTION_MAX_DAYS)
        self.retention_days.setSuffix(self.tr(" Tage"))
        self.retention_days.setMinimumWidth(120)
        retention_row = QHBoxLayout()
        retention_row.addWidget(self.retention_days)
        retention_row.addStretch(1)
        self._add(
            form,
            self.tr("&Aufbewahrung"),
            "retention_days",
            retention_row,
            self.tr(
                "Nach so vielen Tagen nach dem Termin werden Namen, Adressen und Notizen gelöscht."
            ),
            buddy=self.retention_days,
        )

        legal = QVBoxLayout()
        legal.setSpacing(4)
        self.legal_bundled = QRadioButton(self.tr("Mitgelieferte Vorlagen"))
        self.legal_folder = QRadioButton(self.tr("Eigener Ordner:"))
        self._legal_group = QButtonGroup(self)
        self._legal_group.addButton(self.legal_bundled)
        self._legal_group.addButton(self.legal_folder)
        self.legal_bundled.setChecked(True)
        legal.addWidget(self.legal_bundled)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.legal_folder)
        self.legal_dir = QLineEdit()
        self.legal_dir.setAccessibleName(self.tr("Ordner der Rechtstexte"))
        self.legal_dir.setPlaceholderText(self.tr("Ordner mit manifest.json"))
        folder_row.addWidget(self.legal_dir, 1)
        self.choose_button = QPushButton(self.tr("Auswählen …"))
        self.choose_button.clicked.connect(self._on_choose_clicked)
        folder_row.addWidget(self.choose_button)
        legal.addLayout(folder_row)
        self.legal_dir.textEdited.connect(self._on_legal_dir_edited)
        self._legal_group.buttonToggled.connect(self._on_legal_toggled)
        self._add(
            form,
            self.tr("Rechtstexte"),
            "legal_dir",
            legal,
            self.tr(
                "Einwilligung, Datenschutz und Impressum. Die Vorlagen enthalten Lücken in "
                "[[…]], die Ihre Stelle ausfüllt; für den Betrieb einen eigenen Ordner wählen."
            ),
            buddy=self.legal_bundled,
        )
        self._on_legal_toggled()

    def _add(
        self,
        form: QGridLayout,
        caption: str,
        name: str,
        field: QWidget | QHBoxLayout | QVBoxLayout,
        hint: str | None,
        *,
        buddy: QWidget | None = None,
    ) -> None:
        column = QVBoxLayout()
        column.setSpacing(2)
        if isinstance(field, QWidget):
            column.addWidget(field)
        else:
            column.addLayout(field)
        if hint is not None:
            column.addWidget(_hint(hint))
        error = _error_label()
        column.addWidget(error)
        self.errors[name] = error
        label = QLabel(caption)
        # Qt measures a caption with a mnemonic a few pixels short: "Support-Telefo|n"
        plain = caption.replace("&", "")
        label.setMinimumWidth(label.fontMetrics().horizontalAdvance(plain) + 4)
        target = buddy or (field if isinstance(field, QWidget) else None)
        if target is not None:
            label.setBuddy(target)
        row = form.rowCount()
        form.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
        form.addLayout(column, row, 1)

    # --- values --------------------------------------------------------------------------

    def set_values(self, values: SiteValues) -> None:
        self.organisation.setText(values.organisation)
        self.support_phone.setText(values.support_phone)
        self.support_hours.setText(values.support_hours)
        self.display_name.setText(values.display_name)
        self.retention_days.setValue(values.retention_days)
        if values.legal_dir is None:
            self.legal_bundled.setChecked(True)
            self.legal_dir.clear()
        else:
            self.legal_folder.setChecked(True)
            self.legal_dir.setText(str(values.legal_dir))
        self._on_legal_toggled()

    def values(self) -> SiteValues:
        folder = self.legal_dir.text().strip()
        return SiteValues(
            organisation=self.organisation.text(),
            support_phone=self.support_phone.text(),
            support_hours=self.support_hours.text(),
            display_name=self.display_name.text(),
            retention_days=self.retention_days.value(),
            legal_dir=Path(folder) if self.legal_folder.isChecked() and folder else None,
        )

    def set_read_only(self, read_only: bool) -> None:
        for edit in (self.organisation, self.support_phone, self.support_hours, self.legal_dir):
            edit.setReadOnly(read_only)
        self.display_name.setReadOnly(read_only)
        self.retention_days.setReadOnly(read_only)
        self.retention_days.setButtonSymbols(
            QSpinBox.ButtonSymbols.NoButtons if read_only else QSpinBox.ButtonSymbols.UpDownArrows
        )
        for widget in (self.legal_bundled, self.legal_folder, self.choose_button):
            widget.setEnabled(not read_only)
        self._on_legal_toggled()

    def check(self) -> bool:
        """Show a sentence under every wrong field; True when all can be used."""
        problems = check_site(self.values())
        if self.legal_folder.isChecked() and not self.legal_dir.text().strip():
            problems["legal_dir"] = Problem.REQUIRED
        for name, error in self.errors.items():
            problem = problems.get(name)
            error.setText(self._message(name, problem) if problem is not None else "")
            error.setVisible(problem is not None)
        self.updateGeometry()
        first = next((n for n in self.errors if n in problems), None)
        if first is not None:
            {
                "organisation": self.organisation,
                "support_phone": self.support_phone,
                "support_hours": self.support_hours,
                "display_name": self.display_name,
                "retention_days": self.retention_days,
                "legal_dir": self.legal_dir,
            }[first].setFocus()
        return not problems

    def error_texts(self) -> dict[str, str]:
        """The sentences shown under the fields, by field name."""
        return {n: e.text() for n, e in self.errors.items() if not e.isHidden()}

    def _message(self, name: str, problem: Problem) -> str:
        if problem is Problem.REQUIRED:
            return {
                "organisation": self.tr("Bitte geben Sie den Namen Ihrer Stelle ein."),
                "display_name": self.tr(
                    "Bitte geben Sie Ihren Namen ein, wie Bürgerinnen und Bürger Sie ansprechen."
                ),
                "legal_dir": self.tr("Bitte wählen Sie den Ordner der Rechtstexte."),
            }.get(name, self.tr("Bitte ausfüllen."))
        if problem is Problem.TOO_LONG:
            return self.tr("Höchstens {n} Zeichen.").format(n=MAX_TEXT)
        if problem is Problem.PLACEHOLDER:
            return self.tr("Bitte ersetzen Sie den Platzhalter in [[…]] durch den echten Wert.")
        if problem is Problem.PHONE_CHARACTERS:
            return self.tr(
                "Eine Telefonnummer besteht aus Ziffern, Leerzeichen und + - / ( ), "
                "z. B. 0800 4 555501."
            )
        if problem is Problem.PHONE_DIGITS:
            return self.tr(
                "Eine Telefonnummer hat {low} bis {high} Ziffern, z. B. 0800 4 555501."
            ).format(low=PHONE_MIN_DIGITS, high=PHONE_MAX_DIGITS)
        if problem is Problem.RETENTION_RANGE:
            return self.tr("Zwischen {low} und {high} Tagen.").format(
                low=RETENTION_MIN_DAYS, high=RETENTION_MAX_DAYS
            )
        if problem is Problem.LEGAL_DIR_MISSING:
            return self.tr("Diesen Ordner gibt es nicht.")
        return self.tr(
            "In diesem Ordner fehlt manifest.json (die Liste der Rechtstexte mit Versionen)."
        )

    # --- slots ---------------------------------------------------------------------------

    def _on_legal_toggled(self, *_args: object) -> None:
        folder = self.legal_folder.isChecked()
        self.legal_dir.setEnabled(folder)
        self.choose_button.setEnabled(folder and self.legal_folder.isEnabled())

    def _on_legal_dir_edited(self, text: str) -> None:
        if text.strip():
            self.legal_folder.setChecked(True)

    def _on_choose_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Ordner der Rechtstexte wählen"), self.legal_dir.text()
        )
        if folder:
            self.legal_dir.setText(folder)
            self.legal_folder.setChecked(True)
