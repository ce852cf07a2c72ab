"""Every German text of the console has an English translation in ``i18n/console_en.ts``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "i18n" / "console_en.ts"
LUPDATE = Path(sys.executable).parent / "pyside6-lupdate"


def test_the_english_catalogue_is_complete_and_current(tmp_path: Path) -> None:
    """Qt's own ``lupdate`` finds no new, no vanished and no untranslated source text."""
    if not LUPDATE.is_file():
        pytest.fail(f"{LUPDATE} is missing (PySide6 ships it)")
    original = TS.read_text(encoding="utf-8")
    assert 'type="unfinished"' not in original
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    sources = sorted(str(p) for p in (ROOT / "advisor_app" / "ui").rglob("*.py"))
    result = subprocess.run(
        [str(LUPDATE), *sources, "-ts", str(copy), "-locations", "none", "-no-obsolete"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # Re-extracting changes nothing: every tr() text is in the file, and nothing else is.
    assert copy.read_text(encoding="utf-8") == original, (
        "i18n/console_en.ts is out of date: run pyside6-lupdate (see docs/decisions.md) "
        "and translate the new entries"
    )
