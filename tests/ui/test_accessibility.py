"""Every page and dialog of the console, walked as a screen-reader user would meet it.

The walk (:func:`advisor_app.ui.accessibility.audit`) fails on an interactive widget without
an accessible name, an entry without a label, or a widget Tab does not reach and no key
operates. Pages and dialogs are built as the other console tests build them, offscreen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor, QKeySequence, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from advisor_app.client.call_media import CallMedia
from advisor_app.client.preflight import ProblemKind, ServerProblem
from advisor_app.client.service_client import ServiceClient
from advisor_app.core.protocol import TeamMemberOut
from advisor_app.ui.accessibility import (
    Problem,
    accessible_name,
    announcements,
    audit,
    key_text,
)
from advisor_app.ui.dialogs.appointment_dialog import AppointmentDialog
from advisor_app.ui.dialogs.colleague_dialog import HandOverDialog, substitution_dialog
from advisor_app.ui.dialogs.id_check import IdCheckDialog
from advisor_app.ui.dialogs.note_dialog import NoteDialog
from advisor_app.ui.dialogs.send_away_dialog import SendAwayDialog
from advisor_app.ui.dialogs.share_picker import SharePicker
from advisor_app.ui.dialogs.sign_in import SignInDialog
from advisor_app.ui.dialogs.start_problem import StartProblemBox
from advisor_app.ui.dialogs.team_members import TeamMembersDialog
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.style import apply_style
from advisor_app.ui.tasks import TaskRunner
from advisor_app.ui.team_directory import TeamDirectory
from advisor_app.ui.widgets.chat_panel import ChatPanel
from advisor_app.ui.widgets.navigation import Navigation
from tests.helpers.console_window import RecordingChime, RecordingNotifier
from tests.helpers.ui import (
    Days,
    MakeSchedule,
    appointment,
    close_calls,
    console_window,
    run,
    wait_until,
)

pytestmark = [pytest.mark.gui, pytest.mark.integration]


COLLEAGUES = [
    TeamMemberOut(advisor_id=2, display_name="Bernd Kollege", lead=False, state="free"),
    TeamMemberOut(advisor_id=3, display_name="Carla Neu", lead=False, state="absent"),
]


def _report(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in problems)


@pytest.fixture
def window(
    loop: asyncio.AbstractEventLoop, qtbot: QtBot, runner: TaskRunner, client: ServiceClient
) -> MainWindow:
    win = console_window(
        client, runner, chime=RecordingChime(), notifier=RecordingNotifier(), media=CallMedia
    )
    qtbot.addWidget(win, before_close_func=lambda w: close_calls(loop, w))
    win.resize(1400, 860)
    win.show()
    return win


def test_every_page_of_the_main_window_is_named_labelled_and_reachable(
    window: MainWindow,
) -> None:
    assert window.call is not None
    problems: list[Problem] = []
    for index in range(window.pages.count()):
        window.pages.setCurrentIndex(index)
        problems += audit(window)
    # the call page's controls, too (its entry is hidden outside a call)
    window.pages.setCurrentWidget(window.call)
    problems += audit(window)
    unique = list({(id(p.widget), p.what): p for p in problems}.values())
    assert not unique, "\n" + _report(unique)


def _dialogs(client: ServiceClient, runner: TaskRunner) -> list[tuple[str, Callable[[], QWidget]]]:
    problem = ServerProblem(ProblemKind.UNREACHABLE, "Der Termindienst ist nicht erreichbar.", "-")
    return [
        ("Neuer Termin", lambda: AppointmentDialog(day=date(2031, 3, 4))),
        ("Nachricht", lambda: NoteDialog("Erika Mustermann")),
        ("Wegschicken", lambda: SendAwayDialog("Erika Mustermann")),
        ("Anmelden", lambda: SignInDialog(client, runner, username="anna")),
        ("Startproblem", lambda: StartProblemBox(problem)),
        ("Bildschirm teilen", lambda: SharePicker()),
        (
            "Ausweis prüfen",
            lambda: IdCheckDialog(lambda: None, "Erika Mustermann", lambda _o: None),
        ),
        ("Übergeben", lambda: HandOverDialog("Erika Mustermann", COLLEAGUES)),
        (
            "Vertretung",
            lambda: substitution_dialog(
                "Vertretung", "An wen?", "Link und Code bleiben.", "Übergeben", COLLEAGUES
            ),
        ),
        ("Team verwalten", lambda: TeamMembersDialog(TeamDirectory(client, runner))),
    ]


def test_every_dialog_is_named_labelled_and_reachable(
    window: MainWindow, qtbot: QtBot, client: ServiceClient, runner: TaskRunner
) -> None:
    problems: list[str] = []
    made = [*_dialogs(client, runner), ("Tastenkürzel", window.shortcuts_dialog)]
    for title, make in made:
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        problems += [f"{title}: {p}" for p in audit(dialog)]
        assert dialog.windowTitle(), title
        dialog.close()
    assert not problems, "\n" + "\n".join(problems)


def test_the_walk_names_the_widget_that_misses_a_name_label_or_route(qtbot: QtBot) -> None:
    """The check itself: a straggler is reported with its class and objectName/text."""
    page = QWidget()
    qtbot.addWidget(page)
    entry = QLineEdit(page)
    entry.setObjectName("topicEntry")
    entry.setPlaceholderText("z. B. Weiterbewilligung")
    mouse_only = QPushButton("Drucken", page)
    mouse_only.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    icon_only = QPushButton(page)
    icon_only.setObjectName("gear")
    problems = [str(p) for p in audit(page)]
    assert any("QLineEdit#topicEntry" in p and "label" in p for p in problems), problems
    assert any("'Drucken'" in p and "keyboard route" in p for p in problems), problems
    assert any("QPushButton#gear" in p and "no accessible name" in p for p in problems), problems
    # with a label, a name and Tab, the same widgets pass
    label = QLabel("&Thema", page)
    label.setBuddy(entry)
    mouse_only.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    icon_only.setAccessibleName("Einstellungen")
    assert audit(page) == []


# --- keyboard ------------------------------------------------------------------------------


def test_pages_by_ctrl_number_arrow_keys_and_tab(window: MainWindow, qtbot: QtBot) -> None:
    assert window.outbox is not None and window.statistics is not None
    assert window.schedule is not None and window.devices is not None
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.outbox
    QTest.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.statistics
    # the call's entry is hidden outside a call: Ctrl+3 leaves the page as it is
    QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.statistics
    # the navigation takes the focus and arrow keys switch pages (skipping the hidden one)
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    nav = window.navigation
    nav.setFocus()
    assert nav.hasFocus()
    QTest.keyClick(nav, Qt.Key.Key_Down)
    assert window.pages.currentWidget() is window.waiting_room
    QTest.keyClick(nav, Qt.Key.Key_Down)
    assert window.pages.currentWidget() is window.outbox
    # the tooltips say the shortcut; the help lists every one
    item = nav.item_for(window.outbox)
    assert item is not None and "Strg+4" in item.toolTip()
    help_dialog = window.shortcuts_dialog()
    qtbot.addWidget(help_dialog)
    text = help_dialog.text()
    for keys in ("Strg+1", "Strg+6", "F1", "Strg+Umschalt+O", "Strg+Umschalt+H", "Esc"):
        assert keys in text, keys
    # Tab from the navigation goes into the page
    QTest.keyClick(nav, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused is not None and window.outbox.isAncestorOf(focused), focused


def test_screen_reader_selection_of_a_navigation_entry_switches_the_page(
    window: MainWindow,
) -> None:
    """AT-SPI's selection and the item's own action go through the accessible interface."""
    nav = window.navigation
    iface = QAccessible.queryAccessibleInterface(nav)
    assert iface is not None
    assert accessible_name(nav) == "Seiten"
    cells = {}
    for i in range(iface.childCount()):
        child = iface.child(i)
        if child is not None:
            cells[child.text(QAccessible.Text.Name).split(",")[0]] = child
    assert {"Termine", "Wartezimmer", "Postausgang", "Statistik"} <= set(cells), cells
    selection = iface.selectionInterface()
    assert selection is not None
    selection.select(cells["Postausgang"])
    wait_until(lambda: window.pages.currentWidget() is window.outbox, message="selection")
    action = cells["Statistik"].actionInterface()
    assert action is not None and action.actionNames(), "the entry has an action"
    action.doAction(action.actionNames()[0])
    wait_until(lambda: window.pages.currentWidget() is window.statistics, message="action")


def test_f1_opens_the_shortcut_help_and_escape_closes_it(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_F1)
    wait_until(lambda: isinstance(QApplication.activeModalWidget(), QDialog), message="help")
    dialog = QApplication.activeModalWidget()
    assert dialog is not None and dialog.windowTitle() == "Tastenkürzel"
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    wait_until(lambda: not dialog.isVisible(), message="Esc")


def test_call_controls_have_shortcuts_shown_in_their_tooltips(window: MainWindow) -> None:
    call = window.call
    assert call is not None
    keys = {action.shortcut().toString(): action for action in window.actions()}
    for button, wanted in (
        (call.camera_button, "Ctrl+Shift+O"),
        (call.microphone_button, "Ctrl+Shift+M"),
        (call.share_button, "Ctrl+Shift+E"),
        (call.end_button, "Ctrl+Shift+H"),
    ):
        assert wanted in keys, wanted
        assert key_text(QKeySequence(wanted)) in button.toolTip(), button.toolTip()
    assert key_text(QKeySequence("Ctrl+Shift+O")) == "Strg+Umschalt+O"


# --- names of items ------------------------------------------------------------------------


def test_navigation_badge_and_pages_read_as_words(qtbot: QtBot) -> None:
    nav = Navigation()
    qtbot.addWidget(nav)
    page = QWidget()
    nav.add_page("Wartezimmer", page)
    nav.set_badge(page, 2, attention=True)
    item = nav.item_for(page)
    assert item is not None
    assert item.data(Qt.ItemDataRole.AccessibleTextRole) == "Wartezimmer, 2 warten, neu"
    nav.set_badge(page, 1)
    assert item.data(Qt.ItemDataRole.AccessibleTextRole) == "Wartezimmer, 1 wartet"


def test_chat_messages_are_list_items_and_links_open_by_keyboard(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        "advisor_app.ui.widgets.chat_panel.QDesktopServices.openUrl",
        lambda url: opened.append(url.toString()) or True,
    )
    chat = ChatPanel()
    qtbot.addWidget(chat)
    chat.show()
    said: list[str] = []
    announcements().said.connect(lambda text, _a: said.append(text))
    at = datetime(2026, 12, 7, 9, 46, tzinfo=UTC)
    chat.add("Sie", "Guten Tag", at, mine=True)
    chat.add("Erika Mustermann", "Hier: https://www.arbeitsagentur.de und <b>x</b>", at, mine=False)
    history = chat.history
    assert accessible_name(history) == "Chatverlauf"
    texts = [history.item(i).data(Qt.ItemDataRole.AccessibleTextRole) for i in range(2)]
    assert texts[1] == (
        "Erika Mustermann, 10:46: Hier: https://www.arbeitsagentur.de und <b>x</b>, 1 Link"
    )
    # a new message from the other side is announced, the own one is not
    assert said == [
        "Chatnachricht von Erika Mustermann: Hier: https://www.arbeitsagentur.de und <b>x</b>"
    ]
    history.setFocus()
    history.setCurrentRow(1)
    QTest.keyClick(history, Qt.Key.Key_Return)
    assert opened == ["https://www.arbeitsagentur.de"]
    history.setCurrentRow(0)
    QTest.keyClick(history, Qt.Key.Key_Return)
    assert opened == ["https://www.arbeitsagentur.de"]  # no link in that message


# --- seeing and hearing -------------------------------------------------------------------


def _high_contrast() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#000000"),
        (QPalette.ColorRole.Base, "#000000"),
        (QPalette.ColorRole.AlternateBase, "#101010"),
        (QPalette.ColorRole.Text, "#ffffff"),
        (QPalette.ColorRole.WindowText, "#ffffff"),
        (QPalette.ColorRole.Button, "#000000"),
        (QPalette.ColorRole.ButtonText, "#ffffff"),
        (QPalette.ColorRole.Highlight, "#ffff00"),
        (QPalette.ColorRole.HighlightedText, "#000000"),
        (QPalette.ColorRole.PlaceholderText, "#c0c0c0"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.fixture
def system_colours(qapp: QApplication) -> Iterator[None]:
    """The system asks for high contrast: white on black (as Windows' "Nachtschwarz")."""
    saved = qapp.palette()
    qapp.setPalette(_high_contrast())
    apply_style(qapp, system_colours=True)
    yield
    qapp.setPalette(saved)
    apply_style(qapp, system_colours=False)


def test_rows_read_as_sentences_and_keep_the_system_colours(
    loop: asyncio.AbstractEventLoop,
    system_colours: None,
    make_schedule: MakeSchedule,
    client: ServiceClient,
    days: Days,
    tmp_path: Path,
) -> None:
    day = days.take()
    run(
        loop,
        client.create_appointment(
            appointment(day, 9, 45, name="Erika Mustermann", topic="Bewerbung")
        ),
    )
    page = make_schedule()
    page.select_day(day)
    wait_until(lambda: page.list.topLevelItemCount() == 1, message="the row")
    item = page.list.topLevelItem(0)
    assert item is not None
    sentence = item.data(0, Qt.ItemDataRole.AccessibleTextRole)
    assert sentence.startswith("09:45, 30 Min., Erika Mustermann, Bewerbung, Einladung: "), sentence
    # white text on black, as the system asked: the row's name is drawn in the palette's text
    page.list.clearSelection()
    shot = page.list.grab()
    shot.save(str(tmp_path / "high_contrast_row.png"))
    rect = page.list.visualItemRect(item)
    image = shot.toImage()
    colours = {
        image.pixelColor(x, y).lightness()
        for x in range(rect.left() + 8, rect.right(), 2)
        for y in range(rect.top() + 2, rect.bottom(), 2)
    }
    assert max(colours) > 200 and min(colours) < 40, sorted(colours)  # white text, black row


def test_waiting_rows_read_as_a_sentence() -> None:
    from datetime import timedelta

    from advisor_app.core.domain import Role
    from advisor_app.core.protocol import WaitingEntry
    from advisor_app.ui.widgets.waiting_list import Column, WaitingModel

    now = datetime(2026, 12, 7, 8, 49, tzinfo=UTC)
    entry = WaitingEntry.model_validate(
        {
            "participant_id": 7,
            "appointment_id": 3,
            "name": "Erika Mustermann",
            "role": Role.CITIZEN,
            "starts_at": now - timedelta(minutes=3),
            "duration_min": 30,
            "waiting_since": now - timedelta(minutes=3),
            "online": True,
            "device_check": None,
        }
    )
    model = WaitingModel(now)
    model.upsert(entry)
    sentence = model.index(0, Column.WHEN).data(Qt.ItemDataRole.AccessibleTextRole)
    assert sentence == "09:46, Erika Mustermann, wartet seit 3 Minuten, Technik nicht geprüft"


def test_arrivals_are_announced_but_not_during_a_call(qtbot: QtBot) -> None:
    from advisor_app.core.domain import Role
    from advisor_app.core.protocol import WaitingEntry
    from advisor_app.ui.alerts import ArrivalAlerts
    from tests.helpers.console_window import RecordingChime, RecordingNotifier

    shown = QWidget()
    qtbot.addWidget(shown)
    shown.show()
    in_call = False
    alerts = ArrivalAlerts(RecordingChime(), RecordingNotifier(), in_session=lambda: in_call)
    now = datetime(2026, 12, 7, 8, 46, tzinfo=UTC)
    entry = WaitingEntry.model_validate(
        {
            "participant_id": 8,
            "appointment_id": 4,
            "name": "Leyla Demir",
            "role": Role.CITIZEN,
            "starts_at": now,
            "duration_min": 30,
            "waiting_since": now,
            "online": True,
            "device_check": None,
        }
    )
    said: list[str] = []
    announcements().said.connect(lambda text, _a: said.append(text))
    alerts.announce([entry])
    assert said == ["Leyla Demir ist im Wartezimmer. Termin um 09:46 Uhr"]
    in_call = True
    alerts.announce([entry])
    assert len(said) == 1  # silent during the call, as the chime and the notification


def test_the_id_checks_hint_is_announced_once_it_holds(qtbot: QtBot) -> None:
    """A hint that flickers while the card moves is not read out; a steady one is, once."""
    from advisor_app.ui.accessibility import SteadyAnnouncer

    shown = QWidget()
    qtbot.addWidget(shown)
    said: list[str] = []
    announcements().said.connect(lambda text, _a: said.append(text))
    hints = SteadyAnnouncer(shown, steady=3)
    for text in ("Näher heran", "Ruhig halten", "Näher heran", "Ruhig halten"):
        hints.heard(text)
    assert said == []
    for _ in range(6):
        hints.heard("Ruhig halten")
    assert said == ["Ruhig halten"]
