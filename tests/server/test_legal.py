"""Legal texts: every document in every language, translations marked, agency folder, contract."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from advisor_app.config import ServiceSettings, Settings
from advisor_app.core.netcheck import NETWORK_LIMITS
from advisor_app.core.protocol import LEGAL_DOCUMENTS, DeviceCheckIn, LegalText, SurveyIn
from advisor_app.paths import resources_dir
from advisor_app.server.legal import LegalTextError, LegalTexts, check_fragment
from advisor_app.server.serve import StartupError, run
from advisor_app.storage.models import ConsentRecord, DeviceCheck, StatTally
from tests.helpers.fixtures import MakeService
from tests.helpers.service import Service

pytestmark = pytest.mark.service

BUNDLED = resources_dir() / "legal"
MANIFEST: dict[str, Any] = json.loads((BUNDLED / "manifest.json").read_text(encoding="utf-8"))
LANGS = list(MANIFEST["languages"])
TRANSLATIONS = [lang for lang in LANGS if lang != "de"]
#: Leichte Sprache exists in German only (BITV 2.0 Anlage 2); every other text in every language.
GERMAN_ONLY = {"leichte-sprache"}
PAIRS = [
    (doc, lang)
    for doc in LEGAL_DOCUMENTS
    for lang in LANGS
    if lang == "de" or doc not in GERMAN_ONLY
]


def entry_of(doc: str) -> dict[str, Any]:
    return dict(next(d for d in MANIFEST["documents"] if d["id"] == doc))


async def page(service: Service, doc: str, lang: str | None = None) -> tuple[int, str, Any]:
    query = f"?lang={lang}" if lang is not None else ""
    async with service.client.get(f"/legal/{doc}{query}") as resp:
        return resp.status, await resp.text(), resp.headers


async def api(service: Service, doc: str, lang: str | None = None) -> tuple[int, Any]:
    query = f"?lang={lang}" if lang is not None else ""
    return await service.call("GET", f"/api/legal/{doc}{query}")


def copy_bundled(tmp_path: Path) -> Path:
    folder = tmp_path / "legal"
    shutil.copytree(BUNDLED, folder)
    return folder


def edit_manifest(folder: Path, **changes: Any) -> None:
    path = folder / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def visible_text(html: str) -> str:
    """The text a reader sees, on one line (tags dropped, entities and no-break spaces plain)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# --- every text, every language -----------------------------------------------------------------


def test_the_bundled_folder_has_every_document_in_every_language() -> None:
    assert MANIFEST["binding_language"] == "de"
    assert set(LANGS) == {"de", "en", "tr", "uk", "ar"}
    assert [d["id"] for d in MANIFEST["documents"]] == list(LEGAL_DOCUMENTS)
    for doc, lang in PAIRS:
        assert (BUNDLED / lang / f"{doc}.html").is_file(), f"{lang}/{doc}.html"
    for lang in TRANSLATIONS:
        assert not (BUNDLED / lang / "leichte-sprache.html").exists()


async def test_every_document_renders_in_every_language(service: Service) -> None:
    for doc, lang in PAIRS:
        status, html, headers = await page(service, doc, lang)
        where = f"{lang}/{doc}"
        assert status == 200, where
        direction = "rtl" if lang == "ar" else "ltr"
        assert f'<html lang="{lang}" dir="{direction}">' in html, where
        title = next(d for d in MANIFEST["documents"] if d["id"] == doc)["title"][lang]
        assert f'<h1 id="legal-title">{title}</h1>' in html, where
        assert f"{title} – Videoberatung</title>" in html, where
        version_label = MANIFEST["languages"][lang]["labels"]["version"]
        assert f"{version_label}: {entry_of(doc)['version']}" in html, where
        assert "{{" not in html and "{%" not in html, where
        assert headers["Content-Language"] == lang
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp, where
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "<script" not in html.lower(), where
        # The page offers every language and every other text, in the page's language.
        for other in LANGS:
            if (doc, other) in PAIRS:
                assert f'href="/legal/{doc}?lang={other}"' in html, where
        for other in LEGAL_DOCUMENTS:
            assert f'href="/legal/{other}?lang={lang}"' in html, where


