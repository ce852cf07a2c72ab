"""ICAO 9303 machine-readable zones: parsing, check digits, expiry and name comparison.

TD1 (identity cards, 3 lines of 30), TD2 (2 lines of 36) and TD3 (passports, 2 lines of 44).
A failing check digit is reported with the exact field it protects. Nothing here keeps the
text: results live as long as the caller holds them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

_ALPHABET = re.compile(r"[0-9A-Z<]*")
_WEIGHTS = (7, 3, 1)


class MrzFormat(StrEnum):
    TD1 = "td1"
    TD2 = "td2"
    TD3 = "td3"


#: Lines and characters per line of each format.
SHAPES: dict[MrzFormat, tuple[int, int]] = {
    MrzFormat.TD1: (3, 30),
    MrzFormat.TD2: (2, 36),
    MrzFormat.TD3: (2, 44),
}


class Part(StrEnum):
    """The parts of a zone (ICAO 9303 Parts 4 to 6)."""

    DOCUMENT_CODE = "document_code"
    ISSUING_STATE = "issuing_state"
    DOCUMENT_NUMBER = "document_number"
    NUMBER_DIGIT = "number_digit"
    OPTIONAL_1 = "optional_1"  # TD1 line 1: optional data, or the rest of a long number
    BIRTH_DATE = "birth_date"
    BIRTH_DIGIT = "birth_digit"
    SEX = "sex"
    EXPIRY_DATE = "expiry_date"
    EXPIRY_DIGIT = "expiry_digit"
    NATIONALITY = "nationality"
    OPTIONAL_2 = "optional_2"  # the optional data of the last line (TD3: the personal number)
    OPTIONAL_DIGIT = "optional_digit"  # TD3 only
    COMPOSITE_DIGIT = "composite_digit"
    NAME = "name"


class Kind(StrEnum):
    """What a part may hold: what a reader may correct look-alike characters to."""

    DIGITS = "digits"
    LETTERS = "letters"
    MIXED = "mixed"


@dataclass(frozen=True, slots=True)
class Span:
    """Where a part sits: its line (0-based) and columns ``start:end``."""

    line: int
    start: int
    end: int
    kind: Kind

    def of(self, lines: list[str]) -> str:
        return lines[self.line][self.start : self.end]


def _layout(*lines: list[tuple[Part, int, Kind]], width: int) -> dict[Part, Span]:
    """Spans from each line's parts in order, given by their widths (checked to fill the line)."""
    out: dict[Part, Span] = {}
    for number, parts in enumerate(lines):
        start = 0
        for part, size, kind in parts:
            out[part] = Span(number, start, start + size, kind)
            start += size
        assert start == width, f"line {number} of a layout covers {start} of {width} columns"
    return out


