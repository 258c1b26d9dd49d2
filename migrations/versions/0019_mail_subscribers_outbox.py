"""mail: subscribers, subscribe attempts, outbox

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-27 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tracker.models.types

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "subscribe_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("attempted_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("subscribe_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subscribe_attempts_attempted_at"), ["attempted_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_subscribe_attempts_key"), ["key"], unique=False)

    op.create_table(
        "subscribers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("receives", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("created_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("bounced_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "address", name="uq_subscribers_campaign_address"),
    )
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("subscriber_id", sa.Integer(), nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("recipient", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=True),
        sa.Column("unsubscribe_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "next_attempt_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("lease", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column("lease_until", tracker.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("created_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["report_id"], ["published_reports.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["subscriber_id"], ["subscribers.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_messages_campaign", ["campaign_id", "id"], unique=False)
        batch_op.create_index("ix_outbox_messages_due", ["state", "next_attempt_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_subscriber_id"), ["subscriber_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_messages_subscriber_id"))
        batch_op.drop_index("ix_outbox_messages_due")
        batch_op.drop_index("ix_outbox_messages_campaign")

    op.drop_table("outbox_messages")
    op.drop_table("subscribers")
    with op.batch_alter_table("subscribe_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscribe_attempts_key"))
        batch_op.drop_index(batch_op.f("ix_subscribe_attempts_attempted_at"))

    op.drop_table("subscribe_attempts")
