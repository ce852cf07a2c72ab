"""The two signs of a reproduction, on flat pictures where the truth is known."""

from __future__ import annotations

import random

import cv2
import numpy as np

from advisor_app.idcheck.analysis import Hint, analyse
from advisor_app.idcheck.geometry import LIVE_SIZE, DocFormat
from advisor_app.idcheck.recapture import SCREEN_CHROMA, frame_sides, reproduced, screen_pattern
from benchmarks.idcheck_synth import Transmission, id_card, make_view, reproduction

LIVE = LIVE_SIZE[DocFormat.ID1]


def _in_scene(image: np.ndarray, where: np.ndarray, bg: int = 90) -> tuple[np.ndarray, np.ndarray]:
    """``image`` centred on a plain 1280×720 background; the document's corners there."""
    h, w = image.shape[:2]
    scale = 900 / max(w, h)
    small = cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    frame = np.full((720, 1280, 3), bg, np.uint8)
    y0, x0 = (720 - small.shape[0]) // 2, (1280 - small.shape[1]) // 2
    frame[y0 : y0 + small.shape[0], x0 : x0 + small.shape[1]] = small
    corners = (where * scale + [x0, y0]).astype(np.float32)
    return frame, corners


def test_a_screens_colour_grid_stands_out_and_a_card_does_not() -> None:
    rng = random.Random(4)
    for _ in range(6):
        card = id_card(rng, rng.choice(["front", "back"]))
        shown, where = reproduction(card, rng, "screen")
        flat = cv2.resize(card.image, LIVE, interpolation=cv2.INTER_AREA)
        assert screen_pattern(flat) < 0.6 * SCREEN_CHROMA
        # the screen's picture of the card, sampled the way a camera samples it
        (x0, y0), (x1, y1) = where[0].astype(int), where[2].astype(int)
        inner = shown.image[y0:y1, x0:x1]
        sampled = cv2.resize(inner, LIVE, interpolation=cv2.INTER_LINEAR)
        assert screen_pattern(sampled) > SCREEN_CHROMA


def test_a_prints_margin_frames_all_four_sides_of_the_card_inside() -> None:
    rng = random.Random(8)
    for _ in range(4):
        card = id_card(rng, "front")
        printed, where = reproduction(card, rng, "photo")
        frame, corners = _in_scene(printed.image, where)
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        assert frame_sides(gray, corners, (LIVE[0] // 2, LIVE[1] // 2))[0] == 4
        # the card itself, held in front of the same plain wall: no frame around it
        frame, corners = _in_scene(
            card.image,
            np.array(
                [
                    [0, 0],
                    [card.image.shape[1], 0],
                    card.image.shape[1::-1],
                    [0, card.image.shape[0]],
                ],
                np.float32,
            ),
        )
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        framed, plain = frame_sides(gray, corners, (LIVE[0] // 2, LIVE[1] // 2))
        assert framed <= 1 and plain >= 2  # a plain wall (where it is in the picture), no frame
        assert not reproduced(framed, plain)


def test_a_margin_outside_the_camera_frame_tells_nothing() -> None:
    rng = random.Random(9)
    card = id_card(rng, "back")
    printed, where = reproduction(card, rng, "photo")
    frame, corners = _in_scene(printed.image, where)
    # the picture ends right at the card: what lies beyond is unknown, not a frame
    x0, y0 = corners.min(axis=0).astype(int)
    x1, y1 = corners.max(axis=0).astype(int)
    cropped = np.ascontiguousarray(frame[y0 : y1 + 1, x0 : x1 + 1])
    gray = cv2.cvtColor(cropped, cv2.COLOR_BGR2GRAY)
    inner = corners - [x0, y0]
    assert frame_sides(gray, inner.astype(np.float32), (LIVE[0] // 2, LIVE[1] // 2)) == (0, 0)


def test_the_rule_three_frames_or_a_bezel_and_a_black_screen() -> None:
    assert reproduced(3, 0) and reproduced(4, 0)  # a print's margin
    assert reproduced(2, 1) and reproduced(2, 2)  # a bezel along two sides, black beyond
    assert not reproduced(2, 0) and not reproduced(1, 3) and not reproduced(0, 4)


def test_through_the_calls_vp8_most_screens_and_prints_are_named() -> None:
    """What the console really analyses: the citizen's camera after VP8 at 1.5 Mbit/s.

    Not "never good": the codec can wipe out a screen's moiré and a dark bezel, and then a
    screen may read good (docs/decisions.md says how often). Prints keep their margin."""
    rng = random.Random(31)
    link = Transmission(1500)
    named = {"screen": 0, "photo": 0}
    for i in range(12):
        kind = "screen" if i % 2 else "photo"
        result = analyse(link.send(make_view(rng, kind).frame))
        if kind == "photo":
            assert result.hint is not Hint.GOOD, i
        named[kind] += result.hint is Hint.RECAPTURED
    assert named["screen"] >= 4 and named["photo"] >= 3, named
    genuine = [analyse(link.send(make_view(rng, "good").frame)).hint for _ in range(8)]
    assert Hint.RECAPTURED not in genuine
    assert genuine.count(Hint.GOOD) >= 6
