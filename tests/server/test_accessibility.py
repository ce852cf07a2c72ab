"""What the law asks beyond WCAG: the statement's form, Leichte Sprache, Gebärdensprache.

The form's mails go through the real transports: the outbox folder (the embedded default) and
a real SMTP server (aiosmtpd, tests/helpers/smtp.py).
"""

from __future__ import annotations

import re
from dataclasses import replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import func, select

from advisor_app.config import Settings
from advisor_app.core.protocol import MAX_BARRIER_REPORT_LENGTH
from advisor_app.paths import resources_dir
from advisor_app.server import keys
from advisor_app.server.accessibility import SignVideoError, probe_sign_video
from advisor_app.server.app import create_app
from advisor_app.server.legal import LegalTextError, LegalTexts
from advisor_app.storage.models import Mail
from tests.helpers.fixtures import MakeService
from tests.helpers.service import Service, make_settings
from tests.helpers.sign_video import write_video
from tests.helpers.smtp import SmtpServer

pytestmark = [pytest.mark.service, pytest.mark.integration]

FEEDBACK = "/legal/accessibility/feedback"
ADDRESS = "barrierefrei@jobcenter.example"


def outbox(service: Service) -> list[EmailMessage]:
    folder = service.settings.service.outbox_dir
    mails = []
    for path in sorted(folder.glob("*.eml")) if folder.is_dir() else []:
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(msg, EmailMessage)
        mails.append(msg)
    return mails


async def post(
    service: Service, headers: dict[str, str] | None = None, **form: str
) -> tuple[int, str, Any]:
    form.setdefault("lang", "de")
    async with service.client.post(
        FEEDBACK, data=form, headers=headers or {}, allow_redirects=False
    ) as resp:
        return resp.status, await resp.text(), resp.headers


async def get(service: Service, path: str) -> tuple[int, str]:
    async with service.client.get(path) as resp:
        return resp.status, await resp.text()


def textarea(html: str) -> str:
    found = re.search(r'<textarea id="feedback-message"[^>]*>(.*?)</textarea>', html, re.S)
    assert found, "no form on the page"
    return found.group(1)


# --- the form "Barriere melden" ---------------------------------------------------------------


async def test_a_report_goes_to_the_outbox_and_nowhere_else(make_service: MakeService) -> None:
    service = await make_service(service={"accessibility_email": ADDRESS})
    status, html = await get(service, "/legal/accessibility?lang=de")
    assert status == 200
    assert 'action="/legal/accessibility/feedback"' in html
    assert f'href="mailto:{ADDRESS}"' in html  # the e-mail alternative
    assert "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz" in html
    assert "Diese Erklärung wurde am 07.12.2026 erstellt" in html

    status, _, headers = await post(
        service,
        message="Der Knopf „Video freigeben“ wird\r\nvom Bildschirmleser nicht vorgelesen.",
        page="Videogespräch",
        email="erika@example.org",
    )
    assert status == 303
    assert headers["Location"] == "/legal/accessibility?lang=de&sent=1#feedback"
    (mail,) = outbox(service)
    assert mail["To"] == ADDRESS
    assert mail["Reply-To"] == "erika@example.org"
    assert mail["Subject"] == "Barriere gemeldet über „Mein Videotermin“"
    assert mail.get_content_type() == "text/plain"
    body = mail.get_content()
    assert "Der Knopf „Video freigeben“ wird\nvom Bildschirmleser nicht vorgelesen." in body
    assert "Wo: Videogespräch" in body
    async with service.app[keys.SESSIONS]() as session:  # stored nowhere
        assert await session.scalar(select(func.count()).select_from(Mail)) == 0
    status, html = await get(service, headers["Location"].split("#")[0])
    assert "Vielen Dank! Ihre Nachricht wurde gesendet." in html


async def test_without_an_address_the_report_goes_to_the_sender_and_none_is_shown(
    service: Service,
) -> None:
    _, html = await get(service, "/legal/accessibility?lang=en")
    assert "mailto:" not in html.split("Schlichtungsstelle")[0]
    assert 'name="lang" value="en"' in html
    status, _, headers = await post(service, message="Contrast too low", lang="en")
    assert status == 303 and "lang=en" in headers["Location"]
    (mail,) = outbox(service)
    assert mail["To"] == service.settings.smtp.from_address
    assert "Reply-To" not in mail
    assert "Sprache der Seite: en" in mail.get_content()