async def test_api_returns_the_fragment_with_version_and_binding_language(
    service: Service,
) -> None:
    for doc, lang in PAIRS:
        entry = entry_of(doc)
        status, body = await api(service, doc, lang)
        assert status == 200, (doc, lang)
        text = LegalText.model_validate(body)
        assert set(body) == {
            "doc",
            "lang",
            "title",
            "html",
            "version",
            "binding_lang",
            "is_translation",
        }
        assert (text.doc, text.lang, text.binding_lang) == (doc, lang, "de")
        assert text.version == entry["version"]
        assert text.title == entry["title"][lang]
        assert text.is_translation is (lang != "de")
        assert text.html.startswith("<") and "<h1" not in text.html


async def test_api_versions_are_the_manifest_and_the_consent_flow_versions(
    service: Service, token: str
) -> None:
    for doc in LEGAL_DOCUMENTS:
        entry = next(d for d in MANIFEST["documents"] if d["id"] == doc)
        assert (await api(service, doc))[1]["version"] == entry["version"]
    assert (await api(service, "consent"))[1]["version"] == MANIFEST["consent"]
    assert (await api(service, "privacy"))[1]["version"] == MANIFEST["privacy"]
    # What the citizen is asked to accept is the version the texts show.
    appt = await service.create(token)
    link_token = appt["participants"][0]["link"].rsplit("/", 1)[1]
    status, view = await service.call("GET", f"/api/citizen/{link_token}")
    assert status == 200
    assert view["consent"]["consent_version"] == (await api(service, "consent"))[1]["version"]
    assert view["consent"]["privacy_version"] == (await api(service, "privacy"))[1]["version"]


# --- translations -------------------------------------------------------------------------------


async def test_translations_say_only_german_is_binding_and_link_to_it(service: Service) -> None:
    for lang in TRANSLATIONS:
        labels = MANIFEST["languages"][lang]["labels"]
        status, html, _ = await page(service, "consent", lang)
        assert status == 200
        assert 'data-testid="translation-notice"' in html, lang
        assert labels["translation_notice"] in html, lang
        assert f'href="/legal/consent?lang=de" hreflang="de">{labels["original_link"]}</a>' in html
    status, html, _ = await page(service, "consent", "de")
    assert 'data-testid="translation-notice"' not in html
    assert "Only the German text" not in html


async def test_arabic_pages_are_right_to_left_and_german_parts_are_marked(
    service: Service,
) -> None:
    status, html, _ = await page(service, "privacy", "ar")
    assert status == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert "هذه ترجمة" in html
    # The German chrome of the page keeps its language for screen readers.
    assert '<footer class="wrap foot" lang="de">' in html
    # Other pages keep the old default.
    status, html, _ = await page(service, "privacy", "de")
    assert '<html lang="de" dir="ltr">' in html


@pytest.mark.parametrize(
    ("requested", "served"),
    [(None, "de"), ("", "de"), ("xx", "de"), ("../de", "de"), ("TR", "tr"), ("uk-UA", "uk")],
)
async def test_unknown_language_falls_back_to_german(
    service: Service, requested: str | None, served: str
) -> None:
    status, _, headers = await page(service, "rights", requested)
    assert status == 200
    assert headers["Content-Language"] == served
    status, body = await api(service, "rights", requested)
    assert (status, body["lang"], body["is_translation"]) == (200, served, served != "de")


# --- unknown documents --------------------------------------------------------------------------


async def test_unknown_document_is_a_friendly_german_404(service: Service) -> None:
    for doc in ("nichtda", "manifest", "..%2Fmanifest.json", "CONSENT"):
        status, html, headers = await page(service, doc, "en")
        assert status == 404, doc
        assert "Diesen Hinweistext gibt es nicht" in html
        assert "There is no such text" in html
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert "Traceback" not in html
        status, body = await api(service, doc)
        assert status == 404
        assert body["error"] == "unknown_document"
        assert body["message"] == "Diesen Hinweistext gibt es nicht."


# --- settings in the texts ----------------------------------------------------------------------


