"""The citizen's page in Chromium: scripts it runs, and the steps from the link to a call."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
from collections.abc import AsyncIterator
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.helpers.citizen_browser import (
    ROOM_OPEN,
    Guard,
    Live,
    new_page,
    wait_step,
)
from tests.helpers.console_call import ConsoleSide, console_child


async def to_room(page: Page) -> None:
    """From the start page of someone who consented earlier to the entering step."""
    await wait_step(page, "start")
    await page.click("text=Direkt zum Beratungsraum")
    await wait_step(page, "entering")


#: Keeps every camera and microphone track the page opens, to see that it lets them go.
RECORD_TRACKS = """
window.__tracks = [];
const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = async (c) => {
  const stream = await realGetUserMedia(c);
  window.__tracks.push(...stream.getTracks());
  return stream;
};
"""


LIVE_TRACKS = "() => window.__tracks.filter((t) => t.readyState === 'live').length"


DENY_CAMERA = """
const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = async (c) => {
  if (c.video) throw new DOMException('Permission denied', 'NotAllowedError');
  return real(c);
};
"""


#: Decoded frames and the audio level of what the page receives from the console.
RECEIVED = """
async () => {
  const video = document.querySelector('#remote-video');
  const stream = video.srcObject;
  if (!stream || !stream.getAudioTracks().length) return null;
  const ctx = new AudioContext();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 2048;
  ctx.createMediaStreamSource(stream).connect(analyser);
  const data = new Float32Array(analyser.fftSize);
  let peak = 0;
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 50));
    analyser.getFloatTimeDomainData(data);
    const rms = Math.sqrt(data.reduce((s, v) => s + v * v, 0) / data.length);
    peak = Math.max(peak, rms);
  }
  await ctx.close();
  return {
    width: video.videoWidth,
    height: video.videoHeight,
    frames: video.getVideoPlaybackQuality().totalVideoFrames,
    audioDb: peak > 0 ? 20 * Math.log10(peak) : -120,
  };
}
"""


async def enter_waiting_room(live: Live, page: Page, step: str = "waiting") -> None:
    """A new appointment; its citizen, who consented earlier, from the link into the room
    (``step``: where the page is expected to be then; "admitted" when a console admits at once)."""
    _, url = await live.appointment()
    await live.consent(url)
    live.clock.set(ROOM_OPEN)
    await page.goto(url)
    await to_room(page)
    await page.click("#enter-room")
    await wait_step(page, step)


async def join(
    browser: Browser, live: Live, console: ConsoleSide, *scripts: str
) -> tuple[Page, int, tuple[BrowserContext, Guard]]:
    """The citizen from the link into the call; the console admitted them."""
    context, page, guard = await new_page(browser, live)
    for script in (RECORD_TRACKS, *scripts):
        await context.add_init_script(script)
    await enter_waiting_room(live, page)
    link = await console.admit_next()
    await wait_step(page, "admitted")
    await expect(page.locator("#call-status")).to_be_hidden(timeout=20_000)
    return page, link.participant_id, (context, guard)


CAPTURE_CHANNELS = """
window.__channels = [];
const RealPC = window.RTCPeerConnection;
window.RTCPeerConnection = function (...args) {
  const pc = new RealPC(...args);
  pc.addEventListener('datachannel', (e) => window.__channels.push(e.channel));
  return pc;
};
window.RTCPeerConnection.prototype = RealPC.prototype;
"""


@contextlib.asynccontextmanager
async def call_with_console_process(
    browser: Browser, live: Live
) -> AsyncIterator[tuple[Any, BrowserContext, Page, Any]]:
    """A call between a page and a console in a child process of its own (which a test may
    kill): yields the process, the page's context, the page and its script-error guard."""
    ctx = multiprocessing.get_context("spawn")
    out: Any = ctx.Queue()
    child = ctx.Process(target=console_child, args=(live.base, live.advisor_token, out))
    child.start()
    try:
        assert await asyncio.to_thread(out.get, True, 30) == "ready"
        context, page, guard = await new_page(browser, live)
        await enter_waiting_room(live, page, "admitted")
        assert await asyncio.to_thread(out.get, True, 30) == "connected"
        await expect(page.locator("#call-status")).to_be_hidden(timeout=20_000)
        yield child, context, page, guard
    finally:
        child.kill()
        child.join(timeout=10)


#: The colours at the centres of the four quadrants of a video element, read from a canvas.
READ_QUADRANTS = """
(selector) => {
  const video = document.querySelector(selector);
  if (!video || !video.videoWidth) return null;
  const w = video.videoWidth, h = video.videoHeight;
  const canvas = document.createElement('canvas');
  canvas.width = w; canvas.height = h;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  g.drawImage(video, 0, 0, w, h);
  const at = (fx, fy) => {
    const d = g.getImageData(Math.round(w * fx) - 8, Math.round(h * fy) - 8, 16, 16).data;
    const sum = [0, 0, 0];
    for (let i = 0; i < d.length; i += 4) {
      sum[0] += d[i]; sum[1] += d[i + 1]; sum[2] += d[i + 2];
    }
    return sum.map((v) => Math.round(v / (d.length / 4)));
  };
  return {
    width: w, height: h,
    top_left: at(0.25, 0.25), top_right: at(0.75, 0.25),
    bottom_left: at(0.25, 0.75), bottom_right: at(0.75, 0.75),
  };
}
"""


def colour_close(got: list[int], want: tuple[int, int, int], tolerance: int = 30) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(got, want, strict=True))
