"""Synthetic ID documents in camera views, with known corners and labels (tests, benchmark).

Everything is drawn here with OpenCV: an ID-1 card (front with a face-like photo, back with a
TD1 zone), a TD3 passport data page, and things that are not documents (book covers, a sheet
of paper, a bank-card-like card). :func:`make_view` renders one of them in perspective onto a
generated background at 1280×720 (or 720×1280 for a phone held upright) and applies what goes
wrong in calls: sensor noise, focus or motion blur, glare, low light, a document cut off at the
frame edge, a document too far away, a phone turned sideways.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import av
import cv2
import numpy as np
from numpy.typing import NDArray

from advisor_app.idcheck import mrz

Image = NDArray[Any]  # uint8 BGR (OpenCV's stubs type results loosely)
Points = NDArray[Any]  # float, shape (4, 2)

FRAME = (1280, 720)
ID1_SIZE = (856, 540)  # 10 px per mm
TD3_SIZE = (1250, 880)

SURNAMES = ["Mustermann", "Müller", "Öztürk", "Schäfer", "Weiß", "Nguyen", "Kowalski", "Brandt"]
GIVEN = ["Erika", "Jörg Peter", "Ayşe", "Jürgen", "Anna Maria", "Lukas", "Zoë", "Hans"]

#: View kinds and what the analysis must say about them.
KINDS = (
    "good",
    "sideways",
    "blurred",
    "glare",
    "dark",
    "small",
    "cut_off",
    "not_document",
    "empty",
    "screen",
    "photo",
)
#: Kinds in which a document lies completely inside the frame.
FULLY_VISIBLE = frozenset({"good", "sideways", "blurred", "glare", "dark", "small"})
#: Kinds for which "good" would be a false positive (the benchmark's false_good_pct).
NEVER_GOOD = frozenset(
    {"blurred", "cut_off", "not_document", "empty", "dark", "glare", "small", "screen", "photo"}
)
#: Kinds that show a reproduction of the document instead of the document itself.
RECAPTURED = frozenset({"screen", "photo"})


@dataclass
class Document:
    """A flat, upright document image and what is printed on it."""

    image: Image
    kind: str  # "id1", "td3" or "other"
    side: str  # "front", "back" or "none"
    mrz_lines: list[str] | None = None
    mrz_valid: bool = True
    name: str = ""


@dataclass
class View:
    """One camera frame with the truth about it."""

    frame: Image
    kind: str
    document: Document | None
    #: Corners of the document (TL, TR, BR, BL of the upright document) in frame pixels.
    corners: Points | None = None
    labels: dict[str, object] = field(default_factory=dict)

    @property
    def fully_visible(self) -> bool:
        return self.kind in FULLY_VISIBLE


# --- drawing helpers --------------------------------------------------------------------------


def _text(
    img: Image,
    text: str,
    org: tuple[int, int],
    scale: float,
    color: tuple[int, int, int],
    thickness: int = 1,
) -> None:
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, color, thickness, cv2.LINE_AA)


def _mono(img: Image, text: str, x: int, y: int, pitch: float, scale: float) -> None:
    """Monospaced dark characters (an MRZ line), one glyph per ``pitch`` pixels."""
    for i, ch in enumerate(text):
        _text(img, ch, (int(x + i * pitch), y), scale, (25, 25, 25), 2)


def _guilloche(img: Image, rng: random.Random, tint: tuple[int, int, int]) -> None:
    h, w = img.shape[:2]
    xs = np.arange(0, w, 2, dtype=np.float64)
    for k in range(14):
        amp = rng.uniform(6, 22)
        freq = rng.uniform(0.004, 0.02)
        phase = rng.uniform(0, 6.3)
        y0 = h * (k + 0.5) / 14
        ys = y0 + amp * np.sin(xs * freq * 6.28 + phase)
        pts = np.stack([xs, ys], axis=1).astype(np.int32)
        cv2.polylines(img, [pts], False, tint, 1, cv2.LINE_AA)


def draw_face(
    img: Image, x: int, y: int, w: int, h: int, rng: random.Random, *, backdrop: bool = True
) -> None:
    """A frontal face-like portrait (head, hair, eyes, brows, nose, mouth, shoulders)."""
    if backdrop:
        bg = rng.choice([(210, 205, 200), (225, 220, 215), (200, 195, 190)])
        cv2.rectangle(img, (x, y), (x + w, y + h), bg, -1)
    skin = rng.choice([(150, 175, 215), (120, 150, 195), (90, 120, 165), (165, 190, 230)])
    hair = rng.choice([(30, 30, 35), (40, 60, 90), (20, 25, 30), (70, 90, 120)])
    cx, cy = x + w // 2, y + int(h * 0.42)
    hw, hh = int(w * 0.30), int(h * 0.30)
    cloth = rng.choice([(90, 60, 40), (60, 60, 60), (40, 40, 110)])
    cv2.ellipse(
        img, (cx, y + h + int(h * 0.05)), (int(w * 0.55), int(h * 0.3)), 0, 180, 360, cloth, -1
    )
    cv2.rectangle(
        img, (cx - hw // 3, cy + hh - 5), (cx + hw // 3, cy + hh + int(h * 0.12)), skin, -1
    )
    cv2.ellipse(
        img, (cx, cy - int(hh * 0.15)), (int(hw * 1.12), int(hh * 1.15)), 0, 0, 360, hair, -1
    )
    cv2.ellipse(img, (cx, cy), (hw, hh), 0, 0, 360, skin, -1)
    cv2.ellipse(
        img, (cx, cy - int(hh * 0.75)), (int(hw * 1.05), int(hh * 0.45)), 0, 180, 360, hair, -1
    )
    ex, ey = int(hw * 0.42), cy - int(hh * 0.12)
    ew, eh = max(3, int(hw * 0.2)), max(2, int(hh * 0.09))
    for sx in (-1, 1):
        ecx = cx + sx * ex
        cv2.line(
            img,
            (ecx - ew, ey - int(hh * 0.22)),
            (ecx + ew, ey - int(hh * 0.25)),
            (40, 40, 45),
            max(2, hh // 14),
        )
        cv2.ellipse(img, (ecx, ey), (ew, eh), 0, 0, 360, (235, 235, 235), -1)
        cv2.circle(img, (ecx, ey), max(2, int(eh * 0.9)), (40, 35, 30), -1)
    shade = tuple(int(c * 0.8) for c in skin)
    cv2.line(img, (cx, ey + eh), (cx - hw // 10, cy + int(hh * 0.35)), shade, max(1, hw // 20))
    cv2.ellipse(img, (cx, cy + int(hh * 0.38)), (hw // 5, hh // 14), 0, 0, 360, shade, -1)
    cv2.ellipse(
        img,
        (cx, cy + int(hh * 0.62)),
        (int(hw * 0.36), max(2, hh // 10)),
        0,
        0,
        360,
        (70, 70, 150),
        -1,
    )
    roi = img[y : y + h, x : x + w]
    roi[:] = cv2.GaussianBlur(roi, (0, 0), max(0.8, w / 260))


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(SURNAMES), rng.choice(GIVEN)


def _dates(rng: random.Random) -> tuple[str, str]:
    birth = f"{rng.randint(40, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    expiry = f"{rng.randint(27, 35):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    return birth, expiry


def _number(rng: random.Random) -> str:
    letters = "CFGHJKLMNPRTVWXYZ"
    return rng.choice(letters) + "".join(rng.choice(letters + "0123456789") for _ in range(8))


def _spoil(lines: list[str], rng: random.Random) -> list[str]:
    """Change one digit that a check digit protects (document number, dates)."""
    line = 1  # the dates and (TD3) the number are on the second line
    row = list(lines[line])
    positions = [0, 1, 2, 9, 10, 11] if len(lines) == 3 else [13, 14, 15, 22, 23]
    pos = rng.choice(positions)
    row[pos] = str((int(row[pos]) + rng.randint(1, 8)) % 10) if row[pos].isdigit() else "7"
    out = list(lines)
    out[line] = "".join(row)
    return out


def _paper(size: tuple[int, int], rng: random.Random) -> Image:
    w, h = size
    base = np.array(rng.choice([(226, 232, 222), (236, 228, 232), (222, 230, 236)]), np.uint8)
    img = np.empty((h, w, 3), np.uint8)
    img[:] = base
    _guilloche(img, rng, tuple(int(c) - 28 for c in base))  # type: ignore[arg-type]
    return img


def id_card(rng: random.Random, side: str, *, valid: bool = True) -> Document:
    """An ID-1 identity card, front (photo, data) or back (address, TD1 zone)."""
    img = _paper(ID1_SIZE, rng)
    surname, given = _person(rng)
    if side == "front":
        _text(img, "MUSTERLAND", (40, 55), 1.0, (110, 60, 20), 2)
        _text(img, "PERSONALAUSWEIS  IDENTITY CARD", (330, 55), 0.62, (110, 60, 20), 1)
        draw_face(img, 40, 120, 260, 340, rng)
        rows = [
            ("Name", surname),
            ("Vornamen", given),
            ("Geburtsdatum", "12.08.1974"),
            ("Staatsangehoerigkeit", "DEUTSCH"),
            ("Gueltig bis", "15.04.2031"),
        ]
        for i, (label, value) in enumerate(rows):
            _text(img, label, (330, 130 + i * 70), 0.5, (90, 90, 90))
            _text(img, mrz.transliterate(value), (330, 160 + i * 70), 0.85, (20, 20, 20), 2)
        _text(img, _number(rng), (640, 100), 0.7, (30, 30, 160), 2)
        return Document(img, "id1", "front", name=f"{given} {surname}")
    _text(img, "Anschrift", (40, 60), 0.5, (90, 90, 90))
    _text(img, "BEISPIELSTRASSE 12", (40, 95), 0.8, (20, 20, 20), 2)
    _text(img, "12345 MUSTERSTADT", (40, 135), 0.8, (20, 20, 20), 2)
    _text(img, "Augenfarbe  GRUEN   Groesse 170 cm", (40, 185), 0.6, (40, 40, 40), 1)
    birth, expiry = _dates(rng)
    lines = mrz.build_td1(
        number=_number(rng),
        birth=birth,
        sex=rng.choice("MF"),
        expiry=expiry,
        surname=surname,
        given_names=given,
    )
    if not valid:
        lines = _spoil(lines, rng)
    for i, line in enumerate(lines):
        _mono(img, line, 46, 400 + i * 56, 25.4, 0.95)
    return Document(img, "id1", "back", lines, valid, name=f"{given} {surname}")


def passport_page(rng: random.Random, *, valid: bool = True) -> Document:
    """A TD3 passport data page: photo, data and a two-line zone."""
    img = _paper(TD3_SIZE, rng)
    surname, given = _person(rng)
    _text(img, "MUSTERLAND  REISEPASS  PASSPORT", (60, 80), 1.2, (110, 60, 20), 2)
    draw_face(img, 60, 150, 360, 460, rng)
    rows = [
        ("Name", surname),
        ("Vornamen", given),
        ("Geburtsdatum", "12.08.1974"),
        ("Geburtsort", "MUSTERSTADT"),
        ("Gueltig bis", "15.04.2031"),
    ]
    for i, (label, value) in enumerate(rows):
        _text(img, label, (470, 180 + i * 85), 0.65, (90, 90, 90))
        _text(img, mrz.transliterate(value), (470, 220 + i * 85), 1.05, (20, 20, 20), 2)
    birth, expiry = _dates(rng)
    lines = mrz.build_td3(
        number=_number(rng),
        birth=birth,
        sex=rng.choice("MF"),
        expiry=expiry,
        surname=surname,
        given_names=given,
    )
    if not valid:
        lines = _spoil(lines, rng)
    for i, line in enumerate(lines):
        _mono(img, line, 62, 745 + i * 80, 25.4, 0.95)
    return Document(img, "td3", "front", lines, valid, name=f"{given} {surname}")


def not_a_document(rng: random.Random) -> Document:
    """A book cover, a printed sheet or a bank-card-like card (no photo and zone as on IDs)."""
    what = rng.choice(["book", "book_portrait", "sheet", "bank_card"])
    if what == "bank_card":
        img = np.empty((ID1_SIZE[1], ID1_SIZE[0], 3), np.uint8)
        img[:] = rng.choice([(150, 90, 30), (40, 40, 40), (60, 130, 60)])
        cv2.rectangle(img, (80, 190), (200, 280), (80, 190, 220), -1)
        _text(img, "4921  5580  1234  5678", (80, 380), 1.3, (235, 235, 235), 2)
        _text(img, "MAX MUSTER   12/29", (80, 460), 0.8, (235, 235, 235), 2)
        return Document(img, "other", "none")
    if what == "sheet":
        w = 800
        img = np.full((int(w * 1.414), w, 3), 245, np.uint8)
        for i in range(30):
            _text(
                img,
                "Lorem ipsum dolor sit amet consectetur adipiscing",
                (50, 80 + i * 36),
                0.75,
                (30, 30, 30),
                1,
            )
        img = np.ascontiguousarray(np.rot90(img)) if rng.random() < 0.5 else img
        return Document(img, "other", "none")
    aspect = rng.choice([1.41, 1.5, 1.59, 1.33])
    h = 900
    img = np.empty((h, int(h / aspect), 3), np.uint8)
    img[:] = rng.choice([(40, 80, 160), (170, 120, 40), (30, 30, 30), (200, 200, 190)])
    _text(img, "DER ROMAN", (40, 140), 2.0, (240, 240, 240), 4)
    _text(img, "Autorin Beispiel", (40, 820), 1.2, (240, 240, 240), 2)
    if what == "book_portrait":
        draw_face(img, img.shape[1] // 2 - 170, 260, 340, 440, rng)
    else:
        cv2.circle(img, (img.shape[1] // 2, 480), 180, (60, 180, 220), -1)
    if rng.random() < 0.6:
        img = np.ascontiguousarray(np.rot90(img))
    return Document(img, "other", "none")


def _grid(size: tuple[int, int], pitch: int, kind: str) -> NDArray[Any]:
    """A multiplicative pattern: a display's RGB stripes or a print's halftone dots."""
    w, h = size
    if kind == "pixels":
        x = np.arange(w)
        stripes = np.zeros((1, w, 3), np.float32)
        for c in range(3):  # OpenCV order B, G, R; sub-pixels R, G, B from left to right
            stripes[0, :, 2 - c] = ((x % pitch) * 3 // pitch == c) * 0.75 + 0.45
        gap = np.where(np.arange(h) % pitch == pitch - 1, 0.55, 1.0).astype(np.float32)
        return stripes * gap[:, None, None]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = math.radians(45)
    u = (xx * math.cos(angle) + yy * math.sin(angle)) * (2 * math.pi / pitch)
    v = (-xx * math.sin(angle) + yy * math.cos(angle)) * (2 * math.pi / pitch)
    dots = 0.72 + 0.28 * np.cos(u) * np.cos(v)
    return np.repeat(dots[..., None], 3, axis=2)


def reproduction(doc: Document, rng: random.Random, kind: str) -> tuple[Document, Points]:
    """``doc`` shown on a phone or monitor (``screen``) or printed as a photo (``photo``).

    Returns the reproduction as a flat image and where the document lies in it. A screen has
    a dark bezel, a bluish white, lifted blacks and a pixel grid; a print has a paper margin,
    a warm cast, less contrast and a halftone screen. Both grids are drawn at a fine pitch, so
    the camera's sampling turns them into moiré the way a real recapture does.
    """
    dh, dw = doc.image.shape[:2]
    if kind == "screen":
        pitch = rng.choice([3, 4])
        content = cv2.resize(doc.image, (dw, dh), interpolation=cv2.INTER_AREA).astype(np.float32)
        content = 18 + content * rng.uniform(0.82, 0.92)  # a display's black is not black
        content *= np.array([1.06, 1.0, 0.9], np.float32)  # bluish white
        content *= _grid((dw, dh), pitch, "pixels")
        bezel = int(rng.uniform(0.03, 0.08) * dw)
        below = int(dh * rng.uniform(0.05, 0.6))  # a phone's screen is longer than a card
        above = int(dh * rng.uniform(0.05, 0.6))
        body = np.empty((dh + above + below + 2 * bezel, dw + 2 * bezel, 3), np.float32)
        body[:] = rng.choice([(22, 22, 24), (35, 33, 30), (12, 12, 14)])
        screen_black = 18 + np.zeros((dh + above + below, dw, 3), np.float32)
        body[bezel : bezel + screen_black.shape[0], bezel : bezel + dw] = screen_black
        body[bezel + above : bezel + above + dh, bezel : bezel + dw] = content
        at = np.array([[bezel, bezel + above]], np.float32)
    else:
        pitch = rng.choice([3, 4, 5])
        content = doc.image.astype(np.float32) * rng.uniform(0.75, 0.85) + 28
        content *= np.array([0.92, 0.98, 1.04], np.float32)  # warm photo paper
        content *= _grid((dw, dh), pitch, "dots")
        margin = int(rng.uniform(0.04, 0.12) * dw)
        body = np.empty((dh + 2 * margin, dw + 2 * margin, 3), np.float32)
        body[:] = rng.choice([(238, 240, 242), (228, 232, 236)])
        body[margin : margin + dh, margin : margin + dw] = content
        at = np.array([[margin, margin]], np.float32)
    image = np.clip(body, 0, 255).astype(np.uint8)
    where = np.array([[0, 0], [dw, 0], [dw, dh], [0, dh]], np.float32) + at
    copy = Document(image, "other", "none", doc.mrz_lines, doc.mrz_valid, doc.name)
    return copy, where


# --- scenes -----------------------------------------------------------------------------------


def background(size: tuple[int, int], rng: random.Random, *, person: bool = True) -> Image:
    """A desk, wall, fabric or cluttered room, sometimes with the citizen's face in it."""
    w, h = size
    kind = rng.choice(["wood", "wall", "fabric", "clutter", "dark"])
    img: Image = np.empty((h, w, 3), np.uint8)
    if kind == "wood":
        ys = np.arange(h, dtype=np.float64)[:, None]
        xs = np.arange(w, dtype=np.float64)[None, :]
        grain = 0.5 + 0.5 * np.sin(ys * 0.08 + 3 * np.sin(xs * 0.01))
        base = np.array([40, 80, 130], np.float64)
        img[:] = np.clip(base * (0.75 + 0.35 * grain[..., None]), 0, 255).astype(np.uint8)
    elif kind == "wall":
        color = np.array(rng.choice([(200, 205, 210), (170, 190, 200), (150, 160, 150)]))
        ramp = np.linspace(0.8, 1.05, w)[None, :, None]
        img[:] = np.clip(color * ramp, 0, 255).astype(np.uint8)
    elif kind == "fabric":
        noise = np.random.default_rng(rng.randint(0, 10**6)).normal(0, 25, (h // 4, w // 4, 1))
        tex = cv2.resize(noise, (w, h), interpolation=cv2.INTER_NEAREST)[..., None]
        color = np.array(rng.choice([(120, 60, 40), (60, 90, 60), (110, 110, 120)]), np.float64)
        img[:] = np.clip(color + tex, 0, 255).astype(np.uint8)
    elif kind == "clutter":
        img[:] = rng.choice([(180, 180, 180), (120, 140, 160)])
        for _ in range(14):
            x0, y0 = rng.randint(-100, w), rng.randint(-100, h)
            shade = tuple(rng.randint(20, 235) for _ in range(3))
            if rng.random() < 0.5:
                corner = (x0 + rng.randint(40, 300), y0 + rng.randint(40, 300))
                cv2.rectangle(img, (x0, y0), corner, shade, -1)
            else:
                cv2.circle(img, (x0, y0), rng.randint(20, 120), shade, -1)
        img = cv2.GaussianBlur(img, (0, 0), 3.0)
    else:
        img[:] = rng.choice([(45, 40, 38), (30, 30, 50), (55, 55, 55)])
    if person and rng.random() < 0.6:
        fw = rng.randint(w // 6, w // 4)
        draw_face(
            img,
            rng.randint(0, w - fw),
            rng.randint(0, max(1, h // 3)),
            fw,
            min(h - 1, int(fw * 1.3)),
            rng,
            backdrop=False,
        )
    return img


def _place(rng: random.Random, size: tuple[int, int], doc_wh: tuple[int, int], kind: str) -> Points:
    """Where the document's corners land in the frame for a view of ``kind``."""
    w, h = size
    dw, dh = doc_wh
    for _ in range(400):
        if kind == "small":
            length = rng.uniform(0.14, 0.26) * max(w, h)
        elif w < h:
            length = rng.uniform(0.62, 0.92) * w
        else:
            length = rng.uniform(0.45, 0.78) * w
        ex, ey = np.array([dw, dh]) * (length / max(dw, dh))
        angle = rng.choice([rng.uniform(-25, 25), rng.uniform(155, 205)])
        rad = math.radians(angle)
        base = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]]) * [ex, ey]
        rot = np.array([[math.cos(rad), -math.sin(rad)], [math.sin(rad), math.cos(rad)]])
        pts = base @ rot.T
        pts += np.array([[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(4)]) * (
            0.035 * length
        )
        if kind == "cut_off":
            cx = rng.choice([rng.uniform(-0.05, 0.2), rng.uniform(0.8, 1.05)]) * w
            cy = rng.uniform(0.2, 0.8) * h
            if rng.random() < 0.4:
                cx, cy = rng.uniform(0.3, 0.7) * w, rng.choice([0.05, 0.95]) * h
            pts = np.add(pts, [cx, cy])
            outside = (pts[:, 0] < 0) | (pts[:, 0] >= w) | (pts[:, 1] < 0) | (pts[:, 1] >= h)
            if 1 <= outside.sum() <= 3:
                cut: Points = pts
                return cut
            continue
        margin = 0.03 * min(w, h)
        lo = -pts.min(axis=0) + margin
        hi = np.array([w, h]) - pts.max(axis=0) - margin
        if (hi < lo).any():
            continue
        placed: Points = np.add(pts, [rng.uniform(lo[0], hi[0]), rng.uniform(lo[1], hi[1])])
        return placed
    raise RuntimeError("could not place the document")


def _motion_kernel(length: int, angle: float) -> NDArray[Any]:
    k = np.zeros((length, length), np.float32)
    c = (length - 1) / 2
    dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    for t in np.linspace(-c, c, length * 2):
        k[round(c + t * dy), round(c + t * dx)] = 1
    kernel: NDArray[Any] = k / k.sum()
    return kernel


def render(doc: Document, corners: Points, bg: Image) -> Image:
    """``doc`` warped onto ``bg`` with its corners at ``corners``."""
    h, w = bg.shape[:2]
    dh, dw = doc.image.shape[:2]
    src = np.array([[0, 0], [dw, 0], [dw, dh], [0, dh]], np.float32)
    m = cv2.getPerspectiveTransform(src, corners.astype(np.float32))
    warped = cv2.warpPerspective(doc.image, m, (w, h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((dh, dw), 255, np.uint8), m, (w, h), flags=cv2.INTER_AREA)
    alpha = (mask.astype(np.float32) / 255.0)[..., None]
    out: Image = (warped * alpha + bg * (1 - alpha)).astype(np.uint8)
    return out


def make_document(rng: random.Random, kind: str) -> Document:
    if kind == "not_document":
        return not_a_document(rng)
    valid = rng.random() < 0.8
    if rng.random() < 0.3:
        return passport_page(rng, valid=valid)
    return id_card(rng, rng.choice(["front", "back"]), valid=valid)


def make_view(rng: random.Random, kind: str, document: Document | None = None) -> View:
    """One labelled frame of ``kind`` (see :data:`KINDS`)."""
    size = FRAME
    if kind == "sideways":
        size = (FRAME[1], FRAME[0])  # the phone is held upright
    bg = background(size, rng, person=kind != "empty")
    if kind == "empty":
        frame, doc, corners = bg, None, None
    elif kind in RECAPTURED:
        original = document or make_document(rng, "good")
        doc, inner = reproduction(original, rng, kind)
        dh, dw = doc.image.shape[:2]
        outer = _place(rng, size, (dw, dh), "good")
        src = np.array([[0, 0], [dw, 0], [dw, dh], [0, dh]], np.float32)
        m = cv2.getPerspectiveTransform(src, outer.astype(np.float32))
        corners = cv2.perspectiveTransform(inner[None], m)[0]
        frame = render(doc, outer, bg)
        doc = original
    else:
        doc = document or make_document(rng, kind)
        dh, dw = doc.image.shape[:2]
        corners = _place(
            rng, size, (dw, dh), "good" if kind in ("glare", "dark", "blurred") else kind
        )
        frame = render(doc, corners, bg)
    img: Image = frame.astype(np.float32)
    ramp = np.linspace(rng.uniform(0.8, 1.0), rng.uniform(0.9, 1.04), size[0])[None, :, None]
    img *= ramp
    if kind == "glare" and corners is not None:
        c = corners.mean(axis=0) + (corners[1] - corners[0]) * rng.uniform(-0.25, 0.25)
        side = float(np.linalg.norm(corners[1] - corners[0]))
        yy, xx = np.mgrid[0 : size[1], 0 : size[0]]
        r = side * rng.uniform(0.10, 0.16)
        spot = np.exp(-(((xx - c[0]) ** 2 + ((yy - c[1]) * 1.4) ** 2) / (2 * r * r)))
        img += (spot * rng.uniform(220, 320))[..., None]
    if kind == "dark":
        img *= rng.uniform(0.08, 0.16)
    img = np.clip(img, 0, 255).astype(np.uint8)
    if kind == "blurred":
        if rng.random() < 0.5:
            img = cv2.GaussianBlur(img, (0, 0), rng.uniform(3.0, 6.0))
        else:
            img = cv2.filter2D(img, -1, _motion_kernel(rng.randint(14, 30), rng.uniform(0, 180)))
    else:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 0.9))
    noise = np.random.default_rng(rng.randint(0, 10**6)).normal(0, rng.uniform(1.5, 5.0), img.shape)
    img = np.clip(img + noise, 0, 255).astype(np.uint8)
    if kind == "sideways" and rng.random() < 0.5:
        # ... and sends its picture turned by 90 degrees, as a landscape frame
        img = np.ascontiguousarray(np.rot90(img))
        assert corners is not None
        corners = np.stack([corners[:, 1], size[0] - 1 - corners[:, 0]], axis=1)
    return View(img, kind, doc, corners)


class Transmission:
    """What the console receives: frames through VP8 at a call's bit rate and back.

    One encoder per frame size, as in a call: each view is sent ``repeat`` times (the citizen
    holds the document still for a moment) and the last decoded picture is the result.
    """

    def __init__(self, kbps: int = 1500, repeat: int = 3) -> None:
        self.kbps = kbps
        self.repeat = repeat
        self._codecs: dict[tuple[int, int], tuple[Any, Any]] = {}
        self._pts = 0

    def _codec(self, w: int, h: int) -> tuple[Any, Any]:
        if (w, h) not in self._codecs:
            enc = av.CodecContext.create("libvpx", "w")
            enc.width, enc.height, enc.pix_fmt = w, h, "yuv420p"
            enc.bit_rate = self.kbps * 1000
            enc.framerate = Fraction(30)
            enc.time_base = Fraction(1, 30)
            # realtime, with a fixed speed (a positive cpu-used adapts to the load: not repeatable)
            enc.options = {"deadline": "realtime", "cpu-used": "-6", "lag-in-frames": "0"}
            self._codecs[(w, h)] = (enc, av.CodecContext.create("libvpx", "r"))
        return self._codecs[(w, h)]

    def send(self, frame: Image) -> Image:
        h, w = frame.shape[:2]
        enc, dec = self._codec(w, h)
        out: Image | None = None
        source = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame), format="bgr24")
        for _ in range(self.repeat):
            picture = source.reformat(format="yuv420p")
            picture.pts = self._pts
            self._pts += 1
            for packet in enc.encode(picture):
                for decoded in dec.decode(packet):
                    out = decoded.to_ndarray(format="bgr24")
        if out is None:
            raise RuntimeError("the encoder gave no picture")
        return out


def make_views(n: int, seed: int = 7) -> list[View]:
    """``n`` views in fixed proportions of the kinds (the benchmark's and tests' mix)."""
    weights = {
        "good": 30,
        "sideways": 10,
        "blurred": 14,
        "glare": 8,
        "dark": 6,
        "small": 8,
        "cut_off": 11,
        "not_document": 10,
        "empty": 3,
        "screen": 8,
        "photo": 8,
    }
    total = sum(weights.values())
    rng = random.Random(seed)
    kinds: list[str] = []
    for kind, weight in weights.items():
        kinds += [kind] * max(1, round(n * weight / total))
    return [make_view(rng, kind) for kind in kinds]
