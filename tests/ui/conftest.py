"""Fixtures of the console tests: a real embedded service, a qasync loop, real pages."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from advisor_app.client.embedded import EmbeddedService
from advisor_app.client.service_client import ServiceClient
from advisor_app.core.clock import Clock
from advisor_app.ui.collector import MainThreadCollector
from advisor_app.ui.pages.outbox import OutboxPage
from advisor_app.ui.pages.schedule import SchedulePage
from advisor_app.ui.style import apply_style
from advisor_app.ui.tasks import TaskRunner
from tests.helpers.console_window import (  # noqa: F401 - fixtures of the console tests
    calling_console,
    citizens,
    console,
)
from tests.helpers.ui import (
    REFRESH_MS,
    Days,
    MakeSchedule,
    english,  # noqa: F401 - a fixture
    run,
    start_embedded_service,
    stop_embedded_service,
    wait_until,
)


@pytest.fixture(scope="session", autouse=True)
def _console_app(qapp: QApplication) -> Iterator[None]:
    qapp.setOrganizationName("advisor-console-tests")
    qapp.setApplicationName("advisor-console-tests")
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    apply_style(qapp)
    # as in the console (create_application): cycles are collected on the GUI thread only,
    # never in a worker that happens to allocate (see advisor_app/ui/collector.py)
    collector = MainThreadCollector(qapp)
    collector.start()
    yield
    collector.stop()


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread() -> Iterator[None]:
    """What a test left behind is freed here, on the GUI thread, before the next one. What
    survives is frozen (``gc.freeze``) until the module ends, so each collection looks only at
    what the last test made: a full collection of the suite's heap took 3 s after every test."""
    yield
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="module", autouse=True)
def _collect_everything_after_the_module() -> Iterator[None]:
    """What the module's own fixtures held (and tests left frozen) is collected once, at its
    end, so nothing of one module lives on into the next."""
    yield
    gc.unfreeze()
    gc.collect()


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedService]:
    """One real embedded service (child process) shared by the console tests."""
    svc = start_embedded_service(tmp_path_factory.mktemp("service"))
    yield svc
    stop_embedded_service(svc)


@pytest.fixture(scope="session")
def failing_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedService]:
    """A service whose mail server does not answer: every invitation fails."""
    svc = start_embedded_service(
        tmp_path_factory.mktemp("failing"),
        {
            "ADVISOR_SMTP__HOST": "127.0.0.1",
            "ADVISOR_SMTP__PORT": "9",
            "ADVISOR_SMTP__TIMEOUT_S": "2",
        },
    )
    yield svc
    stop_embedded_service(svc)


@pytest.fixture(scope="session")
def days() -> Days:
    return Days()


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop per test, riding on Qt's event processing (as in the running console).

    ``already_running`` makes every event Qt processes during a test (clicks, waits) run the
    asyncio callbacks with this loop as the running one, exactly as under ``qasync.run``.
    Request it first, so that it is set up before and torn down after the test's widgets.
    """
    event_loop = qasync.QEventLoop(qapp, already_running=True)
    yield event_loop
    pending = [t for t in asyncio.all_tasks(event_loop) if not t.done()]
    for task in pending:
        task.cancel()
    wait_until(lambda: all(t.done() for t in pending), message="tasks did not stop")
    event_loop.stop()
    asyncio.events._set_running_loop(None)
    event_loop.close()


@pytest.fixture
def client(loop: asyncio.AbstractEventLoop, service: EmbeddedService) -> Iterator[ServiceClient]:
    api = ServiceClient(service.url, token=service.token)
    yield api
    run(loop, api.close())


@pytest.fixture
def runner(loop: asyncio.AbstractEventLoop) -> Iterator[TaskRunner]:
    tasks = TaskRunner(loop)
    yield tasks
    run(loop, tasks.shutdown())


@pytest.fixture
def make_schedule(
    loop: asyncio.AbstractEventLoop, qtbot: QtBot, client: ServiceClient, runner: TaskRunner
) -> Iterator[MakeSchedule]:
    """Shown schedule pages; the fixture keeps them alive until the test is over."""
    pages: list[SchedulePage] = []

    def make(api: ServiceClient | None = None, clock: Clock | None = None) -> SchedulePage:
        page = SchedulePage(api or client, runner, clock=clock, refresh_interval_ms=REFRESH_MS)
        qtbot.addWidget(page)
        page.resize(1300, 800)
        page.show()
        pages.append(page)
        return page

    return make  # keeps the widgets alive; pytest-qt closes them after the test


@pytest.fixture
def schedule(make_schedule: MakeSchedule) -> SchedulePage:
    return make_schedule()


@pytest.fixture
def outbox(
    loop: asyncio.AbstractEventLoop, qtbot: QtBot, client: ServiceClient, runner: TaskRunner
) -> Iterator[OutboxPage]:
    page = OutboxPage(client, runner, refresh_interval_ms=REFRESH_MS)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page
