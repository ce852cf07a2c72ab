"""Before signing in: is the configured service there, trusted, and really our service?

Used at console start (a dialog with what to tell IT) and by ``self-test --server-url``. Every
problem has a German sentence for the advisor and details for IT (address, where the setting
comes from, the exact error), never a stack trace.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
from pydantic import ValidationError

from advisor_app.core.protocol import ServiceInfo

TIMEOUT = aiohttp.ClientTimeout(total=10, connect=6)


class ProblemKind(StrEnum):
    BAD_URL = "bad_url"
    CA_BUNDLE = "ca_bundle"
    UNTRUSTED = "untrusted"
    UNREACHABLE = "unreachable"
    NOT_SERVICE = "not_service"


@dataclass(frozen=True, slots=True)
class ServerProblem:
    kind: ProblemKind
    #: One German sentence for the advisor.
    message: str
    #: What IT needs to know: the address, the setting, the error.
    for_it: str


def _it(url: str, detail: str) -> str:
    return (
        f"Serveradresse (SERVER_URL / console.server_url): {url}\n"
        f"Fehler: {detail}\n"
        "Prüfen: Adresse, Netzwerk/Proxy/Firewall (Port 443), Zertifikat und CA_BUNDLE."
    )


def url_problem(url: str) -> ServerProblem | None:
    """A malformed address (no scheme, no host, spaces) as a problem."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
        return ServerProblem(
            ProblemKind.BAD_URL,
            "Die eingestellte Serveradresse ist ungültig.",
            _it(url, "erwartet wird z. B. https://videotermin.example.de"),
        )
    return None


def _ssl_context(url: str, ca_bundle: Path | None) -> ssl.SSLContext | ServerProblem:
    ctx = ssl.create_default_context()
    if ca_bundle is not None:
        try:
            ctx.load_verify_locations(cafile=str(ca_bundle))
        except (OSError, ssl.SSLError) as exc:
            return ServerProblem(
                ProblemKind.CA_BUNDLE,
                "Die eingestellte Zertifikatsdatei der Dienststelle ist nicht verwendbar.",
                _it(url, f"CA_BUNDLE / console.ca_bundle {ca_bundle}: {exc}"),
            )
    return ctx


async def check_server(url: str, ca_bundle: Path | None = None) -> ServerProblem | None:
    """None when ``url`` answers ``/api/info`` like our service over a verified connection."""
    problem = url_problem(url)
    if problem is not None:
        return problem
    ctx = _ssl_context(url, ca_bundle)
    if isinstance(ctx, ServerProblem):
        return ctx
    try:
        async with (
            aiohttp.ClientSession(
                timeout=TIMEOUT, connector=aiohttp.TCPConnector(ssl=ctx)
            ) as session,
            session.get(f"{url.rstrip('/')}/api/info") as resp,
        ):
            status = resp.status
            raw = await resp.read()
    except aiohttp.ClientConnectorCertificateError as exc:
        return ServerProblem(
            ProblemKind.UNTRUSTED,
            "Das Zertifikat des Servers wird nicht anerkannt; die Verbindung wurde nicht "
            "aufgebaut.",
            _it(url, f"Zertifikat nicht vertrauenswürdig: {exc.certificate_error}"),
        )
    except aiohttp.ClientSSLError as exc:
        return ServerProblem(
            ProblemKind.UNTRUSTED,
            "Die sichere Verbindung zum Server ist fehlgeschlagen.",
            _it(url, f"TLS: {exc}"),
        )
    except aiohttp.ClientConnectorDNSError as exc:
        return ServerProblem(
            ProblemKind.UNREACHABLE,
            "Der Servername ist unbekannt; vermutlich ist die Serveradresse falsch eingestellt.",
            _it(url, f"Name nicht auflösbar: {exc.os_error}"),
        )
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        return ServerProblem(
            ProblemKind.UNREACHABLE,
            "Der Termindienst ist nicht erreichbar.",
            _it(url, f"keine Verbindung: {exc or type(exc).__name__}"),
        )
    if status != 200:
        detail = f"HTTP {status}"
    else:
        try:
            ServiceInfo.model_validate_json(raw)
        except ValidationError:
            detail = "die Antwort ist keine Information eines Termindienstes"
        else:
            return None
    return ServerProblem(
        ProblemKind.NOT_SERVICE,
        "Unter der eingestellten Serveradresse antwortet kein Termindienst.",
        _it(url, f"{url.rstrip('/')}/api/info: {detail}"),
    )