async def test_a_real_mail_server_receives_the_report(make_service: MakeService) -> None:
    with SmtpServer() as smtp:
        service = await make_service(
            service={"accessibility_email": ADDRESS},
            smtp={"host": "127.0.0.1", "port": smtp.port, "security": "none"},
        )
        status, _, _ = await post(service, message="Untertitel fehlen")
        assert status == 303
        (mail,) = smtp.inbox.to(ADDRESS)
        assert "Untertitel fehlen" in mail.get_content()
    assert outbox(service) == []


async def test_a_mail_server_that_is_down_keeps_the_text(make_service: MakeService) -> None:
    from tests.helpers.smtp import free_port

    service = await make_service(
        smtp={"host": "127.0.0.1", "port": free_port(), "security": "none", "timeout_s": 2}
    )
    status, html, _ = await post(service, message="Mein Text bleibt")
    assert status == 503
    assert "konnte gerade nicht gesendet werden" in html
    assert textarea(html) == "Mein Text bleibt"


async def test_markup_in_a_report_stays_text(service: Service) -> None:
    attack = '</textarea><script>alert("x")</script><img src=x onerror=alert(1)>'
    status, html, _ = await post(service, message=attack, page="x" * 201)  # page too long
    assert status == 422
    assert "<script>alert" not in html and "<img src=x" not in html
    assert unescape(textarea(html)) == attack
    assert "höchstens 200 Zeichen" in html
    assert 'id="feedback-page" name="page" maxlength="200"' in html
    assert outbox(service) == []
    status, _, _ = await post(service, message=attack)
    assert status == 303
    assert attack in outbox(service)[0].get_content()  # plain text, as written


@pytest.mark.parametrize("lang", ["de", "ar"])
async def test_the_length_limit(service: Service, lang: str) -> None:
    status, html, _ = await post(service, message="x" * (MAX_BARRIER_REPORT_LENGTH + 1), lang=lang)
    assert status == 422
    if lang == "de":
        assert f"höchstens {MAX_BARRIER_REPORT_LENGTH} Zeichen" in html
    assert 'role="alert"' in html and 'aria-invalid="true"' in html
    assert len(unescape(textarea(html))) == MAX_BARRIER_REPORT_LENGTH + 1  # nothing lost
    assert f'maxlength="{MAX_BARRIER_REPORT_LENGTH}"' in html
    status, html, _ = await post(service, message="   \n ", lang=lang)
    assert status == 422
    assert outbox(service) == []
    status, _, _ = await post(service, message="x" * MAX_BARRIER_REPORT_LENGTH, lang=lang)
    assert status == 303
    assert len(outbox(service)) == 1


async def test_the_rate_limit(make_service: MakeService) -> None:
    service = await make_service(service={"feedback_rate_limit": "2/minute"})
    for i in range(2):
        assert (await post(service, message=f"Barriere {i}"))[0] == 303
    status, html, headers = await post(service, message="Noch eine Barriere")
    assert status == 429
    assert headers["Retry-After"] == "60"
    assert "Bitte warten Sie einige Minuten" in html
    assert textarea(html) == "Noch eine Barriere"
    assert len(outbox(service)) == 2


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://boese.example"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://boese.example"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
async def test_a_post_from_another_site_is_refused(
    service: Service, headers: dict[str, str]
) -> None:
    status, html, _ = await post(service, headers=headers, message="Spam")
    assert status == 403
    # refused by the service-wide cross-site check (server/origin.py) before the route's own
    assert "forbidden_origin" in html or "nur von seiner eigenen Seite" in html
    assert outbox(service) == []


async def test_a_post_from_the_own_page_passes(service: Service) -> None:
    own = str(service.client.make_url("")).rstrip("/")
    for headers in ({"Origin": own, "Sec-Fetch-Site": "same-origin"}, {"Origin": own}):
        assert (await post(service, headers=headers, message="Gut"))[0] == 303


