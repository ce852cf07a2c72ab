"""Qt part of the self-test, run in a child process: the platform plugin, and the desktop
notification path (a tray, or org.freedesktop.Notifications on the D-Bus session bus)."""

from __future__ import annotations

import sys

#: The freedesktop notification service (Linux desktops without a tray show these).
NOTIFICATIONS = "org.freedesktop.Notifications"
#: What the advisor misses without any notification path.
_MISSED = (
    "Ankünfte im Wartezimmer zeigt nur das Konsolenfenster (Zähler und Ton), keine Desktop-Meldung"
)


def qt_report() -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    platform = QGuiApplication.platformName()
    screens = len(QGuiApplication.screens())
    del app
    return f"PySide6 {pyside_version}, Plattform {platform}, {screens} Bildschirm(e)"


def notification_report() -> tuple[bool, str]:
    """Whether the console can show a desktop notification, and the line saying so."""
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    app = QApplication.instance() or QApplication([])
    tray = QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages()
    del app
    if tray:
        return True, "Symbolleiste (Tray) vorhanden: Ankünfte erscheinen als Desktop-Meldung"
    if not sys.platform.startswith("linux"):
        return False, f"keine Symbolleiste (Tray): {_MISSED}"
    found, why = _dbus_notifications()
    if found:
        return True, f"keine Symbolleiste, aber {NOTIFICATIONS} über D-Bus erreichbar ({why})"
    return False, f"keine Symbolleiste und {why}: {_MISSED}"


def _dbus_notifications() -> tuple[bool, str]:
    """Is the notification service on the session bus (running, or started on demand)?"""
    from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage

    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        return False, "keine D-Bus-Sitzung"
    if bus.interface().isServiceRegistered(NOTIFICATIONS).value():
        return True, "Dienst läuft"
    ask = QDBusMessage.createMethodCall(
        "org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        "org.freedesktop.DBus",
        "ListActivatableNames",
    )
    reply = bus.call(ask, QDBus.CallMode.Block, 3000)
    names = reply.arguments()[0] if reply.arguments() else []
    if NOTIFICATIONS in names:
        return True, "Dienst startet bei Bedarf"
    return False, f"kein Dienst {NOTIFICATIONS} in der D-Bus-Sitzung"
