"""Signs that the camera sees a reproduction of a document (a screen, a printed photo).

Two signs a live analysis can afford, both measured on the document's outline found by
:mod:`detect`:

* :func:`screen_pattern`: a display's red, green and blue sub-pixels, sampled by the camera,
  turn into fine colour moiré. Printed or plastic documents have colour too, but not at the
  finest scale all over the surface: the high-frequency colour energy relative to the
  high-frequency brightness energy tells them apart.
* :func:`framed_sides`: a photo print has a paper margin around the document, a phone or
  monitor a bezel or black screen area. Either is a uniform band along an edge of the
  document, bounded by a second straight edge parallel to it. A card held in a hand has the
  hand and the room around it instead.

Neither proves a document genuine: a colour copy cut to size and held like a card shows
neither sign. The console says so next to the hints and asks the advisor to have the card
tilted (the hologram and the light reflections change on a real card).
"""

from __future__ import annotations

import functools
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from advisor_app.idcheck.geometry import Corners, Image

#: Colour detail relative to brightness detail above which the picture comes from a screen.
SCREEN_CHROMA = 0.8
#: A side is framed when a straight edge parallel to it lies within this share of the
#: document's size, with a uniform band in between.
FRAME_REACH = 0.15
#: Brightness step (0–255) of the frame's own edge.
FRAME_STEP = 10.0
#: Largest spread (0–255) of brightness along a band that still counts as uniform.
FRAME_FLAT = 7.0


def screen_pattern(rect_bgr: Image) -> float:
    """Fine colour detail over fine brightness detail of a rectified document (about 0–3)."""
    img = rect_bgr.astype(np.float32)
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    chroma = img[..., 0] - img[..., 2]
    fine_gray = gray - cv2.GaussianBlur(gray, (0, 0), 2.0)
    fine_chroma = chroma - cv2.GaussianBlur(chroma, (0, 0), 2.0)
    return float(np.sqrt(np.mean(fine_chroma**2)) / (np.sqrt(np.mean(fine_gray**2)) + 1e-6))


@functools.cache
def _grid(size: tuple[int, int]) -> tuple[NDArray[Any], NDArray[Any]]:
    w, h = size
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    return xs, ys


def _extended(
    gray: Image, corners: Corners, size: tuple[int, int]
) -> tuple[Image, Image, int, int]:
    """The document and a margin of :data:`FRAME_REACH` around it, rectified, with a mask of
    the pixels that lie inside the camera frame."""
    w, h = size
    mx = my = round(FRAME_REACH * max(w, h))  # a margin is as wide on every side
    doc = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    shifted = (doc + np.array([mx, my], np.float32)).astype(np.float32)
    to_frame = cv2.getPerspectiveTransform(shifted, corners.astype(np.float32))
    out = (w + 2 * mx, h + 2 * my)
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    view = cv2.warpPerspective(gray, to_frame, out, flags=flags, borderMode=cv2.BORDER_REPLICATE)
    # which of those pixels come from inside the camera frame (the homography, not a warp)
    xs, ys = _grid(out)
    m = to_frame.astype(np.float32)
    den = m[2, 0] * xs + m[2, 1] * ys + m[2, 2]
    sx = (m[0, 0] * xs + m[0, 1] * ys + m[0, 2]) / den
    sy = (m[1, 0] * xs + m[1, 1] * ys + m[1, 2]) / den
    fh, fw = gray.shape[:2]
    inside = (sx >= 0) & (sx <= fw - 1) & (sy >= 0) & (sy <= fh - 1)
    return view, inside, mx, my


def _side(strip: NDArray[Any], valid: NDArray[Any], edge: int) -> str:
    """``strip``: depth × length, brightness across one side, outside first; the document's
    edge at row ``edge``. "framed" when a second straight edge runs parallel within the strip
    with a uniform band between the two; "plain" when all of the strip outside the document
    is one uniform band (a screen's black around a picture, or a plain wall); else "open"."""
    seen = valid.mean(axis=1)  # per depth, the share that lies inside the camera frame
    smooth = cv2.GaussianBlur(strip, (9, 3), 0)
    profile = smooth.mean(axis=1)
    # light falls off across a picture: a band is uniform when it is flat around its trend
    t = np.linspace(-1.0, 1.0, smooth.shape[1], dtype=np.float32)
    slope = (smooth @ t) / float(t @ t)
    flat = smooth - profile[:, None] - slope[:, None] * t[None, :]
    spread = 2.5 * flat.std(axis=1)  # about the range of the middle 80 %
    depth = len(profile)
    for e in range(3, depth - 3):
        if abs(e - edge) < 5:
            continue  # the document's own edge
        step = float(profile[e + 2] - profile[e - 2])
        if abs(step) < FRAME_STEP:
            continue
        beyond = e + 6 if e > edge else e - 6  # away from the document's edge
        if not 0 <= beyond < depth:
            continue
        near = profile[e - 2] if e > edge else profile[e + 2]
        if abs(float(profile[beyond] - near)) < 0.6 * abs(step):
            continue  # a line (a row of print), not the edge of a frame
        window = np.abs(smooth[e - 1 : e + 2] - smooth[e - 3 : e])  # e >= 3: in range
        if float((window.max(axis=0) >= 0.5 * FRAME_STEP).mean()) < 0.85:
            continue  # not one straight edge along the whole side (what lies beyond varies)
        lo, hi = sorted((e, edge))
        if float(seen[lo - 3 : hi + 4].min()) < 0.98:
            continue  # part of the band lies outside the picture: nothing to tell
        band = spread[lo + 3 : hi - 2]
        if len(band) >= 2 and float(band.max()) <= FRAME_FLAT:
            return "framed"
    outside = slice(0, edge - 3)
    steps = np.abs(profile[4 : edge - 3] - profile[: edge - 7])
    if (
        float(seen[outside].min()) >= 0.98
        and float(spread[outside].max()) <= FRAME_FLAT
        and (len(steps) == 0 or float(steps.max()) < FRAME_STEP)
    ):
        return "plain"
    return "open"


def frame_sides(gray: Image, corners: Corners, size: tuple[int, int]) -> tuple[int, int]:
    """How many of the document's four sides run along a frame (a print's margin, a bezel),
    and how many lie on a plain uniform field (see :func:`_side`).

    ``size`` is the rectified size to look at; half the live view's size is enough for edges
    a few pixels apart and keeps this at a few milliseconds.
    """
    view, inside, mx, my = _extended(gray, corners, size)
    w, h = size
    f = view.astype(np.float32)
    ok = inside
    x0, x1 = mx + w // 10, mx + w - w // 10
    y0, y1 = my + h // 10, my + h - h // 10
    strips = [
        (f[: 2 * my, x0:x1], ok[: 2 * my, x0:x1], my),  # top, outside first
        (f[h:, x0:x1][::-1], ok[h:, x0:x1][::-1], my),  # bottom
        (f[y0:y1, : 2 * mx].T, ok[y0:y1, : 2 * mx].T, mx),  # left
        (f[y0:y1, w:].T[::-1], ok[y0:y1, w:].T[::-1], mx),  # right
    ]
    sides = [_side(np.ascontiguousarray(s), v, e) for s, v, e in strips]
    return sides.count("framed"), sides.count("plain")


def reproduced(framed: int, plain: int) -> bool:
    """A print's margin on three or four sides; or a phone's bezel along two sides and its
    black screen beyond a third. A card before a plain wall has plain sides, no frame."""
    return framed >= 3 or (framed >= 2 and framed + plain >= 3)
