"""The machine-readable zone on synthetic card backs and passport pages: the live analysis
counts its lines right, and the still's zone crop holds every line of print (measured against
where the lines lie on the generated document)."""

from __future__ import annotations

import random

import cv2
import numpy as np

from advisor_app.idcheck import ocr
from advisor_app.idcheck.analysis import Analysis, Side, Still, analyse, capture
from advisor_app.idcheck.geometry import STILL_SIZE
from benchmarks.idcheck_synth import Document, Transmission, View, id_card, make_view, passport_page


def _print_lines(doc: Document) -> list[tuple[int, int, int, int]]:
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
    assert doc.mrz_lines is not None and len(lines) == len(doc.mrz_lines)
    return lines


def _lines_in_still(view: View, result: Analysis) -> list[tuple[float, float]]:
    """Rows of each line in the still: document → frame (true corners) → still (found ones)."""
    assert view.document is not None and view.corners is not None
    assert result.corners is not None and result.format is not None
    dh, dw = view.document.image.shape[:2]
    flat = np.array([[0, 0], [dw, 0], [dw, dh], [0, dh]], np.float32)
    w, h = STILL_SIZE[result.format]
    still = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    to_frame = cv2.getPerspectiveTransform(flat, view.corners.astype(np.float32))
    to_still = cv2.getPerspectiveTransform(result.corners.astype(np.float32), still)
    rows = []
    for top, bottom, left, right in _print_lines(view.document):
        xs = np.linspace(left, right, 16)
        edge = [np.stack([xs, np.full(16, y)], axis=1) for y in (top, bottom)]
        points = cv2.perspectiveTransform(np.concatenate(edge)[None], to_still @ to_frame)[0]
        rows.append((float(points[:, 1].min()), float(points[:, 1].max())))
    return rows


def _crop_rows(still: Still) -> tuple[int, int]:
    """Where the zone crop was taken from the still's image."""
    assert still.zone is not None
    n = len(still.zone)
    for top in range(len(still.image) - n + 1):
        if np.array_equal(still.image[top], still.zone[0]) and np.array_equal(
            still.image[top + n - 1], still.zone[-1]
        ):
            return top, top + n
    raise AssertionError("the zone is not a band of the still")


def test_the_zone_crop_holds_every_line_and_the_lines_are_counted() -> None:
    """30 card backs and 15 passport pages, raw and through VP8 at 1.5 Mbit/s.

    Measured: of 90 views, 81 good with a zone found, its line count right in all 81. Before
    the zone was located again on the still, 77 crops held every line: two cards, raw and
    coded, seen at an angle had the shape of a passport page, their zone's rows were taken
    in that view (15 % too low), and the crop held two of the three lines. After: 81 of 81.
    """
    found = complete = 0
    incomplete = []
    for link in (None, Transmission(1500)):
        rng = random.Random(2)
        for i in range(45):
            doc = id_card(rng, "back") if i % 3 else passport_page(rng)
            view = make_view(rng, "good", doc)
            frame = view.frame if link is None else link.send(view.frame)
            result = analyse(frame)
            if result.zone is None or not result.good:
                continue
            found += 1
            assert doc.mrz_lines is not None
            assert result.zone.lines == len(doc.mrz_lines), (i, result.zone)
            top, bottom = _crop_rows(capture(frame, result))
            lines = _lines_in_still(view, result)
            if all(a >= top - 1 and b <= bottom + 1 for a, b in lines):
                complete += 1
            else:
                incomplete.append((link is not None, i, (top, bottom), lines))
    assert found >= 70
    assert complete >= found - 1, incomplete


def test_the_zone_of_a_captured_back_is_read_more_often() -> None:
    """The identity check's own sequence, without its window: front, then back, each held 10
    frames through one VP8 link at 1.5 Mbit/s; the back's analysis, still and zone crop, and
    the zone read by tesseract (seeds 0–19, as in tests/ui/test_id_check_ocr.py).

    Measured: 19 of 20 captured (seed 11 is cut off). Before: 16 of 19 crops held all three
    lines and 14 read exactly (seeds 1 and 18 held two lines, no reading); after: 18 of 19
    and 16 exactly. Seed 8's found bottom edge lies above its last line, so the still itself
    cuts that line (the outline, not the zone); 6 and 15 read one letter as "?".
    """
    assert ocr.available()
    exact = captured = whole = 0
    misses = []
    for seed in range(20):
        rng = random.Random(seed)
        link = Transmission(repeat=10)
        front, back = id_card(rng, "front"), id_card(rng, "back")
        link.send(make_view(rng, "good", front).frame)
        view = make_view(rng, "good", back)
        frame = link.send(view.frame)
        result = analyse(frame, expect=Side.BACK)
        if not result.good:
            continue
        captured += 1
        still = capture(frame, result)
        assert still.zone is not None
        top, bottom = _crop_rows(still)
        whole += all(a >= top - 1 and b <= bottom + 1 for a, b in _lines_in_still(view, result))
        got = ocr.read_zone(still.zone)
        if got == back.mrz_lines:
            exact += 1
        else:
            misses.append((seed, got))
    assert captured >= 19
    assert whole >= captured - 1  # seed 8: the found bottom edge lies above the last line
    assert exact >= 16, misses
