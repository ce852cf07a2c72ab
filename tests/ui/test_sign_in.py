"""Signing in to a real service: clear German messages, and the token ends in the keyring."""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from advisor_app.client.credentials import load_token
from advisor_app.client.embedded import EmbeddedService
from advisor_app.client.service_client import ServiceClient
from advisor_app.ui.dialogs.sign_in import SignInDialog
from advisor_app.ui.tasks import TaskRunner
from tests.helpers.ui import add_advisor, run, wait_until

pytestmark = [pytest.mark.gui, pytest.mark.integration]

PASSWORD = "a-long-password-1"
MakeDialog = Callable[..., SignInDialog]


@pytest.fixture
def make_dialog(
    loop: asyncio.AbstractEventLoop, qtbot: QtBot, runner: TaskRunner
) -> Iterator[MakeDialog]:
    """Sign-in dialogs on clients that are closed after the test."""
    clients: list[ServiceClient] = []
    dialogs: list[SignInDialog] = []

    def make(url: str, username: str | None = None) -> SignInDialog:
        api = ServiceClient(url)
        clients.append(api)
        dialog = SignInDialog(api, runner, username=username)
        qtbot.addWidget(dialog)
        dialog.show()
        dialogs.append(dialog)
        return dialog

    yield make  # pytest-qt closes the dialogs before this teardown
    for api in clients:
        run(loop, api.close())


def _sign_in(qtbot: QtBot, dialog: SignInDialog, password: str) -> None:
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)


def test_wrong_password_is_explained_then_sign_in_stores_the_token(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    make_dialog: MakeDialog,
    service: EmbeddedService,
) -> None:
    add_advisor(service.log_path.parent, "anna", "Anna Berger", PASSWORD)
    dialog = make_dialog(service.url, "anna")
    assert dialog.username.text() == "anna"
    assert service.url in " ".join(label.text() for label in dialog.findChildren(QLabel))

    _sign_in(qtbot, dialog, "nicht-das-passwort")
    wait_until(lambda: dialog.error_text != "", message="error shown")
    assert (
        dialog.error_text == "Benutzername oder Passwort ist falsch, oder das Konto ist gesperrt."
    )
    assert dialog.isVisible()
    assert dialog.password.text() == ""  # typed again, not kept
    assert dialog.username.text() == "anna"
    assert load_token(service.url, "anna") is None

    _sign_in(qtbot, dialog, PASSWORD)
    wait_until(lambda: dialog.result() == QDialog.DialogCode.Accepted, message="signed in")
    assert dialog.advisor is not None
    assert dialog.advisor.display_name == "Anna Berger"
    assert dialog.token_stored
    token = load_token(service.url, "anna")
    assert token
    checked = ServiceClient(service.url, token=token)
    try:
        assert run(loop, checked.me()).username == "anna"
    finally:
        run(loop, checked.close())


def test_empty_fields_are_asked_for(make_dialog: MakeDialog, qtbot: QtBot) -> None:
    dialog = make_dialog("http://127.0.0.1:9")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.error_text == "Bitte geben Sie Benutzername und Passwort ein."


def test_unreachable_service_is_named(make_dialog: MakeDialog, qtbot: QtBot) -> None:
    dialog = make_dialog("http://127.0.0.1:9", "anna")
    _sign_in(qtbot, dialog, PASSWORD)
    wait_until(lambda: dialog.error_text != "")
    assert dialog.error_text.startswith("Der Dienst unter http://127.0.0.1:9 ist nicht erreichbar.")
    assert dialog.sign_in_button.isEnabled()


def test_too_many_attempts_say_so(
    make_dialog: MakeDialog, qtbot: QtBot, failing_service: EmbeddedService
) -> None:
    # A service of its own: its rate limiter counts only these attempts.
    dialog = make_dialog(failing_service.url, "niemand")
    for _ in range(11):
        _sign_in(qtbot, dialog, "falsch")
        wait_until(lambda: dialog.sign_in_button.isEnabled() and dialog.error_text != "")
        if dialog.error_text.startswith("Zu viele"):
            break
    assert dialog.error_text == "Zu viele Anmeldeversuche. Bitte warten Sie einige Minuten."


def _self_signed(tmp_path: Path) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert_file, key_file)
    return ctx


def test_untrusted_certificate_is_explained(
    loop: asyncio.AbstractEventLoop,
    make_dialog: MakeDialog,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    async def refuse(_r: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = run(loop, asyncio.start_server(refuse, "127.0.0.1", 0, ssl=_self_signed(tmp_path)))
    try:
        port = server.sockets[0].getsockname()[1]
        dialog = make_dialog(f"https://127.0.0.1:{port}", "anna")
        _sign_in(qtbot, dialog, PASSWORD)
        wait_until(lambda: dialog.error_text != "")
        assert "Zertifikat des Servers wird nicht anerkannt" in dialog.error_text
    finally:
        server.close()
        run(loop, server.wait_closed())
