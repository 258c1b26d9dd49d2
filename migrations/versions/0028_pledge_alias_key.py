"""pledges: another id of the platform's for the same pledge (Open Collective's legacy id)

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-27 10:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, no index: a plain ADD COLUMN on every database, no table rebuild.
    op.add_column("pledges", sa.Column("alias_key", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        batch_op.drop_column("alias_key")
