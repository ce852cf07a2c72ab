"""ICAO 9303 zones: the specimen vectors, each failing check digit by name, expiry and names."""

from __future__ import annotations

from datetime import date

import pytest

from advisor_app.idcheck import mrz
from advisor_app.idcheck.mrz import FieldError, FieldProblem, MrzField, MrzFormat, NameMatch

pytestmark = pytest.mark.unit

# ICAO Doc 9303 specimens (Part 5 TD1, Part 4 TD3) and the TD2 example of Part 6
TD1 = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
]
TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"]
TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]


def _change(lines: list[str], line: int, pos: int, char: str) -> list[str]:
    out = list(lines)
    out[line] = out[line][:pos] + char + out[line][pos + 1 :]
    return out


@pytest.mark.parametrize(
    ("lines", "fmt", "number"),
    [
        (TD1, MrzFormat.TD1, "D23145890"),
        (TD2, MrzFormat.TD2, "D23145890"),
        (TD3, MrzFormat.TD3, "L898902C3"),
    ],
)
def test_specimens_are_valid(lines: list[str], fmt: MrzFormat, number: str) -> None:
    parsed = mrz.parse(lines, today=date(2010, 1, 1))
    assert parsed.valid, parsed.errors
    assert parsed.format is fmt
    assert parsed.document_number == number
    assert parsed.issuing_state == "UTO"
    assert parsed.birth_date == date(1974, 8, 12)
    assert parsed.expiry_date == date(2012, 4, 15)
    assert parsed.sex == "F"
    assert (parsed.surname, parsed.given_names) == ("ERIKSSON", "ANNA MARIA")


def test_check_digit_of_the_specimen_fields() -> None:
    assert mrz.check_digit("D23145890") == "7"
    assert mrz.check_digit("740812") == "2"
    assert mrz.check_digit("120415") == "9"
    assert mrz.check_digit("L898902C3") == "6"
    assert mrz.check_digit("ZE184226B<<<<<") == "1"


@pytest.mark.parametrize(
    ("lines", "line", "pos", "field"),
    [
        (TD1, 0, 14, MrzField.DOCUMENT_NUMBER),
        (TD1, 1, 6, MrzField.BIRTH_DATE),
        (TD1, 1, 14, MrzField.EXPIRY_DATE),
        (TD3, 1, 9, MrzField.DOCUMENT_NUMBER),
        (TD3, 1, 19, MrzField.BIRTH_DATE),
        (TD3, 1, 27, MrzField.EXPIRY_DATE),
        (TD3, 1, 42, MrzField.OPTIONAL_DATA),
        (TD2, 1, 9, MrzField.DOCUMENT_NUMBER),
    ],
)
def test_a_wrong_check_digit_names_its_field_and_the_composite(
    lines: list[str], line: int, pos: int, field: MrzField
) -> None:
    # the composite digit covers the field digits too, so both fail
    wrong = _change(lines, line, pos, str((int(lines[line][pos]) + 1) % 10))
    parsed = mrz.parse(wrong, today=date(2010, 1, 1))
    assert parsed.failing_fields() == [field, MrzField.COMPOSITE]
    assert parsed.errors[0] == FieldError(field, FieldProblem.CHECK_DIGIT)


@pytest.mark.parametrize(
    ("lines", "line", "pos", "composite", "field"),
    [
        (TD1, 0, 8, (1, 29), MrzField.DOCUMENT_NUMBER),
        (TD1, 1, 5, (1, 29), MrzField.BIRTH_DATE),
        (TD1, 1, 9, (1, 29), MrzField.EXPIRY_DATE),
        (TD3, 1, 3, (1, 43), MrzField.DOCUMENT_NUMBER),
        (TD3, 1, 30, (1, 43), MrzField.OPTIONAL_DATA),
    ],
)
def test_a_misread_character_with_a_consistent_composite_names_only_its_field(
    lines: list[str], line: int, pos: int, composite: tuple[int, int], field: MrzField
) -> None:
    char = lines[line][pos]
    wrong = _change(lines, line, pos, "8" if char != "8" else "3")
    row, col = composite
    if row == 1 and len(wrong) == 3:
        data = wrong[0][5:30] + wrong[1][0:7] + wrong[1][8:15] + wrong[1][18:29]
    else:
        data = wrong[1][0:10] + wrong[1][13:20] + wrong[1][21:43]
    wrong = _change(wrong, row, col, mrz.check_digit(data))
    assert mrz.parse(wrong, today=date(2010, 1, 1)).errors == (
        FieldError(field, FieldProblem.CHECK_DIGIT),
    )


