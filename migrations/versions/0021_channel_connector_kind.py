"""channels: `kind` names the connector that polls a channel (feed, kickstarter,
opencollective, mastodon ...); discovery's label moves to `origin`

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-27 07:15:00

Every channel so far is polled (or kept by hand) as a feed: existing rows get 'feed'.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.alter_column(
            "kind",
            new_column_name="origin",
            existing_type=sa.String(length=30),
            existing_nullable=False,
        )
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind",
                sqlmodel.sql.sqltypes.AutoString(length=20),
                server_default="feed",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.drop_column("kind")
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.alter_column(
            "origin",
            new_column_name="kind",
            existing_type=sa.String(length=30),
            existing_nullable=False,
        )
