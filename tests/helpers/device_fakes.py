"""Devices that open when a test says so: the device tester's open/close races on demand."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from advisor_app.client.media import DeviceInfo, MediaUnavailable
from advisor_app.client.media.problems import CAMERA_NOT_FOUND
from advisor_app.console.devices import DeviceAccess


@dataclass
class FakeDevice:
    """A camera, microphone or speaker: open until :meth:`stop` (and :meth:`close`)."""

    name: str
    problem: Callable[[str, str], None]
    stopped: bool = False
    closed: bool = False
    playing: bool = True
    size: tuple[int, int] = (640, 360)
    tones: int = 0

    def stop(self) -> None:
        self.stopped = True

    async def close(self) -> None:
        self.closed = True

    def add_track(self, _track: object) -> None:
        self.tones += 1


@dataclass
class FakeProcessing:
    enabled: bool

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled


@dataclass
class Drawer:
    """The machine's devices; each opening waits until the test releases it."""

    cameras: list[DeviceInfo] = field(default_factory=lambda: [DeviceInfo("cam0", "Testkamera")])
    broken: set[str] = field(default_factory=set)
    gates: dict[str, asyncio.Event] = field(default_factory=dict)
    opened: list[FakeDevice] = field(default_factory=list)
    processing: list[FakeProcessing] = field(default_factory=list)

    def gate(self, name: str) -> asyncio.Event:
        return self.gates.setdefault(name, asyncio.Event())

    async def _open(self, name: str, problem: Callable[[str, str], None]) -> FakeDevice:
        await self.gate(name).wait()
        if name in self.broken:
            raise MediaUnavailable(CAMERA_NOT_FOUND)
        device = FakeDevice(name, problem)
        self.opened.append(device)
        return device

    async def open_camera(self, device: str, problem: Callable[[str, str], None]) -> FakeDevice:
        return await self._open(device, problem)

    async def open_audio(
        self, device: str | None, _processing: object, problem: Callable[[str, str], None]
    ) -> FakeDevice:
        return await self._open(device or "default", problem)

    def make_processing(self, enabled: bool) -> FakeProcessing:
        self.processing.append(FakeProcessing(enabled))
        return self.processing[-1]

    def access(self) -> DeviceAccess:
        return DeviceAccess(
            list_cameras=lambda: list(self.cameras),
            list_microphones=lambda: [DeviceInfo("mic0", "Headset")],
            list_speakers=list,
            open_camera=self.open_camera,  # type: ignore[arg-type]
            open_microphone=self.open_audio,  # type: ignore[arg-type]
            open_speaker=self.open_audio,  # type: ignore[arg-type]
            processing=self.make_processing,  # type: ignore[arg-type]
        )
