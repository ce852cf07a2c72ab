"""The console's call session against a participant that is a real aiortc peer in-process.

No browser and no service: the session's signals go straight to the participant's peer
connection and its answer comes straight back, so what is tested is the session itself: the
devices it opens, what it reports when one fails or is lost, what it sends, and that closing
lets every device go.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

from advisor_app.client.call_session import CallListener, CallSession, MediaOpeners, MediaProblem
from advisor_app.client.media import Device
from advisor_app.client.media.problems import CAMERA_BUSY, MediaUnavailable
from advisor_app.client.peer import PeerState
from advisor_app.core.protocol import Description, IceConfig, MediaState, Ready, SignalPayload
from tests.helpers.call_media import PatternTrack, ToneTrack

pytestmark = pytest.mark.unit

PID = 7


class Page:
    """The participant's side: answers every offer, keeps what it receives."""

    def __init__(self) -> None:
        self.pc: RTCPeerConnection | None = None
        self.tracks: dict[str, MediaStreamTrack] = {}
        self.messages: list[dict[str, Any]] = []
        self.session: CallSession | None = None

    async def signal(self, participant_id: int, payload: SignalPayload) -> bool:
        assert participant_id == PID
        if isinstance(payload, Description) and payload.kind == "offer":
            asyncio.get_running_loop().create_task(self._answer(payload))
        return True

    async def _answer(self, offer: Description) -> None:
        if self.pc is not None:
            await self.pc.close()
        pc = self.pc = RTCPeerConnection()
        self.tracks = {}

        @pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            self.tracks.setdefault(track.kind, track)

        @pc.on("datachannel")
        def on_channel(channel: Any) -> None:
            channel.on("message", lambda raw: self.messages.append(json.loads(raw)))

        await pc.setRemoteDescription(RTCSessionDescription(offer.sdp, "offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        answer = Description(
            kind="answer", sdp=pc.localDescription.sdp, negotiation=offer.negotiation
        )
        assert self.session is not None
        await self.session.on_signal(PID, answer)

    async def close(self) -> None:
        if self.pc is not None:
            await self.pc.close()


@dataclass
class Seen:
    states: list[PeerState] = field(default_factory=list)
    problems: list[MediaProblem] = field(default_factory=list)
    local: list[MediaState] = field(default_factory=list)


async def until(check: Any, timeout: float = 20.0, what: str = "") -> None:
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.02)


@dataclass
class Opened:
    """The tracks the session's openers handed out, to see that closing ends them."""

    tracks: list[MediaStreamTrack] = field(default_factory=list)

    def camera(self) -> Any:
        async def open_camera() -> MediaStreamTrack:
            track = PatternTrack()
            self.tracks.append(track)
            return track

        return open_camera

    def microphone(self) -> Any:
        async def open_microphone() -> MediaStreamTrack:
            track = ToneTrack()
            self.tracks.append(track)
            return track

        return open_microphone


@pytest.fixture
async def page() -> AsyncIterator[Page]:
    side = Page()
    yield side
    await side.close()


def make_session(page: Page, seen: Seen, openers: MediaOpeners) -> CallSession:
    listener = CallListener(
        state=lambda _pid, state: seen.states.append(state),
        problem=seen.problems.append,
        local_media=seen.local.append,
    )
    session = CallSession(page.signal, listener, IceConfig(ice_servers=[]), openers)
    page.session = session
    return session


async def connected(session: CallSession, page: Page, seen: Seen) -> None:
    session.add(PID)
    await session.on_signal(PID, Ready())
    await until(lambda: PeerState.CONNECTED in seen.states, what="connected")


async def test_the_devices_reach_the_participant_and_closing_lets_them_go(page: Page) -> None:
    seen, opened = Seen(), Opened()
    session = make_session(page, seen, MediaOpeners(opened.camera(), opened.microphone()))
    await session.start()
    assert session.media_state == MediaState(camera=True, microphone=True)
    await connected(session, page, seen)
    await until(lambda: {"audio", "video"} <= set(page.tracks), what="tracks")
    frame = await asyncio.wait_for(page.tracks["video"].recv(), 10)
    assert frame.width > 0
    await asyncio.wait_for(page.tracks["audio"].recv(), 10)
    chat = session.send_chat("Guten Tag")
    await until(lambda: any(m.get("type") == "chat" for m in page.messages), what="chat")
    assert [m["text"] for m in page.messages if m["type"] == "chat"] == [chat.text]
    await session.close()
    assert session.closed
    assert len(opened.tracks) == 2
    assert all(t.readyState == "ended" for t in opened.tracks)
    with pytest.raises(MediaStreamError):
        await opened.tracks[0].recv()


async def test_a_busy_camera_is_reported_once_and_the_call_goes_on_with_sound(
    page: Page,
) -> None:
    seen, opened = Seen(), Opened()

    async def busy() -> MediaStreamTrack:
        raise MediaUnavailable(CAMERA_BUSY)

    session = make_session(page, seen, MediaOpeners(busy, opened.microphone()))
    await session.start()
    assert seen.problems == [MediaProblem(Device.CAMERA, "camera-busy")]
    assert session.media_state == MediaState(camera=False, microphone=True)
    await connected(session, page, seen)
    await until(lambda: "audio" in page.tracks, what="audio track")
    await asyncio.wait_for(page.tracks["audio"].recv(), 10)
    await until(lambda: any(m.get("type") == "media" for m in page.messages), what="media")
    media = [m for m in page.messages if m["type"] == "media"][-1]
    assert media == {"type": "media", "camera": False, "microphone": True}
    await session.close()


async def test_a_camera_lost_in_the_call_is_switched_off_and_said(page: Page) -> None:
    seen, opened = Seen(), Opened()
    session = make_session(page, seen, MediaOpeners(opened.camera(), opened.microphone()))
    await session.start()
    await connected(session, page, seen)
    lost = MediaProblem(Device.CAMERA, "camera-lost")
    session.device_lost(Device.CAMERA, lost)
    assert seen.problems == [lost]
    assert session.camera is None
    assert seen.local[-1] == MediaState(camera=False, microphone=True)
    await until(
        lambda: {"type": "media", "camera": False, "microphone": True} in page.messages,
        what="camera off on the page",
    )
    assert opened.tracks[0].readyState == "ended"  # the lost camera is let go
    await session.close()


async def test_a_device_that_opens_after_the_call_ended_is_let_go(page: Page) -> None:
    seen = Seen()
    gate = asyncio.Event()
    late = ToneTrack()

    async def slow_microphone() -> MediaStreamTrack:
        await gate.wait()
        return late

    session = make_session(page, seen, MediaOpeners(None, slow_microphone))
    starting = asyncio.create_task(session.start(camera=False))
    await asyncio.sleep(0)
    await session.close()
    gate.set()
    await starting
    assert session.microphone is None
    assert late.readyState == "ended"
