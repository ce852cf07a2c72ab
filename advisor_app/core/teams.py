"""Teams: who stands in for whom, who may admit, reassign, hand over and see what.

An advisor belongs to any number of teams; an advisor in no team is a team of one and sees
only their own appointments (as before teams existed). The rules here are pure: the service
asks them with a :class:`TeamDirectory` (the memberships it loaded) and the live state of the
waiting room.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

#: What a colleague sees of an advisor: a console connected and no call (``free``), in a call
#: (``busy``), no console connected (``absent``).
AdvisorState = Literal["free", "busy", "absent"]

#: Default of ``[service] team_admit_grace_minutes``.
DEFAULT_ADMIT_GRACE_MIN = 5


@dataclass(frozen=True, slots=True)
class TeamDirectory:
    """Every team's members (advisor id → leads the team) and the advisors' names."""

    #: team id → {advisor id: lead}
    members: Mapping[int, Mapping[int, bool]] = field(default_factory=dict)
    #: team id → name
    team_names: Mapping[int, str] = field(default_factory=dict)
    #: advisor id → display name
    names: Mapping[int, str] = field(default_factory=dict)

    def teams_of(self, advisor_id: int) -> list[int]:
        return sorted(t for t, people in self.members.items() if advisor_id in people)

    def colleagues(self, advisor_id: int) -> set[int]:
        """Everyone who shares a team with ``advisor_id`` (not the advisor)."""
        found: set[int] = set()
        for people in self.members.values():
            if advisor_id in people:
                found.update(people)
        found.discard(advisor_id)
        return found

    def shares_team(self, a: int, b: int) -> bool:
        return a != b and b in self.colleagues(a)

    def leads(self, advisor_id: int, team_id: int) -> bool:
        return bool(self.members.get(team_id, {}).get(advisor_id, False))

    def name(self, advisor_id: int) -> str:
        return self.names.get(advisor_id, "")


def colleague_may_admit(
    *,
    actor_id: int,
    booked_advisor_id: int,
    booked_state: AdvisorState,
    starts_at: datetime,
    now: datetime,
    grace_min: int,
    directory: TeamDirectory,
) -> bool:
    """May ``actor_id`` admit a citizen booked with ``booked_advisor_id``?

    The booked advisor always may. A team colleague may when the booked advisor is absent or
    busy and the appointment began at least ``grace_min`` minutes ago; nobody else ever."""
    if actor_id == booked_advisor_id:
        return True
    if not directory.shares_team(actor_id, booked_advisor_id):
        return False
    if booked_state == "free":
        return False
    return now >= starts_at + timedelta(minutes=grace_min)


def may_see(directory: TeamDirectory, viewer_id: int, owner_id: int) -> bool:
    """Whether ``viewer_id`` may see an appointment (and its citizen's name) of ``owner_id``:
    the owner and the members of the owner's teams."""
    return viewer_id == owner_id or directory.shares_team(viewer_id, owner_id)


def may_reassign(directory: TeamDirectory, actor_id: int, owner_id: int, target_id: int) -> bool:
    """Whether ``actor_id`` may give an appointment of ``owner_id`` to ``target_id``.

    The target shares a team with the owner; the actor is the owner, or leads that team."""
    if target_id == owner_id:
        return False
    for people in directory.members.values():
        shared = owner_id in people and target_id in people
        if shared and (actor_id == owner_id or people.get(actor_id, False)):
            return True
    return False


def may_hand_over(directory: TeamDirectory, actor_id: int, owner_id: int, target_id: int) -> bool:
    """Only the booked advisor hands a waiting citizen over, only to a team colleague."""
    return actor_id == owner_id and directory.shares_team(owner_id, target_id)


def minutes_left(ends_at: datetime | None, now: datetime) -> int | None:
    """Whole minutes (rounded up) until ``ends_at``; None when not known or already past."""
    if ends_at is None or ends_at <= now:
        return None
    return math.ceil((ends_at - now).total_seconds() / 60)
