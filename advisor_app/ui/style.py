"""The console's look: Fusion with a calm light palette and a small style sheet.

Where the system asks for high contrast (or a dark colour scheme) the console keeps the
system's palette and uses :data:`SYSTEM_SHEET`, whose colours all come from that palette.
The focus is always visible: :data:`FOCUS_SHEET` draws a thick ring (or, on buttons, the
GOV.UK-style yellow with a black edge) around whatever has the keyboard focus.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
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


#: The keyboard focus, visible on every background (also in the system's colours).
FOCUS_SHEET = """
QPushButton:focus, QToolButton:focus, QCheckBox:focus, QRadioButton:focus {
    background: #ffdd00; color: #0b0c0c; border: 2px solid #0b0c0c;
}
QPushButton[primary="true"]:focus, QPushButton[danger="true"]:focus {
    background: #ffdd00; color: #0b0c0c; border: 2px solid #0b0c0c;
}
QLineEdit:focus, QComboBox:focus, QAbstractSpinBox:focus, QPlainTextEdit:focus,
QTextEdit:focus, QTreeView:focus, QListView:focus, QTableView:focus,
QCalendarWidget QAbstractItemView:focus {
    border: 2px solid RING;
}
QListWidget#navigation:focus { border-right: 3px solid #0b0c0c; }
QListWidget#navigation:focus::item:selected { border: 2px solid #0b0c0c; }
"""

#: Only sizes and palette colours: the system's high-contrast or dark colours stay as they are.
SYSTEM_SHEET = """
QListWidget#navigation { border: none; border-right: 1px solid palette(mid); padding-top: 12px; }
QListWidget#navigation::item { padding-left: 14px; margin: 2px 8px; border-radius: 6px; }
QListWidget#navigation::item:selected {
    background: palette(highlight); color: palette(highlighted-text); font-weight: bold;
}
QLabel#pageTitle { font-size: 16pt; font-weight: 600; }
QLabel#sectionTitle { font-weight: 600; }
QLabel#detailTitle { font-size: 13pt; font-weight: 600; }
QFrame#panel, QFrame#overlapBox, QFrame#dialogError {
    border: 1px solid palette(mid); border-radius: 6px;
}
QTreeView::item { padding: 5px 2px; }
QLineEdit, QComboBox, QAbstractSpinBox { min-height: 24px; }
QPushButton { padding: 6px 14px; }
QPushButton[primary="true"] { font-weight: 600; }
QStatusBar QLabel { padding: 0 10px; }
QStatusBar QLabel#offline { font-weight: 600; }
QLineEdit[invalid="true"], QDateEdit[invalid="true"], QTimeEdit[invalid="true"] {
    border: 2px solid palette(text);
}
"""


def system_colours_wanted(app: QApplication) -> bool:
    """The system asks for high contrast or a dark scheme: its colours win over ours."""
    hints = app.styleHints()
    if hints.accessibility().contrastPreference() is Qt.ContrastPreference.HighContrast:
        return True
    return hints.colorScheme() is Qt.ColorScheme.Dark


def uses_system_colours() -> bool:
    """Whether :func:`apply_style` kept the system's palette (delegates pick colours by it)."""
    app = QApplication.instance()
    return bool(app is not None and app.property("systemColours"))


def secondary_text(palette: QPalette) -> QColor:
    """The grey of second lines: ours on our light palette, the system's text otherwise."""
    if uses_system_colours():
        return palette.color(QPalette.ColorRole.Text)
    return QColor("#5b6573")


def apply_style(app: QApplication, *, system_colours: bool | None = None) -> None:
    """Fusion everywhere (the same look on Windows, macOS and Linux) with a light palette,
    or, where the system asks for high contrast or dark colours, with the system's palette.
    The system's font size is kept (at least 10 pt)."""
    style = QStyleFactory.create("Fusion")
    if style is not None:
        app.setStyle(style)
    if system_colours is None:
        system_colours = system_colours_wanted(app)
    app.setProperty("systemColours", system_colours)
    _keep_font_size(app)
    if system_colours:
        app.setStyleSheet(SYSTEM_SHEET + FOCUS_SHEET.replace("RING", "palette(highlight)"))
        return
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
    app.setStyleSheet(STYLE_SHEET + FOCUS_SHEET.replace("RING", ACCENT))


def _keep_font_size(app: QApplication) -> None:
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
        app.setFont(font)
