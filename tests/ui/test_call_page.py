"""The console's call page with a real peer: Chromium as the citizen, in a child process.

The console is the whole main window against the real embedded service; its camera is a
generated test picture and its microphone a tone (there are no devices here).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from advisor_app.client.service_client import ServiceClient
from advisor_app.core.protocol import PeriodFigures
from advisor_app.core.statistics_periods import PeriodKind
from advisor_app.ui.pages.call import RemoteTile
from advisor_app.ui.tasks import TaskRunner
from benchmarks.idcheck_synth import id_card, make_view
from tests.helpers.citizen_browser import write_y4m
from tests.helpers.citizens import book
from tests.helpers.console_call import GeneratedMedia
from tests.helpers.console_window import (
    CallingCitizen,
    Console,
    RecordingChime,
    RecordingNotifier,
)
from tests.helpers.processes import Serve, child_env, free_port
from tests.helpers.screenshots import shot
from tests.helpers.ui import close_calls, console_window, run, wait_until

pytestmark = [pytest.mark.gui, pytest.mark.e2e]


def test_a_call_with_chromium_on_the_call_page(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    calling_console: Console,
    client: ServiceClient,
    request: pytest.FixtureRequest,
) -> None:
    console = calling_console
    window = console.window
    before = run(loop, client.statistics(PeriodKind.WEEK, 1)).periods[-1]
    appt = run(loop, book(client, "Clara Chromium"))
    citizen = CallingCitizen(appt.citizen.link)
    request.addfinalizer(citizen.stop)
    citizen.expect("waiting")
    console.select("Clara Chromium")
    pid = console.entry("Clara Chromium").participant_id
    qtbot.mouseClick(console.page.detail.admit_button, Qt.MouseButton.LeftButton)
    citizen.expect("connected")
    call = window.call
    assert call is not None and window.pages.currentWidget() is call

    # The citizen's picture is drawn large, the own picture small, both toggles say "an".
    tile = call.tile(pid)
    assert tile is not None
    wait_until(lambda: tile.video.showing_video and tile.video.frames_drawn > 10, timeout=20)
    assert tile.status_text == ""
    assert "Clara Chromium" in tile.caption.text()
    wait_until(lambda: call.preview.showing_video, message="own preview")
    assert call.camera_button.text() == "Kamera: an" and call.camera_button.isChecked()
    assert call.microphone_button.text() == "Mikrofon: an"

    # The citizen mutes the microphone: the tile says so, until it is on again.
    assert not tile.muted_label.isVisible()
    assert citizen.ask("toggle-microphone") == "toggled"
    wait_until(tile.muted_label.isVisible, message="muted microphone shown")
    assert tile.muted_label.text() == "Mikrofon stumm"
    if directory := os.environ.get("SCREENSHOT_DIR"):
        window.grab().save(str(Path(directory) / "call_citizen_muted.png"))
    assert citizen.ask("toggle-microphone") == "toggled"
    wait_until(lambda: not tile.muted_label.isVisible(), message="microphone on again")
    # A judged label with its figures; "gut" only where this machine decodes 20 fps or more
    # (the label judges the picture that arrives: tests/unit/test_quality.py).
    judged = ("Verbindung: gut", "Verbindung: mittel", "Verbindung: schlecht")
    try:
        wait_until(lambda: any(j in call.quality_text for j in judged), timeout=20)
    except AssertionError as exc:
        raise AssertionError(call.quality_text) from exc
    assert "ms" in call.quality_text and "Mbit/s" in call.quality_text
    assert "fps" in call.quality_text
    wait_until(lambda: call.timer_label.text().startswith("Dauer: 0:00:0"))

    # The page sees and hears the console (which starts lower and steps up to 720p).
    wait_until(lambda: citizen.report()["width"] == 1280, timeout=20, message="720p")
    got = citizen.report()
    assert (got["width"], got["height"]) == (1280, 720), got
    assert got["frames"] > 10 and got["audioDb"] > -30, got

    # Chat both ways; the advisor's text reaches the page, the citizen's shows on the console.
    call.chat.input.setPlainText(
        "Guten Tag, Frau Chromium! <b>Unterlagen</b>: https://www.arbeitsagentur.de"
    )
    qtbot.mouseClick(call.chat.send_button, Qt.MouseButton.LeftButton)
    assert citizen.ask("expect-chat:Guten Tag, Frau Chromium") == "chat seen"
    assert citizen.ask("chat:Hallo, ich sehe Sie!") == "sent"
    wait_until(lambda: call.chat.count == 2, message="citizen's chat line")
    said = call.chat.messages()
    assert said[1].startswith("Clara Chromium, ") and said[1].endswith(": Hallo, ich sehe Sie!")
    # plain text, never markup; the address counts as a link that Enter opens
    assert "<b>Unterlagen</b>: https://www.arbeitsagentur.de, 1 Link" in said[0]

    window.grab().save(shot("console_call.png"))
    assert citizen.ask("screenshot") == "screenshot"

    # "Nur Ton": the camera stays open but is not sent; both sides say so in plain words.
    assert call.audio_only_button.accessibleName() == "Nur Ton: Kamerabild nicht senden"
    qtbot.mouseClick(call.audio_only_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: "Nur Ton" in citizen.report()["videoPaused"], timeout=10)
    wait_until(lambda: call.pause_label.isVisible(), message="pause note")
    assert "der Ton läuft weiter" in call.pause_label.text()
    qtbot.mouseClick(call.audio_only_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: citizen.report()["videoPaused"] == "", timeout=10)
    wait_until(lambda: not call.pause_label.isVisible(), message="pause note gone")

    # Camera off: released, the button says so, the page shows "Kamera ist ausgeschaltet".
    qtbot.mouseClick(call.camera_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: call.camera_button.text() == "Kamera: aus")
    controller = window.call_controller
    assert controller is not None and controller.session is not None
    assert controller.session.camera is None
    wait_until(lambda: citizen.report()["remoteCameraOff"], timeout=10)
    qtbot.mouseClick(call.microphone_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: call.microphone_button.text() == "Mikrofon: stumm")

    # The citizen hangs up: the console ends the call by itself and is back at the waiting room.
    session = controller.session
    link = session.links[pid]
    assert citizen.ask("hangup") == "ended"
    wait_until(lambda: not window.in_session, timeout=15, message="call ended")
    assert window.pages.currentWidget() is window.waiting_room
    wait_until(lambda: link.connection is None and not session.links)
    assert controller.session is None and session.closed
    assert call.chat.count == 0  # the chat is gone with the call
    citizen.stop()
    assert citizen.answer() == "closed without script errors"

    # The statistics got the call: one more held, and its seconds by quality reported (which
    # label they carry depends on this machine's load: "gut" needs 20 fps decoded).
    def week() -> PeriodFigures:
        return run(loop, client.statistics(PeriodKind.WEEK, 1)).periods[-1]

    def judged_s(figures: PeriodFigures) -> float:
        q = figures.quality_s
        return q.good + q.fair + q.poor

    wait_until(lambda: judged_s(week()) > judged_s(before), message="call report")
    assert week().held == before.held + 1


def test_the_id_check_in_a_call_with_a_card_held_to_chromiums_camera(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    calling_console: Console,
    client: ServiceClient,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    """Chromium's camera is a generated identity card held still: the console's dialog finds
    it in the received video, captures the front by itself, the page shows the instructions,
    and only the outcome is stored with the appointment."""
    rng = random.Random(7)
    card = id_card(rng, "front")
    views = [make_view(rng, "good", card).frame] * 30  # one second, held still
    camera = write_y4m(tmp_path / "card.y4m", views)
    console = calling_console
    window = console.window
    appt = run(loop, book(client, "Ida Ausweis"))
    citizen = CallingCitizen(appt.citizen.link, camera)
    request.addfinalizer(citizen.stop)
    citizen.expect("waiting")
    console.select("Ida Ausweis")
    qtbot.mouseClick(console.page.detail.admit_button, Qt.MouseButton.LeftButton)
    citizen.expect("connected")
    call = window.call
    assert call is not None
    wait_until(lambda: call.id_button.isEnabled(), message="ID check button")
    # As on a weak uplink, the citizen's camera gives up resolution for frame rate ...
    assert citizen.ask("set-preference:balanced") == "preference set"
    assert citizen.ask("expect-preference:balanced") == "preference seen"
    qtbot.mouseClick(call.id_button, Qt.MouseButton.LeftButton)
    dialog = call.id_dialog
    assert dialog is not None
    assert citizen.ask("expect-idcheck:Vorderseite in die Kamera") == "idcheck seen"
    # ... and keeps its resolution again while the document is checked.
    assert citizen.ask("expect-preference:maintain-resolution") == "preference seen"
    # The card in the received 1280×720 video is found and the front captured automatically.
    wait_until(lambda: dialog.step == "back", timeout=30, message=dialog.hint_label.text())
    assert "front" in dialog.stills
    assert citizen.ask("expect-idcheck:Rückseite") == "idcheck seen"
    dialog.grab().save(shot("idcheck_in_call.png"))
    assert citizen.ask("screenshot:citizen_idcheck") == "screenshot"
    qtbot.mouseClick(dialog.verified_button, Qt.MouseButton.LeftButton)
    assert citizen.ask("expect-idcheck:") == "idcheck seen"  # the overlay is gone
    wait_until(lambda: call.messages.text == "Festgehalten: Identität geprüft.")
    stored = run(loop, client.get_appointment(appt.id))
    assert stored.identity is not None
    assert stored.identity.outcome.value == "verified"
    assert dialog.stills == {}  # wiped


def test_a_reload_of_the_citizens_page_comes_back_into_the_same_tile(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    calling_console: Console,
    client: ServiceClient,
    request: pytest.FixtureRequest,
) -> None:
    console = calling_console
    window = console.window
    appt = run(loop, book(client, "Rudi Reload"))
    citizen = CallingCitizen(appt.citizen.link)
    request.addfinalizer(citizen.stop)
    citizen.expect("waiting")
    console.select("Rudi Reload")
    pid = console.entry("Rudi Reload").participant_id
    qtbot.mouseClick(console.page.detail.admit_button, Qt.MouseButton.LeftButton)
    citizen.expect("connected")
    call = window.call
    assert call is not None
    tile = call.tile(pid)
    assert tile is not None
    wait_until(lambda: tile.video.showing_video and tile.video.frames_drawn > 10, timeout=20)
    controller = window.call_controller
    assert controller is not None and controller.session is not None
    old_pc = controller.session.links[pid].connection
    assert old_pc is not None
    arrivals = len(console.notifier.messages)

    # The citizen reloads: back in the call by itself, in the same tile, no admission.
    assert citizen.ask("reload") == "connected"
    link = controller.session.links[pid]
    wait_until(lambda: link.connection is not old_pc and tile.status_text == "", timeout=15)
    assert old_pc.connectionState == "closed"
    drawn = tile.video.frames_drawn
    wait_until(lambda: tile.video.showing_video and tile.video.frames_drawn > drawn + 10)
    assert call.tile(pid) is tile
    assert len(call.stage.findChildren(RemoteTile)) == 1
    assert window.in_session and window.pages.currentWidget() is call
    assert len(console.notifier.messages) == arrivals  # nobody "arrived" in the waiting room
    # the new connection starts below 720p and steps up (a LAN: seconds)
    wait_until(lambda: citizen.report()["width"] == 1280, timeout=20, message="720p")
    got = citizen.report()
    assert (got["width"], got["height"]) == (1280, 720), got
    assert got["frames"] > 10, got
    window.grab().save(shot("console_call_after_reload.png"))


def test_a_service_restart_during_the_call_brings_the_citizen_back_to_the_waiting_room(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    runner: TaskRunner,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    """A real ``serve`` dies during the call and starts again on the same port and data."""
    port = free_port()
    token = "lokales-token-" + "w" * 20
    env = child_env(ADVISOR_EMBEDDED_TOKEN=token)
    args = ["serve", "--port", str(port), "--data-dir", str(tmp_path / "data")]
    chime, notifier = RecordingChime(), RecordingNotifier()
    api: ServiceClient | None = None
    try:
        with Serve(args, cwd=tmp_path, env=env) as first:
            url = run(loop, asyncio.to_thread(first.wait_ready))
            api = ServiceClient(url, token=token)
            window = console_window(
                api, runner, chime=chime, notifier=notifier, media=GeneratedMedia
            )
            qtbot.addWidget(window, before_close_func=lambda w: close_calls(loop, w))
            window.resize(1400, 860)
            window.show()
            page = window.waiting_room
            wait_until(lambda: page.connection_text() == "Live verbunden")
            appt = run(loop, book(api, "Wanda Wiederkehr"))
            citizen = CallingCitizen(appt.citizen.link)
            request.addfinalizer(citizen.stop)
            citizen.expect("waiting")
            console = Console(window, chime, notifier)
            console.select("Wanda Wiederkehr")
            qtbot.mouseClick(page.detail.admit_button, Qt.MouseButton.LeftButton)
            citizen.expect("connected")
            assert window.in_session
            run(loop, asyncio.to_thread(first.stop, signal.SIGKILL))
        with Serve(args, cwd=tmp_path, env=env) as second:
            run(loop, asyncio.to_thread(second.wait_ready))
            # The page goes back to the waiting room by itself; the console leaves the call,
            # lists her waiting again and says what happened.
            assert citizen.ask("wait-returned") == "waiting again"
            wait_until(lambda: not window.in_session, timeout=20, message="call left")
            assert window.pages.currentWidget() is page
            console.row("Wanda Wiederkehr")
            wait_until(
                lambda: (
                    page.message_bar.text
                    == "Die Verbindung im Gespräch mit Wanda Wiederkehr ist abgebrochen. Wanda "
                    "Wiederkehr wartet wieder im Wartezimmer; lassen Sie die Person erneut ein, "
                    "um weiterzusprechen."
                )
            )
            window.grab().save(shot("console_waiting_after_service_restart.png"))
            # Admitted again, the call runs again: her picture in the tile.
            pid = console.entry("Wanda Wiederkehr").participant_id
            console.select("Wanda Wiederkehr")
            qtbot.mouseClick(page.detail.admit_button, Qt.MouseButton.LeftButton)
            wait_until(lambda: window.in_session, message="call again")
            call = window.call
            assert call is not None
            tile = call.tile(pid)
            assert tile is not None
            wait_until(lambda: tile.video.frames_drawn > 10, timeout=20, message="picture")
            citizen.stop()
            assert window.room is not None
            close_calls(loop, window)
            run(loop, window.room.close())
            run(loop, asyncio.to_thread(second.stop))
    finally:
        if api is not None:
            run(loop, api.close())
