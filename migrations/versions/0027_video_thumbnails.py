"""video_thumbnails: the picture of a campaign's video, fetched by the worker (none yet)

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-27 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tracker.models.types

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "video_thumbnails",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("video_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("image_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("image_width", sa.Integer(), nullable=True),
        sa.Column("image_height", sa.Integer(), nullable=True),
        sa.Column("requested_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("campaign_id"),
    )
    with op.batch_alter_table("video_thumbnails", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_video_thumbnails_image_key"), ["image_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("video_thumbnails", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_video_thumbnails_image_key"))
    op.drop_table("video_thumbnails")
