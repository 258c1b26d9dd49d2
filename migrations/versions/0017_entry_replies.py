"""entries: replies threaded to an own post, their author's handle and followers;
channels: what a connector remembers between polls

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-27 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("connector_memo", sa.Text(), nullable=True))
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("author_handle", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True)
        )
        batch_op.add_column(sa.Column("author_followers", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_entries_parent_id"), ["parent_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_entries_parent_id_entries", "entries", ["parent_id"], ["id"], ondelete="CASCADE"
        )


def downgrade() -> None:
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.drop_constraint("fk_entries_parent_id_entries", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_entries_parent_id"))
        batch_op.drop_column("author_followers")
        batch_op.drop_column("author_handle")
        batch_op.drop_column("parent_id")
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.drop_column("connector_memo")
