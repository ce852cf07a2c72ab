"""One window shared to Chromium: a window of another program on an Xvfb screen, with a
green window lying over all four of its colour fields; the page must see the colour fields.
Closing the window ends the share on the page, and the console is told once."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.async_api import Browser, expect

from advisor_app.client.call_session import MediaProblem
from advisor_app.client.media import Device, list_windows, open_share
from tests.helpers.citizen_browser import Live
from tests.helpers.citizen_page import READ_QUADRANTS, colour_close, join
from tests.helpers.console_call import console_side
from tests.helpers.screen import QUADRANTS_RGB, xvfb_screen
from tests.helpers.x_windows import XWindow, wait_for_x

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

GREEN = (0, 255, 0)


@pytest.fixture
def covered_window() -> Iterator[list[XWindow]]:
    with xvfb_screen(1920, 1080):
        wait_for_x()
        made = [
            XWindow("Akte Müller – Editor", (100, 100, 960, 540)),
            # Over the editor from 15 % to 80 % of its width and 15 % to 93 % of its height:
            # every point the page reads lies under it on the screen.
            XWindow("Warteraum", (250, 180, 620, 420), "#00ff00"),
        ]
        yield made
        for window in made:
            window.stop()


async def test_a_shared_window_arrives_without_the_window_on_top_and_ends_when_closed(
    browser: Browser, live: Live, covered_window: list[XWindow]
) -> None:
    editor = next(w for w in list_windows() if w.title == "Akte Müller – Editor")
    async with console_side(live.base, live.advisor_token) as console:
        page, _pid, (context, guard) = await join(browser, live, console)
        problems: list[str] = []

        def lost(code: str) -> None:  # as the console's controller does
            problems.append(code)
            console.session.screen_lost(MediaProblem(Device.SCREEN, code))

        async def opener() -> Any:
            return await open_share(editor, lost)

        assert await console.session.start_screen(opener)
        await expect(page.locator("#remote-screen")).to_be_visible(timeout=10_000)
        await page.wait_for_function(
            "() => document.querySelector('#remote-screen').videoWidth === 960", timeout=15_000
        )
        seen: dict[str, Any] | None = None
        for _ in range(40):
            seen = await page.evaluate(READ_QUADRANTS, "#remote-screen")
            if seen and all(colour_close(seen[k], v) for k, v in QUADRANTS_RGB.items()):
                break
            await asyncio.sleep(0.25)
        assert seen is not None and (seen["width"], seen["height"]) == (960, 540), seen
        assert all(colour_close(seen[k], v) for k, v in QUADRANTS_RGB.items()), seen
        assert not any(colour_close(seen[k], GREEN) for k in QUADRANTS_RGB)

        # The program closes its window: the share ends, the page shows the camera alone.
        assert covered_window[0].command("close") == "closed"
        await console.wait_for(lambda: console.session.screen is None, timeout=10)
        await expect(page.locator("#remote-screen")).to_be_hidden(timeout=10_000)
        assert len(problems) == 1
        assert problems == ["window-closed"]
        guard.check()
        await context.close()
