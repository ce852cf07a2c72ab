"""The rules of an appointment: what makes it valid, whom it clashes with, who a guest is.

The console's appointment form and the service ask these same functions, so the advisor never
sees the form accept what the service then refuses (or the other way round). Names, free texts
and e-mail addresses follow :mod:`advisor_app.core.domain`, which the protocol models apply to
every request as well.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from advisor_app.core.domain import (
    MAX_CUSTOMER_NUMBER_LENGTH,
    MAX_TOPIC_LENGTH,
    clean_email,
    clean_name,
    clean_text,
    overlaps,
    to_berlin,
)
from advisor_app.core.errors import RuleCode, RuleViolation

#: Starting a few minutes in the past is allowed (the advisor is typing while time passes).
PAST_TOLERANCE = timedelta(minutes=2)


def start_violation(
    starts_at: datetime, now: datetime, *, previous_start: datetime | None = None
) -> RuleViolation | None:
    """Why ``starts_at`` cannot be the appointment's start, or None.

    A start more than :data:`PAST_TOLERANCE` ago is refused, unless it is the start the
    appointment already has (``previous_start``: editing an appointment that has begun).
    """
    if previous_start is not None and starts_at == previous_start:
        return None
    if starts_at < now - PAST_TOLERANCE:
        return RuleViolation(
            RuleCode.IN_PAST,
            "Der Termin liegt in der Vergangenheit. Bitte wählen Sie einen späteren Beginn.",
        )
    return None


class Booked(Protocol):
    """An appointment in the calendar, as far as the overlap rule needs it."""

    @property
    def id(self) -> int: ...

    @property
    def starts_at(self) -> datetime: ...

    @property
    def duration_min(self) -> int: ...


B = TypeVar("B", bound=Booked)


def clashes(
    starts_at: datetime, duration_min: int, booked: Iterable[B], *, exclude_id: int | None = None
) -> list[B]:
    """The appointments of ``booked`` that share a minute with the new time (the appointment
    ``exclude_id`` itself never clashes with its own new time)."""
    return [
        b
        for b in booked
        if b.id != exclude_id and overlaps(b.starts_at, b.duration_min, starts_at, duration_min)
    ]


def overlap_violation(clashing: Sequence[Booked], *, allow_overlap: bool) -> RuleViolation | None:
    """The overlap refusal, unless nothing clashes or the advisor confirmed the overlap."""
    if not clashing or allow_overlap:
        return None
    first = min(b.starts_at for b in clashing)
    first_text = to_berlin(first).strftime("%H:%M")
    return RuleViolation(
        RuleCode.OVERLAP,
        f"Der Termin überschneidet sich mit {len(clashing)} anderen Termin(en) "
        f"(ab {first_text} Uhr).",
        count=len(clashing),
        first=first_text,
    )


def clean_topic(raw: str) -> str:
    """The topic as stored: one line, at most :data:`MAX_TOPIC_LENGTH` characters."""
    return clean_text(raw, max_length=MAX_TOPIC_LENGTH, what="Das Thema")


def clean_customer_number(raw: str | None) -> str | None:
    """The customer number as stored (None: none given)."""
    if raw is None:
        return None
    text = clean_text(raw, max_length=MAX_CUSTOMER_NUMBER_LENGTH, what="Die Kundennummer")
    return text or None


# --- the whole form -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GuestDraft:
    """A further participant as typed (the role is chosen from a list and always valid)."""

    name: str
    email: str = ""


@dataclass(frozen=True, slots=True)
class AppointmentDraft:
    """An appointment as typed into a form, before it becomes an ``AppointmentIn``."""

    starts_at: datetime
    citizen_name: str
    topic: str = ""
    customer_number: str = ""
    email: str = ""
    guests: Sequence[GuestDraft] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule and the field it is about, named as in the protocol
    (``starts_at``, ``citizen_name``, ``email``, ``guests.0.email``…)."""

    field: str
    violation: RuleViolation

    @property
    def code(self) -> RuleCode:
        return self.violation.code


def _check(
    problems: list[Problem], field_name: str, rule: Callable[[str], object], raw: str
) -> None:
    try:
        rule(raw)
    except RuleViolation as violation:
        problems.append(Problem(field_name, violation))


def appointment_problems(
    draft: AppointmentDraft, now: datetime, *, previous_start: datetime | None = None
) -> list[Problem]:
    """Every rule ``draft`` breaks, in the order of the form (empty: the service accepts it,
    overlaps aside, which only the calendar can tell)."""
    problems: list[Problem] = []
    late = start_violation(draft.starts_at, now, previous_start=previous_start)
    if late is not None:
        problems.append(Problem("starts_at", late))
    _check(problems, "topic", clean_topic, draft.topic)
    _check(problems, "citizen_name", clean_name, draft.citizen_name)
    _check(problems, "customer_number", clean_customer_number, draft.customer_number)
    _check(problems, "email", clean_email, draft.email)
    for i, guest in enumerate(draft.guests):
        _check(problems, f"guests.{i}.name", clean_name, guest.name)
        _check(problems, f"guests.{i}.email", clean_email, guest.email)
    return problems


# --- guests of a changed appointment ----------------------------------------------------------


class KnownGuest(Protocol):
    """A guest the appointment already has."""

    @property
    def id(self) -> int: ...

    @property
    def role(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def email(self) -> str | None: ...


class WantedGuest(Protocol):
    """A guest the changed appointment shall have."""

    @property
    def role(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def email(self) -> str | None: ...


K = TypeVar("K", bound=KnownGuest)


def match_guests(known: Sequence[K], wanted: Sequence[WantedGuest]) -> list[K | None]:
    """For each wanted guest the known one it continues, or None for a new guest.

    A wanted guest continues a known one of the same role with the same name or the same
    e-mail address (so correcting a typo in either keeps the guest's personal link); each
    known guest is continued at most once. The known guests no one continues leave.
    """
    taken: set[int] = set()
    matches: list[K | None] = []
    for guest in wanted:
        match = next(
            (
                k
                for k in known
                if k.id not in taken
                and str(k.role) == str(guest.role)
                and (k.name == guest.name or (bool(k.email) and k.email == guest.email))
            ),
            None,
        )
        if match is not None:
            taken.add(match.id)
        matches.append(match)
    return matches
