"""Logging for the service: no link token, no survey ticket, by default no client address.

* Every record of every logger passes :func:`redact` (message and traceback), installed once
  per process by :func:`keep_personal_data_out`: the personal link's token in ``/j/<token>``,
  ``/api/citizen/<token>/…`` and JSON ``"token"``/``"ticket"`` fields is replaced by ``…``,
  and so is every secret a handler named with :func:`hide` (wherever it appears).
* SQL parameters never reach a message (the engine hides them, see ``storage.db``).
* The access log writes no client address unless ``service.log_client_addresses`` is set.
* ``service.log_file``: rotated at midnight (UTC), kept ``service.log_keep_days`` days, 0600.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import re
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

_TOKEN_PATHS = re.compile(r"(/j/|/api/citizen/)[^/?#\s\"']+")
_TOKEN_FIELDS = re.compile(r"""(["']?(?:token|ticket)["']?\s*[:=]\s*["']?)[^"'\s,}&]+""")
#: Anonymous survey answers: their log line names no address even when addresses are logged
#: (it could be matched with the address of the same citizen's other requests).
SURVEY_PATH = "/api/survey"


def redact(text: str) -> str:
    """``text`` without link tokens (in paths) and without token or ticket values."""
    return _TOKEN_FIELDS.sub(r"\1…", _TOKEN_PATHS.sub(r"\1…", text))


class AccessLogger(AbstractAccessLogger):
    """One line per request: method, path with the link token replaced, no query string, the
    status and the time taken; no client address (``-``)."""

    #: Subclassed by :func:`access_logger` when IT asked for addresses in the log.
    with_addresses = False

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        address = "-"
        if self.with_addresses and request.path != SURVEY_PATH:
            address = request.remote or "-"
        self.logger.info(
            '%s "%s %s" %s %.1fms',
            address,
            request.method,
            redact(request.path),
            response.status,
            time * 1000,
        )


def access_logger(with_addresses: bool) -> type[AccessLogger]:
    """The access log class for ``serve``: with client addresses only when configured."""
    if not with_addresses:
        return AccessLogger
    return type("AddressAccessLogger", (AccessLogger,), {"with_addresses": True})


#: Libraries whose DEBUG lines carry SQL parameters: names, e-mail addresses, link tokens.
#: (SQLAlchemy keeps its own loggers at WARNING unless told otherwise.)
DATA_LOGGERS = ("aiosqlite",)

_formatter = logging.Formatter()


#: Secrets the current request or socket handles (its link token, survey ticket, bearer
#: token): replaced wherever they appear in a record of the same task, tracebacks included.
_HIDDEN: ContextVar[frozenset[str]] = ContextVar("hidden_secrets", default=frozenset())


def hide(*values: str | None) -> None:
    """Keep these values out of every log record of the current request (or socket)."""
    fresh = {v for v in values if v and len(v) >= 8}
    if fresh:
        _HIDDEN.set(_HIDDEN.get() | fresh)


@contextlib.contextmanager
def hidden(*values: str | None) -> Iterator[None]:
    """One request's scope for :func:`hide`: what it hid is forgotten when it ends (several
    requests of a kept-alive connection run in one task)."""
    scope = _HIDDEN.set(_HIDDEN.get())
    try:
        hide(*values)
        yield
    finally:
        _HIDDEN.reset(scope)


def _scrub(text: str) -> str:
    for value in _HIDDEN.get():
        text = text.replace(value, "…")
    return redact(text)


def _redacting_factory(previous: Callable[..., logging.LogRecord]) -> Callable[..., Any]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to logging's own error report
            return record
        cleaned = _scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and record.exc_info[1] is not None:
            # Formatters use ``exc_text`` when it is set: the traceback as redacted text.
            record.exc_text = _scrub(_formatter.formatException(record.exc_info))
        return record

    factory.redacting = True  # type: ignore[attr-defined]
    return factory


def keep_personal_data_out() -> None:
    """Stop libraries that log query parameters from doing so, even at ``log_level=DEBUG``,
    and pass every log record of the process through :func:`redact` (installed once)."""
    for name in DATA_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    current = logging.getLogRecordFactory()
    if not getattr(current, "redacting", False):
        logging.setLogRecordFactory(_redacting_factory(current))


def purge_old_logs(log_file: Path, keep_days: int, now: float | None = None) -> int:
    """Delete rotated files of ``log_file`` older than ``keep_days`` days; returns how many."""
    limit = (now if now is not None else time.time()) - keep_days * 86400
    removed = 0
    for path in log_file.parent.glob(f"{log_file.name}.*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def file_handler(log_file: Path, keep_days: int) -> logging.Handler:
    """A handler that starts a new file at midnight (UTC) and keeps ``keep_days`` old ones;
    the files are readable by the service account only."""
    log_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.close(fd)
    log_file.chmod(0o600)
    purge_old_logs(log_file, keep_days)
    handler = logging.handlers.TimedRotatingFileHandler(
        log_file, when="midnight", backupCount=keep_days, encoding="utf-8", utc=True
    )
    return handler


def configure(level: str, log_file: Path | None = None, keep_days: int = 7) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if log_file is not None:
        handlers = [file_handler(log_file, keep_days)]
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
    )
    keep_personal_data_out()
