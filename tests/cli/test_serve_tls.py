"""``serve`` with its own TLS certificate, as a site without a reverse proxy runs it."""

from __future__ import annotations

import json
import re
import ssl
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers.certs import encrypted_key, make_certs
from tests.helpers.processes import Serve

pytestmark = pytest.mark.integration


def serve_args(tmp_path: Path, cert: Path | None, key: Path | None) -> list[str]:
    args = ["serve", "--port", "0", "--data-dir", str(tmp_path / "daten")]
    if cert is not None:
        args += ["--tls-cert", str(cert)]
    if key is not None:
        args += ["--tls-key", str(key)]
    return args


def test_serve_with_tls_answers_over_https_only_with_a_trusted_certificate(
    tmp_path: Path,
) -> None:
    certs = make_certs(tmp_path / "tls")
    with Serve(serve_args(tmp_path, certs.cert, certs.key), cwd=tmp_path) as serve:
        url = serve.wait_ready()
        assert re.fullmatch(r"https://127\.0\.0\.1:\d+", url)
        trusting = ssl.create_default_context(cafile=str(certs.ca))
        with urllib.request.urlopen(f"{url}/healthz", context=trusting, timeout=10) as resp:  # noqa: S310
            assert resp.status == 200
            assert json.loads(resp.read())["status"] == "ok"
        # A client without the agency's CA refuses the certificate.
        with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
            urllib.request.urlopen(f"{url}/healthz", timeout=10)  # noqa: S310 - https on loopback
        # ... and plain http on the TLS port gets no answer.
        plain = url.replace("https://", "http://")
        with pytest.raises((urllib.error.URLError, ConnectionError)):
            urllib.request.urlopen(f"{plain}/healthz", timeout=10)  # noqa: S310 - loopback
        finished = serve.stop()
    assert finished.returncode == 0, finished.stderr
    assert "Traceback" not in finished.stderr


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("mismatch", "passen nicht zusammen"),
        ("missing_key", "Zertifikat und Schlüssel gebraucht"),
        ("unreadable", "ist nicht lesbar"),
        ("encrypted", "mit einem Passwort geschützt"),
        ("not_pem", "enthält kein PEM-Zertifikat"),
    ],
)
def test_unusable_certificate_or_key_stops_the_start_in_german(
    tmp_path: Path, case: str, message: str
) -> None:
    certs = make_certs(tmp_path / "tls")
    cert: Path | None = certs.cert
    key: Path | None = certs.key
    if case == "mismatch":
        key = certs.other_key
    elif case == "missing_key":
        key = None
    elif case == "unreadable":
        key = tmp_path / "tls" / "gibt-es-nicht.key"
    elif case == "encrypted":
        key = encrypted_key(tmp_path / "tls")
    elif case == "not_pem":
        cert = certs.key
    with Serve(serve_args(tmp_path, cert, key), cwd=tmp_path) as serve:
        finished = serve.finish()
    assert finished.returncode == 3
    assert message in finished.stderr
    assert finished.stderr.startswith("Fehler: ")
    assert "Traceback" not in finished.stderr
