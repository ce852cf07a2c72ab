"""Take the console's screenshots with real data from a real embedded service.

Run under an X server (Xvfb) from the repository root::

    Xvfb :99 -screen 0 1600x1000x24 &
    DISPLAY=:99 XDG_DATA_HOME=$(mktemp -d) XDG_CONFIG_HOME=$(mktemp -d) \
        .venv/bin/python -m tests.helpers.console_screenshots [--language en]

(``make screenshots`` does it with ``xvfb-run``.) Writes ``schedule.png``,
``appointment_dialog.png``, ``outbox.png`` and ``console_waiting_room.png`` into
``build/screenshots/`` (``*_en.png`` for English). The service runs
three times on one data folder: normally, then with an unreachable SMTP server (so that one
invitation fails as it would in real life), then normally again for the pictures.

The waiting room needs people who entered it at different times of one morning, so for that
picture the service runs inside this script with a clock the script moves (the production app
factory, a SQLite file, real WebSockets); the citizens are plain WebSocket clients that give
consent, report a device check and enter, as the citizen web app does.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import tempfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import qasync
from aiohttp import web
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from advisor_app.client.embedded import EmbeddedService
from advisor_app.client.service_client import ServiceClient
from advisor_app.config import Settings
from advisor_app.core.clock import ManualClock
from advisor_app.core.domain import BERLIN, Language, Role
from advisor_app.core.protocol import AppointmentIn, AppointmentOut, GuestIn
from advisor_app.server.app import create_app
from advisor_app.ui.alerts import Notifier
from advisor_app.ui.app import create_application
from advisor_app.ui.chime import ChimePlayer
from advisor_app.ui.dialogs.appointment_dialog import AppointmentDialog
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.tasks import TaskRunner
from tests.helpers.screenshots import BUILD
from tests.helpers.ui import console_window

HERE = BUILD


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
        await client.create_appointment(
            AppointmentIn(
                starts_at=_at(day, 8, 30),
                duration_min=30,
                topic="Weiterbewilligung Bürgergeld",
                citizen_name="Maria Schneider",
                customer_number="123D456789",
                email="maria.schneider@example.org",
            )
        )
        await client.create_appointment(
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
        cancelled = await client.create_appointment(
            AppointmentIn(
                starts_at=_at(day, 11, 30),
                duration_min=30,
                topic="Eingliederungsvereinbarung",
                citizen_name="Jonas Becker",
                email="jonas.becker@example.org",
            )
        )
        await client.cancel_appointment(cancelled.id)
        for offset, name in ((3, "Sabine Wolf"), (7, "Peter Krause"), (8, "Elena Popescu")):
            await client.create_appointment(
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
        failed = await client.create_appointment(
            AppointmentIn(
                starts_at=_at(day, 14, 0),
                duration_min=30,
                topic="Fragen zum Weiterbildungsangebot",
                citizen_name="Katarina Nowak",
                email="k.nowak@example.org",
            )
        )
        for _ in range(100):
            current = await client.get_appointment(failed.id)
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
    window = console_window(client, runner, connection=_tr("Lokaler Dienst"))
    window.resize(1480, 900)
    window.show()
    try:
        schedule = window.schedule
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
        window.show_page(outbox)
        await _wait(lambda: len(outbox.row_texts()) >= 3)
        outbox.select_row(0)
        await asyncio.sleep(0.3)
        window.grab().save(str(HERE / f"outbox{suffix}.png"))
    finally:
        window.close()
        await runner.shutdown()
        await client.close()
        await service.stop()


# --- the waiting room -----------------------------------------------------------------------


class _Citizen:
    """One person's browser, reduced to the service calls the citizen web app makes."""

    def __init__(self, http: aiohttp.ClientSession, base: str, link: str) -> None:
        self._http = http
        self._base = base
        self.token = urlsplit(link).path.rsplit("/", 1)[1]
        self.ws: aiohttp.ClientWebSocketResponse | None = None

    async def consent(self) -> None:
        async with self._http.get(f"{self._base}/api/citizen/{self.token}") as resp:
            view = await resp.json()
        body = {
            "consent_version": view["consent"]["consent_version"],
            "privacy_version": view["consent"]["privacy_version"],
            "language": "de",
        }
        async with self._http.post(
            f"{self._base}/api/citizen/{self.token}/consent", json=body
        ) as resp:
            assert resp.status == 200, await resp.text()

    async def device_check(self, **check: Any) -> None:
        async with self._http.post(
            f"{self._base}/api/citizen/{self.token}/device-check", json=check
        ) as resp:
            assert resp.status == 201, await resp.text()

    async def enter(self) -> None:
        ws = await self._http.ws_connect(f"{self._base.replace('http', 'ws', 1)}/ws/citizen")
        await ws.send_json({"type": "hello", "token": self.token})
        await ws.receive_json(timeout=5)  # state: lobby
        await ws.send_json({"type": "enter"})
        state = await ws.receive_json(timeout=5)
        assert state.get("phase") == "waiting", state
        self.ws = ws

    async def drop(self) -> None:
        if self.ws is not None:
            await self.ws.close()


