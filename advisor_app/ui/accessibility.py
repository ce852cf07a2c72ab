"""Accessibility: names, keyboard routes, screen-reader announcements and the audit.

Everything an advisor operates must have an accessible name (a screen reader says it), a
label where it is an entry (``QLabel.setBuddy``, never a placeholder alone) and a keyboard
route (Tab reaches it, or a key named in its ``keyboardRoute`` property operates it, as
Page Up/Down turn the calendar's months). :func:`audit` walks a window and names every
widget that misses one of these; the test of every page and dialog uses it.

:func:`announce` speaks a short sentence through the screen reader without moving the focus
(Qt 6.8's ``QAccessibleAnnouncementEvent``; AT-SPI delivers it as an ``announcement`` event).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenuBar,
    QPlainTextEdit,
    QScrollBar,
    QSpinBox,
    QTabBar,
    QTableView,
    QTextEdit,
    QToolButton,
    QWidget,
)

#: Dynamic property: how a widget that Tab does not reach is operated by keys.
KEY_ROUTE = "keyboardRoute"


def describe(widget: QWidget, name: str, description: str = "") -> None:
    """Give ``widget`` an accessible name and, optionally, a description."""
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)


def label_for(label: QLabel, widget: QWidget) -> None:
    """``label`` names ``widget``: its buddy (Alt+letter jumps there) and its accessible name
    (Qt finds a buddy's text only when both share a parent, so the name is set, too)."""
    label.setBuddy(widget)
    if not widget.accessibleName():
        widget.setAccessibleName(
            label.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(":")
        )


def key_route(widget: QWidget, how: str) -> None:
    """Record that ``widget`` is operated by keys elsewhere (e.g. "Bild auf/ab")."""
    widget.setProperty(KEY_ROUTE, how)


_KEY_NAMES = (
    ("Ctrl", QT_TRANSLATE_NOOP("Keys", "Strg")),
    ("Shift", QT_TRANSLATE_NOOP("Keys", "Umschalt")),
    ("Del", QT_TRANSLATE_NOOP("Keys", "Entf")),
)


def key_text(keys: QKeySequence) -> str:
    """A shortcut as the advisor's keyboard labels it ("Strg+Umschalt+O" in German)."""
    text = keys.toString(QKeySequence.SequenceFormat.NativeText)
    for english, _german in _KEY_NAMES:
        text = text.replace(english + "+", QCoreApplication.translate("Keys", str(_german)) + "+")
    return text


def with_shortcut(text: str, keys: str) -> str:
    """A tooltip that names its shortcut: "Kamera an/aus (Strg+Umschalt+O)"."""
    return f"{text} ({keys})"


def name_calendar(calendar: QCalendarWidget) -> None:
    """Names for the calendar and its parts; the month buttons are Page Up/Down's mouse twins."""
    describe(
        calendar,
        QCoreApplication.translate("Accessibility", "Kalender"),
        QCoreApplication.translate(
            "Accessibility", "Pfeiltasten wählen den Tag, Bild auf und Bild ab den Monat."
        ),
    )
    view = calendar.findChild(QTableView, "qt_calendar_calendarview")
    if view is not None:
        describe(
            view,
            QCoreApplication.translate("Accessibility", "Tage des Monats"),
            QCoreApplication.translate(
                "Accessibility", "Pfeiltasten wählen den Tag, Bild auf und Bild ab den Monat."
            ),
        )
    for name, text, keys in (
        (
            "qt_calendar_prevmonth",
            QCoreApplication.translate("Accessibility", "Voriger Monat"),
            "PgUp",
        ),
        (
            "qt_calendar_nextmonth",
            QCoreApplication.translate("Accessibility", "Nächster Monat"),
            "PgDown",
        ),
        (
            "qt_calendar_monthbutton",
            QCoreApplication.translate("Accessibility", "Monat wählen"),
            "PgUp/PgDown",
        ),
        (
            "qt_calendar_yearbutton",
            QCoreApplication.translate("Accessibility", "Jahr wählen"),
            "PgUp/PgDown",
        ),
    ):
        button = calendar.findChild(QToolButton, name)
        if button is not None:
            button.setAccessibleName(text)
            key_route(button, keys)
            if keys != "PgUp/PgDown":
                button.setToolTip(with_shortcut(text, key_text(QKeySequence(keys))))
    year = calendar.findChild(QSpinBox, "qt_calendar_yearedit")
    if year is not None:
        year.setAccessibleName(QCoreApplication.translate("Accessibility", "Jahr"))


# --- announcements ------------------------------------------------------------------------


class Announcements(QObject):
    """What was announced, for the status line's history and for tests (``said``)."""

    said = Signal(str, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history: list[str] = []


_announcements: Announcements | None = None


def announcements() -> Announcements:
    """The application's announcement log (one per QApplication)."""
    global _announcements
    if _announcements is None:
        _announcements = Announcements(QApplication.instance())
        _announcements.destroyed.connect(_forget)
    return _announcements


def _forget() -> None:
    global _announcements
    _announcements = None


def announce(widget: QWidget, text: str, *, assertive: bool = False) -> None:
    """Have the screen reader say ``text`` (polite: after what it says now)."""
    if not text:
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(
        QAccessible.AnnouncementPoliteness.Assertive
        if assertive
        else QAccessible.AnnouncementPoliteness.Polite
    )
    QAccessible.updateAccessibility(event)
    log = announcements()
    log.history.append(text)
    del log.history[:-50]
    log.said.emit(text, assertive)


class SteadyAnnouncer:
    """Announces a changing text (the ID check's hint) once it holds for ``steady`` updates,
    and only when it differs from the last one said: no chatter while the picture moves."""

    def __init__(self, widget: QWidget, steady: int = 5) -> None:
        self._widget = widget
        self._steady = steady
        self._candidate = ""
        self._seen = 0
        self._said = ""

    def heard(self, text: str) -> None:
        if text != self._candidate:
            self._candidate, self._seen = text, 0
        self._seen += 1
        if self._seen == self._steady and text != self._said:
            self._said = text
            announce(self._widget, text)


def announce_app(text: str, *, assertive: bool = False) -> None:
    """:func:`announce` from the active window (or the first shown one)."""
    window = QApplication.activeWindow()
    if window is None:
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        window = shown[0] if shown else None
    if window is not None:
        announce(window, text, assertive=assertive)


# --- audit --------------------------------------------------------------------------------

_INTERACTIVE = (
    QAbstractButton,
    QAbstractItemView,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QTextEdit,
    QPlainTextEdit,
    QAbstractSlider,
    QTabBar,
)
_ENTRIES = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit)


@dataclass(frozen=True)
class Problem:
    widget: QWidget
    what: str

    def __str__(self) -> str:
        w = self.widget
        text = ""
        if isinstance(w, QAbstractButton | QLabel):
            text = w.text()
        elif isinstance(w, QLineEdit):
            text = w.placeholderText()
        window = w.window().windowTitle() or type(w.window()).__name__
        parent = w.parentWidget()
        chain = []
        while parent is not None and not parent.isWindow():
            if parent.objectName() and not parent.objectName().startswith("qt_"):
                chain.append(f"{type(parent).__name__}#{parent.objectName()}")
            elif type(parent).__module__.startswith("advisor_app"):
                chain.append(type(parent).__name__)
            parent = parent.parentWidget()
        inside = " in " + " < ".join(chain[:3]) if chain else ""
        return (
            f"{type(w).__name__}#{w.objectName() or '-'} {text!r}{inside} "
            f"[window {window!r}]: {self.what}"
        )


def accessible_name(widget: QWidget) -> str:
    """What a screen reader says as the widget's name."""
    iface = QAccessible.queryAccessibleInterface(widget)
    if iface is None or not iface.isValid():
        return ""
    return iface.text(QAccessible.Text.Name).strip()


def _buddies(root: QWidget) -> set[int]:
    found: set[int] = set()
    for label in root.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None:
            found.add(id(buddy))
    return found


def _skipped(widget: QWidget) -> bool:
    """Parts that are not the advisor's targets: scroll bars, the insides of spin and combo
    boxes and of header views, and popups that have their own window."""
    if isinstance(widget, QScrollBar | QHeaderView):
        return True  # headers are read as the columns' names; sorting is not needed
    name = widget.objectName()
    if name in ("qt_spinbox_lineedit", "qt_tableview_cornerbutton"):
        return True
    parent = widget.parentWidget()
    if isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget:
        return True  # the view itself is the target
    if isinstance(parent, QComboBox | QAbstractSpinBox | QMenuBar):
        return True  # the menu bar is reached by Alt and F10
    return bool(widget.isWindow() and widget is not widget.window())


def _arrow_key_group(button: QAbstractButton) -> bool:
    """Qt lets Tab reach only the checked button of an exclusive group; arrow keys move
    between them (as between radio buttons)."""
    group = button.group()
    if group is None or not group.exclusive():
        return False
    return any(b.focusPolicy() & Qt.FocusPolicy.TabFocus for b in group.buttons())


def audit(root: QWidget) -> list[Problem]:
    """Every interactive widget under ``root`` without a name, a label or a keyboard route."""
    problems: list[Problem] = []
    buddies = _buddies(root)
    for widget in [root, *root.findChildren(QWidget)]:
        if _skipped(widget) or widget.window() is not root.window():
            continue
        tabbable = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        # a tabbable scroll area is a stop, too: the screen reader must say what it holds
        interactive = isinstance(widget, _INTERACTIVE) or tabbable
        if not interactive:
            continue
        routed = tabbable or bool(widget.property(KEY_ROUTE))
        if isinstance(widget, QAbstractButton) and not widget.shortcut().isEmpty():
            routed = True
        if isinstance(widget, QAbstractButton) and _arrow_key_group(widget):
            routed = True
        if not routed:
            policy = widget.focusPolicy().name
            problems.append(Problem(widget, f"no keyboard route (Tab does not reach it: {policy})"))
        if not accessible_name(widget):
            problems.append(Problem(widget, "no accessible name"))
        if isinstance(widget, _ENTRIES):
            read_only = isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit) and (
                widget.isReadOnly()
            )
            if not read_only and not widget.accessibleName() and id(widget) not in buddies:
                problems.append(Problem(widget, "an entry without a label (QLabel.setBuddy)"))
            if isinstance(widget, QComboBox) and not widget.accessibleName():
                problems.append(
                    Problem(widget, "a combo box says its value, not its label (setAccessibleName)")
                )
    return problems
