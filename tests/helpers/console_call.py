"""The console's call stack without its window: the real RoomClient and CallSession.

Used by the Chromium call tests and the call benchmark. The camera is a generated test
picture and the microphone a tone (no devices here); everything else is production code.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import BaseModel

from advisor_app.client.call_media import CallMedia
from advisor_app.client.call_session import CallListener, CallSession, MediaOpeners, MediaProblem
from advisor_app.client.peer import PeerLink, PeerState
from advisor_app.client.room_client import RoomClient
from advisor_app.core.protocol import (
    Arrived,
    ChatMessage,
    ChatSender,
    Departed,
    IceConfig,
    MediaState,
    WaitingSnapshot,
)
from tests.helpers.call_media import PatternTrack, ToneTrack


async def _pattern() -> PatternTrack:
    return PatternTrack()


async def _tone() -> ToneTrack:
    return ToneTrack()


@dataclass
class ConsoleSide:
    """A signed-in console: waiting-room socket, call session, and what it received."""

    room: RoomClient
    session: CallSession
    events: asyncio.Queue[BaseModel] = field(default_factory=asyncio.Queue)
    chats: list[ChatMessage] = field(default_factory=list)
    remote_media: list[MediaState] = field(default_factory=list)
    problems: list[MediaProblem] = field(default_factory=list)
    byes: list[int] = field(default_factory=list)
    states: list[tuple[int, PeerState]] = field(default_factory=list)
    #: Highest audio level (dBFS) received per participant.
    audio_peak: dict[int, float] = field(default_factory=dict)
    online: asyncio.Event = field(default_factory=asyncio.Event)
    #: The console's waiting room as its events draw it: participant id → name.
    waiting: dict[int, str] = field(default_factory=dict)

    async def next(self, kind: type[BaseModel], timeout: float = 15.0) -> Any:
        """Skip other events until one of ``kind`` arrives."""
        async with asyncio.timeout(timeout):
            while True:
                event = await self.events.get()
                if isinstance(event, kind):
                    return event

    async def admit_next(self) -> PeerLink:
        """Wait for somebody in the waiting room, admit them, and start their link."""
        arrived = await self.next(Arrived)
        pid = arrived.entry.participant_id
        assert await self.room.admit(pid)
        departed = await self.next(Departed)
        assert (departed.participant_id, departed.reason) == (pid, "admitted")
        return self.session.add(pid, ChatSender(name=arrived.entry.name, role=arrived.entry.role))

    async def wait_for(self, check: Callable[[], bool], timeout: float = 20.0) -> None:
        async with asyncio.timeout(timeout):
            while not check():
                await asyncio.sleep(0.05)


@asynccontextmanager
async def console_side(
    base_url: str,
    token: str,
    *,
    ice: IceConfig | None = None,
    openers: MediaOpeners | None = None,
    media: CallMedia | None = None,
    codec: str = "VP8",
) -> AsyncIterator[ConsoleSide]:
    """A console connected to the service at ``base_url`` with its devices open: generated
    ones by default, ``openers``, or the devices of ``media`` (which also gets the audio)."""
    side: ConsoleSide | None = None

    def on_event(event: BaseModel) -> None:
        assert side is not None
        if isinstance(event, WaitingSnapshot):
            side.online.set()
            side.waiting = {e.participant_id: e.name for e in event.entries}
        elif isinstance(event, Arrived):
            side.waiting[event.entry.participant_id] = event.entry.name
        elif isinstance(event, Departed):
            side.waiting.pop(event.participant_id, None)
        if not side.session.handle_event(event):
            side.events.put_nowait(event)

    def on_audio(pid: int, frame: Any) -> None:
        assert side is not None
        level = audio_level_dbfs(frame)
        side.audio_peak[pid] = max(side.audio_peak.get(pid, -120.0), level)
        if media is not None:
            media.play(pid, frame)

    room = RoomClient(base_url, token, on_event)
    listener = CallListener()
    if media is not None:
        openers = media.openers(lambda kind, problem: session.device_lost(kind, problem))
    session = CallSession(
        room.signal,
        listener,
        ice or IceConfig(),
        openers or MediaOpeners(camera=_pattern, microphone=_tone),
        codec=codec,
    )
    room.calls = lambda: list(session.links)
    side = ConsoleSide(room, session)
    listener.chat = lambda _pid, msg: side.chats.append(msg)
    listener.remote_media = lambda _pid, state: side.remote_media.append(state)
    listener.problem = side.problems.append
    listener.bye = side.byes.append
    listener.state = lambda pid, state: side.states.append((pid, state))
    listener.audio = on_audio
    task = asyncio.create_task(room.run())
    try:
        async with asyncio.timeout(10):
            await side.online.wait()
        await session.start()
        yield side
    finally:
        await session.close()
        if media is not None:
            await media.close()
        await room.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


class GeneratedMedia(CallMedia):
    """The console's call media without devices: the test picture and the tone."""

    def openers(self, lost: Any) -> MediaOpeners:
        return MediaOpeners(camera=_pattern, microphone=_tone)


def audio_level_dbfs(frame: Any) -> float:
    """The RMS level of an ``av.AudioFrame`` in dBFS (−120 for silence)."""
    samples = frame.to_ndarray().astype(np.float32)
    if samples.size == 0:
        return -120.0
    scale = 32768.0 if frame.format.name.startswith("s16") else 1.0
    rms = float(np.sqrt(np.mean(np.square(samples / scale))))
    return max(-120.0, 20.0 * float(np.log10(rms))) if rms > 0 else -120.0


def luma(frame: Any) -> np.ndarray:
    """The Y plane of a decoded frame."""
    return np.asarray(frame.to_ndarray(format="gray"))


def console_child(base_url: str, token: str, out: Any) -> None:
    """A console in a child process that admits the first arrival and then stays in the call
    until it is killed (the tests kill it: a crash without a goodbye)."""

    async def main() -> None:
        async with console_side(base_url, token) as console:
            out.put("ready")
            link = await console.admit_next()
            await console.wait_for(lambda: link.state is PeerState.CONNECTED, timeout=30)
            out.put("connected")
            await asyncio.Event().wait()

    asyncio.run(main())
