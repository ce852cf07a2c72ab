"""The playout delay the console asks of the browser that receives its video.

On a lossy link with a long round trip every lost packet of the console's video is resent a
round trip later; Chromium's jitter buffer holds frames for about its jitter estimate (≈ 230
ms on the 400 kbit/s, 175 ms, 5 % loss link), so each loss froze the picture until the
retransmission came (29 % frozen against Chromium's own 8 %, which protects its video with
FEC, something aiortc cannot send). The RTP header extension ``playout-delay`` (libwebrtc's,
negotiated like any other) lets a sender set the receiver's minimum delay: while the link
loses packets it is a round trip plus a frame and a margin, so a retransmission arrives before
its frame is due; on a clean link it is 0 (the browser's own choice, no added latency).

:func:`register` adds the extension to what aiortc offers for video; the pacer writes it into
every video packet (:func:`add_playout_delay`) before SRTP.
"""

from __future__ import annotations

import struct

URI = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay"
#: Unused by aiortc's own extensions and the transport-wide sequence number (5).
ID = 6
#: Smoothed loss at or above which the delay covers a retransmission.
LOSS_ON = 0.01
#: Before any loss is known, a round trip this long (ms) gets the delay.
LONG_RTT_MS = 200.0
#: Added to the round trip: the gap is seen one frame late, and the resent packet waits in
#: the link's queue like any other.
MARGIN_MS = 80.0
#: Never more than this (ms): beyond it a conversation suffers more than the picture gains.
MAX_MIN_MS = 700.0
#: The largest delay the receiver may choose itself (libwebrtc's default, 10 s).
MAX_MS = 10_000


def register() -> None:
    """Offer the extension for video (idempotent; aiortc's process-wide table)."""
    from aiortc import codecs
    from aiortc.rtcrtpparameters import RTCRtpHeaderExtensionParameters

    extensions = codecs.HEADER_EXTENSIONS["video"]
    if not any(e.uri == URI for e in extensions):
        extensions.append(RTCRtpHeaderExtensionParameters(id=ID, uri=URI))


def min_delay_ms(rtt_ms: float | None, loss: float | None) -> int:
    """The minimum playout delay to ask for: enough for one retransmission while the link
    loses packets, else 0. Before the first loss report (``loss`` None) a long round trip
    (a mobile link) gets it too: the first seconds are when a slow link loses most."""
    if rtt_ms is None:
        return 0
    if loss is None and rtt_ms < LONG_RTT_MS:
        return 0
    if loss is not None and loss < LOSS_ON:
        return 0
    return int(min(rtt_ms + MARGIN_MS, MAX_MIN_MS))


def add_playout_delay(data: bytes, ext_id: int, min_ms: int, max_ms: int = MAX_MS) -> bytes:
    """``data`` (an RTP packet before SRTP) with a playout-delay element of ``min_ms`` and
    ``max_ms`` (10 ms units on the wire) in its one-byte header extension block, replacing one
    it had; packets with a two-byte block are left as they are."""
    if len(data) < 12:
        return data
    value = (min(min_ms // 10, 0xFFF) << 12) | min(max_ms // 10, 0xFFF)
    element = bytes([(ext_id << 4) | 2]) + value.to_bytes(3, "big")
    pos = 12 + 4 * (data[0] & 0x0F)
    if not data[0] & 0x10:  # no extension block yet
        if len(data) < pos:
            return data
        block = element + bytes(-len(element) % 4)
        head = bytes([data[0] | 0x10]) + data[1:pos]
        return head + struct.pack("!HH", 0xBEDE, len(block) // 4) + block + data[pos:]
    if len(data) < pos + 4:
        return data
    profile, words = struct.unpack_from("!HH", data, pos)
    end = pos + 4 + 4 * words
    if profile != 0xBEDE or end > len(data):
        return data
    elements = bytearray()
    i = pos + 4
    while i < end:
        head_byte = data[i]
        if head_byte == 0:  # padding
            i += 1
            continue
        ext, size = head_byte >> 4, (head_byte & 0x0F) + 1
        if ext == 15 or i + 1 + size > end:
            break
        if ext != ext_id:
            elements += data[i : i + 1 + size]
        i += 1 + size
    elements += element
    elements += bytes(-len(elements) % 4)
    return data[:pos] + struct.pack("!HH", 0xBEDE, len(elements) // 4) + elements + data[end:]
