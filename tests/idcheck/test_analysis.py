"""The live analysis on generated views: found, accurate, and never "good" when it is not."""

from __future__ import annotations

import random

import numpy as np
import pytest

from advisor_app.idcheck.analysis import (
    Analysis,
    AutoCapture,
    Hint,
    Side,
    analyse,
    capture,
    live_face_crop,
)
from advisor_app.idcheck.geometry import DocFormat, corner_error, order_corners, percentiles
from benchmarks.idcheck_synth import draw_face, id_card, make_view, make_views, passport_page

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def results() -> list[tuple[str, Analysis, np.ndarray | None]]:
    views = make_views(90, seed=99)
    return [(v.kind, analyse(v.frame), v.corners) for v in views]


def test_documents_in_full_view_are_found_with_accurate_corners(
    results: list[tuple[str, Analysis, np.ndarray | None]],
) -> None:
    visible = [(a, c) for kind, a, c in results if kind in ("good", "sideways", "glare")]
    found = [(a, c) for a, c in visible if a.corners is not None and a.format is not None]
    assert len(found) >= 0.9 * len(visible)
    errors = [corner_error(a.corners, c) for a, c in found]
    assert float(np.median(errors)) < 0.01
    assert float(np.mean(errors)) < 0.03


def test_good_views_are_mostly_good(
    results: list[tuple[str, Analysis, np.ndarray | None]],
) -> None:
    good = [a for kind, a, _ in results if kind in ("good", "sideways")]
    assert sum(a.good for a in good) >= 0.85 * len(good)


@pytest.mark.parametrize(
    ("kind", "hints", "share"),
    [
        ("blurred", {Hint.HOLD_STILL}, 0.8),
        # a cut-off card merges with what lies behind it more often than a whole one: the
        # hint is then "no document" or "not a document", still never "good"
        ("cut_off", {Hint.CUT_OFF}, 0.3),
        ("dark", {Hint.TOO_DARK}, 0.8),
        ("glare", {Hint.GLARE}, 0.8),
        ("small", {Hint.MOVE_CLOSER}, 0.8),
        ("not_document", {Hint.NOT_A_DOCUMENT, Hint.NO_DOCUMENT}, 0.6),
        # a phone showing the card, a printed photo of it: named as such in most views,
        # otherwise "not a document"; never "good"
        ("screen", {Hint.RECAPTURED}, 0.5),
        ("photo", {Hint.RECAPTURED}, 0.5),
    ],
)
def test_bad_views_get_their_hint_and_never_good(
    results: list[tuple[str, Analysis, np.ndarray | None]],
    kind: str,
    hints: set[Hint],
    share: float,
) -> None:
    got = [a.hint for k, a, _ in results if k == kind]
    assert got
    assert Hint.GOOD not in got
    assert sum(h in hints for h in got) >= share * len(got), got


def test_never_good_over_many_bad_views() -> None:
    rng = random.Random(5)
    for kind in ["blurred", "cut_off", "not_document", "empty", "screen", "photo"] * 12:
        assert not analyse(make_view(rng, kind).frame).good, kind


def test_a_reproduction_of_a_good_card_is_named_and_the_card_itself_is_good() -> None:
    rng = random.Random(21)
    named = 0
    for i in range(16):
        card = id_card(rng, "front" if i % 2 else "back")
        original = analyse(make_view(random.Random(i), "good", card).frame)
        assert original.hint is not Hint.RECAPTURED
        for kind in ("screen", "photo"):
            copy = analyse(make_view(random.Random(i), kind, card).frame)
            assert not copy.good, (i, kind)
            named += copy.hint is Hint.RECAPTURED
    assert named >= 20  # of 32


