"""When a personal link opens the room, when it expires, when a dial-in code works."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from advisor_app.core.timewindow import AppointmentWindow, LinkState

pytestmark = pytest.mark.unit

START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
WINDOW = AppointmentWindow(starts_at=START, duration_min=30, grace_min=15)


@pytest.mark.parametrize(
    ("offset", "state"),
    [
        (timedelta(days=-3), LinkState.DEVICE_TEST_ONLY),
        (timedelta(minutes=-5, seconds=-1), LinkState.DEVICE_TEST_ONLY),
        (timedelta(minutes=-5), LinkState.ROOM_OPEN),  # "frühestens fünf Minuten vor Beginn"
        (timedelta(0), LinkState.ROOM_OPEN),
        (timedelta(minutes=44, seconds=59), LinkState.ROOM_OPEN),  # end + grace not reached
        (timedelta(minutes=45), LinkState.EXPIRED),
        (timedelta(days=1), LinkState.EXPIRED),
    ],
)
def test_link_state_over_time(offset: timedelta, state: LinkState) -> None:
    assert WINDOW.link_state(START + offset) is state


def test_window_times() -> None:
    assert WINDOW.ends_at == START + timedelta(minutes=30)
    assert WINDOW.room_opens_at == START - timedelta(minutes=5)
    assert WINDOW.room_closes_at == START + timedelta(minutes=45)


@pytest.mark.parametrize(
    ("offset", "valid"),
    [
        (timedelta(minutes=-31), False),
        (timedelta(minutes=-30), True),
        (timedelta(minutes=10), True),
        (timedelta(minutes=44), True),
        (timedelta(minutes=45), False),
    ],
)
def test_dial_code_only_works_around_the_appointment(offset: timedelta, valid: bool) -> None:
    assert WINDOW.code_valid(START + offset) is valid


def test_no_grace_expires_exactly_at_the_end() -> None:
    window = AppointmentWindow(starts_at=START, duration_min=30, grace_min=0)
    assert window.link_state(START + timedelta(minutes=29)) is LinkState.ROOM_OPEN
    assert window.link_state(START + timedelta(minutes=30)) is LinkState.EXPIRED
