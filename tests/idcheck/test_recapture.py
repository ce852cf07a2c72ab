"""The two signs of a reproduction, on flat pictures where the truth is known."""

from __future__ import annotations

import random

import cv2
import numpy as np

from advisor_app.idcheck.geometry import LIVE_SIZE, DocFormat
from advisor_app.idcheck.recapture import SCREEN_CHROMA, framed_sides, screen_pattern
from benchmarks.idcheck_synth import id_card, reproduction

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
        assert framed_sides(gray, corners, (LIVE[0] // 2, LIVE[1] // 2)) == 4
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
        assert framed_sides(gray, corners, (LIVE[0] // 2, LIVE[1] // 2)) <= 1


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
    assert framed_sides(gray, inner.astype(np.float32), (LIVE[0] // 2, LIVE[1] // 2)) == 0
