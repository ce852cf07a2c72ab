"""Sign in to a central service with user name and password; the token goes to the keyring."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.client.credentials import store_token
from advisor_app.client.service_client import ServiceClient
from advisor_app.core.protocol import AdvisorOut, LoginResponse
from advisor_app.ui.tasks import Failure, TaskRunner
from advisor_app.ui.widgets.dialog_error import DialogError


class SignInDialog(QDialog):
    """Asks for user name and password and signs in through the task runner."""

    def __init__(
        self,
        client: ServiceClient,
        runner: TaskRunner,
        *,
        username: str | None = None,
        notice: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._runner = runner
        self.advisor: AdvisorOut | None = None
        self.token_stored = False
        self._setup_ui()
        if username:
            self.username.setText(username)
            self.password.setFocus()
        else:
            self.username.setFocus()
        if notice:
            self._show_error(notice)

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("Anmelden – Beratungskonsole"))
        self.setModal(True)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        title = QLabel(self.tr("Anmelden"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        where = QLabel(
            self.tr("Termindienst: {url}").format(url=self._client.base_url),
        )
        where.setObjectName("hint")
        where.setWordWrap(True)
        where.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(where)

        self.error_box = DialogError()
        layout.addWidget(self.error_box)

        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        self.username = QLineEdit()
        self.username.setMaxLength(100)
        self.username.setAccessibleName(self.tr("Benutzername"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(1000)
        self.password.setAccessibleName(self.tr("Passwort"))
        form.addRow(self.tr("Benutzername"), self.username)
        form.addRow(self.tr("Passwort"), self.password)
        layout.addLayout(form)

        buttons = QHBoxLayout()
        self.busy = QLabel(self.tr("Anmeldung läuft…"))
        self.busy.setObjectName("hint")
        self.busy.hide()
        buttons.addWidget(self.busy)
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Beenden"))
        self.cancel_button.clicked.connect(self.reject)
        self.sign_in_button = QPushButton(self.tr("Anmelden"))
        self.sign_in_button.setProperty("primary", True)
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self._on_sign_in_clicked)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.sign_in_button)
        layout.addLayout(buttons)

    @property
    def error_text(self) -> str:
        return self.error_box.text

    def _show_error(self, text: str) -> None:
        self.error_box.show_message(text)

    def _set_busy(self, busy: bool) -> None:
        self.sign_in_button.setEnabled(not busy)
        self.username.setEnabled(not busy)
        self.password.setEnabled(not busy)
        self.busy.setVisible(busy)

    def _on_sign_in_clicked(self) -> None:
        username = self.username.text().strip()
        password = self.password.text()
        if not username or not password:
            self._show_error(self.tr("Bitte geben Sie Benutzername und Passwort ein."))
            return
        self.error_box.hide()
        self._set_busy(True)
        self._runner.run(
            "sign-in",
            self._client.login(username, password),
            on_done=self._on_signed_in,
            on_error=self._on_failed,
            owner=self,
        )

    def _on_signed_in(self, result: LoginResponse) -> None:
        self._set_busy(False)
        self.advisor = result.advisor
        self.token_stored = store_token(
            self._client.base_url, result.advisor.username, result.token
        )
        self.accept()

    def _on_failed(self, failure: Failure) -> None:
        self._set_busy(False)
        self._show_error(failure.message)
        if failure.code == "bad_credentials":
            self.password.clear()
            self.password.setFocus()