_D, _A, _X = Kind.DIGITS, Kind.LETTERS, Kind.MIXED
_P = Part
#: The last line of TD2 and TD3 up to the expiry date's check digit (28 columns).
_NUMBER_TO_EXPIRY = [
    (_P.DOCUMENT_NUMBER, 9, _X),
    (_P.NUMBER_DIGIT, 1, _D),
    (_P.NATIONALITY, 3, _A),
    (_P.BIRTH_DATE, 6, _D),
    (_P.BIRTH_DIGIT, 1, _D),
    (_P.SEX, 1, _A),
    (_P.EXPIRY_DATE, 6, _D),
    (_P.EXPIRY_DIGIT, 1, _D),
]
#: The one place where each format's parts are laid out; the parser, the OCR's correction by
#: type and the builders of test zones all read it.
LAYOUT: dict[MrzFormat, dict[Part, Span]] = {
    MrzFormat.TD1: _layout(
        [
            (_P.DOCUMENT_CODE, 2, _A),
            (_P.ISSUING_STATE, 3, _A),
            (_P.DOCUMENT_NUMBER, 9, _X),
            (_P.NUMBER_DIGIT, 1, _D),
            (_P.OPTIONAL_1, 15, _X),
        ],
        [
            (_P.BIRTH_DATE, 6, _D),
            (_P.BIRTH_DIGIT, 1, _D),
            (_P.SEX, 1, _A),
            (_P.EXPIRY_DATE, 6, _D),
            (_P.EXPIRY_DIGIT, 1, _D),
            (_P.NATIONALITY, 3, _A),
            (_P.OPTIONAL_2, 11, _X),
            (_P.COMPOSITE_DIGIT, 1, _D),
        ],
        [(_P.NAME, 30, _A)],
        width=30,
    ),
    MrzFormat.TD2: _layout(
        [(_P.DOCUMENT_CODE, 2, _A), (_P.ISSUING_STATE, 3, _A), (_P.NAME, 31, _A)],
        [*_NUMBER_TO_EXPIRY, (_P.OPTIONAL_2, 7, _X), (_P.COMPOSITE_DIGIT, 1, _D)],
        width=36,
    ),
    MrzFormat.TD3: _layout(
        [(_P.DOCUMENT_CODE, 2, _A), (_P.ISSUING_STATE, 3, _A), (_P.NAME, 39, _A)],
        [
            *_NUMBER_TO_EXPIRY,
            (_P.OPTIONAL_2, 14, _X),
            (_P.OPTIONAL_DIGIT, 1, _D),
            (_P.COMPOSITE_DIGIT, 1, _D),
        ],
        width=44,
    ),
}
#: The parts the composite check digit covers, in order.
_COMPOSITE: dict[MrzFormat, tuple[Part, ...]] = {
    MrzFormat.TD1: (
        _P.DOCUMENT_NUMBER,
        _P.NUMBER_DIGIT,
        _P.OPTIONAL_1,
        _P.BIRTH_DATE,
        _P.BIRTH_DIGIT,
        _P.EXPIRY_DATE,
        _P.EXPIRY_DIGIT,
        _P.OPTIONAL_2,
    ),
    MrzFormat.TD2: (
        _P.DOCUMENT_NUMBER,
        _P.NUMBER_DIGIT,
        _P.BIRTH_DATE,
        _P.BIRTH_DIGIT,
        _P.EXPIRY_DATE,
        _P.EXPIRY_DIGIT,
        _P.OPTIONAL_2,
    ),
    MrzFormat.TD3: (
        _P.DOCUMENT_NUMBER,
        _P.NUMBER_DIGIT,
        _P.BIRTH_DATE,
        _P.BIRTH_DIGIT,
        _P.EXPIRY_DATE,
        _P.EXPIRY_DIGIT,
        _P.OPTIONAL_2,
        _P.OPTIONAL_DIGIT,
    ),
}
#: Each checked part with its check digit.
CHECKED: dict[Part, Part] = {
    _P.DOCUMENT_NUMBER: _P.NUMBER_DIGIT,
    _P.BIRTH_DATE: _P.BIRTH_DIGIT,
    _P.EXPIRY_DATE: _P.EXPIRY_DIGIT,
    _P.OPTIONAL_2: _P.OPTIONAL_DIGIT,
}


def composite_data(lines: list[str], fmt: MrzFormat) -> str:
    """The characters the composite check digit of ``fmt`` is computed over."""
    layout = LAYOUT[fmt]
    return "".join(layout[part].of(lines) for part in _COMPOSITE[fmt])


class MrzField(StrEnum):
    """The fields a check can fail on (names the console translates)."""

    FORMAT = "format"
    DOCUMENT_NUMBER = "document_number"
    BIRTH_DATE = "birth_date"
    EXPIRY_DATE = "expiry_date"
    OPTIONAL_DATA = "optional_data"
    COMPOSITE = "composite"


class FieldProblem(StrEnum):
    CHECK_DIGIT = "check_digit"
    INVALID_DATE = "invalid_date"
    LENGTH = "length"
    CHARACTERS = "characters"


@dataclass(frozen=True, slots=True)
class FieldError:
    field: MrzField
    problem: FieldProblem
    #: For FORMAT errors: the 0-based line; otherwise None.
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Mrz:
    """A parsed zone. ``errors`` is empty when every check digit and date is valid."""

    format: MrzFormat
    document_code: str
    issuing_state: str
    document_number: str
    birth_date: date | None
    sex: str
    expiry_date: date | None
    nationality: str
    surname: str
    given_names: str
    errors: tuple[FieldError, ...]

    @property
    def valid(self) -> bool:
        return not self.errors

    def failing_fields(self) -> list[MrzField]:
        return [e.field for e in self.errors]


def char_value(char: str) -> int:
    """0–9 as digits, A–Z as 10–35, the filler ``<`` as 0."""
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == "<":
        return 0
    raise ValueError(f"not an MRZ character: {char!r}")


def check_digit(data: str) -> str:
    """The ICAO 9303 check digit (weights 7, 3, 1, modulo 10) of ``data``."""
    total = sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(data))
    return str(total % 10)


def _digit_ok(data: str, digit: str, *, filler_ok: bool = False) -> bool:
    if filler_ok and digit == "<" and set(data) <= {"<"}:
        return True
    return check_digit(data) == digit


def _yymmdd(raw: str, *, expiry: bool, today: date) -> date | None:
    if not raw.isdigit():
        return None
    yy, mm, dd = int(raw[:2]), int(raw[2:4]), int(raw[4:6])
    if expiry:
        year = 2000 + yy if yy < 70 else 1900 + yy
    else:
        year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    try:
        return date(year, mm, dd)
    except ValueError:
        return None


