"""Postausgang: the invitation mails of a real service, their state and their text."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from advisor_app.client.embedded import EmbeddedService
from advisor_app.client.service_client import ServiceClient
from advisor_app.core.codes import format_dial_code
from advisor_app.ui.pages.outbox import OutboxPage
from advisor_app.ui.tasks import TaskRunner
from tests.helpers.ui import REFRESH_MS, Days, appointment, run, wait_until

pytestmark = [pytest.mark.gui, pytest.mark.integration]

TIME, RECIPIENT, KIND, SUBJECT, STATUS = range(5)


def _row(page: OutboxPage, recipient: str) -> list[str] | None:
    return next((r for r in page.row_texts() if r[RECIPIENT] == recipient), None)


def test_outbox_lists_the_invitation_with_its_text(
    loop: asyncio.AbstractEventLoop, outbox: OutboxPage, client: ServiceClient, days: Days
) -> None:
    day = days.take()
    created = run(
        loop,
        client.create_appointment(
            appointment(day, 13, name="Paula Weber", email="paula@example.org")
        ),
    )
    wait_until(
        lambda: (_row(outbox, "paula@example.org") or [""] * 5)[STATUS] == "im Postausgang",
        message="invitation listed as written to the outbox",
    )
    row = _row(outbox, "paula@example.org")
    assert row is not None
    assert row[KIND] == "Einladung"
    assert row[SUBJECT].startswith("Einladung zu Ihrem Videotermin am ")
    assert "13:00 Uhr" in row[SUBJECT]

    outbox.select_row(outbox.row_texts().index(row))
    body = outbox.body.toPlainText()
    assert "Paula Weber" in body
    assert created.citizen.link in body
    assert format_dial_code(created.citizen.dial_code) in body
    assert outbox.body.isReadOnly()
    assert not outbox.resend_button.isEnabled()  # nothing failed


def test_failed_mail_can_be_sent_again_from_the_outbox(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    failing_service: EmbeddedService,
    runner: TaskRunner,
    days: Days,
) -> None:
    api = ServiceClient(failing_service.url, token=failing_service.token)
    page = OutboxPage(api, runner, refresh_interval_ms=REFRESH_MS)
    qtbot.addWidget(page)
    try:
        page.show()
        run(loop, api.create_appointment(appointment(days.take(), 16, email="jana@example.org")))
        wait_until(
            lambda: (_row(page, "jana@example.org") or [""] * 5)[STATUS] == "fehlgeschlagen",
            timeout=15,
        )
        row = _row(page, "jana@example.org")
        assert row is not None
        page.select_row(page.row_texts().index(row))
        assert page.error.text() == (
            "Der Mailserver 127.0.0.1:9 ist nicht erreichbar. Bitte später erneut senden."
        )
        assert page.resend_button.isEnabled()
        before = len(page.row_texts())
        qtbot.mouseClick(page.resend_button, Qt.MouseButton.LeftButton)
        wait_until(lambda: page.message_bar.text == "Die E-Mail wird erneut gesendet.")
        wait_until(lambda: len(page.row_texts()) == before + 1, message="new attempt listed")
    finally:
        page.hide()
        run(loop, api.close())
