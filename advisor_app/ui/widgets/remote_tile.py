"""One participant's tile on the call page: picture, name, role, state, guest actions."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from advisor_app.console.call_coordinator import PeerState
from advisor_app.core.domain import Role
from advisor_app.core.protocol import WaitingEntry
from advisor_app.ui.labels import role_label
from advisor_app.ui.widgets.video_view import VideoView


class RemoteTile(QFrame):
    """One participant's picture with name, role and connection state; a guest's tile also
    has "Zurück ins Wartezimmer" and "Entfernen"."""

    back_requested = Signal(int)
    remove_requested = Signal(int)

    def __init__(self, entry: WaitingEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.state = PeerState.WAITING
        self.camera_on = True
        self.microphone_on = True
        self.screen_on = False
        self.setObjectName("remoteTile")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        pictures = QHBoxLayout()
        pictures.setSpacing(6)
        self.screen_view = VideoView(15)
        self.screen_view.setAccessibleName(self.tr("Geteilter Bildschirm der Person"))
        self.screen_view.hide()
        pictures.addWidget(self.screen_view, 1)
        self.video = VideoView(30)
        self.video.setAccessibleName(self.tr("Kamerabild der Person"))
        pictures.addWidget(self.video, 1)
        layout.addLayout(pictures, 1)
        self._pictures = pictures
        self.caption = QLabel()
        self.caption.setObjectName("tileCaption")
        self.caption.setTextFormat(Qt.TextFormat.PlainText)  # a name is text, never markup
        layout.addWidget(self.caption)
        row = QHBoxLayout()  # under the caption, so that both tiles of a row stay equal
        row.setSpacing(6)
        self.muted_label = QLabel(self.tr("Mikrofon stumm"))
        self.muted_label.setObjectName("fieldError")
        self.muted_label.setAccessibleName(self.tr("Das Mikrofon der Person ist stumm."))
        row.addWidget(self.muted_label)
        row.addStretch(1)
        self.back_button = QPushButton(self.tr("Zurück ins Wartezimmer"))
        self.back_button.setToolTip(
            self.tr("Die Person wartet wieder im Wartezimmer; Sie können sie erneut einlassen.")
        )
        self.back_button.clicked.connect(self._on_back_clicked)
        self.remove_button = QPushButton(self.tr("Entfernen"))
        self.remove_button.setToolTip(self.tr("Die Teilnahme dieser Person am Gespräch beenden"))
        self.remove_button.clicked.connect(self._on_remove_clicked)
        row.addWidget(self.back_button)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        self.caption.setText(f"{self.entry.name} · {role_label(self.entry.role)}")
        guest = self.entry.role is not Role.CITIZEN
        self.back_button.setVisible(guest)
        self.remove_button.setVisible(guest)
        texts = {
            PeerState.WAITING: self.tr("Warten auf die Verbindung …"),
            PeerState.CONNECTING: self.tr("Verbindung wird aufgebaut …"),
            PeerState.INTERRUPTED: self.tr("Verbindung unterbrochen"),
            PeerState.ENDED: self.tr("Gespräch beendet"),
        }
        if self.state is PeerState.CONNECTED:
            text = "" if self.camera_on else self.tr("Kamera aus")
        else:
            text = texts[self.state]
        self.video.set_placeholder(text)
        self.muted_label.setVisible(self.state is PeerState.CONNECTED and not self.microphone_on)
        if self.state is not PeerState.CONNECTED or not self.camera_on:
            self.video.set_source(None)

    def show_screen(self, on: bool) -> None:
        """A presented screen large, the camera small beside it; or the camera alone."""
        self.screen_on = on
        self.screen_view.setVisible(on)
        if on:  # the camera small in the top corner beside the screen
            self.video.setFixedSize(224, 126)
            self._pictures.setAlignment(self.video, Qt.AlignmentFlag.AlignTop)
        else:  # the camera fills the tile again
            self.video.setMinimumSize(160, 90)
            self.video.setMaximumSize(16777215, 16777215)
            self._pictures.setAlignment(self.video, Qt.AlignmentFlag(0))
        self.refresh()

    @property
    def status_text(self) -> str:
        return self.video.placeholder

    def _on_back_clicked(self) -> None:
        self.back_requested.emit(self.entry.participant_id)

    def _on_remove_clicked(self) -> None:
        self.remove_requested.emit(self.entry.participant_id)
