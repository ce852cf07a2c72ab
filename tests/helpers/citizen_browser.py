"""The citizen web app in Debian's Chromium: a live service, the browser, the guard every page gets.

Used by ``tests/e2e`` and by ``tests/helpers/citizen_screenshots.py``. The service is the
production app factory on a real 127.0.0.1 port with a :class:`ManualClock`; the browser is the
system Chromium with a fake camera and microphone (never a downloaded browser).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from aiohttp import ClientWebSocketResponse, WSMsgType
from aiohttp.test_utils import TestClient, TestServer
from playwright.async_api import Browser, BrowserContext, Page, Playwright, async_playwright
from sqlalchemy import select

from advisor_app.core.clock import ManualClock
from advisor_app.server import keys
from advisor_app.server.app import create_app
from advisor_app.server.logs import AccessLogger
from advisor_app.storage.models import DeviceCheck, Participant
from tests.helpers.screenshots import shot
from tests.helpers.service import MONDAY_11, Service, make_settings

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream=fps=30",
    "--autoplay-policy=no-user-gesture-required",
    "--disable-gpu",
    "--disable-background-networking",
]
AXE = Path(__file__).resolve().parents[1] / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
#: Monday 23 November 2026, two hours before the 11:00 appointment (Berlin).
MORNING = MONDAY_11 - timedelta(hours=2)
ROOM_OPEN = MONDAY_11 - timedelta(minutes=4)
PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
ORGANISATION = "Jobcenter Musterstadt"
SUPPORT_PHONE = "0800 4 555501"

#: Reports every Content-Security-Policy violation to the console, where the guard sees it.
_CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI);
});
"""

#: Keeps the page's peer connections where a test can read their senders (window.__pcs).
_PEER_CONNECTIONS = """
(() => {
  const Native = window.RTCPeerConnection;
  if (!Native) return;
  window.__pcs = [];
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); window.__pcs.push(this); }
  };
})();
"""

#: The camera sender's degradation preference in the page's newest connection.
CAMERA_PREFERENCE = """
() => {
  const pc = (window.__pcs ?? []).at(-1);
  const camera = pc?.getTransceivers().filter((t) => t.receiver.track.kind === 'video')[0];
  return camera?.sender.getParameters().degradationPreference ?? null;
}
"""


#: Sets the camera sender's degradation preference as the page does on a weak uplink.
SET_CAMERA_PREFERENCE = """
async (wanted) => {
  const pc = (window.__pcs ?? []).at(-1);
  const camera = pc.getTransceivers().filter((t) => t.receiver.track.kind === 'video')[0];
  const params = camera.sender.getParameters();
  params.degradationPreference = wanted;
  await camera.sender.setParameters(params);
}
"""


def browser_env() -> dict[str, str | float | bool]:
    """Chromium's environment: without the tests' PulseAudio server, whose null sink would
    clock the page's audio (the device check's meter) instead of Chromium's own fake output."""
    env: dict[str, str | float | bool] = {
        k: v for k, v in os.environ.items() if not k.startswith("PULSE_")
    }
    env["PULSE_SERVER"] = "unix:/nonexistent/pulse"
    return env


async def launch(playwright: Playwright, extra_args: list[str] | None = None) -> Browser:
    """Debian's Chromium, headless, with fake media devices."""
    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is not installed (make system-test)"
    return await playwright.chromium.launch(
        executable_path=executable,
        args=[*CHROMIUM_ARGS, *(extra_args or [])],
        headless=True,
        env={**browser_env()},  # Playwright types the values wider than str
    )


