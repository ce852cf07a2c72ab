"""Invitation mails: composed from templates and catalogs, sent by SMTP or put in an outbox.

Sending runs in the background after the appointment is saved, so a slow or broken mail
server never delays or loses an appointment: the outcome is recorded per mail and per
participant, and the console shows it with a way to send again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import ssl
from dataclasses import dataclass, replace
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from functools import cache
from pathlib import Path
from typing import Any

import aiosmtplib
import jinja2
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.ext.asyncio import async_sessionmaker

from advisor_app.config import ConfigError, Settings, SmtpSettings
from advisor_app.core.clock import Clock
from advisor_app.core.codes import format_dial_code
from advisor_app.core.domain import MailKind, MailStatus, Role, to_berlin
from advisor_app.core.protocol import BarrierReport
from advisor_app.paths import i18n_dir, resources_dir
from advisor_app.server.ics import build_ics
from advisor_app.storage.models import Appointment, Mail, Participant

log = logging.getLogger(__name__)


@cache
def catalog(language: str) -> dict[str, Any]:
    path = i18n_dir() / "mail" / f"{language}.json"
    if not path.is_file():
        path = i18n_dir() / "mail" / "de.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def format_when(moment: datetime, language: str) -> str:
    """``Donnerstag, 9. Dezember 2021, 17:30 Uhr`` in Berlin time."""
    t = catalog(language)
    local = to_berlin(moment)
    day = t["date_format"].format(
        weekday=t["weekdays"][local.weekday()],
        day=local.day,
        month=t["months"][local.month - 1],
        year=local.year,
    )
    clock = str(t["time_format"]).format(hour=local.hour, minute=local.minute)
    return f"{day}, {clock}"


def smtp_address(address: str) -> str:
    """The address as SMTP and mail headers need it: an umlaut domain in its ASCII form."""
    try:
        checked = validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return address
    return checked.ascii_email or address


@dataclass(frozen=True, slots=True)
class ComposedMail:
    to: str
    subject: str
    text: str
    message: EmailMessage
    #: Names the participant in the outbox file name (``p<id>``), so a revocation finds it.
    tag: str = ""


class MailComposer:
    """Builds the invitation, update and cancellation mails of one participant."""

    def __init__(self, settings: Settings, templates: Path | None = None) -> None:
        self._settings = settings
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates or resources_dir() / "mail"),
            autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",)),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
        )

    def compose(
        self,
        kind: MailKind,
        appointment: Appointment,
        participant: Participant,
        base_url: str,
        now: datetime,
        contact: str | None = None,
    ) -> ComposedMail:
        """The mail of ``kind``; an update with ``contact`` says that this colleague now holds
        the appointment (same link, same code)."""
        if not participant.email:
            raise ValueError("participant has no e-mail address")
        svc = self._settings.service
        smtp = self._settings.smtp
        lang = participant.language
        t = catalog(lang)
        when = format_when(appointment.starts_at, lang)
        link = f"{base_url}/j/{participant.link_token}"
        code = format_dial_code(participant.dial_code)
        intro_key = {
            MailKind.INVITE: "intro_invite",
            MailKind.UPDATE: "intro_update",
            MailKind.CANCEL: "intro_cancel",
        }[kind]
        phone, hours = svc.support_phone.strip(), svc.support_hours.strip()
        if phone:
            support = t["support" if hours else "support_no_hours"].format(phone=phone, hours=hours)
        else:
            support = t["support_none"]
        # Unset ("Videoberatung"), the mail is signed by the service, not by a made-up name.
        organisation = svc.organisation_name
        context = {
            "t": t,
            "lang": lang,
            "kind": kind.value,
            "name": participant.name,
            "organisation": organisation or t["signature_default"],
            "brand": organisation or "Mein Videotermin",
            "intro": t["intro_reassigned"].format(contact=contact)
            if contact and kind is MailKind.UPDATE
            else t[intro_key].format(when=when),
            "guest_role": None
            if participant.role == Role.CITIZEN
            else t["roles"][participant.role],
            "when": when,
            "duration": appointment.duration_min,
            "topic": appointment.topic,
            "link": link,
            "code": code,
            "code_url": f"{base_url}/code",
            "support": support,
            "closing": t["closing_cancel" if kind is MailKind.CANCEL else "closing_invite"],
        }
        subject_key = "reassigned" if contact and kind is MailKind.UPDATE else kind.value
        subject = t[f"subject_{subject_key}"].format(when=when)
        context["subject"] = subject
        text = self._env.get_template("message.txt.j2").render(context)
        html = self._env.get_template("message.html.j2").render(context)

        msg = EmailMessage()
        msg["Subject"] = subject
        msg["From"] = formataddr((smtp.from_name, smtp.from_address))
        msg["To"] = formataddr((participant.name, smtp_address(participant.email)))
        msg["Date"] = format_datetime(now)
        msg["Message-ID"] = make_msgid(domain=smtp.from_address.rpartition("@")[2] or None)
        msg["Auto-Submitted"] = "auto-generated"
        msg.set_content(text)
        msg.add_alternative(html, subtype="html")
        ics = build_ics(
            uid=f"appointment-{appointment.id}-participant-{participant.id}@advisor-console",
            sequence=appointment.sequence,
            kind=kind,
            starts_at=appointment.starts_at,
            duration_min=appointment.duration_min,
            summary=t["calendar_summary"].format(organisation=organisation)
            if organisation
            else t["calendar_summary_plain"],
            description=t["calendar_description"].format(link=link, code=code),
            url=link,
            organizer_email=smtp.from_address,
            organizer_name=smtp.from_name,
            attendee_email=participant.email,
            attendee_name=participant.name,
            now=now,
        )
        method = "CANCEL" if kind is MailKind.CANCEL else "REQUEST"
        msg.add_attachment(
            ics.decode("utf-8"),
            subtype="calendar",
            filename="videotermin.ics",
            params={"method": method},
        )
        # After the body: set_content() drops every Content-* header set before it.
        msg["Content-Language"] = lang
        return ComposedMail(to=participant.email, subject=subject, text=text, message=msg)


COMPOSE_FAILED = (
    "Die E-Mail konnte nicht erstellt werden (ungewöhnliche Adresse oder Angabe). "
    "Bitte prüfen Sie die E-Mail-Adresse."
)
SEND_FAILED = "Beim Versand ist ein unerwarteter Fehler aufgetreten. Bitte später erneut senden."


class DeliveryError(Exception):
    """A mail could not be delivered; the message is German and shown to the advisor."""


class SmtpTransport:
    """Hands mails to the agency's SMTP server (STARTTLS, implicit TLS, or plain on loopback)."""

    def __init__(self, smtp: SmtpSettings) -> None:
        if not smtp.host:
            raise ValueError("SmtpTransport needs a host")
        self._smtp = smtp
        self._host: str = smtp.host

    def _tls_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context()
        if self._smtp.ca_bundle:
            ctx.load_verify_locations(cafile=str(self._smtp.ca_bundle))
        return ctx

    async def deliver(self, composed: ComposedMail) -> MailStatus:
        smtp = self._smtp
        where = f"{self._host}:{smtp.port}"
        try:
            password = smtp.read_password()
        except ConfigError as exc:
            raise DeliveryError(str(exc)) from exc
        try:
            await aiosmtplib.send(
                composed.message,
                hostname=self._host,
                port=smtp.port,
                username=smtp.username,
                password=password,
                use_tls=smtp.security == "tls",
                start_tls=smtp.security == "starttls",
                tls_context=self._tls_context() if smtp.security != "none" else None,
                timeout=smtp.timeout_s,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            reasons = "; ".join(f"{r.code} {r.message}" for r in exc.recipients)
            raise DeliveryError(
                f"Der Mailserver hat die Empfängeradresse {composed.to} abgelehnt: {reasons}"
            ) from exc
        except aiosmtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(
                f"Die Anmeldung am Mailserver {where} ist fehlgeschlagen ({exc.code})."
            ) from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise DeliveryError(
                f"Der Mailserver {where} hat die E-Mail abgelehnt: {exc.code} {exc.message}"
            ) from exc
        except (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPTimeoutError, OSError) as exc:
            raise DeliveryError(
                f"Der Mailserver {where} ist nicht erreichbar. Bitte später erneut senden."
            ) from exc
        except aiosmtplib.SMTPException as exc:
            raise DeliveryError(f"Versand über {where} fehlgeschlagen: {exc}") from exc
        return MailStatus.SENT


class OutboxTransport:
    """Without SMTP (the embedded default) mails are written as ``.eml`` files to a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def deliver(self, composed: ComposedMail) -> MailStatus:
        data = composed.message.as_bytes()
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        suffix = f"-{composed.tag}" if composed.tag else ""
        target = self.folder / f"{stamp}{suffix}.eml"

        def write() -> None:
            # For the service account only: the mails hold names, addresses and links.
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            self.folder.chmod(0o700)
            tmp = target.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            tmp.replace(target)

        try:
            await asyncio.get_running_loop().run_in_executor(None, write)
        except OSError as exc:
            raise DeliveryError(
                f"Die E-Mail konnte nicht im Postausgang {self.folder} gespeichert werden: "
                f"{exc.strerror or exc}"
            ) from exc
        return MailStatus.OUTBOX

    async def forget(self, participant_id: int, needles: list[str]) -> int:
        """Delete the participant's outbox mails (consent revoked): those named after it,
        and older ones that contain one of ``needles`` (its link token). Returns how many."""

        def remove() -> int:
            if not self.folder.is_dir():
                return 0
            removed = 0
            for path in self.folder.glob("*.eml"):
                try:
                    mine = path.stem.endswith(f"-p{participant_id}")
                    if not mine and needles:
                        data = path.read_bytes()
                        mine = any(n.encode() in data for n in needles if n)
                    if mine:
                        path.unlink()
                        removed += 1
                except OSError as exc:
                    log.warning("could not delete outbox file %s: %s", path.name, exc.strerror)
            return removed

        return await asyncio.get_running_loop().run_in_executor(None, remove)


Transport = SmtpTransport | OutboxTransport


def transport_for(settings: Settings) -> Transport:
    if settings.smtp.host:
        return SmtpTransport(settings.smtp)
    return OutboxTransport(settings.service.outbox_dir)


class Mailer:
    """Records each mail, delivers it in the background, and keeps the outcome."""

    def __init__(
        self,
        sessions: async_sessionmaker[Any],
        clock: Clock,
        composer: MailComposer,
        transport: Transport,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._composer = composer
        self.transport = transport
        self._tasks: set[asyncio.Task[None]] = set()

    def send_later(
        self,
        appointment_id: int,
        kind: MailKind,
        base_url: str,
        participant_ids: list[int] | None = None,
        *,
        contact: str | None = None,
    ) -> asyncio.Task[None]:
        """Queue mails for an appointment's participants; returns the task (tests await it)."""
        task = asyncio.create_task(
            self.send(appointment_id, kind, base_url, participant_ids, contact=contact),
            name=f"mail-{kind.value}-{appointment_id}",
        )
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("mail task %s failed", task.get_name(), exc_info=task.exception())

    async def forget(self, participant_id: int, link_token: str) -> None:
        """Consent revoked: written outbox mails of the participant are deleted too."""
        if isinstance(self.transport, OutboxTransport):
            await self.drain()  # a mail being written now is deleted as well
            removed = await self.transport.forget(participant_id, [link_token])
            if removed:
                log.info("revocation: %d outbox mail(s) deleted", removed)

    async def drain(self) -> None:
        """Wait for all queued mails (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def send(
        self,
        appointment_id: int,
        kind: MailKind,
        base_url: str,
        participant_ids: list[int] | None = None,
        *,
        contact: str | None = None,
    ) -> None:
        prepared: list[tuple[int, int, ComposedMail]] = []
        async with self._sessions() as session:
            appointment = await session.get(Appointment, appointment_id)
            if appointment is None:
                return
            now = self._clock.now()
            for participant in appointment.participants:
                if participant_ids is not None and participant.id not in participant_ids:
                    continue
                if not participant.email:
                    participant.mail_status = MailStatus.NONE.value
                    continue
                try:
                    composed = self._composer.compose(
                        kind, appointment, participant, base_url, now, contact
                    )
                except Exception:
                    # never leave a participant "pending" for ever: say it failed
                    log.exception("mail %s for participant %s not composed", kind, participant.id)
                    participant.mail_status = MailStatus.FAILED.value
                    participant.mail_error = COMPOSE_FAILED
                    participant.mail_updated_at = now
                    continue
                mail = Mail(
                    appointment_id=appointment.id,
                    participant_id=participant.id,
                    kind=kind.value,
                    to_address=composed.to,
                    subject=composed.subject,
                    text_body=composed.text,
                    status=MailStatus.PENDING.value,
                    created_at=now,
                )
                session.add(mail)
                participant.mail_status = MailStatus.PENDING.value
                participant.mail_error = None
                participant.mail_updated_at = now
                await session.flush()
                prepared.append(
                    (mail.id, participant.id, replace(composed, tag=f"p{participant.id}"))
                )
            await session.commit()
        for mail_id, participant_id, composed in prepared:
            await self._deliver_one(mail_id, participant_id, composed)

    async def _deliver_one(self, mail_id: int, participant_id: int, composed: ComposedMail) -> None:
        error: str | None = None
        try:
            status = await self.transport.deliver(composed)
        except DeliveryError as exc:
            status, error = MailStatus.FAILED, str(exc)
            log.warning("mail %s not delivered: %s", mail_id, exc.__cause__ or exc)
        except Exception:
            log.exception("mail %s: unexpected error while sending", mail_id)
            status, error = MailStatus.FAILED, SEND_FAILED
        async with self._sessions() as session:
            now = self._clock.now()
            mail = await session.get(Mail, mail_id)
            if mail is not None:
                mail.status = status.value
                mail.error = error
                mail.attempts += 1
                if status is not MailStatus.FAILED:
                    mail.sent_at = now
            participant = await session.get(Participant, participant_id)
            if participant is not None:
                participant.mail_status = status.value
                participant.mail_error = error
                participant.mail_updated_at = now
            await session.commit()
        if status is not MailStatus.FAILED:
            log.info("mail %s delivered (%s)", mail_id, status.value)


# --- barrier reports (the accessibility statement's form) -------------------------------------

BARRIER_SUBJECT = "Barriere gemeldet über „Mein Videotermin“"


def barrier_report_address(settings: Settings) -> str:
    """Where barrier reports go: ``service.accessibility_email``, else the sender address."""
    return settings.service.accessibility_email.strip() or settings.smtp.from_address


def compose_barrier_report(
    settings: Settings, report: BarrierReport, now: datetime
) -> ComposedMail:
    """A plain-text mail of one report. Only the validated e-mail address reaches a header
    (Reply-To); everything else the citizen typed stays in the text body."""
    smtp = settings.smtp
    to = barrier_report_address(settings)
    lines = [
        "Über das Formular der Erklärung zur Barrierefreiheit wurde eine Barriere gemeldet.",
        "Die Nachricht wurde nirgends gespeichert; nur diese E-Mail enthält sie.",
        "",
        f"Eingegangen: {to_berlin(now).strftime('%d.%m.%Y, %H:%M Uhr')}",
        f"Sprache der Seite: {report.lang}",
        f"Wo: {report.page or '(keine Angabe)'}",
        f"Name: {report.name or '(keine Angabe)'}",
        f"E-Mail für eine Antwort: {report.email or '(keine Angabe)'}",
        "",
        "Nachricht:",
        report.message,
        "",
    ]
    text = "\n".join(lines)
    msg = EmailMessage()
    msg["Subject"] = BARRIER_SUBJECT
    msg["From"] = formataddr((smtp.from_name, smtp.from_address))
    msg["To"] = smtp_address(to)
    if report.email:
        msg["Reply-To"] = smtp_address(report.email)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(domain=smtp.from_address.rpartition("@")[2] or None)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text)
    msg["Content-Language"] = "de"
    return ComposedMail(to=to, subject=BARRIER_SUBJECT, text=text, message=msg)
