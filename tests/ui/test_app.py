"""The console as a whole: start in embedded mode, main window, status bar, English."""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from advisor_app.client.credentials import load_token
from advisor_app.client.embedded import EmbeddedService
from advisor_app.client.service_client import ServiceClient
from advisor_app.config import Settings
from advisor_app.ui.alerts import Notifier
from advisor_app.ui.app import run_console
from advisor_app.ui.chime import ChimePlayer
from advisor_app.ui.dialogs.sign_in import SignInDialog
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.start_window import StartWindow
from advisor_app.ui.tasks import TaskRunner
from advisor_app.ui.widgets.appointment_list import Column
from tests.helpers.ui import (
    Days,
    add_advisor,
    admin,
    appointment,
    clipped_labels,
    console_window,
    drive_console,
    run,
    wait_until,
)

pytestmark = [pytest.mark.gui, pytest.mark.integration]

PASSWORD = "a-long-password-1"


@pytest.fixture
def make_window(
    loop: asyncio.AbstractEventLoop, qtbot: QtBot, runner: TaskRunner
) -> Iterator[Callable[[ServiceClient], MainWindow]]:
    windows: list[MainWindow] = []

    def make(api: ServiceClient) -> MainWindow:
        window = console_window(api, runner, chime=ChimePlayer(), notifier=Notifier())
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    return make  # keeps the widgets alive; pytest-qt closes them after the test


def test_main_window_shows_pages_and_connection(
    make_window: Callable[[ServiceClient], MainWindow], client: ServiceClient
) -> None:
    window = make_window(client)
    assert window.windowTitle() == "Beratungskonsole – Videotermine"
    assert window.navigation_labels() == [
        "Termine",
        "Wartezimmer",
        "Postausgang",
        "Geräte",
        "Statistik",
        "Einstellungen",
    ]
    assert window.connection_label.text() == "Lokaler Dienst"
    assert window.advisor_label.text() == "Angemeldet: Anna Berger"
    wait_until(lambda: window.state_label.text() == "Verbunden")
    assert window.pages.currentWidget() is window.schedule
    assert window.outbox is not None
    window.show_page(window.outbox)
    assert window.pages.currentWidget() is window.outbox


def test_status_bar_says_when_the_service_is_unreachable(
    loop: asyncio.AbstractEventLoop, make_window: Callable[[ServiceClient], MainWindow]
) -> None:
    api = ServiceClient("http://127.0.0.1:9", token="x")
    try:
        window = make_window(api)
        wait_until(lambda: window.state_label.text() == "Dienst nicht erreichbar")
        assert window.schedule is not None
        assert window.schedule.message_bar.text.startswith(
            "Die Termine konnten nicht geladen werden."
        )
    finally:
        run(loop, api.close())


def test_english_translation_is_applied(
    english: None, make_window: Callable[[ServiceClient], MainWindow], client: ServiceClient
) -> None:
    window = make_window(client)
    assert window.windowTitle() == "Advisor console – video appointments"
    assert window.navigation_labels() == [
        "Appointments",
        "Waiting room",
        "Outbox",
        "Devices",
        "Statistics",
        "Settings",
    ]
    assert window.advisor_label.text() == "Signed in: Anna Berger"
    schedule = window.schedule
    assert schedule is not None
    assert schedule.new_button.text() == "New appointment"
    assert schedule.detail.edit_button.text() == "Edit"
    header = schedule.list.headerItem()
    assert header is not None
    assert header.text(0) == "Time"
    wait_until(lambda: window.state_label.text() == "Connected")
    assert re.fullmatch(r"\w+day, \d{1,2} \w+ \d{4}", schedule.day_title.text())
    room = window.waiting_room
    assert room is not None
    window.show_page(room)
    assert [room.list.model().headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "Appointment",
        "Name",
        "Waiting",
        "Devices",
        "Connection",
    ]
    assert room.summary.text() in ("Nobody is waiting", "1 person is waiting") or (
        room.summary.text().endswith("people are waiting")
    )
    assert room.chime_box.text() == "Sound on arrival"
    assert [a.text() for a in room.detail.note_menu.actions()[:3]] == [
        "I will be with you in a few minutes.",
        "Please bear with us a little longer.",
        "I will be right with you.",
    ]
    assert room.detail.admit_button.text() == "Admit"
    wait_until(lambda: room.connection_text() == "Live")


# --- the whole program: run_console in embedded mode -------------------------------------


def _settings(data_dir: Path) -> Settings:
    return Settings(
        console={"embedded_port": 0, "setup_done": True}, service={"data_dir": data_dir}
    )


