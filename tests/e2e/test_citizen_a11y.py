"""Accessibility of every citizen page: axe-core (WCAG 2.1 AA rules) and keyboard operation.

axe-core comes from the npm registry (``tests/e2e/package-lock.json``) and is injected into the
page; the strict CSP would refuse that script, so only these contexts run with ``bypass_csp``.
The journey tests keep the CSP on.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from tests.helpers.citizen_browser import (
    AXE,
    DESKTOP,
    PHONE,
    ROOM_OPEN,
    Live,
    accept_consent,
    axe_findings,
    finish_device_check,
    new_page,
    receive_type,
    wait_step,
)

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

LEGAL_DOCS = ("requirements", "consent", "rights", "privacy", "imprint")


class Audit:
    """axe findings (and, on the phone, horizontal scrolling) per page, reported together."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.findings: dict[str, list[Any]] = {}

    async def run(self, name: str) -> None:
        found: list[Any] = await axe_findings(self.page)
        width = await self.page.evaluate("document.scrollingElement.scrollWidth")
        viewport = self.page.viewport_size
        if viewport and width > viewport["width"]:
            found.append(f"{width}px wide on a {viewport['width']}px screen")
        if found:
            self.findings[name] = found

    def check(self) -> None:
        assert not self.findings, self.findings


@pytest.fixture(scope="module", autouse=True)
def axe_installed() -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test` (npm ci in tests/e2e)")


@pytest.mark.parametrize(
    ("lang", "viewport"), [("de", DESKTOP), ("ar", PHONE)], ids=["de-desktop", "ar-phone"]
)
async def test_every_page_passes_axe(
    browser: Browser, live: Live, lang: str, viewport: dict[str, int]
) -> None:
    _, url = await live.appointment()
    context, page, _ = await new_page(browser, live, viewport=viewport, bypass_csp=True)
    audit = Audit(page)
    await page.goto(f"{url}?lang={lang}")
    await wait_step(page, "start")
    await audit.run("start")
    await page.click("#start-continue")
    await wait_step(page, "consent")
    await expect(page.locator('.legal-text[data-doc="privacy"]')).not_to_have_attribute(
        "aria-busy", "true"
    )
    await page.click("#consent-submit")  # with the error message showing
    await audit.run("consent")
    await accept_consent(page)
    await finish_device_check(page)
    await audit.run("devices")
    await page.click("#devices-continue")
    await wait_step(page, "entering")
    await audit.run("entering (countdown)")

    advisor = await live.advisor_socket()
    live.clock.set(ROOM_OPEN)
    await page.reload()
    await wait_step(page, "entering")
    await audit.run("entering (open)")
    await page.click("#enter-room")
    await wait_step(page, "waiting")
    pid = (await receive_type(advisor, "arrived"))["entry"]["participant_id"]
    await advisor.send_json({"type": "note", "participant_id": pid, "text": "Gleich geht es los"})
    await expect(page.locator("#notes-log li")).to_have_count(1)
    await audit.run("waiting")
    await page.click("#revoke")
    await expect(page.locator("dialog")).to_be_visible()
    await audit.run("revoke dialog")
    await page.keyboard.press("Escape")
    await advisor.send_json({"type": "admit", "participant_id": pid})
    await wait_step(page, "admitted")
    await audit.run("admitted")
    await page.click("#revoke")
    await page.get_by_role("button", name="Ja" if lang == "de" else "نعم").first.click()
    await wait_step(page, "revoked")
    await audit.run("revoked")
    await advisor.close()

    await page.goto(f"{live.base}/code")
    await audit.run("code page")
    await page.goto(f"{live.base}/j/AAAAAAAAAAAAAAAAAAAAAA")
    await audit.run("error page")
    for doc in LEGAL_DOCS:
        response = await page.goto(f"{live.base}/legal/{doc}?lang={lang}")
        assert response is not None and response.status == 200, doc
        await audit.run(f"legal {doc}")
    await context.close()
    audit.check()


async def tab_to(page: Page, selector: str, presses: int = 60) -> None:
    """Press Tab until ``selector`` has the focus (as a keyboard user would)."""
    target = page.locator(selector)
    for _ in range(presses):
        await page.keyboard.press("Tab")
        if await target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} not reachable with Tab")


async def outline_width(page: Page) -> float:
    width = await page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    return float(str(width).removesuffix("px") or 0)


async def test_the_journey_works_with_the_keyboard_alone(browser: Browser, live: Live) -> None:
    _, url = await live.appointment()
    live.clock.set(ROOM_OPEN)
    context, page, guard = await new_page(browser, live, viewport=DESKTOP)
    await page.goto(url)
    await wait_step(page, "start")
    await tab_to(page, "#lang-select")
    assert await outline_width(page) >= 2
    await tab_to(page, "#start-continue")
    assert await outline_width(page) >= 2
    await page.keyboard.press("Enter")
    await wait_step(page, "consent")
    await tab_to(page, "#accept-consent")
    await page.keyboard.press("Space")
    await tab_to(page, "#accept-privacy")
    await page.keyboard.press("Space")
    await tab_to(page, "#consent-submit")
    await page.keyboard.press("Enter")
    await wait_step(page, "devices")
    await page.wait_for_function(
        "() => document.querySelector('#result')?.dataset.verdict !== 'pending'"
    )
    await tab_to(page, "#play-chime")
    await page.keyboard.press("Enter")
    await tab_to(page, "#heard-yes")
    await page.keyboard.press("Enter")
    await expect(page.locator("#result")).to_have_attribute("data-verdict", "green")
    await tab_to(page, "#devices-continue")
    await page.keyboard.press("Enter")
    await wait_step(page, "entering")
    await tab_to(page, "#enter-room")
    await page.keyboard.press("Enter")
    await wait_step(page, "waiting")
    await tab_to(page, "#leave-room")
    await page.keyboard.press("Enter")
    await wait_step(page, "entering")
    guard.check()
    await context.close()
