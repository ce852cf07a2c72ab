"""Bildschirm teilen: the advisor picks a whole monitor or one window, each with a preview.

Two tabs. "Ganzer Bildschirm" lists every monitor (``mss``). "Fenster" lists the other
programs' windows with their titles (plain text, never markup) where one window can be
captured on its own, without what lies on top of it: X11 with Composite
(``client.media.window``). Elsewhere (Windows, macOS, Wayland) that tab is missing and a note
says so. Whether the console itself stays out of a shared monitor depends on the platform
(``capture_guard``); on Linux it cannot, and the dialog says that in red. A shared window never
shows the console: its own windows are not offered.
"""

from __future__ import annotations

import html

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.client.media import (
    MediaUnavailable,
    Monitor,
    ShareSource,
    Window,
    list_monitors,
    list_windows,
    preview,
    window_capture_available,
    window_previews,
)
from advisor_app.ui.capture_guard import exclusion_supported
from advisor_app.ui.media_problems import media_problem_text

PREVIEW_WIDTH = 256
# Window previews are smaller: there are usually more windows than monitors.
WINDOW_PREVIEW_WIDTH = 200
# Longer window titles are shortened on the button (the whole title in its tooltip).
TITLE_CHARS = 40
SCREENS_TAB, WINDOWS_TAB = 0, 1


def _icon(picture: npt.NDArray[np.uint8]) -> QIcon:
    rgb = picture[:, :, ::-1].copy()
    image = QImage(
        rgb.data, rgb.shape[1], rgb.shape[0], 3 * rgb.shape[1], QImage.Format.Format_RGB888
    ).copy()
    return QIcon(QPixmap.fromImage(image))


def _plain(title: str) -> str:
    """A window title as a button's text: shortened, and ``&`` not taken as a shortcut."""
    short = title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"
    return short.replace("&", "&&")


def _own_window_ids() -> set[int]:
    """The console's own native windows (also left out by process; this covers the rest)."""
    return {int(w.internalWinId()) for w in QApplication.topLevelWidgets() if w.internalWinId()}


def _label(text: str, name: str = "") -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(True)
    if name:
        widget.setObjectName(name)
    return widget


