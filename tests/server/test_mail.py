"""Invitations through a real SMTP server: what lands in the citizen's mailbox."""

from __future__ import annotations

import base64
import email
import logging
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from icalendar import Calendar

from advisor_app.config import Settings, SmtpSettings
from advisor_app.server import keys
from advisor_app.server.mail import OutboxTransport, SmtpTransport, transport_for
from advisor_app.storage.models import Participant
from tests.helpers.fixtures import MakeService
from tests.helpers.service import BASE_URL, MONDAY_11, Service, appointment_body
from tests.helpers.smtp import Credentials, Inbox, SmtpServer, free_port, parts, self_signed

pytestmark = [pytest.mark.service, pytest.mark.integration]


def plain_smtp(port: int, **extra: object) -> dict[str, object]:
    return {"smtp": {"host": "127.0.0.1", "port": port, "security": "none", **extra}}


def subject(msg: email.message.EmailMessage) -> str:
    # Python folds a 70-79 character subject onto a continuation line ("Subject:\r\n Text");
    # that is valid RFC 5322 and shows the same in mail programs, but Python's parser then
    # keeps the folding space.
    return str(msg["Subject"]).strip()


def calendar_of(msg: email.message.EmailMessage) -> Calendar:
    part = parts(msg)["text/calendar"]
    return Calendar.from_ical(part.get_content())


async def test_invitation_arrives_with_text_html_and_calendar(
    make_service: MakeService,
) -> None:
    with SmtpServer() as smtp:
        service = await make_service(
            **plain_smtp(smtp.port, from_address="videotermin@jobcenter.example.de")
        )
        token = await service.signed_in()
        appt = await service.create(token, customer_number="123D456789")
        await service.drain()
    [msg] = smtp.inbox.messages
    assert smtp.inbox.envelopes[0].rcpt_tos == ["erika@example.org"]
    assert smtp.inbox.encrypted == [False]  # security = "none" on this test server
    assert subject(msg) == "Einladung zu Ihrem Videotermin am Montag, 23. November 2026, 11:00 Uhr"
    assert msg["To"] == "Erika Mustermann <erika@example.org>"
    assert "videotermin@jobcenter.example.de" in msg["From"]
    assert msg["Content-Language"] == "de"
    found = parts(msg)
    assert set(found) == {"text/plain", "text/html", "text/calendar"}
    citizen = appt["participants"][0]
    text = found["text/plain"].get_content()
    assert "Guten Tag Erika Mustermann," in text
    assert citizen["link"] in text
    code = citizen["dial_code"]
    assert f"Ihr Einwahlcode: {code[:3]} {code[3:6]} {code[6:]}" in text
    assert "Ihr persönlicher Termin: Montag, 23. November 2026, 11:00 Uhr" in text
    assert "123D456789" not in text  # the customer number is not sent around
    html = found["text/html"].get_content()
    assert f'href="{citizen["link"]}"' in html
    calendar_part = found["text/calendar"]
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_filename() == "videotermin.ics"
    cal = calendar_of(msg)
    assert cal["METHOD"] == "REQUEST"
    [event] = cal.walk("VEVENT")
    assert event.decoded("DTSTART") == MONDAY_11
    raw_ics = calendar_part.get_content()
    assert "DTSTART:20261123T100000Z" in raw_ics
    assert "DTEND:20261123T103000Z" in raw_ics
    assert (
        str(event["UID"]) == f"appointment-{appt['id']}-participant-{citizen['id']}@advisor-console"
    )
    assert event.decoded("SEQUENCE") == 0
    assert str(event["URL"]) == citizen["link"]
    # the status is visible to the advisor
    assert (await service.get(token, appt["id"]))["participants"][0]["mail_status"] == "sent"


