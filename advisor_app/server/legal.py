"""Legal texts for citizens: requirements, consent, rights, privacy notice and imprint.

The texts are HTML fragments in ``<folder>/<lang>/<doc>.html`` next to a ``manifest.json`` that
gives every text its version and its titles. The folder is the bundled ``resources/legal`` or the
agency's own (setting ``service.legal_dir``). At service start everything is checked and rendered
once with the agency's settings filled in; a broken folder stops the start with a German message.
Only the binding language (German) must be complete; a missing translation falls back to it.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from aiohttp import web
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from advisor_app.config import ConfigError, ServiceSettings
from advisor_app.core.netcheck import NETWORK_LIMITS
from advisor_app.core.protocol import LEGAL_DOCUMENTS, LegalText
from advisor_app.paths import resources_dir
from advisor_app.server import keys
from advisor_app.server.accessibility import feedback_context
from advisor_app.server.citizen import error_page, render
from advisor_app.server.errors import ApiError, json_response

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
#: Page labels every language needs; translations also need the notice and its link text.
LABELS = ("version", "languages", "documents")
TRANSLATION_LABELS = ("translation_notice", "original_link")
#: Values of the service settings a text may use, e.g. ``{{ retention_days }}``.
SETTING_PLACEHOLDERS = (
    "organisation",
    "organisation_set",
    "retention_days",
    "support_phone",
    "support_hours",
    "accessibility_email",
    "review_date",
    "sign_language_video",
)
#: The date of the product's own accessibility review the bundled statement was written on;
#: the agency's own review goes into ``service.accessibility_reviewed``.
BUNDLED_REVIEW = date(2026, 12, 7)
#: What ``{{ organisation }}`` reads while the agency has not set its name: a neutral phrase,
#: never the default "Videoberatung". The bundled German texts phrase each case themselves.
NEUTRAL_ORGANISATION = {
    "de": "die einladende Stelle",
    "en": "the agency that invited you",
    "tr": "sizi davet eden kurum",
    "uk": "установа, що вас запросила",
    "ar": "الجهة التي دعتك",
}

_LANG_CODE = re.compile(r"^[a-z]{2,3}$")
_DOC_ID = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
# Consent records keep the version in a column of 32 characters.
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$")
#: Agency values still to be filled in, e.g. ``[[Straße und Hausnummer]]`` in the imprint.
_TO_FILL = re.compile(r"\[\[[^\]]+\]\]")
_DECIMAL_POINT = frozenset({"en", "ar"})

_TAGS = frozenset(
    {"h2", "h3", "h4", "p", "ul", "ol", "li", "a", "strong", "em", "br", "abbr", "span"}
)
_ATTRS_ANY = frozenset({"lang", "dir"})
_ATTRS = {"a": frozenset({"href", "hreflang"}), "abbr": frozenset({"title"})}
_URL_SCHEMES = frozenset({"", "http", "https", "mailto", "tel"})
_URL_IGNORED = re.compile(r"[\x00-\x20]")  # browsers drop these, so "java\tscript:" is a scheme


class LegalTextError(ConfigError):
    """The legal folder cannot be used; the message is German and names the file."""


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    #: The language's own name, e.g. "Türkçe".
    name: str
    dir: str
    labels: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Manifest:
    binding_lang: str
    #: In the manifest's order; the binding language is among them.
    languages: Mapping[str, Language]
    #: Document id → version, in the manifest's order.
    versions: Mapping[str, str]
    #: Document id → language → title.
    titles: Mapping[str, Mapping[str, str]]


def legal_folder(settings: ServiceSettings) -> Path:
    """The agency's folder (``service.legal_dir``) or the bundled texts."""
    return settings.legal_dir or resources_dir() / "legal"


