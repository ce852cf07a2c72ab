"""Every refused request gets a clear JSON error (API) or a friendly German page (citizens)."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DBAPIError, OperationalError

from advisor_app.core.protocol import MAX_BODY_BYTES, ErrorReply
from advisor_app.server.logs import hidden, redact

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

#: German labels of request fields, for messages the advisor reads.
FIELD_LABELS = {
    "starts_at": "Beginn",
    "duration_min": "Dauer",
    "topic": "Thema",
    "citizen_name": "Name",
    "customer_number": "Kundennummer",
    "email": "E-Mail-Adresse",
    "language": "Sprache",
    "guests": "Gäste",
    "name": "Name",
    "role": "Rolle",
    "username": "Benutzername",
    "password": "Passwort",
    "code": "Einwahlcode",
    "satisfaction": "Zufriedenheit",
    "av_quality": "Ton und Bild",
    "use_again": "Wieder per Video",
    "ticket": "Umfrage",
    "duration_s": "Dauer",
    "period": "Zeitraum",
    "count": "Anzahl der Zeiträume",
}


#: German texts for refusals that come from aiohttp itself (routing, size limits).
HTTP_MESSAGES = {
    404: "Diese Adresse gibt es im Dienst nicht. Ist die Konsole auf dem neuesten Stand?",
    405: "Diese Aktion ist an dieser Adresse nicht möglich.",
    413: "Die Anfrage ist zu groß.",
}


class ApiError(Exception):
    """Raise in a handler to answer with an :class:`ErrorReply`."""

    def __init__(
        self,
        status: int,
        error: str,
        message: str,
        message_en: str = "",
        *,
        field: str | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.reply = ErrorReply(
            error=error, message=message, message_en=message_en, field=field, details=details or {}
        )
        self.headers = headers or {}


def _german(err: Any) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", err.get("msg", "")))
    texts = {
        "missing": "Diese Angabe fehlt.",
        "string_too_long": "Der Text ist zu lang.",
        "string_too_short": "Diese Angabe fehlt.",
        "greater_than_equal": "Der Wert muss mindestens {ge} sein.",
        "less_than_equal": "Der Wert darf höchstens {le} sein.",
        "too_long": "Es sind zu viele Einträge (höchstens {max_length}).",
        "timezone_aware": "Die Zeitangabe braucht eine Zeitzone.",
        "datetime_from_date_parsing": "Das ist keine gültige Zeitangabe.",
        "datetime_parsing": "Das ist keine gültige Zeitangabe.",
        "datetime_type": "Das ist keine gültige Zeitangabe.",
        "enum": "Dieser Wert ist nicht erlaubt.",
        "extra_forbidden": "Diese Angabe ist unbekannt.",
        "int_parsing": "Hier wird eine Zahl erwartet.",
        "int_type": "Hier wird eine Zahl erwartet.",
        "string_type": "Hier wird ein Text erwartet.",
        "bool_type": "Hier wird ja oder nein erwartet.",
        "list_type": "Hier wird eine Liste erwartet.",
        "model_type": "Hier wird ein Objekt erwartet.",
        "dict_type": "Hier wird ein Objekt erwartet.",
    }
    template = texts.get(kind, "Ungültige Angabe.")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def validation_error(exc: ValidationError) -> ApiError:
    first = exc.errors()[0]
    loc = [str(p) for p in first.get("loc", ())]
    field = ".".join(loc) if loc else None
    label = next((FIELD_LABELS[p] for p in reversed(loc) if p in FIELD_LABELS), None)
    text = _german(first)
    message = f"{label}: {text}" if label else text
    return ApiError(
        422,
        "validation",
        message,
        str(first.get("msg", "")).removeprefix("Value error, "),
        field=field,
        details={"errors": len(exc.errors())},
    )


async def read_model(request: web.Request, model: type[M]) -> M:
    """Parse and validate a JSON body; every failure becomes a clear :class:`ApiError`."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise ApiError(413, "too_large", "Die Anfrage ist zu groß.", "Request body too large.")
    raw = await request.content.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(413, "too_large", "Die Anfrage ist zu groß.", "Request body too large.")
    if _nesting(raw) > MAX_JSON_DEPTH:
        raise _too_deep()
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(
            400, "bad_json", "Die Anfrage ist kein gültiges JSON.", "Malformed JSON."
        ) from exc
    except RecursionError as exc:  # not reached after _nesting; kept as the last guard
        raise _too_deep() from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc) from exc


#: No request of the protocol nests deeper than a few levels.
MAX_JSON_DEPTH = 32


def _nesting(raw: bytes) -> int:
    """An upper bound of the JSON nesting of ``raw`` (brackets inside strings count too,
    which only errs on the safe side), without parsing it."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_JSON_DEPTH:
        return 0  # the usual case: few brackets at all
    depth = deepest = 0
    for byte in raw:
        if byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def _too_deep() -> ApiError:
    return ApiError(
        400,
        "too_deep",
        "Die Anfrage ist zu tief verschachtelt.",
        f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels.",
    )


def json_response(model: BaseModel, status: int = 200) -> web.Response:
    return web.Response(
        text=model.model_dump_json(), status=status, content_type="application/json"
    )


def _error_response(err: ApiError) -> web.Response:
    resp = json_response(err.reply, err.status)
    resp.headers.update(err.headers)
    return resp


def bearer_value(request: web.Request) -> str | None:
    """The bearer token of the request, if any (to keep it out of the log)."""
    _, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() or None


def _is_api(request: web.Request) -> bool:
    return request.path.startswith("/api/")


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    with hidden(request.match_info.get("token"), bearer_value(request)):
        return await _answer(request, handler)


async def _answer(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as err:
        return _error_response(err)
    except web.HTTPException as exc:
        if not _is_api(request) or exc.status < 400:
            raise
        german = HTTP_MESSAGES.get(exc.status, f"Die Anfrage wurde abgelehnt (HTTP {exc.status}).")
        return _error_response(ApiError(exc.status, "http", german, exc.reason or "Error"))
    except (OperationalError, DBAPIError) as exc:
        log.error(
            "database unavailable on %s %s: %s", request.method, redact(request.path), exc.orig
        )
        unavailable = ApiError(
            503,
            "database_unavailable",
            "Die Datenbank des Dienstes ist gerade nicht beschreibbar. Es wurde nichts verändert; "
            "bitte versuchen Sie es in einer Minute erneut oder wenden Sie sich an die IT.",
            "The service database is not writable right now; nothing was changed.",
            headers={"Retry-After": "30"},
        )
        if _is_api(request):
            return _error_response(unavailable)
        raise web.HTTPServiceUnavailable(text=unavailable.reply.message) from exc
    except RecursionError:  # a structure too deep for a parser: the client's mistake
        if not _is_api(request):
            raise web.HTTPBadRequest(text="Die Anfrage ist zu tief verschachtelt.") from None
        return _error_response(_too_deep())
    except Exception:
        log.exception("unhandled error on %s %s", request.method, redact(request.path))
        if not _is_api(request):
            raise
        return _error_response(
            ApiError(
                500,
                "internal",
                "Im Dienst ist ein unerwarteter Fehler aufgetreten. Es wurde nichts verändert.",
                "Unexpected service error.",
            )
        )
