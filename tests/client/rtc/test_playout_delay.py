"""The playout-delay header extension the console's video carries: its bytes, and when it
asks for a delay."""

from __future__ import annotations

import struct

import pytest
from aiortc.rtcrtpparameters import RTCRtpHeaderExtensionParameters, RTCRtpParameters
from aiortc.rtp import HeaderExtensionsMap, RtpPacket

from advisor_app.client.rtc import playout_delay
from advisor_app.client.rtc.pacing import ABS_SEND_TIME_URI

pytestmark = pytest.mark.unit


def _extensions() -> HeaderExtensionsMap:
    params = RTCRtpParameters(
        headerExtensions=[
            RTCRtpHeaderExtensionParameters(id=1, uri="urn:ietf:params:rtp-hdrext:sdes:mid"),
            RTCRtpHeaderExtensionParameters(id=3, uri=ABS_SEND_TIME_URI),
        ]
    )
    extensions = HeaderExtensionsMap()
    extensions.configure(params)
    return extensions


def _elements(data: bytes) -> dict[int, bytes]:
    """The one-byte header extension elements of an RTP packet by id."""
    pos = 12 + 4 * (data[0] & 0x0F)
    profile, words = struct.unpack_from("!HH", data, pos)
    assert profile == 0xBEDE
    out, i, end = {}, pos + 4, pos + 4 + 4 * words
    while i < end:
        if data[i] == 0:
            i += 1
            continue
        ext, size = data[i] >> 4, (data[i] & 0x0F) + 1
        out[ext] = data[i + 1 : i + 1 + size]
        i += 1 + size
    return out


def test_the_element_is_added_beside_aiortcs_extensions_and_the_packet_still_parses() -> None:
    extensions = _extensions()
    packet = RtpPacket(payload_type=96, sequence_number=7, timestamp=9, ssrc=1234)
    packet.extensions.mid = "1"
    packet.extensions.abs_send_time = 0x123456
    packet.payload = bytes(range(200))
    data = packet.serialize(extensions)
    out = playout_delay.add_playout_delay(data, 6, 430)
    elements = _elements(out)
    value = int.from_bytes(elements[6], "big")
    assert (value >> 12, value & 0xFFF) == (43, 1000)  # 430 ms, 10 s in 10 ms units
    parsed = RtpPacket.parse(out, extensions)
    assert (parsed.extensions.mid, parsed.extensions.abs_send_time) == ("1", 0x123456)
    assert parsed.payload == bytes(range(200)) and parsed.sequence_number == 7
    # A new value replaces the old one, it is not added twice.
    again = playout_delay.add_playout_delay(out, 6, 0)
    assert len(again) == len(out) and _elements(again)[6] == bytes([0, 0x03, 0xE8])


def test_a_packet_without_extensions_gets_a_block() -> None:
    extensions = _extensions()
    packet = RtpPacket(payload_type=96, sequence_number=1, timestamp=2, ssrc=3)
    packet.payload = b"x" * 50
    data = packet.serialize(extensions)
    out = playout_delay.add_playout_delay(data, 6, 200)
    assert _elements(out)[6][:2] == bytes([0x01, 0x43])  # 20 units of 10 ms, then the max
    assert RtpPacket.parse(out, extensions).payload == b"x" * 50


def test_the_delay_covers_a_retransmission_only_while_the_link_loses_packets() -> None:
    assert playout_delay.min_delay_ms(350.0, 0.05) == 430  # poor 3G: a round trip and more
    assert playout_delay.min_delay_ms(350.0, 0.0) == 0  # no loss: the browser's own choice
    assert playout_delay.min_delay_ms(None, 0.05) == 0  # no round trip known yet
    assert playout_delay.min_delay_ms(2000.0, 0.05) == playout_delay.MAX_MIN_MS
    # Before the first loss report: a mobile link's round trip gets it, a LAN's does not.
    assert playout_delay.min_delay_ms(350.0, None) == 430
    assert playout_delay.min_delay_ms(5.0, None) == 0


def test_the_extension_is_offered_for_video() -> None:
    from aiortc import codecs

    playout_delay.register()
    playout_delay.register()
    uris = [e.uri for e in codecs.HEADER_EXTENSIONS["video"]]
    assert uris.count(playout_delay.URI) == 1
    assert playout_delay.URI not in [e.uri for e in codecs.HEADER_EXTENSIONS["audio"]]
