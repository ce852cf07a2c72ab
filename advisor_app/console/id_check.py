"""The ID check as a workflow: front, back, done; auto-capture; the verdicts as data.

:class:`IdCheckSession` analyses the newest remote frame in a worker thread whenever it is
ticked, captures a still after a run of steady good frames (or when asked to), reads the
zone of a still in a second worker and checks the typed or read zone. It reports through an
:class:`IdCheckListener` on the thread that ticks it; the dialog only renders. Stills exist
only in memory and are overwritten by :meth:`IdCheckSession.close`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from time import monotonic

import numpy as np
from numpy.typing import NDArray

from advisor_app.core.protocol import IdentityDocument
from advisor_app.idcheck import analysis as idanalysis
from advisor_app.idcheck import mrz, ocr
from advisor_app.idcheck.analysis import Analysis, AutoCapture, Side, Still
from advisor_app.idcheck.geometry import DocFormat

log = logging.getLogger(__name__)

Frame = NDArray[np.uint8]
Work = tuple[Analysis, Frame, Frame | None]

#: Good steady frames in a row before a still is taken by itself.
AUTO_FRAMES = 4


class CheckStep(StrEnum):
    """What the citizen's page asks for now (the values go to the page as they are)."""

    FRONT = "front"
    BACK = "back"
    DONE = "done"


class ZoneStatus(StrEnum):
    """How the text recognition of a still's zone went."""

    NO_ENGINE = "no_engine"  # nothing installed: the advisor types the lines
    READING = "reading"
    READ = "read"
    FAILED = "failed"
    TYPED_MEANWHILE = "typed_meanwhile"  # the advisor's own lines stay


@dataclass(frozen=True, slots=True)
class ZoneReading:
    status: ZoneStatus
    lines: list[str] | None = None
    #: The format the read lines have (None: keep the fields as they are).
    format: mrz.MrzFormat | None = None
    #: Some characters could not be read ("?").
    unreadable: bool = False


@dataclass(frozen=True, slots=True)
class Capture:
    """A still was taken: the side it shows and what the dialog offers for it."""

    side: Side
    still: Still
    document: IdentityDocument
    #: The zone format the fields change to (None: they stay).
    mrz_format: mrz.MrzFormat | None


class MrzStatus(StrEnum):
    INCOMPLETE = "incomplete"
    NO_FORMAT = "no_format"
    VALID = "valid"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class MrzVerdict:
    """The typed or read zone checked: check digits, expiry and the appointment's name."""

    status: MrzStatus
    #: The fields whose check digit fails, each once, in the zone's order.
    failing: tuple[mrz.MrzField, ...] = ()
    expiry: date | None = None
    #: None: the expiry date is not readable.
    expired: bool | None = None
    name: mrz.NameMatch | None = None
    #: The zone's name as "SURNAME, GIVEN NAMES".
    zone_name: str = ""


@dataclass(frozen=True, slots=True)
class Tools:
    """The image work; tests hand in fakes."""

    analyse: Callable[[Frame, Side | None], Analysis] = idanalysis.analyse
    capture: Callable[[Frame, Analysis], Still] = idanalysis.capture
    live_face: Callable[[Frame], Frame | None] = idanalysis.live_face_crop
    read_zone: Callable[[Frame], list[str] | None] = ocr.read_zone
    ocr_available: Callable[[], bool] = ocr.available


def _ignore(*_args: object) -> None:
    return None


@dataclass
class IdCheckListener:
    """What an :class:`IdCheckSession` reports, on the thread that ticks it."""

    step: Callable[[CheckStep], None] = _ignore
    #: No video frame (yet).
    no_frame: Callable[[], None] = _ignore
    #: A frame analysed after both sides were taken (only the live face was missing).
    complete: Callable[[], None] = _ignore
    #: A frame analysed: the analysis, the frame, and how far the auto-capture is (0–1).
    analysed: Callable[[Analysis, Frame, float], None] = _ignore
    captured: Callable[[Capture], None] = _ignore
    #: A still was dropped for a retake: its side, and whether another still is left.
    retaken: Callable[[Side, bool], None] = _ignore
    live_face: Callable[[Frame], None] = _ignore
    zone: Callable[[ZoneReading], None] = _ignore


