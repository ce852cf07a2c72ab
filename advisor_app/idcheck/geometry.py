"""Document shapes, corner order and perspective rectification."""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

#: A BGR or gray picture (uint8). OpenCV's stubs type its results loosely, so do we.
Image = NDArray[Any]
#: Shape (4, 2), float32: top-left, top-right, bottom-right, bottom-left.
Corners = NDArray[Any]


class DocFormat(StrEnum):
    """ID-1 (identity card, 85.6 × 54 mm) or the TD3 passport data page (125 × 88 mm)."""

    ID1 = "id1"
    TD3 = "td3"


ASPECT: dict[DocFormat, float] = {DocFormat.ID1: 85.6 / 54.0, DocFormat.TD3: 125.0 / 88.0}
#: Size of a rectified still (about 10 pixels per millimetre).
STILL_SIZE: dict[DocFormat, tuple[int, int]] = {
    DocFormat.ID1: (856, 540),
    DocFormat.TD3: (1000, 704),
}
#: Size of the small rectified view the live analysis looks at.
LIVE_SIZE: dict[DocFormat, tuple[int, int]] = {
    DocFormat.ID1: (428, 270),
    DocFormat.TD3: (440, 310),
}
#: Aspect ratios (long side / short side) that still count as a document under perspective.
ASPECT_RANGE = (1.33, 1.76)


def order_corners(points: NDArray[Any]) -> Corners:
    """Four points in clockwise order starting at the top-left end of a long edge.

    Of the two long edges, the upper one (smaller mean y) comes first; whether the document
    is upside down is decided later from its content.
    """
    p = np.asarray(points, dtype=np.float32).reshape(4, 2).tolist()
    cx, cy = sum(q[0] for q in p) / 4, sum(q[1] for q in p) / 4
    p.sort(key=lambda q: math.atan2(q[1] - cy, q[0] - cx))  # clockwise on screen (y down)
    length = [math.dist(p[i], p[(i + 1) % 4]) for i in range(4)]
    start = 0 if length[0] + length[2] >= length[1] + length[3] else 1
    if p[start][1] + p[(start + 1) % 4][1] > p[(start + 2) % 4][1] + p[(start + 3) % 4][1]:
        start += 2
    ordered = [p[(start + i) % 4] for i in range(4)]
    return np.array(ordered, dtype=np.float32)


def turn_half(corners: Corners) -> Corners:
    """The same quadrilateral, read upside down."""
    return np.roll(corners, -2, axis=0)


def side_lengths(corners: Corners) -> NDArray[Any]:
    lengths: NDArray[Any] = np.linalg.norm(corners - np.roll(corners, -1, axis=0), axis=1)
    return lengths.astype(np.float32)


def aspect_ratio(corners: Corners) -> float:
    """Mean of the long sides over the mean of the short sides (order from order_corners)."""
    s = side_lengths(corners)
    return float((s[0] + s[2]) / max(1e-6, s[1] + s[3]))


def closest_format(aspect: float) -> DocFormat | None:
    """The format whose shape fits ``aspect``, or None when it fits no document."""
    low, high = ASPECT_RANGE
    if not low <= aspect <= high:
        return None
    return min(ASPECT, key=lambda f: abs(ASPECT[f] - aspect))


def rectify(frame: Image, corners: Corners, size: tuple[int, int]) -> Image:
    """The document seen straight on, ``size`` = (width, height)."""
    w, h = size
    target = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    m = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(frame, m, (w, h), flags=cv2.INTER_LINEAR)


def interior_angles(corners: Corners) -> NDArray[Any]:
    """The four inner angles in degrees."""
    out = []
    for i in range(4):
        a, b, c = corners[i - 1], corners[i], corners[(i + 1) % 4]
        u, v = a - b, c - b
        cos = float(np.dot(u, v) / max(1e-6, np.linalg.norm(u) * np.linalg.norm(v)))
        out.append(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))
    return np.array(out)


def corner_error(found: Corners, truth: NDArray[Any]) -> float:
    """Mean corner distance over the document's diagonal, for the best cyclic assignment."""
    truth = np.asarray(truth, dtype=np.float64)
    diagonal = float(np.linalg.norm(truth[0] - truth[2]))
    best = min(
        float(np.linalg.norm(np.roll(found, -k, axis=0) - truth, axis=1).mean()) for k in range(4)
    )
    return best / max(1e-6, diagonal)


def percentiles(values: NDArray[Any], *qs: float) -> list[float]:
    """``np.percentile(values, qs)`` (linear interpolation), the same numbers in a fraction of
    the time: small non-negative integers (grey levels, Laplacian magnitudes) are counted in a
    histogram, anything else partially sorted once."""
    flat = np.asarray(values).ravel()
    n = len(flat)
    positions = [q / 100.0 * (n - 1) for q in qs]
    lows = [math.floor(p) for p in positions]
    wanted = sorted({k for low in lows for k in (low, min(low + 1, n - 1))})
    if flat.dtype.kind in "ui" and flat.dtype.itemsize <= 2 and int(flat.min()) >= 0:
        counts = np.cumsum(np.bincount(flat))
        at = dict(zip(wanted, np.searchsorted(counts, wanted, side="right").tolist(), strict=True))
    else:
        part = np.partition(flat, wanted)
        at = {k: part[k] for k in wanted}
    out = []
    for p, low in zip(positions, lows, strict=True):
        a, b = float(at[low]), float(at[min(low + 1, n - 1)])
        out.append(a + (b - a) * (p - low))
    return out
