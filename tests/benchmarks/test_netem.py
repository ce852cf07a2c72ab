"""The link emulator shapes real packets: UDP datagrams through the TUN devices and the
forwarder, between this process and a receiver or sender in the namespace (root needed)."""

from __future__ import annotations

import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.netem import probe
from benchmarks.netem.link import Link, remove_stale
from benchmarks.netem.shaper import Params

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def link() -> Iterator[Link]:
    assert os.geteuid() == 0, "the link emulator's tests need root (as CI has)"
    with Link() as lk:
        yield lk


def _in_ns(link: Link, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        link.command(sys.executable, "-m", "benchmarks.netem.probe", *args),
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def down(link: Link, count: int, interval_ms: float, size: int, seconds: float) -> list:
    """Datagrams from this host to a receiver in the namespace."""
    recv = _in_ns(link, "recv", "40001", str(seconds))
    assert recv.stdout is not None
    assert recv.stdout.readline().strip() == "listening"
    probe.send(link.inner_ip, 40001, count, interval_ms, size)
    out, _ = recv.communicate(timeout=seconds + 20)
    return list(json.loads(out.splitlines()[-1]))


def up(link: Link, count: int, interval_ms: float, size: int, seconds: float) -> list:
    """Datagrams from the namespace to this host."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((link.host_ip, 0))
    probe.big_buffer(sock)
    got: list = []
    thread = threading.Thread(target=lambda: got.extend(probe.receive(sock, seconds)))
    thread.start()
    port = str(sock.getsockname()[1])
    sender = _in_ns(link, "send", link.host_ip, port, str(count), str(interval_ms), str(size))
    sender.communicate(timeout=seconds + 20)
    thread.join()
    sock.close()
    return got


def test_delay_each_way(link: Link) -> None:
    link.set(down=Params(delay_ms=80), up=Params(delay_ms=20))
    for direction, want in ((down, 80), (up, 20)):
        got = direction(link, 100, 10, 200, 3)
        assert len(got) == 100
        delays = [1000 * (r - s) for _, s, r, _ in got]
        assert want <= statistics.median(delays) < want + 8, (want, statistics.median(delays))
        assert min(delays) >= want - 0.5


def test_rate_is_the_limit_and_the_queue_is_bounded(link: Link) -> None:
    # 3 Mbit/s offered into 800 kbit/s with a 250 ms queue: 800 kbit/s arrive, the waiting
    # time grows to the queue's length and no further, the rest is dropped at the tail.
    link.set(down=Params(rate_kbps=800, queue_ms=250, delay_ms=10))
    got = down(link, 600, 3.2, 1200, 4)  # 1228 B every 3.2 ms = 3.07 Mbit/s for 1.9 s
    stats = link.stats()["counters"]["down"]
    span = got[-1][2] - got[0][2]
    kbps = 8 * sum(size for *_, size in got[1:]) / span / 1000
    assert 760 < kbps < 840, kbps
    delays = [1000 * (r - s) for _, s, r, _ in got]
    assert 200 < max(delays) < 10 + 250 + 30, max(delays)
    assert stats["overflowed"] == 600 - len(got) > 250
    assert stats["lost"] == 0


def test_random_loss(link: Link) -> None:
    link.set(up=Params(loss=0.2))
    got = up(link, 1000, 1, 200, 3)
    stats = link.stats()["counters"]["up"]
    assert 0.75 < len(got) / 1000 < 0.85, len(got)
    # (the namespace's kernel may send a packet of its own beside the 1000)
    assert stats["lost"] == stats["packets_in"] - stats["packets_out"]
    assert 0 <= stats["packets_out"] - len(got) <= 2  # what the link delivered arrived
    seqs = [seq for seq, *_ in got]
    assert seqs == sorted(seqs)  # loss alone does not reorder


def test_reordering(link: Link) -> None:
    link.set(down=Params(reorder=0.3, reorder_ms=30))
    got = down(link, 200, 2, 200, 3)
    assert len(got) == 200
    seqs = [seq for seq, *_ in got]
    late = sum(1 for a, b in itertools.pairwise(seqs) if b < a)
    assert late > 20, seqs


def test_schedule_cuts_the_link_and_restores_it(link: Link) -> None:
    # Unlimited, then nothing for 1 s, then 300 kbit/s: timed by the forwarder.
    t0 = link.schedule(
        [(1.0, {"up": {"loss": 1.0}}), (2.0, {"up": {"loss": 0.0, "rate_kbps": 300}})]
    )
    got = up(link, 400, 10, 300, 5.5)
    applied = [t - t0 for t, _ in link.stats()["applied"]]
    assert len(applied) == 2, applied
    assert abs(applied[0] - 1.0) < 0.03 and abs(applied[1] - 2.0) < 0.03, applied
    sent = {seq: s - t0 for seq, s, *_ in got}  # seconds after the schedule's start
    first = min(sent)
    start = sent[first] - first * 0.01
    when = {seq: start + seq * 0.01 for seq in range(400)}
    outage = [seq for seq, t in when.items() if 1.02 < t < 1.98]
    assert len(outage) > 80, when[0]  # the sender ran through the outage
    assert not any(seq in sent for seq in outage)
    assert all(seq in sent for seq, t in when.items() if t < 0.98 or t > 2.02)
    # 300 kbit/s afterwards: 328-byte packets every 10 ms are 262 kbit/s, below the rate.
    recv_at = [r for *_, r, _ in got]
    assert recv_at == sorted(recv_at)


def test_namespaces_are_removed(link: Link) -> None:
    name = link.ns
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert name in listed
    link.close()
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert name not in listed
    assert link.outer not in subprocess.run(["ip", "link"], capture_output=True, text=True).stdout
    assert remove_stale() == []
