"""What can go wrong with a camera, microphone or speaker, said in German with English beside.

The media layer has no Qt, so it cannot use Qt's translation catalogue: every message is a
:class:`Problem` that carries the German text (shown by default) and the English one, like the
service's error replies (``message`` / ``message_en``).
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
    """One message for the advisor: German first, English beside."""

    device: Device
    code: str
    message: str
    message_en: str

    def text(self, language: str = "de") -> str:
        return self.message_en if language == "en" else self.message


#: Receives the German and the English message; called on the event loop.
ProblemCallback = Callable[[str, str], None]


class MediaUnavailable(Exception):
    """A device could not be opened; ``message`` is German, ``message_en`` English."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem
        self.message = problem.message
        self.message_en = problem.message_en


CAMERA_NOT_FOUND = Problem(
    Device.CAMERA,
    "camera-not-found",
    "Keine Kamera gefunden. Bitte schließen Sie eine Kamera an oder wählen Sie unter "
    "„Geräte“ eine andere. Das Gespräch läuft ohne Ihr Bild weiter.",
    "No camera found. Please connect a camera or choose another one under “Devices”. "
    "The call continues without your video.",
)
CAMERA_BUSY = Problem(
    Device.CAMERA,
    "camera-busy",
    "Die Kamera liefert kein Bild. Vermutlich wird sie gerade von einem anderen Programm "
    "verwendet (z. B. Teams oder Zoom): Bitte schließen Sie das Programm und versuchen Sie "
    "es erneut. Das Gespräch läuft ohne Ihr Bild weiter.",
    "The camera delivers no picture. It is probably in use by another program (e.g. Teams "
    "or Zoom): please close that program and try again. The call continues without your video.",
)
CAMERA_NO_ACCESS = Problem(
    Device.CAMERA,
    "camera-no-access",
    "Die Konsole darf die Kamera nicht verwenden (fehlende Berechtigung). Bitte wenden Sie "
    "sich an die IT. Das Gespräch läuft ohne Ihr Bild weiter.",
    "The console is not allowed to use the camera (missing permission). Please contact IT. "
    "The call continues without your video.",
)
CAMERA_LOST = Problem(
    Device.CAMERA,
    "camera-lost",
    "Die Kamera liefert kein Bild mehr (getrennt?). Das Gespräch läuft ohne Ihr Bild weiter. "
    "Bitte schließen Sie die Kamera wieder an oder wählen Sie eine andere.",
    "The camera stopped delivering pictures (unplugged?). The call continues without your "
    "video. Please reconnect the camera or choose another one.",
)
MICROPHONE_NOT_FOUND = Problem(
    Device.MICROPHONE,
    "microphone-not-found",
    "Kein Mikrofon gefunden. Bitte schließen Sie ein Mikrofon oder Headset an. Das Gespräch "
    "läuft ohne Ihren Ton weiter.",
    "No microphone found. Please connect a microphone or headset. The call continues "
    "without your sound.",
)
MICROPHONE_FAILED = Problem(
    Device.MICROPHONE,
    "microphone-failed",
    "Das Mikrofon lässt sich nicht öffnen. Vielleicht verwendet es ein anderes Programm. "
    "Das Gespräch läuft ohne Ihren Ton weiter.",
    "The microphone cannot be opened. Another program may be using it. The call continues "
    "without your sound.",
)
MICROPHONE_LOST = Problem(
    Device.MICROPHONE,
    "microphone-lost",
    "Das Mikrofon liefert keinen Ton mehr (getrennt?). Das Gespräch läuft ohne Ihren Ton "
    "weiter. Bitte schließen Sie es wieder an oder wählen Sie ein anderes.",
    "The microphone stopped delivering sound (unplugged?). The call continues without your "
    "sound. Please reconnect it or choose another one.",
)
SPEAKER_NOT_FOUND = Problem(
    Device.SPEAKER,
    "speaker-not-found",
    "Kein Lautsprecher gefunden. Bitte schließen Sie Lautsprecher oder ein Headset an. "
    "Bild und Chat laufen weiter.",
    "No speaker found. Please connect speakers or a headset. Video and chat continue.",
)
SPEAKER_FAILED = Problem(
    Device.SPEAKER,
    "speaker-failed",
    "Der Lautsprecher lässt sich nicht öffnen. Bild und Chat laufen weiter.",
    "The speaker cannot be opened. Video and chat continue.",
)
SPEAKER_LOST = Problem(
    Device.SPEAKER,
    "speaker-lost",
    "Der Lautsprecher ist nicht mehr verfügbar (getrennt?). Bild und Chat laufen weiter. "
    "Bitte schließen Sie ihn wieder an oder wählen Sie einen anderen.",
    "The speaker is no longer available (unplugged?). Video and chat continue. Please "
    "reconnect it or choose another one.",
)
AUDIO_SYSTEM_MISSING = Problem(
    Device.MICROPHONE,
    "portaudio-missing",
    "Die Audiobibliothek des Systems (PortAudio) fehlt. Ton ist nicht möglich; Bild und "
    "Chat laufen weiter. Bitte wenden Sie sich an die IT.",
    "The system’s audio library (PortAudio) is missing. Sound is not possible; video and "
    "chat continue. Please contact IT.",
)


async def attempt(coro: Coroutine[Any, Any, T]) -> T | MediaUnavailable:
    """``await coro``, with a refused device returned instead of raised (for the widgets)."""
    try:
        return await coro
    except MediaUnavailable as exc:
        return exc


SCREEN_UNAVAILABLE = Problem(
    Device.SCREEN,
    "screen-unavailable",
    "Der Bildschirm kann nicht aufgenommen werden. Das Gespräch läuft ohne geteilten "
    "Bildschirm weiter.",
    "The screen cannot be captured. The call continues without a shared screen.",
)
SCREEN_NOT_FOUND = Problem(
    Device.SCREEN,
    "screen-not-found",
    "Der gewählte Bildschirm ist nicht mehr angeschlossen. Bitte wählen Sie einen anderen.",
    "The chosen screen is no longer connected. Please choose another one.",
)
SCREEN_LOST = Problem(
    Device.SCREEN,
    "screen-lost",
    "Der geteilte Bildschirm ist nicht mehr verfügbar (abgezogen oder abgeschaltet). Das "
    "Teilen wurde beendet; das Gespräch läuft weiter.",
    "The shared screen is no longer available (unplugged or switched off). Sharing has "
    "stopped; the call continues.",
)
WINDOW_UNAVAILABLE = Problem(
    Device.SCREEN,
    "window-unavailable",
    "Das Fenster kann nicht aufgenommen werden. Das Gespräch läuft ohne geteiltes Fenster weiter.",
    "The window cannot be captured. The call continues without a shared window.",
)
WINDOW_NOT_FOUND = Problem(
    Device.SCREEN,
    "window-not-found",
    "Das gewählte Fenster ist nicht mehr geöffnet. Bitte wählen Sie ein anderes.",
    "The chosen window is no longer open. Please choose another one.",
)
WINDOW_CLOSED = Problem(
    Device.SCREEN,
    "window-closed",
    "Das geteilte Fenster wurde geschlossen. Die Freigabe ist beendet; das Gespräch läuft weiter.",
    "The shared window was closed. Sharing has stopped; the call continues.",
)
WINDOW_HIDDEN = Problem(
    Device.SCREEN,
    "window-hidden",
    "Das geteilte Fenster wurde minimiert oder ausgeblendet. Die Freigabe ist beendet; das "
    "Gespräch läuft weiter.",
    "The shared window was minimised or hidden. Sharing has stopped; the call continues.",
)
