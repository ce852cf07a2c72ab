"""The team rules: who may admit a colleague's citizen, reassign, hand over and see what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from advisor_app.core.teams import (
    AdvisorState,
    TeamDirectory,
    colleague_may_admit,
    may_hand_over,
    may_reassign,
    may_see,
    minutes_left,
)

pytestmark = pytest.mark.unit

START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
#: Team 1: 1 (lead), 2, 3. Team 2: 3, 4 (lead). Advisor 5 is a team of one.
TEAMS = TeamDirectory(
    members={1: {1: True, 2: False, 3: False}, 2: {3: False, 4: True}},
    team_names={1: "Nord", 2: "Süd"},
    names={1: "Frau Eins", 2: "Herr Zwei", 3: "Frau Drei", 4: "Herr Vier"},
)


def _may_admit(actor: int, state: AdvisorState, minutes_after_start: float) -> bool:
    return colleague_may_admit(
        actor_id=actor,
        booked_advisor_id=2,
        booked_state=state,
        starts_at=START,
        now=START + timedelta(minutes=minutes_after_start),
        grace_min=5,
        directory=TEAMS,
    )


@pytest.mark.parametrize(
    ("actor", "state", "minutes", "allowed"),
    [
        (2, "free", -4, True),  # the booked advisor always
        (1, "absent", 5, True),  # a colleague once the grace has passed
        (1, "busy", 6, True),
        (1, "absent", 4.9, False),  # not before
        (1, "free", 60, False),  # never while the advisor is there and free
        (4, "absent", 60, False),  # another team never
        (5, "absent", 60, False),  # a team of one neither
    ],
)
def test_who_may_admit(actor: int, state: AdvisorState, minutes: float, allowed: bool) -> None:
    assert _may_admit(actor, state, minutes) is allowed


def test_reassigning_needs_a_shared_team_and_the_owner_or_its_lead() -> None:
    assert may_reassign(TEAMS, 2, 2, 3)  # the owner, to a colleague
    assert may_reassign(TEAMS, 1, 2, 3)  # the lead of their team
    assert not may_reassign(TEAMS, 3, 2, 1)  # a colleague who does not lead
    assert not may_reassign(TEAMS, 4, 3, 2)  # lead of Süd, but 2 is not in Süd
    assert may_reassign(TEAMS, 4, 3, 4)  # lead of Süd, 3 and 4 share it
    assert not may_reassign(TEAMS, 2, 2, 4)  # no shared team
    assert not may_reassign(TEAMS, 2, 2, 2)  # to oneself is no reassignment
    assert not may_reassign(TEAMS, 5, 5, 1)


def test_hand_over_only_by_the_owner_to_a_colleague_and_visibility_by_team() -> None:
    assert may_hand_over(TEAMS, 2, 2, 1)
    assert not may_hand_over(TEAMS, 1, 2, 3)  # not the booked advisor
    assert not may_hand_over(TEAMS, 2, 2, 4)  # not a colleague
    assert may_see(TEAMS, 1, 2) and may_see(TEAMS, 5, 5)
    assert not may_see(TEAMS, 4, 2) and not may_see(TEAMS, 5, 1)
    assert TEAMS.colleagues(3) == {1, 2, 4}
    assert TEAMS.teams_of(3) == [1, 2]
    assert TEAMS.leads(4, 2) and not TEAMS.leads(4, 1)


def test_minutes_left_round_up_and_say_nothing_once_past() -> None:
    assert minutes_left(START + timedelta(minutes=3, seconds=1), START) == 4
    assert minutes_left(START + timedelta(seconds=20), START) == 1
    assert minutes_left(START, START) is None
    assert minutes_left(None, START) is None
