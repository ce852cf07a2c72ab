"""Test-wide isolation: no test reads or writes the developer's real configuration or keyring."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_ROOT = Path(tempfile.mkdtemp(prefix="advisor-tests-"))
for var, sub in (
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_DATA_HOME", "data"),
    ("XDG_CACHE_HOME", "cache"),
    ("XDG_CONFIG_DIRS", "etc-xdg"),
):
    path = _ROOT / sub
    path.mkdir(parents=True, exist_ok=True)
    os.environ[var] = str(path)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A file keyring inside the temporary folder: real keyring code paths, no desktop needed.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
for key in list(os.environ):
    if key.startswith("ADVISOR_"):
        del os.environ[key]
