"""Screen sharing both ways, end to end: the console's real capture (mss on an Xvfb screen
showing a known picture) to Chromium, and Chromium's own ``getDisplayMedia`` (its fake
screen, an animated pattern at 1920×1080) to the console.

The page reads what it decodes back from a canvas and compares colours region by region; the
console checks it receives the citizen's screen at the size the browser captured it, on the
screen transceiver, next to the camera.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.async_api import Browser, expect

from advisor_app.client.media.screen import list_monitors, open_screen
from advisor_app.client.media.synthetic import PAUSED_BGR
from tests.helpers.citizen_browser import DESKTOP, PHONE, Live, new_page
from tests.helpers.citizen_page import CAPTURE_CHANNELS, READ_QUADRANTS, colour_close, join
from tests.helpers.console_call import console_side
from tests.helpers.screen import QUADRANTS_RGB, XScreen, quadrant_pattern, xvfb_screen

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


#: Records the screen tracks the browser hands out (the real getDisplayMedia, only watched).
RECORD_SCREENS = """
window.__screens = [];
const realGetDisplayMedia = navigator.mediaDevices.getDisplayMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getDisplayMedia = async (c) => {
  const stream = await realGetDisplayMedia(c);
  window.__screens.push(...stream.getVideoTracks());
  return stream;
};
window.__screenTrack = () => window.__screens.filter((t) => t.readyState === 'live').at(-1);
"""


@pytest.fixture
def screen() -> Iterator[XScreen]:
    with xvfb_screen(1920, 1080) as xscreen:
        yield xscreen


async def test_the_advisors_screen_arrives_large_with_the_camera_small_and_can_be_swapped(
    browser: Browser, live: Live, screen: XScreen
) -> None:
    screen.show(quadrant_pattern(1920, 1080))
    [monitor] = list_monitors()
    assert (monitor.width, monitor.height) == (1920, 1080)
    async with console_side(live.base, live.advisor_token) as console:
        page, _pid, (context, guard) = await join(browser, live, console)
        await expect(page.locator("#remote-screen")).to_be_hidden()
        problems: list[str] = []

        async def opener() -> Any:
            return await open_screen(monitor, problems.append)

        assert await console.session.start_screen(opener)

        # The page shows the shared screen large and the advisor's camera small.
        await expect(page.locator("#remote-screen")).to_be_visible(timeout=10_000)
        await expect(page.locator("#remote-video")).to_have_class("pip")
        await page.wait_for_function(
            "() => document.querySelector('#remote-screen').videoWidth === 1280", timeout=15_000
        )
        # Its picture is the Xvfb screen's, scaled to 1280×720: each quadrant its colour.
        seen: dict[str, Any] | None = None
        for _ in range(40):
            seen = await page.evaluate(READ_QUADRANTS, "#remote-screen")
            if seen and all(colour_close(seen[k], v) for k, v in QUADRANTS_RGB.items()):
                break
            await asyncio.sleep(0.25)
        assert seen is not None and (seen["width"], seen["height"]) == (1280, 720), seen
        assert all(colour_close(seen[k], v) for k, v in QUADRANTS_RGB.items()), seen
        # The camera still arrives beside it (the test picture's grey ramp, not the quadrants):
        # 16:9, at 360p or more (the console's sender gives the share the bitrate it needs
        # and steps the camera down, e.g. to 540p, while the screen is shared).
        cam = None
        for _ in range(80):
            cam = await page.evaluate(READ_QUADRANTS, "#remote-video")
            if cam and cam["height"] >= 360:
                break
            await asyncio.sleep(0.25)
        assert cam is not None and cam["height"] >= 360, cam
        assert cam["width"] * 9 == cam["height"] * 16, cam
        assert not colour_close(cam["top_left"], QUADRANTS_RGB["top_left"]), cam

        # A new picture on the screen arrives too (it is live, not a still).
        screen.show(quadrant_pattern(1920, 1080)[::-1].copy())
        await page.wait_for_function(
            f"""() => {{ const r = ({READ_QUADRANTS})('#remote-screen');
                 return r && r.top_left[2] > 150 && r.top_left[0] < 100; }}""",
            timeout=10_000,
        )

        # Paused (the ID check is open): a pause sign instead of the screen; resumed, the
        # screen again.
        console.session.pause_screen(True)
        red, blue = PAUSED_BGR[2], PAUSED_BGR[0]
        await page.wait_for_function(
            f"""() => {{ const r = ({READ_QUADRANTS})('#remote-screen');
                 return r && [r.top_left, r.bottom_right].every(
                   (c) => Math.abs(c[0] - {red}) < 12 && Math.abs(c[2] - {blue}) < 12); }}""",
            timeout=10_000,
        )
        console.session.pause_screen(False)
        await page.wait_for_function(
            f"""() => {{ const r = ({READ_QUADRANTS})('#remote-screen');
                 return r && r.top_left[2] > 150 && r.top_left[0] < 100; }}""",
            timeout=10_000,
        )

        # The citizen swaps: the camera large, the screen small; and back.
        await page.click("#swap-view")
        await expect(page.locator("#remote-screen")).to_have_class("pip")
        await expect(page.locator("#remote-video")).not_to_have_class("pip")
        await page.click("#swap-view")
        await expect(page.locator("#remote-video")).to_have_class("pip")

        # The advisor stops: the page goes back to the camera alone.
        await console.session.stop_screen()
        await expect(page.locator("#remote-screen")).to_be_hidden(timeout=10_000)
        await expect(page.locator("#swap-view")).to_be_hidden()
        await expect(page.locator("#remote-video")).not_to_have_class("pip")
        assert problems == []
        guard.check()
        await context.close()


async def test_the_citizens_screen_arrives_at_the_console_and_a_cancelled_picker_is_explained(
    browser: Browser, live: Live, caplog: pytest.LogCaptureFixture
) -> None:
    async with console_side(live.base, live.advisor_token) as console:
        page, pid, (context, guard) = await join(
            browser, live, console, RECORD_SCREENS, CAPTURE_CHANNELS
        )
        await page.set_viewport_size(DESKTOP)
        link = console.session.links[pid]
        share = page.locator("#share-screen")
        await expect(share).to_be_visible()
        await expect(share).to_have_text("Bildschirm präsentieren")
        assert not link.remote_screen.active

        await share.click()
        await expect(page.locator("#share-indicator")).to_contain_text(
            "Sie präsentieren Ihren Bildschirm"
        )
        await expect(share).to_have_text("Bildschirm präsentieren beenden")
        await console.wait_for(lambda: link.remote_screen.active and link.screen.count > 5)
        frame = link.screen.frame
        size = await page.evaluate(
            "() => { const s = window.__screenTrack().getSettings(); return [s.width, s.height]; }"
        )
        assert [frame.width, frame.height] == size  # Chromium's fake screen, at full size
        assert frame.width >= 1280
        assert link.video.count > 0  # the camera goes on beside it

        # It came on the screen transceiver, not the camera's: the camera is 1280×720.
        camera = link.video.frame
        assert (camera.width, camera.height) == (1280, 720)

        # Stopping on the page stops it at the console.
        await share.click()
        await expect(page.locator("#share-indicator")).to_be_hidden()
        await console.wait_for(lambda: not link.remote_screen.active)
        assert link.screen.frame is None
        assert await page.evaluate("() => window.__screens.every((t) => t.readyState === 'ended')")

        # The browser's own "Freigabe beenden" ends the share as the page's button does.
        await share.click()
        await console.wait_for(lambda: link.remote_screen.active)
        await page.evaluate("() => window.__screenTrack().dispatchEvent(new Event('ended'))")
        await expect(page.locator("#share-indicator")).to_be_hidden()
        await console.wait_for(lambda: not link.remote_screen.active)

        # A malformed screen message from the page is dropped with a log line; nothing changes.
        await page.evaluate(
            "() => { const c = window.__channels.at(-1);"
            " c.send(JSON.stringify({type: 'screen', active: 'ja'}));"
            " c.send(JSON.stringify({type: 'screen', active: true, mid: 7})); }"
        )
        await console.wait_for(
            lambda: (
                sum("dropped a malformed data-channel" in r.message for r in caplog.records) == 2
            )
        )
        assert not link.remote_screen.active

        # A citizen who closes the browser's picker (or is not allowed) is told; nothing ends.
        await page.evaluate(
            "() => { navigator.mediaDevices.getDisplayMedia = async () => {"
            " throw new DOMException('Permission denied', 'NotAllowedError'); }; }"
        )
        await share.click()
        await expect(page.locator('[data-problem="screen_cancelled"]')).to_contain_text(
            "Die Auswahl wurde abgebrochen"
        )
        await expect(share).to_have_text("Bildschirm präsentieren")
        assert not link.remote_screen.active
        await page.fill("#chat-input", "Noch da")
        await page.press("#chat-input", "Enter")
        await console.wait_for(lambda: bool(console.chats))
        guard.check()
        await context.close()


async def test_phones_get_no_share_button(browser: Browser, live: Live) -> None:
    context, page, guard = await new_page(
        browser,
        live,
        viewport=PHONE,
        user_agent=(
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0 Mobile Safari/537.36"
        ),
        is_mobile=True,
        has_touch=True,
    )
    from tests.helpers.citizen_page import enter_waiting_room

    async with console_side(live.base, live.advisor_token) as console:
        await enter_waiting_room(live, page)
        await console.admit_next()
        await expect(page.locator("#call-status")).to_be_hidden(timeout=20_000)
        await expect(page.locator("#hangup")).to_be_visible()
        await expect(page.locator("#share-screen")).to_be_hidden()
    guard.check()
    await context.close()