@dataclass
class Live:
    """A running service, its address for the browser and a signed-in advisor."""

    service: Service
    base: str
    advisor_token: str

    @property
    def clock(self) -> ManualClock:
        return self.service.clock

    async def appointment(
        self, starts_at: datetime = MONDAY_11, **fields: Any
    ) -> tuple[dict[str, Any], str]:
        """A new appointment and the browser URL of the citizen's personal link."""
        fields.setdefault("allow_overlap", True)  # several citizens at 11:00 are fine here
        appt = await self.service.create(self.advisor_token, starts_at=starts_at, **fields)
        path = urlsplit(appt["participants"][0]["link"]).path
        return appt, self.base + path

    async def consent(self, url: str) -> None:
        """Consent through the API, as an earlier visit to the page would have done."""
        token = url.rsplit("/", 1)[1]
        status, view = await self.service.call("GET", f"/api/citizen/{token}")
        assert status == 200, view
        body = {
            "consent_version": view["consent"]["consent_version"],
            "privacy_version": view["consent"]["privacy_version"],
            "language": "de",
        }
        status, view = await self.service.call("POST", f"/api/citizen/{token}/consent", json=body)
        assert status == 200, view

    async def device_checks(self) -> list[DeviceCheck]:
        """Every device-check result the service stored, oldest first."""
        async with self.service.app[keys.SESSIONS]() as session:
            rows = await session.execute(select(DeviceCheck).order_by(DeviceCheck.id))
            return list(rows.scalars())

    async def participant(self, participant_id: int) -> Participant:
        async with self.service.app[keys.SESSIONS]() as session:
            row: Participant | None = await session.get(Participant, participant_id)
            assert row is not None
            return row

    async def advisor_socket(self) -> ClientWebSocketResponse:
        """The advisor's waiting-room socket, as the console opens it."""
        ws = await self.service.client.ws_connect("/ws/advisor")
        await ws.send_json({"type": "hello", "token": self.advisor_token})
        assert (await receive(ws))["type"] == "waiting"
        return ws


@asynccontextmanager
async def live_service(
    tmp_path: Path,
    start: datetime = MORNING,
    smtp: dict[str, Any] | None = None,
    host: str = "127.0.0.1",
    **overrides: Any,
) -> AsyncIterator[Live]:
    """The production app on ``host`` (127.0.0.1) with a manual clock set to ``start``;
    ``overrides`` change service settings (e.g. ``socket_rate_limit``), ``smtp`` the mail
    settings."""
    settings = make_settings(
        tmp_path,
        service={"organisation": ORGANISATION, "support_phone": SUPPORT_PHONE, **overrides},
        **({"smtp": smtp} if smtp else {}),
    )
    clock = ManualClock(start)
    app = create_app(settings, clock=clock)
    server = TestServer(app, host=host)
    await server.start_server(access_log_class=AccessLogger)
    client = TestClient(server)
    await client.start_server()
    try:
        service = Service(client=client, clock=clock, settings=settings)
        token = await service.signed_in("berater")
        yield Live(service=service, base=str(server.make_url("")).rstrip("/"), advisor_token=token)
    finally:
        await client.close()


async def receive(ws: ClientWebSocketResponse, timeout: float = 10.0) -> dict[str, Any]:
    msg = await ws.receive(timeout=timeout)
    assert msg.type is WSMsgType.TEXT, msg
    return dict(json.loads(msg.data))


async def receive_type(ws: ClientWebSocketResponse, kind: str, timeout: float = 10.0) -> Any:
    """Skip other frames until one of ``kind`` arrives."""
    for _ in range(20):
        frame = await receive(ws, timeout)
        if frame["type"] == kind:
            return frame
    raise AssertionError(f"no {kind} frame")


@dataclass
class Guard:
    """What must never happen on a citizen page: a CSP violation, a script error, another host."""

    origin: str
    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.problems.append(f"script error: {exc}"))
        page.on("request", lambda req: self._check_url(req.url))
        page.on("websocket", lambda ws: self._check_url(ws.url))

    def _on_console(self, msg: Any) -> None:
        text = msg.text
        if "Content Security Policy" in text or text.startswith("CSP violation"):
            self.problems.append(text)

    def _check_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob"):
            return
        if parts.netloc != urlsplit(self.origin).netloc:
            self.problems.append(f"request to another host: {url}")

    def check(self) -> None:
        assert not self.problems, self.problems


