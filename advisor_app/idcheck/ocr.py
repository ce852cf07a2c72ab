"""Optional OCR of the machine-readable zone: used only where tesseract is installed.

Nothing here is required: without ``pytesseract`` (and the ``tesseract`` program) the console
asks the advisor to type the zone. The engine runs locally; no picture leaves the machine.
"""

from __future__ import annotations

import importlib
import logging
import shutil
from typing import Any

import cv2

from advisor_app.idcheck.geometry import Image
from advisor_app.idcheck.mrz import normalise_lines

log = logging.getLogger(__name__)


def _engine() -> Any | None:
    if shutil.which("tesseract") is None:
        return None
    try:
        return importlib.import_module("pytesseract")
    except ImportError:
        return None


def available() -> bool:
    return _engine() is not None


def read_zone(zone_bgr: Image) -> list[str] | None:
    """The zone's lines as OCR reads them (unchecked), or None without an engine or text."""
    engine = _engine()
    if engine is None:
        return None
    gray = cv2.cvtColor(zone_bgr, cv2.COLOR_BGR2GRAY)
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    config = "--psm 6 -c tessedit_char_whitelist=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
    try:
        text = str(engine.image_to_string(binary, config=config))
    except Exception as exc:  # an installed but broken engine must not break the check
        log.warning("OCR of the zone failed: %s", type(exc).__name__)
        return None
    lines = normalise_lines(text.splitlines())
    return lines or None
