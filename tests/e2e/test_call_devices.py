"""The console's own device path in a call: a video file as its camera, PulseAudio's null sink
as its speaker and the sink's monitor as its microphone (no hardware here), with the shared
echo canceller in between. Chromium is the citizen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, expect

from advisor_app.client.call_media import DeviceMedia
from advisor_app.client.call_session import MediaOpeners
from advisor_app.client.media import MediaPreferences
from tests.helpers.citizen_browser import Live, new_page
from tests.helpers.citizen_page import enter_waiting_room
from tests.helpers.console_call import _tone, console_side
from tests.helpers.media import HEIGHT, WIDTH, write_video
from tests.helpers.pulse import PulseServer

pytestmark = [pytest.mark.e2e, pytest.mark.audio, pytest.mark.asyncio(loop_scope="module")]


async def test_the_consoles_camera_microphone_and_speaker_in_a_call(
    browser: Browser, live: Live, pulse_audio: PulseServer, tmp_path: Path
) -> None:
    camera = write_video(tmp_path / "camera.avi", frames=450)  # 30 s at 15 fps
    media = DeviceMedia(MediaPreferences(camera=str(camera), microphone=None, speaker=None))
    async with console_side(live.base, live.advisor_token, media=media) as console:
        assert console.problems == []
        assert console.session.camera is not None and console.session.microphone is not None
        context, page, guard = await new_page(browser, live)
        await enter_waiting_room(live, page)
        link = await console.admit_next()
        await expect(page.locator("#call-status")).to_be_hidden(timeout=20_000)
        # The page shows the console's camera (the file, at its own size) ...
        await page.wait_for_function(
            f"() => document.querySelector('#remote-video').videoWidth === {WIDTH}"
            f" && document.querySelector('#remote-video').videoHeight === {HEIGHT}"
        )
        # ... and the console plays the citizen's microphone on its speaker.
        await console.wait_for(lambda: console.audio_peak.get(link.participant_id, -120) > -40)
        speaker = media._speaker
        assert speaker is not None
        await speaker.opened
        await console.wait_for(lambda: speaker.played_blocks > 50)
        assert speaker.playing
        guard.check()
        await context.close()
    # Ended: every device released.
    assert not speaker.playing
    assert media._feeds == {}


async def test_a_camera_unplugged_during_the_call_is_reported_and_the_call_goes_on(
    browser: Browser, live: Live, tmp_path: Path
) -> None:
    camera = write_video(tmp_path / "short.avi", frames=45)  # three seconds, then "unplugged"
    media = DeviceMedia(MediaPreferences(camera=str(camera), microphone=None, speaker=None))
    openers = media.openers  # the console's own device path, microphone left out here

    def camera_only(lost: Any) -> MediaOpeners:
        return MediaOpeners(camera=openers(lost).camera, microphone=_tone)

    media.openers = camera_only  # type: ignore[method-assign]
    async with console_side(live.base, live.advisor_token, media=media) as console:
        context, page, guard = await new_page(browser, live)
        await enter_waiting_room(live, page)
        link = await console.admit_next()
        await expect(page.locator("#call-status")).to_be_hidden(timeout=20_000)
        await console.wait_for(lambda: bool(console.problems), timeout=15)
        assert console.problems[0].kind == "camera"
        assert console.problems[0].code == "camera-lost"
        assert console.session.camera is None
        # The page is told the advisor's camera is off; sound and chat go on.
        await expect(page.locator("#remote-off")).to_be_visible(timeout=10_000)
        await console.wait_for(lambda: console.audio_peak.get(link.participant_id, -120) > -40)
        console.session.send_chat("Noch da?")
        await expect(page.locator("#chat-log li.theirs")).to_contain_text("Noch da?")
        guard.check()
        await context.close()