async def test_following_the_link_in_the_mail_opens_the_start_page(
    make_service: MakeService,
) -> None:
    with SmtpServer() as smtp:
        service = await make_service(**plain_smtp(smtp.port))
        token = await service.signed_in()
        await service.create(token)
        await service.drain()
    text = parts(smtp.inbox.messages[0])["text/plain"].get_content()
    link = next(word for word in text.split() if word.startswith(BASE_URL + "/j/"))
    status, html = await service.call("GET", link.removeprefix(BASE_URL))
    assert status == 200
    assert "Willkommen bei „Mein Videotermin“" in html
    assert "Montag, 23. November 2026, 11:00 Uhr" in html


async def test_english_invitation_and_guest_mails(make_service: MakeService) -> None:
    with SmtpServer() as smtp:
        service = await make_service(**plain_smtp(smtp.port))
        token = await service.signed_in()
        await service.create(
            token,
            language="en",
            email="citizen@example.org",
            guests=[
                {"name": "Dolmetscherin", "role": "interpreter", "email": "d@example.org"},
            ],
        )
        await service.drain()
    [en] = smtp.inbox.to("citizen@example.org")
    assert subject(en) == (
        "Invitation to your video appointment on Monday, 23 November 2026, 11:00 (German time)"
    )
    assert en["Content-Language"] == "en"
    assert "Hello Erika Mustermann," in parts(en)["text/plain"].get_content()
    [guest] = smtp.inbox.to("d@example.org")
    assert subject(guest).startswith("Einladung zu Ihrem Videotermin am Montag")
    assert "Sie nehmen an diesem Termin teil als: Dolmetschen." in (
        parts(guest)["text/plain"].get_content()
    )


async def test_html_mail_escapes_names(make_service: MakeService) -> None:
    with SmtpServer() as smtp:
        service = await make_service(**plain_smtp(smtp.port))
        token = await service.signed_in()
        await service.create(token, name='<script>alert("x")</script> & Co')
        await service.drain()
    [msg] = smtp.inbox.messages
    html = parts(msg)["text/html"].get_content()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp; Co" in html
    text = parts(msg)["text/plain"].get_content()
    assert 'Guten Tag <script>alert("x")</script> & Co,' in text


async def test_update_and_cancel_mails_carry_sequence_and_method(
    make_service: MakeService,
) -> None:
    with SmtpServer() as smtp:
        service = await make_service(**plain_smtp(smtp.port))
        token = await service.signed_in()
        appt = await service.create(token)
        await service.drain()
        status, _ = await service.call(
            "PUT",
            f"/api/appointments/{appt['id']}",
            token,
            json=appointment_body(MONDAY_11 + timedelta(days=1)),
        )
        assert status == 200
        await service.drain()
        await service.call("POST", f"/api/appointments/{appt['id']}/cancel", token)
        await service.drain()
    invite, update, cancel = smtp.inbox.messages
    uids = {str(calendar_of(m).walk("VEVENT")[0]["UID"]) for m in (invite, update, cancel)}
    assert len(uids) == 1  # the calendar program updates one entry
    assert subject(update) == "Geänderter Videotermin: Dienstag, 24. November 2026, 11:00 Uhr"
    update_event = calendar_of(update).walk("VEVENT")[0]
    assert update_event.decoded("SEQUENCE") == 1
    assert update_event.decoded("DTSTART") == MONDAY_11 + timedelta(days=1)
    assert subject(cancel) == "Abgesagt: Ihr Videotermin am Dienstag, 24. November 2026, 11:00 Uhr"
    assert parts(cancel)["text/calendar"].get_param("method") == "CANCEL"
    cal = calendar_of(cancel)
    assert cal["METHOD"] == "CANCEL"
    event = cal.walk("VEVENT")[0]
    assert event.decoded("SEQUENCE") == 2
    assert str(event["STATUS"]) == "CANCELLED"
    text = parts(cancel)["text/plain"].get_content()
    assert "wurde leider abgesagt" in text
    assert "/j/" not in text  # no link that no longer works


