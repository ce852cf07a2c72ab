"""TLS for ``serve`` without a reverse proxy: the certificate and key, checked at start."""

from __future__ import annotations

import logging
import ssl
import sys
from pathlib import Path

log = logging.getLogger(__name__)


class TlsError(Exception):
    """Certificate or key cannot be used; the message is German and names the file."""


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TlsError(f"Die {what} {path} ist nicht lesbar: {exc.strerror}") from exc


def server_context(cert: Path | None, key: Path | None) -> ssl.SSLContext | None:
    """An SSL context for the listening socket, or None without TLS settings."""
    if cert is None and key is None:
        return None
    if cert is None or key is None:
        raise TlsError(
            "Für TLS werden Zertifikat und Schlüssel gebraucht (--tls-cert und --tls-key, "
            "oder service.tls_cert und service.tls_key)."
        )
    cert_pem = _read(cert, "Zertifikatsdatei")
    key_pem = _read(key, "Schlüsseldatei")
    if b"-----BEGIN" not in cert_pem or b"CERTIFICATE-----" not in cert_pem:
        raise TlsError(f"Die Zertifikatsdatei {cert} enthält kein PEM-Zertifikat.")
    if b"ENCRYPTED" in key_pem:
        raise TlsError(
            f"Der Schlüssel {key} ist mit einem Passwort geschützt. Der Dienst braucht ihn "
            "ohne Passwort; schützen Sie ihn stattdessen mit Dateirechten (nur das Dienstkonto)."
        )
    if b"PRIVATE KEY-----" not in key_pem:
        raise TlsError(f"Die Schlüsseldatei {key} enthält keinen privaten PEM-Schlüssel.")
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        # A password callback that never prompts: an encrypted key fails instead of waiting.
        ctx.load_cert_chain(str(cert), str(key), password=lambda: b"")
    except ssl.SSLError as exc:
        if "KEY_VALUES_MISMATCH" in str(exc) or "key values mismatch" in str(exc):
            raise TlsError(f"Zertifikat {cert} und Schlüssel {key} passen nicht zusammen.") from exc
        raise TlsError(
            f"Zertifikat {cert} oder Schlüssel {key} sind nicht verwendbar: {exc.reason or exc}"
        ) from exc
    if sys.platform != "win32" and key.stat().st_mode & 0o077:
        log.warning("TLS key %s is readable by other users; chmod 600 it", key)
    log.info("TLS enabled with certificate %s", cert)
    return ctx
