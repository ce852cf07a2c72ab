"""What the console sends as RTCP, decoded before encryption: REMB values, transport-wide
feedback, NACK, PLI and FIR (observation only; nothing is changed).

:func:`install` wraps aiortc's ``RTCDtlsTransport._send_rtp`` (where every RTP and RTCP
packet of a connection passes in clear before SRTP) in this process, so whoever builds the
packet (aiortc's receiver, or a subclass of the console's) is seen. The log keeps
``(time.time(), kind, value)``: for ``remb`` the bitrate in bit/s, for ``rr_loss`` the
fraction lost of one report block (0–1), for the others 1.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

RTCP_SR = 200
RTCP_RR = 201
RTCP_RTPFB = 205
RTCP_PSFB = 206


@dataclass
class RtcpLog:
    entries: list[tuple[float, str, float]] = field(default_factory=list)

    def add(self, data: bytes) -> None:
        from aiortc.rtp import unpack_remb_fci

        now = time.time()
        pos = 0
        while pos + 4 <= len(data):
            fmt = data[pos] & 0x1F
            ptype = data[pos + 1]
            length = (int.from_bytes(data[pos + 2 : pos + 4], "big") + 1) * 4
            body = data[pos + 4 : pos + length]
            pos += length
            if ptype == RTCP_PSFB and fmt == 15:  # application layer feedback: REMB
                try:
                    bitrate, _ = unpack_remb_fci(body[8:])
                except ValueError:
                    continue
                self.entries.append((now, "remb", float(bitrate)))
            elif ptype == RTCP_PSFB and fmt in (1, 4):
                self.entries.append((now, "pli" if fmt == 1 else "fir", 1.0))
            elif ptype in (RTCP_SR, RTCP_RR):  # the loss the console reports, per block
                blocks = body[4 + (20 if ptype == RTCP_SR else 0) :]
                for i in range(min(fmt, len(blocks) // 24)):
                    fraction = blocks[24 * i + 4]
                    self.entries.append((now, "rr_loss", fraction / 256.0))
            elif ptype == RTCP_RTPFB and fmt in (1, 15):
                self.entries.append((now, "nack" if fmt == 1 else "twcc", 1.0))

    def remb(self) -> list[tuple[float, float]]:
        return [(t, v) for t, kind, v in self.entries if kind == "remb"]

    def counts(self, t0: float = 0.0, t1: float = float("inf")) -> dict[str, int]:
        out: dict[str, int] = {}
        for t, kind, _ in self.entries:
            if t0 <= t <= t1:
                out[kind] = out.get(kind, 0) + 1
        return out


def install() -> RtcpLog:
    """Start logging every RTCP packet this process sends; returns the log."""
    from aiortc.rtcdtlstransport import RTCDtlsTransport
    from aiortc.rtp import is_rtcp

    log = RtcpLog()
    original = RTCDtlsTransport._send_rtp

    async def _send_rtp(self: Any, data: bytes) -> None:
        if is_rtcp(data):
            log.add(data)
        await original(self, data)

    RTCDtlsTransport._send_rtp = _send_rtp  # type: ignore[method-assign]
    return log


def summary(remb: list[tuple[float, float]], spans: dict[str, tuple[float, float]]) -> str:
    """REMB per named span: count, min, median, max in kbit/s."""
    parts = []
    for name, (t0, t1) in spans.items():
        values = sorted(v / 1000 for t, v in remb if t0 <= t < t1)
        if not values:
            parts.append(f"{name}: none")
            continue
        mid = values[len(values) // 2]
        parts.append(
            f"{name}: {len(values)} REMB, min {values[0]:.0f} median {mid:.0f} "
            f"max {values[-1]:.0f} kbit/s"
        )
    return "; ".join(parts)
