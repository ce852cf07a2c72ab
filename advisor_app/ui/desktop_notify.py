"""Desktop notifications over D-Bus (``org.freedesktop.Notifications``) for Linux desktops
without a system tray (GNOME, many Wayland sessions), where an arrival would otherwise only
flash the taskbar entry.

Sent with jeepney (pure Python, already used by keyring on Linux) from one worker thread, so
the window never waits for the bus; every failure is logged once and then ignored: the
taskbar alert and the waiting room's badge still tell the advisor.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
CALL_TIMEOUT_S = 3.0


def session_bus_available() -> bool:
    """A Linux (or BSD) desktop session with a D-Bus session bus."""
    return sys.platform.startswith(("linux", "freebsd")) and bool(
        os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    )


class DesktopNotifications:
    """Sends ``Notify`` calls; :meth:`notify` returns at once (a future of the id, for tests)."""

    def __init__(self, app_name: str, desktop_entry: str, timeout_ms: int) -> None:
        self._app_name = app_name
        self._desktop_entry = desktop_entry
        self._timeout_ms = timeout_ms
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notify")
        self._connection: Any = None
        self._failed = False

    def notify(self, title: str, text: str) -> Future[int | None]:
        return self._pool.submit(self._send, title, text)

    def close(self) -> None:
        self._pool.submit(self._disconnect)
        self._pool.shutdown(wait=False)

    def _send(self, title: str, text: str) -> int | None:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
        from jeepney.wrappers import unwrap_msg

        try:
            if self._connection is None:
                self._connection = open_dbus_connection(bus="SESSION")
            address = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=INTERFACE)
            hints = {"desktop-entry": ("s", self._desktop_entry), "urgency": ("y", 1)}
            message = new_method_call(
                address,
                "Notify",
                "susssasa{sv}i",
                (self._app_name, 0, self._desktop_entry, title, text, [], hints, self._timeout_ms),
            )
            reply = self._connection.send_and_get_reply(message, timeout=CALL_TIMEOUT_S)
            body = unwrap_msg(reply)  # an error reply raises DBusErrorResponse
        except Exception as exc:  # no bus, no notification service, a refusing service
            self._disconnect()
            if not self._failed:
                self._failed = True
                log.info("desktop notification not shown: %s", exc)
            return None
        return int(body[0]) if body else None

    def _disconnect(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.close()
