"""team mail: members opt in to alert and weekly summary e-mails; mail rounds sent once

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-27 07:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tracker.models.types

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("created_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "campaign_id", "period", name="uq_mail_rounds_period"),
    )
    # Existing members get nothing by e-mail until they opt in.
    with op.batch_alter_table("campaign_members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mail_alerts", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("mail_summary", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("campaign_members", schema=None) as batch_op:
        batch_op.drop_column("mail_summary")
        batch_op.drop_column("mail_alerts")
    op.drop_table("mail_rounds")
