"""Stand-ins for the ID check's image work: scripted analyses, tiny stills, inline workers."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, ParamSpec, TypeVar

import numpy as np

from advisor_app.console.id_check import Frame, Tools
from advisor_app.idcheck.analysis import Analysis, Hint, Side, Still
from advisor_app.idcheck.geometry import DocFormat

P = ParamSpec("P")
T = TypeVar("T")

CORNERS = np.array([[10.0, 10.0], [110.0, 10.0], [110.0, 73.0], [10.0, 73.0]])


class Held(Executor):
    """Keeps each job until :meth:`finish`, then runs it on the calling thread: a test
    decides what a worker has done when."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Future[Any], Callable[[], Any]]] = []

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future: Future[T] = Future()
        self.jobs.append((future, lambda: fn(*args, **kwargs)))
        return future

    def finish(self) -> None:
        jobs, self.jobs = self.jobs, []
        for future, job in jobs:
            future.set_result(job())


def good(side: Side, fmt: DocFormat = DocFormat.ID1, shift: float = 0.0) -> Analysis:
    return Analysis(Hint.GOOD, CORNERS + shift, fmt, side)


def frame() -> Frame:
    return np.full((72, 128, 3), 128, dtype=np.uint8)


class FakeCamera:
    """The citizen's picture as the analysis would judge it."""

    def __init__(self) -> None:
        self.analysis: Analysis | None = None
        self.zone_lines: list[str] | None = None
        self.ocr = True
        #: A face is found in the live picture.
        self.face = True

    def frames(self) -> Frame | None:
        return None if self.analysis is None else frame()

    def analyse(self, _frame: Frame, expect: Side | None) -> Analysis:
        assert self.analysis is not None
        a = self.analysis
        if a.good and expect is not None and a.side is not expect:
            return Analysis(Hint.WRONG_SIDE, a.corners, a.format, a.side)
        return a

    @staticmethod
    def capture(_frame: Frame, analysis: Analysis) -> Still:
        assert analysis.format is not None and analysis.side is not None
        pixels = np.full((54, 86, 3), 200, dtype=np.uint8)
        front = analysis.side is Side.FRONT
        zone = analysis.format is DocFormat.TD3 or not front
        return Still(
            pixels,
            analysis.format,
            analysis.side,
            face=pixels[:20, :16].copy() if front else None,
            zone=pixels[40:].copy() if zone else None,
        )

    def live_face(self, _frame: Frame) -> Frame | None:
        return np.full((8, 8, 3), 90, dtype=np.uint8) if self.face else None

    def read_zone(self, _zone: Frame) -> list[str] | None:
        return self.zone_lines

    def tools(self) -> Tools:
        return Tools(self.analyse, self.capture, self.live_face, self.read_zone, lambda: self.ocr)
