"""What the law asks of a public body's website beyond WCAG (BGG §12b, BITV 2.0 §4 and §7).

- The accessibility statement is a legal text (``/legal/accessibility``); this module adds its
  feedback form: ``POST /legal/accessibility/feedback`` mails a :class:`BarrierReport` to
  ``service.accessibility_email`` (or the outbox in the embedded mode), stores nothing, and
  tells the citizen whether it was sent.
- ``/leichte-sprache``: the Leichte-Sprache text (a legal text in German only).
- ``/gebaerdensprache``: the agency's video in German Sign Language, checked at start (at
  least 320×240 pixels and 25 frames per second, BITV 2.0 Anlage 2 Teil 1) and streamed with
  range requests from ``/gebaerdensprache/video``. Without a configured video the page says so
  and the page header has no entry for it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from aiohttp import web
from pydantic import ValidationError

from advisor_app.config import ConfigError, ServiceSettings
from advisor_app.core.protocol import MAX_BARRIER_REPORT_LENGTH, BarrierReport
from advisor_app.paths import resources_dir
from advisor_app.server import keys
from advisor_app.server.auth import client_address
from advisor_app.server.mail import DeliveryError, compose_barrier_report

log = logging.getLogger(__name__)

#: Anlage 2 Teil 1 BITV 2.0: a sign-language video has at least this size and frame rate.
MIN_WIDTH, MIN_HEIGHT, MIN_FPS = 320, 240, 25.0
VIDEO_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm"}
FEEDBACK_PATH = "/legal/accessibility/feedback"


class SignVideoError(ConfigError):
    """The configured sign-language video cannot be used; the message is German."""


@dataclass(frozen=True, slots=True)
class SignVideo:
    path: Path
    content_type: str
    size_bytes: int
    duration_s: float
    width: int
    height: int
    fps: float

    def size_text(self) -> str:
        """``12,3 MB`` (``850 kB`` below a megabyte) as German readers write it."""
        if self.size_bytes < 1_000_000:
            return f"{max(1, round(self.size_bytes / 1000))} kB"
        return f"{self.size_bytes / 1_000_000:.1f} MB".replace(".", ",")

    def duration_text(self) -> str:
        """``3:05 Minuten`` (``45 Sekunden`` below a minute)."""
        total = round(self.duration_s)
        if total < 60:
            return f"{total} Sekunden"
        return f"{total // 60}:{total % 60:02d} Minuten"


SIGN_VIDEO: web.AppKey[SignVideo | None] = web.AppKey("sign_video")


def probe_sign_video(path: Path) -> SignVideo:
    """Size, duration, picture size and frame rate of ``path`` (PyAV); refuses what the
    regulation does not allow. Raises :class:`SignVideoError`."""
    where = f"Das Gebärdensprach-Video {path} (Einstellung service.sign_language_video)"
    try:
        import av  # the service needs PyAV only for this check
    except ImportError as exc:  # a server-only install without the sign-video extra
        raise SignVideoError(
            f"{where} wird mit PyAV geprüft, das hier fehlt: pip install 'advisor_app[sign-video]'"
        ) from exc
    content_type = VIDEO_TYPES.get(path.suffix.lower())
    if content_type is None:
        raise SignVideoError(f"{where} muss eine MP4- oder WebM-Datei sein.")
    if not path.is_file():
        raise SignVideoError(f"{where} gibt es nicht.")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise SignVideoError(f"{where} enthält keine Videospur.")
            stream = container.streams.video[0]
            width, height = stream.codec_context.width, stream.codec_context.height
            rate = stream.average_rate or stream.guessed_rate
            fps = float(rate) if rate else 0.0
            if container.duration is not None:
                duration = container.duration / av.time_base
            elif stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            else:
                duration = 0.0
    except av.FFmpegError as exc:
        raise SignVideoError(f"{where} lässt sich nicht lesen: {exc}") from exc
    if min(width, height) < MIN_HEIGHT or max(width, height) < MIN_WIDTH:
        raise SignVideoError(
            f"{where} ist {width}×{height} Pixel groß; nötig sind mindestens "
            f"{MIN_WIDTH}×{MIN_HEIGHT} (BITV 2.0, Anlage 2)."
        )
    if fps < MIN_FPS - 0.01:
        raise SignVideoError(
            f"{where} hat {fps:.2f} Bilder pro Sekunde; nötig sind mindestens "
            f"{MIN_FPS:g} (BITV 2.0, Anlage 2)."
        )
    return SignVideo(path, content_type, path.stat().st_size, duration, width, height, fps)


async def load_sign_video(app: web.Application) -> None:
    """Start-up: probe the configured sign-language video (one that is unfit stops the start)."""
    configured = app[keys.SETTINGS].service.sign_language_video
    if configured is None:
        app[SIGN_VIDEO] = None
        return
    video = await asyncio.get_running_loop().run_in_executor(None, probe_sign_video, configured)
    app[SIGN_VIDEO] = video
    log.info(
        "sign-language video %s: %dx%d, %.2f fps, %.0f s",
        video.path.name,
        video.width,
        video.height,
        video.fps,
        video.duration_s,
    )


def warn_without_address(settings: ServiceSettings) -> None:
    """A server without an accessibility address sends barrier reports to the mail sender."""
    if settings.server_mode and not settings.accessibility_email.strip():
        log.warning(
            "service.accessibility_email is not set: barrier reports from the accessibility "
            "statement go to smtp.from_address, and the statement names no e-mail address"
        )


# --- the page's words --------------------------------------------------------------------------


@cache
def web_catalog(lang: str) -> dict[str, str]:
    """The web app's catalog of ``lang`` over the German one (the server renders its keys)."""
    folder = resources_dir() / "web" / "static" / "i18n"
    german: dict[str, str] = json.loads((folder / "de.json").read_text(encoding="utf-8"))
    path = folder / f"{lang}.json"
    if lang == "de" or not path.is_file():
        return german
    return {**german, **json.loads(path.read_text(encoding="utf-8"))}


