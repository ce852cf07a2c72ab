"""UDP probes for checking the emulated link with real packets (used by its tests).

``python -m benchmarks.netem.probe recv PORT SECONDS`` prints, as JSON, every datagram's
sequence number, send time and receive time (``time.monotonic()``, one clock for every
namespace of the machine); ``send HOST PORT COUNT INTERVAL_MS SIZE`` sends numbered datagrams.
"""

from __future__ import annotations

import json
import socket
import struct
import sys
import time

HEADER = struct.Struct("!Id")
IP_UDP_OVERHEAD = 28


def send(host: str, port: int, count: int, interval_ms: float, size: int) -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    start = time.monotonic()
    for seq in range(count):
        due = start + seq * interval_ms / 1000
        while (wait := due - time.monotonic()) > 0:
            time.sleep(wait)
        body = HEADER.pack(seq, time.monotonic())
        sock.sendto(body + b"\0" * (size - len(body)), (host, port))
    sock.close()


def receive(sock: socket.socket, seconds: float) -> list[tuple[int, float, float, int]]:
    """(seq, sent, received, size) of what arrives within ``seconds`` of the first datagram
    (or of the start, when nothing arrives)."""
    got = []
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            data = sock.recv(65536)
        except TimeoutError:
            break
        seq, sent = HEADER.unpack_from(data)
        got.append((seq, sent, time.monotonic(), len(data) + IP_UDP_OVERHEAD))
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
