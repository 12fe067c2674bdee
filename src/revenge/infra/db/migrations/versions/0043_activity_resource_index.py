"""Index for "history of one resource" activity queries.

Revision ID: 0043
Revises: 0042
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0043"
down_revision: str | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_activity_log_resource_time",
        "activity_log",
        [
            "resource_type",
            "resource_id",
            sa.literal_column("created_at DESC"),
            sa.literal_column("id DESC"),
        ],
        postgresql_where=sa.text("resource_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_activity_log_resource_time",
        table_name="activity_log",
        postgresql_where=sa.text("resource_id IS NOT NULL"),
    )