def test_sides_formats_and_upright_corners() -> None:
    rng = random.Random(3)
    front = make_view(rng, "good", id_card(rng, "front"))
    back = make_view(rng, "good", id_card(rng, "back"))
    passport = make_view(rng, "sideways", passport_page(rng))
    a_front, a_back, a_pass = analyse(front.frame), analyse(back.frame), analyse(passport.frame)
    assert (a_front.hint, a_front.side, a_front.format) == (Hint.GOOD, Side.FRONT, DocFormat.ID1)
    assert (a_back.hint, a_back.side, a_back.format) == (Hint.GOOD, Side.BACK, DocFormat.ID1)
    assert a_back.zone is not None and a_back.zone.lines == 3
    assert (a_pass.hint, a_pass.format) == (Hint.GOOD, DocFormat.TD3)
    assert a_pass.zone is not None and a_pass.zone.lines == 2
    # upright: the first corner is the document's own top-left, not just any corner
    for view, result in ((front, a_front), (back, a_back), (passport, a_pass)):
        assert result.corners is not None and view.corners is not None
        assert float(np.linalg.norm(result.corners - view.corners, axis=1).max()) < 20
    assert analyse(back.frame, expect=Side.FRONT).hint is Hint.WRONG_SIDE
    assert analyse(front.frame, expect=Side.BACK).hint is Hint.WRONG_SIDE
    assert analyse(passport.frame, expect=Side.BACK).hint is Hint.GOOD  # one page only


def test_a_portrait_frame_of_a_phone_held_upright() -> None:
    rng = random.Random(8)
    view = make_view(rng, "sideways", id_card(rng, "front"))
    assert view.frame.shape[:2] in ((1280, 720), (720, 1280))
    assert analyse(view.frame).good


def test_still_capture_crops_and_wipe() -> None:
    rng = random.Random(3)
    view = make_view(rng, "good", id_card(rng, "front"))
    result = analyse(view.frame)
    still = capture(view.frame, result)
    assert still.image.shape == (540, 856, 3)
    assert still.face is not None and still.face.size > 0
    image = still.image
    still.wipe()
    assert not image.any()
    assert still.face is None and still.zone is None
    with pytest.raises(ValueError, match="found a document"):
        capture(view.frame, Analysis(Hint.NO_DOCUMENT))


def test_live_face_in_the_scene() -> None:
    scene = np.full((720, 1280, 3), 170, np.uint8)
    draw_face(scene, 500, 100, 300, 390, random.Random(0))
    crop = live_face_crop(scene)
    assert crop is not None
    assert 200 < crop.shape[0] < 420
    assert live_face_crop(np.full((720, 1280, 3), 128, np.uint8)) is None


def test_auto_capture_needs_a_steady_run_of_good_frames() -> None:
    rng = random.Random(3)
    good = analyse(make_view(rng, "good", id_card(rng, "front")).frame)
    assert good.good and good.corners is not None
    auto = AutoCapture(needed=3)
    assert [auto.feed(good) for _ in range(3)] == [False, False, True]
    moved = Analysis(Hint.GOOD, good.corners + 80, good.format, good.side)
    assert not auto.feed(good)
    assert not auto.feed(moved)  # jumped: the run starts again
    assert not auto.feed(moved)
    assert auto.feed(moved)
    assert not auto.feed(Analysis(Hint.HOLD_STILL))
    assert auto.progress == 0


def test_order_corners_any_rotation() -> None:
    square = np.array([[0, 0], [160, 0], [160, 100], [0, 100]], np.float32)
    for k in range(4):
        got = order_corners(np.roll(square, k, axis=0)[::-1])
        assert got[0].tolist() == [0, 0]
        assert got[1].tolist() == [160, 0]


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.uint16, np.float32])
def test_percentiles_are_numpys_to_the_digit(dtype: type) -> None:
    """The measures' percentiles come from a histogram (integers) or one partial sort: the
    same numbers np.percentile gives, or the hints would move."""
    rng = np.random.default_rng(3)
    for n in (1, 2, 7, 1000, 29_000):
        values = (rng.random(n) * 300).astype(dtype)
        got = percentiles(values, 0, 5, 50, 90, 99.5, 100)
        want = np.percentile(values, [0, 5, 50, 90, 99.5, 100])
        assert np.allclose(got, want, rtol=1e-6, atol=1e-6), (n, got, want)
    # a strided view, as the sharpness measure passes one
    grid = (rng.random((135, 214)) * 255).astype(np.uint8)
    assert percentiles(grid[::2, ::2], 5, 95) == pytest.approx(
        np.percentile(grid[::2, ::2], [5, 95]).tolist()
    )
