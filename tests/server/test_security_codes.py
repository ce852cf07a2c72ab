"""A dial-in code opens the page only together with the invited person's
name; attempts are capped per address (IPv6 per /64), in total and per code; an unknown code
costs the same work as an existing one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from advisor_app.server import keys
from tests.helpers.service import MONDAY_11, Service

pytestmark = pytest.mark.service


def test_names_fold_case_accents_and_spacing() -> None:
    from advisor_app.core.codes import fold_name, names_match

    assert fold_name("  Zoë   ÜNAL ") == "zoe unal"
    assert names_match("zoe unal", "Zoë Ünal")
    assert names_match("GROSS", "Groß")
    assert not names_match("Max Falsch", "Erika Mustermann")
    assert not names_match("Erika", "Erika Mustermann")


async def code_post(
    service: Service, code: str, name: str, address: str = "192.0.2.1"
) -> tuple[int, Any]:
    return await service.call(
        "POST",
        "/api/join/code",
        json={"code": code, "name": name},
        headers={"X-Forwarded-For": address},
    )


async def test_the_right_code_with_a_wrong_name_shows_nothing_personal(
    service: Service, token: str
) -> None:
    appt = await service.create(token, name="Zoë Ünal")
    code = appt["participants"][0]["dial_code"]
    service.clock.set(MONDAY_11 - timedelta(minutes=10))
    status, html = await service.call("POST", "/code", data={"code": code, "name": "Max Falsch"})
    assert status == 404
    assert "Einwahlcode und Name passen nicht zusammen" in html
    assert "Zo" not in html.replace("Zoom", "")  # no trace of the invited name
    async with service.client.post(
        "/code", data={"code": code, "name": "zoe  UNAL"}, allow_redirects=False
    ) as resp:
        assert resp.status == 303
        assert resp.headers["Location"].startswith("/j/")


async def test_attempts_are_capped_per_ipv6_network(make_service: Any) -> None:
    service = await make_service(service={"trusted_proxies": ["127.0.0.1"]})
    service.clock.set(MONDAY_11)
    statuses = [
        (await code_post(service, f"{i:09d}", "Rater", f"2001:db8:1:2::{i + 1:x}"))[0]
        for i in range(6)
    ]
    assert statuses == [404] * 5 + [429]  # one /64 is one address
    assert (await code_post(service, "000000009", "Rater", "2001:db8:1:3::1"))[0] == 404


async def test_attempts_are_capped_for_all_addresses_together(make_service: Any) -> None:
    service = await make_service(
        service={"trusted_proxies": ["127.0.0.1"], "join_global_rate_limit": "10/minute"}
    )
    service.clock.set(MONDAY_11)
    statuses = [
        (await code_post(service, f"{i:09d}", "Rater", f"198.51.100.{i}"))[0] for i in range(12)
    ]
    assert statuses == [404] * 10 + [429, 429]


async def test_wrong_names_for_one_code_rest_that_code(make_service: Any) -> None:
    service = await make_service(service={"trusted_proxies": ["127.0.0.1"]})
    token = await service.signed_in()
    appt = await service.create(token)
    code = appt["participants"][0]["dial_code"]
    service.clock.set(MONDAY_11 - timedelta(minutes=5))
    for i in range(5):
        assert (await code_post(service, code, f"Rater {i}", f"198.51.100.{i}"))[0] == 404
    status, body = await code_post(service, code, "Erika Mustermann", "203.0.113.9")
    assert status == 429  # the code rests; the personal link in the e-mail still works
    assert body["error"] == "rate_limited"


async def test_an_unknown_code_costs_the_same_work_as_an_existing_one(
    make_service: Any,
) -> None:
    """Same statements for: unknown code, existing code not yet valid, right code wrong name
    (a timing difference once came from extra queries for existing codes)."""
    service = await make_service(service={"join_rate_limit": "100/minute"})
    token = await service.signed_in()
    appt = await service.create(token, guests=[{"name": "Olena", "role": "interpreter"}])
    code = appt["participants"][0]["dial_code"]
    await service.drain()  # the invitations are written: nothing else talks to the database
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = service.app[keys.ENGINE].sync_engine
    event.listen(engine, "before_cursor_execute", count)
    unknown = "000000000" if code != "000000000" else "111111111"
    service.clock.set(MONDAY_11 - timedelta(hours=2))  # not valid yet
    runs = []
    for attempt in (unknown, code):
        statements.clear()
        assert (await code_post(service, attempt, "Erika Mustermann"))[0] == 404
        runs.append(list(statements))
    service.clock.set(MONDAY_11)
    statements.clear()
    assert (await code_post(service, code, "Max Falsch"))[0] == 404
    runs.append(list(statements))
    event.remove(engine, "before_cursor_execute", count)
    assert len(runs[0]) == 1
    assert runs[0] == runs[1] == runs[2]
