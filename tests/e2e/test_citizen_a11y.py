"""Accessibility of every citizen page: axe-core (WCAG 2.1 AA rules) and keyboard operation.

axe-core comes from the npm registry (``tests/e2e/package-lock.json``) and is injected into the
page; the strict CSP would refuse that script, so only these contexts run with ``bypass_csp``.
The journey tests keep the CSP on.
"""

from __future__ import annotations

from pathlib import Path
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
    live_service,
    new_page,
    receive_type,
    until_green,
    wait_step,
)
from tests.helpers.sign_video import write_video
from tests.helpers.smtp import SmtpServer

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

LEGAL_DOCS = ("requirements", "consent", "rights", "privacy", "imprint", "accessibility")


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

    async def again() -> None:
        await tab_to(page, "#devices-retry")
        await page.keyboard.press("Enter")

    await until_green(page, again)
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


# --- the pages the law asks for: statement with its form, Leichte Sprache, Gebärdensprache -----


@pytest.mark.parametrize(
    ("lang", "viewport"),
    [("de", PHONE), ("de", DESKTOP), ("ar", PHONE), ("ar", DESKTOP)],
    ids=["de-phone", "de-desktop", "ar-phone", "ar-desktop"],
)
async def test_the_accessibility_pages_pass_axe(
    browser: Browser, tmp_path: Path, lang: str, viewport: dict[str, int]
) -> None:
    video = write_video(tmp_path / "dgs.mp4")
    async with live_service(tmp_path, sign_language_video=video) as live:
        context, page, guard = await new_page(browser, live, viewport=viewport, bypass_csp=True)
        audit = Audit(page)
        await page.goto(f"{live.base}/legal/accessibility?lang={lang}")
        await audit.run("statement")
        await page.get_by_role("button", name=SUBMIT[lang]).click()  # empty: the error shows
        await expect(page.locator("#feedback-error")).to_be_visible()
        await audit.run("statement with an error")
        await page.locator("#feedback-message").fill("Der Kontrast im Chat ist zu schwach.")
        await page.get_by_role("button", name=SUBMIT[lang]).click()
        await expect(page.locator("#feedback-sent")).to_be_visible()
        await audit.run("statement, sent")
        await page.get_by_role("link", name="Leichte Sprache", exact=True).first.click()
        await expect(page.locator("h1")).to_have_text("Leichte Sprache")
        await audit.run("Leichte Sprache")
        await page.get_by_role("link", name="Gebärdensprache").first.click()
        await expect(page.locator("video")).to_have_js_property("readyState", 4, timeout=10_000)
        assert await page.evaluate("document.querySelector('video').duration") == pytest.approx(
            2.0, abs=0.2
        )
        await audit.run("Gebärdensprache")
        guard.check()
        await context.close()
    async with live_service(tmp_path / "ohne") as bare:
        context, page, _ = await new_page(browser, bare, viewport=viewport, bypass_csp=True)
        audit_bare = Audit(page)
        await page.goto(f"{bare.base}/gebaerdensprache")
        assert await page.locator("video").count() == 0
        assert await page.get_by_role("link", name="Gebärdensprache").count() == 0
        await audit_bare.run("Gebärdensprache without a video")
        await context.close()
        audit.findings.update(audit_bare.findings)
    audit.check()


SUBMIT = {"de": "Barriere melden", "ar": "أبلِغ عن العائق"}


async def test_a_barrier_report_reaches_a_real_mail_server(
    browser: Browser, tmp_path: Path
) -> None:
    """The form as a citizen uses it, from the start page's footer to the agency's mailbox."""
    address = "barrierefrei@jobcenter.example"
    with SmtpServer() as smtp:
        async with live_service(
            tmp_path,
            smtp={"host": "127.0.0.1", "port": smtp.port, "security": "none"},
            accessibility_email=address,
            feedback_rate_limit="2/minute",
        ) as live:
            _, url = await live.appointment()
            context, page, guard = await new_page(browser, live)
            await page.goto(url)
            await wait_step(page, "start")
            async with context.expect_page() as opened:
                footer = page.get_by_role("navigation", name="Rechtliche Hinweise")
                await footer.get_by_role("link", name="Erklärung zur Barrierefreiheit").click()
            statement = await opened.value
            guard.attach(statement)
            await expect(statement.locator("h1")).to_have_text("Erklärung zur Barrierefreiheit")
            await expect(statement.get_by_role("link", name=address)).to_have_attribute(
                "href", f"mailto:{address}"
            )
            await expect(
                statement.get_by_role("link", name="www.schlichtungsstelle-bgg.de")
            ).to_be_visible()
            form = statement.get_by_role("region", name="Barriere melden")
            await form.get_by_label("Welche Barriere ist Ihnen aufgefallen?").fill(
                "Der Testton ist sehr leise.\n<b>Bitte lauter.</b>"
            )
            await form.get_by_label("Wo war das?").fill("Geräte überprüfen")
            await form.get_by_label("Ihre E-Mail-Adresse für eine Antwort").fill(
                "erika@example.org"
            )
            await form.get_by_role("button", name="Barriere melden").click()
            await expect(statement.locator("#feedback-sent")).to_have_text(
                "Vielen Dank! Ihre Nachricht wurde gesendet."
            )
            await expect(statement.locator("#feedback-message")).to_have_value("")
            (mail,) = smtp.inbox.to(address)
            body = mail.get_content().replace("\r\n", "\n")
            assert "Der Testton ist sehr leise.\n<b>Bitte lauter.</b>" in body
            assert "Wo: Geräte überprüfen" in body
            assert mail["Reply-To"] == "erika@example.org"

            # the limit: one more passes, the third is refused and keeps the text
            for text in ("Zweite Meldung", "Dritte Meldung"):
                await statement.locator("#feedback-message").fill(text)
                await statement.get_by_role("button", name="Barriere melden").click()
                await statement.wait_for_load_state()
            await expect(statement.get_by_role("alert")).to_contain_text("einige Minuten")
            await expect(statement.locator("#feedback-message")).to_have_value("Dritte Meldung")
            assert len(smtp.inbox.to(address)) == 2
            guard.check()
            await context.close()
