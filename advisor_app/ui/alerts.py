"""Telling the advisor that somebody entered the waiting room: chime and system notification.

:class:`ArrivalAlerts` decides; the chime (:mod:`advisor_app.ui.chime`) and the notifier are
passed in, so tests hand in recording fakes. During a session (a call is on) there is no sound
and no notification at all: the navigation's badge is the only sign (the main window draws it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from advisor_app.core.domain import Role
from advisor_app.core.protocol import WaitingEntry
from advisor_app.ui.accessibility import announce_app
from advisor_app.ui.chime import ChimePlayer
from advisor_app.ui.desktop_notify import DesktopNotifications, session_bus_available
from advisor_app.ui.icons import app_icon
from advisor_app.ui.labels import clock_label, role_label

log = logging.getLogger(__name__)

CHIME_SETTING = "waiting_room/chime"
NOTIFICATION_MS = 10_000


class Notifier:
    """Shows a desktop notification; this base class shows nothing (tests subclass it)."""

    def notify(self, title: str, text: str) -> None:
        """Show ``title`` and ``text`` outside the window, if the desktop can."""


class TrayNotifier(Notifier):
    """A message from the system tray icon, and the taskbar entry asks for attention.

    Where the desktop has no tray (GNOME and many other Linux desktops), the desktop's
    notification service (``org.freedesktop.Notifications`` on the session bus) shows the same
    title and text; where there is neither (a terminal server, the tests' offscreen platform
    without a bus) only the taskbar alert remains; nothing fails and nothing is logged as an
    error. Clicking the tray's message calls ``on_clicked`` (the main window shows the waiting
    room).
    """

    def __init__(self, window: QWidget, on_clicked: Callable[[], None] | None = None) -> None:
        self._window = window
        self._on_clicked = on_clicked
        self._tray: QSystemTrayIcon | None = None
        self._desktop: DesktopNotifications | None = None
        self._checked = False

    @property
    def desktop(self) -> DesktopNotifications | None:
        """The D-Bus notifications used instead of a missing tray (after the first notify)."""
        return self._desktop

    def _ensure_tray(self) -> QSystemTrayIcon | None:
        if self._checked:
            return self._tray
        self._checked = True
        if not (QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages()):
            if session_bus_available():
                log.info("no system tray: arrivals are shown by the desktop's notifications")
                self._desktop = DesktopNotifications(
                    QGuiApplication.applicationDisplayName(),
                    QGuiApplication.desktopFileName() or "advisor-console",
                    NOTIFICATION_MS,
                )
                self._window.destroyed.connect(self._desktop.close)
            else:
                log.info("no system tray: arrival notifications only flash the taskbar entry")
            return None
        tray = QSystemTrayIcon(app_icon(), self._window)
        tray.setToolTip(QGuiApplication.applicationDisplayName())
        if self._on_clicked is not None:
            tray.messageClicked.connect(self._on_clicked)
        tray.show()
        self._tray = tray
        return tray

    def notify(self, title: str, text: str) -> None:
        QApplication.alert(self._window)
        tray = self._ensure_tray()
        if tray is not None:
            tray.showMessage(title, text, app_icon(), NOTIFICATION_MS)
        elif self._desktop is not None:
            self._desktop.notify(title, text)


def person_text(entry: WaitingEntry) -> str:
    """``Maria Schneider`` or, for a guest, ``Leyla Demir (Dolmetschen)``."""
    if entry.role is Role.CITIZEN:
        return entry.name
    return QCoreApplication.translate("ArrivalAlerts", "{name} ({role})").format(
        name=entry.name, role=role_label(entry.role)
    )


class ArrivalAlerts:
    """Chime and notification for arrivals, unless a session is running."""

    def __init__(
        self,
        chime: ChimePlayer,
        notifier: Notifier,
        *,
        in_session: Callable[[], bool] = lambda: False,
    ) -> None:
        self._chime = chime
        self._notifier = notifier
        self._in_session = in_session

    @property
    def chime_enabled(self) -> bool:
        """The advisor's choice, kept in the user settings (default: on)."""
        value = QSettings().value(CHIME_SETTING, True)
        return value not in (False, "false", "0", 0)

    @chime_enabled.setter
    def chime_enabled(self, enabled: bool) -> None:
        QSettings().setValue(CHIME_SETTING, enabled)

    def announce(self, entries: Sequence[WaitingEntry]) -> bool:
        """Announce newly arrived people; False when the session keeps it quiet (or no one)."""
        if not entries or self._in_session():
            return False
        if self.chime_enabled:
            self._chime.play()
        if len(entries) == 1:
            entry = entries[0]
            title = QCoreApplication.translate(
                "ArrivalAlerts", "{person} ist im Wartezimmer"
            ).format(person=person_text(entry))
            text = QCoreApplication.translate("ArrivalAlerts", "Termin um {time}").format(
                time=clock_label(entry.starts_at)
            )
        else:
            title = QCoreApplication.translate(
                "ArrivalAlerts", "{n} Personen sind neu im Wartezimmer"
            ).format(n=len(entries))
            text = ", ".join(
                QCoreApplication.translate("ArrivalAlerts", "{person} ({time})").format(
                    person=person_text(e), time=clock_label(e.starts_at)
                )
                for e in entries
            )
        self._notifier.notify(title, text)
        announce_app(f"{title}. {text}")  # the screen reader says it, too
        return True
