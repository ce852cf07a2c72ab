"""The machine-readable zone on synthetic card backs and passport pages: the live analysis
counts its lines right, and the still's zone crop holds every line of print (measured against
where the lines lie on the generated document)."""

from __future__ import annotations

import random

import pytest

from advisor_app.idcheck import ocr
from advisor_app.idcheck.analysis import Hint, Side, analyse, capture
from benchmarks.idcheck_synth import Transmission, id_card, make_view, passport_page
from benchmarks.idcheck_zone import crop_rows_of, holds, lines_in_still

pytestmark = pytest.mark.unit


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
            still = capture(frame, result)
            assert still.zone is not None
            crop = crop_rows_of(still.image, still.zone)
            lines = lines_in_still(view, result)
            assert len(lines) == len(doc.mrz_lines)
            if holds(lines, crop):
                complete += 1
            else:
                incomplete.append((link is not None, i, crop, lines))
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
        # "in the hand, please" (seeds 10, 13: drawn cards have no hand around them) is taken
        # by the advisor's button, as the dialog allows; the crop is what is measured here
        if result.hint not in (Hint.GOOD, Hint.IN_HAND):
            continue
        captured += 1
        still = capture(frame, result)
        assert still.zone is not None
        whole += holds(lines_in_still(view, result), crop_rows_of(still.image, still.zone))
        got = ocr.read_zone(still.zone)
        if got == back.mrz_lines:
            exact += 1
        else:
            misses.append((seed, got))
    assert captured >= 19
    assert whole >= captured - 1  # seed 8: the found bottom edge lies above the last line
    assert exact >= 16, misses
