"""``self-test`` judges what the configured mode needs, and checks the desktop parts.

As IT runs it: the real ``advisor-console self-test`` in a child process. A fresh install
(keyring backend ``fail.Keyring``, no display, no D-Bus session, no OCR extra) passes in the
embedded mode and fails, with the advice, when a server is configured. Under an X server
(Xvfb) with a D-Bus session where the notification service runs, screen capture, window
capture and the notification path are found working.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from installers.check_frozen import missing_parts
from tests.helpers.processes import Serve, child_env, run
from tests.helpers.screen import xvfb_screen

pytestmark = pytest.mark.integration

#: A fresh ``pip install .`` on a machine without a desktop session.
FRESH = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
NO_SESSION = ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_SESSION_TYPE")


def fresh_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No desktop, no keyring, and ``tesserocr`` missing (the ``ocr`` extra is optional)."""
    shadow = tmp_path / "no-ocr"
    shadow.mkdir(exist_ok=True)
    (shadow / "tesserocr.py").write_text("raise ImportError('not installed')\n")
    env = {k: v for k, v in child_env(**FRESH, **extra).items() if k not in NO_SESSION}
    env["PYTHONPATH"] = f"{shadow}:{env.get('PYTHONPATH', '')}".rstrip(":")
    return env


def line(out: str, part: str) -> str:
    """The result line of ``part``."""
    [found] = [x for x in out.splitlines() if re.match(rf"  \[.{{6}}\] {re.escape(part)} ", x)]
    return found


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("serve")
    with Serve(["serve", "--port", "0", "--data-dir", str(tmp / "d")], cwd=tmp) as serve:
        yield serve.wait_ready(timeout=120)  # a loaded machine starts it slowly
        serve.stop()


def test_a_fresh_install_without_a_desktop_passes_in_the_embedded_mode(tmp_path: Path) -> None:
    result = run(["self-test"], cwd=tmp_path, timeout=180, env=fresh_env(tmp_path))
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert out.splitlines()[1] == (
        "Betriebsart: eingebetteter lokaler Dienst (kein Server eingestellt) – geprüft wird, "
        "was dieser Betrieb braucht."
    )
    assert line(out, "Schlüsselbund (keyring)") == (
        "  [INFO  ] Schlüsselbund (keyring)            kein nutzbarer Schlüsselbund "
        "(keyring.backends.fail.Keyring); im eingebetteten Betrieb nicht nötig "
        "(das Token kommt über die Umgebung)"
    )
    screen = line(out, "Bildschirmfreigabe (mss)")
    assert screen.startswith("  [INFO  ]") and "Bildschirm teilen hier nicht prüfbar" in screen
    window = line(out, "Fensterfreigabe (X11 Composite)")
    assert window.startswith("  [INFO  ]") and "nur ganze Bildschirme" in window
    ocr = line(out, "Texterkennung Ausweis (tesseract)")
    assert ocr.startswith("  [INFO  ]") and "nicht installiert" in ocr
    assert "die Zeilen werden abgetippt" in ocr
    notify = line(out, "Desktop-Benachrichtigung")
    assert notify.startswith("  [INFO  ]")
    assert "keine Symbolleiste und keine D-Bus-Sitzung" in notify
    assert "keine Desktop-Meldung" in notify
    log = Path(os.environ["XDG_STATE_HOME"]) / "advisor-console" / "log" / "console.log"
    assert line(out, "Protokolldatei").split() == ["[OK", "]", "Protokolldatei", str(log)]
    assert out.splitlines()[-1] == "Ergebnis: alle Bestandteile geladen."
    # The frozen build's check (installers/check_frozen.py) finds every shipped part here.
    assert missing_parts(out.splitlines(), "linux") == []
    assert missing_parts(out.splitlines()[2:], "linux") == ["Betriebsart"]
    assert "Bildschirmfreigabe (mss)" in missing_parts(
        [x for x in out.splitlines() if "mss" not in x], "win32"
    )


def test_the_same_install_fails_in_server_mode_and_says_what_to_install(
    tmp_path: Path, service: str
) -> None:
    result = run(
        ["--server-url", service, "self-test"],
        cwd=tmp_path,
        timeout=180,
        env=fresh_env(tmp_path),
    )
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert out.splitlines()[1] == (
        f"Betriebsart: Server {service} – geprüft wird, was der Serverbetrieb braucht."
    )
    keyring = line(out, "Schlüsselbund (keyring)")
    assert keyring.startswith("  [FEHLER] Schlüsselbund (keyring) ")
    assert "muss sich bei jedem Start neu anmelden" in keyring
    assert "einen Secret Service installieren und in der Sitzung starten" in keyring
    assert "gnome-keyring oder KWallet" in keyring
    assert line(out, "Termindienst").startswith("  [OK    ]")  # only the keyring fails
    assert out.splitlines()[-1] == "Ergebnis: 1 Bestandteil(e) fehlerhaft: Schlüsselbund (keyring)"


@pytest.fixture
def notification_service() -> Iterator[str]:
    """A D-Bus session bus on which org.freedesktop.Notifications has an owner."""
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        assert address.startswith("unix:"), address
        owner = open_dbus_connection(address)
        try:
            reply = owner.send_and_get_reply(
                message_bus.RequestName("org.freedesktop.Notifications")
            )
            assert reply.body == (1,)  # DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER
            yield address
        finally:
            owner.close()
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
        if daemon.stdout is not None:
            daemon.stdout.close()


def test_under_an_x_desktop_screen_window_and_notifications_work(
    tmp_path: Path, notification_service: str
) -> None:
    with xvfb_screen(1600, 900) as screen:
        env = child_env(DISPLAY=screen.display, DBUS_SESSION_BUS_ADDRESS=notification_service)
        env.pop("WAYLAND_DISPLAY", None)
        result = run(["self-test"], cwd=tmp_path, timeout=180, env=env)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    screen_line = line(out, "Bildschirmfreigabe (mss)")
    assert screen_line.startswith("  [OK    ]") and "Aufnahme 1600×900 geprüft" in screen_line
    window = line(out, "Fensterfreigabe (X11 Composite)")
    assert window.startswith("  [OK    ]") and "Composite vorhanden" in window
    notify = line(out, "Desktop-Benachrichtigung")
    assert notify.startswith("  [OK    ]")
    assert "org.freedesktop.Notifications über D-Bus erreichbar (Dienst läuft)" in notify
    assert line(out, "Texterkennung Ausweis (tesseract)").startswith("  [OK    ]")
