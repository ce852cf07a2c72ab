"""IT's presets (MSI registry values, macOS configuration profile) as the machine layer."""

from __future__ import annotations

import plistlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from advisor_app import managed
from advisor_app.config import ConfigError, load_settings

pytestmark = pytest.mark.unit

ORIGIN = r"HKEY_LOCAL_MACHINE\SOFTWARE\Videoberatung\advisor-console"


def registry(values: Mapping[str, Any]) -> managed.Reader:
    """Stands in for winreg: the values an MSI install leaves under HKLM."""
    return lambda: (ORIGIN, values)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_msi_presets_become_console_and_ice_settings(tmp_path: Path) -> None:
    values = {
        "ServerUrl": "https://videotermin.jobcenter.example/",
        "Language": "en",
        "CaBundle": r"C:\ProgramData\Jobcenter\ca.pem",
        "StunServers": "stun:turn.jobcenter.example:3478",
        "TurnServers": "turn:turn.jobcenter.example:3478?transport=udp; "
        "turns:turn.jobcenter.example:5349",
    }
    settings = load_settings(
        machine_file=tmp_path / "none.toml",
        user_file=tmp_path / "none-user.toml",
        managed_reader=registry(values),
    )
    assert settings.console.server_url == "https://videotermin.jobcenter.example"
    assert settings.console.language == "en"
    assert settings.console.ca_bundle == Path(r"C:\ProgramData\Jobcenter\ca.pem")
    assert settings.ice.stun_urls == ["stun:turn.jobcenter.example:3478"]
    assert settings.ice.turn_urls == [
        "turn:turn.jobcenter.example:3478?transport=udp",
        "turns:turn.jobcenter.example:5349",
    ]


def test_empty_values_of_unset_properties_keep_the_defaults(tmp_path: Path) -> None:
    empty = {"ServerUrl": "", "Language": "", "CaBundle": "", "StunServers": "", "TurnServers": ""}
    settings = load_settings(
        machine_file=tmp_path / "none.toml",
        user_file=tmp_path / "none-user.toml",
        managed_reader=registry(empty),
    )
    assert settings.console.server_url is None  # the embedded service
    assert settings.console.language == "de"
    assert settings.ice.stun_urls == []


def test_presets_win_over_the_machine_file_and_lose_to_the_user(tmp_path: Path) -> None:
    machine = write(
        tmp_path / "etc" / "config.toml",
        '[console]\nserver_url = "https://alt.example"\nlanguage = "en"\nembedded_port = 9000\n',
    )
    user = write(tmp_path / "user" / "config.toml", '[console]\nlanguage = "de"\n')
    settings = load_settings(
        machine_file=machine,
        user_file=user,
        managed_reader=registry({"serverurl": "https://neu.example", "LANGUAGE": "en"}),
    )
    assert settings.console.server_url == "https://neu.example"  # names without case
    assert settings.console.language == "de"  # the user's own choice
    assert settings.console.embedded_port == 9000  # the machine file still counts


def test_a_wrong_preset_names_where_it_was_set(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(
            machine_file=tmp_path / "none.toml",
            user_file=tmp_path / "none-user.toml",
            managed_reader=registry({"ServerUrl": "videotermin.example.de"}),
        )
    assert ORIGIN in str(info.value)
    assert "muss mit https:// (oder http://) beginnen" in str(info.value)


def test_unknown_values_are_ignored_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    assert managed.to_settings({"ServerUrll": "https://x.example"}, ORIGIN) == {}
    assert "ServerUrll" in caplog.text


def test_a_registry_that_cannot_be_read_stops_with_a_german_message(tmp_path: Path) -> None:
    def denied() -> tuple[str, Mapping[str, Any]]:
        raise managed.ManagedError(f"Die Registry-Einstellungen {ORIGIN} sind nicht lesbar: x")

    with pytest.raises(ConfigError, match="Registry-Einstellungen"):
        load_settings(
            machine_file=tmp_path / "none.toml",
            user_file=tmp_path / "none-user.toml",
            managed_reader=denied,
        )


def test_macos_managed_preferences_are_read_from_their_plist(tmp_path: Path) -> None:
    path = tmp_path / f"{managed.BUNDLE_ID}.plist"
    with path.open("wb") as fh:
        plistlib.dump(
            {"ServerUrl": "https://videotermin.example.de", "StunServers": ["stun:a.example"]},
            fh,
        )
    origin, values = managed.read_managed_preferences(path)
    assert origin == str(path)
    assert managed.to_settings(values, origin) == {
        "console": {"server_url": "https://videotermin.example.de"},
        "ice": {"stun_urls": ["stun:a.example"]},
    }
    assert managed.read_managed_preferences(tmp_path / "missing.plist")[1] == {}
    path.write_bytes(b"kein plist")
    with pytest.raises(managed.ManagedError, match="Konfigurationsprofil"):
        managed.read_managed_preferences(path)


def test_linux_has_no_managed_values_only_etc() -> None:
    assert managed.read(None) == ("", {})
