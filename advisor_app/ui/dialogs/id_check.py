"""Ausweis prüfen: live guidance on the citizen's video, rectified stills, face and MRZ help.

The dialog gets plain inputs: ``frames()`` returns the newest remote video frame (BGR numpy
array, or None), ``expected_name`` is the appointment's citizen, ``on_outcome`` receives the
advisor's decision as an :class:`IdentityIn` (outcome and document type, nothing else). The
workflow is an :class:`IdCheckSession` ticked by a timer; the dialog renders what it reports.
Stills exist only in memory and are overwritten when the dialog closes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QImage,
    QPainter,
    QPen,
    QPixmap,
    QPolygonF,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.console.id_check import (
    AUTO_FRAMES,
    Capture,
    CheckStep,
    Frame,
    IdCheckListener,
    IdCheckSession,
    MrzStatus,
    MrzVerdict,
    ZoneReading,
    ZoneStatus,
)
from advisor_app.core.protocol import IdentityDocument, IdentityIn, IdentityOutcome
from advisor_app.idcheck import mrz
from advisor_app.idcheck.analysis import Analysis, Hint, Side, Still
from advisor_app.ui.accessibility import SteadyAnnouncer
from advisor_app.ui.capture_guard import exclude_from_capture
from advisor_app.ui.widgets.detail_panel import label, rule
from advisor_app.ui.widgets.mrz_entry import MrzEntry
from advisor_app.ui.widgets.zoom_view import ZoomView


def to_qimage(bgr: NDArray[np.uint8]) -> QImage:
    """A Qt-owned copy of a BGR (or gray) picture."""
    data = np.ascontiguousarray(bgr)
    h, w = data.shape[:2]
    if data.ndim == 2:
        return QImage(data.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    return QImage(data.data, w, h, 3 * w, QImage.Format.Format_BGR888).copy()


class IdCheckDialog(QDialog):
    """Guides the citizen through front and back, shows the stills and records the outcome."""

    #: "front", "back" or "done": what the citizen's page should ask for now.
    step_changed = Signal(str)
    #: Emitted after every analysed frame (tests and the status line use it).
    analysed = Signal(Analysis)

    AUTO_FRAMES = AUTO_FRAMES

    def __init__(
        self,
        frames: Callable[[], NDArray[np.uint8] | None],
        expected_name: str,
        on_outcome: Callable[[IdentityIn], None],
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        interval_ms: int = 100,
    ) -> None:
        super().__init__(parent)
        self._expected_name = expected_name
        self._on_outcome = on_outcome
        listener = IdCheckListener(
            step=self._on_step,
            no_frame=self._on_no_frame,
            complete=self._on_complete,
            analysed=self._on_analysed,
            captured=self._on_captured,
            retaken=self._on_retaken,
            live_face=self._on_live_face,
            zone=self._on_zone,
        )
        self._session = IdCheckSession(frames, expected_name, listener, today=today)
        self._images: list[QImage] = []
        self._started = False
        self.capture_excluded = False
        self._hints = SteadyAnnouncer(self)
        self._setup_ui()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._session.tick)

    # --- layout --------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("Ausweis prüfen"))
        self.setMinimumSize(1100, 760)
        self.resize(1280, 820)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(18)
        layout.addLayout(self._live_column(), 5)
        layout.addLayout(self._still_column(), 6)

    def _live_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        self.step_label = label("", "sectionTitle")
        column.addWidget(self.step_label)
        self.live_view = QLabel()
        self.live_view.setMinimumSize(400, 225)
        self.live_view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.live_view.setStyleSheet("background: #1f2a37; border-radius: 6px;")
        self.live_view.setAccessibleName(self.tr("Videobild der Person"))
        column.addWidget(self.live_view, 1)
        self.hint_label = label(self.tr("Warte auf das Videobild …"), "detailTitle")
        column.addWidget(self.hint_label)
        self.progress = QProgressBar()
        self.progress.setRange(0, self.AUTO_FRAMES)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.setAccessibleName(self.tr("Automatische Aufnahme"))
        column.addWidget(self.progress)
        self.tilt_label = label(
            self.tr(
                "Kopien, Fotos und Bildschirme erkennt die Prüfung nicht immer: bitten Sie "
                "darum, den Ausweis langsam zu kippen. Bei einem echten Ausweis ändern sich "
                "Hologramm und Spiegelungen."
            ),
            "hint",
        )
        self.tilt_label.setWordWrap(True)
        column.addWidget(self.tilt_label)
        buttons = QHBoxLayout()
        self.capture_button = QPushButton(self.tr("Jetzt aufnehmen"))
        self.capture_button.setToolTip(
            self.tr("Nimmt das aktuelle Bild auf, auch wenn noch nicht alles passt.")
        )
        self.capture_button.clicked.connect(self._on_capture_clicked)
        self.retake_button = QPushButton(self.tr("Vorderseite neu aufnehmen"))
        self.retake_button.clicked.connect(self._on_retake_clicked)
        self.retake_button.setEnabled(False)
        buttons.addWidget(self.capture_button)
        buttons.addWidget(self.retake_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        column.addWidget(rule())
        column.addWidget(label(self.tr("Gesichter vergleichen"), "sectionTitle"))
        faces = QGridLayout()
        faces.setColumnStretch(2, 1)
        faces.addWidget(label(self.tr("Foto im Dokument"), "hint"), 0, 0)
        faces.addWidget(label(self.tr("Gesicht im Video"), "hint"), 0, 1)
        self.doc_face = self._face_label(self.tr("Foto im Dokument"))
        self.live_face = self._face_label(self.tr("Gesicht im Video"))
        faces.addWidget(self.doc_face, 1, 0)
        faces.addWidget(self.live_face, 1, 1)
        column.addLayout(faces)
        self.privacy_label = label(
            self.tr(
                "Aufnahmen bleiben nur im Arbeitsspeicher und werden beim Schließen gelöscht. "
                "Gespeichert wird nur das Ergebnis mit Dokumentart, Ihnen und der Uhrzeit."
            ),
            "hint",
        )
        column.addWidget(self.privacy_label)
        self.capture_note = label("", "fieldError")
        self.capture_note.hide()
        column.addWidget(self.capture_note)
        return column

    def _still_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.addWidget(label(self.tr("Aufnahme (entzerrt)"), "sectionTitle"))
        self.still_view = ZoomView()
        self.still_view.setAccessibleName(self.tr("Entzerrte Aufnahme des Dokuments"))
        self.still_view.setMinimumHeight(260)
        column.addWidget(self.still_view, 1)
        zoom = QHBoxLayout()
        self.side_box = QComboBox()
        self.side_box.setAccessibleName(self.tr("Angezeigte Seite"))
        self.side_box.currentIndexChanged.connect(self._on_side_chosen)
        self.side_box.setEnabled(False)
        zoom.addWidget(self.side_box, 1)
        for text, factor in (("−", 0.8), ("+", 1.25)):
            button = QPushButton(text)
            button.setAccessibleName(
                self.tr("Verkleinern") if factor < 1 else self.tr("Vergrößern")
            )
            button.clicked.connect(lambda _=False, f=factor: self.still_view.zoom_by(f))
            zoom.addWidget(button)
        fit = QPushButton(self.tr("Einpassen"))
        fit.clicked.connect(self.still_view.fit)
        zoom.addWidget(fit)
        column.addLayout(zoom)
        column.addWidget(rule())
        column.addWidget(label(self.tr("Maschinenlesbare Zone"), "sectionTitle"))
        self.ocr_label = label("", "hint")
        column.addWidget(self.ocr_label)
        self.mrz_entry = MrzEntry()
        self.mrz_entry.changed.connect(self._on_mrz_changed)
        column.addWidget(self.mrz_entry)
        self.mrz_result = label("", "hint")
        self.expiry_result = label("", "hint")
        self.name_result = label("", "hint")
        for widget in (self.mrz_result, self.expiry_result, self.name_result):
            column.addWidget(widget)
        column.addWidget(rule())
        outcome = QHBoxLayout()
        caption = QLabel(self.tr("Dokument"))
        outcome.addWidget(caption)
        self.document_box = QComboBox()
        self.document_box.addItem(self.tr("Personalausweis"), IdentityDocument.ID_CARD.value)
        self.document_box.addItem(self.tr("Reisepass"), IdentityDocument.PASSPORT.value)
        self.document_box.addItem(self.tr("Anderes Dokument"), IdentityDocument.OTHER.value)
        caption.setBuddy(self.document_box)
        self.document_box.setAccessibleName(self.tr("Dokument"))
        outcome.addWidget(self.document_box, 1)
        self.cancel_button = QPushButton(self.tr("Abbrechen"))
        self.cancel_button.setToolTip(
            self.tr("Schließt die Prüfung, ohne ein Ergebnis zu speichern (Esc).")
        )
        self.cancel_button.clicked.connect(self.reject)  # Escape rejects, too
        self.not_verified_button = QPushButton(self.tr("Nicht geprüft"))
        self.not_verified_button.clicked.connect(self._on_not_verified)
        self.verified_button = QPushButton(self.tr("Identität geprüft"))
        self.verified_button.setProperty("primary", True)
        self.verified_button.clicked.connect(self._on_verified)
        self.verified_button.setEnabled(False)
        self.verified_button.setToolTip(self.tr("Erst nach einer Aufnahme des Dokuments."))
        outcome.addWidget(self.cancel_button)
        outcome.addWidget(self.not_verified_button)
        outcome.addWidget(self.verified_button)
        column.addLayout(outcome)
        self._show_step(self._session.step)
        return column

    def _face_label(self, name: str) -> QLabel:
        face = QLabel(self.tr("noch keine Aufnahme"))
        face.setObjectName("hint")
        face.setAlignment(Qt.AlignmentFlag.AlignCenter)
        face.setWordWrap(True)  # "noch keine Aufnahme" is wider than the photo's 130 pixels
        face.setFixedSize(130, 156)  # room for the live view on a 1000-pixel-high screen
        face.setStyleSheet("background: #ffffff; border: 1px solid #d9dee5; border-radius: 6px;")
        face.setAccessibleName(name)
        return face

    # --- steps ---------------------------------------------------------------------------

    @property
    def step(self) -> CheckStep:
        return self._session.step

    @property
    def stills(self) -> dict[Side, Still]:
        return self._session.stills

    def _show_step(self, step: CheckStep) -> None:
        self.progress.setValue(0)
        texts = {
            CheckStep.FRONT: self.tr("Schritt 1 von 2: Vorderseite"),
            CheckStep.BACK: self.tr("Schritt 2 von 2: Rückseite"),
            CheckStep.DONE: self.tr("Aufnahmen vollständig – bitte prüfen und entscheiden"),
        }
        self.step_label.setText(texts[step])
        self.capture_button.setEnabled(step is not CheckStep.DONE)

    def _on_step(self, step: CheckStep) -> None:
        self._show_step(step)
        self.step_changed.emit(step.value)

    # --- live analysis ---------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.capture_excluded = exclude_from_capture(int(self.winId()))
            if not self.capture_excluded:
                self.capture_note.setText(
                    self.tr(
                        "Dieses System kann das Fenster nicht von Bildschirmaufnahmen "
                        "ausnehmen. Bitte teilen Sie es nicht."
                    )
                )
                self.capture_note.show()
            self.step_changed.emit(self._session.step.value)
            self._timer.start()

    def _on_no_frame(self) -> None:
        self.hint_label.setText(self.tr("Warte auf das Videobild …"))

    def _on_complete(self) -> None:
        self.hint_label.setText(self.tr("Aufnahmen vollständig."))

    def _on_live_face(self, face: Frame) -> None:
        self._show_face(self.live_face, face)

    def _on_analysed(self, analysis: Analysis, frame: Frame, progress: float) -> None:
        self.hint_label.setText(self._hint_text(analysis.hint))
        self._hints.heard(self.hint_label.text())
        self._show_live(frame, analysis)
        self.progress.setValue(round(progress * self.AUTO_FRAMES))
        self.analysed.emit(analysis)

    def _hint_text(self, hint: Hint) -> str:
        if hint is Hint.WRONG_SIDE:
            if self._session.step is CheckStep.BACK:
                return self.tr("Bitte drehen Sie das Dokument um: jetzt die Rückseite.")
            return self.tr("Bitte zeigen Sie zuerst die Vorderseite mit dem Foto.")
        texts = {
            Hint.NO_DOCUMENT: self.tr("Kein Ausweis erkannt – bitte ganz ins Bild halten."),
            Hint.MOVE_CLOSER: self.tr("Bitte näher an die Kamera halten."),
            Hint.HOLD_STILL: self.tr("Unscharf – bitte ruhig halten."),
            Hint.GLARE: self.tr("Spiegelung – bitte das Dokument leicht kippen."),
            Hint.TOO_DARK: self.tr("Zu dunkel – bitte für mehr Licht sorgen."),
            Hint.CUT_OFF: self.tr("Abgeschnitten – bitte das ganze Dokument ins Bild halten."),
            Hint.NOT_A_DOCUMENT: self.tr("Das sieht nicht wie ein Ausweis oder Reisepass aus."),
            Hint.RECAPTURED: self.tr(
                "Foto, Kopie oder Bildschirm erkannt – bitte den Ausweis selbst zeigen."
            ),
            Hint.IN_HAND: self.tr(
                "Bitte den Ausweis in die Hand nehmen und vor die Kamera halten – "
                "nicht hinlegen, nicht auf einem Bildschirm zeigen."
            ),
            Hint.GOOD: self.tr("Gut – bitte so halten."),
        }
        return texts[hint]

    def _show_live(self, frame: Frame, analysis: Analysis) -> None:
        image = to_qimage(frame)
        pixmap = QPixmap.fromImage(image).scaled(
            self.live_view.size(),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        if analysis.corners is not None:
            scale = pixmap.width() / max(1, frame.shape[1])
            painter = QPainter(pixmap)
            color = QColor("#2e9e44") if analysis.good else QColor("#e0a100")
            painter.setPen(QPen(color, 3))
            painter.drawPolygon(
                QPolygonF(
                    [QPointF(float(x) * scale, float(y) * scale) for x, y in analysis.corners]
                )
            )
            painter.end()
        self.live_view.setPixmap(pixmap)

    # --- stills --------------------------------------------------------------------------

    def _on_capture_clicked(self) -> None:
        if not self._session.capture_now():
            self.hint_label.setText(
                self.tr("Noch kein Dokument im Bild – eine Aufnahme ist so nicht möglich.")
            )

    def _on_captured(self, capture: Capture) -> None:
        if capture.still.face is not None:
            self._show_face(self.doc_face, capture.still.face)
        self._refresh_sides(capture.side)
        self.document_box.setCurrentIndex(self.document_box.findData(capture.document.value))
        if capture.mrz_format is not None:
            self.mrz_entry.set_format(capture.mrz_format)
        self.retake_button.setEnabled(True)
        self.retake_button.setText(
            self.tr("Rückseite neu aufnehmen")
            if capture.side is Side.BACK
            else self.tr("Vorderseite neu aufnehmen")
        )

    def _on_zone(self, reading: ZoneReading) -> None:
        if reading.status is ZoneStatus.NO_ENGINE:
            self.ocr_label.setText(
                self.tr(
                    "Keine Texterkennung installiert: bitte die Zeilen aus der Aufnahme abtippen."
                )
            )
        elif reading.status is ZoneStatus.READING:
            self.ocr_label.setText(self.tr("Texterkennung liest die Zone …"))
        elif reading.status is ZoneStatus.TYPED_MEANWHILE:
            self.ocr_label.setText("")  # the advisor typed meanwhile: theirs stays
        elif reading.status is ZoneStatus.READ and reading.lines:
            text = self.tr("Von der Texterkennung gelesen – bitte vergleichen.")
            if reading.unreadable:
                text += " " + self.tr("„?“ war nicht lesbar: bitte aus der Aufnahme ersetzen.")
            self.ocr_label.setText(text)
            if reading.format is not None:
                self.mrz_entry.set_format(reading.format)
            self.mrz_entry.set_lines(reading.lines)
        else:
            self.ocr_label.setText(
                self.tr("Die Texterkennung konnte die Zone nicht lesen: bitte abtippen.")
            )

    def _on_retake_clicked(self) -> None:
        self._session.retake()

    def _on_retaken(self, side: Side, stills_left: bool) -> None:
        if side is Side.FRONT:
            self.doc_face.clear()
            self.doc_face.setText(self.tr("noch keine Aufnahme"))
        self._refresh_sides(None)
        self.retake_button.setEnabled(stills_left)

    def _refresh_sides(self, show: Side | None) -> None:
        stills = self._session.stills
        self.side_box.blockSignals(True)
        self.side_box.clear()
        names = {Side.FRONT: self.tr("Vorderseite"), Side.BACK: self.tr("Rückseite")}
        for side in (Side.FRONT, Side.BACK):
            if side in stills:
                self.side_box.addItem(names[side], side.value)
        self.side_box.blockSignals(False)
        self.side_box.setEnabled(bool(stills))
        self.verified_button.setEnabled(bool(stills))
        if show is not None and self.side_box.findData(show.value) >= 0:
            self.side_box.setCurrentIndex(self.side_box.findData(show.value))
        self._on_side_chosen(self.side_box.currentIndex())

    def _on_side_chosen(self, index: int) -> None:
        key = self.side_box.itemData(index) if index >= 0 else None
        still = self._session.stills.get(Side(key)) if key is not None else None
        if still is None:
            self.still_view.clear()
            return
        image = to_qimage(still.image)
        self._images.append(image)
        self.still_view.set_image(image)

    def _show_face(self, target: QLabel, face: Frame) -> None:
        image = to_qimage(face)
        self._images.append(image)
        target.setPixmap(
            QPixmap.fromImage(image).scaled(
                target.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    # --- MRZ -----------------------------------------------------------------------------

    def _field_name(self, field: mrz.MrzField) -> str:
        names = {
            mrz.MrzField.DOCUMENT_NUMBER: self.tr("Dokumentnummer"),
            mrz.MrzField.BIRTH_DATE: self.tr("Geburtsdatum"),
            mrz.MrzField.EXPIRY_DATE: self.tr("Ablaufdatum"),
            mrz.MrzField.OPTIONAL_DATA: self.tr("Optionale Daten (persönliche Nummer)"),
            mrz.MrzField.COMPOSITE: self.tr("Gesamtprüfziffer"),
            mrz.MrzField.FORMAT: self.tr("unzulässige Zeichen"),
        }
        return names[field]

    def _on_mrz_changed(self) -> None:
        for widget in (self.mrz_result, self.expiry_result, self.name_result):
            widget.setObjectName("hint")
            widget.setText("")
        verdict = self._session.check_zone(
            self.mrz_entry.lines(), complete=self.mrz_entry.complete()
        )
        if verdict.status is MrzStatus.INCOMPLETE:
            self.mrz_result.setText(self.tr("Bitte alle Zeilen vollständig eingeben."))
        elif verdict.status is MrzStatus.NO_FORMAT:
            self.mrz_result.setText(self.tr("Die Zeilen passen zu keinem Format."))
        else:
            self._show_digits(verdict)
            self._show_expiry(verdict)
            self._show_name(verdict)
        self._restyle()

    def _show_digits(self, verdict: MrzVerdict) -> None:
        if verdict.status is MrzStatus.VALID:
            self.mrz_result.setText(self.tr("Alle Prüfziffern sind gültig."))
            return
        fields = ", ".join(dict.fromkeys(self._field_name(f) for f in verdict.failing))
        self.mrz_result.setText(self.tr("Prüfziffer falsch: {fields}").format(fields=fields))
        self.mrz_result.setObjectName("fieldError")

    def _show_expiry(self, verdict: MrzVerdict) -> None:
        if verdict.expiry is None or verdict.expired is None:
            self.expiry_result.setText(self.tr("Ablaufdatum nicht lesbar."))
            self.expiry_result.setObjectName("fieldError")
            return
        when = verdict.expiry.strftime("%d.%m.%Y")
        if verdict.expired:
            self.expiry_result.setText(self.tr("Abgelaufen am {date}.").format(date=when))
            self.expiry_result.setObjectName("fieldError")
        else:
            self.expiry_result.setText(self.tr("Gültig bis {date}.").format(date=when))

    def _show_name(self, verdict: MrzVerdict) -> None:
        if verdict.name is mrz.NameMatch.MATCH:
            self.name_result.setText(self.tr("Name stimmt mit dem Termin überein."))
        elif verdict.name is mrz.NameMatch.PARTIAL:
            self.name_result.setText(
                self.tr("Name stimmt teilweise überein: {mrz} / Termin: {name}").format(
                    mrz=verdict.zone_name, name=self._expected_name
                )
            )
            self.name_result.setObjectName("fieldError")
        else:
            self.name_result.setText(
                self.tr("Name weicht ab: {mrz} / Termin: {name}").format(
                    mrz=verdict.zone_name, name=self._expected_name
                )
            )
            self.name_result.setObjectName("fieldError")

    def _restyle(self) -> None:
        for widget in (self.mrz_result, self.expiry_result, self.name_result):
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    # --- outcome and closing ---------------------------------------------------------------

    def _document(self) -> IdentityDocument:
        return IdentityDocument(self.document_box.currentData())

    def _on_verified(self) -> None:
        self._on_outcome(
            IdentityIn(outcome=IdentityOutcome.VERIFIED, document_type=self._document())
        )
        self.accept()

    def _on_not_verified(self) -> None:
        self._on_outcome(
            IdentityIn(outcome=IdentityOutcome.NOT_VERIFIED, document_type=self._document())
        )
        self.accept()

    def done(self, result: int) -> None:
        self.wipe()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.wipe()
        super().closeEvent(event)

    def wipe(self) -> None:
        """Stop the analysis and overwrite every picture and zone text this dialog holds."""
        self._timer.stop()
        self._session.close()
        for image in self._images:
            image.fill(0)
        self._images.clear()
        self.still_view.clear()
        for target in (self.live_view, self.doc_face, self.live_face):
            target.clear()
        self.mrz_entry.clear()
