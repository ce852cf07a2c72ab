"""The team waiting room's model without a window: the colleagues' list and what it means."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from advisor_app.console.team_room import (
    Handover,
    TeamEntries,
    TeamEvents,
    TeamWaitingRoom,
    colleagues,
)
from advisor_app.console.waiting_room import (
    Leaving,
    WaitingEntries,
    WaitingRoom,
    WaitingRoomEvents,
)
from advisor_app.core.domain import Role
from advisor_app.core.protocol import (
    AdmittedByColleague,
    AppointmentsChanged,
    Arrived,
    Departed,
    HandedToYou,
    SocketError,
    TeamList,
    TeamMemberOut,
    TeamOut,
    TeamWaiting,
    TeamWaitingEntry,
    WaitingEntry,
    WaitingSnapshot,
)

pytestmark = pytest.mark.unit

NINE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def theirs(
    pid: int, name: str, starts: int, *, may_admit: bool = True, note: str | None = None
) -> TeamWaitingEntry:
    return TeamWaitingEntry(
        participant_id=pid,
        appointment_id=100 + pid,
        name=name,
        starts_at=NINE + timedelta(minutes=starts),
        waiting_since=NINE - timedelta(minutes=2),
        advisor_id=7,
        advisor_name="Bernd Kollege",
        advisor_state="busy",
        may_admit=may_admit,
        handover_note=note,
    )


def mine(pid: int, name: str) -> WaitingEntry:
    return WaitingEntry(
        participant_id=pid,
        appointment_id=100 + pid,
        name=name,
        role=Role.CITIZEN,
        starts_at=NINE,
        duration_min=45,
        waiting_since=NINE,
        online=True,
    )


class Seen:
    def __init__(self) -> None:
        self.said: list[object] = []

    def own_events(self) -> WaitingRoomEvents:
        say = self.said.append
        return WaitingRoomEvents(
            admitted=lambda entry: say(("own admitted", entry.name)),
            left=say,
            refused=lambda error: say(("refused", error.error)),
        )

    def team_events(self) -> TeamEvents:
        say = self.said.append
        return TeamEvents(
            admitted=lambda entry: say(("admitted", entry.name, entry.role)),
            taken_by_colleague=lambda pid, name, colleague: say(("taken", pid, name, colleague)),
            handed_to_you=say,
            appointments_changed=lambda: say("reload"),
        )


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
def own(seen: Seen) -> WaitingRoom:
    return WaitingRoom(WaitingEntries(), seen.own_events())


@pytest.fixture
def team(own: WaitingRoom, seen: Seen) -> TeamWaitingRoom:
    return TeamWaitingRoom(TeamEntries(), own, seen.team_events())


def feed(own: WaitingRoom, team: TeamWaitingRoom, *events: object) -> None:
    """As the page does: every event of the socket to both rooms."""
    for event in events:
        own.on_event(event)  # type: ignore[arg-type]
        team.on_event(event)  # type: ignore[arg-type]


def test_the_team_list_is_sorted_and_follows_each_snapshot(
    own: WaitingRoom, team: TeamWaitingRoom
) -> None:
    late, early = theirs(1, "Lena Spät", 30), theirs(2, "Emil Früh", 0)
    feed(own, team, TeamWaiting(entries=[late, early]))
    assert [e.name for e in team.entries()] == ["Emil Früh", "Lena Spät"]
    feed(own, team, TeamWaiting(entries=[late]))
    assert [e.name for e in team.entries()] == ["Lena Spät"]
    feed(own, team, TeamWaiting(entries=[]))
    assert team.entries() == []


def test_admission_only_when_the_service_allows_and_no_other_session_runs(
    own: WaitingRoom, team: TeamWaitingRoom
) -> None:
    allowed, not_yet = theirs(1, "Lena Spät", 0), theirs(2, "Emil Früh", 0, may_admit=False)
    feed(own, team, TeamWaiting(entries=[allowed, not_yet]))
    assert not team.admitting(not_yet)
    own.session_appointment = 999  # the advisor is talking with somebody else
    assert not team.may_admit(allowed)
    own.session_appointment = None
    assert team.admitting(allowed)
    assert not team.admitting(allowed)  # asked once only


def test_a_confirmed_admission_opens_the_call_with_the_person(
    own: WaitingRoom, team: TeamWaitingRoom, seen: Seen
) -> None:
    lena = theirs(1, "Lena Spät", 0)
    feed(own, team, TeamWaiting(entries=[lena]))
    assert team.admitting(lena)
    feed(own, team, Departed(participant_id=1, reason="admitted"))
    assert seen.said == [("admitted", "Lena Spät", Role.CITIZEN)]
    assert team.entries() == []


def test_a_lost_race_may_be_tried_again_and_is_not_an_admission(
    own: WaitingRoom, team: TeamWaitingRoom, seen: Seen
) -> None:
    lena = theirs(1, "Lena Spät", 0)
    feed(own, team, TeamWaiting(entries=[lena]))
    assert team.admitting(lena)
    error = SocketError(error="already_admitted", message="Bereits eingelassen.")
    feed(own, team, error)
    assert seen.said == [("refused", "already_admitted")]
    assert team.admitting(lena)  # the refusal cleared the request
    team.admission_sent(lena, False)  # did not reach the service
    assert team.admitting(lena)


def test_a_departure_of_somebody_not_asked_for_is_not_an_admission(
    own: WaitingRoom, team: TeamWaitingRoom, seen: Seen
) -> None:
    feed(own, team, TeamWaiting(entries=[theirs(1, "Lena Spät", 0)]))
    feed(own, team, Departed(participant_id=1, reason="admitted"))
    assert seen.said == []


def test_taken_by_a_colleague_leaves_the_own_list_with_one_message(
    own: WaitingRoom, team: TeamWaitingRoom, seen: Seen
) -> None:
    feed(own, team, WaitingSnapshot(entries=[mine(5, "Frau Otto")]))
    feed(
        own,
        team,
        AdmittedByColleague(appointment_id=105, participant_id=5, colleague_name="Carla Kollegin"),
    )
    assert own.waiting.entries() == []
    # the service's departure that follows says nothing more
    feed(own, team, Departed(participant_id=5, reason="admitted"))
    assert seen.said == [("taken", 5, "Frau Otto", "Carla Kollegin")]


def test_handed_to_me_keeps_the_note_while_the_person_waits_here(
    own: WaitingRoom, team: TeamWaitingRoom, seen: Seen
) -> None:
    feed(own, team, TeamWaiting(entries=[theirs(1, "Lena Spät", 0)]))
    handed = HandedToYou(appointment_id=101, participant_id=1, from_name="Bernd", note="Akte 4")
    feed(own, team, handed, Arrived(entry=mine(1, "Lena Spät")))
    expected = Handover(1, 101, "Lena Spät", "Bernd", "Akte 4")
    assert seen.said == [expected]
    assert team.entries() == []  # no longer a colleague's: now in the own list
    assert [e.name for e in own.waiting.entries()] == ["Lena Spät"]
    assert team.handover(1) == expected
    feed(own, team, WaitingSnapshot(entries=[]))
    assert team.handover(1) is None


def test_a_handover_of_somebody_not_seen_is_told_when_they_arrive(
    own: WaitingRoom, team: TeamWaitingRoom, seen: Seen
) -> None:
    handed = HandedToYou(appointment_id=101, participant_id=1, from_name="Bernd", note="")
    feed(own, team, handed)
    assert seen.said == []
    feed(own, team, Arrived(entry=mine(1, "Lena Spät")))
    assert seen.said == [Handover(1, 101, "Lena Spät", "Bernd", "")]


def test_my_handover_is_told_as_such_when_the_person_leaves(
    own: WaitingRoom, team: TeamWaitingRoom, seen: Seen
) -> None:
    feed(own, team, WaitingSnapshot(entries=[mine(5, "Frau Otto"), mine(6, "Herr Paul")]))
    own.handing_over(5, "Carla Kollegin")
    own.handing_over(6, "Carla Kollegin")
    own.hand_over_sent(6, False)  # never reached the service
    feed(own, team, Departed(participant_id=5, reason="closed"))
    feed(own, team, Departed(participant_id=6, reason="left"))
    assert seen.said == [
        Leaving("Frau Otto", "handed_over", True, "Carla Kollegin", 5),
        Leaving("Herr Paul", "left", False, participant_id=6),
    ]


def test_reassigned_appointments_ask_for_a_reload(
    own: WaitingRoom, team: TeamWaitingRoom, seen: Seen
) -> None:
    feed(own, team, AppointmentsChanged())
    assert seen.said == ["reload"]


def test_colleagues_are_everybody_of_my_teams_but_me_once_each() -> None:
    def member(advisor_id: int, name: str, lead: bool = False) -> TeamMemberOut:
        return TeamMemberOut(advisor_id=advisor_id, display_name=name, lead=lead, state="free")

    teams = TeamList(
        teams=[
            TeamOut(id=1, name="Markt", lead=False, members=[member(1, "Ich"), member(3, "Zora")]),
            TeamOut(
                id=2, name="Reha", lead=True, members=[member(1, "Ich", True), member(3, "Zora")]
            ),
            TeamOut(id=3, name="U25", lead=False, members=[member(2, "anna")]),
        ]
    )
    assert [m.display_name for m in colleagues(teams, me=1)] == ["anna", "Zora"]
    assert colleagues(TeamList(teams=[]), me=1) == []
