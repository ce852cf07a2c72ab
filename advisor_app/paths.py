"""Where the bundled data lives: in the wheel, in a source checkout, or in a frozen build."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def _data_root() -> Path:
    candidates = [
        _PACKAGE_DIR / "_data",  # installed wheel (force-included)
        _PACKAGE_DIR.parent,  # source checkout / editable install
    ]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.insert(0, Path(frozen))
    for root in candidates:
        if (root / "resources").is_dir() and (root / "i18n").is_dir():
            return root
    raise FileNotFoundError("bundled resources not found; the installation is incomplete")


def resources_dir() -> Path:
    return _data_root() / "resources"


def i18n_dir() -> Path:
    return _data_root() / "i18n"


def self_command() -> list[str]:
    """How to start this very program again (frozen executable or ``python -m``)."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "advisor_app"]
