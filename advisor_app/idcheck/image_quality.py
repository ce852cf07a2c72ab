"""Image quality of a rectified document: sharpness, glare, light."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from advisor_app.idcheck.geometry import Image, percentiles

#: Below this the document is too blurred to read (see :func:`sharpness`).
MIN_SHARPNESS = 0.20
#: Above this share of clipped pixels the document shows a glare spot.
MAX_GLARE = 0.012
#: A pixel at least this bright in every channel counts as clipped (see :func:`glare`).
CLIPPED = 245
#: Below this mean brightness (0–255) the document is too dark.
MIN_BRIGHTNESS = 70.0


@dataclass(frozen=True, slots=True)
class Quality:
    sharpness: float
    glare: float
    brightness: float

    @property
    def sharp(self) -> bool:
        return self.sharpness >= MIN_SHARPNESS

    @property
    def glaring(self) -> bool:
        return self.glare > MAX_GLARE

    @property
    def dark(self) -> bool:
        return self.brightness < MIN_BRIGHTNESS


def sharpness(gray: Image) -> float:
    """Strength of the finest edges relative to the document's contrast (about 0–1).

    The strongest Laplacian responses of a lightly smoothed copy (the smoothing keeps sensor
    noise from counting as detail) over the spread between dark print and light paper.
    Printed text on a sharp view gives 0.4 and more; focus or motion blur drops below 0.25.
    """
    smooth = cv2.GaussianBlur(gray, (3, 3), 0)
    lap = np.abs(cv2.Laplacian(smooth, cv2.CV_16S, ksize=3))
    (strong,) = percentiles(lap[::2, ::2], 99.5)
    lo, hi = percentiles(gray[::2, ::2], 5, 95)
    return strong / (4.0 * max(16.0, hi - lo))


def glare(bgr: Image) -> float:
    """Share of pixels clipped to white in every channel (specular reflection).

    245, not 255: the console sees the citizen's camera through VP8, whose ringing and
    chroma subsampling scatter a clipped spot's pixels over 245–255 (at 250 a compressed spot
    covered a tenth of its area; drawn paper never exceeds 240).
    """
    b, g, r = cv2.split(bgr)  # numpy's min over the channel axis is ten times slower
    darkest = cv2.min(cv2.min(b, g), r)
    return float(np.count_nonzero(darkest >= CLIPPED)) / darkest.size


def measure(bgr: Image, gray: Image) -> Quality:
    """All measures of one rectified document view."""
    return Quality(sharpness(gray), glare(bgr), float(gray.mean()))


def normal_profiles(
    gray: Image, a: NDArray[Any], b: NDArray[Any], samples: int, reach: int
) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
    """Intensity profiles across the edge a→b: (profiles, sample points, unit normal)."""
    direction = (b - a) / max(1e-6, float(np.linalg.norm(b - a)))
    normal = np.array([-direction[1], direction[0]], np.float32)
    ts = np.linspace(0.1, 0.9, samples, dtype=np.float32)
    offsets = np.arange(-reach, reach + 1, dtype=np.float32)
    base = a[None, :] + (b - a)[None, :] * ts[:, None]
    coords = base[:, None, :] + normal[None, None, :] * offsets[None, :, None]
    profile = cv2.remap(
        gray,
        np.ascontiguousarray(coords[..., 0]),
        np.ascontiguousarray(coords[..., 1]),
        cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    ).astype(np.float32)
    return profile, base, normal


def edge_width(gray: Image, corners: NDArray[Any]) -> float | None:
    """How many pixels the document's own outline takes to go from dark to light.

    A step blurred with a Gaussian of sigma s rises over about 2.5·s pixels, a motion blur of
    length L over L pixels. The widest of the four edges counts (motion blurs only the edges
    across its direction). None when no edge has enough contrast to tell.
    """
    widths = []
    for i in range(4):
        profile, _, _ = normal_profiles(gray, corners[i], corners[(i + 1) % 4], 24, 16)
        profile = cv2.GaussianBlur(profile, (3, 1), 0)
        step = np.abs(profile[:, -5:].mean(axis=1) - profile[:, :5].mean(axis=1))
        slope = np.abs(np.diff(profile, axis=1)).max(axis=1)
        ok = step >= 25
        if ok.sum() >= 8:
            widths.append(float(np.median(step[ok] / np.maximum(slope[ok], 1e-3))))
    return max(widths) if widths else None
