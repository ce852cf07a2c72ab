"""The ID check's workflow without a window: steps, auto-capture, the zone, the verdicts."""

from __future__ import annotations

from datetime import date

import pytest

from advisor_app.console.id_check import (
    AUTO_FRAMES,
    Capture,
    CheckStep,
    IdCheckListener,
    IdCheckSession,
    MrzStatus,
    ZoneReading,
    ZoneStatus,
)
from advisor_app.core.protocol import IdentityDocument
from advisor_app.idcheck import mrz
from advisor_app.idcheck.analysis import Analysis, Hint, Side
from advisor_app.idcheck.geometry import DocFormat
from tests.helpers.id_check_fakes import CORNERS, FakeCamera, Held, good

pytestmark = pytest.mark.unit

NAME = "Erika Mustermann"
TODAY = date(2026, 11, 20)
ZONE = mrz.build_td1(
    number="T22000129",
    birth="830812",
    sex="F",
    expiry="310731",
    surname="Mustermann",
    given_names="Erika",
)


class Seen:
    """Everything the session reported, in order."""

    def __init__(self) -> None:
        self.steps: list[CheckStep] = []
        self.captures: list[Capture] = []
        self.zones: list[ZoneReading] = []
        self.progress: list[float] = []
        self.hints: list[Hint] = []
        self.events: list[str] = []
        self.retaken: list[tuple[Side, bool]] = []

    def listener(self) -> IdCheckListener:
        return IdCheckListener(
            step=self.steps.append,
            no_frame=lambda: self.events.append("no frame"),
            complete=lambda: self.events.append("complete"),
            analysed=lambda a, _f, p: (self.hints.append(a.hint), self.progress.append(p)),
            captured=self.captures.append,
            retaken=lambda side, left: self.retaken.append((side, left)),
            live_face=lambda _face: self.events.append("live face"),
            zone=self.zones.append,
        )


@pytest.fixture
def camera() -> FakeCamera:
    return FakeCamera()


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
def ocr() -> Held:
    return Held()


@pytest.fixture
def worker() -> Held:
    return Held()


@pytest.fixture
def session(camera: FakeCamera, seen: Seen, worker: Held, ocr: Held) -> IdCheckSession:
    return IdCheckSession(
        camera.frames,
        NAME,
        seen.listener(),
        today=lambda: TODAY,
        tools=camera.tools(),
        analysis_pool=worker,
        ocr_pool=ocr,
    )


def frames(session: IdCheckSession, worker: Held, n: int) -> None:
    """``n`` frames of what the camera shows now analysed and reported."""
    for _ in range(n):
        session.tick()  # hands the worker a frame (or reports its last result first)
        worker.finish()
    session.tick()


def front_and_back(session: IdCheckSession, worker: Held, camera: FakeCamera) -> None:
    camera.analysis = good(Side.FRONT)
    frames(session, worker, AUTO_FRAMES)
    camera.analysis = good(Side.BACK)
    frames(session, worker, AUTO_FRAMES)
    assert session.step is CheckStep.DONE


def test_without_video_it_waits_and_says_so(session: IdCheckSession, seen: Seen) -> None:
    session.tick()
    assert seen.events == ["no frame"]
    assert session.step is CheckStep.FRONT


