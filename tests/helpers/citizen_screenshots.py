"""Take the citizen web app's screenshots with a real service and Debian's Chromium.

Run from the repository root (no X server needed, Chromium runs headless)::

    .venv/bin/python -m tests.helpers.citizen_screenshots

Writes ``build/screenshots/citizen/<lang>-<phone|desktop>-<nn>-<step>.png``: every step of the
journey in German and Arabic, at 360×640 (phone) and 1280×800 (desktop), as full-page shots.
The service runs in this process with a manual clock, exactly as in ``tests/e2e``.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.async_api import Browser, Page, async_playwright  # noqa: E402

from tests.helpers.citizen_browser import (  # noqa: E402
    DESKTOP,
    MORNING,
    PHONE,
    ROOM_OPEN,
    Live,
    accept_consent,
    finish_device_check,
    launch,
    live_service,
    new_page,
    receive_type,
    wait_step,
)
from tests.helpers.screenshots import BUILD  # noqa: E402

OUT = BUILD / "citizen"
#: The steps taken by default; ``--all`` writes every step.
KEPT = {
    "start",
    "consent",
    "devices-green",
    "devices-red",
    "entering-countdown",
    "waiting",
    "admitted",
    "code",
    "error",
    "legal-consent",
}
ALL = "--all" in sys.argv
NOTE = {"de": "Ich komme in wenigen Minuten.", "ar": "سأكون معك خلال دقائق قليلة."}
REASON = {
    "de": "Leider muss ich den Termin verschieben. Sie bekommen eine neue Einladung.",
    "ar": "للأسف يجب أن أؤجل الموعد. ستصلك دعوة جديدة.",
}
DENY_CAMERA = """
const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = async (c) => {
  if (c.video) throw new DOMException('Permission denied', 'NotAllowedError');
  return real(c);
};
"""


class Shooter:
    def __init__(self, page: Page, prefix: str) -> None:
        self.page = page
        self.prefix = prefix
        self.count = 0

    async def shot(self, name: str, *, full_page: bool = True) -> None:
        self.count += 1
        if not ALL and name not in KEPT:
            return
        await self.page.wait_for_timeout(300)  # let the last paint settle
        path = OUT / f"{self.prefix}-{self.count:02d}-{name}.png"
        await self.page.screenshot(path=str(path), full_page=full_page)
        print(path.relative_to(ROOT))


async def journey(browser: Browser, live: Live, lang: str, viewport: dict[str, int]) -> None:
    size = "phone" if viewport is PHONE else "desktop"
    live.clock.set(MORNING)
    _, url = await live.appointment(name="Erika Mustermann")
    context, page, guard = await new_page(browser, live, viewport=viewport)
    shooter = Shooter(page, f"{lang}-{size}")
    await page.goto(f"{url}?lang={lang}")
    await wait_step(page, "start")
    await shooter.shot("start")
    await page.click("#start-continue")
    await wait_step(page, "consent")
    await page.wait_for_selector('.legal-text[data-doc="privacy"]:not([aria-busy])')
    await shooter.shot("consent")
    await page.click("#consent-submit")
    await shooter.shot("consent-missing")
    await accept_consent(page)
    await page.wait_for_function(
        "() => document.querySelector('#result')?.dataset.verdict !== 'pending'"
    )
    await shooter.shot("devices-checking")
    await finish_device_check(page)
    await shooter.shot("devices-green")
    await page.click("#devices-continue")
    await wait_step(page, "entering")
    await shooter.shot("entering-countdown")

    advisor = await live.advisor_socket()
    live.clock.set(ROOM_OPEN)
    await page.reload()
    await wait_step(page, "entering")
    await shooter.shot("entering-open")
    await page.click("#enter-room")
    await wait_step(page, "waiting")
    pid = (await receive_type(advisor, "arrived"))["entry"]["participant_id"]
    await advisor.send_json({"type": "note", "participant_id": pid, "text": NOTE[lang]})
    await page.wait_for_selector("#notes-log li")
    await shooter.shot("waiting")
    await context.set_offline(True)
    await page.wait_for_selector("#connection.show")
    await shooter.shot("waiting-offline")
    await context.set_offline(False)
    await page.wait_for_selector("#connection.show", state="hidden", timeout=15_000)
    await page.click("#revoke")
    await page.wait_for_selector("dialog[open]")
    await shooter.shot("revoke-dialog", full_page=False)  # a modal sits in the viewport
    await page.keyboard.press("Escape")
    await advisor.send_json({"type": "admit", "participant_id": pid})
    await wait_step(page, "admitted")
    await shooter.shot("admitted")
    await page.click("#revoke")
    await page.click("dialog button.danger")
    await wait_step(page, "revoked")
    await shooter.shot("revoked")
    await context.close()

    # Sent away with a reason.
    live.clock.set(MORNING)
    _, url = await live.appointment(name="Erika Mustermann")
    await live.consent(url)
    live.clock.set(ROOM_OPEN)
    context, page, guard = await new_page(browser, live, viewport=viewport)
    shooter.page = page
    await page.goto(f"{url}?lang={lang}")
    await wait_step(page, "start")
    await shooter.shot("start-after-consent")
    await page.click("#start-continue ~ button")
    await wait_step(page, "entering")
    await page.click("#enter-room")
    await wait_step(page, "waiting")
    pid = (await receive_type(advisor, "arrived"))["entry"]["participant_id"]
    await advisor.send_json({"type": "send_away", "participant_id": pid, "reason": REASON[lang]})
    await wait_step(page, "sent_away")
    await shooter.shot("sent-away")
    await context.close()
    await advisor.close()

    # A blocked camera.
    _, url = await live.appointment(name="Erika Mustermann")
    await live.consent(url)
    context, page, guard = await new_page(browser, live, viewport=viewport)
    shooter.page = page
    await context.add_init_script(DENY_CAMERA)
    await page.goto(f"{url}?lang={lang}")
    await wait_step(page, "start")
    await page.click("#start-continue")
    await page.wait_for_selector('#result[data-verdict="red"]', timeout=20_000)
    await shooter.shot("devices-red")

    # Server pages: the code entry, an unknown link, a legal text.
    if lang == "de":
        await page.goto(f"{live.base}/code")
        await shooter.shot("code")
        await page.goto(f"{live.base}/j/AAAAAAAAAAAAAAAAAAAAAA")
        await shooter.shot("error")
    await page.goto(f"{live.base}/legal/consent?lang={lang}")
    await shooter.shot("legal-consent")
    await context.close()
    guard.check()


async def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        async with (
            live_service(Path(tmp), socket_rate_limit="1000/minute") as live,
            async_playwright() as playwright,
        ):
            browser = await launch(playwright)
            for lang in ("de", "ar"):
                for viewport in (PHONE, DESKTOP):
                    await journey(browser, live, lang, viewport)
            await browser.close()


if __name__ == "__main__":
    asyncio.run(main())
