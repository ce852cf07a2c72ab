"""A running call that is interrupted or ends from the other side, as the advisor sees it.

The whole main window against the real embedded service; the participants are Chromium in
child processes (``CallingCitizen``). A network drop of a participant's browser (Playwright's
``set_offline``, as DevTools' "Offline") must leave the call page live again within seconds
of the network's return; a revocation and a normal hang-up read as what they are, never as
an error.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from advisor_app.client.peer import PeerState
from advisor_app.client.service_client import ServiceClient
from advisor_app.core.domain import Role
from advisor_app.core.protocol import GuestIn, PeriodFigures, SocketError
from advisor_app.core.statistics_periods import PeriodKind
from advisor_app.ui.pages.call import CallPage, RemoteTile
from advisor_app.ui.widgets.message_bar import Level
from tests.helpers.citizens import book
from tests.helpers.console_window import CallingCitizen, Console
from tests.helpers.screenshots import shot
from tests.helpers.ui import run, wait_until

pytestmark = [pytest.mark.gui, pytest.mark.e2e]

#: How long a participant's browser stays offline.
OFFLINE_MS = 10_000
#: Within this many seconds of the network's return the call page is live again.
BACK_WITHIN_S = 5.0


def admit(qtbot: QtBot, desk: Console, person: CallingCitizen, name: str) -> RemoteTile:
    """Press "Einlassen" for ``name``; their tile once the page says it is in the call."""
    window = desk.window
    window.show_page(desk.page)
    pid = desk.entry(name).participant_id
    desk.select(name)
    qtbot.mouseClick(desk.page.detail.admit_button, Qt.MouseButton.LeftButton)
    person.expect("connected")
    call = window.call
    assert call is not None
    tile = call.tile(pid)
    assert tile is not None
    return tile


def refusals(desk: Console) -> list[SocketError]:
    """Every refusal the service sends the console from now on."""
    seen: list[SocketError] = []
    assert desk.window.room is not None
    desk.window.room.event_received.connect(
        lambda event: seen.append(event) if isinstance(event, SocketError) else None
    )
    return seen


def call_page_live(call: CallPage, tiles: list[RemoteTile]) -> bool:
    """Every tile connected with its picture drawn, chat and ID check usable."""
    return (
        all(
            t.state is PeerState.CONNECTED and t.status_text == "" and t.video.showing_video
            for t in tiles
        )
        and call.chat.send_button.isEnabled()
        and call.chat.input.isEnabled()
        and call.id_button.isEnabled()
        and "unterbrochen" not in call.quality_text
    )


def describe(call: CallPage, tiles: list[RemoteTile]) -> str:
    return (
        f"{[(t.entry.name, t.status_text, t.video.showing_video) for t in tiles]} "
        f"chat {call.chat.send_button.isEnabled()} ID check {call.id_button.isEnabled()} "
        f"{call.quality_text}"
    )


def test_a_network_drop_of_the_citizen_and_of_a_guest_leaves_the_call_page_live(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    calling_console: Console,
    client: ServiceClient,
    request: pytest.FixtureRequest,
) -> None:
    desk = calling_console
    appointment = run(
        loop,
        book(
            client, "Nora Netz", guests=[GuestIn(name="Ahmad Dolmetscher", role=Role.INTERPRETER)]
        ),
    )
    people: list[tuple[CallingCitizen, RemoteTile]] = []
    for participant in appointment.participants:
        person = CallingCitizen(participant.link)
        request.addfinalizer(person.stop)
        person.expect("waiting")
        people.append((person, admit(qtbot, desk, person, participant.name)))
    call = desk.window.call
    assert call is not None
    tiles = [tile for _, tile in people]
    try:
        wait_until(lambda: call_page_live(call, tiles), timeout=60)
    except AssertionError as exc:
        raise AssertionError(f"not live: {describe(call, tiles)}") from exc

    # Both browsers drop at once (each one's drop is the same for the console; together the
    # call is younger, which keeps a busy machine's unrelated renegotiations out of the way).
    for person, _ in people:
        assert person.ask("offline") == "offline"
    QTest.qWait(OFFLINE_MS)  # the drop lasts this long; the console's loop keeps turning
    for person, _ in people:
        assert person.ask("online") == "online"
    back = time.monotonic()
    try:
        wait_until(lambda: call_page_live(call, tiles), timeout=BACK_WITHIN_S)
    except AssertionError as exc:
        raise AssertionError(f"after the drop: {describe(call, tiles)}") from exc
    assert time.monotonic() - back < BACK_WITHIN_S
    for person, tile in people:
        # The picture moves (not a frozen last frame), and the page is back in the call.
        drawn = tile.video.frames_drawn
        wait_until(lambda t=tile, d=drawn: t.video.frames_drawn > d + 10, timeout=20)
        assert person.ask("expect-live") == "live"
    call.chat.input.setPlainText("Sind Sie wieder da?")
    qtbot.mouseClick(call.chat.send_button, Qt.MouseButton.LeftButton)
    for person, _ in people:
        assert person.ask("expect-chat:Sind Sie wieder da?") == "chat seen"
    desk.window.grab().save(shot("console_call_after_network_drop.png"))


def week(loop: asyncio.AbstractEventLoop, client: ServiceClient) -> PeriodFigures:
    return run(loop, client.statistics(PeriodKind.WEEK, 1)).periods[-1]


@pytest.mark.parametrize(
    ("command", "answer", "text"),
    [
        (
            "revoke",
            "revoked",
            "Erika Mustermann hat die Einwilligung widerrufen. "
            "Ihre Daten zu diesem Termin wurden gelöscht.",
        ),
        ("hangup", "ended", "Erika Mustermann hat das Gespräch beendet."),
    ],
    ids=["revocation", "hang-up"],
)
def test_the_citizen_ending_the_call_reads_as_what_happened_never_as_an_error(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    calling_console: Console,
    client: ServiceClient,
    request: pytest.FixtureRequest,
    command: str,
    answer: str,
    text: str,
) -> None:
    desk = calling_console
    window = desk.window
    before = week(loop, client)
    appointment = run(loop, book(client, "Erika Mustermann"))
    person = CallingCitizen(appointment.citizen.link)
    request.addfinalizer(person.stop)
    person.expect("waiting")
    tile = admit(qtbot, desk, person, "Erika Mustermann")
    call = window.call
    assert call is not None
    wait_until(lambda: call_page_live(call, [tile]), timeout=60, message="call live")
    refused = refusals(desk)

    assert person.ask(command) == answer
    wait_until(lambda: not window.in_session, timeout=15, message="call ended")
    assert window.pages.currentWidget() is desk.page
    bar = desk.page.message_bar
    try:
        wait_until(lambda: bar.text == text, timeout=10)
    except AssertionError as exc:
        raise AssertionError(f"the advisor reads {bar.text!r} ({bar.level})") from exc
    assert bar.level is Level.INFO
    # The console has said all it had to say about this call when its report is in; no
    # refusal of the service came meanwhile, and the advisor still reads what happened.
    wait_until(lambda: week(loop, client).held == before.held + 1, timeout=20)
    assert refused == []
    assert bar.text == text and bar.level is Level.INFO
    window.grab().save(shot(f"console_after_{command}.png"))
