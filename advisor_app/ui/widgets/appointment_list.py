"""The appointments of one day: time and duration, citizen and topic, invitation state."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from html import escape

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from advisor_app.core.domain import AppointmentStatus
from advisor_app.core.protocol import AppointmentOut
from advisor_app.ui.icons import dot_icon
from advisor_app.ui.labels import (
    CANCELLED_COLOUR,
    cancelled_label,
    clock_text,
    duration_text,
    mail_status_colour,
    mail_status_label,
    overall_mail_status,
)
from advisor_app.ui.style import secondary_text

_ID_ROLE = Qt.ItemDataRole.UserRole


class Column(IntEnum):
    WHEN = 0
    CITIZEN = 1
    INVITATION = 2


class TwoLineDelegate(QStyledItemDelegate):
    """Draws ``first\\nsecond``: the first line in semi-bold, the second smaller and grey."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        # Qt hands multi-line item text over with U+2028 as the line separator.
        first, _, second = opt.text.replace("\u2028", "\n").partition("\n")
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        rect = opt.rect.adjusted(8, 0, -6, 0)
        base_font = QFont(opt.font)
        first_font = QFont(base_font)
        first_font.setWeight(QFont.Weight.DemiBold)
        second_font = QFont(base_font)
        if base_font.pointSizeF() > 0:
            second_font.setPointSizeF(base_font.pointSizeF() * 0.92)
        brush = index.data(Qt.ItemDataRole.ForegroundRole)
        cancelled = isinstance(brush, QBrush)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        main = brush.color() if cancelled else opt.palette.color(text_role)
        sub = (
            brush.color()
            if cancelled
            else (opt.palette.color(text_role) if selected else secondary_text(opt.palette))
        )
        painter.save()
        # Metrics of the device painted on (a grabbed pixmap may differ from the screen).
        painter.setFont(second_font)
        fm2 = painter.fontMetrics()
        painter.setFont(first_font)
        fm1 = painter.fontMetrics()
        height = fm1.height() + (fm2.height() + 2 if second else 0)
        top = rect.top() + (rect.height() - height) // 2
        painter.setPen(main)
        painter.drawText(
            QRect(rect.left(), top, rect.width(), fm1.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            fm1.elidedText(first, Qt.TextElideMode.ElideRight, rect.width()),
        )
        if second:
            painter.setFont(second_font)
            painter.setPen(sub)
            painter.drawText(
                QRect(rect.left(), top + fm1.height() + 2, rect.width(), fm2.height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                fm2.elidedText(second, Qt.TextElideMode.ElideRight, rect.width()),
            )
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        metrics = QFontMetrics(option.font)
        return QSize(size.width(), metrics.height() * 2 + 16)


class AppointmentList(QTreeWidget):
    """Keeps the selected appointment selected when the list is refreshed."""

    #: The selected appointment's id, or 0 when nothing is selected.
    selection_changed = Signal(int)
    #: Double click or Enter on an appointment.
    activated_appointment = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []
        self._items: list[QTreeWidgetItem] = []
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setObjectName("appointmentList")
        self.setAccessibleName(self.tr("Termine des Tages"))
        self.setAccessibleDescription(self.tr("Enter oder Leertaste öffnet den Termin."))
        self.setColumnCount(len(Column))
        self.setHeaderLabels(
            [self.tr("Zeit"), self.tr("Bürgerin/Bürger · Thema"), self.tr("Einladung")]
        )
        self._delegate = TwoLineDelegate(self)
        self.setItemDelegateForColumn(Column.WHEN, self._delegate)
        self.setItemDelegateForColumn(Column.CITIZEN, self._delegate)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAllColumnsShowFocus(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.WHEN, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(Column.CITIZEN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.INVITATION, QHeaderView.ResizeMode.ResizeToContents)
        self.setColumnWidth(Column.WHEN, 84)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.itemSelectionChanged.connect(self._on_item_selection_changed)
        self.itemActivated.connect(self._on_item_activated)

    # --- data ---------------------------------------------------------------------------

    def set_appointments(self, appointments: Sequence[AppointmentOut]) -> None:
        """Show ``appointments`` (already sorted); the selection follows the appointment id."""
        keep = self.selected_id()
        scrolled = self.verticalScrollBar().value()
        self.blockSignals(True)
        try:
            self.clear()
            self._ids = [a.id for a in appointments]
            self._items = [self._item(a) for a in appointments]
            self.addTopLevelItems(self._items)
            if keep in self._ids:
                self._items[self._ids.index(keep)].setSelected(True)
            self.verticalScrollBar().setValue(scrolled)
        finally:
            self.blockSignals(False)
        if self.selected_id() != keep:
            self.selection_changed.emit(self.selected_id())

    def select(self, appointment_id: int) -> None:
        if appointment_id in self._ids:
            item = self._items[self._ids.index(appointment_id)]
            self.setCurrentItem(item)
            item.setSelected(True)

    def selected_id(self) -> int:
        items = self.selectedItems()
        return int(items[0].data(Column.WHEN, _ID_ROLE)) if items else 0

    def row_texts(self) -> list[list[str]]:
        """What each row shows, column by column (for tests and accessibility)."""
        return [[item.text(col) for col in Column] for item in self._items]

    def _item(self, appointment: AppointmentOut) -> QTreeWidgetItem:
        cancelled = appointment.status is AppointmentStatus.CANCELLED
        citizen = appointment.citizen_name
        if appointment.topic:
            citizen += "\n" + appointment.topic
        texts = [
            clock_text(appointment.starts_at) + "\n" + duration_text(appointment.duration_min),
            citizen,
        ]
        item = QTreeWidgetItem(texts)
        item.setData(Column.WHEN, _ID_ROLE, appointment.id)
        # Tooltips turn anything that looks like HTML into HTML: escaped, inside <p>, the
        # name is shown as typed.
        item.setToolTip(Column.CITIZEN, "<p>" + escape(citizen).replace("\n", "<br>") + "</p>")
        sentence = [
            clock_text(appointment.starts_at),
            duration_text(appointment.duration_min),
            appointment.citizen_name,
        ]
        if appointment.topic:
            sentence.append(appointment.topic)
        if cancelled:
            item.setText(Column.INVITATION, cancelled_label())
            item.setIcon(Column.INVITATION, dot_icon(CANCELLED_COLOUR))
            grey = QBrush(QColor(CANCELLED_COLOUR))
            for col in Column:
                item.setForeground(col, grey)
                if col is not Column.INVITATION:
                    font = QFont(item.font(col))
                    font.setStrikeOut(True)
                    item.setFont(col, font)
        else:
            status = overall_mail_status(appointment.participants)
            item.setText(Column.INVITATION, mail_status_label(status))
            item.setIcon(Column.INVITATION, dot_icon(mail_status_colour(status).name()))
        sentence.append(self.tr("Einladung: {state}").format(state=item.text(Column.INVITATION)))
        item.setData(Column.WHEN, Qt.ItemDataRole.AccessibleTextRole, ", ".join(sentence))
        return item

    # --- slots --------------------------------------------------------------------------

    def _on_item_selection_changed(self) -> None:
        self.selection_changed.emit(self.selected_id())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() == Qt.Key.Key_Space and not event.modifiers() and item is not None:
            self.itemActivated.emit(item, 0)
            return
        super().keyPressEvent(event)

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.activated_appointment.emit(int(item.data(Column.WHEN, _ID_ROLE)))