def test_steady_good_frames_take_the_front_then_the_back(
    session: IdCheckSession, worker: Held, camera: FakeCamera, seen: Seen, ocr: Held
) -> None:
    camera.analysis = good(Side.FRONT)
    frames(session, worker, AUTO_FRAMES - 1)
    assert seen.progress == [0.25, 0.5, 0.75] and not seen.captures
    frames(session, worker, 1)
    assert session.step is CheckStep.BACK
    assert seen.progress[-1] == 0.0  # the next side starts from nothing
    front = seen.captures[-1]
    assert front.side is Side.FRONT and front.document is IdentityDocument.ID_CARD
    assert front.mrz_format is None and front.still.face is not None
    assert seen.zones == []  # the front has no zone

    # the front again while the back is asked for: told, not taken
    frames(session, worker, AUTO_FRAMES)
    assert seen.hints[-1] is Hint.WRONG_SIDE and len(seen.captures) == 1
    assert "live face" in seen.events  # asked for once a still exists

    camera.analysis = good(Side.BACK)
    frames(session, worker, AUTO_FRAMES)
    assert seen.steps == [CheckStep.BACK, CheckStep.DONE]
    assert set(session.stills) == {Side.FRONT, Side.BACK}
    assert seen.zones == [ZoneReading(ZoneStatus.READING)]
    assert worker.jobs == []  # both sides and the live face: no more analysis


def test_without_a_live_face_the_analysis_goes_on_after_both_sides(
    session: IdCheckSession, worker: Held, camera: FakeCamera, seen: Seen
) -> None:
    camera.face = False
    front_and_back(session, worker, camera)
    frames(session, worker, 1)
    assert seen.events[-1] == "complete" and seen.steps[-1] is CheckStep.DONE


def test_a_moving_or_bad_frame_starts_the_run_again(
    session: IdCheckSession, worker: Held, camera: FakeCamera, seen: Seen
) -> None:
    camera.analysis = good(Side.FRONT)
    frames(session, worker, AUTO_FRAMES - 1)
    camera.analysis = Analysis(Hint.HOLD_STILL, CORNERS, DocFormat.ID1, Side.FRONT)
    frames(session, worker, 1)
    assert seen.progress[-1] == 0.0
    camera.analysis = good(Side.FRONT, shift=20.0)  # jumped by a fifth of the card
    frames(session, worker, 1)
    camera.analysis = good(Side.FRONT)
    frames(session, worker, AUTO_FRAMES - 1)
    assert not seen.captures  # the jump back starts the run again
    frames(session, worker, 1)
    assert session.step is CheckStep.BACK


def test_a_passport_page_is_all_it_needs(
    session: IdCheckSession, worker: Held, camera: FakeCamera, seen: Seen
) -> None:
    camera.analysis = good(Side.FRONT, DocFormat.TD3)
    frames(session, worker, AUTO_FRAMES)
    assert seen.steps == [CheckStep.DONE]
    capture = seen.captures[0]
    assert capture.document is IdentityDocument.PASSPORT
    assert capture.mrz_format is mrz.MrzFormat.TD3


def test_the_read_zone_comes_back_unless_the_advisor_typed_meanwhile(
    session: IdCheckSession, worker: Held, camera: FakeCamera, seen: Seen, ocr: Held
) -> None:
    session.check_zone(["", "", ""], complete=False)
    camera.zone_lines = ZONE
    front_and_back(session, worker, camera)
    ocr.finish()
    session.tick()
    assert seen.zones[-1] == ZoneReading(ZoneStatus.READ, ZONE, mrz.MrzFormat.TD1, False)

    session.retake()
    assert seen.retaken == [(Side.BACK, True)] and session.step is CheckStep.BACK
    frames(session, worker, AUTO_FRAMES)
    session.check_zone(["IDD", "", ""], complete=False)  # typing while the OCR reads
    ocr.finish()
    session.tick()
    assert seen.zones[-1] == ZoneReading(ZoneStatus.TYPED_MEANWHILE)


def test_unreadable_characters_and_a_failed_reading(
    session: IdCheckSession, worker: Held, camera: FakeCamera, seen: Seen, ocr: Held
) -> None:
    camera.zone_lines = [ZONE[0][:-1] + "?", ZONE[1], ZONE[2]]
    front_and_back(session, worker, camera)
    ocr.finish()
    session.tick()
    assert seen.zones[-1].unreadable
    camera.zone_lines = None
    session.retake()
    frames(session, worker, AUTO_FRAMES)
    ocr.finish()
    session.tick()
    assert seen.zones[-1] == ZoneReading(ZoneStatus.FAILED)


