"""Teams for service tests: advisors put into teams straight in the service's database."""

from __future__ import annotations

from typing import Any

from aiohttp import ClientWebSocketResponse

from advisor_app.server import keys
from advisor_app.storage.repositories import AdvisorRepo
from advisor_app.storage.teams import TeamRepo
from tests.helpers.service import Service
from tests.helpers.waiting_room import recv


async def make_team(service: Service, name: str, *members: str, leads: tuple[str, ...] = ()) -> int:
    """A team of existing advisors (by username); returns its id."""
    async with service.app[keys.SESSIONS]() as session:
        repo = TeamRepo(session)
        team = await repo.add(name, service.clock.now())
        for username in members:
            advisor = await AdvisorRepo(session).by_username(username)
            assert advisor is not None
            await repo.set_member(team, advisor, lead=username in leads)
        await session.commit()
        return team.id


async def advisor_id(service: Service, username: str) -> int:
    async with service.app[keys.SESSIONS]() as session:
        advisor = await AdvisorRepo(session).by_username(username)
        assert advisor is not None
        return advisor.id


async def team_console(service: Service, token: str) -> ClientWebSocketResponse:
    """A console of an advisor in a team: the waiting snapshot, then the team's."""
    ws = await service.client.ws_connect("/ws/advisor")
    await ws.send_json({"type": "hello", "token": token})
    assert (await recv(ws))["type"] == "waiting"
    assert (await recv(ws))["type"] == "team_waiting"
    return ws


async def next_team_view(ws: ClientWebSocketResponse, **expected: Any) -> list[dict[str, Any]]:
    """The entries of the next team_waiting whose first entry has the ``expected`` values
    (with no ``expected``: the next one)."""
    for _ in range(10):
        frame = await recv(ws)
        if frame["type"] != "team_waiting":
            continue
        entries: list[dict[str, Any]] = frame["entries"]
        if not expected or (entries and expected.items() <= entries[0].items()):
            return entries
    raise AssertionError(f"no team_waiting with {expected}")
