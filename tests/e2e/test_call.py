"""The call end to end: the console's real call stack against the citizen page in Chromium.

Chromium sends its fake camera (1280×720, 30 fps) and fake microphone (a beep); the console
sends a generated test picture and a tone. Both sides must decode video and hear real audio,
chat goes both ways, and hanging up from either side tears both down.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, async_playwright, expect

from advisor_app.client.call_session import MediaOpeners
from advisor_app.client.peer import PeerState
from advisor_app.core.protocol import CallEnded
from tests.helpers.citizen_browser import (
    CHROMIUM_ARGS,
    PHONE,
    Live,
    browser_env,
    new_page,
    no_horizontal_scroll,
    receive_type,
    wait_step,
)
from tests.helpers.citizen_page import (
    CAPTURE_CHANNELS,
    LIVE_TRACKS,
    RECEIVED,
    call_with_console_process,
    enter_waiting_room,
    join,
)
from tests.helpers.console_call import _tone, console_side
from tests.helpers.screenshots import shot

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


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

        # The page decodes the console's test picture and hears its tone; the console starts
        # below 720p and steps up as the link shows it can carry more (a LAN: seconds).
        async with asyncio.timeout(20):
            while await page.evaluate("document.querySelector('#remote-video').videoWidth") != 1280:
                await asyncio.sleep(0.2)
        got = await page.evaluate(RECEIVED)
        assert got is not None
        assert (got["width"], got["height"]) == (1280, 720), got
        assert got["frames"] > 10, got
        assert got["audioDb"] > -30.0, got
        await expect(page.locator("#self-video")).to_be_visible()
        await expect(page.locator("#toggle-camera")).to_have_attribute("aria-pressed", "true")
        await expect(page.locator("#toggle-camera")).to_have_text("Videofreigabe beenden")
        await expect(page.locator("#toggle-microphone")).to_have_text("Mikrofon stumm schalten")
        await expect(page.locator("#toggle-microphone")).to_have_attribute("aria-pressed", "false")

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

        # Usable on a 360×640 phone: nothing sticks out, the controls are on screen.
        await no_horizontal_scroll(page)
        for control in ("#toggle-camera", "#toggle-microphone", "#hangup", "#chat-input"):
            await expect(page.locator(control)).to_be_visible()
        await page.screenshot(path=shot("citizen_call_phone.png"), full_page=True)

        # The citizen's camera is unplugged: the page says so, the console learns it.
        await page.evaluate(
            "() => window.__tracks.find((t) => t.kind === 'video' && t.readyState === 'live')"
            ".dispatchEvent(new Event('ended'))"
        )
        await expect(page.locator('[data-problem="camera_lost"]')).to_contain_text(
            "Ihre Kamera wurde getrennt"
        )
        await console.wait_for(
            lambda: bool(console.remote_media) and not console.remote_media[-1].camera
        )
        await expect(page.locator("#toggle-camera")).to_have_text("Video freigeben")
        await expect(page.locator("#toggle-camera")).to_have_attribute("aria-pressed", "false")

        # The citizen hangs up: the closing page, devices released, the console's link gone.
        await page.click("#hangup")
        await wait_step(page, "ended")
        await expect(page.locator("h1")).to_have_text("Das Gespräch ist beendet")
        await page.wait_for_function(f"() => ({LIVE_TRACKS})() === 0")
        await console.wait_for(lambda: pid not in console.session.links)
        assert link.state is PeerState.ENDED
        assert link.connection is None
        guard.check()
        await context.close()


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
        guard.check()
        await context.close()


NO_WEBRTC = "delete window.RTCPeerConnection;"


async def test_a_citizen_without_camera_talks_and_chats_and_garbage_is_dropped(
    browser: Browser, live: Live, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.helpers.citizen_page import DENY_CAMERA

    async with console_side(live.base, live.advisor_token) as console:
        page, pid, (context, guard) = await join(
            browser, live, console, DENY_CAMERA, CAPTURE_CHANNELS
        )
        link = console.session.links[pid]
        # The citizen is told, and takes part with sound: the console hears the microphone.
        notice = page.locator('[data-problem="camera_denied"]')
        await expect(notice).to_contain_text("Ihre Kamera ist nicht freigegeben")
        await expect(page.locator("#toggle-camera")).to_be_disabled()
        await expect(page.locator("#self-video")).to_be_hidden()
        await console.wait_for(lambda: console.audio_peak.get(pid, -120.0) > -40.0)
        await console.wait_for(lambda: bool(console.remote_media))
        assert console.remote_media[-1].camera is False
        assert link.video.count == 0
        # The citizen still sees the console.
        await page.wait_for_function(
            "() => document.querySelector('#remote-video').videoWidth === 1280"
        )
        # Garbage from the page is dropped with a log line, the call goes on.
        await page.evaluate(
            "() => { const c = window.__channels.at(-1); c.send('kein json'); "
            "c.send(JSON.stringify({type: 'chat', id: 'x', text: '', at: 'gestern'})); "
            "c.send(JSON.stringify({type: 'media', camera: 'ja'})); }"
        )
        await page.fill("#chat-input", "Trotzdem da")
        await page.press("#chat-input", "Enter")
        await console.wait_for(lambda: bool(console.chats))
        assert [m.text for m in console.chats] == ["Trotzdem da"]
        dropped = [r for r in caplog.records if "dropped a malformed data-channel" in r.message]
        assert len(dropped) == 3
        assert link.state is PeerState.CONNECTED
        guard.check()
        await context.close()


async def test_a_browser_without_webrtc_gets_a_clear_message(browser: Browser, live: Live) -> None:
    advisor = await live.advisor_socket()
    context, page, guard = await new_page(browser, live)
    await context.add_init_script(NO_WEBRTC)
    await enter_waiting_room(live, page)
    pid = (await receive_type(advisor, "arrived"))["entry"]["participant_id"]
    await advisor.send_json({"type": "admit", "participant_id": pid})
    await wait_step(page, "admitted")
    await expect(page.locator('[data-problem="no_webrtc"]')).to_contain_text(
        "Ihr Browser unterstützt keine Videogespräche"
    )
    await expect(page.locator("#hangup")).to_be_enabled()
    await advisor.close()
    guard.check()
    await context.close()


async def test_a_console_without_camera_says_so_and_the_citizen_sees_camera_off(
    browser: Browser, live: Live
) -> None:
    class Busy(Exception):
        code = "camera-busy"

    async def busy_camera() -> Any:
        raise Busy

    openers = MediaOpeners(camera=busy_camera, microphone=_tone)
    async with console_side(live.base, live.advisor_token, openers=openers) as console:
        assert [p.code for p in console.problems] == ["camera-busy"]
        assert console.session.media_state.camera is False
        page, pid, (context, guard) = await join(browser, live, console)
        await expect(page.locator("#remote-off")).to_be_visible()
        await expect(page.locator("#remote-off")).to_contain_text("ausgeschaltet")
        link = console.session.links[pid]
        await console.wait_for(lambda: link.video.count > 10)  # the other way still works
        guard.check()
        await context.close()


#: Frames the page decoded of the console's camera; with ``min``: more than that yet?
CAMERA_FRAMES = (
    "() => document.querySelector('#remote-video').getVideoPlaybackQuality().totalVideoFrames"
)
MORE_CAMERA_FRAMES = (
    "(min) => document.querySelector('#remote-video')"
    ".getVideoPlaybackQuality().totalVideoFrames > min"
)


async def test_the_advisors_camera_off_and_on_again_comes_back_on_the_page(
    browser: Browser, live: Live
) -> None:
    async with console_side(live.base, live.advisor_token) as console:
        page, _pid, (context, guard) = await join(browser, live, console)
        await page.wait_for_function(MORE_CAMERA_FRAMES, arg=30)
        assert not await console.session.set_camera(False)
        await expect(page.locator("#remote-off")).to_be_visible()
        # Twice on again (the second time a camera switched off while its sender was still
        # waiting for a frame of the old one): the picture comes back, live, each time.
        for _ in range(2):
            assert await console.session.set_camera(True)
            await expect(page.locator("#remote-off")).to_be_hidden()
            before = await page.evaluate(CAMERA_FRAMES)
            await page.wait_for_function(MORE_CAMERA_FRAMES, arg=before + 30, timeout=10_000)
            assert not await console.session.set_camera(False)
            await expect(page.locator("#remote-off")).to_be_visible()
        guard.check()
        await context.close()


def _kill_browser(profile: Path) -> int:
    """SIGKILL every process of the Chromium that uses ``profile``: a crash, no goodbye."""
    killed = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if str(profile).encode() in (proc / "cmdline").read_bytes():
                os.kill(int(proc.name), signal.SIGKILL)
                killed += 1
    return killed


async def test_a_crashed_browser_is_shown_as_interrupted_within_seconds(
    live: Live, tmp_path: Path
) -> None:
    profile = tmp_path / "chromium-profile"
    async with console_side(live.base, live.advisor_token) as console, async_playwright() as pw:
        context = await pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=shutil.which("chromium"),
            args=CHROMIUM_ARGS,
            headless=True,
            env=browser_env(),
            viewport=PHONE,  # type: ignore[arg-type]
        )
        page = context.pages[0] if context.pages else await context.new_page()
        await enter_waiting_room(live, page)
        link = await console.admit_next()
        await expect(page.locator("#call-status")).to_be_hidden(timeout=20_000)
        await console.wait_for(lambda: link.video.count > 5)
        crashed = time.monotonic()
        assert _kill_browser(profile) > 0
        await console.wait_for(lambda: link.state is PeerState.INTERRUPTED, timeout=10)
        assert time.monotonic() - crashed < 6
        with contextlib.suppress(Exception):
            await context.close()


async def test_a_crashed_console_is_shown_as_interrupted_on_the_page(
    browser: Browser, live: Live
) -> None:
    async with call_with_console_process(browser, live) as (child, context, page, guard):
        crashed = time.monotonic()
        child.kill()
        status = page.locator("#call-status")
        await expect(status).to_contain_text("Die Verbindung ist unterbrochen", timeout=8_000)
        assert time.monotonic() - crashed < 8
        await expect(page.locator("#chat-input")).to_be_disabled()
        guard.check()
        await context.close()
