"""Where the tests put the pictures they take: the few a document shows go to
``docs/screenshots/`` (and are committed), every other one to ``build/screenshots/`` (ignored
by git). ``make screenshots`` runs the tests and scripts that take them."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: The screenshots a document shows (docs/decisions.md, "Group calls").
IN_DOCS = frozenset(
    {"three-party-citizen.png", "three-party-citizen-phone.png", "three-party-console.png"}
)
DOCS = ROOT / "docs" / "screenshots"
BUILD = ROOT / "build" / "screenshots"


def shot(name: str) -> str:
    """The path to save screenshot ``name`` (may contain a sub-folder) at; folders are made."""
    path = (DOCS if name in IN_DOCS else BUILD) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return str(path)
