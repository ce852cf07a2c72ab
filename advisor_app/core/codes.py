"""Personal link tokens and dial-in codes."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata

#: 16 random bytes = 128 bits, far above the 64 bits the brief asks for.
LINK_TOKEN_BYTES = 16
DIAL_CODE_DIGITS = 9
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_link_token() -> str:
    """A personal link token, URL-safe."""
    return secrets.token_urlsafe(LINK_TOKEN_BYTES)


def looks_like_link_token(token: str) -> bool:
    return bool(_TOKEN_RE.match(token))


def new_dial_code() -> str:
    """Nine digits: easy to type on a phone keypad, guessing stopped by rate limits."""
    return "".join(secrets.choice("0123456789") for _ in range(DIAL_CODE_DIGITS))


def normalize_dial_code(raw: str) -> str | None:
    """Accept what people type ("123 456 789", "123-456-789"); None when it cannot be a code."""
    digits = re.sub(r"[\s\-./]", "", raw)
    if len(digits) != DIAL_CODE_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def format_dial_code(code: str) -> str:
    """Group a code in threes for reading aloud and typing: ``123 456 789``."""
    return " ".join(code[i : i + 3] for i in range(0, len(code), 3))


def new_session_token() -> str:
    """An advisor's bearer token (256 bits)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database keeps instead of a bearer token."""
    return hashlib.sha256(token.encode()).hexdigest()


def fold_name(name: str) -> str:
    """A name as compared at the dial-in: accents, case and spacing do not count
    ("  zoe   ÜNAL " and "Zoë Ünal" fold alike; ß folds to ss)."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def names_match(given: str, stored: str) -> bool:
    """Whether the typed name is the invited person's, compared in constant time."""
    return hmac.compare_digest(fold_name(given).encode(), fold_name(stored).encode())
