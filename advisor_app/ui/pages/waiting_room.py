"""Wartezimmer: who is waiting right now, their device check, and admit / message / send away.

The page lives on the events of the advisor's waiting-room socket (:class:`RoomFeed`): a
snapshot after every (re)connect, then arrivals, changes (device check, connection) and
departures. It never polls. The "waiting since" texts move with a timer every few seconds.
Arrivals are announced through :class:`ArrivalAlerts` (chime and notification, silent during
a session); admitting somebody is confirmed by the service before the call page opens.
"""

from __future__ import annotations

from functools import partial

from pydantic import BaseModel
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from advisor_app.console.team_room import Handover, TeamEvents, TeamWaitingRoom
from advisor_app.console.waiting_room import Leaving, WaitingRoom, WaitingRoomEvents
from advisor_app.core.clock import Clock, SystemClock
from advisor_app.core.protocol import SocketError, TeamWaitingEntry, WaitingEntry
from advisor_app.ui.accessibility import key_route
from advisor_app.ui.alerts import ArrivalAlerts
from advisor_app.ui.dialogs.colleague_dialog import HandOverDialog
from advisor_app.ui.dialogs.note_dialog import NoteDialog
from advisor_app.ui.dialogs.send_away_dialog import SendAwayDialog
from advisor_app.ui.labels import OFFLINE_COLOUR, ONLINE_COLOUR
from advisor_app.ui.room_feed import RoomFeed
from advisor_app.ui.team_directory import TeamDirectory
from advisor_app.ui.widgets.message_bar import Level, MessageBar
from advisor_app.ui.widgets.team_list import TeamModel, TeamPanel
from advisor_app.ui.widgets.waiting_detail import WaitingDetail
from advisor_app.ui.widgets.waiting_list import WaitingList, WaitingModel

TICK_MS = 5_000
NOTE_MS = 10_000
_CONNECTING_COLOUR = "#8a8f98"


