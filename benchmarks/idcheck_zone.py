"""The machine-readable zone on generated card backs and passport pages (docs/decisions.md).

``python -m benchmarks.idcheck_zone`` renders ``--n`` card backs and ``--n`` passport pages
with :func:`benchmarks.idcheck_synth.make_view` (kind "good"), raw and through the call's VP8
at 1500 and 800 kbit/s, runs :func:`advisor_app.idcheck.analysis.analyse` on each and
prints per set: the views that reach the content check (``content``), those with a zone
found (``found``), those whose zone has the right line count (``lines_ok``), and those whose
still crop (:func:`advisor_app.idcheck.analysis.capture`) holds every line of print
(``crop_ok``), measured against where the lines lie on the drawn document. ``crop_ok_live``
is the same for the crop computed here from the analysis' zone rows (±12 px), a check that
``capture`` crops what the analysis found. The last line is the CPU time of one
:func:`~advisor_app.idcheck.zone.find_zone` call on the live views (200 calls).
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import replace
from typing import Any

import cv2
import numpy as np

from advisor_app.idcheck.analysis import Analysis, Side, analyse, capture
from advisor_app.idcheck.geometry import LIVE_SIZE, STILL_SIZE, Image, rectify
from advisor_app.idcheck.zone import find_zone
from benchmarks.idcheck_synth import Document, Transmission, View, id_card, make_view, passport_page

#: Hints given only after the content check (zone, face, side) has run.
CONTENT = frozenset({"good", "not_a_document", "wrong_side", "recaptured"})


def print_lines(doc: Document) -> list[tuple[int, int, int, int]]:
    """The zone's lines on the flat document: (top, bottom, left, right) of their dark print,
    from the lower part of the document (nothing else is printed there)."""
    h = doc.image.shape[0]
    start = int(h * (0.6 if doc.kind == "id1" else 0.78))
    dark = doc.image[start:].min(axis=2) < 90
    rows = np.flatnonzero(np.diff(np.concatenate(([0], dark.any(axis=1).astype(np.int8), [0]))))
    lines = []
    for a, b in zip(rows[::2].tolist(), rows[1::2].tolist(), strict=True):
        cols = np.flatnonzero(dark[a:b].any(axis=0))
        lines.append((start + a, start + b, int(cols[0]), int(cols[-1]) + 1))
    return lines


def lines_in_still(view: View, result: Analysis) -> list[tuple[float, float]]:
    """Rows of each line in the still: document → frame (true corners) → still (found ones)."""
    if view.document is None or view.corners is None:
        raise ValueError("a view of a document is needed")
    if result.corners is None or result.format is None:
        raise ValueError("an analysis that found a document is needed")
    dh, dw = view.document.image.shape[:2]
    flat = np.array([[0, 0], [dw, 0], [dw, dh], [0, dh]], np.float32)
    w, h = STILL_SIZE[result.format]
    still = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    to_frame = cv2.getPerspectiveTransform(flat, view.corners.astype(np.float32))
    to_still = cv2.getPerspectiveTransform(result.corners.astype(np.float32), still)
    rows = []
    for top, bottom, left, right in print_lines(view.document):
        xs = np.linspace(left, right, 16)
        edge = [np.stack([xs, np.full(16, y)], axis=1) for y in (top, bottom)]
        points = cv2.perspectiveTransform(np.concatenate(edge)[None], to_still @ to_frame)[0]
        rows.append((float(points[:, 1].min()), float(points[:, 1].max())))
    return rows


def crop_rows_of(image: Image, zone: Image) -> tuple[int, int]:
    """Where ``zone`` (a band of rows copied from ``image``) was taken from."""
    n = len(zone)
    for top in range(len(image) - n + 1):
        if np.array_equal(image[top], zone[0]) and np.array_equal(image[top + n - 1], zone[-1]):
            return top, top + n
    raise ValueError("the zone is not a band of the image")


def holds(rows: list[tuple[float, float]], crop: tuple[int, int]) -> bool:
    return all(a >= crop[0] - 1 and b <= crop[1] + 1 for a, b in rows)


def run(kind: str, n: int, seed: int, kbps: int, live: list[Image]) -> dict[str, int]:
    rng = random.Random(seed)
    link = Transmission(kbps) if kbps else None
    counts = dict.fromkeys(("views", "content", "found", "lines_ok", "crop_ok", "crop_ok_live"), 0)
    for _ in range(n):
        doc = id_card(rng, "back") if kind == "td1" else passport_page(rng)
        view = make_view(rng, "good", doc)
        frame = view.frame if link is None else link.send(view.frame)
        result = analyse(frame)
        counts["views"] += 1
        if result.hint.value not in CONTENT:
            continue
        counts["content"] += 1
        if result.zone is None or result.corners is None or result.format is None:
            continue
        counts["found"] += 1
        assert doc.mrz_lines is not None
        counts["lines_ok"] += result.zone.lines == len(doc.mrz_lines)
        # (a passport page whose photo was not found has no side; its crop is the same)
        still = capture(frame, replace(result, side=result.side or Side.FRONT))
        assert still.zone is not None
        rows = lines_in_still(view, result)
        counts["crop_ok"] += holds(rows, crop_rows_of(still.image, still.zone))
        height = STILL_SIZE[result.format][1]
        factor = height / LIVE_SIZE[result.format][1]
        old = (
            max(0, round(result.zone.top * factor) - 12),
            min(height, round(result.zone.bottom * factor) + 12),
        )
        counts["crop_ok_live"] += holds(rows, old)
        if len(live) < 40:
            rect = rectify(frame, result.corners, LIVE_SIZE[result.format])
            live.append(cv2.cvtColor(rect, cv2.COLOR_BGR2GRAY))
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=120, help="documents per kind and channel")
    parser.add_argument("--seed", type=int, default=100)
    args = parser.parse_args(argv)
    live: list[Any] = []
    for kind, offset in (("td1", 11), ("td3", 12)):
        for kbps in (0, 1500, 800):
            counts = run(kind, args.n, args.seed + offset, kbps, live)
            figures = " ".join(f"{key}={value}" for key, value in counts.items())
            print(f"zone {kind} {'raw' if not kbps else f'vp8 {kbps}'}: {figures}", flush=True)
    started = time.process_time()
    for i in range(200):
        find_zone(live[i % len(live)])
    print(f"find_zone: {(time.process_time() - started) / 200 * 1000:.3f} ms per call")


if __name__ == "__main__":
    main()