async def test_smtp_down_keeps_the_appointment_and_resend_works_later(
    make_service: MakeService,
) -> None:
    port = free_port()  # nothing listens here yet
    service = await make_service(**plain_smtp(port))
    token = await service.signed_in()
    appt = await service.create(token)
    await service.drain()
    stored = await service.get(token, appt["id"])
    citizen = stored["participants"][0]
    assert stored["status"] == "scheduled"
    assert citizen["mail_status"] == "failed"
    assert citizen["mail_error"] == (
        f"Der Mailserver 127.0.0.1:{port} ist nicht erreichbar. Bitte später erneut senden."
    )
    _, mails = await service.call("GET", "/api/mails", token)
    assert mails["mails"][0]["status"] == "failed"
    with SmtpServer(port=port) as smtp:
        status, _ = await service.call("POST", f"/api/appointments/{appt['id']}/invitations", token)
        assert status == 202
        await service.drain()
    assert len(smtp.inbox.messages) == 1
    citizen = (await service.get(token, appt["id"]))["participants"][0]
    assert citizen["mail_status"] == "sent"
    assert citizen["mail_error"] is None


async def test_refused_recipient_shows_the_servers_reason(make_service: MakeService) -> None:
    inbox = Inbox(refuse={"erika@example.org": "550 5.1.1 Mailbox unbekannt"})
    with SmtpServer(inbox) as smtp:
        service = await make_service(**plain_smtp(smtp.port))
        token = await service.signed_in()
        appt = await service.create(
            token, guests=[{"name": "Gast", "role": "other", "email": "gast@example.org"}]
        )
        await service.drain()
    stored = await service.get(token, appt["id"])
    citizen, guest = stored["participants"]
    assert citizen["mail_status"] == "failed"
    assert (
        "Der Mailserver hat die Empfängeradresse erika@example.org abgelehnt"
        in (citizen["mail_error"])
    )
    assert "550 5.1.1 Mailbox unbekannt" in citizen["mail_error"]
    assert guest["mail_status"] == "sent"  # one refusal does not stop the others
    assert [m["To"] for m in smtp.inbox.messages] == ["Gast <gast@example.org>"]


