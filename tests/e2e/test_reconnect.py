"""Coming back into a running call: a reload, a dropped network, a lost console or service.

The real parts: the citizen page in Chromium (fake camera and microphone), the console's own
RoomClient and CallSession, and the service (in this process, or as a real ``serve`` child
that is killed and started again on the same port and database).
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer
from playwright.async_api import Browser, Page, expect

from advisor_app.client.peer import PeerState
from advisor_app.client.service_client import ServiceClient
from advisor_app.core.clock import ManualClock
from advisor_app.core.protocol import Arrived, IceConfig
from advisor_app.server.app import create_app
from advisor_app.server.logs import AccessLogger
from tests.helpers.citizen_browser import (
    PHONE,
    Guard,
    Live,
    live_service,
    new_page,
    wait_step,
)
from tests.helpers.citizen_page import RECEIVED, call_with_console_process, join, to_room
from tests.helpers.citizens import Citizen, book
from tests.helpers.console_call import ConsoleSide, console_side
from tests.helpers.coturn import coturn
from tests.helpers.processes import Serve, child_env, free_port
from tests.helpers.screenshots import shot
from tests.helpers.service import Service, make_settings

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]
TURN_SECRET = "turn-geheimnis-nur-für-den-test"


async def video_both_ways(page: Page, console: ConsoleSide, pid: int) -> None:
    """The page decodes the console's picture and hears it; the console decodes the camera."""
    link = console.session.links[pid]
    before = link.video.count
    await console.wait_for(lambda: link.video.count >= before + 15)
    # After an outage the page may have balanced its camera (a weak uplink) until its send
    # estimate has climbed again, or a quiet link let it try full resolution (10 s).
    await console.wait_for(lambda: link.video.frame.width == 1280, timeout=40)
    # the console starts below 720p and steps up as the link shows it can carry more (LAN: s)
    async with asyncio.timeout(20):
        while await page.evaluate("document.querySelector('#remote-video').videoWidth") != 1280:
            await asyncio.sleep(0.2)
    got = await page.evaluate(RECEIVED)
    assert got is not None
    assert (got["width"], got["height"]) == (1280, 720), got
    assert got["frames"] > 10, got


#: Keeps every RTCPeerConnection the page makes in ``window.__pcs``.
CAPTURE_PCS = """
window.__pcs = [];
const RealPC = window.RTCPeerConnection;
window.RTCPeerConnection = function (...args) {
  const pc = new RealPC(...args);
  window.__pcs.push(pc);
  return pc;
};
window.RTCPeerConnection.prototype = RealPC.prototype;
"""


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
        await page.screenshot(path=shot("citizen_call_after_reload.png"))
        guard.check()
        await context.close()


async def test_a_network_drop_shorter_than_the_grace_keeps_the_citizen_in_the_call(
    browser: Browser, live: Live
) -> None:
    """The page's socket goes while offline (Chromium's offline mode does not stop WebRTC on
    loopback, so the media path is cut separately: the page's connection is closed, as a dead
    network would end it). Back online, the page asks again and the console offers afresh."""
    async with console_side(live.base, live.advisor_token) as console:
        page, pid, (context, guard) = await join(browser, live, console, CAPTURE_PCS)
        link = console.session.links[pid]
        await video_both_ways(page, console, pid)
        old_pc = link.connection
        await context.set_offline(True)
        await expect(page.locator("#connection")).to_contain_text("Verbindung unterbrochen")
        await page.evaluate("() => window.__pcs.at(-1).close()")
        await expect(page.locator("#call-status")).to_contain_text(
            "Die Verbindung ist unterbrochen", timeout=10_000
        )
        await page.screenshot(path=shot("citizen_call_reconnecting.png"))
        await context.set_offline(False)
        await expect(page.locator("#connection")).to_be_hidden(timeout=10_000)
        await expect(page.locator("#call-status")).to_be_hidden(timeout=10_000)
        await wait_step(page, "admitted")
        await console.wait_for(lambda: link.connection is not old_pc, timeout=10)
        await console.wait_for(lambda: link.state is PeerState.CONNECTED, timeout=10)
        assert list(console.session.links) == [pid]
        await video_both_ways(page, console, pid)
        assert no_arrival(console)
        guard.check()
        await context.close()


