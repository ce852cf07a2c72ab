"""Signs that the camera sees a reproduction of a document (a screen, a printed photo).

Three signs a live analysis can afford, all measured on the document's outline found by
:mod:`detect`:

* :func:`screen_pattern`: a display's red, green and blue sub-pixels, sampled by the camera,
  turn into fine colour moiré. Printed or plastic documents have colour too, but not at the
  finest scale all over the surface: the high-frequency colour energy relative to the
  high-frequency brightness energy tells them apart. The call's VP8 wipes most of it out.
* :func:`frame_sides`: a photo print has a paper margin around the document, a phone or
  monitor a bezel or black screen area. Either is a uniform band along an edge of the
  document, bounded by a second straight edge parallel to it, in brightness or (a grey bezel
  on a brown desk) in colour. A card held in a hand has the hand and the room around it.
* :func:`colour_cast`: the white of a screen is its own light, the white of a print warm
  photo paper; a card's paper in the room's light lies in between. Only counted together
  with a frame or uniform field along two sides (see :func:`reproduced`).

None proves a document genuine: a colour copy cut to size and held like a card shows
none of them. The console says so next to the hints and asks the advisor to have the card
tilted (the hologram and the light reflections change on a real card).
"""

from __future__ import annotations

import functools
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from advisor_app.idcheck.geometry import Corners, Image, percentiles

#: Colour detail relative to brightness detail above which the picture comes from a screen.
SCREEN_CHROMA = 0.8
#: The white point (:func:`colour_cast`) of a card's paper in room light lies in this range.
CAST_RANGE = (-0.10, 0.06)
#: A side is framed when a straight edge parallel to it lies within this share of the
#: document's size, with a uniform band in between.
FRAME_REACH = 0.15
#: Brightness step (0–255) of the frame's own edge.
FRAME_STEP = 10.0
#: Largest spread (0–255) of brightness along a band that still counts as uniform.
FRAME_FLAT = 7.0
#: ... or this share of the frame's step, when larger: a thin black bezel before a light wall
#: comes out of the codec with its ringing over the whole band.
FRAME_FLAT_SHARE = 0.08
#: Half-widths (pixels at half the live size) over which a frame's edge may rise.
FRAME_WIDTHS = (2, 4)
#: Colour-difference channels (YCrCb) are scaled by this before the same frame test.
CHROMA_GAIN = 2.0
#: A uniform field at most this bright (0–255) beside the document may be a screen's black...
BLACK_FIELD = 45.0
#: ... and one at most this bright is one: drawn phones' black measures 15–17 after VP8,
#: the darkest plain fields beside drawn genuine cards (dark clothes) 29–37.
SCREEN_BLACK = 24.0


def screen_pattern(rect_bgr: Image) -> float:
    """Fine colour detail over fine brightness detail of a rectified document (about 0–3)."""
    img = rect_bgr.astype(np.float32)
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    chroma = img[..., 0] - img[..., 2]
    fine_gray = gray - cv2.GaussianBlur(gray, (0, 0), 2.0)
    fine_chroma = chroma - cv2.GaussianBlur(chroma, (0, 0), 2.0)
    return float(np.sqrt(np.mean(fine_chroma**2)) / (np.sqrt(np.mean(fine_gray**2)) + 1e-6))