class WaitingRoomPage(QWidget):
    """Lists the people waiting for the signed-in advisor, sorted by appointment time."""

    #: The service confirmed an admission this console asked for (the :class:`WaitingEntry`).
    admitted = Signal(WaitingEntry)
    #: How many people are waiting now.
    count_changed = Signal(int)
    #: Somebody new entered the waiting room (the number of new people).
    arrived = Signal(int)
    #: A participant revoked their consent (participant id); the call page drops them too.
    consent_revoked = Signal(int)
    #: Appointments of this advisor changed elsewhere (a colleague's substitution).
    appointments_changed = Signal()
    #: The lead asks for the team membership dialog.
    manage_team_requested = Signal()

    def __init__(
        self,
        room: RoomFeed,
        alerts: ArrivalAlerts,
        *,
        clock: Clock | None = None,
        tick_ms: int = TICK_MS,
        teams: TeamDirectory | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._room = room
        self._teams = teams
        self._alerts = alerts
        self._clock = clock or SystemClock()
        self._model = WaitingModel(self._clock.now(), self)
        self._waiting = WaitingRoom(
            self._model.waiting,
            WaitingRoomEvents(
                arrived=self._on_arrived,
                changed=self._after_change,
                admitted=self.admitted.emit,
                left=self._on_left,
                consent_revoked=self._on_consent_revoked,
                refused=self._on_refused,
            ),
        )
        self._team_model = TeamModel(self._clock.now(), self)
        self._team = TeamWaitingRoom(
            self._team_model.team,
            self._waiting,
            TeamEvents(
                changed=self._after_team_change,
                admitted=self.admitted.emit,
                taken_by_colleague=self._on_taken_by_colleague,
                handed_to_you=self._on_handed_to_you,
                appointments_changed=self.appointments_changed.emit,
            ),
        )
        self._connection_text = ""
        self._was_online = False
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self._on_tick)
        self._setup_ui()
        room.event_received.connect(self._on_room_event)
        room.online_changed.connect(self._on_online_changed)
        if teams is not None:
            teams.changed.connect(self._on_teams_changed)
        self._show_connection()
        self._show_count()
        self._show_team_count()

    # --- layout -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)

        header = QHBoxLayout()
        header.setSpacing(16)
        title = QLabel(self.tr("Wartezimmer"))
        title.setObjectName("pageTitle")
        header.addWidget(title)
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        header.addWidget(self.summary, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch(1)
        self.connection = QLabel()
        self.connection.setTextFormat(Qt.TextFormat.RichText)
        self.connection.setAccessibleName(self.tr("Verbindung zum Wartezimmer"))
        header.addWidget(self.connection)
        self.chime_box = QCheckBox(self.tr("Ton bei Ankunft"))
        self.chime_box.setToolTip(
            self.tr(
                "Ein kurzer Ton, wenn jemand das Wartezimmer betritt (nie während eines Gesprächs)."
            )
        )
        self.chime_box.setChecked(self._alerts.chime_enabled)
        self.chime_box.toggled.connect(self._on_chime_toggled)
        header.addWidget(self.chime_box)
        layout.addLayout(header)

        self.message_bar = MessageBar(self)
        layout.addWidget(self.message_bar)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        self.list_stack = QStackedWidget()
        empty = QWidget()
        empty.setObjectName("emptyWaiting")
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(2)
        self.empty_title = QLabel(self.tr("Zurzeit wartet niemand."))
        self.empty_title.setObjectName("sectionTitle")
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty_layout.addWidget(self.empty_title)
        self.empty_hint = QLabel(
            self.tr(
                "Sobald jemand das Wartezimmer betritt, erscheint die Person hier. "
                "Sie hören einen Ton und sehen eine Mitteilung."
            )
        )
        self.empty_hint.setObjectName("hint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)
        empty_layout.addWidget(self.empty_hint)
        empty_layout.addStretch(3)
        self.list_stack.addWidget(empty)
        self.list = WaitingList(self._model)
        self.list.selection_changed.connect(self._on_selection_changed)
        self.list.admit_requested.connect(self._on_row_admit)
        self.list_stack.addWidget(self.list)
        splitter.addWidget(self.list_stack)

        self.detail = WaitingDetail()
        self.detail.setMinimumWidth(400)
        self.detail.admit_requested.connect(self._on_admit_clicked)
        self.detail.note_chosen.connect(self._on_note_chosen)
        self.detail.custom_note_requested.connect(self._on_custom_note_clicked)
        self.detail.send_away_requested.connect(self._on_send_away_clicked)
        self.detail.hand_over_requested.connect(self._on_hand_over_clicked)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([640, 420])

        self.views = QTabWidget()
        self.views.setObjectName("waitingViews")
        self.views.setDocumentMode(True)
        self.views.setAccessibleName(self.tr("Ansicht des Wartezimmers"))
        key_route(self.views.tabBar(), self.tr("Strg+Tab wechselt die Ansicht"))
        mine = QWidget()
        mine_layout = QVBoxLayout(mine)
        mine_layout.setContentsMargins(0, 8, 0, 0)
        mine_layout.addWidget(splitter)
        self.views.addTab(mine, self.tr("Meine Termine"))
        self.team_panel = TeamPanel(self._team_model)
        self.team_panel.list.selection_changed.connect(self._on_team_selection_changed)
        self.team_panel.list.admit_requested.connect(self._on_team_row_admit)
        self.team_panel.detail.admit_requested.connect(self._on_team_admit_clicked)
        self.manage_team_button = QPushButton(self.tr("Team verwalten …"))
        self.manage_team_button.clicked.connect(self.manage_team_requested)
        self.manage_team_button.hide()
        self.views.setCornerWidget(self.manage_team_button, Qt.Corner.TopRightCorner)
        self.views.addTab(self.team_panel, self.tr("Team"))
        self.views.setTabToolTip(
            1, self.tr("Wer bei Kolleginnen und Kollegen Ihrer Teams wartet (Strg+Tab wechselt)")
        )
        self.views.currentChanged.connect(self._on_view_changed)
        layout.addWidget(self.views, 1)

    # --- state --------------------------------------------------------------------------

    @property
    def count(self) -> int:
        return self._model.rowCount()

    def entries(self) -> list[WaitingEntry]:
        return self._model.entries()

    def selected_entry(self) -> WaitingEntry | None:
        return self._model.entry(self.list.selected_id())

    def select(self, participant_id: int) -> None:
        self.list.select(participant_id)

    def team_entries(self) -> list[TeamWaitingEntry]:
        return self._team.entries()

    def selected_team_entry(self) -> TeamWaitingEntry | None:
        return self._team.entry(self.team_panel.list.selected_id())

    def select_team(self, participant_id: int) -> None:
        self.team_panel.list.select(participant_id)

    def show_team(self, team: bool = True) -> None:
        """Show the "Team" view (False: "Meine Termine")."""
        self.views.setCurrentIndex(1 if team else 0)

    def connection_text(self) -> str:
        """The connection indicator's words (without the coloured dot)."""
        return self._connection_text

    def set_session(self, appointment_id: int | None) -> None:
        """The appointment of the running session (None: no session): others cannot join it."""
        self._waiting.session_appointment = appointment_id
        self._show_actions()
        self._show_team_actions()

    def _show_count(self) -> None:
        count = self.count
        if count == 0:
            text = self.tr("Niemand wartet")
        elif count == 1:
            text = self.tr("1 Person wartet")
        else:
            text = self.tr("{n} Personen warten").format(n=count)
        self.summary.setText(text)
        self.list_stack.setCurrentIndex(1 if count else 0)
        self.count_changed.emit(count)

    def _show_connection(self) -> None:
        if self._room.online:
            colour, text = ONLINE_COLOUR, self.tr("Live verbunden")
        elif self._was_online:
            colour = OFFLINE_COLOUR
            text = self.tr("Verbindung unterbrochen – wird wiederhergestellt…")
        else:
            colour, text = _CONNECTING_COLOUR, self.tr("Verbindung wird hergestellt…")
        self._connection_text = text
        self.connection.setText(f'<span style="color:{colour}; font-size:13pt">●</span> {text}')
        self.connection.setToolTip(
            ""
            if self._room.online
            else self.tr(
                "Die Liste zeigt den letzten bekannten Stand. Einlassen, Nachrichten und "
                "Wegschicken sind wieder möglich, sobald die Verbindung steht."
            )
        )

    def _show_team_count(self) -> None:
        count = len(self._team.entries())
        self.views.setTabText(
            1, self.tr("Team ({n})").format(n=count) if count else self.tr("Team")
        )
        self.views.setTabText(
            0,
            self.tr("Meine Termine ({n})").format(n=self.count)
            if self.count
            else self.tr("Meine Termine"),
        )
        self.team_panel.list_stack.setCurrentIndex(1 if count else 0)
        # a team of one (no colleagues, nobody of a team waiting): today's page, no tabs
        has_team = bool(count) or (self._teams is not None and bool(self._teams.colleagues()))
        bar = self.views.tabBar()
        bar.setVisible(has_team)
        # The tab widget hands its focus to the tab bar: hidden, it would keep Tab there; so
        # both take focus only while the tabs are shown (Ctrl+Tab switches them, too).
        policy = Qt.FocusPolicy.TabFocus if has_team else Qt.FocusPolicy.NoFocus
        self.views.setFocusPolicy(policy)
        bar.setFocusPolicy(policy)
        if not has_team:
            self.views.setCurrentIndex(0)

    def _show_selected(self) -> None:
        entry = self.selected_entry()
        self.detail.show_entry(entry, self._clock.now())
        handover = self._team.handover(entry.participant_id) if entry is not None else None
        if handover is None:
            self.detail.show_handover(None)
        else:
            self.detail.show_handover(handover.from_name, handover.note)
        self._show_actions()

    def _show_team_selected(self) -> None:
        self.team_panel.detail.show_entry(self.selected_team_entry(), self._clock.now())
        self._show_team_actions()

    def _show_team_actions(self) -> None:
        entry = self.team_panel.detail.entry
        if entry is None:
            return
        hint = ""
        if not self._room.online:
            hint = self.tr("Keine Verbindung zum Dienst.")
        elif not entry.may_admit:
            hint = self.tr(
                "{colleague} lässt die Person selbst ein. Einlassen können Sie, wenn "
                "{colleague} abwesend oder im Gespräch ist und der Termin schon einige "
                "Minuten begonnen hat."
            ).format(colleague=entry.advisor_name)
        elif not self._team.may_admit(entry):
            hint = self.tr("Beenden Sie zuerst das laufende Gespräch, um diese Person einzulassen.")
        self.team_panel.detail.set_actions(
            admit=self._room.online and self._team.may_admit(entry), hint=hint
        )

    def _show_actions(self) -> None:
        entry = self.detail.entry
        if entry is None:
            return
        other_session = not self._waiting.may_admit(entry)
        hint = ""
        if not self._room.online:
            hint = self.tr("Keine Verbindung zum Dienst.")
        elif other_session:
            hint = self.tr("Beenden Sie zuerst das laufende Gespräch, um diese Person einzulassen.")
        self.detail.set_actions(
            enabled=self._room.online,
            admit=not other_session,
            hint=hint,
            hand_over=self._teams is not None and bool(self._teams.colleagues()),
        )

    def _on_row_admit(self) -> None:
        """Enter or Space on a row: as a click on "Einlassen" (only where it is enabled)."""
        self.detail.admit_button.click()

    def show_returned(self, participant_id: int) -> None:
        """A participant's call broke off (the service restarted, or this console was away
        too long): they are listed here again and may be admitted again."""
        # After this turn of the loop the list has the room's event that said so.
        QTimer.singleShot(0, self, lambda: self._say_returned(participant_id))

    def _say_returned(self, participant_id: int) -> None:
        name = self._waiting.name(participant_id) or self.tr("Eine Person")
        self.message_bar.show_message(
            self.tr(
                "Die Verbindung im Gespräch mit {name} ist abgebrochen. {name} wartet wieder "
                "im Wartezimmer; lassen Sie die Person erneut ein, um weiterzusprechen."
            ).format(name=name),
            Level.INFO,
        )

    def show_info(self, text: str) -> None:
        """A line from elsewhere (how a call ended), shown like a departure."""
        self._info(text)

    def _info(self, text: str) -> None:
        self.message_bar.show_message(text, Level.INFO, hide_after_ms=NOTE_MS)

    # --- Qt events ----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._on_tick()
        self._timer.start()
        if self._teams is not None:
            self._teams.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    # --- slots: the live room -------------------------------------------------------------

    def _on_tick(self) -> None:
        now = self._clock.now()
        self._model.set_now(now)
        self.detail.show_time(now)
        self._team_model.set_now(now)
        self.team_panel.detail.show_time(now)

    def _on_online_changed(self, online: bool) -> None:
        if online:
            self._was_online = True
        self._show_connection()
        self._show_actions()
        self._show_team_actions()
        if online and self._teams is not None and self.isVisible():
            self._teams.refresh()  # who is in which team may have changed meanwhile

    def _on_room_event(self, event: BaseModel) -> None:
        self._waiting.on_event(event)
        self._team.on_event(event)

    def _on_arrived(self, new: list[WaitingEntry]) -> None:
        self._alerts.announce(new)
        self.arrived.emit(len(new))

    def _on_refused(self, error: SocketError) -> None:
        self.message_bar.show_error(self._room.error_text(error))

    def _after_change(self, was_empty: bool = False) -> None:
        """Counts, empty state, selection and detail after any change of the list."""
        if was_empty and self.count and not self.list.selected_id():
            first = self._model.entry_at(0)
            if first is not None:
                self.list.select(first.participant_id)
        self._show_count()
        self._show_team_count()
        self._show_selected()

    def _after_team_change(self) -> None:
        if len(self._team.entries()) and not self.team_panel.list.selected_id():
            first = self._team_model.entry_at(0)
            if first is not None:
                self.team_panel.list.select(first.participant_id)
        self._show_team_count()
        self._show_team_selected()

    def _on_taken_by_colleague(self, participant_id: int, name: str | None, colleague: str) -> None:
        self.message_bar.show_message(
            self.tr("{name} wurde von {colleague} eingelassen.").format(
                name=name or self.tr("Eine Person"), colleague=colleague
            ),
            Level.INFO,
        )

    def _on_handed_to_you(self, handover: Handover) -> None:
        name = handover.name or self._waiting.name(handover.participant_id)
        text = self.tr("{colleague} hat Ihnen {name} übergeben.").format(
            colleague=handover.from_name, name=name or self.tr("eine wartende Person")
        )
        if handover.note:
            text += " " + self.tr("Notiz: {note}").format(note=handover.note)
        self.message_bar.show_message(text, Level.INFO)
        self.show_team(False)
        # the person arrives in the own list with the room's next event
        QTimer.singleShot(0, self, lambda: self._select_handed(handover.participant_id))

    def _select_handed(self, participant_id: int) -> None:
        if self._model.entry(participant_id) is not None:
            self.list.select(participant_id)
        self._show_selected()

    def _on_teams_changed(self) -> None:
        teams = self._teams
        self.manage_team_button.setVisible(teams is not None and bool(teams.led()))
        self._show_team_count()
        self._show_actions()

    def _on_left(self, leaving: Leaving) -> None:
        # A colleague's admission is told before the departure (admitted_by_colleague), which
        # then finds the person gone: only a departure of one still listed reaches here.
        self._tell_departure(leaving.reason, leaving.name, leaving.sent_here, leaving.to_name)

    def _tell_departure(self, reason: str, name: str, sent_away: bool, colleague: str = "") -> None:
        if reason == "handed_over":
            if colleague:
                text = self.tr("{name} wurde an {colleague} übergeben.")
            else:
                text = self.tr("{name} wurde an eine Kollegin oder einen Kollegen übergeben.")
            self._info(text.format(name=name, colleague=colleague))
            return
        if reason == "sent_away":
            text = (
                self.tr("{name} wurde weggeschickt.")
                if sent_away
                else self.tr("{name} wurde an einem anderen Arbeitsplatz weggeschickt.")
            )
        elif reason == "admitted":
            text = self.tr("{name} wurde an einem anderen Arbeitsplatz eingelassen.")
        elif reason == "left":
            text = self.tr("{name} hat das Wartezimmer verlassen.")
        elif reason == "timeout":
            text = self.tr("{name} ist nicht mehr verbunden und hat das Wartezimmer verlassen.")
        else:
            return  # "revoked" has its own message; "closed": the appointment is over
        self._info(text.format(name=name))

    def _on_consent_revoked(self, participant_id: int, name: str | None) -> None:
        if name:
            text = self.tr(
                "{name} hat die Einwilligung widerrufen. "
                "Ihre Daten zu diesem Termin wurden gelöscht."
            ).format(name=name)
        else:
            text = self.tr(
                "Eine teilnehmende Person hat die Einwilligung widerrufen. "
                "Ihre Daten zu diesem Termin wurden gelöscht."
            )
        self.message_bar.show_message(text, Level.INFO)
        self.consent_revoked.emit(participant_id)

    # --- slots: the advisor's actions -----------------------------------------------------

    def _on_selection_changed(self, _participant_id: int) -> None:
        self._show_selected()

    def _on_view_changed(self, index: int) -> None:
        if index == 1 and self._teams is not None:
            self._teams.refresh()

    def _on_team_selection_changed(self, _participant_id: int) -> None:
        self._show_team_selected()

    def _on_team_row_admit(self) -> None:
        self.team_panel.detail.admit_button.click()

    def _on_team_admit_clicked(self) -> None:
        entry = self.selected_team_entry()
        if entry is None or not self._team.admitting(entry):
            return
        self._room.admit(entry.participant_id, on_sent=partial(self._team.admission_sent, entry))

    def _on_hand_over_clicked(self) -> None:
        entry = self.selected_entry()
        if entry is None or self._teams is None:
            return
        teams = self._teams
        dialog = HandOverDialog(entry.name, teams.colleagues(), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._hand_over(entry, dialog))
        # who is free or busy now: loaded anew while the dialog is open
        dialog.source = teams.colleagues
        teams.changed.connect(dialog.refresh_colleagues)
        teams.refresh()
        dialog.open()

    def _hand_over(self, entry: WaitingEntry, dialog: HandOverDialog) -> None:
        colleague = dialog.colleague
        if colleague is None:
            return
        pid = entry.participant_id
        self._waiting.handing_over(pid, colleague.display_name)
        self._room.hand_over(
            pid,
            colleague.advisor_id,
            dialog.note_text,
            on_sent=partial(self._waiting.hand_over_sent, pid),
        )

    def _on_chime_toggled(self, enabled: bool) -> None:
        self._alerts.chime_enabled = enabled

    def _on_admit_clicked(self) -> None:
        entry = self.selected_entry()
        if entry is None or not self._waiting.admitting(entry):
            return
        self._room.admit(entry.participant_id, on_sent=partial(self._waiting.admission_sent, entry))

    def _on_note_chosen(self, text: str) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self._send_note(entry, text)

    def _on_custom_note_clicked(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        dialog = NoteDialog(entry.name, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._send_note(entry, dialog.text))
        dialog.open()

    def _send_note(self, entry: WaitingEntry, text: str) -> None:
        if not text.strip():
            return
        self._room.note(entry.participant_id, text, on_sent=partial(self._on_note_sent, entry))

    def _on_note_sent(self, entry: WaitingEntry, sent: bool) -> None:
        if sent:
            self.message_bar.show_note(
                self.tr("Die Nachricht an {name} ist gesendet.").format(name=entry.name)
            )

    def _on_send_away_clicked(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        dialog = SendAwayDialog(entry.name, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._send_away(entry, dialog.reason))
        dialog.open()

    def _send_away(self, entry: WaitingEntry, reason: str) -> None:
        self._waiting.sending_away(entry.participant_id)
        self._room.send_away(entry.participant_id, reason)
