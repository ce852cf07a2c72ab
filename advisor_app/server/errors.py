"""Every refused request gets a clear JSON error (API) or a friendly German page (citizens).

The JSON error is a code with parameters (:class:`ErrorReply`); its words come from the
catalogue of :mod:`advisor_app.server.refusals`."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DBAPIError, OperationalError

from advisor_app.core.errors import RuleViolation
from advisor_app.core.protocol import MAX_BODY_BYTES, ErrorReply
from advisor_app.server.logs import hidden, redact
from advisor_app.server.ratelimit import SharedStateUnavailable
from advisor_app.server.refusals import LANGUAGES, field_label, has_words, message_key, words

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ApiError(Exception):
    """Raise in a handler to answer with an :class:`ErrorReply`.

    ``error`` is the stable code, ``reason`` its variant and ``details`` its parameters; the
    German and English words come from the catalogue (:mod:`advisor_app.server.refusals`).
    """

    def __init__(
        self,
        status: int,
        error: str,
        *,
        reason: str | None = None,
        field: str | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        params: dict[str, Any] = dict(details or {})
        if reason:
            params["reason"] = reason
        key = message_key(error, reason)
        message = words(key, params, "de")
        super().__init__(message)
        self.status = status
        self.reply = ErrorReply(
            error=error,
            message=message,
            message_en=words(key, params, "en"),
            field=field,
            details=params,
        )
        self.headers = headers or {}


#: pydantic's error types, by the reason the catalogue has words for.
_PYDANTIC_REASONS = {
    "string_too_short": "missing",
    "datetime_from_date_parsing": "datetime_invalid",
    "datetime_parsing": "datetime_invalid",
    "datetime_type": "datetime_invalid",
    "int_parsing": "int_type",
    "dict_type": "model_type",
}


def _reason(err: Any) -> tuple[str, dict[str, Any], str | None]:
    """The reason code of one pydantic error, its parameters, and the German text of a plain
    ``ValueError`` that has no code (shown as is)."""
    ctx = err.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, RuleViolation):
        return cause.code.value, dict(cause.params), None
    if err.get("type") == "value_error":
        return "invalid", {}, str(cause or err.get("msg", ""))
    kind = str(err.get("type", ""))
    reason = _PYDANTIC_REASONS.get(kind, kind)
    if not has_words(f"validation.{reason}"):
        reason = "invalid"
    params = {k: v for k, v in ctx.items() if isinstance(v, str | int | float)}
    return reason, params, None


def validation_error(exc: ValidationError) -> ApiError:
    """The first problem of a request body, as a ``validation`` refusal: the field, the
    reason (a :class:`RuleCode` or pydantic's kind of error) and its parameters."""
    first = exc.errors()[0]
    loc = [str(p) for p in first.get("loc", ())]
    reason, params, plain = _reason(first)
    return validation_refusal(
        reason, ".".join(loc) or None, {"errors": len(exc.errors()), **params}, plain=plain
    )


def validation_refusal(
    reason: str,
    field: str | None,
    params: dict[str, Any] | None = None,
    *,
    plain: str | None = None,
) -> ApiError:
    """A ``validation`` refusal of ``field`` for ``reason``; the words say the field's label
    first ("Name: …"). ``plain``: the German text of a rule that has no code yet."""
    error = ApiError(422, "validation", reason=reason, field=field, details=params)
    loc = field.split(".") if field else []
    leaf = next((p for p in reversed(loc) if not p.isdigit()), "")
    texts = {}
    for language in LANGUAGES:
        text = plain or _validation_words(reason, leaf, error.reply.details, language)
        label = next((lab for p in reversed(loc) if (lab := field_label(p, language))), None)
        texts[language] = (
            words("validation.with_label", {"label": label, "text": text}, language)
            if label
            else text
        )
    error.reply = error.reply.model_copy(update={"message": texts["de"], "message_en": texts["en"]})
    return error


def _validation_words(reason: str, leaf: str, params: dict[str, Any], language: str) -> str:
    """A field's own words first (``validation.text_too_long.topic``), else the reason's."""
    specific = f"validation.{reason}.{leaf}"
    key = specific if leaf and has_words(specific) else f"validation.{reason}"
    return words(key, params, language)


async def read_model(request: web.Request, model: type[M]) -> M:
    """Parse and validate a JSON body; every failure becomes a clear :class:`ApiError`."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise ApiError(413, "too_large")
    raw = await request.content.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(413, "too_large")
    if _nesting(raw) > MAX_JSON_DEPTH:
        raise _too_deep()
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "bad_json") from exc
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
    return ApiError(400, "too_deep", details={"max_depth": MAX_JSON_DEPTH})


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
        variant = str(exc.status) if has_words(f"http.{exc.status}") else None
        return _error_response(
            ApiError(exc.status, "http", reason=variant, details={"status": exc.status})
        )
    except (OperationalError, DBAPIError) as exc:
        log.error(
            "database unavailable on %s %s: %s", request.method, redact(request.path), exc.orig
        )
        unavailable = ApiError(503, "database_unavailable", headers={"Retry-After": "30"})
        if _is_api(request):
            return _error_response(unavailable)
        raise web.HTTPServiceUnavailable(text=unavailable.reply.message) from exc
    except SharedStateUnavailable as exc:
        log.error(
            "shared state (Redis) unavailable on %s %s: %s",
            request.method,
            redact(request.path),
            exc,
        )
        away = ApiError(503, "shared_state_unavailable", headers={"Retry-After": "10"})
        if _is_api(request):
            return _error_response(away)
        raise web.HTTPServiceUnavailable(text=away.reply.message) from exc
    except RecursionError:  # a structure too deep for a parser: the client's mistake
        if not _is_api(request):
            raise web.HTTPBadRequest(text=_too_deep().reply.message) from None
        return _error_response(_too_deep())
    except Exception:
        log.exception("unhandled error on %s %s", request.method, redact(request.path))
        if not _is_api(request):
            raise
        return _error_response(ApiError(500, "internal"))
