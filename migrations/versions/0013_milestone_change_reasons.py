"""milestone changes: a short public reason for a new planned date

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Changes recorded before this revision gave no reason: an empty one.
    with op.batch_alter_table("milestone_changes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "reason",
                sqlmodel.sql.sqltypes.AutoString(length=160),
                server_default="",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("milestone_changes", schema=None) as batch_op:
        batch_op.drop_column("reason")
