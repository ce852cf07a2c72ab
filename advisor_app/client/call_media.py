"""The media of one call: which devices the session opens and where received audio goes.

:class:`CallMedia` is the base (no devices: the call still has chat and whatever the other
side sends); :class:`DeviceMedia` opens the camera, microphone and speaker chosen on the
devices page, with one audio-processing module shared by microphone and speaker so that echo
cancellation has the speaker's signal as its reference. Received audio reaches the speaker
through one small :class:`PushTrack` per participant, because each received track has exactly
one reader, the call's link.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from advisor_app.client.call_session import MediaOpeners, MediaProblem, TrackOpener
from advisor_app.client.media import (
    AudioProcessing,
    Device,
    MediaPreferences,
    ShareSource,
    SpeakerOutput,
    open_camera,
    open_microphone,
    open_share,
)

log = logging.getLogger(__name__)

#: A device stopped working during the call: which one, and the problem.
DeviceLost = Callable[[Device, MediaProblem], None]
#: Frames a push track holds before it drops the oldest (20 ms each: 200 ms).
PUSH_DEPTH = 10


class PushTrack(MediaStreamTrack):
    """An audio track fed by :meth:`push`; it keeps at most :data:`PUSH_DEPTH` frames."""

    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self._queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=PUSH_DEPTH)

    def push(self, frame: Any) -> None:
        if self.readyState != "live":
            return
        if self._queue.full():
            self._queue.get_nowait()  # a slow speaker hears the newest sound, not a backlog
        self._queue.put_nowait(frame)

    async def recv(self) -> Any:
        if self.readyState != "live":
            raise MediaStreamError
        return await self._queue.get()


class CallMedia:
    """No devices at all (the base for tests and generated media)."""

    def openers(self, lost: DeviceLost) -> MediaOpeners:
        return MediaOpeners()

    def screen(self, source: ShareSource, lost: DeviceLost) -> TrackOpener:
        """Opens the capture of ``source``, a monitor (mss) or a window (X11 Composite), the
        same for every kind of call media; a source lost later is reported as
        ``lost(Device.SCREEN, problem)``."""

        def report(code: str) -> None:
            lost(Device.SCREEN, MediaProblem(Device.SCREEN, code))

        async def opener() -> MediaStreamTrack:
            return await open_share(source, report)

        return opener

    def play(self, participant_id: int, frame: Any) -> None:
        """A received audio frame of ``participant_id``."""

    def forget(self, participant_id: int) -> None:
        """``participant_id`` left the call."""

    async def close(self) -> None:
        """The call ended: release everything."""


class DeviceMedia(CallMedia):
    """The advisor's real camera, microphone and speaker."""

    def __init__(self, prefs: MediaPreferences) -> None:
        self.prefs = prefs
        self.processing = AudioProcessing(enabled=prefs.audio_processing)
        self._speaker: SpeakerOutput | None = None
        self._feeds: dict[int, PushTrack] = {}
        self._lost: DeviceLost = lambda _kind, _problem: None

    def _reporter(self, kind: Device) -> Callable[[str], None]:
        return lambda code: self._lost(kind, MediaProblem(kind, code))

    def openers(self, lost: DeviceLost) -> MediaOpeners:
        self._lost = lost
        prefs = self.prefs

        async def camera() -> MediaStreamTrack:
            return await open_camera(prefs.camera, self._reporter(Device.CAMERA))

        async def microphone() -> MediaStreamTrack:
            return await open_microphone(
                prefs.microphone, self.processing, self._reporter(Device.MICROPHONE)
            )

        return MediaOpeners(camera=camera, microphone=microphone)

    def play(self, participant_id: int, frame: Any) -> None:
        if self._speaker is None:
            self._speaker = SpeakerOutput(
                self.prefs.speaker, self.processing, self._reporter(Device.SPEAKER)
            )
        feed = self._feeds.get(participant_id)
        if feed is None:
            feed = self._feeds[participant_id] = PushTrack()
            self._speaker.add_track(feed)
        feed.push(frame)

    def forget(self, participant_id: int) -> None:
        feed = self._feeds.pop(participant_id, None)
        if feed is not None:
            if self._speaker is not None:
                self._speaker.remove_track(feed)
            feed.stop()

    async def close(self) -> None:
        for pid in list(self._feeds):
            self.forget(pid)
        speaker, self._speaker = self._speaker, None
        if speaker is not None:
            with contextlib.suppress(Exception):
                await speaker.close()
