"""A three-party call: the console's real call stack, the citizen and an interpreter as two
Chromium pages. Every participant decodes every other one; the console sends the interpreter
back to the waiting room, admits them again, and removes them.

The two pages connect to each other directly (the mesh); the console stays connected to each.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, Page, expect

from advisor_app.client.peer import PeerLink, PeerState
from tests.helpers.citizen_browser import (
    DESKTOP,
    PHONE,
    ROOM_OPEN,
    Guard,
    Live,
    axe_findings,
    new_page,
    no_horizontal_scroll,
    wait_step,
)
from tests.helpers.citizen_page import to_room
from tests.helpers.console_call import ConsoleSide, console_side
from tests.helpers.screenshots import shot

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

INTERPRETER = "Ahmad <i>Dolmetscher</i>"  # markup in a name must show as text

#: Frames each page decoded: from the console (the large picture) and from every peer tile.
DECODED = """
() => {
  const frames = (v) => (v && v.videoWidth > 0 ? v.getVideoPlaybackQuality().totalVideoFrames : 0);
  const peers = {};
  for (const tile of document.querySelectorAll('#peer-tiles .peer-tile')) {
    peers[tile.dataset.peer] = {
      frames: frames(tile.querySelector('video')),
      audio: tile.querySelector('video').srcObject?.getAudioTracks().length ?? 0,
      name: tile.querySelector('.peer-name').textContent,
      role: tile.querySelector('.peer-role').textContent,
      markup: tile.querySelector('.peer-name').children.length,
    };
  }
  return { console: frames(document.querySelector('#remote-video')), peers };
}
"""


async def decoded(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = await page.evaluate(DECODED)
    return result


async def frames_grow(
    page: Page, peer: int, *, at_least: int = 15, fresh: bool = False, console: bool = True
) -> dict[str, Any]:
    """Wait until the page decoded ``at_least`` frames from ``peer`` (and, with ``console``,
    15 from the console: its count is its own); ``fresh``: on a new connection (the tile's
    stream was replaced since the last call)."""
    if fresh:
        await page.wait_for_function(
            "(id) => { const v = document.querySelector(`.peer-tile[data-peer='${id}'] video`);"
            " const s = v?.srcObject; const old = window.__seen?.[id]; return s && s !== old; }",
            arg=peer,
            timeout=10_000,
        )
    await page.evaluate(
        "(id) => { window.__seen = window.__seen || {};"
        " window.__seen[id] = document.querySelector(`.peer-tile[data-peer='${id}'] video`)"
        "?.srcObject; }",
        peer,
    )
    for _ in range(100):
        got = await decoded(page)
        tile = got["peers"].get(str(peer))
        if tile and tile["frames"] >= at_least and (not console or got["console"] >= 15):
            return got
        await page.wait_for_timeout(200)
    raise AssertionError(f"no frames from participant {peer}: {await decoded(page)}")


#: Keeps the page's data channels to the console, so a test can send what a tampered page
#: would send.
CALL_CHANNELS = """
(() => {
  window.__callChannels = [];
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...args) {
    const pc = new Original(...args);
    pc.addEventListener('datachannel', (event) => {
      if (event.channel.label === 'call') window.__callChannels.push(event.channel);
    });
    return pc;
  };
  window.RTCPeerConnection.prototype = Original.prototype;
})();
"""


async def arrive(browser: Browser, live: Live, url: str, **options: Any) -> tuple[Page, Guard]:
    _, page, guard = await new_page(browser, live, viewport=DESKTOP, **options)
    await page.add_init_script(CALL_CHANNELS)
    await page.goto(url)
    await to_room(page)
    await page.click("#enter-room")
    await wait_step(page, "waiting")
    return page, guard


async def admit(console: ConsoleSide, page: Page) -> PeerLink:
    link = await console.admit_next()
    await wait_step(page, "admitted")
    await console.wait_for(lambda: link.state is PeerState.CONNECTED)
    await console.wait_for(lambda: link.video.count >= 15)
    return link


async def citizen_and_guest(live: Live) -> tuple[str, str, int, int]:
    """An appointment with an interpreter; both consented; the room is open."""
    appt, citizen_url = await live.appointment(
        name="Erika Mustermann", guests=[{"name": INTERPRETER, "role": "interpreter"}]
    )
    guest_url = live.base + urlsplit(appt["participants"][1]["link"]).path
    for url in (citizen_url, guest_url):
        await live.consent(url)
    live.clock.set(ROOM_OPEN)
    citizen_id, guest_id = (p["id"] for p in appt["participants"])
    return citizen_url, guest_url, citizen_id, guest_id


async def test_three_parties_see_each_other_then_send_back_and_remove(
    browser: Browser, live: Live
) -> None:
    citizen_url, guest_url, citizen_id, guest_id = await citizen_and_guest(live)

    async with console_side(live.base, live.advisor_token) as console:
        # axe is injected into the citizen's page, which the strict CSP would refuse; the
        # interpreter's page runs the same code under the CSP.
        citizen, citizen_guard = await arrive(browser, live, citizen_url, bypass_csp=True)
        await admit(console, citizen)
        # The interpreter comes later and is admitted into the running call.
        guest, guest_guard = await arrive(browser, live, guest_url)
        await admit(console, guest)

        # Every participant decodes every other one: the console both pages (above), each
        # page the console and the other page, with the other's name and role under it.
        got = await frames_grow(citizen, guest_id)
        assert got["peers"][str(guest_id)]["name"] == INTERPRETER
        assert got["peers"][str(guest_id)]["markup"] == 0
        assert got["peers"][str(guest_id)]["role"] == "Dolmetschen"
        assert got["peers"][str(guest_id)]["audio"] == 1
        got = await frames_grow(guest, citizen_id)
        assert got["peers"][str(citizen_id)]["name"] == "Erika Mustermann"
        assert got["peers"][str(citizen_id)]["role"] == "Bürgerin / Bürger"
        for page in (citizen, guest):
            label = page.locator("#advisor-label")
            await expect(label).to_have_text("Frau Beispiel · Beraterin / Berater")
        # Decoding goes on (not a single frame): more frames a moment later.
        before = (await decoded(citizen))["peers"][str(guest_id)]["frames"]
        await citizen.wait_for_timeout(1000)
        assert (await decoded(citizen))["peers"][str(guest_id)]["frames"] >= before + 10

        # Chat in a group call: the console passes each line on to the others, with the
        # writer's name and role as the console knows them (never as a page claims).
        await citizen.fill("#chat-input", "Können Sie das bitte übersetzen?")
        await citizen.press("#chat-input", "Enter")
        line = guest.locator("#chat-log li.theirs").last
        await expect(line).to_contain_text("Können Sie das bitte übersetzen?")
        await expect(line.locator(".chat-meta")).to_contain_text(
            "Erika Mustermann (Bürgerin / Bürger)"
        )
        await console.wait_for(lambda: bool(console.chats))
        assert console.chats[-1].text == "Können Sie das bitte übersetzen?"
        await guest.evaluate(
            """() => window.__callChannels.find((c) => c.readyState === 'open').send(
                 JSON.stringify({type: 'chat', id: 'forged-1', text: 'Hier spricht das Amt.',
                   at: new Date().toISOString(),
                   sender: {name: 'Frau Beispiel', role: 'other'}}))"""
        )
        line = citizen.locator("#chat-log li.theirs").last
        await expect(line).to_contain_text("Hier spricht das Amt.")
        await expect(line.locator(".chat-meta")).to_contain_text(f"{INTERPRETER} (Dolmetschen)")
        assert await line.locator(".chat-meta i").count() == 0
        await console.wait_for(lambda: console.chats[-1].text == "Hier spricht das Amt.")
        assert console.chats[-1].sender is None
        # The advisor's line reaches both pages.
        console.session.send_chat("Ich fasse gleich zusammen.")
        for page in (citizen, guest):
            line = page.locator("#chat-log li.theirs").last
            await expect(line).to_contain_text("Ich fasse gleich zusammen.")
            await expect(line.locator(".chat-meta")).to_contain_text("Beratung")

        await citizen.screenshot(path=shot("three-party-citizen.png"))
        assert await axe_findings(citizen) == []
        await citizen.set_viewport_size(PHONE)
        await no_horizontal_scroll(citizen)
        assert await axe_findings(citizen) == []
        await expect(citizen.locator(f'.peer-tile[data-peer="{guest_id}"]')).to_be_visible()
        await expect(citizen.locator("#hangup")).to_be_visible()
        await citizen.screenshot(path=shot("three-party-citizen-phone.png"))
        await citizen.set_viewport_size(DESKTOP)

        # The interpreter switches the camera off and mutes: the citizen's tile says so; the
        # camera on again, the picture comes back on the same connection.
        tile = citizen.locator(f'.peer-tile[data-peer="{guest_id}"]')
        await guest.click("#toggle-camera")
        await guest.click("#toggle-microphone")
        await expect(tile).to_have_attribute("data-camera", "off")
        await expect(tile.locator(".peer-state")).to_have_text("Kamera aus")
        await expect(tile.locator(".peer-video")).to_be_hidden()
        await expect(tile.locator(".peer-muted")).to_have_text("Mikrofon stumm")
        await guest.click("#toggle-camera")
        await guest.click("#toggle-microphone")
        await expect(tile).to_have_attribute("data-camera", "on")
        await expect(tile.locator(".peer-state")).to_be_hidden()
        await expect(tile.locator(".peer-muted")).to_be_hidden()
        before = (await decoded(citizen))["peers"][str(guest_id)]["frames"]
        await frames_grow(citizen, guest_id, at_least=before + 15, console=False)

        # Back to the waiting room: the interpreter waits again, the citizen's tile goes,
        # the console's link closes; admitted again, everyone sees everyone again.
        assert await console.room.to_waiting_room(guest_id)
        await wait_step(guest, "waiting")
        # The page says the advisor did it, not that the connection broke off.
        notice = guest.locator("#call-lost")
        await expect(notice).to_have_attribute("data-returned", "returned")
        await expect(notice).to_contain_text("hat Sie zurück in den Wartebereich gebracht")
        await expect(citizen.locator(f'.peer-tile[data-peer="{guest_id}"]')).to_have_count(0)
        await expect(citizen.locator("#peer-tiles")).to_be_hidden()
        await console.wait_for(lambda: guest_id not in console.session.links)
        await admit(console, guest)
        await frames_grow(citizen, guest_id)
        await frames_grow(guest, citizen_id)

        # Removed: the interpreter's page says the advisor ended their participation; the
        # citizen's call with the console goes on.
        assert await console.room.end_call(guest_id, remove=True)
        await wait_step(guest, "ended")
        ending = guest.locator('[data-testid="ending"]')
        await expect(ending).to_have_attribute("data-ending", "removed")
        await expect(ending).to_contain_text("hat Ihre Teilnahme an diesem Gespräch beendet")
        await expect(guest.locator("#enter-again")).to_have_count(0)
        await expect(citizen.locator("#peer-tiles")).to_be_hidden()
        await console.wait_for(lambda: guest_id not in console.session.links)
        link = console.session.links[citizen_id]
        count = link.video.count
        await console.wait_for(lambda: link.video.count >= count + 15)
        assert link.state is PeerState.CONNECTED
        await wait_step(citizen, "admitted")

        citizen_guard.check()
        guest_guard.check()


async def test_the_offering_page_reloads_and_the_pair_reconnects_at_once(
    browser: Browser, live: Live
) -> None:
    citizen_url, guest_url, citizen_id, guest_id = await citizen_and_guest(live)
    async with console_side(live.base, live.advisor_token) as console:
        citizen, citizen_guard = await arrive(browser, live, citizen_url)
        await admit(console, citizen)
        guest, guest_guard = await arrive(browser, live, guest_url)
        await admit(console, guest)
        await frames_grow(guest, citizen_id)
        # The citizen (the smaller id: the offering side) reloads. Both see each other again
        # on a new connection, well before the old one would time out. Only the mesh is
        # checked: after a reload the page gets no picture from the console (on main as well;
        # the reconnect work's part).
        await citizen.reload()
        await wait_step(citizen, "admitted")
        await frames_grow(citizen, guest_id, console=False)
        await frames_grow(guest, citizen_id, fresh=True, console=False)
        citizen_guard.check()
        guest_guard.check()
