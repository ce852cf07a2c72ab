"""Locating the machine-readable zone (two or three long lines of print) on a rectified document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from advisor_app.idcheck.geometry import Image


@dataclass(frozen=True, slots=True)
class Zone:
    """The zone's band in the rectified image (rows ``top``..``bottom``) and its line count."""

    lines: int
    top: int
    bottom: int
    #: The zone was found at the top: the document is upside down.
    turned: bool


def _bands(mask: NDArray[Any], h: int) -> list[tuple[int, int]]:
    rows = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    bands = list(zip(rows[::2].tolist(), rows[1::2].tolist(), strict=True))
    return [(a, b) for a, b in bands if 0.02 * h <= b - a <= 0.11 * h]


def _zone_at_bottom(bands: list[tuple[int, int]], h: int) -> list[tuple[int, int]] | None:
    """The last two or three evenly spaced bands, if they sit in the lower part."""
    low = [b for b in bands if b[0] >= 0.5 * h]
    if len(low) < 2 or low[-1][1] < 0.85 * h:
        return None
    group = low[-3:] if len(low) >= 3 else low[-2:]
    gaps = np.diff([a for a, _ in group])
    if len(gaps) == 2 and abs(int(gaps[0]) - int(gaps[1])) > 0.25 * max(gaps):
        group, gaps = group[-2:], gaps[-1:]
    if not (0.06 * h <= gaps.min() and gaps.max() <= 0.2 * h):
        return None
    if len(low) > len(group) and group[0][0] - low[-len(group) - 1][1] < 0.6 * gaps.min():
        return None  # more lines of equal print above: running text, not a zone
    return group


def _glyph_runs(glyphs: NDArray[Any], band: tuple[int, int]) -> int:
    """Separate ink runs along the middle rows of a band (characters, not a dark bar)."""
    mid = (band[0] + band[1]) // 2
    rows = glyphs[max(0, mid - 1) : mid + 2].astype(np.int8)
    return int(max((np.diff(row) == 1).sum() for row in rows))


def find_zone(gray: Image) -> Zone | None:
    """Two or three lines of dark print running across almost the full width, at the bottom
    (or, for a document held upside down, at the top)."""
    h, w = gray.shape
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, w // 28), max(3, h // 14)))
    ink = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, kernel)
    _, mask = cv2.threshold(ink, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((1, max(3, w // 30)), np.uint8))
    for turned in (False, True):
        glyphs = mask > 0 if not turned else mask[::-1, ::-1] > 0
        on = closed > 0 if not turned else closed[::-1, ::-1] > 0
        group = _zone_at_bottom(_bands(on.mean(axis=1) >= 0.55, h), h)
        if group is None:
            continue
        top, bottom = group[0][0], group[-1][1]
        cols = np.flatnonzero(on[top:bottom].any(axis=0))
        if len(cols) == 0 or cols[-1] - cols[0] < 0.78 * w:
            continue
        if min(_glyph_runs(glyphs, band) for band in group) < 16:
            continue  # a dark bar or shadow, not a row of characters
        above = on[max(0, top - h // 4) : max(1, top - h // 30)]
        if above.size and above.mean() > 0.35:
            continue  # the lines continue upwards: running text
        if turned:
            top, bottom = h - bottom, h - top
        return Zone(len(group), top, bottom, turned)
    return None