def feedback_context(
    lang: str,
    *,
    values: dict[str, str] | None = None,
    error: str | None = None,
    error_field: str | None = None,
    sent: bool = False,
) -> dict[str, Any]:
    """What ``legal.html.j2`` needs to draw the form "Barriere melden"."""
    t = web_catalog(lang)
    return {
        "t": {k[len("feedback.") :]: v for k, v in t.items() if k.startswith("feedback.")},
        "action": FEEDBACK_PATH,
        "lang": lang,
        "fields": values or {},
        "error": error,
        "error_field": error_field,
        "sent": sent,
        "max_length": MAX_BARRIER_REPORT_LENGTH,
    }


# --- the feedback form -------------------------------------------------------------------------


def _field_error(exc: ValidationError, t: dict[str, str]) -> tuple[str, str]:
    """The first problem as (field, text in the page's language)."""
    first = exc.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else "message"
    if field == "message":
        raw = str(first.get("input") or "")
        key = "feedback.error_too_long" if raw.strip() else "feedback.error_empty"
        return field, t[key].format(max=MAX_BARRIER_REPORT_LENGTH)
    if field == "email":
        return field, t["feedback.error_email"]
    return field, t["feedback.error_line"]


async def feedback_post(request: web.Request) -> web.Response:
    """``POST /legal/accessibility/feedback``: mail one barrier report, keep nothing."""
    from advisor_app.server.legal import LEGAL, render_legal

    texts = request.app[LEGAL]
    form = await request.post()
    raw = {k: str(form.get(k, "")) for k in ("message", "page", "name", "email")}
    lang = texts.pick_lang(str(form.get("lang", "")))
    t = web_catalog(lang)

    def again(status: int, error: str, field: str | None = None) -> web.Response:
        # Bad input loses nothing: the page comes back with what was typed.
        feedback = feedback_context(lang, values=raw, error=error, error_field=field)
        return render_legal(request, "accessibility", lang, status=status, feedback=feedback)

    try:
        report = BarrierReport(**raw, lang=lang)
    except ValidationError as exc:
        field, text = _field_error(exc, t)
        return again(422, text, field)
    if not await request.app[keys.LIMITER].hit("feedback", client_address(request)):
        resp = again(429, t["feedback.error_rate_limited"])
        resp.headers["Retry-After"] = "60"
        return resp
    settings = request.app[keys.SETTINGS]
    composed = compose_barrier_report(settings, report, request.app[keys.CLOCK].now())
    try:
        status = await request.app[keys.MAILER].transport.deliver(composed)
    except DeliveryError as exc:
        log.warning("barrier report not delivered: %s", exc.__cause__ or exc)
        return again(503, t["feedback.error_failed"])
    log.info("barrier report delivered (%s)", status.value)
    raise web.HTTPSeeOther(location=f"/legal/accessibility?lang={lang}&sent=1#feedback")


# --- Leichte Sprache and Gebärdensprache --------------------------------------------------------


async def easy_read(request: web.Request) -> web.Response:
    raise web.HTTPFound(location="/legal/leichte-sprache?lang=de")


async def sign_language_page(request: web.Request) -> web.Response:
    from advisor_app.server.citizen import render

    return render(
        request,
        "sign_language.html.j2",
        video=request.app[SIGN_VIDEO],
        page_lang="de",
    )


async def sign_language_video(request: web.Request) -> web.StreamResponse:
    """The video file itself, with range requests (the browser streams and seeks)."""
    video = request.app[SIGN_VIDEO]
    if video is None:
        raise web.HTTPNotFound()
    download = request.query.get("download") == "1"
    name = f"gebaerdensprache{video.path.suffix.lower()}"
    headers = {
        "Content-Type": video.content_type,
        "Cache-Control": "no-cache",
        "Content-Disposition": f'{"attachment" if download else "inline"}; filename="{name}"',
        "X-Content-Type-Options": "nosniff",
    }
    return web.FileResponse(video.path, headers=headers)


def setup_routes(app: web.Application) -> None:
    app.router.add_post(FEEDBACK_PATH, feedback_post)
    app.router.add_get("/leichte-sprache", easy_read)
    app.router.add_get("/gebaerdensprache", sign_language_page)
    app.router.add_get("/gebaerdensprache/video", sign_language_video)
