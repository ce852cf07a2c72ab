"""Teams in the console against a real embedded service: advisors of one team.

"lokal" (the embedded service's own advisor, team lead), "bernd" (Bernd Kollege) and "dora"
(Dora Dritte, never at her console) share the team "Markt"; "carla" is in no team at first.
The service admits a colleague's citizen as soon as the colleague is absent or busy
(``team_admit_grace_minutes = 0`` here). Citizens are plain WebSocket clients; the consoles
are real main windows on the service, each with its own task runner.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from advisor_app.client.call_media import CallMedia
from advisor_app.client.embedded import EmbeddedService
from advisor_app.client.service_client import ServiceClient
from advisor_app.core.clock import SystemClock
from advisor_app.core.domain import to_berlin
from advisor_app.core.protocol import TeamMemberOut, TeamWaitingEntry
from advisor_app.ui.dialogs.colleague_dialog import ColleagueDialog, HandOverDialog
from advisor_app.ui.dialogs.team_members import TeamMembersDialog
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.pages.schedule import SchedulePage
from advisor_app.ui.pages.statistics import StatisticsPage
from advisor_app.ui.tasks import TaskRunner
from advisor_app.ui.team_directory import TeamDirectory
from advisor_app.ui.widgets.team_list import Column, TeamModel, TeamPanel
from tests.helpers.citizens import Citizen, book
from tests.helpers.console_window import (
    PASSWORD,
    Console,
    RecordingChime,
    RecordingNotifier,
)
from tests.helpers.screenshots import shot
from tests.helpers.ui import (
    REFRESH_MS,
    Days,
    add_advisor,
    admin,
    appointment,
    close_calls,
    console_window,
    run,
    start_embedded_service,
    stop_embedded_service,
    wait_until,
)

pytestmark = [pytest.mark.gui, pytest.mark.integration]


@dataclass
class Team:
    service: EmbeddedService
    data_dir: Path


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Team]:
    data_dir = tmp_path_factory.mktemp("teams")
    svc = start_embedded_service(data_dir, {"ADVISOR_SERVICE__TEAM_ADMIT_GRACE_MINUTES": "0"})
    data = svc.log_path.parent
    add_advisor(data, "bernd", "Bernd Kollege", PASSWORD)
    add_advisor(data, "carla", "Carla Neu", PASSWORD)
    admin(data, "team", "add", "Markt")
    admin(data, "team", "member", "add", "Markt", "lokal", "--lead")
    admin(data, "team", "member", "add", "Markt", "bernd")
    add_advisor(data, "dora", "Dora Dritte", PASSWORD)
    admin(data, "team", "member", "add", "Markt", "dora")
    yield Team(svc, data)
    stop_embedded_service(svc)


@pytest.fixture
def lokal(loop: asyncio.AbstractEventLoop, team: Team) -> Iterator[ServiceClient]:
    api = ServiceClient(team.service.url, token=team.service.token)
    yield api
    run(loop, api.close())


def signed_in(loop: asyncio.AbstractEventLoop, team: Team, username: str) -> ServiceClient:
    api = ServiceClient(team.service.url)
    run(loop, api.login(username, PASSWORD))
    return api


@pytest.fixture
def bernd(loop: asyncio.AbstractEventLoop, team: Team) -> Iterator[ServiceClient]:
    api = signed_in(loop, team, "bernd")
    yield api
    run(loop, api.close())


@pytest.fixture
def people(loop: asyncio.AbstractEventLoop) -> Iterator[Callable[[str, str], Citizen]]:
    made: list[Citizen] = []

    def make(base_url: str, link: str) -> Citizen:
        citizen = Citizen(base_url, link)
        made.append(citizen)
        return citizen

    yield make
    for citizen in made:
        run(loop, citizen.close())


@pytest.fixture
def desk(
    loop: asyncio.AbstractEventLoop, qtbot: QtBot
) -> Iterator[Callable[[ServiceClient, str], Console]]:
    """A console window of ``client`` (the advisor named), its waiting room online. Each has
    its own task runner, as each console process does (the socket's task has one name)."""
    runners: list[TaskRunner] = []

    def make(client: ServiceClient, name: str) -> Console:
        runner = TaskRunner(loop)
        runners.append(runner)
        chime, notifier = RecordingChime(), RecordingNotifier()
        window = console_window(
            client, runner, advisor_name=name, chime=chime, notifier=notifier, media=CallMedia
        )
        qtbot.addWidget(window, before_close_func=lambda w: close_calls(loop, w))
        window.resize(1400, 860)
        window.show()
        window.show_page(window.waiting_room)
        page = window.waiting_room
        wait_until(lambda: page.connection_text() == "Live verbunden", message="room online")
        wait_until(lambda: bool(window.teams.teams.teams), message="teams known")
        return Console(window, chime, notifier)

    yield make
    for runner in runners:
        run(loop, runner.shutdown())


def waiting_for(
    loop: asyncio.AbstractEventLoop,
    client: ServiceClient,
    people: Callable[[str, str], Citizen],
    name: str,
    in_minutes: int = 2,
) -> Citizen:
    """Book with ``client``, consent, enter: a citizen waiting for that advisor."""
    booked = run(loop, book(client, name, in_minutes=in_minutes))
    citizen = people(client.base_url, booked.citizen.link)
    run(loop, citizen.consent())
    run(loop, citizen.enter())
    return citizen


def team_row(window: MainWindow, name: str) -> list[str]:
    page = window.waiting_room

    def find() -> list[str] | None:
        return next((r for r in page.team_panel.list.row_texts() if r[Column.PERSON] == name), None)

    wait_until(lambda: find() is not None, message=f"{name} in the team view")
    row = find()
    assert row is not None
    return row


def select_team(window: MainWindow, name: str) -> None:
    page = window.waiting_room
    team_row(window, name)
    entry = next(e for e in page.team_entries() if e.name == name)
    page.select_team(entry.participant_id)
    assert page.team_panel.detail.title.text() == name


# --- the team view ----------------------------------------------------------------------------


def test_a_colleague_admits_the_citizen_of_an_absent_advisor(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    lokal: ServiceClient,
    bernd: ServiceClient,
    people: Callable[[str, str], Citizen],
    desk: Callable[[ServiceClient, str], Console],
) -> None:
    mine = desk(lokal, "Anna Berger")
    page = mine.window.waiting_room
    waiting_for(loop, bernd, people, "Lena Team", in_minutes=-1)  # began a minute ago
    page.show_team()
    row = team_row(mine.window, "Lena Team")
    assert (row[Column.FOR], row[Column.STATE]) == ("Bernd Kollege", "abwesend")
    wait_until(lambda: page.views.tabText(1) == "Team (1)")
    select_team(mine.window, "Lena Team")
    detail = page.team_panel.detail
    assert "abwesend" in detail.texts()
    wait_until(detail.admit_button.isEnabled, message="may admit")
    scroll = detail.findChild(QScrollArea)
    assert scroll is not None
    wait_until(lambda: not scroll.verticalScrollBar().isVisible(), message="short detail fits")
    mine.window.grab().save(shot("console_team_view.png"))

    qtbot.mouseClick(detail.admit_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: mine.window.pages.currentWidget() is mine.window.call, message="call")
    assert [p.name for p in mine.window.call.participants] == ["Lena Team"]
    wait_until(lambda: page.team_entries() == [], message="left the team view")
    assert not page.views.tabBar().isHidden()  # Bernd is a colleague: the view stays
    me = run(loop, lokal.me())
    today = to_berlin(SystemClock().now()).date()
    moved = run(loop, lokal.appointments_between(today - timedelta(days=1), today + timedelta(2)))
    record = next(a for a in moved if a.citizen_name == "Lena Team")
    assert record.advisor_id == me.id  # the appointment now belongs to who admitted
    assert [(e.kind.value, e.actor_name) for e in record.history] == [
        ("admitted_by_colleague", me.display_name)
    ]


def test_a_present_colleague_keeps_their_citizen_until_away(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    lokal: ServiceClient,
    bernd: ServiceClient,
    people: Callable[[str, str], Citizen],
    desk: Callable[[ServiceClient, str], Console],
) -> None:
    theirs = desk(bernd, "Bernd Kollege")
    mine = desk(lokal, "Anna Berger")
    page = mine.window.waiting_room
    waiting_for(loop, bernd, people, "Otto Wartend", in_minutes=-1)
    theirs.row("Otto Wartend")
    page.show_team()
    assert team_row(mine.window, "Otto Wartend")[Column.STATE] == "frei"
    select_team(mine.window, "Otto Wartend")
    detail = page.team_panel.detail
    assert not detail.admit_button.isEnabled()  # Bernd is here: he admits himself
    assert "Bernd Kollege lässt die Person selbst ein." in detail.action_hint.text()

    # Bernd's console goes away: now the team may take over
    run(loop, theirs.window.room.close())
    wait_until(lambda: team_row(mine.window, "Otto Wartend")[Column.STATE] == "abwesend")
    wait_until(detail.admit_button.isEnabled, message="may admit once Bernd is away")


def test_the_busy_advisor_is_told_who_admitted_their_citizen(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    lokal: ServiceClient,
    bernd: ServiceClient,
    people: Callable[[str, str], Citizen],
    desk: Callable[[ServiceClient, str], Console],
) -> None:
    theirs = desk(bernd, "Bernd Kollege")
    mine = desk(lokal, "Anna Berger")
    talking = waiting_for(loop, bernd, people, "Erste Person")
    theirs.select("Erste Person")
    qtbot.mouseClick(theirs.page.detail.admit_button, Qt.MouseButton.LeftButton)
    assert run(loop, talking.receive("state"))["phase"] == "admitted"
    waiting = waiting_for(loop, bernd, people, "Zweite Person", in_minutes=-1)
    theirs.row("Zweite Person")

    page = mine.window.waiting_room
    page.show_team()
    wait_until(lambda: team_row(mine.window, "Zweite Person")[Column.STATE] == "im Gespräch")
    select_team(mine.window, "Zweite Person")
    wait_until(page.team_panel.detail.admit_button.isEnabled, message="may admit")
    qtbot.mouseClick(page.team_panel.detail.admit_button, Qt.MouseButton.LeftButton)
    assert run(loop, waiting.receive("state"))["phase"] == "admitted"
    wait_until(lambda: mine.window.pages.currentWidget() is mine.window.call, message="call")

    me = run(loop, lokal.me())
    theirs.gone("Zweite Person")
    wait_until(
        lambda: (
            theirs.page.message_bar.text
            == f"Zweite Person wurde von {me.display_name} eingelassen."
        ),
        message="Bernd is told who admitted",
    )
    assert [p.name for p in theirs.window.call.participants] == ["Erste Person"]


ALREADY_ADMITTED = (
    "Diese Person wurde schon eingelassen – an einem anderen Arbeitsplatz oder von einer "
    "Kollegin oder einem Kollegen."
)


def test_of_two_colleagues_admitting_at_once_one_gets_the_citizen_the_other_is_told(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    team: Team,
    lokal: ServiceClient,
    bernd: ServiceClient,
    people: Callable[[str, str], Citizen],
    desk: Callable[[ServiceClient, str], Console],
) -> None:
    theirs = desk(bernd, "Bernd Kollege")
    mine = desk(lokal, "Anna Berger")
    dora = signed_in(loop, team, "dora")
    try:
        waiting_for(loop, dora, people, "Rosa Rennen", in_minutes=-1)
    finally:
        run(loop, dora.close())
    for console in (mine, theirs):
        console.page.show_team()
        select_team(console.window, "Rosa Rennen")
        wait_until(console.page.team_panel.detail.admit_button.isEnabled, message="may admit")
    # both press "Einlassen" before either hears back: the service decides, once
    mine.page.team_panel.detail.admit_button.click()
    theirs.page.team_panel.detail.admit_button.click()
    windows = (mine.window, theirs.window)
    wait_until(lambda: any(w.pages.currentWidget() is w.call for w in windows), message="call")
    winner, loser = (mine, theirs) if mine.window.in_session else (theirs, mine)
    assert [p.name for p in winner.window.call.participants] == ["Rosa Rennen"]
    wait_until(
        lambda: loser.page.message_bar.text == ALREADY_ADMITTED,
        message="the other one is told (already_admitted)",
    )
    assert not loser.window.in_session
    wait_until(lambda: loser.page.team_entries() == [], message="gone from the team view")


def test_a_waiting_citizen_is_handed_over_with_a_note_only_the_colleague_reads(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    lokal: ServiceClient,
    bernd: ServiceClient,
    people: Callable[[str, str], Citizen],
    desk: Callable[[ServiceClient, str], Console],
) -> None:
    theirs = desk(bernd, "Bernd Kollege")
    mine = desk(lokal, "Anna Berger")
    citizen = waiting_for(loop, lokal, people, "Hanna Übergabe")
    mine.select("Hanna Übergabe")
    detail = mine.window.waiting_room.detail
    assert detail.hand_over_button.isVisible()
    qtbot.mouseClick(detail.hand_over_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: mine.window.findChild(HandOverDialog) is not None, message="dialog")
    dialog = mine.window.findChild(HandOverDialog)
    assert isinstance(dialog, HandOverDialog)
    # the states are loaded anew when the dialog opens: Bernd's console is connected
    wait_until(
        lambda: (
            [dialog.choices.item(i).text() for i in range(dialog.choices.count())]
            == ["Bernd Kollege – frei", "Dora Dritte – abwesend"]
        ),
        message="Bernd offered as free",
    )
    dialog.note.setPlainText("Unterlagen liegen vor, es geht um die Weiterbewilligung.")
    dialog.grab().save(shot("console_hand_over_dialog.png"))
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)

    mine.gone("Hanna Übergabe")
    wait_until(
        lambda: (
            mine.window.waiting_room.message_bar.text
            == "Hanna Übergabe wurde an Bernd Kollege übergeben."
        )
    )
    theirs.row("Hanna Übergabe")
    me = run(loop, lokal.me())
    bar = theirs.window.waiting_room.message_bar
    wait_until(lambda: "übergeben" in bar.text, message="told")
    assert bar.text == (
        f"{me.display_name} hat Ihnen Hanna Übergabe übergeben. "
        "Notiz: Unterlagen liegen vor, es geht um die Weiterbewilligung."
    )
    theirs.select("Hanna Übergabe")
    note = theirs.window.waiting_room.detail.handover
    assert note.isVisible()
    assert "Unterlagen liegen vor" in note.text()
    frame = run(loop, citizen.receive("handed_over"))
    assert "Unterlagen" not in str(frame)  # the citizen never reads the note


