"""Who is waiting: a table model of :class:`WaitingEntry` rows and the view that shows it.

Rows are kept sorted by appointment time (then arrival). Changes are applied row by row
(insert, move, change, remove) rather than by a reset, so the advisor's selection and scroll
position survive every event of the live waiting room.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import IntEnum
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTreeView,
    QWidget,
)

from advisor_app.console.waiting_room import RowChanges, WaitingEntries
from advisor_app.core.domain import Role
from advisor_app.core.protocol import WaitingEntry
from advisor_app.ui.icons import dot_icon
from advisor_app.ui.labels import (
    OFFLINE_COLOUR,
    ONLINE_COLOUR,
    clock_label,
    clock_text,
    device_check_rows,
    duration_text,
    role_label,
    verdict_colour,
    verdict_label,
    waited_text,
    waited_words,
)
from advisor_app.ui.style import uses_system_colours
from advisor_app.ui.widgets.appointment_list import TwoLineDelegate

Index = QModelIndex | QPersistentModelIndex
#: The participant id of a row (``Qt.UserRole``).
ID_ROLE = Qt.ItemDataRole.UserRole


class Column(IntEnum):
    WHEN = 0
    PERSON = 1
    WAITING = 2
    CHECK = 3
    CONNECTION = 4


def device_check_tooltip(entry: WaitingEntry) -> str:
    """The device check's details as a small table (rich text, user data escaped)."""
    check = entry.device_check
    if check is None:
        return verdict_label(None)
    rows = device_check_rows(check)
    body = "".join(
        f"<tr><td>{escape(label)}&nbsp;&nbsp;</td><td>{escape(value)}</td></tr>"
        for label, value in rows
    )
    title = QCoreApplication.translate("WaitingModel", "Technikcheck: {verdict}").format(
        verdict=verdict_label(check.verdict)
    )
    return f"<b>{escape(title)}</b><table>{body}</table>"


class PeopleModel(QAbstractTableModel):
    """Rows of waiting people, one per participant, in the columns of :attr:`columns`."""

    columns: type[IntEnum]

    def row_of(self, participant_id: int) -> int:  # pragma: no cover - every model has its own
        raise NotImplementedError

    def people(self) -> int:  # pragma: no cover - every model has its own
        """How many rows there are."""
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.people()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)


