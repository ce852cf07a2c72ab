"""``self-test`` names the failing part of the set-up: configuration, data folder, service."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor_app.logfile import console_log_path
from advisor_app.selftest import Check
from advisor_app.selftest_setup import check_log_file, setup_checks
from tests.helpers.certs import Certs, make_certs
from tests.helpers.processes import Serve, child_env, run

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return make_certs(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def tls_url(tmp_path_factory: pytest.TempPathFactory, certs: Certs) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("serve")
    args = ["serve", "--port", "0", "--data-dir", str(tmp / "d")]
    with Serve([*args, "--tls-cert", str(certs.cert), "--tls-key", str(certs.key)], cwd=tmp) as s:
        yield s.wait_ready()
        s.stop()


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "extra.toml"
    path.write_text(text, encoding="utf-8")
    return path


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_trusted_service_passes(tls_url: str, certs: Certs, tmp_path: Path) -> None:
    extra = config(tmp_path, f"[console]\nca_bundle = '{certs.ca}'\n")
    checks = by_name(setup_checks(extra, tls_url))
    assert all(c.ok for c in checks.values()), checks
    assert checks["Termindienst"].detail == f"{tls_url} erreichbar, Zertifikat geprüft"


def test_an_untrusted_certificate_is_named(tls_url: str) -> None:
    check = by_name(setup_checks(None, tls_url))["Termindienst"]
    assert not check.ok
    assert "Das Zertifikat des Servers wird nicht anerkannt" in check.detail
    assert "certificate verify failed" in check.detail


def test_an_unreachable_service_is_named() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    check = by_name(setup_checks(None, url))["Termindienst"]
    assert not check.ok
    assert check.detail.startswith(f"{url}: Der Termindienst ist nicht erreichbar.")


def test_an_address_where_no_service_answers_is_named(
    tls_url: str, certs: Certs, tmp_path: Path
) -> None:
    extra = config(tmp_path, f"[console]\nca_bundle = '{certs.ca}'\n")
    check = by_name(setup_checks(extra, f"{tls_url}/falscher-pfad"))["Termindienst"]
    assert not check.ok
    assert "Unter der eingestellten Serveradresse antwortet kein Termindienst." in check.detail
    assert "HTTP 404" in check.detail


def test_an_unknown_host_name_points_at_the_address(tmp_path: Path) -> None:
    check = by_name(setup_checks(None, "https://videotermin.invalid"))["Termindienst"]
    assert not check.ok
    assert "Servername ist unbekannt" in check.detail


def test_a_data_folder_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "eine-datei"
    blocker.write_text("kein Ordner")
    extra = config(tmp_path, f"[service]\ndata_dir = '{blocker / 'service'}'\n")
    check = by_name(setup_checks(extra))["Datenordner"]
    assert not check.ok
    assert check.detail.startswith(f"{blocker / 'service'} ist nicht beschreibbar")


def test_the_log_file_is_named_so_the_advisor_can_send_it_to_it() -> None:
    check = by_name(setup_checks())["Protokolldatei"]
    assert check == Check("Protokolldatei", True, str(console_log_path()))
    assert check.detail.endswith("/advisor-console/log/console.log")


def test_a_log_folder_that_cannot_be_made_is_a_note_not_a_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "eine-datei"
    blocker.write_text("kein Ordner")
    check = check_log_file(blocker / "log" / "console.log")
    assert check.ok and check.note
    assert check.detail.startswith(f"{blocker / 'log' / 'console.log'} nicht anlegbar")
    assert check.detail.endswith("die Konsole schreibt dann kein Protokoll")


def test_a_broken_machine_configuration_is_named(tmp_path: Path) -> None:
    etc = tmp_path / "etc-xdg"
    (etc / "advisor-console").mkdir(parents=True)
    (etc / "advisor-console" / "config.toml").write_text("[console\nserver_url = 1\n")
    env_run = run(
        ["self-test"],
        cwd=tmp_path,
        timeout=120,
        env=child_env(XDG_CONFIG_DIRS=str(etc)),
    )
    assert env_run.returncode == 1
    lines = env_run.stdout.splitlines()
    [line] = [x for x in lines if "Konfiguration" in x and "[FEHLER]" in x]
    assert "config.toml ist fehlerhaft" in line
    assert lines[-1] == "Ergebnis: 1 Bestandteil(e) fehlerhaft: Konfiguration"


def test_self_test_with_a_wrong_server_url_fails_and_names_the_service(tmp_path: Path) -> None:
    result = run(
        ["--server-url", f"http://127.0.0.1:{closed_port()}", "self-test"],
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == "Ergebnis: 1 Bestandteil(e) fehlerhaft: Termindienst"
