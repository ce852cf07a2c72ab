"""The console's media devices, without Qt: camera, microphone, speaker, audio processing.

The call code uses exactly these names::

    track = await open_camera(prefs.camera, on_problem)          # CameraTrack
    mic = await open_microphone(prefs.microphone, apm, on_problem)  # MicrophoneTrack
    speaker = SpeakerOutput(prefs.speaker, apm, on_problem)       # add_track / close

Each raises :class:`MediaUnavailable` (with the problem's ``code``) when the device cannot
be opened; ``on_problem(code)`` reports later losses.
"""

from advisor_app.client.media.camera import CameraCapture, CameraTrack, open_camera
from advisor_app.client.media.devices import (
    DeviceInfo,
    MediaPreferences,
    list_cameras,
    list_microphones,
    list_speakers,
)
from advisor_app.client.media.microphone import MicrophoneTrack, open_microphone
from advisor_app.client.media.problems import (
    Device,
    MediaUnavailable,
    Problem,
    ProblemCallback,
    attempt,
)
from advisor_app.client.media.processing import AudioProcessing
from advisor_app.client.media.screen import (
    Monitor,
    ScreenTrack,
    list_monitors,
    open_screen,
    preview,
)
from advisor_app.client.media.speaker import SpeakerOutput, open_speaker
from advisor_app.client.media.synthetic import TestPatternTrack, ToneTrack
from advisor_app.client.media.window import (
    ShareSource,
    Window,
    list_windows,
    open_share,
    window_capture_available,
    window_previews,
)

__all__ = [
    "AudioProcessing",
    "CameraCapture",
    "CameraTrack",
    "Device",
    "DeviceInfo",
    "MediaPreferences",
    "MediaUnavailable",
    "MicrophoneTrack",
    "Monitor",
    "Problem",
    "ProblemCallback",
    "ScreenTrack",
    "ShareSource",
    "SpeakerOutput",
    "TestPatternTrack",
    "ToneTrack",
    "Window",
    "attempt",
    "list_cameras",
    "list_microphones",
    "list_monitors",
    "list_speakers",
    "list_windows",
    "open_camera",
    "open_microphone",
    "open_screen",
    "open_share",
    "open_speaker",
    "preview",
    "window_capture_available",
    "window_previews",
]
