"""Optional OCR of the machine-readable zone, with tesseract (through tesserocr) where installed.

Nothing here is required: without ``tesserocr`` or without tesseract's English data the
console asks the advisor to type the zone. The engine runs in this process on the in-memory
still (raw pixels handed over, no file, no network): no picture or text leaves memory.

How a zone is read:

1. The print is separated from the paper (black-hat), the two or three lines are found by
   their rows of ink, and each line is scaled to a character height of about 32 px.
2. The zone is monospaced: its blobs of ink are walked, gap by gap, into 30, 36 or 44 cells.
   Each cell's ink decides whether it holds a filler ``<`` (it starts below the letters' top)
   or a character. Tesseract's English model reads ``<<<<`` badly (as ``K``, ``C``, ``E``), so
   it never sees the fillers: it reads the letters and digits side by side, whitelisted, and
   they go back into their cells (in order, or by their boxes when the count misfits).
3. Letters and digits that look alike (``0/O``, ``1/I``, ``2/Z``, ``5/S``, ``6/G``, ``8/B``)
   are set by the field's type: digits in dates and check digits, letters in names and codes,
   digits in a German document number (its alphabet has no vowels and no B, D, Q, S).
4. The check digits decide between readings: a line that fails them is read again on its own
   (as a line, then as a raw line), a failing field once more character by character, and
   the reading its check digit accepts is kept. Nothing is changed just to make a digit pass,
   so a zone with a wrong check digit stays wrong and is reported with its field.
"""

from __future__ import annotations

import importlib
import itertools
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from advisor_app.idcheck.geometry import Image
from advisor_app.idcheck.mrz import (
    CHECKED,
    LAYOUT,
    SHAPES,
    Kind,
    MrzField,
    MrzFormat,
    check_digit,
    detect_format,
    parse,
)
from advisor_app.idcheck.mrz import Part as ZonePart

log = logging.getLogger(__name__)

#: Character height (px) the engine is given: tesseract reads capitals best at about 30 px.
CHAR_HEIGHT = 32
#: White margin around what the engine reads.
PAD = CHAR_HEIGHT // 2
#: Shown where a cell holds ink the engine could not read: the advisor types it.
UNREADABLE = "?"
#: A filler leaves at least this share of the letters' height free above it.
FILLER_TOP = 0.1
_WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#: Where tesseract's language data is looked for when ``TESSDATA_PREFIX`` is not set
#: (Debian/Ubuntu's tesseract-ocr-eng, Homebrew, a source build).
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/opt/homebrew/share/tessdata",
    "/usr/local/share/tessdata",
)

_local = threading.local()


def tessdata_dir() -> Path | None:
    """The folder with ``eng.traineddata``: ``TESSDATA_PREFIX`` alone when set (as tesseract
    itself does), otherwise the first of :data:`TESSDATA_DIRS` that has it."""
    prefix = os.environ.get("TESSDATA_PREFIX")
    candidates = [prefix] if prefix else list(TESSDATA_DIRS)
    for folder in candidates:
        if (Path(folder) / "eng.traineddata").is_file():
            return Path(folder)
    return None


def available() -> bool:
    """True when tesserocr and tesseract's English data are installed."""
    if tessdata_dir() is None:
        return False
    try:
        importlib.import_module("tesserocr")
    except ImportError:
        return False
    return True


def _engine() -> Any | None:
    """This thread's tesseract instance (one per thread: an instance is not thread-safe)."""
    data = tessdata_dir()
    if data is None:
        return None
    cached = getattr(_local, "engine", None)
    if cached is not None and cached[0] == data:
        return cached[1]
    try:
        tesserocr = importlib.import_module("tesserocr")
        api = tesserocr.PyTessBaseAPI(path=f"{data}/", lang="eng")
    except (ImportError, RuntimeError) as exc:
        log.warning("Text recognition not available: %s", type(exc).__name__)
        return None
    api.SetVariable("tessedit_char_whitelist", _WHITELIST)
    _local.engine = (data, api)
    return api


