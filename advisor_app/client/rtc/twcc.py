"""Transport-wide congestion-control feedback (RTCP RTPFB FMT 15), encoded and parsed.

The format is draft-holmer-rmcat-transport-wide-cc-extensions-01, section 3.1: after the
common feedback header (sender SSRC, media SSRC) come the base sequence number, the packet
status count, a 24-bit reference time in multiples of 64 ms, an 8-bit feedback packet count,
then 16-bit packet-status chunks (run-length, or a status vector of fourteen 1-bit or seven
2-bit symbols), then one receive delta per received packet in 250 µs units (one byte for a
"small" delta 0..63.75 ms, two signed bytes for a "large" one), padded to 32 bits.

Pure functions and dataclasses only: :mod:`advisor_app.client.rtc.feedback` decides what to
report and when.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

RTCP_RTPFB = 205
FMT_TRANSPORT_FEEDBACK = 15
#: Receive deltas are counted in 250 µs ticks; the reference time in 64 ms steps.
DELTA_TICK_US = 250
REFERENCE_TICK_US = 64_000

NOT_RECEIVED = 0
SMALL_DELTA = 1
LARGE_DELTA = 2

_MAX_RUN = 0x1FFF
_MAX_SMALL = 0xFF
_MIN_LARGE, _MAX_LARGE = -0x8000, 0x7FFF


@dataclass(frozen=True, slots=True)
class TransportFeedback:
    """One feedback packet: which of ``status_count`` packets from ``base_seq`` arrived, and
    when (``deltas``: 250 µs ticks, the first relative to the reference time, each other
    relative to the previous received packet)."""

    sender_ssrc: int
    media_ssrc: int
    base_seq: int
    reference_time: int  # 24 bits, 64 ms units
    fb_count: int  # 8 bits
    #: One symbol per packet: NOT_RECEIVED, SMALL_DELTA or LARGE_DELTA.
    symbols: tuple[int, ...] = ()
    deltas: tuple[int, ...] = ()

    @property
    def status_count(self) -> int:
        return len(self.symbols)

    def arrivals_us(self) -> dict[int, int]:
        """Sequence number (16-bit) → arrival in µs on the feedback's own time axis."""
        at = self.reference_time * REFERENCE_TICK_US
        out: dict[int, int] = {}
        deltas = iter(self.deltas)
        for i, symbol in enumerate(self.symbols):
            if symbol != NOT_RECEIVED:
                at += next(deltas) * DELTA_TICK_US
                out[(self.base_seq + i) & 0xFFFF] = at
        return out

    def __bytes__(self) -> bytes:
        body = struct.pack(
            "!LLHHL",
            self.sender_ssrc,
            self.media_ssrc,
            self.base_seq & 0xFFFF,
            self.status_count,
            ((self.reference_time & 0xFFFFFF) << 8) | (self.fb_count & 0xFF),
        )
        body += b"".join(struct.pack("!H", c) for c in encode_chunks(self.symbols))
        for symbol, delta in zip(
            (s for s in self.symbols if s != NOT_RECEIVED), self.deltas, strict=True
        ):
            if symbol == SMALL_DELTA:
                if not 0 <= delta <= _MAX_SMALL:
                    raise ValueError(f"small delta out of range: {delta}")
                body += struct.pack("!B", delta)
            else:
                body += struct.pack("!h", delta)
        padding = -len(body) % 4
        if padding:
            body += b"\x00" * (padding - 1) + bytes([padding])
        header = struct.pack(
            "!BBH",
            0x80 | (0x20 if padding else 0) | FMT_TRANSPORT_FEEDBACK,
            RTCP_RTPFB,
            len(body) // 4,
        )
        return header + body


def symbol_for(delta: int) -> int:
    """The status symbol a received packet with this delta (250 µs ticks) needs."""
    if 0 <= delta <= _MAX_SMALL:
        return SMALL_DELTA
    if _MIN_LARGE <= delta <= _MAX_LARGE:
        return LARGE_DELTA
    raise ValueError(f"delta does not fit a feedback packet: {delta}")


def encode_chunks(symbols: tuple[int, ...] | list[int]) -> list[int]:
    """Packet-status chunks for ``symbols``: a run-length chunk for runs of 7 or more equal
    symbols, otherwise a status vector (fourteen 1-bit symbols when none is a large delta,
    else seven 2-bit ones); a last vector is filled up with "not received"."""
    chunks: list[int] = []
    i, n = 0, len(symbols)
    while i < n:
        run = 1
        while i + run < n and symbols[i + run] == symbols[i] and run < _MAX_RUN:
            run += 1
        one_bit = symbols[i : i + 14]
        if run >= 14 or (run >= 7 and (LARGE_DELTA in one_bit or run == n - i)):
            chunks.append((symbols[i] << 13) | run)
            i += run
        elif LARGE_DELTA not in one_bit:
            chunk = 0x8000
            for k, symbol in enumerate(one_bit):
                chunk |= symbol << (13 - k)
            chunks.append(chunk)
            i += len(one_bit)
        else:
            two_bit = symbols[i : i + 7]
            chunk = 0xC000
            for k, symbol in enumerate(two_bit):
                chunk |= symbol << (12 - 2 * k)
            chunks.append(chunk)
            i += len(two_bit)
    return chunks


