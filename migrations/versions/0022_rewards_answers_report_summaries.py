"""reward tiers, public answers to questions, report summaries

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-27 07:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tracker.models.types

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reward_tiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("price_minor", sa.BigInteger(), nullable=False),
        sa.Column("limit", sa.Integer(), nullable=True),
        sa.Column("backers", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", tracker.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_reward_tiers_campaign_id"), "reward_tiers", ["campaign_id"], unique=False
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answer_url", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("answer_text", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("published_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("summary", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("published_reports", schema=None) as batch_op:
        batch_op.drop_column("summary")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_column("answer_text")
        batch_op.drop_column("answer_url")
    op.drop_index(op.f("ix_reward_tiers_campaign_id"), table_name="reward_tiers")
    op.drop_table("reward_tiers")
