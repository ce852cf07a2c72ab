"""Personal link tokens and dial-in codes: what citizens type and what guessers face."""

from __future__ import annotations

import base64
import re

import pytest

from advisor_app.core.codes import (
    format_dial_code,
    looks_like_link_token,
    new_dial_code,
    new_link_token,
    new_session_token,
    normalize_dial_code,
    token_digest,
)

pytestmark = pytest.mark.unit


def test_link_token_is_url_safe_and_carries_at_least_64_random_bits() -> None:
    tokens = {new_link_token() for _ in range(2000)}
    assert len(tokens) == 2000
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
        assert looks_like_link_token(token)
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(raw) * 8 >= 64
    # every character position varies: nothing constant hides in the token
    assert all(len({t[i] for t in tokens}) > 20 for i in range(21))


def test_link_token_shape_check_rejects_paths_and_short_strings() -> None:
    assert not looks_like_link_token("abc")
    assert not looks_like_link_token("../../etc/passwd-0000")
    assert not looks_like_link_token("a" * 65)
    assert not looks_like_link_token("ä" * 22)


def test_dial_code_is_nine_ascii_digits_and_spread_over_all_digits() -> None:
    codes = [new_dial_code() for _ in range(2000)]
    assert all(re.fullmatch(r"[0-9]{9}", c) for c in codes)
    assert len(set(codes)) > 1990
    # leading zeros happen: the code is a string, not a number
    assert any(c.startswith("0") for c in codes)


@pytest.mark.parametrize(
    "typed",
    ["123456789", "123 456 789", "123-456-789", " 123.456.789 ", "123/456/789", "12 34 56 789"],
)
def test_dial_code_accepts_what_people_type(typed: str) -> None:
    assert normalize_dial_code(typed) == "123456789"


@pytest.mark.parametrize(
    "typed",
    [
        "12345678",  # 8 digits
        "1234567890",  # 10 digits
        "12345678a",
        "abc def ghi",
        "",
        "١٢٣٤٥٦٧٨٩",  # Arabic-Indic digits: isdigit() is true, but not a code
        "１２３４５６７８９",  # full-width digits
        "123_456_789",
        "123\n456\n789x",
    ],
)
def test_dial_code_rejects_everything_else(typed: str) -> None:
    assert normalize_dial_code(typed) is None


def test_dial_code_is_grouped_in_threes_for_reading_aloud() -> None:
    assert format_dial_code("012345678") == "012 345 678"
    assert normalize_dial_code(format_dial_code("012345678")) == "012345678"


def test_session_token_is_long_and_only_its_digest_is_stored() -> None:
    token = new_session_token()
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) == 32
    digest = token_digest(token)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert token not in digest
    assert token_digest(token) == digest
