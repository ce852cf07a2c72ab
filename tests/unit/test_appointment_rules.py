"""The appointment's rules in core: start, overlap, names, e-mail, guest matching."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from advisor_app.core.appointments import (
    PAST_TOLERANCE,
    AppointmentDraft,
    GuestDraft,
    appointment_problems,
    clashes,
    match_guests,
    overlap_violation,
    start_violation,
)
from advisor_app.core.domain import MAX_NAME_LENGTH, MAX_TOPIC_LENGTH, Role, clean_email
from advisor_app.core.errors import RuleCode, RuleViolation

pytestmark = pytest.mark.unit

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # 11:00 in Berlin


@pytest.mark.parametrize(
    ("offset", "refused"),
    [
        (timedelta(hours=1), False),
        (timedelta(0), False),
        (-timedelta(minutes=1), False),  # the advisor was typing
        (-PAST_TOLERANCE, False),
        (-PAST_TOLERANCE - timedelta(seconds=1), True),
        (-timedelta(days=400), True),
    ],
)
def test_a_start_in_the_past_is_refused_after_two_minutes(offset: timedelta, refused: bool) -> None:
    violation = start_violation(NOW + offset, NOW)
    assert (violation is not None) is refused
    if violation is not None:
        assert violation.code is RuleCode.IN_PAST


def test_an_appointment_that_has_begun_keeps_its_start() -> None:
    began = NOW - timedelta(minutes=20)
    assert start_violation(began, NOW, previous_start=began) is None
    moved = start_violation(began - timedelta(minutes=5), NOW, previous_start=began)
    assert moved is not None and moved.code is RuleCode.IN_PAST


@dataclass
class Slot:
    id: int
    starts_at: datetime
    duration_min: int


def test_clashes_and_the_overlap_refusal() -> None:
    booked = [
        Slot(1, NOW, 30),
        Slot(2, NOW + timedelta(minutes=30), 30),  # back to back with the new one
        Slot(3, NOW - timedelta(minutes=15), 30),
    ]
    clashing = clashes(NOW + timedelta(minutes=5), 25, booked)
    assert [s.id for s in clashing] == [1, 3]
    assert [s.id for s in clashes(NOW, 30, booked, exclude_id=1)] == [3]

    violation = overlap_violation(clashing, allow_overlap=False)
    assert violation is not None
    assert violation.code is RuleCode.OVERLAP
    assert violation.params == {"count": 2, "first": "10:45"}  # the earliest, Berlin time
    assert overlap_violation(clashing, allow_overlap=True) is None
    assert overlap_violation([], allow_overlap=False) is None


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("  erika@example.org ", "erika@example.org"),
        ("erika@bücher.de", "erika@bücher.de"),  # an IDN domain: mailed to its ASCII form
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_email_addresses_that_are_accepted(raw: str | None, stored: str | None) -> None:
    assert clean_email(raw) == stored


@pytest.mark.parametrize("raw", ["keine-adresse", "a@@b", "jürgen@example.de", "erika@"])
def test_email_addresses_that_are_refused(raw: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        clean_email(raw)
    assert caught.value.code is RuleCode.EMAIL_INVALID
    assert caught.value.params == {"value": raw}


def _draft(**fields: object) -> AppointmentDraft:
    values: dict[str, object] = {"starts_at": NOW + timedelta(hours=1), "citizen_name": "Erika"}
    values.update(fields)
    return AppointmentDraft(**values)  # type: ignore[arg-type]


def test_a_good_draft_has_no_problems() -> None:
    draft = _draft(
        topic="Weiterbewilligung",
        customer_number="123D456",
        email="erika@example.org",
        guests=(GuestDraft("Ayşe Yılmaz", "ayse@example.org"), GuestDraft("Dolmetscher")),
    )
    assert appointment_problems(draft, NOW) == []


def test_every_broken_rule_is_named_with_its_field() -> None:
    draft = _draft(
        starts_at=NOW - timedelta(hours=1),
        topic="x" * (MAX_TOPIC_LENGTH + 1),
        citizen_name="  ",
        customer_number="12\x00",
        email="jürgen@example.de",
        guests=(
            GuestDraft("", "gast@example.org"),
            GuestDraft("x" * (MAX_NAME_LENGTH + 1), "a@@b"),
            GuestDraft("Erika\u202eMustermann"),
        ),
    )
    found = [(p.field, p.code) for p in appointment_problems(draft, NOW)]
    assert found == [
        ("starts_at", RuleCode.IN_PAST),
        ("topic", RuleCode.TEXT_TOO_LONG),
        ("citizen_name", RuleCode.NAME_MISSING),
        ("customer_number", RuleCode.TEXT_CONTROL_CHARACTERS),
        ("email", RuleCode.EMAIL_INVALID),
        ("guests.0.name", RuleCode.NAME_MISSING),
        ("guests.1.name", RuleCode.NAME_TOO_LONG),
        ("guests.1.email", RuleCode.EMAIL_INVALID),
        ("guests.2.name", RuleCode.NAME_CONTROL_CHARACTERS),
    ]
    too_long = appointment_problems(draft, NOW)[1].violation
    assert too_long.params == {"max_length": MAX_TOPIC_LENGTH}


def test_editing_keeps_a_start_that_has_passed() -> None:
    began = NOW - timedelta(minutes=20)
    assert appointment_problems(_draft(starts_at=began), NOW, previous_start=began) == []


@dataclass
class Known:
    id: int
    role: str
    name: str
    email: str | None


@dataclass
class Wanted:
    role: Role
    name: str
    email: str | None = None


def test_guests_are_matched_by_role_and_name_or_email() -> None:
    known = [
        Known(1, "interpreter", "Ayşe Yılmaz", "ayse@example.org"),
        Known(2, "legal_representative", "Dr. Kurz", None),
        Known(3, "other", "Tante Erna", None),
    ]
    wanted = [
        Wanted(Role.INTERPRETER, "Ayse Yilmaz", "ayse@example.org"),  # name corrected
        Wanted(Role.LEGAL_REPRESENTATIVE, "Dr. Kurz", "kurz@example.org"),  # e-mail added
        Wanted(Role.SUPPORT_PERSON, "Tante Erna"),  # another role: a new guest
        Wanted(Role.INTERPRETER, "Ayşe Yılmaz"),  # already continued once: new
    ]
    matched = match_guests(known, wanted)
    assert [m.id if m else None for m in matched] == [1, 2, None, None]


def test_guests_without_email_are_not_matched_by_a_missing_email() -> None:
    known = [Known(1, "other", "Herr A", None)]
    assert match_guests(known, [Wanted(Role.OTHER, "Herr B")]) == [None]
