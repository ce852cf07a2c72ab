"""The console's main window: navigation on the left, pages on the right, status at the bottom."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from advisor_app.client.call_media import CallMedia, DeviceMedia
from advisor_app.client.service_client import ServiceClient
from advisor_app.client.site import LocalSite
from advisor_app.core.clock import Clock
from advisor_app.core.protocol import AdvisorOut, WaitingEntry
from advisor_app.logfile import console_log_path
from advisor_app.ui.accessibility import announce, key_text, with_shortcut
from advisor_app.ui.alerts import ArrivalAlerts, Notifier, TrayNotifier
from advisor_app.ui.call_controller import CallController, MediaFactory
from advisor_app.ui.chime import ChimePlayer, SoundDeviceChime
from advisor_app.ui.dialogs.shortcuts import ShortcutsDialog
from advisor_app.ui.dialogs.sign_in import SignInDialog
from advisor_app.ui.icons import app_icon
from advisor_app.ui.media_prefs import load_media_preferences
from advisor_app.ui.pages.call import CallPage
from advisor_app.ui.pages.devices import DevicesPage
from advisor_app.ui.pages.outbox import OutboxPage
from advisor_app.ui.pages.schedule import SchedulePage
from advisor_app.ui.pages.settings import SettingsPage
from advisor_app.ui.pages.statistics import StatisticsPage
from advisor_app.ui.pages.waiting_room import WaitingRoomPage
from advisor_app.ui.room_feed import RoomFeed
from advisor_app.ui.tasks import TaskRunner
from advisor_app.ui.widgets.navigation import Navigation

log = logging.getLogger(__name__)

#: The call's keys (as in common video-call programs); they work on every page during a call.
CALL_KEYS = {
    "camera": "Ctrl+Shift+O",
    "microphone": "Ctrl+Shift+M",
    "share": "Ctrl+Shift+E",
    "end": "Ctrl+Shift+H",
}


class StartingView(QWidget):
    """Shown while the console connects: a sentence and a quiet busy bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setup_ui()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        self.text = QLabel()
        self.text.setObjectName("sectionTitle")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setTextVisible(False)
        bar.setFixedWidth(280)
        bar.setFixedHeight(6)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(bar)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(3)


def _device_media() -> CallMedia:
    """The devices chosen on the "Geräte" page, read when a call starts."""
    return DeviceMedia(load_media_preferences())


