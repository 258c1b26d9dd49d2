"""channel_counts: a channel's own counts over time (a GitHub repository's stars, forks, watchers)

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-27 08:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tracker.models.types

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channel_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("observed_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("metric", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("channel_counts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_channel_counts_channel_metric_observed",
            ["channel_id", "metric", "observed_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("channel_counts", schema=None) as batch_op:
        batch_op.drop_index("ix_channel_counts_channel_metric_observed")
    op.drop_table("channel_counts")