def _check(verdict: str, **values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "browser": "Firefox 140",
        "os": "Windows 11",
        "device_type": "desktop",
        "upload_kbps": 9500,
        "download_kbps": 48000,
        "rtt_ms": 24,
        "camera": "ok",
        "microphone": "ok",
        "speaker": "ok",
        "verdict": verdict,
    }
    base.update(values)
    return base


async def _shoot_waiting_room(data_dir: Path, day: date, suffix: str, language: str) -> None:
    """A busy morning at 10:43: four people wait, one of them has just lost the connection."""
    clock = ManualClock(_at(day, 8, 0))
    token = secrets.token_urlsafe(32)
    settings = Settings(service={"data_dir": data_dir})
    app = create_app(settings, clock=clock, embedded_token=token)
    site_runner = web.AppRunner(app, handle_signals=False)
    await site_runner.setup()
    site = web.TCPSite(site_runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    base = f"http://127.0.0.1:{port}"
    client = ServiceClient(base, token=token)
    http = aiohttp.ClientSession()
    runner = TaskRunner(asyncio.get_running_loop(), language=language)
    window: MainWindow | None = None
    people: dict[str, _Citizen] = {}
    try:

        async def book(hour: int, minute: int, name: str, **fields: Any) -> AppointmentOut:
            return await client.create_appointment(
                AppointmentIn(
                    starts_at=_at(day, hour, minute),
                    citizen_name=name,
                    allow_overlap=True,
                    **fields,
                )
            )

        maria = await book(10, 30, "Maria Schneider", topic="Weiterbewilligung Bürgergeld")
        jonas = await book(10, 40, "Jonas Becker", duration_min=20, topic="Eingliederung")
        ahmet = await book(
            10,
            45,
            "Ahmet Yılmaz",
            duration_min=45,
            topic="Bewerbungsunterlagen besprechen",
            guests=[GuestIn(name="Leyla Demir", role=Role.INTERPRETER)],
        )
        people["maria"] = _Citizen(http, base, maria.citizen.link)
        people["jonas"] = _Citizen(http, base, jonas.citizen.link)
        people["ahmet"] = _Citizen(http, base, ahmet.citizen.link)
        people["leyla"] = _Citizen(http, base, ahmet.participants[1].link)
        for person in people.values():
            await person.consent()
        await people["maria"].device_check(**_check("green"))
        await people["jonas"].device_check(
            **_check(
                "red",
                browser="Samsung Internet 27",
                os="Android 12",
                device_type="phone",
                upload_kbps=180,
                download_kbps=900,
                rtt_ms=640,
                camera="denied",
            )
        )
        await people["ahmet"].device_check(
            **_check(
                "yellow",
                browser="Chrome 141",
                os="macOS 15",
                upload_kbps=850,
                download_kbps=6200,
                rtt_ms=180,
                speaker="untested",
            )
        )
        window = console_window(
            client,
            runner,
            connection=_tr("Lokaler Dienst"),
            clock=clock,
            chime=ChimePlayer(),
            notifier=Notifier(),
        )
        window.resize(1480, 900)
        window.show()
        page = window.waiting_room
        await _wait(lambda: window.room.online)
        for name, (hour, minute) in (
            ("maria", (10, 27)),
            ("jonas", (10, 36)),
            ("ahmet", (10, 40)),
            ("leyla", (10, 41)),
        ):
            clock.set(_at(day, hour, minute))
            await people[name].enter()
        await _wait(lambda: page.count == 4)
        await people["jonas"].drop()
        await _wait(lambda: any(not e.online for e in page.entries()))
        clock.set(_at(day, 10, 43) + timedelta(seconds=20))
        window.show_page(page)
        page.select(page.entries()[2].participant_id)  # Ahmet Yılmaz, the yellow light
        await asyncio.sleep(0.5)
        QApplication.processEvents()
        window.grab().save(str(HERE / f"console_waiting_room{suffix}.png"))
    finally:
        if window is not None:
            window.close()
            await window.room.close()
        await runner.shutdown()
        await client.close()
        for person in people.values():
            await person.drop()
        await http.close()
        await site_runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--language", choices=["de", "en"], default="de")
    parser.add_argument(
        "--only", choices=["all", "waiting-room"], default="all", help="which pictures to take"
    )
    args = parser.parse_args()
    HERE.mkdir(parents=True, exist_ok=True)
    settings = Settings(console={"language": args.language})
    create_application(settings)
    day = _next_weekday(datetime.now(BERLIN).date())
    suffix = "" if args.language == "de" else "_en"
    with tempfile.TemporaryDirectory() as tmp:
        if args.only == "all":
            qasync.run(_shoot(Path(tmp) / "service", day, suffix, args.language))
        qasync.run(_shoot_waiting_room(Path(tmp) / "room", day, suffix, args.language))


if __name__ == "__main__":
    main()
