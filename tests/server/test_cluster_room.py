"""The waiting room over several instances: two instances of the production app share one
database and a real ``redis-server`` (``service.redis_url``); the citizen's socket and the
advisor's socket sit on different instances, as behind a balancer without stickiness.

One instance holds the lease and runs the deployment's hub; every call of the other reaches it
through Redis. What a citizen and an advisor see must be what they see on one instance:
arrival, note, admission, the call's signaling, hang-up and survey; a reconnect that lands on
the other instance keeps the place; two admissions at once admit once; the hub's instance
stopping, and Redis restarting (without persistence), lose no one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import ClientWebSocketResponse, WSMsgType

from advisor_app.core.clock import ManualClock
from advisor_app.server.cluster import LEADER_KEY, LEASE_MS, redis_client
from advisor_app.server.link_cache import LINKS
from advisor_app.server.survey import SURVEY_PATH
from advisor_app.server.waiting_room_sockets import CLUSTER
from tests.helpers.fixtures import MakeService
from tests.helpers.redis import RedisServer
from tests.helpers.service import T0, Service
from tests.helpers.waiting_room import (
    ROOM_OPEN,
    advisor_socket,
    citizen_socket,
    consent,
    link_token,
    monday_morning,
    recv,
    recv_type,
)

pytestmark = pytest.mark.service


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


@dataclass
class Pair:
    hub: Service  # the instance that holds the lease
    other: Service
    clock: ManualClock


async def until(check: Callable[[], Awaitable[bool]] | Callable[[], bool], what: str) -> None:
    """Wait for a state (the lease, a subscription), never for a fixed time."""
    async with asyncio.timeout(30):
        while True:
            result = check()
            if not isinstance(result, bool):
                result = await result
            if result:
                return
            await asyncio.sleep(0.02)
    raise AssertionError(what)


@pytest.fixture
async def pair(redis_server: RedisServer, make_service: MakeService) -> Pair:
    clock = ManualClock(T0)
    shared = {"service": {"redis_url": redis_server.url, "socket_rate_limit": "600/minute"}}
    first = await make_service(clock=clock, **shared)
    await until(lambda: first.app[CLUSTER].leading, "the first instance never led")
    second = await make_service(clock=clock, **shared)
    await until(lambda: second.app[CLUSTER].client.available, "no subscription")
    await first.add_advisor("berater")
    return Pair(first, second, clock)


async def scheduled(pair: Pair) -> tuple[str, str]:
    """An appointment (made on the hub's instance), consent given on the other; the room
    is open. Returns the advisor's token and the citizen's link."""
    token = await pair.hub.token_for("berater")
    appt = await pair.hub.create(token)
    link = link_token(appt)
    await consent(pair.other, link)
    token = await monday_morning(pair.hub)
    pair.clock.set(ROOM_OPEN)
    return token, link


async def waiting_on(service: Service, link: str) -> ClientWebSocketResponse:
    citizen = await citizen_socket(service, link, "lobby")
    await citizen.send_json({"type": "enter"})
    assert (await recv(citizen))["phase"] == "waiting"
    return citizen


async def test_a_consultation_with_citizen_and_advisor_on_different_instances(
    pair: Pair,
) -> None:
    token, link = await scheduled(pair)
    advisor = await advisor_socket(pair.hub, token)  # the console on the hub's instance
    citizen = await waiting_on(pair.other, link)  # the citizen on the other
    arrived = await recv(advisor)
    assert arrived["type"] == "arrived"
    pid = arrived["entry"]["participant_id"]
    assert arrived["entry"]["name"] == "Erika Mustermann"

    await advisor.send_json({"type": "note", "participant_id": pid, "text": "Noch 2 Minuten"})
    assert (await recv_type(citizen, "note"))["text"] == "Noch 2 Minuten"

    await advisor.send_json({"type": "admit", "participant_id": pid})
    assert (await recv_type(citizen, "state"))["phase"] == "admitted"
    assert (await recv_type(advisor, "departed"))["reason"] == "admitted"

    offer = {"kind": "offer", "sdp": "v=0 offer", "negotiation": 1}
    await advisor.send_json({"type": "signal", "participant_id": pid, "payload": offer})
    assert (await recv_type(citizen, "signal"))["payload"]["sdp"] == "v=0 offer"
    answer = {"kind": "answer", "sdp": "v=0 answer", "negotiation": 1}
    await citizen.send_json({"type": "signal", "payload": answer})
    relayed = await recv_type(advisor, "signal")
    assert (relayed["participant_id"], relayed["payload"]["sdp"]) == (pid, "v=0 answer")

    await citizen.send_json({"type": "hangup"})
    assert (await recv_type(citizen, "state"))["phase"] == "ended"
    survey = await recv_type(citizen, "survey")
    ended = await recv_type(advisor, "call_ended")
    assert (ended["participant_id"], ended["by"]) == (pid, "participant")
    answers = {"ticket": survey["ticket"], "satisfaction": 5, "av_quality": 4}
    status, body = await pair.hub.call("POST", SURVEY_PATH, json=answers)
    assert status == 200, body


async def test_a_reconnect_on_the_other_instance_keeps_the_place(pair: Pair) -> None:
    token, link = await scheduled(pair)
    advisor = await advisor_socket(pair.other, token)  # now the console is on the other one
    citizen = await waiting_on(pair.hub, link)
    pid = (await recv_type(advisor, "arrived"))["entry"]["participant_id"]
    await citizen.close()
    offline = await recv_type(advisor, "changed")
    assert offline["entry"]["online"] is False

    again = await citizen_socket(pair.other, link, "waiting")  # no new consent, no "enter"
    online = await recv_type(advisor, "changed")
    assert (online["entry"]["participant_id"], online["entry"]["online"]) == (pid, True)
    await advisor.send_json({"type": "admit", "participant_id": pid})
    assert (await recv_type(again, "state"))["phase"] == "admitted"


async def test_a_consent_given_on_one_instance_reaches_the_others_kept_link(pair: Pair) -> None:
    """The page was read on the hub's instance (kept there without a consent); consent and
    device check go to the other. The hub's instance forgets the kept link when told, and
    takes the socket with the device check the advisor then sees."""
    token = await pair.hub.token_for("berater")
    link = link_token(await pair.hub.create(token))
    assert (await pair.hub.call("GET", f"/api/citizen/{link}"))[0] == 200
    links = pair.hub.app[LINKS]
    kept = links.get(link)
    assert kept is not None and kept.consent_version is None
    await consent(pair.other, link)
    check = {"browser": "Firefox 140", "os": "Linux", "device_type": "desktop", "verdict": "green"}
    status, _ = await pair.other.call("POST", f"/api/citizen/{link}/device-check", json=check)
    assert status == 201
    await until(lambda: links.get(link) is None, "the hub's instance kept the old link")

    token = await monday_morning(pair.hub)
    pair.clock.set(ROOM_OPEN)
    advisor = await advisor_socket(pair.other, token)
    await waiting_on(pair.hub, link)
    arrived = await recv_type(advisor, "arrived")
    assert arrived["entry"]["device_check"]["browser"] == "Firefox 140"


async def test_two_admissions_at_once_admit_once(pair: Pair) -> None:
    token, link = await scheduled(pair)
    one = await advisor_socket(pair.hub, token)  # the advisor's two consoles,
    two = await advisor_socket(pair.other, token)  # one on each instance
    citizen = await waiting_on(pair.other, link)
    pid = (await recv_type(one, "arrived"))["entry"]["participant_id"]
    await recv_type(two, "arrived")

    admit = {"type": "admit", "participant_id": pid}
    await asyncio.gather(one.send_json(admit), two.send_json(admit))
    frames = [await recv(one, timeout=20), await recv(two, timeout=20)]
    third = {asyncio.ensure_future(recv(c, timeout=20)) for c in (one, two)}
    done, pending = await asyncio.wait(third, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    frames += [task.result() for task in done]
    errors = [f["error"] for f in frames if f["type"] == "error"]
    departed = [f["reason"] for f in frames if f["type"] == "departed"]
    # One console won; the other was told. Twice admitted would be four "departed", no error.
    assert errors == ["already_admitted"], frames
    assert departed == ["admitted", "admitted"], frames
    assert (await recv_type(citizen, "state"))["phase"] == "admitted"
    await citizen.send_json({"type": "ping", "seq": 1})
    assert (await recv(citizen))["type"] == "pong"  # no second "admitted" came before it


async def frames_until(ws: ClientWebSocketResponse, kind: str) -> dict[str, Any]:
    for _ in range(20):
        frame = await recv(ws, timeout=20)
        if frame["type"] == kind:
            return frame
    raise AssertionError(f"no {kind}")


async def test_the_hub_instance_stopping_hands_the_room_to_the_other(pair: Pair) -> None:
    token, link = await scheduled(pair)
    advisor = await advisor_socket(pair.other, token)
    citizen = await waiting_on(pair.other, link)
    pid = (await recv_type(advisor, "arrived"))["entry"]["participant_id"]

    await pair.hub.client.close()  # SIGTERM of the hub's instance: state written, lease given up
    await until(lambda: pair.other.app[CLUSTER].leading, "the other instance never took over")
    snapshot = await frames_until(advisor, "waiting")  # the new hub tells the console again
    assert [e["participant_id"] for e in snapshot["entries"]] == [pid]
    await advisor.send_json({"type": "admit", "participant_id": pid})
    # The page is not told "waiting" again by the new hub (its instance holds the replay
    # back): the next state it hears is the admission.
    assert (await frames_until(citizen, "state"))["phase"] == "admitted"


async def test_a_hub_held_up_for_longer_than_its_lease_keeps_it(
    pair: Pair, redis_server: RedisServer
) -> None:
    """A busy hub's event loop does not turn for seconds: its lease is kept (renewed from a
    thread), nobody takes over, and what the citizen asks meanwhile is done once it turns."""
    token, link = await scheduled(pair)
    advisor = await advisor_socket(pair.other, token)
    citizen = await citizen_socket(pair.other, link, "lobby")
    redis = redis_client(redis_server.url)
    lease = await redis.get(LEADER_KEY)
    await citizen.send_json({"type": "enter"})
    # The event loop held up (both instances here: they share it), on purpose.
    time.sleep(LEASE_MS / 1000 + 1.0)  # noqa: ASYNC251
    assert (await recv(citizen))["phase"] == "waiting"
    assert (await recv_type(advisor, "arrived"))["entry"]["name"] == "Erika Mustermann"
    assert await redis.get(LEADER_KEY) == lease  # nobody took the lease over
    assert pair.hub.app[CLUSTER].leading
    await redis.aclose()


async def test_a_hub_held_up_past_its_lease_acts_on_nothing(
    pair: Pair, redis_server: RedisServer
) -> None:
    """The hub's instance stops renewing (its event loop held up longer than the lease) and
    the other instance takes the lease. The old hub must not act on what comes next: two
    hubs would both admit the citizen."""
    token, link = await scheduled(pair)
    advisor = await advisor_socket(pair.other, token)
    citizen = await waiting_on(pair.other, link)
    pid = (await recv_type(advisor, "arrived"))["entry"]["participant_id"]

    old = pair.hub.app[CLUSTER]
    # As if held up for good: its lease loop neither renews nor steps down, and its keeper
    # thread has stopped renewing (it does once the loop stood still for LOOP_STALL_S).
    old._tasks[2].cancel()
    assert old.keeper is not None and old._lease is not None
    await asyncio.to_thread(old.keeper.stop)
    old._lease.renewed -= 10.0
    redis = redis_client(redis_server.url)
    await redis.delete(LEADER_KEY)  # the lease ran out
    await until(lambda: pair.other.app[CLUSTER].leading, "the other instance never took over")
    await frames_until(advisor, "waiting")  # the new hub knows the console
    await advisor.send_json({"type": "admit", "participant_id": pid})
    assert (await frames_until(citizen, "state"))["phase"] == "admitted"
    assert (await recv_type(advisor, "departed"))["reason"] == "admitted"
    await citizen.send_json({"type": "ping", "seq": 1})
    assert (await recv(citizen))["type"] == "pong"  # no second "admitted" came before it
    await advisor.send_json({"type": "ping", "seq": 2})
    assert (await recv(advisor))["type"] == "pong"  # no second "departed" either
    assert old.host is not None and old.host._stopped  # it noticed, and stopped reading
    await redis.aclose()


@pytest.mark.logged_errors
async def test_redis_restarting_refuses_new_sockets_and_keeps_the_waiting(
    pair: Pair, redis_server: RedisServer
) -> None:
    token, link = await scheduled(pair)
    advisor = await advisor_socket(pair.hub, token)
    citizen = await waiting_on(pair.other, link)
    pid = (await recv_type(advisor, "arrived"))["entry"]["participant_id"]

    redis_server.stop()  # nothing was saved: the shared state is gone with it
    await until(lambda: not pair.other.app[CLUSTER].client.available, "Redis away went unnoticed")
    refused = await pair.other.client.ws_connect("/ws/citizen")
    await refused.send_json({"type": "hello", "token": link})
    frame = await refused.receive(timeout=10)
    if frame.type is WSMsgType.TEXT:  # the words first, then the close
        error = frame.json()
        assert (error["error"], error["details"]["reason"]) == (
            "shared_state_unavailable",
            "room",
        )
        assert "Wartezimmer" in error["message"]
        frame = await refused.receive(timeout=10)
    assert frame.type is WSMsgType.CLOSE and refused.close_code == 1013
    status, ready = await pair.other.call("GET", "/readyz")
    assert (status, ready["reason"]) == (503, "shared_state_unavailable")

    redis_server.start()
    await until(lambda: pair.other.app[CLUSTER].client.available, "no reconnect to Redis")
    await until(
        lambda: pair.hub.app[CLUSTER].leading or pair.other.app[CLUSTER].leading,
        "nobody took the lease again",
    )
    snapshot = await frames_until(advisor, "waiting")
    while [e["participant_id"] for e in snapshot["entries"]] != [pid]:
        snapshot = await frames_until(advisor, "waiting")  # until the citizen is attached too
    await advisor.send_json({"type": "admit", "participant_id": pid})
    assert (await frames_until(citizen, "state"))["phase"] == "admitted"  # nothing replayed