# --- substitution in the schedule -------------------------------------------------------------


@pytest.fixture
def schedule(
    loop: asyncio.AbstractEventLoop, qtbot: QtBot, lokal: ServiceClient, runner: TaskRunner
) -> SchedulePage:
    teams = TeamDirectory(lokal, runner)
    page = SchedulePage(lokal, runner, refresh_interval_ms=REFRESH_MS, teams=teams)
    teams.setParent(page)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()  # shown, the page loads the teams
    wait_until(lambda: page.hand_day_button.isVisible(), message="colleagues known")
    return page


def _dialog(widget: QWidget) -> ColleagueDialog:
    wait_until(lambda: widget.findChild(ColleagueDialog) is not None, message="dialog")
    dialog = widget.findChild(ColleagueDialog)
    assert isinstance(dialog, ColleagueDialog)
    return dialog


def _listed(schedule: SchedulePage, day: date, appointment_id: int) -> bool:
    return any(a.id == appointment_id for a in schedule.appointments_of_day(day))


def test_one_appointment_is_given_to_a_colleague_who_sees_it_at_once(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    schedule: SchedulePage,
    lokal: ServiceClient,
    bernd: ServiceClient,
    desk: Callable[[ServiceClient, str], Console],
    days: Days,
) -> None:
    colleague = desk(bernd, "Bernd Kollege")  # on the waiting room: the schedule is hidden
    day = days.take()
    booked = run(loop, lokal.create_appointment(appointment(day, 10, name="Vera Vertretung")))
    schedule.select_day(day)
    wait_until(lambda: _listed(schedule, day, booked.id), message="listed")
    schedule.list.select(booked.id)
    assert schedule.detail.reassign_button.isVisible()
    qtbot.mouseClick(schedule.detail.reassign_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(schedule)
    assert dialog.colleague is not None and dialog.colleague.display_name == "Bernd Kollege"
    assert "aktualisierte Einladung per E-Mail" in dialog.info.text()
    assert "Link und Einwahlcode bleiben gleich." in dialog.info.text()
    detail_scroll = schedule.detail.findChild(QScrollArea)
    assert detail_scroll is not None
    wait_until(lambda: not detail_scroll.verticalScrollBar().isVisible(), message="laid out")
    schedule.grab().save(shot("console_schedule_substitution.png"))
    dialog.grab().save(shot("console_substitution_dialog.png"))
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    wait_until(
        lambda: schedule.message_bar.text.startswith(
            "Der Termin mit Vera Vertretung gehört jetzt Bernd Kollege."
        )
    )
    theirs = run(loop, bernd.appointments_on(day))
    moved = next(a for a in theirs if a.id == booked.id)
    assert moved.citizen.link == booked.citizen.link
    assert moved.citizen.dial_code == booked.citizen.dial_code
    assert [e.kind.value for e in moved.history] == ["reassigned"]
    # Bernd's console was told (appointments_changed) and loaded its schedule anew
    wait_until(
        lambda: any(a.id == booked.id for a in colleague.window.schedule.appointments_of_day(day)),
        message="the colleague's schedule has it",
    )


def test_the_shown_day_is_given_to_a_colleague(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    schedule: SchedulePage,
    lokal: ServiceClient,
    bernd: ServiceClient,
    days: Days,
) -> None:
    day = days.take()
    for hour, name in ((9, "Tom Tag"), (11, "Tina Tag")):
        run(loop, lokal.create_appointment(appointment(day, hour, name=name)))
    schedule.select_day(day)
    wait_until(lambda: len(schedule.appointments_of_day(day)) == 2, message="listed")
    qtbot.mouseClick(schedule.hand_day_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(schedule)
    assert dialog.question.text().startswith("Die 2 offenen Termine am ")
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: schedule.message_bar.text == "2 Termine gehören jetzt Bernd Kollege.")
    names = sorted(a.citizen_name for a in run(loop, bernd.appointments_on(day)))
    assert names == ["Tina Tag", "Tom Tag"]


# --- team figures and membership --------------------------------------------------------------


def test_a_team_lead_chooses_the_team_figures(
    loop: asyncio.AbstractEventLoop, qtbot: QtBot, lokal: ServiceClient, runner: TaskRunner
) -> None:
    teams = TeamDirectory(lokal, runner)
    page = StatisticsPage(lokal, runner, teams=teams)
    teams.setParent(page)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()  # shown, the page loads the teams
    wait_until(lambda: page.team_box.count() == 2, message="team offered")
    assert page.team_box.isVisible()
    assert page.team_box.itemText(1) == "Team Markt"
    page.team_box.setCurrentIndex(1)
    assert page.team is not None
    wait_until(lambda: bool(page.figures) and not page.message_bar.text, message="figures")


def test_a_lead_adds_and_removes_a_member_and_sees_the_open_appointments(
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    team: Team,
    lokal: ServiceClient,
    runner: TaskRunner,
    days: Days,
) -> None:
    carla = signed_in(loop, team, "carla")
    try:
        run(loop, carla.create_appointment(appointment(days.take(), 14, name="Rita Rest")))
    finally:
        run(loop, carla.close())
    teams = TeamDirectory(lokal, runner)
    dialog = TeamMembersDialog(teams)
    teams.setParent(dialog)
    qtbot.addWidget(dialog)
    dialog.show()
    teams.refresh()
    wait_until(lambda: len(dialog.member_texts()) == 3, message="members")
    dialog.username.setText("carla")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: any(t.startswith("Carla Neu") for t in dialog.member_texts()))
    row = next(i for i, t in enumerate(dialog.member_texts()) if t.startswith("Carla Neu"))
    dialog.members.setCurrentRow(row)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    wait_until(dialog.open_list.isVisible, message="result shown")
    assert "Carla Neu ist nicht mehr im Team." in dialog.open_list.text()
    assert "Rita Rest" in dialog.open_list.text()
    wait_until(lambda: not any(t.startswith("Carla Neu") for t in dialog.member_texts()))


