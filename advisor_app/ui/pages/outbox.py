"""Postausgang: every invitation, change and cancellation mail with its state and its text."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.client.service_client import ServiceClient
from advisor_app.core.domain import MailStatus, to_berlin
from advisor_app.core.protocol import AppointmentOut, MailList, MailOut
from advisor_app.ui.icons import dot_icon
from advisor_app.ui.labels import (
    ERROR_COLOUR,
    mail_kind_label,
    mail_status_colour,
    mail_status_label,
)
from advisor_app.ui.tasks import Failure, TaskRunner
from advisor_app.ui.widgets.message_bar import MessageBar

REFRESH_INTERVAL_MS = 10_000
_ID_ROLE = Qt.ItemDataRole.UserRole


class OutboxPage(QWidget):
    """Lists the mails of the signed-in advisor's appointments, newest first."""

    def __init__(
        self,
        client: ServiceClient,
        runner: TaskRunner,
        *,
        refresh_interval_ms: int = REFRESH_INTERVAL_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._runner = runner
        self._mails: list[MailOut] = []
        self._load_failed = False
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_interval_ms)
        self._timer.timeout.connect(self._on_timer)
        self._setup_ui()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        title = QLabel(self.tr("Postausgang"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.message_bar = MessageBar(self)
        layout.addWidget(self.message_bar)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        self.list = QTreeWidget()
        self.list.setHeaderLabels(
            [
                self.tr("Zeit"),
                self.tr("Empfänger"),
                self.tr("Art"),
                self.tr("Betreff"),
                self.tr("Status"),
            ]
        )
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAccessibleName(self.tr("Gesendete E-Mails"))
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.list.setColumnWidth(1, 230)
        self.list.itemSelectionChanged.connect(self._on_selection_changed)
        splitter.addWidget(self.list)

        viewer = QWidget()
        viewer_layout = QVBoxLayout(viewer)
        viewer_layout.setContentsMargins(0, 8, 0, 0)
        viewer_layout.setSpacing(8)
        actions = QHBoxLayout()
        self.subject = QLabel()
        self.subject.setObjectName("sectionTitle")
        self.subject.setWordWrap(True)
        actions.addWidget(self.subject, 1)
        self.resend_button = QPushButton(self.tr("Erneut senden"))
        self.resend_button.clicked.connect(self._on_resend_clicked)
        self.resend_button.setEnabled(False)
        actions.addWidget(self.resend_button)
        viewer_layout.addLayout(actions)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error.hide()
        viewer_layout.addWidget(self.error)
        self.body = QPlainTextEdit()
        self.body.setReadOnly(True)
        self.body.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.body.setPlaceholderText(self.tr("Wählen Sie oben eine E-Mail aus."))
        self.body.setAccessibleName(self.tr("Text der E-Mail"))
        self.body.setTabChangesFocus(True)
        viewer_layout.addWidget(self.body, 1)
        splitter.addWidget(viewer)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)

    # --- data ---------------------------------------------------------------------------

    def refresh(self) -> None:
        self._runner.run(
            "outbox-refresh",
            self._client.mails(),
            on_done=self._on_loaded,
            on_error=self._on_load_failed,
            owner=self,
        )

    def selected_mail(self) -> MailOut | None:
        items = self.list.selectedItems()
        if not items:
            return None
        wanted = int(items[0].data(0, _ID_ROLE))
        return next((m for m in self._mails if m.id == wanted), None)

    def row_texts(self) -> list[list[str]]:
        return [[item.text(c) for c in range(self.list.columnCount())] for item in self._items()]

    def _items(self) -> list[QTreeWidgetItem]:
        found = (self.list.topLevelItem(r) for r in range(self.list.topLevelItemCount()))
        return [item for item in found if item is not None]

    def select_row(self, row: int) -> None:
        self.list.setCurrentItem(self._items()[row])

    def _item(self, mail: MailOut) -> QTreeWidgetItem:
        item = QTreeWidgetItem(
            [
                to_berlin(mail.created_at).strftime("%d.%m.%Y %H:%M"),
                mail.to,
                mail_kind_label(mail.kind),
                mail.subject,
                mail_status_label(mail.status),
            ]
        )
        item.setData(0, _ID_ROLE, mail.id)
        # a screen reader reads the row as one sentence
        item.setData(
            0,
            Qt.ItemDataRole.AccessibleTextRole,
            ", ".join(item.text(column) for column in range(item.columnCount())),
        )
        item.setIcon(4, dot_icon(mail_status_colour(mail.status).name()))
        item.setToolTip(3, mail.subject)
        if mail.error:
            item.setToolTip(4, mail.error)
        return item

    def _show_selected(self) -> None:
        mail = self.selected_mail()
        if mail is None:
            self.subject.clear()
            self.body.clear()
            self.error.hide()
            self.resend_button.setEnabled(False)
            return
        self.subject.setText(mail.subject)
        if self.body.toPlainText() != mail.text_body:
            self.body.setPlainText(mail.text_body)
        failed = mail.status is MailStatus.FAILED
        self.error.setText(mail.error or "")
        self.error.setVisible(failed and bool(mail.error))
        self.resend_button.setEnabled(failed and mail.appointment_id is not None)

    # --- Qt events ----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._timer.start()
        self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    # --- slots --------------------------------------------------------------------------

    def _on_timer(self) -> None:
        if not self._runner.running("outbox-refresh"):
            self.refresh()

    def _on_loaded(self, result: MailList) -> None:
        if self._load_failed:
            self._load_failed = False
            self.message_bar.clear()
        selected = self.selected_mail()
        keep = selected.id if selected is not None else None
        self._mails = list(result.mails)
        self.list.blockSignals(True)
        try:
            self.list.clear()
            for mail in self._mails:
                item = self._item(mail)
                self.list.addTopLevelItem(item)
                if mail.id == keep:
                    item.setSelected(True)
                    self.list.setCurrentItem(item)
        finally:
            self.list.blockSignals(False)
        self._show_selected()

    def _on_load_failed(self, failure: Failure) -> None:
        self._load_failed = True
        self.message_bar.show_error(
            self.tr("Der Postausgang konnte nicht geladen werden. {reason}").format(
                reason=failure.message
            )
        )

    def _on_selection_changed(self) -> None:
        self._show_selected()

    def _on_resend_clicked(self) -> None:
        mail = self.selected_mail()
        if mail is None or mail.appointment_id is None:
            return
        self.resend_button.setEnabled(False)
        self._runner.run(
            f"outbox-resend-{mail.id}",
            self._client.resend(mail.appointment_id, mail.participant_id),
            on_done=self._on_resent,
            on_error=self._on_resend_failed,
            owner=self,
        )

    def _on_resent(self, _appointment: AppointmentOut) -> None:
        self.message_bar.show_note(self.tr("Die E-Mail wird erneut gesendet."))
        self.refresh()

    def _on_resend_failed(self, failure: Failure) -> None:
        self.message_bar.show_error(failure.message)
        self._show_selected()
