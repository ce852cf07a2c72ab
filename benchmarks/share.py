"""``make bench-share``: the advisor's screen, full of body text, shared to Chromium for 20 s.

1. Two 1920×1080 "pages" of a document (headings, body text in DejaVu Sans at 11, 12 and
   13 pt at 96 dpi, a form table) are painted with Qt into images and put on a real X screen
   (Xvfb) with ImageMagick's ``display -window root``: page 1 for the first half, page 2 for the
   second (the advisor "scrolls" once).
2. The service (the production app) in this process, the console's call stack (RoomClient,
   CallSession, aiortc) in the same loop, Debian's Chromium as the citizen; the console shares
   the Xvfb monitor with its real capture code (``mss``, 1280×720, ``SHARE_FPS``).
3. In the page, ``requestVideoFrameCallback`` counts every frame of ``#remote-screen``, and
   once a second the current frame is drawn on a canvas at its received size and its grey
   values are handed to this process. SSIM (Wang et al. 2004: 11×11 Gaussian window, σ 1.5,
   K1 0.01, K2 0.03, on luma) compares each with the source page scaled to the received size
   (``INTER_AREA``), against whichever of the two pages it shows.
4. kbps: the console's screen sender's ``bytesSent`` over the same window.

Last line: ``share: fps=… ssim=… kbps=…`` (fps: frames presented per second over the window;
ssim: the median of the samples; both pages and the switch included). Because a page is mostly
white, the lines above it also give SSIM over the text alone (where the source has contrast):
the stricter figure, since a page sent at half size and blown up still scores 0.90 overall.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

TARGETS = {"fps": 5.0, "ssim": 0.9}
Image = npt.NDArray[np.uint8]

PARAGRAPHS = [
    "Sehr geehrte Frau Mustermann, mit diesem Schreiben erhalten Sie die Unterlagen zu Ihrem "
    "Antrag auf Weiterbewilligung des Bürgergeldes. Bitte prüfen Sie die Angaben sorgfältig "
    "und ergänzen Sie fehlende Nachweise bis zum 15. Januar 2027.",
    "Zu den Einkommensnachweisen gehören Lohnabrechnungen der letzten sechs Monate, Bescheide "
    "über Kindergeld und Unterhalt sowie Kontoauszüge aller Girokonten. Sie können die "
    "Nachweise hochladen, per Post senden oder in Ihrer Geschäftsstelle abgeben.",
    "Änderungen in Ihren Verhältnissen (Umzug, Arbeitsaufnahme, Geburt eines Kindes) teilen "
    "Sie uns bitte unverzüglich mit. Die Mitwirkungspflichten ergeben sich aus §§ 60 ff. SGB I; "
    "Fragen beantwortet Ihre Ansprechpartnerin gern im Videotermin.",
    "Für die Kosten der Unterkunft benötigen wir den aktuellen Mietvertrag, die letzte "
    "Nebenkostenabrechnung und einen Nachweis über die Heizkosten. Übersteigen die Kosten die "
    "Angemessenheitsgrenze, beraten wir Sie zu den nächsten Schritten.",
]
FORM = [
    ("Kundennummer", "123D456789"),
    ("Bedarfsgemeinschaft", "12345BG0067890"),
    ("Bewilligungszeitraum", "01.02.2027 – 31.01.2028"),
    ("Regelbedarf", "563,00 EUR monatlich"),
    ("Kosten der Unterkunft", "642,18 EUR monatlich"),
    ("Ansprechpartnerin", "Anna Berger, Zimmer 2.14"),
]


def say(text: str) -> None:
    print(text, flush=True)


def render_pages() -> list[Image]:
    """Two document pages at 1920×1080 (BGR), painted with Qt's offscreen platform."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter
    from PySide6.QtWidgets import QApplication

    # A widgets application (not only a GUI one), so that a test process can go on to use it.
    app = QGuiApplication.instance() or QApplication([])
    pages: list[Image] = []
    for number in (1, 2):
        image = QImage(1920, 1080, QImage.Format.Format_RGB888)
        image.fill(QColor("#ffffff"))
        p = QPainter(image)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.fillRect(0, 0, 1920, 56, QColor("#003360"))
        p.setPen(QColor("#ffffff"))
        p.setFont(_font(QFont, 13, bold=True))
        p.drawText(24, 36, f"Jobcenter Musterstadt – Weiterbewilligung, Seite {number} von 2")
        p.setPen(QColor("#1f2a37"))
        p.setFont(_font(QFont, 20, bold=True))
        title = "Ihre Unterlagen im Überblick" if number == 1 else "Nachweise und Fristen"
        p.drawText(96, 120, title)
        y = 160
        for index, paragraph in enumerate(PARAGRAPHS * 2):
            size = (11, 12, 13)[(index + number) % 3]
            p.setFont(_font(QFont, size))
            box = QRect(96, y, 1100, 400)
            text = paragraph if number == 1 else paragraph[::-1].capitalize()[::-1]
            used = p.boundingRect(box, int(Qt.TextFlag.TextWordWrap), text)
            p.drawText(box, int(Qt.TextFlag.TextWordWrap), text)
            y += used.height() + 18
        p.setFont(_font(QFont, 12, bold=True))
        p.drawText(1280, 140, "Angaben zum Bescheid")
        p.setFont(_font(QFont, 12))
        for row, (label, value) in enumerate(FORM if number == 1 else FORM[::-1]):
            top = 160 + row * 44
            p.setPen(QColor("#c3cad4"))
            p.drawRect(1280, top, 560, 40)
            p.setPen(QColor("#1f2a37"))
            p.drawText(1292, top + 26, f"{label}:")
            p.drawText(1540, top + 26, value)
        p.setFont(_font(QFont, 11))
        p.setPen(QColor("#5b6573"))
        p.drawText(96, 1050, "Aktenzeichen 962-2026-004711 · Bitte bei Rückfragen angeben.")
        p.end()
        rgb = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(1080, image.bytesPerLine())
        bgr = cv2.cvtColor(rgb[:, : 1920 * 3].reshape(1080, 1920, 3), cv2.COLOR_RGB2BGR)
        pages.append(np.asarray(bgr, dtype=np.uint8))
    assert app is not None
    return pages


