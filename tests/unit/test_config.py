"""Settings layers as IT uses them: defaults < machine < user < --config < environment < CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor_app.config import ConfigError, Settings, load_settings, machine_config_path

pytestmark = pytest.mark.unit


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    machine = write(
        tmp_path / "etc" / "config.toml",
        """
        log_level = "WARNING"
        [service]
        organisation = "Jobcenter Region Hannover"
        support_phone = "0511 000000"
        port = 8001
        retention_days = 30
        [smtp]
        host = "mail.machine.example"
        from_address = "machine@example.de"
        """,
    )
    user = write(
        tmp_path / "user" / "config.toml",
        """
        [service]
        port = 8002
        grace_min = 20
        [console]
        language = "en"
        """,
    )
    extra = write(
        tmp_path / "extra.toml",
        """
        [service]
        port = 8003
        support_hours = "rund um die Uhr"
        """,
    )
    return {"machine": machine, "user": user, "extra": extra}


def load(files: dict[str, Path], **kwargs: object) -> Settings:
    return load_settings(
        machine_file=files["machine"],
        user_file=files["user"],
        **kwargs,  # type: ignore[arg-type]
    )


def test_defaults_without_any_file(tmp_path: Path) -> None:
    settings = load_settings(machine_file=tmp_path / "none.toml", user_file=tmp_path / "no.toml")
    assert settings.service.port == 8470
    assert settings.service.organisation == "Videoberatung"
    assert settings.service.retention_days == 90
    assert settings.smtp.host is None
    assert settings.console.server_url is None


def test_each_layer_wins_over_the_one_before_and_sections_merge(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    machine_only = load_settings(
        machine_file=files["machine"], user_file=files["extra"].parent / "x"
    )
    assert machine_only.service.port == 8001
    assert machine_only.log_level == "WARNING"

    with_user = load(files)
    assert with_user.service.port == 8002
    # the user file changes one field of [service]; the machine's other fields stay
    assert with_user.service.organisation == "Jobcenter Region Hannover"
    assert with_user.service.retention_days == 30
    assert with_user.service.grace_min == 20
    assert with_user.console.language == "en"

    with_extra = load(files, config_file=files["extra"])
    assert with_extra.service.port == 8003
    assert with_extra.service.support_hours == "rund um die Uhr"
    assert with_extra.service.grace_min == 20
    assert with_extra.service.organisation == "Jobcenter Region Hannover"

    monkeypatch.setenv("ADVISOR_SERVICE__PORT", "8004")
    monkeypatch.setenv("ADVISOR_SMTP__HOST", "mail.env.example")
    with_env = load(files, config_file=files["extra"])
    assert with_env.service.port == 8004
    assert with_env.smtp.host == "mail.env.example"
    assert with_env.smtp.from_address == "machine@example.de"
    assert with_env.service.support_hours == "rund um die Uhr"

    with_cli = load(files, config_file=files["extra"], cli={"service": {"port": 0}})
    assert with_cli.service.port == 0
    # a command-line override of service.port must not reset the rest of [service]
    assert with_cli.service.organisation == "Jobcenter Region Hannover"
    assert with_cli.service.support_phone == "0511 000000"
    assert with_cli.service.support_hours == "rund um die Uhr"
    assert with_cli.service.grace_min == 20
    assert with_cli.smtp.host == "mail.env.example"
    assert with_cli.log_level == "WARNING"


def test_cli_data_dir_and_env_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_SERVICE__DATA_DIR", str(tmp_path / "env-data"))
    settings = load_settings(machine_file=tmp_path / "a", user_file=tmp_path / "b")
    assert settings.service.data_dir == tmp_path / "env-data"
    assert str(tmp_path / "env-data" / "advisor.db") in settings.service.resolved_database_url
    settings = load_settings(
        machine_file=tmp_path / "a",
        user_file=tmp_path / "b",
        cli={"service": {"data_dir": tmp_path / "cli-data"}},
    )
    assert settings.service.outbox_dir == tmp_path / "cli-data" / "outbox"


def test_default_paths_follow_the_isolated_xdg_folders() -> None:
    # tests/conftest.py points XDG_CONFIG_DIRS to a temporary folder: no real /etc is read
    assert "advisor-tests-" in str(machine_config_path())


def test_secret_in_a_config_file_is_refused_with_a_clear_message(
    files: dict[str, Path], tmp_path: Path
) -> None:
    secret = write(tmp_path / "secret.toml", '[smtp]\nhost = "x"\npassword = "geheim"\n')
    with pytest.raises(ConfigError) as info:
        load(files, config_file=secret)
    message = str(info.value)
    assert str(secret) in message
    assert "smtp.password" in message
    assert "Geheimnis" in message
    assert "ADVISOR_SMTP__PASSWORD" in message
    assert "geheim" not in message.replace("Geheimnis", "")


def test_secret_in_the_machine_file_is_refused_too(tmp_path: Path) -> None:
    machine = write(tmp_path / "etc.toml", "smtp.password = 'geheim'\n")
    with pytest.raises(ConfigError, match="gehört nicht in eine Konfigurationsdatei"):
        load_settings(machine_file=machine, user_file=tmp_path / "none.toml")


def test_password_from_environment_is_accepted_and_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVISOR_SMTP__PASSWORD", "s3cret-env-pw")
    settings = load_settings(machine_file=tmp_path / "a", user_file=tmp_path / "b")
    assert settings.smtp.read_password() == "s3cret-env-pw"
    assert "s3cret-env-pw" not in repr(settings)
    assert "s3cret-env-pw" not in settings.model_dump_json()


def test_password_file(tmp_path: Path) -> None:
    pw = write(tmp_path / "pw", "aus-der-datei\n")
    config = write(tmp_path / "c.toml", f"[smtp]\npassword_file = '{pw}'\n")
    settings = load_settings(machine_file=config, user_file=tmp_path / "none")
    assert settings.smtp.read_password() == "aus-der-datei"
    pw.unlink()
    with pytest.raises(ConfigError, match=r"SMTP-Passwortdatei .* ist nicht lesbar"):
        settings.smtp.read_password()


def test_broken_toml_names_the_file(files: dict[str, Path], tmp_path: Path) -> None:
    broken = write(tmp_path / "kaputt.toml", "[service\nport = 1\n")
    with pytest.raises(ConfigError) as info:
        load(files, config_file=broken)
    assert str(broken) in str(info.value)
    assert "fehlerhaft" in str(info.value)


def test_broken_user_file_names_the_file(tmp_path: Path) -> None:
    broken = write(tmp_path / "user.toml", "organisation = = 'x'\n")
    with pytest.raises(ConfigError, match=f"Die Konfigurationsdatei {broken} ist fehlerhaft"):
        load_settings(machine_file=tmp_path / "none", user_file=broken)


def test_missing_config_file_is_an_error(files: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="gibt es nicht"):
        load(files, config_file=tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[service]\nport = 70000\n", "service.port"),
        ("[service]\nportt = 1\n", "service.portt"),
        ("[console]\nserver_url = 'ftp://x'\n", "https://"),
    ],
)
def test_invalid_values_are_config_errors(tmp_path: Path, text: str, fragment: str) -> None:
    bad = write(tmp_path / "bad.toml", text)
    with pytest.raises(ConfigError, match="Ungültige Einstellungen") as info:
        load_settings(machine_file=tmp_path / "none", user_file=tmp_path / "none", config_file=bad)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8470"),
        ("0.0.0.0", "http://127.0.0.1:8470"),  # noqa: S104
        ("", "http://127.0.0.1:8470"),
        ("::", "http://[::1]:8470"),
        ("::1", "http://[::1]:8470"),
        ("berater-pc.example.de", "http://berater-pc.example.de:8470"),
    ],
)
def test_links_without_public_url_point_to_a_reachable_address(host: str, url: str) -> None:
    settings = Settings(service={"host": host})
    assert settings.service.resolved_public_base_url() == url
    assert settings.service.resolved_public_base_url(9000) == url.replace("8470", "9000")
    with_public = Settings(service={"host": host, "public_base_url": "https://vt.example.de/"})
    assert with_public.service.resolved_public_base_url(9000) == "https://vt.example.de"
