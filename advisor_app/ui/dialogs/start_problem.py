"""At start: the service cannot be used. What happened, what to tell IT, retry or quit."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from advisor_app.client.preflight import ProblemKind, ServerProblem


class Choice(StrEnum):
    RETRY = "retry"
    OFFLINE = "offline"
    QUIT = "quit"


def _headline(kind: ProblemKind) -> str:
    texts = {
        ProblemKind.BAD_URL: QCoreApplication.translate(
            "StartProblem", "Die eingestellte Serveradresse ist ungültig."
        ),
        ProblemKind.CA_BUNDLE: QCoreApplication.translate(
            "StartProblem",
            "Die eingestellte Zertifikatsdatei der Dienststelle ist nicht verwendbar.",
        ),
        ProblemKind.UNTRUSTED: QCoreApplication.translate(
            "StartProblem",
            "Das Zertifikat des Servers wird nicht anerkannt. Zu Ihrer Sicherheit wurde keine "
            "Verbindung aufgebaut.",
        ),
        ProblemKind.UNREACHABLE: QCoreApplication.translate(
            "StartProblem", "Der Termindienst ist nicht erreichbar."
        ),
        ProblemKind.NOT_SERVICE: QCoreApplication.translate(
            "StartProblem",
            "Unter der eingestellten Serveradresse antwortet kein Termindienst.",
        ),
    }
    return texts[kind]


class StartProblemBox(QMessageBox):
    """Names the problem in the advisor's language and shows IT's details, selectable."""

    def __init__(self, problem: ServerProblem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problem = problem
        self.choice = Choice.QUIT
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(self.tr("Verbindung nicht möglich"))
        self.setText(_headline(self.problem.kind))
        self.setInformativeText(
            self.tr("Bitte geben Sie Ihrer IT diese Angaben weiter:") + "\n\n" + self.problem.for_it
        )
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = self.addButton(
            self.tr("Erneut versuchen"), QMessageBox.ButtonRole.AcceptRole
        )
        self.offline_button: QPushButton | None = None
        if self.problem.kind is ProblemKind.UNREACHABLE:  # the network may come back
            self.offline_button = self.addButton(
                self.tr("Trotzdem öffnen"), QMessageBox.ButtonRole.ActionRole
            )
        self.quit_button = self.addButton(self.tr("Beenden"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.retry_button)
        self.setEscapeButton(self.quit_button)
        self.buttonClicked.connect(self._on_button_clicked)

    def _on_button_clicked(self, button: object) -> None:
        if button is self.retry_button:
            self.choice = Choice.RETRY
        elif button is self.offline_button:
            self.choice = Choice.OFFLINE
        else:
            self.choice = Choice.QUIT


def show_config_problem(message: str) -> None:
    """The settings cannot be read: say so in a window (the console has no terminal)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    box = QMessageBox(QMessageBox.Icon.Critical, "", "", QMessageBox.StandardButton.Ok)
    box.setWindowTitle(
        QCoreApplication.translate("StartProblem", "Beratungskonsole – Einstellungen fehlerhaft")
    )
    box.setText(
        QCoreApplication.translate(
            "StartProblem",
            "Die Beratungskonsole kann wegen fehlerhafter Einstellungen nicht starten.",
        )
    )
    box.setInformativeText(
        QCoreApplication.translate("StartProblem", "Bitte geben Sie Ihrer IT diese Angaben weiter:")
        + "\n\n"
        + message
    )
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()
    del app