def test_a_wrong_composite_alone() -> None:
    wrong = _change(TD1, 1, 29, "0")
    assert mrz.parse(wrong).errors == (FieldError(MrzField.COMPOSITE, FieldProblem.CHECK_DIGIT),)


def test_a_changed_birth_date_fails_its_own_digit_and_the_composite() -> None:
    wrong = _change(TD1, 1, 3, "9")  # 740812 -> 740912
    assert mrz.parse(wrong).failing_fields() == [MrzField.BIRTH_DATE, MrzField.COMPOSITE]


def test_impossible_dates_and_bad_characters() -> None:
    wrong = _change(TD3, 1, 23, "3")  # expiry month 13
    assert FieldError(MrzField.EXPIRY_DATE, FieldProblem.INVALID_DATE) in mrz.parse(wrong).errors
    bad = _change(TD1, 2, 3, "-")
    assert mrz.parse(bad).errors == (FieldError(MrzField.FORMAT, FieldProblem.CHARACTERS, 2),)
    with pytest.raises(ValueError, match="TD1"):
        mrz.parse(TD1[:2])


def test_typing_is_forgiving_about_case_and_spaces() -> None:
    typed = [" " + line.lower() + " " for line in TD3]
    assert mrz.parse(typed, today=date(2010, 1, 1)).valid


def test_expiry() -> None:
    parsed = mrz.parse(TD3)
    assert mrz.is_expired(parsed, date(2012, 4, 15)) is False  # valid through that day
    assert mrz.is_expired(parsed, date(2012, 4, 16)) is True


def test_built_german_zones_are_valid_with_umlauts_transliterated() -> None:
    lines = mrz.build_td1(
        number="T22000129",
        birth="830812",
        sex="M",
        expiry="310331",
        surname="Müller-Lüdenscheidt",
        given_names="Jörg Peter",
    )
    assert lines[2] == "MUELLER<LUEDENSCHEIDT<<JOERG<P"
    parsed = mrz.parse(lines, today=date(2026, 11, 20))
    assert parsed.valid
    assert parsed.birth_date == date(1983, 8, 12)
    assert mrz.compare_names("Jörg Peter Müller-Lüdenscheidt", parsed) is NameMatch.MATCH
    passport = mrz.build_td3(
        number="C01X00T47",
        birth="640812",
        sex="F",
        expiry="330101",
        surname="Weiß",
        given_names="Zoë",
        personal="",
    )
    assert mrz.parse(passport).valid


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Anna Maria Eriksson", NameMatch.MATCH),
        ("ERIKSSON, Anna Maria", NameMatch.MATCH),
        ("eriksson anna-maria", NameMatch.MATCH),
        ("Anna Eriksson", NameMatch.PARTIAL),
        ("Anna Maria Svensson", NameMatch.MISMATCH),
        ("", NameMatch.MISMATCH),
    ],
)
def test_name_comparison(name: str, expected: NameMatch) -> None:
    assert mrz.compare_names(name, mrz.parse(TD3)) is expected


def test_names_without_german_transliteration_and_truncated_names() -> None:
    lines = mrz.build_td1(
        number="X1", birth="900101", sex="F", expiry="300101", surname="Öztürk", given_names="Ayşe"
    )
    parsed = mrz.parse(lines)
    assert mrz.compare_names("Ayşe Öztürk", parsed) is NameMatch.MATCH
    # a non-German zone writes Ö as O
    plain = mrz.parse([*lines[:2], mrz.name_field("OZTURK", "AYSE", 30)])
    assert mrz.compare_names("Ayşe Öztürk", plain) is NameMatch.MATCH
    long = mrz.build_td1(
        number="X1",
        birth="900101",
        sex="F",
        expiry="300101",
        surname="Papadopoulou-Konstantinidou",
        given_names="Alexandra",
    )
    assert mrz.compare_names("Alexandra Papadopoulou-Konstantinidou", mrz.parse(long)) in (
        NameMatch.MATCH,
        NameMatch.PARTIAL,
    )
