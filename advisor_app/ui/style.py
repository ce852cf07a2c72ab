"""The console's look: Fusion with a calm light palette and a small style sheet."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

ACCENT = "#1d4f91"

STYLE_SHEET = """
QMainWindow, QDialog { background: #f4f6f9; }
QListWidget#navigation {
    background: #e8ecf2; border: none; border-right: 1px solid #d5dbe3;
    padding-top: 12px; outline: 0;
}
QListWidget#navigation::item {
    padding-left: 14px; margin: 2px 8px; border-radius: 6px; color: #27313f;
}
QListWidget#navigation::item:selected { background: #ffffff; color: #1d4f91; font-weight: bold; }
QListWidget#navigation::item:hover:!selected { background: #dde3eb; }
QLabel#pageTitle { font-size: 16pt; font-weight: 600; color: #1f2a37; }
QLabel#sectionTitle { font-weight: 600; color: #1f2a37; }
QLabel#detailTitle { font-size: 13pt; font-weight: 600; color: #1f2a37; }
QLabel#hint { color: #5b6573; }
QLabel#fieldError { color: #b3261e; }
QFrame#panel { background: #ffffff; border: 1px solid #d9dee5; border-radius: 8px; }
QFrame#overlapBox {
    background: #fff6e0; border: 1px solid #f0d48a; border-radius: 6px;
}
QFrame#dialogError {
    background: #fdecea; border: 1px solid #f3c1bd; border-radius: 6px;
}
QTreeView, QPlainTextEdit, QCalendarWidget QAbstractItemView {
    background: #ffffff; border: 1px solid #d9dee5; border-radius: 6px;
}
QTreeView::item { padding: 5px 2px; }
QCalendarWidget QWidget#qt_calendar_navigationbar {
    background: #ffffff; border-bottom: 1px solid #e1e5eb; border-top-left-radius: 6px;
    border-top-right-radius: 6px;
}
QCalendarWidget QToolButton {
    color: #1f2a37; font-weight: 600; padding: 4px 8px; border-radius: 4px; background: transparent;
}
QCalendarWidget QToolButton:hover { background: #eef2f7; }
QCalendarWidget QAbstractItemView {
    selection-background-color: #1d4f91; selection-color: #ffffff; border-radius: 0;
    border-top: none;
}
QHeaderView::section {
    background: #f0f3f7; border: none; border-bottom: 1px solid #d9dee5;
    padding: 6px 6px; color: #3b4654; font-weight: 600;
}
QLineEdit, QComboBox, QAbstractSpinBox { min-height: 24px; }
QPushButton {
    padding: 6px 14px; border: 1px solid #c3cad4; border-radius: 5px; background: #ffffff;
}
QPushButton:hover { background: #f0f4fa; }
QPushButton:disabled { color: #a0a7b1; border-color: #dde1e6; }
QPushButton[primary="true"] {
    background: #1d4f91; border-color: #1d4f91; color: #ffffff; font-weight: 600;
}
QPushButton[primary="true"]:hover { background: #245ca6; }
QPushButton[primary="true"]:disabled { background: #9db2cf; border-color: #9db2cf; }
QPushButton[danger="true"] { color: #b3261e; }
QPushButton[danger="true"]:disabled { color: #a0a7b1; }
QLineEdit[invalid="true"], QDateEdit[invalid="true"], QTimeEdit[invalid="true"] {
    border: 1px solid #b3261e; border-radius: 3px;
}
QStatusBar { background: #e8ecf2; border-top: 1px solid #d5dbe3; }
QStatusBar QLabel { padding: 0 10px; color: #3b4654; }
QStatusBar QLabel#offline { color: #b3261e; font-weight: 600; }
"""


def apply_style(app: QApplication) -> None:
    """Fusion everywhere (the same look on Windows, macOS and Linux) with a light palette."""
    style = QStyleFactory.create("Fusion")
    if style is not None:
        app.setStyle(style)
    pal = app.palette()
    pal.setColor(QPalette.ColorRole.Window, QColor("#f4f6f9"))
    pal.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.AlternateBase, QColor("#f7f9fb"))
    pal.setColor(QPalette.ColorRole.Text, QColor("#1f2a37"))
    pal.setColor(QPalette.ColorRole.WindowText, QColor("#1f2a37"))
    pal.setColor(QPalette.ColorRole.Button, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.ButtonText, QColor("#1f2a37"))
    pal.setColor(QPalette.ColorRole.Highlight, QColor("#d6e4f5"))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor("#10233f"))
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8a93a0"))
    app.setPalette(pal)
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
        app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
