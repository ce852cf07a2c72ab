"""The advisor's chosen camera, microphone and speaker, kept in ``QSettings`` under ``devices/``.

The devices page writes them; the call reads them with :func:`load_media_preferences`.
An empty value means the system's default device.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from advisor_app.client.media.devices import MediaPreferences

CAMERA_KEY = "devices/camera"
MICROPHONE_KEY = "devices/microphone"
SPEAKER_KEY = "devices/speaker"
PROCESSING_KEY = "devices/audio_processing"


def _text(settings: QSettings, key: str) -> str | None:
    value = settings.value(key)
    return str(value) if value else None


def load_media_preferences(settings: QSettings | None = None) -> MediaPreferences:
    """The saved choice (defaults where nothing is saved: system devices, processing on)."""
    settings = settings or QSettings()
    processing = settings.value(PROCESSING_KEY, True)
    if isinstance(processing, str):  # INI files give text back
        processing = processing.lower() not in ("false", "0", "no")
    return MediaPreferences(
        camera=_text(settings, CAMERA_KEY),
        microphone=_text(settings, MICROPHONE_KEY),
        speaker=_text(settings, SPEAKER_KEY),
        audio_processing=bool(processing),
    )


def save_media_preferences(prefs: MediaPreferences, settings: QSettings | None = None) -> None:
    settings = settings or QSettings()
    settings.setValue(CAMERA_KEY, prefs.camera or "")
    settings.setValue(MICROPHONE_KEY, prefs.microphone or "")
    settings.setValue(SPEAKER_KEY, prefs.speaker or "")
    settings.setValue(PROCESSING_KEY, prefs.audio_processing)
    settings.sync()
