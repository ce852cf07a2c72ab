"""Statistik: the page shows the real figures of a real service, switches period, exports.

The service is a child process of its own with a fresh database. Two earlier weeks are written
into that database beforehand with the service's own repository (the past cannot be lived
through in a test); the current week holds a real call through the waiting room: consent,
enter, admitted, ended, the survey answered, the console's call report.
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import aiohttp
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from advisor_app.client.embedded import EmbeddedService
from advisor_app.client.service_client import ServiceClient
from advisor_app.core.clock import SystemClock
from advisor_app.core.domain import BERLIN
from advisor_app.core.protocol import CallReportIn, QualitySeconds
from advisor_app.core.statistics_periods import segment_of
from advisor_app.storage.db import create_engine, migrate, session_factory
from advisor_app.storage.repositories import StatsRepo
from advisor_app.ui.pages.statistics import StatisticsPage
from advisor_app.ui.tasks import TaskRunner
from tests.helpers.citizens import Citizen, book
from tests.helpers.screenshots import shot
from tests.helpers.ui import run, start_embedded_service, stop_embedded_service, wait_until

pytestmark = [pytest.mark.gui, pytest.mark.integration]

TODAY = SystemClock().now().astimezone(BERLIN).date()
TWO_WEEKS_AGO = TODAY - timedelta(days=14)
LAST_WEEK = TODAY - timedelta(days=7)


async def _seed(database: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        await migrate(engine)
        async with session_factory(engine)() as session:
            repo = StatsRepo(session)
            older, last = segment_of(TWO_WEEKS_AGO), segment_of(LAST_WEEK)
            for segment, metric, count, total in (
                (older, "held", 4, 0.0),
                (older, "no_show", 1, 0.0),
                (older, "duration", 4, 4 * 25 * 60.0),
                (older, "quality.good", 0, 3000.0),
                (older, "quality.poor", 0, 1000.0),
                (last, "held", 2, 0.0),
                (last, "no_show", 3, 0.0),
                (last, "duration", 2, 2 * 35 * 60.0),
                (last, "survey.responses", 2, 0.0),
                (last, "survey.satisfaction.5", 1, 0.0),
                (last, "survey.satisfaction.3", 1, 0.0),
                (last, "survey.use_again.yes", 1, 0.0),
                (last, "survey.use_again.no", 1, 0.0),
            ):
                await repo.add(segment, metric, count, total)
            await session.commit()
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def stats_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedService]:
    data = tmp_path_factory.mktemp("statistics-service")
    asyncio.run(_seed(data / "advisor.db"))
    service = start_embedded_service(data)
    yield service
    stop_embedded_service(service)


async def _real_call(service: EmbeddedService, api: ServiceClient) -> None:
    """Clara Beispiel is admitted, the advisor ends the call, she answers the survey."""
    appt = await book(api, "Clara Beispiel")
    citizen = Citizen(service.url, appt.citizen.link)
    async with aiohttp.ClientSession() as http:
        advisor = await http.ws_connect(service.url.replace("http", "ws", 1) + "/ws/advisor")
        await advisor.send_json({"type": "hello", "token": service.token})
        try:
            await citizen.consent()
            await citizen.enter()
            while (frame := await advisor.receive_json(timeout=10))["type"] != "arrived":
                pass
            pid = frame["entry"]["participant_id"]
            await advisor.send_json({"type": "admit", "participant_id": pid})
            assert (await citizen.receive("state"))["phase"] == "admitted"
            await advisor.send_json({"type": "end_call", "participant_id": pid})
            ticket = (await citizen.receive("survey"))["ticket"]
            async with http.post(
                f"{service.url}/api/survey", json={"ticket": ticket, "satisfaction": 4}
            ) as resp:
                assert resp.status == 200, await resp.text()
            reply = await api.report_call(
                CallReportIn(
                    participant_ids=[pid],
                    duration_s=10 * 60,
                    quality_s=QualitySeconds(good=500, fair=100),
                )
            )
            assert reply.appointments == 1
        finally:
            await advisor.close()
            await citizen.drop()
            await citizen.close()


def _month_sum(months: dict[str, int], day: date, value: int) -> None:
    key = segment_of(day).month
    months[key] = months.get(key, 0) + value


def test_the_statistics_page_shows_exports_and_switches_the_real_figures(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    stats_service: EmbeddedService,
    runner: TaskRunner,
    tmp_path: Path,
) -> None:
    api = ServiceClient(stats_service.url, token=stats_service.token)
    try:
        run(loop, _real_call(stats_service, api))
        page = StatisticsPage(api, runner)
        qtbot.addWidget(page)
        page.resize(1320, 860)
        page.show()
        wait_until(lambda: len(page.figures) == 12, message="weeks loaded")

        current = page.figures[-1]
        assert current.starts_on == TODAY - timedelta(days=TODAY.weekday())
        held = page.appointments_chart.series[0]
        no_show = page.appointments_chart.series[1]
        assert (held.name, no_show.name) == ("durchgeführt", "nicht erschienen")
        assert held.values[-3:] == [4.0, 2.0, 1.0]
        assert no_show.values[-3:] == [1.0, 3.0, 0.0]
        assert page.duration_chart.series[0].values[-3:] == [25.0, 35.0, 10.0]
        good, fair, poor = page.quality_chart.series
        assert good.values[-3] == 75.0 and poor.values[-3] == 25.0
        assert round(good.values[-1] or 0, 1) == 83.3 and round(fair.values[-1] or 0, 1) == 16.7
        assert good.values[-2] is None  # no call report that week: no quality shown
        assert page.survey_chart.series[0].values[-3:] == [None, 4.0, 4.0]
        label = f"KW {current.starts_on.isocalendar()[1]}"
        assert page.appointments_chart.categories[-1] == label
        assert page.summary.text() == (
            "Gezeigter Zeitraum: 7 Termine durchgeführt, 4 nicht erschienen, "
            "3 Antworten in der Umfrage. 50 % würden wieder einen Termin per Video wahrnehmen."
        )
        assert page.png_button.isEnabled() and page.csv_button.isEnabled()
        # Nothing personal anywhere on the page.
        texts = " ".join(w.text() for w in page.findChildren(QLabel))
        assert "Clara" not in texts and "Beispiel" not in texts
        page.grab().save(shot("statistics.png"))

        # Export: the charts as a PNG for a slide, the figures as CSV for German Excel.
        picture = tmp_path / "statistik.png"
        assert page.export_png(picture)
        image = QImage(str(picture))
        assert image.width() == page.charts.width() * 2
        assert image.pixelColor(5, 5).name() == "#ffffff"
        table = tmp_path / "statistik.csv"
        page.export_csv(table)
        raw = table.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the umlauts
        rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
        assert rows[0][:5] == [
            "Zeitraum",
            "Beginn",
            "Termine durchgeführt",
            "Nicht erschienen",
            "Durchschnittliche Dauer (Minuten)",
        ]
        assert len(rows) == 13
        year, week, _ = current.starts_on.isocalendar()
        assert rows[-1][:6] == [
            f"KW {week}/{year}",
            current.starts_on.strftime("%d.%m.%Y"),
            "1",
            "0",
            "10,0",
            "83,3",
        ]
        assert rows[-2][2:5] == ["2", "3", "35,0"]
        assert rows[-2][8:12] == ["2", "4,00", "", "1"]
        assert "Clara" not in raw.decode("utf-8-sig")

        # Month: the same figures summed per calendar month (Berlin).
        qtbot.mouseClick(page.month_button, Qt.MouseButton.LeftButton)
        wait_until(lambda: page.figures[-1].key == segment_of(TODAY).month, message="months")
        assert page.month_button.isChecked() and not page.week_button.isChecked()
        expected: dict[str, int] = {}
        for day, value in ((TWO_WEEKS_AGO, 4), (LAST_WEEK, 2), (TODAY, 1)):
            _month_sum(expected, day, value)
        shown = {f.key: f.held for f in page.figures if f.held}
        assert shown == expected
        months = [
            "Jan",
            "Feb",
            "Mär",
            "Apr",
            "Mai",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Okt",
            "Nov",
            "Dez",
        ]
        assert page.appointments_chart.categories[-1] == f"{months[TODAY.month - 1]} {TODAY.year}"
    finally:
        run(loop, api.close())


def test_a_service_that_cannot_be_reached_is_said_plainly(
    loop: asyncio.AbstractEventLoop, qtbot: QtBot, runner: TaskRunner
) -> None:
    api = ServiceClient("http://127.0.0.1:9", token="x" * 43)
    try:
        page = StatisticsPage(api, runner)
        qtbot.addWidget(page)
        page.show()
        wait_until(lambda: bool(page.message_bar.text), timeout=15)
        assert page.message_bar.text.startswith("Die Statistik konnte nicht geladen werden:")
        assert not page.png_button.isEnabled() and not page.csv_button.isEnabled()
        assert not page.appointments_chart.has_data
    finally:
        run(loop, api.close())
