"""Why a busy console once got 1–5 fps from Chromium: the REMB the console sends while its
event loop is busy.

The console's call stack (RoomClient, CallSession, aiortc) and the service in this process,
Debian's Chromium as the citizen (fake 1280×720 camera). After a quiet phase the console's
event loop is blocked for ``--block`` seconds of every second (CPU work in the loop, as on a
loaded PC), then quiet again. Every second one line: the REMB bitrate the console sent in that
second (decoded from the RTCP it hands to SRTP), Chromium's own estimate and encoder target for
the citizen's camera (its getStats), and the frame rate arriving at the console.

``--stock`` runs aiortc as it is (REMB only); without it the console's receive-side extensions
(``advisor_app/client/rtc``: transport-cc feedback from kernel receive times) are in place.
Each mode needs its own process (the codec tables are process-wide).

    python -m benchmarks.remb_busy --stock
    python -m benchmarks.remb_busy
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from aiortc.rtcdtlstransport import RTCDtlsTransport
from aiortc.rtp import RTCP_PSFB_APP, RtcpPacket, RtcpPsfbPacket, is_rtcp, unpack_remb_fci

from advisor_app.client.rtc import receive as rtc_receive


def tap_remb(dtls: RTCDtlsTransport, sink: list[tuple[float, int]]) -> None:
    """Record every REMB the console sends on ``dtls`` as (monotonic time, bit/s)."""
    inner = dtls._send_rtp

    async def send(data: bytes) -> None:
        if is_rtcp(data):
            try:
                packets = RtcpPacket.parse(data)
            except ValueError:
                packets = []
            for packet in packets:
                if isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_APP:
                    bitrate, _ssrcs = unpack_remb_fci(packet.fci)
                    sink.append((time.monotonic(), bitrate))
        await inner(data)

    dtls._send_rtp = send  # type: ignore[method-assign]


async def block_loop(until: float, block_s: float) -> None:
    while time.monotonic() < until:
        spin = time.monotonic() + block_s
        while time.monotonic() < spin:
            pass
        await asyncio.sleep(max(0.0, 1.0 - block_s))


async def run(stock: bool, quiet_s: float, busy_s: float, after_s: float, block_s: float) -> None:
    from playwright.async_api import async_playwright

    from tests.helpers.citizen_browser import launch, live_service
    from tests.helpers.console_call import console_side

    # the e2e modules by name: their own typing is the tests' business, not this script's
    join = importlib.import_module("tests.e2e.test_call").join
    feedback = importlib.import_module("tests.e2e.test_transport_feedback")
    if stock:
        rtc_receive.AIORTC_VERSION = "stock"  # the extensions refuse: plain aiortc
    with tempfile.TemporaryDirectory() as tmp:
        async with (
            live_service(Path(tmp)) as live,
            async_playwright() as playwright,
            console_side(live.base, live.advisor_token) as console,
        ):
            browser = await launch(playwright)
            page, pid, _ = await join(browser, live, console, feedback.RECORD_PC)
            link = console.session.links[pid]
            pc = link.connection
            assert pc is not None
            rembs: list[tuple[float, int]] = []
            tap_remb(pc.getTransceivers()[0].receiver.transport, rembs)
            start = time.monotonic()
            busy_from, busy_to = start + quiet_s, start + quiet_s + busy_s
            end = busy_to + after_s
            blocker: asyncio.Task[None] | None = None
            rows: list[dict[str, Any]] = []
            print("   t phase  remb_kbps  avail_kbps  target_kbps  fps_at_console  lag_ms  reason")
            while time.monotonic() < end:
                now = time.monotonic()
                if blocker is None and now >= busy_from:
                    blocker = asyncio.ensure_future(block_loop(busy_to, block_s))
                await asyncio.sleep(1.0)
                now = time.monotonic()
                receive = link.receive_side
                stats = await page.evaluate(feedback.OUTGOING)
                recent = [b for at, b in rembs if now - at <= 1.0]
                row = {
                    "t": now - start,
                    "phase": "busy" if busy_from <= now - 0.5 < busy_to else "quiet",
                    "remb": recent[-1] / 1000 if recent else None,
                    "avail": stats["available"] / 1000,
                    "target": stats["target"] / 1000,
                    "fps": link.video.fps(),
                    "lag": receive.recorder.read_lag_ms(1.0) if receive else None,
                    "reason": stats["reason"],
                }
                rows.append(row)
                remb = "-" if row["remb"] is None else f"{row['remb']:.0f}"
                print(
                    f"{row['t']:4.0f} {row['phase']:5} {remb:>10} {row['avail']:>11.0f}"
                    f" {row['target']:>12.0f} {row['fps']:>15.1f} {row['lag'] or 0:>7.0f}"
                    f"  {row['reason']}",
                    flush=True,
                )
            await browser.close()
    busy = [r for r in rows if r["phase"] == "busy"]
    tail = [r for r in rows if r["t"] > quiet_s + busy_s]
    rembs_busy = [r["remb"] for r in busy if r["remb"] is not None]
    back = next((r["t"] - quiet_s - busy_s for r in tail if r["fps"] >= 29.0), None)
    print(
        f"remb_busy: mode={'stock' if stock else 'rtc'} block_s={block_s}"
        f" min_remb_kbps={min(rembs_busy) if rembs_busy else 'none'}"
        f" min_target_kbps={min(r['target'] for r in busy):.0f}"
        f" median_fps_busy={statistics.median(r['fps'] for r in busy):.1f}"
        f" min_fps_busy={min(r['fps'] for r in busy):.1f}"
        f" s_to_29fps_after={'never' if back is None else f'{back:.0f}'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stock", action="store_true", help="plain aiortc (REMB only)")
    parser.add_argument("--quiet", type=float, default=15.0)
    parser.add_argument("--busy", type=float, default=40.0)
    parser.add_argument("--after", type=float, default=30.0)
    parser.add_argument("--block", type=float, default=0.4, help="seconds blocked per second")
    args = parser.parse_args()
    asyncio.run(run(args.stock, args.quiet, args.busy, args.after, args.block))


if __name__ == "__main__":
    main()