def normalise_lines(lines: list[str]) -> list[str]:
    """Uppercase, spaces and stray punctuation removed (what OCR or typing produce)."""
    out = []
    for line in lines:
        text = line.strip().upper().replace(" ", "").replace("«", "<")
        if text:
            out.append(text)
    return out


def detect_format(lines: list[str]) -> MrzFormat | None:
    """The format whose shape the lines have, or None."""
    for fmt, (count, width) in SHAPES.items():
        if len(lines) == count and all(len(line) == width for line in lines):
            return fmt
    return None


def _names(field: str) -> tuple[str, str]:
    surname, _, given = field.partition("<<")
    return surname.replace("<", " ").strip(), given.replace("<", " ").strip()


def parse(lines: list[str], *, today: date | None = None) -> Mrz:
    """Parse and check a zone. Raises ``ValueError`` when no format fits the lines' shape."""
    today = today or date.today()
    lines = normalise_lines(lines)
    fmt = detect_format(lines)
    if fmt is None:
        raise ValueError("the lines fit none of TD1 (3×30), TD2 (2×36), TD3 (2×44)")
    bad = [i for i, line in enumerate(lines) if not _ALPHABET.fullmatch(line)]
    if bad:
        return _unreadable(fmt, lines, bad)
    if fmt is MrzFormat.TD1:
        return _parse_td1(lines, today)
    return _parse_td2_td3(fmt, lines, today)


def _unreadable(fmt: MrzFormat, lines: list[str], bad: list[int]) -> Mrz:
    errors = tuple(FieldError(MrzField.FORMAT, FieldProblem.CHARACTERS, i) for i in bad)
    return Mrz(fmt, "", "", "", None, "", None, "", "", "", errors)


def _date_errors(
    field: MrzField, raw: str, digit: str, parsed: date | None, errors: list[FieldError]
) -> None:
    if parsed is None:
        errors.append(FieldError(field, FieldProblem.INVALID_DATE))
    elif not _digit_ok(raw, digit):
        errors.append(FieldError(field, FieldProblem.CHECK_DIGIT))


def _parse_td1(lines: list[str], today: date) -> Mrz:
    at = LAYOUT[MrzFormat.TD1]
    errors: list[FieldError] = []
    number, number_digit = at[Part.DOCUMENT_NUMBER].of(lines), at[Part.NUMBER_DIGIT].of(lines)
    optional1 = at[Part.OPTIONAL_1].of(lines)
    if number_digit == "<" and optional1.strip("<"):
        # A number longer than 9 characters continues in the optional data (Part 5, 4.2.2).
        rest = optional1.rstrip("<")
        number, number_digit = number + rest[:-1], rest[-1]
    if not _digit_ok(number, number_digit):
        errors.append(FieldError(MrzField.DOCUMENT_NUMBER, FieldProblem.CHECK_DIGIT))
    return _mrz(MrzFormat.TD1, lines, number, today, errors)


def _parse_td2_td3(fmt: MrzFormat, lines: list[str], today: date) -> Mrz:
    at = LAYOUT[fmt]
    errors: list[FieldError] = []
    number = at[Part.DOCUMENT_NUMBER].of(lines)
    if not _digit_ok(number, at[Part.NUMBER_DIGIT].of(lines)):
        errors.append(FieldError(MrzField.DOCUMENT_NUMBER, FieldProblem.CHECK_DIGIT))
    return _mrz(fmt, lines, number, today, errors)


def _mrz(
    fmt: MrzFormat, lines: list[str], number: str, today: date, errors: list[FieldError]
) -> Mrz:
    """The dates', the personal number's (TD3) and the composite's checks, then the zone."""
    at = LAYOUT[fmt]
    raw_birth, raw_expiry = at[Part.BIRTH_DATE].of(lines), at[Part.EXPIRY_DATE].of(lines)
    birth = _yymmdd(raw_birth, expiry=False, today=today)
    _date_errors(MrzField.BIRTH_DATE, raw_birth, at[Part.BIRTH_DIGIT].of(lines), birth, errors)
    expiry = _yymmdd(raw_expiry, expiry=True, today=today)
    _date_errors(MrzField.EXPIRY_DATE, raw_expiry, at[Part.EXPIRY_DIGIT].of(lines), expiry, errors)
    if Part.OPTIONAL_DIGIT in at:
        personal, digit = at[Part.OPTIONAL_2].of(lines), at[Part.OPTIONAL_DIGIT].of(lines)
        if not _digit_ok(personal, digit, filler_ok=True):
            errors.append(FieldError(MrzField.OPTIONAL_DATA, FieldProblem.CHECK_DIGIT))
    if not _digit_ok(composite_data(lines, fmt), at[Part.COMPOSITE_DIGIT].of(lines)):
        errors.append(FieldError(MrzField.COMPOSITE, FieldProblem.CHECK_DIGIT))
    surname, given = _names(at[Part.NAME].of(lines))
    return Mrz(
        fmt,
        at[Part.DOCUMENT_CODE].of(lines).strip("<"),
        at[Part.ISSUING_STATE].of(lines).strip("<"),
        number.strip("<"),
        birth,
        at[Part.SEX].of(lines),
        expiry,
        at[Part.NATIONALITY].of(lines).strip("<"),
        surname,
        given,
        tuple(errors),
    )


