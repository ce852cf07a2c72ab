"""The macOS bundle's property lists, read with plistlib as macOS would read them."""

from __future__ import annotations

import plistlib
import subprocess
from pathlib import Path
from typing import Any

import pytest

from advisor_app import managed

pytestmark = pytest.mark.integration

MACOS = Path(__file__).resolve().parents[2] / "installers" / "macos"


def load(name: str) -> dict[str, Any]:
    with (MACOS / name).open("rb") as fh:
        data = plistlib.load(fh)
    assert isinstance(data, dict)
    return data


def test_info_plist_names_the_app_its_version_and_macos() -> None:
    info = load("Info.plist")
    assert info["CFBundleIdentifier"] == managed.BUNDLE_ID  # the profile's preference domain
    assert info["CFBundleExecutable"] == "advisor-console"
    assert info["CFBundlePackageType"] == "APPL"
    assert info["CFBundleDevelopmentRegion"] == "de"
    assert info["CFBundleLocalizations"] == ["de", "en"]
    major, minor = (int(x) for x in info["LSMinimumSystemVersion"].split("."))
    assert (major, minor) >= (12, 0)  # Qt 6.8 needs macOS 12
    for key in ("CFBundleShortVersionString", "CFBundleVersion"):
        assert key in info  # the spec fills in advisor_app.__version__
    spec = (MACOS.parent / "advisor-console.spec").read_text()
    assert 'info["CFBundleShortVersionString"] = __version__' in spec


def test_camera_and_microphone_are_explained_in_german_and_english() -> None:
    info = load("Info.plist")
    german = load("de.lproj/InfoPlist.strings")
    english = load("en.lproj/InfoPlist.strings")
    for key in ("NSCameraUsageDescription", "NSMicrophoneUsageDescription"):
        assert info[key] == german[key]
        assert "Videotermin" in german[key]
        assert "video appointment" in english[key]
        assert "Nothing is recorded." in english[key]
    assert set(german) == set(english)


def test_hardened_runtime_entitlements_allow_devices_and_python_only() -> None:
    entitlements = load("entitlements.plist")
    assert entitlements == {
        "com.apple.security.device.camera": True,
        "com.apple.security.device.audio-input": True,
        "com.apple.security.cs.allow-unsigned-executable-memory": True,
        "com.apple.security.cs.disable-library-validation": True,
    }


def test_configuration_profile_presets_the_server_for_the_console() -> None:
    profile = load("advisor-console.mobileconfig")
    assert profile["PayloadType"] == "Configuration"
    assert profile["PayloadScope"] == "System"
    [payload] = profile["PayloadContent"]
    assert payload["PayloadType"] == managed.BUNDLE_ID
    uuids = {profile["PayloadUUID"], payload["PayloadUUID"]}
    assert len(uuids) == 2 and all(len(u) == 36 for u in uuids)
    values = {k: v for k, v in payload.items() if not k.startswith("Payload")}
    # what the console makes of it once macOS wrote it to /Library/Managed Preferences
    assert managed.to_settings(values, "profile") == {
        "console": {"server_url": "https://videotermin.jobcenter-musterstadt.de", "language": "de"}
    }


def test_dmg_script_is_valid_bash() -> None:
    script = MACOS / "build_dmg.sh"
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
    assert script.stat().st_mode & 0o111
