"""``make bench-call``: the console's call against Chromium, and Chromium against Chromium.

One run, on this machine:

1. The service (the production app) in this process; the console's call stack (RoomClient,
   CallSession, aiortc) in a child process of its own, so that its CPU share is its alone;
   Debian's Chromium as the citizen, driven by Playwright.
2. Both sides send 1280×720 at 30 fps with their send time written into the picture as 32
   blocks (the console: a generated picture; the browser: a canvas as its camera, plus the fake
   microphone). Each side reads the times back from what it decodes: glass-to-glass latency on
   loopback, without clocks of different machines.
3. The native baseline: two Chromium pages with the same canvas camera call each other
   directly, trickle ICE, descriptions and candidates handed over by this process.

Last line: ``call: setup_ms=… native_setup_ms=… fps_console=… fps_browser=…
cpu_console_pct=… latency_ms=…``. Setup is from admission to the first decoded remote frame,
the worse of the two sides; fps are received frames per second over the measuring window;
cpu is the console process's share of one core (decoding, encoding and the conversion of the
newest frame for display at 30 fps, as the call page does); latency is the median of both
directions' medians.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGETS = {"fps": 29.0, "cpu_console_pct": 80.0, "latency_ms": 150.0}

CANVAS_CAMERA = """
(() => {
  const BLOCK = 24, X0 = 16, Y0 = 16;
  const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (c) => {
    const out = new MediaStream();
    if (c.audio) (await real({ audio: c.audio })).getAudioTracks().forEach((t) => out.addTrack(t));
    if (c.video) {
      const canvas = document.createElement('canvas');
      canvas.width = 1280; canvas.height = 720;
      const g = canvas.getContext('2d');
      let n = 0;
      const draw = () => {
        const grad = g.createLinearGradient(0, 0, 1280, 0);
        grad.addColorStop(0, '#303030'); grad.addColorStop(1, '#c8c8c8');
        g.fillStyle = grad; g.fillRect(0, 0, 1280, 720);
        g.fillStyle = '#e6e6e6'; g.fillRect((n++ * 8) % 1280, 0, 40, 720);
        const value = Date.now() % 4294967296;
        for (let bit = 0; bit < 32; bit++) {
          const on = Math.floor(value / 2 ** (31 - bit)) % 2;
          g.fillStyle = on ? 'rgb(235,235,235)' : 'rgb(16,16,16)';
          g.fillRect(X0 + (bit % 16) * BLOCK, Y0 + Math.floor(bit / 16) * BLOCK, BLOCK, BLOCK);
        }
      };
      draw();
      setInterval(draw, 1000 / 30);
      canvas.captureStream(30).getVideoTracks().forEach((t) => out.addTrack(t));
    }
    return out;
  };
})();
"""

#: Counts decoded frames of a video element and reads the send time out of some of them.
WATCH = """
(selector) => {
  const BLOCK = 24, X0 = 16, Y0 = 16;
  const video = document.querySelector(selector);
  const canvas = document.createElement('canvas');
  canvas.width = X0 + 16 * BLOCK; canvas.height = Y0 + 2 * BLOCK;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  const w = { first: 0, frames: 0, big: 0, lat: [] };
  window.__watch = w;
  const tick = (now, meta) => {
    w.frames += 1;
    if (meta.width === 1280) w.big += 1;
    if (!w.first) w.first = Date.now();
    if (w.frames % 3 === 0 && meta.width === 1280) {
      g.drawImage(video, 0, 0, canvas.width, canvas.height, 0, 0, canvas.width, canvas.height);
      const px = g.getImageData(0, 0, canvas.width, canvas.height).data;
      let value = 0;
      for (let bit = 0; bit < 32; bit++) {
        const x = X0 + (bit % 16) * BLOCK + BLOCK / 2;
        const y = Y0 + Math.floor(bit / 16) * BLOCK + BLOCK / 2;
        const i = (y * canvas.width + x) * 4;
        value = value * 2 + ((px[i] + px[i + 1] + px[i + 2]) / 3 > 128 ? 1 : 0);
      }
      const lat = (Date.now() % 4294967296) - value;
      if (lat >= 0 && lat < 5000) w.lat.push(lat);
    }
    video.requestVideoFrameCallback(tick);
  };
  video.requestVideoFrameCallback(tick);
}
"""

#: The native baseline with trickle ICE, as a browser-to-browser product would do it: the
#: descriptions go out at once, candidates follow (this process relays both every 10 ms).
NATIVE_PEER = """
async ([role, sdp]) => {
  const pc = new RTCPeerConnection();
  window.__pc = pc;
  window.__cands = [];
  window.__t0 = Date.now();
  pc.onicecandidate = (e) => e.candidate && window.__cands.push(e.candidate.toJSON());
  const stream = await navigator.mediaDevices.getUserMedia(
    { video: { width: 1280, height: 720, frameRate: 30 }, audio: true });
  const video = document.createElement('video');
  video.id = 'remote'; video.muted = true; video.autoplay = true; document.body.append(video);
  pc.ontrack = (e) => { video.srcObject = e.streams[0]; };
  stream.getTracks().forEach((t) => pc.addTrack(t, stream));
  if (role === 'offer') {
    await pc.setLocalDescription(await pc.createOffer());
  } else {
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await pc.setLocalDescription(await pc.createAnswer());
  }
  return pc.localDescription.sdp;
}
"""
TAKE_CANDIDATES = "() => window.__cands.splice(0)"
ADD_CANDIDATES = "(cs) => Promise.all(cs.map((c) => window.__pc.addIceCandidate(c)))"


def say(text: str) -> None:
    print(text, flush=True)


# --- the console, in its own process --------------------------------------------------------


def console_process(base: str, token: str, seconds: float, codec: str, out: Any, cmd: Any) -> None:
    try:
        asyncio.run(_console(base, token, seconds, codec, out, cmd))
    except BaseException as exc:  # reported, never swallowed
        out.put(("failed", repr(exc)))


async def _console(base: str, token: str, seconds: float, codec: str, out: Any, cmd: Any) -> None:
    from advisor_app.client.call_session import MediaOpeners
    from tests.helpers.call_media import PatternTrack, ToneTrack, now_ms32, read_stamp
    from tests.helpers.console_call import console_side, luma

    async def camera() -> PatternTrack:
        return PatternTrack(timestamps=True)

    async def microphone() -> ToneTrack:
        return ToneTrack()

    openers = MediaOpeners(camera=camera, microphone=microphone)
    async with console_side(base, token, openers=openers, codec=codec) as console:
        out.put(("ready", None))
        link = await console.admit_next()
        admitted = time.time()
        await console.wait_for(lambda: link.video.count > 0, timeout=60)
        out.put(("first", {"admitted": admitted, "first": time.time()}))
        await asyncio.to_thread(cmd.get)  # both sides are up: measure
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu0 = usage.ru_utime + usage.ru_stime
        t0, count0 = time.monotonic(), link.video.count
        latencies: list[float] = []
        small = 0
        shown = None
        while time.monotonic() - t0 < seconds:
            await asyncio.sleep(1 / 30)
            frame = link.video.frame
            if frame is None or frame is shown:
                continue
            shown = frame
            frame.reformat(width=960, height=540, format="rgb24").to_ndarray()  # the display
            if frame.width != 1280:
                small += 1
                continue
            value = read_stamp(luma(frame))
            latency = (now_ms32() - value) & 0xFFFFFFFF
            if latency < 5000:
                latencies.append(float(latency))
        elapsed = time.monotonic() - t0
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = usage.ru_utime + usage.ru_stime - cpu0
        out.put(
            (
                "measured",
                {
                    "fps": (link.video.count - count0) / elapsed,
                    "cpu_pct": 100.0 * cpu / elapsed,
                    "latency_ms": statistics.median(latencies) if latencies else float("nan"),
                    "small_frames": small,
                    "codec": codec,
                },
            )
        )
        await asyncio.to_thread(cmd.get)  # done


def _expect(queue: Any, kind: str, timeout: float = 90.0) -> Any:
    got, value = queue.get(timeout=timeout)
    if got != kind:
        raise RuntimeError(f"console: expected {kind}, got {got}: {value}")
    return value


# --- the run --------------------------------------------------------------------------------


async def run(seconds: float, codec: str) -> dict[str, float]:
    from playwright.async_api import async_playwright

    from tests.helpers.citizen_browser import (
        DESKTOP,
        ROOM_OPEN,
        launch,
        live_service,
        wait_step,
    )

    ctx = multiprocessing.get_context("spawn")
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        async with live_service(Path(tmp)) as live, async_playwright() as playwright:
            _, url = await live.appointment()
            await live.consent(url)
            live.clock.set(ROOM_OPEN)
            out: Any = ctx.Queue()
            cmd: Any = ctx.Queue()
            console = ctx.Process(
                target=console_process,
                args=(live.base, live.advisor_token, seconds, codec, out, cmd),
                name="console",
            )
            console.start()
            try:
                await asyncio.to_thread(_expect, out, "ready")
                browser = await launch(playwright)
                context = await browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
                await context.add_init_script(CANVAS_CAMERA)
                page = await context.new_page()
                page.set_default_timeout(60_000)
                await page.goto(url)
                await wait_step(page, "start")
                await page.click("text=Direkt zum Beratungsraum")
                await wait_step(page, "entering")
                await page.click("#enter-room")
                await wait_step(page, "admitted")
                await page.wait_for_selector("#remote-video")
                await page.evaluate(WATCH, "#remote-video")
                times = await asyncio.to_thread(_expect, out, "first")
                await page.wait_for_function("() => window.__watch.first > 0")
                browser_first = await page.evaluate("window.__watch.first") / 1000.0
                results["setup_ms"] = 1000.0 * (
                    max(times["first"], browser_first) - times["admitted"]
                )
                await asyncio.sleep(3)  # let both encoders reach their resolution and rate
                cmd.put("measure")
                quality = "document.querySelector('#remote-video').getVideoPlaybackQuality()"
                start = await page.evaluate(
                    f"({{...window.__watch, lat: [], total: {quality}.totalVideoFrames,"
                    f" dropped: {quality}.droppedVideoFrames}})"
                )
                lat_start = await page.evaluate("window.__watch.lat.length")
                t0 = time.monotonic()
                measured = await asyncio.to_thread(_expect, out, "measured", seconds + 60)
                elapsed = time.monotonic() - t0
                end = await page.evaluate(
                    f"({{...window.__watch, total: {quality}.totalVideoFrames,"
                    f" dropped: {quality}.droppedVideoFrames}})"
                )
                browser_lat = end["lat"][lat_start:]
                # Received = decoded, as on the console's side; presentation can skip frames.
                results["fps_browser"] = (end["total"] - start["total"]) / elapsed
                results["fps_console"] = measured["fps"]
                results["cpu_console_pct"] = measured["cpu_pct"]
                lat_browser = statistics.median(browser_lat) if browser_lat else float("nan")
                results["latency_console_to_browser_ms"] = lat_browser
                results["latency_browser_to_console_ms"] = measured["latency_ms"]
                results["latency_ms"] = max(lat_browser, measured["latency_ms"])
                say(
                    f"console: {measured['codec']}, {measured['small_frames']} frames below "
                    "1280×720 during the window"
                )
                say(
                    f"browser: {end['frames'] - start['frames']} frames presented "
                    f"({end['big'] - start['big']} at 1280×720), "
                    f"{end['total'] - start['total']} decoded, "
                    f"{end['dropped'] - start['dropped']} dropped in {elapsed:.1f} s"
                )
                cmd.put("done")
                await context.close()
                results["native_setup_ms"] = await native_setup(browser, f"{live.base}/healthz")
                await browser.close()
            finally:
                console.join(timeout=20)
                if console.is_alive():
                    console.kill()
    return results


async def native_setup(browser: Any, blank: str) -> float:
    """Chromium to Chromium with the same canvas camera: from the first offer step to both
    decoding."""
    context = await browser.new_context()
    await context.add_init_script(CANVAS_CAMERA)
    a, b = await context.new_page(), await context.new_page()
    await a.goto(blank)  # a page of 127.0.0.1: a secure context, where media devices exist
    await b.goto(blank)
    offer = await a.evaluate(NATIVE_PEER, ["offer", ""])
    answer = await b.evaluate(NATIVE_PEER, ["answer", offer])
    await a.evaluate("(sdp) => window.__pc.setRemoteDescription({type: 'answer', sdp})", answer)
    for page in (a, b):
        await page.wait_for_selector("#remote", state="attached")
        await page.evaluate(WATCH, "#remote")
    deadline = time.monotonic() + 30
    firsts: list[float] = []
    while len(firsts) < 2 and time.monotonic() < deadline:
        for src, dst in ((a, b), (b, a)):
            candidates = await src.evaluate(TAKE_CANDIDATES)
            if candidates:
                await dst.evaluate(ADD_CANDIDATES, candidates)
        firsts = [f for f in [await p.evaluate("window.__watch.first") for p in (a, b)] if f]
        await asyncio.sleep(0.01)
    if len(firsts) < 2:
        raise RuntimeError("the native baseline call did not connect")
    t0 = await a.evaluate("window.__t0")
    await context.close()
    return float(max(firsts) - t0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--codec", choices=["VP8", "H264"], default="VP8")
    parser.add_argument("--fail-on-miss", action="store_true")
    args = parser.parse_args(argv)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    say(f"machine: load {load}, CPython {sys.version.split()[0]}")
    r = asyncio.run(run(args.seconds, args.codec))
    say(
        f"latency: console→browser {r['latency_console_to_browser_ms']:.0f} ms, "
        f"browser→console {r['latency_browser_to_console_ms']:.0f} ms"
    )
    missed = [
        name
        for name, bad in (
            ("setup_ms", r["setup_ms"] > r["native_setup_ms"]),
            ("fps_console", r["fps_console"] < TARGETS["fps"]),
            ("fps_browser", r["fps_browser"] < TARGETS["fps"]),
            ("cpu_console_pct", r["cpu_console_pct"] > TARGETS["cpu_console_pct"]),
            ("latency_ms", not r["latency_ms"] < TARGETS["latency_ms"]),
        )
        if bad
    ]
    say("targets: " + (f"missed {', '.join(missed)}" if missed else "all met"))
    say(
        f"call: setup_ms={r['setup_ms']:.0f} native_setup_ms={r['native_setup_ms']:.0f} "
        f"fps_console={r['fps_console']:.1f} fps_browser={r['fps_browser']:.1f} "
        f"cpu_console_pct={r['cpu_console_pct']:.0f} latency_ms={r['latency_ms']:.0f}"
    )
    return 3 if missed and args.fail_on_miss else 0


if __name__ == "__main__":
    sys.exit(main())