async def test_agency_settings_are_filled_in_every_text(make_service: MakeService) -> None:
    service = await make_service(
        service={
            "organisation": "Jobcenter Musterstadt",
            "retention_days": 30,
            "support_phone": "0800 4 555501",
        }
    )
    for lang in LANGS:
        consent = (await api(service, "consent", lang))[1]["html"]
        assert "Jobcenter Musterstadt" in consent, lang
        assert re.search(r"\b30\b", consent), lang
        assert not re.search(r"\b90\b", consent), lang
        for doc in ("requirements", "imprint"):
            assert "0800 4 555501" in (await api(service, doc, lang))[1]["html"], (doc, lang)
        status, html, _ = await page(service, "privacy", lang)
        assert status == 200
        assert "Jobcenter Musterstadt" in html


async def test_default_settings_give_90_days_and_no_empty_support_line(service: Service) -> None:
    consent = (await api(service, "consent"))[1]["html"]
    assert "90 Tage nach Ihrem Termin automatisch gelöscht" in consent
    # The default organisation name stands for "not set": no text signs with it.
    named = re.compile(
        r"(ist|von|mit|für|an|gegenüber|of|with|is|by) Videoberatung\b|Videoberatung<"
    )
    assert not named.search(consent)
    assert "Das Angebot „Mein Videotermin“ von der einladenden Stelle" in consent
    privacy = (await api(service, "privacy"))[1]["html"]
    assert "Verantwortlich für die Verarbeitung ist die einladende Stelle." in privacy
    for doc, lang in PAIRS:
        assert not named.search((await api(service, doc, lang))[1]["html"]), (doc, lang)
    requirements = (await api(service, "requirements"))[1]["html"]
    assert "Rufen Sie den technischen Support an" not in requirements  # no phone configured
    imprint = (await api(service, "imprint"))[1]["html"]
    assert "[[Straße und Hausnummer]]" in imprint  # the agency's part, clearly marked


async def test_requirements_quote_the_device_check_figures(service: Service) -> None:
    german = visible_text((await api(service, "requirements"))[1]["html"])
    limits = NETWORK_LIMITS
    for phrase in (
        f"mindestens {limits.good_download_kbps / 1000:g} Mbit/s".replace(".", ","),
        f"mindestens {limits.good_upload_kbps / 1000:g} Mbit/s".replace(".", ","),
        f"höchstens {limits.good_rtt_ms} Millisekunden",
        f"{limits.min_download_kbps / 1000:g} Mbit/s im Download".replace(".", ","),
        f"{limits.min_upload_kbps / 1000:g} Mbit/s im Upload".replace(".", ","),
        f"höchstens {limits.max_rtt_ms} Millisekunden Antwortzeit",
        "mindestens 3G",
        "wenn Sie den Testton nicht gehört haben",
        "Den Lautsprecher testen Sie selbst mit dem Testton",
        "Ihr Browser keine Videogespräche unterstützt",
        "Chrome, Firefox, Edge oder Safari",
        "neutralen Hintergrund",
        "Es muss keine Software oder App installiert werden.",
    ):
        assert phrase in german, phrase
    english = visible_text((await api(service, "requirements", "en"))[1]["html"])
    assert f"at least {limits.good_download_kbps / 1000:g} Mbit/s" in english


def test_device_check_in_the_browser_uses_the_same_limits() -> None:
    """The figures the requirements text quotes are the ones the citizen's device check applies."""
    script = resources_dir() / "web" / "static" / "js" / "verdict.js"
    if not script.is_file():
        pytest.skip("the citizen's device check (verdict.js) is not in this tree")
    found = {
        level: dict(re.findall(r"(\w+): (\d+)", body))
        for level, body in re.findall(r"(red|yellow): \{([^}]*)\}", script.read_text("utf-8"))
    }
    limits = NETWORK_LIMITS
    assert found["red"] == {
        "download": str(limits.min_download_kbps),
        "upload": str(limits.min_upload_kbps),
        "rtt": str(limits.max_rtt_ms),
    }
    assert found["yellow"] == {
        "download": str(limits.good_download_kbps),
        "upload": str(limits.good_upload_kbps),
        "rtt": str(limits.good_rtt_ms),
    }


