"""The embedded console's site values: read from the settings, kept in the user's
``config.toml``, and taken by the embedded service (restarted with them)."""

from __future__ import annotations

import logging
from pathlib import Path

from advisor_app.client.embedded import EmbeddedService, site_environment
from advisor_app.config import ServiceSettings, Settings, write_user_settings
from advisor_app.core.site import SiteValues
from advisor_app.os_account import full_name

log = logging.getLogger(__name__)


def site_values(settings: Settings) -> SiteValues:
    """What the first run and the settings page start from (IT's presets included)."""
    service = settings.service
    default = ServiceSettings.model_fields["organisation"].default
    return SiteValues(
        # the built-in "Videoberatung" is no office's name: the first run asks for it
        organisation="" if service.organisation == default else service.organisation,
        support_phone=service.support_phone,
        support_hours=service.support_hours,
        display_name=settings.console.display_name or full_name() or "",
        retention_days=service.retention_days,
        legal_dir=service.legal_dir,
    )


def with_site_values(settings: Settings, values: SiteValues) -> Settings:
    """``settings`` with ``values`` in place, and the first run recorded."""
    values = values.cleaned()
    service = settings.service.model_copy(
        update={
            "organisation": values.organisation,
            "support_phone": values.support_phone,
            "support_hours": values.support_hours,
            "retention_days": values.retention_days,
            "legal_dir": values.legal_dir,
        }
    )
    console = settings.console.model_copy(
        update={"display_name": values.display_name, "setup_done": True}
    )
    return settings.model_copy(update={"service": service, "console": console})


def save_site_values(values: SiteValues, path: Path | None = None) -> Path:
    """Write ``values`` and "set up" into the user's ``config.toml``; raises ConfigError."""
    values = values.cleaned()
    return write_user_settings(
        {
            "console": {"display_name": values.display_name, "setup_done": True},
            "service": {
                "organisation": values.organisation,
                "support_phone": values.support_phone,
                "support_hours": values.support_hours,
                "retention_days": values.retention_days,
                "legal_dir": values.legal_dir,
            },
        },
        path,
    )


class LocalSite:
    """The running embedded service and the settings it was started with."""

    def __init__(self, settings: Settings, service: EmbeddedService) -> None:
        self.settings = settings
        self.service = service

    def values(self) -> SiteValues:
        return site_values(self.settings)

    async def apply(self, values: SiteValues) -> None:
        """Keep ``values`` and restart the service with them (same address, same token).

        Raises ConfigError when the file cannot be written (nothing changed then), and
        EmbeddedStartError when the service does not come back.
        """
        save_site_values(values)
        self.settings = with_site_values(self.settings, values)
        log.info("site values changed; restarting the embedded service")
        self.service = await self.service.restart(site_environment(self.settings))
