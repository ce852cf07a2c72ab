"""When each packet really arrived: the kernel's receive time of every UDP datagram.

aiortc stamps a packet with the event loop's clock when the loop gets round to it
(``RTCDtlsTransport._recv_next``); on a busy PC that is hundreds of milliseconds late, and a
congestion controller reading those times sees a queue that is not there. The
kernel stamps each datagram as it arrives, and ``SIOCGSTAMPNS`` right after the read gives
the time of the datagram just read (Linux; the first call switches the stamps on).
:class:`SocketTap` wraps the ``datagram_received`` of aioice's protocols, takes that time (or,
where the platform has no such stamp, the time of the read, which is still before aiortc's
queue), and passes each SRTP packet's RTP header to an :class:`ArrivalRecorder`. The RTP
header, extensions included, is not encrypted by SRTP, so the transport-wide sequence number
can be read right there.

The difference between the read time and the kernel's time is the console's own lateness,
which the call-quality label uses to say "Ihr Computer ist ausgelastet".
"""

from __future__ import annotations

import logging
import struct
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

#: Linux <asm-generic/sockios.h> SIOCGSTAMPNS_OLD: the last datagram's receive time (timespec).
SIOCGSTAMPNS = 0x8907
#: How long the read lags are remembered (for the "busy computer" judgement).
LAG_WINDOW_S = 4.0


def enable_kernel_stamps(sock: Any) -> bool:
    """Ask the kernel to keep the receive time of the last datagram read from ``sock``; False
    where it cannot. The first ``SIOCGSTAMPNS`` switches this on (Linux ``sock_enable_timestamp``;
    it answers ENOENT then). ``SO_TIMESTAMPNS`` must not be set: with it the kernel puts the
    time only in a control message, which asyncio's ``recvfrom`` drops."""
    if not sys.platform.startswith("linux"):
        return False
    import fcntl  # Unix only

    try:
        fcntl.ioctl(sock.fileno(), SIOCGSTAMPNS, bytes(16))
    except FileNotFoundError:
        return True  # switched on, nothing read yet
    except OSError:
        return False
    return True


def kernel_stamp(sock: Any) -> int | None:
    """The kernel's receive time (ns, the wall clock) of the datagram last read from ``sock``."""
    import fcntl  # Unix only

    try:
        raw = fcntl.ioctl(sock.fileno(), SIOCGSTAMPNS, bytes(16))
    except OSError:
        return None
    sec, nsec = struct.unpack("qq", raw)
    return int(sec) * 1_000_000_000 + int(nsec)


def rtp_extension(data: bytes, ext_id: int) -> bytes | None:
    """The value of header extension ``ext_id`` of an RTP packet (RFC 8285 one- or two-byte
    form), or None. Works on SRTP packets: their header is not encrypted."""
    if len(data) < 12 or data[0] >> 6 != 2 or not data[0] & 0x10:
        return None
    pos = 12 + 4 * (data[0] & 0x0F)
    if len(data) < pos + 4:
        return None
    profile, words = struct.unpack("!HH", data[pos : pos + 4])
    pos += 4
    end = pos + 4 * words
    if end > len(data):
        return None
    if profile == 0xBEDE:
        while pos < end:
            head = data[pos]
            if head == 0:
                pos += 1
                continue
            xid, length = head >> 4, (head & 0x0F) + 1
            if xid == 15:
                return None
            if xid == ext_id:
                return data[pos + 1 : pos + 1 + length]
            pos += 1 + length
    elif profile & 0xFFF0 == 0x1000:
        while pos + 1 < end:
            xid = data[pos]
            if xid == 0:
                pos += 1
                continue
            length = data[pos + 1]
            if xid == ext_id:
                return data[pos + 2 : pos + 2 + length]
            pos += 2 + length
    return None


def is_rtp(data: bytes) -> bool:
    """An RTP (not RTCP, not DTLS, not STUN) packet, by RFC 7983's first byte and RFC 5761."""
    return len(data) >= 12 and 127 < data[0] < 192 and not 192 <= data[1] <= 223


