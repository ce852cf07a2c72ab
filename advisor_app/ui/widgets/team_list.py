"""The team's waiting room: a table of colleagues' waiting people and a panel to admit one.

:class:`TeamModel` shows a :class:`TeamEntries` (kept by the page's
:class:`~advisor_app.console.team_room.TeamWaitingRoom`) row by row, so the selection survives
every snapshot. :class:`TeamPanel` is the list beside the selected person's details and the
"Einlassen" button, which is enabled only where the service allows it (``may_admit``).
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from advisor_app.console.team_room import TeamEntries
from advisor_app.console.waiting_room import RowChanges
from advisor_app.core.protocol import TeamWaitingEntry
from advisor_app.ui.icons import dot_icon
from advisor_app.ui.labels import clock_label, clock_text, waited_text, waited_words
from advisor_app.ui.widgets.detail_panel import build_detail_panel, label
from advisor_app.ui.widgets.waiting_list import ID_ROLE, PeopleModel, PeopleTable

Index = QModelIndex | QPersistentModelIndex
STATE_COLOURS = {"free": "#2e7d32", "busy": "#c77700", "absent": "#8a8f98"}


def state_label(state: str) -> str:
    """A colleague's state in words: frei, im Gespräch, abwesend."""
    return {
        "free": QCoreApplication.translate("TeamModel", "frei"),
        "busy": QCoreApplication.translate("TeamModel", "im Gespräch"),
        "absent": QCoreApplication.translate("TeamModel", "abwesend"),
    }.get(state, state)


class Column(IntEnum):
    WHEN = 0
    PERSON = 1
    FOR = 2
    STATE = 3
    WAITING = 4


