"""Choosing a team colleague: to hand a waiting person over, or to stand in for appointments.

:class:`ColleagueDialog` lists the colleagues (name and whether they are free, in a call or
absent) and says what will happen; accepting it is the confirmation. :class:`HandOverDialog`
adds the note for the colleague, which the citizen never sees.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.core.protocol import MAX_NOTE_LENGTH, TeamMemberOut
from advisor_app.ui.dialogs.note_dialog import LimitedTextEdit
from advisor_app.ui.icons import dot_icon
from advisor_app.ui.widgets.team_list import STATE_COLOURS, state_label

ID_ROLE = Qt.ItemDataRole.UserRole


class ColleagueDialog(QDialog):
    """A colleague to choose, what happens in words, and a confirming button."""

    def __init__(
        self,
        *,
        title: str,
        question: str,
        info: str,
        confirm: str,
        colleagues: Sequence[TeamMemberOut],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._colleagues = list(colleagues)
        #: Where :meth:`refresh_colleagues` reads the colleagues anew (None: never).
        self.source: Callable[[], Sequence[TeamMemberOut]] | None = None
        self._setup_ui(title, question, info, confirm)
        self._on_choice_changed()

    def _setup_ui(self, title: str, question: str, info: str, confirm: str) -> None:
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        self.question = QLabel(question)
        self.question.setObjectName("sectionTitle")
        self.question.setTextFormat(Qt.TextFormat.PlainText)  # a citizen's name, never markup
        self.question.setWordWrap(True)
        layout.addWidget(self.question)
        self.info = QLabel(info)
        self.info.setObjectName("hint")
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        chooser = QLabel(self.tr("&Kollegin oder Kollege"))
        layout.addWidget(chooser)
        self.choices = QListWidget()
        self.choices.setAccessibleName(self.tr("Kollegin oder Kollege"))
        chooser.setBuddy(self.choices)
        self._fill()
        rows = max(2, min(6, len(self._colleagues)))
        self.choices.setFixedHeight(rows * (self.choices.fontMetrics().height() + 10) + 6)
        self.choices.currentRowChanged.connect(self._on_choice_changed)
        layout.addWidget(self.choices)
        self.none_hint = QLabel(
            self.tr(
                "Sie gehören zu keinem Team mit Kolleginnen oder Kollegen. Die Teamleitung "
                "oder die IT kann Sie einem Team zuordnen."
            )
        )
        self.none_hint.setObjectName("hint")
        self.none_hint.setWordWrap(True)
        self.none_hint.setVisible(not self._colleagues)
        layout.addWidget(self.none_hint)
        self._body = layout

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Abbrechen"))
        self.cancel_button.clicked.connect(self.reject)
        self.confirm_button = QPushButton(confirm)
        self.confirm_button.setProperty("primary", True)
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.clicked.connect(self.accept)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        self._buttons = buttons
        if self._colleagues:  # a free colleague first, else the first one
            free = [i for i, m in enumerate(self._colleagues) if m.state == "free"]
            self.choices.setCurrentRow(free[0] if free else 0)

    def _fill(self) -> None:
        for member in self._colleagues:
            item = QListWidgetItem(
                dot_icon(STATE_COLOURS.get(member.state, "#8a8f98")),
                self.tr("{name} – {state}").format(
                    name=member.display_name, state=state_label(member.state)
                ),
            )
            item.setData(ID_ROLE, member.advisor_id)
            self.choices.addItem(item)

    def set_colleagues(self, colleagues: Sequence[TeamMemberOut]) -> None:
        """Show the colleagues anew (their states change); the choice stays where it can."""
        chosen = self.colleague
        self.choices.blockSignals(True)
        self.choices.clear()
        self._colleagues = list(colleagues)
        self._fill()
        self.choices.blockSignals(False)
        self.none_hint.setVisible(not self._colleagues)
        if chosen is not None:
            self.choose(chosen.advisor_id)
        if self.choices.currentRow() < 0 and self._colleagues:
            self.choices.setCurrentRow(0)
        self._on_choice_changed()

    def refresh_colleagues(self) -> None:
        """The team directory knows more (a slot): show its colleagues."""
        if self.source is not None:
            self.set_colleagues(self.source())

    def finish_layout(self) -> None:
        """Put the buttons last (after what a subclass added)."""
        self._body.addSpacing(6)
        self._body.addLayout(self._buttons)

    @property
    def colleague(self) -> TeamMemberOut | None:
        """The chosen colleague."""
        row = self.choices.currentRow()
        return self._colleagues[row] if 0 <= row < len(self._colleagues) else None

    def choose(self, advisor_id: int) -> None:
        for row, member in enumerate(self._colleagues):
            if member.advisor_id == advisor_id:
                self.choices.setCurrentRow(row)

    def _on_choice_changed(self, *_args: object) -> None:
        self.confirm_button.setEnabled(self.colleague is not None)


def substitution_dialog(
    title: str,
    question: str,
    info: str,
    confirm: str,
    colleagues: Sequence[TeamMemberOut],
    parent: QWidget | None = None,
) -> ColleagueDialog:
    """A colleague to stand in, with the consequences named."""
    dialog = ColleagueDialog(
        title=title,
        question=question,
        info=info,
        confirm=confirm,
        colleagues=colleagues,
        parent=parent,
    )
    dialog.finish_layout()
    return dialog


class HandOverDialog(ColleagueDialog):
    """Hand a waiting person to a colleague, with a note the person never sees."""

    def __init__(
        self, name: str, colleagues: Sequence[TeamMemberOut], parent: QWidget | None = None
    ) -> None:
        super().__init__(
            title=self.tr("Übergeben"),
            question=self.tr("{name} an eine Kollegin oder einen Kollegen übergeben?").format(
                name=name
            ),
            info=self.tr(
                "Die Person behält ihren Platz im Wartezimmer und liest: „Sie werden von einer "
                "Kollegin oder einem Kollegen beraten.“ Der Termin gehört danach der gewählten "
                "Kollegin oder dem gewählten Kollegen."
            ),
            confirm=self.tr("Übergeben"),
            colleagues=colleagues,
            parent=parent,
        )
        note_label = QLabel(self.tr("&Notiz für die Kollegin oder den Kollegen"))
        self._body.addWidget(note_label)
        self.note = LimitedTextEdit(MAX_NOTE_LENGTH)
        self.note.setAccessibleName(self.tr("Notiz für die Kollegin oder den Kollegen"))
        self.note.setPlaceholderText(
            self.tr("Zum Beispiel: Unterlagen liegen vor, es geht um die Weiterbewilligung.")
        )
        self.note.setFixedHeight(90)
        note_label.setBuddy(self.note)
        self._body.addWidget(self.note)
        private = QLabel(self.tr("Die Person sieht diese Notiz nicht."))
        private.setObjectName("hint")
        self._body.addWidget(private)
        self.finish_layout()

    @property
    def note_text(self) -> str:
        return self.note.text().strip()