def read_zone(zone_bgr: Image) -> list[str] | None:
    """The zone's lines as read and type-corrected (check digits not enforced), or None.

    None without an engine, or when no two or three lines of monospaced print are found.
    Cells the engine could not read hold :data:`UNREADABLE`.
    """
    engine = _engine()
    if engine is None:
        return None
    lines = find_lines(zone_bgr)
    if lines is None:
        return None
    try:
        return _read(engine, lines)
    except Exception as exc:  # an installed but broken engine must not break the check
        log.warning("OCR of the zone failed: %s", type(exc).__name__)
        return None


# --- finding the lines and their character cells ----------------------------------------------


@dataclass
class Line:
    """One line of the zone, scaled to :data:`CHAR_HEIGHT`, split into its character cells."""

    #: The letters and digits only (ink 255 on black): fillers and specks left out.
    chars: Image
    #: Per cell: "char", "filler" or "empty".
    kinds: list[str]
    #: Per cell: its columns in ``chars`` (start, end).
    spans: list[tuple[int, int]]
    #: Per cell: where its ink starts, as a share of the letters' height below their top.
    tops: list[float]

    def _parts(self) -> list[tuple[int, Image]]:
        return [
            (i, self.chars[:, a:b])
            for i, ((a, b), kind) in enumerate(zip(self.spans, self.kinds, strict=True))
            if kind == "char"
        ]

    def engine_image(self) -> Image:
        """The letters and digits side by side, fillers and gaps left out, dark on white.

        One unbroken word: tesseract drops or doubles single letters between wide gaps.
        """
        parts = [p for _, p in self._parts()]
        if not parts:
            return np.full((2 * CHAR_HEIGHT, 2 * CHAR_HEIGHT), 255, np.uint8)
        return np.pad(255 - np.hstack(parts), PAD, constant_values=255)

    def place(self, symbols: list[tuple[str, float]]) -> str:
        """The line with each recognised symbol (character, centre column in
        :meth:`engine_image`) put into the cell it was read from.

        A cell without a symbol was most likely a filler that background lines made look
        tall (the engine finds no letter there): a filler if it starts a little below the
        top, otherwise unreadable; a cell with two symbols is unreadable.
        """
        found: dict[int, list[str]] = {}
        edges = np.cumsum([0] + [p.shape[1] for _, p in self._parts()]) + PAD
        cells = [i for i, _ in self._parts()]
        symbols = [(c, x) for c, x in symbols if c in _WHITELIST]
        if len(symbols) == len(cells):  # one each: in order (boxes of the LSTM are rough)
            found = {i: [c] for i, (c, _) in zip(cells, symbols, strict=True)}
        for char, x in symbols if not found else []:
            k = int(np.searchsorted(edges, x, side="right")) - 1
            if 0 <= k < len(cells):
                found.setdefault(cells[k], []).append(char)
        out = []
        for i, kind in enumerate(self.kinds):
            if kind == "filler":
                out.append("<")
            elif kind == "empty":
                out.append(UNREADABLE)
            elif len(found.get(i, [])) == 1:
                out.append(found[i][0])
            elif i not in found and self.tops[i] >= FILLER_TOP / 2:
                out.append("<")
            else:
                out.append(UNREADABLE)
        return "".join(out)

    def read_cell(self, engine: Any, index: int) -> str:
        """One character cell read alone ("" for a filler or when the engine finds nothing)."""
        if self.kinds[index] != "char":
            return ""
        a, b = self.spans[index]
        picture = np.pad(255 - self.chars[:, a:b], PAD, constant_values=255)
        text = [c for c, _, _ in _symbols(engine, picture, _CHAR)]
        return text[0] if len(text) == 1 else ""


def _ink(gray: Image, line_height: int) -> Image:
    size = max(9, line_height | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    return cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, kernel)


def _bands(mask: Image) -> list[tuple[int, int]]:
    """Rows of print: runs of rows with ink, the two or three with the most ink."""
    profile = (mask > 0).mean(axis=1)
    on = profile >= 0.15 * float(profile.max(initial=0.0))
    edges = np.flatnonzero(np.diff(np.concatenate(([0], on.astype(np.int8), [0]))))
    runs = list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))
    if not runs:
        return []
    tallest = max(b - a for a, b in runs)
    runs = [(a, b) for a, b in runs if b - a >= 0.4 * tallest]
    if len(runs) > 3:
        mass = [float(profile[a:b].sum()) for a, b in runs]
        keep = sorted(np.argsort(mass)[-3:].tolist())
        runs = [runs[i] for i in keep]
    return runs


