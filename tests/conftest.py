"""Test-wide isolation: no test reads or writes the developer's real configuration or keyring."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.pulse import PulseServer, reinit_portaudio

_ROOT = Path(tempfile.mkdtemp(prefix="advisor-tests-"))
for var, sub in (
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_DATA_HOME", "data"),
    ("XDG_CACHE_HOME", "cache"),
    ("XDG_STATE_HOME", "state"),  # the console's log file
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
# Audio: PortAudio talks to PulseAudio only through our own test server (``pulse_audio``),
# never to the developer's desktop sound (and never autospawns one, also not as root).
_PULSE = _ROOT / "pulse"
os.environ["PULSE_SERVER"] = f"unix:{_PULSE / 'native'}"
os.environ["PULSE_COOKIE"] = str(_PULSE / "cookie")


@pytest.fixture(scope="session")
def pulse_audio() -> Iterator[PulseServer]:
    """A real PulseAudio server with a null sink (speaker) and its monitor (microphone)."""
    server = PulseServer(_PULSE, _PULSE / "native")
    server.start()
    reinit_portaudio()
    yield server
    server.stop()
    reinit_portaudio()


class _ErrorRecords(logging.Handler):
    """Keeps the ERROR records that the application's own loggers write during one test."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def _fail_on_logged_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """A failure that the application only logs (a task that raised, a handler that broke) fails
    the test that caused it, unless the test says it expects one (``logged_errors`` marker)."""
    handler = _ErrorRecords()
    logger = logging.getLogger("advisor_app")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.records and request.node.get_closest_marker("logged_errors") is None:
        lines = "\n".join(
            f"{r.name}: {r.getMessage()}" + (f" ({r.exc_info[1]!r})" if r.exc_info else "")
            for r in handler.records
        )
        pytest.fail(f"the application logged errors during the test:\n{lines}", pytrace=False)
