"""Take the console's screenshots with real data from a real embedded service.

Run under an X server (Xvfb) from the repository root::

    Xvfb :99 -screen 0 1600x1000x24 &
    DISPLAY=:99 XDG_DATA_HOME=$(mktemp -d) XDG_CONFIG_HOME=$(mktemp -d) \
        .venv/bin/python docs/screenshots/make_screenshots.py [--language en]

Writes ``schedule.png``, ``appointment_dialog.png`` and ``outbox.png`` next to this file
(``*_en.png`` for English). The service runs three times on one data folder: normally, then
with an unreachable SMTP server (so that one invitation fails as it would in real life), then
normally again for the pictures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import qasync
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from advisor_app.client.embedded import EmbeddedService
from advisor_app.client.service_client import ServiceClient
from advisor_app.config import Settings
from advisor_app.core.domain import BERLIN, Language, Role
from advisor_app.core.protocol import AppointmentIn, GuestIn
from advisor_app.ui.app import create_application
from advisor_app.ui.dialogs.appointment_dialog import AppointmentDialog
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.tasks import TaskRunner

HERE = Path(__file__).resolve().parent


def _tr(text: str) -> str:
    return QCoreApplication.translate("Console", text)


def _next_weekday(after: date) -> date:
    day = after + timedelta(days=2)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


async def _wait(predicate: Callable[[], bool], within_s: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + within_s
    while not predicate():
        if loop.time() > end:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.05)


async def _seed(data_dir: Path, day: date) -> None:
    service = await EmbeddedService.start(data_dir, 0)
    client = ServiceClient(service.url, token=service.token)
    try:
        await client.create(
            AppointmentIn(
                starts_at=_at(day, 8, 30),
                duration_min=30,
                topic="Weiterbewilligung Bürgergeld",
                citizen_name="Maria Schneider",
                customer_number="123D456789",
                email="maria.schneider@example.org",
            )
        )
        await client.create(
            AppointmentIn(
                starts_at=_at(day, 10, 0),
                duration_min=45,
                topic="Bewerbungsunterlagen besprechen",
                citizen_name="Ahmet Yılmaz",
                email="a.yilmaz@example.org",
                language=Language.EN,
                guests=[
                    GuestIn(
                        name="Leyla Demir",
                        role=Role.INTERPRETER,
                        email="l.demir@dolmetschdienst.example",
                    )
                ],
            )
        )
        cancelled = await client.create(
            AppointmentIn(
                starts_at=_at(day, 11, 30),
                duration_min=30,
                topic="Eingliederungsvereinbarung",
                citizen_name="Jonas Becker",
                email="jonas.becker@example.org",
            )
        )
        await client.cancel(cancelled.id)
        for offset, name in ((3, "Sabine Wolf"), (7, "Peter Krause"), (8, "Elena Popescu")):
            await client.create(
                AppointmentIn(
                    starts_at=_at(day + timedelta(days=offset), 9, 0),
                    topic="Beratung zur Arbeitsuche",
                    citizen_name=name,
                )
            )
        await asyncio.sleep(1.0)  # let the outbox mails go out
    finally:
        await client.close()
        await service.stop()

    os.environ["ADVISOR_SMTP__HOST"] = "127.0.0.1"
    os.environ["ADVISOR_SMTP__PORT"] = "9"
    os.environ["ADVISOR_SMTP__TIMEOUT_S"] = "2"
    service = await EmbeddedService.start(data_dir, 0)
    client = ServiceClient(service.url, token=service.token)
    try:
        failed = await client.create(
            AppointmentIn(
                starts_at=_at(day, 14, 0),
                duration_min=30,
                topic="Fragen zum Weiterbildungsangebot",
                citizen_name="Katarina Nowak",
                email="k.nowak@example.org",
            )
        )
        for _ in range(100):
            current = await client.get(failed.id)
            if current.citizen.mail_status.value == "failed":
                break
            await asyncio.sleep(0.1)
    finally:
        await client.close()
        await service.stop()
        for key in ("ADVISOR_SMTP__HOST", "ADVISOR_SMTP__PORT", "ADVISOR_SMTP__TIMEOUT_S"):
            os.environ.pop(key, None)


async def _shoot(data_dir: Path, day: date, suffix: str, language: str) -> None:
    await _seed(data_dir, day)
    service = await EmbeddedService.start(data_dir, 0)
    client = ServiceClient(service.url, token=service.token)
    runner = TaskRunner(asyncio.get_running_loop(), language=language)
    window = MainWindow(runner)
    window.resize(1480, 900)
    window.show()
    try:
        window.show_console(client, advisor_name="Anna Berger", connection=_tr("Lokaler Dienst"))
        schedule = window.schedule
        assert schedule is not None
        schedule.select_day(day)
        await _wait(lambda: len(schedule.list.row_texts()) >= 4)
        await _wait(lambda: window.state_label.text() != "")
        failed = schedule.appointments_of_day(day)[3]
        schedule.list.select(failed.id)
        await asyncio.sleep(0.5)
        QApplication.processEvents()
        window.grab().save(str(HERE / f"schedule{suffix}.png"))

        appointment = schedule.appointments_of_day(day)[1]
        dialog = AppointmentDialog(appointment=appointment, parent=window)
        dialog.show()
        await asyncio.sleep(0.5)
        dialog.grab().save(str(HERE / f"appointment_dialog{suffix}.png"))
        dialog.close()

        assert window.outbox is not None
        outbox = window.outbox
        window.show_page(1)
        await _wait(lambda: len(outbox.row_texts()) >= 3)
        outbox.select_row(0)
        await asyncio.sleep(0.3)
        window.grab().save(str(HERE / f"outbox{suffix}.png"))
    finally:
        window.close()
        await runner.shutdown()
        await client.close()
        await service.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--language", choices=["de", "en"], default="de")
    args = parser.parse_args()
    settings = Settings(console={"language": args.language})
    create_application(settings)
    day = _next_weekday(datetime.now(BERLIN).date())
    suffix = "" if args.language == "de" else "_en"
    with tempfile.TemporaryDirectory() as tmp:
        qasync.run(_shoot(Path(tmp) / "service", day, suffix, args.language))


if __name__ == "__main__":
    main()