def test_a_reading_of_a_retaken_still_is_dropped(
    session: IdCheckSession, worker: Held, camera: FakeCamera, seen: Seen, ocr: Held
) -> None:
    camera.zone_lines = ZONE
    front_and_back(session, worker, camera)
    session.retake()
    ocr.finish()
    session.tick()
    assert seen.zones == [ZoneReading(ZoneStatus.READING)]


def test_without_an_engine_the_advisor_types(
    session: IdCheckSession, worker: Held, camera: FakeCamera, seen: Seen
) -> None:
    camera.ocr = False
    front_and_back(session, worker, camera)
    assert seen.zones == [ZoneReading(ZoneStatus.NO_ENGINE)]


def test_capture_now_takes_what_is_there_as_the_side_asked_for(
    session: IdCheckSession, worker: Held, camera: FakeCamera, seen: Seen
) -> None:
    assert not session.capture_now()  # nothing seen yet
    camera.analysis = Analysis(Hint.NO_DOCUMENT)
    frames(session, worker, 1)
    assert not session.capture_now()
    camera.analysis = Analysis(Hint.MOVE_CLOSER, CORNERS)
    frames(session, worker, 1)
    assert session.capture_now()
    assert seen.captures[0].side is Side.FRONT and session.step is CheckStep.BACK
    assert session.capture_now()  # the same picture, now taken as the back
    assert seen.captures[1].side is Side.BACK and session.step is CheckStep.DONE


def test_retake_drops_the_back_first_and_overwrites_it(
    session: IdCheckSession, worker: Held, camera: FakeCamera, seen: Seen
) -> None:
    camera.analysis = Analysis(Hint.MOVE_CLOSER, CORNERS)
    frames(session, worker, 1)
    session.capture_now()
    session.capture_now()
    back = session.stills[Side.BACK].image
    session.retake()
    assert not back.any()
    assert seen.retaken == [(Side.BACK, True)] and session.step is CheckStep.BACK
    session.retake()
    assert seen.retaken[-1] == (Side.FRONT, False) and session.step is CheckStep.FRONT
    assert session.stills == {}


def test_close_overwrites_every_picture(
    session: IdCheckSession, worker: Held, camera: FakeCamera
) -> None:
    camera.analysis = good(Side.FRONT)
    frames(session, worker, AUTO_FRAMES)
    held = [session.stills[Side.FRONT].image, session.stills[Side.FRONT].face]
    session.close()
    assert all(a is not None and not a.any() for a in held)
    assert session.stills == {}


def test_zone_verdicts(session: IdCheckSession) -> None:
    assert session.check_zone(ZONE[:2], complete=False).status is MrzStatus.INCOMPLETE
    assert session.check_zone(["X" * 30] * 2, complete=True).status is MrzStatus.NO_FORMAT
    verdict = session.check_zone(ZONE, complete=True)
    assert verdict.status is MrzStatus.VALID
    assert verdict.expiry == date(2031, 7, 31) and verdict.expired is False
    assert verdict.name is mrz.NameMatch.MATCH and verdict.zone_name == "MUSTERMANN, ERIKA"

    birth = ZONE[1]
    wrong = [ZONE[0], birth[:2] + str((int(birth[2]) + 1) % 10) + birth[3:], ZONE[2]]
    verdict = session.check_zone(wrong, complete=True)
    assert verdict.status is MrzStatus.INVALID
    assert verdict.failing == (mrz.MrzField.BIRTH_DATE, mrz.MrzField.COMPOSITE)

    expired = mrz.build_td1(
        number="T22000129",
        birth="830812",
        sex="F",
        expiry="250101",
        surname="Musterfrau",
        given_names="Erika",
    )
    verdict = session.check_zone(expired, complete=True)
    assert verdict.status is MrzStatus.VALID and verdict.expired is True
    assert verdict.name is mrz.NameMatch.MISMATCH
