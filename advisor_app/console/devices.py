"""The device tester: the chosen camera, microphone and speaker, open while they are tested.

:class:`DeviceTester` opens a device when it is chosen (or listed) while testing, releases
every device when testing stops, and never keeps a device that arrives too late: each kind
counts its openings, and a device from an opening that was superseded, or that arrives after
testing stopped, is closed at once. It reports through :class:`DeviceEvents`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any

from advisor_app.client.media import (
    AudioProcessing,
    CameraTrack,
    DeviceInfo,
    MediaPreferences,
    MediaUnavailable,
    MicrophoneTrack,
    Problem,
    ProblemCallback,
    SpeakerOutput,
    ToneTrack,
    attempt,
    list_cameras,
    list_microphones,
    list_speakers,
    open_camera,
    open_microphone,
    open_speaker,
)
from advisor_app.client.media.problems import CAMERA_NOT_FOUND
from advisor_app.console.tasks import Spawn

__all__ = [
    "CameraTrack",
    "DeviceAccess",
    "DeviceEvents",
    "DeviceInfo",
    "DeviceKind",
    "DeviceTester",
    "MediaPreferences",
    "MediaUnavailable",
    "MicrophoneTrack",
    "Problem",
    "SpeakerOutput",
]

#: How long the test tone plays.
TONE_S = 1.5


class DeviceKind(StrEnum):
    CAMERA = "camera"
    MICROPHONE = "microphone"
    SPEAKER = "speaker"


@dataclass(frozen=True, slots=True)
class DeviceAccess:
    """How devices are listed and opened (tests hand in stand-ins)."""

    list_cameras: Callable[[], list[DeviceInfo]] = list_cameras
    list_microphones: Callable[[], list[DeviceInfo]] = list_microphones
    list_speakers: Callable[[], list[DeviceInfo]] = list_speakers
    open_camera: Callable[[str, ProblemCallback], Coroutine[Any, Any, CameraTrack]] = open_camera
    open_microphone: Callable[
        [str | None, AudioProcessing, ProblemCallback], Coroutine[Any, Any, MicrophoneTrack]
    ] = open_microphone
    open_speaker: Callable[
        [str | None, AudioProcessing, ProblemCallback], Coroutine[Any, Any, SpeakerOutput]
    ] = open_speaker
    processing: Callable[[bool], AudioProcessing] = AudioProcessing


def _ignore(*_args: object) -> None:
    return None


@dataclass
class DeviceEvents:
    """What a :class:`DeviceTester` reports."""

    listed: Callable[[DeviceKind, list[DeviceInfo]], None] = _ignore
    #: A device is being opened (a new choice).
    opening: Callable[[DeviceKind], None] = _ignore
    #: The device of this kind is let go (a new choice, or testing stopped).
    released: Callable[[DeviceKind], None] = _ignore
    camera: Callable[[CameraTrack], None] = _ignore
    microphone: Callable[[MicrophoneTrack], None] = _ignore
    speaker: Callable[[SpeakerOutput], None] = _ignore
    #: The chosen device cannot be opened (or there is none).
    unavailable: Callable[[DeviceKind, Problem | MediaUnavailable], None] = _ignore
    #: A device stopped working: the media problem's code.
    problem: Callable[[DeviceKind, str], None] = _ignore


class DeviceTester:
    """Holds the devices under test; :meth:`start` and :meth:`stop` bound the testing."""

    def __init__(
        self,
        spawn: Spawn,
        events: DeviceEvents,
        access: DeviceAccess | None = None,
        *,
        alive: Callable[[], bool] = lambda: True,
    ) -> None:
        self._spawn = spawn
        self._events = events
        self._access = access or DeviceAccess()
        #: False once the view that listens is gone: nothing is reported, late devices close.
        self._alive = alive
        self.active = False
        self._generation = dict.fromkeys(DeviceKind, 0)
        self.camera: CameraTrack | None = None
        self.microphone: MicrophoneTrack | None = None
        self.speaker: SpeakerOutput | None = None
        self._processing: AudioProcessing | None = None
        self._processing_on = True

    # --- testing ----------------------------------------------------------------------------

    def start(self) -> bool:
        """Testing starts (the page is shown); False if it was running already."""
        if self.active:
            return False
        self.active = True
        return True

    def stop(self) -> None:
        """Testing stops (the page is left): every device is released, also one still
        opening (it is closed when it arrives)."""
        self.active = False
        for kind in DeviceKind:
            self._next(kind)
        self._release_camera()
        self._release_microphone()
        self._release_speaker()

    def scan(self, *, processing: bool) -> None:
        """List every kind of device (off the event loop's thread); ``listed`` follows."""
        self._processing_on = processing
        listers = (
            (DeviceKind.CAMERA, self._access.list_cameras),
            (DeviceKind.MICROPHONE, self._access.list_microphones),
            (DeviceKind.SPEAKER, self._access.list_speakers),
        )
        for kind, lister in listers:
            self._spawn(
                f"devices-list-{kind.value}",
                asyncio.to_thread(lister),  # probing may take a moment
                partial(self._listed, kind),
            )

    def _listed(self, kind: DeviceKind, devices: list[DeviceInfo]) -> None:
        if self._alive():
            self._events.listed(kind, devices)

    def set_processing(self, enabled: bool) -> None:
        """Echo cancellation, noise suppression and gain control on or off."""
        self._processing_on = enabled
        if self._processing is not None:
            self._processing.set_enabled(enabled)

    def play_tone(self) -> bool:
        """A short tone through the speaker under test (False: no speaker playing)."""
        if self.speaker is None or not self.speaker.playing:
            return False
        self.speaker.add_track(ToneTrack(duration=TONE_S))
        return True

    # --- opening ----------------------------------------------------------------------------

    def open(self, kind: DeviceKind, device: str | None) -> None:
        """Open ``device`` of ``kind`` (None: the system default; a camera must be named)."""
        if kind is DeviceKind.CAMERA:
            self.open_camera(device)
        elif kind is DeviceKind.MICROPHONE:
            self.open_microphone(device)
        else:
            self.open_speaker(device)

    def _ensure_processing(self) -> AudioProcessing:
        if self._processing is None:
            self._processing = self._access.processing(self._processing_on)
        return self._processing

    def _reporter(self, kind: DeviceKind) -> ProblemCallback:
        def report(code: str) -> None:
            if self._alive():
                self._events.problem(kind, code)

        return report

    def open_camera(self, device: str | None) -> None:
        self._release_camera()
        generation = self._next(DeviceKind.CAMERA)
        if device is None:
            self._events.unavailable(DeviceKind.CAMERA, CAMERA_NOT_FOUND)
            return
        self._events.opening(DeviceKind.CAMERA)
        self._spawn(
            f"devices-camera-{generation}",
            attempt(self._access.open_camera(device, self._reporter(DeviceKind.CAMERA))),
            lambda result: self._on_camera_opened(generation, result),
        )

    def open_microphone(self, device: str | None) -> None:
        self._release_microphone()
        generation = self._next(DeviceKind.MICROPHONE)
        self._events.opening(DeviceKind.MICROPHONE)
        opening = self._access.open_microphone(
            device, self._ensure_processing(), self._reporter(DeviceKind.MICROPHONE)
        )
        self._spawn(
            f"devices-microphone-{generation}",
            attempt(opening),
            lambda result: self._on_microphone_opened(generation, result),
        )

    def open_speaker(self, device: str | None) -> None:
        self._release_speaker()
        generation = self._next(DeviceKind.SPEAKER)
        self._events.opening(DeviceKind.SPEAKER)
        opening = self._access.open_speaker(
            device, self._ensure_processing(), self._reporter(DeviceKind.SPEAKER)
        )
        self._spawn(
            f"devices-speaker-{generation}",
            opening,
            lambda speaker: self._on_speaker_opened(generation, speaker),
        )

    def _next(self, kind: DeviceKind) -> int:
        self._generation[kind] += 1
        return self._generation[kind]

    def _wanted(self, kind: DeviceKind, generation: int) -> bool:
        """Is a device that has just opened still wanted (testing, not replaced)?"""
        return self._alive() and self.active and generation == self._generation[kind]

    def _on_camera_opened(self, generation: int, result: CameraTrack | MediaUnavailable) -> None:
        if not self._wanted(DeviceKind.CAMERA, generation):
            if not isinstance(result, MediaUnavailable):
                self._close_camera(result)
            return
        if isinstance(result, MediaUnavailable):
            self._events.unavailable(DeviceKind.CAMERA, result)
            return
        self.camera = result
        self._events.camera(result)

    def _on_microphone_opened(
        self, generation: int, result: MicrophoneTrack | MediaUnavailable
    ) -> None:
        if not self._wanted(DeviceKind.MICROPHONE, generation):
            if not isinstance(result, MediaUnavailable):
                result.stop()
            return
        if isinstance(result, MediaUnavailable):
            self._events.unavailable(DeviceKind.MICROPHONE, result)
            return
        self.microphone = result
        self._events.microphone(result)

    def _on_speaker_opened(self, generation: int, speaker: SpeakerOutput) -> None:
        if not self._wanted(DeviceKind.SPEAKER, generation):
            self._close_speaker(speaker)
            return
        self.speaker = speaker
        self._events.speaker(speaker)

    # --- releasing --------------------------------------------------------------------------

    def _release_camera(self) -> None:
        camera, self.camera = self.camera, None
        if camera is not None:
            self._close_camera(camera)
        self._report_released(DeviceKind.CAMERA)

    def _release_microphone(self) -> None:
        microphone, self.microphone = self.microphone, None
        if microphone is not None:
            microphone.stop()
        self._report_released(DeviceKind.MICROPHONE)

    def _release_speaker(self) -> None:
        speaker, self.speaker = self.speaker, None
        if speaker is not None:
            self._close_speaker(speaker)
        self._report_released(DeviceKind.SPEAKER)

    def _report_released(self, kind: DeviceKind) -> None:
        if self._alive():
            self._events.released(kind)

    def _close_camera(self, camera: CameraTrack) -> None:
        camera.stop()  # at once: a task cancelled before it starts would never close it
        self._spawn(f"devices-camera-close-{id(camera)}", camera.close())

    def _close_speaker(self, speaker: SpeakerOutput) -> None:
        speaker.stop()
        self._spawn(f"devices-speaker-close-{id(speaker)}", speaker.close())
