"""At start the console says, in a window, what is wrong and what to tell IT."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from advisor_app import cli
from advisor_app.client.embedded import EmbeddedService
from advisor_app.config import Settings
from advisor_app.ui.app import EXIT_SERVER_PROBLEM, run_console
from advisor_app.ui.dialogs.sign_in import SignInDialog
from advisor_app.ui.dialogs.start_problem import StartProblemBox
from advisor_app.ui.main_window import MainWindow
from tests.helpers.certs import make_certs
from tests.helpers.processes import Serve
from tests.helpers.ui import drive_console

pytestmark = pytest.mark.gui


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _visible(qapp: QApplication, kind: type[QMessageBox]) -> QMessageBox | None:
    return next((w for w in qapp.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


@pytest.fixture(scope="module")
def tls_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("tls-serve")
    certs = make_certs(tmp / "tls")
    args = ["serve", "--port", "0", "--data-dir", str(tmp / "d")]
    with Serve([*args, "--tls-cert", str(certs.cert), "--tls-key", str(certs.key)], cwd=tmp) as s:
        yield s.wait_ready()
        s.stop()


def test_unreachable_service_offers_retry_open_anyway_and_quit(qapp: QApplication) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    seen: list[object] = []

    def step() -> bool:
        box = _visible(qapp, StartProblemBox)
        if not isinstance(box, StartProblemBox):
            return False
        seen.append(box.text())
        seen.append(box.offline_button is not None)
        seen.append(box.informativeText())
        box.quit_button.click()
        return True

    deadline = drive_console(qapp, step)
    assert run_console(Settings(console={"server_url": url})) == EXIT_SERVER_PROBLEM
    deadline.stop()
    text, offline, details = seen
    assert text == "Der Termindienst ist nicht erreichbar."
    assert offline is True
    assert str(details).startswith("Bitte geben Sie Ihrer IT diese Angaben weiter:\n\n")
    assert f"Serveradresse (SERVER_URL / console.server_url): {url}" in str(details)


def test_untrusted_certificate_is_explained_and_retry_asks_again(
    qapp: QApplication, tls_url: str
) -> None:
    seen: list[str] = []

    def step() -> bool:
        box = _visible(qapp, StartProblemBox)
        if not isinstance(box, StartProblemBox):
            return False
        if box.offline_button is not None:
            seen.append("offline offered")
        seen.append(box.text())
        if len(seen) == 1:
            box.retry_button.click()  # asks again: the certificate is still not trusted
            return False
        box.quit_button.click()
        return True

    deadline = drive_console(qapp, step)
    assert run_console(Settings(console={"server_url": tls_url})) == EXIT_SERVER_PROBLEM
    deadline.stop()
    headline = (
        "Das Zertifikat des Servers wird nicht anerkannt. Zu Ihrer Sicherheit wurde keine "
        "Verbindung aufgebaut."
    )
    assert seen == [headline, headline]


def test_a_reachable_service_goes_on_to_sign_in_without_a_problem_box(
    qapp: QApplication, service: EmbeddedService
) -> None:
    seen: list[str] = []

    def step() -> bool:
        if _visible(qapp, StartProblemBox) is not None:
            seen.append("problem")
        for widget in qapp.topLevelWidgets():
            if isinstance(widget, SignInDialog) and widget.isVisible():
                seen.append("signing in")
                widget.reject()
                return True
            # an earlier test may have left a valid token in the keyring: signed in directly
            if isinstance(widget, MainWindow) and widget.isVisible():
                seen.append("signing in")
                widget.close()
                return True
        return False

    deadline = drive_console(qapp, step)
    assert run_console(Settings(console={"server_url": service.url})) == 0
    deadline.stop()
    assert seen == ["signing in"]


def test_broken_settings_at_console_start_are_shown_in_a_window(
    qapp: QApplication, tmp_path: Path
) -> None:
    missing = tmp_path / "gibts-nicht.toml"
    seen: list[str] = []

    def close_box() -> None:
        box = next(
            (w for w in qapp.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()),
            None,
        )
        if box is None:
            QTimer.singleShot(50, close_box)
            return
        seen.extend([box.windowTitle(), box.text(), box.informativeText()])
        box.accept()

    QTimer.singleShot(50, close_box)
    assert cli.main(["--config", str(missing)]) == 2
    assert seen == [
        "Beratungskonsole – Einstellungen fehlerhaft",
        "Die Beratungskonsole kann wegen fehlerhafter Einstellungen nicht starten.",
        "Bitte geben Sie Ihrer IT diese Angaben weiter:\n\n"
        f"Die Konfigurationsdatei {missing} gibt es nicht.",
    ]
    assert not any(isinstance(w, MainWindow) and w.isVisible() for w in qapp.topLevelWidgets())
