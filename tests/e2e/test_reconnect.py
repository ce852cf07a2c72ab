"""Coming back into a running call: a reload, a dropped network, a lost console or service.

The real parts: the citizen page in Chromium (fake camera and microphone), the console's own
RoomClient and CallSession, and the service (in this process, or as a real ``serve`` child
that is killed and started again on the same port and database).
"""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, expect

from advisor_app.client.peer import PeerState
from advisor_app.core.protocol import Arrived
from tests.e2e.test_call import RECEIVED, join
from tests.helpers.citizen_browser import SHOTS, Live, wait_step
from tests.helpers.console_call import ConsoleSide, console_side

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


async def video_both_ways(page: Page, console: ConsoleSide, pid: int) -> None:
    """The page decodes the console's picture and hears it; the console decodes the camera."""
    link = console.session.links[pid]
    before = link.video.count
    await console.wait_for(lambda: link.video.count >= before + 15)
    assert link.video.frame.width == 1280
    got = await page.evaluate(RECEIVED)
    assert got is not None
    assert (got["width"], got["height"]) == (1280, 720), got
    assert got["frames"] > 10, got


def no_arrival(console: ConsoleSide) -> bool:
    """Nothing arrived in the console's waiting room (events the call did not take)."""
    pending: list[object] = []
    while not console.events.empty():
        pending.append(console.events.get_nowait())
    for event in pending:
        console.events.put_nowait(event)  # type: ignore[arg-type]
    return not any(isinstance(e, Arrived) for e in pending)


async def test_a_reload_during_the_call_returns_to_it_without_admission(
    browser: Browser, live: Live
) -> None:
    async with console_side(live.base, live.advisor_token) as console:
        page, pid, (context, guard) = await join(browser, live, console)
        link = console.session.links[pid]
        await video_both_ways(page, console, pid)
        old_pc = link.connection
        assert old_pc is not None

        await page.reload()
        await wait_step(page, "admitted")
        await expect(page.locator("#call-status")).to_be_hidden(timeout=10_000)
        await console.wait_for(lambda: link.state is PeerState.CONNECTED, timeout=10)
        assert link.connection is not old_pc
        assert old_pc.connectionState == "closed"
        assert list(console.session.links) == [pid]
        await video_both_ways(page, console, pid)
        assert no_arrival(console)
        await page.screenshot(path=str(SHOTS / "citizen_call_after_reload.png"))
        guard.check()
        await context.close()
