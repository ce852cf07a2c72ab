"""The schedule page against a real embedded service: what the advisor sees and does."""

from __future__ import annotations

import asyncio
import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from advisor_app.client.embedded import EmbeddedService
from advisor_app.client.service_client import ServiceClient
from advisor_app.core.clock import ManualClock, SystemClock
from advisor_app.core.domain import Role, to_berlin
from advisor_app.core.protocol import AppointmentOut, GuestIn
from advisor_app.ui.dialogs.appointment_dialog import AppointmentDialog
from advisor_app.ui.pages.schedule import SchedulePage
from advisor_app.ui.widgets.appointment_list import Column
from tests.helpers.ui import Days, MakeSchedule, appointment, clipped_labels, run, wait_until

pytestmark = [pytest.mark.gui, pytest.mark.integration]


def _closed(dialog: AppointmentDialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _rows(page: SchedulePage) -> list[list[str]]:
    return page.list.row_texts()


def _row_of(page: SchedulePage, name: str) -> list[str]:
    return next(row for row in _rows(page) if row[Column.CITIZEN].startswith(name))


def _has_row(page: SchedulePage, name: str) -> bool:
    return any(row[Column.CITIZEN].startswith(name) for row in _rows(page))


def _show_day(loop: asyncio.AbstractEventLoop, page: SchedulePage, day: date, rows: int) -> None:
    page.select_day(day)
    wait_until(lambda: len(_rows(page)) == rows, message=f"{rows} rows on {day}")


def _select(loop: asyncio.AbstractEventLoop, page: SchedulePage, appt: AppointmentOut) -> None:
    page.list.select(appt.id)
    wait_until(lambda: page.detail.title.text() == appt.citizen_name)


def _dialog(loop: asyncio.AbstractEventLoop, page: SchedulePage) -> AppointmentDialog:
    wait_until(lambda: page.findChild(AppointmentDialog) is not None)
    dialog = page.findChild(AppointmentDialog)
    assert isinstance(dialog, AppointmentDialog)
    wait_until(dialog.isVisible)
    return dialog


def _fill(
    qtbot: QtBot,
    dialog: AppointmentDialog,
    day: date,
    hour: int,
    minute: int,
    *,
    name: str,
    email: str = "",
    topic: str = "",
) -> None:
    dialog.date_edit.setDate(QDate(day.year, day.month, day.day))
    dialog.time_edit.setTime(QTime(hour, minute))
    if topic:
        qtbot.keyClicks(dialog.topic, topic)
    qtbot.keyClicks(dialog.citizen_name, name)
    if email:
        qtbot.keyClicks(dialog.email, email)


def test_new_appointment_appears_with_berlin_time_and_reaches_the_outbox(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    schedule: SchedulePage,
    client: ServiceClient,
    days: Days,
) -> None:
    day = days.take()
    _show_day(loop, schedule, day, 0)
    assert schedule.day_summary.text() == "Keine Termine"
    qtbot.mouseClick(schedule.new_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(loop, schedule)
    assert dialog.windowTitle() == "Neuer Termin"
    _fill(
        qtbot,
        dialog,
        day,
        10,
        30,
        name="Erika Mustermann",
        email="erika@example.org",
        topic="Bewerbung",
    )
    dialog.duration.setValue(45)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    wait_until(lambda: _closed(dialog), message="dialog closes after saving")
    wait_until(lambda: _has_row(schedule, "Erika Mustermann"))
    row = _row_of(schedule, "Erika Mustermann")
    assert row[Column.WHEN] == "10:30\n45 Min."
    assert row[Column.CITIZEN] == "Erika Mustermann\nBewerbung"
    wait_until(
        lambda: _row_of(schedule, "Erika Mustermann")[Column.INVITATION] == "im Postausgang",
        message="invitation reaches the outbox",
    )
    assert schedule.day_summary.text() == "1 Termin"
    assert day in schedule.bold_days()
    assert "ist angelegt" in schedule.message_bar.text

    # The service stored 10:30 Berlin time, whatever the machine's zone.
    stored = run(loop, client.appointments_on(day))
    assert [to_berlin(a.starts_at).strftime("%H:%M") for a in stored] == ["10:30"]
    assert schedule.detail.title.text() == "Erika Mustermann"
    assert re.fullmatch(r"\d{3} \d{3} \d{3}", schedule.detail.dial_code.text())
    assert schedule.detail.link.text() == stored[0].citizen.link


def test_editing_keeps_everything_not_changed(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    schedule: SchedulePage,
    client: ServiceClient,
    days: Days,
) -> None:
    day = days.take()
    guest = GuestIn(name="Leyla Demir", role=Role.INTERPRETER, email="leyla@example.org")
    created = run(
        loop,
        client.create_appointment(
            appointment(day, 9, name="Ahmet Yılmaz", guests=[guest], customer_number="123D456")
        ),
    )
    _show_day(loop, schedule, day, 1)
    _select(loop, schedule, created)
    qtbot.mouseClick(schedule.detail.edit_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(loop, schedule)
    assert dialog.windowTitle() == "Termin bearbeiten"
    assert dialog.citizen_name.text() == "Ahmet Yılmaz"
    assert dialog.customer_number.text() == "123D456"
    assert dialog.time_edit.time() == QTime(9, 0)
    [row] = dialog.guests.rows
    assert row.name.text() == "Leyla Demir"
    assert row.role.currentText() == "Dolmetschen"
    assert row.email.text() == "leyla@example.org"

    dialog.topic.clear()
    qtbot.keyClicks(dialog.topic, "Neues Thema")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: _closed(dialog))
    wait_until(lambda: _row_of(schedule, "Ahmet")[Column.CITIZEN].endswith("Neues Thema"))
    texts = " ".join(schedule.detail.texts())
    assert "Leyla Demir" in texts
    assert "Dolmetschen" in texts
    assert schedule.detail.customer_number.text() == "123D456"
    assert schedule.detail.topic.text() == "Neues Thema"
    assert "Die Änderungen sind gespeichert." in schedule.message_bar.text


def test_overlap_is_asked_and_saved_anyway(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    schedule: SchedulePage,
    client: ServiceClient,
    days: Days,
) -> None:
    day = days.take()
    run(loop, client.create_appointment(appointment(day, 9, name="Sabine Wolf")))
    _show_day(loop, schedule, day, 1)
    qtbot.mouseClick(schedule.new_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(loop, schedule)
    _fill(qtbot, dialog, day, 9, 15, name="Peter Krause")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    wait_until(dialog.overlap_box.isVisible, message="overlap question shown")
    assert dialog.overlap_text.text() == (
        "Der Termin überschneidet sich mit Sabine Wolf (09:00–09:30 Uhr). Trotzdem speichern?"
    )
    assert dialog.isVisible()
    assert dialog.citizen_name.text() == "Peter Krause"
    assert len(_rows(schedule)) == 1
    # the dialog grows with the question: the hint under E-Mail keeps its lines, no overlap
    wait_until(lambda: clipped_labels(dialog) == [], message=str(clipped_labels(dialog)))
    assert dialog.email_hint.geometry().top() > dialog.email.geometry().bottom()
    if directory := os.environ.get("SCREENSHOT_DIR"):
        dialog.grab().save(str(Path(directory) / "appointment_overlap.png"))

    qtbot.mouseClick(dialog.save_anyway_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: _closed(dialog))
    wait_until(lambda: len(_rows(schedule)) == 2)
    assert [row[Column.WHEN].split("\n")[0] for row in _rows(schedule)] == ["09:00", "09:15"]


def test_checks_in_the_dialog_before_sending(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    schedule: SchedulePage,
    days: Days,
) -> None:
    day = days.take()
    _show_day(loop, schedule, day, 0)
    qtbot.mouseClick(schedule.new_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(loop, schedule)
    dialog.date_edit.setDate(QDate(day.year, day.month, day.day))
    qtbot.keyClicks(dialog.email, "keine-adresse")
    qtbot.mouseClick(dialog.guests.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert not dialog.name_error.isHidden()
    assert dialog.name_error.text() == "Bitte geben Sie den Namen der Bürgerin/des Bürgers ein."
    assert dialog.email_error.text().startswith("Die E-Mail-Adresse ist ungültig.")
    assert dialog.guests.rows[0].error.text() == (
        "Bitte geben Sie den Namen der weiteren Person ein."
    )
    assert dialog.error_text.text() == "Bitte prüfen Sie die markierten Angaben."
    assert dialog.email.text() == "keine-adresse"
    assert dialog.save_button.isEnabled()

    yesterday = day - timedelta(days=400)
    dialog.date_edit.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.when_error.text().startswith("Der Termin liegt in der Vergangenheit.")
    for _ in range(3):
        if dialog.guests.add_button.isEnabled():
            qtbot.mouseClick(dialog.guests.add_button, Qt.MouseButton.LeftButton)
    assert len(dialog.guests.rows) == 3
    assert not dialog.guests.add_button.isEnabled()
    dialog.reject()


def test_service_refusal_is_shown_in_the_dialog_with_input_kept(
    loop: asyncio.AbstractEventLoop, qtbot: QtBot, make_schedule: MakeSchedule
) -> None:
    # The PC's clock runs an hour late: the dialog believes 30 minutes ago is the future,
    # the service (with the right time) refuses with its own German message.
    now = SystemClock().now()
    page = make_schedule(clock=ManualClock(now - timedelta(hours=1)))
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(loop, page)
    start = to_berlin(now - timedelta(minutes=30))
    _fill(qtbot, dialog, start.date(), start.hour, start.minute, name="Jonas Becker")
    qtbot.keyClicks(dialog.email, "jonas@example.org")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    wait_until(dialog.error_box.isVisible, message="service error shown")
    assert dialog.error_text.text() == (
        "Der Termin liegt in der Vergangenheit. Bitte wählen Sie einen späteren Beginn."
    )
    assert dialog.when_error.text() == dialog.error_text.text()
    assert dialog.isVisible()
    assert dialog.citizen_name.text() == "Jonas Becker"
    assert dialog.email.text() == "jonas@example.org"
    assert dialog.time_edit.time() == QTime(start.hour, start.minute)
    assert dialog.save_button.isEnabled()
    dialog.reject()


def test_change_of_an_appointment_cancelled_meanwhile_is_refused_in_the_dialog(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    schedule: SchedulePage,
    client: ServiceClient,
    days: Days,
) -> None:
    day = days.take()
    created = run(loop, client.create_appointment(appointment(day, 11, name="Elena Popescu")))
    _show_day(loop, schedule, day, 1)
    _select(loop, schedule, created)
    qtbot.mouseClick(schedule.detail.edit_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(loop, schedule)
    run(loop, client.cancel_appointment(created.id))  # a colleague cancels it in the meantime
    qtbot.keyClick(dialog.topic, Qt.Key.Key_End)
    qtbot.keyClicks(dialog.topic, " und mehr")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_until(dialog.error_box.isVisible)
    assert dialog.error_text.text() == "Ein abgesagter Termin kann nicht mehr geändert werden."
    assert dialog.topic.text() == "Weiterbewilligung und mehr"
    dialog.reject()


def test_cancel_after_confirmation_shows_abgesagt(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    schedule: SchedulePage,
    client: ServiceClient,
    days: Days,
) -> None:
    day = days.take()
    created = run(loop, client.create_appointment(appointment(day, 14, name="Katarina Nowak")))
    _show_day(loop, schedule, day, 1)
    _select(loop, schedule, created)
    qtbot.mouseClick(schedule.detail.cancel_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: schedule.findChild(QMessageBox) is not None)
    box = schedule.findChild(QMessageBox)
    assert isinstance(box, QMessageBox)
    assert "Katarina Nowak" in box.text()
    assert "erhalten eine Absage" in box.informativeText()
    confirm = next(b for b in box.findChildren(QPushButton) if b.text() == "Termin absagen")
    qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)

    wait_until(lambda: _row_of(schedule, "Katarina")[Column.INVITATION] == "abgesagt")
    item = schedule.list.topLevelItem(0)
    assert item is not None
    assert item.font(Column.CITIZEN).strikeOut()
    assert not schedule.detail.edit_button.isEnabled()
    assert not schedule.detail.cancel_button.isEnabled()
    assert schedule.detail.resend_button.text() == "Absage erneut senden"
    assert "Dieser Termin ist abgesagt" in schedule.detail.status.text()
    assert schedule.day_summary.text() == "Keine Termine · 1 abgesagt"
    assert day not in schedule.bold_days()


def test_copy_link_puts_the_citizens_link_on_the_clipboard(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    schedule: SchedulePage,
    client: ServiceClient,
    service: EmbeddedService,
    days: Days,
) -> None:
    day = days.take()
    created = run(
        loop, client.create_appointment(appointment(day, 15, name="Sabine Krüger", email=None))
    )
    _show_day(loop, schedule, day, 1)
    assert _row_of(schedule, "Sabine Krüger")[Column.INVITATION] == "keine E-Mail"
    _select(loop, schedule, created)
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(schedule.detail.copy_button, Qt.MouseButton.LeftButton)
    link = QGuiApplication.clipboard().text()
    assert link == created.citizen.link
    assert link.startswith(service.url + "/j/")
    assert schedule.detail.link.text() == link
    assert not schedule.detail.resend_button.isEnabled()  # no address to send to
    assert "in der Zwischenablage" in schedule.message_bar.text


def test_failed_invitation_shows_the_reason_and_can_be_sent_again(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    failing_service: EmbeddedService,
    make_schedule: MakeSchedule,
    days: Days,
) -> None:
    api = ServiceClient(failing_service.url, token=failing_service.token)
    try:
        page = make_schedule(api)
        day = days.take()
        created = run(loop, api.create_appointment(appointment(day, 8, 30, name="Tobias Lang")))
        _show_day(loop, page, day, 1)
        _select(loop, page, created)
        wait_until(
            lambda: _row_of(page, "Tobias")[Column.INVITATION] == "fehlgeschlagen",
            timeout=15,
        )
        texts = page.detail.texts()
        assert any("fehlgeschlagen" in t for t in texts)
        assert "Der Mailserver 127.0.0.1:9 ist nicht erreichbar. Bitte später erneut senden." in (
            texts
        )
        qtbot.mouseClick(page.detail.resend_button, Qt.MouseButton.LeftButton)
        wait_until(lambda: "erneut gesendet" in page.message_bar.text)
    finally:
        run(loop, api.close())


def test_unreachable_service_is_a_message_not_a_crash(
    loop: asyncio.AbstractEventLoop, make_schedule: MakeSchedule
) -> None:
    api = ServiceClient("http://127.0.0.1:9", token="x")
    try:
        page = make_schedule(api)
        wait_until(lambda: bool(page.message_bar.text))
        assert page.message_bar.text == (
            "Die Termine konnten nicht geladen werden. Der Dienst unter http://127.0.0.1:9 ist "
            "nicht erreichbar. Bitte prüfen Sie die Netzwerkverbindung; die Konsole versucht es "
            "weiter."
        )
    finally:
        run(loop, api.close())