async def test_starttls_with_own_ca_and_password_from_environment(
    make_service: MakeService,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    password = "Mail-Passwort-aus-der-Umgebung-7"
    monkeypatch.setenv("ADVISOR_SMTP__PASSWORD", password)
    cert = self_signed(tmp_path / "tls")
    credentials = Credentials("videotermin", password)
    with SmtpServer(
        tls_context=cert.server_context(),
        require_starttls=True,
        auth_required=True,
        authenticator=credentials,
    ) as smtp:
        service = await make_service(
            smtp={
                "host": "127.0.0.1",
                "port": smtp.port,
                "security": "starttls",
                "username": "videotermin",
                "ca_bundle": cert.cert,
            }
        )
        token = await service.signed_in()
        appt = await service.create(token)
        await service.drain()
    assert credentials.seen and all(ok for _, ok in credentials.seen)
    assert len(smtp.inbox.messages) == 1
    assert smtp.inbox.encrypted == [True]
    assert (await service.get(token, appt["id"]))["participants"][0]["mail_status"] == "sent"
    encoded = base64.b64encode(f"\0videotermin\0{password}".encode()).decode()
    for record in caplog.records:
        text = record.getMessage() + str(record.args or "")
        assert password not in text, record.name
        assert encoded not in text, record.name


async def test_starttls_refuses_an_untrusted_certificate(
    make_service: MakeService, tmp_path: Path
) -> None:
    cert = self_signed(tmp_path / "tls")
    with SmtpServer(tls_context=cert.server_context(), require_starttls=True) as smtp:
        service = await make_service(
            smtp={"host": "127.0.0.1", "port": smtp.port, "security": "starttls"}
        )
        token = await service.signed_in()
        appt = await service.create(token)
        await service.drain()
    assert smtp.inbox.messages == []
    citizen = (await service.get(token, appt["id"]))["participants"][0]
    assert citizen["mail_status"] == "failed"
    assert f"127.0.0.1:{smtp.port}" in citizen["mail_error"]


async def test_password_file_is_used_and_wrong_password_is_reported(
    make_service: MakeService, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    cert = self_signed(tmp_path / "tls")
    pw_file = tmp_path / "smtp-password"
    pw_file.write_text("aus-der-Datei-123\n", encoding="utf-8")
    credentials = Credentials("videotermin", "aus-der-Datei-123")
    with SmtpServer(
        tls_context=cert.server_context(),
        require_starttls=True,
        auth_required=True,
        authenticator=credentials,
    ) as smtp:
        smtp_settings = {
            "host": "127.0.0.1",
            "port": smtp.port,
            "username": "videotermin",
            "password_file": pw_file,
            "ca_bundle": cert.cert,
        }
        service = await make_service(smtp=smtp_settings)
        token = await service.signed_in()
        first = await service.create(token)
        await service.drain()
        pw_file.write_text("falsch-falsch\n", encoding="utf-8")
        second = await service.create(token, starts_at=MONDAY_11 + timedelta(hours=1))
        await service.drain()
    assert len(smtp.inbox.messages) == 1
    assert (await service.get(token, first["id"]))["participants"][0]["mail_status"] == "sent"
    failed = (await service.get(token, second["id"]))["participants"][0]
    assert failed["mail_status"] == "failed"
    assert failed["mail_error"].startswith(
        f"Die Anmeldung am Mailserver 127.0.0.1:{smtp.port} ist fehlgeschlagen"
    )
    for record in caplog.records:
        assert "aus-der-Datei-123" not in record.getMessage()
        assert "falsch-falsch" not in record.getMessage()


async def test_unreadable_password_file_fails_the_mail_not_the_service(
    make_service: MakeService, tmp_path: Path
) -> None:
    with SmtpServer() as smtp:
        service = await make_service(
            smtp={
                "host": "127.0.0.1",
                "port": smtp.port,
                "security": "none",
                "username": "videotermin",
                "password_file": tmp_path / "fehlt",
            }
        )
        token = await service.signed_in()
        appt = await service.create(token)
        await service.drain()
    citizen = (await service.get(token, appt["id"]))["participants"][0]
    assert citizen["mail_status"] == "failed"
    assert "SMTP-Passwortdatei" in citizen["mail_error"]
    assert smtp.inbox.messages == []


async def test_outbox_mode_writes_a_parsable_eml(service: Service, token: str) -> None:
    appt = await service.create(token)
    await service.drain()
    [eml] = sorted((service.settings.service.outbox_dir).glob("*.eml"))
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert subject(msg) == "Einladung zu Ihrem Videotermin am Montag, 23. November 2026, 11:00 Uhr"
    assert appt["participants"][0]["link"] in parts(msg)["text/plain"].get_content()
    assert (await service.get(token, appt["id"]))["participants"][0]["mail_status"] == "outbox"
    assert list(service.settings.service.outbox_dir.glob("*.tmp")) == []


def test_smtp_settings_reject_missing_host() -> None:
    with pytest.raises(ValueError, match="host"):
        SmtpTransport(SmtpSettings())
    assert isinstance(transport_for(Settings()), OutboxTransport)


async def test_umlaut_domain_and_name_are_delivered(make_service: MakeService) -> None:
    with SmtpServer() as smtp:
        service = await make_service(**plain_smtp(smtp.port))
        token = await service.signed_in()
        appt = await service.create(token, email="Erika@Bücher.de", name="Özlem Groß-Şahin")
        await service.drain()
    citizen = (await service.get(token, appt["id"]))["participants"][0]
    assert citizen["email"] == "Erika@bücher.de"  # shown to the advisor as typed
    assert citizen["mail_status"] == "sent"
    assert smtp.inbox.envelopes[0].rcpt_tos == ["Erika@xn--bcher-kva.de"]
    [msg] = smtp.inbox.messages
    assert msg["To"].addresses[0].display_name == "Özlem Groß-Şahin"
    assert "Guten Tag Özlem Groß-Şahin," in parts(msg)["text/plain"].get_content()


async def test_umlaut_before_the_at_sign_is_refused_when_typed(
    service: Service, token: str
) -> None:
    status, body = await service.call(
        "POST", "/api/appointments", token, json=appointment_body(email="jürgen@example.de")
    )
    assert status == 422
    assert body["field"] == "email"
    assert body["message"] == ("E-Mail-Adresse: Die E-Mail-Adresse ist ungültig: jürgen@example.de")


@pytest.mark.logged_errors
async def test_a_mail_that_cannot_be_built_is_failed_not_pending(
    make_service: MakeService,
) -> None:
    with SmtpServer() as smtp:
        service = await make_service(**plain_smtp(smtp.port))
        token = await service.signed_in()
        appt = await service.create(token)
        await service.drain()
        # an address stored by an earlier version, before such addresses were refused
        async with service.app[keys.SESSIONS]() as session:
            row = await session.get(Participant, appt["participants"][0]["id"])
            assert row is not None
            row.email = "jürgen@example.de"
            await session.commit()
        status, _ = await service.call("POST", f"/api/appointments/{appt['id']}/invitations", token)
        assert status == 202
        await service.drain()
    citizen = (await service.get(token, appt["id"]))["participants"][0]
    assert citizen["mail_status"] == "failed"
    assert citizen["mail_error"].startswith("Die E-Mail konnte nicht erstellt werden")
    assert len(smtp.inbox.messages) == 1  # only the first invitation


def outbox_mail(service: Service) -> email.message.EmailMessage:
    [eml] = sorted((service.settings.service.outbox_dir).glob("*.eml"))
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert isinstance(msg, email.message.EmailMessage)
    return msg


async def test_the_invitation_gives_the_support_number_in_the_brochures_words(
    make_service: MakeService,
) -> None:
    service = await make_service(
        service={"organisation": "Jobcenter Region Hannover", "support_phone": "0800 4 555501"}
    )
    await service.create(await service.signed_in())
    await service.drain()
    msg = outbox_mail(service)
    text = parts(msg)["text/plain"].get_content()
    sentence = (
        "Der technische Support ist Montag bis Freitag, 8 bis 18 Uhr, unter der Rufnummer "
        "0800 4 555501 erreichbar."
    )
    assert sentence in text
    assert sentence in parts(msg)["text/html"].get_content()
    assert text.rstrip().endswith("Freundliche Grüße\nJobcenter Region Hannover")
    assert "Bei Fragen wenden Sie sich" not in text


async def test_without_settings_no_mail_shows_an_empty_or_made_up_value(
    make_service: MakeService,
) -> None:
    service = await make_service(service={"support_hours": ""})
    await service.create(await service.signed_in())
    await service.drain()
    msg = outbox_mail(service)
    text = parts(msg)["text/plain"].get_content()
    html = parts(msg)["text/html"].get_content()
    for body in (text, html):
        assert "Videoberatung" not in body  # the unset default signs nothing
        assert "null" not in body and "None" not in body and "()" not in body
        assert "Technischer Support" not in body and "technische Support" not in body
    assert "Bei Fragen wenden Sie sich bitte an Ihre Ansprechpartnerin" in text
    assert text.rstrip().endswith("Freundliche Grüße\nIhr Team von „Mein Videotermin“")
    assert str(calendar_of(msg).walk("VEVENT")[0]["SUMMARY"]) == "Videotermin"
    no_hours = await make_service(service={"support_phone": "0800 4 555501", "support_hours": " "})
    await no_hours.create(
        await no_hours.signed_in("zweite"), starts_at=MONDAY_11 + timedelta(days=1)
    )
    await no_hours.drain()
    mails = sorted(no_hours.settings.service.outbox_dir.glob("*.eml"))
    last = email.message_from_bytes(mails[-1].read_bytes(), policy=policy.default)
    assert isinstance(last, email.message.EmailMessage)
    assert "Den technischen Support erreichen Sie unter der Rufnummer 0800 4 555501." in (
        parts(last)["text/plain"].get_content()
    )
