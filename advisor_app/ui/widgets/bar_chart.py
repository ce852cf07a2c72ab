"""A small bar chart for the statistics page: grouped or stacked bars, labelled axes, legend.

Painted with QPainter (see docs/decisions.md: QtCharts would pull in PySide6-Addons, 175 MB).
Built for slides: white background, a title, the unit on the value axis, values on the bars.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

TEXT = QColor("#1f2a37")
MUTED = QColor("#5b6573")
GRID = QColor("#e3e7ed")
AXIS = QColor("#9aa4b1")


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    colour: str
    values: list[float | None]


def nice_step(maximum: float, ticks: int = 4) -> float:
    """A round tick distance (1, 2, 2.5 or 5 × 10ⁿ) so that ``ticks`` steps cover ``maximum``."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    power = float(10.0 ** math.floor(math.log10(raw)))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= factor * power:
            return factor * power
    return 10.0 * power


def _plain(value: float) -> str:
    return f"{value:g}".replace(".", ",")


class BarChart(QWidget):
    """One chart: categories along the bottom, one bar per series (or one stack)."""

    def __init__(self, title: str, axis_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.axis_label = axis_label
        self.categories: list[str] = []
        self.series: list[Series] = []
        self.stacked = False
        self.maximum: float | None = None
        self.value_text: Callable[[float], str] = _plain
        self.empty_text = ""
        self.tick: float | None = None
        self.whole = False
        self.axis_text: Callable[[float], str] = _plain
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(360, 240)
        self.setAccessibleName(title)

    def sizeHint(self) -> QSize:
        return QSize(560, 320)

    def set_data(
        self,
        categories: list[str],
        series: list[Series],
        *,
        stacked: bool = False,
        maximum: float | None = None,
        value_text: Callable[[float], str] = _plain,
        axis_text: Callable[[float], str] | None = None,
        tick: float | None = None,
        whole: bool = False,
        empty_text: str = "",
    ) -> None:
        """Show new figures; ``maximum`` and ``tick`` fix the value axis (e.g. 5 and 1 for a
        1–5 scale); ``value_text`` writes the values on the bars, ``axis_text`` the ticks
        (round numbers, written as they are unless given); ``whole``: counts, whole ticks."""
        self.categories = categories
        self.series = series
        self.stacked = stacked
        self.maximum = maximum
        self.value_text = value_text
        self.axis_text = axis_text or _plain
        self.tick = tick
        self.whole = whole
        self.empty_text = empty_text
        parts = [
            f"{c}: " + ", ".join(f"{s.name} {self._shown(s.values[i])}" for s in series)
            for i, c in enumerate(categories)
        ]
        self.setAccessibleDescription("; ".join(parts))
        self.update()

    def _shown(self, value: float | None) -> str:
        return "–" if value is None else self.value_text(value)

    @property
    def has_data(self) -> bool:
        return any(v for s in self.series for v in s.values)

    def _top(self) -> float:
        if self.maximum is not None:
            return self.maximum
        if self.stacked:
            sums = [
                sum(s.values[i] or 0.0 for s in self.series) for i in range(len(self.categories))
            ]
            peak = max(sums, default=0.0)
        else:
            peak = max((v or 0.0 for s in self.series for v in s.values), default=0.0)
        step = self._step(peak * 1.1)  # room above the highest bar for its value
        return max(step, math.ceil(peak * 1.1 / step) * step)

    def _step(self, top: float) -> float:
        step = nice_step(top)
        return max(1.0, math.ceil(step)) if self.whole else step

    # --- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        base = QFont(self.font())
        bold = QFont(base)
        bold.setBold(True)
        bold.setPointSizeF(base.pointSizeF() * 1.15)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.9)
        metrics = QFontMetricsF(small)
        line = metrics.height()

        painter.setFont(bold)
        painter.setPen(TEXT)
        title_h = QFontMetricsF(bold).height()
        painter.drawText(QRectF(12, 8, self.width() - 24, title_h), self.title)
        legend_y = 8 + title_h + 4
        self._paint_legend(painter, small, legend_y)

        top = legend_y + line + 10
        bottom = self.height() - 8 - line * 1.2
        axis_w = metrics.horizontalAdvance(self.axis_text(self._top())) + 10
        left = 12 + line + 4 + axis_w  # the rotated axis title, then the tick labels
        right = self.width() - 14
        plot = QRectF(left, top, max(right - left, 10), max(bottom - top, 10))
        self._paint_axes(painter, small, plot, line)
        if not self.has_data:
            painter.setFont(base)
            painter.setPen(MUTED)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.empty_text)
        else:
            self._paint_bars(painter, small, plot)
        painter.end()

    def _paint_legend(self, painter: QPainter, font: QFont, y: float) -> None:
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        x = 12.0
        box = metrics.height() * 0.7
        for series in self.series:
            painter.fillRect(
                QRectF(x, y + (metrics.height() - box) / 2, box, box), QColor(series.colour)
            )
            x += box + 5
            painter.setPen(TEXT)
            painter.drawText(QPointF(x, y + metrics.ascent()), series.name)
            x += metrics.horizontalAdvance(series.name) + 16

    def _paint_axes(self, painter: QPainter, font: QFont, plot: QRectF, line: float) -> None:
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        top = self._top()
        for value in self.ticks():
            y = plot.bottom() - value / top * plot.height()
            painter.setPen(QPen(GRID if value else AXIS, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(MUTED)
            text = self.axis_text(value)
            painter.drawText(
                QRectF(plot.left() - 200 - 6, y - line / 2, 200, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        # The unit, rotated along the value axis.
        painter.save()
        painter.translate(12 + metrics.ascent(), plot.center().y())
        painter.rotate(-90)
        painter.setPen(MUTED)
        width = plot.height()
        painter.drawText(
            QRectF(-width / 2, -metrics.ascent(), width, line),
            Qt.AlignmentFlag.AlignCenter,
            self.axis_label,
        )
        painter.restore()
        # Category labels.
        count = max(len(self.categories), 1)
        slot = plot.width() / count
        every = max(
            1,
            math.ceil(
                max((metrics.horizontalAdvance(c) for c in self.categories), default=0)
                / max(slot - 4, 1)
            ),
        )
        painter.setPen(TEXT)
        for i in self.labelled(every):
            painter.drawText(
                QRectF(plot.left() + i * slot - slot, plot.bottom() + 3, slot * 3, line),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                self.categories[i],
            )

    def ticks(self) -> list[float]:
        """The values written along the value axis, from 0 to the axis' top."""
        top = self._top()
        step = self.tick or self._step(top)
        count = int(top / step + 1e-9)
        return [i * step for i in range(count + 1)]

    def labelled(self, every: int) -> list[int]:
        """Which categories get a label when only every ``every``-th fits: counted from the
        newest period, which is always labelled, so the last two never run into each other."""
        last = len(self.categories) - 1
        return [i for i in range(last + 1) if (last - i) % every == 0]

    def _paint_bars(self, painter: QPainter, font: QFont, plot: QRectF) -> None:
        top = self._top()
        count = max(len(self.categories), 1)
        slot = plot.width() / count
        group = slot * 0.72
        metrics = QFontMetricsF(font)
        painter.setFont(font)
        lanes = 1 if self.stacked else max(len(self.series), 1)
        bar_w = group / lanes
        for i in range(len(self.categories)):
            x0 = plot.left() + i * slot + (slot - group) / 2
            stack = 0.0
            for lane, series in enumerate(self.series):
                value = series.values[i] if i < len(series.values) else None
                if not value:
                    continue
                height = value / top * plot.height()
                if self.stacked:
                    rect = QRectF(x0, plot.bottom() - stack - height, group, height)
                    stack += height
                else:
                    rect = QRectF(x0 + lane * bar_w + 1, plot.bottom() - height, bar_w - 2, height)
                painter.fillRect(rect, QColor(series.colour))
                text = self.value_text(value)
                fits = metrics.horizontalAdvance(text) <= rect.width() + 2
                if self.stacked and fits and rect.height() >= metrics.height():
                    painter.setPen(QColor("#ffffff"))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
                elif not self.stacked and fits:
                    painter.setPen(TEXT)
                    painter.drawText(
                        QRectF(
                            rect.left() - 20,
                            rect.top() - metrics.height(),
                            rect.width() + 40,
                            metrics.height(),
                        ),
                        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                        text,
                    )
