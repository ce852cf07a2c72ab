"""Gespräch: the running call with the people admitted from the waiting room.

The remote pictures large (one tile per participant; a screen a participant presents large,
their camera small beside it), the own camera small, camera and microphone toggles whose state
is always written on them, "Bildschirm teilen" with a red bar "Sie teilen Ihren Bildschirm"
and its stop button while sharing, a call timer, the connection quality in plain words, the
chat, and "Gespräch beenden". While the page has participants the
console is "in a session": arrivals make no sound and show no notification.
"""

from __future__ import annotations

import time
from functools import partial
from html import escape

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from advisor_app.console.call_coordinator import Departure, MediaProblem, PauseNote, PeerState
from advisor_app.console.id_check import CheckStep
from advisor_app.core.call_quality import QualityLevel, QualityReason, QualitySample
from advisor_app.core.domain import to_berlin
from advisor_app.core.protocol import (
    AppointmentOut,
    ChatMessage,
    IdentityIn,
    IdentityOutcome,
    MediaState,
    WaitingEntry,
)
from advisor_app.ui.call_controller import CallController
from advisor_app.ui.capture_guard import (
    exclude_from_capture,
    exclusion_supported,
    include_in_capture,
)
from advisor_app.ui.dialogs.id_check import IdCheckDialog
from advisor_app.ui.dialogs.share_picker import SharePicker
from advisor_app.ui.labels import day_text, duration_text, role_label, time_range_text
from advisor_app.ui.media_problems import media_problem_text
from advisor_app.ui.tasks import Failure
from advisor_app.ui.widgets.chat_panel import ChatPanel
from advisor_app.ui.widgets.message_bar import Level, MessageBar
from advisor_app.ui.widgets.remote_tile import RemoteTile
from advisor_app.ui.widgets.video_view import VideoView

_LEVEL_COLOURS = {
    QualityLevel.GOOD: "#1e6b34",
    QualityLevel.FAIR: "#8a5a00",
    QualityLevel.POOR: "#b3261e",
    QualityLevel.UNKNOWN: "#5b6573",
}