class MainWindow(QMainWindow):
    """Beratungskonsole – Videotermine.

    ``chime`` and ``notifier`` announce arrivals in the waiting room (defaults: the sound
    device and the system tray); tests pass recording ones.
    """

    def __init__(
        self,
        runner: TaskRunner,
        *,
        clock: Clock | None = None,
        chime: ChimePlayer | None = None,
        notifier: Notifier | None = None,
        media: MediaFactory | None = None,
        log_file: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.log_file = log_file or console_log_path()
        self._media: MediaFactory = media or _device_media
        self._clock = clock
        self._chime = chime
        self._notifier = notifier
        self.schedule: SchedulePage | None = None
        self.waiting_room: WaitingRoomPage | None = None
        self.call: CallPage | None = None
        self.call_controller: CallController | None = None
        self.outbox: OutboxPage | None = None
        self.devices: DevicesPage | None = None
        self.statistics: StatisticsPage | None = None
        self.settings: SettingsPage | None = None
        self.room: RoomFeed | None = None
        self._attention = False
        self._room_was_online = False
        self._can_sign_in = False
        self._client: ServiceClient | None = None
        self._username: str | None = None
        self._sign_in: SignInDialog | None = None
        self._site: LocalSite | None = None
        self._setup_ui()
        runner.reachable_changed.connect(self._on_reachable_changed)

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("Beratungskonsole – Videotermine"))
        self.setWindowIcon(app_icon())
        self.resize(1360, 860)
        # small enough for a 1366 × 768 screen at 200 % (683 × 384 logical pixels): the pages
        # scroll inside the window rather than being cut off by the screen's edge
        self.setMinimumSize(640, 360)
        self.starting = StartingView()
        self.setCentralWidget(self.starting)

        quit_action = QAction(self.tr("Beenden"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Hilfe"))
        keys_action = help_menu.addAction(self.tr("&Tastenkürzel"))
        keys_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        keys_action.triggered.connect(self._on_shortcuts_help)
        # IT asks for this file when something went wrong; the advisor finds it here
        self.log_action = help_menu.addAction(self.tr("&Protokolldatei öffnen"))
        self.log_action.setStatusTip(str(self.log_file))
        self.log_action.setToolTip(str(self.log_file))
        self.log_action.triggered.connect(self._on_open_log_file)
        self._help_rows: list[tuple[str, str]] = []

        status = self.statusBar()
        status.setSizeGripEnabled(False)
        self.connection_label = QLabel()
        self.advisor_label = QLabel()
        self.state_label = QLabel()
        status.addWidget(self.connection_label)
        status.addWidget(self.advisor_label)
        status.addPermanentWidget(self.state_label)

    def show_starting(self, text: str) -> None:
        self.starting.text.setText(text)

    def show_console(
        self,
        client: ServiceClient,
        *,
        advisor_name: str,
        connection: str,
        username: str | None = None,
        can_sign_in: bool = False,
        room: RoomFeed | None = None,
        site: LocalSite | None = None,
    ) -> None:
        """Build the pages for a connected service, connect the waiting room, show the schedule.

        ``can_sign_in``: a central service; when it no longer accepts the token, the sign-in
        dialog asks for the password again (the embedded service never signs anyone out).
        ``room``: the waiting-room connection (default: one for ``client``'s service and token).
        ``site``: the embedded service, whose values the settings page changes.
        """
        self._client = client
        self._username = username
        self._can_sign_in = can_sign_in
        if can_sign_in:
            self._runner.signed_out.connect(self._on_signed_out)
        self.room = room or RoomFeed(client, self._runner, parent=self)
        self.room.signed_out.connect(self._on_room_signed_out)
        alerts = ArrivalAlerts(
            self._chime or SoundDeviceChime(),
            self._notifier or TrayNotifier(self, on_clicked=self._on_notification_clicked),
            in_session=lambda: self.in_session,
        )
        self.schedule = SchedulePage(client, self._runner, clock=self._clock)
        self.waiting_room = WaitingRoomPage(self.room, alerts, clock=self._clock)
        self.call_controller = CallController(
            client, self.room, self._runner, self._media, parent=self
        )
        self.call = CallPage(self.call_controller)
        self.outbox = OutboxPage(client, self._runner)
        self.devices = DevicesPage(self._runner)
        self.statistics = StatisticsPage(client, self._runner)
        self.settings = SettingsPage(
            client, self._runner, site=site, in_session=lambda: self.in_session
        )
        self.settings.applied.connect(self._on_settings_applied)
        self._site = site
        new_action = QAction(self.tr("Neuer Termin"), self)
        new_action.setShortcut(QKeySequence.StandardKey.New)
        new_action.triggered.connect(self.schedule.new_button.click)
        self.addAction(new_action)
        self._help_rows = [(key_text(new_action.shortcut()), self.tr("Neuer Termin"))]

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.navigation = Navigation()
        self.pages = QStackedWidget()
        for label, page in (
            (self.tr("Termine"), self.schedule),
            (self.tr("Wartezimmer"), self.waiting_room),
            (self.tr("Gespräch"), self.call),
            (self.tr("Postausgang"), self.outbox),
            (self.tr("Geräte"), self.devices),
            (self.tr("Statistik"), self.statistics),
            (self.tr("Einstellungen"), self.settings),
        ):
            number = self.pages.count() + 1
            item = self.navigation.add_page(label, page)
            self.pages.addWidget(page)
            keys = QKeySequence(f"Ctrl+{number}")
            item.setToolTip(with_shortcut(label, key_text(keys)))
            page_action = QAction(label, self)
            page_action.setShortcut(keys)
            page_action.triggered.connect(lambda _=False, p=page: self._on_page_key(p))
            self.addAction(page_action)
            self._help_rows.append((key_text(keys), self.tr("Seite „{page}“").format(page=label)))
        self._setup_call_keys()
        self._set_call_visible(False)
        self.navigation.currentRowChanged.connect(self._on_navigation_changed)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        scroll = QScrollArea()
        scroll.setObjectName("consoleScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab scrolls to what it reaches
        scroll.setWidget(central)
        self.setCentralWidget(scroll)
        self.navigation.setCurrentRow(0)

        self.waiting_room.count_changed.connect(self._on_waiting_count_changed)
        self.waiting_room.arrived.connect(self._on_arrived)
        self.waiting_room.admitted.connect(self._on_admitted)
        self.waiting_room.consent_revoked.connect(self._on_consent_revoked)
        self.call.ended.connect(self._on_call_ended)
        self.call.ended_note.connect(self.waiting_room.show_info)
        self.call_controller.participant_returned.connect(self._on_participant_returned)

        self.room.online_changed.connect(self._on_room_online_changed)

        self.connection_label.setText(connection)
        self.connection_label.setToolTip(client.base_url)
        self.advisor_label.setText(self.tr("Angemeldet: {name}").format(name=advisor_name))
        self.room.start()
        # a keyboard user starts in the navigation; the window takes the keyboard
        self.navigation.setFocus(Qt.FocusReason.OtherFocusReason)
        self.activateWindow()

    def _setup_call_keys(self) -> None:
        """Camera, microphone, share and end call by keys, on whichever page is shown."""
        assert self.call is not None
        call = self.call
        for what, button, label in (
            ("camera", call.camera_button, self.tr("Kamera ein- oder ausschalten")),
            ("microphone", call.microphone_button, self.tr("Mikrofon stumm oder an")),
            ("share", call.share_button, self.tr("Bildschirm teilen")),
            ("end", call.end_button, self.tr("Gespräch beenden")),
        ):
            keys = QKeySequence(CALL_KEYS[what])
            action = QAction(label, self)
            action.setShortcut(keys)
            action.triggered.connect(lambda _=False, b=button: self._on_call_key(b))
            self.addAction(action)
            tip = button.toolTip()
            button.setToolTip(with_shortcut(tip or label, key_text(keys)))
            self._help_rows.append(
                (key_text(keys), self.tr("Im Gespräch: {action}").format(action=label))
            )

    def help_rows(self) -> list[tuple[str, str]]:
        """Every key of the console and what it does."""
        fixed = [
            (self.tr("Tab / Umschalt+Tab"), self.tr("Zum nächsten / vorigen Bedienelement")),
            (self.tr("Pfeiltasten"), self.tr("In Listen und in der Seitenleiste bewegen")),
            (
                self.tr("Enter oder Leertaste"),
                self.tr("Im Wartezimmer: gewählte Person einlassen; bei Terminen: öffnen"),
            ),
            (self.tr("Bild auf / Bild ab"), self.tr("Im Kalender: voriger / nächster Monat")),
            (self.tr("Enter im Chatverlauf"), self.tr("Den Link der Nachricht öffnen")),
            (key_text(QKeySequence(QKeySequence.StandardKey.HelpContents)), self.tr("Diese Hilfe")),
            (self.tr("Esc"), self.tr("Dialog schließen")),
            (key_text(QKeySequence(QKeySequence.StandardKey.Quit)), self.tr("Beenden")),
        ]
        return [*self._help_rows, *fixed]

    def shortcuts_dialog(self) -> ShortcutsDialog:
        return ShortcutsDialog(self.help_rows(), parent=self)

    def navigation_labels(self) -> list[str]:
        """The navigation's visible entries (the call page only during a session)."""
        if not hasattr(self, "navigation"):
            return []
        return self.navigation.labels()

    def show_page(self, page: QWidget | int) -> None:
        """Show ``page`` (a page widget, or its position in the navigation)."""
        index = page if isinstance(page, int) else self.pages.indexOf(page)
        self.navigation.setCurrentRow(index)

    @property
    def in_session(self) -> bool:
        """A call is on: arrivals only change the badge, no sound, no notification."""
        return self.call is not None and self.call.active

    def waiting_badge(self) -> tuple[int, bool]:
        """The waiting room's badge: how many wait, and whether it asks for attention."""
        if self.waiting_room is None:
            return 0, False
        return self.navigation.badge(self.waiting_room)

    def _set_call_visible(self, visible: bool) -> None:
        assert self.call is not None
        item = self.navigation.item_for(self.call)
        if item is not None:
            item.setHidden(not visible)

    def _show_badge(self) -> None:
        if self.waiting_room is not None:
            self.navigation.set_badge(
                self.waiting_room, self.waiting_room.count, attention=self._attention
            )

    # --- Qt events and slots ------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("window/geometry", self.saveGeometry())
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self._seen_waiting_room()

    def restore_geometry(self) -> None:
        geometry = QSettings().value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def _on_signed_out(self) -> None:
        if self._client is None or self._sign_in is not None:
            return
        dialog = SignInDialog(
            self._client,
            self._runner,
            username=self._username,
            notice=self.tr("Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an."),
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_sign_in_finished)
        self._sign_in = dialog
        dialog.open()

    def _on_sign_in_finished(self, result: int) -> None:
        dialog, self._sign_in = self._sign_in, None
        if result != QDialog.DialogCode.Accepted or dialog is None or dialog.advisor is None:
            self.close()  # "Beenden" in the dialog ends the console
            return
        self._username = dialog.advisor.username
        self.advisor_label.setText(
            self.tr("Angemeldet: {name}").format(name=dialog.advisor.display_name)
        )
        if self.room is not None:
            self.room.start()  # the waiting room again, with the new token
        page = self.pages.currentWidget()
        if isinstance(page, SchedulePage | OutboxPage | StatisticsPage):
            page.refresh()

    def _seen_waiting_room(self) -> None:
        """The advisor looks at the waiting room: the badge stops asking for attention."""
        if self._attention and self.pages.currentWidget() is self.waiting_room:
            self._attention = False
            self._show_badge()

    def _on_shortcuts_help(self) -> None:
        dialog = self.shortcuts_dialog()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def log_file_url(self) -> QUrl:
        """The log file, or its folder while the file does not exist yet."""
        target = self.log_file if self.log_file.exists() else self.log_file.parent
        return QUrl.fromLocalFile(str(target))

    def _on_open_log_file(self) -> None:
        url = self.log_file_url()
        if not QDesktopServices.openUrl(url):
            log.warning("the log file %s could not be opened", url.toLocalFile())
            self.statusBar().showMessage(
                self.tr("Protokolldatei: {path}").format(path=self.log_file), 15000
            )

    def _on_page_key(self, page: QWidget) -> None:
        item = self.navigation.item_for(page)
        if item is not None and not item.isHidden():
            self.show_page(page)
            self.navigation.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_call_key(self, button: QPushButton) -> None:
        if self.in_session and button.isEnabled():
            button.click()

    def _on_room_online_changed(self, online: bool) -> None:
        was_online, self._room_was_online = self._room_was_online, online or self._room_was_online
        if online and was_online:
            announce(self, self.tr("Wartezimmer wieder verbunden."))
        elif not online and was_online:
            announce(
                self,
                self.tr("Verbindung zum Wartezimmer unterbrochen, wird wiederhergestellt."),
                assertive=True,
            )

    def _on_navigation_changed(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        self._seen_waiting_room()

    def _on_room_signed_out(self) -> None:
        if self._can_sign_in:
            self._on_signed_out()
        else:
            log.warning("the local service refused the console's token for the waiting room")

    def _on_notification_clicked(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
        if self.waiting_room is not None and not self.in_session:
            self.show_page(self.waiting_room)

    def _on_waiting_count_changed(self, _count: int) -> None:
        self._show_badge()

    def _on_arrived(self, _new: int) -> None:
        if self.pages.currentWidget() is not self.waiting_room or not self.isActiveWindow():
            self._attention = True
            self._show_badge()

    def _on_admitted(self, entry: WaitingEntry) -> None:
        assert self.call is not None
        assert self.waiting_room is not None
        self.call.add(entry)
        self.waiting_room.set_session(self.call.appointment_id)
        self._set_call_visible(True)
        self.show_page(self.call)
        announce(
            self,
            self.tr("{name} ist eingelassen. Das Gespräch beginnt.").format(name=entry.name),
        )

    def _on_consent_revoked(self, participant_id: int) -> None:
        if self.call is not None:
            self.call.remove(participant_id)

    def _on_participant_returned(self, participant_id: int) -> None:
        if self.waiting_room is not None:
            self.waiting_room.show_returned(participant_id)
            announce(
                self,
                self.tr("Die Verbindung im Gespräch ist abgebrochen. Die Person wartet wieder."),
                assertive=True,
            )

    def _on_call_ended(self) -> None:
        assert self.waiting_room is not None
        self.waiting_room.set_session(None)
        self.show_page(self.waiting_room)
        self._set_call_visible(False)
        announce(self, self.tr("Das Gespräch ist beendet."))

    def _on_settings_applied(self) -> None:
        """The embedded service runs again: same address (unless the port was taken), new
        values; the waiting room reconnects at once and the status bar shows the new name."""
        if self._client is None or self._site is None:
            return
        self._client.base_url = self._site.service.url
        if self.room is not None:
            self.room.start()
        self._runner.run("advisor-name", self._client.me(), on_done=self._on_advisor, owner=self)

    def _on_advisor(self, advisor: AdvisorOut) -> None:
        self.advisor_label.setText(self.tr("Angemeldet: {name}").format(name=advisor.display_name))

    def _on_reachable_changed(self, reachable: bool) -> None:
        if reachable:
            self.state_label.setObjectName("")
            self.state_label.setText(self.tr("Verbunden"))
        else:
            self.state_label.setObjectName("offline")
            self.state_label.setText(self.tr("Dienst nicht erreichbar"))
            announce(self, self.tr("Dienst nicht erreichbar."), assertive=True)
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)