def test_run_console_starts_the_local_service_and_stops_it_on_close(
    qapp: QApplication, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    seen: dict[str, str] = {}

    def step() -> bool:
        for widget in qapp.topLevelWidgets():
            if isinstance(widget, StartWindow) and widget.isVisible():
                seen.setdefault("starting", widget.starting.text.text())
            if not isinstance(widget, MainWindow) or not widget.isVisible():
                continue
            if widget.state_label.text() == "Verbunden":
                seen["status"] = widget.connection_label.text()
                seen["title"] = widget.windowTitle()
                widget.close()  # the advisor closes the window
                return True
        return False

    caplog.set_level(logging.INFO, logger="advisor_app.client.embedded")
    deadline = drive_console(qapp, step)
    assert run_console(_settings(tmp_path / "service")) == 0
    deadline.stop()
    assert seen == {
        "starting": "Lokaler Termindienst wird gestartet…",
        "status": "Lokaler Dienst",
        "title": "Beratungskonsole – Videotermine",
    }
    [pid] = [int(m) for m in re.findall(r"\(pid (\d+)\)", caplog.text)]
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the child service is gone
    assert "service stopping" in (tmp_path / "service" / "service.log").read_text()


def test_run_console_explains_a_failed_start_and_exits_non_zero(
    qapp: QApplication, tmp_path: Path
) -> None:
    data_dir = tmp_path / "service"
    (data_dir / "advisor.db").mkdir(parents=True)  # the database cannot be opened
    seen: list[str] = []

    def step() -> bool:
        box = next(
            (w for w in qapp.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()),
            None,
        )
        if box is None:
            return False
        seen.append(box.text())
        box.accept()
        return True

    deadline = drive_console(qapp, step)
    assert run_console(_settings(data_dir)) != 0
    deadline.stop()
    assert seen == [
        "Der lokale Termindienst konnte nicht gestartet werden. Details stehen in "
        f"{data_dir / 'service.log'}."
    ]


# --- server mode: sign in, remember the token, sign in again when it expires ---------------


def test_run_console_signs_in_to_a_server_and_reuses_the_token_next_time(
    qapp: QApplication, service: EmbeddedService
) -> None:
    add_advisor(service.log_path.parent, "bert", "Bert Beispiel", PASSWORD)
    settings = Settings(console={"server_url": service.url, "username": "bert"})
    seen: list[str] = []

    def step() -> bool:
        for widget in qapp.topLevelWidgets():
            if isinstance(widget, SignInDialog) and widget.isVisible():
                if "dialog" not in seen:
                    seen.append("dialog")
                    widget.password.setText(PASSWORD)
                    widget.sign_in_button.click()
            elif (
                isinstance(widget, MainWindow)
                and widget.isVisible()
                and widget.state_label.text() == "Verbunden"
            ):
                seen.append(widget.advisor_label.text())
                seen.append(widget.connection_label.text())
                widget.close()
                return True
        return False

    deadline = drive_console(qapp, step)
    assert run_console(settings) == 0
    deadline.stop()
    assert seen == ["dialog", "Angemeldet: Bert Beispiel", service.url]
    assert load_token(service.url, "bert")

    seen.clear()  # second start: the keyring's token signs in, no dialog
    deadline = drive_console(qapp, step)
    assert run_console(settings) == 0
    deadline.stop()
    assert seen == ["Angemeldet: Bert Beispiel", service.url]


def test_expired_sign_in_asks_for_the_password_again(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    runner: TaskRunner,
    service: EmbeddedService,
) -> None:
    data_dir = service.log_path.parent
    add_advisor(data_dir, "carla", "Carla Muster", PASSWORD)
    api = ServiceClient(service.url)
    try:
        run(loop, api.login("carla", PASSWORD))
        window = console_window(
            api, runner, advisor_name="Carla Muster", connection=service.url, can_sign_in=True
        )
        qtbot.addWidget(window)
        window.show()
        wait_until(lambda: window.state_label.text() == "Verbunden")
        # IT resets the password: every session of the account ends.
        admin(data_dir, "reset-password", "carla", "--password-stdin", password=PASSWORD)
        assert window.schedule is not None
        window.schedule.refresh()
        wait_until(lambda: window.findChild(SignInDialog) is not None, message="asked again")
        dialog = window.findChild(SignInDialog)
        assert isinstance(dialog, SignInDialog)
        assert (
            dialog.error_text == "Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an."
        )
        assert dialog.username.text() == ""
        dialog.username.setText("carla")
        dialog.password.setText(PASSWORD)
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        wait_until(lambda: window.findChild(SignInDialog) is None, message="dialog closed")
        assert window.advisor_label.text() == "Angemeldet: Carla Muster"
        schedule = window.schedule
        wait_until(lambda: schedule.message_bar.text == "", message="loads again")
        assert window.isVisible()
    finally:
        run(loop, api.close())


def test_the_schedule_fits_its_column_headers_at_the_default_size(
    loop: asyncio.AbstractEventLoop,
    make_window: Callable[[ServiceClient], MainWindow],
    client: ServiceClient,
    days: Days,
) -> None:
    day = days.take()
    made = run(loop, client.create_appointment(appointment(day, 9, name="Sabine Wolf")))
    window = make_window(client)
    assert window.size().width() == 1360  # the default size (no saved geometry in the tests)
    schedule = window.schedule
    assert schedule is not None
    schedule.select_day(day)
    wait_until(lambda: schedule.list.topLevelItemCount() == 1)
    schedule.list.select(made.id)
    wait_until(lambda: schedule.detail.title.text() == "Sabine Wolf")
    if directory := os.environ.get("SCREENSHOT_DIR"):
        window.grab().save(str(Path(directory) / "schedule_default_size.png"))
    header = schedule.list.header()
    for column in Column:
        assert header.sectionSize(column) >= header.sectionSizeHint(column), column
    assert clipped_labels(schedule.list.header()) == []
