"""Citizen-facing routes: the personal link ``/j/<token>`` and the dial-in code entry."""

from __future__ import annotations

from typing import Any

import jinja2
from aiohttp import web

from advisor_app.core.codes import looks_like_link_token, names_match, normalize_dial_code
from advisor_app.core.domain import AppointmentStatus, clean_name, to_berlin
from advisor_app.core.protocol import JoinCodeRequest, JoinCodeResponse
from advisor_app.core.timewindow import AppointmentWindow, LinkState
from advisor_app.paths import resources_dir
from advisor_app.server import keys
from advisor_app.server.auth import limit_key
from advisor_app.server.errors import ApiError, Handler, json_response, read_model
from advisor_app.server.link_cache import citizen_link
from advisor_app.server.mail import format_when
from advisor_app.storage.models import Participant
from advisor_app.storage.repositories import AppointmentRepo, CitizenLink

PAGES: web.AppKey[jinja2.Environment] = web.AppKey("pages")

#: Headers on every citizen page: no third-party host, no inline script, no referrer leak.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Permissions-Policy": "camera=(self), microphone=(self), display-capture=(self)",
}


def page_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(resources_dir() / "web" / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    svc = request.app[keys.SETTINGS].service
    html = (
        request.app[PAGES]
        .get_template(template)
        .render(
            organisation=svc.organisation,
            # What is not set is left out with its sentence (never "null" or empty).
            support_phone=svc.support_phone.strip(),
            support_hours=svc.support_hours.strip(),
            sign_language=svc.sign_language_video is not None,
            **context,
        )
    )
    resp = web.Response(text=html, status=status, content_type="text/html", charset="utf-8")
    resp.headers.update(SECURITY_HEADERS)
    return resp


def error_page(
    request: web.Request, status: int, title: str, text: str, title_en: str, text_en: str
) -> web.Response:
    return render(
        request,
        "error.html.j2",
        status,
        title=title,
        text=text,
        title_en=title_en,
        text_en=text_en,
    )


@web.middleware
async def not_found_page(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Unknown pages outside the API get the friendly German page, not aiohttp's text."""
    try:
        return await handler(request)
    except web.HTTPNotFound:
        if request.path.startswith(("/api/", "/ws/", "/static/")):
            raise
        return error_page(
            request,
            404,
            "Diese Seite gibt es nicht",
            "Bitte öffnen Sie den persönlichen Link aus Ihrer Einladungs-E-Mail oder melden "
            "Sie sich mit Ihrem Einwahlcode an.",
            "This page does not exist",
            "Please open the personal link from your invitation e-mail, or use your dial-in code.",
        )


def window_of(request: web.Request, participant: Participant) -> AppointmentWindow:
    """The time rules of a participant's appointment, with the configured grace period."""
    appt = participant.appointment
    return AppointmentWindow(
        appt.starts_at, appt.duration_min, request.app[keys.SETTINGS].service.grace_min
    )


def link_window(request: web.Request, link: CitizenLink) -> AppointmentWindow:
    """The time rules of a link's appointment, with the configured grace period."""
    return AppointmentWindow(
        link.starts_at, link.duration_min, request.app[keys.SETTINGS].service.grace_min
    )


async def join_page(request: web.Request) -> web.Response:
    token = request.match_info["token"]
    link = await citizen_link(request.app, token) if looks_like_link_token(token) else None
    if link is None:
        return error_page(
            request,
            404,
            "Dieser Link ist uns nicht bekannt",
            "Bitte prüfen Sie, ob Sie den Link aus Ihrer Einladungs-E-Mail vollständig "
            "übernommen haben. Sie können sich auch mit Ihrem Einwahlcode anmelden.",
            "We do not know this link",
            "Please check that you copied the whole link from your invitation e-mail, "
            "or sign in with your dial-in code.",
        )
    if link.status == AppointmentStatus.CANCELLED.value:
        return error_page(
            request,
            410,
            "Dieser Termin wurde abgesagt",
            "Ihr Videotermin findet nicht statt. Bei Fragen wenden Sie sich bitte an Ihre "
            "Ansprechpartnerin oder Ihren Ansprechpartner.",
            "This appointment was cancelled",
            "Your video appointment will not take place. Please contact your advisor.",
        )
    window = link_window(request, link)
    state = window.link_state(request.app[keys.CLOCK].now())
    if state is LinkState.EXPIRED:
        return error_page(
            request,
            410,
            "Dieser Link ist abgelaufen",
            "Der Termin, zu dem dieser Link gehört, ist vorbei. Für einen neuen Termin wenden "
            "Sie sich bitte an Ihre Ansprechpartnerin oder Ihren Ansprechpartner.",
            "This link has expired",
            "The appointment of this link is over. Please contact your advisor for a new one.",
        )
    local = to_berlin(link.starts_at)
    return render(
        request,
        "start.html.j2",
        name=link.name,
        when_de=format_when(link.starts_at, "de"),
        when_en=format_when(link.starts_at, "en"),
        date_short=local.strftime("%d.%m.%Y"),
        time_short=local.strftime("%H:%M"),
        room_open=state is LinkState.ROOM_OPEN,
    )


#: The one answer for every wrong attempt: unknown code, not yet valid, name not matching.
def _wrong_code() -> ApiError:
    return ApiError(
        404,
        "unknown_code",
        field="code",
    )


def _too_many_attempts() -> ApiError:
    return ApiError(429, "rate_limited", reason="attempts", headers={"Retry-After": "60"})


#: Compared against when a code names nobody, so an unknown code costs the same work.
_NOBODY = "\u2400 nobody \u2400"


async def _resolve_code(request: web.Request, raw_code: str, name: str) -> str:
    """The personal link for a dial-in code and the invited person's name.

    Limits: per address (IPv6 per /64), all addresses together, and per code (wrong names
    for one code; counted for unknown codes alike, so a resting code tells nothing). The
    lookup does the same work whether the code exists or not: one query, one name
    comparison, one count on failure."""
    limiter = request.app[keys.LIMITER]
    allowed = await limiter.hit("join", limit_key(request))
    allowed = await limiter.hit("join_global", "*") and allowed
    if not allowed:
        raise _too_many_attempts()
    code = normalize_dial_code(raw_code) or "-"
    if not await limiter.test("join_code", code):
        raise _too_many_attempts()
    now = request.app[keys.CLOCK].now()
    async with request.app[keys.SESSIONS]() as session:
        candidates = await AppointmentRepo(session).participants_by_code(code)
    link = None
    people: list[Participant | None] = [*candidates] or [None]
    for participant in people:
        stored = participant.name if participant is not None else _NOBODY
        matches = names_match(name, stored)
        if (
            participant is not None
            and matches
            and participant.appointment.status == AppointmentStatus.SCHEDULED.value
            and window_of(request, participant).code_valid(now)
        ):
            link = f"/j/{participant.link_token}"
    if link is None:
        await limiter.hit("join_code", code)
        raise _wrong_code()
    return link


async def join_by_code_api(request: web.Request) -> web.Response:
    body = await read_model(request, JoinCodeRequest)
    link = await _resolve_code(request, body.code, body.name)
    return json_response(JoinCodeResponse(link=link))


async def code_page(request: web.Request) -> web.Response:
    return render(request, "code.html.j2", error=None, code="", name="")


async def code_form(request: web.Request) -> web.Response:
    form = await request.post()
    code = str(form.get("code", ""))[:40]
    name = str(form.get("name", ""))[:200]
    try:
        clean_name(name)
    except ValueError as exc:
        return render(request, "code.html.j2", 422, error=str(exc), code=code, name=name)
    try:
        link = await _resolve_code(request, code, name)
    except ApiError as err:
        return render(
            request, "code.html.j2", err.status, error=err.reply.message, code=code, name=name
        )
    raise web.HTTPSeeOther(location=link)


async def revalidate_static(request: web.Request, response: web.StreamResponse) -> None:
    """The web app's modules import each other by plain names: after an update the browser
    must ask again (a cheap 304) rather than mix cached old modules with new ones."""
    if request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-cache")


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/j/{token}", join_page)
    app.router.add_get("/code", code_page)
    app.router.add_post("/code", code_form)
    app.router.add_post("/api/join/code", join_by_code_api)
    app.router.add_static("/static/", resources_dir() / "web" / "static", append_version=False)