def parse(data: bytes) -> TransportFeedback:
    """One transport feedback packet (with its RTCP header); ValueError when malformed."""
    if len(data) < 20:
        raise ValueError("transport feedback too short")
    first, packet_type, length = struct.unpack("!BBH", data[:4])
    if first >> 6 != 2 or packet_type != RTCP_RTPFB or first & 0x1F != FMT_TRANSPORT_FEEDBACK:
        raise ValueError("not a transport feedback packet")
    end = 4 + 4 * length
    if end > len(data):
        raise ValueError("transport feedback truncated")
    if first & 0x20:
        end -= data[end - 1]
    sender, media, base, count, ref_fb = struct.unpack("!LLHHL", data[4:20])
    pos = 20
    symbols: list[int] = []
    while len(symbols) < count:
        if pos + 2 > end:
            raise ValueError("transport feedback: status chunks truncated")
        (chunk,) = struct.unpack("!H", data[pos : pos + 2])
        pos += 2
        left = count - len(symbols)
        if not chunk & 0x8000:
            symbols += [(chunk >> 13) & 0x3] * min(chunk & _MAX_RUN, left)
        elif not chunk & 0x4000:
            symbols += [(chunk >> (13 - k)) & 1 for k in range(min(14, left))]
        else:
            symbols += [(chunk >> (12 - 2 * k)) & 3 for k in range(min(7, left))]
    deltas: list[int] = []
    for symbol in symbols:
        if symbol == SMALL_DELTA:
            if pos + 1 > end:
                raise ValueError("transport feedback: deltas truncated")
            deltas.append(data[pos])
            pos += 1
        elif symbol == LARGE_DELTA:
            if pos + 2 > end:
                raise ValueError("transport feedback: deltas truncated")
            deltas.append(struct.unpack("!h", data[pos : pos + 2])[0])
            pos += 2
        elif symbol != NOT_RECEIVED:
            raise ValueError("transport feedback: reserved status symbol")
    return TransportFeedback(
        sender_ssrc=sender,
        media_ssrc=media,
        base_seq=base,
        reference_time=ref_fb >> 8,
        fb_count=ref_fb & 0xFF,
        symbols=tuple(symbols),
        deltas=tuple(deltas),
    )


@dataclass
class FeedbackBuilder:
    """Builds feedback packets from (sequence, arrival µs) pairs of consecutive packets.

    Keeps the running time in whole 250 µs ticks from the reference time (as libwebrtc
    does), so rounding never drifts over a long packet."""

    sender_ssrc: int
    media_ssrc: int
    fb_count: int = 0
    #: At most this many packet statuses per feedback packet (keeps it under ~1200 bytes).
    max_status: int = 400

    def build(self, base_seq: int, arrivals: list[int | None]) -> list[TransportFeedback]:
        """Feedback for packets ``base_seq``, ``base_seq + 1``, … with ``arrivals`` in µs
        (None: not received). Splits where a packet is full or a delta does not fit."""
        out: list[TransportFeedback] = []
        i, n = 0, len(arrivals)
        reference = 0
        while i < n:
            first = next((a for a in arrivals[i : i + self.max_status] if a is not None), None)
            if first is not None:
                reference = first // REFERENCE_TICK_US
            now_ticks = reference * REFERENCE_TICK_US // DELTA_TICK_US
            start = i
            symbols: list[int] = []
            deltas: list[int] = []
            while i < n and len(symbols) < self.max_status:
                at = arrivals[i]
                if at is None:
                    symbols.append(NOT_RECEIVED)
                else:
                    ticks = round(at / DELTA_TICK_US)
                    delta = ticks - now_ticks
                    try:
                        symbol = symbol_for(delta)
                    except ValueError:
                        break  # the next packet starts here, with its own reference time
                    symbols.append(symbol)
                    deltas.append(delta)
                    now_ticks = ticks
                i += 1
            out.append(
                TransportFeedback(
                    sender_ssrc=self.sender_ssrc,
                    media_ssrc=self.media_ssrc,
                    base_seq=(base_seq + start) & 0xFFFF,
                    reference_time=reference & 0xFFFFFF,
                    fb_count=self.fb_count & 0xFF,
                    symbols=tuple(symbols),
                    deltas=tuple(deltas),
                )
            )
            self.fb_count += 1
        return out
