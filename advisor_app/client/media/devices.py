"""Which cameras, microphones and speakers there are, and which ones the advisor chose.

Cameras: on Linux the ``/dev/video*`` nodes that capture (sysfs ``index`` 0) with their names
from sysfs, found without opening a device; elsewhere OpenCV's indices 0–3, probed once each.
Microphones and speakers: PortAudio's devices of the default host API (Windows lists every
device once per host API; the default one is what other programs use).
"""

from __future__ import annotations

import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from advisor_app.client.media.portaudio import PORTAUDIO

log = logging.getLogger(__name__)

_SYSFS = Path("/sys/class/video4linux")
_PROBE_INDICES = range(4)

AudioKind = Literal["input", "output"]


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """A device to choose: ``id`` is what the open functions take, ``name`` what to show."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class MediaPreferences:
    """The advisor's choice; ``None`` means the system's default device."""

    camera: str | None = None
    microphone: str | None = None
    speaker: str | None = None
    audio_processing: bool = True


def _natural(name: str) -> tuple[int, str]:
    match = re.search(r"(\d+)$", name)
    return (int(match.group(1)) if match else 0, name)


def _linux_cameras(sysfs: Path = _SYSFS, dev: Path = Path("/dev")) -> list[DeviceInfo]:
    found: list[DeviceInfo] = []
    for node in sorted(dev.glob("video*"), key=lambda p: _natural(p.name)):
        meta = sysfs / node.name
        index = _read(meta / "index")
        if index not in (None, "0"):
            continue  # a second node of the same camera (metadata), not a picture
        name = _read(meta / "name") or node.name
        found.append(DeviceInfo(str(node), f"{name} ({node.name})"))
    return found


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return None


def _probed_cameras() -> list[DeviceInfo]:
    import cv2

    found: list[DeviceInfo] = []
    for index in _PROBE_INDICES:
        capture = cv2.VideoCapture(index)
        try:
            if capture.isOpened():
                found.append(DeviceInfo(str(index), f"Kamera {index + 1}"))
        finally:
            capture.release()
    return found


def list_cameras() -> list[DeviceInfo]:
    """The cameras that can be chosen (may open devices briefly off Linux: call in a thread)."""
    if sys.platform.startswith("linux"):
        return _linux_cameras()
    return _probed_cameras()


def _sounddevice() -> Any:
    """sounddevice, or ``None`` when PortAudio is missing."""
    try:
        import sounddevice as sd
    except OSError as exc:
        log.warning("PortAudio is missing: %s", exc)
        return None
    return sd


def list_audio(kind: AudioKind) -> list[DeviceInfo]:
    """PortAudio's microphones (``"input"``) or speakers (``"output"``) of the default host API."""
    sd = _sounddevice()
    if sd is None:
        return []
    channels = "max_input_channels" if kind == "input" else "max_output_channels"
    try:
        with PORTAUDIO:
            hostapi = sd.default.hostapi
            devices = sd.query_devices()
    except Exception as exc:
        log.warning("audio devices cannot be listed: %s", exc)
        return []
    names: list[str] = []
    for info in devices:
        if info[channels] > 0 and info["hostapi"] == hostapi and info["name"] not in names:
            names.append(str(info["name"]))
    return [DeviceInfo(name, name) for name in names]


def list_microphones() -> list[DeviceInfo]:
    return list_audio("input")


def list_speakers() -> list[DeviceInfo]:
    return list_audio("output")


def resolve_audio_device(sd: Any, device: str | None, kind: AudioKind) -> int:
    """PortAudio's index for a device name (``None``: the default device).

    Raises :class:`LookupError` when there is no such device (or no default one).
    """
    channels = "max_input_channels" if kind == "input" else "max_output_channels"
    with PORTAUDIO:
        devices = sd.query_devices()
        defaults = sd.default.device
        hostapi = sd.default.hostapi
    if device is None:
        index = defaults[0 if kind == "input" else 1]
        if index is None or not 0 <= index < len(devices) or devices[index][channels] <= 0:
            raise LookupError(f"no default {kind} device")
        return int(index)
    matches = [i for i, info in enumerate(devices) if info["name"] == device and info[channels]]
    preferred = [i for i in matches if devices[i]["hostapi"] == hostapi]
    if not matches:
        raise LookupError(f"no {kind} device {device!r}")
    return (preferred or matches)[0]
