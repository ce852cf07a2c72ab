"""The statistics charts' axes: whole numbers for counts, readable ticks for small values,
and the newest period always labelled without running into the one before."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from advisor_app.ui.widgets.bar_chart import BarChart, Series

pytestmark = pytest.mark.gui

WEEKS = [f"KW {n}" for n in range(38, 50)]


def _chart(qtbot: QtBot, values: list[float | None], **options: object) -> BarChart:
    chart = BarChart("Termine", "Anzahl")
    qtbot.addWidget(chart)
    chart.set_data(WEEKS, [Series("durchgeführt", "#1f4e8c", values)], **options)  # type: ignore[arg-type]
    return chart


def test_counts_get_whole_ticks(qtbot: QtBot) -> None:
    chart = _chart(qtbot, [None] * 11 + [1.0], whole=True)
    assert chart.ticks() == [0.0, 1.0, 2.0]
    assert [chart.axis_text(v) for v in chart.ticks()] == ["0", "1", "2"]
    chart = _chart(qtbot, [None] * 11 + [1.0])  # not counts: halves are fine
    assert chart.ticks() == [0.0, 0.5, 1.0, 1.5]


def test_a_short_average_gets_distinct_tick_labels(qtbot: QtBot) -> None:
    chart = _chart(qtbot, [None] * 11 + [0.75])  # a 45-second call, in minutes
    labels = [chart.axis_text(v) for v in chart.ticks()]
    assert len(set(labels)) == len(labels), labels
    assert labels[:3] == ["0", "0,25", "0,5"]


def test_the_newest_period_is_labelled_and_never_next_to_another_label(qtbot: QtBot) -> None:
    chart = _chart(qtbot, [1.0] * 12)
    assert chart.labelled(1) == list(range(12))
    assert chart.labelled(2) == [1, 3, 5, 7, 9, 11]
    assert chart.labelled(3) == [2, 5, 8, 11]
