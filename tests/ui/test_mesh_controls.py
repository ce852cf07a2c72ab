"""The console's controls for a group call: guests admitted into the running call, four at
most, "Zurück ins Wartezimmer" and "Entfernen" (after a question) on a guest's tile.

The participants are the citizen web app's sockets (``tests/helpers/citizens.py``) against the
real embedded service; the pictures are tested end to end in ``tests/e2e/test_mesh_call.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from advisor_app.client.service_client import ServiceClient
from advisor_app.core.domain import Role
from advisor_app.core.protocol import GuestIn
from tests.helpers.citizens import Citizen, book
from tests.helpers.console_window import (
    CallingCitizen,
    Console,
    _chime_on,  # noqa: F401 - autouse: the chime is on
    admit,
)
from tests.helpers.screenshots import shot
from tests.helpers.ui import run, wait_until

pytestmark = [pytest.mark.gui]  # the second test is also e2e (Chromium)

GUESTS = [
    GuestIn(name="Ahmad Dolmetscher", role=Role.INTERPRETER),
    GuestIn(name="Rita Recht", role=Role.LEGAL_REPRESENTATIVE),
    GuestIn(name="Sven Beistand", role=Role.SUPPORT_PERSON),
]


def confirm_box(desk: Console) -> QMessageBox:
    assert desk.window.call is not None
    wait_until(lambda: desk.window.call is not None and desk.window.call.confirm is not None)
    box = desk.window.call.confirm
    assert box is not None and box.isVisible()
    return box


def test_guests_join_the_call_four_at_most_then_back_to_waiting_and_removed(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    console: Console,
    client: ServiceClient,
    citizens: Callable[[str, str], Citizen],
) -> None:
    appointment = run(loop, book(client, "Erika Mustermann", guests=GUESTS))
    people: dict[str, Citizen] = {}
    ids: dict[str, int] = {}
    for participant in appointment.participants:
        person = citizens(client.base_url, participant.link)
        run(loop, person.consent())
        run(loop, person.enter())
        people[participant.name] = person
        ids[participant.name] = participant.id
        console.row(participant.name)  # listed with their role

    for name in ("Erika Mustermann", "Ahmad Dolmetscher", "Rita Recht"):
        admit(loop, qtbot, console, people[name], name)
    call = console.window.call
    assert call is not None
    # Every tile says who it is; only guests have the two buttons.
    erika = call.tile(ids["Erika Mustermann"])
    ahmad = call.tile(ids["Ahmad Dolmetscher"])
    rita = call.tile(ids["Rita Recht"])
    assert erika is not None and ahmad is not None and rita is not None
    assert erika.caption.text() == "Erika Mustermann · Bürgerin/Bürger"
    assert ahmad.caption.text() == "Ahmad Dolmetscher · Dolmetschen"
    assert rita.caption.text() == "Rita Recht · gesetzliche Vertretung"
    assert not erika.back_button.isVisibleTo(call) and not erika.remove_button.isVisibleTo(call)
    assert ahmad.back_button.isVisibleTo(call) and ahmad.remove_button.isVisibleTo(call)

    # The console with three people is four: a fifth is refused, and the page says why.
    console.window.show_page(console.page)
    console.select("Sven Beistand")
    qtbot.mouseClick(console.page.detail.admit_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: "schon 4 Personen" in console.page.message_bar.text)
    console.row("Sven Beistand")  # still waiting, nothing lost
    console.window.show_page(call)

    # "Zurück ins Wartezimmer": waiting again, the tile goes, the waiting room lists them.
    qtbot.mouseClick(ahmad.back_button, Qt.MouseButton.LeftButton)
    assert run(loop, people["Ahmad Dolmetscher"].receive("state"))["phase"] == "waiting"
    wait_until(lambda: call.tile(ids["Ahmad Dolmetscher"]) is None)
    console.row("Ahmad Dolmetscher")
    assert "Ahmad Dolmetscher wartet wieder im Wartezimmer." in call.messages.text

    # "Entfernen" asks first; "Abbrechen" changes nothing.
    qtbot.mouseClick(rita.remove_button, Qt.MouseButton.LeftButton)
    box = confirm_box(console)
    assert "Rita Recht (gesetzliche Vertretung)" in box.text()
    cancel = next(b for b in box.buttons() if b.text() == "Abbrechen")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    wait_until(lambda: call.confirm is None)
    assert call.tile(ids["Rita Recht"]) is rita
    # Confirmed: Rita's page shows that the advisor ended her participation; Erika stays.
    qtbot.mouseClick(rita.remove_button, Qt.MouseButton.LeftButton)
    box = confirm_box(console)
    remove = next(b for b in box.buttons() if b.text() == "Entfernen")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    state = run(loop, people["Rita Recht"].receive("state"))
    assert (state["phase"], state["reason"]) == ("ended", "removed")
    wait_until(lambda: call.tile(ids["Rita Recht"]) is None)
    assert call.tile(ids["Erika Mustermann"]) is erika
    assert console.window.in_session

    # With room again, the waiting guests come in (the refusal did not stick).
    admit(loop, qtbot, console, people["Sven Beistand"], "Sven Beistand")
    admit(loop, qtbot, console, people["Ahmad Dolmetscher"], "Ahmad Dolmetscher")
    assert [p.name for p in call.participants] == [
        "Erika Mustermann",
        "Sven Beistand",
        "Ahmad Dolmetscher",
    ]


@pytest.mark.e2e
def test_the_call_page_with_two_chromium_participants_shows_both_pictures(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    calling_console: Console,
    client: ServiceClient,
    request: pytest.FixtureRequest,
) -> None:
    desk = calling_console
    window = desk.window
    appointment = run(
        loop,
        book(
            client,
            "Clara Chromium",
            guests=[GuestIn(name="Ahmad Dolmetscher", role=Role.INTERPRETER)],
        ),
    )
    tiles = []
    for participant in appointment.participants:
        person = CallingCitizen(participant.link)
        request.addfinalizer(person.stop)
        person.expect("waiting")
        window.show_page(desk.page)
        desk.select(participant.name)
        qtbot.mouseClick(desk.page.detail.admit_button, Qt.MouseButton.LeftButton)
        person.expect("connected")
        call = window.call
        assert call is not None
        tile = call.tile(participant.id)
        assert tile is not None
        tiles.append(tile)
    # Both pictures are drawn, each under its name and role.
    for tile in tiles:
        wait_until(lambda t=tile: t.video.showing_video and t.video.frames_drawn > 10, timeout=20)
    assert [t.caption.text() for t in tiles] == [
        "Clara Chromium · Bürgerin/Bürger",
        "Ahmad Dolmetscher · Dolmetschen",
    ]
    window.grab().save(shot("three-party-console.png"))
