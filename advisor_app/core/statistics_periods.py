"""Anonymous statistics: coarse periods (ISO week, month) and the call's quality summary.

Nothing here knows a person or an appointment. Figures are kept per *segment*: the days that
belong to one ISO week **and** one calendar month (a week that spans two months has two
segments). A week's figure is the sum of its segments, a month's the sum of its own; no figure
is finer than a week, and no stored row is ordered or stamped by the time it was written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from advisor_app.core.call_quality import QualityLevel
from advisor_app.core.domain import BERLIN


class PeriodKind(StrEnum):
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class Segment:
    """The coarse place in time a figure is stored under."""

    iso_week: str  # "2026-W48"
    month: str  # "2026-11"


def week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_key(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def segment_of(moment: datetime | date) -> Segment:
    """The segment of a moment, by its date in Europe/Berlin (a date is taken as it is)."""
    day = moment.astimezone(BERLIN).date() if isinstance(moment, datetime) else moment
    return Segment(week_key(day), month_key(day))


def period_start(kind: PeriodKind, day: date) -> date:
    if kind is PeriodKind.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def previous_start(kind: PeriodKind, start: date) -> date:
    if kind is PeriodKind.WEEK:
        return start - timedelta(days=7)
    return (start - timedelta(days=1)).replace(day=1)


def period_key(kind: PeriodKind, start: date) -> str:
    return week_key(start) if kind is PeriodKind.WEEK else month_key(start)


def last_periods(kind: PeriodKind, today: date, count: int) -> list[tuple[str, date]]:
    """The ``count`` periods up to and including the one of ``today``, oldest first."""
    start = period_start(kind, today)
    out: list[tuple[str, date]] = []
    for _ in range(count):
        out.append((period_key(kind, start), start))
        start = previous_start(kind, start)
    return out[::-1]


#: The labels of a call's quality that are summed up (unknown time is not counted).
JUDGED_LEVELS = (QualityLevel.GOOD, QualityLevel.FAIR, QualityLevel.POOR)


@dataclass
class QualityTally:
    """Seconds of a call per quality label, from the samples the call page already reads.

    Each sample's label counts for the time since that participant's previous sample (at most
    ``max_gap_s``, so a pause in the readings does not count as minutes of one label).
    """

    max_gap_s: float = 10.0
    seconds: dict[QualityLevel, float] = field(default_factory=dict)
    _last: dict[int, float] = field(default_factory=dict)

    def add(self, participant_id: int, level: QualityLevel, now: float) -> None:
        last = self._last.get(participant_id)
        self._last[participant_id] = now
        if last is None or level is QualityLevel.UNKNOWN:
            return
        gap = min(max(now - last, 0.0), self.max_gap_s)
        self.seconds[level] = self.seconds.get(level, 0.0) + gap

    def whole_seconds(self) -> dict[QualityLevel, int]:
        return {level: round(self.seconds.get(level, 0.0)) for level in JUDGED_LEVELS}
