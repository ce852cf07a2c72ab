"""The advisor's name from the operating system, for an embedded console nobody set up.

The full name of the account (the GECOS field on Linux and macOS, the display name on Windows)
when it says more than the login; never the bare login ("root", "mueller.a"): guests see this
name in the call's roster and citizens in the page.
"""

from __future__ import annotations

import getpass
import os
import sys

FALLBACK_NAME = "Ihre Beraterin / Ihr Berater"


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def _posix_full_name() -> str:
    try:
        import pwd

        gecos = pwd.getpwuid(os.getuid()).pw_gecos
    except (ImportError, KeyError, OSError):
        return ""
    return gecos.split(",", 1)[0].strip()  # "Erika Mustermann,Raum 3,…"


def _windows_full_name() -> str:  # pragma: no cover - Windows only
    import ctypes

    name_display = 3  # EXTENDED_NAME_FORMAT.NameDisplay
    size = ctypes.c_ulong(0)
    secur32 = ctypes.windll.secur32  # type: ignore[attr-defined]
    secur32.GetUserNameExW(name_display, None, ctypes.byref(size))
    if not size.value:
        return ""
    buffer = ctypes.create_unicode_buffer(size.value)
    if not secur32.GetUserNameExW(name_display, buffer, ctypes.byref(size)):
        return ""
    return str(buffer.value).strip()


def full_name() -> str | None:
    """The account's full name, or None when it has none or it only repeats the login."""
    try:
        name = _windows_full_name() if sys.platform == "win32" else _posix_full_name()
    except OSError:
        name = ""
    login = _login()
    if not name or name.casefold() == login.casefold() or name.casefold() == "root":
        return None
    return name


def advisor_name(configured: str | None) -> str:
    """The name to show: the configured one, else the account's full name, else a neutral
    "Ihre Beraterin / Ihr Berater"."""
    if configured and configured.strip():
        return " ".join(configured.split())
    return full_name() or FALLBACK_NAME
