"""``GET /api/settings``: the site's values for the console's settings page, signed in only."""

from __future__ import annotations

from tests.helpers.fixtures import MakeService


async def test_settings_are_given_to_a_signed_in_advisor_only(make_service: MakeService) -> None:
    service = await make_service(
        service={
            "organisation": "Jobcenter Region Hannover",
            "support_phone": "0800 4 555501",
            "support_hours": "Montag bis Freitag, 8 bis 18 Uhr",
            "retention_days": 30,
        }
    )
    status, body = await service.call("GET", "/api/settings")
    assert status == 401
    assert body["error"] == "unauthorized"

    token = await service.signed_in("berater")  # "Frau Beispiel"
    status, body = await service.call("GET", "/api/settings", token)
    assert status == 200
    assert body == {
        "organisation": "Jobcenter Region Hannover",
        "support_phone": "0800 4 555501",
        "support_hours": "Montag bis Freitag, 8 bis 18 Uhr",
        "retention_days": 30,
        "legal_dir": None,
        "embedded": False,  # a central service: IT changes these in its configuration
        "advisor_name": "Frau Beispiel",
    }
