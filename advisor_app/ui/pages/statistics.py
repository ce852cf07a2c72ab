"""Statistik: anonymous figures per week or month, as charts for a slide, with PNG/CSV export.

Nothing on this page names a person, an advisor or an appointment: the service answers only
counters per period (see ``server/statistics.py``).
"""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.client.service_client import ServiceClient
from advisor_app.core.protocol import PeriodFigures, StatisticsOut
from advisor_app.core.statistics_periods import PeriodKind
from advisor_app.ui.tasks import Failure, TaskRunner
from advisor_app.ui.team_directory import TeamDirectory
from advisor_app.ui.widgets.bar_chart import BarChart, Series
from advisor_app.ui.widgets.message_bar import MessageBar

# How many weeks or months the charts show.
PERIODS = {PeriodKind.WEEK: 12, PeriodKind.MONTH: 12}
HELD, NO_SHOW = "#1d4f91", "#c77700"
GOOD, FAIR, POOR = "#2e7d32", "#e0a100", "#c62828"
SATISFACTION, AV_QUALITY = "#1d4f91", "#6a8fc7"


PERIOD_BUTTON = (
    "QPushButton:checked { background: #1d4f91; color: #ffffff; border-color: #1d4f91; }"
)


def _decimal(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}".replace(".", ",")


