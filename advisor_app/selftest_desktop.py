"""The desktop parts of ``self-test``, judged by what the configured mode needs.

A console without a server address runs the embedded service and never uses the keyring
(its token comes through the environment); a console with a server keeps the advisor's
sign-in in the keyring. Screen capture, window capture and the ID check's text recognition
are shipped parts that a session may lack (no desktop, no X11, OCR not installed): each line
says what works, or what the advisor will miss. Only a shipped part that is broken where it
should work is a failure; a desktop feature the session cannot offer is a note.
"""

from __future__ import annotations

import importlib
import os
import sys
from enum import StrEnum

from advisor_app.selftest import Check


class Mode(StrEnum):
    """What the self-test judges by: the configured way the console runs."""

    EMBEDDED = "embedded"
    SERVER = "server"


def mode_line(mode: Mode, server_url: str | None) -> str:
    """The line that says which mode was judged."""
    if mode is Mode.SERVER:
        return f"Betriebsart: Server {server_url} – geprüft wird, was der Serverbetrieb braucht."
    return (
        "Betriebsart: eingebetteter lokaler Dienst (kein Server eingestellt) – geprüft wird, "
        "was dieser Betrieb braucht."
    )


def _has_display() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def keyring_advice() -> str:
    """What to install so that the console finds a keyring on this system."""
    if sys.platform.startswith("linux"):
        return (
            "einen Secret Service installieren und in der Sitzung starten, z. B. gnome-keyring "
            "oder KWallet (Paket gnome-keyring bzw. kwalletmanager)"
        )
    if sys.platform == "darwin":
        return "den Schlüsselbund (Keychain) des Benutzers entsperren"
    return "die Windows-Anmeldeinformationsverwaltung des Benutzers prüfen"


def check_keyring(mode: Mode) -> Check:
    """The keyring is needed in server mode only (the advisor's sign-in is kept there)."""
    import keyring

    name = "Schlüsselbund (keyring)"
    backend = keyring.get_keyring()
    backend_name = f"{type(backend).__module__}.{type(backend).__name__}"
    if "fail" not in backend_name and "null" not in backend_name:
        return Check(name, True, backend_name)
    if mode is Mode.EMBEDDED:
        return Check(
            name,
            True,
            f"kein nutzbarer Schlüsselbund ({backend_name}); im eingebetteten Betrieb nicht "
            "nötig (das Token kommt über die Umgebung)",
            note=True,
        )
    return Check(
        name,
        False,
        f"kein nutzbarer Schlüsselbund ({backend_name}): die Anmeldung am Server wird nicht "
        f"gespeichert, die beratende Person muss sich bei jedem Start neu anmelden. "
        f"Abhilfe: {keyring_advice()}",
    )


def check_screen_capture() -> Check:
    """``mss`` grabs the first monitor (Bildschirm teilen)."""
    name = "Bildschirmfreigabe (mss)"
    try:
        import mss
    except ImportError as exc:
        return Check(name, False, f"mss fehlt ({exc}): Bildschirm teilen ist nicht möglich")
    version = getattr(mss, "__version__", "?")
    if not _has_display():
        return Check(
            name,
            True,
            f"mss {version} geladen; kein Bildschirm in dieser Sitzung (ohne Desktop): "
            "Bildschirm teilen hier nicht prüfbar",
            note=True,
        )
    from advisor_app.client.media.screen import list_monitors, preview

    try:
        monitors = list_monitors()
        if not monitors:
            raise RuntimeError("keine Monitore gemeldet")
        picture = preview(monitors[0], 64)
    except Exception as exc:
        return Check(
            name,
            False,
            f"mss {version}: Aufnahme misslingt ({type(exc).__name__}): die beratende Person "
            "kann ihren Bildschirm nicht teilen",
        )
    first = monitors[0]
    return Check(
        name,
        True,
        f"mss {version}; {len(monitors)} Bildschirm(e), Aufnahme {first.width}×{first.height} "
        f"geprüft ({picture.shape[1]}×{picture.shape[0]} verkleinert)",
    )


def check_window_capture() -> Check | None:
    """One window shared with X11 Composite (Linux only; None elsewhere)."""
    if not sys.platform.startswith("linux"):
        return None
    name = "Fensterfreigabe (X11 Composite)"
    try:
        import Xlib  # noqa: F401  (python-xlib, a Linux dependency)
    except ImportError as exc:
        return Check(name, False, f"python-xlib fehlt ({exc}): einzelne Fenster nicht teilbar")
    from advisor_app.client.media.window import list_windows, window_capture_available

    if not window_capture_available():
        why = (
            "keine X11-Sitzung mit Composite"
            if os.environ.get("DISPLAY")
            else "keine X11-Sitzung (ohne Desktop oder Wayland)"
        )
        return Check(
            name,
            True,
            f"{why}: einzelne Fenster sind nicht teilbar, nur ganze Bildschirme",
            note=True,
        )
    try:
        windows = list_windows()
    except Exception as exc:
        return Check(
            name, False, f"Fensterliste misslingt ({type(exc).__name__}): Fenster nicht teilbar"
        )
    return Check(name, True, f"Composite vorhanden; {len(windows)} Fenster teilbar")


def check_text_recognition() -> Check:
    """The ID check's OCR of the machine-readable zone (tesserocr + English data) if installed."""
    from advisor_app.idcheck import ocr

    name = "Texterkennung Ausweis (tesseract)"
    missing = (
        "die Ausweisprüfung liest die maschinenlesbare Zone nicht selbst, die Zeilen werden "
        "abgetippt"
    )
    try:
        tesserocr = importlib.import_module("tesserocr")  # optional: the ``ocr`` extra
    except ImportError:
        return Check(name, True, f"nicht installiert: {missing}", note=True)
    data = ocr.tessdata_dir()
    if data is None:
        return Check(
            name,
            True,
            f"tesserocr ohne englische Sprachdaten (Paket tesseract-ocr-eng): {missing}",
            note=True,
        )
    try:  # as the ID check starts it
        engine = tesserocr.PyTessBaseAPI(path=f"{data}/", lang="eng")
        engine.End()
    except RuntimeError as exc:
        return Check(name, False, f"tesseract startet nicht ({exc}): {missing}")
    version = str(tesserocr.tesseract_version()).split()[1]
    return Check(name, True, f"tesseract {version}, Englisch in {data}")
