"""The console's own log file: rotated, timestamped, in the user's log folder, for IT to ask for.

The console's windowed build on Windows has no console window, so a log on stderr alone would
reach nobody. Every console start appends to ``console.log`` in the platform's user log folder
(``~/.local/state/advisor-console/log`` on Linux, ``%LOCALAPPDATA%\\advisor-console\\Logs`` on
Windows, ``~/Library/Logs/advisor-console`` on macOS); it keeps at most three files of 1 MiB.
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from advisor_app.config import APP_NAME

LOG_FILE_NAME = "console.log"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_BYTES = 1024 * 1024
BACKUPS = 2


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """Every file it opens, the first and each after a rotation, is readable by the user only
    (citizens' names can appear in warnings; other users of a shared PC must not read them)."""

    def _open(self):  # type: ignore[no-untyped-def]  # logging's own signature is untyped
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.chmod(self.baseFilename, 0o600)  # a file left by an older version
        return open(descriptor, self.mode, encoding=self.encoding, errors=self.errors)


def console_log_path() -> Path:
    """Where the console writes its log file (the folder may not exist yet)."""
    return platformdirs.user_log_path(APP_NAME, appauthor=False) / LOG_FILE_NAME


def configure_console_logging(level: str | int, path: Path | None = None) -> Path | None:
    """Log to stderr and to the rotating file; the file's path, or ``None`` where it cannot be
    written (the console still runs, logging to stderr only)."""
    logging.basicConfig(level=level, format=LOG_FORMAT)
    target = path or console_log_path()
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == target:
            return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = _PrivateRotatingFileHandler(
            target, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError as error:
        logging.getLogger(__name__).warning("Log file %s cannot be written: %s", target, error)
        return None
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.setLevel(level)
    root.addHandler(handler)
    return target
