"""anonymous statistics per segment (ISO week ∩ month), survey tickets, outcome per appointment

Replaces the never-written ``survey_responses`` (one row per answer with its exact day and an
id in writing order: joinable with call times) by counters in ``stat_tallies``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stat_tallies",
        sa.Column("iso_week", sa.String(length=8), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("iso_week", "month", "metric", name=op.f("pk_stat_tallies")),
    )
    op.create_index(op.f("ix_stat_tallies_month"), "stat_tallies", ["month"], unique=False)
    op.create_table(
        "survey_tickets",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_survey_tickets")),
    )
    op.create_index(
        op.f("ix_survey_tickets_expires_at"), "survey_tickets", ["expires_at"], unique=False
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stat_outcome", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("call_reported", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    # Appointments that began before the statistics existed are not counted: their citizens'
    # entering was never recorded, so each would look like a no-show.
    op.execute(
        sa.text(
            "UPDATE appointments SET stat_outcome = 'uncounted' WHERE starts_at < CURRENT_TIMESTAMP"
        )
    )
    op.drop_index(op.f("ix_survey_responses_day"), table_name="survey_responses")
    op.drop_table("survey_responses")


def downgrade() -> None:
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("av_quality", sa.Integer(), nullable=True),
        sa.Column("would_use_again", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
    )
    op.create_index(op.f("ix_survey_responses_day"), "survey_responses", ["day"], unique=False)
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_column("call_reported")
        batch_op.drop_column("stat_outcome")
    op.drop_index(op.f("ix_survey_tickets_expires_at"), table_name="survey_tickets")
    op.drop_table("survey_tickets")
    op.drop_index(op.f("ix_stat_tallies_month"), table_name="stat_tallies")
    op.drop_table("stat_tallies")