class PeopleTable(QTreeView):
    """A list of waiting people (the own or the team's): one row selected at a time, Enter or
    Space asks to let the selected person in, the selection follows the participant across
    changes. Subclasses lay out their columns in :meth:`_setup_ui`."""

    #: The selected participant's id, or 0 when nobody is selected.
    selection_changed = Signal(int)
    #: Enter or Space on a row: the advisor wants to let the selected person in.
    admit_requested = Signal()

    def __init__(self, model: PeopleModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.setModel(model)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAllColumnsShowFocus(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionsMovable(False)
        self._setup_ui()
        self.selectionModel().selectionChanged.connect(self._on_selection_changed)

    def _setup_ui(self) -> None:  # pragma: no cover - every list has its own
        raise NotImplementedError

    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
        if event.key() in keys and not event.modifiers() and self.selected_id():
            self.admit_requested.emit()
            return
        super().keyPressEvent(event)

    def selected_id(self) -> int:
        rows = self.selectionModel().selectedRows()
        return int(rows[0].data(ID_ROLE)) if rows else 0

    def select(self, participant_id: int) -> None:
        row = self._model.row_of(participant_id)
        if row < 0:
            return
        index = self._model.index(row, 0)
        self.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(index)

    def row_texts(self) -> list[list[str]]:
        """What each row shows, column by column (for tests and screen readers)."""
        model = self._model
        return [
            [str(model.index(row, col).data()) for col in model.columns]
            for row in range(model.rowCount())
        ]

    def _on_selection_changed(self) -> None:
        self.selection_changed.emit(self.selected_id())


class WaitingModel(PeopleModel):
    """The waiting room's entries (a :class:`WaitingEntries`) as table rows; ``now`` drives
    "seit …"."""

    columns = Column

    def __init__(self, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        root = QModelIndex()
        self.waiting = WaitingEntries(
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

    # --- data access --------------------------------------------------------------------

    def entries(self) -> list[WaitingEntry]:
        return self.waiting.entries()

    def entry(self, participant_id: int) -> WaitingEntry | None:
        return self.waiting.entry(participant_id)

    def row_of(self, participant_id: int) -> int:
        return self.waiting.row_of(participant_id)

    def entry_at(self, row: int) -> WaitingEntry | None:
        return self.waiting.entry_at(row)

    # --- changes ------------------------------------------------------------------------

    def set_now(self, now: datetime) -> None:
        """Move the clock: the "waiting since" column is painted again."""
        self._now = now
        if len(self.waiting):
            self.dataChanged.emit(
                self.index(0, Column.WAITING), self.index(len(self.waiting) - 1, Column.WAITING)
            )

    def upsert(self, entry: WaitingEntry) -> bool:
        """Add or replace ``entry`` at its sorted place; True if it was new."""
        return self.waiting.upsert(entry)

    def remove(self, participant_id: int) -> WaitingEntry | None:
        return self.waiting.remove(participant_id)

    def replace_all(self, entries: Sequence[WaitingEntry]) -> list[WaitingEntry]:
        """Take a snapshot of the room; returns the entries that were not known before."""
        return self.waiting.replace_all(entries)

    # --- Qt model interface -------------------------------------------------------------

    def people(self) -> int:
        return len(self.waiting)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            Column.WHEN: self.tr("Termin"),
            Column.PERSON: self.tr("Name"),
            Column.WAITING: self.tr("Wartet"),
            Column.CHECK: self.tr("Technik"),
            Column.CONNECTION: self.tr("Verbindung"),
        }[Column(section)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry_at(index.row()) if index.isValid() else None
        if entry is None:
            return None
        column = Column(index.column())
        if role == ID_ROLE:
            return entry.participant_id
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._sentence(entry) if column is Column.WHEN else self._text(entry, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == Qt.ItemDataRole.DecorationRole:
            if column is Column.CHECK:
                check = entry.device_check
                return dot_icon(verdict_colour(check.verdict if check else None))
            if column is Column.CONNECTION:
                return dot_icon(ONLINE_COLOUR if entry.online else OFFLINE_COLOUR)
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column is Column.CONNECTION
            and not entry.online
            and not uses_system_colours()  # the words say it; the system's colours stay
        ):
            return QBrush(QColor("#9f1f1b"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        return None

    def _sentence(self, entry: WaitingEntry) -> str:
        """The row as a screen reader says it: "09:46, Erika Mustermann, wartet seit
        3 Minuten, Technik in Ordnung"."""
        check = entry.device_check
        parts = [clock_text(entry.starts_at), entry.name]
        if entry.role is not Role.CITIZEN:
            parts.append(role_label(entry.role))
        parts.append(waited_words(entry.waiting_since, self._now))
        parts.append(
            self.tr("Technik {verdict}").format(
                verdict=verdict_label(check.verdict if check else None)
            )
        )
        if not entry.online:
            parts.append(self.tr("Verbindung unterbrochen"))
        return ", ".join(parts)

    def _text(self, entry: WaitingEntry, column: Column) -> str:
        if column is Column.WHEN:
            return clock_text(entry.starts_at) + "\n" + duration_text(entry.duration_min)
        if column is Column.PERSON:
            if entry.role is Role.CITIZEN:
                return entry.name
            return entry.name + "\n" + role_label(entry.role)
        if column is Column.WAITING:
            return waited_text(entry.waiting_since, self._now)
        if column is Column.CHECK:
            check = entry.device_check
            return verdict_label(check.verdict if check else None)
        if entry.online:
            return self.tr("verbunden")
        return self.tr("Verbindung unterbrochen")

    def _tooltip(self, entry: WaitingEntry, column: Column) -> str | None:
        if column is Column.CHECK:
            return device_check_tooltip(entry)
        if column is Column.WAITING:
            return self.tr("Im Wartezimmer seit {time}").format(
                time=clock_label(entry.waiting_since)
            )
        if column is Column.CONNECTION and not entry.online:
            return self.tr(
                "Die Verbindung der Person ist abgebrochen. Sie behält ihren Platz, "
                "wenn sie sich gleich wieder verbindet."
            )
        if column is Column.PERSON:
            return entry.name
        return None


class WaitingList(PeopleTable):
    """The list of waiting people; the selection follows the participant across changes."""

    def _setup_ui(self) -> None:
        self.setObjectName("waitingList")
        self._delegate = TwoLineDelegate(self)
        self.setItemDelegateForColumn(Column.WHEN, self._delegate)
        self.setItemDelegateForColumn(Column.PERSON, self._delegate)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setAccessibleName(self.tr("Personen im Wartezimmer"))
        self.setAccessibleDescription(self.tr("Enter oder Leertaste lässt die Person ein."))
        header = self.header()
        header.setSectionResizeMode(Column.PERSON, QHeaderView.ResizeMode.Stretch)
        for column in (Column.WHEN, Column.WAITING, Column.CHECK, Column.CONNECTION):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
