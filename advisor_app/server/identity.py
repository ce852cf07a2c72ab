"""Advisor REST for the ID check's outcome: ``POST /api/appointments/<id>/identity``.

Only the outcome, the document type, the advisor and the time are stored; the console sends
nothing else (no image, no document number, no machine-readable zone), and the model forbids
any other field.
"""

from __future__ import annotations

from aiohttp import web

from advisor_app.core.domain import AppointmentStatus
from advisor_app.core.protocol import IdentityIn
from advisor_app.server import keys
from advisor_app.server.appointments import _appointment_id, _not_found, appointment_out
from advisor_app.server.auth import require_advisor
from advisor_app.server.errors import ApiError, json_response, read_model
from advisor_app.storage.models import IdentityCheck
from advisor_app.storage.repositories import AppointmentRepo


async def record_identity(request: web.Request) -> web.Response:
    """Record (or replace) the outcome of the appointment's ID check; answers the appointment."""
    advisor = await require_advisor(request)
    body = await read_model(request, IdentityIn)
    appointment_id = _appointment_id(request)
    now = request.app[keys.CLOCK].now()
    async with request.app[keys.SESSIONS]() as session:
        appt = await AppointmentRepo(session).get(advisor.id, appointment_id)
        if appt is None:
            raise _not_found()
        if appt.status == AppointmentStatus.CANCELLED.value:
            raise ApiError(409, "cancelled", reason="identity")
        check = appt.identity_check
        if check is None:
            check = IdentityCheck(appointment_id=appt.id)
            appt.identity_check = check
        check.outcome = body.outcome.value
        check.document_type = body.document_type.value
        check.advisor_id = advisor.id
        check.checked_at = now
        await session.commit()
    async with request.app[keys.SESSIONS]() as session:
        fresh = await AppointmentRepo(session).get(advisor.id, appointment_id)
        if fresh is None:  # deleted in between (retention, another console)
            raise _not_found()
        return json_response(appointment_out(fresh, request.app[keys.RUNTIME].base_url))


def setup_routes(app: web.Application) -> None:
    app.router.add_post("/api/appointments/{appointment_id}/identity", record_identity)
