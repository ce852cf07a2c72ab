"""ids are never handed out twice: SQLite tables get AUTOINCREMENT

Without AUTOINCREMENT SQLite gives a new row the highest rowid plus one, so the id of the
last deleted participant (a guest removed from an appointment) came back for the next
participant booked by any advisor, and anything still holding the old id (a waiting room's
presence, a console's call) met a stranger under it. PostgreSQL's sequences (SERIAL) never
hand out a number twice: nothing to do there.

The tables are rebuilt (batch mode); ``storage.db.migrate`` switches foreign keys off while
migrations run on SQLite, so dropping the old table cascades to nothing.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Every table with an integer id (parents first).
TABLES = (
    "advisors",
    "advisor_sessions",
    "appointments",
    "participants",
    "consent_records",
    "device_checks",
    "mails",
    "identity_checks",
    "stat_events",
)


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
