"""The citizen web app's files as the service delivers them: catalogs, modules, headers.

The browser tests (tests/e2e) drive the app; these checks need no browser and catch what a
browser test would only show as a missing text or a refused script.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from advisor_app.paths import resources_dir
from tests.helpers.service import Service

pytestmark = pytest.mark.service

WEB = resources_dir() / "web"
STATIC = WEB / "static"
LANGUAGES = ("de", "en", "tr", "uk", "ar")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
#: Ways to turn a string into markup or code; the app has no business with any of them.
BANNED_JS = (".innerHTML", ".outerHTML", ".insertAdjacentHTML", "document.write", "eval(")


def catalog(lang: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((STATIC / "i18n" / f"{lang}.json").read_text("utf-8"))
    return data


def scripts() -> dict[Path, str]:
    return {path: path.read_text("utf-8") for path in sorted((STATIC / "js").rglob("*.js"))}


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_catalogs_have_the_same_keys_and_placeholders(lang: str) -> None:
    source, other = catalog("de"), catalog(lang)
    assert sorted(other) == sorted(source)
    for key, text in source.items():
        assert other[key].strip(), f"{lang}: {key} is empty"
        assert set(PLACEHOLDER.findall(other[key])) == set(PLACEHOLDER.findall(text)), (
            f"{lang}: {key} has other placeholders than German"
        )


@pytest.mark.parametrize("lang", ["tr", "uk", "ar"])
def test_further_languages_are_translated_not_copied(lang: str) -> None:
    source, english, other = catalog("de"), catalog("en"), catalog(lang)
    copied = [k for k in source if other[k] in (source[k], english[k]) and len(source[k]) > 12]
    assert not copied, f"{lang}: untranslated {copied}"
    if lang == "ar":
        arabic = re.compile(r"[\u0600-\u06ff]")
        assert all(arabic.search(v) for k, v in other.items() if len(source[k]) > 12)


def test_every_text_the_app_asks_for_exists() -> None:
    keys = set(catalog("de"))
    used: set[str] = set()
    for text in scripts().values():
        used |= set(re.findall(r"\bt\('([\w.]+)'", text))
    assert used, "no t('…') calls found"
    assert used <= keys, sorted(used - keys)
    # keys the modules build from parts
    families = {
        "legal": ["requirements", "consent", "rights", "privacy", "imprint", "accessibility"],
        "progress": ["start", "consent", "devices", "room"],
        "devices.status_": [
            "ok",
            "checking",
            "untested",
            "denied",
            "missing",
            "error",
            "slow",
            "other",
        ],
        "devices.verdict_": ["green", "yellow", "red", "pending"],
        "devices.device_": ["desktop", "tablet", "phone", "unknown"],
        "advice.camera_": ["denied", "missing", "error"],
        "advice.mic_": ["denied", "missing", "error"],
    }
    for prefix, names in families.items():
        for name in names:
            key = f"{prefix}.{name}" if not prefix.endswith("_") else prefix + name
            assert key in keys, key
    for ending in ("revoked", "closed", "expired", "cancelled", "unknown", "failed"):
        assert f"{ending}.title" in keys
    verdict = (STATIC / "js" / "verdict.js").read_text("utf-8")
    assert set(re.findall(r"'(advice\.\w+[a-z])'", verdict)) <= keys


def test_the_app_never_builds_markup_from_strings() -> None:
    """Names and notes go in as text; only the legal texts are parsed, in an inert document."""
    for path, text in scripts().items():
        for banned in BANNED_JS:
            assert banned not in text, f"{path.name} uses {banned}"
        assert "new Function" not in text
        assert ".setAttribute('style'" not in text  # the CSP forbids inline styles


def test_no_third_party_hosts_in_the_web_app() -> None:
    svg_namespace = "http://www.w3.org/2000/svg"
    for path in sorted(WEB.rglob("*")):
        if path.suffix not in (".js", ".css", ".j2", ".json", ".html"):
            continue
        text = path.read_text("utf-8").replace(svg_namespace, "")
        assert not re.search(r"(?:https?:)?//[\w-]+\.[\w.-]+", text.replace("://", "")), path
        assert "http://" not in text and "https://" not in text, path
        if path.suffix == ".j2":
            assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"inline script in {path}"
            assert not re.search(r"\sstyle=", text), f"style attribute in {path}"
            assert not re.search(r"\son\w+=", text), f"event handler attribute in {path}"


async def test_modules_and_catalogs_are_served_with_the_right_types(service: Service) -> None:
    javascript = ("text/javascript", "application/javascript")  # both load as modules
    for path, kinds in (
        ("/static/js/app.js", javascript),
        ("/static/js/views/devices.js", javascript),
        ("/static/i18n/ar.json", ("application/json",)),
        ("/static/citizen.css", ("text/css",)),
    ):
        async with service.client.get(path) as resp:
            assert resp.status == 200, path
            assert resp.content_type in kinds, path
            assert resp.headers["X-Content-Type-Options"] == "nosniff"
            assert resp.headers["Cache-Control"] == "no-cache"


async def test_start_page_loads_the_app_as_a_module_under_the_strict_csp(
    service: Service, token: str
) -> None:
    appt = await service.create(token)
    path = "/j/" + appt["participants"][0]["link"].rsplit("/", 1)[1]
    async with service.client.get(path) as resp:
        html = await resp.text()
        csp = resp.headers["Content-Security-Policy"]
    assert '<script type="module" src="/static/js/app.js"></script>' in html
    assert "script-src 'self';" in csp and "connect-src 'self'" in csp
    assert "unsafe" not in csp
    assert 'id="app"' in html and 'id="connection"' in html
    assert "<noscript>" in html  # without JavaScript the page says so, in German and English


async def test_no_device_check_is_stored_before_the_consent(service: Service, token: str) -> None:
    appt = await service.create(token)
    link = appt["participants"][0]["link"].rsplit("/", 1)[1]
    check = {"browser": "Chrome 156", "os": "Linux", "device_type": "desktop", "verdict": "green"}
    status, body = await service.call("POST", f"/api/citizen/{link}/device-check", json=check)
    assert status == 409 and body["error"] == "consent_required"
    _, view = await service.call("GET", f"/api/citizen/{link}")
    consent = {
        "consent_version": view["consent"]["consent_version"],
        "privacy_version": view["consent"]["privacy_version"],
        "language": "de",
    }
    assert (await service.call("POST", f"/api/citizen/{link}/consent", json=consent))[0] == 200
    status, body = await service.call("POST", f"/api/citizen/{link}/device-check", json=check)
    assert status == 201, body
