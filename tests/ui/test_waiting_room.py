"""The waiting room page against the real service, with citizens as WebSocket clients.

Every test books appointments that start in two minutes (their room is open now), lets
simulated citizens consent, report a device check and enter, and looks at what the advisor
sees: the list, the detail panel, the badge, the call page, chime and notification requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import queue
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from advisor_app.client.call_media import CallMedia
from advisor_app.client.embedded import EmbeddedService
from advisor_app.client.service_client import ServiceClient
from advisor_app.core.domain import Role
from advisor_app.core.protocol import GuestIn
from advisor_app.ui.dialogs.note_dialog import NoteDialog
from advisor_app.ui.dialogs.send_away_dialog import SendAwayDialog
from advisor_app.ui.dialogs.sign_in import SignInDialog
from advisor_app.ui.labels import clock_text
from advisor_app.ui.tasks import TaskRunner
from advisor_app.ui.widgets.waiting_list import Column
from tests.helpers.citizen_browser import citizen_journey
from tests.helpers.citizens import Citizen, book
from tests.helpers.console_window import (
    PASSWORD,
    Console,
    RecordingChime,
    RecordingNotifier,
    _chime_on,  # noqa: F401 - autouse: the chime is on
)
from tests.helpers.processes import Serve, child_env, free_port
from tests.helpers.ui import add_advisor, console_window, run, wait_until

pytestmark = [pytest.mark.gui, pytest.mark.integration]


@pytest.fixture
def waiting(
    loop: asyncio.AbstractEventLoop,
    client: ServiceClient,
    citizens: Callable[[str, str], Citizen],
) -> Callable[..., Citizen]:
    """Book, consent, optionally check devices, enter: a citizen in the waiting room."""

    def make(name: str, *, check: dict[str, object] | None = None, enter: bool = True) -> Citizen:
        appointment = run(loop, book(client, name))
        citizen = citizens(client.base_url, appointment.citizen.link)
        run(loop, citizen.consent())
        if check is not None:
            run(loop, citizen.device_check(**check))
        if enter:
            run(loop, citizen.enter())
        return citizen

    return make


# --- arrival ---------------------------------------------------------------------------------


def test_arrival_is_listed_with_time_and_light_and_announced(
    loop: asyncio.AbstractEventLoop, console: Console, waiting: Callable[..., Citizen]
) -> None:
    waiting("Paula Ankunft", check={"verdict": "green"})
    row = console.row("Paula Ankunft")
    entry = console.entry("Paula Ankunft")
    time = clock_text(entry.starts_at)
    assert row[Column.WHEN] == f"{time}\n30 Min."
    assert row[Column.WAITING] == "seit < 1 Min."
    assert row[Column.CHECK] == "in Ordnung"
    assert row[Column.CONNECTION] == "verbunden"
    assert console.chime.played == 1
    assert console.notifier.messages == [
        ("Paula Ankunft ist im Wartezimmer", f"Termin um {time} Uhr")
    ]
    count, attention = console.window.waiting_badge()
    assert count == console.page.count >= 1
    assert not attention  # the advisor is looking at the waiting room
    assert console.page.summary.text().endswith(("wartet", "warten"))

    console.select("Paula Ankunft")
    texts = console.page.detail.texts()
    assert "Paula Ankunft" in texts
    assert "verbunden" in " ".join(texts)
    assert any(t.startswith("erteilt am ") for t in texts)
    assert "Firefox 140" in texts
    assert "9,5 Mbit/s" in texts  # upload, in German number format


def test_list_is_sorted_by_appointment_time_and_guests_show_their_role(
    loop: asyncio.AbstractEventLoop,
    console: Console,
    client: ServiceClient,
    citizens: Callable[[str, str], Citizen],
) -> None:
    later = run(loop, book(client, "Zoe Später", in_minutes=4))
    sooner = run(
        loop,
        book(
            client,
            "Anton Früher",
            in_minutes=1,
            guests=[GuestIn(name="Dana Dolmetsch", role=Role.INTERPRETER)],
        ),
    )
    for link in (later.citizen.link, sooner.participants[1].link, sooner.citizen.link):
        citizen = citizens(client.base_url, link)
        run(loop, citizen.consent())
        run(loop, citizen.enter())
    console.row("Anton Früher")
    assert console.row("Dana Dolmetsch")[Column.PERSON] == "Dana Dolmetsch\nDolmetschen"
    assert console.row("Dana Dolmetsch")[Column.CHECK] == "nicht geprüft"
    names = [r[Column.PERSON].split("\n")[0] for r in console.page.list.row_texts()]
    ours = [n for n in names if n in ("Zoe Später", "Anton Früher", "Dana Dolmetsch")]
    assert ours[-1] == "Zoe Später"  # the later appointment comes last, though it came first
    assert console.chime.played == 3
    assert console.notifier.messages[1][0] == "Dana Dolmetsch (Dolmetschen) ist im Wartezimmer"


def test_muted_chime_still_notifies(
    loop: asyncio.AbstractEventLoop, console: Console, waiting: Callable[..., Citizen]
) -> None:
    console.page.chime_box.setChecked(False)
    waiting("Mia Leise")
    console.row("Mia Leise")
    assert console.chime.played == 0
    assert console.notifier.messages == [
        ("Mia Leise ist im Wartezimmer", console.notifier.messages[0][1])
    ]


# --- live changes ----------------------------------------------------------------------------


def test_device_check_update_changes_the_light_and_the_details(
    loop: asyncio.AbstractEventLoop, console: Console, waiting: Callable[..., Citizen]
) -> None:
    citizen = waiting("Theo Technik")
    assert console.row("Theo Technik")[Column.CHECK] == "nicht geprüft"
    console.select("Theo Technik")
    run(
        loop,
        citizen.device_check(
            verdict="red",
            browser="Samsung Internet 27",
            os="Android 12",
            device_type="phone",
            upload_kbps=180,
            rtt_ms=640,
            camera="denied",
        ),
    )
    wait_until(lambda: console.row("Theo Technik")[Column.CHECK] == "Probleme")
    page = console.page
    row = page._model.row_of(console.entry("Theo Technik").participant_id)
    tooltip = str(page._model.index(row, Column.CHECK).data(Qt.ItemDataRole.ToolTipRole))
    assert "Samsung Internet 27" in tooltip
    assert "640 ms" in tooltip
    texts = page.detail.texts()
    for expected in ("Android 12", "Smartphone", "180 kbit/s", "640 ms", "nicht freigegeben"):
        assert expected in texts, expected


def test_dropped_connection_shows_interrupted_until_the_citizen_is_back(
    loop: asyncio.AbstractEventLoop, console: Console, waiting: Callable[..., Citizen]
) -> None:
    citizen = waiting("Olga Offline")
    console.row("Olga Offline")
    run(loop, citizen.drop())
    wait_until(lambda: console.row("Olga Offline")[Column.CONNECTION] == "Verbindung unterbrochen")
    assert run(loop, citizen.connect()) == "waiting"  # reload: back without a new "enter"
    wait_until(lambda: console.row("Olga Offline")[Column.CONNECTION] == "verbunden")
    assert console.chime.played == 1  # coming back is no new arrival


# --- actions ---------------------------------------------------------------------------------


def test_admit_opens_the_call_page_and_arrivals_during_the_call_only_change_the_badge(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    console: Console,
    waiting: Callable[..., Citizen],
) -> None:
    citizen = waiting("Erika Einlass")
    console.select("Erika Einlass")
    qtbot.mouseClick(console.page.detail.admit_button, Qt.MouseButton.LeftButton)
    assert run(loop, citizen.receive("state"))["phase"] == "admitted"
    window = console.window
    wait_until(lambda: window.pages.currentWidget() is window.call, message="call page")
    assert window.in_session
    assert window.call is not None
    assert "Erika Einlass" in window.call.texts()[1]
    assert "Gespräch" in window.navigation_labels()
    console.gone("Erika Einlass")
    before = console.page.count

    waiting("Bruno Besuch")
    console.row("Bruno Besuch")
    assert console.chime.played == 1  # only Erika's arrival was chimed
    assert len(console.notifier.messages) == 1
    assert window.waiting_badge() == (before + 1, True)  # the badge asks for attention
    window.show_page(console.page)
    console.select("Bruno Besuch")  # another appointment cannot join the running call
    assert not console.page.detail.admit_button.isEnabled()
    assert console.page.detail.action_hint.text().startswith("Beenden Sie zuerst")
    window.show_page(window.call)

    qtbot.mouseClick(window.call.end_button, Qt.MouseButton.LeftButton)
    assert not window.in_session
    assert window.pages.currentWidget() is window.waiting_room
    assert "Gespräch" not in window.navigation_labels()
    assert window.waiting_badge() == (console.page.count, False)  # seen now
    assert console.page.detail.admit_button.isEnabled()
    # The service has the call as ended (else the next console would find Erika admitted
    # to a call it does not know, and list her as waiting again).
    assert run(loop, citizen.receive("state"))["phase"] == "ended"


def test_ready_made_and_own_notes_reach_the_citizen(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    console: Console,
    waiting: Callable[..., Citizen],
) -> None:
    citizen = waiting("Nora Nachricht")
    console.select("Nora Nachricht")
    detail = console.page.detail
    actions = detail.note_menu.actions()
    assert [a.text() for a in actions[:3]] == [
        "Ich komme in wenigen Minuten.",
        "Bitte haben Sie noch etwas Geduld.",
        "Ich bin gleich für Sie da.",
    ]
    actions[0].trigger()
    assert run(loop, citizen.receive("note"))["text"] == "Ich komme in wenigen Minuten."
    wait_until(
        lambda: console.page.message_bar.text == "Die Nachricht an Nora Nachricht ist gesendet."
    )

    actions[-1].trigger()  # "Eigene Nachricht…"
    dialog = console.page.findChild(NoteDialog)
    assert isinstance(dialog, NoteDialog)
    assert not dialog.send_button.isEnabled()
    dialog.editor.setPlainText("x" * 600)
    assert len(dialog.editor.text()) == 500  # protocol.MAX_NOTE_LENGTH
    assert dialog.counter.text() == "500 von 500 Zeichen"
    dialog.editor.setPlainText("Ihr Dolmetscher ist gleich da.")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert run(loop, citizen.receive("note"))["text"] == "Ihr Dolmetscher ist gleich da."


def test_send_away_with_a_reason_after_confirmation(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    console: Console,
    waiting: Callable[..., Citizen],
) -> None:
    citizen = waiting("Willi Weg")
    console.select("Willi Weg")
    qtbot.mouseClick(console.page.detail.send_away_button, Qt.MouseButton.LeftButton)
    dialog = console.page.findChild(SendAwayDialog)
    assert isinstance(dialog, SendAwayDialog)
    assert dialog.reason.startswith("Das Gespräch muss leider verschoben werden.")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)  # changed my mind
    console.row("Willi Weg")

    qtbot.mouseClick(console.page.detail.send_away_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: console.page.findChild(SendAwayDialog) not in (None, dialog))
    dialog = console.page.findChild(SendAwayDialog)
    assert isinstance(dialog, SendAwayDialog)
    dialog.custom.setPlainText("Bitte rufen Sie uns unter 0511 123 an.")
    assert dialog.custom_button.isChecked()
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    state = run(loop, citizen.receive("state"))
    assert state == {
        "type": "state",
        "phase": "sent_away",
        "reason": "Bitte rufen Sie uns unter 0511 123 an.",
    }
    console.gone("Willi Weg")
    wait_until(lambda: console.page.message_bar.text == "Willi Weg wurde weggeschickt.")


def test_revoked_consent_removes_the_person_and_says_so(
    loop: asyncio.AbstractEventLoop, console: Console, waiting: Callable[..., Citizen]
) -> None:
    citizen = waiting("Rita Widerruf")
    console.select("Rita Widerruf")
    run(loop, citizen.revoke())
    console.gone("Rita Widerruf")
    said = "Rita Widerruf hat die Einwilligung widerrufen. "
    said += "Ihre Daten zu diesem Termin wurden gelöscht."
    wait_until(lambda: console.page.message_bar.text == said)
    assert console.page.detail.entry is None


def test_a_refusal_of_the_service_is_shown_in_the_message_bar(
    loop: asyncio.AbstractEventLoop, console: Console
) -> None:
    assert console.window.room is not None
    console.window.room.admit(987_654)  # nobody waits under this number
    wait_until(
        lambda: console.page.message_bar.text == "Diese Person ist nicht (mehr) im Wartezimmer."
    )


def test_empty_waiting_room_says_so(
    loop: asyncio.AbstractEventLoop, console: Console, waiting: Callable[..., Citizen]
) -> None:
    citizen = waiting("Lena Leer")
    console.row("Lena Leer")
    run(loop, citizen.close())  # she leaves the room
    console.gone("Lena Leer")
    wait_until(lambda: console.page.message_bar.text == "Lena Leer hat das Wartezimmer verlassen.")
    assert console.page.views.tabBar().isHidden()  # a team of one: no "Team" view
    if console.page.count == 0:
        assert console.page.list_stack.currentIndex() == 0
        assert console.page.empty_title.text() == "Zurzeit wartet niemand."
        assert console.page.summary.text() == "Niemand wartet"


# --- the connection ----------------------------------------------------------------------------


def test_arrivals_while_the_console_was_offline_are_announced_after_the_resync(
    loop: asyncio.AbstractEventLoop, console: Console, waiting: Callable[..., Citizen]
) -> None:
    room = console.window.room
    assert room is not None
    run(loop, room.close())
    wait_until(lambda: not room.online)
    waiting("Greta Zwischendurch")
    room.start()
    assert console.row("Greta Zwischendurch")[Column.CONNECTION] == "verbunden"
    assert console.page.connection_text() == "Live verbunden"
    assert console.chime.played == 1
    assert console.notifier.messages[0][0] == "Greta Zwischendurch ist im Wartezimmer"


def test_a_refused_token_asks_for_the_password_and_the_room_comes_back(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    runner: TaskRunner,
    service: EmbeddedService,
) -> None:
    add_advisor(service.log_path.parent, "wilma", "Wilma Warte", PASSWORD)
    api = ServiceClient(service.url, token="abgelaufen-" + "z" * 30)
    try:
        window = console_window(
            api,
            runner,
            advisor_name="Wilma Warte",
            connection=service.url,
            can_sign_in=True,
            chime=RecordingChime(),
            notifier=RecordingNotifier(),
            media=CallMedia,
        )
        qtbot.addWidget(window)
        window.show()
        page = window.waiting_room
        wait_until(lambda: window.findChild(SignInDialog) is not None, message="asked")
        dialog = window.findChild(SignInDialog)
        assert isinstance(dialog, SignInDialog)
        assert page.connection_text() != "Live verbunden"
        dialog.username.setText("wilma")
        dialog.password.setText(PASSWORD)
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        wait_until(lambda: page.connection_text() == "Live verbunden", message="room back")
        assert window.findChild(SignInDialog) is None
    finally:
        run(loop, api.close())


def test_service_restart_shows_reconnecting_and_recovers(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    runner: TaskRunner,
    tmp_path: Path,
    citizens: Callable[[str, str], Citizen],
) -> None:
    """A real ``serve`` process dies and is started again on the same port."""
    port = free_port()
    token = "lokales-token-" + "y" * 20
    env = child_env(ADVISOR_EMBEDDED_TOKEN=token)
    args = ["serve", "--port", str(port), "--data-dir", str(tmp_path / "data")]
    chime, notifier = RecordingChime(), RecordingNotifier()
    api: ServiceClient | None = None
    try:
        with Serve(args, cwd=tmp_path, env=env) as first:
            url = run(loop, asyncio.to_thread(first.wait_ready))
            api = ServiceClient(url, token=token)
            window = console_window(api, runner, chime=chime, notifier=notifier, media=CallMedia)
            qtbot.addWidget(window)
            window.show()
            page = window.waiting_room
            wait_until(lambda: page.connection_text() == "Live verbunden")
            appointment = run(loop, book(api, "Karl Kontinuität"))
            run(loop, asyncio.to_thread(first.stop, signal.SIGKILL))  # a crash
        wait_until(
            lambda: page.connection_text() == "Verbindung unterbrochen – wird wiederhergestellt…"
        )
        with Serve(args, cwd=tmp_path, env=env) as second:
            run(loop, asyncio.to_thread(second.wait_ready))
            wait_until(lambda: page.connection_text() == "Live verbunden", timeout=20)
            citizen = citizens(url, appointment.citizen.link)
            run(loop, citizen.consent())
            run(loop, citizen.enter())
            wait_until(lambda: [e.name for e in page.entries()] == ["Karl Kontinuität"])
            assert chime.played == 1
            run(loop, citizen.close())
            assert window.room is not None
            run(loop, window.room.close())
            run(loop, asyncio.to_thread(second.stop))
    finally:
        if api is not None:
            run(loop, api.close())


class BrowserCitizen:
    """Debian's Chromium as the citizen, driven by Playwright in a child process.

    The console's loop is Qt's (qasync) in this process; the browser gets its own process and
    loop (a thread here crashed in the garbage collector). Steps come back on a queue.
    """

    def __init__(self, url: str) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.reached: multiprocessing.Queue[str] = ctx.Queue()
        self.process = ctx.Process(
            target=citizen_journey, args=(url, self.reached), name="citizen-browser"
        )
        self.process.start()

    def expect(self, step: str) -> None:
        got = ""
        deadline = time.monotonic() + 60
        while not got and time.monotonic() < deadline:
            QTest.qWait(50)  # keep the console's loop turning while the browser works
            with contextlib.suppress(queue.Empty):
                got = self.reached.get_nowait()
        assert got == step, got or f"the browser did not reach {step!r}"

    def stop(self) -> None:
        self.process.join(timeout=20)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


@pytest.mark.e2e  # the citizen is Debian's Chromium
def test_a_citizen_in_chromium_is_admitted_from_the_console(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    console: Console,
    client: ServiceClient,
    request: pytest.FixtureRequest,
) -> None:
    """The whole way: personal link in Chromium, consent, device check, waiting room, admission."""
    appt = run(loop, book(client, "Clara Chromium"))
    browser = BrowserCitizen(appt.citizen.link)
    request.addfinalizer(browser.stop)
    browser.expect("verdict green")
    browser.expect("waiting")
    console.row("Clara Chromium")
    entry = console.entry("Clara Chromium")
    assert entry.device_check is not None and entry.device_check.verdict.value == "green"
    assert entry.device_check.browser.startswith("Chrome")
    assert console.chime.played == 1
    when = clock_text(appt.starts_at)
    assert console.notifier.messages == [
        ("Clara Chromium ist im Wartezimmer", f"Termin um {when} Uhr")
    ]
    console.select("Clara Chromium")
    qtbot.mouseClick(console.page.detail.admit_button, Qt.MouseButton.LeftButton)
    browser.expect("admitted")
    window = console.window
    wait_until(lambda: window.pages.currentWidget() is window.call, message="call page")
    assert window.call is not None and "Clara Chromium" in window.call.texts()[1]
    browser.expect("closed without script errors")
