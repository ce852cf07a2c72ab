"""The citizen's Chromium adapts its camera to the console's transport feedback.

The console offers transport-cc; Chromium numbers its packets, the console reports their
kernel arrival times every 50 ms, and Chromium's own congestion controller sets the citizen's
bitrate from them. A console whose event loop is blocked for hundreds of milliseconds every
second (a busy PC) must not throttle the citizen, as aiortc's REMB did; a queue that really
grows on the link (here: arrival times pushed later in the feedback) must lower it.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from playwright.async_api import Browser, Page

from tests.helpers.citizen_browser import Live
from tests.helpers.citizen_page import join
from tests.helpers.console_call import console_side

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

#: Keeps the page's peer connection reachable for getStats.
RECORD_PC = """
window.__pcs = [];
const RealPC = window.RTCPeerConnection;
window.RTCPeerConnection = function (...args) {
  const pc = new RealPC(...args);
  window.__pcs.push(pc);
  return pc;
};
window.RTCPeerConnection.prototype = RealPC.prototype;
"""

#: The citizen's outgoing camera: Chromium's bandwidth estimate and its encoder's target.
OUTGOING = """
async () => {
  const pc = window.__pcs[window.__pcs.length - 1];
  const out = {available: 0, target: 0, reason: null};
  const report = await pc.getStats();
  const selected = new Set();
  report.forEach((r) => {
    if (r.type === 'transport') selected.add(r.selectedCandidatePairId);
  });
  report.forEach((r) => {
    if (r.type === 'candidate-pair' && selected.has(r.id) && r.availableOutgoingBitrate) {
      out.available = r.availableOutgoingBitrate;
    }
    if (r.type === 'outbound-rtp' && r.kind === 'video' && (r.targetBitrate || 0) > out.target) {
      out.target = r.targetBitrate;
      out.reason = r.qualityLimitationReason;
    }
  });
  return out;
}
"""


async def outgoing(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = await page.evaluate(OUTGOING)
    return result


async def wait_outgoing(page: Page, check: Any, timeout: float = 40.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        got = await outgoing(page)
        if check(got) or time.monotonic() > deadline:
            return got
        await asyncio.sleep(0.5)


async def busy_loop(seconds: float, block_s: float = 0.4) -> None:
    """The console's event loop blocked ``block_s`` of every second, like a busy PC."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        spin = time.monotonic() + block_s
        while time.monotonic() < spin:
            pass
        await asyncio.sleep(1.0 - block_s)


async def test_a_busy_console_does_not_throttle_the_citizen(browser: Browser, live: Live) -> None:
    async with console_side(live.base, live.advisor_token) as console:
        page, pid, _ = await join(browser, live, console, RECORD_PC)
        link = console.session.links[pid]
        receive = link.receive_side
        assert receive is not None
        await console.wait_for(lambda: receive.feedback_sent > 20)
        assert receive.thread is not None and receive.thread.sent > 20, "sent by the thread"
        assert receive.kernel_stamps, "the kernel's receive stamps are in use"

        before = await wait_outgoing(page, lambda s: s["available"] > 1_500_000)
        assert before["available"] > 1_500_000, before
        await busy_loop(12.0)
        during = await outgoing(page)
        receive = link.receive_side  # the same, unless a long stall made a new connection
        assert receive is not None and receive.busy(), "the console noticed its own late reads"
        assert during["available"] >= 1_000_000, (before, during)
        assert during["target"] >= 500_000, (before, during)


async def test_a_queue_in_the_feedback_lowers_the_citizens_rate(
    browser: Browser, live: Live
) -> None:
    """Arrival times that drift later and later (a queue building up on the link) make
    Chromium lower its estimate; honest times again, and it climbs back."""
    async with console_side(live.base, live.advisor_token) as console:
        page, pid, _ = await join(browser, live, console, RECORD_PC)
        receive = console.session.links[pid].receive_side
        assert receive is not None
        before = await wait_outgoing(page, lambda s: s["available"] > 1_500_000)
        assert before["available"] > 1_500_000, before

        honest = receive.recorder.record
        start = time.time_ns()

        def queued(data: bytes, arrival_ns: int) -> None:
            honest(data, arrival_ns + (arrival_ns - start) // 2)  # +500 ms per second

        receive.recorder.record = queued  # type: ignore[method-assign]
        congested = await wait_outgoing(
            page, lambda s: s["available"] < before["available"] / 2, timeout=15.0
        )
        assert congested["available"] < before["available"] / 2, (before, congested)
        receive.recorder.record = honest  # type: ignore[method-assign]
        again = await wait_outgoing(
            page, lambda s: s["available"] > congested["available"] * 1.5, timeout=30.0
        )
        assert again["available"] > congested["available"] * 1.5, (congested, again)