class TeamModel(PeopleModel):
    """The colleagues' waiting people as table rows; ``now`` drives "seit …"."""

    columns = Column

    def __init__(self, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        root = QModelIndex()
        self.team = TeamEntries(
            RowChanges(
                before_insert=lambda row: self.beginInsertRows(root, row, row),
                after_insert=self.endInsertRows,
                before_move=lambda row, dest: self.beginMoveRows(root, row, row, root, dest),
                after_move=self.endMoveRows,
                changed=lambda row: self.dataChanged.emit(
                    self.index(row, 0), self.index(row, len(Column) - 1)
                ),
                before_remove=lambda row: self.beginRemoveRows(root, row, row),
                after_remove=self.endRemoveRows,
            )
        )
        self._now = now

    def entry(self, participant_id: int) -> TeamWaitingEntry | None:
        return self.team.entry(participant_id)

    def row_of(self, participant_id: int) -> int:
        return self.team.row_of(participant_id)

    def entry_at(self, row: int) -> TeamWaitingEntry | None:
        return self.team.entry_at(row)

    def set_now(self, now: datetime) -> None:
        self._now = now
        if len(self.team):
            last = len(self.team) - 1
            self.dataChanged.emit(self.index(0, Column.WAITING), self.index(last, Column.WAITING))

    def people(self) -> int:
        return len(self.team)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            Column.WHEN: self.tr("Termin"),
            Column.PERSON: self.tr("Name"),
            Column.FOR: self.tr("Termin bei"),
            Column.STATE: self.tr("Kollegin/Kollege ist"),
            Column.WAITING: self.tr("Wartet"),
        }[Column(section)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry_at(index.row()) if index.isValid() else None
        if entry is None:
            return None
        column = Column(index.column())
        if role == ID_ROLE:
            return entry.participant_id
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.sentence(entry) if column is Column.WHEN else self._text(entry, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.STATE:
            return dot_icon(STATE_COLOURS.get(entry.advisor_state, "#8a8f98"))
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.WAITING:
            return self.tr("Im Wartezimmer seit {time}").format(
                time=clock_label(entry.waiting_since)
            )
        if role == Qt.ItemDataRole.ToolTipRole and entry.handover_note:
            return self.tr("Notiz: {note}").format(note=entry.handover_note)
        return None

    def sentence(self, entry: TeamWaitingEntry) -> str:
        """The row as a screen reader says it."""
        parts = [
            clock_text(entry.starts_at),
            entry.name,
            self.tr("für {colleague} ({state})").format(
                colleague=entry.advisor_name, state=state_label(entry.advisor_state)
            ),
            waited_words(entry.waiting_since, self._now),
        ]
        if entry.may_admit:
            parts.append(self.tr("Sie können einlassen"))
        return ", ".join(parts)

    def _text(self, entry: TeamWaitingEntry, column: Column) -> str:
        if column is Column.WHEN:
            return clock_text(entry.starts_at)
        if column is Column.PERSON:
            return entry.name
        if column is Column.FOR:
            return entry.advisor_name
        if column is Column.STATE:
            return state_label(entry.advisor_state)
        return waited_text(entry.waiting_since, self._now)


class TeamList(PeopleTable):
    """The colleagues' waiting people; the selection follows the participant."""

    def _setup_ui(self) -> None:
        self.setObjectName("teamList")
        self.setAccessibleName(self.tr("Wartende Personen im Team"))
        self.setAccessibleDescription(
            self.tr("Enter oder Leertaste lässt die Person ein, wenn Sie das dürfen.")
        )
        header = self.header()
        header.setSectionResizeMode(Column.PERSON, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.FOR, QHeaderView.ResizeMode.Stretch)
        for column in (Column.WHEN, Column.STATE, Column.WAITING):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)


class TeamDetail(QFrame):
    """The selected colleague's person: for whom, since when, the colleague's state, a note."""

    admit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry: TeamWaitingEntry | None = None
        self._setup_ui()

    def _setup_ui(self) -> None:
        self._stack, layout = build_detail_panel(self, self.tr("Wählen Sie links eine Person aus."))
        self.title = label(name="detailTitle")
        layout.addWidget(self.title)
        actions = QHBoxLayout()
        self.admit_button = QPushButton(self.tr("Einlassen"))
        self.admit_button.setProperty("primary", True)
        self.admit_button.clicked.connect(self.admit_requested)
        actions.addWidget(self.admit_button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.action_hint = label(name="hint")
        self.action_hint.hide()
        layout.addWidget(self.action_hint)
        facts = QFormLayout()
        facts.setHorizontalSpacing(16)
        facts.setVerticalSpacing(6)
        self.when = label()
        self.for_whom = label()
        self.state = label()
        self.waiting = label()
        self.note = label()
        facts.addRow(label(self.tr("Termin"), "hint"), self.when)
        facts.addRow(label(self.tr("Termin bei"), "hint"), self.for_whom)
        facts.addRow(label(self.tr("Kollegin/Kollege ist"), "hint"), self.state)
        facts.addRow(label(self.tr("Im Wartezimmer"), "hint"), self.waiting)
        self._note_label = label(self.tr("Notiz zur Übergabe"), "hint")
        facts.addRow(self._note_label, self.note)
        self._facts = facts
        layout.addLayout(facts)
        layout.addStretch(1)

    def show_entry(self, entry: TeamWaitingEntry | None, now: datetime) -> None:
        self.entry = entry
        if entry is None:
            self._stack.setCurrentIndex(0)
            return
        self._stack.setCurrentIndex(1)
        self.title.setText(entry.name)
        self.when.setText(self.tr("{time} Uhr").format(time=clock_text(entry.starts_at)))
        self.for_whom.setText(entry.advisor_name)
        self.state.setText(state_label(entry.advisor_state))
        self.note.setText(entry.handover_note or "")
        self._facts.setRowVisible(4, bool(entry.handover_note))
        self.show_time(now)

    def show_time(self, now: datetime) -> None:
        if self.entry is not None:
            self.waiting.setText(
                self.tr("{time}, {waited}").format(
                    time=clock_label(self.entry.waiting_since),
                    waited=waited_text(self.entry.waiting_since, now),
                )
            )

    def set_actions(self, *, admit: bool, hint: str) -> None:
        self.admit_button.setEnabled(admit)
        self.action_hint.setText(hint)
        self.action_hint.setVisible(bool(hint))

    def texts(self) -> list[str]:
        return [w.text() for w in self.findChildren(QLabel) if w.isVisibleTo(self)]


class TeamPanel(QWidget):
    """The "Team" view of the waiting room: the list, the details, and an empty state."""

    def __init__(self, model: TeamModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._setup_ui()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        self.list_stack = QStackedWidget()
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(2)
        self.empty_title = label(self.tr("Im Team wartet gerade niemand."), "sectionTitle")
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty_layout.addWidget(self.empty_title)
        self.empty_hint = label(
            self.tr(
                "Hier sehen Sie, wer bei Kolleginnen und Kollegen Ihrer Teams wartet. Ist die "
                "Kollegin oder der Kollege abwesend oder im Gespräch, können Sie nach Beginn "
                "des Termins einlassen."
            ),
            "hint",
        )
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty_layout.addWidget(self.empty_hint)
        empty_layout.addStretch(3)
        self.list_stack.addWidget(empty)
        self.list = TeamList(self._model)
        self.list_stack.addWidget(self.list)
        splitter.addWidget(self.list_stack)
        self.detail = TeamDetail()
        self.detail.setMinimumWidth(380)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([640, 420])
        layout.addWidget(splitter, 1)
