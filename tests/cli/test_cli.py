"""``advisor-console`` as IT runs it: version, self-test, serve, admin, bad configuration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from advisor_app import __version__
from advisor_app.config import Settings
from advisor_app.server.app import create_app
from tests.helpers.processes import Serve, child_env, get_json, run

pytestmark = pytest.mark.integration


def test_version(tmp_path: Path) -> None:
    result = run(["--version"], cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"advisor-console {__version__}"


def test_self_test_reports_every_part(tmp_path: Path) -> None:
    result = run(["self-test"], cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"advisor-console {__version__} – Selbsttest / self-test"
    for part in (
        "Ressourcen",
        "Qt (PySide6)",
        "PyAV (FFmpeg)",
        "OpenCV",
        "PortAudio (sounddevice)",
        "Echounterdrückung (APM)",
        "Kamera (OpenCV)",
        "aiortc (WebRTC)",
        "Schlüsselbund (keyring)",
    ):
        assert any(re.match(rf"  \[OK    \] {re.escape(part)} ", line) for line in lines), part
    assert lines[-1] == "Ergebnis: alle Bestandteile geladen."


def test_serve_prints_its_address_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    data = tmp_path / "daten"
    with Serve(["serve", "--port", "0", "--data-dir", str(data)], cwd=tmp_path) as serve:
        url = serve.wait_ready()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
        assert not url.endswith(":0")
        status, body = get_json(f"{url}/healthz")
        assert status == 200
        assert body["status"] == "ok"
        status, info = get_json(f"{url}/api/info")
        assert info["public_base_url"] == url  # links in mails point to the bound port
        finished = serve.stop()
    assert finished.returncode == 0, finished.stderr
    assert "Traceback" not in finished.stderr
    assert (data / "advisor.db").is_file()


@pytest.mark.parametrize("host", ["::1", "::"])
def test_serve_on_ipv6_prints_a_usable_address(tmp_path: Path, host: str) -> None:
    with Serve(
        ["serve", "--host", host, "--port", "0", "--data-dir", str(tmp_path / "d")],
        cwd=tmp_path,
        env=child_env(ADVISOR_SERVICE__ALLOW_PLACEHOLDER_LEGAL="true"),  # "::" is public
    ) as serve:
        url = serve.wait_ready()
        assert re.fullmatch(r"http://\[::1\]:\d+", url)
        assert get_json(f"{url}/healthz")[0] == 200
        assert get_json(f"{url}/api/info")[1]["public_base_url"] == url
        assert serve.stop().returncode == 0


def test_second_serve_on_a_busy_port_fails_in_german(tmp_path: Path) -> None:
    with Serve(["serve", "--port", "0", "--data-dir", str(tmp_path / "a")], cwd=tmp_path) as one:
        url = one.wait_ready()
        port = url.rsplit(":", 1)[1]
        with Serve(
            ["serve", "--port", port, "--data-dir", str(tmp_path / "b")], cwd=tmp_path
        ) as two:
            second = two.finish()
        assert second.returncode != 0
        assert f"Der Dienst kann nicht auf 127.0.0.1:{port} lauschen" in second.stderr
        assert "ADVISOR-SERVICE-LISTENING" not in second.stdout
        assert "Traceback" not in second.stderr
        # the first one is unharmed
        assert get_json(f"{url}/healthz")[0] == 200
        assert one.stop().returncode == 0


def test_a_public_serve_refuses_placeholders_in_the_legal_texts(tmp_path: Path) -> None:
    args = ["serve", "--host", "0.0.0.0", "--port", "0", "--data-dir", str(tmp_path / "d")]  # noqa: S104
    result = run(args, cwd=tmp_path)
    assert result.returncode == 3
    assert "de/imprint.html" in result.stderr
    assert "allow_placeholder_legal = true" in result.stderr
    assert "Traceback" not in result.stderr
    # on this machine only (the embedded default) the placeholders are a warning
    with Serve(["serve", "--port", "0", "--data-dir", str(tmp_path / "e")], cwd=tmp_path) as one:
        assert get_json(f"{one.wait_ready()}/healthz")[0] == 200
        assert one.stop().returncode == 0


def test_an_unusable_rate_limit_storage_is_a_clear_error(tmp_path: Path) -> None:
    storage = "nosuch://:geheimes-Passwort@limits.example.de"
    env = child_env(ADVISOR_SERVICE__RATE_LIMIT_STORAGE=storage)
    result = run(["serve", "--port", "0", "--data-dir", str(tmp_path / "d")], cwd=tmp_path, env=env)
    assert result.returncode == 3
    assert "service.rate_limit_storage (nosuch://…) ist nicht nutzbar" in result.stderr
    assert "geheimes-Passwort" not in result.stderr
    assert "Traceback" not in result.stderr


def test_unusable_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "eine-datei"
    blocker.write_text("kein Ordner", encoding="utf-8")
    result = run(["serve", "--port", "0", "--data-dir", str(blocker / "daten")], cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr.startswith(
        f"Fehler: Der Datenordner {blocker / 'daten'} kann nicht angelegt werden"
    )
    assert "Traceback" not in result.stderr


def test_wrong_config_path_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "gibts-nicht.toml"
    for args in (
        ["--config", str(missing), "serve", "--port", "0"],
        ["serve", "--config", str(missing), "--port", "0"],
        ["admin", "--config", str(missing), "list"],
    ):
        result = run(args, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.strip() == (
            f"Fehler in der Konfiguration: Die Konfigurationsdatei {missing} gibt es nicht."
        )


def test_broken_config_and_secret_in_config_are_refused(tmp_path: Path) -> None:
    broken = tmp_path / "kaputt.toml"
    broken.write_text("[service\n", encoding="utf-8")
    result = run(["--config", str(broken), "serve"], cwd=tmp_path)
    assert result.returncode == 2
    assert f"Die Konfigurationsdatei {broken} ist fehlerhaft" in result.stderr
    secret = tmp_path / "geheim.toml"
    secret.write_text("[smtp]\npassword = 'x'\n", encoding="utf-8")
    result = run(["serve", "--config", str(secret)], cwd=tmp_path)
    assert result.returncode == 2
    assert "ADVISOR_SMTP__PASSWORD" in result.stderr


def test_environment_configures_serve(tmp_path: Path) -> None:
    env = child_env(
        ADVISOR_SERVICE__DATA_DIR=str(tmp_path / "env-daten"),
        ADVISOR_SERVICE__ORGANISATION="Jobcenter Musterstadt",
        ADVISOR_SERVICE__PUBLIC_BASE_URL="https://termin.example.de",
        ADVISOR_SERVICE__ALLOW_PLACEHOLDER_LEGAL="true",
    )
    with Serve(["serve", "--port", "0"], cwd=tmp_path, env=env) as serve:
        url = serve.wait_ready()
        _, info = get_json(f"{url}/api/info")
        assert serve.stop().returncode == 0
    assert info["organisation"] == "Jobcenter Musterstadt"
    assert info["public_base_url"] == "https://termin.example.de"
    assert (tmp_path / "env-daten" / "advisor.db").is_file()


async def login(data: Path, username: str, password: str) -> int:
    settings = Settings(service={"data_dir": data})
    async with (
        TestClient(TestServer(create_app(settings))) as client,
        client.post("/api/login", json={"username": username, "password": password}) as resp,
    ):
        return resp.status


async def test_admin_manages_accounts(tmp_path: Path) -> None:
    data = tmp_path / "daten"
    admin = ["admin", "--data-dir", str(data)]
    first_pw = "erstes-Passwort-123"

    result = run(
        [*admin, "add", "mbeispiel", "--name", "Frau Beispiel", "--password-stdin"],
        cwd=tmp_path,
        stdin="kurz\n",
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "Fehler: Das Passwort muss mindestens 12 Zeichen haben."

    result = run(
        [*admin, "add", "mbeispiel", "--name", "Frau Beispiel", "--password-stdin"],
        cwd=tmp_path,
        stdin=first_pw + "\n",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Konto „mbeispiel“ angelegt."
    assert first_pw not in result.stdout + result.stderr
    assert await login(data, "mbeispiel", first_pw) == 200

    result = run([*admin, "add", "mbeispiel", "--name", "Doppelt"], cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "Fehler: Das Konto „mbeispiel“ gibt es schon."

    result = run([*admin, "add", "zweite", "--name", "Herr Zwei"], cwd=tmp_path)
    assert result.returncode == 0
    generated = result.stdout.split("Erstes Passwort (nur jetzt sichtbar): ", 1)[1].strip()
    assert len(generated) >= 12
    assert await login(data, "zweite", generated) == 200

    result = run([*admin, "disable", "mbeispiel"], cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == "Konto „mbeispiel“ gesperrt (alle Anmeldungen beendet)."
    result = run([*admin, "list"], cwd=tmp_path)
    assert result.stdout.splitlines() == [
        f"{'mbeispiel':<24} {'gesperrt':<9} Frau Beispiel",
        f"{'zweite':<24} {'aktiv':<9} Herr Zwei",
    ]
    assert await login(data, "mbeispiel", first_pw) == 401

    result = run([*admin, "enable", "mbeispiel"], cwd=tmp_path)
    assert result.stdout.strip() == "Konto „mbeispiel“ entsperrt."
    assert await login(data, "mbeispiel", first_pw) == 200

    new_pw = "neues-Passwort-4567"
    result = run(
        [*admin, "reset-password", "mbeispiel", "--password-stdin"],
        cwd=tmp_path,
        stdin=new_pw + "\n",
    )
    assert result.returncode == 0
    assert result.stdout.strip() == "Passwort für „mbeispiel“ neu gesetzt."
    assert await login(data, "mbeispiel", first_pw) == 401
    assert await login(data, "mbeispiel", new_pw) == 200

    result = run([*admin, "disable", "niemand"], cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "Fehler: Das Konto „niemand“ gibt es nicht."
