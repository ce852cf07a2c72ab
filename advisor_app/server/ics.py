"""Calendar attachment (RFC 5545) for invitations, updates and cancellations."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vText

from advisor_app.core.domain import MailKind


def build_ics(
    *,
    uid: str,
    sequence: int,
    kind: MailKind,
    starts_at: datetime,
    duration_min: int,
    summary: str,
    description: str,
    url: str | None,
    organizer_email: str,
    organizer_name: str,
    attendee_email: str,
    attendee_name: str,
    now: datetime,
) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Advisor Console//Videotermin//DE")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if kind is MailKind.CANCEL else "REQUEST")
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", now)
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + timedelta(minutes=duration_min))
    event.add("summary", summary)
    event.add("description", description)
    if url and kind is not MailKind.CANCEL:
        event.add("url", url)
    event.add("status", "CANCELLED" if kind is MailKind.CANCEL else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{organizer_email}")
    organizer.params["cn"] = vText(organizer_name)
    event["organizer"] = organizer
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params["cn"] = vText(attendee_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee, encode=False)
    cal.add_component(event)
    return bytes(cal.to_ical())
