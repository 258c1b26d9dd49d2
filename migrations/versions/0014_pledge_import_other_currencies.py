"""pledge imports: how many good rows were in currencies other than the campaign's

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Imports recorded before this revision did not count them: nothing is known ('{}').
    with op.batch_alter_table("pledge_imports", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("other_currency_rows", sa.Text(), server_default="{}", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("pledge_imports", schema=None) as batch_op:
        batch_op.drop_column("other_currency_rows")
