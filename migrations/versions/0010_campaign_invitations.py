"""campaign invitations: an editor joins a team only by accepting

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 01:28:07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.models.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "campaign_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("invited_by", sa.Integer(), nullable=False),
        sa.Column("created_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["invited_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "user_id", name="uq_campaign_invitations_campaign_user"),
    )
    with op.batch_alter_table("campaign_invitations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_invitations_user_id"), ["user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("campaign_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_invitations_user_id"))
    op.drop_table("campaign_invitations")