def _font(font_class: Any, points: int, *, bold: bool = False) -> Any:
    font = font_class("DejaVu Sans")
    font.setPixelSize(round(points * 96 / 72))  # 11 pt = 15 px, 12 pt = 16 px, 13 pt = 17 px
    font.setBold(bold)
    return font


def ssim(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> float:
    """Mean structural similarity of two grey images (Gaussian 11×11, σ 1.5)."""
    return float(np.mean(ssim_map(a, b)))


def ssim_text(source: npt.NDArray[Any], received: npt.NDArray[Any]) -> float:
    """SSIM only where the source has text or lines (its local contrast is not flat).

    A document page is mostly white; white compares perfectly, so the whole-page mean stays
    high even for text nobody can read. This figure looks at the writing alone."""
    x = source.astype(np.float64)
    variance = cv2.GaussianBlur(x * x, (11, 11), 1.5) - cv2.GaussianBlur(x, (11, 11), 1.5) ** 2
    mask = variance > 100.0  # a local standard deviation above 10 grey levels
    return float(np.mean(ssim_map(source, received)[mask])) if mask.any() else 1.0


def ssim_map(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> npt.NDArray[Any]:
    x, y = a.astype(np.float64), b.astype(np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2

    def blur(img: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return np.asarray(cv2.GaussianBlur(img, (11, 11), 1.5))

    mx, my = blur(x), blur(y)
    vx, vy, cxy = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    num = (2 * mx * my + c1) * (2 * cxy + c2)
    den = (mx * mx + my * my + c1) * (vx + vy + c2)
    return np.asarray(num / den)


#: Counts presented frames of the shared screen; ``__grab()`` returns one as base64 grey.
WATCH = """
() => {
  const video = document.querySelector('#remote-screen');
  const w = { frames: 0, first: 0, sizes: {} };
  window.__share = w;
  const tick = (now, meta) => {
    w.frames += 1;
    if (!w.first) w.first = performance.now();
    const key = `${meta.width}x${meta.height}`;
    w.sizes[key] = (w.sizes[key] || 0) + 1;
    video.requestVideoFrameCallback(tick);
  };
  video.requestVideoFrameCallback(tick);
  const canvas = document.createElement('canvas');
  const g = canvas.getContext('2d', { willReadFrequently: true });
  window.__grab = () => {
    const width = video.videoWidth, height = video.videoHeight;
    if (!width) return null;
    canvas.width = width; canvas.height = height;
    g.drawImage(video, 0, 0, width, height);
    const d = g.getImageData(0, 0, width, height).data;
    const grey = new Uint8Array(width * height);
    for (let i = 0, j = 0; j < grey.length; i += 4, j++) {
      grey[j] = Math.round(0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2]);
    }
    let text = '';
    for (let i = 0; i < grey.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, grey.subarray(i, i + 0x8000));
    }
    return { width, height, data: btoa(text) };
  };
}
"""


async def run(seconds: float, shots: Path | None) -> dict[str, float]:
    from playwright.async_api import async_playwright

    from advisor_app.client.media.screen import SHARE_FPS, list_monitors, open_screen
    from tests.helpers.citizen_browser import DESKTOP, ROOM_OPEN, launch, live_service, wait_step
    from tests.helpers.console_call import console_side
    from tests.helpers.screen import xvfb_screen

    pages = render_pages()
    if shots is not None:
        cv2.imwrite(str(shots / "share-bench-source.png"), pages[0])
    greys = [cv2.cvtColor(p, cv2.COLOR_BGR2GRAY) for p in pages]
    results: dict[str, float] = {}
    with (
        xvfb_screen(1920, 1080) as screen,
        tempfile.TemporaryDirectory() as tmp,
    ):
        screen.show(pages[0])
        [monitor] = list_monitors()
        async with (
            live_service(Path(tmp)) as live,
            async_playwright() as playwright,
            console_side(live.base, live.advisor_token) as console,
        ):
            _, url = await live.appointment()
            await live.consent(url)
            live.clock.set(ROOM_OPEN)
            browser = await launch(playwright)
            context = await browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
            page = await context.new_page()
            page.set_default_timeout(60_000)
            await page.goto(url)
            await wait_step(page, "start")
            await page.click("text=Direkt zum Beratungsraum")
            await wait_step(page, "entering")
            await page.click("#enter-room")
            link = await console.admit_next()
            await wait_step(page, "admitted")
            await page.wait_for_selector("#call-status", state="hidden")
            problems: list[str] = []

            async def opener() -> Any:
                return await open_screen(monitor, problems.append)

            if not await console.session.start_screen(opener):
                raise RuntimeError(f"the screen could not be shared: {console.problems}")
            await page.wait_for_selector("#remote-screen", state="visible")
            await page.evaluate(WATCH)
            await page.wait_for_function("() => window.__share.first > 0")
            sender = link.connection.getTransceivers()[2].sender  # type: ignore[union-attr]
            bytes0 = await _bytes_sent(sender)
            frames0 = await page.evaluate("window.__share.frames")
            t0 = time.monotonic()
            samples: list[tuple[float, float, int, float]] = []  # at, ssim, page, text ssim
            switched = False
            while (elapsed := time.monotonic() - t0) < seconds:
                await asyncio.sleep(1.0)
                if not switched and elapsed >= seconds / 2:
                    screen.show(pages[1])
                    switched = True
                got = await page.evaluate("window.__grab()")
                if got is None:
                    continue
                w, h = got["width"], got["height"]
                received = np.frombuffer(base64.b64decode(got["data"]), np.uint8).reshape(h, w)
                sources = [cv2.resize(g, (w, h), interpolation=cv2.INTER_AREA) for g in greys]
                scores = [ssim(received, source) for source in sources]
                best = int(np.argmax(scores))
                text = ssim_text(sources[best], received)
                samples.append((time.monotonic() - t0, scores[best], best + 1, text))
                if shots is not None and len(samples) == 5:
                    cv2.imwrite(str(shots / "share-bench-received.png"), received)
            elapsed = time.monotonic() - t0
            frames = await page.evaluate("window.__share.frames") - frames0
            sizes = await page.evaluate("window.__share.sizes")
            kbits = 8 * (await _bytes_sent(sender) - bytes0) / 1000
            encoder = getattr(sender, "_RTCRtpSender__encoder", None)
            target = getattr(encoder, "target_bitrate", None)
            await context.close()
            await browser.close()
    say(f"source: 2 pages 1920×1080, DejaVu Sans 11/12/13 pt; capture {SHARE_FPS} fps")
    say(f"received sizes: {sizes}; encoder target at the end: {target} bit/s")
    for at, score, shown, text in samples:
        say(f"  t={at:5.1f} s  page {shown}  ssim={score:.3f}  text only {text:.3f}")
    if problems:
        say(f"problems: {problems}")
    scores = [s for _, s, _, _ in samples]
    texts = [t for _, _, _, t in samples]
    results["ssim_text"] = statistics.median(texts) if texts else float("nan")
    results["fps"] = frames / elapsed
    results["ssim"] = statistics.median(scores) if scores else float("nan")
    results["ssim_min"] = min(scores) if scores else float("nan")
    results["kbps"] = kbits / elapsed
    return results


async def _bytes_sent(sender: Any) -> int:
    report = await sender.getStats()
    return sum(s.bytesSent for s in report.values() if s.type == "outbound-rtp")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--screenshots", type=Path, default=None, help="save source and a frame")
    parser.add_argument("--fail-on-miss", action="store_true")
    args = parser.parse_args(argv)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    say(f"machine: load {load}, CPython {sys.version.split()[0]}")
    r = asyncio.run(run(args.seconds, args.screenshots))
    missed = [
        name
        for name, bad in (
            ("fps", not r["fps"] >= TARGETS["fps"]),
            ("ssim", not r["ssim"] >= TARGETS["ssim"]),
        )
        if bad
    ]
    say(
        f"ssim: median {r['ssim']:.3f}, lowest {r['ssim_min']:.3f}; "
        f"on the text alone (median) {r['ssim_text']:.3f}"
    )
    say("targets: " + (f"missed {', '.join(missed)}" if missed else "all met"))
    say(f"share: fps={r['fps']:.1f} ssim={r['ssim']:.3f} kbps={r['kbps']:.0f}")
    return 3 if missed and args.fail_on_miss else 0


if __name__ == "__main__":
    sys.exit(main())
