"""Create or change an appointment. Checks the input, then asks the page to save it.

The dialog never talks to the service itself: it emits :attr:`AppointmentDialog.save_requested`
with a ready :class:`AppointmentIn`; the page saves it through the task runner and reports
back with :meth:`show_failure`, :meth:`ask_overlap` or by closing the dialog. Until then every
typed character stays where it is.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from pydantic import ValidationError
from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from advisor_app.core.appointments import AppointmentDraft, GuestDraft, appointment_problems
from advisor_app.core.clock import Clock, SystemClock
from advisor_app.core.domain import (
    BERLIN,
    MAX_CUSTOMER_NUMBER_LENGTH,
    MAX_DURATION_MIN,
    MAX_NAME_LENGTH,
    MAX_TOPIC_LENGTH,
    MIN_DURATION_MIN,
    Language,
    Role,
    to_berlin,
)
from advisor_app.core.errors import RuleViolation
from advisor_app.core.protocol import AppointmentIn, AppointmentOut, GuestIn, OverlapInfo
from advisor_app.ui.accessibility import label_for
from advisor_app.ui.labels import language_label, time_range_text
from advisor_app.ui.refusals import rule_text
from advisor_app.ui.tasks import Failure
from advisor_app.ui.widgets.dialog_error import DialogError
from advisor_app.ui.widgets.guest_editor import GuestEditor
from advisor_app.ui.widgets.time_edit import StepTimeEdit

DEFAULT_DURATION_MIN = 30


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


def _form_label(text: str) -> QLabel:
    """A form label that lines up with the text of a field placed at the top of its row."""
    label = QLabel(text)
    label.setContentsMargins(0, 5, 0, 0)
    return label


def _field(widget: QWidget, error: QLabel) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(widget)
    layout.addWidget(error)
    return box


def suggested_start(day: date, now: datetime) -> tuple[date, time]:
    """The next quarter hour today (at least 10 minutes ahead), else 09:00 on ``day``."""
    local_now = to_berlin(now)
    if day > local_now.date():
        return day, time(9, 0)
    soon = local_now + timedelta(minutes=10)
    minutes = -(-(soon.hour * 60 + soon.minute) // 15) * 15
    if minutes >= 24 * 60:
        return soon.date() + timedelta(days=1), time(9, 0)
    return soon.date(), time(minutes // 60, minutes % 60)


class AppointmentDialog(QDialog):
    """The form for a new or an existing appointment."""

    #: A checked :class:`AppointmentIn` the page should send to the service.
    save_requested = Signal(AppointmentIn)

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        appointment: AppointmentOut | None = None,
        day: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock or SystemClock()
        self._appointment = appointment
        self._busy = False
        self._setup_ui()
        if appointment is not None:
            self._fill(appointment)
        else:
            start_day, start_time = suggested_start(
                day or to_berlin(self._clock.now()).date(), self._clock.now()
            )
            self.date_edit.setDate(QDate(start_day.year, start_day.month, start_day.day))
            self.time_edit.setTime(QTime(start_time.hour, start_time.minute))
        self._connect_changes()

    # --- layout -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        editing = self._appointment is not None
        self.setWindowTitle(self.tr("Termin bearbeiten") if editing else self.tr("Neuer Termin"))
        self.setModal(True)
        self.setMinimumWidth(820)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        outer.setSpacing(14)

        heading = QLabel(self.windowTitle())
        heading.setObjectName("pageTitle")
        outer.addWidget(heading)

        self.error_box = DialogError()
        self.error_text = self.error_box.label
        outer.addWidget(self.error_box)

        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)

        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat(self.tr("dd.MM.yyyy"))
        self.date_edit.setAccessibleName(self.tr("Datum"))
        calendar = self.date_edit.calendarWidget()
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        calendar.setGridVisible(False)
        self.time_edit = StepTimeEdit()
        self.time_edit.setAccessibleName(self.tr("Beginn"))
        self.duration = QSpinBox()
        self.duration.setRange(MIN_DURATION_MIN, MAX_DURATION_MIN)
        self.duration.setSingleStep(5)
        self.duration.setValue(DEFAULT_DURATION_MIN)
        self.duration.setSuffix(self.tr(" Min."))
        self.duration.setAccessibleName(self.tr("Dauer in Minuten"))
        when = QHBoxLayout()
        when.setSpacing(8)
        when.addWidget(self.date_edit)
        when.addWidget(QLabel(self.tr("um")))
        when.addWidget(self.time_edit)
        when.addWidget(QLabel(self.tr("Uhr, Dauer")))
        when.addWidget(self.duration)
        when.addStretch(1)
        when_box = QWidget()
        when_box.setLayout(when)
        when.setContentsMargins(0, 0, 0, 0)
        self.when_error = _error_label()
        when_label = _form_label(self.tr("&Termin"))
        label_for(when_label, self.date_edit)
        form.addRow(when_label, _field(when_box, self.when_error))

        self.topic = QLineEdit()
        self.topic.setMaxLength(MAX_TOPIC_LENGTH)
        self.topic.setPlaceholderText(self.tr("z. B. Weiterbewilligung, Bewerbungsunterlagen"))
        self.topic_error = _error_label()
        topic_label = _form_label(self.tr("T&hema"))
        label_for(topic_label, self.topic)
        form.addRow(topic_label, _field(self.topic, self.topic_error))

        self.citizen_name = QLineEdit()
        self.citizen_name.setMaxLength(MAX_NAME_LENGTH)
        self.citizen_name.setPlaceholderText(self.tr("Vor- und Nachname"))
        self.name_error = _error_label()
        name_label = _form_label(self.tr("&Bürgerin/Bürger"))
        label_for(name_label, self.citizen_name)
        form.addRow(name_label, _field(self.citizen_name, self.name_error))

        self.customer_number = QLineEdit()
        self.customer_number.setMaxLength(MAX_CUSTOMER_NUMBER_LENGTH)
        self.customer_number.setPlaceholderText(self.tr("optional"))
        self.customer_number_error = _error_label()
        number_label = _form_label(self.tr("&Kundennummer"))
        label_for(number_label, self.customer_number)
        form.addRow(number_label, _field(self.customer_number, self.customer_number_error))

        self.email = QLineEdit()
        self.email.setPlaceholderText(self.tr("name@beispiel.de"))
        self.email_error = _error_label()
        self.email_hint = email_hint = QLabel(
            self.tr(
                "Ohne E-Mail-Adresse wird keine Einladung versendet; "
                "Link und Einwahlcode geben Sie dann selbst weiter."
            )
        )
        email_hint.setObjectName("hint")
        email_hint.setWordWrap(True)
        email_box = _field(self.email, self.email_error)
        email_layout = email_box.layout()
        assert email_layout is not None
        email_layout.addWidget(email_hint)
        email_label = _form_label(self.tr("&E-Mail"))
        label_for(email_label, self.email)
        self.email.setAccessibleDescription(email_hint.text())
        form.addRow(email_label, email_box)

        self.language = QComboBox()
        for language in Language:
            self.language.addItem(language_label(language), language)
        self.language.setAccessibleName(self.tr("Sprache der Einladung"))
        language_row = QHBoxLayout()
        language_row.setContentsMargins(0, 0, 0, 0)
        language_row.addWidget(self.language)
        language_row.addStretch(1)
        lang_label = _form_label(self.tr("&Sprache der Einladung"))
        label_for(lang_label, self.language)
        form.addRow(lang_label, language_row)
        outer.addLayout(form)

        guests_title = QLabel(self.tr("Weitere Teilnehmende"))
        guests_title.setObjectName("sectionTitle")
        outer.addWidget(guests_title)
        self.guests = GuestEditor()
        outer.addWidget(self.guests)

        self.overlap_box = QFrame()
        self.overlap_box.setObjectName("overlapBox")
        overlap_layout = QVBoxLayout(self.overlap_box)
        overlap_layout.setContentsMargins(12, 10, 12, 10)
        self.overlap_text = QLabel()
        self.overlap_text.setWordWrap(True)
        overlap_layout.addWidget(self.overlap_text)
        overlap_buttons = QHBoxLayout()
        overlap_buttons.addStretch(1)
        self.change_time_button = QPushButton(self.tr("Zeit ändern"))
        self.change_time_button.clicked.connect(self._on_change_time_clicked)
        self.save_anyway_button = QPushButton(self.tr("Trotzdem speichern"))
        self.save_anyway_button.clicked.connect(self._on_save_anyway_clicked)
        overlap_buttons.addWidget(self.change_time_button)
        overlap_buttons.addWidget(self.save_anyway_button)
        overlap_layout.addLayout(overlap_buttons)
        self.overlap_box.hide()
        outer.addWidget(self.overlap_box)

        outer.addStretch(1)
        buttons = QHBoxLayout()
        self.busy_label = QLabel(self.tr("Wird gespeichert…"))
        self.busy_label.setObjectName("hint")
        self.busy_label.hide()
        buttons.addWidget(self.busy_label)
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Abbrechen"))
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = QPushButton(
            self.tr("Speichern") if editing else self.tr("Termin anlegen")
        )
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._on_save_clicked)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)

    def _connect_changes(self) -> None:
        self.date_edit.dateChanged.connect(self._on_time_changed)
        self.time_edit.timeChanged.connect(self._on_time_changed)
        self.duration.valueChanged.connect(self._on_time_changed)

    def _fill(self, appointment: AppointmentOut) -> None:
        local = to_berlin(appointment.starts_at)
        self.date_edit.setDate(QDate(local.year, local.month, local.day))
        self.time_edit.setTime(QTime(local.hour, local.minute))
        self.duration.setValue(appointment.duration_min)
        self.topic.setText(appointment.topic)
        self.citizen_name.setText(appointment.citizen_name)
        self.customer_number.setText(appointment.customer_number or "")
        self.email.setText(appointment.email or "")
        for edit in (self.topic, self.citizen_name, self.customer_number, self.email):
            edit.setCursorPosition(0)
        self.language.setCurrentIndex(max(0, self.language.findData(appointment.language)))
        self.guests.set_guests([p for p in appointment.participants if p.role is not Role.CITIZEN])

    # --- what the page uses -------------------------------------------------------------

    @property
    def appointment_id(self) -> int | None:
        return self._appointment.id if self._appointment is not None else None

    def starts_at(self) -> datetime:
        d, t = self.date_edit.date(), self.time_edit.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=BERLIN)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)
        self.save_anyway_button.setEnabled(not busy)
        self.busy_label.setVisible(busy)

    def show_failure(self, failure: Failure) -> None:
        """The service refused: show its message here and keep every input."""
        self.set_busy(False)
        self.overlap_box.hide()
        self._show_error(failure.message)
        target = self._error_label_for(failure.field)
        if target is not None:
            target.setText(failure.message)
            target.show()
        self._fit()

    def ask_overlap(self, failure: Failure) -> None:
        """Offer to save despite an overlap the service reported."""
        self.set_busy(False)
        self.error_box.hide()
        names = []
        for raw in failure.details.get("overlaps", []):
            try:
                info = OverlapInfo.model_validate(raw)
            except ValidationError:
                continue
            names.append(
                self.tr("{name} ({time})").format(
                    name=info.citizen_name,
                    time=time_range_text(info.starts_at, info.duration_min),
                )
            )
        others = ", ".join(names) if names else self.tr("einem anderen Termin")
        self.overlap_text.setText(
            self.tr("Der Termin überschneidet sich mit {others}. Trotzdem speichern?").format(
                others=others
            )
        )
        self.overlap_box.show()
        self.save_anyway_button.setFocus()
        self._fit()

    def _fit(self) -> None:
        """Grow with what was just shown (the overlap question, error sentences) instead of
        squeezing the wrapped hints into each other."""
        layout = self.layout()
        assert layout is not None
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    # --- checks -------------------------------------------------------------------------

    def _clear_errors(self) -> None:
        self.error_box.hide()
        for label in (
            self.when_error,
            self.topic_error,
            self.name_error,
            self.customer_number_error,
            self.email_error,
        ):
            label.hide()
        for row in self.guests.rows:
            row.show_error("")

    def _show_error(self, text: str) -> None:
        self.error_box.show_message(text)

    def _error_label_for(self, field: str | None) -> QLabel | None:
        if not field:
            return None
        head = field.split(".")[0]
        return {
            "starts_at": self.when_error,
            "duration_min": self.when_error,
            "topic": self.topic_error,
            "citizen_name": self.name_error,
            "customer_number": self.customer_number_error,
            "email": self.email_error,
        }.get(head)

    def _draft(self) -> AppointmentDraft:
        return AppointmentDraft(
            starts_at=self.starts_at(),
            citizen_name=self.citizen_name.text(),
            topic=self.topic.text(),
            customer_number=self.customer_number.text(),
            email=self.email.text(),
            guests=tuple(GuestDraft(g.name, g.email) for g in self.guests.values()),
        )

    def _check(self) -> list[str]:
        """Ask the appointment's rules (the service asks the same); mark each field that
        breaks one and return the messages (empty: all fine)."""
        previous = self._appointment.starts_at if self._appointment is not None else None
        problems: list[str] = []
        marked_rows: set[int] = set()
        for problem in appointment_problems(
            self._draft(), self._clock.now(), previous_start=previous
        ):
            text = rule_text(problem.code, problem.field, problem.violation.params) or str(
                problem.violation
            )
            parts = problem.field.split(".")
            if parts[0] == "guests":
                row = int(parts[1])
                if row in marked_rows:
                    continue  # one message per guest: the first problem of the row
                marked_rows.add(row)
                self.guests.rows[row].show_error(text)
            else:
                label = self._error_label_for(problem.field)
                if label is not None:
                    label.setText(text)
                    label.show()
            problems.append(text)
        return problems

    def _build(self) -> AppointmentIn:
        return AppointmentIn(
            starts_at=self.starts_at(),
            duration_min=self.duration.value(),
            topic=self.topic.text(),
            citizen_name=self.citizen_name.text(),
            customer_number=self.customer_number.text() or None,
            email=self.email.text() or None,
            language=Language(self.language.currentData()),
            guests=[
                GuestIn(
                    name=g.name,
                    role=g.role,
                    email=g.email or None,
                    language=g.language,
                )
                for g in self.guests.values()
            ],
        )

    # --- slots --------------------------------------------------------------------------

    def _submit(self, *, allow_overlap: bool) -> None:
        if self._busy:
            return
        self._clear_errors()
        self.overlap_box.hide()
        problems = self._check()
        if problems:
            self._show_error(
                problems[0]
                if len(problems) == 1
                else self.tr("Bitte prüfen Sie die markierten Angaben.")
            )
            self._fit()
            return
        try:
            data = self._build()
        except ValidationError as exc:
            first = exc.errors()[0]
            error = (first.get("ctx") or {}).get("error")
            field = ".".join(str(p) for p in first.get("loc", ()))
            text = (
                rule_text(error.code, field, error.params)
                if isinstance(error, RuleViolation)
                else None
            ) or self.tr("Bitte prüfen Sie Ihre Angaben.")
            self._show_error(text)
            return
        if allow_overlap:
            data = data.model_copy(update={"allow_overlap": True})
        self.set_busy(True)
        self.save_requested.emit(data)

    def _on_save_clicked(self) -> None:
        self._submit(allow_overlap=False)

    def _on_save_anyway_clicked(self) -> None:
        self._submit(allow_overlap=True)

    def _on_change_time_clicked(self) -> None:
        self.overlap_box.hide()
        self.time_edit.setFocus()

    def _on_time_changed(self) -> None:
        if self.overlap_box.isVisible():
            self.overlap_box.hide()
        self.when_error.hide()