async def test_substituted_values_are_escaped(make_service: MakeService) -> None:
    service = await make_service(service={"organisation": 'Amt <script>alert("x")</script>'})
    body = (await api(service, "consent"))[1]["html"]
    assert "<script" not in body
    assert "Amt &lt;script&gt;" in body
    status, html, _ = await page(service, "consent")
    assert status == 200
    assert "<script" not in html


# --- what the consent text promises -------------------------------------------------------------

#: Every field the device check sends, and how the German consent text names it.
DEVICE_CHECK_PHRASES = {
    "browser": "Verwendeter Browser",
    "os": "Verwendetes Betriebssystem",
    "device_type": "Verwendetes Endgerät (Computer, Tablet oder Smartphone)",
    "upload_kbps": "Upload- und Downloadrate",
    "download_kbps": "Upload- und Downloadrate",
    "rtt_ms": "Übertragungsqualität (Antwortzeit der Verbindung",
    "camera": "ob Kamera, Mikrofon und Lautsprecher funktioniert haben",
    "microphone": "ob Kamera, Mikrofon und Lautsprecher funktioniert haben",
    "speaker": "ob Kamera, Mikrofon und Lautsprecher funktioniert haben",
    "verdict": "das Gesamtergebnis der Überprüfung (grün, gelb oder rot)",
}
#: What the service adds to the stored device check, and to the stored consent.
STORED_PHRASES = {
    "ip_address": "IP-Adresse bei der Geräteüberprüfung",
    "checked_at": "und ihr Zeitpunkt",
    "consent_version": "welche Fassung dieser Einwilligungserklärung",
    "privacy_version": "und der Datenschutzerklärung Sie angenommen haben",
    "language": "in welcher Sprache",
    "accepted_at": "zu welchem Zeitpunkt",
    "revoked_at": "den Zeitpunkt Ihres Widerrufs",
}


async def test_consent_text_names_every_device_check_field(service: Service) -> None:
    """A new field in DeviceCheckIn fails here until the consent text lists it."""
    german = visible_text((await api(service, "consent", "de"))[1]["html"])
    assert set(DeviceCheckIn.model_fields) == set(DEVICE_CHECK_PHRASES)
    stored = {c.name for c in DeviceCheck.__table__.columns} - {"id", "participant_id"}
    assert stored == set(DEVICE_CHECK_PHRASES) | {"ip_address", "checked_at"}
    consent_columns = {c.name for c in ConsentRecord.__table__.columns}
    assert consent_columns - {"id", "participant_id"} == {
        "consent_version",
        "privacy_version",
        "language",
        "accepted_at",
        "revoked_at",
    }
    for field, phrase in {**DEVICE_CHECK_PHRASES, **STORED_PHRASES}.items():
        assert phrase in german, f"{field}: „{phrase}“ fehlt in der Einwilligungserklärung"


async def test_consent_text_lists_what_is_stored_and_what_is_not(service: Service) -> None:
    german = visible_text((await api(service, "consent", "de"))[1]["html"])
    for phrase in (
        "Vor- und Nachname",
        "Kundennummer (nur für Kundinnen und Kunden relevant",
        "E-Mail-Adresse für die Einladungen",
        "Rolle im Gespräch",
        "weiterer Teilnehmerinnen und Teilnehmer",
        "sofern dies im Vorfeld mit Ihnen vereinbart wurde",
        "statistischen Auswertungen",
        "keinen Rückschluss auf Ihre Person",
        "kurzen Umfrage anhand von drei Fragen",
        "freiwillig, anonym",
        "Die Videokommunikation ist vertraulich und wird nicht aufgezeichnet.",
        "90 Tage nach Ihrem Termin automatisch gelöscht",
        "jederzeit mit Wirkung für die Zukunft widerrufen",
        "„Einwilligung widerrufen“",
        "werden sofort gelöscht",
        "Weitere Daten werden nicht gespeichert.",
    ):
        assert phrase in german, phrase


# --- markup rules -------------------------------------------------------------------------------


def test_no_fragment_has_script_style_or_handlers() -> None:
    files = sorted(BUNDLED.glob("*/*.html"))
    assert len(files) == len(PAIRS)
    for path in files:
        raw = path.read_text(encoding="utf-8").lower()
        for bad in ("<script", "<style", "style=", "javascript:", "<iframe", "<img", "<h1"):
            assert bad not in raw, f"{path}: {bad}"
        assert not re.search(r"\son[a-z]+\s*=", raw), path


