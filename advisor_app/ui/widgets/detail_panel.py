"""What the detail panels beside a list share: a hint when nothing is selected, else a
scrolling body, and the selectable labels they are made of."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QStackedLayout, QVBoxLayout, QWidget


def label(
    text: str = "", name: str = "", parent: QWidget | None = None, *, rich: bool = False
) -> QLabel:
    """A selectable, wrapping label; plain text unless ``rich`` (names may contain "<")."""
    widget = QLabel(text, parent)
    widget.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    widget.setWordWrap(True)
    if name:
        widget.setObjectName(name)
    return widget


def rule() -> QFrame:
    """A thin horizontal line between the sections of a panel."""
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setStyleSheet("color: #e1e5eb;")
    return line


def build_detail_panel(panel: QWidget, empty_text: str) -> tuple[QStackedLayout, QVBoxLayout]:
    """Page 0 of the returned stack shows ``empty_text``; page 1 scrolls the returned layout."""
    panel.setObjectName("panel")
    stack = QStackedLayout(panel)
    empty = label(empty_text, "hint")
    empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
    stack.addWidget(empty)

    scroll = QScrollArea(panel)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setStyleSheet("QScrollArea { background: transparent; }")
    # a Tab stop of its own (the arrow keys scroll it): the screen reader says what it is
    scroll.setAccessibleName(QCoreApplication.translate("DetailPanel", "Einzelheiten"))
    body = QWidget()
    body.setObjectName("detailBody")
    body.setStyleSheet("QWidget#detailBody { background: transparent; }")
    scroll.setWidget(body)
    stack.addWidget(scroll)

    layout = QVBoxLayout(body)
    layout.setContentsMargins(20, 18, 20, 18)
    layout.setSpacing(12)
    return stack, layout
