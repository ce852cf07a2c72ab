"""``advisor-console self-test``: load every native part and say plainly which one fails.

The frozen installers run this after installation, so it must work without a network, a
display or a camera. Then the set-up is checked (:mod:`advisor_app.selftest_setup`):
configuration layers, data folder, and the configured service when there is one. The Qt
check runs in a child process because a broken platform plugin aborts the process instead of
raising.
"""

from __future__ import annotations

import asyncio
import functools
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from advisor_app import __version__
from advisor_app.paths import resources_dir, self_command

if TYPE_CHECKING:
    from advisor_app.selftest_desktop import Mode

QT_CHILD_MARKER = "QT-OK "
#: The Qt child's line about desktop notifications: available, or a note.
NOTIFY_MARKERS = {"NOTIFY-OK ": False, "NOTIFY-NOTE ": True}


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str
    #: Works as far as this set-up needs, but the advisor will miss something (shown as
    #: "[INFO  ]", never a failure).
    note: bool = False


def _has_display() -> bool:
    if sys.platform != "linux":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


@functools.cache
def _qt_child() -> subprocess.CompletedProcess[str] | str:
    """The Qt part in a child process (run once): its output, or why it did not start."""
    env = dict(os.environ)
    if not _has_display() and "QT_QPA_PLATFORM" not in env:
        env["QT_QPA_PLATFORM"] = "offscreen"
    try:
        return subprocess.run(
            [*self_command(), "self-test", "--part", "qt"],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)


def check_qt() -> Check:
    proc = _qt_child()
    if isinstance(proc, str):
        return Check("Qt (PySide6)", False, f"Prüfprozess nicht startbar: {proc}")
    for line in proc.stdout.splitlines():
        if line.startswith(QT_CHILD_MARKER):
            return Check("Qt (PySide6)", True, line.removeprefix(QT_CHILD_MARKER))
    reason = (proc.stderr.strip().splitlines() or [f"Exit-Code {proc.returncode}"])[-1]
    return Check("Qt (PySide6)", False, f"Plattform-Plugin lädt nicht: {reason}")


def check_notifications() -> Check:
    """Desktop notifications of arrivals: a tray, or org.freedesktop.Notifications (D-Bus)."""
    name = "Desktop-Benachrichtigung"
    proc = _qt_child()
    if isinstance(proc, str):
        return Check(name, False, f"Prüfprozess nicht startbar: {proc}")
    for line in proc.stdout.splitlines():
        for marker, note in NOTIFY_MARKERS.items():
            if line.startswith(marker):
                return Check(name, True, line.removeprefix(marker), note=note)
    return Check(name, False, "nicht prüfbar: Qt lädt nicht (siehe Qt)")


def check_av() -> Check:
    import av

    missing = []
    for codec in ("libopus", "libvpx", "h264"):
        try:
            av.codec.Codec(codec, "w")
        except Exception:
            missing.append(codec)
    if missing:
        return Check("PyAV (FFmpeg)", False, f"Codecs fehlen: {', '.join(missing)}")
    return Check("PyAV (FFmpeg)", True, f"{av.__version__}; Opus, VP8, H.264 vorhanden")


def check_opencv() -> Check:
    import cv2
    import numpy as np

    frame = np.zeros((72, 128, 3), dtype=np.uint8)
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    return Check("OpenCV", gray.shape == (72, 128), f"{cv2.__version__}")


def check_portaudio() -> Check:
    try:
        import sounddevice as sd
    except OSError as exc:
        return Check("PortAudio (sounddevice)", False, f"Bibliothek fehlt: {exc}")
    version = sd.get_portaudio_version()[1]
    try:
        devices = len(sd.query_devices())
    except Exception as exc:
        return Check("PortAudio (sounddevice)", False, f"{version}; Geräteabfrage: {exc}")
    note = f"{devices} Audiogeräte" if devices else "keine Audiogeräte gefunden (Hinweis)"
    return Check("PortAudio (sounddevice)", True, f"{version}; {note}")


