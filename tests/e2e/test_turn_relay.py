"""A call through a real coturn with relay-only ICE and the service's TURN REST credentials.

The citizen is Debian's Chromium: its page fetches ``/api/citizen/<token>/ice`` itself and
uses ``iceTransportPolicy: "relay"``. The advisor is an aiortc peer (the console's WebRTC
stack) with the credentials from ``/api/ice``, also relay-only. Data and video must flow, and
the selected candidate pair must be relay on both ends. coturn refuses a wrong password and an
expired user name.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aioice.stun
import aioice.turn
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from aiortc import (
    RTCConfiguration,
    RTCDataChannel,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.rtcconfiguration import RTCIceTransportPolicy
from playwright.async_api import Browser

from advisor_app.core.clock import ManualClock
from advisor_app.server.app import create_app
from advisor_app.server.ice import turn_credentials
from advisor_app.server.logs import AccessLogger
from tests.helpers.coturn import Coturn, coturn
from tests.helpers.service import Service, make_settings

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

SECRET = "turn-geheimnis-nur-für-den-test"

#: Runs in the citizen's page: own ICE config from the service, relay only, offer with a data
#: channel and the fake camera, all candidates gathered (no trickle).
CITIZEN_OFFER = """
async (token) => {
  const cfg = await (await fetch(`/api/citizen/${token}/ice`)).json();
  const pc = new RTCPeerConnection({
    iceServers: cfg.ice_servers.map((s) => ({
      urls: s.urls, username: s.username ?? undefined, credential: s.credential ?? undefined,
    })),
    iceTransportPolicy: cfg.ice_transport_policy,
  });
  window.pc = pc;
  window.received = [];
  const chat = pc.createDataChannel('chat');
  window.chat = chat;
  chat.onmessage = (e) => window.received.push(e.data);
  chat.onopen = () => chat.send('Guten Tag aus dem Browser');
  const media = await navigator.mediaDevices.getUserMedia({video: true, audio: false});
  media.getTracks().forEach((t) => pc.addTrack(t, media));
  await pc.setLocalDescription(await pc.createOffer());
  if (pc.iceGatheringState !== 'complete') {
    await new Promise((resolve) => pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') resolve();
    }));
  }
  return {sdp: pc.localDescription.sdp, policy: cfg.ice_transport_policy};
}
"""

SELECTED_PAIR = """
async () => {
  const stats = await window.pc.getStats();
  let pair = null;
  stats.forEach((r) => {
    if (r.type === 'transport' && r.selectedCandidatePairId) {
      pair = stats.get(r.selectedCandidatePairId);
    }
  });
  if (!pair) return null;
  return {
    local: stats.get(pair.localCandidateId).candidateType,
    remote: stats.get(pair.remoteCandidateId).candidateType,
    bytesSent: pair.bytesSent,
    bytesReceived: pair.bytesReceived,
  };
}
"""


@pytest.fixture(scope="module")
def turn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Coturn]:
    with coturn(tmp_path_factory.mktemp("coturn"), SECRET) as server:
        yield server


@pytest_asyncio.fixture(loop_scope="module")
async def relay_service(tmp_path: Path, turn: Coturn) -> AsyncIterator[tuple[Service, str]]:
    """The production app on a real port with TURN from the settings, relay only."""
    settings = make_settings(
        tmp_path,
        ice={"turn_urls": [turn.url], "turn_secret": SECRET, "transport_policy": "relay"},
    )
    clock = ManualClock(datetime.now(UTC))  # coturn checks the expiry against its own clock
    server = TestServer(create_app(settings, clock=clock), host="127.0.0.1")
    await server.start_server(access_log_class=AccessLogger)
    client = TestClient(server)
    await client.start_server()
    try:
        yield Service(client=client, clock=clock, settings=settings), str(server.make_url(""))
    finally:
        await client.close()


async def consented_link(service: Service, token: str) -> str:
    appt = await service.create(
        token, starts_at=service.clock.now() + timedelta(minutes=2), allow_overlap=True
    )
    link = str(appt["participants"][0]["link"]).rsplit("/", 1)[1]
    status, view = await service.call("GET", f"/api/citizen/{link}")
    assert status == 200, view
    body = {
        "consent_version": view["consent"]["consent_version"],
        "privacy_version": view["consent"]["privacy_version"],
        "language": "de",
    }
    status, _ = await service.call("POST", f"/api/citizen/{link}/consent", json=body)
    assert status == 200
    return link


def relay_only(sdp: str) -> list[str]:
    candidates = [line for line in sdp.splitlines() if line.startswith("a=candidate:")]
    assert candidates, "no ICE candidate at all (TURN allocation failed?)"
    return [c for c in candidates if " typ relay" not in c]


async def test_call_connects_through_coturn_with_relay_only_ice(
    browser: Browser, relay_service: tuple[Service, str], turn: Coturn
) -> None:
    service, base = relay_service
    token = await service.signed_in("berater")
    link = await consented_link(service, token)

    status, advisor_ice = await service.call("GET", "/api/ice", token=token)
    assert status == 200
    assert advisor_ice["ice_transport_policy"] == "relay"
    [server] = advisor_ice["ice_servers"]
    advisor = RTCPeerConnection(
        RTCConfiguration(
            iceServers=[
                RTCIceServer(
                    urls=server["urls"],
                    username=server["username"],
                    credential=server["credential"],
                )
            ],
            iceTransportPolicy=RTCIceTransportPolicy.RELAY,
        )
    )
    messages: list[str] = []
    got_message = asyncio.Event()
    got_frame = asyncio.Event()

    @advisor.on("datachannel")
    def on_datachannel(channel: RTCDataChannel) -> None:
        @channel.on("message")
        def on_message(message: Any) -> None:
            messages.append(str(message))
            channel.send("Hallo zurück von der Konsole")
            got_message.set()

    @advisor.on("track")
    def on_track(track: Any) -> None:
        async def first_frame() -> None:
            frame = await track.recv()
            assert frame.width > 0
            got_frame.set()

        asyncio.ensure_future(first_frame())  # noqa: RUF006 - awaited through got_frame

    context = await browser.new_context()
    page = await context.new_page()
    try:
        await page.goto(f"{base.rstrip('/')}/healthz")  # same origin as the service's API
        offer = await page.evaluate(CITIZEN_OFFER, link)
        assert offer["policy"] == "relay"
        assert relay_only(offer["sdp"]) == []  # the browser offers relay candidates only

        await advisor.setRemoteDescription(RTCSessionDescription(offer["sdp"], "offer"))
        await advisor.setLocalDescription(await advisor.createAnswer())
        answer = advisor.localDescription.sdp
        assert relay_only(answer) == []
        await page.evaluate(
            "(sdp) => window.pc.setRemoteDescription({type: 'answer', sdp})", answer
        )

        await asyncio.wait_for(got_message.wait(), 20)
        assert messages == ["Guten Tag aus dem Browser"]
        await page.wait_for_function(
            "() => window.received.includes('Hallo zurück von der Konsole')", timeout=20_000
        )
        await asyncio.wait_for(got_frame.wait(), 20)  # video reached the console side

        pair = await page.evaluate(SELECTED_PAIR)
        assert pair is not None
        assert pair["local"] == "relay" and pair["remote"] == "relay", pair
        assert pair["bytesSent"] > 0 and pair["bytesReceived"] > 0
    finally:
        await context.close()
        await advisor.close()


class _Sink(asyncio.DatagramProtocol):
    pass


async def allocate(turn: Coturn, username: str, password: str) -> tuple[str, int]:
    """A TURN allocation on coturn; its relayed address."""
    transport, _ = await aioice.turn.create_turn_endpoint(
        _Sink, ("127.0.0.1", turn.port), username=username, password=password, lifetime=60
    )
    try:
        return tuple(transport.get_extra_info("sockname"))  # type: ignore[return-value]
    finally:
        transport.close()


async def test_coturn_accepts_the_service_credential_and_refuses_wrong_or_expired_ones(
    turn: Coturn,
) -> None:
    now = datetime.now(UTC)
    username, password = turn_credentials(SECRET, "p1", now + timedelta(hours=1))
    host, _port = await allocate(turn, username, password)
    assert host == "127.0.0.1"

    with pytest.raises(aioice.stun.TransactionFailed, match="401"):
        await allocate(turn, username, password[:-4] + "AAA=")

    other = turn_credentials("ein-anderes-geheimnis", "p1", now + timedelta(hours=1))
    with pytest.raises(aioice.stun.TransactionFailed, match="401"):
        await allocate(turn, *other)

    expired = turn_credentials(SECRET, "p1", now - timedelta(minutes=1))
    with pytest.raises(aioice.stun.TransactionFailed, match="401"):
        await allocate(turn, *expired)