async def test_every_rendered_fragment_passes_the_markup_check(service: Service) -> None:
    for doc, lang in PAIRS:
        html = (await api(service, doc, lang))[1]["html"]
        assert check_fragment(html) == [], (doc, lang)
        for target in re.findall(r'href="/legal/([a-z-]+)\?lang=([a-z]+)"', html):
            assert target == (target[0], lang), (doc, lang, target)
            assert target[0] in LEGAL_DOCUMENTS


@pytest.mark.parametrize(
    ("fragment", "problem"),
    [
        ("<p>Hallo</p><script>alert(1)</script>", "<script>"),
        ("<style>p{}</style><p>x</p>", "<style>"),
        ('<p style="color:red">x</p>', "„style“"),
        ('<p onclick="x()">x</p>', "„onclick“"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:alert(1)"),
        ('<a href=" java\tscript:alert(1)">x</a>', "nicht erlaubt"),
        ('<a href="data:text/html,hi">x</a>', "data:text/html"),
        ('<img src="https://example.org/x.png" alt="">', "<img>"),
        ('<iframe src="/"></iframe>', "<iframe>"),
        ("<h1>Titel</h1>", "<h1>"),
        ("  ", "leer"),
    ],
)
def test_markup_check_refuses(fragment: str, problem: str) -> None:
    problems = check_fragment(fragment)
    assert problems and problem in "; ".join(problems)


def test_markup_check_allows_the_documented_elements() -> None:
    fragment = (
        '<h2>A</h2><h3>B</h3><p>x <strong>y</strong> <em>z</em><br><span lang="de">d</span></p>'
        '<ul><li><a href="/legal/consent?lang=de" hreflang="de">k</a></li></ul>'
        '<ol><li><a href="https://example.org/">e</a> <a href="mailto:a@b.de">m</a></li></ol>'
    )
    assert check_fragment(fragment) == []


# --- the agency's own folder ----------------------------------------------------------------


async def test_custom_legal_dir_replaces_the_bundled_texts(
    make_service: MakeService, tmp_path: Path
) -> None:
    folder = copy_bundled(tmp_path)
    (folder / "de" / "consent.html").write_text(
        "<h2>Eigene Fassung</h2><p>{{ organisation }} speichert nach "
        "{{ retention_days }} Tagen nichts mehr.</p>",
        encoding="utf-8",
    )
    shutil.rmtree(folder / "tr")
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for entry in data["documents"]:
        if entry["id"] == "consent":
            entry["version"] = "2027-01-1"
    data["consent"] = "2027-01-1"
    (folder / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    service = await make_service(service={"legal_dir": folder, "organisation": "Amt X"})
    status, body = await api(service, "consent")
    assert status == 200
    assert body["version"] == "2027-01-1"
    assert (
        body["html"] == "<h2>Eigene Fassung</h2><p>Amt X speichert nach 90 Tagen nichts mehr.</p>"
    )
    # No Turkish folder: the German text, not marked as a translation, and no Turkish switch.
    status, body = await api(service, "privacy", "tr")
    assert (body["lang"], body["is_translation"]) == ("de", False)
    status, html, _ = await page(service, "privacy", "tr")
    assert '<html lang="de" dir="ltr">' in html
    assert "?lang=tr" not in html
    # Texts that still exist are unchanged.
    assert (await api(service, "rights", "en"))[1]["lang"] == "en"


async def test_custom_consent_version_is_the_one_citizens_accept(
    make_service: MakeService, tmp_path: Path
) -> None:
    folder = copy_bundled(tmp_path)
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for entry in data["documents"]:
        if entry["id"] == "consent":
            entry["version"] = "2027-01-1"
    data["consent"] = "2027-01-1"
    (folder / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    custom = await make_service(service={"legal_dir": folder})
    advisor_token = await custom.signed_in("beraterin")
    appt = await custom.create(advisor_token)
    link_token = appt["participants"][0]["link"].rsplit("/", 1)[1]
    view = (await custom.call("GET", f"/api/citizen/{link_token}"))[1]
    assert view["consent"]["consent_version"] == "2027-01-1"


def _break_missing_german(folder: Path) -> None:
    (folder / "de" / "privacy.html").unlink()


def _break_json(folder: Path) -> None:
    (folder / "manifest.json").write_text('{"consent": "1",', encoding="utf-8")


def _break_version_mismatch(folder: Path) -> None:
    edit_manifest(folder, consent="2099-1")


def _break_missing_document(folder: Path) -> None:
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    edit_manifest(folder, documents=[d for d in data["documents"] if d["id"] != "imprint"])


def _break_notice(folder: Path) -> None:
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    del data["languages"]["tr"]["labels"]["translation_notice"]
    edit_manifest(folder, languages=data["languages"])


def _break_placeholder(folder: Path) -> None:
    (folder / "en" / "rights.html").write_text("<p>{{ organization }}</p>", encoding="utf-8")


def _break_syntax(folder: Path) -> None:
    (folder / "uk" / "consent.html").write_text("<p>{% if x %}</p>", encoding="utf-8")


def _break_script(folder: Path) -> None:
    (folder / "de" / "imprint.html").write_text("<p>x</p><script>1</script>", encoding="utf-8")


def _break_sandbox(folder: Path) -> None:
    (folder / "de" / "rights.html").write_text(
        "<p>{{ organisation.__class__.__mro__ }}</p>", encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (_break_missing_german, r"de/privacy\.html fehlt: Jeder Text muss in der verbindlichen"),
        (_break_json, r"manifest\.json ist kein gültiges JSON \(Zeile 1\)"),
        (_break_version_mismatch, r"„consent“ \('2099-1'\) muss gleich der Version"),
        (_break_missing_document, r"Unter „documents“ fehlt imprint"),
        (_break_notice, r"Sprache „tr“: In „labels“ fehlt translation_notice"),
        (_break_placeholder, r"en/rights\.html: unbekannter Platzhalter"),
        (_break_syntax, r"uk/consent\.html, Zeile 1: Fehler in der Vorlage"),
        (_break_script, r"de/imprint\.html: das Element <script> ist nicht erlaubt"),
        (_break_sandbox, r"de/rights\.html: nicht erlaubter Ausdruck"),
    ],
)
def test_broken_legal_dir_is_refused_in_german(tmp_path: Path, breakage: Any, message: str) -> None:
    folder = copy_bundled(tmp_path)
    breakage(folder)
    with pytest.raises(LegalTextError, match=message):
        LegalTexts.load(folder, ServiceSettings(legal_dir=folder))


async def test_broken_legal_dir_stops_the_service_at_start(tmp_path: Path) -> None:
    folder = copy_bundled(tmp_path)
    _break_missing_german(folder)
    settings = Settings(service={"data_dir": tmp_path / "data", "port": 0, "legal_dir": folder})
    with pytest.raises(StartupError) as info:
        await run(settings)
    assert str(info.value).startswith("Der Dienst konnte nicht starten: ")
    assert "privacy.html fehlt" in str(info.value)

    missing = Settings(
        service={"data_dir": tmp_path / "data", "port": 0, "legal_dir": tmp_path / "nope"}
    )
    with pytest.raises(StartupError, match=r"Der Ordner für die Rechtstexte .* existiert nicht"):
        await run(missing)


async def test_the_survey_and_the_kept_statistics_are_what_the_texts_promise(
    service: Service,
) -> None:
    """Three questions, anonymous, kept after the purge: a new question or a column that could
    point to a person or a moment fails here until the texts say so."""
    consent = visible_text((await api(service, "consent", "de"))[1]["html"])
    privacy = visible_text((await api(service, "privacy", "de"))[1]["html"])
    assert set(SurveyIn.model_fields) == {"ticket", "satisfaction", "av_quality", "use_again"}
    assert "kurzen Umfrage anhand von drei Fragen" in consent
    assert "freiwillig, anonym" in consent
    assert "keinen Bezug auf das Gespräch und Ihre Person" in consent
    assert {c.name for c in StatTally.__table__.columns} == {
        "iso_week",
        "month",
        "metric",
        "count",
        "total",
    }
    assert "Umfrageergebnisse lassen keinen Bezug zu Ihrer Person zu und werden nicht gelöscht" in (
        privacy
    )