async def test_a_network_drop_longer_than_the_grace_returns_the_citizen_to_the_waiting_room(
    browser: Browser, tmp_path: Path
) -> None:
    async with (
        live_service(tmp_path, reconnect_grace_s=2.0) as live,
        console_side(live.base, live.advisor_token) as console,
    ):
        page, pid, (context, guard) = await join(browser, live, console)
        await video_both_ways(page, console, pid)
        await context.set_offline(True)
        await expect(page.locator("#connection")).to_contain_text("Verbindung unterbrochen")
        # The service gives up after the grace: the console's call with them ends ...
        await console.wait_for(lambda: pid not in console.session.links, timeout=10)
        await context.set_offline(False)
        # ... and the page goes back into the waiting room by itself and says why.
        await wait_step(page, "waiting")
        await expect(page.locator("#call-lost")).to_contain_text(
            "Die Verbindung zum Gespräch ist abgebrochen. Sie sind wieder im Wartebereich"
        )
        await expect(page.locator("#connection")).to_be_hidden()
        await page.screenshot(path=shot("citizen_waiting_after_call_lost.png"))
        await console.wait_for(lambda: pid in console.waiting)
        # Admitted again, the call runs as before.
        link = await console.admit_next()
        assert link.participant_id == pid
        await wait_step(page, "admitted")
        await expect(page.locator("#call-status")).to_be_hidden(timeout=10_000)
        await video_both_ways(page, console, pid)
        guard.check()
        await context.close()


async def test_a_restarted_console_finds_the_citizen_in_its_waiting_room_again(
    browser: Browser, live: Live
) -> None:
    async with call_with_console_process(browser, live) as (child, context, page, guard):
        child.kill()  # the console crashes in the call
        await expect(page.locator("#call-status")).to_contain_text(
            "Die Verbindung ist unterbrochen", timeout=8_000
        )
        # The console starts again (well within the 30 s grace) and is in no call: the
        # citizen is back in the waiting room at once, the page says why.
        async with console_side(live.base, live.advisor_token) as console:
            await wait_step(page, "waiting")
            await expect(page.locator("#call-lost")).to_be_visible()
            await console.wait_for(lambda: len(console.waiting) == 1)
            pid = next(iter(console.waiting))
            assert await console.room.admit(pid)
            link = console.session.add(pid)
            await wait_step(page, "admitted")
            await expect(page.locator("#call-status")).to_be_hidden(timeout=10_000)
            await console.wait_for(lambda: link.state is PeerState.CONNECTED)
            await video_both_ways(page, console, pid)
        guard.check()
        await context.close()


# --- the service restarts -----------------------------------------------------------------


