"""One waiting person in full: appointment, waiting time, connection, consent, device check.

The actions (admit, message, send away) are offered as signals; the page decides what they do.
"Nachricht senden" opens a menu of ready-made messages plus "Eigene Nachricht…".
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QWidget,
)

from advisor_app.core.domain import Role, to_berlin
from advisor_app.core.protocol import WaitingEntry
from advisor_app.ui.labels import (
    OFFLINE_COLOUR,
    ONLINE_COLOUR,
    clock_label,
    day_text,
    device_check_rows,
    duration_text,
    role_label,
    time_range_text,
    verdict_colour,
    verdict_label,
    verdict_sentence,
    waited_text,
)
from advisor_app.ui.widgets.detail_panel import build_detail_panel, label, rule


def ready_notes() -> list[str]:
    """The short messages the advisor can send with two clicks (interface language)."""
    return [
        QCoreApplication.translate("WaitingDetail", "Ich komme in wenigen Minuten."),
        QCoreApplication.translate("WaitingDetail", "Bitte haben Sie noch etwas Geduld."),
        QCoreApplication.translate("WaitingDetail", "Ich bin gleich für Sie da."),
    ]


def _dot(colour: str) -> str:
    return f'<span style="color:{colour}">●</span>'


def _date(moment: datetime) -> str:
    local = to_berlin(moment)
    return QLocale().toString(
        QDate(local.year, local.month, local.day),
        QCoreApplication.translate("WaitingDetail", "dd.MM.yyyy"),
    )


class WaitingDetail(QFrame):
    """Shows the selected waiting person and offers the actions on them."""

    admit_requested = Signal()
    #: A ready-made message was chosen (its text, in the interface's language).
    note_chosen = Signal(str)
    custom_note_requested = Signal()
    send_away_requested = Signal()
    #: "Übergeben …": hand the person to a team colleague.
    hand_over_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entry: WaitingEntry | None = None
        self._setup_ui()

    def _setup_ui(self) -> None:
        empty = self.tr("Wählen Sie links eine Person aus.")
        self._stack, layout = build_detail_panel(self, empty)
        self.title = label(name="detailTitle")
        layout.addWidget(self.title)
        self.role = label(name="hint")
        layout.addWidget(self.role)

        actions = QHBoxLayout()
        actions.setSpacing(8)
        self.admit_button = QPushButton(self.tr("Einlassen"))
        self.admit_button.setProperty("primary", True)
        self.admit_button.clicked.connect(self.admit_requested)
        self.note_button = QPushButton(self.tr("Nachricht senden"))
        self.note_menu = QMenu(self.note_button)
        for text in ready_notes():
            action = QAction(text, self.note_menu)
            action.triggered.connect(lambda _checked=False, t=text: self.note_chosen.emit(t))
            self.note_menu.addAction(action)
        self.note_menu.addSeparator()
        custom = QAction(self.tr("Eigene Nachricht…"), self.note_menu)
        custom.triggered.connect(self.custom_note_requested)
        self.note_menu.addAction(custom)
        self.note_button.setMenu(self.note_menu)
        self.send_away_button = QPushButton(self.tr("Wegschicken"))
        self.send_away_button.setProperty("danger", True)
        self.send_away_button.clicked.connect(self.send_away_requested)
        self.hand_over_button = QPushButton(self.tr("Übergeben …"))
        self.hand_over_button.setToolTip(
            self.tr("Die Person an eine Kollegin oder einen Kollegen Ihres Teams übergeben")
        )
        self.hand_over_button.clicked.connect(self.hand_over_requested)
        actions.addWidget(self.admit_button)
        actions.addWidget(self.note_button)
        actions.addStretch(1)
        actions.addWidget(self.send_away_button)
        layout.addLayout(actions)
        # a row of its own: the panel keeps its width with four actions
        self._team_actions = QWidget()
        team_actions = QHBoxLayout(self._team_actions)
        team_actions.setContentsMargins(0, 0, 0, 0)
        team_actions.addWidget(self.hand_over_button)
        team_actions.addStretch(1)
        layout.addWidget(self._team_actions)
        self.action_hint = label(name="hint")
        self.action_hint.hide()
        layout.addWidget(self.action_hint)
        #: A colleague handed this person over: who, and the note for this advisor.
        self.handover = label(name="handoverNote")
        self.handover.setStyleSheet(
            "QLabel#handoverNote { background: #eef3fb; border-left: 3px solid #1d4f91;"
            " padding: 6px 8px; }"
        )
        self.handover.hide()
        layout.addWidget(self.handover)

        facts = QFormLayout()
        facts.setHorizontalSpacing(16)
        facts.setVerticalSpacing(6)
        facts.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.when = label()
        self.waiting = label()
        self.connection = label(rich=True)
        self.consent = label()
        facts.addRow(label(self.tr("Termin"), "hint"), self.when)
        facts.addRow(label(self.tr("Im Wartezimmer"), "hint"), self.waiting)
        facts.addRow(label(self.tr("Verbindung"), "hint"), self.connection)
        facts.addRow(label(self.tr("Einwilligung"), "hint"), self.consent)
        layout.addLayout(facts)

        layout.addWidget(rule())
        layout.addWidget(label(self.tr("Technikcheck"), "sectionTitle"))
        self.verdict = label(rich=True)
        layout.addWidget(self.verdict)
        self.check_form = QFormLayout()
        self.check_form.setHorizontalSpacing(16)
        self.check_form.setVerticalSpacing(4)
        self.check_form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._check_rows: list[tuple[QLabel, QLabel]] = []
        for _ in range(9):
            name, value = label(name="hint"), label()
            self.check_form.addRow(name, value)
            self._check_rows.append((name, value))
        layout.addLayout(self.check_form)
        layout.addStretch(1)

    # --- data ---------------------------------------------------------------------------

    @property
    def entry(self) -> WaitingEntry | None:
        return self._entry

    def set_actions(
        self, *, enabled: bool, admit: bool = True, hint: str = "", hand_over: bool = True
    ) -> None:
        """Enable the actions (``enabled``: connected); ``admit`` False with a reason;
        ``hand_over``: the advisor has team colleagues."""
        self.admit_button.setEnabled(enabled and admit)
        self.note_button.setEnabled(enabled)
        self._team_actions.setVisible(hand_over)
        self.hand_over_button.setEnabled(enabled)
        self.send_away_button.setEnabled(enabled)
        self.action_hint.setText(hint)
        self.action_hint.setVisible(bool(hint))

    def show_entry(self, entry: WaitingEntry | None, now: datetime) -> None:
        self._entry = entry
        if entry is None:
            self._stack.setCurrentIndex(0)
            return
        self._stack.setCurrentIndex(1)
        self.title.setText(entry.name)
        self.role.setText(role_label(entry.role))
        self.role.setVisible(entry.role is not Role.CITIZEN)
        local = to_berlin(entry.starts_at)
        if local.date() == to_berlin(now).date():
            day = self.tr("Heute")
        else:
            day = day_text(QDate(local.year, local.month, local.day))
        self.when.setText(
            self.tr("{day}, {time} ({duration})").format(
                day=day,
                time=time_range_text(entry.starts_at, entry.duration_min),
                duration=duration_text(entry.duration_min),
            )
        )
        self.show_time(now)
        if entry.online:
            self.connection.setText(_dot(ONLINE_COLOUR) + " " + self.tr("verbunden"))
        else:
            self.connection.setText(_dot(OFFLINE_COLOUR) + " " + self.tr("Verbindung unterbrochen"))
        if entry.consent_accepted_at is not None:
            self.consent.setText(
                self.tr("erteilt am {date} um {time}").format(
                    date=_date(entry.consent_accepted_at),
                    time=clock_label(entry.consent_accepted_at),
                )
            )
        else:
            self.consent.setText(self.tr("erteilt"))
        self._show_check(entry)

    def show_handover(self, from_name: str | None, note: str = "") -> None:
        """A colleague handed the shown person over (None: not handed over)."""
        if from_name is None:
            self.handover.hide()
            return
        text = self.tr("Übergeben von {colleague}.").format(colleague=from_name)
        if note:
            text += " " + self.tr("Notiz: {note}").format(note=note)
        self.handover.setText(text)
        self.handover.show()

    def show_time(self, now: datetime) -> None:
        """Update "seit … Min." (called every few seconds)."""
        entry = self._entry
        if entry is None:
            return
        self.waiting.setText(
            self.tr("{time}, {waited}").format(
                waited=waited_text(entry.waiting_since, now),
                time=clock_label(entry.waiting_since),
            )
        )

    def _show_check(self, entry: WaitingEntry) -> None:
        check = entry.device_check
        verdict = check.verdict if check is not None else None
        sentence = verdict_sentence(verdict)
        if check is not None:
            sentence += " " + self.tr("Geprüft um {time}.").format(
                time=clock_label(check.checked_at)
            )
        self.verdict.setText(
            f"{_dot(verdict_colour(verdict))} <b>{verdict_label(verdict)}</b> – {sentence}"
        )
        rows = device_check_rows(check) if check is not None else []
        for index, (name, value) in enumerate(self._check_rows):
            visible = index < len(rows)
            self.check_form.setRowVisible(index, visible)
            if visible:
                name.setText(rows[index][0])
                value.setText(rows[index][1])

    def texts(self) -> list[str]:
        """Every text the panel shows, top to bottom (for tests and screen readers)."""
        return [label.text() for label in self.findChildren(QLabel) if label.isVisibleTo(self)]
