"""Waiting-room benchmark: many citizens wait at once in one real service process.

``python -m benchmarks.waiting_room`` (``make bench-waiting-room``) sets up a fresh data folder
with SQLite, advisor accounts made by ``advisor-console admin add`` and one appointment per
citizen (written through the storage layer before the service starts), runs
``advisor-console serve`` as a subprocess and drives it from two sides:

* citizens: ``--procs`` worker processes (:mod:`benchmarks.citizens`), each holding its share of
  the ``--n`` citizens as real WebSocket clients that consented and passed the device check;
* advisors: this process signs every advisor in over REST and holds their console sockets.

It measures, with all citizens connected: arrival latency (a citizen sends "enter" until the
advisor's socket receives the matching "arrived"; first a paced stream in which all citizens
enter, then a sample that leaves and enters again while everybody else waits), admit latency
(the advisor sends "admit" until that citizen's socket receives phase "admitted") and the
service's resident memory per waiting citizen, and the service's CPU time per citizen's join
(its 4 requests and the socket). Informative lines come first; the last line is
``waiting-room: n=… arrival_p99_ms=… admit_p99_ms=… kib_per_conn=… join_cpu_ms=…``. Any failed
connection,
error reply, lost event or error in the service's log is printed and makes the exit status 1.
Linux only (``/proc``, ``CLOCK_MONOTONIC`` shared by all processes).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from benchmarks.advisors import Desk
from benchmarks.citizens import Citizen, Workers, raise_open_file_limit
from benchmarks.service import (
    Invitee,
    Service,
    add_advisors,
    isolated_env,
    load_average,
    schedule_appointments,
)

TARGET_MS = 50.0
TARGET_KIB = 100.0
#: Service CPU per join (issue 17): page, consent, device check, socket and hello together.
TARGET_JOIN_CPU_MS = 4.0
#: Citizens that go once through the whole journey before the memory baseline is taken.
WARMUP = 5
PHASE_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Options:
    n: int
    procs: int
    advisors: int
    enter_rate: float
    sample: int
    sample_rate: float
    concurrency: int
    new_connections: bool
    seed: int
    keep: bool
    fail_on_miss: bool


def parse_args(argv: Sequence[str] | None) -> Options:
    p = argparse.ArgumentParser(prog="python -m benchmarks.waiting_room", description=__doc__)
    p.add_argument("--n", type=int, default=10_000, help="waiting citizens (default 10000)")
    p.add_argument("--procs", type=int, default=4, help="citizen processes (default 4)")
    p.add_argument("--advisors", type=int, default=20, help="advisors sharing them (default 20)")
    p.add_argument("--enter-rate", type=float, default=200.0, help="paced entries per second")
    p.add_argument("--sample", type=int, default=200, help="re-entries and admissions measured")
    p.add_argument("--sample-rate", type=float, default=40.0, help="sampled actions per second")
    p.add_argument("--concurrency", type=int, default=16, help="joins in flight per process")
    p.add_argument(
        "--new-connections",
        action="store_true",
        help="a new connection per request (default: kept alive, as behind nginx)",
    )
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--keep", action="store_true", help="keep the data folder and service log")
    p.add_argument("--fail-on-miss", action="store_true", help="exit 3 when a target is missed")
    a = p.parse_args(argv)
    if a.n < 1 or a.procs < 1 or a.advisors < 1 or a.sample < 1:
        p.error("--n, --procs, --advisors and --sample must be positive")
    return Options(
        n=a.n,
        procs=min(a.procs, a.n),
        advisors=min(a.advisors, a.n),
        enter_rate=a.enter_rate,
        sample=min(a.sample, a.n),
        sample_rate=a.sample_rate,
        concurrency=a.concurrency,
        new_connections=a.new_connections,
        seed=a.seed,
        keep=a.keep,
        fail_on_miss=a.fail_on_miss,
    )


def say(text: str) -> None:
    print(text, flush=True)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (no interpolation: p99 of 200 samples is the 198th)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summary_ms(values: Sequence[float]) -> str:
    if not values:
        return "no samples"
    ms = [v * 1000 for v in values]
    return (
        f"samples={len(ms)} p50={percentile(ms, 50):.1f} p90={percentile(ms, 90):.1f} "
        f"p99={percentile(ms, 99):.1f} max={max(ms):.1f} ms"
    )


# --- the advisors' side -------------------------------------------------------------------------


#: One measured event: participant id, when it was sent, when it was seen (monotonic seconds).
Sample = tuple[int, float, float]


def latencies(samples: Sequence[Sample]) -> list[float]:
    return [seen - sent for _, sent, seen in samples]


@dataclass
class Results:
    """What the run measured, filled in as it goes (a failed run keeps what it got)."""

    errors: list[str] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)
    admits: list[float] = field(default_factory=list)
    kib_per_conn: float | None = None
    join_cpu_ms: float | None = None

    def figures(self) -> dict[str, float]:
        nan = math.nan
        return {
            "arrival_p99_ms": percentile(self.arrivals, 99) * 1000 if self.arrivals else nan,
            "admit_p99_ms": percentile(self.admits, 99) * 1000 if self.admits else nan,
            "kib_per_conn": self.kib_per_conn if self.kib_per_conn is not None else nan,
            "join_cpu_ms": self.join_cpu_ms if self.join_cpu_ms is not None else nan,
        }

    def final_line(self, n: int) -> str:
        """The benchmark's result, the last line printed."""
        values = " ".join(f"{k}={v:.1f}" for k, v in self.figures().items())
        return f"waiting-room: n={n} {values}"

    def missed(self) -> list[str]:
        limits = {
            "arrival_p99_ms": TARGET_MS,
            "admit_p99_ms": TARGET_MS,
            "kib_per_conn": TARGET_KIB,
            "join_cpu_ms": TARGET_JOIN_CPU_MS,
        }
        return [k for k, v in self.figures().items() if not v < limits[k]]