def find_lines(zone_bgr: Image) -> list[Line] | None:
    """The zone's two or three lines with their cells, or None when they are not found."""
    gray = cv2.cvtColor(zone_bgr, cv2.COLOR_BGR2GRAY) if zone_bgr.ndim == 3 else zone_bgr
    ink = _ink(gray, gray.shape[0] // 3)
    _, mask = cv2.threshold(ink, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    bands = _bands(mask)
    if len(bands) not in (2, 3):
        return None
    lines = []
    for top, bottom in bands:
        margin = max(2, (bottom - top) // 3)
        crop = ink[max(0, top - margin) : bottom + margin]
        height = _cap_height(mask[max(0, top - margin) : bottom + margin])
        if height is None:
            return None
        scale = CHAR_HEIGHT / height
        big = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        big = cv2.GaussianBlur(big, (3, 3), 0)
        _, binary = cv2.threshold(big, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        lines.append(binary)
    width = None if len(lines) == 3 else _two_line_width(lines)
    cells = [_cells(binary, width or SHAPES[MrzFormat.TD1][1]) for binary in lines]
    if any(c is None for c in cells):
        return None
    return [c for c in cells if c is not None]


Box = tuple[int, int, int, int, int]  # x, y, w, h, label


def _cap_height(mask: Image) -> float | None:
    """The height of the line's letters (its tallest blobs; fillers are lower)."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    heights = np.array([h for _, _, w, h, _ in stats[1:count].tolist() if w >= 2 and h >= 4])
    if len(heights) < 5:
        return None
    tall = heights[heights >= 0.8 * np.percentile(heights, 95)]
    return float(np.median(tall))


def _glyph_boxes(binary: Image) -> tuple[list[Box], Image]:
    """The ink blobs big enough to be characters or fillers, and the label image."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    width = binary.shape[1]
    boxes = []
    for label, (x, y, w, h, area) in enumerate(stats[1:count].tolist(), start=1):
        if x == 0 or x + w >= width:
            continue  # cut at the crop's edge: the document's border or a shadow
        if h >= 0.5 * CHAR_HEIGHT and area >= 0.03 * CHAR_HEIGHT * CHAR_HEIGHT:
            boxes.append((x, y, w, h, label))
    return sorted(boxes), labels


def _pitch(boxes: list[Box]) -> float | None:
    centres = [b[0] + b[2] / 2 for b in boxes]
    gaps = np.diff(centres)
    gaps = gaps[gaps > 0.3 * CHAR_HEIGHT]
    return float(np.median(gaps)) if len(gaps) >= 5 else None


def _two_line_width(lines: list[Image]) -> int:
    """TD2 (36) or TD3 (44): the cell count that the lines' span and pitch fit best."""
    estimates = []
    for binary in lines:
        boxes, _ = _glyph_boxes(binary)
        pitch = _pitch(boxes)
        if pitch is not None:
            span = (boxes[-1][0] + boxes[-1][2] / 2) - (boxes[0][0] + boxes[0][2] / 2)
            estimates.append(span / pitch + 1)
    if not estimates:
        return SHAPES[MrzFormat.TD3][1]
    count = float(np.median(estimates))
    return min((SHAPES[MrzFormat.TD2][1], SHAPES[MrzFormat.TD3][1]), key=lambda n: abs(n - count))


def _reach(window: Image, top: float, bottom: float) -> tuple[float, float] | None:
    """Where the ink in a cell's middle columns starts and ends, as shares of the letters'
    height (0 their top, 1 their foot); None without ink."""
    rows = np.flatnonzero(window.any(axis=1))
    if len(rows) == 0:
        return None
    full = bottom - top
    return (rows[0] - top) / full, (rows[-1] + 1 - top) / full


def _is_filler(reach: tuple[float, float]) -> bool:
    """A ``<`` starts well below the letters' top; every letter and digit reaches the top in
    its middle columns (a V or Y with its arms, a 4 with its stem)."""
    return reach[0] >= FILLER_TOP


def _ends(boxes: list[Box]) -> tuple[float, float] | None:
    """The centres of the line's first and last character: the outermost blobs, less specks
    standing apart beyond them (a card edge, a shadow) that would stretch the grid."""
    spacing = _pitch(boxes)
    if spacing is None:
        return None
    centres = [b[0] + b[2] / 2 for b in boxes]
    for _ in range(2):
        if len(centres) > 2 and centres[1] - centres[0] > 1.8 * spacing:
            centres = centres[1:]
        if len(centres) > 2 and centres[-1] - centres[-2] > 1.8 * spacing:
            centres = centres[:-1]
    return centres[0], centres[-1]


Part = tuple[int, int, int]  # label, first column, end column


def _walk(boxes: list[Box], spacing: float) -> list[list[Part]]:
    """The blobs into cells, left to right, each step as many cells as its gap spans.

    Local steps, not one grid: a still that is not perfectly flat, or print that is not
    perfectly even, has a pitch that drifts along the line. Blobs of neighbours that ran
    together are cut into as many cells as they are wide.
    """
    parts: list[tuple[float, Part]] = []
    for x, _, w, _, label in boxes:
        n = max(1, round(w / spacing)) if w > 1.5 * spacing else 1
        for k in range(n):
            a, b = x + round(k * w / n), x + round((k + 1) * w / n)
            parts.append(((a + b) / 2, (label, a, b)))
    cells: list[list[Part]] = [[parts[0][1]]]
    previous = parts[0][0]
    for centre, part in parts[1:]:
        step = round((centre - previous) / spacing)
        cells.extend([] for _ in range(step))
        cells[-1].append(part)
        previous = centre if step else previous
    return cells


def _cells(binary: Image, width: int) -> Line | None:
    boxes, labels = _glyph_boxes(binary)
    spacing = _pitch(boxes)
    ends = _ends(boxes)
    if len(boxes) < width // 3 or spacing is None or ends is None:
        return None
    boxes = [b for b in boxes if ends[0] <= b[0] + b[2] / 2 <= ends[1]]
    cells = _walk(boxes, spacing)
    if len(cells) != width:
        return None
    tallest = max(b[3] for b in boxes)
    letters = [b for b in boxes if b[3] >= 0.9 * tallest]  # fillers may be most of a line
    top = float(np.median([b[1] for b in letters]))
    bottom = float(np.median([b[1] + b[3] for b in letters]))
    chars = np.zeros(binary.shape, np.uint8)
    kinds, spans, tops = [], [], []
    centre = ends[0] - spacing
    for parts in cells:
        centre = float(np.mean([(a + b) / 2 for _, a, b in parts])) if parts else centre + spacing
        spans.append((max(0, round(centre - spacing / 2)), round(centre + spacing / 2)))
        own = np.zeros(binary.shape, bool)
        for label, a, b in parts:
            own[:, a:b] |= labels[:, a:b] == label
        lo, hi = round(centre - 0.35 * spacing), round(centre + 0.35 * spacing)
        reach = _reach(own[:, max(0, lo) : hi], top, bottom)
        tops.append(reach[0] if reach is not None else 1.0)
        if reach is None:
            kinds.append("empty")
        elif _is_filler(reach):
            kinds.append("filler")
        else:
            kinds.append("char")
            chars[own] = 255
    return Line(chars, kinds, spans, tops)


def _read(engine: Any, lines: list[Line]) -> list[str]:
    """All lines in one run; a line with unreadable cells, or one that fails its check digits,
    is read again alone (as one line, then as a raw line) and the best-checked reading kept."""
    pictures = [line.engine_image() for line in lines]
    width = max(p.shape[1] for p in pictures)
    block = np.vstack(
        [np.pad(p, ((0, 0), (0, width - p.shape[1])), constant_values=255) for p in pictures]
    )
    rows = np.cumsum([0] + [p.shape[0] for p in pictures])
    symbols = _symbols(engine, block, _BLOCK)
    readings = [
        [line.place([(c, x) for c, x, y in symbols if rows[i] <= y < rows[i + 1]])]
        for i, line in enumerate(lines)
    ]
    retried = [False] * len(lines)

    def retry(i: int) -> None:
        retried[i] = True
        for psm in (_LINE, _RAW_LINE):
            reading = lines[i].place([(c, x) for c, x, _ in _symbols(engine, pictures[i], psm)])
            readings[i].append(reading)

    for i, options in enumerate(readings):
        if UNREADABLE in options[0]:
            retry(i)
    best = _best(readings)
    fmt = detect_format(best)
    if fmt is not None and _errors(best, fmt):
        for i in _CHECKED[fmt]:
            if not retried[i]:
                retry(i)
        best = _best(readings)
    fmt = detect_format(best)
    if fmt is None:
        return best
    best = correct(best, fmt)
    for field, (row, start, end) in _FIELDS[fmt].items():
        if _field_ok(best, fmt, field):
            continue
        # the engine reads words as words (a J between digits becomes a 7): the failing
        # field's characters once more one by one, kept only where its check digit agrees
        chars = list(best[row])
        for i in range(start, end):
            chars[i] = lines[row].read_cell(engine, i) or chars[i]
        trial = list(best)
        trial[row] = "".join(chars)
        trial = correct(trial, fmt)
        if _field_ok(trial, fmt, field):
            best = trial
    return best


def _field_ok(lines: list[str], fmt: MrzFormat, field: MrzField) -> bool:
    """The field's check digit fits its data (an empty optional field may have none)."""
    row, start, end = _FIELDS[fmt][field]
    segment = lines[row][start:end]
    if field is MrzField.OPTIONAL_DATA and set(segment) <= {"<"}:
        return True
    data, digit = segment[:-1], segment[-1]
    if UNREADABLE in segment or not digit.isdigit():
        return False
    return check_digit(data) == digit


def _best(readings: list[list[str]]) -> list[str]:
    """The combination of line readings with the fewest failing checks and unreadable cells
    (the first on a tie)."""
    combos = [list(c) for c in itertools.product(*readings)]
    fmt = detect_format(combos[0])
    if fmt is None or len(combos) == 1:
        return combos[0]

    def score(lines: list[str]) -> tuple[int, int]:
        fixed = correct(lines, fmt)
        return _errors(fixed, fmt), sum(line.count(UNREADABLE) for line in lines)

    return min(combos, key=score)


def _failing(lines: list[str], fmt: MrzFormat) -> list[MrzField]:
    try:
        return parse(lines).failing_fields()
    except ValueError:
        return [MrzField.FORMAT]


def _errors(lines: list[str], fmt: MrzFormat) -> int:
    return len(_failing(lines, fmt))


#: The fields a check digit protects, by the zone part that holds each.
_CHECKED_FIELDS = {
    ZonePart.DOCUMENT_NUMBER: MrzField.DOCUMENT_NUMBER,
    ZonePart.BIRTH_DATE: MrzField.BIRTH_DATE,
    ZonePart.EXPIRY_DATE: MrzField.EXPIRY_DATE,
    ZonePart.OPTIONAL_2: MrzField.OPTIONAL_DATA,
}


def _checked_cells(fmt: MrzFormat) -> dict[MrzField, tuple[int, int, int]]:
    """The cells (line, start, end) of each field with a check digit, the digit included."""
    out = {}
    for part, field in _CHECKED_FIELDS.items():
        digit = LAYOUT[fmt].get(CHECKED[part])
        if digit is not None:
            span = LAYOUT[fmt][part]
            out[field] = (span.line, span.start, digit.end)
    return out


_FIELDS = {fmt: _checked_cells(fmt) for fmt in MrzFormat}


#: Tesseract's page segmentation modes used here (tesserocr.PSM's values).
_BLOCK, _LINE, _RAW_LINE, _CHAR = 6, 7, 13, 10
#: tesserocr.RIL.SYMBOL: the iterator's step, one character.
_SYMBOL = 4


def _symbols(engine: Any, picture: Image, psm: int) -> list[tuple[str, float, float]]:
    """The characters the engine reads, each with its box's centre (column, row)."""
    data = np.ascontiguousarray(picture, dtype=np.uint8)
    engine.SetPageSegMode(psm)
    engine.SetImageBytes(data.tobytes(), data.shape[1], data.shape[0], 1, data.shape[1])
    out = []
    try:
        engine.Recognize()
        iterator = engine.GetIterator()
        while iterator is not None:
            text = iterator.GetUTF8Text(_SYMBOL) or ""
            x1, y1, x2, y2 = iterator.BoundingBox(_SYMBOL)
            out.append((text, (x1 + x2) / 2, (y1 + y2) / 2))
            if not iterator.Next(_SYMBOL):
                break
    except RuntimeError:
        pass  # nothing recognised: tesserocr has no symbol to give
    finally:
        engine.Clear()
    return out


# --- correction by field type ------------------------------------------------------------------

_TO_DIGIT = {"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "G": "6"}
_TO_DIGIT["B"] = "8"
_TO_LETTER = {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B"}
_TABLES = {Kind.DIGITS: _TO_DIGIT, Kind.LETTERS: _TO_LETTER}


def _by_type(lines: list[str], fmt: MrzFormat) -> list[str]:
    """Each part's look-alike characters set to the part's kind (digits or letters)."""
    chars = [list(line) for line in lines]
    for span in LAYOUT[fmt].values():
        table = _TABLES.get(span.kind)
        if table is None:
            continue
        row = chars[span.line]
        for i in range(span.start, min(span.end, len(row))):
            row[i] = table.get(row[i], row[i])
    return ["".join(row) for row in chars]


def _codes(lines: list[str], fmt: MrzFormat) -> list[str]:
    """Codes no check digit protects, set where only one reading is possible.

    ``D`` is the only one-letter state code (ICAO 9303 Part 3), so a round letter alone is
    it; a TD1 or TD2 document code starts with A, C or I (Part 5 and 6), so a stroke there
    is an I; a German identity card's code is ``ID``; and the name ends at its second ``<<``.
    """
    out = list(lines)
    for part in (ZonePart.ISSUING_STATE, ZonePart.NATIONALITY):
        row, start = LAYOUT[fmt][part].line, LAYOUT[fmt][part].start
        code = out[row][start : start + 3]
        if code in ("O<<", "Q<<", "0<<"):
            out[row] = out[row][:start] + "D<<" + out[row][start + 3 :]
    first = out[0]
    if fmt is not MrzFormat.TD3 and first[0] in "L1JT":
        first = "I" + first[1:]
    if first[2:5] == "D<<" and first[:2] in ("IO", "IQ", "I0", "I?"):
        first = "ID" + first[2:]
    out[0] = first
    name = LAYOUT[fmt][ZonePart.NAME]
    out[name.line] = out[name.line][: name.start] + _name_tail(out[name.line][name.start :])
    return out


def _name_tail(field: str) -> str:
    """``SURNAME<<GIVEN<NAMES`` ends at the next ``<<``: only fillers follow (a letter there is
    a filler that background lines made look tall, and the engine read as K or X)."""
    separator = field.find("<<")
    end = field.find("<<", separator + 2) if separator >= 0 else -1
    if end < 0:
        return field
    return field[:end] + "<" * (len(field) - end)


#: The lines that hold check digits.
_CHECKED = {
    fmt: tuple(
        sorted({LAYOUT[fmt][digit].line for digit in CHECKED.values() if digit in LAYOUT[fmt]})
    )
    for fmt in MrzFormat
}


#: German identity card and passport numbers use no vowels and none of B, D, Q, S (their
#: alphabet is C F G H J K L M N P R T V W X Y Z and the digits): these are misread digits.
_GERMAN_NUMBER = {"O": "0", "Q": "0", "D": "0", "I": "1", "S": "5", "B": "8"}


def correct(lines: list[str], fmt: MrzFormat) -> list[str]:
    """Type-correct OCR'd lines: look-alike letters and digits set by each field's type.

    The document number holds both. A German one (state ``D``) has an alphabet without the
    letters that look like digits, so those are digits. Any other stays as read: trying swaps
    until the check digit passes would pass a wrong reading by chance (one in ten for each
    swap tried; the composite check digit weighs the number exactly as its own digit does and
    adds nothing). So a zone with a wrong check digit is reported with its field.
    """
    fixed = _codes(_by_type(lines, fmt), fmt)
    if fixed[0][2:5] == "D<<":
        row, start, end = _FIELDS[fmt][MrzField.DOCUMENT_NUMBER]
        number = "".join(_GERMAN_NUMBER.get(c, c) for c in fixed[row][start : end - 1])
        fixed[row] = fixed[row][:start] + number + fixed[row][end - 1 :]
    return fixed
