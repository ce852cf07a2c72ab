"""Names are shown as typed, never as markup (the message bar, the cancel
question, the appointment list's tooltip). A name such as ``<img src=file:///x>`` would make
Qt load a file (on Windows a network path: an SMB request)."""

from __future__ import annotations

import asyncio

import pytest
from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from advisor_app.client.service_client import ServiceClient
from advisor_app.ui.pages.schedule import SchedulePage
from advisor_app.ui.widgets.appointment_list import Column
from advisor_app.ui.widgets.message_bar import MessageBar
from tests.helpers.ui import Days, appointment, run, wait_until

pytestmark = [pytest.mark.gui]

NAME = "<img src=file:///x> <b>Max</b>"


def shown(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What Qt draws for ``text`` in ``text_format`` (AutoText: rich when it looks like it)."""
    rich = text_format is Qt.TextFormat.RichText or (
        text_format is Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text)  # type: ignore[attr-defined]
    )
    return QTextDocumentFragment.fromHtml(text).toPlainText() if rich else text


def test_the_message_bar_shows_a_name_as_typed(qtbot: QtBot) -> None:
    bar = MessageBar()
    qtbot.addWidget(bar)
    bar.show_error(f"Der Termin mit {NAME} konnte nicht gespeichert werden.")
    label = bar._label
    assert NAME in shown(label.text(), label.textFormat())


@pytest.mark.integration
def test_the_cancel_question_and_the_tooltip_show_a_name_as_typed(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    schedule: SchedulePage,
    client: ServiceClient,
    days: Days,
) -> None:
    day = days.take()
    created = run(loop, client.create_appointment(appointment(day, 9, name=NAME)))
    schedule.select_day(day)
    wait_until(lambda: len(schedule.list.row_texts()) == 1)
    item = schedule.list.topLevelItem(0)
    assert item is not None
    assert NAME in shown(item.toolTip(Column.CITIZEN))

    schedule.list.select(created.id)
    wait_until(lambda: schedule.detail.cancel_button.isEnabled())
    qtbot.mouseClick(schedule.detail.cancel_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: schedule.findChild(QMessageBox) is not None)
    box = schedule.findChild(QMessageBox)
    assert isinstance(box, QMessageBox)
    assert NAME in shown(box.text(), box.textFormat())
    box.reject()