async def enter_phase(
    phase: str, pids: list[int], rate: float, again: bool, desk: Desk, workers: Workers
) -> tuple[list[Sample], list[Sample]]:
    """Citizens press "enter" at ``rate`` per second (after "leave" when ``again``).

    Returns the arrivals at the advisors and, for diagnosis, each citizen's own "waiting" reply.
    """
    desk.phase = phase
    schedule = [(pid, k / rate) for k, pid in enumerate(pids)]
    t0 = time.monotonic() + 0.5
    for conn, part in zip(workers.conns, workers.split(schedule), strict=True):
        conn.send(("reenter" if again else "enter", t0, part))
    sent: dict[int, float] = {}
    echo: dict[int, float] = {}
    for reply in await workers.recv_all("entered"):
        sent.update(reply["sent"])
        echo.update(reply["echo"])
    seen = desk.arrivals.setdefault(phase, {})
    await desk.wait_for(seen, pids, PHASE_TIMEOUT_S)
    missing = [p for p in pids if p not in seen]
    if missing:
        desk.errors.append(f"{phase}: {len(missing)} arrivals never reached an advisor")
    arrivals = [(p, sent[p], seen[p]) for p in pids if p in seen and p in sent]
    return arrivals, [(p, sent[p], echo[p]) for p in pids if p in echo and p in sent]


async def admit_phase(
    pids: list[int], rate: float, advisor_of: dict[int, int], desk: Desk, workers: Workers
) -> list[Sample]:
    """The advisors admit ``pids`` at ``rate`` per second; the latency of each admission."""
    t0 = time.monotonic() + 0.2
    sent: dict[int, float] = {}
    for k, pid in enumerate(pids):
        delay = t0 + k / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        sent[pid] = await desk.admit(advisor_of[pid], pid)
    await desk.wait_for(desk.admitted, pids, PHASE_TIMEOUT_S)
    deadline = time.monotonic() + 10
    for conn, part in zip(workers.conns, workers.split([(p, 0.0) for p in pids]), strict=True):
        conn.send(("admitted", [p for p, _ in part], deadline))
    seen: dict[int, float] = {}
    for reply in await workers.recv_all("admitted"):
        seen.update(reply)
    missing = [p for p in pids if p not in seen]
    if missing:
        desk.errors.append(f"admit: {len(missing)} citizens never saw their admission")
    return [(p, sent[p], seen[p]) for p in pids if p in seen]