class SharePicker(QDialog):
    """Lists every monitor, and every other program's window where that can be captured, with
    a preview; :attr:`chosen` is the one to share after OK (in the tab shown)."""

    def __init__(self, language: str = "de", parent: QWidget | None = None) -> None:
        """``language`` is not used any more (the words come from Qt Linguist); it stays until
        the call page stops passing it."""
        super().__init__(parent)
        del language
        self.monitors: list[Monitor] = []
        self.buttons: list[QToolButton] = []
        self.windows: list[Window] = []
        self.window_buttons: list[QToolButton] = []
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._window_group = QButtonGroup(self)
        self._window_group.setExclusive(True)
        self.windows_available = window_capture_available()
        self._setup_ui()
        self._on_refresh_clicked()

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("Bildschirm teilen"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(_label(self.tr("Was möchten Sie teilen?"), "detailTitle"))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Was geteilt wird"))
        layout.addWidget(self.tabs, 1)
        screens = QWidget()
        screens_layout = QVBoxLayout(screens)
        screens_layout.addWidget(
            _label(
                self.tr("Die Person sieht alles, was auf diesem Bildschirm zu sehen ist."), "hint"
            )
        )
        if exclusion_supported():
            self.exclusion_note = _label(
                self.tr(
                    "Das Fenster der Konsole (mit dem Warteraum) und die Ausweisprüfung werden "
                    "nicht mitgeteilt."
                ),
                "hint",
            )
        else:
            self.exclusion_note = _label(
                self.tr(
                    "Achtung: Unter Linux kann die Konsole nicht vom Teilen ausgenommen werden. "
                    "Liegen der Warteraum oder die Ausweisprüfung auf dem geteilten Bildschirm, "
                    "sieht die Person sie. Schieben Sie die Konsole auf einen anderen "
                    "Bildschirm oder teilen Sie einen Bildschirm ohne die Konsole."
                ),
                "fieldError",
            )
        screens_layout.addWidget(self.exclusion_note)
        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        screens_layout.addLayout(self.grid)
        screens_layout.addStretch(1)
        self.tabs.addTab(screens, self.tr("Ganzer Bildschirm"))
        if self.windows_available:
            self.tabs.addTab(self._windows_tab(), self.tr("Fenster"))
        else:
            self.window_note = _label(
                self.tr("Einzelne Fenster teilen ist auf diesem System noch nicht möglich."),
                "hint",
            )
            layout.addWidget(self.window_note)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.message = _label("", "fieldError")
        self.message.hide()
        layout.addWidget(self.message)
        self.box = QDialogButtonBox()
        self.share_button = QPushButton(self.tr("Teilen"))
        self.share_button.setProperty("primary", True)
        self.share_button.setDefault(True)
        self.box.addButton(self.share_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.refresh_button = QPushButton(self.tr("Neu einlesen"))
        self.refresh_button.clicked.connect(self._on_refresh_clicked)
        self.box.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ResetRole)
        cancel = QPushButton(self.tr("Abbrechen"))
        self.box.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)
        layout.addWidget(self.box)

    def _windows_tab(self) -> QWidget:
        tab = QWidget()
        tab_layout = QVBoxLayout(tab)
        self.window_note = _label(
            self.tr(
                "Die Person sieht nur das gewählte Fenster, auch wenn andere Fenster darüber "
                "liegen. Die Fenster der Konsole werden nicht angeboten."
            ),
            "hint",
        )
        tab_layout.addWidget(self.window_note)
        self.no_windows = _label(
            self.tr("Es ist kein anderes Fenster geöffnet, das geteilt werden kann."), "hint"
        )
        self.no_windows.hide()
        tab_layout.addWidget(self.no_windows)
        inner = QWidget()
        self.window_grid = QGridLayout(inner)
        self.window_grid.setSpacing(12)
        self.window_grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        scroll.setMinimumHeight(2 * (WINDOW_PREVIEW_WIDTH * 9 // 16 + 56))
        tab_layout.addWidget(scroll, 1)
        return tab

    @property
    def chosen(self) -> ShareSource | None:
        """The monitor or window chosen in the tab shown."""
        if self.tabs.currentIndex() == WINDOWS_TAB:
            index = self._window_group.checkedId()
            return self.windows[index] if 0 <= index < len(self.windows) else None
        index = self._group.checkedId()
        return self.monitors[index] if 0 <= index < len(self.monitors) else None

    @property
    def chosen_name(self) -> str:
        """How the call page names what is shared: a monitor's label or a window's title."""
        chosen = self.chosen
        if isinstance(chosen, Window):
            return chosen.title
        if chosen is None:
            return ""
        return self.buttons[self.monitors.index(chosen)].text()

    def show_windows(self) -> None:
        """Show the "Fenster" tab (where windows can be shared)."""
        if self.windows_available:
            self.tabs.setCurrentIndex(WINDOWS_TAB)

    def _clear(self) -> None:
        for group, buttons in (
            (self._group, self.buttons),
            (self._window_group, self.window_buttons),
        ):
            for button in buttons:
                group.removeButton(button)
                button.deleteLater()
        self.buttons = []
        self.monitors = []
        self.window_buttons = []
        self.windows = []

    def _on_tab_changed(self, _index: int) -> None:
        self._update_share_button()

    def _update_share_button(self) -> None:
        self.share_button.setEnabled(self.chosen is not None)

    def _on_refresh_clicked(self) -> None:
        """Read the monitors and windows again (one was plugged in or out, opened, closed)."""
        self._clear()
        self.message.hide()
        self._read_monitors()
        if self.windows_available:
            self._read_windows()
        self._update_share_button()

    def _read_monitors(self) -> None:
        try:
            self.monitors = list_monitors()
        except MediaUnavailable as exc:
            self._show_problem(exc)
        if not self.monitors and self.message.isHidden():
            self.message.setText(self.tr("Es wurde kein Bildschirm gefunden."))
            self.message.show()
        for index, monitor in enumerate(self.monitors):
            button = QToolButton()
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setText(
                self.tr("Bildschirm {n} · {w} × {h}").format(
                    n=monitor.index, w=monitor.width, h=monitor.height
                )
            )
            button.setAccessibleName(button.text())
            height = round(PREVIEW_WIDTH * monitor.height / monitor.width)
            button.setIconSize(QSize(PREVIEW_WIDTH, height))
            try:
                button.setIcon(_icon(preview(monitor, PREVIEW_WIDTH)))
            except MediaUnavailable as exc:
                self._show_problem(exc)
                button.setEnabled(False)
            self._group.addButton(button, index)
            self.grid.addWidget(button, index // 3, index % 3)
            self.buttons.append(button)
        enabled = [b for b in self.buttons if b.isEnabled()]
        if enabled:
            enabled[0].setChecked(True)

    def _read_windows(self) -> None:
        try:
            self.windows = list_windows(exclude=_own_window_ids())
        except MediaUnavailable as exc:
            self._show_problem(exc)
        pictures = window_previews(self.windows, WINDOW_PREVIEW_WIDTH)
        for index, window in enumerate(self.windows):
            button = QToolButton()
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setText(_plain(window.title))
            button.setAccessibleName(self.tr("Fenster: {title}").format(title=window.title))
            button.setToolTip(f"<p>{html.escape(window.title)}</p>")  # rich text, escaped
            height = min(
                round(WINDOW_PREVIEW_WIDTH * window.height / window.width), WINDOW_PREVIEW_WIDTH
            )
            button.setIconSize(QSize(WINDOW_PREVIEW_WIDTH, height))
            button.setMaximumWidth(WINDOW_PREVIEW_WIDTH + 24)
            picture = pictures.get(window.id)
            if picture is None:
                button.setEnabled(False)  # closed meanwhile, or it cannot be grabbed
            else:
                button.setIcon(_icon(picture))
            self._window_group.addButton(button, index)
            self.window_grid.addWidget(button, index // 3, index % 3, Qt.AlignmentFlag.AlignTop)
            self.window_buttons.append(button)
        enabled = [b for b in self.window_buttons if b.isEnabled()]
        if enabled:
            enabled[0].setChecked(True)
        self.no_windows.setVisible(not self.windows)

    def preview_image(self, index: int) -> QImage:
        """The preview shown for monitor ``index`` (for tests and screenshots)."""
        button = self.buttons[index]
        return button.icon().pixmap(button.iconSize()).toImage()

    def window_preview_image(self, index: int) -> QImage:
        """The preview shown for window ``index`` (for tests and screenshots)."""
        button = self.window_buttons[index]
        return button.icon().pixmap(button.iconSize()).toImage()

    def _show_problem(self, exc: MediaUnavailable) -> None:
        self.message.setText(media_problem_text(exc.code))
        self.message.show()
