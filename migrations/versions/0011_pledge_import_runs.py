"""pledge imports: a status (running, done, failed), the last batch's time, one running at once

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 01:31:47
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tracker.models.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUNNING = sa.text("status = 'running'")


def upgrade() -> None:
    # Imports recorded before this revision all finished in one transaction: 'done'.
    with op.batch_alter_table("pledge_imports", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "status",
                sqlmodel.sql.sqltypes.AutoString(length=10),
                server_default="done",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "last_batch_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.create_index(
            "uq_pledge_imports_one_running",
            ["campaign_id"],
            unique=True,
            sqlite_where=RUNNING,
            postgresql_where=RUNNING,
        )


def downgrade() -> None:
    with op.batch_alter_table("pledge_imports", schema=None) as batch_op:
        batch_op.drop_index("uq_pledge_imports_one_running")
        batch_op.drop_column("last_batch_at")
        batch_op.drop_column("status")
