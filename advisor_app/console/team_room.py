"""The team's waiting room: who waits for a colleague, and what a colleague did with mine.

:class:`TeamWaitingRoom` applies the team events of the advisor's socket (``team_waiting``,
``admitted_by_colleague``, ``handed_to_you``, ``appointments_changed``) to a sorted list of
:class:`TeamWaitingEntry` rows and reports through :class:`TeamEvents` what the page says. The
service decides who may admit whom (``may_admit``, once); this model only follows the
admissions this console asked for and turns a confirmed one into the :class:`WaitingEntry` the
call page takes. Its partner, the own :class:`WaitingRoom`, keeps the advisor's own people;
a colleague's admission takes one of them out of it without the ordinary departure message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from pydantic import BaseModel

from advisor_app.console.waiting_room import SortedEntries, WaitingRoom
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
    TeamWaiting,
    TeamWaitingEntry,
    WaitingEntry,
    WaitingSnapshot,
)

#: Refusals after which an admission may be tried again (or the row is gone anyway).
_ADMISSION_REFUSED = ("already_admitted", "not_in_call", "not_waiting", "call_full", "forbidden")


def _ignore(*_args: object) -> None:
    return None


class TeamEntries(SortedEntries[TeamWaitingEntry]):
    """The colleagues' people waiting, sorted by appointment time, then by arrival."""


@dataclass(frozen=True, slots=True)
class Handover:
    """A colleague handed one of their waiting people to this advisor."""

    participant_id: int
    appointment_id: int
    #: The person's name (None: not seen here yet).
    name: str | None
    from_name: str
    #: The colleague's note for this advisor (never shown to the person).
    note: str


@dataclass
class TeamEvents:
    """What a :class:`TeamWaitingRoom` reports."""

    #: The team list changed.
    changed: Callable[[], None] = _ignore
    #: The service confirmed this console's admission of a colleague's person.
    admitted: Callable[[WaitingEntry], None] = _ignore
    #: A colleague admitted one of this advisor's people: their participant id, name (None:
    #: not seen here) and the colleague's name.
    taken_by_colleague: Callable[[int, str | None, str], None] = _ignore
    #: A colleague handed somebody to this advisor.
    handed_to_you: Callable[[Handover], None] = _ignore
    #: Appointments of this advisor changed elsewhere (reassigned): reload the schedule.
    appointments_changed: Callable[[], None] = _ignore


def as_waiting_entry(entry: TeamWaitingEntry) -> WaitingEntry:
    """A colleague's person as the call page takes them once admitted here."""
    return WaitingEntry(
        participant_id=entry.participant_id,
        appointment_id=entry.appointment_id,
        name=entry.name,
        role=Role.CITIZEN,
        starts_at=entry.starts_at,
        duration_min=entry.duration_min,
        waiting_since=entry.waiting_since,
        online=True,
    )


def colleagues(teams: TeamList, me: int) -> list[TeamMemberOut]:
    """Everybody who shares a team with advisor ``me`` (each once, by name)."""
    found: dict[int, TeamMemberOut] = {}
    for team in teams.teams:
        for member in team.members:
            if member.advisor_id != me:
                found.setdefault(member.advisor_id, member)
    return sorted(found.values(), key=lambda m: (m.display_name.casefold(), m.advisor_id))


class TeamWaitingRoom:
    """Applies the team events of the advisor's socket; knows what this console asked for."""

    def __init__(
        self,
        team: TeamEntries,
        own: WaitingRoom,
        events: TeamEvents,
    ) -> None:
        self.team = team
        self._own = own
        self._events = events
        self._admitting: dict[int, TeamWaitingEntry] = {}
        #: Handed to this advisor and still waiting: participant id -> handover.
        self._handovers: dict[int, Handover] = {}
        #: Names of colleagues' people seen here (a handover names only the participant id).
        self._names: dict[int, str] = {}
        #: Handed over but not yet seen by name: told once the person arrives here.
        self._untold: set[int] = set()

    def entries(self) -> list[TeamWaitingEntry]:
        return self.team.entries()

    def entry(self, participant_id: int) -> TeamWaitingEntry | None:
        return self.team.entry(participant_id)

    def handover(self, participant_id: int) -> Handover | None:
        """Who handed this person (of the own list) to this advisor, with their note."""
        return self._handovers.get(participant_id)

    def may_admit(self, entry: TeamWaitingEntry) -> bool:
        """The service allows it now, and no session of another appointment is running."""
        session = self._own.session_appointment
        return entry.may_admit and (session is None or session == entry.appointment_id)

    # --- the advisor's actions --------------------------------------------------------------

    def admitting(self, entry: TeamWaitingEntry) -> bool:
        """The advisor admits a colleague's ``entry``; False if not allowed or asked already."""
        if not self.may_admit(entry) or entry.participant_id in self._admitting:
            return False
        self._admitting[entry.participant_id] = entry
        return True

    def admission_sent(self, entry: TeamWaitingEntry, sent: bool) -> None:
        """The admission did not reach the service: it may be tried again."""
        if not sent:
            self._admitting.pop(entry.participant_id, None)

    # --- the socket's events ----------------------------------------------------------------

    def on_event(self, event: BaseModel) -> None:
        if isinstance(event, TeamWaiting):
            self._on_team_waiting(event.entries)
        elif isinstance(event, AdmittedByColleague):
            name = self._own.taken_by_colleague(event.participant_id)
            self._events.taken_by_colleague(event.participant_id, name, event.colleague_name)
        elif isinstance(event, HandedToYou):
            self._on_handed_to_you(event)
        elif isinstance(event, AppointmentsChanged):
            self._events.appointments_changed()
        elif isinstance(event, Arrived):
            self._on_arrived(event.entry)
        elif isinstance(event, Departed):
            self._on_departed(event)
        elif isinstance(event, WaitingSnapshot):
            waiting = {e.participant_id for e in event.entries}
            for pid in [p for p in self._handovers if p not in waiting]:
                del self._handovers[pid]
        elif isinstance(event, SocketError) and event.error in _ADMISSION_REFUSED:
            self._admitting.clear()  # the own room shows the refusal

    def _on_team_waiting(self, entries: Sequence[TeamWaitingEntry]) -> None:
        for entry in entries:
            self._names[entry.participant_id] = entry.name
        self.team.replace_all(entries)
        self._events.changed()

    def _on_handed_to_you(self, event: HandedToYou) -> None:
        pid = event.participant_id
        name = self._own.name(pid) or self._names.get(pid)
        handover = Handover(pid, event.appointment_id, name, event.from_name, event.note)
        self._handovers[pid] = handover
        if self.team.remove(pid) is not None:
            self._events.changed()
        if name is None:
            self._untold.add(pid)  # the arrival that follows names the person
        else:
            self._events.handed_to_you(handover)

    def _on_arrived(self, entry: WaitingEntry) -> None:
        pid = entry.participant_id
        handover = self._handovers.get(pid)
        if pid in self._untold and handover is not None:
            self._untold.discard(pid)
            handover = replace(handover, name=entry.name)
            self._handovers[pid] = handover
            self._events.handed_to_you(handover)

    def _on_departed(self, event: Departed) -> None:
        pid = event.participant_id
        self._handovers.pop(pid, None)
        self._untold.discard(pid)
        admitting = self._admitting.pop(pid, None)
        if admitting is None:
            return
        entry = self.team.remove(pid) or admitting
        if event.reason == "admitted":
            self._events.admitted(as_waiting_entry(entry))
        self._events.changed()