def colour_cast(rect_bgr: Image) -> float:
    """Blue minus red over brightness on the lighter half of a rectified document's inner part
    (about -0.3 to 0.3): the white point of its paper as the camera saw it."""
    h, w = rect_bgr.shape[:2]
    inner = rect_bgr[h // 10 : h - h // 10, w // 10 : w - w // 10]
    small = cv2.resize(
        inner, (inner.shape[1] // 2, inner.shape[0] // 2), interpolation=cv2.INTER_AREA
    )
    pixels = small.reshape(-1, 3)
    level = pixels.sum(axis=1, dtype=np.uint16)
    (middle,) = percentiles(level, 50)
    paper = pixels[level >= middle].astype(np.float32)  # at least half (plain paper: all)
    b, g, r = paper.mean(axis=0)
    return float(3.0 * (b - r) / (b + g + r + 1e-6))


def cast_off(cast: float) -> bool:
    """A white point outside what the room's light gives a card's paper: an emissive screen's
    own white (blue, or tinted by the sub-pixel moiré) or a print's warm photo paper."""
    return not CAST_RANGE[0] <= cast <= CAST_RANGE[1]


@functools.cache
def _grid(size: tuple[int, int]) -> tuple[NDArray[Any], NDArray[Any]]:
    w, h = size
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    return xs, ys


def _extended(
    picture: Image, corners: Corners, size: tuple[int, int]
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
    view = cv2.warpPerspective(picture, to_frame, out, flags=flags, borderMode=cv2.BORDER_REPLICATE)
    fh, fw = picture.shape[:2]
    # which of those pixels come from inside the camera frame (the homography, not a warp);
    # when the view's four corners do, all of it does (a homography that keeps the corners
    # in front of the camera maps the rectangle onto a convex quadrilateral)
    ends = np.array(
        [[[0, 0], [out[0] - 1, 0], [out[0] - 1, out[1] - 1], [0, out[1] - 1]]], np.float32
    )
    mapped = cv2.perspectiveTransform(ends, to_frame)[0]
    den = to_frame[2, 0] * ends[0, :, 0] + to_frame[2, 1] * ends[0, :, 1] + to_frame[2, 2]
    if (den > 0).all() and ((mapped >= 0) & (mapped <= [fw - 1, fh - 1])).all():
        return view, np.ones(out[::-1], bool), mx, my
    xs, ys = _grid(out)
    m = to_frame.astype(np.float32)
    den = m[2, 0] * xs + m[2, 1] * ys + m[2, 2]
    sx = (m[0, 0] * xs + m[0, 1] * ys + m[0, 2]) / den
    sy = (m[1, 0] * xs + m[1, 1] * ys + m[1, 2]) / den
    inside = (sx >= 0) & (sx <= fw - 1) & (sy >= 0) & (sy <= fh - 1)
    return view, inside, mx, my


def _side(strip: NDArray[Any], valid: NDArray[Any], edge: int, *, outward: bool = False) -> str:
    """``strip``: depth × length, brightness across one side, outside first; the document's
    edge at row ``edge``. "framed" when a second straight edge runs parallel within the strip
    with a uniform band between the two; "plain" when all of the strip outside the document
    is one uniform band (a screen's black around a picture, or a plain wall); else "open".
    ``outward``: look for a frame outside the document only, and say "framed" or "open"."""
    seen = valid.mean(axis=1)  # per depth, the share that lies inside the camera frame
    smooth = cv2.GaussianBlur(strip, (9, 3), 0)
    profile = smooth.mean(axis=1)
    # light falls off across a picture: a band is uniform when it is flat around its trend
    t = np.linspace(-1.0, 1.0, smooth.shape[1], dtype=np.float32)
    slope = (smooth @ t) / float(t @ t)
    flat = smooth - profile[:, None] - slope[:, None] * t[None, :]
    spread = 2.5 * flat.std(axis=1)  # about the range of the middle 80 %
    depth = len(profile)
    # only depths with a step of FRAME_STEP over one of the widths are worth a closer look
    rising = np.zeros(depth, bool)
    for k in FRAME_WIDTHS:
        rising[k : depth - k] |= np.abs(profile[2 * k :] - profile[: depth - 2 * k]) >= FRAME_STEP
    for e in np.flatnonzero(rising[3 : edge - 4 if outward else depth - 3]) + 3:
        if abs(e - edge) < 5:
            continue  # the document's own edge
        if _frame_edge(smooth, profile, spread, seen, int(e), edge):
            return "framed"
    if outward:
        return "open"
    outside = slice(0, edge - 3)
    steps = np.abs(profile[4 : edge - 3] - profile[: edge - 7])
    if (
        float(seen[outside].min()) >= 0.98
        and float(spread[outside].max()) <= FRAME_FLAT
        and (len(steps) == 0 or float(steps.max()) < FRAME_STEP)
    ):
        return "plain"
    return "open"


def _frame_edge(
    smooth: NDArray[Any],
    profile: NDArray[Any],
    spread: NDArray[Any],
    seen: NDArray[Any],
    e: int,
    edge: int,
) -> bool:
    """True when depth ``e`` of a side's strip is a frame's straight edge with a uniform band
    between it and the document's edge (see :func:`_side`).

    Outside the document the step is looked for over 2 and over 4 rows either side (the
    call's VP8 smears a faint edge, a black bezel on a dark background, over about six
    pixels), and the band may end 4 pixels instead of 2 before the document's edge (the
    codec's ringing there). Inside (a print's margin taken for the document) only the sharp
    step counts: the edge of the card photo's blurred backdrop must not."""
    depth = len(profile)
    for k in FRAME_WIDTHS if e < edge else FRAME_WIDTHS[:1]:
        if not k + 1 <= e < depth - k:
            continue
        step = float(profile[e + k] - profile[e - k])
        if abs(step) < FRAME_STEP:
            continue
        # away from the document's edge; outside, up to the strip's end (a phone's edge can lie
        # right there)
        beyond = e + k + 4 if e > edge else max(e - k - 4, 0)
        if beyond >= depth or beyond == e - k:
            continue
        near = profile[e - k] if e > edge else profile[e + k]
        if abs(float(profile[beyond] - near)) < 0.6 * abs(step):
            continue  # a line (a row of print), not the edge of a frame
        # one straight edge along the whole side (what lies beyond it may vary)
        window = np.abs(smooth[e - 1 : e + 2] - smooth[e - 1 - k : e + 2 - k])
        if float((window.max(axis=0) >= 0.5 * FRAME_STEP).mean()) < 0.85:
            continue
        lo, hi = sorted((e, edge))
        if float(seen[max(0, lo - k - 1) : hi + 4].min()) < 0.98:
            continue  # part of the band lies outside the picture: nothing to tell
        flat = max(FRAME_FLAT, FRAME_FLAT_SHARE * abs(step))
        bands = (
            [spread[e + k + 1 : edge - cut] for cut in (2, 4)]
            if e < edge
            else [spread[edge + 3 : e - 2]]
        )
        if any(len(band) >= 2 and float(band.max()) <= flat for band in bands):
            return True
    return False


def frame_sides(picture: Image, corners: Corners, size: tuple[int, int]) -> tuple[int, int]:
    """How many of the document's four sides run along a frame (a print's margin, a bezel),
    and how many lie on a plain uniform field (see :func:`side_kinds`)."""
    sides = [kind for kind, _ in side_kinds(picture, corners, size)]
    return sides.count("framed"), sides.count("plain")


def side_kinds(picture: Image, corners: Corners, size: tuple[int, int]) -> list[tuple[str, float]]:
    """For the top, bottom, left and right side of the document: "framed" when it runs along
    a frame (a print's margin, a bezel), "plain" on a uniform field, else "open" (see
    :func:`_side`); each with the mean brightness (0–255) of the strip outside the document.

    ``picture``: the camera frame, gray or BGR. In colour, a side without a frame in
    brightness is looked at in the two colour-difference channels too: a phone's grey bezel
    on a dark brown or blue desk differs in hue, hardly in brightness, and the codec keeps
    colour over such widths. ``size`` is the rectified size to look at; half the live
    view's size is enough for edges a few pixels apart and keeps this at a few milliseconds.
    """
    view, inside, mx, my = _extended(picture, corners, size)
    w, h = size
    if view.ndim == 3:
        ycc = cv2.cvtColor(view, cv2.COLOR_BGR2YCrCb).astype(np.float32)
        luma = np.ascontiguousarray(ycc[..., 0])
        # how far from grey: a bezel is grey, a desk or wall seldom exactly
        colour = [CHROMA_GAIN * (np.abs(ycc[..., 1] - 128.0) + np.abs(ycc[..., 2] - 128.0))]
    else:
        luma, colour = view.astype(np.float32), []
    x0, x1 = mx + w // 10, mx + w - w // 10
    y0, y1 = my + h // 10, my + h - h // 10

    def strips(f: NDArray[Any]) -> list[tuple[NDArray[Any], NDArray[Any], int]]:
        ok = inside
        return [
            (f[: 2 * my, x0:x1], ok[: 2 * my, x0:x1], my),  # top, outside first
            (f[h:, x0:x1][::-1], ok[h:, x0:x1][::-1], my),  # bottom
            (f[y0:y1, : 2 * mx].T, ok[y0:y1, : 2 * mx].T, mx),  # left
            (f[y0:y1, w:].T[::-1], ok[y0:y1, w:].T[::-1], mx),  # right
        ]

    luma_strips = strips(luma)
    sides = [_side(np.ascontiguousarray(s), v, e) for s, v, e in luma_strips]
    for channel in colour:
        for i, (s, v, e) in enumerate(strips(channel)):
            if sides[i] != "framed" and _side(np.ascontiguousarray(s), v, e, outward=True) == (
                "framed"
            ):
                sides[i] = "framed"
    levels = [float(s[: e - 3].mean()) for s, _, e in luma_strips]
    return list(zip(sides, levels, strict=True))


def letterboxed(sides: list[tuple[str, float]]) -> bool:
    """Black uniform fields on two opposite sides and a frame along one of the other two: a
    picture of the card letterboxed on a phone (black screen above and below, the bezel
    beside it) whose bezel merges with a dark desk elsewhere; or, whatever is beside the card,
    a field as black as a screen's unlit pixels on one side and a dark field or frame on the
    opposite one. ``sides``: :func:`side_kinds`."""
    (top, bottom, left, right) = sides
    for pair, others in (((top, bottom), (left, right)), ((left, right), (top, bottom))):
        if not all(kind != "open" and level <= BLACK_FIELD for kind, level in pair):
            continue  # not dark, uniform or framed on both sides
        if any(kind == "plain" and level <= SCREEN_BLACK for kind, level in pair):
            return True  # a screen's own black on one side, the phone's black or edge opposite
        if all(kind == "plain" for kind, _ in pair) and any(k == "framed" for k, _ in others):
            return True
    return False


def enclosed(framed: int, plain: int) -> bool:
    """Every side of the document runs along a frame or lies on a uniform field. A phone's
    bezel and black screen that merge with a dark desk look so (its moiré gone in the call's
    VP8 and its white like paper); so does a card lying on a plain cloth. A card held in the
    hand has fingers on one side and the room around it. Not proof either way."""
    return framed + plain >= 4


def reproduced(framed: int, plain: int, cast: float = 0.0) -> bool:
    """A print's margin on three or four sides; or a phone's bezel along two sides and its
    black screen beyond a third; or a white point no room light gives paper (``cast``, see
    :func:`colour_cast`) with a frame or a uniform field along two sides. A card before a
    plain wall has plain sides, no frame, and its paper's white."""
    if framed >= 3 or (framed >= 2 and framed + plain >= 3):
        return True
    return cast_off(cast) and framed + plain >= 2