# --- Leichte Sprache ---------------------------------------------------------------------------


async def test_leichte_sprache_is_linked_from_every_page_and_german(service: Service) -> None:
    async with service.client.get("/leichte-sprache", allow_redirects=False) as resp:
        assert resp.status == 302
        assert resp.headers["Location"] == "/legal/leichte-sprache?lang=de"
    status, html = await get(service, "/legal/leichte-sprache?lang=ar")  # German only
    assert status == 200 and '<html lang="de" dir="ltr">' in html
    for path in ("/code", "/legal/privacy?lang=tr", "/gebaerdensprache", "/j/unbekannt"):
        _, page = await get(service, path)
        assert '<a href="/leichte-sprache" id="nav-easy-read">' in page, path
        assert 'href="/legal/accessibility?lang=de">Erklärung zur Barrierefreiheit' in page, path


def test_leichte_sprache_follows_the_rules_of_anlage_2() -> None:
    raw = (resources_dir() / "legal" / "de" / "leichte-sprache.html").read_text("utf-8")
    raw = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", raw, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", "\n", raw))
    sentences = [s.strip() for s in re.split(r"(?<=[.?!:])\s+|\n", text) if s.strip()]
    assert len(sentences) > 60
    for sentence in sentences:
        assert len(sentence.split()) <= 14, sentence  # short sentences
    words = set(re.findall(r"[\wäöüÄÖÜß-]+", text))
    # no passive, no abbreviations
    assert not words & {"wird", "werden", "wurde", "wurden", "worden"}, words
    assert not re.search(r"\b(z\. ?B|bzw|ca|usw|d\. ?h|ggf|evtl|Nr|DGS|BGG|BITV)\b\.?", text)
    # the reader is addressed personally; long words carry a hyphen
    assert sum(1 for s in sentences if re.search(r"\b(Sie|Ihr|Ihre|Ihren|Ihrem)\b", s)) > 30
    for word in ("Video-Termin", "Start-Seite", "Warte-Bereich", "Internet-Verbindung"):
        assert word in text, word
    assert not re.search(r"\b(Videotermin|Startseite|Wartebereich|Barrierefreiheit)\b", text)


# --- Gebärdensprache -------------------------------------------------------------------------


async def test_without_a_video_there_is_no_player_and_no_header_entry(service: Service) -> None:
    status, html = await get(service, "/gebaerdensprache")
    assert status == 200
    assert "<video" not in html
    assert "Ein Video in Deutscher Gebärdensprache gibt es hier noch nicht." in html
    assert 'id="nav-sign-language"' not in html
    assert (await get(service, "/gebaerdensprache/video"))[0] == 404
    _, statement = await get(service, "/legal/accessibility?lang=de")
    assert "Ein Video in Deutscher Gebärdensprache" in statement  # listed as not yet there


async def test_a_configured_video_is_shown_with_size_duration_and_streams(
    make_service: MakeService, tmp_path: Path
) -> None:
    video = write_video(tmp_path / "dgs.mp4", seconds=3.0)
    service = await make_service(service={"sign_language_video": video})
    status, html = await get(service, "/gebaerdensprache")
    assert status == 200
    assert '<source src="/gebaerdensprache/video" type="video/mp4">' in html
    assert 'role="img" aria-labelledby="dgs-symbol-title"' in html  # the DGS symbol
    size = f"{round(video.stat().st_size / 1000)} kB"
    assert f"Länge: 3 Sekunden · Größe: {size}" in html
    assert f"Video herunterladen ({size}, 3 Sekunden)" in html
    assert 'href="/gebaerdensprache/video?download=1" download' in html
    _, other = await get(service, "/code")
    assert '<a href="/gebaerdensprache" id="nav-sign-language">' in other
    _, statement = await get(service, "/legal/accessibility?lang=de")
    assert "Ein Video in Deutscher Gebärdensprache" not in statement

    data = video.read_bytes()
    async with service.client.get(
        "/gebaerdensprache/video", headers={"Range": "bytes=100-199"}
    ) as resp:
        assert resp.status == 206
        assert resp.headers["Content-Range"] == f"bytes 100-199/{len(data)}"
        assert resp.headers["Content-Type"] == "video/mp4"
        assert await resp.read() == data[100:200]
    async with service.client.get("/gebaerdensprache/video?download=1") as resp:
        assert resp.status == 200
        assert resp.headers["Content-Disposition"].startswith("attachment;")
        assert await resp.read() == data


