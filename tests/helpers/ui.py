"""Helpers for the console tests: let Qt and asyncio work until what a user sees is true."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable, Coroutine, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import monotonic
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from advisor_app.client.embedded import EmbeddedService
from advisor_app.client.service_client import ServiceClient
from advisor_app.core.domain import BERLIN
from advisor_app.core.protocol import AppointmentIn, GuestIn
from advisor_app.paths import i18n_dir
from advisor_app.ui.app import install_translator
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.pages.schedule import SchedulePage
from advisor_app.ui.services import ConsoleServices, SignedIn
from advisor_app.ui.tasks import TaskRunner

T = TypeVar("T")


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0, message: str = "") -> None:
    """Let Qt (and with it the qasync loop) work until ``predicate()`` holds."""
    deadline = monotonic() + timeout
    while not predicate():
        if monotonic() > deadline:
            raise AssertionError(message or f"condition not reached in {timeout} s")
        QTest.qWait(10)


def run(loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, T], timeout: float = 20) -> T:
    """Run one coroutine on the test's qasync loop while Qt keeps processing events."""
    task = loop.create_task(coro)
    wait_until(task.done, timeout, f"{coro!r} did not finish")
    return task.result()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A Berlin wall-clock time as an aware datetime."""
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def appointment(
    day: date,
    hour: int,
    minute: int = 0,
    *,
    name: str = "Maria Schneider",
    email: str | None = "maria.schneider@example.org",
    topic: str = "Weiterbewilligung",
    duration: int = 30,
    guests: list[GuestIn] | None = None,
    customer_number: str | None = None,
) -> AppointmentIn:
    return AppointmentIn(
        starts_at=at(day, hour, minute),
        duration_min=duration,
        topic=topic,
        citizen_name=name,
        email=email,
        guests=guests or [],
        customer_number=customer_number,
    )


class Days:
    """Hands each test its own future weekday, so tests sharing one service never overlap."""

    def __init__(self) -> None:
        self._next = datetime.now(BERLIN).date() + timedelta(days=3)

    def take(self) -> date:
        day = self._next
        while day.weekday() >= 5:
            day += timedelta(days=1)
        self._next = day + timedelta(days=1)
        return day


def admin(data_dir: Path, *args: str, password: str | None = None) -> None:
    """Run the real ``advisor-console admin`` command on a service's data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    result = subprocess.run(
        [sys.executable, "-m", "advisor_app", "admin", "--data-dir", str(data_dir), *args],
        input=None if password is None else password + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def add_advisor(data_dir: Path, username: str, name: str, password: str) -> None:
    """Create an advisor account with the real ``admin`` command."""
    admin(data_dir, "add", username, "--name", name, "--password-stdin", password=password)


def close_calls(loop: asyncio.AbstractEventLoop, window: Any) -> None:
    """As the console does at quit, while the window still exists: a call that is still on
    says goodbye to the service and is torn down (``qtbot.addWidget``'s before_close_func)."""
    controller = window.call_controller
    if controller is not None:
        run(loop, controller.close())


def clipped_labels(root: Any) -> list[str]:
    """The visible labels under ``root`` whose text does not fit the space they got: a wrapped
    label lower than its text needs at its width, or a one-line label narrower than its text."""
    from PySide6.QtWidgets import QLabel

    found = []
    for label in root.findChildren(QLabel):
        if not label.isVisible() or not label.text() or not label.pixmap().isNull():
            continue
        if label.textFormat() == Qt.TextFormat.RichText or "<" in label.text():
            continue
        inner = label.contentsRect()
        if label.wordWrap():
            if label.heightForWidth(label.width()) > label.height():
                found.append(
                    f"{label.text()!r}: {label.height()} < {label.heightForWidth(label.width())}"
                )
            continue
        lines = label.text().replace("&", "").split("\n")
        need_w = max(label.fontMetrics().horizontalAdvance(line) for line in lines)
        need_h = label.fontMetrics().height() * len(lines)
        if need_w > inner.width() or need_h > inner.height():
            found.append(f"{label.text()!r}: {inner.width()}x{inner.height()} < {need_w}x{need_h}")
    return found


#: Short refresh interval: background mail states show up quickly in tests.
REFRESH_MS = 200


def start_embedded_service(data_dir: Path, env: dict[str, str] | None = None) -> EmbeddedService:
    """The console's embedded service (a child process) on a free port, ``env`` added."""
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        return asyncio.run(EmbeddedService.start(data_dir, 0))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def stop_embedded_service(service: EmbeddedService) -> None:
    """Stop it and check that its process ended."""
    asyncio.run(service.stop())
    assert service.process.returncode is not None


MakeSchedule = Callable[..., SchedulePage]


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    if not (i18n_dir() / "console_en.qm").is_file():
        pytest.fail(
            "i18n/console_en.qm is missing; build it with "
            ".venv/bin/pyside6-lrelease i18n/console_en.ts -qm i18n/console_en.qm"
        )
    translator = install_translator(qapp, "en")
    assert translator is not None
    yield
    qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))


def drive_console(qapp: QApplication, step: Callable[[], bool], give_up_s: float = 60) -> QTimer:
    """Call ``step`` every 50 ms inside the console's own event loop until it returns True."""
    timer = QTimer(qapp)
    timer.setInterval(50)
    deadline = QTimer(qapp)
    deadline.setSingleShot(True)

    def tick() -> None:
        if step():
            timer.stop()

    timer.timeout.connect(tick)
    deadline.timeout.connect(qapp.quit)  # never hang: quitting shuts the console down
    timer.start()
    deadline.start(int(give_up_s * 1000))
    return deadline


def console_window(
    client: ServiceClient,
    runner: TaskRunner,
    *,
    advisor_name: str = "Anna Berger",
    connection: str = "Lokaler Dienst",
    can_sign_in: bool = False,
    **parts: Any,
) -> MainWindow:
    """The main window as the console builds it once signed in (``parts``: chime, notifier,
    media… of :meth:`ConsoleServices.build`); it connects the waiting room at once."""
    signed_in = SignedIn(advisor_name, connection, can_sign_in=can_sign_in)
    return MainWindow(ConsoleServices.build(client, runner, signed_in, **parts))
