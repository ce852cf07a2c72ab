"""The waiting room's model without a window: the sorted list and what the events mean."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from advisor_app.console.waiting_room import (
    Leaving,
    RowChanges,
    WaitingEntries,
    WaitingRoom,
    WaitingRoomEvents,
)
from advisor_app.core.domain import Role
from advisor_app.core.protocol import (
    Arrived,
    ConsentRevoked,
    Departed,
    EntryChanged,
    SocketError,
    WaitingEntry,
    WaitingSnapshot,
)

pytestmark = pytest.mark.unit

NINE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def person(pid: int, name: str, starts: int, *, appointment: int = 0, online: bool = True):
    return WaitingEntry(
        participant_id=pid,
        appointment_id=appointment or pid,
        name=name,
        role=Role.CITIZEN,
        starts_at=NINE + timedelta(minutes=starts),
        duration_min=30,
        waiting_since=NINE - timedelta(minutes=5),
        online=online,
    )


ANNA = person(1, "Anna Früh", 0)
BERT = person(2, "Bert Später", 30)
CARL = person(3, "Carl Mittag", 15)


class Seen:
    def __init__(self) -> None:
        self.said: list[object] = []

    def events(self) -> WaitingRoomEvents:
        say = self.said.append
        return WaitingRoomEvents(
            arrived=lambda new: say(("arrived", [e.name for e in new])),
            changed=lambda was_empty: say(("changed", was_empty)),
            admitted=lambda entry: say(("admitted", entry.name)),
            left=say,
            consent_revoked=lambda pid, name: say(("revoked", pid, name)),
            refused=lambda error: say(("refused", error.error)),
        )


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
def room(seen: Seen) -> WaitingRoom:
    return WaitingRoom(WaitingEntries(), seen.events())


def names(room: WaitingRoom) -> list[str]:
    return [e.name for e in room.waiting.entries()]


def test_rows_are_sorted_by_appointment_and_changes_come_as_row_operations() -> None:
    ops: list[tuple[object, ...]] = []
    waiting = WaitingEntries(
        RowChanges(
            before_insert=lambda row: ops.append(("insert", row)),
            before_move=lambda row, dest: ops.append(("move", row, dest)),
            changed=lambda row: ops.append(("changed", row)),
            before_remove=lambda row: ops.append(("remove", row)),
        )
    )
    assert waiting.upsert(BERT) and waiting.upsert(ANNA) and waiting.upsert(CARL)
    assert [e.name for e in waiting.entries()] == ["Anna Früh", "Carl Mittag", "Bert Später"]
    assert not waiting.upsert(BERT.model_copy(update={"online": False}))
    moved = ANNA.model_copy(update={"starts_at": NINE + timedelta(hours=1)})
    waiting.upsert(moved)  # rebooked to the end: moved, not removed and inserted
    assert waiting.entries()[-1] == moved
    assert waiting.remove(9) is None and waiting.remove(3) == CARL
    assert ops == [
        ("insert", 0),
        ("insert", 0),
        ("insert", 1),
        ("changed", 2),
        ("move", 0, 3),
        ("changed", 2),
        ("remove", 0),
    ]


def test_a_snapshot_after_a_reconnect_announces_only_who_is_new(
    room: WaitingRoom, seen: Seen
) -> None:
    room.on_event(WaitingSnapshot(entries=[ANNA]))
    assert seen.said == [("changed", True)]  # the first snapshot announces nobody
    room.on_event(WaitingSnapshot(entries=[ANNA, BERT]))
    assert seen.said[-2:] == [("arrived", ["Bert Später"]), ("changed", False)]
    room.on_event(WaitingSnapshot(entries=[BERT]))
    assert names(room) == ["Bert Später"]


def test_arrivals_changes_and_a_late_change_of_somebody_gone(room: WaitingRoom, seen: Seen) -> None:
    room.on_event(Arrived(entry=ANNA))
    room.on_event(Arrived(entry=ANNA))  # again (a reload): no second announcement
    assert seen.said == [("arrived", ["Anna Früh"]), ("changed", True), ("changed", False)]
    room.on_event(Departed(participant_id=1, reason="left"))
    room.on_event(EntryChanged(entry=ANNA.model_copy(update={"online": False})))
    assert names(room) == []  # the closing socket does not bring her back
    assert seen.said[-2:] == [Leaving("Anna Früh", "left", sent_here=False), ("changed", False)]


def test_an_admission_asked_here_is_confirmed_once(room: WaitingRoom, seen: Seen) -> None:
    room.on_event(WaitingSnapshot(entries=[ANNA, BERT]))
    assert room.admitting(ANNA) and not room.admitting(ANNA)
    room.on_event(Departed(participant_id=1, reason="admitted"))
    assert ("admitted", "Anna Früh") in seen.said
    # admitted at another desk: said as such
    room.on_event(Departed(participant_id=2, reason="admitted"))
    assert Leaving("Bert Später", "admitted", sent_here=False) in seen.said


def test_an_admission_that_was_not_sent_or_refused_may_be_tried_again(
    room: WaitingRoom, seen: Seen
) -> None:
    room.on_event(WaitingSnapshot(entries=[ANNA, BERT]))
    assert room.admitting(ANNA)
    room.admission_sent(ANNA, False)
    assert room.admitting(ANNA) and room.admitting(BERT)
    room.on_event(SocketError(error="call_full", message="Das Gespräch ist voll."))
    assert seen.said[-1] == ("refused", "call_full")
    assert room.admitting(ANNA) and room.admitting(BERT)


def test_sent_away_here_or_elsewhere(room: WaitingRoom, seen: Seen) -> None:
    room.on_event(WaitingSnapshot(entries=[ANNA, BERT]))
    room.sending_away(1)
    room.on_event(Departed(participant_id=1, reason="sent_away"))
    room.on_event(Departed(participant_id=2, reason="sent_away"))
    leaving = [s for s in seen.said if isinstance(s, Leaving)]
    assert [(x.name, x.sent_here) for x in leaving] == [("Anna Früh", True), ("Bert Später", False)]


def test_a_revoked_consent_forgets_the_name_after_saying_it(room: WaitingRoom, seen: Seen) -> None:
    room.on_event(Arrived(entry=ANNA))
    room.on_event(Departed(participant_id=1, reason="admitted"))  # into a call elsewhere
    room.on_event(ConsentRevoked(participant_id=1, appointment_id=1))
    assert seen.said[-2:] == [("revoked", 1, "Anna Früh"), ("changed", False)]
    assert room.name(1) is None
    room.on_event(ConsentRevoked(participant_id=1, appointment_id=1))
    assert seen.said[-2] == ("revoked", 1, None)


def test_during_a_session_only_its_own_appointment_may_join(room: WaitingRoom) -> None:
    guest = person(4, "Ivan Dolmetscher", 0, appointment=1)
    assert room.may_admit(BERT)
    room.session_appointment = 1
    assert room.may_admit(guest) and not room.may_admit(BERT)
