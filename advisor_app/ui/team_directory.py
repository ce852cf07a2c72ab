"""The signed-in advisor's teams as the pages need them: colleagues, the teams they lead.

One :class:`TeamDirectory` per console loads ``GET /api/me`` and ``GET /api/teams`` through the
task runner and says ``changed`` when it knows more; the waiting room (handover), the schedule
(substitution), the statistics (team figures) and the membership dialog read it. An advisor
without a team gets an empty list: a team of one, today's console.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from advisor_app.client.service_client import ServiceClient
from advisor_app.console.team_room import colleagues
from advisor_app.core.protocol import AdvisorOut, TeamList, TeamMemberOut, TeamOut
from advisor_app.ui.tasks import Failure, TaskRunner


class TeamDirectory(QObject):
    """Who shares a team with the signed-in advisor (loaded on ``refresh()``)."""

    #: The teams (or who is signed in) are known anew.
    changed = Signal()

    def __init__(
        self, client: ServiceClient, runner: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._runner = runner
        self.teams = TeamList(teams=[])
        self.me: AdvisorOut | None = None
        #: Why the last load failed (None: it did not).
        self.failure: Failure | None = None

    @property
    def client(self) -> ServiceClient:
        return self._client

    @property
    def runner(self) -> TaskRunner:
        return self._runner

    def refresh(self) -> None:
        """Load who is signed in (once) and the teams with each member's state."""
        if self.me is None:
            self._runner.run(
                "team-directory-me",
                self._client.me(),
                on_done=self._on_me,
                on_error=self._on_failed,
                owner=self,
            )
        self._runner.run(
            "team-directory",
            self._client.teams(),
            on_done=self._on_teams,
            on_error=self._on_failed,
            owner=self,
        )

    def colleagues(self) -> list[TeamMemberOut]:
        """Everybody who shares a team with the signed-in advisor, each once, by name."""
        return colleagues(self.teams, self.me.id if self.me is not None else 0)

    def led(self) -> list[TeamOut]:
        """The teams the signed-in advisor leads."""
        return [t for t in self.teams.teams if t.lead]

    def team(self, team_id: int) -> TeamOut | None:
        return next((t for t in self.teams.teams if t.id == team_id), None)

    def _on_me(self, me: AdvisorOut) -> None:
        self.me = me
        self.changed.emit()

    def _on_teams(self, teams: TeamList) -> None:
        self.teams = teams
        self.failure = None
        self.changed.emit()

    def _on_failed(self, failure: Failure) -> None:
        self.failure = failure
        self.changed.emit()
