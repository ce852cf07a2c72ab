"""The call coordinator without a window: start, early signals, leaves, ID check, the end."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from advisor_app.client.call_session import MediaProblem
from advisor_app.client.media import Device, Monitor, Window
from advisor_app.client.peer import PeerState
from advisor_app.console.call_coordinator import CallCoordinator, CallEvents, Departure, PauseNote
from advisor_app.console.id_check import CheckStep
from advisor_app.console.tasks import Failure
from advisor_app.core.call_quality import QualitySample
from advisor_app.core.domain import Role
from advisor_app.core.protocol import (
    AdvisorSignal,
    CallEnded,
    ChatSender,
    IdentityDocument,
    IdentityIn,
    IdentityOutcome,
    PeerPresence,
    Ready,
    WaitingEntry,
    WaitingSnapshot,
)
from tests.helpers.call_fakes import FakeMedia, FakeRoom, FakeService, FakeSession, Tasks

pytestmark = pytest.mark.unit

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def person(pid: int, name: str, role: Role = Role.CITIZEN) -> WaitingEntry:
    return WaitingEntry(
        participant_id=pid,
        appointment_id=7,
        name=name,
        role=role,
        starts_at=START,
        duration_min=30,
        waiting_since=START,
        online=True,
    )


ERIKA = person(1, "Erika Mustermann")
IVAN = person(2, "Ivan Dolmetscher", Role.INTERPRETER)


class Desk:
    """A coordinator with its fakes and everything it reported."""

    def __init__(self) -> None:
        self.log: list[str] = []
        self.service = FakeService(self.log)
        self.room: FakeRoom | None = FakeRoom(self.log)
        self.media = FakeMedia(self.log)
        self.tasks = Tasks()
        self.now = 1000.0
        self.sessions: list[FakeSession] = []
        self.left: list[Departure] = []
        self.returned: list[int] = []
        self.problems: list[MediaProblem] = []
        self.failures: list[Failure] = []
        self.pauses: list[PauseNote] = []
        self.states: list[tuple[int, PeerState]] = []
        self.devices_fail = False
        self.call = CallCoordinator(
            self.service,
            lambda: self.room,
            self.tasks,
            self._media,  # type: ignore[arg-type]
            CallEvents(
                peer_state=lambda pid, state: self.states.append((pid, state)),
                problem=self.problems.append,
                start_failed=self.failures.append,
                pause=self.pauses.append,
                left=self.left.append,
                returned=self.returned.append,
            ),
            session=self._session,  # type: ignore[arg-type]
            clock=lambda: self.now,
        )

    def _media(self) -> FakeMedia:
        if self.devices_fail:
            raise RuntimeError("kaputt")
        return self.media

    def _session(self, *args: object) -> FakeSession:
        session = FakeSession(*args)  # type: ignore[arg-type]
        session.log = self.log
        self.sessions.append(session)
        return session

    @property
    def session(self) -> FakeSession:
        assert self.call.session is not None
        return self.call.session  # type: ignore[return-value]

    async def admit(self, *entries: WaitingEntry) -> None:
        for entry in entries:
            self.call.admit(entry)
            self.call.join(entry.participant_id)
        await self.tasks.settle()

    def connect(self, pid: int) -> None:
        self.session.links[pid].state = PeerState.CONNECTED
        self.session.listener.state(pid, PeerState.CONNECTED)


@pytest.fixture
def desk() -> Desk:
    return Desk()


async def test_signals_and_admissions_wait_for_the_ice_servers(desk: Desk) -> None:
    desk.service.ice_ready.clear()
    desk.call.admit(ERIKA)
    desk.call.join(1)
    early = AdvisorSignal(participant_id=1, payload=Ready())
    desk.call.on_room_event(early)
    desk.call.on_room_event(AdvisorSignal(participant_id=9, payload=Ready()))  # not ours
    desk.call.admit(IVAN)
    desk.call.join(2)
    assert desk.call.session is None and desk.call.participants() == [1, 2]
    assert desk.tasks.started == ["call-start"]  # one start for both

    desk.service.ice_ready.set()
    await desk.tasks.settle()
    session = desk.session
    assert session.started and list(session.links) == [1, 2]
    assert session.handled == [early]
    assert session.senders[2] == ChatSender(name="Ivan Dolmetscher", role=Role.INTERPRETER)
    assert desk.call.participants() == [1, 2]


async def test_a_service_without_ice_servers_still_starts_the_call(desk: Desk) -> None:
    desk.service.has_ice = False
    await desk.admit(ERIKA)
    assert desk.session.started and desk.session.ice.ice_servers == []


async def test_a_failed_start_is_reported_and_forgets_who_waited(desk: Desk) -> None:
    desk.devices_fail = True
    await desk.admit(ERIKA)
    assert len(desk.failures) == 1 and desk.problems == []
    assert desk.call.participants() == []


async def test_a_lost_device_goes_to_the_session_or_is_said(desk: Desk) -> None:
    await desk.admit(ERIKA)
    lost = desk.media.lost
    assert lost is not None
    kinds = (Device.SCREEN, Device.CAMERA, Device.SPEAKER)
    problems = {k: MediaProblem(k, f"{k}-lost") for k in kinds}
    for kind, problem in problems.items():
        lost(kind, problem)
    assert desk.session.lost == [("screen", problems["screen"]), ("camera", problems["camera"])]
    assert desk.problems == [problems["speaker"]]


async def test_hang_up_ends_in_order_and_reports_the_call(desk: Desk) -> None:
    await desk.admit(ERIKA, IVAN)
    session = desk.session
    for pid in (1, 2):
        session.listener.state(pid, PeerState.CONNECTED)
    session.listener.quality(1, QualitySample(40.0, 0.0, 1500.0, 1400.0))
    desk.now += 61.4
    session.listener.quality(1, QualitySample(40.0, 0.0, 1500.0, 1400.0))
    session.listener.video_pause(2, "weak")
    desk.log.clear()

    desk.call.hang_up()
    assert not desk.call.active and desk.call.session is None
    assert desk.pauses[-1] is PauseNote.NONE
    await desk.tasks.settle()
    assert desk.log == [
        "session closed",
        "media closed",
        "end call 1",
        "end call 2",
        "report sent",
    ]
    report = desk.service.reports[0]
    assert report.participant_ids == [1, 2] and report.duration_s == 61
    assert report.quality_s.good > 0 and report.quality_s.poor == 0


async def test_hanging_up_while_starting_stops_the_start(desk: Desk) -> None:
    desk.service.ice_ready.clear()
    desk.call.admit(ERIKA)
    desk.call.join(1)
    desk.call.hang_up()
    desk.service.ice_ready.set()
    await desk.tasks.settle()
    assert desk.sessions == []
    assert desk.log == ["end call 1", "report sent"]


async def test_the_last_one_leaving_ends_the_call(desk: Desk) -> None:
    await desk.admit(ERIKA, IVAN)
    desk.session.listener.video_pause(2, "chosen")
    desk.call.on_room_event(CallEnded(participant_id=2, by="participant"))
    assert desk.left == [Departure(IVAN, "participant", last=False)]
    assert desk.pauses[-1] is PauseNote.NONE and desk.call.entries == [ERIKA]
    assert "forget 2" in desk.log and desk.call.session is not None

    session = desk.session
    desk.call.on_room_event(CallEnded(participant_id=1, by="timeout"))
    assert desk.left[-1] == Departure(ERIKA, "timeout", last=True)
    assert not desk.call.active
    await desk.tasks.settle()
    assert session.closed


async def test_a_participant_the_service_shows_waiting_again_has_returned(desk: Desk) -> None:
    await desk.admit(ERIKA, IVAN)
    desk.session.returning = [2]
    desk.call.on_room_event(WaitingSnapshot(entries=[IVAN]))
    assert desk.returned == [2]
    assert desk.left == [Departure(IVAN, "returned", last=False)]


async def test_a_withdrawn_consent_closes_only_that_link(desk: Desk) -> None:
    await desk.admit(ERIKA, IVAN)
    assert desk.call.withdraw(9) is None
    assert desk.call.withdraw(2) == Departure(IVAN, "withdrawn", last=False)
    assert "leave 2" in desk.log and "forget 2" in desk.log
    assert "end call 2" not in desk.log  # the service ended their part already
    assert desk.call.withdraw(1) == Departure(ERIKA, "withdrawn", last=True)
    assert not desk.call.active


async def test_presence_shows_the_links_own_state(desk: Desk) -> None:
    await desk.admit(ERIKA)
    desk.connect(1)
    desk.call.on_room_event(PeerPresence(participant_id=1, online=False))
    assert desk.states[-1] == (1, PeerState.CONNECTED)


async def test_the_citizen_is_checked_and_the_share_paused_meanwhile(desk: Desk) -> None:
    await desk.admit(IVAN, ERIKA)
    assert desk.call.begin_id_check() is None  # nobody connected yet
    desk.connect(2)
    assert desk.call.checked_person() == IVAN  # the first person connected, if no citizen
    desk.connect(1)
    desk.log.clear()
    assert desk.call.begin_id_check() == ERIKA
    assert desk.log == ["screen paused True"]
    desk.call.id_check_step(CheckStep.FRONT)
    desk.call.id_check_step(CheckStep.BACK)
    desk.call.end_id_check(CheckStep.BACK)  # closed before both sides were taken
    assert desk.session.steps == [(1, "front"), (1, "back"), (1, "cancelled")]
    assert desk.log[-1] == "screen paused False"
    desk.call.begin_id_check()
    desk.call.end_id_check(CheckStep.DONE)
    assert desk.session.steps[-1] == (1, "done")


async def test_the_outcome_is_recorded_with_the_appointment(desk: Desk) -> None:
    failures: list[str] = []
    identity = IdentityIn(outcome=IdentityOutcome.VERIFIED, document_type=IdentityDocument.ID_CARD)
    desk.call.record_identity(7, identity, lambda _a: None, lambda f: failures.append(f.message))
    await desk.tasks.settle()
    assert desk.service.identities == [(7, identity)] and failures == ["refused"]


async def test_a_shared_window_is_told_apart_from_a_screen(desk: Desk) -> None:
    await desk.admit(ERIKA)
    desk.call.share_screen(Window(5, "Bescheid.pdf", 800, 600), "Bescheid.pdf")
    await desk.tasks.settle()
    assert desk.call.sharing and desk.call.shared is not None and desk.call.shared.window
    desk.call.stop_screen()
    await desk.tasks.settle()
    assert not desk.call.sharing
    desk.call.share_screen(Monitor(1, 0, 0, 1920, 1080), "Bildschirm 1")
    assert desk.call.shared is not None and not desk.call.shared.window


async def test_a_guest_is_sent_back_or_removed_through_the_service(desk: Desk) -> None:
    await desk.admit(ERIKA, IVAN)
    assert desk.call.send_back(2) == IVAN
    await desk.tasks.settle()
    assert desk.call.remove_guest(2) == IVAN
    assert desk.call.send_back(9) is None
    await desk.tasks.settle()
    assert desk.log[-2:] == ["to waiting room 2", "end call 2 (removed)"]
    assert desk.call.entries == [ERIKA, IVAN]  # they leave when the service says so


async def test_weak_connections_outrank_the_advisors_choice(desk: Desk) -> None:
    await desk.admit(ERIKA, IVAN)
    listener = desk.session.listener
    listener.video_pause(1, "chosen")
    listener.video_pause(2, "weak")
    listener.video_pause(2, None)
    assert desk.pauses == [PauseNote.CHOSEN, PauseNote.WEAK, PauseNote.CHOSEN]
