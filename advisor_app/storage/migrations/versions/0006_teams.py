"""teams, their members, and the record of each appointment (reassigned, admitted, handed over)

An advisor without a team is a team of one, as before. ``appointment_events`` keeps who
reassigned, admitted or handed over an appointment, never what was said; its rows go with
their appointment (retention). SQLite tables get AUTOINCREMENT like every table since 0005.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("name", name=op.f("uq_teams_name")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "team_members",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("advisor_id", sa.Integer(), nullable=False),
        sa.Column("lead", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["advisor_id"],
            ["advisors.id"],
            name=op.f("fk_team_members_advisor_id_advisors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_team_members_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("team_id", "advisor_id", name=op.f("pk_team_members")),
    )
    op.create_index(
        op.f("ix_team_members_advisor_id"), "team_members", ["advisor_id"], unique=False
    )
    op.create_table(
        "appointment_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("actor_advisor_id", sa.Integer(), nullable=True),
        sa.Column("from_advisor_id", sa.Integer(), nullable=True),
        sa.Column("to_advisor_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_advisor_id"],
            ["advisors.id"],
            name=op.f("fk_appointment_events_actor_advisor_id_advisors"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name=op.f("fk_appointment_events_appointment_id_appointments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["from_advisor_id"],
            ["advisors.id"],
            name=op.f("fk_appointment_events_from_advisor_id_advisors"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["to_advisor_id"],
            ["advisors.id"],
            name=op.f("fk_appointment_events_to_advisor_id_advisors"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_events")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_appointment_events_appointment_id"),
        "appointment_events",
        ["appointment_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_appointment_events_appointment_id"), table_name="appointment_events")
    op.drop_table("appointment_events")
    op.drop_index(op.f("ix_team_members_advisor_id"), table_name="team_members")
    op.drop_table("team_members")
    op.drop_table("teams")
