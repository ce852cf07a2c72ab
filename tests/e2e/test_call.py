"""The call end to end: the console's real call stack against the citizen page in Chromium.

Chromium sends its fake camera (1280×720, 30 fps) and fake microphone (a beep); the console
sends a generated test picture and a tone. Both sides must decode video and hear real audio,
chat goes both ways, and hanging up from either side tears both down.
"""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import Browser, Page, expect

from advisor_app.client.peer import PeerState
from advisor_app.core.protocol import CallEnded
from tests.e2e.test_citizen_journey import LIVE_TRACKS, RECORD_TRACKS, to_room
from tests.helpers.citizen_browser import ROOM_OPEN, Live, new_page, wait_step
from tests.helpers.console_call import ConsoleSide, console_side

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

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


async def join(browser: Browser, live: Live, console: ConsoleSide) -> tuple[Page, int, object]:
    """The citizen from the link into the call; the console admitted them."""
    _, url = await live.appointment()
    await live.consent(url)
    live.clock.set(ROOM_OPEN)
    context, page, guard = await new_page(browser, live)
    await context.add_init_script(RECORD_TRACKS)
    await page.goto(url)
    await to_room(page)
    await page.click("#enter-room")
    await wait_step(page, "waiting")
    link = await console.admit_next()
    await wait_step(page, "admitted")
    await expect(page.locator("#call-status")).to_be_hidden(timeout=20_000)
    return page, link.participant_id, (context, guard)


async def test_video_audio_and_chat_both_ways_then_the_citizen_hangs_up(
    browser: Browser, live: Live
) -> None:
    async with console_side(live.base, live.advisor_token) as console:
        page, pid, (context, guard) = await join(browser, live, console)
        link = console.session.links[pid]
        assert link.state is PeerState.CONNECTED

        # The console decodes the citizen's camera and hears the fake microphone's beep.
        await console.wait_for(lambda: link.video.count >= 30)
        await console.wait_for(lambda: link.video.frame.width == 1280)
        assert link.video.frame.height == 720
        await console.wait_for(lambda: console.audio_peak.get(pid, -120.0) > -40.0)

        # The page decodes the console's test picture and hears its tone.
        got = await page.evaluate(RECEIVED)
        assert got is not None
        assert (got["width"], got["height"]) == (1280, 720), got
        assert got["frames"] > 10, got
        assert got["audioDb"] > -30.0, got
        await expect(page.locator("#self-video")).to_be_visible()
        await expect(page.locator("#toggle-camera")).to_have_attribute("aria-pressed", "true")
        await expect(page.locator("#toggle-microphone")).to_contain_text("Mikrofon an")

        # Chat, console to citizen: text stays text, only the http(s) address is a link.
        console.session.send_chat(
            "Hallo <b>Frau</b> Mustermann, hier: https://www.arbeitsagentur.de/formular. "
            "Nicht: javascript:alert(1)"
        )
        line = page.locator("#chat-log li.theirs").first
        await expect(line).to_contain_text("Hallo <b>Frau</b> Mustermann")
        assert await line.locator("b").count() == 0
        links = line.locator("a")
        await expect(links).to_have_count(1)
        assert await links.get_attribute("href") == "https://www.arbeitsagentur.de/formular"
        assert await links.get_attribute("rel") == "noopener noreferrer"
        assert await links.get_attribute("target") == "_blank"
        await expect(line).to_contain_text("Uhr")

        # Citizen to console, with Enter.
        await page.fill("#chat-input", "Guten Tag, ich höre Sie gut.")
        await page.press("#chat-input", "Enter")
        await expect(page.locator("#chat-log li.mine")).to_contain_text("ich höre Sie gut")
        await console.wait_for(lambda: bool(console.chats))
        assert console.chats[0].text == "Guten Tag, ich höre Sie gut."

        # Garbage from the console's side is dropped by the page, the call goes on.
        assert link._channel is not None
        link._channel.send("{kein json")
        link._channel.send('{"type": "chat", "text": 5}')
        await asyncio.sleep(0.5)
        assert link.state is PeerState.CONNECTED

        # The citizen hangs up: the closing page, devices released, the console's link gone.
        await page.click("#hangup")
        await wait_step(page, "ended")
        await expect(page.locator("h1")).to_have_text("Das Gespräch ist beendet")
        await page.wait_for_function(f"() => ({LIVE_TRACKS})() === 0")
        await console.wait_for(lambda: pid not in console.session.links)
        assert link.state is PeerState.ENDED
        assert link.connection is None
        guard.check()  # type: ignore[attr-defined]
        await context.close()  # type: ignore[attr-defined]


async def test_the_advisor_ends_the_call_and_the_citizen_may_come_back(
    browser: Browser, live: Live
) -> None:
    async with console_side(live.base, live.advisor_token) as console:
        page, pid, (context, guard) = await join(browser, live, console)
        # As the console's "Gespräch beenden" does: goodbye on the channel, then the service.
        link = console.session.links[pid]
        await console.session.remove(pid)
        assert link.connection is None
        assert await console.room.end_call(pid)
        ended = await console.next(CallEnded)
        assert ended.by == "advisor"
        await wait_step(page, "ended")
        await page.wait_for_function(f"() => ({LIVE_TRACKS})() === 0")
        # Entering again leads back to the waiting room, the console sees the arrival.
        await page.click("#enter-again")
        await wait_step(page, "entering")
        await page.click("#enter-room")
        await wait_step(page, "waiting")
        link = await console.admit_next()
        assert link.participant_id == pid
        await wait_step(page, "admitted")
        await expect(page.locator("#call-status")).to_be_hidden(timeout=20_000)
        guard.check()  # type: ignore[attr-defined]
        await context.close()  # type: ignore[attr-defined]
