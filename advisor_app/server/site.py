"""``GET /api/settings``: the site's values for the console's settings page (signed in)."""

from __future__ import annotations

from aiohttp import web

from advisor_app.core.protocol import SiteSettingsOut
from advisor_app.server import keys
from advisor_app.server.auth import require_advisor
from advisor_app.server.errors import json_response


def setup_routes(app: web.Application, *, embedded: bool) -> None:
    """``embedded``: the console's own service, whose settings page may change the values."""

    async def handle_settings(request: web.Request) -> web.Response:
        advisor = await require_advisor(request)
        service = request.app[keys.SETTINGS].service
        return json_response(
            SiteSettingsOut(
                organisation=service.organisation,
                support_phone=service.support_phone,
                support_hours=service.support_hours,
                retention_days=service.retention_days,
                legal_dir=str(service.legal_dir) if service.legal_dir is not None else None,
                embedded=embedded,
                advisor_name=advisor.display_name,
            )
        )

    app.router.add_get("/api/settings", handle_settings)
