"""The service's words for its refusals: one catalogue per language, ``i18n/errors/<lang>.json``.

A refusal is a stable code (``ErrorReply.error`` / ``SocketError.error``) and its parameters
(``details``; ``details.reason`` names the variant of a code, e.g. ``rate_limited`` of the
sign-in). The console and the citizen web app map the code to their own words; the German and
English texts the service still sends along (``message``, ``message_en``, read by older
clients and shown where a client does not know a code) come from the catalogues here and from
nowhere else.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from functools import cache
from typing import Any

from advisor_app.core.protocol import SocketError
from advisor_app.paths import i18n_dir

log = logging.getLogger(__name__)

#: The languages every refusal is sent in (German: ``message``, English: ``message_en``).
LANGUAGES = ("de", "en")


@cache
def catalog(language: str) -> dict[str, dict[str, str]]:
    """The catalogue of ``language`` (``errors`` by code, ``fields`` by request field)."""
    path = i18n_dir() / "errors" / f"{language}.json"
    data: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def message_key(error: str, reason: str | None = None) -> str:
    """The catalogue key of a refusal: its code, with the variant after a dot."""
    return f"{error}.{reason}" if reason else error


def words(key: str, params: Mapping[str, Any], language: str) -> str:
    """The text of ``key`` in ``language`` with ``params`` filled in (the key itself, logged,
    when the catalogue lacks it: a refusal never fails for want of words)."""
    template = catalog(language)["errors"].get(key)
    if template is None:
        log.error("no %s text for the refusal %r", language, key)
        return key
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        log.error("the %s text of %r needs parameters it did not get", language, key)
        return template


def has_words(key: str) -> bool:
    return all(key in catalog(language)["errors"] for language in LANGUAGES)


def field_label(name: str, language: str) -> str | None:
    return catalog(language)["fields"].get(name)


def socket_refusal(error: str, *, reason: str | None = None, **params: Any) -> SocketError:
    """A refusal on either socket, with its words from the catalogue."""
    details: dict[str, Any] = {**params, "reason": reason} if reason else dict(params)
    key = message_key(error, reason)
    return SocketError(
        error=error,
        message=words(key, details, "de"),
        message_en=words(key, details, "en"),
        details=details,
    )
