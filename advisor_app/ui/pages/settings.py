"""Einstellungen: the site's values as the service uses them.

With the embedded service the advisor changes them here (the service is restarted with them);
with a central service they are shown read-only, with who may change them: the IT
administrator, in the service's configuration.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.client.service_client import ServiceClient
from advisor_app.client.site import LocalSite
from advisor_app.core.protocol import SiteSettingsOut
from advisor_app.core.site import SiteValues
from advisor_app.ui.tasks import Failure, TaskRunner
from advisor_app.ui.widgets.message_bar import MessageBar
from advisor_app.ui.widgets.site_form import SiteForm


class SettingsPage(QWidget):
    """``site``: the console's own service (editable); None: a central service (read-only)."""

    #: The embedded service runs again with new values (the main window reconnects and
    #: shows the advisor's new name).
    applied = Signal()

    def __init__(
        self,
        client: ServiceClient,
        runner: TaskRunner,
        *,
        site: LocalSite | None = None,
        in_session: Callable[[], bool] = lambda: False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._runner = runner
        self._site = site
        self._in_session = in_session
        self.loaded: SiteSettingsOut | None = None
        self._setup_ui()

    def _setup_ui(self) -> None:
        # no scroll area: the page fits the smallest window, and a scroll area would size the
        # wrapped hints for a width they do not get (squeezing them)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        title = QLabel(self.tr("Einstellungen"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.message_bar = MessageBar(self)
        layout.addWidget(self.message_bar)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("hint")
        layout.addWidget(self.note)
        self.form = SiteForm()
        self.form.setEnabled(False)  # until the service's values are here
        layout.addWidget(self.form)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("Speichern"))
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.save_button.hide()
        buttons.addWidget(self.save_button)
        self.busy_label = QLabel()
        self.busy_label.setObjectName("hint")
        buttons.addWidget(self.busy_label)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)

    @property
    def editable(self) -> bool:
        return self._site is not None and self.loaded is not None and self.loaded.embedded

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._runner.running("settings-apply"):
            self.refresh()

    def refresh(self) -> None:
        self._runner.run(
            "settings-load",
            self._client.site_settings(),
            on_done=self._on_loaded,
            on_error=self._on_load_failed,
            owner=self,
        )

    def _on_loaded(self, out: SiteSettingsOut) -> None:
        self.loaded = out
        self.form.set_values(
            SiteValues(
                organisation=out.organisation,
                support_phone=out.support_phone,
                support_hours=out.support_hours,
                display_name=out.advisor_name,
                retention_days=out.retention_days,
                legal_dir=Path(out.legal_dir) if out.legal_dir else None,
            )
        )
        editable = self.editable
        self.form.set_read_only(not editable)
        self.form.setEnabled(True)
        self.save_button.setVisible(editable)
        if editable:
            self.note.setText(
                self.tr(
                    "Diese Angaben gelten für den Termindienst auf diesem Rechner. Beim "
                    "Speichern startet er kurz neu; Wartende verbinden sich von selbst wieder."
                )
            )
        else:
            self.note.setText(
                self.tr(
                    "Diese Angaben gelten für alle Beraterinnen und Berater dieses Dienstes. "
                    "Ändern kann sie nur die IT-Administration, in der Konfiguration des "
                    "Dienstes (config.toml, Abschnitt [service]). Ihr Name kommt aus Ihrem "
                    "Konto beim Dienst."
                )
            )

    def _on_load_failed(self, failure: Failure) -> None:
        self.message_bar.show_error(failure.message)

    def _on_save_clicked(self) -> None:
        if self._site is None:
            return
        if self._in_session():
            self.message_bar.show_error(
                self.tr(
                    "Während eines Gesprächs können die Einstellungen nicht übernommen werden: "
                    "der Termindienst startet dabei neu. Bitte speichern Sie danach."
                )
            )
            return
        if not self.form.check():
            return
        self.message_bar.clear()
        self.save_button.setEnabled(False)
        self.busy_label.setText(self.tr("Der Termindienst übernimmt die Angaben …"))
        self._runner.run(
            "settings-apply",
            self._site.apply(self.form.values()),
            on_done=self._on_applied,
            on_error=self._on_apply_failed,
            owner=self,
        )

    def _on_applied(self, _result: None) -> None:
        self.save_button.setEnabled(True)
        self.busy_label.clear()
        self.message_bar.show_note(
            self.tr("Gespeichert. Der Termindienst nutzt die neuen Angaben.")
        )
        self.applied.emit()
        self.refresh()

    def _on_apply_failed(self, failure: Failure) -> None:
        self.save_button.setEnabled(True)
        self.busy_label.clear()
        self.message_bar.show_error(failure.message)