# --- reading and checking ---------------------------------------------------------------------


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise LegalTextError(f"{path} fehlt.") from exc
    except OSError as exc:
        raise LegalTextError(f"{path} ist nicht lesbar: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise LegalTextError(f"{path} ist nicht in UTF-8 gespeichert.") from exc
    except json.JSONDecodeError as exc:
        raise LegalTextError(f"{path} ist kein gültiges JSON (Zeile {exc.lineno}).") from exc
    if not isinstance(data, dict):
        raise LegalTextError(f"{path} muss ein JSON-Objekt enthalten.")
    return data


def _language(path: Path, code: Any, entry: Any, binding: str) -> Language:
    where = f"{path}, Sprache „{code}“"
    if not isinstance(code, str) or not _LANG_CODE.match(code):
        raise LegalTextError(f"{where}: Sprachkürzel wie „de“ oder „tr“ erwartet.")
    if not isinstance(entry, dict):
        raise LegalTextError(f"{where}: ein Objekt mit „name“, „dir“ und „labels“ erwartet.")
    name = _text(entry.get("name"))
    if name is None:
        raise LegalTextError(f"{where}: „name“ fehlt.")
    direction = entry.get("dir", "ltr")
    if direction not in ("ltr", "rtl"):
        raise LegalTextError(f"{where}: „dir“ muss „ltr“ oder „rtl“ sein.")
    labels = entry.get("labels")
    needed = LABELS if code == binding else LABELS + TRANSLATION_LABELS
    if not isinstance(labels, dict):
        raise LegalTextError(f"{where}: „labels“ fehlt ({', '.join(needed)}).")
    missing = [key for key in needed if _text(labels.get(key)) is None]
    if missing:
        raise LegalTextError(f"{where}: In „labels“ fehlt {', '.join(missing)}.")
    return Language(code, name, direction, {k: str(v).strip() for k, v in labels.items()})


def read_manifest(folder: Path) -> Manifest:
    """Read and check ``manifest.json``; every problem is a :class:`LegalTextError`."""
    path = folder / MANIFEST
    data = _read_json(path)
    binding = data.get("binding_language")
    raw_langs = data.get("languages")
    if not isinstance(binding, str) or not isinstance(raw_langs, dict) or binding not in raw_langs:
        raise LegalTextError(
            f"{path}: „binding_language“ muss eine der Sprachen unter „languages“ sein."
        )
    languages = {code: _language(path, code, entry, binding) for code, entry in raw_langs.items()}
    raw_docs = data.get("documents")
    if not isinstance(raw_docs, list) or not raw_docs:
        raise LegalTextError(f"{path}: Die Liste „documents“ fehlt.")
    versions: dict[str, str] = {}
    titles: dict[str, dict[str, str]] = {}
    for entry in raw_docs:
        doc = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(doc, str) or not _DOC_ID.match(doc) or doc in versions:
            raise LegalTextError(
                f"{path}: Jeder Eintrag unter „documents“ braucht eine eigene „id“ aus "
                f"Kleinbuchstaben (z. B. „consent“); fehlerhaft: {entry!r:.80}"
            )
        assert isinstance(entry, dict)
        version = entry.get("version")
        if not isinstance(version, str) or not _VERSION.match(version):
            raise LegalTextError(
                f"{path}, „{doc}“: „version“ fehlt oder ist ungültig (bis 32 Zeichen: "
                f"Buchstaben, Ziffern, Punkt, Binde- und Unterstrich)."
            )
        title = entry.get("title")
        if not isinstance(title, dict) or _text(title.get(binding)) is None:
            raise LegalTextError(f"{path}, „{doc}“: „title“ braucht einen Titel für „{binding}“.")
        versions[doc] = version
        titles[doc] = {k: str(v).strip() for k, v in title.items() if k in languages and _text(v)}
    missing = [doc for doc in LEGAL_DOCUMENTS if doc not in versions]
    if missing:
        raise LegalTextError(f"{path}: Unter „documents“ fehlt {', '.join(missing)}.")
    # The consent records compare these two keys; they must agree with the documents.
    for doc in ("consent", "privacy"):
        if data.get(doc) != versions[doc]:
            raise LegalTextError(
                f"{path}: „{doc}“ ({data.get(doc)!r}) muss gleich der Version unter "
                f"„documents“ sein ({versions[doc]!r})."
            )
    return Manifest(binding, languages, versions, titles)


class _FragmentCheck(HTMLParser):
    """Collects what a legal fragment must not contain: other elements, scripts, odd links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TAGS:
            self.problems.append(f"das Element <{tag}> ist nicht erlaubt")
            return
        for name, value in attrs:
            if name not in _ATTRS_ANY and name not in _ATTRS.get(tag, ()):
                self.problems.append(f"das Attribut „{name}“ an <{tag}> ist nicht erlaubt")
            elif name == "href":
                scheme = urlsplit(_URL_IGNORED.sub("", value or "")).scheme.lower()
                if scheme not in _URL_SCHEMES:
                    self.problems.append(f"der Link „{value}“ ist nicht erlaubt")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"<!{decl}> ist nicht erlaubt")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"<?{data}> ist nicht erlaubt")


def check_fragment(html: str) -> list[str]:
    """Problems of one rendered fragment, in German; empty when it may be shown."""
    checker = _FragmentCheck()
    checker.feed(html)
    checker.close()
    if not html.strip():
        checker.problems.append("der Text ist leer")
    return checker.problems


# --- rendering --------------------------------------------------------------------------------


@jinja2.pass_context
def _mbit(context: jinja2.runtime.Context, kbps: int) -> str:
    """``1500`` → ``1,5`` (``1.5`` in English): a rate in Mbit/s as the reader writes numbers."""
    text = f"{kbps / 1000:g}"
    return text if context.get("lang") in _DECIMAL_POINT else text.replace(".", ",")


def _environment(folder: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(folder),
        # The fragments are the agency's trusted markup; only substituted values are escaped.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["mbit"] = _mbit
    return env


def _render(env: SandboxedEnvironment, folder: Path, name: str, context: Mapping[str, Any]) -> str:
    path = folder / name
    try:
        html = env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise LegalTextError(
            f"{path}, Zeile {exc.lineno}: Fehler in der Vorlage ({exc.message})"
        ) from exc
    except jinja2.UndefinedError as exc:
        raise LegalTextError(
            f"{path}: unbekannter Platzhalter ({exc.message}). Erlaubt sind "
            f"{', '.join(SETTING_PLACEHOLDERS)} und die Werte der Geräteüberprüfung."
        ) from exc
    except jinja2.exceptions.SecurityError as exc:
        raise LegalTextError(f"{path}: nicht erlaubter Ausdruck ({exc}).") from exc
    except UnicodeDecodeError as exc:
        raise LegalTextError(f"{path} ist nicht in UTF-8 gespeichert.") from exc
    except (OSError, jinja2.TemplateError) as exc:
        raise LegalTextError(f"{path} kann nicht gelesen werden: {exc}") from exc
    problems = check_fragment(html)
    if problems:
        raise LegalTextError(f"{path}: {'; '.join(problems)}.")
    return html.strip()


def review_date(settings: ServiceSettings, lang: str) -> str:
    """The statement's review date as the reader writes dates (``07.12.2026``)."""
    day = settings.accessibility_reviewed or BUNDLED_REVIEW
    return day.isoformat() if lang in ("en", "ar") else day.strftime("%d.%m.%Y")


def text_settings(settings: ServiceSettings, lang: str) -> dict[str, Any]:
    """The settings a text may use; what is unset is empty (a text leaves its sentence out)."""
    name = settings.organisation_name
    return {
        "organisation": name or NEUTRAL_ORGANISATION.get(lang, NEUTRAL_ORGANISATION["de"]),
        "organisation_set": name is not None,
        "retention_days": settings.retention_days,
        "support_phone": settings.support_phone.strip(),
        "support_hours": settings.support_hours.strip(),
        "accessibility_email": settings.accessibility_email.strip(),
        "review_date": review_date(settings, lang),
        "sign_language_video": settings.sign_language_video is not None,
    }


class LegalTexts:
    """Every legal text in every language it exists in, rendered once with the settings."""

    def __init__(self, manifest: Manifest, texts: Mapping[tuple[str, str], LegalText]) -> None:
        self.manifest = manifest
        self._texts = dict(texts)

    @classmethod
    def load(cls, folder: Path, settings: ServiceSettings) -> LegalTexts:
        """Check ``folder`` and render its texts; raises :class:`LegalTextError`."""
        if not folder.is_dir():
            raise LegalTextError(
                f"Der Ordner für die Rechtstexte {folder} (Einstellung service.legal_dir) "
                f"existiert nicht."
            )
        manifest = read_manifest(folder)
        env = _environment(folder)
        binding = manifest.binding_lang
        texts: dict[tuple[str, str], LegalText] = {}
        for doc, version in manifest.versions.items():
            for lang in manifest.languages:
                name = f"{lang}/{doc}.html"
                if not (folder / name).is_file():
                    if lang == binding:
                        raise LegalTextError(
                            f"{folder / name} fehlt: Jeder Text muss in der verbindlichen "
                            f"Sprache „{binding}“ vorliegen."
                        )
                    continue
                title = manifest.titles[doc].get(lang)
                if title is None:
                    raise LegalTextError(
                        f"{folder / MANIFEST}, „{doc}“: „title“ braucht einen Titel für „{lang}“, "
                        f"weil es {folder / name} gibt."
                    )
                context = {
                    **text_settings(settings, lang),
                    "lang": lang,
                    "version": version,
                    **NETWORK_LIMITS.as_dict(),
                }
                texts[doc, lang] = LegalText(
                    doc=doc,
                    lang=lang,
                    title=title,
                    html=_render(env, folder, name, context),
                    version=version,
                    binding_lang=binding,
                    is_translation=lang != binding,
                )
        _check_leftovers(folder, manifest, texts, settings)
        return cls(manifest, texts)

    def pick_lang(self, requested: str | None) -> str:
        """A known language for ``?lang=``: ``tr``, ``tr-TR``, ``TR`` → ``tr``; else binding."""
        code = (requested or "").strip().lower().replace("_", "-").split("-")[0]
        return code if code in self.manifest.languages else self.manifest.binding_lang

    def get(self, doc: str, lang: str) -> LegalText | None:
        """The text in ``lang``, else in the binding language; None for an unknown document."""
        if doc not in self.manifest.versions:
            return None
        return self._pick(doc, lang)

    def _pick(self, doc: str, lang: str) -> LegalText:
        return self._texts.get((doc, lang)) or self._texts[doc, self.manifest.binding_lang]

    def language(self, code: str) -> Language:
        return self.manifest.languages[code]

    def languages_of(self, doc: str) -> list[Language]:
        """The languages ``doc`` exists in, in the manifest's order."""
        return [
            lang for code, lang in self.manifest.languages.items() if (doc, code) in self._texts
        ]

    def documents(self, lang: str) -> list[tuple[str, str]]:
        """Every document as (id, title in ``lang`` or else the binding language)."""
        return [(doc, self._pick(doc, lang).title) for doc in self.manifest.versions]

    def version(self, doc: str) -> str:
        return self.manifest.versions[doc]


def _check_leftovers(
    folder: Path,
    manifest: Manifest,
    texts: Mapping[tuple[str, str], LegalText],
    settings: ServiceSettings,
) -> None:
    """Tell IT about what still needs their hand. A service that citizens on other machines
    reach does not start with ``[[…]]`` placeholders unless ``allow_placeholder_legal``."""
    unfilled = sorted(
        f"{lang}/{doc}.html" for (doc, lang), t in texts.items() if _TO_FILL.search(t.html)
    )
    if unfilled and settings.server_mode and not settings.allow_placeholder_legal:
        raise LegalTextError(
            f"Die Rechtstexte in {folder} enthalten noch Platzhalter in [[doppelten eckigen "
            f"Klammern]]: {', '.join(unfilled)}. Bitte tragen Sie die Angaben Ihrer Behörde "
            f"ein (oder geben Sie mit der Einstellung service.legal_dir einen eigenen Ordner "
            f"an). Für einen Probebetrieb startet der Dienst trotzdem mit "
            f"[service] allow_placeholder_legal = true "
            f"(ADVISOR_SERVICE__ALLOW_PLACEHOLDER_LEGAL=true)."
        )
    if unfilled:
        log.warning(
            "legal texts in %s still have [[…]] placeholders to fill in: %s",
            folder,
            ", ".join(unfilled),
        )
    for child in sorted(folder.iterdir()):
        if child.is_dir() and child.name not in manifest.languages:
            log.warning(
                "legal texts: folder %s is ignored, its language is not in %s", child, MANIFEST
            )


# --- routes -----------------------------------------------------------------------------------

LEGAL: web.AppKey[LegalTexts] = web.AppKey("legal")


async def load_texts(app: web.Application) -> None:
    """Start-up: load and check the legal texts (a broken one stops the service)."""
    settings = app[keys.SETTINGS].service
    folder = legal_folder(settings)
    app[LEGAL] = LegalTexts.load(folder, settings)
    log.info("legal texts loaded from %s", folder)


def _unknown_page(request: web.Request) -> web.Response:
    return error_page(
        request,
        404,
        "Diesen Hinweistext gibt es nicht",
        "Die technischen Voraussetzungen, die Einwilligungserklärung, Ihre Rechte, die "
        "Datenschutzhinweise und das Impressum finden Sie über die Links auf der Startseite "
        "Ihres Videotermins.",
        "There is no such text",
        "The technical requirements, the consent declaration, your rights, the privacy notice "
        "and the imprint are linked from the start page of your video appointment.",
    )


def render_legal(
    request: web.Request,
    doc: str,
    requested_lang: str,
    *,
    status: int = 200,
    feedback: dict[str, Any] | None = None,
) -> web.Response:
    """The text as a page; the accessibility statement with its form "Barriere melden"."""
    texts = request.app[LEGAL]
    text = texts.get(doc, texts.pick_lang(requested_lang))
    if text is None:
        return _unknown_page(request)
    lang = texts.language(text.lang)
    if feedback is None and text.doc == "accessibility":
        feedback = feedback_context(text.lang, sent=request.query.get("sent") == "1")
    resp = render(
        request,
        "legal.html.j2",
        status,
        page_lang=text.lang,
        page_dir=lang.dir,
        text=text,
        body=Markup(text.html),  # noqa: S704 - trusted agency markup, checked at start
        labels=lang.labels,
        languages=texts.languages_of(text.doc),
        documents=texts.documents(text.lang),
        feedback=feedback,
    )
    resp.headers["Content-Language"] = text.lang
    return resp


async def legal_page(request: web.Request) -> web.Response:
    """``GET /legal/<doc>?lang=xx``: the text as a page, translations marked as such."""
    return render_legal(request, request.match_info["doc"], request.query.get("lang") or "")


async def legal_api(request: web.Request) -> web.Response:
    """``GET /api/legal/<doc>?lang=xx``: the same text as :class:`LegalText` JSON."""
    texts = request.app[LEGAL]
    text = texts.get(request.match_info["doc"], texts.pick_lang(request.query.get("lang")))
    if text is None:
        raise ApiError(404, "unknown_document", field="doc")
    resp = json_response(text)
    resp.headers["Content-Language"] = text.lang
    return resp


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/legal/{doc}", legal_page)
    app.router.add_get("/api/legal/{doc}", legal_api)
