"""The anonymous survey on the closing page, in Chromium: answered, skipped, once per ticket.

The console side is the advisor's real waiting-room socket (admit, "Gespräch beenden"); no
media is needed for the survey, which follows the call's end.
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import ClientWebSocketResponse
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select

from advisor_app.server import keys
from advisor_app.storage.models import StatTally
from tests.helpers.citizen_browser import (
    DESKTOP,
    PHONE,
    ROOM_OPEN,
    Guard,
    Live,
    axe_findings,
    new_page,
    no_horizontal_scroll,
    receive_type,
    wait_step,
)
from tests.helpers.citizen_page import to_room
from tests.helpers.screenshots import shot

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


async def _call_ended_by_advisor(
    browser: Browser, live: Live, viewport: dict[str, int], *, axe: bool = False
) -> tuple[Any, Page, Guard, ClientWebSocketResponse]:
    """A citizen from the link into the call; the advisor ends it: the closing page.

    ``axe``: the context may inject axe-core (the CSP would refuse it); the other tests keep
    the CSP and its guard."""
    _, url = await live.appointment()
    await live.consent(url)
    live.clock.set(ROOM_OPEN)
    advisor = await live.advisor_socket()
    context, page, guard = await new_page(browser, live, viewport=viewport, bypass_csp=axe)
    await page.goto(url)
    await to_room(page)
    await page.click("#enter-room")
    await wait_step(page, "waiting")
    pid = (await receive_type(advisor, "arrived"))["entry"]["participant_id"]
    await advisor.send_json({"type": "admit", "participant_id": pid})
    await wait_step(page, "admitted")
    await advisor.send_json({"type": "end_call", "participant_id": pid})
    await wait_step(page, "ended")
    return context, page, guard, advisor


async def _survey_counts(live: Live) -> dict[str, int]:
    async with live.service.app[keys.SESSIONS]() as session:
        rows = await session.scalars(select(StatTally).where(StatTally.metric.like("survey.%")))
        return {row.metric: row.count for row in rows}


async def test_the_citizen_answers_the_survey_once_by_keyboard_on_a_phone(
    browser: Browser, live: Live
) -> None:
    context, page, guard, advisor = await _call_ended_by_advisor(browser, live, PHONE, axe=True)
    survey = page.locator("#survey")
    await expect(survey).to_be_visible()
    await expect(survey.locator("h2")).to_have_text("Kurze Umfrage (freiwillig und anonym)")
    await expect(survey.locator("legend")).to_have_text(
        [
            "1. Wie zufrieden sind Sie insgesamt mit dem Videogespräch?",
            "2. Wie waren Ton und Bild während des Gesprächs?",
            "3. Würden Sie wieder einen Termin per Video wahrnehmen?",
        ]
    )
    # Radio groups by their question; every choice has its label.
    group = page.get_by_role("radiogroup", name="1. Wie zufrieden sind Sie insgesamt")
    await expect(group.get_by_role("radio")).to_have_count(5)
    await expect(page.get_by_role("button", name="Überspringen")).to_be_visible()
    await no_horizontal_scroll(page)
    assert await axe_findings(page) == []

    # Nothing chosen: the page says what to do, nothing is stored.
    await page.click("#survey-send")
    await expect(page.locator("#survey-error")).to_have_text(
        "Bitte wählen Sie bei mindestens einer Frage eine Antwort – oder wählen Sie „Überspringen“."
    )
    assert await _survey_counts(live) == {}

    # By keyboard: focus the first choice of question 1, arrows move within the group.
    await page.focus("#survey-satisfaction-5")
    await page.keyboard.press("Space")
    await page.keyboard.press("ArrowDown")  # → "Zufrieden"
    await expect(page.get_by_label("Zufrieden", exact=True)).to_be_checked()
    await page.get_by_label("Mittelmäßig").check()
    await page.get_by_label("Ja", exact=True).check()
    await page.screenshot(path=shot("citizen/survey-phone.png"), full_page=True)
    await page.click("#survey-send")
    thanks = page.locator("#survey-result")
    await expect(thanks).to_have_text(
        "Vielen Dank für Ihre Antworten! Sie helfen uns, die Videoberatung zu verbessern."
    )
    await expect(page.locator("#survey")).to_have_count(0)
    # A reload stays on the closing page, with the thanks instead of the form.
    await page.reload()
    await wait_step(page, "ended")
    await expect(page.locator("#survey-result")).to_contain_text("Vielen Dank für Ihre Antworten")
    assert await page.locator("#survey").count() == 0
    assert await _survey_counts(live) == {
        "survey.responses": 1,
        "survey.satisfaction.4": 1,
        "survey.av_quality.3": 1,
        "survey.use_again.yes": 1,
    }

    await advisor.close()
    guard.check()
    await context.close()


async def test_a_ticket_answered_elsewhere_is_refused_and_the_survey_can_be_skipped(
    browser: Browser, live: Live
) -> None:
    context, page, guard, advisor = await _call_ended_by_advisor(browser, live, DESKTOP)
    await expect(page.locator("#survey")).to_be_visible()
    await page.reload()  # a reload before answering: the same form again
    await wait_step(page, "ended")
    await expect(page.locator("#survey")).to_be_visible()
    await page.screenshot(path=shot("citizen/survey-desktop.png"), full_page=True)
    ticket = await page.evaluate(
        "() => Object.values(sessionStorage).map(JSON.parse).find((v) => v.survey).survey.ticket"
    )
    # The same ticket was answered meanwhile (a second tab): one answer per ticket.
    status, _ = await live.service.call(
        "POST", "/api/survey", json={"ticket": ticket, "satisfaction": 5}
    )
    assert status == 200
    await page.get_by_label("Sehr unzufrieden").check()
    await page.click("#survey-send")
    await expect(page.locator("#survey-error")).to_have_text(
        "Diese Umfrage wurde bereits beantwortet. Vielen Dank!"
    )
    await expect(page.locator("#survey-send")).to_have_count(0)
    assert await _survey_counts(live) == {"survey.responses": 1, "survey.satisfaction.5": 1}
    await advisor.close()
    await context.close()

    # Another call: "Überspringen" stores nothing and says so.
    context, page, guard2, advisor = await _call_ended_by_advisor(browser, live, PHONE)
    await expect(page.locator("#survey")).to_be_visible()
    await page.get_by_role("button", name="Überspringen").click()
    await expect(page.locator("#survey-result")).to_have_text("Sie haben die Umfrage übersprungen.")
    await expect(page.locator("#survey")).to_have_count(0)
    await expect(page.locator("#enter-again")).to_be_visible()  # the closing page stays
    assert await _survey_counts(live) == {"survey.responses": 1, "survey.satisfaction.5": 1}
    await advisor.close()
    guard.check()
    guard2.check()
    await context.close()


async def test_the_survey_in_arabic_is_right_to_left(browser: Browser, live: Live) -> None:
    context, page, guard, advisor = await _call_ended_by_advisor(browser, live, PHONE)
    await expect(page.locator("#survey")).to_be_visible()
    # The language is switched on the closing page: the survey stays, now in Arabic.
    await page.select_option("#lang-select", "ar")
    await expect(page.locator("#survey h2")).to_have_text("استبيان قصير (اختياري ومجهول الهوية)")
    assert await page.evaluate("document.documentElement.dir") == "rtl"
    await expect(page.get_by_role("button", name="تخطي")).to_be_visible()
    await no_horizontal_scroll(page)
    await page.screenshot(path=shot("citizen/survey-phone-ar.png"), full_page=True)
    await page.get_by_label("جيد جدًا").check()
    await page.click("#survey-send")
    await expect(page.locator("#survey-result")).to_contain_text("شكرًا جزيلًا")
    assert await _survey_counts(live) == {"survey.responses": 1, "survey.av_quality.5": 1}
    await advisor.close()
    guard.check()
    await context.close()
