"""The main window's navigation: one entry per page, with an optional count badge.

The badge is a rounded pill at the right end of an entry (e.g. how many people wait). It is
drawn calm grey-blue, or in the warning amber while it asks for attention (somebody arrived
and the advisor has not looked yet, e.g. during a call).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

#: The number in the badge (int, 0: no badge).
BADGE_ROLE = Qt.ItemDataRole.UserRole + 1
#: True while the badge asks for attention.
ATTENTION_ROLE = Qt.ItemDataRole.UserRole + 2

_CALM = ("#c9d3e0", "#1f2a37")
_ATTENTION = ("#b45309", "#ffffff")


class _BadgeDelegate(QStyledItemDelegate):
    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        count = index.data(BADGE_ROLE)
        if not count:
            return
        text = str(count) if count < 100 else "99+"
        attention = bool(index.data(ATTENTION_ROLE))
        if attention:  # said in words, too: never by colour alone
            text += " " + QCoreApplication.translate("Navigation", "neu")
        background, colour = _ATTENTION if attention else _CALM
        font = QFont(option.font)
        font.setWeight(QFont.Weight.Bold)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        metrics = QFontMetrics(font)
        height = metrics.height() + 4
        width = max(height, metrics.horizontalAdvance(text) + 12)
        rect = QRectF(
            option.rect.right() - width - 18,
            option.rect.center().y() - height / 2 + 1,
            width,
            height,
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(background))
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setFont(font)
        painter.setPen(QColor(colour))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()


class Navigation(QListWidget):
    """Entries that stand for pages; hidden entries keep their place."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")
        self.setFixedWidth(190)
        # Tab reaches it, arrow keys switch pages (hidden entries are skipped by Qt)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Seiten"))
        self.setAccessibleDescription(
            self.tr("Pfeiltasten wechseln die Seite; Strg+1 bis Strg+6 springen direkt.")
        )
        self.setItemDelegate(_BadgeDelegate(self))
        self._pages: list[tuple[QWidget, QListWidgetItem]] = []
        # a screen reader's selection (AT-SPI Selection, the item's action) opens the page
        self.itemSelectionChanged.connect(self._on_item_selection_changed)

    def _on_item_selection_changed(self) -> None:
        selected = self.selectedItems()
        if selected and selected[0] is not self.currentItem():
            self.setCurrentItem(selected[0])

    def add_page(self, label: str, page: QWidget) -> QListWidgetItem:
        item = QListWidgetItem(label)
        item.setSizeHint(QSize(0, 42))
        self.addItem(item)
        self._pages.append((page, item))
        return item

    def item_for(self, page: QWidget) -> QListWidgetItem | None:
        return next((item for known, item in self._pages if known is page), None)

    def page_at(self, row: int) -> QWidget | None:
        item = self.item(row)
        return next((page for page, known in self._pages if known is item), None)

    def set_badge(self, page: QWidget, count: int, *, attention: bool = False) -> None:
        item = self.item_for(page)
        if item is None:
            return
        item.setData(BADGE_ROLE, count)
        item.setData(ATTENTION_ROLE, attention and count > 0)
        # The screen reader hears the number and the attention, too.
        label = item.text()
        if count:
            waiting = self.tr("1 wartet") if count == 1 else self.tr("{n} warten").format(n=count)
            label = f"{label}, {waiting}"
            if attention:
                label += ", " + self.tr("neu")
        item.setData(Qt.ItemDataRole.AccessibleTextRole, label)

    def badge(self, page: QWidget) -> tuple[int, bool]:
        """The badge's number and whether it asks for attention."""
        item = self.item_for(page)
        if item is None:
            return 0, False
        return int(item.data(BADGE_ROLE) or 0), bool(item.data(ATTENTION_ROLE))

    def labels(self) -> list[str]:
        """The visible entries' labels, top to bottom."""
        return [
            item.text()
            for item in (self.item(row) for row in range(self.count()))
            if item is not None and not item.isHidden()
        ]
