"""device checks of the citizen journey

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "device_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("browser", sa.String(length=60), nullable=False),
        sa.Column("os", sa.String(length=60), nullable=False),
        sa.Column("device_type", sa.String(length=16), nullable=False),
        sa.Column("upload_kbps", sa.Integer(), nullable=True),
        sa.Column("download_kbps", sa.Integer(), nullable=True),
        sa.Column("rtt_ms", sa.Integer(), nullable=True),
        sa.Column("camera", sa.String(length=16), nullable=False),
        sa.Column("microphone", sa.String(length=16), nullable=False),
        sa.Column("speaker", sa.String(length=16), nullable=False),
        sa.Column("verdict", sa.String(length=8), nullable=False),
        sa.Column("ip_address", sa.String(length=64), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_device_checks_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_checks")),
    )
    with op.batch_alter_table("device_checks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_device_checks_participant_id"), ["participant_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("device_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_checks_participant_id"))
    op.drop_table("device_checks")
