"""The citizen's side: the personal link page and the dial-in code, in Berlin time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.helpers.fixtures import MakeService
from tests.helpers.service import BASE_URL, MONDAY_11, Service

pytestmark = pytest.mark.service


def path_of(link: str) -> str:
    assert link.startswith(BASE_URL + "/j/")
    return link.removeprefix(BASE_URL)


async def test_start_page_shows_berlin_time_and_strict_headers(
    service: Service, token: str
) -> None:
    appt = await service.create(token)
    async with service.client.get(path_of(appt["participants"][0]["link"])) as resp:
        assert resp.status == 200
        html = await resp.text()
        headers = resp.headers
    assert "Montag, 23. November 2026, 11:00 Uhr" in html
    assert "Ihr Videotermin findet am 23.11.2026 um 11:00 Uhr statt." in html
    assert "Monday, 23 November 2026, 11:00 (German time)" in html
    assert "Guten Tag Erika Mustermann" in html
    assert "Sie können diesen Link bereits jetzt für die Überprüfung" in html
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-store"
    assert "http://" not in html.replace(BASE_URL, "") and "https://" not in html


async def test_start_page_says_the_room_is_open_five_minutes_before(
    service: Service, token: str
) -> None:
    appt = await service.create(token)
    path = path_of(appt["participants"][0]["link"])
    service.clock.set(MONDAY_11 - timedelta(minutes=5, seconds=1))
    assert "Der Beratungsraum ist geöffnet" not in (await service.call("GET", path))[1]
    service.clock.set(MONDAY_11 - timedelta(minutes=5))
    status, html = await service.call("GET", path)
    assert status == 200
    assert "Der Beratungsraum ist geöffnet" in html


async def test_start_page_escapes_the_name(service: Service, token: str) -> None:
    appt = await service.create(token, name="<script>alert(1)</script>")
    status, html = await service.call("GET", path_of(appt["participants"][0]["link"]))
    assert status == 200
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


async def test_unknown_link_is_a_friendly_german_404(service: Service) -> None:
    for path in ("/j/AAAAAAAAAAAAAAAAAAAAAA", "/j/kurz", "/j/" + "x" * 300):
        async with service.client.get(path) as resp:
            assert resp.status == 404
            html = await resp.text()
            assert resp.headers["Referrer-Policy"] == "no-referrer"
            assert "unsafe-inline" not in resp.headers["Content-Security-Policy"]
        assert "Dieser Link ist uns nicht bekannt" in html
        assert 'href="/code"' in html
        assert "Traceback" not in html


async def test_cancelled_appointment_link_is_410(service: Service, token: str) -> None:
    appt = await service.create(token)
    await service.call("POST", f"/api/appointments/{appt['id']}/cancel", token)
    status, html = await service.call("GET", path_of(appt["participants"][0]["link"]))
    assert status == 410
    assert "Dieser Termin wurde abgesagt" in html


async def test_link_expires_after_end_plus_grace(service: Service, token: str) -> None:
    appt = await service.create(token)  # 30 minutes, grace 15 minutes
    path = path_of(appt["participants"][0]["link"])
    service.clock.set(MONDAY_11 + timedelta(minutes=44))
    assert (await service.call("GET", path))[0] == 200
    service.clock.set(MONDAY_11 + timedelta(minutes=45))
    status, html = await service.call("GET", path)
    assert status == 410
    assert "Dieser Link ist abgelaufen" in html


async def test_code_form_leads_to_the_personal_link(service: Service, token: str) -> None:
    appt = await service.create(token)
    citizen = appt["participants"][0]
    status, html = await service.call("GET", "/code")
    assert status == 200
    assert "Mit Einwahlcode anmelden" in html
    service.clock.set(MONDAY_11 - timedelta(minutes=10))
    code = citizen["dial_code"]
    typed = f"{code[:3]} {code[3:6]}-{code[6:]}"
    async with service.client.post(
        "/code", data={"code": typed, "name": "Erika Mustermann"}, allow_redirects=False
    ) as resp:
        assert resp.status == 303
        assert resp.headers["Location"] == path_of(citizen["link"])
    async with service.client.post(
        "/code", data={"code": code, "name": "Erika Mustermann"}
    ) as resp:  # the browser follows the redirect to the start page
        assert resp.status == 200
        assert "Montag, 23. November 2026, 11:00 Uhr" in await resp.text()


async def test_code_outside_its_window_or_wrong_gives_a_german_error(
    service: Service, token: str
) -> None:
    appt = await service.create(token)
    code = appt["participants"][0]["dial_code"]
    service.clock.set(MONDAY_11 - timedelta(minutes=31))
    status, html = await service.call("POST", "/code", data={"code": code, "name": "Erika M"})
    assert status == 404
    assert "Einwahlcode und Name passen nicht zusammen" in html
    assert "Der Code gilt ab 30 Minuten vor Ihrem Termin." in html
    assert f'value="{code}"' in html  # what was typed stays in the form
    service.clock.set(MONDAY_11 + timedelta(minutes=45))
    status, html = await service.call("POST", "/code", data={"code": code, "name": "Erika M"})
    assert status == 404
    service.clock.set(MONDAY_11)
    wrong = "000000000" if code != "000000000" else "111111111"
    status, html = await service.call("POST", "/code", data={"code": wrong, "name": "Erika M"})
    assert status == 404
    assert "Einwahlcode und Name passen nicht zusammen" in html
    status, html = await service.call("POST", "/code", data={"code": code, "name": "\x00"})
    assert status == 422
    assert "Der Name enthält unzulässige Steuerzeichen." in html
    status, html = await service.call("POST", "/code", data={"code": code, "name": ""})
    assert status == 422
    assert "Bitte geben Sie einen Namen ein." in html


async def test_code_of_a_cancelled_appointment_does_not_work(service: Service, token: str) -> None:
    appt = await service.create(token)
    await service.call("POST", f"/api/appointments/{appt['id']}/cancel", token)
    service.clock.set(MONDAY_11)
    status, body = await service.call(
        "POST", "/api/join/code", json={"code": appt["participants"][0]["dial_code"], "name": "E"}
    )
    assert status == 404
    assert body["error"] == "unknown_code"


async def test_code_guessing_is_rate_limited(service: Service, token: str) -> None:
    appt = await service.create(token)
    service.clock.set(MONDAY_11)
    statuses = []
    for guess in range(5):
        status, html = await service.call(
            "POST", "/code", data={"code": f"{guess:09d}", "name": "Rater"}
        )
        statuses.append(status)
    assert statuses == [404] * 5
    # the sixth try is refused even with the right code
    status, html = await service.call(
        "POST", "/code", data={"code": appt["participants"][0]["dial_code"], "name": "Erika"}
    )
    assert status == 429
    assert "Zu viele Versuche. Bitte warten Sie einige Minuten" in html
    status, body = await service.call(
        "POST", "/api/join/code", json={"code": "123456789", "name": "Rater"}
    )
    assert status == 429
    assert body["error"] == "rate_limited"


async def test_join_code_api(make_service: MakeService) -> None:
    service = await make_service(service={"join_rate_limit": "100/minute"})
    token = await service.signed_in()
    appt = await service.create(token)
    service.clock.set(MONDAY_11 - timedelta(minutes=2))
    citizen = appt["participants"][0]
    status, body = await service.call(
        "POST", "/api/join/code", json={"code": citizen["dial_code"], "name": " erika  MUSTERMANN"}
    )
    assert status == 200
    assert body == {"link": path_of(citizen["link"])}
    status, body = await service.call(
        "POST", "/api/join/code", json={"code": "12345678", "name": "Erika"}
    )
    assert status == 404
    assert body["field"] == "code"
    assert body["message"].startswith("Einwahlcode und Name passen nicht zusammen.")
    status, body = await service.call("POST", "/api/join/code", json={"code": "1"})
    assert status == 422
    assert body["message"] == "Name: Diese Angabe fehlt."


async def test_static_files_are_served_locally(service: Service) -> None:
    async with service.client.get("/static/citizen.css") as resp:
        assert resp.status == 200
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
    status, html = await service.call("GET", "/code")
    assert status == 200
    assert 'href="/static/citizen.css"' in html


async def test_unknown_pages_get_the_friendly_german_page(service: Service) -> None:
    for path in ("/j/", "/irgendwas", "/j/abc/def"):
        async with service.client.get(path) as resp:
            assert resp.status == 404
            text = await resp.text()
            assert "Diese Seite gibt es nicht" in text
            assert "Einwahlcode" in text
            assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    async with service.client.get("/api/gibtsnicht") as resp:
        assert resp.status == 404
        assert (await resp.json())["error"] == "http"
