"""The citizen's waiting room says whether the advisor is still in another call, and a handover.

Debian's Chromium against a real service: the booked advisor's console is an advisor socket
that admits another citizen (a socket of their own) and ends that call; the page under test
waits meanwhile. Its words come from the service's ``advisor_status`` and ``handed_over``
messages and name nobody.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientWebSocketResponse
from playwright.async_api import Browser, Page, expect

from advisor_app.server import keys
from advisor_app.storage.repositories import AdvisorRepo
from advisor_app.storage.teams import TeamRepo
from tests.helpers.citizen_browser import (
    DESKTOP,
    PHONE,
    ROOM_OPEN,
    Live,
    axe_findings,
    new_page,
    no_horizontal_scroll,
    receive_type,
    wait_step,
)
from tests.helpers.screenshots import shot
from tests.helpers.service import MONDAY_11

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

CATALOGS = Path(__file__).resolve().parents[2] / "resources" / "web" / "static" / "i18n"
BUSY_NEXT_DE = "Ihre Beraterin oder Ihr Berater ist noch im Gespräch. Sie sind als Nächstes dran."
HANDED_OVER_DE = "Sie werden von einer Kollegin oder einem Kollegen beraten."
#: The other citizen's appointment: 10:30 to 11:00 (Berlin); at ROOM_OPEN (10:56) four minutes
#: of it are left.
EARLIER = MONDAY_11 - timedelta(minutes=30)
OTHER_NAME = "Anna Andere"
WAITING_NAME = "Erika Mustermann"


def catalog(lang: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((CATALOGS / f"{lang}.json").read_text("utf-8"))
    return data


async def other_citizen_in_call(live: Live, advisor: ClientWebSocketResponse) -> tuple[Any, int]:
    """Another citizen of the same advisor, admitted into a call over their own socket (the
    advisor is busy from then on); the clock stands at the room's opening."""
    _, url = await live.appointment(starts_at=EARLIER, name=OTHER_NAME)
    await live.consent(url)
    live.clock.set(ROOM_OPEN)
    ws = await live.service.client.ws_connect("/ws/citizen")
    await ws.send_json({"type": "hello", "token": url.rsplit("/", 1)[1]})
    assert (await receive_type(ws, "state"))["phase"] == "lobby"
    await ws.send_json({"type": "enter"})
    assert (await receive_type(ws, "state"))["phase"] == "waiting"
    pid = (await receive_type(advisor, "arrived"))["entry"]["participant_id"]
    await advisor.send_json({"type": "admit", "participant_id": pid})
    assert (await receive_type(ws, "state"))["phase"] == "admitted"
    return ws, pid


async def enter_with_link(page: Page, url: str, lang: str = "de") -> None:
    """The citizen (who consented earlier) from the personal link into the waiting room."""
    words = catalog(lang)
    await page.goto(f"{url}?lang={lang}")
    await wait_step(page, "start")
    await page.get_by_role("button", name=words["start.to_room"]).click()
    await wait_step(page, "entering")
    await page.click("#enter-room")
    await wait_step(page, "waiting")


async def minutes_in(page: Page, n: int) -> str:
    """``n`` minutes as the page's language writes them (Intl, with its plural forms)."""
    return str(
        await page.evaluate(
            "([lang, n]) => new Intl.NumberFormat(lang, {style: 'unit', unit: 'minute',"
            " unitDisplay: 'long'}).format(n)",
            [await page.get_attribute("html", "lang"), n],
        )
    )


async def test_the_waiting_citizen_hears_the_advisor_is_still_in_a_call(
    browser: Browser, live: Live
) -> None:
    advisor = await live.advisor_socket()
    other, other_pid = await other_citizen_in_call(live, advisor)
    _, url = await live.appointment(name=WAITING_NAME)
    await live.consent(url)
    # bypass_csp only for axe-core's script (the handover test keeps the CSP on).
    context, page, guard = await new_page(browser, live, viewport=DESKTOP, bypass_csp=True)
    await enter_with_link(page, url)

    region = page.locator("#advisor-status")
    await expect(region).to_have_text(
        f"{BUSY_NEXT_DE} Das Gespräch dauert voraussichtlich noch etwa 4 Minuten."
    )
    assert await region.get_attribute("role") == "status"
    assert await region.get_attribute("aria-live") == "polite"
    assert await region.get_attribute("data-state") == "in_call"
    main = await page.inner_text("main")
    assert OTHER_NAME not in main and "Anna" not in main  # nothing about the other citizen
    assert "Bitte bleiben Sie zum jetzigen Zeitpunkt auf dieser Seite." in main
    assert await axe_findings(page) == []
    await page.screenshot(path=shot("teams/citizen-waiting-in-call-de.png"), full_page=True)

    # The other call ends: the same region (not a new one) drops the sentence.
    await page.evaluate("window.__region = document.querySelector('#advisor-status')")
    await advisor.send_json({"type": "end_call", "participant_id": other_pid})
    assert (await receive_type(other, "state"))["phase"] == "ended"
    await expect(region).to_have_attribute("data-state", "available")
    await expect(region).to_have_text("")
    assert await page.evaluate("window.__region === document.querySelector('#advisor-status')")
    await wait_step(page, "waiting")
    assert "noch im Gespräch" not in await page.inner_text("main")

    await other.close()
    await advisor.close()
    guard.check()
    await context.close()


