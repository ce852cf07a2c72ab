"""One peer link of the console against a participant that is a real aiortc peer in-process.

The link always offers; every "ready" gets a fresh connection with the next offer number, an
answer to an offer already replaced is dropped, and what the participant's page says on the
data channel (camera off, a chat line, goodbye) reaches the listener.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription

from advisor_app.client.peer import PeerLink, PeerListener, PeerState
from advisor_app.core.protocol import (
    ChatMessage,
    Description,
    IceConfig,
    MediaState,
    Ready,
    SignalPayload,
)

pytestmark = pytest.mark.unit

PID = 3


@dataclass
class Heard:
    states: list[PeerState] = field(default_factory=list)
    chats: list[ChatMessage] = field(default_factory=list)
    media: list[MediaState] = field(default_factory=list)
    byes: list[int] = field(default_factory=list)


class Page:
    """The participant: keeps the offers, answers the one it is told to, talks on the channel."""

    def __init__(self) -> None:
        self.offers: list[Description] = []
        self.pcs: list[RTCPeerConnection] = []
        self.channel: Any = None
        self.opened = asyncio.Event()

    async def signal(self, participant_id: int, payload: SignalPayload) -> bool:
        assert participant_id == PID
        if isinstance(payload, Description) and payload.kind == "offer":
            self.offers.append(payload)
        return True

    async def answer(self, offer: Description) -> Description:
        pc = RTCPeerConnection()
        self.pcs.append(pc)

        @pc.on("datachannel")
        def on_channel(channel: Any) -> None:
            self.channel = channel
            if channel.readyState == "open":
                self.opened.set()
            channel.on("open", self.opened.set)

        await pc.setRemoteDescription(RTCSessionDescription(offer.sdp, "offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        return Description(
            kind="answer", sdp=pc.localDescription.sdp, negotiation=offer.negotiation
        )

    def say(self, message: dict[str, Any]) -> None:
        self.channel.send(json.dumps(message))

    async def close(self) -> None:
        for pc in self.pcs:
            await pc.close()


async def until(check: Any, timeout: float = 20.0) -> None:
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.02)


@pytest.fixture
async def page() -> AsyncIterator[Page]:
    side = Page()
    yield side
    await side.close()


@pytest.fixture
async def link(page: Page, heard: Heard) -> AsyncIterator[PeerLink]:
    listener = PeerListener(
        state=lambda _pid, state: heard.states.append(state),
        chat=lambda _pid, message: heard.chats.append(message),
        remote_media=lambda _pid, state: heard.media.append(state),
        bye=heard.byes.append,
    )
    peer = PeerLink(PID, IceConfig(ice_servers=[]), page.signal, listener)
    yield peer
    await peer.close(say_bye=False)


@pytest.fixture
def heard() -> Heard:
    return Heard()


async def test_every_ready_gets_a_fresh_numbered_offer_and_old_answers_are_dropped(
    link: PeerLink, page: Page, heard: Heard
) -> None:
    await link.handle(Ready())
    await link.handle(Ready())  # a reload of the page before it answered
    await until(lambda: len(page.offers) == 2)
    first, second = page.offers
    assert first.negotiation is not None and second.negotiation == first.negotiation + 1
    stale = await page.answer(first)
    await link.handle(stale)
    # The replaced offer's answer is dropped: the current connection still waits for its own.
    assert link._pc is not None and link._pc.remoteDescription is None
    assert heard.states[-1] is PeerState.CONNECTING
    await link.handle(await page.answer(second))
    await until(lambda: heard.states[-1] is PeerState.CONNECTED)


async def test_what_the_page_says_on_the_channel_reaches_the_listener(
    link: PeerLink, page: Page, heard: Heard
) -> None:
    await link.handle(Ready())
    await until(lambda: bool(page.offers))
    await link.handle(await page.answer(page.offers[-1]))
    await asyncio.wait_for(page.opened.wait(), 20)
    page.say({"type": "media", "camera": False, "microphone": True})
    at = datetime(2026, 12, 7, 9, 0, tzinfo=UTC).isoformat()
    page.say({"type": "chat", "id": "c1", "text": "Hallo", "at": at})
    page.say({"type": "chat", "id": "c2", "text": "x" * 100_000, "at": at})  # refused: too long
    page.say({"type": "bye"})
    await until(lambda: bool(heard.byes))
    assert heard.media[-1] == MediaState(camera=False, microphone=True)
    assert [c.text for c in heard.chats] == ["Hallo"]
    assert heard.byes == [PID]