def _work(tools: Tools, frame: Frame, expect: Side | None, want_face: bool) -> Work:
    """Runs in the worker: the analysis, and the live face while one is still missing."""
    return tools.analyse(frame, expect), frame, tools.live_face(frame) if want_face else None


def _read_zone(tools: Tools, zone: Frame) -> list[str] | None:
    """Runs in the OCR worker on a copy of the zone, which it overwrites when done."""
    started = monotonic()
    try:
        return tools.read_zone(zone)
    finally:
        zone.fill(0)
        log.debug("zone OCR took %.0f ms", (monotonic() - started) * 1000)


def _lines_of(future: Future[list[str] | None]) -> list[str] | None:
    if future.cancelled():
        return None
    try:
        return future.result()
    except Exception:
        log.exception("OCR of the zone failed")
        return None


@dataclass
class _Reading:
    future: Future[list[str] | None]
    #: The fields' lines when the reading started.
    before: list[str] | None


class IdCheckSession:
    """Guides through front and back, takes the stills and judges the zone."""

    def __init__(
        self,
        frames: Callable[[], Frame | None],
        expected_name: str,
        listener: IdCheckListener | None = None,
        *,
        today: Callable[[], date] = date.today,
        tools: Tools | None = None,
        analysis_pool: Executor | None = None,
        ocr_pool: Executor | None = None,
    ) -> None:
        self.frames = frames
        self.expected_name = expected_name
        self.listener = listener or IdCheckListener()
        self.today = today
        self.tools = tools or Tools()
        # The live analysis and the zone's OCR (tens to hundreds of ms) each in a worker of
        # its own, so neither holds up the window nor the other.
        self._pool = analysis_pool or ThreadPoolExecutor(1, thread_name_prefix="idcheck")
        self._ocr_pool = ocr_pool or ThreadPoolExecutor(1, thread_name_prefix="idcheck-ocr")
        self._step = CheckStep.FRONT
        self._stills: dict[Side, Still] = {}
        self._auto = AutoCapture(AUTO_FRAMES)
        self._last: Analysis | None = None
        self._last_frame: Frame | None = None
        self._live_face: Frame | None = None
        self._pending: Future[Work] | None = None
        self._reading: _Reading | None = None
        #: The zone's lines as the fields hold them (see :meth:`check_zone`).
        self._typed: list[str] | None = None

    @property
    def step(self) -> CheckStep:
        return self._step

    @property
    def stills(self) -> dict[Side, Still]:
        return dict(self._stills)

    @property
    def progress(self) -> float:
        return self._auto.progress

    def _set_step(self, step: CheckStep) -> None:
        self._step = step
        self._auto.reset()
        self.listener.step(step)

    def _expected_side(self) -> Side | None:
        return {CheckStep.FRONT: Side.FRONT, CheckStep.BACK: Side.BACK}.get(self._step)

    # --- live analysis -------------------------------------------------------------------

    def tick(self) -> None:
        """Collect the workers' results, then hand the analysis the newest frame."""
        self._collect_zone()
        if self._pending is not None:
            if not self._pending.done():
                return
            pending, self._pending = self._pending, None
            try:
                result = pending.result()
            except Exception:
                log.exception("ID analysis failed on a frame")
            else:
                self._apply(*result)
        if self._step is CheckStep.DONE and self._live_face is not None:
            return
        frame = self.frames()
        if frame is None:
            self.listener.no_frame()
            return
        want_face = self._live_face is None and bool(self._stills)
        self._pending = self._pool.submit(
            _work, self.tools, np.array(frame, copy=True), self._expected_side(), want_face
        )

    def _apply(self, analysis: Analysis, frame: Frame, face: Frame | None) -> None:
        if face is not None and self._live_face is None:
            self._live_face = face
            self.listener.live_face(face)
        if self._step is CheckStep.DONE:
            self.listener.complete()
            return
        self._last, self._last_frame = analysis, frame
        if self._auto.feed(analysis):
            self._take(frame, analysis)
        self.listener.analysed(analysis, frame, self._auto.progress)

    # --- stills --------------------------------------------------------------------------

    def capture_now(self) -> bool:
        """Take the current frame even if not everything fits (False: no document seen)."""
        if self._last is None or self._last_frame is None or self._last.corners is None:
            return False
        analysis = self._last
        if analysis.side is None or analysis.format is None:
            side = self._expected_side() or Side.FRONT
            analysis = Analysis(
                analysis.hint, analysis.corners, analysis.format or DocFormat.ID1, side
            )
        self._take(self._last_frame, analysis)
        return True

    def _take(self, frame: Frame, analysis: Analysis) -> None:
        still = self.tools.capture(frame, analysis)
        side = Side.BACK if still.side is Side.BACK else Side.FRONT
        old = self._stills.pop(side, None)
        if old is not None:
            old.wipe()
        self._stills[side] = still
        passport = still.format is DocFormat.TD3
        self.listener.captured(
            Capture(
                side,
                still,
                IdentityDocument.PASSPORT if passport else IdentityDocument.ID_CARD,
                mrz.MrzFormat.TD3 if passport else None,
            )
        )
        if still.zone is not None:
            self._read_zone(still.zone)
        done = passport or {Side.FRONT, Side.BACK} <= set(self._stills)
        self._set_step(CheckStep.DONE if done else CheckStep.BACK)

    def retake(self) -> None:
        """Drop the last still (the back if there is one) and ask for its side again."""
        self._reading = None  # a reading of the old still is dropped
        side = Side.BACK if Side.BACK in self._stills else Side.FRONT
        still = self._stills.pop(side, None)
        if still is not None:
            still.wipe()
        self.listener.retaken(side, bool(self._stills))
        self._set_step(CheckStep(side.value))

    # --- the zone ------------------------------------------------------------------------

    def _read_zone(self, zone: Frame) -> None:
        self._reading = None
        if not self.tools.ocr_available():
            self.listener.zone(ZoneReading(ZoneStatus.NO_ENGINE))
            return
        self.listener.zone(ZoneReading(ZoneStatus.READING))
        future = self._ocr_pool.submit(_read_zone, self.tools, zone.copy())
        self._reading = _Reading(future, self._typed)

    def _collect_zone(self) -> None:
        reading = self._reading
        if reading is None or not reading.future.done():
            return
        self._reading = None
        lines = _lines_of(reading.future)
        if not self._stills:
            return
        if self._typed != reading.before:
            self.listener.zone(ZoneReading(ZoneStatus.TYPED_MEANWHILE))
        elif lines:
            self.listener.zone(
                ZoneReading(
                    ZoneStatus.READ,
                    lines,
                    mrz.detect_format(lines),
                    any(ocr.UNREADABLE in line for line in lines),
                )
            )
        else:
            self.listener.zone(ZoneReading(ZoneStatus.FAILED))

    def check_zone(self, lines: list[str], *, complete: bool) -> MrzVerdict:
        """Judge the fields' lines (``complete``: every line has its full length)."""
        self._typed = list(lines)
        if not complete:
            return MrzVerdict(MrzStatus.INCOMPLETE)
        today = self.today()
        try:
            parsed = mrz.parse(lines, today=today)
        except ValueError:
            return MrzVerdict(MrzStatus.NO_FORMAT)
        return MrzVerdict(
            MrzStatus.VALID if parsed.valid else MrzStatus.INVALID,
            tuple(dict.fromkeys(parsed.failing_fields())),
            parsed.expiry_date,
            mrz.is_expired(parsed, today),
            mrz.compare_names(self.expected_name, parsed),
            f"{parsed.surname}, {parsed.given_names}",
        )

    # --- closing -------------------------------------------------------------------------

    def close(self) -> None:
        """Stop the workers and overwrite every picture and zone this session holds."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._reading = None  # a reading still under way is dropped when it ends
        self._ocr_pool.shutdown(wait=True, cancel_futures=True)
        for still in self._stills.values():
            still.wipe()
        self._stills.clear()
        for array in (self._last_frame, self._live_face):
            if array is not None:
                array.fill(0)
        self._last_frame = self._live_face = None
        self._last = None
