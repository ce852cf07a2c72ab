"""Names, free texts and overlaps: the rules behind the advisor's form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from advisor_app.core.domain import (
    MAX_NAME_LENGTH,
    clean_name,
    clean_text,
    overlaps,
    to_berlin,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Erika   Mustermann ", "Erika Mustermann"),
        ("Erika\tMustermann", "Erika Mustermann"),
        ("Ğül Öztürk-Şahin", "Ğül Öztürk-Şahin"),
        ("Jose\u0301", "José"),  # NFC: a decomposed accent becomes one character
        ("O'Brien, Seán", "O'Brien, Seán"),
        ("x" * MAX_NAME_LENGTH, "x" * MAX_NAME_LENGTH),
    ],
)
def test_clean_name_normalises(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Bitte geben Sie einen Namen ein."),
        ("   \t ", "Bitte geben Sie einen Namen ein."),
        ("x" * (MAX_NAME_LENGTH + 1), "Der Name ist zu lang (höchstens 120 Zeichen)."),
        ("Erika\x00Mustermann", "Der Name enthält unzulässige Steuerzeichen."),
        ("Erika\x07", "Der Name enthält unzulässige Steuerzeichen."),
        ("Erika\x1b[31m", "Der Name enthält unzulässige Steuerzeichen."),
        ("Erika\u202eMustermann", "Der Name enthält unzulässige Steuerzeichen."),  # RTL override
        ("Erika\u200bMustermann", "Der Name enthält unzulässige Steuerzeichen."),  # zero width
        ("Erika\ud800", "Der Name enthält unzulässige Steuerzeichen."),  # lone surrogate
    ],
)
def test_clean_name_rejects_with_german_message(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        clean_name(raw)


def test_clean_text_names_the_field_in_its_message() -> None:
    assert clean_text("  Arbeit  suchen ", max_length=20, what="Das Thema") == "Arbeit suchen"
    assert clean_text("", max_length=20, what="Das Thema") == ""
    with pytest.raises(ValueError, match="Das Thema ist zu lang"):
        clean_text("x" * 21, max_length=20, what="Das Thema")
    with pytest.raises(ValueError, match="Die Kundennummer enthält unzulässige Steuerzeichen"):
        clean_text("123\x00", max_length=20, what="Die Kundennummer")


START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("offset_min", "minutes_b", "expected"),
    [
        (0, 30, True),  # same slot
        (29, 30, True),  # one shared minute
        (30, 30, False),  # back to back
        (-30, 30, False),  # back to back, before
        (-1, 2, True),  # begins before, ends inside
        (-60, 240, True),  # surrounds
        (10, 5, True),  # inside
    ],
)
def test_overlaps(offset_min: int, minutes_b: int, expected: bool) -> None:
    other = START + timedelta(minutes=offset_min)
    assert overlaps(START, 30, other, minutes_b) is expected
    assert overlaps(other, minutes_b, START, 30) is expected


def test_to_berlin_respects_summer_and_winter_time() -> None:
    assert to_berlin(datetime(2026, 7, 1, 10, 0, tzinfo=UTC)).hour == 12
    assert to_berlin(datetime(2026, 11, 23, 10, 0, tzinfo=UTC)).hour == 11
    with pytest.raises(ValueError, match="naive"):
        to_berlin(datetime(2026, 11, 23, 10, 0))