@pytest.mark.parametrize(
    ("size", "fps", "problem"),
    [
        ((320, 180), 25, "320×180 Pixel groß; nötig sind mindestens 320×240"),
        ((320, 240), 15, "15.00 Bilder pro Sekunde; nötig sind mindestens 25"),
    ],
)
def test_a_video_below_anlage_2_is_refused(
    tmp_path: Path, size: tuple[int, int], fps: int, problem: str
) -> None:
    video = write_video(tmp_path / "klein.mp4", width=size[0], height=size[1], fps=fps)
    with pytest.raises(SignVideoError, match=re.escape(problem)):
        probe_sign_video(video)
    good = probe_sign_video(write_video(tmp_path / "gut.mp4", width=640, height=360, fps=30))
    assert (good.width, good.height, round(good.fps)) == (640, 360, 30)
    assert good.duration_s == pytest.approx(2.0, abs=0.1)
    assert replace(good, duration_s=61.2).duration_text() == "1:01 Minuten"
    assert replace(good, size_bytes=12_345_678).size_text() == "12,3 MB"
    with pytest.raises(SignVideoError, match="MP4- oder WebM-Datei"):
        probe_sign_video(tmp_path / "film.avi")
    with pytest.raises(SignVideoError, match="gibt es nicht"):
        probe_sign_video(tmp_path / "fehlt.mp4")


async def test_a_service_with_a_bad_video_does_not_start(tmp_path: Path) -> None:
    video = write_video(tmp_path / "klein.mp4", width=160, height=120)
    app = create_app(make_settings(tmp_path, service={"sign_language_video": video}))
    runner = web.AppRunner(app)  # as ``serve`` starts it, and cleans up after a failure
    try:
        with pytest.raises(SignVideoError, match=r"service\.sign_language_video"):
            await runner.setup()
    finally:
        await runner.cleanup()


# --- defaults every citizen sees -------------------------------------------------------------


async def test_the_footer_gives_the_support_line_only_when_set(make_service: MakeService) -> None:
    service = await make_service(service={"support_phone": "0800 4 555501"})
    _, html = await get(service, "/code")
    assert (
        '<p class="support" data-testid="support">Technischer Support: '
        '<a href="tel:08004555501" dir="ltr">0800 4 555501</a>, '
        "Montag bis Freitag, 8 bis 18 Uhr</p>"
    ) in html
    bare = await make_service(service={"support_phone": "  ", "support_hours": ""})
    _, html = await get(bare, "/code")
    assert "Technischer Support" not in html
    assert ">null<" not in html and "None" not in html


def _public(tmp_path: Path, **service: Any) -> Settings:
    values = {"public_base_url": "https://termin.example.de", "allow_placeholder_legal": False}
    return make_settings(tmp_path, service={**values, **service})


def test_a_public_service_refuses_placeholders_unless_told(tmp_path: Path) -> None:
    folder = resources_dir() / "legal"
    settings = _public(tmp_path)
    with pytest.raises(LegalTextError) as caught:
        LegalTexts.load(folder, settings.service)
    message = str(caught.value)
    assert "de/imprint.html" in message and "[[" in message
    assert "[service] allow_placeholder_legal = true" in message
    assert "ADVISOR_SERVICE__ALLOW_PLACEHOLDER_LEGAL" in message
    LegalTexts.load(folder, _public(tmp_path, allow_placeholder_legal=True).service)
    on_this_machine = make_settings(tmp_path, service={"allow_placeholder_legal": False})
    assert not on_this_machine.service.server_mode
    LegalTexts.load(folder, on_this_machine.service)
    everywhere = make_settings(tmp_path, service={"host": "0.0.0.0"})  # noqa: S104
    assert everywhere.service.server_mode