async def warm_up(base_url: str, invitees: list[Invitee], desk: Desk, errors: list[str]) -> None:
    """A few citizens go through join, enter, admit and hang-up: the service's code paths are
    warm. They hang up as the call page does before closing: a socket that closes in a call
    keeps the place for the reconnect grace, after which the advisor is told ``call_ended``
    by timeout in the middle of the measurement."""
    async with aiohttp.ClientSession() as http:
        citizens = [Citizen(inv.pid, inv.token, errors) for inv in invitees]
        for citizen in citizens:
            await citizen.join(http, base_url)
            waiting = citizen.expect("waiting")
            await citizen.send(json.dumps({"type": "enter"}))
            await asyncio.wait_for(waiting, 10)
        await desk.wait_for(desk.arrivals.setdefault("warmup", {}), [c.pid for c in citizens], 10)
        for citizen, inv in zip(citizens, invitees, strict=True):
            admitted = citizen.expect("admitted")
            await desk.admit(inv.advisor, inv.pid)
            await asyncio.wait_for(admitted, 10)
            ended = citizen.expect("ended")
            await citizen.send(json.dumps({"type": "hangup"}))
            await asyncio.wait_for(ended, 10)
            await citizen.close()


async def measure(
    opts: Options,
    service: Service,
    workers: Workers,
    desk: Desk,
    invitees: list[Invitee],
    base: tuple[int, float],
) -> tuple[Results, dict[str, list[Sample]]]:
    """All citizens join, enter, some re-enter, some are admitted; memory and CPU on the way
    (``base``: the service's RSS and CPU time before the citizens' processes started)."""
    rss_base, cpu_base = base
    res = Results(errors=desk.errors)
    rng = random.Random(opts.seed)
    pids = [inv.pid for inv in invitees]

    joined = await workers.recv_all("joined")
    cpu_joined = service.cpu_s()
    durations = [d for j in joined for d in j["durations"]]
    seconds = max(j["seconds"] for j in joined)
    join_cpu = cpu_joined - cpu_base
    res.join_cpu_ms = join_cpu / len(durations) * 1000 if durations else None
    say(
        f"connect: {len(durations)}/{opts.n} citizens joined (page, consent, device check, "
        f"socket, hello) in {seconds:.1f} s ({len(durations) / seconds:.0f}/s); per citizen "
        f"{summary_ms(durations)}; service CPU {join_cpu:.1f} s, "
        f"{(res.join_cpu_ms or math.nan):.2f} ms per join"
    )
    rss_lobby = service.rss_kib()

    paced, paced_echo = await enter_phase(
        "paced", rng.sample(pids, len(pids)), opts.enter_rate, False, desk, workers
    )
    say(
        f"arrivals, all {opts.n} enter at {opts.enter_rate:.0f}/s: "
        f"{summary_ms(latencies(paced))}; service CPU {service.cpu_s() - cpu_joined:.1f} s"
    )
    await asyncio.sleep(1.0)
    rss_waiting = service.rss_kib()
    res.kib_per_conn = (rss_waiting - rss_base) / opts.n

    again, again_echo = await enter_phase(
        "again", rng.sample(pids, opts.sample), opts.sample_rate, True, desk, workers
    )
    say(f"arrivals, leave and re-enter while {opts.n} wait: {summary_ms(latencies(again))}")
    say(f"  (the citizen's own 'waiting' reply: {summary_ms(latencies(paced_echo + again_echo))})")
    advisor_of = {inv.pid: inv.advisor for inv in invitees}
    admits = await admit_phase(
        rng.sample(pids, opts.sample), opts.sample_rate, advisor_of, desk, workers
    )
    say(f"admissions while {opts.n} wait: {summary_ms(latencies(admits))}")
    res.arrivals, res.admits = latencies(paced + again), latencies(admits)
    say(
        f"memory: service RSS {rss_base / 1024:.1f} MiB before citizens, {rss_lobby / 1024:.1f} "
        f"MiB all in the lobby, {rss_waiting / 1024:.1f} MiB all waiting, peak "
        f"{service.peak_rss_kib() / 1024:.1f} MiB; {res.kib_per_conn:.1f} KiB per citizen"
    )
    say(f"cpu: service {service.cpu_s() - cpu_base:.1f} s from first join to last admission")
    return res, {"paced": paced, "again": again, "admit": admits}


async def close_all(workers: Workers, desk: Desk, res: Results) -> None:
    desk.phase = "closing"
    for conn in workers.conns:
        conn.send(("close",))
    closed = await workers.recv_all("closed")
    for report in closed:
        res.errors.extend(report["errors"])
    await desk.close()
    say(
        f"clients: citizen processes used {sum(r['cpu_s'] for r in closed):.1f} s CPU; "
        f"advisors received {desk.events} events"
    )


