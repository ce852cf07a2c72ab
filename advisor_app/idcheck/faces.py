"""Faces on the document's photo and in the live picture (OpenCV's bundled Haar cascade)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import cv2

from advisor_app.idcheck.geometry import Image

_CASCADE = "haarcascade_frontalface_alt2.xml"
#: The cascade's face box on the document's photo, in pixels of the copy searched: an ID
#: card's photo is about 0.65 of the card's height and the box about half of the photo
#: (45–57 px of a copy 150 px high); a passport page's photo is about 0.52 of the page, so
#: its copy is 180 px high (43–54 px). Smaller boxes are the slowest part of a cascade's
#: search and would not be the holder's photo.
PHOTO_FACE = (30, 72)
CARD_COPY = 150
#: At 150 px the drawn passport faces (about 40 px) were missed after the call's VP8.
PASSPORT_COPY = 180


@dataclass(frozen=True, slots=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2

    def scaled(self, factor: float) -> Box:
        return Box(*(round(v * factor) for v in (self.x, self.y, self.w, self.h)))


@functools.cache
def _cascade() -> cv2.CascadeClassifier:
    # cv2.data.haarcascades: the wheel's own data folder (the stubs do not declare it)
    path = Path(cv2.__file__).parent / "data" / _CASCADE
    cascade = cv2.CascadeClassifier(str(path))
    if cascade.empty():
        raise RuntimeError(f"OpenCV's face cascade {_CASCADE} is missing")
    return cascade


def faces(gray: Image, min_size: int, max_size: int | None = None, step: float = 1.12) -> list[Box]:
    """Frontal faces in ``gray``, largest first."""
    found = _cascade().detectMultiScale(
        cv2.equalizeHist(gray),
        scaleFactor=step,
        minNeighbors=3,
        minSize=(min_size, min_size),
        maxSize=(max_size, max_size) if max_size else (0, 0),
    )
    boxes = [Box(int(x), int(y), int(w), int(h)) for x, y, w, h in found]
    return sorted(boxes, key=lambda b: -b.w * b.h)


def document_face(gray: Image, passport: bool = False) -> Box | None:
    """The holder's photo face on a rectified, upright document (left part, as on ID cards
    and passports), in the rectified image's pixels. ``passport``: a TD3 data page, whose
    photo is the same size on a page 1.6 times as high."""
    h, w = gray.shape
    # the photo's face is then 30–72 pixels high: cheap for the cascade
    height = PASSPORT_COPY if passport else CARD_COPY
    scale = height / h
    left = cv2.resize(gray[:, : int(w * 0.5)], (round(w * 0.5 * scale), height))
    # coarse scale steps first; finer ones only when they find nothing (a photo softened by
    # the call's VP8 is often missed between two coarse steps)
    for step in (1.15, 1.08):
        found = faces(left, min_size=PHOTO_FACE[0], max_size=PHOTO_FACE[1], step=step)
        # the photo sits in the left part: a face further right is a picture, not an ID photo
        found = [b for b in found if b.centre[0] < 0.4 * w * scale]
        if found:
            return found[0].scaled(1 / scale)
    return None


def live_face(frame_bgr: Image, width: int = 480) -> Box | None:
    """The largest face in a live frame, in the frame's pixels (searched on a small copy)."""
    fh, fw = frame_bgr.shape[:2]
    scale = min(1.0, width / max(fw, fh))
    small = cv2.resize(frame_bgr, (round(fw * scale), round(fh * scale)))
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    found = faces(gray, min_size=max(24, int(min(gray.shape) * 0.12)))
    return found[0].scaled(1 / scale) if found else None


def crop(image: Image, box: Box, margin: float = 0.25) -> Image:
    """``box`` with a margin around it, clipped to the image; a copy."""
    h, w = image.shape[:2]
    mx, my = int(box.w * margin), int(box.h * margin)
    x0, y0 = max(0, box.x - mx), max(0, box.y - my)
    x1, y1 = min(w, box.x + box.w + mx), min(h, box.y + box.h + my)
    return image[y0:y1, x0:x1].copy()