async def new_page(
    browser: Browser, live: Live, *, viewport: dict[str, int] = PHONE, **options: Any
) -> tuple[BrowserContext, Page, Guard]:
    """A fresh context (own sessionStorage and permissions) with the guard attached."""
    context = await browser.new_context(
        viewport=viewport,  # type: ignore[arg-type]
        locale=options.pop("locale", "de-DE"),
        timezone_id=options.pop("timezone_id", "Europe/Berlin"),
        reduced_motion="reduce",
        **options,
    )
    await context.add_init_script(_CSP_LISTENER)
    page = await context.new_page()
    page.set_default_timeout(10_000)
    guard = Guard(live.base)
    guard.attach(page)
    return context, page, guard


# --- steps --------------------------------------------------------------------------------


async def wait_step(page: Page, step: str) -> None:
    await page.wait_for_selector(f'[data-step="{step}"]')


async def no_horizontal_scroll(page: Page) -> None:
    width = await page.evaluate("document.scrollingElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None
    assert width <= viewport["width"], f"page is {width}px wide on a {viewport['width']}px screen"


async def accept_consent(page: Page) -> None:
    await page.check("#accept-consent")
    await page.check("#accept-privacy")
    await page.click("#consent-submit")
    await wait_step(page, "devices")


async def finish_device_check(page: Page) -> str:
    """Wait for the automatic checks, play the chime, confirm it; the verdict it ends with."""
    await page.wait_for_function(
        "() => document.querySelector('#result')?.dataset.verdict !== 'pending'", timeout=20_000
    )
    await page.click("#play-chime")
    await page.click("#heard-yes")
    await page.wait_for_function(
        "() => !document.querySelector('#heard-yes') || document.querySelector('#heard-yes')"
        ".closest('.question').hidden"
    )
    return str(await page.get_attribute("#result", "data-verdict"))


async def until_green(page: Page, retry: Callable[[], Awaitable[None]]) -> None:
    """Wait for the device check's light. On a loaded test machine the measured round trip is
    now and then slower than 300 ms (yellow, "Ihre Verbindung ist langsam"); then ``retry``
    does what the page tells a citizen: "Erneut prüfen"."""
    result = page.locator("#result")
    for _ in range(3):
        await page.wait_for_function(
            "() => !['pending', undefined].includes(document.querySelector('#result')"
            "?.dataset.verdict)",
            timeout=20_000,
        )
        if await result.get_attribute("data-verdict") == "green":
            return
        advice = await page.locator("#advice li").all_inner_texts()
        assert advice and all("Verbindung ist langsam" in a for a in advice), advice
        await retry()
    raise AssertionError("the device check never became green")


async def axe_findings(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it is now."""
    if not await page.evaluate("typeof window.axe === 'object'"):
        await page.add_script_tag(path=str(AXE))
    result = await page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def citizen_journey(url: str, reached: Any) -> None:
    """A child process's whole citizen visit, reporting each step on ``reached`` (a queue).

    Link, consent, device check (until green), entering, waiting room, admission. Used by the
    console's test, whose own loop is Qt's.
    """
    try:
        asyncio.run(_journey(url, reached))
    except BaseException as exc:  # reported to the test, never swallowed
        reached.put(f"failed: {exc!r}")


async def _consented_page(
    browser: Browser, url: str, viewport: dict[str, int], timeout_ms: float
) -> tuple[Page, list[str]]:
    """A fresh page from the personal link through the consent; its script errors go into the
    returned list."""
    context = await browser.new_context(
        viewport=viewport,  # type: ignore[arg-type]
        locale="de-DE",
        timezone_id="Europe/Berlin",
    )
    await context.add_init_script(_PEER_CONNECTIONS)
    page = await context.new_page()
    page.set_default_timeout(timeout_ms)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(url)
    await wait_step(page, "start")
    await page.click("#start-continue")
    await wait_step(page, "consent")
    await accept_consent(page)
    return page, errors


async def _journey(url: str, reached: Any) -> None:
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        page, errors = await _consented_page(browser, url, PHONE, 20_000)
        await finish_device_check(page)
        # Green once the fake microphone's beep was heard (a changed result is sent again).
        await page.wait_for_function(
            "() => document.querySelector('#result')?.dataset.verdict === 'green'"
        )
        reached.put("verdict green")
        await page.click("#devices-continue")
        await wait_step(page, "entering")
        await page.click("#enter-room")
        await wait_step(page, "waiting")
        reached.put("waiting")
        await page.wait_for_selector('[data-step="admitted"]', timeout=30_000)
        reached.put("admitted")
        await browser.close()
        reached.put(f"script errors: {errors}" if errors else "closed without script errors")


#: What the call page receives: picture size, decoded frames, audio level, remote camera state.
CALL_REPORT = """
async () => {
  const video = document.querySelector('#remote-video');
  const stream = video && video.srcObject;
  let audioDb = -120;
  if (stream && stream.getAudioTracks().length) {
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const data = new Float32Array(analyser.fftSize);
    let peak = 0;
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 50));
      analyser.getFloatTimeDomainData(data);
      peak = Math.max(peak, Math.sqrt(data.reduce((s, v) => s + v * v, 0) / data.length));
    }
    await ctx.close();
    audioDb = peak > 0 ? 20 * Math.log10(peak) : -120;
  }
  return {
    width: video ? video.videoWidth : 0,
    height: video ? video.videoHeight : 0,
    frames: video ? video.getVideoPlaybackQuality().totalVideoFrames : 0,
    audioDb,
    remoteCameraOff: !document.querySelector('#remote-off')?.hidden,
    videoPaused: document.querySelector('#video-paused')?.hidden === false
      ? document.querySelector('#video-paused').textContent : '',
  };
}
"""


#: The advisor's shared screen as the page shows it: visible, size, colours of the quadrants.
SCREEN_REPORT = """
() => {
  const video = document.querySelector('#remote-screen');
  const camera = document.querySelector('#remote-video');
  const out = { visible: !!video && !video.hidden, width: video?.videoWidth ?? 0,
                height: video?.videoHeight ?? 0,
                cameraSmall: camera?.classList.contains('pip') ?? false };
  if (!out.visible || !out.width) return out;
  const canvas = document.createElement('canvas');
  canvas.width = out.width; canvas.height = out.height;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  g.drawImage(video, 0, 0);
  const at = (fx, fy) => Array.from(
    g.getImageData(Math.round(out.width * fx), Math.round(out.height * fy), 1, 1).data.slice(0, 3));
  out.top_left = at(0.25, 0.25); out.top_right = at(0.75, 0.25);
  out.bottom_left = at(0.25, 0.75); out.bottom_right = at(0.75, 0.75);
  return out;
}
"""


def write_y4m(path: Path, frames: list[Any], fps: int = 30) -> Path:
    """A YUV4MPEG2 file of BGR frames: Chromium plays it as its camera, in a loop."""
    import cv2

    height, width = frames[0].shape[:2]
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in frames:
            out.write(b"FRAME\n")
            out.write(cv2.cvtColor(frame, cv2.COLOR_BGR2YUV_I420).tobytes())
    return path


def citizen_call(url: str, reached: Any, commands: Any, camera_file: str | None = None) -> None:
    """A child process's citizen who joins the call and then follows ``commands`` (a queue):
    ``report``, ``chat:<text>``, ``expect-chat:<text>``, ``screen-report``, ``share-screen``,
    ``stop-screen``, ``reload`` (back in the call), ``wait-returned`` (back in the waiting
    room from a broken-off call), ``offline`` and ``online`` (the browser's network, as
    DevTools' "Offline"), ``expect-live`` (the page's call is running, no banner),
    ``revoke`` (consent revoked from the call), ``hangup``, ``wait-ended``, ``close``,
    ``expect-preference:<value>`` (the camera sender's degradation preference),
    ``set-preference:<value>`` (sets it, as the page does on a weak uplink).
    Each answer goes on ``reached``."""
    try:
        asyncio.run(_call(url, reached, commands, camera_file))
    except BaseException as exc:  # reported to the test, never swallowed
        reached.put(f"failed: {exc!r}")


async def _call(url: str, reached: Any, commands: Any, camera_file: str | None) -> None:
    async with async_playwright() as playwright:
        extra = [f"--use-file-for-fake-video-capture={camera_file}"] if camera_file else []
        browser = await launch(playwright, extra)
        page, errors = await _consented_page(browser, url, DESKTOP, 30_000)
        await page.click("#devices-continue")
        await wait_step(page, "entering")
        await page.click("#enter-room")
        await wait_step(page, "waiting")
        reached.put("waiting")
        await page.wait_for_selector('[data-step="admitted"]', timeout=60_000)
        await page.wait_for_selector("#call-status", state="hidden", timeout=30_000)
        reached.put("connected")
        while True:
            command: str = await asyncio.to_thread(commands.get)
            if command == "report":
                reached.put(json.dumps(await page.evaluate(CALL_REPORT)))
            elif command.startswith("chat:"):
                await page.fill("#chat-input", command.removeprefix("chat:"))
                await page.press("#chat-input", "Enter")
                reached.put("sent")
            elif command.startswith("expect-chat:"):
                text = command.removeprefix("expect-chat:")
                await page.locator("#chat-log li.theirs", has_text=text).wait_for()
                reached.put("chat seen")
            elif command.startswith("screenshot"):
                name = command.partition(":")[2] or "citizen_call"
                await page.screenshot(path=shot(f"{name}.png"))
                reached.put("screenshot")
            elif command.startswith("expect-idcheck:"):
                text = command.removeprefix("expect-idcheck:")
                if text:
                    await page.locator("#id-overlay", has_text=text).wait_for()
                else:
                    await page.locator("#id-overlay").wait_for(state="hidden")
                reached.put("idcheck seen")
            elif command.startswith("set-preference:"):
                wanted = command.removeprefix("set-preference:")
                await page.evaluate(SET_CAMERA_PREFERENCE, wanted)
                reached.put("preference set")
            elif command.startswith("expect-preference:"):
                wanted = command.removeprefix("expect-preference:")
                await page.wait_for_function(
                    f"() => ({CAMERA_PREFERENCE})() === {json.dumps(wanted)}"
                )
                reached.put("preference seen")
            elif command == "screen-report":
                reached.put(json.dumps(await page.evaluate(SCREEN_REPORT)))
            elif command in ("share-screen", "stop-screen"):
                await page.click("#share-screen")
                state: Literal["hidden", "visible"] = (
                    "hidden" if command == "stop-screen" else "visible"
                )
                await page.locator("#share-indicator").wait_for(state=state)
                reached.put("shared" if command == "share-screen" else "stopped")
            elif command == "toggle-microphone":
                await page.click("#toggle-microphone")
                reached.put("toggled")
            elif command == "hangup":
                await page.click("#hangup")
                await wait_step(page, "ended")
                reached.put("ended")
            elif command == "reload":
                await page.reload()
                await wait_step(page, "admitted")
                await page.wait_for_selector("#call-status", state="hidden", timeout=30_000)
                reached.put("connected")
            elif command == "wait-returned":
                await wait_step(page, "waiting")
                await page.locator("#call-lost").wait_for()
                reached.put("waiting again")
            elif command == "offline":
                await page.context.set_offline(True)
                await page.locator("#connection", has_text="Verbindung unterbrochen").wait_for()
                reached.put("offline")
            elif command == "online":
                await page.context.set_offline(False)
                reached.put("online")
            elif command == "expect-live":
                await page.locator("#connection").wait_for(state="hidden", timeout=30_000)
                await page.locator("#call-status").wait_for(state="hidden", timeout=30_000)
                reached.put("live")
            elif command == "revoke":
                await page.click("#revoke")
                await page.get_by_role("button", name="Ja, Einwilligung widerrufen").click()
                await wait_step(page, "revoked")
                reached.put("revoked")
            elif command == "wait-ended":
                await wait_step(page, "ended")
                reached.put("ended")
            else:
                break
        await browser.close()
        reached.put(f"script errors: {errors}" if errors else "closed without script errors")
