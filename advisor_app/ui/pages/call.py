"""Gespräch: the session with the people admitted from the waiting room.

For now the page shows who was admitted (name, role, appointment); the call issue puts the
video, the microphone and the chat here. While the page has participants the console is "in a
session": arrivals make no sound and show no notification.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.core.domain import to_berlin
from advisor_app.core.protocol import WaitingEntry
from advisor_app.ui.labels import day_text, duration_text, role_label, time_range_text


class CallPage(QWidget):
    """The running session; "Gespräch beenden" ends it."""

    #: The session ended (the advisor pressed "Gespräch beenden", or it was ended for them).
    ended = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._participants: list[WaitingEntry] = []
        self._setup_ui()
        self._show()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        header = QHBoxLayout()
        title = QLabel(self.tr("Gespräch"))
        title.setObjectName("pageTitle")
        header.addWidget(title)
        header.addStretch(1)
        self.end_button = QPushButton(self.tr("Gespräch beenden"))
        self.end_button.setProperty("danger", True)
        self.end_button.clicked.connect(self._on_end_clicked)
        header.addWidget(self.end_button)
        layout.addLayout(header)

        panel = QFrame()
        panel.setObjectName("panel")
        panel_layout = QVBoxLayout(panel)
        panel_layout.setContentsMargins(24, 20, 24, 20)
        panel_layout.setSpacing(10)
        self.when = QLabel()
        self.when.setObjectName("sectionTitle")
        panel_layout.addWidget(self.when)
        self.people = QLabel()
        self.people.setTextFormat(Qt.TextFormat.RichText)
        self.people.setWordWrap(True)
        self.people.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        panel_layout.addWidget(self.people)
        self.notice = QLabel(
            self.tr(
                "Eingelassen. Bild und Ton werden in dieser Version der Konsole noch nicht "
                "übertragen."
            )
        )
        self.notice.setObjectName("hint")
        self.notice.setWordWrap(True)
        panel_layout.addWidget(self.notice)
        panel_layout.addStretch(1)
        layout.addWidget(panel, 1)

    # --- state --------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        """The console is in a session."""
        return bool(self._participants)

    @property
    def participants(self) -> list[WaitingEntry]:
        return list(self._participants)

    @property
    def appointment_id(self) -> int | None:
        return self._participants[0].appointment_id if self._participants else None

    def add(self, entry: WaitingEntry) -> None:
        """Somebody was admitted: they join the session (a guest joins the citizen)."""
        others = [p for p in self._participants if p.participant_id != entry.participant_id]
        self._participants = [*others, entry]
        self._show()

    def remove(self, participant_id: int) -> None:
        """Somebody left the session (consent revoked); the last one ends it."""
        before = len(self._participants)
        self._participants = [p for p in self._participants if p.participant_id != participant_id]
        if len(self._participants) == before:
            return
        if self._participants:
            self._show()
        else:
            self.end()

    def end(self) -> None:
        if not self._participants:
            return
        self._participants = []
        self._show()
        self.ended.emit()

    def texts(self) -> list[str]:
        return [self.when.text(), self.people.text()]

    def _show(self) -> None:
        self.end_button.setEnabled(self.active)
        if not self._participants:
            self.when.setText(self.tr("Zurzeit kein Gespräch."))
            self.people.clear()
            self.notice.hide()
            return
        first = self._participants[0]
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
                for p in self._participants
            )
        )
        self.notice.show()

    # --- slots --------------------------------------------------------------------------

    def _on_end_clicked(self) -> None:
        self.end()
