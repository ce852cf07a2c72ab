"""What can go wrong with a camera, microphone or speaker: a device and a stable code.

The media layer has no Qt and no words: every problem is a :class:`Problem` naming the device
and a code (``camera-busy``); the console says it in the advisor's language
(``ui/media_problems.py``, Qt Linguist), as it does for the service's refusal codes.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

T = TypeVar("T")


class Device(StrEnum):
    CAMERA = "camera"
    MICROPHONE = "microphone"
    SPEAKER = "speaker"
    SCREEN = "screen"


@dataclass(frozen=True, slots=True)
class Problem:
    """A device that cannot be used, and why (a code the console has words for)."""

    device: Device
    code: str


#: Receives the problem's code; called on the event loop.
ProblemCallback = Callable[[str], None]


class MediaUnavailable(Exception):
    """A device could not be opened; ``code`` says why (see :class:`Problem`)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem
        self.code = problem.code


CAMERA_NOT_FOUND = Problem(Device.CAMERA, "camera-not-found")
CAMERA_BUSY = Problem(Device.CAMERA, "camera-busy")
CAMERA_NO_ACCESS = Problem(Device.CAMERA, "camera-no-access")
CAMERA_LOST = Problem(Device.CAMERA, "camera-lost")
MICROPHONE_NOT_FOUND = Problem(Device.MICROPHONE, "microphone-not-found")
MICROPHONE_FAILED = Problem(Device.MICROPHONE, "microphone-failed")
MICROPHONE_LOST = Problem(Device.MICROPHONE, "microphone-lost")
SPEAKER_NOT_FOUND = Problem(Device.SPEAKER, "speaker-not-found")
SPEAKER_FAILED = Problem(Device.SPEAKER, "speaker-failed")
SPEAKER_LOST = Problem(Device.SPEAKER, "speaker-lost")
AUDIO_SYSTEM_MISSING = Problem(Device.MICROPHONE, "portaudio-missing")


async def attempt(coro: Coroutine[Any, Any, T]) -> T | MediaUnavailable:
    """``await coro``, with a refused device returned instead of raised (for the widgets)."""
    try:
        return await coro
    except MediaUnavailable as exc:
        return exc


SCREEN_UNAVAILABLE = Problem(Device.SCREEN, "screen-unavailable")
SCREEN_NOT_FOUND = Problem(Device.SCREEN, "screen-not-found")
SCREEN_LOST = Problem(Device.SCREEN, "screen-lost")
WINDOW_UNAVAILABLE = Problem(Device.SCREEN, "window-unavailable")
WINDOW_NOT_FOUND = Problem(Device.SCREEN, "window-not-found")
WINDOW_CLOSED = Problem(Device.SCREEN, "window-closed")
WINDOW_HIDDEN = Problem(Device.SCREEN, "window-hidden")
