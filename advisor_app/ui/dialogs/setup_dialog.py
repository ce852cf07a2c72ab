"""Einrichtung: the first start of the embedded console asks for what citizens will see."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.client.site import save_site_values
from advisor_app.config import ConfigError
from advisor_app.core.site import SiteValues
from advisor_app.ui.widgets.dialog_error import DialogError
from advisor_app.ui.widgets.site_form import SiteForm


class SetupDialog(QDialog):
    """Accepted once the values are checked and written to the user's ``config.toml``
    (:attr:`saved` holds them); "Später" asks again at the next start and changes nothing."""

    def __init__(self, values: SiteValues, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.saved: SiteValues | None = None
        self._setup_ui()
        self.form.set_values(values)

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("Einrichtung"))
        self.setMinimumWidth(720)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        title = QLabel(self.tr("Willkommen! Zuerst ein paar Angaben"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        intro = QLabel(
            self.tr(
                "Bürgerinnen und Bürger sehen diese Angaben auf ihren Seiten und in den "
                "Einladungen. Sie können sie später unter „Einstellungen“ ändern."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.error = DialogError(self)
        layout.addWidget(self.error)
        self.form = SiteForm(self)
        layout.addWidget(self.form)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.later_button = QPushButton(self.tr("Später"))
        self.later_button.setToolTip(
            self.tr("Die Konsole startet mit den bisherigen Angaben und fragt beim nächsten Mal.")
        )
        self.later_button.clicked.connect(self.reject)
        self.save_button = QPushButton(self.tr("Speichern und starten"))
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._on_save_clicked)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)

    def _on_save_clicked(self) -> None:
        if not self.form.check():
            self._fit()
            return
        values = self.form.values().cleaned()
        try:
            save_site_values(values)
        except ConfigError as exc:
            self.error.show_message(str(exc))
            return
        self.saved = values
        self.accept()

    def _fit(self) -> None:
        """Grow with the sentences under wrong fields, so that none is squeezed."""
        layout = self.layout()
        assert layout is not None
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)
