"""Team membership for a team lead: who is in the team, add by sign-in name, remove.

Removing a member moves nothing: the service lists the removed advisor's open appointments,
and the dialog shows them, so the lead can give each one to a colleague (schedule page,
"Vertretung …").
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.core.domain import to_berlin
from advisor_app.core.protocol import MemberRemovedOut, TeamMemberOut, TeamOut
from advisor_app.ui.icons import dot_icon
from advisor_app.ui.labels import clock_text
from advisor_app.ui.tasks import Failure
from advisor_app.ui.team_directory import TeamDirectory
from advisor_app.ui.widgets.message_bar import MessageBar
from advisor_app.ui.widgets.team_list import STATE_COLOURS, state_label

ID_ROLE = Qt.ItemDataRole.UserRole


class TeamMembersDialog(QDialog):
    """The members of the teams the signed-in advisor leads."""

    def __init__(self, teams: TeamDirectory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._teams = teams
        self._setup_ui()
        teams.changed.connect(self._on_teams_changed)
        self._on_teams_changed()

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("Team verwalten"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        row = QHBoxLayout()
        team_label = QLabel(self.tr("&Team:"))
        self.team_box = QComboBox()
        self.team_box.setAccessibleName(self.tr("Team"))
        team_label.setBuddy(self.team_box)
        self.team_box.currentIndexChanged.connect(self._show_members)
        row.addWidget(team_label)
        row.addWidget(self.team_box, 1)
        layout.addLayout(row)
        self.message_bar = MessageBar(self)
        layout.addWidget(self.message_bar)
        members_label = QLabel(self.tr("&Mitglieder"))
        layout.addWidget(members_label)
        self.members = QListWidget()
        self.members.setAccessibleName(self.tr("Mitglieder"))
        members_label.setBuddy(self.members)
        self.members.currentRowChanged.connect(self._on_member_selected)
        layout.addWidget(self.members)
        self.remove_button = QPushButton(self.tr("Aus dem Team entfernen"))
        self.remove_button.setProperty("danger", True)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_button)
        layout.addLayout(remove_row)
        self.open_list = QLabel()
        self.open_list.setObjectName("hint")
        self.open_list.setTextFormat(Qt.TextFormat.PlainText)
        self.open_list.setWordWrap(True)
        self.open_list.hide()
        layout.addWidget(self.open_list)

        add_label = QLabel(self.tr("Mitglied &hinzufügen (Benutzername):"))
        layout.addWidget(add_label)
        add_row = QHBoxLayout()
        self.username = QLineEdit()
        self.username.setAccessibleName(self.tr("Benutzername"))
        self.username.setPlaceholderText(self.tr("z. B. mmuster"))
        add_label.setBuddy(self.username)
        self.username.textChanged.connect(self._on_username_edited)
        self.username.returnPressed.connect(self._on_add_clicked)
        self.lead_box = QCheckBox(self.tr("Teamleitung"))
        self.add_button = QPushButton(self.tr("Hinzufügen"))
        self.add_button.clicked.connect(self._on_add_clicked)
        self.add_button.setEnabled(False)
        add_row.addWidget(self.username, 1)
        add_row.addWidget(self.lead_box)
        add_row.addWidget(self.add_button)
        layout.addLayout(add_row)
        close_row = QHBoxLayout()
        close_row.addStretch(1)
        self.close_button = QPushButton(self.tr("Schließen"))
        self.close_button.clicked.connect(self.accept)
        close_row.addWidget(self.close_button)
        layout.addLayout(close_row)

    # --- data ---------------------------------------------------------------------------

    def team(self) -> TeamOut | None:
        team_id = self.team_box.currentData()
        return self._teams.team(int(team_id)) if team_id is not None else None

    def member(self) -> TeamMemberOut | None:
        team, item = self.team(), self.members.currentItem()
        if team is None or item is None:
            return None
        wanted = int(item.data(ID_ROLE))
        return next((m for m in team.members if m.advisor_id == wanted), None)

    def member_texts(self) -> list[str]:
        return [self.members.item(i).text() for i in range(self.members.count())]

    def _on_teams_changed(self) -> None:
        current = self.team_box.currentData()
        self.team_box.blockSignals(True)
        self.team_box.clear()
        for team in self._teams.led():
            self.team_box.addItem(team.name, team.id)
        index = self.team_box.findData(current)
        self.team_box.setCurrentIndex(max(index, 0))
        self.team_box.blockSignals(False)
        self._show_members()

    def _show_members(self, *_args: object) -> None:
        team = self.team()
        selected = self.members.currentItem()
        keep = int(selected.data(ID_ROLE)) if selected is not None else None
        self.members.clear()
        me = self._teams.me.id if self._teams.me is not None else 0
        for member in team.members if team is not None else []:
            text = self.tr("{name} – {state}").format(
                name=member.display_name, state=state_label(member.state)
            )
            if member.lead:
                text += " · " + self.tr("Teamleitung")
            if member.advisor_id == me:
                text += " · " + self.tr("Sie")
            item = QListWidgetItem(dot_icon(STATE_COLOURS.get(member.state, "#8a8f98")), text)
            item.setData(ID_ROLE, member.advisor_id)
            self.members.addItem(item)
            if member.advisor_id == keep:
                self.members.setCurrentItem(item)
        self._on_member_selected()

    def _on_member_selected(self, *_args: object) -> None:
        member = self.member()
        me = self._teams.me.id if self._teams.me is not None else 0
        self.remove_button.setEnabled(member is not None and member.advisor_id != me)

    def _on_username_edited(self, text: str) -> None:
        self.add_button.setEnabled(bool(text.strip()) and self.team() is not None)

    # --- actions --------------------------------------------------------------------------

    def _on_add_clicked(self) -> None:
        team, username = self.team(), self.username.text().strip()
        if team is None or not username:
            return
        self._teams.runner.run(
            f"team-add-{team.id}",
            self._teams.client.add_team_member(team.id, username, self.lead_box.isChecked()),
            on_done=self._on_added,
            on_error=self._on_failed,
            owner=self,
        )

    def _on_added(self, team: TeamOut) -> None:
        self.username.clear()
        self.lead_box.setChecked(False)
        saved = self.tr("Das Team {name} ist gespeichert.")
        self.message_bar.show_note(saved.format(name=team.name))
        self._teams.refresh()

    def _on_remove_clicked(self) -> None:
        team, member = self.team(), self.member()
        if team is None or member is None:
            return
        self._teams.runner.run(
            f"team-remove-{team.id}-{member.advisor_id}",
            self._teams.client.remove_team_member(team.id, member.advisor_id),
            on_done=partial(self._on_removed, member.display_name),
            on_error=self._on_failed,
            owner=self,
        )

    def _on_removed(self, name: str, result: MemberRemovedOut) -> None:
        open_ones = result.open_appointments
        if not open_ones:
            self.open_list.setText(
                self.tr(
                    "{name} ist nicht mehr im Team. Es sind keine offenen Termine betroffen."
                ).format(name=name)
            )
        else:
            lines = [
                self.tr(
                    "{name} ist nicht mehr im Team. Diese offenen Termine brauchen eine "
                    "Vertretung (Seite „Termine“, „Vertretung …“); verschoben wurde nichts:"
                ).format(name=name)
            ]
            for appointment in open_ones:
                local = to_berlin(appointment.starts_at)
                lines.append(
                    "• "
                    + self.tr("{day}, {time} Uhr: {citizen}").format(
                        day=QLocale().toString(
                            QDate(local.year, local.month, local.day), self.tr("dd.MM.yyyy")
                        ),
                        time=clock_text(appointment.starts_at),
                        citizen=appointment.citizen_name,
                    )
                )
            self.open_list.setText("\n".join(lines))
        self.open_list.show()
        self._teams.refresh()

    def _on_failed(self, failure: Failure) -> None:
        self.message_bar.show_error(failure.message)