async def run(opts: Options, root: Path) -> Results:
    """Set up, start the service, measure, stop; failures are in the results' errors."""
    env = isolated_env(
        root,
        ADVISOR_SERVICE__SOCKET_RATE_LIMIT="100000/minute",
        ADVISOR_SERVICE__LOGIN_RATE_LIMIT="1000/minute",
        # Every citizen's socket comes from 127.0.0.1, like citizens behind one proxy.
        ADVISOR_SERVICE__MAX_CONNECTIONS_PER_ADDRESS=str(opts.n + 1000),
    )
    data_dir = root / "data"
    started = time.monotonic()
    usernames = add_advisors(data_dir, env, opts.advisors)
    invitees = await schedule_appointments(
        data_dir, usernames, WARMUP + opts.n, random.Random(opts.seed)
    )
    warm, invitees = invitees[:WARMUP], invitees[WARMUP:]
    say(
        f"setup: {opts.advisors} advisors (admin add), {opts.n} appointments (storage layer) "
        f"in {time.monotonic() - started:.1f} s"
    )
    service = Service(data_dir, root / "service.log", env)
    desk = Desk(errors=[])
    res = Results(errors=desk.errors)
    workers: Workers | None = None
    try:
        base_url = service.wait_ready()
        say(
            f"service: pid {service.pid}, {base_url}, open-file limit "
            f"{service.open_file_limit()}, log level INFO"
        )
        async with aiohttp.ClientSession() as http:
            await desk.open(http, base_url, usernames)
            await warm_up(base_url, warm, desk, desk.errors)
            await asyncio.sleep(1.0)
            gc.collect()
            gc.freeze()  # as in the citizens' processes: no collector pauses of the instrument
            citizens = [(inv.pid, inv.token) for inv in invitees]
            base = service.rss_kib(), service.cpu_s()
            workers = Workers.start(
                base_url, citizens, opts.procs, opts.concurrency, not opts.new_connections
            )
            res, samples = await measure(opts, service, workers, desk, invitees, base)
            (root / "samples.json").write_text(json.dumps(samples), encoding="utf-8")
            await close_all(workers, desk, res)
    except Exception as exc:  # reported with whatever was measured until then
        res.errors.append(f"benchmark aborted: {type(exc).__name__}: {exc}")
    finally:
        if workers is not None:
            workers.stop()
        code = service.stop()
        if code != 0:
            res.errors.append(f"service exited with status {code}")
        problems = service.log_lines(" ERROR ", " CRITICAL ", "Traceback")
        res.errors.extend(f"service log: {line}" for line in problems[:20])
        warnings = service.log_lines(" WARNING ")
        say(f"service log: {len(problems)} errors, {len(warnings)} warnings")
        for line in warnings[:5]:
            say(f"  {line}")
    return res


def main(argv: Sequence[str] | None = None) -> int:
    opts = parse_args(argv)
    limit = raise_open_file_limit()
    if limit < opts.n + 200:
        print(f"open-file limit {limit} is too low for {opts.n} citizens", file=sys.stderr)
        return 2
    say(
        f"machine: {os.cpu_count()} cores, load {load_average()}, "
        f"{platform.python_implementation()} {platform.python_version()}, aiohttp "
        f"{aiohttp.__version__}, open-file limit {limit}; {opts.n} citizens in {opts.procs} "
        f"processes, {opts.advisors} advisors"
    )
    root = Path(tempfile.mkdtemp(prefix="bench-waiting-room-"))
    try:
        res = asyncio.run(run(opts, root))
    finally:
        if opts.keep:
            say(f"kept: {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    for error in res.errors[:50]:
        say(f"ERROR: {error}")
    missed = res.missed()
    say(
        f"load at the end {load_average()}; errors: {len(res.errors)}; targets (p99 < "
        f"{TARGET_MS:.0f} ms, < {TARGET_KIB:.0f} KiB per citizen, < {TARGET_JOIN_CPU_MS:.0f} ms "
        "service CPU per join): " + (f"missed {', '.join(missed)}" if missed else "all met")
    )
    say(res.final_line(opts.n))
    if res.errors:
        return 1
    return 3 if missed and opts.fail_on_miss else 0


if __name__ == "__main__":
    raise SystemExit(main())
