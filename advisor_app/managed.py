"""Machine-wide values that IT presets through the installer or a management system.

- Windows: the MSI writes its public properties (``SERVER_URL``, ``UI_LANGUAGE``, …) as string
  values under ``HKEY_LOCAL_MACHINE\\SOFTWARE\\Videoberatung\\advisor-console``; Group Policy
  preferences or Intune may write the same values.
- macOS: a configuration profile for the domain :data:`BUNDLE_ID` lands in
  ``/Library/Managed Preferences/<domain>.plist``.
- Linux and everywhere else: nothing here; the machine layer is ``/etc/xdg/…/config.toml``.

These values are part of the machine layer of the settings: they win over the machine
``config.toml`` and lose against the user's file, the environment and the command line.
Names are matched without regard to case (the Windows registry does the same).
"""

from __future__ import annotations

import logging
import plistlib
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

VENDOR = "Videoberatung"
REGISTRY_KEY = rf"SOFTWARE\{VENDOR}\advisor-console"
BUNDLE_ID = "de.videoberatung.advisor-console"
MANAGED_PREFERENCES = Path("/Library/Managed Preferences") / f"{BUNDLE_ID}.plist"

#: Where the values come from, for messages ("Registry HKLM\\…", a plist path).
Reader = Callable[[], tuple[str, Mapping[str, Any]]]


class ManagedError(Exception):
    """The managed values cannot be read; the message is German."""


@dataclass(frozen=True, slots=True)
class Key:
    """One managed value: its name, the MSI property that sets it, the setting it fills."""

    name: str
    msi_property: str
    section: str
    field: str
    is_list: bool = False


KEYS: tuple[Key, ...] = (
    Key("ServerUrl", "SERVER_URL", "console", "server_url"),
    Key("Language", "UI_LANGUAGE", "console", "language"),
    Key("CaBundle", "CA_BUNDLE", "console", "ca_bundle"),
    Key("StunServers", "STUN_SERVERS", "ice", "stun_urls", is_list=True),
    Key("TurnServers", "TURN_SERVERS", "ice", "turn_urls", is_list=True),
)
_BY_NAME = {k.name.lower(): k for k in KEYS}
_LIST_SPLIT = re.compile(r"[\s,;]+")


def to_settings(values: Mapping[str, Any], origin: str) -> dict[str, dict[str, Any]]:
    """Nested settings (``{"console": {"server_url": …}}``) from managed values.

    Empty values are skipped (an MSI writes an empty string for a property nobody set);
    lists may be one string separated by spaces, commas or semicolons, or a real list.
    """
    out: dict[str, dict[str, Any]] = {}
    for name, raw in values.items():
        key = _BY_NAME.get(str(name).lower())
        if key is None:
            log.warning("%s: unknown managed value %r ignored", origin, name)
            continue
        if key.is_list:
            items = raw if isinstance(raw, list) else _LIST_SPLIT.split(str(raw))
            value: Any = [str(item).strip() for item in items if str(item).strip()]
            if not value:
                continue
        else:
            value = str(raw).strip()
            if not value:
                continue
        out.setdefault(key.section, {})[key.field] = value
    return out


def read_windows_registry() -> tuple[str, Mapping[str, Any]]:
    origin = rf"HKEY_LOCAL_MACHINE\{REGISTRY_KEY}"
    values: dict[str, Any] = {}
    if sys.platform == "win32":
        import winreg

        try:
            key = winreg.OpenKey(
                winreg.HKEY_LOCAL_MACHINE,
                REGISTRY_KEY,
                0,
                winreg.KEY_READ | winreg.KEY_WOW64_64KEY,
            )
        except FileNotFoundError:
            return origin, values
        except OSError as exc:
            raise ManagedError(
                f"Die Registry-Einstellungen {origin} sind nicht lesbar: {exc.strerror}"
            ) from exc
        with key:
            index = 0
            while True:
                try:
                    name, value, _kind = winreg.EnumValue(key, index)
                except OSError:  # no more values
                    break
                values[name] = value
                index += 1
    return origin, values


def read_managed_preferences(path: Path = MANAGED_PREFERENCES) -> tuple[str, Mapping[str, Any]]:
    try:
        with path.open("rb") as fh:
            data = plistlib.load(fh)
    except FileNotFoundError:
        return str(path), {}
    except (OSError, plistlib.InvalidFileException, ValueError) as exc:
        raise ManagedError(
            f"Die verwalteten Einstellungen {path} (Konfigurationsprofil) sind nicht lesbar: {exc}"
        ) from exc
    if not isinstance(data, dict):
        raise ManagedError(f"Die verwalteten Einstellungen {path} sind kein Wörterbuch (dict).")
    return str(path), data


def platform_reader() -> Reader | None:
    """The reader for this operating system, or None where IT uses ``/etc`` instead."""
    if sys.platform == "win32":
        return read_windows_registry
    if sys.platform == "darwin":
        return read_managed_preferences
    return None


def read(reader: Reader | None) -> tuple[str, dict[str, dict[str, Any]]]:
    """The managed values as nested settings, with where they came from."""
    if reader is None:
        return "", {}
    origin, values = reader()
    return origin, to_settings(values, origin)
