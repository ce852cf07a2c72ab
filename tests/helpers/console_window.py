"""A console window on a real service, recording its chime and notices; a citizen calling it."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import queue
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from advisor_app.client.call_media import CallMedia
from advisor_app.client.service_client import ServiceClient
from advisor_app.core.protocol import WaitingEntry
from advisor_app.ui.alerts import CHIME_SETTING, Notifier
from advisor_app.ui.chime import ChimePlayer
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.pages.waiting_room import WaitingRoomPage
from advisor_app.ui.tasks import TaskRunner
from advisor_app.ui.widgets.waiting_list import Column
from tests.helpers.citizen_browser import citizen_call
from tests.helpers.citizens import Citizen
from tests.helpers.console_call import GeneratedMedia
from tests.helpers.ui import close_calls, console_window, run, wait_until

PASSWORD = "ein-langes-Passwort-2026"


class RecordingChime(ChimePlayer):
    """Counts the chimes the console asked for (no sound device in the tests)."""

    def __init__(self) -> None:
        self.played = 0

    def play(self) -> None:
        self.played += 1


class RecordingNotifier(Notifier):
    """Keeps the notifications the console asked for."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []

    def notify(self, title: str, text: str) -> None:
        self.messages.append((title, text))


class Console:
    """The main window on the waiting room, and what it asked the desktop for."""

    def __init__(self, window: MainWindow, chime: RecordingChime, notifier: RecordingNotifier):
        self.window = window
        self.chime = chime
        self.notifier = notifier
        assert window.waiting_room is not None
        self.page: WaitingRoomPage = window.waiting_room

    def row(self, name: str) -> list[str]:
        """The row showing ``name`` (waits for it to appear)."""
        wait_until(lambda: self._find(name) is not None, message=f"{name} listed")
        row = self._find(name)
        assert row is not None
        return row

    def _find(self, name: str) -> list[str] | None:
        return next(
            (r for r in self.page.list.row_texts() if r[Column.PERSON].split("\n")[0] == name),
            None,
        )

    def gone(self, name: str) -> None:
        wait_until(lambda: self._find(name) is None, message=f"{name} no longer listed")

    def entry(self, name: str) -> WaitingEntry:
        self.row(name)
        return next(e for e in self.page.entries() if e.name == name)

    def select(self, name: str) -> None:
        self.page.select(self.entry(name).participant_id)
        assert self.page.detail.title.text() == name


@pytest.fixture
def console(
    loop: asyncio.AbstractEventLoop, qtbot: QtBot, runner: TaskRunner, client: ServiceClient
) -> Iterator[Console]:
    chime, notifier = RecordingChime(), RecordingNotifier()
    window = console_window(client, runner, chime=chime, notifier=notifier, media=CallMedia)
    # as the console does at quit, before the window goes: a call that is still on says
    # goodbye and is torn down (pytest-qt closes and deletes the window before fixtures end)
    qtbot.addWidget(window, before_close_func=lambda w: close_calls(loop, w))
    window.resize(1400, 860)
    window.show()
    window.show_page(window.waiting_room)
    page = window.waiting_room
    wait_until(lambda: page.connection_text() == "Live verbunden", message="room online")
    yield Console(window, chime, notifier)
    assert window.call_controller is not None


@pytest.fixture
def citizens(
    loop: asyncio.AbstractEventLoop, client: ServiceClient
) -> Iterator[Callable[[str, str], Citizen]]:
    """Citizens for a link; at the end of the test they leave the room and close."""
    made: list[Citizen] = []

    def make(base_url: str, link: str) -> Citizen:
        citizen = Citizen(base_url, link)
        made.append(citizen)
        return citizen

    yield make
    for citizen in made:
        run(loop, citizen.close())


@pytest.fixture(autouse=True)
def _chime_on() -> Iterator[None]:
    QSettings().remove(CHIME_SETTING)
    yield
    QSettings().remove(CHIME_SETTING)


class CallingCitizen:
    """Chromium in its own process: joins, then answers commands on a queue."""

    def __init__(self, url: str, camera_file: Path | None = None) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.reached: multiprocessing.Queue[str] = ctx.Queue()
        self.commands: multiprocessing.Queue[str] = ctx.Queue()
        camera = str(camera_file) if camera_file else None
        self.process = ctx.Process(
            target=citizen_call,
            args=(url, self.reached, self.commands, camera),
            name="citizen-call",
        )
        self.process.start()

    def answer(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            QTest.qWait(50)  # the console's loop keeps turning while the browser works
            try:
                return self.reached.get_nowait()
            except queue.Empty:
                continue
        raise AssertionError("the browser did not answer")

    def expect(self, step: str) -> None:
        got = self.answer()
        assert got == step, got

    def ask(self, command: str) -> str:
        self.commands.put(command)
        return self.answer()

    def report(self) -> dict[str, Any]:
        return dict(json.loads(self.ask("report")))

    def stop(self) -> None:
        self.commands.put("close")
        self.process.join(timeout=20)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


@pytest.fixture
def calling_console(
    loop: asyncio.AbstractEventLoop, qtbot: QtBot, runner: TaskRunner, client: ServiceClient
) -> Iterator[Console]:
    chime, notifier = RecordingChime(), RecordingNotifier()
    window = console_window(client, runner, chime=chime, notifier=notifier, media=GeneratedMedia)
    # as the console does at quit, before the window goes: a call that is still on says
    # goodbye and is torn down (pytest-qt closes and deletes the window before fixtures end)
    qtbot.addWidget(window, before_close_func=lambda w: close_calls(loop, w))
    window.resize(1400, 860)
    window.show()
    wait_until(lambda: window.waiting_room.connection_text() == "Live verbunden")
    yield Console(window, chime, notifier)
    assert window.call_controller is not None


def admit(
    loop: asyncio.AbstractEventLoop, qtbot: QtBot, desk: Console, person: Citizen, name: str
) -> None:
    """Select ``name`` in the waiting room, press "Einlassen", wait for their tile."""
    window = desk.window
    window.show_page(desk.page)
    participant_id = desk.entry(name).participant_id
    desk.select(name)
    qtbot.mouseClick(desk.page.detail.admit_button, Qt.MouseButton.LeftButton)
    assert run(loop, person.receive("state"))["phase"] == "admitted"
    wait_until(lambda: window.call is not None and window.call.tile(participant_id) is not None)