def check_audio_processing() -> Check:
    """livekit's APM loads and removes a synthetic echo (two seconds, offline)."""
    import numpy as np

    from advisor_app.client.media.processing import BLOCK, SAMPLE_RATE, AudioProcessing

    apm = AudioProcessing()
    rng = np.random.default_rng(0)
    far = (rng.standard_normal(2 * SAMPLE_RATE) * 3000).astype(np.int16)
    echo = np.concatenate((np.zeros(BLOCK * 3, np.int16), far[: -BLOCK * 3] // 2))
    out = np.zeros_like(echo)
    for i in range(0, len(far), BLOCK):
        apm.process_render(far[i : i + BLOCK])
        out[i : i + BLOCK] = apm.process_capture(echo[i : i + BLOCK])
    tail = slice(SAMPLE_RATE, None)
    drop = 10 * np.log10(
        np.mean(out[tail].astype(float) ** 2) / np.mean(echo[tail].astype(float) ** 2) + 1e-12
    )
    if drop > -20:
        return Check("Echounterdrückung (APM)", False, f"Echo nur {drop:.0f} dB leiser")
    from importlib.metadata import version

    return Check("Echounterdrückung (APM)", True, f"{version('livekit')}; Echo {drop:.0f} dB")


def check_camera_module() -> Check:
    """The capture thread opens a generated video file, delivers a frame and closes."""
    import tempfile
    from pathlib import Path

    import cv2
    import numpy as np

    from advisor_app.client.media.camera import CameraCapture

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "check.avi"
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 15, (320, 180))
        for value in range(0, 250, 50):
            writer.write(np.full((180, 320, 3), value, dtype=np.uint8))
        writer.release()
        capture = CameraCapture(str(path))
        capture.start()
        problem = capture.opened.result(timeout=10)
        frame = capture.newest
        closed = capture.close()
    if problem is not None or frame is None:
        return Check("Kamera (OpenCV)", False, "Testvideo liefert kein Bild")
    if not closed:
        return Check("Kamera (OpenCV)", False, "Aufnahme-Thread endet nicht")
    return Check("Kamera (OpenCV)", True, f"Aufnahme-Thread: {capture.width}×{capture.height}")


def check_aiortc() -> Check:
    from aiortc import RTCPeerConnection

    async def offer() -> str:
        pc = RTCPeerConnection()
        try:
            pc.addTransceiver("audio", direction="sendrecv")
            pc.addTransceiver("video", direction="sendrecv")
            pc.createDataChannel("chat")
            await pc.setLocalDescription(await pc.createOffer())
            return str(pc.localDescription.sdp)
        finally:
            await pc.close()

    sdp = asyncio.run(offer())
    needed = {
        "m=audio": "Audio",
        "m=video": "Video",
        "opus/48000": "Opus",
        "VP8/90000": "VP8",
        "webrtc-datachannel": "Datenkanal",
    }
    missing = [label for token, label in needed.items() if token not in sdp]
    if missing:
        return Check("aiortc (WebRTC)", False, f"Angebot unvollständig: {', '.join(missing)}")
    import aiortc

    return Check("aiortc (WebRTC)", True, f"{aiortc.__version__}; Angebot mit Opus, VP8, Daten")


def check_resources() -> Check:
    try:
        root = resources_dir()
    except FileNotFoundError as exc:
        return Check("Ressourcen", False, str(exc))
    needed = ["web/templates/start.html.j2", "mail/message.txt.j2"]
    missing = [n for n in needed if not (root / n).is_file()]
    if missing:
        return Check("Ressourcen", False, f"fehlen: {', '.join(missing)}")
    return Check("Ressourcen", True, str(root))


CHECKS: list[Callable[[], Check]] = [
    check_resources,
    check_qt,
    check_av,
    check_opencv,
    check_portaudio,
    check_audio_processing,
    check_camera_module,
    check_aiortc,
]


def desktop_checks(mode: Mode) -> list[Callable[[], Check | None]]:
    """The parts judged by the configured mode, and the desktop features the build ships."""
    from advisor_app import selftest_desktop as desktop

    return [
        functools.partial(desktop.check_keyring, mode),
        desktop.check_screen_capture,
        desktop.check_window_capture,
        desktop.check_text_recognition,
        check_notifications,
    ]


def _safe(fn: Callable[[], Check | None]) -> Check | None:
    try:
        return fn()
    except Exception as exc:
        label = getattr(fn, "__name__", getattr(getattr(fn, "func", None), "__name__", "?"))
        return Check(label.removeprefix("check_"), False, f"{type(exc).__name__}: {exc}")


def run_self_test(
    part: str | None = None, *, config_file: Path | None = None, server_url: str | None = None
) -> int:
    if part == "qt":
        from advisor_app.ui.selftest_qt import notification_report, qt_report

        print(QT_CHILD_MARKER + qt_report(), flush=True)
        available, text = notification_report()
        print(("NOTIFY-OK " if available else "NOTIFY-NOTE ") + text, flush=True)
        return 0
    from advisor_app.selftest_desktop import Mode, mode_line
    from advisor_app.selftest_setup import load, setup_checks

    print(f"advisor-console {__version__} – Selbsttest / self-test")
    _config, settings = load(config_file, server_url)
    url = settings.console.server_url if settings is not None else None
    mode = Mode.SERVER if url else Mode.EMBEDDED
    print(mode_line(mode, str(url) if url else None))
    checks = [_safe(fn) for fn in [*CHECKS, *desktop_checks(mode)]]
    results = [c for c in checks if c is not None]
    try:
        results += setup_checks(config_file, server_url)
    except Exception as exc:  # a check that breaks is a failing part, not a traceback
        results.append(Check("Einrichtung", False, f"{type(exc).__name__}: {exc}"))
    width = max(len(r.name) for r in results)
    for r in results:
        mark = ("INFO  " if r.note else "OK    ") if r.ok else "FEHLER"
        print(f"  [{mark}] {r.name:<{width}}  {r.detail}")
    failed = [r.name for r in results if not r.ok]
    if failed:
        print(f"Ergebnis: {len(failed)} Bestandteil(e) fehlerhaft: {', '.join(failed)}")
        return 1
    print("Ergebnis: alle Bestandteile geladen.")
    return 0