class StatisticsPage(QWidget):
    """Anonymous figures of the whole service: held, no-shows, length, quality, survey."""

    def __init__(
        self,
        client: ServiceClient,
        runner: TaskRunner,
        *,
        teams: TeamDirectory | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._runner = runner
        self._teams = teams
        self.period = PeriodKind.WEEK
        #: The team whose figures are shown (None: the whole service, as before teams).
        self.team: int | None = None
        self.figures: list[PeriodFigures] = []
        self._setup_ui()
        if teams is not None:
            teams.changed.connect(self._on_teams_changed)
            self._on_teams_changed()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        title = QLabel(self.tr("Statistik"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        hint = QLabel(
            self.tr(
                "Anonyme Zahlen aller Videotermine dieses Dienstes, ohne Bezug zu Personen "
                "oder Terminen. Wochen und Monate nach deutscher Zeit."
            )
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)

        bar = QHBoxLayout()
        self.team_label = QLabel(self.tr("&Zahlen von:"))
        self.team_box = QComboBox()
        self.team_box.setAccessibleName(self.tr("Zahlen von"))
        self.team_box.addItem(self.tr("Alle Termine des Dienstes"), None)
        self.team_label.setBuddy(self.team_box)
        self.team_box.currentIndexChanged.connect(self._on_team_chosen)
        bar.addWidget(self.team_label)
        bar.addWidget(self.team_box)
        self.team_label.hide()
        self.team_box.hide()
        bar.addSpacing(12)
        bar.addWidget(QLabel(self.tr("Zeitraum:")))
        self.week_button = QPushButton(self.tr("Woche"))
        self.month_button = QPushButton(self.tr("Monat"))
        self._periods = QButtonGroup(self)
        for button, kind in (
            (self.week_button, PeriodKind.WEEK),
            (self.month_button, PeriodKind.MONTH),
        ):
            button.setCheckable(True)
            button.setProperty("period", kind.value)
            self._periods.addButton(button)
            bar.addWidget(button)
        self.week_button.setChecked(True)
        self.week_button.setStyleSheet(PERIOD_BUTTON)
        self.month_button.setStyleSheet(PERIOD_BUTTON)
        self._periods.buttonClicked.connect(self._on_period_clicked)
        bar.addStretch(1)
        self.refresh_button = QPushButton(self.tr("Aktualisieren"))
        self.refresh_button.clicked.connect(self._on_refresh_clicked)
        self.png_button = QPushButton(self.tr("Als PNG speichern …"))
        self.png_button.clicked.connect(self._on_png_clicked)
        self.csv_button = QPushButton(self.tr("Als CSV speichern …"))
        self.csv_button.clicked.connect(self._on_csv_clicked)
        for button in (self.refresh_button, self.png_button, self.csv_button):
            bar.addWidget(button)
        layout.addLayout(bar)
        self.message_bar = MessageBar(self)
        layout.addWidget(self.message_bar)

        self.charts = QWidget()
        self.charts.setObjectName("charts")
        self.charts.setStyleSheet("QWidget#charts { background: #ffffff; }")
        grid = QGridLayout(self.charts)
        grid.setContentsMargins(8, 8, 8, 8)
        grid.setSpacing(12)
        self.appointments_chart = BarChart(self.tr("Termine"), self.tr("Anzahl"))
        self.duration_chart = BarChart(
            self.tr("Durchschnittliche Gesprächsdauer"), self.tr("Minuten")
        )
        self.quality_chart = BarChart(
            self.tr("Verbindungsqualität (Anteil der Gesprächszeit)"), self.tr("Prozent")
        )
        self.survey_chart = BarChart(
            self.tr("Umfrage: Durchschnitt der Antworten"), self.tr("1 = schlecht, 5 = sehr gut")
        )
        grid.addWidget(self.appointments_chart, 0, 0)
        grid.addWidget(self.duration_chart, 0, 1)
        grid.addWidget(self.quality_chart, 1, 0)
        grid.addWidget(self.survey_chart, 1, 1)
        layout.addWidget(self.charts, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.summary)
        self._set_busy(False)

    # --- data -------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        self._runner.run(
            "statistics",
            self._client.statistics(self.period, PERIODS[self.period], team=self.team),
            on_done=self._on_loaded,
            on_error=self._on_load_failed,
            owner=self,
        )

    def label(self, figures: PeriodFigures) -> str:
        """ "KW 48" or "Nov 2026": what the charts write under a period."""
        start = figures.starts_on
        if self.period is PeriodKind.WEEK:
            return self.tr("KW {week}").format(week=start.isocalendar()[1])
        return f"{self._month_names()[start.month - 1]} {start.year}"

    def _month_names(self) -> list[str]:
        return self.tr("Jan Feb Mär Apr Mai Jun Jul Aug Sep Okt Nov Dez").split()

    def _long_label(self, figures: PeriodFigures) -> str:
        start = figures.starts_on
        if self.period is PeriodKind.WEEK:
            year, week, _ = start.isocalendar()
            return self.tr("KW {week}/{year}").format(week=week, year=year)
        return f"{self._month_names()[start.month - 1]} {start.year}"

    def _show(self) -> None:
        labels = [self.label(f) for f in self.figures]
        none = self.tr("Noch keine Zahlen in diesem Zeitraum")
        self.appointments_chart.set_data(
            labels,
            [
                Series(self.tr("durchgeführt"), HELD, [float(f.held) for f in self.figures]),
                Series(
                    self.tr("nicht erschienen"), NO_SHOW, [float(f.no_show) for f in self.figures]
                ),
            ],
            whole=True,
            empty_text=none,
        )
        self.duration_chart.set_data(
            labels,
            [Series(self.tr("Minuten"), HELD, [f.avg_duration_min for f in self.figures])],
            value_text=lambda v: _decimal(v, 0 if v >= 10 else 1),
            empty_text=none,
        )
        shares = [self.quality_shares(f) for f in self.figures]
        self.quality_chart.set_data(
            labels,
            [
                Series(self.tr("gut"), GOOD, [s[0] for s in shares]),
                Series(self.tr("mittel"), FAIR, [s[1] for s in shares]),
                Series(self.tr("schlecht"), POOR, [s[2] for s in shares]),
            ],
            stacked=True,
            maximum=100.0,
            tick=25.0,
            value_text=lambda v: f"{v:.0f}",
            empty_text=none,
        )
        self.survey_chart.set_data(
            labels,
            [
                Series(
                    self.tr("Zufriedenheit"),
                    SATISFACTION,
                    [f.survey.satisfaction_avg for f in self.figures],
                ),
                Series(
                    self.tr("Ton und Bild"),
                    AV_QUALITY,
                    [f.survey.av_quality_avg for f in self.figures],
                ),
            ],
            maximum=5.0,
            tick=1.0,
            value_text=lambda v: _decimal(v),
            axis_text=lambda v: f"{v:.0f}",
            empty_text=self.tr("Noch keine Antworten in diesem Zeitraum"),
        )
        self.summary.setText(self._summary())

    @staticmethod
    def quality_shares(figures: PeriodFigures) -> tuple[float | None, float | None, float | None]:
        """Per cent of the judged call time that was gut / mittel / schlecht."""
        q = figures.quality_s
        total = q.good + q.fair + q.poor
        if not total:
            return None, None, None
        return q.good * 100 / total, q.fair * 100 / total, q.poor * 100 / total

    def _summary(self) -> str:
        held = sum(f.held for f in self.figures)
        no_show = sum(f.no_show for f in self.figures)
        answers = sum(f.survey.responses for f in self.figures)
        yes = sum(f.survey.use_again_yes for f in self.figures)
        asked = yes + sum(f.survey.use_again_no + f.survey.use_again_unsure for f in self.figures)
        held_text = (
            self.tr("1 Termin durchgeführt")
            if held == 1
            else self.tr("{n} Termine durchgeführt").format(n=held)
        )
        answers_text = (
            self.tr("1 Antwort in der Umfrage")
            if answers == 1
            else self.tr("{n} Antworten in der Umfrage").format(n=answers)
        )
        text = self.tr("Gezeigter Zeitraum: {held}, {no_show} nicht erschienen, {answers}.").format(
            held=held_text, no_show=no_show, answers=answers_text
        )
        if asked:
            text += " " + self.tr(
                "{share} % würden wieder einen Termin per Video wahrnehmen."
            ).format(share=round(yes * 100 / asked))
        return text

    # --- export -----------------------------------------------------------------------------

    def export_png(self, path: Path) -> bool:
        """The four charts as one picture, at twice the screen's resolution (for slides)."""
        scale = 2.0
        size = self.charts.size()
        pixmap = QPixmap(int(size.width() * scale), int(size.height() * scale))
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.white)
        self.charts.render(pixmap)
        return pixmap.save(str(path), "PNG")

    def csv_rows(self) -> list[list[str]]:
        header = [
            self.tr("Zeitraum"),
            self.tr("Beginn"),
            self.tr("Termine durchgeführt"),
            self.tr("Nicht erschienen"),
            self.tr("Durchschnittliche Dauer (Minuten)"),
            self.tr("Verbindung gut (%)"),
            self.tr("Verbindung mittel (%)"),
            self.tr("Verbindung schlecht (%)"),
            self.tr("Antworten Umfrage"),
            self.tr("Zufriedenheit (Durchschnitt 1–5)"),
            self.tr("Ton und Bild (Durchschnitt 1–5)"),
            self.tr("Wieder per Video: ja"),
            self.tr("Wieder per Video: nein"),
            self.tr("Wieder per Video: weiß nicht"),
        ]
        rows = [header]
        for f in self.figures:
            good, fair, poor = self.quality_shares(f)
            rows.append(
                [
                    self._long_label(f),
                    f.starts_on.strftime("%d.%m.%Y"),
                    str(f.held),
                    str(f.no_show),
                    _decimal(f.avg_duration_min),
                    _decimal(good),
                    _decimal(fair),
                    _decimal(poor),
                    str(f.survey.responses),
                    _decimal(f.survey.satisfaction_avg, 2),
                    _decimal(f.survey.av_quality_avg, 2),
                    str(f.survey.use_again_yes),
                    str(f.survey.use_again_no),
                    str(f.survey.use_again_unsure),
                ]
            )
        return rows

    def export_csv(self, path: Path) -> None:
        """Semicolons and decimal commas, UTF-8 with BOM: opens as it is in German Excel."""
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            csv.writer(out, delimiter=";").writerows(self.csv_rows())

    def _save_path(self, caption: str, name: str, filter_text: str) -> Path | None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        chosen, _ = QFileDialog.getSaveFileName(
            self, caption, str(Path(folder) / name), filter_text
        )
        return Path(chosen) if chosen else None

    def _file_stem(self) -> str:
        unit = self.tr("Wochen") if self.period is PeriodKind.WEEK else self.tr("Monate")
        last = self.figures[-1].key if self.figures else ""
        name = self.tr("Videotermine-Statistik")
        return f"{name}-{unit}-{last}".rstrip("-")

    def _set_busy(self, busy: bool) -> None:
        self.refresh_button.setEnabled(not busy)
        for button in (self.png_button, self.csv_button):
            button.setEnabled(not busy and bool(self.figures))

    # --- Qt events and slots ----------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        if self._teams is not None:
            self._teams.refresh()  # the teams this advisor leads

    def _on_period_clicked(self, button: QPushButton) -> None:
        kind = PeriodKind(button.property("period"))
        if kind is not self.period:
            self.period = kind
            self.refresh()

    def _on_teams_changed(self) -> None:
        """A team lead chooses between the own figures and each led team's."""
        led = self._teams.led() if self._teams is not None else []
        wanted = [(None, self.tr("Alle Termine des Dienstes"))] + [
            (t.id, self.tr("Team {name}").format(name=t.name)) for t in led
        ]
        box = self.team_box
        have = [(box.itemData(i), box.itemText(i)) for i in range(box.count())]
        if have != wanted:
            self.team_box.blockSignals(True)
            self.team_box.clear()
            for team_id, text in wanted:
                self.team_box.addItem(text, team_id)
            index = self.team_box.findData(self.team)
            self.team_box.setCurrentIndex(max(index, 0))
            self.team_box.blockSignals(False)
            if index < 0 and self.team is not None:
                self.team = None
                self.refresh()
        self.team_label.setVisible(bool(led))
        self.team_box.setVisible(bool(led))

    def _on_team_chosen(self, index: int) -> None:
        team = self.team_box.itemData(index)
        self.team = int(team) if team is not None else None
        self.refresh()

    def _on_refresh_clicked(self) -> None:
        self.refresh()

    def _on_loaded(self, result: StatisticsOut) -> None:
        if result.period is not self.period:
            return  # an answer for the period switched away from
        self.figures = list(result.periods)
        self.message_bar.clear()
        self._show()
        self._set_busy(False)

    def _on_load_failed(self, failure: Failure) -> None:
        self._set_busy(False)
        self.message_bar.show_error(
            self.tr("Die Statistik konnte nicht geladen werden: {reason}").format(
                reason=failure.message
            )
        )

    def _on_png_clicked(self) -> None:
        path = self._save_path(
            self.tr("Diagramme speichern"), f"{self._file_stem()}.png", self.tr("PNG-Bild (*.png)")
        )
        if path is None:
            return
        if self.export_png(path):
            self.message_bar.show_note(self.tr("Die Diagramme wurden gespeichert."))
        else:
            self.message_bar.show_error(self.tr("Die Datei konnte nicht gespeichert werden."))

    def _on_csv_clicked(self) -> None:
        path = self._save_path(
            self.tr("Zahlen speichern"), f"{self._file_stem()}.csv", self.tr("CSV-Datei (*.csv)")
        )
        if path is None:
            return
        try:
            self.export_csv(path)
        except OSError as exc:
            self.message_bar.show_error(
                self.tr("Die Datei konnte nicht gespeichert werden: {reason}").format(
                    reason=exc.strerror or str(exc)
                )
            )
            return
        self.message_bar.show_note(self.tr("Die Zahlen wurden gespeichert."))
