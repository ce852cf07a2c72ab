"""Arrivals without a system tray: the desktop's notification service (D-Bus) shows them.

A private ``dbus-daemon`` session bus, and on it a notification server written here with
jeepney that records every ``Notify`` call, as GNOME's or KDE's would receive it.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from jeepney import HeaderFields, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSystemTrayIcon, QWidget
from pytestqt.qtbot import QtBot

from advisor_app.core.domain import BERLIN, Role
from advisor_app.core.protocol import WaitingEntry
from advisor_app.ui.alerts import ArrivalAlerts, TrayNotifier
from advisor_app.ui.chime import ChimePlayer
from advisor_app.ui.desktop_notify import BUS_NAME, INTERFACE, OBJECT_PATH
from tests.helpers.ui import wait_until

pytestmark = pytest.mark.gui


class NotificationServer(threading.Thread):
    """``org.freedesktop.Notifications`` on the given bus; ``received`` holds each call's body."""

    def __init__(self, address: str) -> None:
        super().__init__(name="fake-notifications", daemon=True)
        self.address = address
        self.received: list[tuple[Any, ...]] = []
        self.ready = threading.Event()
        self.stopping = threading.Event()

    def run(self) -> None:
        connection = open_dbus_connection(bus=self.address)
        try:
            connection.send_and_get_reply(message_bus.RequestName(BUS_NAME), timeout=5)
            self.ready.set()
            while not self.stopping.is_set():
                try:
                    message = connection.receive(timeout=0.1)
                except TimeoutError:
                    continue
                header = message.header
                if header.message_type is not MessageType.method_call:
                    continue
                fields = header.fields
                if (
                    fields.get(HeaderFields.member) == "Notify"
                    and fields.get(HeaderFields.interface) == INTERFACE
                    and fields.get(HeaderFields.path) == OBJECT_PATH
                    and fields.get(HeaderFields.signature) == "susssasa{sv}i"
                ):
                    self.received.append(message.body)
                    connection.send(new_method_return(message, "u", (len(self.received),)))
                else:
                    connection.send(
                        new_error(message, "org.freedesktop.DBus.Error.UnknownMethod", "s", ("",))
                    )
        finally:
            connection.close()


@pytest.fixture
def session_bus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private session bus (never the developer's); its address is in the environment."""
    daemon = subprocess.Popen(
        [
            "dbus-daemon",
            "--session",
            "--nofork",
            "--print-address=1",
            f"--address=unix:path={tmp_path / 'bus'}",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    assert address.startswith("unix:"), address
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    yield address
    daemon.terminate()
    daemon.wait(timeout=10)
    daemon.stdout.close()


@pytest.fixture
def server(session_bus: str) -> Iterator[NotificationServer]:
    fake = NotificationServer(session_bus)
    fake.start()
    assert fake.ready.wait(10)
    yield fake
    fake.stopping.set()
    fake.join(10)


def _entry(name: str, role: Role = Role.CITIZEN) -> WaitingEntry:
    return WaitingEntry.model_validate(
        {
            "participant_id": 7,
            "appointment_id": 3,
            "name": name,
            "role": role.value,
            "starts_at": datetime(2026, 12, 10, 9, 30, tzinfo=BERLIN).isoformat(),
            "duration_min": 30,
            "waiting_since": datetime(2026, 12, 10, 9, 26, tzinfo=BERLIN).isoformat(),
            "online": True,
        }
    )


def test_an_arrival_without_a_tray_reaches_the_desktops_notifications(
    qtbot: QtBot, server: NotificationServer
) -> None:
    assert not QSystemTrayIcon.isSystemTrayAvailable()  # the offscreen platform has none
    window = QWidget()
    qtbot.addWidget(window)
    notifier = TrayNotifier(window)
    alerts = ArrivalAlerts(ChimePlayer(), notifier)
    alerts.chime_enabled = False
    assert alerts.announce([_entry("Maria Schneider")])
    wait_until(lambda: len(server.received) == 1, message="Notify call")
    app_name, replaces, icon, title, body, actions, hints, timeout = server.received[0]
    assert app_name == QGuiApplication.applicationDisplayName()
    # exactly what the tray message shows: the person's name and the appointment's time
    assert (title, body) == ("Maria Schneider ist im Wartezimmer", "Termin um 09:30 Uhr")
    assert replaces == 0 and actions == [] and timeout == 10_000
    assert hints["desktop-entry"] == ("s", icon)

    assert alerts.announce([_entry("Leyla Demir", Role.INTERPRETER)])
    wait_until(lambda: len(server.received) == 2, message="second Notify call")
    assert server.received[1][3] == "Leyla Demir (Dolmetschen) ist im Wartezimmer"
    assert notifier.desktop is not None


def test_without_a_notification_service_nothing_fails(qtbot: QtBot, session_bus: str) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    notifier = TrayNotifier(window)
    notifier.notify("Maria Schneider ist im Wartezimmer", "Termin um 09:30 Uhr")
    assert notifier.desktop is not None
    assert notifier.desktop.notify("x", "y").result(timeout=10) is None  # refused, logged once
