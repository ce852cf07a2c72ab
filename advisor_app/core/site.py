"""The site's own values (organisation, support line, the advisor's name, retention, legal
texts) and the rules they must meet before a citizen sees them.

The first run ("Einrichtung") and the settings page check them here; the words for each
problem belong to the console (``Problem`` is a code, not a sentence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

RETENTION_MIN_DAYS = 1
RETENTION_MAX_DAYS = 3650
MAX_TEXT = 120
#: E.164 allows 15 digits; the shortest German service numbers (115) have 3, with an area or
#: free-call prefix a real support line has at least 6.
PHONE_MIN_DIGITS = 6
PHONE_MAX_DIGITS = 15
_PHONE_CHARS = re.compile(r"\+?[0-9 ()/.\-]+")
_PLACEHOLDER = re.compile(r"\[\[|\]\]")


class Problem(StrEnum):
    REQUIRED = "required"
    TOO_LONG = "too_long"
    PLACEHOLDER = "placeholder"
    PHONE_CHARACTERS = "phone_characters"
    PHONE_DIGITS = "phone_digits"
    RETENTION_RANGE = "retention_range"
    LEGAL_DIR_MISSING = "legal_dir_missing"
    LEGAL_DIR_NO_MANIFEST = "legal_dir_no_manifest"


@dataclass(frozen=True)
class SiteValues:
    """What the first run asks; ``legal_dir`` None means the bundled templates."""

    organisation: str
    support_phone: str
    support_hours: str
    display_name: str
    retention_days: int
    legal_dir: Path | None = None

    def cleaned(self) -> SiteValues:
        """The same values with surrounding and doubled spaces removed."""
        return SiteValues(
            organisation=_squeeze(self.organisation),
            support_phone=_squeeze(self.support_phone),
            support_hours=_squeeze(self.support_hours),
            display_name=_squeeze(self.display_name),
            retention_days=self.retention_days,
            legal_dir=self.legal_dir,
        )


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def phone_problem(phone: str) -> Problem | None:
    """None when ``phone`` reads as a telephone number a citizen can dial (or is empty: the
    sentence with the number is then left out)."""
    phone = phone.strip()
    if not phone:
        return None
    if _PLACEHOLDER.search(phone):
        return Problem.PLACEHOLDER
    if not _PHONE_CHARS.fullmatch(phone):
        return Problem.PHONE_CHARACTERS
    digits = sum(ch.isdigit() for ch in phone)
    if not PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS:
        return Problem.PHONE_DIGITS
    return None


def _text_problem(text: str, *, required: bool) -> Problem | None:
    if not text:
        return Problem.REQUIRED if required else None
    if len(text) > MAX_TEXT:
        return Problem.TOO_LONG
    if _PLACEHOLDER.search(text):
        return Problem.PLACEHOLDER
    return None


def check_site(values: SiteValues) -> dict[str, Problem]:
    """The problems of ``values`` by field name (empty: all can be used)."""
    values = values.cleaned()
    found: dict[str, Problem | None] = {
        "organisation": _text_problem(values.organisation, required=True),
        "support_phone": phone_problem(values.support_phone),
        "support_hours": _text_problem(values.support_hours, required=False),
        "display_name": _text_problem(values.display_name, required=True),
    }
    if not RETENTION_MIN_DAYS <= values.retention_days <= RETENTION_MAX_DAYS:
        found["retention_days"] = Problem.RETENTION_RANGE
    if values.legal_dir is not None:
        if not values.legal_dir.is_dir():
            found["legal_dir"] = Problem.LEGAL_DIR_MISSING
        elif not (values.legal_dir / "manifest.json").is_file():
            found["legal_dir"] = Problem.LEGAL_DIR_NO_MANIFEST
    return {name: problem for name, problem in found.items() if problem is not None}
