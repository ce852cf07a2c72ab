"""The console's main window: navigation on the left, pages on the right, status at the bottom."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from advisor_app.core.protocol import AdvisorOut, WaitingEntry
from advisor_app.ui.accessibility import announce, key_text, with_shortcut
from advisor_app.ui.alerts import ArrivalAlerts, TrayNotifier
from advisor_app.ui.dialogs.shortcuts import ShortcutsDialog
from advisor_app.ui.dialogs.sign_in import SignInDialog
from advisor_app.ui.dialogs.team_members import TeamMembersDialog
from advisor_app.ui.pages.call import CallPage
from advisor_app.ui.pages.devices import DevicesPage
from advisor_app.ui.pages.outbox import OutboxPage
from advisor_app.ui.pages.schedule import SchedulePage
from advisor_app.ui.pages.settings import SettingsPage
from advisor_app.ui.pages.statistics import StatisticsPage
from advisor_app.ui.pages.waiting_room import WaitingRoomPage
from advisor_app.ui.services import ConsoleServices
from advisor_app.ui.widgets.navigation import Navigation
from advisor_app.ui.window_base import ConsoleWindowBase

log = logging.getLogger(__name__)

#: The call's keys (as in common video-call programs); they work on every page during a call.
CALL_KEYS = {
    "camera": "Ctrl+Shift+O",
    "microphone": "Ctrl+Shift+M",
    "share": "Ctrl+Shift+E",
    "end": "Ctrl+Shift+H",
}


class MainWindow(ConsoleWindowBase):
    """Beratungskonsole – Videotermine: the pages of a signed-in console.

    Built from the console's :class:`~advisor_app.ui.services.ConsoleServices` (made before
    the window), whose parts it hands to its pages; it connects the waiting room at once.
    """

    def __init__(self, services: ConsoleServices, parent: QWidget | None = None) -> None:
        super().__init__(services.log_file, parent)
        self.services = services
        self._runner = services.runner
        self._client = services.client
        self._username = services.signed_in.username
        self._sign_in: SignInDialog | None = None
        self._attention = False
        self._room_was_online = False
        self.room = services.room
        runner, client, clock = services.runner, services.client, services.clock
        alerts = ArrivalAlerts(
            services.chime,
            services.notifier or TrayNotifier(self, on_clicked=self._on_notification_clicked),
            in_session=lambda: self.in_session,
        )
        self.teams = services.teams
        self.schedule = SchedulePage(client, runner, clock=clock, teams=self.teams)
        self.waiting_room = WaitingRoomPage(self.room, alerts, clock=clock, teams=self.teams)
        self.call_controller = services.calls
        self.call = CallPage(self.call_controller)
        self.outbox = OutboxPage(client, runner)
        self.devices = DevicesPage(runner)
        self.statistics = StatisticsPage(client, runner, teams=self.teams)
        self.settings = SettingsPage(
            client, runner, site=services.site, in_session=lambda: self.in_session
        )
        self._setup_ui()
        self._connect_signals()
        self.room.start()  # online, the waiting room loads the teams (``TeamDirectory``)
        # a keyboard user starts in the navigation; the window takes the keyboard
        self.navigation.setFocus(Qt.FocusReason.OtherFocusReason)
        self.activateWindow()

    def _setup_ui(self) -> None:
        keys_action = self.help_menu.addAction(self.tr("&Tastenkürzel"))
        keys_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        keys_action.triggered.connect(self._on_shortcuts_help)
        # IT asks for this file when something went wrong; the advisor finds it here
        self.help_menu.addAction(self.log_action)

        status = self.statusBar()
        status.setSizeGripEnabled(False)
        self.connection_label = QLabel(self.services.signed_in.connection)
        self.connection_label.setToolTip(self.services.client.base_url)
        self.advisor_label = QLabel(
            self.tr("Angemeldet: {name}").format(name=self.services.signed_in.advisor_name)
        )
        self.state_label = QLabel()
        status.addWidget(self.connection_label)
        status.addWidget(self.advisor_label)
        status.addPermanentWidget(self.state_label)
        if self._runner.reachable is not None:  # the sign-in already talked to the service
            self._show_reachable(self._runner.reachable)

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

    def _connect_signals(self) -> None:
        self._runner.reachable_changed.connect(self._on_reachable_changed)
        if self.services.signed_in.can_sign_in:
            self._runner.signed_out.connect(self._on_signed_out)
        self.room.signed_out.connect(self._on_room_signed_out)
        self.room.online_changed.connect(self._on_room_online_changed)
        self.waiting_room.count_changed.connect(self._on_waiting_count_changed)
        self.waiting_room.arrived.connect(self._on_arrived)
        self.waiting_room.admitted.connect(self._on_admitted)
        self.waiting_room.consent_revoked.connect(self._on_consent_revoked)
        self.waiting_room.appointments_changed.connect(self.schedule.refresh)
        self.waiting_room.manage_team_requested.connect(self._on_manage_team)
        self.call.ended.connect(self._on_call_ended)
        self.call.ended_note.connect(self.waiting_room.show_info)
        self.call_controller.participant_returned.connect(self._on_participant_returned)
        self.settings.applied.connect(self._on_settings_applied)

    def _setup_call_keys(self) -> None:
        """Camera, microphone, share and end call by keys, on whichever page is shown."""
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
        return self.navigation.labels()

    def show_page(self, page: QWidget | int) -> None:
        """Show ``page`` (a page widget, or its position in the navigation)."""
        index = page if isinstance(page, int) else self.pages.indexOf(page)
        self.navigation.setCurrentRow(index)

    @property
    def in_session(self) -> bool:
        """A call is on: arrivals only change the badge, no sound, no notification."""
        return self.call.active

    def waiting_badge(self) -> tuple[int, bool]:
        """The waiting room's badge: how many wait, and whether it asks for attention."""
        return self.navigation.badge(self.waiting_room)

    def _set_call_visible(self, visible: bool) -> None:
        item = self.navigation.item_for(self.call)
        if item is not None:
            item.setHidden(not visible)

    def _show_badge(self) -> None:
        self.navigation.set_badge(
            self.waiting_room, self.waiting_room.count, attention=self._attention
        )

    # --- Qt events and slots ------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self._seen_waiting_room()

    def _on_signed_out(self) -> None:
        if self._sign_in is not None:
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
        if self.services.signed_in.can_sign_in:
            self._on_signed_out()
        else:
            log.warning("the local service refused the console's token for the waiting room")

    def _on_notification_clicked(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
        if not self.in_session:
            self.show_page(self.waiting_room)

    def _on_waiting_count_changed(self, _count: int) -> None:
        self._show_badge()

    def _on_arrived(self, _new: int) -> None:
        if self.pages.currentWidget() is not self.waiting_room or not self.isActiveWindow():
            self._attention = True
            self._show_badge()

    def _on_admitted(self, entry: WaitingEntry) -> None:
        self.call.add(entry)
        self.waiting_room.set_session(self.call.appointment_id)
        self._set_call_visible(True)
        self.show_page(self.call)
        announce(
            self,
            self.tr("{name} ist eingelassen. Das Gespräch beginnt.").format(name=entry.name),
        )

    def _on_manage_team(self) -> None:
        dialog = TeamMembersDialog(self.teams, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _on_consent_revoked(self, participant_id: int) -> None:
        self.call.remove(participant_id)

    def _on_participant_returned(self, participant_id: int) -> None:
        self.waiting_room.show_returned(participant_id)
        announce(
            self,
            self.tr("Die Verbindung im Gespräch ist abgebrochen. Die Person wartet wieder."),
            assertive=True,
        )

    def _on_call_ended(self) -> None:
        self.waiting_room.set_session(None)
        self.show_page(self.waiting_room)
        self._set_call_visible(False)
        announce(self, self.tr("Das Gespräch ist beendet."))

    def _on_settings_applied(self) -> None:
        """The embedded service runs again: same address (unless the port was taken), new
        values; the waiting room reconnects at once and the status bar shows the new name."""
        site = self.services.site
        if site is None:
            return
        self._client.base_url = site.service.url
        self.room.start()
        self._runner.run("advisor-name", self._client.me(), on_done=self._on_advisor, owner=self)

    def _on_advisor(self, advisor: AdvisorOut) -> None:
        self.advisor_label.setText(self.tr("Angemeldet: {name}").format(name=advisor.display_name))

    def _on_reachable_changed(self, reachable: bool) -> None:
        self._show_reachable(reachable)
        if not reachable:
            announce(self, self.tr("Dienst nicht erreichbar."), assertive=True)

    def _show_reachable(self, reachable: bool) -> None:
        if reachable:
            self.state_label.setObjectName("")
            self.state_label.setText(self.tr("Verbunden"))
        else:
            self.state_label.setObjectName("offline")
            self.state_label.setText(self.tr("Dienst nicht erreichbar"))
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)
