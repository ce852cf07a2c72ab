"""REST client of the signaling service, validating every answer with the protocol models."""

from __future__ import annotations

import ssl
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
from pydantic import BaseModel, ValidationError

from advisor_app.core.protocol import (
    AdvisorOut,
    AppointmentIn,
    AppointmentList,
    AppointmentOut,
    CallReportIn,
    CallReportOut,
    ErrorReply,
    IceConfig,
    IdentityIn,
    LoginRequest,
    LoginResponse,
    MailList,
    MemberRemovedOut,
    ReassignDayIn,
    ReassignDayOut,
    ReassignIn,
    ServiceInfo,
    SiteSettingsOut,
    StatisticsOut,
    TeamList,
    TeamMemberIn,
    TeamOut,
)
from advisor_app.core.statistics_periods import PeriodKind

M = TypeVar("M", bound=BaseModel)
DEFAULT_TIMEOUT = aiohttp.ClientTimeout(total=20, connect=8)


class ServiceError(Exception):
    """The service refused a request: ``reply.error`` is the stable code, ``reply.details``
    its parameters (the console's words for them: ``ui/refusals.py``); ``str()`` is the
    service's German text, for logs."""

    def __init__(self, status: int, reply: ErrorReply) -> None:
        super().__init__(reply.message)
        self.status = status
        self.reply = reply

    @property
    def code(self) -> str:
        return self.reply.error


class NotSignedIn(ServiceError):
    """The token is missing, expired or revoked."""


