"""One call per video frame: where the document is, what is wrong with the view, and a still.

:func:`analyse` is the entry point of the live guidance (a few milliseconds per 1280×720
frame); :class:`AutoCapture` decides when a run of good frames is steady enough for a still;
:func:`capture` makes the rectified still with its face and zone crops, in memory only.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

import cv2
import numpy as np

from advisor_app.idcheck import faces
from advisor_app.idcheck.detect import Detection, Quad, find_document, refine
from advisor_app.idcheck.faces import Box
from advisor_app.idcheck.geometry import (
    LIVE_SIZE,
    STILL_SIZE,
    Corners,
    DocFormat,
    Image,
    aspect_ratio,
    closest_format,
    percentiles,
    rectify,
    side_lengths,
    turn_half,
)
from advisor_app.idcheck.image_quality import Quality, edge_width, measure
from advisor_app.idcheck.recapture import (
    SCREEN_CHROMA,
    colour_cast,
    enclosed,
    letterboxed,
    reproduced,
    screen_pattern,
    side_kinds,
)
from advisor_app.idcheck.zone import Zone, find_zone

#: The document's long side must cover at least this share of the frame's long side.
MIN_LENGTH = 0.33
#: The outline may take at most this many pixels to rise from background to paper.
MAX_EDGE_WIDTH = 5.0
#: Without a measurable outline, the print itself must be this sharp (stricter).
MIN_SHARPNESS_ALONE = 0.45
#: A frame darker than this on average (0–255) is too dark to find anything.
MIN_FRAME_BRIGHTNESS = 45.0
#: Rows of margin above and below the zone's band in a still's crop.
ZONE_MARGIN = 12


class Hint(StrEnum):
    """What the advisor (and, through the lead's overlay, the citizen) is told."""

    NO_DOCUMENT = "no_document"
    MOVE_CLOSER = "move_closer"
    HOLD_STILL = "hold_still"
    GLARE = "glare"
    TOO_DARK = "too_dark"
    CUT_OFF = "cut_off"
    NOT_A_DOCUMENT = "not_a_document"
    RECAPTURED = "recaptured"  # a screen or a printed photo of the document
    #: Nothing but a uniform field or a frame around the document, or a screen's black on
    #: opposite sides: a card lying on a plain surface, or a phone whose bezel and black
    #: screen merge with a dark desk; the citizen is asked to hold it in the hand (fingers
    #: and room around it), and "good" is not shown.
    IN_HAND = "in_hand"
    WRONG_SIDE = "wrong_side"
    GOOD = "good"


class Side(StrEnum):
    FRONT = "front"  # the holder's photo (the passport's data page counts as front)
    BACK = "back"  # the identity card's back with the TD1 zone


@dataclass(frozen=True, slots=True)
class Analysis:
    hint: Hint
    #: Corners in frame pixels: top-left, top-right, bottom-right, bottom-left of the upright
    #: document (None without a document-shaped outline).
    corners: Corners | None = None
    format: DocFormat | None = None
    side: Side | None = None
    quality: Quality | None = None
    edge_width: float | None = None
    #: The photo's face and the zone, in the pixels of the live rectified view.
    face: Box | None = None
    zone: Zone | None = None

    @property
    def good(self) -> bool:
        return self.hint is Hint.GOOD


def _ink_left_heavy(gray: Image) -> bool:
    """True when the left third holds more non-paper area than the right third (the photo
    sits on the left of an upright ID card or passport page)."""
    w = gray.shape[1]
    (paper,) = percentiles(gray, 50)
    ink = np.abs(gray.astype(np.int16) - paper) > 40
    return bool(ink[:, : w // 3].mean() >= ink[:, -(w // 3) :].mean())


def _content(
    gray: Image, corners: Corners, fmt: DocFormat, expect: Side | None, base: Analysis
) -> Analysis:
    """Orientation, side and plausibility of a sharp, well-lit document view (``gray``: the
    document rectified to its live size)."""
    zone = find_zone(gray)
    if zone is not None:
        if zone.turned:
            corners, gray = turn_half(corners), cv2.rotate(gray, cv2.ROTATE_180)
            zone = Zone(zone.lines, gray.shape[0] - zone.bottom, gray.shape[0] - zone.top, False)
        fmt = DocFormat.ID1 if zone.lines == 3 else DocFormat.TD3
    elif not _ink_left_heavy(gray):
        corners, gray = turn_half(corners), cv2.rotate(gray, cv2.ROTATE_180)
    if zone is not None and gray.shape[::-1] != LIVE_SIZE[fmt]:
        # the outline's shape suggested the other format (a card seen at an angle has a
        # passport page's shape, and back): the view, and the zone's rows with it, are taken
        # to the zone's format, whose live size capture() scales from
        rows = LIVE_SIZE[fmt][1] / gray.shape[0]
        gray = cv2.resize(gray, LIVE_SIZE[fmt])
        zone = replace(zone, top=round(zone.top * rows), bottom=round(zone.bottom * rows))
    face = (
        None
        if zone is not None and zone.lines == 3
        else faces.document_face(gray, passport=fmt is DocFormat.TD3)
    )
    side: Side | None = None
    if zone is not None and zone.lines == 3:
        side = Side.BACK
    elif zone is not None and face is not None:
        side = Side.FRONT  # a passport's data page: photo and zone
    elif zone is None and face is not None:
        side, fmt = Side.FRONT, DocFormat.ID1
    found = Analysis(
        Hint.NOT_A_DOCUMENT, corners, fmt, side, base.quality, base.edge_width, face, zone
    )
    if side is None:
        return found
    wrong = fmt is DocFormat.ID1 and expect is not None and expect is not side
    return replace(found, hint=Hint.WRONG_SIDE if wrong else Hint.GOOD)


def _judge(frame: Image, det: Detection, quad: Quad, expect: Side | None) -> Analysis:
    corners = quad.corners
    fmt = closest_format(
        float(side_lengths(corners)[[0, 2]].sum() / side_lengths(corners)[[1, 3]].sum())
    )
    fmt = fmt or DocFormat.ID1
    rect = rectify(frame, corners, LIVE_SIZE[fmt])
    gray = cv2.cvtColor(rect, cv2.COLOR_BGR2GRAY)
    quality = measure(rect, gray)
    width = edge_width(det.gray, corners)
    base = Analysis(Hint.GOOD, corners, fmt, None, quality, width)

    def hint(h: Hint) -> Analysis:
        return replace(base, hint=h)

    if quality.dark and float(det.small_gray.mean()) < 2 * MIN_FRAME_BRIGHTNESS:
        return hint(Hint.TOO_DARK)
    if float(side_lengths(corners).max()) < MIN_LENGTH * max(frame.shape[:2]):
        return hint(Hint.MOVE_CLOSER)
    blurred = (
        width > MAX_EDGE_WIDTH if width is not None else quality.sharpness < MIN_SHARPNESS_ALONE
    )
    if quality.glaring:
        return hint(Hint.GLARE)
    if blurred or not quality.sharp:
        return hint(Hint.HOLD_STILL)
    found = _content(gray, corners, fmt, expect, base)
    if found.hint is Hint.NOT_A_DOCUMENT:
        return found
    surround = _surround(frame, rect, corners, fmt)
    if surround is not None:
        return replace(found, hint=surround)  # it looks like one, but may be a picture
    for inside in quad.inner:
        # a card-shaped outline inside the outline: the outline may be a print's paper or a
        # phone merged with what is behind it, so that its margin was never looked at
        inside = refine(det.gray, inside)
        inner_fmt = closest_format(aspect_ratio(inside)) or fmt
        inner_rect = rectify(frame, inside, LIVE_SIZE[inner_fmt])
        if _surround(frame, inner_rect, inside, inner_fmt) is Hint.RECAPTURED:
            return replace(found, hint=Hint.RECAPTURED, corners=inside, format=inner_fmt)
    return found


def _surround(frame: Image, rect: Image, corners: Corners, fmt: DocFormat) -> Hint | None:
    """RECAPTURED for a screen's colour moiré, a frame (print margin, bezel) on three or four
    sides, or a screen's or photo paper's white with a frame or uniform field on two (see
    recapture); IN_HAND when every side is framed or lies on a uniform field, or when the
    screen's black lies on opposite sides (recapture.letterboxed); else None."""
    if screen_pattern(rect) > SCREEN_CHROMA:
        return Hint.RECAPTURED
    w, h = LIVE_SIZE[fmt]
    sides = side_kinds(frame, corners, (w // 2, h // 2))
    kinds = [kind for kind, _ in sides]
    framed, plain = kinds.count("framed"), kinds.count("plain")
    if reproduced(framed, plain, colour_cast(rect)):
        return Hint.RECAPTURED
    return Hint.IN_HAND if enclosed(framed, plain) or letterboxed(sides) else None


def analyse(frame_bgr: Image, expect: Side | None = None) -> Analysis:
    """Analyse one frame (BGR, any size and orientation). ``expect`` is the side asked for."""
    det = find_document(frame_bgr)
    if det.quad is None:
        if float(det.small_gray.mean()) < MIN_FRAME_BRIGHTNESS:
            return Analysis(Hint.TOO_DARK)
        if det.cut_off:
            return Analysis(Hint.CUT_OFF)
        if det.other is not None:
            return Analysis(Hint.NOT_A_DOCUMENT, det.other.corners)
        return Analysis(Hint.NO_DOCUMENT)
    first = _judge(frame_bgr, det, det.quad, expect)
    if first.hint is not Hint.NOT_A_DOCUMENT:
        return first
    for quad in det.runners_up[:1]:
        refined = replace(quad, corners=refine(det.gray, quad.corners))
        second = _judge(frame_bgr, det, refined, expect)
        if second.hint is not Hint.NOT_A_DOCUMENT:
            return second  # the larger outline was something else (a picture, a screen)
    return first


# --- stills ------------------------------------------------------------------------------------


@dataclass
class Still:
    """A captured, rectified document image and its crops. In memory only: :meth:`wipe`."""

    image: Image
    format: DocFormat
    side: Side
    face: Image | None = None
    zone: Image | None = None
    live_face: Image | None = None
    _arrays: list[Image] = field(default_factory=list, repr=False)

    def wipe(self) -> None:
        """Overwrite every pixel held here with zeros and drop the references."""
        for array in (self.image, self.face, self.zone, self.live_face):
            if array is not None:
                array.fill(0)
        self.face = self.zone = self.live_face = None


def capture(frame_bgr: Image, analysis: Analysis) -> Still:
    """The still of a good analysis: rectified at full size, with the photo face and zone."""
    if analysis.corners is None or analysis.format is None or analysis.side is None:
        raise ValueError("capture needs an analysis that found a document")
    size = STILL_SIZE[analysis.format]
    image = rectify(frame_bgr, analysis.corners, size)
    still = Still(image, analysis.format, analysis.side)
    factor = size[1] / LIVE_SIZE[analysis.format][1]
    if analysis.face is not None:
        still.face = faces.crop(image, analysis.face.scaled(factor), margin=0.35)
    if analysis.zone is not None:
        top = max(0, round(analysis.zone.top * factor) - ZONE_MARGIN)
        bottom = min(size[1], round(analysis.zone.bottom * factor) + ZONE_MARGIN)
        still.zone = image[top:bottom].copy()
    return still


def live_face_crop(frame_bgr: Image) -> Image | None:
    """The citizen's face in a live frame, cropped (a copy), or None."""
    box = faces.live_face(frame_bgr)
    return None if box is None else faces.crop(frame_bgr, box)


class AutoCapture:
    """Says "capture now" after ``needed`` good frames in a row with a steady document."""

    def __init__(self, needed: int = 4, max_shift: float = 0.015) -> None:
        self.needed = needed
        self.max_shift = max_shift
        self._run = 0
        self._last: Corners | None = None

    @property
    def progress(self) -> float:
        """0–1: how far the current run of good frames is."""
        return min(1.0, self._run / self.needed)

    def reset(self) -> None:
        self._run, self._last = 0, None

    def feed(self, analysis: Analysis) -> bool:
        """True exactly once, when the run of steady good frames reaches ``needed``."""
        if not analysis.good or analysis.corners is None:
            self.reset()
            return False
        if self._last is not None:
            diagonal = float(np.linalg.norm(analysis.corners[0] - analysis.corners[2]))
            shift = float(np.linalg.norm(analysis.corners - self._last, axis=1).max())
            if shift > self.max_shift * diagonal:
                self._run = 0
        self._last = analysis.corners
        self._run += 1
        if self._run >= self.needed:
            self.reset()
            return True
        return False
