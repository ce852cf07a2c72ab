"""The waiting room as the events of the advisor's socket draw it.

:class:`WaitingEntries` keeps the people waiting sorted by appointment time (then arrival) and
reports each change as a row operation (insert, move, change, remove), so a view keeps its
selection. :class:`WaitingRoom` applies the socket's events to it, remembers names for the
messages after somebody is gone, follows the admissions and send-aways this console asked
for, and reports through :class:`WaitingRoomEvents` what the page says.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel

from advisor_app.core.protocol import (
    Arrived,
    ConsentRevoked,
    Departed,
    EntryChanged,
    SocketError,
    WaitingEntry,
    WaitingSnapshot,
)


class Waiting(Protocol):
    """What the sorted list needs of a waiting person (own or a colleague's)."""

    @property
    def participant_id(self) -> int: ...

    @property
    def starts_at(self) -> datetime: ...

    @property
    def waiting_since(self) -> datetime: ...


E = TypeVar("E", bound=Waiting)


def _key(entry: Waiting) -> tuple[datetime, datetime, int]:
    return (entry.starts_at, entry.waiting_since, entry.participant_id)


def _ignore(*_args: object) -> None:
    return None


@dataclass
class RowChanges:
    """How a :class:`WaitingEntries` changes, row by row: each ``before`` call comes before
    the list changes, each ``after`` call after it (a Qt model's begin/end pairs)."""

    before_insert: Callable[[int], object] = _ignore
    after_insert: Callable[[], object] = _ignore
    #: The row, and where it goes counted before it is taken out.
    before_move: Callable[[int, int], object] = _ignore
    after_move: Callable[[], object] = _ignore
    changed: Callable[[int], object] = _ignore
    before_remove: Callable[[int], object] = _ignore
    after_remove: Callable[[], object] = _ignore


class SortedEntries(Generic[E]):
    """People waiting, sorted by appointment time, then by arrival."""

    def __init__(self, rows: RowChanges | None = None) -> None:
        self.rows = rows or RowChanges()
        self._entries: list[E] = []

    def __len__(self) -> int:
        return len(self._entries)

    def entries(self) -> list[E]:
        return list(self._entries)

    def entry(self, participant_id: int) -> E | None:
        return next((e for e in self._entries if e.participant_id == participant_id), None)

    def row_of(self, participant_id: int) -> int:
        return next(
            (i for i, e in enumerate(self._entries) if e.participant_id == participant_id), -1
        )

    def entry_at(self, row: int) -> E | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def upsert(self, entry: E) -> bool:
        """Add or replace ``entry`` at its sorted place; True if it was new."""
        row = self.row_of(entry.participant_id)
        if row < 0:
            keys = [_key(e) for e in self._entries]
            at = bisect.bisect(keys, _key(entry))
            self.rows.before_insert(at)
            self._entries.insert(at, entry)
            self.rows.after_insert()
            return True
        others = [_key(e) for i, e in enumerate(self._entries) if i != row]
        target = bisect.bisect(others, _key(entry))
        if target != row:
            self.rows.before_move(row, target if target < row else target + 1)
            del self._entries[row]
            self._entries.insert(target, entry)
            self.rows.after_move()
            row = target
        else:
            self._entries[row] = entry
        self.rows.changed(row)
        return False

    def remove(self, participant_id: int) -> E | None:
        row = self.row_of(participant_id)
        if row < 0:
            return None
        self.rows.before_remove(row)
        entry = self._entries.pop(row)
        self.rows.after_remove()
        return entry

    def replace_all(self, entries: Sequence[E]) -> list[E]:
        """Take a snapshot of the room; returns the entries that were not known before."""
        wanted = {e.participant_id for e in entries}
        for entry in list(self._entries):
            if entry.participant_id not in wanted:
                self.remove(entry.participant_id)
        return [e for e in entries if self.upsert(e)]


class WaitingEntries(SortedEntries[WaitingEntry]):
    """The people waiting for this advisor, sorted by appointment time, then by arrival."""


@dataclass(frozen=True, slots=True)
class Leaving:
    """Somebody left the waiting room other than into this console's call."""

    name: str
    #: ``Departed.reason``: "sent_away", "admitted" (elsewhere), "left", "timeout", …, or
    #: "handed_over" (this console handed the person to a colleague).
    reason: str
    #: Sent away (or handed over) from this console (not from another one).
    sent_here: bool
    #: "handed_over": the colleague's name.
    to_name: str = ""
    #: Who it was (not part of what is said, so not compared).
    participant_id: int = field(default=0, compare=False)


@dataclass
class WaitingRoomEvents:
    """What a :class:`WaitingRoom` reports."""

    #: New people to announce (chime, notification).
    arrived: Callable[[list[WaitingEntry]], None] = _ignore
    #: The list changed; True: it was empty before.
    changed: Callable[[bool], None] = _ignore
    #: The service confirmed an admission this console asked for.
    admitted: Callable[[WaitingEntry], None] = _ignore
    left: Callable[[Leaving], None] = _ignore
    #: A participant revoked their consent: their id and name (None: never seen here).
    consent_revoked: Callable[[int, str | None], None] = _ignore
    #: The service refused something.
    refused: Callable[[SocketError], None] = _ignore


class WaitingRoom:
    """Applies the socket's events to the list; knows what this console asked for."""

    def __init__(self, waiting: WaitingEntries, events: WaitingRoomEvents) -> None:
        self.waiting = waiting
        self._events = events
        self._had_snapshot = False
        #: Names of everybody seen here, for the messages after they are gone (the service
        #: deletes a name when its consent is revoked, the console still has to say who).
        self._names: dict[int, str] = {}
        self._admitting: dict[int, WaitingEntry] = {}
        self._sending_away: set[int] = set()
        #: Handed over from this console: participant id -> the colleague's name.
        self._handing_over: dict[int, str] = {}
        #: The appointment of the running session (None: no session).
        self.session_appointment: int | None = None

    def name(self, participant_id: int) -> str | None:
        return self._names.get(participant_id)

    def may_admit(self, entry: WaitingEntry) -> bool:
        """Nobody from another appointment joins a running session."""
        return self.session_appointment is None or entry.appointment_id == self.session_appointment

    # --- the advisor's actions --------------------------------------------------------------

    def admitting(self, entry: WaitingEntry) -> bool:
        """The advisor admits ``entry``; False if that was asked already."""
        if entry.participant_id in self._admitting:
            return False
        self._admitting[entry.participant_id] = entry
        return True

    def admission_sent(self, entry: WaitingEntry, sent: bool) -> None:
        """The admission did not reach the service: it may be tried again."""
        if not sent:
            self._admitting.pop(entry.participant_id, None)

    def sending_away(self, participant_id: int) -> None:
        self._sending_away.add(participant_id)

    def handing_over(self, participant_id: int, colleague_name: str) -> None:
        """The advisor hands ``participant_id`` to a colleague: their departure says so."""
        self._handing_over[participant_id] = colleague_name

    def hand_over_sent(self, participant_id: int, sent: bool) -> None:
        """The handover did not reach the service: the departure is an ordinary one again."""
        if not sent:
            self._handing_over.pop(participant_id, None)

    def taken_by_colleague(self, participant_id: int) -> str | None:
        """A colleague admitted one of this advisor's people: they leave the list without the
        departure's own message (the page tells who took them); returns their name."""
        entry = self.waiting.remove(participant_id)
        self._admitting.pop(participant_id, None)
        self._handing_over.pop(participant_id, None)
        if entry is not None:
            self._events.changed(False)
        return entry.name if entry is not None else self.name(participant_id)

    # --- the socket's events ----------------------------------------------------------------

    def on_event(self, event: BaseModel) -> None:
        if isinstance(event, WaitingSnapshot):
            self._on_snapshot(event.entries)
        elif isinstance(event, Arrived):
            self._on_arrived(event.entry)
        elif isinstance(event, EntryChanged):
            self._on_changed(event.entry)
        elif isinstance(event, Departed):
            self._on_departed(event)
        elif isinstance(event, ConsentRevoked):
            self._on_consent_revoked(event.participant_id)
        elif isinstance(event, SocketError):
            if event.error in ("call_full", "already_admitted", "not_waiting"):
                self._admitting.clear()  # the admission was refused: it may be tried again
            self._handing_over.clear()  # a refused handover leaves the person here
            self._events.refused(event)

    def _remember(self, entry: WaitingEntry) -> None:
        self._names[entry.participant_id] = entry.name

    def _on_snapshot(self, entries: list[WaitingEntry]) -> None:
        for entry in entries:
            self._remember(entry)
        was_empty = len(self.waiting) == 0
        new = self.waiting.replace_all(entries)
        if self._had_snapshot and new:
            self._events.arrived(new)  # arrivals while the connection was down
        self._had_snapshot = True
        self._events.changed(was_empty)

    def _on_arrived(self, entry: WaitingEntry) -> None:
        self._remember(entry)
        was_empty = len(self.waiting) == 0
        if self.waiting.upsert(entry):
            self._events.arrived([entry])
        self._events.changed(was_empty)

    def _on_changed(self, entry: WaitingEntry) -> None:
        if self.waiting.entry(entry.participant_id) is None:
            # Not (or no longer) waiting: after a departure the service may still report the
            # closing socket of that person; it must not bring them back into the list.
            return
        self._remember(entry)
        self.waiting.upsert(entry)
        self._events.changed(False)

    def _on_departed(self, event: Departed) -> None:
        pid = event.participant_id
        entry = self.waiting.remove(pid)
        admitting = self._admitting.pop(pid, None)
        sent_here = pid in self._sending_away
        self._sending_away.discard(pid)
        colleague = self._handing_over.pop(pid, None)
        name = entry.name if entry is not None else self.name(pid)
        if event.reason == "admitted" and admitting is not None:
            self._events.admitted(entry or admitting)
        elif colleague is not None and event.reason != "revoked" and name is not None:
            self._events.left(Leaving(name, "handed_over", True, colleague, pid))
        elif entry is not None and name is not None:
            self._events.left(Leaving(name, event.reason, sent_here, participant_id=pid))
        self._events.changed(False)

    def _on_consent_revoked(self, participant_id: int) -> None:
        entry = self.waiting.remove(participant_id)
        name = entry.name if entry is not None else self._names.get(participant_id)
        self._names.pop(participant_id, None)  # the service deleted it; so do we
        self._admitting.pop(participant_id, None)
        self._events.consent_revoked(participant_id, name)
        self._events.changed(False)
