"""The console's rotating log file: timestamps, rotation, private to the user."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from advisor_app import logfile

pytestmark = pytest.mark.unit


@pytest.fixture
def clean_root() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    before = list(root.handlers)
    yield root
    for handler in root.handlers:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


def test_lines_carry_a_timestamp_and_the_file_rotates(
    tmp_path: Path, clean_root: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logfile, "MAX_BYTES", 2000)
    target = tmp_path / "log" / "console.log"
    assert logfile.configure_console_logging(logging.INFO, target) == target
    assert logfile.configure_console_logging(logging.INFO, target) == target  # not twice
    assert (
        sum(
            isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == target
            for h in clean_root.handlers
        )
        == 1
    )
    for number in range(100):
        logging.getLogger("advisor_app.test").warning("Zeile %d", number)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines, "nothing was written"
    assert lines[-1].startswith("20") and "WARNING advisor_app.test: Zeile 99" in lines[-1]
    assert (tmp_path / "log" / "console.log.1").exists()
    assert not (tmp_path / "log" / "console.log.3").exists()  # at most three files
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_an_unwritable_folder_leaves_the_console_running(
    tmp_path: Path, clean_root: logging.Logger
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert logfile.configure_console_logging(logging.INFO, blocker / "console.log") is None


def test_the_default_path_is_in_the_users_log_folder() -> None:
    path = logfile.console_log_path()
    assert path.name == "console.log" and "advisor-console" in str(path)