async def citizen_in_waiting_room(
    browser: Browser, base: str, link: str
) -> tuple[Any, Page, Guard]:
    """A consented citizen's page from the personal link into the waiting room."""
    citizen = Citizen(base, link)
    await citizen.consent()
    await citizen.close()
    context = await browser.new_context(
        viewport=PHONE,  # type: ignore[arg-type]
        locale="de-DE",
        timezone_id="Europe/Berlin",
        reduced_motion="reduce",
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    guard = Guard(base)
    guard.attach(page)
    await page.goto(base + urlsplit(link).path)
    await to_room(page)
    await page.click("#enter-room")
    await wait_step(page, "waiting")
    return context, page, guard


def _restartable_service(tmp_path: Path, letter: str) -> tuple[str, list[str], dict[str, str]]:
    """The token, command line and environment of a ``serve`` that can be killed and started
    again on the same port and database."""
    token = "lokales-token-" + letter * 20
    args = ["serve", "--port", str(free_port()), "--data-dir", str(tmp_path / "data")]
    return token, args, child_env(ADVISOR_EMBEDDED_TOKEN=token)


async def test_a_service_restart_during_the_waiting_room_returns_everyone_to_it(
    browser: Browser, tmp_path: Path
) -> None:
    token, args, env = _restartable_service(tmp_path, "r")
    with Serve(args, cwd=tmp_path, env=env) as first:
        base = await asyncio.to_thread(first.wait_ready)
        api = ServiceClient(base, token=token)
        try:
            links = [(await book(api, name)).citizen.link for name in ("Karla Kern", "Emre Yılmaz")]
        finally:
            await api.close()
        async with console_side(base, token) as console:
            pages = [await citizen_in_waiting_room(browser, base, link) for link in links]
            await console.wait_for(lambda: len(console.waiting) == 2)
            console.online.clear()
            await asyncio.to_thread(first.stop, signal.SIGKILL)  # a crash, no goodbye

            # Every page says the connection is being restored and stays in the waiting room.
            for _, page, _ in pages:
                banner = page.locator("#connection")
                await expect(banner).to_contain_text("Verbindung unterbrochen", timeout=10_000)
                await wait_step(page, "waiting")
            await pages[0][1].screenshot(path=shot("citizen_waiting_service_lost.png"))

            with Serve(args, cwd=tmp_path, env=env) as second:
                await asyncio.to_thread(second.wait_ready)
                # The console reconnects by itself, the pages re-enter by themselves.
                async with asyncio.timeout(20):
                    await console.online.wait()
                await console.wait_for(
                    lambda: sorted(console.waiting.values()) == ["Emre Yılmaz", "Karla Kern"]
                )
                for _, page, _ in pages:
                    await expect(page.locator("#connection")).to_be_hidden(timeout=10_000)
                    await wait_step(page, "waiting")
                    await expect(page.locator("h1")).to_have_text(
                        "Sie befinden sich im virtuellen Wartebereich"
                    )
                await pages[0][1].screenshot(path=shot("citizen_waiting_after_service_restart.png"))
                # The room is live again: the advisor admits one of them.
                pid = next(p for p, n in console.waiting.items() if n == "Karla Kern")
                assert await console.room.admit(pid)
                await wait_step(pages[0][1], "admitted")
                for context, _, guard in pages:
                    guard.check()
                    await context.close()
                await asyncio.to_thread(second.stop)


async def test_a_service_restart_during_a_call_returns_the_citizen_to_the_waiting_room(
    browser: Browser, tmp_path: Path
) -> None:
    token, args, env = _restartable_service(tmp_path, "c")
    with Serve(args, cwd=tmp_path, env=env) as first:
        base = await asyncio.to_thread(first.wait_ready)
        api = ServiceClient(base, token=token)
        try:
            link_url = (await book(api, "Paula Pause")).citizen.link
        finally:
            await api.close()
        async with console_side(base, token) as console:
            context, page, guard = await citizen_in_waiting_room(browser, base, link_url)
            link = await console.admit_next()
            pid = link.participant_id
            await wait_step(page, "admitted")
            await expect(page.locator("#call-status")).to_be_hidden(timeout=20_000)
            await asyncio.to_thread(first.stop, signal.SIGKILL)
            await expect(page.locator("#connection")).to_contain_text("Verbindung unterbrochen")
            with Serve(args, cwd=tmp_path, env=env) as second:
                await asyncio.to_thread(second.wait_ready)
                # The new service knows no call: the page re-enters the waiting room by
                # itself and says why; the console ends its link and lists them waiting.
                await wait_step(page, "waiting")
                await expect(page.locator("#call-lost")).to_be_visible()
                await console.wait_for(lambda: pid in console.waiting)
                await console.wait_for(lambda: pid not in console.session.links)
                # The link closes in the background, after an offer still being made.
                await console.wait_for(lambda: link.state is PeerState.ENDED)
                assert link.connection is None
                guard.check()
                await context.close()
                await asyncio.to_thread(second.stop)


# --- a real outage of the media path: a TURN relay that stops answering ------------------


async def test_a_frozen_relay_and_socket_come_back_into_the_call_by_themselves(
    browser: Browser, tmp_path: Path
) -> None:
    """Relay-only ICE through a real coturn. The relay is frozen (SIGSTOP) and the page
    offline for eight seconds: nothing reaches either side. Afterwards the call is back
    without an admission (a fresh negotiation, or ICE recovering by itself)."""
    with coturn(tmp_path / "coturn", TURN_SECRET) as turn:
        settings = make_settings(
            tmp_path,
            ice={
                "turn_urls": [turn.url],
                "turn_secret": TURN_SECRET,
                "transport_policy": "relay",
            },
        )
        clock = ManualClock(datetime.now(UTC))  # coturn checks the expiry by its own clock
        server = TestServer(create_app(settings, clock=clock), host="127.0.0.1")
        await server.start_server(access_log_class=AccessLogger)
        client = TestClient(server)
        await client.start_server()
        try:
            service = Service(client=client, clock=clock, settings=settings)
            token = await service.signed_in("berater")
            live = Live(service, str(server.make_url("")).rstrip("/"), token)
            status, ice = await service.call("GET", "/api/ice", token=token)
            assert status == 200 and ice["ice_transport_policy"] == "relay"
            async with console_side(live.base, token, ice=IceConfig.model_validate(ice)) as console:
                context, page, guard = await new_page(browser, live)
                _, url = await live.appointment(starts_at=clock.now() + timedelta(minutes=2))
                await live.consent(url)
                await page.goto(url)
                await to_room(page)
                await page.click("#enter-room")
                await wait_step(page, "waiting")
                link = await console.admit_next()
                pid = link.participant_id
                await wait_step(page, "admitted")
                await expect(page.locator("#call-status")).to_be_hidden(timeout=20_000)
                await video_both_ways(page, console, pid)

                os.kill(turn.proc.pid, signal.SIGSTOP)
                await context.set_offline(True)
                try:
                    await expect(page.locator("#call-status")).to_contain_text(
                        "Die Verbindung ist unterbrochen", timeout=10_000
                    )
                    await console.wait_for(lambda: link.state is PeerState.INTERRUPTED)
                    frames = link.video.count
                    await asyncio.sleep(3)  # the outage goes on: nothing arrives
                    assert link.video.count - frames < 5
                finally:
                    os.kill(turn.proc.pid, signal.SIGCONT)
                    await context.set_offline(False)
                    back = time.monotonic()
                await expect(page.locator("#call-status")).to_be_hidden(timeout=20_000)
                await console.wait_for(lambda: link.state is PeerState.CONNECTED, timeout=20)
                assert time.monotonic() - back < 10  # back within seconds, not the grace
                assert list(console.session.links) == [pid]
                await video_both_ways(page, console, pid)
                assert no_arrival(console)
                guard.check()
                await context.close()
        finally:
            await client.close()
