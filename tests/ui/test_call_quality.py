"""The call page's connection label names what the advisor sees and why.

A citizen (the web app's socket) is admitted into a call on the real console; the call's
quality readings reach the page through the call controller's signal, as the link's
statistics do every two seconds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from advisor_app.client.service_client import ServiceClient
from advisor_app.core.call_quality import ConsoleLoad, QualitySample
from tests.helpers.citizens import Citizen, book
from tests.helpers.console_window import (
    Console,
    _chime_on,  # noqa: F401 - autouse: the chime is on
    admit,
)
from tests.helpers.ui import run, wait_until

pytestmark = [pytest.mark.gui]


def test_two_frames_a_second_on_a_busy_console_show_poor_and_the_busy_computer(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    console: Console,
    client: ServiceClient,
    citizens: Callable[[str, str], Citizen],
) -> None:
    appointment = run(loop, book(client, "Erika Mustermann"))
    participant = appointment.participants[0]
    person = citizens(client.base_url, participant.link)
    run(loop, person.consent())
    run(loop, person.enter())
    admit(loop, qtbot, console, person, "Erika Mustermann")
    call = console.window.call
    controller = console.window.call_controller
    assert call is not None and controller is not None

    busy = ConsoleLoad(lag_ms=420.0, cpu_pct=98.0, load_per_core=5.0)
    controller.quality_changed.emit(
        participant.id, QualitySample(40.0, 0.0, 120.0, 1400.0, 1.8, True, 0, busy)
    )
    wait_until(lambda: "Verbindung: schlecht" in call.quality_text)
    assert "Ihr Computer ist ausgelastet" in call.quality_text
    assert "Bild 2 fps" in call.quality_text

    # The load eases, the picture is back: good, and no reason is given.
    idle = ConsoleLoad(lag_ms=3.0, cpu_pct=35.0, load_per_core=0.4)
    controller.quality_changed.emit(
        participant.id, QualitySample(40.0, 0.0, 1500.0, 1400.0, 29.7, True, 0, idle)
    )
    wait_until(lambda: "Verbindung: gut" in call.quality_text)
    assert "ausgelastet" not in call.quality_text