async def test_the_same_page_in_arabic_right_to_left(browser: Browser, live: Live) -> None:
    advisor = await live.advisor_socket()
    other, _ = await other_citizen_in_call(live, advisor)
    _, url = await live.appointment(name=WAITING_NAME)
    await live.consent(url)
    context, page, guard = await new_page(browser, live, viewport=PHONE, bypass_csp=True)
    await enter_with_link(page, url, "ar")
    assert await page.get_attribute("html", "dir") == "rtl"
    assert await page.get_attribute("html", "lang") == "ar"

    words = catalog("ar")
    left = words["waiting.minutes_left"].replace("{duration}", await minutes_in(page, 4))
    region = page.locator("#advisor-status")
    await expect(region).to_have_text(f"{words['waiting.advisor_busy_next']} {left}")
    assert await region.get_attribute("aria-live") == "polite"
    await no_horizontal_scroll(page)
    assert await axe_findings(page) == []
    await page.screenshot(path=shot("teams/citizen-waiting-in-call-ar.png"), full_page=True)

    await other.close()
    await advisor.close()
    guard.check()
    await context.close()


async def test_behind_another_waiting_citizen_the_page_does_not_say_next(
    browser: Browser, live: Live
) -> None:
    advisor = await live.advisor_socket()
    other, _ = await other_citizen_in_call(live, advisor)
    # Someone else waits for the same advisor first (a socket of their own).
    _, first_url = await live.appointment(name="Bernd Beispiel")
    await live.consent(first_url)
    first = await live.service.client.ws_connect("/ws/citizen")
    await first.send_json({"type": "hello", "token": first_url.rsplit("/", 1)[1]})
    assert (await receive_type(first, "state"))["phase"] == "lobby"
    await first.send_json({"type": "enter"})
    assert (await receive_type(first, "state"))["phase"] == "waiting"
    await receive_type(advisor, "arrived")

    _, url = await live.appointment(name=WAITING_NAME)
    await live.consent(url)
    context, page, guard = await new_page(browser, live)
    await enter_with_link(page, url)
    region = page.locator("#advisor-status")
    busy = "Ihre Beraterin oder Ihr Berater ist noch im Gespräch."
    await expect(region).to_have_text(
        f"{busy} Das Gespräch dauert voraussichtlich noch etwa 4 Minuten."
    )
    assert "Bernd" not in await page.inner_text("main")

    # The one ahead leaves the waiting room: now this page is next.
    await first.send_json({"type": "leave"})
    await expect(region).to_have_text(
        f"{BUSY_NEXT_DE} Das Gespräch dauert voraussichtlich noch etwa 4 Minuten."
    )

    for ws in (first, other, advisor):
        await ws.close()
    guard.check()
    await context.close()


async def colleague_in_team(live: Live) -> tuple[int, str]:
    """A colleague ("kollegin") in one team with the booked advisor; her id and session."""
    colleague = await live.service.add_advisor("kollegin", "Frau Vertretung")
    async with live.service.app[keys.SESSIONS]() as session:
        await TeamRepo(session).add("Team Nord", live.clock.now())
        await session.commit()
    async with live.service.app[keys.SESSIONS]() as session:  # as ``admin team member add``
        repo = TeamRepo(session)
        team = await repo.by_name("Team Nord")
        assert team is not None
        for username in ("berater", "kollegin"):
            advisor = await AdvisorRepo(session).by_username(username)
            assert advisor is not None
            await repo.set_member(team, advisor, lead=username == "berater")
        await session.commit()
    return colleague.id, await live.service.token_for("kollegin")


async def test_a_handover_keeps_the_place_and_says_a_colleague_advises(
    browser: Browser, live: Live
) -> None:
    colleague_id, colleague_token = await colleague_in_team(live)
    advisor = await live.advisor_socket()
    colleague = await live.service.client.ws_connect("/ws/advisor")
    await colleague.send_json({"type": "hello", "token": colleague_token})
    await receive_type(colleague, "waiting")
    _, url = await live.appointment(name=WAITING_NAME)
    await live.consent(url)
    live.clock.set(ROOM_OPEN)
    context, page, guard = await new_page(browser, live)  # the CSP stays on
    await enter_with_link(page, url)
    arrived = (await receive_type(advisor, "arrived"))["entry"]
    pid = arrived["participant_id"]

    note = "Bitte übernehmen, Unterlagen liegen vor"
    await advisor.send_json(
        {"type": "hand_over", "participant_id": pid, "to_advisor_id": colleague_id, "note": note}
    )
    region = page.locator("#advisor-status")
    await expect(region).to_have_text(HANDED_OVER_DE)
    assert await region.get_attribute("data-handed-over") == "true"
    handed = await receive_type(colleague, "handed_to_you")
    assert (handed["participant_id"], handed["note"]) == (pid, note)
    # The same place: the colleague's room has the citizen with the first arrival's time.
    entry = (await receive_type(colleague, "arrived"))["entry"]
    assert (entry["participant_id"], entry["waiting_since"]) == (pid, arrived["waiting_since"])
    assert (await receive_type(advisor, "departed"))["reason"] == "handed_over"
    main = await page.inner_text("main")
    assert note not in main and "Vertretung" not in main  # neither the note nor her name
    assert await page.locator('[data-step="waiting"]').count() == 1
    await page.screenshot(path=shot("teams/citizen-waiting-handed-over-de.png"), full_page=True)

    # A reload keeps the sentence; no consent, no new admission asked for.
    await page.reload()
    await wait_step(page, "waiting")
    await expect(region).to_have_text(HANDED_OVER_DE)
    assert await page.locator('[data-step="consent"]').count() == 0

    # The colleague admits: the call begins, the sentence has done its work.
    await colleague.send_json({"type": "admit", "participant_id": pid})
    await wait_step(page, "admitted")
    assert (
        await page.evaluate(
            "JSON.parse(Object.entries(sessionStorage).find(([k]) =>"
            " k.startsWith('mein-videotermin:'))[1]).handedOver"
        )
        is False
    )

    for ws in (colleague, advisor):
        await ws.close()
    guard.check()
    await context.close()
