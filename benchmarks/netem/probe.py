"""UDP probes for checking the emulated link with real packets (used by its tests).

``python -m benchmarks.netem.probe recv PORT SECONDS`` prints, as JSON, every datagram's
sequence number, send time and receive time (wall clock, one clock for every namespace of the
machine; the receive time is the kernel's, so a receiver that reads late on a busy machine
still sees when each datagram arrived); ``send HOST PORT COUNT INTERVAL_MS SIZE`` sends
numbered datagrams.
"""

from __future__ import annotations

import json
import socket
import struct
import sys
import time

HEADER = struct.Struct("!Id")
IP_UDP_OVERHEAD = 28
SO_RCVBUFFORCE = 33  # Linux; not exported by Python's socket module
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
TIMESPEC = struct.Struct("qq")


def send(host: str, port: int, count: int, interval_ms: float, size: int) -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    start = time.monotonic()
    for seq in range(count):
        due = start + seq * interval_ms / 1000
        while (wait := due - time.monotonic()) > 0:
            time.sleep(wait)
        body = HEADER.pack(seq, time.time())
        sock.sendto(body + b"\0" * (size - len(body)), (host, port))
    sock.close()


def big_buffer(sock: socket.socket) -> None:
    """A receive buffer for seconds of datagrams: a busy machine may read them late, and the
    kernel must not drop what the link delivered."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20)  # root: past rmem_max
    except OSError:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)


def receive(sock: socket.socket, seconds: float) -> list[tuple[int, float, float, int]]:
    """(seq, sent, received, size) of what arrives within ``seconds`` of the start."""
    big_buffer(sock)
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    got = []
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            data, ancillary, _, _ = sock.recvmsg(65536, 256)
        except TimeoutError:
            break
        arrived = time.time()
        for level, kind, value in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                sec, nsec = TIMESPEC.unpack_from(value)
                arrived = sec + nsec / 1e9
        seq, sent = HEADER.unpack_from(data)
        got.append((seq, sent, arrived, len(data) + IP_UDP_OVERHEAD))
    return got


def main(argv: list[str]) -> int:
    if argv[0] == "recv":
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("0.0.0.0", int(argv[1])))  # noqa: S104 (inside the namespace)
        print("listening", flush=True)
        print(json.dumps(receive(sock, float(argv[2]))), flush=True)
    else:
        send(argv[1], int(argv[2]), int(argv[3]), float(argv[4]), int(argv[5]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
