"""Logging for the service: personal link tokens never reach a log line."""

from __future__ import annotations

import logging
import re

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

_TOKEN_PATH = re.compile(r"/j/[^/?#\s]+")
#: Anonymous survey answers: their log line names no address (it could be matched with the
#: address of the same citizen's other requests).
SURVEY_PATH = "/api/survey"


def redact(text: str) -> str:
    return _TOKEN_PATH.sub("/j/…", text)


class AccessLogger(AbstractAccessLogger):
    """One line per request, with the path's link token replaced and no query string."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            '%s "%s %s" %s %.1fms',
            "-" if request.path == SURVEY_PATH else request.remote,
            request.method,
            redact(request.path),
            response.status,
            time * 1000,
        )


#: Libraries whose DEBUG lines carry SQL parameters: names, e-mail addresses, link tokens.
#: (SQLAlchemy keeps its own loggers at WARNING unless told otherwise.)
DATA_LOGGERS = ("aiosqlite",)


def keep_personal_data_out() -> None:
    """Stop libraries that log query parameters from doing so, even at ``log_level=DEBUG``."""
    for name in DATA_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def configure(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    keep_personal_data_out()
