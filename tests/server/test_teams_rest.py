"""Teams over REST: the teams with their states, a day reassigned (the update mail arrives at a
real SMTP server), members changed by a lead, and per-team figures for leads only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from advisor_app.client.service_client import ServiceClient, ServiceError
from advisor_app.core.statistics_periods import PeriodKind
from tests.helpers.fixtures import MakeService
from tests.helpers.service import MONDAY_11, Service
from tests.helpers.smtp import SmtpServer, parts
from tests.helpers.teams import advisor_id, make_team, team_console
from tests.helpers.waiting_room import MORNING, recv_type

pytestmark = [pytest.mark.service, pytest.mark.integration]


def _client(service: Service, token: str) -> ServiceClient:
    return ServiceClient(str(service.client.make_url("")), token=token)


async def test_a_day_is_reassigned_and_each_citizen_is_mailed_the_new_contact(
    make_service: MakeService,
) -> None:
    with SmtpServer() as smtp:
        service = await make_service(
            smtp={"host": "127.0.0.1", "port": smtp.port, "security": "none"}
        )
        token = await service.signed_in()
        await service.add_advisor("kollege", "Herr Kollege")
        await make_team(service, "Team Nord", "berater", "kollege")
        first = await service.create(token, name="Erika Mustermann")
        second = await service.create(
            token,
            name="Ali Yılmaz",
            email="ali@example.org",
            starts_at=(MONDAY_11 + timedelta(hours=2)).isoformat(),
        )
        tuesday = await service.create(
            token, name="Max Morgen", starts_at=(MONDAY_11 + timedelta(days=1)).isoformat()
        )
        await service.drain()
        invitations = len(smtp.inbox.messages)
        service.clock.set(MORNING)
        mine = await service.token_for("berater")
        theirs = await service.token_for("kollege")
        colleague = await team_console(service, theirs)
        to = await advisor_id(service, "kollege")

        client = _client(service, mine)
        try:
            result = await client.reassign_day(
                MONDAY_11.date(), await advisor_id(service, "berater"), to
            )
        finally:
            await client.close()
        assert sorted(result.moved) == sorted([first["id"], second["id"]])
        await recv_type(colleague, "appointments_changed")
        await service.drain()

        mails = smtp.inbox.messages[invitations:]
        assert sorted(str(m["To"]) for m in mails) == [
            "Ali Yılmaz <ali@example.org>",
            "Erika Mustermann <erika@example.org>",
        ]
        for msg, appt in (
            (smtp.inbox.to("erika@")[-1], first),
            (smtp.inbox.to("ali@")[-1], second),
        ):
            assert (
                str(msg["Subject"]).strip().startswith("Neue Ansprechperson für Ihren Videotermin")
            )
            text = parts(msg)["text/plain"].get_content()
            assert "Sie werden von Herr Kollege beraten." in text
            citizen = appt["participants"][0]
            assert citizen["link"] in text  # the same link and code
            code = citizen["dial_code"]
            assert f"{code[:3]} {code[3:6]} {code[6:]}" in text

        status, day = await service.call("GET", "/api/appointments?day=2026-11-23", theirs)
        assert status == 200
        assert {a["id"] for a in day["appointments"]} == {first["id"], second["id"]}
        for appt in day["appointments"]:
            [event] = appt["history"]
            assert (event["kind"], event["from_name"], event["to_name"]) == (
                "reassigned",
                "Frau Beispiel",
                "Herr Kollege",
            )
        assert (await service.get(mine, tuesday["id"]))["advisor_name"] == "Frau Beispiel"
        await colleague.close()


async def test_teams_show_states_and_only_a_lead_changes_members_or_sees_team_figures(
    service: Service, token: str
) -> None:
    await service.add_advisor("kollege", "Herr Kollege")
    await service.add_advisor("neu", "Frau Neu")
    north = await make_team(service, "Team Nord", "berater", "kollege", leads=("berater",))
    appt = await service.create(token, name="Erika Mustermann")
    theirs = await service.token_for("kollege")
    console = await team_console(service, token)
    lead, member = _client(service, token), _client(service, theirs)
    try:
        [team] = (await member.teams()).teams
        assert (team.id, team.name, team.lead) == (north, "Team Nord", False)
        states = {m.display_name: (m.state, m.lead) for m in team.members}
        assert states == {"Frau Beispiel": ("free", True), "Herr Kollege": ("absent", False)}

        with pytest.raises(ServiceError) as refused:
            await member.add_team_member(north, "neu")
        assert (refused.value.status, refused.value.code) == (403, "forbidden")
        with pytest.raises(ServiceError) as refused:
            await member.statistics(PeriodKind.WEEK, 4, team=north)
        assert (refused.value.status, refused.value.code) == (403, "forbidden")
        figures = await lead.statistics(PeriodKind.WEEK, 4, team=north)
        assert len(figures.periods) == 4

        added = await lead.add_team_member(north, "neu")
        assert {m.display_name for m in added.members} == {
            "Frau Beispiel",
            "Herr Kollege",
            "Frau Neu",
        }
        # The lead takes the lead's own appointment's advisor out: nothing moves, it is listed.
        me = await advisor_id(service, "berater")
        await lead.add_team_member(north, "kollege", lead=True)
        removed = await member.remove_team_member(north, me)
        assert [a.id for a in removed.open_appointments] == [appt["id"]]
        assert (await lead.get_appointment(appt["id"])).advisor_name == "Frau Beispiel"
        assert (await lead.teams()).teams == []
    finally:
        await lead.close()
        await member.close()
        await console.close()
