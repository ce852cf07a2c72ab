"""Finding the document's quadrilateral in a frame: coarse on a small copy, refined at full size."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from advisor_app.idcheck.geometry import (
    Corners,
    Image,
    aspect_ratio,
    closest_format,
    order_corners,
    percentiles,
)

#: The coarse search runs on a copy whose long side is about this many pixels.
SMALL_SIDE = 340
#: A candidate must cover at least this share of the frame.
MIN_AREA = 0.015
#: Points closer than this share of the short frame side to the edge touch the edge.
EDGE_MARGIN = 0.012
#: A document-shaped outline inside the document's covers this share of its area (a print's
#: margin of 4–15 % per side, a phone's bezel and black bars), and at most this many are kept.
NESTED_AREA = (0.3, 0.9)
MAX_INNER = 2


@dataclass(frozen=True, slots=True)
class Quad:
    """A four-sided candidate in full-frame pixels."""

    corners: Corners
    area: float  # share of the frame
    support: float  # share of the worst edge that lies on a strong edge
    touches_edge: bool
    #: Smaller document-shaped outlines lying inside this one (coarse, full-frame pixels):
    #: the card itself when this outline is a print's paper or a phone, perhaps merged with
    #: what is behind it.
    inner: tuple[Corners, ...] = ()

    @property
    def aspect(self) -> float:
        return aspect_ratio(self.corners)


@dataclass(frozen=True, slots=True)
class Detection:
    """The best document-shaped quadrilateral, or why there is none."""

    quad: Quad | None  # fits a document's shape and lies inside the frame
    runners_up: tuple[Quad, ...]  # further document-shaped candidates, best first
    other: Quad | None  # the largest rectangle of another shape (a book, a sheet)
    cut_off: bool  # a large straight-edged shape runs out of the frame
    small_gray: Image
    scale: float  # small = full * scale
    gray: Image  # the whole frame in gray, full size


def _small(gray: Image) -> tuple[Image, float]:
    h, w = gray.shape
    factor = max(1, round(max(w, h) / SMALL_SIDE))  # an integer factor keeps INTER_AREA fast
    size = (w // factor, h // factor)
    small = cv2.resize(
        gray[: size[1] * factor, : size[0] * factor], size, interpolation=cv2.INTER_AREA
    )
    return small, 1.0 / factor


def _edge_maps(gray: Image) -> list[Image]:
    """Binary maps whose contours may outline the document."""
    norm = cv2.normalize(gray, np.empty_like(gray), 0, 255, cv2.NORM_MINMAX)
    blur = cv2.GaussianBlur(norm, (5, 5), 0)
    kernel = np.ones((3, 3), np.uint8)
    maps = [cv2.dilate(cv2.Canny(blur, low, 3 * low), kernel) for low in (30, 12)]
    _, bright = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    return [*maps, bright]


_NEIGHBOURS = np.array([(0, 0), (-1, 0), (1, 0), (0, -1), (0, 1)], np.int32)


def _support(gx: NDArray[Any], gy: NDArray[Any], pts: NDArray[Any], level: float) -> float:
    """Share of points on the worst of the four edges where a strong edge runs along it."""
    worst = 1.0
    h, w = gx.shape
    for i in range(4):
        a, b = pts[i], pts[(i + 1) % 4]
        length = float(np.linalg.norm(b - a))
        if length < 1:
            return 0.0
        normal = np.array([-(b - a)[1], (b - a)[0]], np.float32) / length
        t = np.linspace(0.05, 0.95, max(8, int(length / 2)), dtype=np.float32)[:, None]
        xy = np.rint(a + (b - a) * t).astype(np.int32)
        xy = xy[(xy[:, 0] >= 1) & (xy[:, 0] < w - 1) & (xy[:, 1] >= 1) & (xy[:, 1] < h - 1)]
        if len(xy) == 0:
            return 0.0
        # the point and its four neighbours at once (rows: offsets, columns: points)
        x = xy[None, :, 0] + _NEIGHBOURS[:, :1]
        y = xy[None, :, 1] + _NEIGHBOURS[:, 1:]
        sx, sy = gx[y, x], gy[y, x]
        across = np.abs(sx * normal[0] + sy * normal[1])
        along = np.abs(sx * normal[1] - sy * normal[0])
        best = np.where(across > 2 * along, across, 0).max(axis=0)
        worst = min(worst, float((best >= level).mean()))
    return worst


def _touches(pts: NDArray[Any], shape: tuple[int, ...], margin: float) -> bool:
    h, w = shape[:2]
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    return bool(
        lo[0] <= margin or lo[1] <= margin or hi[0] >= w - 1 - margin or hi[1] >= h - 1 - margin
    )


def find_document(frame: Image) -> Detection:
    """Search ``frame`` (BGR, any orientation) for an ID-1 card or a TD3 passport page."""
    full = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
    gray, scale = _small(full)
    h, w = gray.shape
    gx = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)
    grad = np.abs(gx[::3, ::3]) + np.abs(gy[::3, ::3])
    level = max(8.0, percentiles(grad, 90)[0] * 0.4)
    margin = EDGE_MARGIN * min(h, w) + 1
    cut_off = False
    candidates: dict[tuple[int, ...], tuple[float, Corners]] = {}
    for binary in _edge_maps(gray):
        contours, _ = cv2.findContours(binary, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            _, _, cw, ch = cv2.boundingRect(contour)
            if cw * ch < MIN_AREA * h * w:
                continue
            hull = cv2.convexHull(contour)
            area = cv2.contourArea(hull) / (h * w)
            if area < MIN_AREA or area > 0.97:
                continue
            if _touches(hull.reshape(-1, 2), gray.shape, margin):
                approx = cv2.approxPolyDP(hull, 0.025 * cv2.arcLength(hull, True), True)
                if area > 0.06 and len(approx) <= 7 and _solid(contour, hull):
                    cut_off = True
            for pts in _quads(contour, hull):
                key = tuple((pts // 3).astype(int).ravel().tolist())
                if key in candidates or _touches(pts, gray.shape, margin):
                    continue
                if not _square_enough(pts):
                    continue
                q_area = float(cv2.contourArea(pts)) / (h * w)
                if q_area >= MIN_AREA:
                    candidates[key] = (q_area, pts)
    found: list[Quad] = []
    inner: list[list[Corners]] = []  # per found outline
    other: Quad | None = None
    for q_area, pts in sorted(candidates.values(), key=lambda c: -c[0]):
        if len(found) >= 3:
            break
        fits = closest_format(aspect_ratio(pts)) is not None
        if not fits and other is not None:
            continue
        hosts = [
            i
            for i, q in enumerate(found)
            if fits
            and len(inner[i]) < MAX_INNER
            and _nested(pts, q.corners * scale, q_area / q.area)
        ]
        again = fits and any(_overlaps(pts / scale, q.corners) for q in found)
        if again and not hosts:
            continue
        support = _support(gx, gy, pts, level)
        if support < 0.5:
            continue
        for i in hosts:
            inner[i].append(pts / scale)
        if again:
            continue
        quad = Quad(pts / scale, q_area, support, False)
        if not fits:
            other = quad
        else:
            found.append(quad)
            inner.append([])
    found = [replace(q, inner=tuple(i)) for q, i in zip(found, inner, strict=True)]
    found.sort(key=lambda q: -q.area * q.support)
    best = found[0] if found else None
    if best is not None:
        best = replace(best, corners=refine(full, best.corners))
        if other is not None and other.area <= best.area * 1.05:
            other = None
    return Detection(best, tuple(found[1:]), other, cut_off and best is None, gray, scale, full)


def _nested(pts: Corners, outer: Corners, area_share: float) -> bool:
    """``pts`` lies inside ``outer`` (same pixels) and covers a print's or a screen's share
    of it: smaller than the same outline found again by another edge map, larger than a
    photo or a field printed on the card."""
    if not NESTED_AREA[0] <= area_share <= NESTED_AREA[1]:
        return False
    contour = outer.reshape(-1, 1, 2).astype(np.float32)
    return all(cv2.pointPolygonTest(contour, (float(x), float(y)), True) >= -2 for x, y in pts)


def _overlaps(a: Corners, b: Corners) -> bool:
    """Nearly the same quadrilateral (centres within a tenth of the smaller one's side)."""
    side = min(float(np.linalg.norm(a[0] - a[1])), float(np.linalg.norm(b[0] - b[1])))
    return float(np.linalg.norm(a.mean(axis=0) - b.mean(axis=0))) < 0.1 * side


def _square_enough(pts: Corners) -> bool:
    """Every inner angle between 55 and 125 degrees (plain floats: this runs very often)."""
    p = pts.tolist()
    for i in range(4):
        ax, ay = p[i - 1][0] - p[i][0], p[i - 1][1] - p[i][1]
        bx, by = p[(i + 1) % 4][0] - p[i][0], p[(i + 1) % 4][1] - p[i][1]
        norm = math.hypot(ax, ay) * math.hypot(bx, by)
        if norm < 1e-6 or abs((ax * bx + ay * by) / norm) > 0.574:  # cos 55°
            return False
    return True


Line = tuple[float, float, float, float]  # a point and a direction


def _intersect(a: Line, b: Line) -> tuple[float, float] | None:
    px, py, dx, dy = a
    qx, qy, ex, ey = b
    denom = dx * ey - dy * ex
    if abs(denom) < 1e-6:
        return None
    t = ((qx - px) * ey - (qy - py) * ex) / denom
    return px + dx * t, py + dy * t


def _quads(contour: NDArray[Any], hull: NDArray[Any]) -> list[Corners]:
    """Quadrilaterals the outline may be: its own four corners, or (when something touches
    or overlaps the document) four of its longest straight stretches, extended."""
    approx = cv2.approxPolyDP(hull, 0.025 * cv2.arcLength(hull, True), True).reshape(-1, 2)
    if len(approx) == 4:
        return [order_corners(approx.astype(np.float32))]
    poly = cv2.approxPolyDP(contour, 0.012 * cv2.arcLength(contour, True), True)
    if not 5 <= len(poly) <= 14:
        return []
    p = poly.reshape(-1, 2).astype(float).tolist()
    lines: list[Line] = [
        (a[0], a[1], b[0] - a[0], b[1] - a[1]) for a, b in zip(p, p[1:] + p[:1], strict=True)
    ]
    longest = sorted(sorted(range(len(lines)), key=lambda i: -math.hypot(*lines[i][2:]))[:7])
    # each pair of lines meets once, whichever combinations it appears in
    meet = {(a, b): _intersect(lines[a], lines[b]) for a, b in itertools.permutations(longest, 2)}
    out = []
    for combo in itertools.combinations(longest, 4):
        corners = [meet[combo[k - 1], combo[k]] for k in range(4)]
        if any(c is None for c in corners):
            continue
        quad = np.array(corners, np.float32)
        # the angles first: most combinations fail them, and they do not depend on the order
        if _square_enough(quad) and cv2.isContourConvex(quad.reshape(-1, 1, 2)):
            out.append(order_corners(quad))
    return out


def _solid(contour: NDArray[Any], hull: NDArray[Any]) -> bool:
    return cv2.contourArea(contour) >= 0.8 * cv2.contourArea(hull)


# --- refinement at full resolution -------------------------------------------------------------

_SAMPLES = 28
_REACH = 9  # pixels searched on either side of the coarse edge


def _line_points(gray: Image, a: NDArray[Any], b: NDArray[Any]) -> NDArray[Any]:
    """Points of strongest intensity change along normals of the edge a→b."""
    direction = (b - a) / max(1e-6, float(np.linalg.norm(b - a)))
    normal = np.array([-direction[1], direction[0]], np.float32)
    ts = np.linspace(0.08, 0.92, _SAMPLES, dtype=np.float32)
    offsets = np.arange(-_REACH, _REACH + 1, dtype=np.float32)
    base = a[None, :] + (b - a)[None, :] * ts[:, None]
    coords = base[:, None, :] + normal[None, None, :] * offsets[None, :, None]
    map_x = np.ascontiguousarray(coords[..., 0])
    map_y = np.ascontiguousarray(coords[..., 1])
    profile: NDArray[Any] = cv2.remap(gray, map_x, map_y, cv2.INTER_LINEAR).astype(np.float32)
    profile = cv2.GaussianBlur(profile, (5, 1), 0)
    diff = np.abs(np.diff(profile, axis=1))
    idx = np.argmax(diff, axis=1)
    strength = diff[np.arange(len(idx)), idx]
    keep = strength >= max(4.0, 0.35 * float(np.median(strength)))
    shift = offsets[idx] + 0.5
    points: NDArray[Any] = (base + normal[None, :] * shift[:, None])[keep]
    return points


def refine(gray: Image, corners: Corners) -> Corners:
    """Fit a line to each edge at full resolution (gray frame) and intersect neighbours."""
    lines = []
    for i in range(4):
        pts = _line_points(gray, corners[i], corners[(i + 1) % 4])
        if len(pts) < 6:
            return corners
        vx, vy, x0, y0 = cv2.fitLine(pts, cv2.DIST_HUBER, 0, 0.01, 0.01).reshape(4)
        lines.append((np.array([x0, y0]), np.array([vx, vy])))
    out = np.empty((4, 2), np.float32)
    for i in range(4):
        (p, d), (q, e) = lines[i - 1], lines[i]
        denom = d[0] * e[1] - d[1] * e[0]
        if abs(denom) < 1e-6:
            return corners
        t = ((q[0] - p[0]) * e[1] - (q[1] - p[1]) * e[0]) / denom
        out[i] = p + d * t
    if float(np.abs(out - corners).max()) > 4 * _REACH:
        return corners
    return out