class ServiceUnreachable(Exception):
    """No usable answer from the service.

    ``code`` says why: ``network`` (no answer: network, service down), ``certificate`` (its
    TLS certificate is not trusted), ``bad_answer`` (an answer this console cannot read);
    ``url`` is the service's address. The console's words for them are in ``ui/refusals.py``;
    ``str()`` is German, for logs and for a ``code`` of None.
    """

    def __init__(self, message: str, *, code: str | None = None, url: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.url = url


class ServiceClient:
    """Talks to one service with one advisor token."""

    def __init__(
        self, base_url: str, *, token: str | None = None, ca_bundle: Path | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._ca_bundle = ca_bundle
        self._session: aiohttp.ClientSession | None = None

    @property
    def ca_bundle(self) -> Path | None:
        """The CA certificates the service's TLS certificate is checked against (None: system)."""
        return self._ca_bundle

    def _ssl(self) -> ssl.SSLContext | bool:
        if self._ca_bundle is None:
            return True
        ctx = ssl.create_default_context()
        ctx.load_verify_locations(cafile=str(self._ca_bundle))
        return ctx

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=DEFAULT_TIMEOUT, connector=aiohttp.TCPConnector(ssl=self._ssl())
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _request(
        self,
        method: str,
        path: str,
        model: type[M] | None,
        *,
        body: BaseModel | None = None,
        params: dict[str, str] | None = None,
    ) -> M | None:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = body.model_dump_json() if body is not None else None
        if data is not None:
            headers["Content-Type"] = "application/json"
        url = f"{self.base_url}{path}"
        try:
            async with self._http().request(
                method, url, data=data, params=params, headers=headers
            ) as resp:
                raw = await resp.read()
                status = resp.status
        except aiohttp.ClientSSLError as exc:
            raise ServiceUnreachable(
                f"TLS certificate of {self.base_url} not trusted",
                code="certificate",
                url=self.base_url,
            ) from exc
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise ServiceUnreachable(
                f"no answer from {self.base_url}", code="network", url=self.base_url
            ) from exc
        if status >= 400:
            try:
                reply = ErrorReply.model_validate_json(raw)
            except ValidationError:
                reply = ErrorReply(
                    error="http",
                    message=f"Der Dienst hat die Anfrage abgelehnt (HTTP {status}).",
                    details={"status": status},
                )
            cls = NotSignedIn if status == 401 else ServiceError
            raise cls(status, reply)
        if model is None:
            return None
        try:
            return model.model_validate_json(raw)
        except ValidationError as exc:
            raise ServiceUnreachable(
                f"unexpected answer from {url}", code="bad_answer", url=self.base_url
            ) from exc

    async def _get(self, path: str, model: type[M], params: dict[str, str] | None = None) -> M:
        result = await self._request("GET", path, model, params=params)
        assert result is not None
        return result

    async def _send(self, method: str, path: str, model: type[M], body: Any = None) -> M:
        result = await self._request(method, path, model, body=body)
        assert result is not None
        return result

    async def info(self) -> ServiceInfo:
        return await self._get("/api/info", ServiceInfo)

    async def login(self, username: str, password: str) -> LoginResponse:
        result = await self._send(
            "POST", "/api/login", LoginResponse, LoginRequest(username=username, password=password)
        )
        self.token = result.token
        return result

    async def ice(self) -> IceConfig:
        """The STUN/TURN servers (with fresh TURN credentials) for a call."""
        return await self._get("/api/ice", IceConfig)

    async def me(self) -> AdvisorOut:
        """The advisor the token belongs to; raises :class:`NotSignedIn` for a stale token."""
        return await self._get("/api/me", AdvisorOut)

    async def site_settings(self) -> SiteSettingsOut:
        """The values the service shows citizens (organisation, support line, retention)."""
        return await self._get("/api/settings", SiteSettingsOut)

    async def logout(self) -> None:
        await self._request("POST", "/api/logout", None)
        self.token = None

    async def appointments_on(self, day: date) -> list[AppointmentOut]:
        result = await self._get("/api/appointments", AppointmentList, {"day": day.isoformat()})
        return result.appointments

    async def appointments_between(self, first: date, last: date) -> list[AppointmentOut]:
        """Appointments from ``first`` (inclusive) to ``last`` (exclusive), Berlin days."""
        result = await self._get(
            "/api/appointments",
            AppointmentList,
            {"from": first.isoformat(), "to": last.isoformat()},
        )
        return result.appointments

    async def create_appointment(self, data: AppointmentIn) -> AppointmentOut:
        return await self._send("POST", "/api/appointments", AppointmentOut, data)

    async def update_appointment(self, appointment_id: int, data: AppointmentIn) -> AppointmentOut:
        return await self._send("PUT", f"/api/appointments/{appointment_id}", AppointmentOut, data)

    async def record_identity(self, appointment_id: int, identity: IdentityIn) -> AppointmentOut:
        """The ID check's outcome (verified or not, document type): nothing from the document."""
        return await self._send(
            "POST", f"/api/appointments/{appointment_id}/identity", AppointmentOut, identity
        )

    async def report_call(self, report: CallReportIn) -> CallReportOut:
        """A call ended: its length and seconds per quality label, for the anonymous figures."""
        return await self._send("POST", "/api/calls/report", CallReportOut, report)

    async def statistics(
        self, period: PeriodKind, count: int, team: int | None = None
    ) -> StatisticsOut:
        """The service's anonymous figures of the last ``count`` weeks or months; with
        ``team`` those of that team's advisors (team leads only)."""
        params = {"period": period.value, "count": str(count)}
        if team is not None:
            params["team"] = str(team)
        return await self._get("/api/statistics", StatisticsOut, params)

    async def teams(self) -> TeamList:
        """The signed-in advisor's teams with each member's state (free, busy, absent)."""
        return await self._get("/api/teams", TeamList)

    async def reassign_appointment(self, appointment_id: int, advisor_id: int) -> AppointmentOut:
        """Give one appointment to a team colleague; the citizen is mailed the new contact."""
        return await self._send(
            "POST",
            f"/api/appointments/{appointment_id}/reassign",
            AppointmentOut,
            ReassignIn(advisor_id=advisor_id),
        )

    async def reassign_day(
        self, day: date, from_advisor_id: int, to_advisor_id: int
    ) -> ReassignDayOut:
        """Give an advisor's open appointments of ``day`` to a team colleague."""
        return await self._send(
            "POST",
            "/api/appointments/reassign-day",
            ReassignDayOut,
            ReassignDayIn(day=day, from_advisor_id=from_advisor_id, to_advisor_id=to_advisor_id),
        )

    async def add_team_member(self, team_id: int, username: str, lead: bool = False) -> TeamOut:
        """A team lead adds an advisor (by sign-in name) to the team."""
        return await self._send(
            "POST",
            f"/api/teams/{team_id}/members",
            TeamOut,
            TeamMemberIn(username=username, lead=lead),
        )

    async def remove_team_member(self, team_id: int, advisor_id: int) -> MemberRemovedOut:
        """A team lead removes an advisor; their open appointments are listed, not moved."""
        return await self._send(
            "DELETE", f"/api/teams/{team_id}/members/{advisor_id}", MemberRemovedOut
        )

    async def cancel_appointment(self, appointment_id: int) -> AppointmentOut:
        return await self._send(
            "POST", f"/api/appointments/{appointment_id}/cancel", AppointmentOut
        )

    async def resend(
        self, appointment_id: int, participant_id: int | None = None
    ) -> AppointmentOut:
        path = f"/api/appointments/{appointment_id}/invitations"
        if participant_id is not None:
            path += f"?participant={participant_id}"
        return await self._send("POST", path, AppointmentOut)

    async def get_appointment(self, appointment_id: int) -> AppointmentOut:
        return await self._get(f"/api/appointments/{appointment_id}", AppointmentOut)

    async def mails(self) -> MailList:
        return await self._get("/api/mails", MailList)