def is_expired(mrz: Mrz, today: date) -> bool | None:
    """True once the expiry date has passed (valid through that day); None if unknown."""
    if mrz.expiry_date is None:
        return None
    return mrz.expiry_date < today


# --- names ------------------------------------------------------------------------------------

_GERMAN = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "ẞ": "SS", "Å": "AA", "Æ": "AE", "Ø": "OE"}


def transliterate(name: str, *, german: bool = True) -> str:
    """A name as ICAO 9303 Part 3 writes it in the MRZ: A–Z only, umlauts as AE/OE/UE."""
    text = name.upper()
    if german:
        text = "".join(_GERMAN.get(c, c) for c in text)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^A-Z]+", " ", plain).strip()


class NameMatch(StrEnum):
    MATCH = "match"  # every word of both names corresponds
    PARTIAL = "partial"  # all words of one name appear in the other (e.g. a middle name missing)
    MISMATCH = "mismatch"


def _tokens(text: str) -> list[str]:
    return [t for t in text.split() if t]


def _same_word(word: str, mrz_word: str, *, last: bool) -> bool:
    # The MRZ truncates names that do not fit: its last word may be cut to a prefix, down to
    # an initial; other words may be cut to at least two letters.
    if word == mrz_word:
        return True
    return word.startswith(mrz_word) and (last or len(mrz_word) >= 2)


def compare_names(expected: str, mrz: Mrz) -> NameMatch:
    """Compare the appointment's name with the zone's, ignoring order, case and diacritics."""
    mrz_words = _tokens(f"{mrz.surname} {mrz.given_names}".replace("<", " "))
    best = NameMatch.MISMATCH
    last = len(mrz_words) - 1

    def matches(word: str, index: int) -> bool:
        return _same_word(word, mrz_words[index], last=index == last)

    for german in (True, False):
        words = _tokens(transliterate(expected, german=german))
        if not words or not mrz_words:
            continue

        forward = all(any(matches(w, i) for i in range(len(mrz_words))) for w in words)
        backward = all(any(matches(w, i) for w in words) for i in range(len(mrz_words)))
        if forward and backward:
            return NameMatch.MATCH
        if forward or backward:
            best = NameMatch.PARTIAL
    return best


# --- building zones (tests, synthetic documents) ----------------------------------------------


def _pad(text: str, width: int) -> str:
    return (text + "<" * width)[:width]


def name_field(surname: str, given_names: str, width: int) -> str:
    """``SURNAME<<GIVEN<NAMES`` padded with fillers to ``width``."""
    sur = transliterate(surname).replace(" ", "<")
    given = transliterate(given_names).replace(" ", "<")
    return _pad(f"{sur}<<{given}", width)


def build_td1(
    *,
    number: str,
    birth: str,
    sex: str,
    expiry: str,
    surname: str,
    given_names: str,
    state: str = "D",
    nationality: str = "D",
    code: str = "ID",
) -> list[str]:
    """A valid TD1 zone (numbers of at most 9 characters)."""
    doc = _pad(number, 9)
    l1 = _pad(code, 2) + _pad(state, 3) + doc + check_digit(doc) + "<" * 15
    l2 = birth + check_digit(birth) + sex + expiry + check_digit(expiry)
    l2 += _pad(nationality, 3) + "<" * 11
    l3 = name_field(surname, given_names, 30)
    l2 += check_digit(composite_data([l1, l2 + "<", l3], MrzFormat.TD1))
    return [l1, l2, l3]


def build_td3(
    *,
    number: str,
    birth: str,
    sex: str,
    expiry: str,
    surname: str,
    given_names: str,
    state: str = "D",
    nationality: str = "D",
    personal: str = "",
) -> list[str]:
    """A valid TD3 zone."""
    l1 = "P<" + _pad(state, 3) + name_field(surname, given_names, 39)
    doc = _pad(number, 9)
    pers = _pad(personal, 14)
    pers_digit = check_digit(pers) if personal else "<"
    l2 = doc + check_digit(doc) + _pad(nationality, 3) + birth + check_digit(birth) + sex
    l2 += expiry + check_digit(expiry) + pers + pers_digit
    l2 += check_digit(composite_data([l1, l2 + "<"], MrzFormat.TD3))
    return [l1, l2]