class CallPage(QWidget):
    """The running call; "Gespräch beenden" ends it for everyone."""

    #: The session ended (the advisor pressed "Gespräch beenden", or the last one left).
    ended = Signal()
    # After ``ended``: how the last one left, for the page the console shows next.
    ended_note = Signal(str)

    def __init__(self, controller: CallController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._call = controller.coordinator
        self._tiles: dict[int, RemoteTile] = {}
        self._quality: dict[int, QualitySample] = {}
        self._connected_at: float | None = None
        self.id_dialog: IdCheckDialog | None = None
        self.picker: SharePicker | None = None
        #: The open "Aus dem Gespräch entfernen?" question, if any.
        self.confirm: QMessageBox | None = None
        self._setup_ui()
        controller.peer_state_changed.connect(self._on_peer_state)
        controller.chat_received.connect(self._on_chat)
        controller.remote_media_changed.connect(self._on_remote_media)
        controller.quality_changed.connect(self._on_quality)
        controller.problem.connect(self._on_problem)
        controller.start_failed.connect(self._on_start_failed)
        controller.local_media_changed.connect(self._on_local_media)
        controller.participant_left.connect(self._on_participant_left)
        controller.local_screen_changed.connect(self._on_local_screen)
        controller.remote_screen_changed.connect(self._on_remote_screen)
        controller.video_pause_changed.connect(self._on_video_pause)
        self._show()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.setSpacing(10)
        header = QHBoxLayout()
        title = QLabel(self.tr("Gespräch"))
        title.setObjectName("pageTitle")
        header.addWidget(title)
        header.addSpacing(16)
        self.timer_label = QLabel()
        self.timer_label.setObjectName("callTimer")
        self.timer_label.setAccessibleName(self.tr("Gesprächsdauer"))
        header.addWidget(self.timer_label)
        header.addSpacing(16)
        self.quality_label = QLabel()
        self.quality_label.setTextFormat(Qt.TextFormat.RichText)
        header.addWidget(self.quality_label)
        header.addStretch(1)
        self.end_button = QPushButton(self.tr("Gespräch beenden"))
        self.end_button.setProperty("danger", True)
        self.end_button.clicked.connect(self._on_end_clicked)
        header.addWidget(self.end_button)
        layout.addLayout(header)

        self.when = QLabel()
        self.when.setObjectName("sectionTitle")
        layout.addWidget(self.when)
        self.people = QLabel()
        self.people.setTextFormat(Qt.TextFormat.RichText)
        self.people.setWordWrap(True)
        layout.addWidget(self.people)
        self.messages = MessageBar()
        layout.addWidget(self.messages)
        # The camera video paused (weak connection, or "Nur Ton"), in plain words.
        self.pause_label = QLabel()
        self.pause_label.setObjectName("pauseNote")
        self.pause_label.setWordWrap(True)
        self.pause_label.setStyleSheet("color: #7a4a00; font-weight: 600;")
        self.pause_label.hide()
        layout.addWidget(self.pause_label)
        layout.addWidget(self._share_bar())

        body = QHBoxLayout()
        body.setSpacing(16)
        left = QVBoxLayout()
        left.setSpacing(8)
        self.stage = QFrame()
        self.stage.setObjectName("panel")
        self.grid = QGridLayout(self.stage)
        self.grid.setContentsMargins(8, 8, 8, 8)
        self.grid.setSpacing(8)
        left.addWidget(self.stage, 1)

        controls = QHBoxLayout()
        controls.setSpacing(10)
        self.preview = VideoView(15, mirror=True)
        self.preview.setFixedSize(224, 126)
        self.preview.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.preview.setAccessibleName(self.tr("Eigenes Kamerabild"))
        controls.addWidget(self.preview)
        buttons = QVBoxLayout()
        self.camera_button = QPushButton()
        self.camera_button.setCheckable(True)
        self.camera_button.clicked.connect(self._on_camera_clicked)
        self.microphone_button = QPushButton()
        self.microphone_button.setCheckable(True)
        self.microphone_button.clicked.connect(self._on_microphone_clicked)
        self.id_button = QPushButton(self.tr("Ausweis prüfen"))
        self.id_button.setToolTip(
            self.tr("Die Person hält ihr Ausweisdokument in die Kamera; nichts wird gespeichert.")
        )
        self.id_button.clicked.connect(self._on_id_check_clicked)
        self.share_button = QPushButton(self.tr("Bildschirm teilen"))
        self.share_button.setToolTip(
            self.tr("Einen ganzen Bildschirm neben Ihrem Kamerabild zeigen.")
        )
        self.share_button.clicked.connect(self._on_share_clicked)
        self.audio_only_button = QPushButton(self.tr("Nur Ton"))
        self.audio_only_button.setCheckable(True)
        self.audio_only_button.setAccessibleName(self.tr("Nur Ton: Kamerabild nicht senden"))
        self.audio_only_button.setToolTip(
            self.tr("Für schwache Verbindungen: Ihr Bild wird pausiert, der Ton läuft weiter.")
        )
        self.audio_only_button.clicked.connect(self._on_audio_only_clicked)
        buttons_list = (
            self.camera_button,
            self.microphone_button,
            self.audio_only_button,
            self.share_button,
            self.id_button,
        )
        for button in buttons_list:
            button.setMinimumWidth(170)
            buttons.addWidget(button)
        buttons.addStretch(1)
        controls.addLayout(buttons)
        controls.addStretch(1)
        left.addLayout(controls)
        body.addLayout(left, 3)

        self.chat = ChatPanel()
        self.chat.setMinimumWidth(280)
        self.chat.send_requested.connect(self._on_chat_send)
        body.addWidget(self.chat, 1)
        layout.addLayout(body, 1)

        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._on_tick)

    def _share_bar(self) -> QFrame:
        """The red bar while the advisor shares: what is shared, a small preview, stop."""
        self.share_bar = QFrame()
        self.share_bar.setObjectName("shareBar")
        self.share_bar.setStyleSheet(
            "QFrame#shareBar { background: #fdecea; border: 2px solid #b3261e;"
            " border-radius: 6px; } QFrame#shareBar QLabel { color: #8c1d18; }"
        )
        bar = QHBoxLayout(self.share_bar)
        bar.setContentsMargins(10, 6, 10, 6)
        bar.setSpacing(12)
        self.share_preview = VideoView(5)
        self.share_preview.setFixedSize(128, 72)
        self.share_preview.setAccessibleName(self.tr("Was Sie teilen"))
        bar.addWidget(self.share_preview)
        texts = QVBoxLayout()
        self.share_label = QLabel()
        self.share_label.setTextFormat(Qt.TextFormat.PlainText)  # a window title is no markup
        self.share_label.setStyleSheet("font-size: 13pt; font-weight: 700;")
        texts.addWidget(self.share_label)
        self.share_note = QLabel()
        self.share_note.setWordWrap(True)
        texts.addWidget(self.share_note)
        bar.addLayout(texts, 1)
        self.stop_share_button = QPushButton(self.tr("Teilen beenden"))
        self.stop_share_button.setProperty("danger", True)
        self.stop_share_button.clicked.connect(self._on_stop_share_clicked)
        bar.addWidget(self.stop_share_button)
        self.share_bar.hide()
        return self.share_bar

    # --- state --------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        """The console is in a session."""
        return self._call.active

    @property
    def participants(self) -> list[WaitingEntry]:
        return self._call.entries

    @property
    def appointment_id(self) -> int | None:
        entries = self._call.entries
        return entries[0].appointment_id if entries else None

    def tile(self, participant_id: int) -> RemoteTile | None:
        return self._tiles.get(participant_id)

    def add(self, entry: WaitingEntry) -> None:
        """Somebody was admitted: they join the call (a guest joins the citizen)."""
        self._call.admit(entry)
        tile = self._tiles.get(entry.participant_id)
        if tile is None:
            tile = RemoteTile(entry)
            tile.back_requested.connect(self._on_back_requested)
            tile.remove_requested.connect(self._on_remove_requested)
            self._tiles[entry.participant_id] = tile
        else:
            tile.entry = entry
            tile.state = PeerState.WAITING
            tile.refresh()
        self._layout_tiles()
        if not self._tick.isActive():
            self._tick.start()
            self.preview.set_source(self._call.local_frame)
        self._call.join(entry.participant_id)
        self._show()

    def remove(self, participant_id: int) -> None:
        """Somebody revoked their consent: they leave the call, the last one ends it (the
        waiting room says why; in a group call this page does)."""
        departure = self._call.withdraw(participant_id)
        if departure is None:
            return
        if departure.last:
            self._clear()
            return
        self._drop(participant_id)
        self._show()
        self.messages.show_message(
            self.tr(
                "{name} hat die Einwilligung widerrufen. "
                "Ihre Daten zu diesem Termin wurden gelöscht."
            ).format(name=departure.entry.name),
            Level.INFO,
        )

    def _drop(self, participant_id: int) -> None:
        tile = self._tiles.pop(participant_id, None)
        if tile is not None:
            tile.video.set_source(None)
            tile.deleteLater()
        self._quality.pop(participant_id, None)
        self._layout_tiles()

    def end(self) -> None:
        """End the call for everyone; the chat and all pictures are gone."""
        if not self._call.active:
            return
        self._call.hang_up()
        self._clear()

    def _clear(self) -> None:
        """The call is over: no tiles, no chat, no pictures."""
        for pid in list(self._tiles):
            self._drop(pid)
        self._connected_at = None
        self._tick.stop()
        self.preview.set_source(None)
        self._on_local_screen(False)
        self.chat.clear()
        self.messages.hide()
        self._quality.clear()
        self.audio_only_button.setChecked(False)
        self._show()
        self.ended.emit()

    def texts(self) -> list[str]:
        return [self.when.text(), self.people.text()]

    def _layout_tiles(self) -> None:
        while self.grid.count():
            self.grid.takeAt(0)
        tiles = [self._tiles[p.participant_id] for p in self._call.entries]
        columns = 1 if len(tiles) <= 1 else 2
        for column in range(2):  # equal halves, whatever buttons a tile has
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        for index, tile in enumerate(tiles):
            self.grid.addWidget(tile, index // columns, index % columns)

    def _show(self) -> None:
        self.end_button.setEnabled(self.active)
        self._show_media(self._call.media_state())
        entries = self._call.entries
        if not entries:
            self.when.setText(self.tr("Zurzeit kein Gespräch."))
            self.people.clear()
            self.timer_label.clear()
            self.quality_label.clear()
            self.chat.set_enabled(False)
            self.id_button.setEnabled(False)
            self.share_button.setEnabled(False)
            return
        self.share_button.setEnabled(True)
        first = entries[0]
        local = to_berlin(first.starts_at)
        self.when.setText(
            self.tr("Termin {day}, {time} ({duration})").format(
                day=day_text(QDate(local.year, local.month, local.day)),
                time=time_range_text(first.starts_at, first.duration_min),
                duration=duration_text(first.duration_min),
            )
        )
        self.people.setText(
            "<br>".join(
                f'<span style="font-size:15pt; font-weight:600">{escape(p.name)}</span>'
                f" &nbsp;·&nbsp; {escape(role_label(p.role))}"
                for p in entries
            )
        )
        self._show_quality()
        self._on_tick()

    def _show_media(self, state: MediaState) -> None:
        has_camera = self._call.has_camera
        self.camera_button.setChecked(state.camera)
        self.camera_button.setText(
            self.tr("Kamera: an") if state.camera else self.tr("Kamera: aus")
        )
        self.camera_button.setEnabled(self.active)
        self.camera_button.setProperty("off", not state.camera)
        has_microphone = self._call.has_microphone
        self.microphone_button.setChecked(state.microphone)
        if not has_microphone and self.active:
            self.microphone_button.setText(self.tr("Kein Mikrofon"))
        else:
            self.microphone_button.setText(
                self.tr("Mikrofon: an") if state.microphone else self.tr("Mikrofon: stumm")
            )
        self.microphone_button.setEnabled(self.active and has_microphone)
        self.preview.set_placeholder(
            "" if has_camera else (self.tr("Kamera aus") if self.active else "")
        )

    def _show_quality(self) -> None:
        if any(t.state is PeerState.INTERRUPTED for t in self._tiles.values()):
            self.quality_label.setText(
                self.tr(
                    '<span style="color:#b3261e; font-weight:600">● Verbindung unterbrochen</span>'
                )
            )
            return
        if not self._quality:
            self.quality_label.setText(self.tr("Verbindung: wird gemessen …"))
            return
        worst = max(
            self._quality.values(),
            key=lambda s: (
                list(QualityLevel).index(s.level) if s.level is not QualityLevel.UNKNOWN else -1
            ),
        )
        words = {
            QualityLevel.GOOD: self.tr("gut"),
            QualityLevel.FAIR: self.tr("mittel"),
            QualityLevel.POOR: self.tr("schlecht"),
            QualityLevel.UNKNOWN: self.tr("wird gemessen …"),
        }
        reasons = {
            QualityReason.NONE: "",
            QualityReason.BUSY_COMPUTER: self.tr("Ihr Computer ist ausgelastet"),
            QualityReason.LOSS: self.tr("Daten gehen unterwegs verloren"),
            QualityReason.DELAY: self.tr("Die Verbindung ist langsam"),
            QualityReason.PICTURE: self.tr("Das Bild kommt stockend an"),
        }
        rtt = "–" if worst.rtt_ms is None else f"{worst.rtt_ms:.0f} ms"
        loss = "–" if worst.loss_pct is None else f"{worst.loss_pct:.1f} %".replace(".", ",")
        rate = f"{(worst.kbps_in + worst.kbps_out) / 1000:.1f}".replace(".", ",")
        colour = _LEVEL_COLOURS[worst.level]
        reason = reasons[worst.reason]
        text = self.tr(
            '<span style="color:{colour}; font-weight:600">● Verbindung: {word}</span>'
            " &nbsp; Laufzeit {rtt} · Verlust {loss} · {rate} Mbit/s"
        ).format(colour=colour, word=words[worst.level], rtt=rtt, loss=loss, rate=rate)
        if worst.video_expected:
            text += self.tr(" · Bild {fps} fps").format(fps=f"{worst.fps_in:.0f}")
        if reason:
            text += f'<br><span style="color:{colour}">{escape(reason)}</span>'
        self.quality_label.setText(text)

    @property
    def quality_text(self) -> str:
        return self.quality_label.text()

    # --- slots --------------------------------------------------------------------------

    def _on_tick(self) -> None:
        if self._connected_at is None:
            self.timer_label.setText(self.tr("Dauer: –"))
            return
        seconds = int(time.monotonic() - self._connected_at)
        self.timer_label.setText(
            self.tr("Dauer: {time}").format(
                time=f"{seconds // 3600:d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
            )
        )

    def _on_peer_state(self, participant_id: int, state: str) -> None:
        tile = self._tiles.get(participant_id)
        if tile is None:
            return
        tile.state = PeerState(state)
        tile.refresh()
        self._show_quality()
        if tile.state is PeerState.CONNECTED:
            if self._connected_at is None:
                self._connected_at = time.monotonic()
            self.chat.set_enabled(True)
            if tile.camera_on:
                tile.video.set_source(partial(self._call.remote_frame, participant_id))
        connected = any(t.state is PeerState.CONNECTED for t in self._tiles.values())
        self.chat.set_enabled(connected)
        self.id_button.setEnabled(connected)

    def _on_remote_media(self, participant_id: int, state: MediaState) -> None:
        tile = self._tiles.get(participant_id)
        if tile is None:
            return
        tile.camera_on = state.camera
        tile.microphone_on = state.microphone
        tile.refresh()
        if tile.state is PeerState.CONNECTED and state.camera:
            tile.video.set_source(partial(self._call.remote_frame, participant_id))

    def _on_chat(self, participant_id: int, message: ChatMessage) -> None:
        tile = self._tiles.get(participant_id)
        who = tile.entry.name if tile is not None else self.tr("Teilnehmende Person")
        self.chat.add(who, message.text, message.at, mine=False)

    def _on_chat_send(self, text: str) -> None:
        message = self._call.send_chat(text)
        if message is not None:
            self.chat.add(self.tr("Sie"), message.text, message.at, mine=True)

    def _on_quality(self, participant_id: int, sample: QualitySample) -> None:
        if participant_id in self._tiles:
            self._quality[participant_id] = sample
            self._show_quality()

    def _on_audio_only_clicked(self, checked: bool) -> None:
        self._call.set_audio_only(checked)

    def _on_video_pause(self, note: PauseNote) -> None:
        if note is PauseNote.WEAK:
            text = self.tr("Schwache Verbindung – das Bild ist pausiert, der Ton läuft weiter.")
        elif note is PauseNote.CHOSEN:
            text = self.tr("Nur Ton – Ihr Bild wird nicht gesendet, der Ton läuft weiter.")
        else:
            text = ""
        self.pause_label.setText(text)
        self.pause_label.setVisible(bool(text))

    def _on_problem(self, problem: MediaProblem) -> None:
        self.messages.show_error(media_problem_text(problem.code))

    def _on_start_failed(self, failure: Failure) -> None:
        self.messages.show_error(failure.message)

    def _on_local_media(self, state: MediaState) -> None:
        self._show_media(state)

    def _on_participant_left(self, departure: Departure) -> None:
        """Hung up, or gone for longer than the grace: their tile goes, the last one ends.
        How they left is said as what it is, never as an error."""
        note = self._left_note(departure.entry.name, departure.how)
        if departure.last:
            self._clear()
            if note:
                self.ended_note.emit(note)
            return
        self._drop(departure.entry.participant_id)
        self._show()
        if note:
            self.messages.show_message(note, Level.INFO)

    def _left_note(self, name: str, how: str) -> str:
        if how == "participant":
            return self.tr("{name} hat das Gespräch beendet.").format(name=name)
        if how == "timeout":
            return self.tr(
                "Die Verbindung zu {name} ist abgebrochen; das Gespräch mit {name} ist beendet."
            ).format(name=name)
        return ""  # sent back or removed here: said when it was done; "returned": elsewhere

    # --- screen sharing -------------------------------------------------------------------

    @property
    def sharing(self) -> bool:
        return self.share_bar.isVisibleTo(self)

    def _on_share_clicked(self) -> None:
        if self._call.sharing:
            self._call.stop_screen()
            return
        if self.picker is not None:
            return
        picker = SharePicker(self._controller.language, self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.finished.connect(self._on_picker_finished)
        self.picker = picker
        picker.open()

    def _on_picker_finished(self, result: int) -> None:
        picker, self.picker = self.picker, None
        if picker is None:
            return
        source = picker.chosen
        if result == SharePicker.DialogCode.Accepted and source is not None and self.active:
            self._call.share_screen(source, picker.chosen_name)

    def _on_stop_share_clicked(self) -> None:
        self._call.stop_screen()

    def _on_local_screen(self, active: bool) -> None:
        """Sharing started or stopped: the red bar, the button, the console kept out."""
        window = self.window()
        shared = self._call.shared
        name = shared.name if shared is not None else ""
        if active and shared is not None and shared.window:
            self.share_label.setText(
                self.tr("● Sie teilen ein Fenster ({title})").format(title=name)
            )
            self.share_note.setText(
                self.tr("Nur dieses Fenster wird geteilt, auch wenn andere darüber liegen.")
            )
            self.share_preview.set_source(self._call.local_screen_frame)
        elif active:
            self.share_label.setText(
                self.tr("● Sie teilen Ihren Bildschirm ({screen})").format(screen=name)
            )
            if exclusion_supported() and exclude_from_capture(int(window.winId())):
                self.share_note.setText(
                    self.tr("Die Konsole selbst und die Ausweisprüfung werden nicht mitgeteilt.")
                )
            else:
                self.share_note.setText(
                    self.tr(
                        "Unter Linux wird alles auf diesem Bildschirm mitgeteilt, auch die Konsole "
                        "mit dem Warteraum. Schieben Sie sie auf einen anderen Bildschirm."
                    )
                )
            self.share_preview.set_source(self._call.local_screen_frame)
        else:
            self.share_preview.set_source(None)
            if exclusion_supported():
                include_in_capture(int(window.winId()))
        self.share_bar.setVisible(active)
        self.share_button.setText(
            self.tr("Teilen beenden") if active else self.tr("Bildschirm teilen")
        )

    def _on_remote_screen(self, participant_id: int, active: bool) -> None:
        tile = self._tiles.get(participant_id)
        if tile is None:
            return
        tile.show_screen(active)
        tile.screen_view.set_source(
            partial(self._call.remote_screen_frame, participant_id) if active else None
        )

    def _on_camera_clicked(self, checked: bool) -> None:
        self._call.set_camera(checked)

    def _on_microphone_clicked(self, checked: bool) -> None:
        self._call.set_microphone(checked)

    def _on_end_clicked(self) -> None:
        self.end()

    # --- a guest back to the waiting room, or removed ---------------------------------------

    def _on_back_requested(self, participant_id: int) -> None:
        entry = self._call.send_back(participant_id)
        if entry is None:
            return
        self.messages.show_message(
            self.tr("{name} wartet wieder im Wartezimmer.").format(name=entry.name),
            Level.INFO,
            hide_after_ms=6000,
        )

    def _on_remove_requested(self, participant_id: int) -> None:
        """Removing is final for this call: ask first."""
        entry = self._call.entry(participant_id)
        if entry is None or self.confirm is not None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Aus dem Gespräch entfernen?"),
            self.tr(
                "Die Teilnahme von {name} ({role}) am Gespräch wird beendet. "
                "Das Gespräch mit den anderen geht weiter."
            ).format(name=entry.name, role=role_label(entry.role)),
            parent=self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        confirm = box.addButton(self.tr("Entfernen"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Abbrechen"), QMessageBox.ButtonRole.RejectRole)
        box.finished.connect(partial(self._on_remove_answered, participant_id, box, confirm))
        self.confirm = box
        box.open()

    def _on_remove_answered(
        self, participant_id: int, box: QMessageBox, confirm: QPushButton, _result: int
    ) -> None:
        self.confirm = None
        box.deleteLater()
        if box.clickedButton() is not confirm:
            return
        entry = self._call.remove_guest(participant_id)
        if entry is None:
            return
        self.messages.show_message(
            self.tr("{name} wurde aus dem Gespräch entfernt.").format(name=entry.name),
            Level.INFO,
            hide_after_ms=6000,
        )

    # --- ID check -----------------------------------------------------------------------

    def _on_id_check_clicked(self) -> None:
        if self.id_dialog is not None:
            return
        person = self._call.begin_id_check()  # pauses a share: the document stays private
        if person is None:
            return
        dialog = IdCheckDialog(
            partial(self._call.remote_bgr, person.participant_id),
            person.name,
            partial(self._on_identity_outcome, person.appointment_id),
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.step_changed.connect(self._call.id_check_step)
        dialog.finished.connect(self._on_id_check_finished)
        self.id_dialog = dialog
        if self._call.sharing:
            self.share_label.setText(
                self.tr("● Bildschirmfreigabe angehalten, solange die Ausweisprüfung offen ist")
            )
        dialog.open()

    def _on_id_check_finished(self, _result: int) -> None:
        dialog, self.id_dialog = self.id_dialog, None
        self._call.end_id_check(dialog.step if dialog is not None else CheckStep.DONE)
        if self._call.sharing:
            self._on_local_screen(True)  # the share bar's own text again

    def _on_identity_outcome(self, appointment_id: int, identity: IdentityIn) -> None:
        self._call.record_identity(
            appointment_id, identity, self._on_identity_recorded, self._on_identity_failed
        )

    def _on_identity_recorded(self, appointment: AppointmentOut) -> None:
        outcome = appointment.identity
        if outcome is None:
            return
        if outcome.outcome is IdentityOutcome.VERIFIED:
            self.messages.show_note(self.tr("Festgehalten: Identität geprüft."))
        else:
            self.messages.show_note(self.tr("Festgehalten: Identität nicht geprüft."))

    def _on_identity_failed(self, failure: Failure) -> None:
        self.messages.show_error(
            self.tr("Das Ergebnis der Ausweisprüfung wurde nicht gespeichert: {reason}").format(
                reason=failure.message
            )
        )
