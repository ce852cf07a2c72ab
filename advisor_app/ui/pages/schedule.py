"""The schedule: a month calendar, the chosen day's appointments and the selected one's details.

The page loads the appointments of the calendar page shown (about seven weeks) in one request,
marks the days that have appointments and lists the selected day. It refreshes every few
seconds while visible and after every action, so that the state of invitations sent in the
background shows up without the advisor doing anything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import partial

import shiboken6
from PySide6.QtCore import QDate, QLocale, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QGuiApplication,
    QHideEvent,
    QShowEvent,
    QTextCharFormat,
)
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from advisor_app.client.service_client import ServiceClient
from advisor_app.core.clock import Clock, SystemClock
from advisor_app.core.domain import AppointmentStatus, MailStatus, to_berlin
from advisor_app.core.protocol import AppointmentIn, AppointmentOut, ReassignDayOut
from advisor_app.ui.accessibility import name_calendar
from advisor_app.ui.dialogs.appointment_dialog import AppointmentDialog
from advisor_app.ui.dialogs.colleague_dialog import ColleagueDialog, substitution_dialog
from advisor_app.ui.labels import clock_text, day_text, mail_status_label
from advisor_app.ui.tasks import Failure, TaskRunner
from advisor_app.ui.team_directory import TeamDirectory
from advisor_app.ui.widgets.appointment_detail import AppointmentDetail
from advisor_app.ui.widgets.appointment_list import AppointmentList, Column
from advisor_app.ui.widgets.message_bar import MessageBar

REFRESH_INTERVAL_MS = 10_000
UrlOpener = Callable[[QUrl], bool]


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def berlin_day(appointment: AppointmentOut) -> date:
    return to_berlin(appointment.starts_at).date()


def page_range(year: int, month: int) -> tuple[date, date]:
    """The days a month page of the calendar can show (with its neighbours' days)."""
    first = date(year, month, 1)
    return first - timedelta(days=7), first + timedelta(days=42)


class SchedulePage(QWidget):
    """Termine: plan, change and cancel appointments; see how the invitations are doing."""

    def __init__(
        self,
        client: ServiceClient,
        runner: TaskRunner,
        *,
        clock: Clock | None = None,
        open_url: UrlOpener = QDesktopServices.openUrl,
        refresh_interval_ms: int = REFRESH_INTERVAL_MS,
        teams: TeamDirectory | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._teams = teams
        self._runner = runner
        self._clock = clock or SystemClock()
        self._open_url = open_url
        self._appointments: list[AppointmentOut] = []
        self._range: tuple[date, date] | None = None
        self._load_failed = False
        self._bold_days: set[date] = set()
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_interval_ms)
        self._timer.timeout.connect(self._on_timer)
        self._setup_ui()
        if teams is not None:
            teams.changed.connect(self._on_teams_changed)
            self._on_teams_changed()

    # --- layout -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)

        header = QHBoxLayout()
        title = QLabel(self.tr("Termine"))
        title.setObjectName("pageTitle")
        header.addWidget(title)
        header.addStretch(1)
        self.new_button = QPushButton(self.tr("Neuer Termin"))
        self.new_button.setProperty("primary", True)
        self.new_button.clicked.connect(self._on_new_clicked)
        header.addWidget(self.new_button)
        layout.addLayout(header)

        self.message_bar = MessageBar(self)
        layout.addWidget(self.message_bar)

        body = QHBoxLayout()
        body.setSpacing(12)
        layout.addLayout(body, 1)

        left = QVBoxLayout()
        left.setSpacing(8)
        self.calendar = QCalendarWidget()
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setHorizontalHeaderFormat(
            QCalendarWidget.HorizontalHeaderFormat.ShortDayNames
        )
        self.calendar.setFixedWidth(266)
        self.calendar.setFixedHeight(270)
        weekend = QTextCharFormat()
        weekend.setForeground(QColor("#6b7480"))
        for weekday in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.calendar.setWeekdayTextFormat(weekday, weekend)
        self.calendar.selectionChanged.connect(self._on_day_selected)
        self.calendar.currentPageChanged.connect(self._on_page_changed)
        name_calendar(self.calendar)
        left.addWidget(self.calendar)
        self.today_button = QPushButton(self.tr("Heute"))
        self.today_button.clicked.connect(self._on_today_clicked)
        today_row = QHBoxLayout()
        today_row.addWidget(self.today_button)
        today_row.addStretch(1)
        left.addLayout(today_row)
        legend = QLabel(self.tr("Fett gedruckte Tage haben Termine."))
        legend.setObjectName("hint")
        legend.setWordWrap(True)
        left.addWidget(legend)
        left.addStretch(1)
        body.addLayout(left)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.setSpacing(8)
        self.day_title = QLabel()
        self.day_title.setObjectName("sectionTitle")
        self.day_summary = QLabel()
        self.day_summary.setObjectName("hint")
        day_header = QHBoxLayout()
        day_header.addWidget(self.day_title)
        day_header.addStretch(1)
        day_header.addWidget(self.day_summary)
        self.hand_day_button = QPushButton(self.tr("Tag übergeben …"))
        self.hand_day_button.setToolTip(
            self.tr("Alle offenen Termine dieses Tages einer Kollegin oder einem Kollegen geben")
        )
        self.hand_day_button.clicked.connect(self._on_hand_day_clicked)
        self.hand_day_button.hide()
        day_header.addWidget(self.hand_day_button)
        middle_layout.addLayout(day_header)
        self.list = AppointmentList()
        self.list.setColumnWidth(Column.WHEN, 62)  # "09:00" and "30 Min." need no more
        self.list.selection_changed.connect(self._on_selection_changed)
        self.list.activated_appointment.connect(self._on_appointment_activated)
        middle_layout.addWidget(self.list, 1)
        splitter.addWidget(middle)

        self.detail = AppointmentDetail()
        self.detail.setMinimumWidth(430)
        self.detail.edit_requested.connect(self._on_edit_clicked)
        self.detail.resend_requested.connect(self._on_resend_clicked)
        self.detail.cancel_requested.connect(self._on_cancel_clicked)
        self.detail.copy_link_requested.connect(self._on_copy_link_clicked)
        self.detail.open_link_requested.connect(self._on_open_link_clicked)
        self.detail.reassign_requested.connect(self._on_reassign_clicked)
        splitter.addWidget(self.detail)
        # the list gets room for its headers first (at the default window size, too); what
        # the window has beyond that is shared
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([self._list_width(), 430])
        self.splitter = splitter
        body.addWidget(splitter, 1)
        self._show_day()

    def _list_width(self) -> int:
        """Room for every column header and the longest invitation state: "Bürgerin/Bürger ·
        Thema" was cut at the default window size."""
        header = self.list.header()
        metrics = self.list.fontMetrics()
        status = max(metrics.horizontalAdvance(mail_status_label(s)) for s in MailStatus)
        icon = self.list.iconSize().width() if self.list.iconSize().isValid() else 16
        invitation = max(header.sectionSizeHint(Column.INVITATION), status + icon + 24)
        return (
            self.list.columnWidth(Column.WHEN)
            + header.sectionSizeHint(Column.CITIZEN)
            + invitation
            + 2 * self.list.frameWidth()
        )

    # --- state --------------------------------------------------------------------------

    @property
    def selected_day(self) -> date:
        return _pydate(self.calendar.selectedDate())

    def select_day(self, day: date) -> None:
        self.calendar.setSelectedDate(_qdate(day))

    def appointments_of_day(self, day: date) -> list[AppointmentOut]:
        return [a for a in self._appointments if berlin_day(a) == day]

    def selected_appointment(self) -> AppointmentOut | None:
        wanted = self.list.selected_id()
        return next((a for a in self._appointments if a.id == wanted), None)

    def refresh(self) -> None:
        """Load the calendar page shown (and the selected day) again."""
        first, last = page_range(self.calendar.yearShown(), self.calendar.monthShown())
        day = self.selected_day
        if not first <= day < last:
            first, last = day - timedelta(days=7), day + timedelta(days=42)
        self._runner.run(
            "schedule-refresh",
            self._client.appointments_between(first, last),
            on_done=partial(self._on_loaded, (first, last)),
            on_error=self._on_load_failed,
            owner=self,
        )

    def _show_day(self) -> None:
        day = self.selected_day
        self.day_title.setText(day_text(self.calendar.selectedDate()))
        todays = self.appointments_of_day(day)
        cancelled = sum(1 for a in todays if a.status is AppointmentStatus.CANCELLED)
        active = len(todays) - cancelled
        if not active:
            summary = self.tr("Keine Termine")
        elif active == 1:
            summary = self.tr("1 Termin")
        else:
            summary = self.tr("{n} Termine").format(n=active)
        if cancelled:
            summary += " · " + self.tr("{n} abgesagt").format(n=cancelled)
        self.day_summary.setText(summary)
        self.list.set_appointments(todays)
        self.detail.show_appointment(self.selected_appointment())

    def _mark_days(self) -> None:
        days = {
            berlin_day(a) for a in self._appointments if a.status is not AppointmentStatus.CANCELLED
        }
        if days == self._bold_days:
            return
        plain = QTextCharFormat()
        for day in self._bold_days - days:
            self.calendar.setDateTextFormat(_qdate(day), plain)
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        bold.setForeground(Qt.GlobalColor.darkBlue)
        for day in days:
            self.calendar.setDateTextFormat(_qdate(day), bold)
        self._bold_days = days

    def bold_days(self) -> set[date]:
        """Days the calendar shows in bold."""
        return set(self._bold_days)

    def _replace(self, appointment: AppointmentOut) -> None:
        """Show a changed appointment at once, before the next refresh arrives."""
        others = [a for a in self._appointments if a.id != appointment.id]
        self._appointments = sorted([*others, appointment], key=lambda a: (a.starts_at, a.id))
        self._mark_days()

    # --- Qt events ----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._timer.start()
        self.refresh()
        if self._teams is not None:
            self._teams.refresh()  # whom "Vertretung …" offers

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    # --- slots: loading -----------------------------------------------------------------

    def _on_timer(self) -> None:
        if not self._runner.running("schedule-refresh"):
            self.refresh()

    def _on_loaded(
        self, loaded_range: tuple[date, date], appointments: Sequence[AppointmentOut]
    ) -> None:
        self._range = loaded_range
        self._appointments = list(appointments)
        if self._load_failed:
            self._load_failed = False
            self.message_bar.clear()
        self._mark_days()
        self._show_day()

    def _on_load_failed(self, failure: Failure) -> None:
        self._load_failed = True
        self.message_bar.show_error(
            self.tr("Die Termine konnten nicht geladen werden. {reason}").format(
                reason=failure.message
            )
        )

    def _on_page_changed(self, _year: int, _month: int) -> None:
        self.refresh()

    def _on_day_selected(self) -> None:
        self._show_day()
        if self._range is not None and not self._range[0] <= self.selected_day < self._range[1]:
            self.refresh()

    def _on_today_clicked(self) -> None:
        self.select_day(to_berlin(self._clock.now()).date())

    def _on_selection_changed(self, _appointment_id: int) -> None:
        self.detail.show_appointment(self.selected_appointment())

    # --- slots: create and edit ---------------------------------------------------------

    def _open_dialog(self, appointment: AppointmentOut | None) -> AppointmentDialog:
        dialog = AppointmentDialog(
            clock=self._clock, appointment=appointment, day=self.selected_day, parent=self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.save_requested.connect(partial(self._on_dialog_save, dialog))
        dialog.open()
        return dialog

    def _on_new_clicked(self) -> None:
        self._open_dialog(None)

    def _on_edit_clicked(self) -> None:
        appointment = self.selected_appointment()
        if appointment is not None and appointment.status is not AppointmentStatus.CANCELLED:
            self._open_dialog(appointment)

    def _on_appointment_activated(self, _appointment_id: int) -> None:
        self._on_edit_clicked()

    def _on_dialog_save(self, dialog: AppointmentDialog, data: AppointmentIn) -> None:
        appointment_id = dialog.appointment_id
        coro = (
            self._client.create_appointment(data)
            if appointment_id is None
            else self._client.update_appointment(appointment_id, data)
        )
        self._runner.run(
            "save-appointment",
            coro,
            on_done=partial(self._on_saved, dialog, appointment_id is None),
            on_error=partial(self._on_save_failed, dialog),
            owner=self,
        )

    def _on_saved(self, dialog: AppointmentDialog, created: bool, saved: AppointmentOut) -> None:
        if shiboken6.isValid(dialog):
            dialog.accept()
        self._replace(saved)
        self.select_day(berlin_day(saved))
        self._show_day()
        self.list.select(saved.id)
        if created:
            note = self.tr("Der Termin mit {name} ist angelegt.").format(name=saved.citizen_name)
            if saved.email:
                note += " " + self.tr("Die Einladung wird versendet.")
        else:
            note = self.tr("Die Änderungen sind gespeichert.")
        self.message_bar.show_note(note)
        self.refresh()

    def _on_save_failed(self, dialog: AppointmentDialog, failure: Failure) -> None:
        if not shiboken6.isValid(dialog) or not dialog.isVisible():
            self.message_bar.show_error(failure.message)
            return
        if failure.status == 409 and failure.code == "overlap":
            dialog.ask_overlap(failure)
        else:
            dialog.show_failure(failure)

    # --- slots: other actions -----------------------------------------------------------

    def _on_resend_clicked(self) -> None:
        appointment = self.selected_appointment()
        if appointment is None:
            return
        self._runner.run(
            f"resend-{appointment.id}",
            self._client.resend(appointment.id),
            on_done=self._on_resent,
            on_error=self._on_action_failed,
            owner=self,
        )

    def _on_resent(self, appointment: AppointmentOut) -> None:
        self._replace(appointment)
        self._show_day()
        if appointment.status is AppointmentStatus.CANCELLED:
            self.message_bar.show_note(self.tr("Die Absage wird erneut gesendet."))
        else:
            self.message_bar.show_note(self.tr("Die Einladung wird erneut gesendet."))
        self.refresh()

    def _on_cancel_clicked(self) -> None:
        appointment = self.selected_appointment()
        if appointment is None or appointment.status is AppointmentStatus.CANCELLED:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Termin absagen"))
        box.setTextFormat(Qt.TextFormat.PlainText)  # the name as typed, never as markup
        box.setText(
            self.tr("Den Termin mit {name} am {day} um {time} Uhr absagen?").format(
                name=appointment.citizen_name,
                day=QLocale().toString(
                    _qdate(to_berlin(appointment.starts_at).date()), self.tr("dd.MM.yyyy")
                ),
                time=clock_text(appointment.starts_at),
            )
        )
        if any(p.email for p in appointment.participants):
            info = self.tr(
                "Alle Teilnehmenden mit E-Mail-Adresse erhalten eine Absage. "
                "Link und Einwahlcode gelten danach nicht mehr."
            )
        else:
            info = self.tr(
                "Es ist keine E-Mail-Adresse hinterlegt. Bitte informieren Sie die "
                "Teilnehmenden selbst. Link und Einwahlcode gelten danach nicht mehr."
            )
        box.setInformativeText(info)
        confirm = box.addButton(self.tr("Termin absagen"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Nicht absagen"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(partial(self._on_cancel_answered, box, confirm, appointment.id))
        box.open()

    def _on_cancel_answered(
        self, box: QMessageBox, confirm: QPushButton, appointment_id: int, _result: int
    ) -> None:
        if box.clickedButton() is not confirm:
            return
        self._runner.run(
            f"cancel-{appointment_id}",
            self._client.cancel_appointment(appointment_id),
            on_done=self._on_cancelled,
            on_error=self._on_action_failed,
            owner=self,
        )

    def _on_cancelled(self, appointment: AppointmentOut) -> None:
        self._replace(appointment)
        self._show_day()
        note = self.tr("Der Termin mit {name} ist abgesagt.").format(name=appointment.citizen_name)
        if any(p.email for p in appointment.participants):
            note += " " + self.tr("Die Absage wird versendet.")
        self.message_bar.show_note(note)
        self.refresh()

    def _on_copy_link_clicked(self) -> None:
        appointment = self.selected_appointment()
        if appointment is None:
            return
        QGuiApplication.clipboard().setText(appointment.citizen.link)
        self.message_bar.show_note(
            self.tr("Der persönliche Link von {name} ist in der Zwischenablage.").format(
                name=appointment.citizen_name
            )
        )

    def _on_open_link_clicked(self) -> None:
        appointment = self.selected_appointment()
        if appointment is None:
            return
        if not self._open_url(QUrl(appointment.citizen.link)):
            self.message_bar.show_error(
                self.tr("Der Browser konnte nicht geöffnet werden. Der Link lautet: {link}").format(
                    link=appointment.citizen.link
                )
            )

    def _on_action_failed(self, failure: Failure) -> None:
        self.message_bar.show_error(failure.message)
        self.refresh()

    # --- slots: substitution (a team colleague stands in) ---------------------------------

    def _on_teams_changed(self) -> None:
        can = self._teams is not None and bool(self._teams.colleagues())
        self.detail.set_can_reassign(can)
        self.hand_day_button.setVisible(can)

    def _open_appointments_of_day(self) -> list[AppointmentOut]:
        now = self._clock.now()
        return [
            a
            for a in self.appointments_of_day(self.selected_day)
            if a.status is not AppointmentStatus.CANCELLED
            and a.starts_at + timedelta(minutes=a.duration_min) > now
        ]

    def _mail_info(self, with_mail: bool) -> str:
        if with_mail:
            return self.tr(
                "Die Bürgerin oder der Bürger erhält eine aktualisierte Einladung per E-Mail, "
                "die den neuen Ansprechpartner nennt. Link und Einwahlcode bleiben gleich. "
                "Der Termin erscheint sofort bei der gewählten Kollegin oder dem gewählten "
                "Kollegen."
            )
        return self.tr(
            "Es ist keine E-Mail-Adresse hinterlegt; bitte informieren Sie die Person selbst. "
            "Link und Einwahlcode bleiben gleich. Der Termin erscheint sofort bei der "
            "gewählten Kollegin oder dem gewählten Kollegen."
        )

    def _on_reassign_clicked(self) -> None:
        appointment = self.selected_appointment()
        if (
            appointment is None
            or appointment.status is AppointmentStatus.CANCELLED
            or self._teams is None
        ):
            return
        dialog = substitution_dialog(
            self.tr("Vertretung"),
            self.tr("Den Termin mit {name} am {day} um {time} Uhr an wen geben?").format(
                name=appointment.citizen_name,
                day=QLocale().toString(_qdate(berlin_day(appointment)), self.tr("dd.MM.yyyy")),
                time=clock_text(appointment.starts_at),
            ),
            self._mail_info(any(p.email for p in appointment.participants)),
            self.tr("Vertretung übergeben"),
            self._teams.colleagues(),
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(partial(self._reassign, dialog, appointment.id))
        dialog.open()

    def _reassign(self, dialog: ColleagueDialog, appointment_id: int) -> None:
        colleague = dialog.colleague
        if colleague is None:
            return
        self._runner.run(
            f"reassign-{appointment_id}",
            self._client.reassign_appointment(appointment_id, colleague.advisor_id),
            on_done=partial(self._on_reassigned, colleague.display_name),
            on_error=self._on_action_failed,
            owner=self,
        )

    def _on_reassigned(self, colleague: str, appointment: AppointmentOut) -> None:
        self._replace(appointment)
        self._show_day()
        note = self.tr("Der Termin mit {name} gehört jetzt {colleague}.").format(
            name=appointment.citizen_name, colleague=colleague
        )
        if any(p.email for p in appointment.participants):
            note += " " + self.tr("Die aktualisierte Einladung wird versendet.")
        self.message_bar.show_note(note)
        self.refresh()

    def _on_hand_day_clicked(self) -> None:
        teams = self._teams
        if teams is None or teams.me is None:
            return
        day = self.selected_day
        open_ones = self._open_appointments_of_day()
        if not open_ones:
            self.message_bar.show_note(
                self.tr("An diesem Tag gibt es keine offenen Termine zu übergeben.")
            )
            return
        count = len(open_ones)
        dialog = substitution_dialog(
            self.tr("Tag übergeben"),
            (
                self.tr("Den offenen Termin am {day} an wen geben?")
                if count == 1
                else self.tr("Die {n} offenen Termine am {day} an wen geben?")
            ).format(n=count, day=QLocale().toString(_qdate(day), self.tr("dd.MM.yyyy"))),
            self._mail_info(any(p.email for a in open_ones for p in a.participants)),
            self.tr("Tag übergeben"),
            teams.colleagues(),
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(partial(self._reassign_day, dialog, day, teams.me.id))
        dialog.open()

    def _reassign_day(self, dialog: ColleagueDialog, day: date, me: int) -> None:
        colleague = dialog.colleague
        if colleague is None:
            return
        self._runner.run(
            f"reassign-day-{day.isoformat()}",
            self._client.reassign_day(day, me, colleague.advisor_id),
            on_done=partial(self._on_day_reassigned, colleague.display_name),
            on_error=self._on_action_failed,
            owner=self,
        )

    def _on_day_reassigned(self, colleague: str, result: ReassignDayOut) -> None:
        moved = len(result.moved)
        if moved == 1:
            note = self.tr("1 Termin gehört jetzt {colleague}.")
        else:
            note = self.tr("{n} Termine gehören jetzt {colleague}.")
        self.message_bar.show_note(note.format(n=moved, colleague=colleague))
        self.refresh()
