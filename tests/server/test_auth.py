"""Service facts and advisor sign-in as the console experiences them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from advisor_app import __version__
from advisor_app.server import keys
from advisor_app.storage.repositories import AdvisorRepo
from tests.helpers.fixtures import MakeService
from tests.helpers.service import BASE_URL, PASSWORD, Service

pytestmark = pytest.mark.service


async def test_info_tells_the_console_about_the_service(make_service: MakeService) -> None:
    service = await make_service(
        service={"organisation": "Jobcenter Region Hannover", "support_phone": "0511 12345"}
    )
    status, body = await service.call("GET", "/api/info")
    assert status == 200
    assert body == {
        "version": __version__,
        "organisation": "Jobcenter Region Hannover",
        "support_phone": "0511 12345",
        "embedded": False,
        "public_base_url": BASE_URL,
    }


async def test_login_returns_a_token_that_opens_the_api(service: Service) -> None:
    await service.add_advisor("berater", "Frau Beispiel")
    status, body = await service.call(
        "POST", "/api/login", json={"username": "berater", "password": PASSWORD}
    )
    assert status == 200
    assert body["advisor"]["display_name"] == "Frau Beispiel"
    status, me = await service.call("GET", "/api/me", body["token"])
    assert status == 200
    assert me["username"] == "berater"

    status, _ = await service.call("POST", "/api/logout", body["token"])
    assert status == 204
    status, err = await service.call("GET", "/api/me", body["token"])
    assert status == 401
    assert err["error"] == "unauthorized"


async def test_wrong_password_and_unknown_user_get_the_same_german_answer(
    service: Service,
) -> None:
    await service.add_advisor("berater")
    answers = []
    for username, password in (("berater", "falsch-falsch-falsch"), ("niemand", PASSWORD)):
        status, body = await service.call(
            "POST", "/api/login", json={"username": username, "password": password}
        )
        assert status == 401
        answers.append(body)
    assert answers[0] == answers[1]
    assert answers[0]["error"] == "bad_credentials"
    assert answers[0]["message"] == (
        "Benutzername oder Passwort ist falsch, oder das Konto ist gesperrt."
    )


async def test_disabled_account_cannot_sign_in_and_loses_its_sessions(service: Service) -> None:
    token = await service.signed_in("berater")
    await service.add_advisor("gesperrt", active=False)
    status, body = await service.call(
        "POST", "/api/login", json={"username": "gesperrt", "password": PASSWORD}
    )
    assert status == 401
    assert "gesperrt" in body["message"]

    assert (await service.call("GET", "/api/appointments?day=2026-11-23", token))[0] == 200
    async with service.app[keys.SESSIONS]() as session:
        advisor = await AdvisorRepo(session).by_username("berater")
        assert advisor is not None
        advisor.active = False
        await session.commit()
    status, body = await service.call("GET", "/api/appointments?day=2026-11-23", token)
    assert status == 401
    assert body["message"] == "Sie sind nicht (mehr) angemeldet. Bitte melden Sie sich erneut an."


async def test_login_is_rate_limited(make_service: MakeService) -> None:
    service = await make_service(service={"login_rate_limit": "3/minute"})
    await service.add_advisor("berater")
    statuses = []
    for _ in range(4):
        status, body = await service.call(
            "POST", "/api/login", json={"username": "berater", "password": "falsch-falsch"}
        )
        statuses.append(status)
    assert statuses == [401, 401, 401, 429]
    assert body["error"] == "rate_limited"
    assert body["message"] == "Zu viele Anmeldeversuche. Bitte warten Sie einige Minuten."
    # even the right password is refused while the limit holds
    status, _ = await service.call(
        "POST", "/api/login", json={"username": "berater", "password": PASSWORD}
    )
    assert status == 429


async def test_api_without_or_with_a_bad_token_is_401(service: Service) -> None:
    await service.signed_in("berater")
    for headers in ({}, {"Authorization": "Bearer nicht-gueltig"}, {"Authorization": "Basic x"}):
        async with service.client.get("/api/appointments?day=2026-11-23", headers=headers) as r:
            assert r.status == 401
            assert r.headers["WWW-Authenticate"] == "Bearer"
            body = await r.json()
        assert body["error"] == "unauthorized"
        assert "nicht (mehr) angemeldet" in body["message"]


async def test_expired_session_is_401(service: Service) -> None:
    token = await service.signed_in("berater")
    service.clock.advance(timedelta(hours=12, seconds=1))
    status, body = await service.call("GET", "/api/me", token)
    assert status == 401
    assert body["error"] == "unauthorized"


async def test_login_body_is_validated(service: Service) -> None:
    status, body = await service.call("POST", "/api/login", json={"username": "x"})
    assert status == 422
    assert body["field"] == "password"
    assert body["message"] == "Passwort: Diese Angabe fehlt."
