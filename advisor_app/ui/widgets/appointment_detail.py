"""Everything about one appointment: time, participants and their invitations, link and code."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.core.domain import AppointmentStatus, MailStatus, to_berlin
from advisor_app.core.protocol import (
    AppointmentEventKind,
    AppointmentEventOut,
    AppointmentOut,
    ParticipantOut,
)
from advisor_app.ui.labels import (
    CANCELLED_COLOUR,
    ERROR_COLOUR,
    dial_code_text,
    duration_text,
    language_label,
    mail_status_colour,
    mail_status_label,
    role_label,
    time_range_text,
)
from advisor_app.ui.labels import day_text as format_day
from advisor_app.ui.widgets.detail_panel import build_detail_panel, label, rule


def _dot(colour: str) -> str:
    return f'<span style="color:{colour}; font-size:13pt">●</span>'


class AppointmentDetail(QFrame):
    """Shows one appointment and offers the actions on it as signals."""

    edit_requested = Signal()
    resend_requested = Signal()
    cancel_requested = Signal()
    copy_link_requested = Signal()
    open_link_requested = Signal()
    #: "Vertretung …": give the appointment to a team colleague.
    reassign_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._appointment: AppointmentOut | None = None
        self._setup_ui()
        self.show_appointment(None)

    def _setup_ui(self) -> None:
        empty = self.tr("Wählen Sie links einen Termin aus.")
        self._stack, layout = build_detail_panel(self, empty)

        self.title = label(name="detailTitle")
        layout.addWidget(self.title)
        self.status = label(rich=True)
        self.status.hide()
        layout.addWidget(self.status)

        facts = QFormLayout()
        facts.setHorizontalSpacing(16)
        facts.setVerticalSpacing(6)
        facts.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.when = label()
        self.topic = label()
        self.customer_number = label()
        self.language = label()
        facts.addRow(label(self.tr("Termin"), "hint"), self.when)
        facts.addRow(label(self.tr("Thema"), "hint"), self.topic)
        facts.addRow(label(self.tr("Kundennummer"), "hint"), self.customer_number)
        facts.addRow(label(self.tr("Einladung auf"), "hint"), self.language)
        self.advisor = label()
        facts.addRow(label(self.tr("Zuständig"), "hint"), self.advisor)
        self.history = label()
        facts.addRow(label(self.tr("Verlauf"), "hint"), self.history)
        self._facts = facts
        layout.addLayout(facts)

        actions = QHBoxLayout()
        actions.setSpacing(8)
        self.edit_button = QPushButton(self.tr("Bearbeiten"))
        self.edit_button.clicked.connect(self.edit_requested)
        self.resend_button = QPushButton(self.tr("Einladung erneut senden"))
        self.resend_button.clicked.connect(self.resend_requested)
        self.cancel_button = QPushButton(self.tr("Absagen"))
        self.cancel_button.setProperty("danger", True)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.reassign_button = QPushButton(self.tr("Vertretung …"))
        self.reassign_button.setToolTip(
            self.tr("Den Termin einer Kollegin oder einem Kollegen Ihres Teams geben")
        )
        self.reassign_button.clicked.connect(self.reassign_requested)
        self.reassign_button.hide()
        actions.addWidget(self.edit_button)
        actions.addWidget(self.resend_button)
        actions.addStretch(1)
        actions.addWidget(self.cancel_button)
        layout.addLayout(actions)
        team_actions = QHBoxLayout()  # a row of its own: the panel keeps its width
        team_actions.addWidget(self.reassign_button)
        team_actions.addStretch(1)
        layout.addLayout(team_actions)

        layout.addWidget(rule())
        layout.addWidget(label(self.tr("Teilnehmende"), "sectionTitle"))
        self._participants_slot = QVBoxLayout()
        self._participants_slot.setContentsMargins(0, 0, 0, 0)
        self._participants = QWidget()
        self._participants_slot.addWidget(self._participants)
        layout.addLayout(self._participants_slot)

        layout.addWidget(rule())
        layout.addWidget(label(self.tr("Zugang der Bürgerin / des Bürgers"), "sectionTitle"))
        access = QVBoxLayout()
        access.setSpacing(6)
        self.link = QLineEdit()
        self.link.setReadOnly(True)
        self.link.setAccessibleName(self.tr("Persönlicher Link"))
        self.link.setCursorPosition(0)
        access.addWidget(label(self.tr("Persönlicher Link"), "hint"))
        access.addWidget(self.link)
        link_buttons = QHBoxLayout()
        link_buttons.setSpacing(8)
        self.copy_button = QPushButton(self.tr("Link kopieren"))
        self.copy_button.clicked.connect(self.copy_link_requested)
        self.open_button = QPushButton(self.tr("Im Browser testen"))
        self.open_button.clicked.connect(self.open_link_requested)
        link_buttons.addWidget(self.copy_button)
        link_buttons.addWidget(self.open_button)
        link_buttons.addStretch(1)
        access.addLayout(link_buttons)
        access.addSpacing(6)
        access.addWidget(label(self.tr("Einwahlcode (für die Einwahl ohne Link)"), "hint"))
        self.dial_code = label(name="dialCode")
        self.dial_code.setStyleSheet("font-size: 15pt; font-weight: 600; letter-spacing: 1px;")
        access.addWidget(self.dial_code)
        layout.addLayout(access)
        layout.addStretch(1)

    # --- data ---------------------------------------------------------------------------

    @property
    def appointment(self) -> AppointmentOut | None:
        return self._appointment

    def show_appointment(self, appointment: AppointmentOut | None) -> None:
        if appointment is not None and appointment == self._appointment:
            return
        self._appointment = appointment
        if appointment is None:
            self._stack.setCurrentIndex(0)
            return
        self._stack.setCurrentIndex(1)
        cancelled = appointment.status is AppointmentStatus.CANCELLED
        local = to_berlin(appointment.starts_at)
        day = format_day(QDate(local.year, local.month, local.day))
        self.title.setText(appointment.citizen_name)
        if cancelled:
            self.status.setText(
                _dot(CANCELLED_COLOUR)
                + " "
                + self.tr("Dieser Termin ist abgesagt. Link und Einwahlcode gelten nicht mehr.")
            )
            self.status.show()
        else:
            self.status.hide()
        self.when.setText(
            self.tr("{day}, {time} ({duration})").format(
                day=day,
                time=time_range_text(appointment.starts_at, appointment.duration_min),
                duration=duration_text(appointment.duration_min),
            )
        )
        self.topic.setText(appointment.topic or "–")
        self.customer_number.setText(appointment.customer_number or "–")
        self.language.setText(language_label(appointment.language))
        self._show_participants(appointment.participants)
        citizen = appointment.citizen
        self.link.setText(citizen.link)
        self.link.setCursorPosition(0)
        self.dial_code.setText(dial_code_text(citizen.dial_code))
        has_mail = any(p.email for p in appointment.participants)
        self.edit_button.setEnabled(not cancelled)
        self.cancel_button.setEnabled(not cancelled)
        self.resend_button.setEnabled(has_mail)
        self.resend_button.setText(
            self.tr("Absage erneut senden") if cancelled else self.tr("Einladung erneut senden")
        )
        self.copy_button.setEnabled(not cancelled)
        self.open_button.setEnabled(not cancelled)
        self.reassign_button.setEnabled(not cancelled)
        self.advisor.setText(appointment.advisor_name)
        self._facts.setRowVisible(4, bool(appointment.advisor_name))
        self.history.setText("\n".join(self._event_text(e) for e in appointment.history))
        self._facts.setRowVisible(5, bool(appointment.history))

    def set_can_reassign(self, can: bool) -> None:
        """Offer "Vertretung …" (the advisor has team colleagues)."""
        self.reassign_button.setVisible(can)

    def _event_text(self, event: AppointmentEventOut) -> str:
        """One line of the appointment's record: when, what, who (never what was said)."""
        when = to_berlin(event.at).strftime("%d.%m. %H:%M")
        if event.kind is AppointmentEventKind.REASSIGNED:
            text = self.tr("{actor}: Vertretung an {to}").format(
                actor=event.actor_name, to=event.to_name or "–"
            )
        elif event.kind is AppointmentEventKind.HANDED_OVER:
            text = self.tr("{actor}: übergeben an {to}").format(
                actor=event.actor_name, to=event.to_name or "–"
            )
        else:
            text = self.tr("eingelassen von {actor}").format(actor=event.actor_name)
        return f"{when} {text}"

    def _show_participants(self, participants: list[ParticipantOut]) -> None:
        """Replace the participants block as a whole (no stale labels are left behind)."""
        box = QWidget()
        grid = QVBoxLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(2)
        for index, participant in enumerate(participants):
            if index:
                grid.addSpacing(8)
            grid.addWidget(
                label(
                    f"<b>{escape(participant.name)}</b> · {escape(role_label(participant.role))}",
                    "participantName",
                    rich=True,
                )
            )
            status = participant.mail_status
            mail = escape(participant.email) if participant.email else self.tr("ohne E-Mail")
            grid.addWidget(
                label(
                    f"{mail}&nbsp;&nbsp;{_dot(mail_status_colour(status).name())} "
                    f"{escape(mail_status_label(status))}",
                    "participantStatus",
                    rich=True,
                )
            )
            if status is MailStatus.FAILED and participant.mail_error:
                error = label(participant.mail_error, "participantError")
                error.setStyleSheet(f"color: {ERROR_COLOUR};")
                grid.addWidget(error)
        old = self._participants
        self._participants_slot.replaceWidget(old, box)
        old.setParent(None)
        old.deleteLater()
        self._participants = box

    def texts(self) -> list[str]:
        """Every text the panel shows, top to bottom (for tests and screen readers)."""
        return [label.text() for label in self.findChildren(QLabel) if not label.isHidden()]