# --- in English -------------------------------------------------------------------------------


def test_the_team_view_and_the_hand_over_dialog_speak_english(english: None, qtbot: QtBot) -> None:
    now = SystemClock().now()
    model = TeamModel(now)
    model.team.replace_all(
        [
            TeamWaitingEntry(
                participant_id=1,
                appointment_id=1,
                name="Lena Team",
                starts_at=now - timedelta(minutes=6),
                waiting_since=now - timedelta(minutes=8),
                advisor_id=2,
                advisor_name="Bernd Kollege",
                advisor_state="busy",
                may_admit=True,
                handover_note="Documents are at hand.",
            )
        ]
    )
    panel = TeamPanel(model)
    qtbot.addWidget(panel)
    panel.resize(1100, 500)
    panel.show()
    panel.list_stack.setCurrentIndex(1)
    panel.list.select(1)
    panel.detail.show_entry(model.entry(1), now)
    assert model.headerData(Column.STATE, Qt.Orientation.Horizontal) == "Colleague is"
    assert panel.list.row_texts()[0][Column.STATE] == "in a call"
    assert "Handover note" in panel.detail.texts()
    scroll = panel.detail.findChild(QScrollArea)
    assert scroll is not None
    wait_until(lambda: not scroll.verticalScrollBar().isVisible(), message="short detail fits")
    panel.grab().save(shot("console_team_view_en.png"))

    colleagues = [
        TeamMemberOut(advisor_id=2, display_name="Bernd Kollege", lead=False, state="busy"),
        TeamMemberOut(advisor_id=3, display_name="Carla Neu", lead=False, state="free"),
    ]
    dialog = HandOverDialog("Erika Mustermann", colleagues)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Hand over"
    assert dialog.question.text() == "Hand Erika Mustermann over to a colleague?"
    assert dialog.colleague is not None and dialog.colleague.display_name == "Carla Neu"
    assert dialog.choices.item(0).text() == "Bernd Kollege – in a call"
    dialog.grab().save(shot("console_hand_over_dialog_en.png"))
