"""campaigns: platform and late-pledge links, hero image, video link, public sections

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-27 07:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LINKS = ("platform_url", "late_pledge_url", "video_url")


def upgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        for name in LINKS:
            batch_op.add_column(
                sa.Column(
                    name,
                    sqlmodel.sql.sqltypes.AutoString(length=500),
                    server_default="",
                    nullable=False,
                )
            )
        batch_op.add_column(
            sa.Column("image_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(sa.Column("image_width", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("image_height", sa.Integer(), nullable=True))
        # Existing campaigns embed no player and keep showing their feedback and rewards.
        batch_op.add_column(
            sa.Column("video_embed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        for name in ("public_feedback", "public_rewards"):
            batch_op.add_column(
                sa.Column(name, sa.Boolean(), server_default=sa.true(), nullable=False)
            )


def downgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        for name in (
            "public_rewards",
            "public_feedback",
            "video_embed",
            "image_height",
            "image_width",
            "image_key",
            *reversed(LINKS),
        ):
            batch_op.drop_column(name)
