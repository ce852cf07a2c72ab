"""Scale-out benchmark: three service instances share one waiting room over Redis and PostgreSQL.

``python -m benchmarks.scale`` (``make bench-scale``) starts a real ``redis-server`` and a real
PostgreSQL 15 (Debian's packages, in temporary folders; as user ``postgres`` when run as root),
makes advisor accounts (``advisor-console admin add``) and one appointment per citizen in that
database, and runs three ``advisor-console serve`` instances with ``redis_url`` and
``database_url`` set. One of them holds the lease and runs the deployment's hub; the others
forward to it over Redis.

Citizen ``i`` uses instance ``i % 3``, its advisor's console sits on the next instance, so every
arrival, note and admission crosses instances (and the hub's instance, if it is a third one).
The citizens are ``--procs`` worker processes (:mod:`benchmarks.citizens`); the advisors are
this process (:mod:`benchmarks.advisors`). With all ``--n`` citizens waiting it measures, as
``benchmarks.waiting_room`` does: arrival latency (enter until the advisor's "arrived"),
admission latency (admit until the citizen's "admitted") and the three services' CPU per join.

Then one instance is killed with SIGKILL (one that does not hold the lease, or the lease holder
with ``--kill-leader``). Its citizens' pages and its advisors' consoles reconnect at once to
another instance (as the proxy would send them) and say hello again: no new consent, no new
"enter". ``failover_s`` is the time from the kill until every citizen of the killed instance is
back in its phase ("waiting", or "admitted" for the ones in a call) on another instance. A
sample of them is then admitted by their advisors (whose consoles may have moved too).

``lost`` counts citizens who did not get their place back and arrivals or admissions never seen;
``duplicate_admissions`` counts citizens who received "admitted" more than once on one socket
before the kill, and advisors told "departed: admitted" twice for one citizen. The last line is
``scale: instances=3 n=… arrival_p99_ms=… admit_p99_ms=… join_cpu_ms=… failover_s=… lost=…
duplicate_admissions=…``; any error makes the exit status 1. Linux only.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import os
import platform
import random
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks.advisors import Desk
from benchmarks.citizens import Workers, raise_open_file_limit
from benchmarks.service import (
    Service,
    add_advisors,
    isolated_env,
    load_average,
    proc_cpu_s,
    schedule_appointments,
)
from benchmarks.waiting_room import (
    PHASE_TIMEOUT_S,
    WARMUP,
    admit_phase,
    enter_phase,
    latencies,
    percentile,
    say,
    summary_ms,
    warm_up,
)

INSTANCES = 3
TARGET_MS = 100.0
TARGET_JOIN_CPU_MS = 4.0
TARGET_FAILOVER_S = 10.0
#: How long the killed instance's citizens may take to get their place back before they count
#: as lost (the service keeps a place for its reconnect grace, 30 s by default).
RECONNECT_DEADLINE_S = 30.0
LEADER_KEY = "ac:hub:leader"  # advisor_app.server.cluster.LEADER_KEY, read, not imported


@dataclass(frozen=True)
class Options:
    n: int
    procs: int
    advisors: int
    enter_rate: float
    sample: int
    sample_rate: float
    concurrency: int
    kill_leader: bool
    seed: int
    keep: bool
    fail_on_miss: bool


def parse_args(argv: Sequence[str] | None) -> Options:
    p = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__)
    p.add_argument("--n", type=int, default=6000, help="waiting citizens (default 6000)")
    p.add_argument("--procs", type=int, default=4, help="citizen processes (default 4)")
    p.add_argument(
        "--advisors", type=int, default=21, help="advisors, a multiple of 3 (default 21)"
    )
    p.add_argument("--enter-rate", type=float, default=200.0, help="paced entries per second")
    p.add_argument("--sample", type=int, default=200, help="re-entries and admissions measured")
    p.add_argument("--sample-rate", type=float, default=40.0, help="sampled actions per second")
    p.add_argument("--concurrency", type=int, default=16, help="joins in flight per process")
    p.add_argument(
        "--kill-leader", action="store_true", help="kill the lease holder (default: another)"
    )
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--keep", action="store_true", help="keep the data folder and service logs")
    p.add_argument("--fail-on-miss", action="store_true", help="exit 3 when a target is missed")
    a = p.parse_args(argv)
    if a.n < INSTANCES or a.procs < 1 or a.sample < 1:
        p.error("--n must be at least 3, --procs and --sample positive")
    if a.advisors < INSTANCES or a.advisors % INSTANCES:
        p.error("--advisors must be a multiple of 3 (then every event crosses instances)")
    return Options(
        n=a.n,
        procs=min(a.procs, a.n),
        advisors=a.advisors,
        enter_rate=a.enter_rate,
        sample=min(a.sample, a.n // INSTANCES),
        sample_rate=a.sample_rate,
        concurrency=a.concurrency,
        kill_leader=a.kill_leader,
        seed=a.seed,
        keep=a.keep,
        fail_on_miss=a.fail_on_miss,
    )


@dataclass
class Results:
    """What the run measured, filled in as it goes (a failed run keeps what it got)."""

    errors: list[str] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)
    admits: list[float] = field(default_factory=list)
    join_cpu_ms: float | None = None
    failover_s: float | None = None
    lost: int = 0
    duplicate_admissions: int = 0

    def figures(self) -> dict[str, float]:
        nan = math.nan
        return {
            "arrival_p99_ms": percentile(self.arrivals, 99) * 1000 if self.arrivals else nan,
            "admit_p99_ms": percentile(self.admits, 99) * 1000 if self.admits else nan,
            "join_cpu_ms": self.join_cpu_ms if self.join_cpu_ms is not None else nan,
            "failover_s": self.failover_s if self.failover_s is not None else nan,
        }

    def final_line(self, n: int) -> str:
        f = self.figures()
        return (
            f"scale: instances={INSTANCES} n={n} arrival_p99_ms={f['arrival_p99_ms']:.1f} "
            f"admit_p99_ms={f['admit_p99_ms']:.1f} join_cpu_ms={f['join_cpu_ms']:.2f} "
            f"failover_s={f['failover_s']:.1f} lost={self.lost} "
            f"duplicate_admissions={self.duplicate_admissions}"
        )

    def missed(self) -> list[str]:
        limits = {
            "arrival_p99_ms": TARGET_MS,
            "admit_p99_ms": TARGET_MS,
            "join_cpu_ms": TARGET_JOIN_CPU_MS,
            "failover_s": TARGET_FAILOVER_S,
        }
        missed = [k for k, v in self.figures().items() if not v < limits[k]]
        if self.lost:
            missed.append("lost")
        if self.duplicate_admissions:
            missed.append("duplicate_admissions")
        return missed


@dataclass
class Deployment:
    """The shared parts and the three instances (their ``serve`` processes)."""

    services: list[Service]
    urls: list[str]
    redis_url: str
    redis_pid: int
    pg_pid: int

    def cpu_s(self, alive_only: bool = False) -> float:
        return sum(s.cpu_s() for s in self.services if not alive_only or s.proc.poll() is None)

    async def leader(self) -> int | None:
        """The instance holding the lease (its value names the process id), if any."""
        import redis.asyncio as aioredis  # the service's dependency; only this process needs it

        client = aioredis.from_url(self.redis_url, decode_responses=True)
        try:
            lease = await client.get(LEADER_KEY)
        finally:
            await client.aclose()
        if not lease:
            return None
        pid = int(str(lease).split("/")[0].rsplit("-", 2)[1])
        for k, service in enumerate(self.services):
            if service.pid == pid:
                return k
        return None


def tree_cpu_s(root_pid: int) -> float:
    """CPU seconds of a process and its children (PostgreSQL: the postmaster's backends)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            pid = int(stat.parent.name)
            if pid == root_pid or int(fields[1]) == root_pid:
                total += proc_cpu_s(pid)
        except (OSError, ValueError, IndexError):
            continue  # a process that ended meanwhile
    return total


def infra_cpu_s(dep: Deployment) -> float:
    return tree_cpu_s(dep.redis_pid) + tree_cpu_s(dep.pg_pid)


async def failover(
    opts: Options,
    dep: Deployment,
    workers: Workers,
    desk: Desk,
    http: aiohttp.ClientSession,
    instance_of: dict[int, int],
    advisor_of: dict[int, int],
    usernames: list[str],
    res: Results,
) -> None:
    """SIGKILL one instance; its citizens and consoles reconnect to the others; then a sample
    of its citizens is admitted."""
    leader = await dep.leader()
    if leader is None:
        res.errors.append("failover: no instance holds the lease")
        return
    victim = leader if opts.kill_leader else (leader + 1) % INSTANCES
    others = [k for k in range(INSTANCES) if k != victim]
    moved = sorted(p for p, k in instance_of.items() if k == victim)
    moves = {pid: dep.urls[others[j % 2]] for j, pid in enumerate(moved)}
    consoles = [a for a in range(opts.advisors) if (a + 1) % INSTANCES == victim]
    # A moved console stays on an instance other than its citizens' (a % 3).
    console_to = (victim + 1) % INSTANCES

    for conn, part in zip(workers.conns, workers.split([(p, 0.0) for p in moved]), strict=True):
        conn.send(("arm", {pid: moves[pid] for pid, _ in part}))
    phases: dict[int, str] = {}
    for armed in await workers.recv_all("armed"):
        phases.update(armed["phases"])
        res.duplicate_admissions += len(armed["admitted_twice"])
        for pid in armed["admitted_twice"]:
            res.errors.append(f"citizen {pid}: 'admitted' more than once on one socket")
    desk.dropping = set(consoles)
    desk.phase = "failover"
    in_call = [p for p in moved if phases.get(p) == "admitted"]
    deadline = time.monotonic() + RECONNECT_DEADLINE_S
    for conn, part in zip(workers.conns, workers.split([(p, 0.0) for p in moved]), strict=True):
        conn.send(("reconnect", [p for p, _ in part], phases, deadline))
    await asyncio.sleep(0.5)  # the workers have taken the command up

    cpu_before = dep.cpu_s()
    killed_at = time.monotonic()
    os.kill(dep.services[victim].pid, signal.SIGKILL)
    say(
        f"failover: SIGKILL instance {victim} (lease on instance {leader}): {len(moved)} "
        f"citizens ({len(in_call)} admitted) and "
        f"{len(consoles)} consoles reconnect to instances {others}"
    )

    async def console_back(a: int) -> float | None:
        last = "no socket drop seen"
        await desk.wait_for(desk.dropped, [a], deadline - time.monotonic())
        while time.monotonic() < deadline:
            try:
                await desk.reconnect(http, a, usernames[a], dep.urls[console_to])
                return time.monotonic()
            except Exception as exc:  # retried like the console; the last one is reported
                last = f"{type(exc).__name__}: {exc}"
                await asyncio.sleep(0.2)
        res.errors.append(f"failover: console {usernames[a]} never came back ({last})")
        return None

    consoles_back = await asyncio.gather(*(console_back(a) for a in consoles))
    desk.dropping = set()
    back: dict[int, float] = {}
    lost: dict[int, str] = {}
    refusals = retried = 0
    for reply in await workers.recv_all("reconnected"):
        back.update(reply["back"])
        lost.update(reply["lost"])
        refusals += reply["refusals"]
        retried += reply["retried"]
    if lost:
        res.lost += len(lost)
        first = next(iter(lost.items()))
        res.errors.append(f"failover: {len(lost)} citizens lost their place (e.g. {first})")
    if back and not lost:
        res.failover_s = max(back.values()) - killed_at
    waiting_back = [t - killed_at for p, t in back.items() if p not in in_call]
    call_back = [t - killed_at for p, t in back.items() if p in in_call]
    consoles_s = [t - killed_at for t in consoles_back if t is not None]
    new_leader = await dep.leader()
    say(
        f"failover: {len(back)}/{len(moved)} citizens back in their place; waiting: "
        f"{summary_ms(waiting_back)} after the kill; admitted: {summary_ms(call_back)}; "
        f"consoles: {summary_ms(consoles_s)}; lease now on instance {new_leader}; services' "
        f"CPU {dep.cpu_s() - cpu_before:.1f} s"
    )
    say(
        f"  citizens that needed more than one attempt: {retried}; 'try again later' "
        f"refusals: {refusals} (the page reconnects after 0.5, 1, 2, 4, 8 s, ±25 %)"
    )
    say(f"  advisors' events while reconnecting: {dict(sorted(desk.failover_events.items()))}")

    # Life goes on: some of the moved citizens are admitted by their advisors.
    desk.phase = "after"
    waiting = [p for p in back if p not in in_call]
    rng = random.Random(opts.seed + 1)
    sample = rng.sample(waiting, min(len(waiting), max(1, opts.sample // 4)))
    before = len(desk.errors)
    admits = await admit_phase(sample, opts.sample_rate, advisor_of, desk, workers)
    res.lost += len(sample) - len(admits)
    say(f"admissions after the failover (moved citizens): {summary_ms(latencies(admits))}")
    if len(desk.errors) > before:
        say(f"  {len(desk.errors) - before} errors")


async def measure(
    opts: Options,
    dep: Deployment,
    workers: Workers,
    desk: Desk,
    pids: list[int],
    advisor_of: dict[int, int],
    cpu_base: tuple[float, float],
) -> Results:
    res = Results(errors=desk.errors)
    rng = random.Random(opts.seed)
    joined = await workers.recv_all("joined")
    cpu_joined, infra_joined = dep.cpu_s(), infra_cpu_s(dep)
    durations = [d for j in joined for d in j["durations"]]
    seconds = max(j["seconds"] for j in joined)
    join_cpu = cpu_joined - cpu_base[0]
    res.join_cpu_ms = join_cpu / len(durations) * 1000 if durations else None
    res.lost += opts.n - len(durations)
    per_service = ", ".join(f"{s.cpu_s():.1f}" for s in dep.services)
    say(
        f"connect: {len(durations)}/{opts.n} citizens joined (page, consent, device check, "
        f"socket, hello) in {seconds:.1f} s ({len(durations) / seconds:.0f}/s); per citizen "
        f"{summary_ms(durations)}; services' CPU {join_cpu:.1f} s ({per_service} s in all "
        f"per instance), {(res.join_cpu_ms or math.nan):.2f} ms per join; Redis and "
        f"PostgreSQL {infra_joined - cpu_base[1]:.1f} s"
    )
    paced, _ = await enter_phase(
        "paced", rng.sample(pids, len(pids)), opts.enter_rate, False, desk, workers
    )
    res.lost += len(pids) - len(paced)
    say(
        f"arrivals across instances, all {opts.n} enter at {opts.enter_rate:.0f}/s: "
        f"{summary_ms(latencies(paced))}; services' CPU {dep.cpu_s() - cpu_joined:.1f} s"
    )
    again, _ = await enter_phase(
        "again", rng.sample(pids, opts.sample), opts.sample_rate, True, desk, workers
    )
    res.lost += opts.sample - len(again)
    say(f"arrivals, leave and re-enter while {opts.n} wait: {summary_ms(latencies(again))}")
    admitted = rng.sample(pids, opts.sample)
    admits = await admit_phase(admitted, opts.sample_rate, advisor_of, desk, workers)
    res.lost += opts.sample - len(admits)
    say(f"admissions across instances while {opts.n} wait: {summary_ms(latencies(admits))}")
    res.arrivals, res.admits = latencies(paced + again), latencies(admits)
    return res


async def run(opts: Options, root: Path, redis_url: str, redis_pid: int, pg: Any) -> Results:
    env = isolated_env(
        root,
        ADVISOR_SERVICE__SOCKET_RATE_LIMIT="100000/minute",
        ADVISOR_SERVICE__LOGIN_RATE_LIMIT="1000/minute",
        ADVISOR_SERVICE__MAX_CONNECTIONS_PER_ADDRESS=str(opts.n + 1000),
        ADVISOR_SERVICE__REDIS_URL=redis_url,
        ADVISOR_SERVICE__DATABASE_URL=pg.url,
    )
    data_dir = root / "data"  # shared by the instances, as their config and secrets are
    started = time.monotonic()
    usernames = add_advisors(data_dir, env, opts.advisors)
    invitees = await schedule_appointments(
        data_dir, usernames, WARMUP + opts.n, random.Random(opts.seed), pg.url
    )
    warm, invitees = invitees[:WARMUP], invitees[WARMUP:]
    say(
        f"setup: PostgreSQL and Redis, {opts.advisors} advisors (admin add), {opts.n} "
        f"appointments (storage layer) in {time.monotonic() - started:.1f} s"
    )
    services = [Service(data_dir, root / f"service-{k}.log", env) for k in range(INSTANCES)]
    desk = Desk(errors=[])
    res = Results(errors=desk.errors)
    workers: Workers | None = None
    killed: set[int] = set()
    try:
        urls = [s.wait_ready() for s in services]
        pg_pid = int((pg.data / "postmaster.pid").read_text().split()[0])
        dep = Deployment(services, urls, redis_url, redis_pid, pg_pid)
        for _ in range(100):  # the first instance takes the lease at its start
            if (leader := await dep.leader()) is not None:
                break
            await asyncio.sleep(0.1)
        listed = (
            f"{k}: pid {s.pid} {u}" for k, (s, u) in enumerate(zip(services, urls, strict=True))
        )
        say(f"instances: {', '.join(listed)}; lease on instance {leader}")
        # Citizen i (advisor i % advisors, a multiple of 3) on instance i % 3 = advisor % 3;
        # the advisor's console on the next instance.
        instance_of = {inv.pid: inv.advisor % INSTANCES for inv in invitees}
        advisor_of = {inv.pid: inv.advisor for inv in invitees}
        console_urls = [urls[(a + 1) % INSTANCES] for a in range(opts.advisors)]
        async with aiohttp.ClientSession() as http:
            await desk.open(http, urls[0], usernames, console_urls)
            await warm_up(urls[0], warm, desk, desk.errors)
            await asyncio.sleep(1.0)
            gc.collect()
            gc.freeze()
            base = dep.cpu_s(), infra_cpu_s(dep)
            workers = Workers.start(
                urls[0],
                [(inv.pid, inv.token) for inv in invitees],
                opts.procs,
                opts.concurrency,
                True,
                {pid: urls[k] for pid, k in instance_of.items()},
            )
            pids = [inv.pid for inv in invitees]
            res = await measure(opts, dep, workers, desk, pids, advisor_of, base)
            await failover(opts, dep, workers, desk, http, instance_of, advisor_of, usernames, res)
            killed = {k for k, s in enumerate(services) if s.proc.poll() is not None}
            res.duplicate_admissions += desk.admitted_twice
            for conn in workers.conns:
                conn.send(("check",))
            for checked in await workers.recv_all("checked"):
                res.duplicate_admissions += len(checked["admitted_twice"])
                for pid in checked["admitted_twice"]:
                    res.errors.append(f"citizen {pid}: 'admitted' more than once on one socket")
            desk.phase = "closing"
            for conn in workers.conns:
                conn.send(("close",))
            closed = await workers.recv_all("closed", within=PHASE_TIMEOUT_S * 2)
            for report in closed:
                res.errors.extend(report["errors"])
            await desk.close()
            say(
                f"clients: citizen processes used {sum(r['cpu_s'] for r in closed):.1f} s CPU; "
                f"advisors received {desk.events} events"
            )
    except Exception as exc:  # reported with whatever was measured until then
        res.errors.append(f"benchmark aborted: {type(exc).__name__}: {exc}")
    finally:
        if workers is not None:
            workers.stop()
        for k, service in enumerate(services):
            code = service.stop()
            if code != 0 and not (k in killed and code == -signal.SIGKILL):
                res.errors.append(f"instance {k} exited with status {code}")
            problems = service.log_lines(" ERROR ", " CRITICAL ", "Traceback")
            res.errors.extend(f"instance {k} log: {line}" for line in problems[:10])
            warnings = service.log_lines(" WARNING ")
            say(f"instance {k} log: {len(problems)} errors, {len(warnings)} warnings")
            for line in [*problems[:5], *warnings[:3]]:
                say(f"  {line}")
    return res


def main(argv: Sequence[str] | None = None) -> int:
    opts = parse_args(argv)
    limit = raise_open_file_limit()
    if limit < opts.n + 200:
        print(f"open-file limit {limit} is too low for {opts.n} citizens", file=sys.stderr)
        return 2
    # The test helpers start Debian's servers (as user postgres when this runs as root).
    from tests.helpers.postgres import PostgresServer
    from tests.helpers.redis import RedisServer

    say(
        f"machine: {os.cpu_count()} cores, load {load_average()}, "
        f"{platform.python_implementation()} {platform.python_version()}, aiohttp "
        f"{aiohttp.__version__}, open-file limit {limit}; {INSTANCES} instances, {opts.n} "
        f"citizens in {opts.procs} processes, {opts.advisors} advisors"
    )
    root = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    redis = RedisServer()
    try:
        with PostgresServer() as pg:
            assert redis._server is not None
            res = asyncio.run(run(opts, root, redis.url, redis._server.pid, pg))
    finally:
        redis.stop()
        if opts.keep:
            say(f"kept: {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    for error in res.errors[:50]:
        say(f"ERROR: {error}")
    missed = res.missed()
    say(
        f"load at the end {load_average()}; errors: {len(res.errors)}; targets (p99 < "
        f"{TARGET_MS:.0f} ms, < {TARGET_JOIN_CPU_MS:.0f} ms services' CPU per join, failover "
        f"< {TARGET_FAILOVER_S:.0f} s, nothing lost, no duplicate admission): "
        + (f"missed {', '.join(missed)}" if missed else "all met")
    )
    say(res.final_line(opts.n))
    if res.errors:
        return 1
    return 3 if missed and opts.fail_on_miss else 0


if __name__ == "__main__":
    raise SystemExit(main())