@dataclass
class ArrivalRecorder:
    """Arrival times by transport-wide sequence number, and how late the console read them.

    :meth:`record` may run on a reader thread, :meth:`note_lag` on the event loop."""

    ext_id: int
    clock_ns: Callable[[], int] = time.time_ns
    #: 16-bit sequence unwrapped to a growing integer → arrival in µs since :attr:`epoch_ns`.
    arrivals: dict[int, int] = field(default_factory=dict)
    media_ssrc: int = 0
    epoch_ns: int = field(default_factory=time.time_ns)
    packets: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    _last_seq: int | None = None
    _lags: deque[tuple[float, float]] = field(default_factory=lambda: deque(maxlen=4096))

    def on_datagram(self, data: bytes, arrival_ns: int, read_ns: int) -> None:
        """A datagram read from the socket at ``read_ns`` that arrived at ``arrival_ns``."""
        self.record(data, arrival_ns)
        self.note_lag(data, arrival_ns, read_ns)

    def note_lag(self, data: bytes, arrival_ns: int, read_ns: int) -> None:
        """The console handled an RTP packet ``read_ns - arrival_ns`` after it arrived."""
        if is_rtp(data):
            self._lags.append((read_ns / 1e9, max(0.0, (read_ns - arrival_ns) / 1e6)))

    def record(self, data: bytes, arrival_ns: int) -> None:
        """Note the arrival of an RTP packet that carries a transport-wide sequence number."""
        if not is_rtp(data):
            return
        value = rtp_extension(data, self.ext_id)
        if value is None or len(value) < 2:
            return
        with self.lock:
            seq = self._unwrap(struct.unpack("!H", value[:2])[0])
            if seq not in self.arrivals:
                self.arrivals[seq] = (arrival_ns - self.epoch_ns) // 1000
                self.packets += 1
            if not self.media_ssrc:
                self.media_ssrc = struct.unpack("!L", data[8:12])[0]

    def _unwrap(self, seq16: int) -> int:
        last = self._last_seq
        if last is None:
            unwrapped = seq16
        else:
            diff = (seq16 - last) & 0xFFFF
            unwrapped = last + diff if diff < 0x8000 else last + diff - 0x10000
        if last is None or unwrapped > last:
            self._last_seq = unwrapped
        return unwrapped

    def read_lag_ms(self, window_s: float = LAG_WINDOW_S) -> float | None:
        """The worst lateness of the console's reads in the last ``window_s`` (95th
        percentile, ms); None without packets."""
        now = self.clock_ns() / 1e9
        lags = sorted(lag for at, lag in list(self._lags) if now - at <= window_s)
        if not lags:
            return None
        return lags[min(len(lags) - 1, int(0.95 * len(lags)))]


@dataclass
class SocketTap:
    """Wraps the ``datagram_received`` of an aioice connection's protocols (aioice 0.x:
    ``Connection._protocols``, each with an asyncio datagram transport or a TURN one)."""

    recorder: ArrivalRecorder
    kernel: bool = False
    _wrapped: list[Any] = field(default_factory=list)

    def install(self, connection: Any, skip: list[Any] | None = None) -> None:
        for protocol in list(getattr(connection, "_protocols", [])):
            if protocol in self._wrapped or protocol in (skip or []):
                continue
            sock = None
            transport = getattr(protocol, "transport", None)
            if transport is not None:
                try:
                    sock = transport.get_extra_info("socket")
                except Exception:  # a TURN transport has no socket of its own
                    sock = None
            # asyncio hands out a TransportSocket, which has fileno() and setsockopt()
            stamped = hasattr(sock, "fileno") and enable_kernel_stamps(sock)
            self.kernel = self.kernel or stamped
            protocol.datagram_received = self._wrap(
                protocol.datagram_received, sock if stamped else None
            )
            self._wrapped.append(protocol)
        log.debug("socket tap on %d protocols (kernel stamps: %s)", len(self._wrapped), self.kernel)

    def _wrap(self, inner: Callable[[Any, Any], None], sock: Any) -> Callable[[Any, Any], None]:
        recorder = self.recorder

        def datagram_received(data: Any, addr: Any) -> None:
            read_ns = time.time_ns()
            arrival = kernel_stamp(sock) if sock is not None else None
            try:
                recorder.on_datagram(data, arrival or read_ns, read_ns)
            except Exception:  # never lose a packet to the tap
                log.debug("tap failed", exc_info=True)
            inner(data, addr)

        return datagram_received
