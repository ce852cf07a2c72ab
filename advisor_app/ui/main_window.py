"""The console's main window: navigation on the left, pages on the right, status at the bottom."""

from __future__ import annotations

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from advisor_app.client.service_client import ServiceClient
from advisor_app.core.clock import Clock
from advisor_app.ui.dialogs.sign_in import SignInDialog
from advisor_app.ui.icons import app_icon
from advisor_app.ui.pages.outbox import OutboxPage
from advisor_app.ui.pages.schedule import SchedulePage
from advisor_app.ui.tasks import TaskRunner


class StartingView(QWidget):
    """Shown while the console connects: a sentence and a quiet busy bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setup_ui()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        self.text = QLabel()
        self.text.setObjectName("sectionTitle")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setTextVisible(False)
        bar.setFixedWidth(280)
        bar.setFixedHeight(6)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(bar)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(3)


class MainWindow(QMainWindow):
    """Beratungskonsole – Videotermine."""

    def __init__(
        self,
        runner: TaskRunner,
        *,
        clock: Clock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._clock = clock
        self.schedule: SchedulePage | None = None
        self.outbox: OutboxPage | None = None
        self._client: ServiceClient | None = None
        self._username: str | None = None
        self._sign_in: SignInDialog | None = None
        self._setup_ui()
        runner.reachable_changed.connect(self._on_reachable_changed)

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("Beratungskonsole – Videotermine"))
        self.setWindowIcon(app_icon())
        self.resize(1360, 860)
        self.setMinimumSize(1100, 680)
        self.starting = StartingView()
        self.setCentralWidget(self.starting)

        quit_action = QAction(self.tr("Beenden"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)

        status = self.statusBar()
        status.setSizeGripEnabled(False)
        self.connection_label = QLabel()
        self.advisor_label = QLabel()
        self.state_label = QLabel()
        status.addWidget(self.connection_label)
        status.addWidget(self.advisor_label)
        status.addPermanentWidget(self.state_label)

    def show_starting(self, text: str) -> None:
        self.starting.text.setText(text)

    def show_console(
        self,
        client: ServiceClient,
        *,
        advisor_name: str,
        connection: str,
        username: str | None = None,
        can_sign_in: bool = False,
    ) -> None:
        """Build the pages for a connected service and show the schedule.

        ``can_sign_in``: a central service; when it no longer accepts the token, the sign-in
        dialog asks for the password again (the embedded service never signs anyone out).
        """
        self._client = client
        self._username = username
        if can_sign_in:
            self._runner.signed_out.connect(self._on_signed_out)
        self.schedule = SchedulePage(client, self._runner, clock=self._clock)
        self.outbox = OutboxPage(client, self._runner)
        new_action = QAction(self.tr("Neuer Termin"), self)
        new_action.setShortcut(QKeySequence.StandardKey.New)
        new_action.triggered.connect(self.schedule.new_button.click)
        self.addAction(new_action)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(170)
        self.navigation.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pages = QStackedWidget()
        for label, page in (
            (self.tr("Termine"), self.schedule),
            (self.tr("Postausgang"), self.outbox),
        ):
            item = QListWidgetItem(label)
            item.setSizeHint(QSize(0, 42))
            self.navigation.addItem(item)
            self.pages.addWidget(page)
        self.navigation.currentRowChanged.connect(self._on_navigation_changed)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.navigation.setCurrentRow(0)

        self.connection_label.setText(connection)
        self.connection_label.setToolTip(client.base_url)
        self.advisor_label.setText(self.tr("Angemeldet: {name}").format(name=advisor_name))

    def navigation_labels(self) -> list[str]:
        if not hasattr(self, "navigation"):
            return []
        return [self.navigation.item(i).text() for i in range(self.navigation.count())]

    def show_page(self, index: int) -> None:
        self.navigation.setCurrentRow(index)

    # --- Qt events and slots ------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("window/geometry", self.saveGeometry())
        super().closeEvent(event)

    def restore_geometry(self) -> None:
        geometry = QSettings().value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def _on_signed_out(self) -> None:
        if self._client is None or self._sign_in is not None:
            return
        dialog = SignInDialog(
            self._client,
            self._runner,
            username=self._username,
            notice=self.tr("Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an."),
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_sign_in_finished)
        self._sign_in = dialog
        dialog.open()

    def _on_sign_in_finished(self, result: int) -> None:
        dialog, self._sign_in = self._sign_in, None
        if result != QDialog.DialogCode.Accepted or dialog is None or dialog.advisor is None:
            self.close()  # "Beenden" in the dialog ends the console
            return
        self._username = dialog.advisor.username
        self.advisor_label.setText(
            self.tr("Angemeldet: {name}").format(name=dialog.advisor.display_name)
        )
        page = self.pages.currentWidget()
        if isinstance(page, SchedulePage | OutboxPage):
            page.refresh()

    def _on_navigation_changed(self, row: int) -> None:
        self.pages.setCurrentIndex(row)

    def _on_reachable_changed(self, reachable: bool) -> None:
        if reachable:
            self.state_label.setObjectName("")
            self.state_label.setText(self.tr("Verbunden"))
        else:
            self.state_label.setObjectName("offline")
            self.state_label.setText(self.tr("Dienst nicht erreichbar"))
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)
