"""The console's send side against Chromium: it steps up to 720p on a LAN, the
advisor's "Nur Ton" and a link too weak for video pause the camera with a message on both
sides while the sound goes on, and the video comes back by itself."""

from __future__ import annotations

import asyncio
import re

import pytest
from playwright.async_api import Browser, Page, expect

from advisor_app.client.peer import PeerLink
from tests.helpers.citizen_browser import Live
from tests.helpers.citizen_page import RECEIVED, join
from tests.helpers.console_call import ConsoleSide, console_side

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

WIDTH = "document.querySelector('#remote-video').videoWidth"
LEVEL = re.compile("^(good|fair|poor)$")
FRAMES = "document.querySelector('#remote-video').getVideoPlaybackQuality().totalVideoFrames"


async def frames_in(page: Page, seconds: float) -> int:
    """Video frames the page decodes in ``seconds``."""
    before = await page.evaluate(FRAMES)
    await asyncio.sleep(seconds)
    return int(await page.evaluate(FRAMES)) - int(before)


async def stopped(page: Page, console: ConsoleSide) -> None:
    """Wait until the page decodes no more of the console's video."""
    async with asyncio.timeout(10):
        while await frames_in(page, 1.0) > 1:
            pass


async def width_reaches(page: Page, width: int, timeout: float = 20.0) -> None:
    """Wait until the page's picture of the console is ``width`` pixels wide."""
    async with asyncio.timeout(timeout):
        while await page.evaluate(WIDTH) != width:
            await asyncio.sleep(0.2)


async def flowing(page: Page, timeout: float = 30.0) -> None:
    async with asyncio.timeout(timeout):
        while await frames_in(page, 1.0) < 5:
            pass


async def test_audio_only_chosen_and_forced_by_a_weak_link_and_video_returns(
    browser: Browser, live: Live
) -> None:
    async with console_side(live.base, live.advisor_token) as console:
        pauses: list[str | None] = []
        console.session.listener.video_pause = lambda _pid, reason: pauses.append(reason)
        page, pid, (context, guard) = await join(browser, live, console)
        link: PeerLink = console.session.links[pid]
        sending = link.sending
        assert sending is not None

        # A LAN: the console steps up to 720p by itself, and the page says the link is good.
        await width_reaches(page, 1280)
        assert sending.plan.camera is not None and sending.plan.camera.step == "720p"
        quality = page.locator("#link-quality")
        # (On a loaded machine the page may find the round trip long: any plain-words level.)
        await expect(quality).to_have_attribute("data-level", LEVEL, timeout=15_000)
        await expect(quality).to_contain_text("Verbindung")
        paused = page.locator("#video-paused")
        await expect(paused).to_be_hidden()

        # The advisor chooses "Nur Ton": no more video, the page says why, the sound goes on.
        console.session.set_audio_only(True)
        await expect(paused).to_be_visible(timeout=5_000)
        await expect(paused).to_contain_text("Nur Ton")
        await expect(paused).to_contain_text("der Ton läuft weiter")
        await stopped(page, console)
        got = await page.evaluate(RECEIVED)
        assert got is not None and got["audioDb"] > -30.0, got
        assert pauses == ["chosen"]
        console.session.set_audio_only(False)
        await expect(paused).to_be_hidden(timeout=5_000)
        await flowing(page)
        assert pauses == ["chosen", None]

        # The link can no longer carry the lowest step (its estimate falls to 40 kbit/s, as
        # after a long outage): video pauses with the weak-link message on both sides ...
        sending.controller.slow_start = False
        sending.controller.estimate_kbps = 40.0
        await expect(paused).to_be_visible(timeout=5_000)
        await expect(paused).to_have_text(
            "Schwache Verbindung – das Bild ist pausiert, der Ton läuft weiter."
        )
        assert pauses[-1] == "weak"
        await expect(quality).to_have_attribute("data-level", "poor", timeout=10_000)
        await expect(quality).to_contain_text("WLAN")
        await stopped(page, console)
        got = await page.evaluate(RECEIVED)
        assert got is not None and got["audioDb"] > -30.0, got
        await page.screenshot(path="/tmp/rtcsend_weak.png", full_page=False)

        # ... and, the link being fine (Chromium's reports show no loss and a short round
        # trip), the console tries the lowest step again and the picture comes back alone.
        await expect(paused).to_be_hidden(timeout=40_000)
        assert pauses[-1] is None
        await flowing(page)
        await context.close()
        guard.check()
