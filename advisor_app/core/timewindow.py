"""Time windows around an appointment: when the room opens, when codes and links work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

#: The waiting room opens this long before the appointment (seeds: "frühestens fünf Minuten").
ROOM_OPENS_BEFORE = timedelta(minutes=5)
#: The dial-in code is accepted from this long before the start ...
CODE_VALID_BEFORE = timedelta(minutes=30)


class LinkState(StrEnum):
    """What a personal link can do at a given moment."""

    DEVICE_TEST_ONLY = "device_test_only"  # before the room opens: consent and device check
    ROOM_OPEN = "room_open"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class AppointmentWindow:
    """The times of one appointment and the rules derived from them."""

    starts_at: datetime
    duration_min: int
    grace_min: int

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_min)

    @property
    def room_opens_at(self) -> datetime:
        return self.starts_at - ROOM_OPENS_BEFORE

    @property
    def room_closes_at(self) -> datetime:
        return self.ends_at + timedelta(minutes=self.grace_min)

    def link_state(self, now: datetime) -> LinkState:
        if now >= self.room_closes_at:
            return LinkState.EXPIRED
        if now >= self.room_opens_at:
            return LinkState.ROOM_OPEN
        return LinkState.DEVICE_TEST_ONLY

    def code_valid(self, now: datetime) -> bool:
        """The short dial-in code only works around the appointment."""
        return self.starts_at - CODE_VALID_BEFORE <= now < self.room_closes_at
