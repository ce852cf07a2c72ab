"""A 24-hour time field whose minutes move in 5-minute steps (arrow keys, wheel, buttons)."""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QDateTimeEdit, QTimeEdit, QWidget

STEP_MIN = 5


class StepTimeEdit(QTimeEdit):
    """``HH:mm``; stepping the minutes goes to the next multiple of five."""

    def __init__(self, parent: QWidget | None = None, step_min: int = STEP_MIN) -> None:
        super().__init__(parent)
        self._step = step_min
        self.setDisplayFormat("HH:mm")
        self.setWrapping(True)
        self.setCurrentSection(QDateTimeEdit.Section.MinuteSection)

    def stepBy(self, steps: int) -> None:
        if self.currentSection() is not QDateTimeEdit.Section.MinuteSection:
            super().stepBy(steps)
            return
        minutes = self.time().hour() * 60 + self.time().minute()
        if steps > 0:
            minutes = (minutes // self._step + steps) * self._step
        else:
            minutes = (-(-minutes // self._step) + steps) * self._step
        minutes %= 24 * 60
        self.setTime(QTime(minutes // 60, minutes % 60))
